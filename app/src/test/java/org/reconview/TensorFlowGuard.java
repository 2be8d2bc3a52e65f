package org.reconview;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails, in the GL test JVM ({@code -Dreconview.testJvm=gl}), every test after which a TensorFlow class has been
 * loaded: TensorFlow's native code crashes in Mesa's libLLVM once GL contexts have come and gone, so tests that load
 * it carry {@code @Tag("tensorflow")} and run in the TensorFlow JVM. Registered for every test by JUnit's extension
 * auto-detection (META-INF/services); reads the class loader's loaded classes (java.lang opened to it in the
 * surefire arguments), so it never loads a TensorFlow class itself.
 */
public final class TensorFlowGuard implements AfterEachCallback, AfterAllCallback {
    static final List<String> PROBES = List.of("org.tensorflow.TensorFlow", "org.tensorflow.Graph",
            "org.tensorflow.Session", "org.tensorflow.EagerSession", "org.tensorflow.op.Ops");

    static boolean active() {
        return "gl".equals(System.getProperty("reconview.testJvm"));
    }

    /** Whether {@code loader} or a parent of it has loaded a TensorFlow class (the first one found, or null). */
    static String loadedIn(ClassLoader loader) {
        try {
            Method find = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
            find.setAccessible(true);
            for (ClassLoader l = loader; l != null; l = l.getParent()) {
                for (String p : PROBES) {
                    if (find.invoke(l, p) != null) {
                        return p;
                    }
                }
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new AssertionError("TensorFlowGuard cannot inspect loaded classes (is java.lang opened to it in"
                    + " surefire's argLine?): " + e, e);
        }
    }

    private static void check(ExtensionContext context) {
        if (!active()) {
            return;
        }
        String c = loadedIn(TensorFlowGuard.class.getClassLoader());
        if (c != null) {
            throw new AssertionError(context.getDisplayName() + " (or a test before it) loaded TensorFlow (" + c
                    + ") in the GL test JVM, where its native code crashes in Mesa: tag it @Tag(\"tensorflow\")");
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
