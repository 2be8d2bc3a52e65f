package org.reconview.nn.cuda;


import org.junit.jupiter.api.Test;

/**
 * On an NVIDIA GPU (-Dreconview.cuda=true, scripts/gpu-check.sh; skipped with the reason elsewhere): the tensor-core
 * kernels against the golden model on real hardware, both MMA paths (the checks of {@link CudaInt4ExtractorTest}).
 * The whole reconstructor through GL interop against GLSL is {@code org.reconview.recon.QwnetBackendsTest}.
 */
class CudaGpuTest {

    @Test
    void extractorMatchesGoldenOnBothPaths() {
        DriverDeviceTest.assumeCuda();
        try (DriverDevice device = DriverDevice.open()) {
            for (CudaInt4Extractor.Int4Path path : CudaInt4Extractor.Int4Path.values()) {
                for (int[] size : new int[][] {{64, 96}, {48, 32}}) {
                    CudaInt4ExtractorTest.Report r = CudaInt4ExtractorTest.check(device, path, size[0], size[1], 77);
                    System.out.printf("CUDA INT4 on %s, %s, %dx%d: %d of %d codes off by one, %d off the chain%n",
                            device.description(), path, size[1], size[0], r.offByOne(), r.elements(),
                            r.endToEndOff());
                }
            }
        }
    }
}
