package org.reconview.eval;

import com.google.gson.GsonBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reconview.UserException;
import org.reconview.io.TextFiles;
import org.reconview.io.FloatImage;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.FrameMetric;
import org.reconview.metrics.FrameMetrics;
import org.reconview.metrics.TemporalProfile;

/**
 * Writes an evaluation to a folder: {@code summary.json} (means over the frames after warm-up), {@code frames.csv}
 * (every frame and method), {@code profiles/NAME.png}, {@code compare/NNNN.png} and {@code plots/{psnr,ssim,
 * temporal_error}.png}. Every file is written under a temporary name and renamed. An infinite PSNR (identical images)
 * is written as JSON null and as "inf" in the CSV.
 */
public final class EvalReport {
    private EvalReport() {
    }

    /** Describes the run in summary.json: scene or sequence, size, encoding, warm-up, settings. */
    public record Meta(String scene, String source, int width, int height, String encoding, int warmup, String taa,
            String profile, int zoom, RunRecord record, List<List<String>> differences) {
        /** Without a run record (summary.json then has no {@code record}) or difference maps. */
        public Meta(String scene, String source, int width, int height, String encoding, int warmup, String taa,
                String profile, int zoom) {
            this(scene, source, width, height, encoding, warmup, taa, profile, zoom, null, List.of());
        }
    }

    /**
     * Mean of each method's numbers over frames at or after {@code firstMeasured}: every measured metric (registry
     * order; NaN values, such as a temporal metric's first frame, left out; NaN where none is left), then avg_bits
     * and bitops.
     */
    public static Map<String, Map<String, Double>> means(List<Evaluator.FrameResult> rows, int firstMeasured) {
        Map<String, Map<String, double[]>> sums = new LinkedHashMap<>(); // method -> key -> {sum, n}
        for (Evaluator.FrameResult r : rows) {
            if (r.frame() < firstMeasured) {
                continue;
            }
            Map<String, double[]> m = sums.computeIfAbsent(r.method(), k -> {
                Map<String, double[]> keys = new LinkedHashMap<>();
                for (String id : FrameMetrics.ids()) {
                    if (r.metrics().containsKey(id)) {
                        keys.put(id, new double[2]);
                    }
                }
                keys.put("avg_bits", new double[2]);
                keys.put("bitops", new double[2]);
                return keys;
            });
            m.forEach((key, s) -> {
                double v = key.equals("avg_bits") ? r.avgBits() : key.equals("bitops") ? r.bitops() : r.metric(key);
                if (!Double.isNaN(v)) {
                    s[0] += v;
                    s[1]++;
                }
            });
        }
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        sums.forEach((method, m) -> {
            Map<String, Double> v = new LinkedHashMap<>();
            m.forEach((key, s) -> v.put(key, s[1] > 0 ? s[0] / s[1] : Double.NaN));
            out.put(method, v);
        });
        return out;
    }

