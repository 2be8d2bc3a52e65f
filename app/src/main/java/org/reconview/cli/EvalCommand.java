package org.reconview.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.reconview.UserException;
import org.reconview.eval.EvalReport;
import org.reconview.eval.Evaluator;
import org.reconview.eval.RunRecord;
import org.reconview.gl.GlContext;
import org.reconview.io.ExrImages;
import org.reconview.io.FloatImage;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.FrameMetrics;
import org.reconview.metrics.TemporalProfile;
import org.reconview.recon.Methods;
import org.reconview.recon.Taa;
import org.reconview.scene.Scene;
import org.reconview.source.ExrSequenceSource;
import org.reconview.source.FrameSource;
import org.reconview.source.LiveFrameSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval",
        description = {"Run reconstruction methods over a scene or an EXR sequence and measure them against the "
            + "reference: writes summary.json (means after warm-up), frames.csv, profiles/NAME.png (temporal "
            + "profiles), compare/NNNN.png (captioned crops) and plots/{psnr,ssim,temporal_error}.png.",
            "PSNR of identical images is infinite: null in summary.json, inf in frames.csv."})
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final class Input {
        @Option(names = "--scene", required = true, paramLabel = "<NAME|FILE>",
                description = "built-in scene (see 'scenes') or mesh file, rendered live")
        String scene;

        @Option(names = "--sequence", required = true, paramLabel = "<DIR>",
                description = "EXR sequence folder (needs reference frames)")
        Path sequence;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Profile {
        @Option(names = "--profile-row", paramLabel = "<Y>",
                description = "row for the temporal profiles (default: the middle row)")
        Integer row;

        @Option(names = "--profile-col", paramLabel = "<X>", description = "column for the temporal profiles")
        Integer col;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Profile profile;

    @Mixin
    SizeOption size = new SizeOption();

    @Option(names = "--frames", paramLabel = "<N>",
            description = "frames to evaluate (default: 60 for a scene, all for a sequence)")
    Integer frames;

    @Option(names = "--start", defaultValue = "0", paramLabel = "<N>", description = "first frame (default: "
            + "${DEFAULT-VALUE})")
    int start;

    @Option(names = "--methods", defaultValue = "input,taa", paramLabel = "<M,...>",
            description = "comma-separated: input, taa, unet, qwnet, qwnet-fp32, qwnet-cadyq, reference (default: ${DEFAULT-VALUE})")
    String methods;

    @Option(names = "--out", required = true, paramLabel = "<DIR>", description = "output folder")
    Path out;

    @Option(names = "--metrics", paramLabel = "<M,...>",
            description = "per-frame metrics to measure, from: psnr, ssim, temporal_error, ldr_flip (LDR-FLIP of the "
                    + "displayed values, 67 ppd), hdr_flip (HDR-FLIP of the linear values, its default exposures; "
                    + "seconds per frame on a CPU rasteriser) (default: psnr,ssim,temporal_error,ldr_flip)")
    String metricNames;

    @Option(names = "--error-maps", description = "also write error-maps/NNNN-{flip,abs,rel,signed,ssim}.png at the "
            + "compare frames: every method's LDR-FLIP, absolute, relative, signed (method minus reference, diverging "
            + "CET-D1) and 1 - SSIM map, one scale per sheet, with its colour bar")
    boolean errorMaps;

    @Option(names = "--diff", paramLabel = "<A:B>", description = "with --error-maps, also a signed map of method A "
            + "minus method B, error-maps/NNNN-signed-A-minus-B.png (repeatable)")
    List<String> diffs = new java.util.ArrayList<>();

    @Option(names = "--save-exr", description = "also write every method's output of every frame as linear EXR, "
            + "exr/METHOD/NNNN.color.exr (the input layout, so tev, FLIP or --sequence open each folder)")
    boolean saveExr;

    @Option(names = "--warmup", defaultValue = "8", paramLabel = "<N>",
            description = "frames left out of the means while histories fill (default: ${DEFAULT-VALUE})")
    int warmup;

    @Mixin
    EncodingOption encoding = new EncodingOption();

    @Mixin
    SppOption spp = new SppOption();

    @Mixin
    LayoutSeedOption seed = new LayoutSeedOption();

    @Option(names = "--taa", defaultValue = "", paramLabel = "<K=V,...>",
            description = "TAA settings, e.g. alpha=0.1,clip=variance,gamma=1,history=catmull-rom,dilate=true,"
                    + "anti-flicker=true")
    String taa;

    @Option(names = "--weights", paramLabel = "<FILE>", description = "network weights (safetensors; repeatable); "
            + "each file's architecture metadata picks the method it serves. Without, the shipped "
            + "models/*.safetensors, else seeded random weights.")
    List<Path> weights = new java.util.ArrayList<>();

    @Option(names = "--compare-every", defaultValue = "10", paramLabel = "<K>",
            description = "a comparison sheet every K frames after warm-up, and for the last (default: "
                    + "${DEFAULT-VALUE})")
    int compareEvery;

    @Option(names = "--crop", paramLabel = "<x,y,w,h>",
            description = "the comparison crops' rectangle (default: the centre half)")
    PixelRect crop;

    @Mixin
    BackendOption backend = new BackendOption();

    @Option(names = "--zoom", defaultValue = "2", paramLabel = "<K>",
            description = "magnification of the crops (default: ${DEFAULT-VALUE})")
    int zoom;

    /** Refuses an output folder that cannot be written, before any frame is computed. */
    static void requireWritable(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
            Path probe = java.nio.file.Files.createTempFile(dir, ".reconview-probe-", "");
            java.nio.file.Files.delete(probe);
        } catch (java.io.IOException | UnsupportedOperationException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getMessage();
            throw new UserException(dir + ": cannot write (" + why + ")");
        }
    }

    /** The --diff pairs {A, B}, each naming two different evaluated methods; only with --error-maps. */
    static List<List<String>> diffPairs(List<String> diffs, List<String> methods, boolean errorMaps) {
        if (!diffs.isEmpty() && !errorMaps) {
            throw new UserException("--diff: needs --error-maps (the difference maps are written with them)");
        }
        List<List<String>> pairs = new java.util.ArrayList<>();
        for (String d : diffs) {
            String[] ab = d.split(":", -1);
            if (ab.length != 2 || ab[0].isBlank() || ab[1].isBlank()) {
                throw new UserException("--diff: '" + d + "' is not A:B (two method names)");
            }
            for (String m : ab) {
                if (!methods.contains(m.trim()) || m.trim().equals("reference")) {
                    throw new UserException("--diff: '" + m.trim() + "' is not among the evaluated methods "
                            + methods);
                }
            }
            if (ab[0].trim().equals(ab[1].trim())) {
                throw new UserException("--diff: '" + d + "' names one method twice");
            }
            pairs.add(List.of(ab[0].trim(), ab[1].trim()));
        }
        return pairs;
    }

    /** R, G, B of an RGBA image (the outputs' alpha is no colour). */
    private static FloatImage rgb(FloatImage rgba) {
        FloatImage out = new FloatImage(rgba.width, rgba.height, 3);
        for (int p = 0; p < rgba.width * rgba.height; p++) {
            System.arraycopy(rgba.data, p * rgba.channels, out.data, p * 3, 3);
        }
        return out;
    }

    /** Creates {@code dir} (once per method, cheaply after that) and hands the image through. */
    private static FloatImage withDirectories(Path dir, FloatImage img) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new UserException(dir + ": cannot write (" + e.getMessage() + ")");
        }
        return img;
    }

    @Override
    public Integer call() {
        List<String> names = Methods.parse("--methods", methods);
        List<String> metricIds = metricNames == null ? FrameMetrics.DEFAULT
                : FrameMetrics.parse("--metrics", metricNames);
        backend.requested();
        DisplayEncoding enc = encoding.encoding;
        Taa.Settings taaSettings = Taa.Settings.parse(taa);
        weights = Methods.weightsFor(names, weights);
        List<List<String>> pairs = diffPairs(diffs, names, errorMaps);
        Options.atLeast("--start", start, 0);
        requireWritable(out);
        Options.atLeast("--warmup", warmup, 0);
        Options.positive("--compare-every", compareEvery);
        Options.positive("--zoom", zoom);
        Scene scene = input.scene != null ? SceneArgument.resolve(input.scene, seed.seed) : null;
        Size s = size.size;
        boolean sizeGiven = spec.commandLine().getParseResult().hasMatchedOption("--size");
        if (scene != null) {
            Options.positive("--spp", spp.spp);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        try (GlContext gl = GlContext.hidden();
                FrameSource source = scene != null
                        ? new LiveFrameSource(scene, s.width(), s.height(), spp.spp, LiveFrameSource.DEFAULT_JITTER_PERIOD)
                        : new ExrSequenceSource(input.sequence)) {
            if (input.sequence != null) {
                ExrSequenceSource seq = (ExrSequenceSource) source;
                if (!seq.info().hasReference) {
                    throw new UserException(input.sequence + ": no reference frames (has_reference is false);"
                            + " eval measures against them");
                }
                if (sizeGiven && (s.width() != source.width() || s.height() != source.height())) {
                    throw new UserException("--size: " + s + " differs from the sequence's " + source.width() + "x"
                            + source.height());
                }
            }
            if (input.sequence != null && start >= source.frameCount()) {
                throw new UserException("--start: " + start + " is past the last frame of " + input.sequence + " ("
                        + (source.frameCount() - 1) + ")");
            }
            int available = input.sequence != null ? source.frameCount() - start : Integer.MAX_VALUE;
            int n = frames != null ? frames : Math.min(60, available);
            Options.positive("--frames", n);
            if (n > available) {
                throw new UserException("--frames: " + n + " from frame " + start + " but the sequence has "
                        + source.frameCount());
            }
            if (warmup >= n) {
                throw new UserException("--warmup: " + warmup + " leaves no frame of " + n + " to measure");
            }
            TemporalProfile.Axis axis = profile != null && profile.col != null ? TemporalProfile.Axis.COLUMN
                    : TemporalProfile.Axis.ROW;
            int index = profile == null ? source.height() / 2 : profile.col != null ? profile.col : profile.row;
            int limit = axis == TemporalProfile.Axis.ROW ? source.height() : source.width();
            if (index < 0 || index >= limit) {
                throw new UserException((axis == TemporalProfile.Axis.ROW ? "--profile-row: " : "--profile-col: ")
                        + index + " outside 0.." + (limit - 1));
            }
            int[] box = crop == null ? new int[] {source.width() / 4, source.height() / 4, source.width() / 2,
                source.height() / 2} : crop.within("--crop", source.width(), source.height());
            TreeSet<Integer> compareFrames = new TreeSet<>();
            for (int k = start + warmup; k < start + n; k += compareEvery) {
                compareFrames.add(k);
            }
            compareFrames.add(start + n - 1);
            org.reconview.nn.cuda.Backend qwnetBackend = backend.choose(gl.renderer(), spec.commandLine().getErr(),
                    names.contains("qwnet"));
            Evaluator.Options opts = new Evaluator.Options(names,
                    new Methods.Config(taaSettings, weights, qwnetBackend), enc,
                    start, n, axis, index,
                    compareFrames, box, metricIds, errorMaps);
            Evaluator.Result result;
            try (Evaluator evaluator = new Evaluator(source, opts)) {
                ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "eval " + source.name(), n, "frames");
                bar.update(0);
                result = evaluator.run(bar::update, saveExr ? (frame, method, img) -> ExrImages.write(
                        out.resolve("exr").resolve(method).resolve(String.format(Locale.ROOT, "%04d.color.exr",
                                frame)), rgb(withDirectories(out.resolve("exr").resolve(method), img)), "R", "G", "B")
                        : null);
            }
            String where = scene != null ? scene.name() : input.sequence.toString();
            EvalReport.Meta meta = new EvalReport.Meta(scene != null ? scene.name() : source.name(),
                    scene != null ? "live render, reference " + spp.spp + " spp" : "sequence " + input.sequence,
                    source.width(), source.height(), enc.id(), warmup, taaSettings.toString(),
                    (axis == TemporalProfile.Axis.ROW ? "row " : "column ") + index, zoom,
                    new RunRecord(spec.commandLine().getParseResult().originalArgs(), Main.VERSION,
                            org.reconview.ProjectPaths.commit(), seed.seed, start, gl.vendor(), gl.renderer(),
                            gl.version(), RunRecord.digests(weights)), pairs);
            EvalReport.write(out, result, meta, start + warmup);
            stdout.printf(Locale.ROOT, "eval %s %dx%d, frames %d-%d (means after %d warm-up frames, %s):%n", where,
                    source.width(), source.height(), start, start + n - 1, warmup, enc.id());
            stdout.printf(Locale.ROOT, "  %-10s %9s %8s %15s%n", "method", "PSNR dB", "SSIM", "temporal error");
            for (Map.Entry<String, Map<String, Double>> e : EvalReport.means(result.rows(), start + warmup)
                    .entrySet()) {
                Map<String, Double> v = e.getValue();
                stdout.printf(Locale.ROOT, "  %-10s %9.3f %8.5f %15.6f%n", e.getKey(), v.get("psnr"), v.get("ssim"),
                        v.get("temporal_error"));
            }
            stdout.println("outputs: " + out.toAbsolutePath().normalize());
        }
        return 0;
    }
}
