package org.reconview.nn.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.gl.GlContext;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.QuantizedTestData;
import org.reconview.nn.Tensor;
import org.reconview.nn.gl.GpuOps;
import org.reconview.nn.gl.Int4Network;

/**
 * On an NVIDIA GPU (-Dreconview.cuda=true, scripts/gpu-check.sh; skipped with the reason elsewhere): the tensor-core
 * kernels against the golden model on real hardware, both MMA paths (the checks of {@link CudaInt4ExtractorTest}), and
 * QW-Net's INT4 network with its convs on CUDA through GL interop against the same network all in GLSL: feature codes
 * are not visible there, so the image is compared, within one 10-bit PQ code (1/1023) on all but 0.1% of the
 * values.
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

    @Test
    void cudaAndGlslGiveTheSameImage() {
        DriverDeviceTest.assumeCuda();
        GlContext gl = GlTest.context();
        CudaBackend.Availability a = CudaOffload.availability(gl.renderer());
        Assumptions.assumeTrue(a.available(), () -> "CUDA backend unavailable with this GL context: " + a.reason());
        int h = 64;
        int w = 96;
        NetworkSpec spec = NetworkSpec.qwnet();
        QuantizedModel model = new QuantizedModel(spec, QuantizedTestData.weights(spec, 5));
        Random rnd = new Random(5);
        Tensor ia = QuantizedTestData.image(rnd, h, w);
        Tensor iw = QuantizedTestData.image(rnd, h, w);
        try (GpuOps ops = new GpuOps();
                Int4Network glsl = new Int4Network(model, ops);
                Int4Network cuda = new Int4Network(model, ops, CudaOffload.open(model))) {
            float[][] outputs = new float[2][];
            int i = 0;
            for (Int4Network net : new Int4Network[] {glsl, cuda}) {
                net.allocate(h, w);
                net.tensor(NetworkSpec.INPUT_ALIASED).upload(ia.data);
                net.tensor(NetworkSpec.INPUT_WARPED).upload(iw.data);
                net.run();
                outputs[i++] = net.output().download().data;
            }
            int off = 0;
            for (int k = 0; k < outputs[0].length; k++) {
                off += Math.abs(outputs[0][k] - outputs[1][k]) > 1.0 / 1023 ? 1 : 0;
            }
            System.out.printf("CUDA vs GLSL QW-Net image: %d of %d values more than one 10-bit PQ code apart (%s)%n",
                    off, outputs[0].length, cuda.arithmetic());
            assertTrue(off * 1000 < outputs[0].length, off + " of " + outputs[0].length + " values differ");
            assertTrue(cuda.arithmetic().contains("CUDA"), cuda.arithmetic());
        }
    }
}
