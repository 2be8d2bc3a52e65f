package org.reconview.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.reconview.UserException;
import org.reconview.gl.GlContext;
import org.reconview.io.SequenceInfo;
import org.reconview.io.SequenceWriter;
import org.reconview.scene.Scene;
import org.reconview.scene.builtin.BuiltinScenes;
import org.reconview.train.DatasetInfo;
import org.reconview.train.DatasetWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dataset",
        description = {"Build a training dataset: render each scene to DIR/sequences/SCENE/ (as 'render' does), cut "
            + "blocks of Nt frames x Nx x Ny pixels at temporal and spatial strides (never across a camera cut), keep "
            + "every block harder than the median (mean |PQ(input) - PQ(reference)|) and a seeded random fraction of "
            + "the rest, and write DIR/blocks/NNNNNN.bin (float32 [t][y][x][c]: colour RGB, motion XY, reference RGB, "
            + "linear) and DIR/dataset.json last. The held-out scene is refused. --seed also picks which easier blocks "
            + "are kept."})
final class DatasetCommand implements Callable<Integer> {
    private static final Pattern BLOCK_FILE = Pattern.compile("\\.?\\d{6}\\.bin(\\.tmp-[0-9a-f]+)?");

    @Spec
    CommandSpec spec;

    @Option(names = "--scenes", required = true, split = ",", paramLabel = "<NAME>",
            description = "built-in training scenes, comma-separated, or 'all' (every scene but the held-out one)")
    List<String> scenes;

    @Mixin
    SizeOption size = new SizeOption();

    @Option(names = "--frames", defaultValue = "120", paramLabel = "<N>",
            description = "frames per scene (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--start", defaultValue = "0", paramLabel = "<N>",
            description = "first scene frame to render (default: ${DEFAULT-VALUE})")
    int start;

    @Mixin
    SppOption spp = new SppOption();

    @Option(names = "--out", required = true, paramLabel = "<DIR>", description = "output folder")
    Path out;

    @Option(names = "--block", defaultValue = "8x64x64", paramLabel = "<NtxNxxNy>",
            description = "frames x columns x rows of a block (default: ${DEFAULT-VALUE})")
    BlockShape block;

    @Option(names = "--stride-time", paramLabel = "<N>", description = "frames between block starts (default: Nt/2)")
    Integer strideTime;

    @Option(names = "--stride-space", paramLabel = "<N>",
            description = "pixels between block corners, both axes (default: 3/4 of Nx, Ny)")
    Integer strideSpace;

    @Option(names = "--keep-easy", defaultValue = "0.25", paramLabel = "<F>",
            description = "fraction of blocks at or below the median difficulty kept (default: ${DEFAULT-VALUE})")
    double keepEasy;

    @Mixin
    LayoutSeedOption seed = new LayoutSeedOption();

    @Option(names = "--jitter-period", defaultValue = "16", paramLabel = "<N>",
            description = "length of the Halton(2,3) jitter cycle (default: ${DEFAULT-VALUE})")
    int jitterPeriod;

    @Option(names = "--resume", description = "keep the sequences and blocks an interrupted run of the same settings "
            + "already wrote (everything is deterministic, so they equal what would be made again)")
    boolean resume;

    /** Whether block files on disk belong to an interrupted run of these settings (set by {@link #prepare}). */
    private boolean keepBlocks;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        DatasetInfo.Settings s = settings();
        prepare(s);

        Size sz = new Size(s.width, s.height);
        List<Scene> built = new ArrayList<>();
        for (String name : s.scenes) {
            built.add(BuiltinScenes.build(name, seed.seed));
        }
        int keptFrames = 0;
        DatasetInfo.Cost cost = new DatasetInfo.Cost();
        long renderStart = System.nanoTime();
        GlContext gl = null;
        try {
            for (Scene sc : built) {
                Path dir = out.resolve(DatasetInfo.SEQUENCES_DIR).resolve(sc.name());
                SequenceInfo info = RenderCommand.describe(sc, sz, s.frames, s.spp, seed.seed, jitterPeriod);
                info.source = "reconview " + Main.VERSION + " dataset (scene frames " + start + ".."
                        + (start + s.frames - 1) + ")";
                if (resume && isFinished(dir, info)) {
                    keptFrames += s.frames;
                    continue;
                }
                SequenceWriter writer = resume ? SequenceWriter.resume(dir, info)
                        : SequenceWriter.create(dir, info, true); // without --resume a dataset starts over
                if (gl == null) {
                    gl = GlContext.hidden();
                }
                ProgressBar bar = new ProgressBar(stderr, "render " + sc.name(), s.frames, "frames");
                int kept = RenderCommand.renderFrames(writer, sc, sz, start, s.frames, s.spp, jitterPeriod, resume,
                        bar);
                keptFrames += kept;
                cost.framesRendered += s.frames - kept;
                writer.finish();
            }
        } finally {
            if (gl != null) {
                gl.close();
            }
        }

