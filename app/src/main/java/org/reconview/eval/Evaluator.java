package org.reconview.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import org.reconview.gl.Texture2D;
import org.reconview.io.FloatImage;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.FrameMetrics;
import org.reconview.metrics.TemporalProfile;
import org.reconview.nn.BitOps;
import org.reconview.recon.Methods;
import org.reconview.recon.Reconstructor;
import org.reconview.source.Frame;
import org.reconview.source.FrameSource;

/**
 * Runs reconstruction methods over a frame source and measures each frame against the reference on the GPU with the
 * metrics of {@link FrameMetrics} asked for (by default PSNR, SSIM, the paper's temporal error and LDR-FLIP). Collects temporal profiles and the crops for comparison sheets. The
 * loop reads top to bottom: next frame, warp the previous reference, then per method reconstruct, measure, remember.
 */
public final class Evaluator implements AutoCloseable {
    /**
     * One method's numbers for one frame: every measured metric by id ({@link FrameMetrics}; a temporal one is NaN on
     * a frame without a previous one: first, cut); avgBits (MAC-weighted activation bits of the feature extractor's
     * 4-bit-weight convs) and bitops (per frame, at the network's padded size) are NaN for methods that are not
     * networks.
     */
    public record FrameResult(int frame, String method, Map<String, Double> metrics, boolean cut, double avgBits,
                              double bitops) {
        public FrameResult {
            metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }

        /** A metric's value, NaN where it was not measured. */
        public double metric(String id) {
            Double v = metrics.get(id);
            return v == null ? Double.NaN : v;
        }

        public double psnr() {
            return metric("psnr");
        }

        public double ssim() {
            return metric("ssim");
        }

        public double temporalError() {
            return metric("temporal_error");
        }
    }

    /**
     * What to run and measure. {@code crop} is {x, y, w, h} in pixels for comparison sheets; {@code metrics} the
     * {@link FrameMetrics} ids.
     */
    public record Options(List<String> methods, Methods.Config config, DisplayEncoding encoding, int start, int frames,
            TemporalProfile.Axis profileAxis, int profileIndex, Set<Integer> compareFrames, int[] crop,
            List<String> metrics, boolean errorMaps) {
        /** Without error maps. */
        public Options(List<String> methods, Methods.Config config, DisplayEncoding encoding, int start, int frames,
                TemporalProfile.Axis profileAxis, int profileIndex, Set<Integer> compareFrames, int[] crop,
                List<String> metrics) {
            this(methods, config, encoding, start, frames, profileAxis, profileIndex, compareFrames, crop, metrics,
                    false);
        }

        /** With the default metrics. */
        public Options(List<String> methods, Methods.Config config, DisplayEncoding encoding, int start, int frames,
                TemporalProfile.Axis profileAxis, int profileIndex, Set<Integer> compareFrames, int[] crop) {
            this(methods, config, encoding, start, frames, profileAxis, profileIndex, compareFrames, crop,
                    FrameMetrics.DEFAULT);
        }
    }

    /**
     * Everything measured; compare crops are linear HDR, keyed by frame then method (the reference included), and
     * with {@code errorMaps} the whole frames of the compare frames alike (empty otherwise).
     */
    public record Result(List<FrameResult> rows, Map<String, TemporalProfile> profiles,
            Map<Integer, Map<String, FloatImage>> crops, List<Integer> cuts, double secondsPerFrame,
            Map<String, String> implementations, Map<String, Map<String, Map<Integer, Long>>> bitHistograms,
            Map<String, BitsVsContent> bitsVsContent, Map<Integer, Map<String, FloatImage>> fullFrames) {
    }

    private final FrameSource source;
    private final Options options;
    private final Map<String, Reconstructor> methods = new LinkedHashMap<>();
    private final SequenceMeasurer measurer;

    public Evaluator(FrameSource source, Options options) {
        this.source = source;
        this.options = options;
        int w = source.width();
        int h = source.height();
        for (String name : options.methods()) {
            methods.put(name, Methods.create(name, options.config()));
        }
        measurer = new SequenceMeasurer(w, h, options.metrics());
    }

    /** Receives every method's output of every frame (linear RGBA, row 0 = top), e.g. to save it. */
    public interface OutputSink {
        void accept(int frame, String method, FloatImage output);
    }

    public Result run(IntConsumer progress) {
        return run(progress, null);
    }

