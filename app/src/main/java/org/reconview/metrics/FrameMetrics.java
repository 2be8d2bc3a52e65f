package org.reconview.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.reconview.UserException;

/**
 * The registry of per-frame metrics: each is named here once, with its factory; {@code eval}, its report and the
 * viewer iterate {@link #ids()} and never name a metric. The factories share one {@link Passes} (one GPU pass object
 * per kind and image size). {@link #DEFAULT} is what {@code eval} measures without {@code --metrics}: HDR-FLIP runs
 * LDR-FLIP at about eleven exposures, seconds per frame on llvmpipe, so it is asked for by name.
 */
public final class FrameMetrics implements AutoCloseable {
    /** The GPU passes metrics share, made on first use, for one image size. */
    public static final class Passes implements AutoCloseable {
        private final int width;
        private final int height;
        private GpuMetrics metrics;
        private GpuFlip flip;

        Passes(int width, int height) {
            this.width = width;
            this.height = height;
        }

        public GpuMetrics metrics() {
            if (metrics == null) {
                metrics = new GpuMetrics(width, height);
            }
            return metrics;
        }

        public GpuFlip flip() {
            if (flip == null) {
                flip = new GpuFlip();
            }
            return flip;
        }

        @Override
        public void close() {
            if (metrics != null) {
                metrics.close();
            }
            if (flip != null) {
                flip.close();
            }
        }
    }

    private static final Map<String, Function<Passes, FrameMetric>> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("psnr", PsnrSsimMetrics::psnr);
        REGISTRY.put("ssim", PsnrSsimMetrics::ssim);
        REGISTRY.put("temporal_error", TemporalErrorMetric::new);
        REGISTRY.put("ldr_flip", FlipMetrics::ldr);
        REGISTRY.put("hdr_flip", FlipMetrics::hdr);
    }

    /** What eval measures by default (every registered metric but HDR-FLIP). */
    public static final List<String> DEFAULT = List.of("psnr", "ssim", "temporal_error", "ldr_flip");
    /**
     * What the viewer measures until the panel switches more on: FLIP costs about a second per method and frame at
     * 256x256 on llvmpipe, which the viewer would pay on every frame.
     */
    public static final List<String> VIEWER_DEFAULT = List.of("psnr", "ssim", "temporal_error");

    private final Passes passes;
    private final List<FrameMetric> metrics = new ArrayList<>();

    /** The named metrics (registry order kept as given) for images of {@code width x height}. */
    public FrameMetrics(int width, int height, List<String> ids) {
        passes = new Passes(width, height);
        for (String id : ids) {
            metrics.add(REGISTRY.get(check(id)).apply(passes));
        }
    }

    /** Every registered metric id, in registry order (frames.csv's column order). */
    public static List<String> ids() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** One instance of every registered metric (for titles, units and directions; no GPU work until measured). */
    public static List<FrameMetric> describe() {
        Passes none = new Passes(0, 0);
        List<FrameMetric> out = new ArrayList<>();
        REGISTRY.values().forEach(f -> out.add(f.apply(none)));
        return out;
    }

    /** {@code --metrics} text: known ids, comma-separated, no repeats. */
    public static List<String> parse(String option, String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String id = part.trim();
            if (id.isEmpty()) {
                throw new UserException(option + ": empty metric name in '" + text + "'");
            }
            if (!REGISTRY.containsKey(id)) {
                throw new UserException(option + ": unknown metric '" + id + "' (known: "
                        + String.join(", ", REGISTRY.keySet()) + ")");
            }
            if (out.contains(id)) {
                throw new UserException(option + ": metric '" + id + "' given twice");
            }
            out.add(id);
        }
        return List.copyOf(out);
    }

    private static String check(String id) {
        if (!REGISTRY.containsKey(id)) {
            throw new IllegalArgumentException("unknown metric " + id + " (known: " + REGISTRY.keySet() + ")");
        }
        return id;
    }

    public List<FrameMetric> metrics() {
        return metrics;
    }

    /** The map behind metric {@code id}'s last measure ({@link FrameMetric#lastMap}), or null. */
    public org.reconview.gl.Texture2D lastMap(String id) {
        for (FrameMetric m : metrics) {
            if (m.id().equals(id)) {
                return m.lastMap();
            }
        }
        return null;
    }

    /** Every metric of one method's frame, by id, in the order asked for. */
    public Map<String, Double> measure(FrameMetric.Inputs in) {
        return measure(in, null);
    }

    /** As {@link #measure(FrameMetric.Inputs)}, only the metrics in {@code enabled} (null: all). */
    public Map<String, Double> measure(FrameMetric.Inputs in, java.util.Set<String> enabled) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (FrameMetric m : metrics) {
            if (enabled == null || enabled.contains(m.id())) {
                out.put(m.id(), m.temporal() && !in.hasPrevious() ? Double.NaN : m.measure(in));
            }
        }
        return out;
    }

    @Override
    public void close() {
        passes.close();
    }
}
