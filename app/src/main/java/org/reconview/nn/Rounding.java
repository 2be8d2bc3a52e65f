package org.reconview.nn;

/**
 * The rounding bracket of the paper's quantizer (Thomas et al. 2020, section 5, eqs. 5, 7 and 9). The printed text
 * shows a floor bracket, but it lost a rounding mark: Jain et al. 2019, whose trained thresholds the paper follows,
 * and the authors' released sample round to nearest. Rounding to nearest is computed as {@code floor(v + 0.5)} in
 * every path (Java golden model, GLSL, CUDA, training graph), so halves round towards +infinity: 2.5 -> 3 and
 * -2.5 -> -2 (unlike C's {@code std::round}, which rounds halves away from zero).
 *
 * <p>The argument is evaluated in double precision: a float promoted to double plus 0.5 is exact, so
 * {@code round(0.49999997f)} is 0. The float expression {@code floor(v + 0.5f)}, as TensorFlow's fake-quant functor
 * and a naive shader write it, gives 1 for that single float value (0.5 - 2^-25) because the float sum rounds up to
 * 1.0; {@code QuantTfAgreementTest} pins that difference.
 */
public enum Rounding {
    /** Round to nearest, halves up: {@code floor(v + 0.5)}. The default. */
    NEAREST_UP,
    /**
     * The printed bracket taken literally: {@code floor(v)}, in eq. 5 (l_a = s floor(l / s) <= l) and eq. 7. Kept
     * as an ablation only: it biases Q' by -s/2 and is fragile at grid points under float division.
     */
    FLOOR;

    /** The integer this rounding gives for {@code v} (a finite value of at most 2^31 in magnitude). */
    public int round(double v) {
        double r = this == NEAREST_UP ? Math.floor(v + 0.5) : Math.floor(v);
        return (int) r;
    }
}
