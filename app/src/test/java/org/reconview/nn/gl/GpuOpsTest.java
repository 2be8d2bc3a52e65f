package org.reconview.nn.gl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.gl.StorageBuffer;
import org.reconview.nn.FloatOps;
import org.reconview.nn.Tensor;

/** Every GLSL network operation against its golden FloatOps definition, on random data, at even and odd sizes. */
class GpuOpsTest {
    static GpuOps ops;
    final Random rnd = new Random(42);

    @BeforeAll
    static void gl() {
        GlTest.context();
        ops = new GpuOps();
    }

    @AfterAll
    static void close() {
        GlTest.context();
        ops.close();
    }

    Tensor random(int c, int h, int w, double scale) {
        Tensor t = new Tensor(c, h, w);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (rnd.nextGaussian() * scale);
        }
        return t;
    }

    float[] randomArray(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * scale);
        }
        return a;
    }

    static void assertClose(Tensor golden, Tensor gpu, double rel, String what) {
        assertEquals(golden.channels, gpu.channels, what);
        assertEquals(golden.height, gpu.height, what);
        assertEquals(golden.width, gpu.width, what);
        for (int i = 0; i < golden.data.length; i++) {
            float g = golden.data[i];
            assertEquals(g, gpu.data[i], rel * Math.max(1, Math.abs(g)), what + " at " + i);
        }
    }

    Tensor gpuConv(Tensor in, int k, float[] w, float[] bias, float[] scale, float[] shift, int out, boolean elu) {
        float[] epi = new float[3 * out];
        System.arraycopy(bias, 0, epi, 0, out);
        System.arraycopy(scale, 0, epi, out, out);
        System.arraycopy(shift, 0, epi, 2 * out, out);
        try (GpuTensor g = GpuTensor.of(in); GpuTensor o = new GpuTensor(out, in.height, in.width);
                StorageBuffer wb = GpuOps.weights(w, out, in.channels, k); StorageBuffer eb = new StorageBuffer(epi)) {
            ops.conv(g, k, wb, eb, o, elu);
            return o.download();
        }
    }

    @Test
    void convolutionsWithBatchNormAndEluMatchGolden() {
        convolutionsMatchGolden("texture input");
    }

    /** The SSBO-input variant, used for tensors over GL_MAX_TEXTURE_BUFFER_SIZE, forced at small sizes. */
    @Test
    void convolutionsWithSsboInputMatchGolden() {
        ops.forceSsboInput = true;
        try {
            convolutionsMatchGolden("SSBO input");
        } finally {
            ops.forceSsboInput = false;
        }
    }

    void convolutionsMatchGolden(String path) {
        int[][] cases = {{8, 32, 64, 64}, {13, 10, 23, 37}, {40, 9, 9, 7}};
        for (int[] c : cases) {
            int in = c[0];
            int out = c[1];
            Tensor x = random(in, c[2], c[3], 1);
            for (int k : new int[] {3, 1}) {
                float[] w = randomArray(out * in * k * k, Math.sqrt(2.0 / (in * k * k)));
                float[] bias = randomArray(out, 0.1);
                float[] gamma = randomArray(out, 1);
                float[] beta = randomArray(out, 0.2);
                float[] mean = randomArray(out, 0.3);
                float[] var = new float[out];
                for (int i = 0; i < out; i++) {
                    var[i] = 0.5f + rnd.nextFloat();
                }
                float eps = 1e-3f;
                Tensor golden = k == 3 ? FloatOps.conv3x3(x, w, bias, out) : FloatOps.conv1x1(x, w, bias, out);
                golden = FloatOps.elu(FloatOps.batchNorm(golden, gamma, beta, mean, var, eps));
                float[] scale = new float[out];
                float[] shift = new float[out];
                for (int i = 0; i < out; i++) {
                    scale[i] = (float) (gamma[i] / Math.sqrt(var[i] + eps));
                    shift[i] = beta[i] - mean[i] * scale[i];
                }
                assertClose(golden, gpuConv(x, k, w, bias, scale, shift, out, true), 1e-4,
                        path + " conv" + k + "x" + k + " " + in + "->" + out + " at " + c[3] + "x" + c[2]);
            }
        }
    }

    @Test
    void resamplingMatchesGolden() {
        for (int[] size : new int[][] {{64, 64}, {22, 38}}) {
            Tensor x = random(5, size[0], size[1], 2);
            Tensor small = random(5, size[0] / 2, size[1] / 2, 2);
            try (GpuTensor g = GpuTensor.of(x); GpuTensor s = GpuTensor.of(small);
                    GpuTensor down = new GpuTensor(5, size[0] / 2, size[1] / 2);
                    GpuTensor up = new GpuTensor(5, size[0], size[1])) {
                ops.resample(g, GpuOps.Resample.MAX_POOL, down);
                assertClose(FloatOps.maxPool2(x), down.download(), 0, "max pool");
                ops.resample(g, GpuOps.Resample.AVG_POOL, down);
                assertClose(FloatOps.avgPool2(x), down.download(), 1e-6, "average pool");
                ops.resample(s, GpuOps.Resample.NEAREST_UP, up);
                assertClose(FloatOps.upsampleNearest2(small), up.download(), 0, "nearest upsample");
                ops.resample(s, GpuOps.Resample.BILINEAR_UP, up);
                assertClose(FloatOps.upsampleBilinear2(small), up.download(), 1e-6, "bilinear upsample");
            }
        }
    }

    @Test
    void gradientSoftmaxFilterAndConcatMatchGolden() {
        int h = 29;
        int w = 41;
        Tensor rgb = random(3, h, w, 1);
        Tensor rgb2 = random(3, h, w, 1);
        Tensor skip = random(3, h, w, 1);
        Tensor logits = random(19, h, w, 3);
        Tensor kernels = FloatOps.softmaxChannels(logits.copy());
        try (GpuTensor a = GpuTensor.of(rgb); GpuTensor b = GpuTensor.of(rgb2); GpuTensor s = GpuTensor.of(skip);
                GpuTensor k = GpuTensor.of(logits); GpuTensor grad = new GpuTensor(1, h, w);
                GpuTensor out = new GpuTensor(3, h, w); GpuTensor cat = new GpuTensor(4, h, w)) {
            ops.gradientMagnitude(a, grad);
            assertClose(FloatOps.gradientMagnitude(rgb), grad.download(), 1e-5, "gradient magnitude");
            ops.softmax(k);
            assertClose(kernels, k.download(), 1e-5, "softmax");
            ops.filter(a, 0, null, -1, null, -1, k, out);
            assertClose(FloatOps.filter3x3(rgb, kernels, 0), out.download(), 1e-5, "3x3 filter");
            ops.filter(a, 0, b, 9, null, -1, k, out);
            assertClose(FloatOps.add(FloatOps.filter3x3(rgb, kernels, 0), FloatOps.filter3x3(rgb2, kernels, 9)),
                    out.download(), 1e-5, "input filter (two images, 18 weights)");
            ops.filter(a, 9, null, -1, s, 18, k, out);
            assertClose(FloatOps.addWeighted(FloatOps.filter3x3(rgb, kernels, 9), skip, kernels, 18),
                    out.download(), 1e-5, "upsampling filter (9 weights and the skip)");
            ops.concat(java.util.List.of(a, grad), cat);
            assertClose(FloatOps.concat(rgb, FloatOps.gradientMagnitude(rgb)), cat.download(), 1e-5, "concat");
        }
    }
}
