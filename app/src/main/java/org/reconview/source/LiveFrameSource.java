package org.reconview.source;

import java.util.List;
import org.reconview.gl.Framebuffer;
import org.reconview.gl.Texture2D;
import org.reconview.scene.Halton;
import org.reconview.scene.ReferenceAccumulator;
import org.reconview.scene.Scene;
import org.reconview.scene.SceneRenderer;

/**
 * Frames rendered live from a scene: one jittered sample per pixel (Halton(2,3) jitter with a configurable period)
 * with motion and depth, and, when {@code referenceSamples > 0}, the supersampled reference of the same instant.
 */
public final class LiveFrameSource implements FrameSource {
    public static final int DEFAULT_JITTER_PERIOD = 16;

    private final Scene scene;
    private final int width;
    private final int height;
    private final int referenceSamples;
    private final int jitterPeriod;
    private final int frameCount;
    private final SceneRenderer renderer;
    private final ReferenceAccumulator accumulator;
    private final Texture2D color;
    private final Texture2D motion;
    private final Texture2D depth;
    private final Texture2D reference;
    private final Framebuffer target;
    private final Framebuffer referenceTarget;

    public LiveFrameSource(Scene scene, int width, int height, int referenceSamples, int jitterPeriod) {
        if (jitterPeriod < 1) {
            throw new IllegalArgumentException("jitter period " + jitterPeriod);
        }
        this.scene = scene;
        this.width = width;
        this.height = height;
        this.referenceSamples = referenceSamples;
        this.jitterPeriod = jitterPeriod;
        this.frameCount = (int) Math.round(scene.duration() * scene.fps());
        renderer = new SceneRenderer(scene);
        color = new Texture2D(width, height, Texture2D.RGBA32F);
        motion = new Texture2D(width, height, Texture2D.RG32F);
        depth = new Texture2D(width, height, Texture2D.R32F);
        target = new Framebuffer(List.of(color, motion, depth), true);
        if (referenceSamples > 0) {
            reference = new Texture2D(width, height, Texture2D.RGBA32F);
            referenceTarget = new Framebuffer(List.of(reference), false);
            accumulator = new ReferenceAccumulator(renderer, width, height);
        } else {
            reference = null;
            referenceTarget = null;
            accumulator = null;
        }
    }

    public Scene scene() {
        return scene;
    }

    public int referenceSamples() {
        return referenceSamples;
    }

    public int jitterPeriod() {
        return jitterPeriod;
    }

    @Override
    public String name() {
        return scene.name();
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    /** Frames in one loop of the scene's animation. */
    @Override
    public int frameCount() {
        return frameCount;
    }

    @Override
    public Frame frame(int index) {
        return begin(index).finish();
    }

    /** The 1-spp frame, then the reference a sample at a time, each pass in strips ({@link #strips}), then its resolve. */
    @Override
    public org.reconview.Job<Frame> begin(int index) {
        double t = scene.time(index);
        boolean cut = scene.isCut(index);
        // A cut frame has no previous frame in its shot: its motion is zero rather than a vector into another shot
        // (frame 0 would otherwise look back across the loop point, with meaningless, huge motion).
        double tPrev = cut ? t : scene.time(index - 1);
        float[] j = Halton.jitter(index, jitterPeriod);
        java.util.List<Runnable> steps = new java.util.ArrayList<>();
        int n = strips(width, height);
        int per = (height + n - 1) / n;
        java.util.List<int[]> strips = new java.util.ArrayList<>(); // {first row, rows}
        for (int y = 0; y < height; y += per) {
            strips.add(new int[] {y, Math.min(per, height - y)});
        }
        for (int[] r : strips) {
            steps.add(() -> renderer.render(target, width, height, t, tPrev, j[0], j[1], r[0], r[1]));
        }
        if (accumulator != null) {
            steps.add(accumulator::clear);
            for (int i = 0; i < referenceSamples; i++) {
                int sample = i;
                for (int[] r : strips) {
                    steps.add(() -> accumulator.addSample(sample, t, tPrev, r[0], r[1]));
                }
            }
            steps.add(() -> accumulator.resolve(referenceTarget));
        }
        return new org.reconview.Job<>(steps, () -> new Frame(index, t, j[0], j[1], cut, color, motion, depth,
                reference));
    }

    /**
     * Pixels a step of {@link #begin} renders: each scene pass is cut into horizontal strips of about this many
     * (a 256x256 pass on a CPU rasteriser takes tens of ms, a strip a few; the images are the same, see
     * SceneRenderer's strip render).
     */
    static final int PIXELS_PER_STEP = 8192;

    /** Strips a scene pass of {@code width x height} is cut into. */
    static int strips(int width, int height) {
        return (int) Math.max(1, Math.min(height, ((long) width * height + PIXELS_PER_STEP - 1) / PIXELS_PER_STEP));
    }

    public long triangles() {
        return renderer.triangles();
    }

    @Override
    public void close() {
        target.close();
        if (accumulator != null) {
            accumulator.close();
            referenceTarget.close();
            reference.close();
        }
        color.close();
        motion.close();
        depth.close();
        renderer.close();
    }
}
