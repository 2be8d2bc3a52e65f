package org.reconview.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reconview.gl.GlContext;
import org.reconview.gl.WindowSurface;
import org.reconview.io.FrameImages;
import org.reconview.io.TextFiles;
import org.reconview.metrics.Psnr;
import org.reconview.nn.NetworkSpec;
import org.reconview.scene.Scene;
import org.reconview.scene.builtin.BuiltinScenes;
import org.reconview.source.Frame;
import org.reconview.source.LiveFrameSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench",
        description = {"Measure the renderer (1-spp frames per second, reference samples per second, PSNR of the "
            + "1-spp frame against the reference, per scene) and the reconstruction passes (warp, TAA, metrics). "
            + "Prints tables; --out saves JSON. Wall clock after glFinish."})
final class BenchCommand implements Callable<Integer> {
    /** What {@code --what} measures. */
    enum What {
        RENDER, RECON, NN, CUDA, ALL,
        /** TensorFlow's CPU forward of the networks alone (no GL); nn runs it in a child JVM as its peer. */
        TF,
        /** The CPU backend's forward (Java vector API, org.reconview.nn.cpu) alone; nn runs it in a child JVM too. */
        CPU;

        boolean includes(What part) {
            return this == part || (this == ALL && part != CUDA && part != TF && part != CPU);
        }

        /** The option's spelling: {@code render}, {@code recon}, ... */
        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static List<String> ids() {
            return java.util.Arrays.stream(values()).map(What::id).toList();
        }

        /** The part spelt {@code text} (case-insensitive); an {@link IllegalArgumentException} listing them if none. */
        static What parse(String text) {
            for (What w : values()) {
                if (w.name().equalsIgnoreCase(text)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("unknown '" + text + "' (" + String.join(", ", ids()) + ")");
        }
    }

    /** Candidates for the help. */
    static final class Whats implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return What.ids().iterator();
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--scenes", defaultValue = "all", paramLabel = "<NAME,...>",
            description = "comma-separated scene names or 'all' (default: ${DEFAULT-VALUE})")
    String scenes;

    @Mixin
    SizeOption size = new SizeOption();

    @Option(names = "--frames", defaultValue = "8", paramLabel = "<N>",
            description = "frames timed per scene (default: ${DEFAULT-VALUE})")
    int frames;

    @Mixin
    SppOption spp = new SppOption();

    @Option(names = "--out", paramLabel = "<FILE>", description = "JSON file for the figures")
    Path out;

