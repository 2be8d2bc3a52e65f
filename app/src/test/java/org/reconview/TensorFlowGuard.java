package org.reconview;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails, in the GL test JVM ({@code -Dreconview.testJvm=gl}), every test after which TensorFlow's native library is
 * loaded in the process: it crashes in Mesa's libLLVM once GL contexts have come and gone, so tests that use
 * TensorFlow carry {@code @Tag("tensorflow")} and run in the TensorFlow JVM. (TensorFlow's Java classes may be loaded
 * here without harm, and are: JUnit reads every test class, tagged ones included, to filter by tag. What must never
 * happen is a TensorFlow class initialising, which loads the natives.) Registered for every test by JUnit's extension
 * auto-detection (META-INF/services); reads the process's memory map ({@code /proc/self/maps}).
 */
public final class TensorFlowGuard implements AfterEachCallback, AfterAllCallback {
    static final List<String> LIBRARIES = List.of("libtensorflow", "libjnitensorflow", "_pywrap_tensorflow");

    static boolean active() {
        return "gl".equals(System.getProperty("reconview.testJvm"));
    }

    /** The first TensorFlow native library named in a memory map's text, or null. */
    static String tensorFlowLibrary(String maps) {
        for (String line : maps.split("\n")) {
            int slash = line.lastIndexOf('/');
            String file = slash >= 0 ? line.substring(slash + 1) : "";
            for (String lib : LIBRARIES) {
                if (file.startsWith(lib)) {
                    return file.strip();
                }
            }
        }
        return null;
    }

    /** This process's memory map, or "" where there is none to read. */
    static String maps() {
        try {
            return Files.readString(Path.of("/proc/self/maps"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void check(ExtensionContext context) {
        if (!active()) {
            return;
        }
        String lib = tensorFlowLibrary(maps());
        if (lib != null) {
            throw new AssertionError(context.getDisplayName() + " (or a test before it) loaded TensorFlow's native"
                    + " library (" + lib + ") in the GL test JVM, where it crashes in Mesa: tag it"
                    + " @Tag(\"tensorflow\")");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        check(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(context);
    }
}
