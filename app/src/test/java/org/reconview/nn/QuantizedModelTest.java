package org.reconview.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reconview.nn.LayerSpec.Op;

/**
 * The golden INT4 QW-Net ({@link QuantizedModel}) against a re-computation through the paper's equations (section 5)
 * written out here: BN folded in double, weights checked as per-channel symmetric round-to-nearest codes, the conv of
 * the dequantized tensors in double with zero padding, ELU, and eq. 7 requantization. A code may differ by one level
 * only where the float value lies within 1e-4 of a rounding boundary, on under 0.1% of elements.
 */
class QuantizedModelTest {
    static final double BOUNDARY = 1e-4;

    /** Eq. 7 in double: M_l at or below lo, M_u at or above hi, else z + floor(y / s + 0.5). */
    static int requantize(double y, ActivationQuant q) {
        if (y <= q.lo()) {
            return q.codeMin();
        }
        if (y >= q.hi()) {
            return q.codeMax();
        }
        return (int) Math.max(q.codeMin(), Math.min(q.codeMax(), q.zeroPoint() + Math.floor(y / q.scale() + 0.5)));
    }

    /** Whether y lies within BOUNDARY of a rounding boundary of q (a half step, or the ends of the range). */
    static boolean nearBoundary(double y, ActivationQuant q) {
        double f = y / q.scale() - Math.floor(y / q.scale());
        return Math.abs(f - 0.5) * q.scale() < BOUNDARY || Math.abs(y - q.lo()) < BOUNDARY
                || Math.abs(y - q.hi()) < BOUNDARY;
    }

    /** Counts of compared elements and of one-level differences at boundaries; fails on anything else. */
    static final class Tally {
        long elements;
        long offByOne;

        void compare(String what, int expected, int actual, double y, ActivationQuant q) {
            elements++;
            if (expected != actual) {
                assertTrue(Math.abs(expected - actual) == 1 && nearBoundary(y, q),
                        what + ": code " + actual + ", equations give " + expected + " for y = " + y + " (s = "
                                + q.scale() + ", z = " + q.zeroPoint() + ")");
                offByOne++;
            }
        }
    }