    public static void write(Path dir, Evaluator.Result result, Meta meta, int firstMeasured) {
        try {
            Files.createDirectories(dir.resolve("profiles"));
            Files.createDirectories(dir.resolve("compare"));
            Files.createDirectories(dir.resolve("plots"));
        } catch (java.io.IOException e) {
            throw new UserException(dir + ": cannot write (" + e.getMessage() + ")");
        }
        Map<String, Map<String, Double>> means = means(result.rows(), firstMeasured);
        writeSummary(dir.resolve("summary.json"), meta, result, means, firstMeasured);
        writeCsv(dir.resolve("frames.csv"), result.rows(), meta.encoding());
        writeBitHistograms(dir.resolve("bits"), result.bitHistograms());
        if (!result.fullFrames().isEmpty()) {
            Path maps = dir.resolve("error-maps");
            try {
                Files.createDirectories(maps);
            } catch (java.io.IOException e) {
                throw new UserException(maps + ": cannot write (" + e.getMessage() + ")");
            }
            DisplayEncoding enc = DisplayEncoding.fromId(meta.encoding());
            result.fullFrames().forEach((frame, images) -> {
                Map<String, FloatImage> methods = new LinkedHashMap<>(images);
                FloatImage reference = methods.remove("reference");
                if (reference != null && !methods.isEmpty()) {
                    ErrorMaps.write(maps, frame, methods, reference, enc, meta.differences());
                }
            });
        }
        for (Map.Entry<String, TemporalProfile> e : result.profiles().entrySet()) {
            Rgb8.writePng(dir.resolve("profiles").resolve(e.getKey() + ".png"), e.getValue().image());
        }
        Map<String, Map<Integer, Evaluator.FrameResult>> byFrame = new LinkedHashMap<>();
        for (Evaluator.FrameResult r : result.rows()) {
            byFrame.computeIfAbsent(r.method(), k -> new LinkedHashMap<>()).put(r.frame(), r);
        }
        result.crops().forEach((frame, crops) -> {
            Map<String, String> captions = new LinkedHashMap<>();
            for (String method : crops.keySet()) {
                Evaluator.FrameResult r = byFrame.getOrDefault(method, Map.of()).get(frame);
                if (r != null && !method.equals("reference") && r.metrics().containsKey("psnr")
                        && r.metrics().containsKey("ssim")) {
                    captions.put(method, String.format(Locale.ROOT, "%s dB  SSIM %.4f",
                            Double.isInfinite(r.psnr()) ? "inf" : String.format(Locale.ROOT, "%.2f", r.psnr()),
                            r.ssim()));
                }
            }
            CompareSheet.write(dir.resolve("compare").resolve(String.format(Locale.ROOT, "%04d.png", frame)), frame, crops,
                    captions, meta.zoom());
        });
        Map<String, List<Evaluator.FrameResult>> byMethod = new LinkedHashMap<>();
        for (Evaluator.FrameResult r : result.rows()) {
            byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
        }
        String enc = " (" + meta.encoding() + ")";
        for (FrameMetric m : FrameMetrics.describe()) {
            if (result.rows().stream().anyMatch(r -> r.metrics().containsKey(m.id()))) {
                String axis = m.unit().isEmpty() ? m.title() : m.title() + " (" + m.unit() + ")";
                Charts.write(dir.resolve("plots").resolve(m.id() + ".png"), m.title() + " per frame" + enc, axis,
                        byMethod, r -> r.metric(m.id()), result.cuts());
            }
        }
    }

