package org.reconview.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.reconview.gl.GlContext;
import org.reconview.io.FrameImages;
import org.reconview.io.SequenceInfo;
import org.reconview.io.SequenceWriter;
import org.reconview.scene.Halton;
import org.reconview.scene.ReferenceFilter;
import org.reconview.scene.Scene;
import org.reconview.source.LiveFrameSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

@Command(name = "render",
        description = {"Render a scene to an EXR sequence: NNNN.color.exr (1 spp, jittered), NNNN.motion.exr, "
            + "NNNN.depth.exr, NNNN.reference.exr (--spp samples, Blackman-Harris, accumulated in PQ; none "
            + "with --spp 0) and sequence.json.",
            "sequence.json is written last: a folder without it is an unfinished render (finish it with --resume)."})
final class RenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scene", required = true, paramLabel = "<NAME|FILE>",
            description = "built-in scene (see 'scenes') or mesh file")
    String scene;

    @Mixin
    SizeOption size = new SizeOption();

    @Option(names = "--frames", defaultValue = "30", paramLabel = "<N>",
            description = "frames to render (default: ${DEFAULT-VALUE})")
    int frames;

    @Mixin
    SppOption spp = new SppOption();

    @Option(names = "--out", required = true, paramLabel = "<DIR>", description = "output folder")
    Path out;

    @Mixin
    LayoutSeedOption seed = new LayoutSeedOption();

    @Option(names = "--jitter-period", defaultValue = "16", paramLabel = "<N>",
            description = "length of the Halton(2,3) jitter cycle (default: ${DEFAULT-VALUE})")
    int jitterPeriod;

    @Option(names = "--replace", description = "remove the sequence already in --out first (without it, a folder "
            + "holding another sequence is refused, so that its extra frames are never left mixed with these)")
    boolean replace;

    @Option(names = "--resume", description = "keep frames an interrupted render of the same settings already wrote "
            + "(rendering is deterministic, so they equal what would be rendered again)")
    boolean resume;

    @Override
    public Integer call() {
        Size s = size.size;
        Options.positive("--frames", frames);
        Options.atLeast("--spp", spp.spp, 0);
        Options.positive("--jitter-period", jitterPeriod);
        Scene sc = SceneArgument.resolve(scene, seed.seed);
        SequenceInfo info = describe(sc, s, frames, spp.spp, seed.seed, jitterPeriod);
        // Fails before any rendering if out is unwritable (or, resuming, holds a render of other settings).
        if (resume && replace) {
            throw new org.reconview.UserException("--resume and --replace: choose one (continue the render there, or"
                    + " remove it and start over)");
        }
        SequenceWriter writer = resume ? SequenceWriter.resume(out, info) : SequenceWriter.create(out, info, replace);
        try (GlContext gl = GlContext.hidden()) {
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "render " + sc.name(), frames, "frames");
            int kept = renderFrames(writer, sc, s, 0, frames, spp.spp, jitterPeriod, resume, bar);
            if (kept > 0) {
                spec.commandLine().getOut().println("resumed: kept " + kept + " frames already on disk");
            }
            writer.finish();
        }
        spec.commandLine().getOut().println("wrote " + frames + " frames of " + sc.name() + " (" + s + ", reference "
                + spp.spp + " spp) to " + out.toAbsolutePath().normalize());
        return 0;
    }

    /**
     * The render loop (GL context current): scene frames {@code start .. start + frames - 1} become sequence frames
     * {@code 0 .. frames - 1} of {@code writer} (frame k with the scene's jitter and cut flag of frame start + k);
     * when {@code resume}, frames already on disk are kept. Does not finish the writer. Returns how many were kept.
     * Shared with {@code dataset}.
     */
    static int renderFrames(SequenceWriter writer, Scene sc, Size s, int start, int frames, int spp, int jitterPeriod,
            boolean resume, ProgressBar bar) {
        int kept = 0;
        try (LiveFrameSource source = new LiveFrameSource(sc, s.width(), s.height(), spp, jitterPeriod)) {
            bar.update(0);
            for (int i = 0; i < frames; i++) {
                if (resume && writer.isOnDisk(i)) {
                    float[] j = Halton.jitter(start + i, jitterPeriod);
                    writer.adopt(i, j[0], j[1], sc.isCut(start + i));
                    kept++;
                } else {
                    FrameImages f = source.frame(start + i).download();
                    // A written frame is never NaN: the renderer guards its normals; refuse rather than write one.
                    int bad = f.color().countNonFinite() + (f.reference() != null ? f.reference().countNonFinite() : 0)
                            + f.motion().countNonFinite();
                    if (bad > 0) {
                        throw new org.reconview.UserException(sc.name() + ": frame " + (start + i) + " renders " + bad
                                + " NaN/Inf values (degenerate geometry?); nothing written for it");
                    }
                    writer.write(start == 0 ? f : new FrameImages(i, f.color(), f.motion(), f.depth(), f.reference(),
                            f.jitterX(), f.jitterY(), f.cut()));
                }
                bar.update(i + 1);
            }
        }
        return kept;
    }

    /** The sequence.json of a live render; jitter and cuts are filled in by the writer from the frames. */
    static SequenceInfo describe(Scene scene, Size size, int frames, int spp, long seed, int jitterPeriod) {
        SequenceInfo info = new SequenceInfo(size.width(), size.height(), frames);
        info.fps = scene.fps();
        info.scene = scene.name();
        info.seed = seed;
        info.spp = spp;
        info.jitterPeriod = jitterPeriod;
        info.hasDepth = true;
        info.hasReference = spp > 0;
        info.depth = "linear view depth (distance along the view axis, scene units); far plane where no geometry";
        info.referenceFilter = spp > 0 ? "Blackman-Harris window, radius " + ReferenceFilter.RADIUS
                + " px, importance-sampled at Halton(2,3) offsets, accumulated in PQ (1000 nits)" : null;
        info.source = "reconview " + Main.VERSION + " render";
        return info;
    }
}
