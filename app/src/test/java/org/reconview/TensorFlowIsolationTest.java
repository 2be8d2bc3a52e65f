package org.reconview;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * The guard that keeps TensorFlow's natives out of the GL test JVM: it runs there (this test is untagged), reads this
 * process's memory map, finds no TensorFlow library in it, and would name one in a map that has it (a map line of
 * the TensorFlow JVM, as Linux prints it).
 */
class TensorFlowIsolationTest {
    @Test
    void theGuardIsActiveHereAndFindsTensorFlowInAMemoryMap() {
        assertTrue(TensorFlowGuard.active(), "this JVM is the GL one (-Dreconview.testJvm=gl)");
        String maps = TensorFlowGuard.maps();
        assertTrue(maps.contains("libjvm.so"), "the memory map is readable here");
        assertNull(TensorFlowGuard.tensorFlowLibrary(maps), "no TensorFlow native library in this JVM");
        String tf = "7f1c2a000000-7f1c2e400000 r-xp 00000000 08:01 1234 "
                + "/root/.javacpp/cache/tensorflow-core-native-1.1.0-linux-x86_64.jar/org/tensorflow/internal/c_api/"
                + "linux-x86_64/libtensorflow_cc.so.2\n";
        assertEquals("libtensorflow_cc.so.2", TensorFlowGuard.tensorFlowLibrary(maps + tf));
        assertEquals("libjnitensorflow.so", TensorFlowGuard.tensorFlowLibrary(
                "7f00-7f01 r-xp 0 0:0 1 /tmp/x/libjnitensorflow.so\n"));
        assertNull(TensorFlowGuard.tensorFlowLibrary("7f00-7f01 r-xp 0 0:0 1 /usr/lib/libLLVM-15.so.1\n"));
    }
}
