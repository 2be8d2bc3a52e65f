package org.reconview.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.reconview.io.ExrImagesTest.assertBitExact;
import static org.reconview.io.ExrImagesTest.random;

/** One small sequence twice: in our layout, and as another renderer might write it (for the import tests). */
public final class ForeignFolders {
    public static final int W = 32, H = 16, FRAMES = 3;

    private ForeignFolders() {
    }

    /** Frames with motion in multiples of 1/8 px, so that uv storage (x/W, y/H, powers of two) converts back exactly. */
    public static FrameImages frame(int i) {
        FloatImage motion = new FloatImage(W, H, 2);
        java.util.Random r = new java.util.Random(100 + i);
        for (int k = 0; k < motion.data.length; k++) {
            motion.data[k] = (r.nextInt(129) - 64) / 8f;
        }
        return new FrameImages(i, random(W, H, 4, 10 + i), motion, random(W, H, 1, 30 + i), random(W, H, 4, 40 + i),
                0f, 0f, i == 0);
    }

    /** The same frames in our layout. */
    public static Path writeNative(Path dir) {
        SequenceInfo info = new SequenceInfo(W, H, FRAMES);
        info.hasDepth = true;
        info.hasReference = true;
        SequenceWriter w = SequenceWriter.create(dir, info);
        for (int i = 0; i < FRAMES; i++) {
            w.write(frame(i));
        }
        w.finish();
        return dir;
    }

    /**
     * The same frames as another renderer might write them, numbered from 1: {@code render/beauty.####.exr} layered
     * (Color.R/G/B/A among other layers), {@code aov.####.exr} multipart (part "mvec" with uv, previous-to-current
     * motion X, Y; part "depth" with Z) by hand, {@code ref/####.exr} multipart from tinyexr (part "gt": R, G, B, A).
     */
    public static void writeForeign(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("render"));
        Files.createDirectories(dir.resolve("ref"));
        for (int i = 0; i < FRAMES; i++) {
            FrameImages f = frame(i);
            String n = String.format("%04d", i + 1);
            FloatImage beauty = new FloatImage(W, H, 7);
            FloatImage albedo = random(W, H, 3, 90 + i);
            for (int p = 0; p < W * H; p++) {
                System.arraycopy(f.color().data, 4 * p, beauty.data, 7 * p, 4);
                System.arraycopy(albedo.data, 3 * p, beauty.data, 7 * p + 4, 3);
            }
            ExrImages.write(dir.resolve("render/beauty." + n + ".exr"), beauty, "Color.R", "Color.G", "Color.B",
                    "Color.A", "Albedo.R", "Albedo.G", "Albedo.B");
            FloatImage uv = new FloatImage(W, H, 2);
            for (int p = 0; p < W * H; p++) {
                uv.data[2 * p] = -f.motion().data[2 * p] / W;
                uv.data[2 * p + 1] = -f.motion().data[2 * p + 1] / H;
            }
            ExrTestFiles.writeMultipartByHand(dir.resolve("aov." + n + ".exr"), List.of(
                    new ExrTestFiles.Part("mvec", uv, "X", "Y"), new ExrTestFiles.Part("depth", f.depth(), "Z")));
            ExrTestFiles.writeMultipartTinyexr(dir.resolve("ref/" + n + ".exr"), List.of(
                    new ExrTestFiles.Part("gt", f.reference(), "R", "G", "B", "A"),
                    new ExrTestFiles.Part("other", random(W, H, 1, 7), "Y")));
        }
    }

    public static void assertSameFrames(Path expectedDir, Path actualDir) {
        SequenceFolder expected = SequenceFolder.open(expectedDir);
        SequenceFolder actual = SequenceFolder.open(actualDir);
        assertEquals(expected.info().frames, actual.info().frames);
        assertEquals(expected.info().width, actual.info().width);
        assertEquals(expected.info().height, actual.info().height);
        for (int i = 0; i < expected.info().frames; i++) {
            FrameImages e = expected.read(i), a = actual.read(i);
            assertEquals(e.index(), a.index());
            assertBitExact(e.color().data, a.color().data);
            assertBitExact(e.motion().data, a.motion().data);
            assertBitExact(e.depth().data, a.depth().data);
            assertBitExact(e.reference().data, a.reference().data);
            assertEquals(e.jitterX(), a.jitterX());
            assertEquals(e.jitterY(), a.jitterY());
            assertEquals(e.cut(), a.cut());
        }
    }
}
