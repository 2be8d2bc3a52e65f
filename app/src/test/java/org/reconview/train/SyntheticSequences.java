package org.reconview.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.reconview.io.FloatImage;
import org.reconview.io.FrameImages;
import org.reconview.io.SequenceInfo;
import org.reconview.io.SequenceWriter;

/**
 * Sequences made without a renderer (so tests that train need no GL context): a smooth pattern in translation, the
 * reference sampled at pixel centres, the 1-spp colour at the jittered sample position plus seeded noise, motion the
 * exact displacement (current to previous), and a cut half way with another velocity and pattern phase.
 */
public final class SyntheticSequences {
    private SyntheticSequences() {
    }

    static double pattern(double x, double y, double phase) {
        return 0.6 + 0.45 * Math.sin(0.55 * x + 0.3 * y + phase) * Math.cos(0.21 * x - 0.47 * y)
                + 0.25 * Math.sin(0.9 * x + phase) * Math.sin(0.7 * y);
    }

    /** Velocity (pixels per frame) of a shot. */
    static double[] velocity(int shot) {
        return shot == 0 ? new double[] {1.3, -0.7} : new double[] {-0.9, 1.1};
    }

    /** The sequence in memory. */
    public static TrainingFrames.Sequence sequence(String name, int w, int h, int frames, long seed) {
        int cut = frames / 2;
        float[][] color = new float[frames][w * h * 3];
        float[][] motion = new float[frames][w * h * 2];
        float[][] reference = new float[frames][w * h * 3];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        for (int t = 0; t < frames; t++) {
            int shot = t < cut ? 0 : 1;
            int local = shot == 0 ? t : t - cut;
            double[] v = velocity(shot);
            double jx = (local % 4) * 0.25 - 0.375;
            double jy = ((local * 3) % 4) * 0.25 - 0.375;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    for (int c = 0; c < 3; c++) {
                        double phase = shot * 1.7 + c * 0.9 + seed;
                        double cx = x + 0.5 - v[0] * local;
                        double cy = y + 0.5 - v[1] * local;
                        reference[t][p * 3 + c] = (float) pattern(cx, cy, phase);
                        color[t][p * 3 + c] = (float) Math.max(0, pattern(cx + jx, cy + jy, phase)
                                + 0.1 * (rnd.nextDouble() - 0.5));
                    }
                    if (local > 0) {
                        motion[t][p * 2] = (float) -v[0];
                        motion[t][p * 2 + 1] = (float) -v[1];
                    }
                }
            }
        }
        return new TrainingFrames.Sequence(name, w, h, List.of(new int[] {0, cut}, new int[] {cut, frames}), color,
                motion, reference);
    }

    /** Writes {@link #sequence} as a sequence folder (EXR files and sequence.json). */
    public static Path write(Path dir, int w, int h, int frames, long seed) {
        TrainingFrames.Sequence q = sequence(dir.getFileName().toString(), w, h, frames, seed);
        SequenceInfo info = new SequenceInfo(w, h, frames);
        info.scene = "synthetic";
        info.seed = seed;
        info.spp = 1;
        info.hasReference = true;
        info.cuts = new ArrayList<>(List.of(0, frames / 2));
        info.jitter = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            info.jitter.add(new float[] {0f, 0f});
        }
        SequenceWriter sw = SequenceWriter.create(dir, info);
        for (int t = 0; t < frames; t++) {
            FloatImage c = new FloatImage(w, h, 4);
            FloatImage m = new FloatImage(w, h, 2);
            FloatImage r = new FloatImage(w, h, 4);
            for (int p = 0; p < w * h; p++) {
                for (int k = 0; k < 3; k++) {
                    c.data[p * 4 + k] = q.color()[t][p * 3 + k];
                    r.data[p * 4 + k] = q.reference()[t][p * 3 + k];
                }
                c.data[p * 4 + 3] = 1;
                r.data[p * 4 + 3] = 1;
                m.data[p * 2] = q.motion()[t][p * 2];
                m.data[p * 2 + 1] = q.motion()[t][p * 2 + 1];
            }
            sw.write(new FrameImages(t, c, m, null, r, 0f, 0f, info.isCut(t)));
        }
        sw.finish();
        return dir;
    }
}
