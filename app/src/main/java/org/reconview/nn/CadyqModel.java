package org.reconview.nn;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reconview.nn.LayerSpec.Activation;

/**
 * QW-Net with CADyQ bit selection in integer arithmetic, in plain Java: the golden model of the GPU path (see
 * {@link CadyqSpec} for the method and its choices).
 *
 * <p>Where it differs from {@link QuantizedModel}: the feature extractor's tensors after each conv are kept as the
 * float values after ELU (the "carrier"), and each conv quantizes its input when it reads it. Max pooling, nearest
 * upsampling and concatenation act on those floats; because Q is monotone and the concatenated tensors share one
 * range, that gives the same codes as {@link QuantizedModel}'s pooling of codes, so with every tile at 4 bits and the
 * 4-bit thresholds equal to QW-Net's this model is QW-Net exactly ({@code CadyqModelTest}).
 * <ul>
 * <li>The input conv (8-bit input codes of {@code fe.input}) and the kernel-prediction convs (the decoder outputs
 * quantized with their range's plain thresholds, 4 bits) run as in QW-Net.</li>
 * <li>A selected conv: its selector picks a width per tile ({@link BitSelector#choose}); the input is quantized with
 * each width in use's quantizer ({@code RANGE.bB.t_l/t_u}) over the whole image, and each tile's output pixels
 * accumulate in int32 from the codes of the tile's width (zero-point padding of that width), halo included; then
 * y = alpha_b acc + c_b, ELU.</li>
 * </ul>
 * Sizes must be multiples of the tile.
 */
public final class CadyqModel {
    private final CadyqSpec spec;
    private final Weights weights;
    /** Fixed-width quantizers of the plain ranges (the input, and the kernel-prediction convs' inputs). */
    private final Map<String, ActivationQuant> ranges = new LinkedHashMap<>();
    /** Per selected range and candidate width. */
    private final Map<String, Map<Integer, ActivationQuant>> widthRanges = new LinkedHashMap<>();
    /** Fixed convs (input conv, kernel prediction). */
    private final Map<String, QuantizedConv> fixed = new LinkedHashMap<>();
    /** Selected convs, one integer form per candidate width (the input quantizer differs). */
    private final Map<String, Map<Integer, QuantizedConv>> selected = new LinkedHashMap<>();

    /**
     * Every tensor of one run: {@link #floats} (inputs, gradients, the float carriers after each feature-extractor
     * conv, kernels, the filter network), {@link #accumulators} of every conv (OHW; for a selected conv, each pixel's
     * from its tile's width), {@link #bits} of every selected conv (widths per tile, row-major on the one tile grid),
     * and {@link #tileGradients} ([tile][2]).
     */
    public record Result(int height, int width, int tilesY, int tilesX, Map<String, int[]> bits,
                         Map<String, int[]> accumulators, Map<String, Tensor> floats, float[] tileGradients) {
    }

    public CadyqModel(CadyqSpec spec, Weights weights) {
        this.spec = spec;
        this.weights = weights;
        NetworkSpec net = spec.base();
        for (String r : net.quantRanges()) {
            ranges.put(r, ActivationQuant.fromThresholds(weights.floats(r + ".t_l")[0],
                    weights.floats(r + ".t_u")[0], net.rangePrecision(r).bits(), Rounding.NEAREST_UP));
        }
        for (String r : spec.selectedRanges()) {
            Map<Integer, ActivationQuant> byWidth = new LinkedHashMap<>();
            for (int b : spec.candidates()) {
                byWidth.put(b, ActivationQuant.fromThresholds(
                        weights.floats(CadyqSpec.threshold(r, b, "t_l"))[0],
                        weights.floats(CadyqSpec.threshold(r, b, "t_u"))[0], b, Rounding.NEAREST_UP));
            }
            widthRanges.put(r, byWidth);
        }
        for (LayerSpec l : net.layers()) {
            if (!l.op().isConv()) {
                continue;
            }
            if (spec.isSelected(l.name())) {
                Map<Integer, QuantizedConv> byWidth = new LinkedHashMap<>();
                for (Map.Entry<Integer, ActivationQuant> e : widthRanges.get(spec.inputRange(l)).entrySet()) {
                    byWidth.put(e.getKey(), QuantizedConv.of(l, weights, e.getValue(), null));
                }
                selected.put(l.name(), byWidth);
            } else {
                fixed.put(l.name(), QuantizedConv.of(l, weights, ranges.get(spec.inputRange(l)), null));
            }
        }
    }

    public CadyqSpec spec() {
        return spec;
    }

    /** The quantizer of a selected range at a candidate width. */
    public ActivationQuant range(String range, int bits) {
        Map<Integer, ActivationQuant> m = widthRanges.get(range);
        if (m == null || !m.containsKey(bits)) {
            throw new IllegalArgumentException("no " + bits + "-bit quantizer for range '" + range + "'");
        }
        return m.get(bits);
    }

