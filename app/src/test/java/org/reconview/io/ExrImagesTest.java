package org.reconview.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwjgl.util.tinyexr.TinyEXR;
import org.reconview.UserException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ExrImagesTest {
    @TempDir
    Path tmp;

    static FloatImage random(int w, int h, int c, long seed) {
        Random r = new Random(seed);
        FloatImage img = new FloatImage(w, h, c);
        for (int i = 0; i < img.data.length; i++) {
            switch (i % 5) {
                case 0 -> img.data[i] = (float) r.nextGaussian();
                case 1 -> img.data[i] = -r.nextFloat() * 100f;
                case 2 -> img.data[i] = 5000f + r.nextFloat();
                case 3 -> img.data[i] = r.nextFloat() * 1e-6f;
                default -> img.data[i] = Float.intBitsToFloat(r.nextInt() & 0x7f7fffff) * (r.nextBoolean() ? 1 : -1);
            }
        }
        img.data[0] = 5000f;
        img.data[img.data.length - 1] = -0f;
        return img;
    }

    static void assertBitExact(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail("index " + i + ": expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    @Test
    void roundTripIsBitExact() {
        String[][] names = {{"Z"}, {"R", "G"}, {"R", "G", "B", "A"}};
        for (String[] n : names) {
            FloatImage img = random(37, 23, n.length, n.length);
            Path f = tmp.resolve("rt" + n.length + ".exr");
            ExrImages.write(f, img, n);
            FloatImage back = ExrImages.read(f, n);
            assertEquals(37, back.width);
            assertEquals(23, back.height);
            assertEquals(n.length, back.channels);
            assertBitExact(img.data, back.data);
        }
    }

    @Test
    void rowZeroIsTopAndPixelsAreInPlace() {
        FloatImage img = new FloatImage(3, 2, 1);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                img.set(x, y, 0, 10 * y + x);
            }
        }
        Path f = tmp.resolve("pos.exr");
        ExrImages.write(f, img, "Y");
        FloatImage back = ExrImages.read(f, "Y");
        assertEquals(12f, back.get(2, 1, 0));
        assertEquals(1f, back.get(1, 0, 0));
    }

    @Test
    void channelsAreSortedInFileButOrderIsPreserved() {
        FloatImage img = random(5, 4, 4, 7);
        Path f = tmp.resolve("order.exr");
        ExrImages.write(f, img, "R", "G", "B", "A");
        assertEquals(List.of("A", "B", "G", "R"), ExrImages.channels(f));

        FloatImage a = ExrImages.read(f, "A");
        for (int i = 0; i < 20; i++) {
            assertEquals(img.data[i * 4 + 3], a.data[i]);
        }
        FloatImage bgr = ExrImages.read(f, "B", "R", "G");
        for (int i = 0; i < 20; i++) {
            assertEquals(img.data[i * 4 + 2], bgr.data[i * 3]);
            assertEquals(img.data[i * 4], bgr.data[i * 3 + 1]);
            assertEquals(img.data[i * 4 + 1], bgr.data[i * 3 + 2]);
        }
        assertEquals(Optional.of("G"), ExrImages.findChannel(f, "Z", "G", "R"));
        assertEquals(Optional.empty(), ExrImages.findChannel(f, "Z"));
    }

    @Test
    void halfChannelsAreReadAsFloat() throws Exception {
        FloatImage img = random(9, 7, 3, 3);
        for (int i = 0; i < img.data.length; i++) {
            img.data[i] = (i % 50) * 0.25f - 3f; // exactly representable in half
        }
        Path f = tmp.resolve("half.exr");
        ExrImages.write(f, img, TinyEXR.TINYEXR_PIXELTYPE_HALF, "R", "G", "B");
        assertTrue(Files.size(f) > 0);
        assertBitExact(img.data, ExrImages.read(f, "R", "G", "B").data);
    }

    @Test
    void overwriteIsAtomicAndLeavesNoTemporaryFiles() throws Exception {
        Path f = tmp.resolve("over.exr");
        ExrImages.write(f, random(4, 4, 1, 1), "Z");
        FloatImage second = random(6, 5, 1, 2);
        ExrImages.write(f, second, "Z");
        assertBitExact(second.data, ExrImages.read(f, "Z").data);
        try (var s = Files.list(tmp)) {
            assertEquals(List.of("over.exr"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static void assertProblem(Path file, String problem, Runnable r) {
        UserException e = assertThrows(UserException.class, r::run);
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void truncatedFileIsAUserError() throws Exception {
        for (int size : new int[] {64, 64 * 64}) {
            Path f = tmp.resolve("trunc" + size + ".exr");
            ExrImages.write(f, random(size / 8, 8, 4, size), "R", "G", "B", "A");
            byte[] all = Files.readAllBytes(f);
            for (int len : new int[] {all.length / 2, all.length - 1, 40, 7, 0}) {
                Files.write(f, Arrays.copyOf(all, len));
                UserException e = assertThrows(UserException.class, () -> ExrImages.read(f, "R", "G", "B", "A"),
                        "length " + len);
                assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }

    @Test
    void corruptedPixelDataIsAUserErrorOrDecodes() throws Exception {
        Path f = tmp.resolve("corrupt.exr");
        ExrImages.write(f, random(32, 16, 4, 9), "R", "G", "B", "A");
        byte[] all = Files.readAllBytes(f);
        Random r = new Random(1);
        for (int k = 0; k < 20; k++) {
            byte[] bad = all.clone();
            for (int i = all.length / 2; i < all.length; i += 1 + r.nextInt(20)) {
                bad[i] = (byte) r.nextInt();
            }
            Files.write(f, bad);
            try {
                ExrImages.read(f, "R");
            } catch (UserException e) {
                assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
            }
        }
    }

    @Test
    void textFileIsNotAnExr() throws Exception {
        Path f = tmp.resolve("notes.exr");
        Files.writeString(f, "this is just some text, not an image\n");
        assertProblem(f, "not an OpenEXR file", () -> ExrImages.read(f, "R"));
        assertProblem(f, "not an OpenEXR file", () -> ExrImages.channels(f));
    }

    @Test
    void missingFile() {
        Path f = tmp.resolve("nope.exr");
        assertProblem(f, "not found", () -> ExrImages.read(f, "R"));
    }

    @Test
    void missingChannel() {
        Path f = tmp.resolve("rb.exr");
        ExrImages.write(f, random(3, 3, 2, 1), "R", "B");
        assertProblem(f, "missing channel 'G' (has B, R)", () -> ExrImages.read(f, "R", "G", "B"));
    }

    @Test
    void unwritableTarget() throws Exception {
        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "x");
        Path target = file.resolve("out.exr");
        assertProblem(target, "cannot write", () -> ExrImages.write(target, random(2, 2, 1, 1), "Z"));
        Path noDir = tmp.resolve("missing-dir").resolve("out.exr");
        assertProblem(noDir, "cannot write", () -> ExrImages.write(noDir, random(2, 2, 1, 1), "Z"));
        assertProblem(tmp, "cannot write (is a folder)", () -> ExrImages.write(tmp, random(2, 2, 1, 1), "Z"));
    }

    @Test
    void badChannelNamesAreProgrammingErrors() {
        Path f = tmp.resolve("x.exr");
        assertThrows(IllegalArgumentException.class, () -> ExrImages.write(f, random(2, 2, 2, 1), "R"));
        assertThrows(IllegalArgumentException.class, () -> ExrImages.write(f, random(2, 2, 2, 1), "R", "R"));
    }
}