    @Option(names = "--what", defaultValue = "render", paramLabel = "<WHAT>",
            completionCandidates = Whats.class,
            description = "render (renderer figures per scene), recon (per-pass cost of warp, TAA and metrics), "
                    + "nn (network paths at 128x128 and 256x256 against the FMA peak and TensorFlow's CPU forward of "
                    + "the same graph, run in a child JVM, and the CPU backend's forward, in another), tf (that "
                    + "forward alone), cpu (the CPU backend's alone), cuda (QW-Net's CUDA kernels, "
                    + "roofline and cuBLAS peer on an NVIDIA GPU, at 1920x1080 unless --size is given), or all "
                    + "(render, recon, nn; default: ${DEFAULT-VALUE})")
    What what;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        Size s = size.size;
        Options.positive("--frames", frames);
        Options.positive("--spp", spp.spp);
        List<String> names = scenes.equals("all") ? BuiltinScenes.names() : List.of(scenes.split(","));
        List<Scene> list = new ArrayList<>();
        for (String n : names) {
            list.add(SceneArgument.resolve(n.trim(), 0));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        if (what == What.TF) {
            return peerRun(result, "wall clock of Session.run, batch 1, threads: TensorFlow's default",
                    "TensorFlow CPU forward", (path, size) -> org.reconview.train.TfForward.time(spec(path),
                            path.endsWith("int4"), size, size, frames, 0), stdout);
        }
        if (what == What.CPU && ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            // The launcher's JVM runs without the vector API module: the same command in a child JVM that has it.
            List<String> args = new ArrayList<>(List.of("bench", "--what", "cpu", "--frames", Integer.toString(frames)));
            if (out != null) {
                args.addAll(List.of("--out", out.toString()));
            }
            ChildJvm.Result r = ChildJvm.run(args.toArray(String[]::new));
            stdout.print(r.stdout());
            stdout.flush();
            PrintWriter stderr = spec.commandLine().getErr();
            r.stderr().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).forEach(stderr::println);
            stderr.flush();
            return r.exitCode();
        }
        if (what == What.CPU) {
            return peerRun(result, "wall clock of CpuNetwork.run (CpuQuantizedNetwork.run for INT4) after two "
                    + "warm-ups, batch 1, one thread per core", "CPU backend forward", (path, size) ->
                    CpuTimings.network(spec(path), path.endsWith("int4"), size, size, frames), stdout);
        }
        if (what == What.CUDA) {
            boolean sized = spec.commandLine().getParseResult().hasMatchedOption("--size");
            result.put("date", LocalDate.now().toString());
            result.put("cuda", CudaTimings.measure(sized ? s.width() : 1920, sized ? s.height() : 1080, stdout));
            writeOut(result, stdout);
            return 0;
        }
        try (GlContext gl = GlContext.hidden()) {
            result.put("date", LocalDate.now().toString());
            result.put("renderer", gl.renderer());
            result.put("gl_version", gl.version());
            result.put("cores", Runtime.getRuntime().availableProcessors());
            result.put("size", s.toString());
            result.put("frames", frames);
            result.put("spp", spp.spp);
            result.put("timing", "wall clock after glFinish");
            if (what.includes(What.RENDER)) {
                Map<String, Object> perScene = new LinkedHashMap<>();
                stdout.printf(Locale.ROOT, "%-12s %10s %16s %18s %14s%n", "scene", "1spp fps", "ref spp-passes/s",
                        "ref Msamples/s", "1spp PSNR dB");
                for (Scene scene : list) {
                    Map<String, Object> row = measure(scene, s);
                    perScene.put(scene.name(), row);
                    stdout.printf(Locale.ROOT, "%-12s %10.1f %16.1f %18.2f %14.2f%n", scene.name(), row.get("fps_1spp"),
                            row.get("reference_passes_per_s"), row.get("reference_msamples_per_s"),
                            row.get("psnr_1spp_pq_db"));
                }
                result.put("scenes", perScene);
            }
            if (what.includes(What.NN)) {
                double peak = NetworkTimings.fmaPeakGflops();
                Map<String, Object> nn = new LinkedHashMap<>();
                nn.put("fma_peak_gflops", peak);
                Map<String, Map<String, Double>> glsl = new LinkedHashMap<>();
                for (int size : SIZES) {
                    for (String path : PATHS) {
                        glsl.put(key(path, size), NetworkTimings.network(spec(path), path.endsWith("int4"), size,
                                size, frames));
                    }
                }
                // The peers run after the GLSL paths, alone on the cores, each in its own JVM (TF never shares one
                // with GL; the CPU backend needs the vector API module, which the launcher's JVM does not add).
                Peer peer = peer(What.TF);
                Peer cpu = peer(What.CPU);
                stdout.printf(Locale.ROOT, "FMA peak: %.1f GFLOP/s%s%n%-24s %10s %10s %10s %10s %12s%n", peak,
                        peer.note().isEmpty() ? "" : "; TensorFlow peer: " + peer.note(), "network", "ms/frame",
                        "G(FL)OP/s", "of peak", "TF ms", "x TF time");
                glsl.forEach((key, r) -> nn.put(key, peerRow(key, r, peer.rows().get(key), peak, stdout)));
                if (!peer.note().isEmpty()) {
                    nn.put("tf_peer", peer.note());
                }
                if (!cpu.note().isEmpty()) {
                    nn.put("cpu_backend", cpu.note());
                    stdout.println("CPU backend: " + cpu.note());
                }
                cpu.rows().forEach((key, r) -> nn.put("cpu " + key, peerRow("cpu " + key, r, peer.rows().get(key), peak,
                        stdout)));
                result.put("networks", nn);
            }
            if (what.includes(What.RECON)) {
                Map<String, Double> passes = PassTimings.measure(s.width(), s.height(), frames);
                stdout.printf(Locale.ROOT, "%-28s %10s%n", "pass (" + s + ")", "ms");
                passes.forEach((k, v) -> stdout.printf(Locale.ROOT, "%-28s %10.3f%n", k, v));
                result.put("passes_ms", passes);
            }
        }
        writeOut(result, stdout);
        return 0;
    }

    /** One network row: its figures, its share of the FMA peak and, where TensorFlow timed it, its ratio; printed. */
    private static Map<String, Double> peerRow(String label, Map<String, Double> r, Map<String, Double> tf,
            double peak, PrintWriter stdout) {
        Map<String, Double> row = new LinkedHashMap<>(r);
        if (tf != null) {
            row.put("tf_ms", tf.get("ms"));
            row.put("x_tf_time", r.get("ms") / tf.get("ms"));
        }
        row.put("of_peak", r.get("gops") / peak);
        stdout.printf(Locale.ROOT, "%-24s %10.1f %10.2f %9.1f%% %10s %12s%n", label, r.get("ms"), r.get("gops"),
                100 * r.get("gops") / peak, tf == null ? "-" : String.format(Locale.ROOT, "%.1f", tf.get("ms")),
                tf == null ? "-" : String.format(Locale.ROOT, "%.2f", r.get("ms") / tf.get("ms")));
        return row;
    }

    private static final int[] SIZES = {128, 256};
    private static final String[] PATHS = {"unet fp32", "qwnet fp32", "qwnet int4"};

    private static String key(String path, int size) {
        return path + " " + size + "x" + size;
    }

    private static NetworkSpec spec(String path) {
        return path.startsWith("unet") ? NetworkSpec.unet() : NetworkSpec.qwnet();
    }

    /** How a peer times one path at one size: {ms, gops}. */
    private interface PathTimer {
        Map<String, Double> time(String path, int size);
    }