    /** A selected conv's integer form at a width. */
    public QuantizedConv conv(String layer, int bits) {
        Map<Integer, QuantizedConv> m = selected.get(layer);
        if (m == null || !m.containsKey(bits)) {
            throw new IllegalArgumentException("no " + bits + "-bit form of conv '" + layer + "'");
        }
        return m.get(bits);
    }

    /** A fixed-width conv's integer form (the input conv, the kernel-prediction convs). */
    public QuantizedConv fixedConv(String layer) {
        QuantizedConv c = fixed.get(layer);
        if (c == null) {
            throw new IllegalArgumentException("no fixed-width conv '" + layer + "'");
        }
        return c;
    }

    /** The output image (PQ-encoded RGB, scale 0). */
    public Tensor run(Tensor aliased, Tensor warped) {
        return runAll(aliased, warped).floats().get(spec.base().output());
    }

    /** Runs the network on I_a and I_w (PQ-encoded RGB, CHW). */
    public Result runAll(Tensor aliased, Tensor warped) {
        NetworkSpec net = spec.base();
        int h = aliased.height;
        int w = aliased.width;
        int tilesY = spec.tiles(h);
        int tilesX = spec.tiles(w);
        float[] grads = BitSelector.tileGradients(aliased, spec.tile());
        Map<String, int[]> bits = new LinkedHashMap<>();
        Map<String, int[]> acc = new HashMap<>();
        Map<String, Tensor> floats = new HashMap<>();
        floats.put(NetworkSpec.INPUT_ALIASED, aliased);
        floats.put(NetworkSpec.INPUT_WARPED, warped);
        for (LayerSpec l : net.layers()) {
            int lh = h >> l.scale();
            int lw = w >> l.scale();
            String n = l.name();
            switch (l.op()) {
                // float carriers throughout (fe.input too: the input conv quantizes it to 8 bits)
                case GRADIENT_MAGNITUDE, CONCAT, MAXPOOL2, UPSAMPLE_NEAREST2, AVGPOOL2, UPSAMPLE_BILINEAR2,
                        KERNEL_FILTER -> floats.put(n, GoldenModel.weightless(net, l, GoldenModel.inputs(l, floats)));
                case CONV3X3, CONV1X1 -> {
                    Tensor in = floats.get(l.inputs().get(0));
                    int[] a;
                    QuantizedConv[] perPixel;
                    if (spec.isSelected(n)) {
                        int tileAt = spec.tile(l.scale());
                        int[] b = BitSelector.choose(grads, in, tileAt, weights.floats(CadyqSpec.selectorWeight(n)),
                                weights.floats(CadyqSpec.selectorBias(n)), spec.candidates());
                        bits.put(n, b);
                        a = new int[l.outChannels() * lh * lw];
                        perPixel = new QuantizedConv[lh * lw];
                        Map<Integer, QuantizedConv> forms = selected.get(n);
                        Map<Integer, int[]> codes = new HashMap<>();
                        for (int t = 0; t < b.length; t++) {
                            QuantizedConv c = forms.get(b[t]);
                            int[] v = codes.computeIfAbsent(b[t], k -> c.input().codes(in.data));
                            int tyy = t / tilesX;
                            int txx = t % tilesX;
                            IntegerConv.accumulate(v, l.inChannels(), lh, lw, c.input().zeroPoint(),
                                    c.weights().codes(), l.outChannels(), l.op().kernelSize(), txx * tileAt,
                                    tyy * tileAt, (txx + 1) * tileAt, (tyy + 1) * tileAt, a);
                            for (int y = tyy * tileAt; y < (tyy + 1) * tileAt; y++) {
                                for (int x = txx * tileAt; x < (txx + 1) * tileAt; x++) {
                                    perPixel[y * lw + x] = c;
                                }
                            }
                        }
                    } else {
                        QuantizedConv c = fixed.get(n);
                        a = c.accumulate(c.input().codes(in.data), lh, lw);
                        perPixel = null;
                    }
                    acc.put(n, a);
                    Tensor y = perPixel == null ? fixed.get(n).epilogue(a, lh, lw) : epilogue(a, perPixel, l, lh, lw);
                    if (l.activation() == Activation.ELU) {
                        FloatOps.elu(y);
                    } else if (l.activation() == Activation.SOFTMAX) {
                        FloatOps.softmaxChannels(y);
                    }
                    floats.put(n, y);
                }
            }
        }
        return new Result(h, w, tilesY, tilesX, Collections.unmodifiableMap(bits), Collections.unmodifiableMap(acc),
                Collections.unmodifiableMap(floats), grads);
    }

    /** y = alpha_o acc + c_o with each pixel's own width's alpha and c (two float roundings, as QuantizedConv). */
    private static Tensor epilogue(int[] acc, QuantizedConv[] perPixel, LayerSpec l, int h, int w) {
        Tensor y = new Tensor(l.outChannels(), h, w);
        int plane = h * w;
        for (int i = 0; i < acc.length; i++) {
            int o = i / plane;
            QuantizedConv c = perPixel[i % plane];
            float product = c.alpha()[o] * (float) acc[i];
            y.data[i] = product + c.c()[o];
        }
        return y;
    }

}
