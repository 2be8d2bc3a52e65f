package org.reconview;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The guard that keeps TensorFlow out of the GL test JVM: it runs there (this test is untagged), sees nothing loaded
 * so far, and would see a TensorFlow class the moment one is loaded: shown here on a class loader of its own, so
 * that this JVM itself stays clean (loaded, not initialised: no native code runs).
 */
class TensorFlowIsolationTest {
    @Test
    void theGuardIsActiveHereAndSeesATensorFlowClassOnceLoaded() throws Exception {
        assertTrue(TensorFlowGuard.active(), "this JVM is the GL one (-Dreconview.testJvm=gl)");
        assertNull(TensorFlowGuard.loadedIn(getClass().getClassLoader()), "no TensorFlow class loaded here");
        URL jar = Class.forName("org.reconview.cli.Main").getProtectionDomain().getCodeSource().getLocation();
        URL tf = null;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.contains("tensorflow-core-api")) {
                tf = Path.of(entry).toUri().toURL();
            }
        }
        assertNotNull(tf, "tensorflow-core-api on the class path");
        try (URLClassLoader own = new URLClassLoader(new URL[] {tf, jar}, null)) {
            assertNull(TensorFlowGuard.loadedIn(own));
            Class.forName("org.tensorflow.Graph", false, own);
            assertEquals("org.tensorflow.Graph", TensorFlowGuard.loadedIn(own), "the guard sees it");
        }
        assertNull(TensorFlowGuard.loadedIn(getClass().getClassLoader()), "and this JVM is still clean");
    }
}
