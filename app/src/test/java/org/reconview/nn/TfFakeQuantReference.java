package org.reconview.nn;

/**
 * TensorFlow's {@code FakeQuantWithMinMaxVars} (per-tensor, float32), re-implemented operation by operation from
 * {@code tensorflow/core/kernels/fake_quant_ops_functor.h} ({@code Nudge} and {@code FakeQuantWithMinMaxVarsFunctor}),
 * as a stand-in until TensorFlow Java arrives with the training issue; then a test against the real op replaces
 * this one as the authority.
 *
 * <p>Nudge: quant_min = narrow_range ? 1 : 0, quant_max = 2^num_bits - 1; scale = (max - min) / (quant_max -
 * quant_min); inv_scale = (quant_max - quant_min) / (max - min); zero_point_from_min = quant_min - min / scale;
 * nudged_zero_point = quant_min if below, quant_max if above, else std::round (half away from zero);
 * nudged_min = (quant_min - nudged_zero_point) scale; nudged_max = (quant_max - nudged_zero_point) scale.
 *
 * <p>Two versions of the output expression exist. {@link Version#CURRENT} (TF 2.x of recent years):
 * quant_zero = floor(-nudged_min inv_scale + 0.5f); out = floor((clamp(x) - nudged_min) / scale - quant_zero +
 * 0.5f) scale, with min == max == 0 giving 0. {@link Version#LEGACY} (older TF): out = floor((clamp(x) -
 * nudged_min) / scale + 0.5f) scale + nudged_min. All arithmetic is float32, each operation rounded as C++ does it;
 * note the rounding to nearest there is floor(v + 0.5f) evaluated in float.
 */
final class TfFakeQuantReference {

    enum Version { CURRENT, LEGACY }

    /** Nudge's results; zeroPoint is TensorFlow's unsigned nudged_zero_point in [quant_min, quant_max]. */
    record Nudged(float min, float max, float scale, float invScale, int zeroPoint) {
    }

    private TfFakeQuantReference() {
    }

    static int quantMin(boolean narrowRange) {
        return narrowRange ? 1 : 0;
    }

    static int quantMax(int numBits) {
        return (1 << numBits) - 1;
    }

    /** std::round on a float: halves away from zero, exact. */
    static float stdRound(float v) {
        double a = Math.floor(Math.abs((double) v) + 0.5);
        return (float) Math.copySign(a, v);
    }

    static Nudged nudge(float min, float max, int numBits, boolean narrowRange) {
        float qMin = quantMin(narrowRange);
        float qMax = quantMax(numBits);
        float scale = (max - min) / (qMax - qMin);
        float invScale = (qMax - qMin) / (max - min);
        float zeroPointFromMin = qMin - min / scale;
        int zp;
        if (zeroPointFromMin < qMin) {
            zp = (int) qMin;
        } else if (zeroPointFromMin > qMax) {
            zp = (int) qMax;
        } else {
            zp = (int) stdRound(zeroPointFromMin);
        }
        float nudgedMin = (qMin - zp) * scale;
        float nudgedMax = (qMax - zp) * scale;
        return new Nudged(nudgedMin, nudgedMax, scale, invScale, zp);
    }

    /**
     * The integer level TensorFlow's expression rounds to, relative to the zero point for CURRENT
     * (floor(shifted / scale - quant_zero + 0.5f)) and relative to nudged_min for LEGACY (floor(shifted / scale +
     * 0.5f)).
     */
    static float level(float x, Nudged n, Version version) {
        float clamped = Math.max(Math.min(x, n.max()), n.min());
        float shifted = clamped - n.min();
        if (version == Version.CURRENT) {
            float quantZero = (float) Math.floor(-n.min() * n.invScale() + 0.5f);
            return (float) Math.floor(shifted / n.scale() - quantZero + 0.5f);
        }
        return (float) Math.floor(shifted / n.scale() + 0.5f);
    }

    static float fakeQuant(float x, float min, float max, int numBits, boolean narrowRange, Version version) {
        if (version == Version.CURRENT && min == 0f && max == 0f) {
            return 0f;
        }
        Nudged n = nudge(min, max, numBits, narrowRange);
        float q = level(x, n, version);
        return version == Version.CURRENT ? q * n.scale() : q * n.scale() + n.min();
    }
}