    private static Double json(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void writeSummary(Path file, Meta meta, Evaluator.Result result,
            Map<String, Map<String, Double>> means, int firstMeasured) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scene", meta.scene());
        root.put("source", meta.source());
        root.put("size", meta.width() + "x" + meta.height());
        root.put("frames", result.rows().stream().mapToInt(Evaluator.FrameResult::frame).distinct().count());
        root.put("encoding", meta.encoding());
        root.put("warmup", meta.warmup());
        Map<String, Object> methods = new LinkedHashMap<>();
        means.forEach((m, v) -> {
            Map<String, Object> o = new LinkedHashMap<>();
            v.forEach((k, x) -> o.put(k, json(x)));
            methods.put(m, o);
        });
        root.put("methods", methods);
        root.put("implementations", result.implementations());
        Map<String, Object> content = new LinkedHashMap<>();
        result.bitsVsContent().forEach((m, b) -> {
            BitsVsContent.Result r = b.result(firstMeasured);
            if (r != null) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("top_gradient_quarter_bits", r.topQuarterBits());
                o.put("bottom_gradient_quarter_bits", r.bottomQuarterBits());
                o.put("difference", r.difference());
                o.put("tiles", r.tiles());
                content.put(m, o);
            }
        });
        if (!content.isEmpty()) {
            root.put("bits_vs_gradient", content);
        }
        root.put("taa", meta.taa());
        root.put("profile", meta.profile());
        root.put("cuts", result.cuts());
        root.put("seconds_per_frame", result.secondsPerFrame());
        if (meta.record() != null) {
            root.put("record", meta.record().json());
        }
        root.put("notes", "means over frames after warm-up; psnr is the mean of per-frame PSNR in dB on the named "
                + "display encoding; null where infinite (identical images); temporal_error is the paper's eq. 2 "
                + "on the same encoding, over frames that have a previous frame in the same shot; ldr_flip is the mean LDR-FLIP "
                + "(67 pixels per degree) of the images as displayed on that encoding, hdr_flip the mean HDR-FLIP of "
                + "the linear values with the exposures FLIP derives from each frame's reference; avg_bits is the "
                + "MAC-weighted activation width of the feature extractor's 4-bit-weight convs (the ones CADyQ "
                + "selects for), bitops the BitOPs per frame (MACs x weight bits x activation bits over all convs, at"
                + " the network's padded size), null for methods that are not networks; bits/METHOD.csv holds "
                + "CADyQ's per-layer tile counts per width over all evaluated frames; bits_vs_gradient ranks every measured tile of a "
                + "CADyQ method by its image gradient (mean |d/dx| + |d/dy| of the input's luma) and gives the mean "
                + "MAC-weighted width of the top and bottom quarters");
        TextFiles.writeAtomic(file, new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(root)
                + "\n");
    }

    /**
     * Metrics that frames.csv's first version had, in its column order before {@code cut}; every later registered
     * metric follows {@code bitops}, so columns are only ever added at the end.
     */
    private static final List<String> FIRST_COLUMNS = List.of("psnr", "ssim", "temporal_error");

    private static void writeCsv(Path file, List<Evaluator.FrameResult> rows, String encoding) {
        Map<String, FrameMetric> byId = new LinkedHashMap<>();
        FrameMetrics.describe().forEach(m -> byId.put(m.id(), m));
        List<String> later = byId.keySet().stream().filter(id -> !FIRST_COLUMNS.contains(id)).toList();
        StringBuilder sb = new StringBuilder("frame,method,encoding," + String.join(",", FIRST_COLUMNS)
                + ",cut,avg_bits,bitops" + (later.isEmpty() ? "" : "," + String.join(",", later)) + "\n");
        for (Evaluator.FrameResult r : rows) {
            sb.append(r.frame()).append(',').append(r.method()).append(',').append(encoding);
            for (String id : FIRST_COLUMNS) {
                sb.append(',').append(cell(r, byId.get(id)));
            }
            sb.append(',').append(r.cut() ? 1 : 0).append(',')
                    .append(Double.isNaN(r.avgBits()) ? "" : String.format(Locale.ROOT, "%.4f", r.avgBits()))
                    .append(',').append(Double.isNaN(r.bitops()) ? "" : String.format(Locale.ROOT, "%.0f", r.bitops()));
            for (String id : later) {
                sb.append(',').append(cell(r, byId.get(id)));
            }
            sb.append('\n');
        }
        TextFiles.writeAtomic(file, sb.toString());
    }

    /** A metric's cell: its format, "inf" for +infinity (identical images' PSNR), empty where not measured or NaN. */
    private static String cell(Evaluator.FrameResult r, FrameMetric m) {
        double v = r.metric(m.id());
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, m.csvFormat(), v);
    }

    /** bits/METHOD.csv: layer, width, tiles, share of the layer's tiles (CADyQ methods only; nothing otherwise). */
    private static void writeBitHistograms(Path dir, Map<String, Map<String, Map<Integer, Long>>> histograms) {
        if (histograms.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new UserException(dir + ": cannot write (" + e.getMessage() + ")");
        }
        histograms.forEach((method, layers) -> {
            StringBuilder sb = new StringBuilder("layer,bits,tiles,share\n");
            layers.forEach((layer, byWidth) -> {
                long total = byWidth.values().stream().mapToLong(Long::longValue).sum();
                byWidth.forEach((b, n) -> sb.append(layer).append(',').append(b).append(',').append(n).append(',')
                        .append(String.format(Locale.ROOT, "%.4f", (double) n / total)).append('\n'));
            });
            TextFiles.writeAtomic(dir.resolve(method + ".csv"), sb.toString());
        });
    }
}