    /** As {@link #run(IntConsumer)}, handing each output to {@code sink} (null: none) as it is made. */
    public Result run(IntConsumer progress, OutputSink sink) {
        List<FrameResult> rows = new ArrayList<>();
        Map<String, TemporalProfile> profiles = new LinkedHashMap<>();
        for (String name : options.methods()) {
            profiles.put(name, new TemporalProfile(options.profileAxis(), options.profileIndex()));
        }
        if (!profiles.containsKey("reference")) {
            profiles.put("reference", new TemporalProfile(options.profileAxis(), options.profileIndex()));
        }
        Map<Integer, Map<String, FloatImage>> crops = new TreeMap<>();
        Map<Integer, Map<String, FloatImage>> full = new TreeMap<>();
        List<Integer> cuts = new ArrayList<>();
        Map<String, Map<String, Map<Integer, Long>>> histograms = new LinkedHashMap<>();
        Map<String, BitsVsContent> content = new LinkedHashMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < options.frames(); i++) {
            int k = options.start() + i;
            Frame f = source.frame(k);
            if (!f.hasReference()) {
                throw new IllegalStateException("frame " + k + " has no reference");
            }
            if (!measurer.beginFrame(f)) {
                cuts.add(k);
            }
            boolean compare = options.compareFrames().contains(k);
            Map<String, FloatImage> frameCrops = compare ? new LinkedHashMap<>() : null;
            for (Map.Entry<String, Reconstructor> e : methods.entrySet()) {
                String name = e.getKey();
                Texture2D out = e.getValue().reconstruct(f);
                Map<String, Double> m = measurer.measure(name, out, options.encoding(), null);
                BitOps.Frame cost = e.getValue().lastCost();
                rows.add(new FrameResult(k, name, m, f.cut(), cost == null ? Double.NaN : cost.avgBits(),
                        cost == null ? Double.NaN : cost.bitops()));
                org.reconview.recon.NetworkReconstructor.TileBits tb = e.getValue().tileBits();
                if (tb != null) {
                    content.computeIfAbsent(name, x -> new BitsVsContent()).add(k, tb.gradient(), tb.meanBits());
                }
                if (cost != null && !cost.tiles().isEmpty()) {
                    Map<String, Map<Integer, Long>> h = histograms.computeIfAbsent(name, x -> new LinkedHashMap<>());
                    cost.tiles().forEach((layer, byWidth) -> byWidth.forEach((b, n) -> h
                            .computeIfAbsent(layer, x -> new TreeMap<>()).merge(b, (long) n, Long::sum)));
                }
                boolean keepWhole = compare && options.errorMaps();
                FloatImage image = sink != null || keepWhole ? whole(out) : null; // one read-back serves both
                if (sink != null) {
                    sink.accept(k, name, image);
                }
                measurer.remember(name, out);
                profiles.get(name).append(out);
                if (compare) {
                    frameCrops.put(name, crop(out));
                    if (keepWhole) {
                        full.computeIfAbsent(k, x -> new LinkedHashMap<>()).put(name, image);
                    }
                }
            }
            if (compare && options.errorMaps()) {
                full.computeIfAbsent(k, x -> new LinkedHashMap<>()).put("reference", whole(f.reference()));
            }
            if (!methods.containsKey("reference")) {
                profiles.get("reference").append(f.reference());
                if (compare) {
                    frameCrops.put("reference", crop(f.reference()));
                }
            }
            if (compare) {
                crops.put(k, frameCrops);
            }
            measurer.endFrame();
            progress.accept(i + 1);
        }
        double seconds = (System.nanoTime() - start) / 1e9 / Math.max(1, options.frames());
        Map<String, String> implementations = new LinkedHashMap<>();
        methods.forEach((name, r) -> implementations.put(name, r.description()));
        return new Result(rows, profiles, crops, cuts, seconds, implementations, histograms, content, full);
    }

    private static FloatImage whole(Texture2D t) {
        return new FloatImage(t.width(), t.height(), 4, t.download(4));
    }

    private FloatImage crop(Texture2D t) {
        int[] c = options.crop();
        return new FloatImage(c[2], c[3], 4, t.download(c[0], c[1], c[2], c[3], 4));
    }

    @Override
    public void close() {
        methods.values().forEach(Reconstructor::close);
        measurer.close();
    }
}