    /**
     * --what tf and --what cpu (this JVM holds no GL): the peer's forward of every path at every size, printed under
     * {@code title} and written under the option's spelling.
     */
    private int peerRun(Map<String, Object> result, String timing, String title, PathTimer timer, PrintWriter stdout) {
        result.put("date", LocalDate.now().toString());
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("timing", timing);
        Map<String, Object> rows = new LinkedHashMap<>();
        stdout.printf(Locale.ROOT, "%-24s %10s %10s%n", title, "ms/frame", "G(FL)OP/s");
        for (int size : SIZES) {
            for (String path : PATHS) {
                Map<String, Double> r = timer.time(path, size);
                rows.put(key(path, size), r);
                stdout.printf(Locale.ROOT, "%-24s %10.1f %10.2f%n", key(path, size), r.get("ms"), r.get("gops"));
            }
        }
        result.put(what.id(), rows);
        writeOut(result, stdout);
        return 0;
    }

    /** A peer's rows by key, or none and a note saying why (bench goes on without it). */
    record Peer(Map<String, Map<String, Double>> rows, String note) {
    }

    /** Runs {@code bench --what tf} (or {@code cpu}) in a child JVM and reads its figures. */
    private Peer peer(What which) {
        Path json = null;
        try {
            json = java.nio.file.Files.createTempFile("reconview-" + which.id() + "-peer-", ".json");
            ChildJvm.Result r = ChildJvm.run("bench", "--what", which.id(), "--frames", Integer.toString(frames),
                    "--out", json.toString());
            if (r.exitCode() != 0) {
                String last = r.stderr().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no message");
                return new Peer(Map.of(), "unavailable (child exited " + r.exitCode() + ": " + last + ")");
            }
            return new Peer(parsePeer(java.nio.file.Files.readString(json), which.id()), "");
        } catch (java.io.IOException | RuntimeException e) {
            return new Peer(Map.of(), "unavailable (" + e.getMessage() + ")");
        } finally {
            if (json != null) {
                try {
                    java.nio.file.Files.deleteIfExists(json);
                } catch (java.io.IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** The rows of a {@code bench --what tf --out} file: key to {ms, gops}. */
    static Map<String, Map<String, Double>> parsePeer(String json) {
        return parsePeer(json, What.TF.id());
    }

    /** The rows under {@code section} ("tf", "cpu") of a peer's {@code --out} file: key to {ms, gops}. */
    static Map<String, Map<String, Double>> parsePeer(String json, String section) {
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        com.google.gson.JsonObject tf = com.google.gson.JsonParser.parseString(json).getAsJsonObject()
                .getAsJsonObject(section);
        for (String key : tf.keySet()) {
            com.google.gson.JsonObject r = tf.getAsJsonObject(key);
            rows.put(key, Map.of("ms", r.get("ms").getAsDouble(), "gops", r.get("gops").getAsDouble()));
        }
        return rows;
    }

    private void writeOut(Map<String, Object> result, PrintWriter stdout) {
        if (out != null) {
            TextFiles.writeAtomic(out, new GsonBuilder().setPrettyPrinting().create().toJson(result) + "\n");
            stdout.println("figures: " + out.toAbsolutePath().normalize());
        }
    }

    private Map<String, Object> measure(Scene scene, Size s) {
        Map<String, Object> row = new LinkedHashMap<>();
        int w = s.width();
        int h = s.height();
        // 1-spp frames alone.
        try (LiveFrameSource live = new LiveFrameSource(scene, w, h, 0, LiveFrameSource.DEFAULT_JITTER_PERIOD)) {
            live.frame(0);
            WindowSurface.finish();
            long t0 = System.nanoTime();
            for (int i = 1; i <= frames; i++) {
                live.frame(i);
            }
            WindowSurface.finish();
            double seconds = (System.nanoTime() - t0) / 1e9;
            row.put("fps_1spp", frames / seconds);
            row.put("triangles", live.triangles());
        }
        // Frames with reference: the reference dominates, so its rate is measured on the whole frame.
        double psnrSum = 0;
        try (LiveFrameSource live = new LiveFrameSource(scene, w, h, spp.spp, LiveFrameSource.DEFAULT_JITTER_PERIOD)) {
            int refFrames = Math.max(1, Math.min(frames, 4));
            double seconds = 0;
            for (int i = 0; i < refFrames; i++) {
                long t0 = System.nanoTime();
                Frame f = live.frame(i * 7); // spread over the animation
                WindowSurface.finish();
                seconds += (System.nanoTime() - t0) / 1e9; // the readback below is not part of rendering
                FrameImages img = f.download();
                psnrSum += Psnr.pq(img.color(), img.reference());
            }
            row.put("reference_passes_per_s", refFrames * (double) spp.spp / seconds);
            row.put("reference_msamples_per_s", refFrames * (double) spp.spp * w * h / seconds / 1e6);
            row.put("psnr_1spp_pq_db", psnrSum / refFrames);
        }
        return row;
    }
}