    static void checkRun(int h, int w, long seed) {
        NetworkSpec spec = NetworkSpec.qwnet();
        Weights weights = QuantizedTestData.weights(spec, seed);
        QuantizedModel model = new QuantizedModel(spec, weights);
        Random rnd = new Random(seed);
        Tensor ia = QuantizedTestData.image(rnd, h, w);
        Tensor iw = QuantizedTestData.image(rnd, h, w);
        QuantizedModel.Result r = model.runAll(ia, iw);
        Tally tally = new Tally();

        // Ranges: from the thresholds, 8 bits for the input, 4 elsewhere; zero exact.
        for (String range : spec.quantRanges()) {
            ActivationQuant q = model.range(range);
            assertEquals(range.equals("fe.input") ? 8 : 4, q.bits(), range);
            assertEquals(ActivationQuant.fromThresholds(weights.floats(range + ".t_l")[0],
                    weights.floats(range + ".t_u")[0], q.bits(), Rounding.NEAREST_UP), q, range);
            assertEquals(q.zeroPoint(), q.code(0f), range + ": Q(0) = z");
            assertEquals(0f, q.dequantize(q.zeroPoint()), 0f, range + ": Q'(0) = 0 exactly");
        }
        // Every code tensor within its range's codes.
        for (var e : r.codes().entrySet()) {
            ActivationQuant q = model.tensorQuant(e.getKey());
            for (int v : e.getValue()) {
                assertTrue(v >= q.codeMin() && v <= q.codeMax(), e.getKey() + ": code " + v);
            }
        }
        // The quantized input.
        Tensor input = FloatOps.concat(FloatOps.concat(ia, iw), FloatOps.concat(FloatOps.gradientMagnitude(ia),
                FloatOps.gradientMagnitude(iw)));
        ActivationQuant qIn = model.range("fe.input");
        int[] inCodes = r.codes().get("fe.input");
        for (int i = 0; i < input.data.length; i++) {
            tally.compare("fe.input " + i, requantize(input.data[i], qIn), inCodes[i], input.data[i], qIn);
        }

        for (LayerSpec l : spec.layers()) {
            int lh = h >> l.scale();
            int lw = w >> l.scale();
            String in0 = l.inputs().isEmpty() ? null : l.inputs().get(0);
            if (l.op().isConv()) {
                checkConv(l, weights, model, r, lh, lw, tally);
            } else if (l.op() == Op.MAXPOOL2) {
                assertArrayEquals(FloatOps.maxPool2(model.dequantized(r, in0)).data,
                        model.dequantized(r, l.name()).data, 0f, l.name());
            } else if (l.op() == Op.UPSAMPLE_NEAREST2) {
                assertArrayEquals(FloatOps.upsampleNearest2(model.dequantized(r, in0)).data,
                        model.dequantized(r, l.name()).data, 0f, l.name());
            } else if (l.op() == Op.CONCAT && l.range() != null && !l.name().equals("fe.input")) {
                assertEquals(model.tensorQuant(in0), model.tensorQuant(l.inputs().get(1)), "shared range " + l.name());
                assertArrayEquals(FloatOps.concat(model.dequantized(r, in0),
                        model.dequantized(r, l.inputs().get(1))).data, model.dequantized(r, l.name()).data, 0f,
                        l.name());
            }
        }
        assertTrue(tally.elements > 100_000, "compared " + tally.elements);
        assertTrue(tally.offByOne < tally.elements / 1000, tally.offByOne + " of " + tally.elements
                + " codes one level off at a boundary");
        // The output: a convex combination at every stage keeps PQ values in [0, 1].
        Tensor out = r.floats().get(spec.output());
        assertEquals(3, out.channels);
        for (float v : out.data) {
            assertTrue(v >= -1e-6f && v <= 1 + 1e-6f, "output " + v);
        }
    }

