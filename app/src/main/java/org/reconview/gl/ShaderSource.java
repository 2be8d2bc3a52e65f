package org.reconview.gl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reconview.ProjectPaths;

/**
 * Loads GLSL from {@code shaders/} with {@code #include "file.glsl"} resolved (each file included once per program)
 * and {@code #define}s injected after the {@code #version} line. Files come from the checkout's {@code shaders/}
 * folder when there is one (so a shader edit needs no rebuild), else from the {@code /shaders} resources in the jar.
 * Each included file gets its own {@code #line} source number; {@link #fileNames()} maps numbers back to names for
 * compiler messages.
 */
public final class ShaderSource {
    private static final Pattern INCLUDE = Pattern.compile("^\\s*#include\\s+\"([^\"]+)\"\\s*(//.*)?$");
    /** Mesa and most drivers write "0:12(5)", NVIDIA writes "0(12) :". */
    private static final Pattern LOCATION = Pattern.compile("(^|\\s|\\()(\\d+)(?::(\\d+)|\\((\\d+)\\))");

    private final String text;
    private final List<String> files;

    private ShaderSource(String text, List<String> files) {
        this.text = text;
        this.files = files;
    }

    public static ShaderSource load(String name, Map<String, String> defines) {
        List<String> files = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        expand(name, out, files, true, defines);
        return new ShaderSource(out.toString(), List.copyOf(files));
    }

    public String text() {
        return text;
    }

    /** Source-string numbers used in {@code #line} directives: index i is the file with number i. */
    public List<String> fileNames() {
        return files;
    }

    /** Replaces "0:12" (Mesa) and "0(12)" (NVIDIA) locations in a driver's log with "file.glsl:12". */
    public String annotate(String log) {
        Matcher m = LOCATION.matcher(log);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int file = Integer.parseInt(m.group(2));
            String line = m.group(3) != null ? m.group(3) : m.group(4);
            String replacement = file < files.size() ? files.get(file) + ":" + line : m.group(0).trim();
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static void expand(String name, StringBuilder out, List<String> files, boolean root,
            Map<String, String> defines) {
        if (files.contains(name)) {
            return; // included once: includes need no guards
        }
        int number = files.size();
        files.add(name);
        String[] lines = read(name).split("\n", -1);
        int lineNo = 0;
        boolean versionSeen = !root;
        if (!root) {
            out.append("#line 1 ").append(number).append('\n');
        }
        for (String line : lines) {
            lineNo++;
            Matcher inc = INCLUDE.matcher(line);
            if (inc.matches()) {
                expand(inc.group(1), out, files, false, defines);
                out.append("#line ").append(lineNo + 1).append(' ').append(number).append('\n');
                continue;
            }
            out.append(line).append('\n');
            if (!versionSeen && line.trim().startsWith("#version")) {
                versionSeen = true;
                for (Map.Entry<String, String> d : defines.entrySet()) {
                    out.append("#define ").append(d.getKey()).append(' ').append(d.getValue()).append('\n');
                }
                out.append("#line ").append(lineNo + 1).append(' ').append(number).append('\n');
            }
        }
    }

    private static String read(String name) {
        Path dir = ProjectPaths.shadersDir();
        try {
            if (dir != null) {
                Path file = dir.resolve(name);
                if (Files.isRegularFile(file)) {
                    return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
                }
            }
            try (InputStream in = ShaderSource.class.getResourceAsStream("/shaders/" + name)) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("shaders/" + name + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("shaders/" + name + ": not found (looked in " + dir + " and the jar)");
    }
}
