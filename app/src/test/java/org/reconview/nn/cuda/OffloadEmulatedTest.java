package org.reconview.nn.cuda;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;

/**
 * QW-Net's INT4 network with its convs offloaded ({@link org.reconview.nn.gl.Int4Network.Offload}) to the tensor-core
 * kernels, run by the CPU emulator, gives the image of the network all in GLSL: the CUDA backend's integration short of
 * the GL interop itself (which {@code CudaGpuTest} covers on a GPU).
 */
class OffloadEmulatedTest {
    static EmulatedDevice device;

    @BeforeAll
    static void open() {
        GlTest.context();
        device = EmulatedDevice.open(900);
    }

    @AfterAll
    static void close() {
        if (device != null) {
            device.close();
        }
        GlTest.context();
    }

    @Test
    void sameImageAsGlsl() {
        String arithmetic = CudaGpuTest.compareWithGlsl(model -> new EmulatedOffload(device, model), 32, 48, 9);
        assertTrue(arithmetic.startsWith("INT4 feature extractor (CPU emulator of sm_90, s8 MMA"), arithmetic);
    }
}
