package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reconview.nn.ActivationQuant;
import org.reconview.nn.FloatOps;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The TensorFlow graph against the golden models on the same weights: FP32 (inference BN) against
 * {@link GoldenModel} to 1e-4, simulated INT4 against {@link QuantizedModel}'s dequantized tensors within one
 * quantization level on under 0.1% of elements.
 */
@org.junit.jupiter.api.Tag("tensorflow")
class NetworkGraphTest {
    private static final int BATCH = 2;

    /** Runs the graph of {@code mode} on a batch; returns every layer's NHWC values by name. */
    static Map<String, float[]> runGraph(NetworkSpec spec, Weights weights, List<Tensor> ia, List<Tensor> iw,
            NetworkGraph.Mode mode) {
        int h = ia.get(0).height;
        int w = ia.get(0).width;
        try (Graph g = new Graph(); Session s = TfSupport.session(g, TrainTestSupport.THREADS)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> pa = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, w, 3)));
            Placeholder<TFloat32> pw = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, w, 3)));
            ModelVariables vars = ModelVariables.create(tf, spec);
            NetworkGraph.Step step = new NetworkGraph(tf, vars).step(pa, pw, mode);
            vars.load(s, weights);
            List<String> names = new ArrayList<>(step.tensors().keySet());
            names.remove(NetworkSpec.INPUT_ALIASED);
            names.remove(NetworkSpec.INPUT_WARPED);
            List<Operand<TFloat32>> ops = new ArrayList<>();
            names.forEach(n -> ops.add(step.tensors().get(n)));
            try (TFloat32 a = TfSupport.nhwc(ia); TFloat32 b = TfSupport.nhwc(iw)) {
                List<float[]> values = TrainTestSupport.fetch(s, Map.of(pa, a, pw, b), ops);
                Map<String, float[]> out = new java.util.LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    out.put(names.get(i), values.get(i));
                }
                assertSame(step.output(), step.tensors().get(spec.output()));
                return out;
            }
        }
    }

    private static void fp32MatchesGolden(NetworkSpec spec, int h, int w, long seed) {
        Weights weights = TrainTestSupport.randomWeights(spec, seed);
        List<Tensor> ia = new ArrayList<>();
        List<Tensor> iw = new ArrayList<>();
        for (int n = 0; n < BATCH; n++) {
            ia.add(TrainTestSupport.randomImage(h, w, seed * 10 + n));
            iw.add(TrainTestSupport.randomImage(h, w, seed * 10 + n + 5));
        }
        Map<String, float[]> tfValues = runGraph(spec, weights, ia, iw, NetworkGraph.Mode.FP32_INFERENCE);
        GoldenModel golden = new GoldenModel(spec, weights);
        for (int n = 0; n < BATCH; n++) {
            Map<String, Tensor> ref = golden.runAll(ia.get(n), iw.get(n));
            for (Map.Entry<String, Tensor> e : ref.entrySet()) {
                if (e.getKey().equals(NetworkSpec.INPUT_ALIASED) || e.getKey().equals(NetworkSpec.INPUT_WARPED)) {
                    continue;
                }
                Tensor r = e.getValue();
                Tensor t = TrainTestSupport.chw(tfValues.get(e.getKey()), n, r.channels, r.height, r.width);
                double worst = 0;
                for (int i = 0; i < r.data.length; i++) {
                    double err = Math.abs(t.data[i] - r.data[i]) / Math.max(1, Math.abs(r.data[i]));
                    worst = Math.max(worst, err);
                }
                assertTrue(worst <= 1e-4, spec.variant() + " " + h + "x" + w + " image " + n + " tensor "
                        + e.getKey() + ": relative error " + worst);
            }
            Tensor out = ref.get(spec.output());
            Tensor t = TrainTestSupport.chw(tfValues.get(spec.output()), n, 3, h, w);
            for (int i = 0; i < out.data.length; i++) {
                assertEquals(out.data[i], t.data[i], 1e-4, spec.variant() + " output element " + i);
            }
        }
    }

    @Test
    void unetFp32EqualsGoldenModel() {
        fp32MatchesGolden(NetworkSpec.unet(), 32, 32, 1);
        fp32MatchesGolden(NetworkSpec.unet(), 32, 48, 2);
    }

    @Test
    void qwnetFp32EqualsGoldenModel() {
        fp32MatchesGolden(NetworkSpec.qwnet(), 32, 32, 3);
        fp32MatchesGolden(NetworkSpec.qwnet(), 32, 48, 4);
    }

    @Test
    void trainingModeBatchNormUsesBatchStatistics() {
        // FP32_TRAIN differs from inference (batch statistics) and its BN outputs are normalised per batch.
        NetworkSpec spec = NetworkSpec.unet();
        Weights weights = TrainTestSupport.randomWeights(spec, 9);
        List<Tensor> ia = List.of(TrainTestSupport.randomImage(32, 32, 1), TrainTestSupport.randomImage(32, 32, 2));
        Map<String, float[]> train = runGraph(spec, weights, ia, ia, NetworkGraph.Mode.FP32_TRAIN);
        Map<String, float[]> infer = runGraph(spec, weights, ia, ia, NetworkGraph.Mode.FP32_INFERENCE);
        assertFalse(java.util.Arrays.equals(train.get(spec.output()), infer.get(spec.output())));
        // fe.enc0.conv0 in training mode = ELU(BN with the batch's own mean and biased variance over both images).
        GoldenModel golden = new GoldenModel(spec, weights);
        String layer = "fe.enc0.conv0";
        float[] gamma = weights.floats(layer + ".bn.gamma");
        float[] beta = weights.floats(layer + ".bn.beta");
        int c = gamma.length;
        List<Tensor> conv = new ArrayList<>();
        for (Tensor image : ia) {
            Tensor input = golden.runAll(image, image).get("fe.input");
            conv.add(FloatOps.conv3x3(input, weights.floats(layer + ".weight"), null, c));
        }
        float[] y = train.get(layer);
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            double sq = 0;
            int count = 0;
            for (Tensor t : conv) {
                for (int p = 0; p < t.plane(); p++) {
                    double v = t.data[ch * t.plane() + p];
                    sum += v;
                    sq += v * v;
                    count++;
                }
            }
            double mean = sum / count;
            double var = sq / count - mean * mean;
            double scale = gamma[ch] / Math.sqrt(var + NetworkSpec.BN_EPSILON);
            for (int n = 0; n < conv.size(); n++) {
                Tensor t = conv.get(n);
                for (int p = 0; p < t.plane(); p++) {
                    double v = (t.data[ch * t.plane() + p] - mean) * scale + beta[ch];
                    double expected = v > 0 ? v : Math.expm1(v);
                    assertEquals(expected, y[(n * t.plane() + p) * c + ch], 1e-4, "channel " + ch + " pixel " + p);
                }
            }
        }
    }

    @Test
    void simulatedInt4EqualsQuantizedModel() {
        NetworkSpec spec = NetworkSpec.qwnet();
        long compared = 0;
        long differing = 0;
        for (int[] size : new int[][] {{32, 32}, {32, 48}}) {
            int h = size[0];
            int w = size[1];
            Weights weights = TrainTestSupport.randomWeights(spec, 11 + h + w);
            List<Tensor> ia = new ArrayList<>();
            List<Tensor> iw = new ArrayList<>();
            for (int n = 0; n < BATCH; n++) {
                ia.add(TrainTestSupport.randomImage(h, w, 100 + n));
                iw.add(TrainTestSupport.randomImage(h, w, 200 + n));
            }
            Map<String, float[]> tfValues = runGraph(spec, weights, ia, iw, NetworkGraph.Mode.SIMULATED_QUANT);
            QuantizedModel model = new QuantizedModel(spec, weights);
            for (int n = 0; n < BATCH; n++) {
                QuantizedModel.Result r = model.runAll(ia.get(n), iw.get(n));
                for (String name : r.codes().keySet()) {
                    Tensor ref = model.dequantized(r, name);
                    ActivationQuant q = model.tensorQuant(name);
                    Tensor t = TrainTestSupport.chw(tfValues.get(name), n, ref.channels, ref.height, ref.width);
                    long distinct = java.util.stream.IntStream.range(0, t.data.length).mapToDouble(i -> t.data[i])
                            .distinct().count();
                    assertTrue(distinct <= 1 << q.bits(), name + ": " + distinct + " distinct values, not quantized");
                    for (int i = 0; i < ref.data.length; i++) {
                        compared++;
                        double diff = Math.abs(t.data[i] - ref.data[i]);
                        if (diff > 1e-6 * Math.max(1, Math.abs(ref.data[i]))) {
                            differing++;
                            assertTrue(diff <= q.scale() * 1.0001, name + " element " + i + ": " + t.data[i]
                                    + " vs " + ref.data[i] + ", more than one level " + q.scale());
                        }
                    }
                }
                Tensor out = r.floats().get(spec.output());
                Tensor t = TrainTestSupport.chw(tfValues.get(spec.output()), n, 3, h, w);
                int far = 0;
                for (int i = 0; i < out.data.length; i++) {
                    if (Math.abs(out.data[i] - t.data[i]) > 1e-4) {
                        far++;
                    }
                }
                assertTrue(far <= out.data.length / 100, far + " output values differ by more than 1e-4");
            }
        }
        assertTrue(compared > 1_000_000, "compared " + compared);
        assertTrue(differing * 1000 < compared, differing + " of " + compared + " quantized values differ");
        System.out.printf("simulated INT4 vs QuantizedModel: %d of %d quantized values differ (each by one level)%n",
                differing, compared);
    }
}
