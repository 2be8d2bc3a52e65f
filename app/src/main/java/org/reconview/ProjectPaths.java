package org.reconview;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the checkout's folders are. The launcher passes {@code -Dreconview.root}; otherwise the working directory and
 * its parents are searched for {@code shaders/}. Null where nothing is found (a packaged jar uses its resources).
 */
public final class ProjectPaths {
    private ProjectPaths() {
    }

    public static Path root() {
        String prop = System.getProperty("reconview.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "shaders"))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shaders")) && Files.isDirectory(p.resolve("assets"))) {
                return p;
            }
        }
        return null;
    }

    public static Path shadersDir() {
        Path root = root();
        return root == null ? null : root.resolve("shaders");
    }

    public static Path assetsDir() {
        Path root = root();
        return root == null ? null : root.resolve("assets");
    }

    /**
     * The bytes of {@code assets/RELATIVE}: the checkout's copy where there is one (edits need no rebuild), else the
     * copy inside the jar.
     *
     * @throws IllegalStateException naming the asset when neither exists or it cannot be read (a broken install)
     */
    public static byte[] readAsset(String relative) {
        try {
            Path dir = assetsDir();
            if (dir != null && Files.isRegularFile(dir.resolve(relative))) {
                return Files.readAllBytes(dir.resolve(relative));
            }
            try (java.io.InputStream in = ProjectPaths.class.getResourceAsStream("/assets/" + relative)) {
                if (in == null) {
                    throw new IllegalStateException("assets/" + relative + ": not found");
                }
                return in.readAllBytes();
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("assets/" + relative + ": " + e.getMessage(), e);
        }
    }

    /** The checkout's git commit, read from .git without running git; "unknown" outside a checkout. */
    public static String commit() {
        Path root = root();
        if (root == null) {
            return "unknown";
        }
        try {
            Path git = root.resolve(".git");
            String head = Files.readString(git.resolve("HEAD"), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (!head.startsWith("ref: ")) {
                return head;
            }
            String ref = head.substring(5).trim();
            Path refFile = git.resolve(ref);
            if (Files.isRegularFile(refFile)) {
                return Files.readString(refFile, java.nio.charset.StandardCharsets.UTF_8).trim();
            }
            Path packed = git.resolve("packed-refs");
            if (Files.isRegularFile(packed)) {
                for (String line : Files.readAllLines(packed, java.nio.charset.StandardCharsets.UTF_8)) {
                    if (line.endsWith(" " + ref)) {
                        return line.substring(0, line.indexOf(' '));
                    }
                }
            }
        } catch (java.io.IOException e) {
            // fall through
        }
        return "unknown";
    }
}
