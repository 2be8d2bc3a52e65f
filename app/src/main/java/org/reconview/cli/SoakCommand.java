package org.reconview.cli;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.reconview.eval.Evaluator;
import org.reconview.gl.GlContext;
import org.reconview.gl.GlObjectCensus;
import org.reconview.io.TextFiles;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.TemporalProfile;
import org.reconview.recon.Methods;
import org.reconview.recon.Taa;
import org.reconview.scene.Scene;
import org.reconview.source.LiveFrameSource;
import org.reconview.ui.Viewer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reconview soak}: long runs that must hold flat. The viewer (a real window, every method running, grid
 * layout) and then {@code eval}'s evaluator run for many frames on a live scene; every {@code --every} frames the
 * soak records the Java heap after a full GC, the process's resident set and the live GL objects of each kind (asked
 * of GL itself, {@link GlObjectCensus}). The verdict: GL objects must not change at all from the first sample (after
 * the first {@code --every} frames) on; from the sample at half the run to the last, heap after GC may grow by {@link #HEAP_TOLERANCE_MB} MB (plus, for eval, what it keeps by design: a result row per method and frame,
 * and its full temporal profiles), resident set by {@link #RSS_TOLERANCE_MB} MB (the driver and the C allocator hold
 * memory the JVM does not see). Exit 0 when flat, 3 when not; --out keeps the samples as JSON.
 */
@Command(name = "soak",
        description = {"Run the viewer (every method, grid layout) and then eval on a live scene for many frames, "
            + "recording every --every frames the Java heap after GC, the resident set and the live GL objects by "
            + "kind; prints the samples and a verdict: GL objects unchanged from the first sample on, and from the sample at "
            + "half the run to the last, heap growth within " + SoakCommand.HEAP_TOLERANCE_MB + " MB and RSS growth "
            + "within " + SoakCommand.RSS_TOLERANCE_MB + " MB. Exit 0 when flat, 3 when not.",
            "--size is 32x32 here, not 256x256, and --spp is 4 here, not 64: what leaks leaks at any size, and "
            + "a soak of 12 000 frames with every method must fit in about an hour on a 2-core CPU."})
