package org.reconview.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reconview.io.SafeTensors;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;

/**
 * QW-Net's kernel predictions started near a TAA-like blend instead of a multi-scale blur: the kernel-prediction
 * biases make the softmax put weight {@code alpha} on I_a's centre tap and {@code 1 - alpha} on I_w's (an exponential
 * history, as TAA without clipping), the downsampling and bottleneck kernels near the identity, and every upsampling
 * stage near its skip (so the output starts close to the input filter's); the small rest {@code spread} is spread
 * evenly over the other taps so that gradients reach them. The 1x1 weights are scaled down by {@code weightScale}, so
 * the features start by modulating this blend rather than replacing it.
 */
public final class FilterInit {
    public static final float ALPHA = 0.1f;
    public static final float SPREAD = 0.08f;
    public static final float WEIGHT_SCALE = 0.1f;

    private FilterInit() {
    }

    public static Weights taaLike(Weights w, NetworkSpec spec) {
        if (spec.kind() != NetworkSpec.Kind.QWNET) {
            return w;
        }
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>(w.tensors());
        for (NetworkSpec.FilterStage stage : spec.filterStages()) {
            LayerSpec l = spec.layer(stage.kernels());
            int n = stage.kind().weights();
            float[] target = new float[n];
            switch (stage.kind()) {
                case INPUT -> {
                    Arrays.fill(target, SPREAD / 16);
                    target[4] = ALPHA * (1 - SPREAD);
                    target[9 + 4] = (1 - ALPHA) * (1 - SPREAD);
                }
                case DOWN, BOTTLENECK -> {
                    Arrays.fill(target, SPREAD / 8);
                    target[4] = 1 - SPREAD;
                }
                case UP -> {
                    Arrays.fill(target, SPREAD / 9);
                    target[9] = 1 - SPREAD;
                }
            }
            float[] bias = new float[n];
            for (int i = 0; i < n; i++) {
                bias[i] = (float) Math.log(target[i]);
            }
            String b = l.name() + ".bias";
            t.put(b, SafeTensors.Tensor.ofFloats(w.tensor(b).shape(), bias));
            String k = l.name() + ".weight";
            float[] weights = w.floats(k).clone();
            for (int i = 0; i < weights.length; i++) {
                weights[i] *= WEIGHT_SCALE;
            }
            t.put(k, SafeTensors.Tensor.ofFloats(w.tensor(k).shape(), weights));
        }
        Map<String, String> meta = new LinkedHashMap<>(w.metadata());
        meta.put("init", meta.getOrDefault("init", "") + "; kernel predictions TAA-like (alpha " + ALPHA
                + ", skips " + (1 - SPREAD) + ", 1x1 weights x" + WEIGHT_SCALE + ")");
        return new Weights(t, meta, w.source());
    }
}
