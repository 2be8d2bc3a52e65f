package org.reconview.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.reconview.UserException;
import org.reconview.color.Pq;

/**
 * Training batches cut on the fly from whole frames ({@link TrainingFrames}): each batch element is a window of
 * {@code frames} consecutive frames inside one shot of one sequence (every window of every shot equally likely), a
 * {@code width x height} crop at a uniformly random position, and, when augmenting, a random {@link Augmentation}.
 * Deterministic: element i of batch k comes from a generator seeded by (seed, k, i), so a resumed run sees the same
 * batches as one that never stopped. Colour and reference are PQ-encoded after the exposure change; motion is in
 * pixels of the crop (current to previous).
 */
public final class CropSampler {
    /** One batch element's origin. */
    public record Crop(int sequence, int start, int x, int y, Augmentation augmentation) {
    }

    /** A batch: per frame t, NHWC planes [batch][height][width][3 or 2]. */
    public record Batch(float[][] color, float[][] motion, float[][] reference, List<Crop> crops) {
    }

    private final TrainingFrames data;
    private final int frames;
    private final int width;
    private final int height;
    private final boolean augment;
    private final long seed;
    /** Every (sequence, first frame) whose window lies inside one shot, flattened as pairs. */
    private final int[] windows;

    public CropSampler(TrainingFrames data, int frames, int width, int height, boolean augment, long seed) {
        this.data = data;
        this.frames = frames;
        this.width = width;
        this.height = height;
        this.augment = augment;
        this.seed = seed;
        List<Integer> w = new ArrayList<>();
        for (int s = 0; s < data.sequences().size(); s++) {
            TrainingFrames.Sequence q = data.sequences().get(s);
            if (q.width() < width || q.height() < height) {
                continue;
            }
            for (int[] shot : q.shots()) {
                for (int f = shot[0]; f + frames <= shot[1]; f++) {
                    w.add(s);
                    w.add(f);
                }
            }
        }
        if (w.isEmpty()) {
            throw new UserException("training data: no shot of " + frames + " frames with " + width + "x" + height
                    + " crops in " + data.describe());
        }
        windows = w.stream().mapToInt(Integer::intValue).toArray();
    }

    /** How many distinct windows there are (before crop positions and augmentation). */
    public int windows() {
        return windows.length / 2;
    }

    /** Batch element {@code i} of batch {@code k}. */
    public Crop crop(long k, int i) {
        SplittableRandom rnd = new SplittableRandom((seed * 0x9E3779B97F4A7C15L + k) * 0xBF58476D1CE4E5B9L + i);
        int wi = rnd.nextInt(windows.length / 2);
        int s = windows[2 * wi];
        int f = windows[2 * wi + 1];
        TrainingFrames.Sequence q = data.sequences().get(s);
        Augmentation a = augment ? Augmentation.random(rnd, -1.5f, 0.75f) : Augmentation.NONE;
        if (a.sourceWidth(width, height) > q.width() || a.sourceHeight(width, height) > q.height()) {
            a = new Augmentation(false, a.flipX(), a.flipY(), a.channels(), a.exposureStops());
        }
        int x = rnd.nextInt(q.width() - a.sourceWidth(width, height) + 1);
        int y = rnd.nextInt(q.height() - a.sourceHeight(width, height) + 1);
        return new Crop(s, f, x, y, a);
    }

    /** Batch {@code k} of {@code batch} elements. */
    public Batch batch(long k, int batch) {
        List<Crop> crops = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            crops.add(crop(k, i));
        }
        return cut(crops);
    }

    /** The planes of the given crops. */
    public Batch cut(List<Crop> crops) {
        int b = crops.size();
        int plane = width * height;
        float[][] color = new float[frames][b * plane * 3];
        float[][] motion = new float[frames][b * plane * 2];
        float[][] reference = new float[frames][b * plane * 3];
        for (int i = 0; i < b; i++) {
            Crop c = crops.get(i);
            TrainingFrames.Sequence q = data.sequences().get(c.sequence());
            Augmentation a = c.augmentation();
            float gain = a.gain();
            int[] ch = a.channels();
            for (int t = 0; t < frames; t++) {
                int f = c.start() + t;
                float[] col = q.color()[f];
                float[] mot = q.motion()[f];
                float[] ref = q.reference()[f];
                for (int oy = 0; oy < height; oy++) {
                    for (int ox = 0; ox < width; ox++) {
                        int[] s = a.source(ox, oy, width, height);
                        int src = (c.y() + s[1]) * q.width() + c.x() + s[0];
                        int dst = i * plane + oy * width + ox;
                        for (int k = 0; k < 3; k++) {
                            color[t][dst * 3 + k] = Pq.encode(col[src * 3 + ch[k]] * gain);
                            reference[t][dst * 3 + k] = Pq.encode(ref[src * 3 + ch[k]] * gain);
                        }
                        a.motion(mot[src * 2], mot[src * 2 + 1], motion[t], dst * 2);
                    }
                }
            }
        }
        return new Batch(color, motion, reference, crops);
    }
}