final class SoakCommand implements Callable<Integer> {
    static final int HEAP_TOLERANCE_MB = 16;
    static final int RSS_TOLERANCE_MB = 64;
    static final int NOT_FLAT = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--scene", defaultValue = "courtyard", paramLabel = "<NAME|FILE>",
            description = "built-in scene (see 'scenes') or mesh file (default: ${DEFAULT-VALUE})")
    String scene;

    @Mixin
    SizeOption size = small();

    @Mixin
    SppOption spp = new SppOption(4);

    @Mixin
    LayoutSeedOption seed = new LayoutSeedOption();

    @Option(names = "--viewer-frames", defaultValue = "10000", paramLabel = "<N>",
            description = "viewer frames (0: skip the viewer; default: ${DEFAULT-VALUE})")
    int viewerFrames;

    @Option(names = "--eval-frames", defaultValue = "2000", paramLabel = "<N>",
            description = "eval frames (0: skip eval; default: ${DEFAULT-VALUE})")
    int evalFrames;

    @Option(names = "--every", defaultValue = "500", paramLabel = "<N>",
            description = "frames between samples (default: ${DEFAULT-VALUE})")
    int every;

    @Option(names = "--out", paramLabel = "<FILE>", description = "JSON file for the samples and the verdict")
    Path out;

    private static SizeOption small() {
        SizeOption s = new SizeOption();
        s.size = new Size(32, 32);
        return s;
    }

    /** One sample: frames run so far, heap after GC and RSS in MB, live GL objects by kind. */
    record Sample(long frame, double heapMb, double rssMb, Map<String, Integer> gl) {
    }

    @Override
    public Integer call() {
        Options.atLeast("--viewer-frames", viewerFrames, 0);
        Options.atLeast("--eval-frames", evalFrames, 0);
        Options.positive("--every", every);
        Options.atLeast("--spp", spp.spp, 1);
        if (viewerFrames > 0 && viewerFrames < 2 * every || evalFrames > 0 && evalFrames < 2 * every) {
            throw new org.reconview.UserException("--every: " + every + " leaves fewer than two samples (give at "
                    + "least twice --every frames to each part that runs)");
        }
        Scene sc = SceneArgument.resolve(scene, seed.seed);
        PrintWriter stdout = spec.commandLine().getOut();
        List<String> names = Methods.all().stream().map(Methods.Entry::name).toList();
        Methods.Config config = new Methods.Config(Taa.Settings.parse(""),
                Methods.weightsFor(names, List.of()), org.reconview.nn.cuda.Backend.GLSL);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("date", LocalDate.now().toString());
        result.put("scene", sc.name());
        result.put("size", size.size.toString());
        result.put("spp", spp.spp);
        result.put("methods", names);
        result.put("tolerance", Map.of("gl_objects", 0, "heap_mb", HEAP_TOLERANCE_MB, "rss_mb", RSS_TOLERANCE_MB));
        boolean flat = true;
        try (GlContext gl = GlContext.create(800, 450, true, "reconview soak")) {
            result.put("renderer", gl.renderer());
            if (viewerFrames > 0) {
                Map<String, Integer> before = GlObjectCensus.count();
                List<Sample> samples = new ArrayList<>();
                try (Viewer viewer = new Viewer(gl, new LiveFrameSource(sc, size.size.width(), size.size.height(),
                        spp.spp, LiveFrameSource.DEFAULT_JITTER_PERIOD), sc.name(), spp.spp, seed.seed, config,
                        true)) {
                    // Whole frames per UI frame: samples then fall on frame boundaries, so what is alive at one
                    // sample is comparable with the next (time-sliced work would still be allocating its first
                    // frame's textures at early samples; ViewerTest covers the sliced path).
                    viewer.state().timeSlice = false;
                    ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "soak viewer", viewerFrames,
                            "frames");
                    for (int done = 0; done < viewerFrames; ) {
                        int n = Math.min(every, viewerFrames - done);
                        viewer.run(n);
                        done += n;
                        bar.update(done);
                        samples.add(sample(done));
                    }
                }
                flat &= report("viewer", samples, 0, result, stdout);
                flat &= leftNothing("viewer", before, GlObjectCensus.count(), result, stdout);
            }
            if (evalFrames > 0) {
                Map<String, Integer> before = GlObjectCensus.count();
                List<Sample> samples = new ArrayList<>();
                List<String> evalNames = new ArrayList<>(names);
                evalNames.remove("reference");
                try (LiveFrameSource source = new LiveFrameSource(sc, size.size.width(), size.size.height(), spp.spp,
                        LiveFrameSource.DEFAULT_JITTER_PERIOD);
                        Evaluator evaluator = new Evaluator(source, new Evaluator.Options(evalNames, config,
                                DisplayEncoding.PQ, 0, evalFrames, TemporalProfile.Axis.ROW,
                                size.size.height() / 2, new TreeSet<>(), new int[] {0, 0, 8, 8}))) {
                    ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "soak eval", evalFrames, "frames");
                    evaluator.run(k -> {
                        bar.update(k);
                        if (k % every == 0) {
                            samples.add(sample(k));
                        }
                    });
                }
                // What eval keeps by design per frame: a row per method and a profile line per method and the
                // reference (width x RGBA float).
                double keptPerFrameMb = (evalNames.size() * 100.0 + (evalNames.size() + 1) * size.size.width() * 16.0)
                        / 1e6;
                flat &= report("eval", samples, keptPerFrameMb, result, stdout);
                flat &= leftNothing("eval", before, GlObjectCensus.count(), result, stdout);
            }
        }
        result.put("flat", flat);
        if (out != null) {
            TextFiles.writeAtomic(out, new GsonBuilder().setPrettyPrinting().create().toJson(result) + "\n");
            stdout.println("samples: " + out.toAbsolutePath().normalize());
        }
        stdout.println(flat ? "soak: flat" : "soak: NOT flat (see above)");
        stdout.flush();
        return flat ? 0 : NOT_FLAT;
    }

    private static Sample sample(long frame) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
        return new Sample(frame, heap, residentMb(), GlObjectCensus.count());
    }

    /** VmRSS of /proc/self/status in MB (NaN where there is no /proc). */
    static double residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1e3;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return Double.NaN;
    }

    /** Whether closing a part deleted every GL object it made (the census before it equals the one after). */
    static boolean leftNothing(String part, Map<String, Integer> before, Map<String, Integer> after,
            Map<String, Object> result, PrintWriter out) {
        boolean same = before.equals(after);
        if (!same) {
            out.println(part + ": GL objects before it " + before + ", after it closed " + after);
        }
        result.put(part + "_gl_objects_before_after", List.of(before, after));
        return same;
    }

    /** Prints the samples of one part and says whether they hold flat; records both in {@code result}. */
    static boolean report(String part, List<Sample> samples, double keptPerFrameMb, Map<String, Object> result,
            PrintWriter out) {
        out.printf(Locale.ROOT, "%s: %8s %10s %10s %10s  %s%n", part, "frame", "heap MB", "RSS MB", "GL objects",
                "by kind");
        for (Sample s : samples) {
            out.printf(Locale.ROOT, "%s: %8d %10.1f %10.1f %10d  %s%n", part, s.frame(), s.heapMb(), s.rssMb(),
                    GlObjectCensus.total(s.gl()), s.gl());
        }
        // GL objects: every sample equals the first. Heap and RSS: the last sample against the first one taken at or
        // after half the run, by when bounded histories (profiles, plots) have filled or nearly; a transient peak
        // (the driver's JIT, a GC's timing) is not a leak, growth that lasts to the end is.
        Sample first = samples.get(0);
        long half = samples.get(samples.size() - 1).frame() / 2;
        Sample base = samples.stream().filter(s -> s.frame() >= half).findFirst().orElse(first);
        Sample last = samples.get(samples.size() - 1);
        List<String> problems = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.gl().equals(first.gl())) {
                problems.add("GL objects at frame " + s.frame() + " " + s.gl() + " differ from " + first.gl());
            }
        }
        double allowedHeap = HEAP_TOLERANCE_MB + keptPerFrameMb * (last.frame() - base.frame());
        if (last.heapMb() - base.heapMb() > allowedHeap) {
            problems.add(String.format(Locale.ROOT, "heap grew %.1f MB from frame %d to %d (allowed %.1f)",
                    last.heapMb() - base.heapMb(), base.frame(), last.frame(), allowedHeap));
        }
        if (last.rssMb() - base.rssMb() > RSS_TOLERANCE_MB) {
            problems.add(String.format(Locale.ROOT, "RSS grew %.1f MB from frame %d to %d (allowed %d)",
                    last.rssMb() - base.rssMb(), base.frame(), last.frame(), RSS_TOLERANCE_MB));
        }
        problems.forEach(p -> out.println(part + ": " + p));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("samples", samples);
        r.put("kept_by_design_mb_per_frame", keptPerFrameMb);
        r.put("problems", problems);
        result.put(part, r);
        return problems.isEmpty();
    }
}
