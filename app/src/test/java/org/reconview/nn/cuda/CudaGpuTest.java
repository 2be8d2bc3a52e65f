package org.reconview.nn.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import java.util.function.Function;
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
        String arithmetic = compareWithGlsl(CudaOffload::open, 64, 96, 5);
        assertTrue(arithmetic.contains("CUDA on"), arithmetic);
    }

    /**
     * QW-Net's INT4 network on random weights and inputs, all in GLSL and with its convs offloaded, compared image to
     * image (one 10-bit PQ code, all but 0.1% of the values); returns the offloaded network's arithmetic line.
     */
    static String compareWithGlsl(Function<QuantizedModel, Int4Network.Offload> offload, int h, int w, long seed) {
        NetworkSpec spec = NetworkSpec.qwnet();
        QuantizedModel model = new QuantizedModel(spec, QuantizedTestData.weights(spec, seed));
        Random rnd = new Random(seed);
        Tensor ia = QuantizedTestData.image(rnd, h, w);
        Tensor iw = QuantizedTestData.image(rnd, h, w);
        try (GpuOps ops = new GpuOps();
                Int4Network glsl = new Int4Network(model, ops);
                Int4Network other = new Int4Network(model, ops, offload.apply(model))) {
            float[][] outputs = new float[2][];
            int i = 0;
            for (Int4Network net : new Int4Network[] {glsl, other}) {
                net.allocate(h, w);
                for (int frame = 0; frame < 2; frame++) {   // twice: buffers reused, mappings released
                    net.tensor(NetworkSpec.INPUT_ALIASED).upload(ia.data);
                    net.tensor(NetworkSpec.INPUT_WARPED).upload(iw.data);
                    net.run();
                }
                outputs[i++] = net.output().download().data;
            }
            int off = 0;
            double worst = 0;
            for (int k = 0; k < outputs[0].length; k++) {
                double d = Math.abs(outputs[0][k] - outputs[1][k]);
                worst = Math.max(worst, d);
                off += d > 1.0 / 1023 ? 1 : 0;
            }
            System.out.printf("offloaded vs GLSL QW-Net image %dx%d: %d of %d values more than one 10-bit PQ code"
                    + " apart, max |diff| %.2e (%s)%n", w, h, off, outputs[0].length, worst, other.arithmetic());
            assertTrue(off * 1000 < outputs[0].length, off + " of " + outputs[0].length + " values differ");
            return other.arithmetic();
        }
    }
}