    static void checkConv(LayerSpec l, Weights weights, QuantizedModel model, QuantizedModel.Result r, int h, int w,
            Tally tally) {
        QuantizedConv qc = model.conv(l.name());
        int out = l.outChannels();
        int in = l.inChannels();
        int k = l.op().kernelSize();
        int per = in * k * k;
        // Section 5.2: fold BN in double.
        float[] raw = weights.floats(l.name() + ".weight");
        double[] folded = new double[raw.length];
        double[] bias = new double[out];
        for (int o = 0; o < out; o++) {
            double lambda = 1;
            double b = l.bias() ? weights.floats(l.name() + ".bias")[o] : 0;
            if (l.batchNorm()) {
                String bn = l.name() + ".bn.";
                lambda = weights.floats(bn + "gamma")[o]
                        / Math.sqrt(weights.floats(bn + "var")[o] + (double) NetworkSpec.BN_EPSILON);
                b = weights.floats(bn + "beta")[o] + lambda * (b - weights.floats(bn + "mean")[o]);
            }
            bias[o] = b;
            for (int i = o * per; i < (o + 1) * per; i++) {
                folded[i] = lambda * raw[i];
            }
        }
        // Eq. 3 + section 5.1: s_w = 2 max|w_o| / (2^b - 1), u = round(w / s_w), |u| <= 2^(b-1) - 1.
        int bits = l.weightPrecision().bits();
        assertEquals(l.stage() == LayerSpec.Stage.INPUT_CONV || l.stage() == LayerSpec.Stage.KERNEL_PREDICTION
                ? 8 : 4, bits, l.name() + " weight bits");
        int limit = (1 << (bits - 1)) - 1;
        float[] wDeq = qc.weights().dequantize();
        for (int o = 0; o < out; o++) {
            double max = 0;
            for (int i = o * per; i < (o + 1) * per; i++) {
                max = Math.max(max, Math.abs(folded[i]));
            }
            double s = 2 * max / ((1 << bits) - 1);
            assertEquals(s, qc.weights().scales()[o], 1e-6 * s, l.name() + " s_w," + o);
            for (int i = o * per; i < (o + 1) * per; i++) {
                int u = qc.weights().codes()[i];
                assertTrue(Math.abs(u) <= limit, l.name() + " weight code " + u);
                double e = folded[i] / s - u;
                assertTrue(Math.abs(e) <= 0.5 + 1e-4 || (Math.abs(u) == limit && Math.abs(e) <= 1 + 1e-4),
                        l.name() + " weight " + i + ": " + folded[i] + " / " + s + " -> " + u);
            }
        }
        // The conv of the dequantized input codes and weights, in double with zero padding, plus the folded bias.
        ActivationQuant qIn = model.tensorQuant(l.inputs().get(0));
        float[] x = qIn.dequantize(r.codes().get(l.inputs().get(0)));
        float[] fb = new float[out];
        for (int o = 0; o < out; o++) {
            fb[o] = (float) bias[o];
        }
        double[] y = IntegerConv.referenceConv(x, in, h, w, wDeq, out, fb, k);
        // The accumulators reproduce it through y = alpha acc + c.
        int[] acc = r.accumulators().get(l.name());
        double maxY = 1e-3;
        for (double v : y) {
            maxY = Math.max(maxY, Math.abs(v));
        }
        int plane = h * w;
        for (int i = 0; i < y.length; i++) {
            int o = i / plane;
            assertEquals(y[i], (double) qc.alpha()[o] * acc[i] + qc.c()[o], 1e-5 * maxY, l.name() + " acc " + i);
        }
        if (l.range() != null) {
            ActivationQuant qOut = model.range(l.range());
            int[] codes = r.codes().get(l.name());
            for (int i = 0; i < y.length; i++) {
                double e = y[i] > 0 ? y[i] : Math.expm1(y[i]);
                tally.compare(l.name() + " " + i, requantize(e, qOut), codes[i], e, qOut);
            }
        } else {
            // Kernel prediction: FP32 out, softmax over the channels.
            Tensor t = new Tensor(out, h, w);
            for (int i = 0; i < y.length; i++) {
                t.data[i] = (float) y[i];
            }
            FloatOps.softmaxChannels(t);
            assertArrayEquals(t.data, r.floats().get(l.name()).data, 1e-5f, l.name());
        }
    }

    @Test
    void codesFollowTheEquationsAt64x64() {
        checkRun(64, 64, 11);
    }

    @Test
    void codesFollowTheEquationsAt48x32() {
        checkRun(32, 48, 12);
    }

    @Test
    void paddingUsesTheZeroPointsCode() {
        // An all-zero frame: fe.input is all zero point, and every border accumulator of the input conv equals the
        // interior one (padding taps contribute u (z - z) = 0 in the real domain, so acc is z sum(u) everywhere).
        NetworkSpec spec = NetworkSpec.qwnet();
        QuantizedModel model = new QuantizedModel(spec, QuantizedTestData.weights(spec, 3));
        Tensor zero = new Tensor(3, 32, 32);
        QuantizedModel.Result r = model.runAll(zero, zero);
        ActivationQuant q = model.range("fe.input");
        for (int v : r.codes().get("fe.input")) {
            assertEquals(q.zeroPoint(), v);
        }
        QuantizedConv c = model.conv("fe.enc0.conv0");
        long[] sums = c.weights().codeSums();
        int[] acc = r.accumulators().get("fe.enc0.conv0");
        for (int i = 0; i < acc.length; i++) {
            assertEquals(q.zeroPoint() * sums[i / (32 * 32)], acc[i], "acc " + i);
        }
    }

    @Test
    void refusesTheUNet() {
        assertThrows(IllegalArgumentException.class,
                () -> new QuantizedModel(NetworkSpec.unet(), Weights.random(NetworkSpec.unet(), 1)));
    }
}