        cost.renderSeconds = Math.round((System.nanoTime() - renderStart) / 1e6) / 1e3;
        DatasetWriter.Result r = DatasetWriter.write(out, s, keepBlocks, Main.VERSION, (label, total, unit) -> {
            ProgressBar bar = new ProgressBar(stderr, label, total, unit);
            return bar::update;
        }, line -> stderr.println(line), cost);
        if (keptFrames > 0 || r.kept() > 0) {
            stdout.println("resumed: kept " + keptFrames + " rendered frames and " + r.kept()
                    + " block files already on disk");
        }
        DatasetInfo info = r.info();
        stdout.printf(Locale.ROOT, "wrote %d blocks (%d candidates, median difficulty %.5f) of %d scenes (%s, %d "
                + "frames, %dx%dx%d) to %s in %s%n", info.blocks, info.candidates, info.difficulty.median, s.scenes.size(), sz,
                s.frames, s.block[0], s.block[1], s.block[2], out.toAbsolutePath().normalize(),
                ProgressBar.formatTime((System.nanoTime() - t0) / 1e9));
        return 0;
    }

    /** Validates the options into the settings that determine the dataset. */
    DatasetInfo.Settings settings() {
        Size sz = size.size;
        Options.positive("--frames", frames);
        Options.atLeast("--start", start, 0);
        Options.positive("--spp", spp.spp);
        Options.positive("--jitter-period", jitterPeriod);
        int nt = block.frames();
        int nx = block.width();
        int ny = block.height();
        if (nt > frames || nx > sz.width() || ny > sz.height()) {
            throw new UserException("--block: " + block + " does not fit in " + frames + " frames of " + sz);
        }
        if (strideTime != null) {
            Options.positive("--stride-time", strideTime);
        }
        if (strideSpace != null) {
            Options.positive("--stride-space", strideSpace);
        }
        if (!(keepEasy >= 0 && keepEasy <= 1)) {
            throw new UserException("--keep-easy: " + keepEasy + " must lie in [0, 1]");
        }
        DatasetInfo.Settings s = new DatasetInfo.Settings();
        s.scenes = sceneNames();
        s.width = sz.width();
        s.height = sz.height();
        s.frames = frames;
        s.start = start;
        s.spp = spp.spp;
        s.jitterPeriod = jitterPeriod;
        s.seed = seed.seed;
        s.block = new int[] {nt, nx, ny};
        s.strideTime = strideTime != null ? strideTime : Math.max(1, nt / 2);
        s.strideX = strideSpace != null ? strideSpace : Math.max(1, nx * 3 / 4);
        s.strideY = strideSpace != null ? strideSpace : Math.max(1, ny * 3 / 4);
        s.keepEasy = keepEasy;
        return s;
    }

    /**
     * The listed scenes, 'all' expanded to the training scenes; the held-out scene and unknown or repeated names are
     * refused. A validation-only scene may be named (for --val data); train refuses it as --data.
     */
    List<String> sceneNames() {
        List<String> names = new ArrayList<>();
        List<String> training = BuiltinScenes.names(Scene.Role.TRAINING);
        for (String raw : scenes) {
            String name = raw.trim();
            List<String> expanded = name.equals("all") ? training : List.of(name);
            for (String n : expanded) {
                var entry = BuiltinScenes.all().stream().filter(e -> e.name().equals(n)).findFirst();
                if (entry.isEmpty()) {
                    throw new UserException("--scenes: unknown scene '" + n + "' (training scenes: "
                            + String.join(", ", training) + ", or all; validation only: "
                            + String.join(", ", BuiltinScenes.names(Scene.Role.VALIDATION)) + ")");
                }
                if (entry.get().heldOut()) {
                    throw new UserException("--scenes: '" + n + "' is the held-out evaluation scene and is never"
                            + " used for training");
                }
                if (names.contains(n)) {
                    throw new UserException("--scenes: '" + n + "' is listed twice");
                }
                names.add(n);
            }
        }
        if (names.isEmpty()) {
            throw new UserException("--scenes: no scene given");
        }
        return names;
    }

    /**
     * Makes {@code out} ready: with --resume, refuses a folder whose settings file says other settings; without it,
     * starts over (removes dataset.json and the block files; sequences are rendered again). Records the settings.
     */
    private void prepare(DatasetInfo.Settings s) {
        Path settingsFile = out.resolve(DatasetInfo.SETTINGS_FILE);
        String json = s.toJson();
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new UserException(out + ": cannot write (exists and is not a folder)");
            }
            boolean hasSettings = Files.isRegularFile(settingsFile);
            if (resume && hasSettings && !Files.readString(settingsFile, StandardCharsets.UTF_8).equals(json)) {
                throw new UserException(out + ": cannot --resume: the dataset there was made with other settings"
                        + " (see " + DatasetInfo.SETTINGS_FILE + "); run without --resume to start over");
            }
            // Blocks are kept only from a run whose recorded settings are these; with nothing recorded, start over.
            keepBlocks = resume && hasSettings;
            Files.createDirectories(out);
            Files.deleteIfExists(out.resolve(DatasetInfo.FILE_NAME));
            Path blocks = out.resolve(DatasetInfo.BLOCKS_DIR);
            if (Files.isDirectory(blocks)) {
                try (Stream<Path> files = Files.list(blocks)) {
                    for (Path f : files.toList()) {
                        String n = f.getFileName().toString();
                        // Temporary files of a crash always go; whole blocks only when starting over.
                        if (BLOCK_FILE.matcher(n).matches() && (!keepBlocks || n.startsWith("."))) {
                            Files.delete(f);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UserException(out + ": cannot write (" + e.getMessage() + ")");
        }
        org.reconview.io.TextFiles.writeAtomic(settingsFile, json);
    }

    /** Whether {@code dir} holds a finished sequence of exactly these settings (jitter and cuts as rendered). */
    private static boolean isFinished(Path dir, SequenceInfo expected) {
        Path json = dir.resolve(SequenceInfo.FILE_NAME);
        if (!Files.isRegularFile(json)) {
            return false;
        }
        SequenceInfo found;
        try {
            found = SequenceInfo.read(json);
        } catch (UserException e) {
            return false;
        }
        var jitter = expected.jitter;
        var cuts = expected.cuts;
        var motion = expected.motion;
        expected.jitter = found.jitter;
        expected.cuts = found.cuts;
        expected.motion = found.motion;
        boolean same = expected.toJson().equals(found.toJson());
        expected.jitter = jitter;
        expected.cuts = cuts;
        expected.motion = motion;
        return same;
    }
}
