package org.reconview.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.reconview.io.ExrImagesTest.assertBitExact;
import static org.reconview.io.ExrImagesTest.random;

/**
 * Layered single-part files ({@code Color.R}) and multipart files from two writers other than ours (tinyexr's
 * multipart API, and bytes written by hand from OpenEXR's file layout) read back exactly, by every channel address
 * form; wrong addresses and damaged multipart files are one-line errors naming the file.
 */
class ExrPartsTest {
    static final int W = 13, H = 9;

    @TempDir
    Path tmp;

    /** Channels {@code from..from+n-1} of {@code img} as an n-channel image. */
    static FloatImage pick(FloatImage img, int from, int n) {
        FloatImage out = new FloatImage(img.width, img.height, n);
        for (int i = 0; i < img.width * img.height; i++) {
            System.arraycopy(img.data, i * img.channels + from, out.data, i * n, n);
        }
        return out;
    }

    static void assertOneLine(UserException e, Path file, String... fragments) {
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
    }

    @Test
    void layeredChannelsOfASinglePartFileReadBackExactly() {
        FloatImage img = random(W, H, 7, 3);
        Path f = tmp.resolve("beauty.0001.exr");
        ExrImages.write(f, img, "Color.R", "Color.G", "Color.B", "Color.A", "MotionVectors.X", "MotionVectors.Y",
                "Z");
        assertBitExact(pick(img, 0, 3).data, ExrImages.read(f, "Color.R", "Color.G", "Color.B").data);
        assertBitExact(pick(img, 4, 2).data, ExrImages.read(f, "MotionVectors.X", "MotionVectors.Y").data);
        // An optional alpha from the same layer, a depth among candidates.
        assertBitExact(pick(img, 0, 4).data,
                ExrImages.readWithOptional(f, "Color.A", 1f, "Color.R", "Color.G", "Color.B").data);
        assertBitExact(pick(img, 6, 1).data, ExrImages.readFirstChannel(f, "depth.Z", "Z").data);
        ExrLayout layout = ExrImages.layout(f);
        assertFalse(layout.multipart());
        assertEquals(List.of("Color.A", "Color.B", "Color.G", "Color.R", "MotionVectors.X", "MotionVectors.Y", "Z"),
                layout.names());
        assertArrayEquals(new int[] {W, H}, layout.size("Color.R", "Z"));
        UserException e = assertThrows(UserException.class, () -> ExrImages.read(f, "Color.R", "Color.Q"));
        assertEquals(f + ": missing channel 'Color.Q' (has Color.A, Color.B, Color.G, Color.R, MotionVectors.X, "
                + "MotionVectors.Y, Z)", e.getMessage());
    }

    private List<ExrTestFiles.Part> twoParts(FloatImage beauty, FloatImage mv, FloatImage depth) {
        return List.of(new ExrTestFiles.Part("beauty", beauty, "R", "G", "B", "A"),
                new ExrTestFiles.Part("mv", mv, "X", "Y"),
                new ExrTestFiles.Part("depth", depth, "depth.Z"));
    }

    private void checkMultipart(Path f, FloatImage beauty, FloatImage mv, FloatImage depth) {
        // PART/CHANNEL, a channel only one part has, LAYER.CHANNEL as part name + channel, a layer spelt with '/'.
        assertBitExact(pick(beauty, 0, 3).data, ExrImages.read(f, "beauty/R", "beauty/G", "beauty/B").data);
        assertBitExact(pick(beauty, 0, 3).data, ExrImages.read(f, "R", "G", "B").data);
        assertBitExact(pick(beauty, 2, 2).data, ExrImages.read(f, "beauty.B", "A").data);
        assertBitExact(mv.data, ExrImages.read(f, "mv/X", "mv/Y").data);
        assertBitExact(depth.data, ExrImages.read(f, "depth/Z").data);
        assertBitExact(depth.data, ExrImages.read(f, "depth.Z").data);
        // Channels of several parts in one image, in the order asked.
        FloatImage mixed = ExrImages.read(f, "mv/Y", "beauty/R", "depth/Z");
        for (int i = 0; i < W * H; i++) {
            assertEquals(Float.floatToRawIntBits(mv.data[2 * i + 1]), Float.floatToRawIntBits(mixed.data[3 * i]));
            assertEquals(Float.floatToRawIntBits(beauty.data[4 * i]), Float.floatToRawIntBits(mixed.data[3 * i + 1]));
            assertEquals(Float.floatToRawIntBits(depth.data[i]), Float.floatToRawIntBits(mixed.data[3 * i + 2]));
        }
        ExrLayout layout = ExrImages.layout(f);
        assertTrue(layout.multipart());
        assertEquals(List.of("beauty", "mv", "depth"), layout.parts().stream().map(ExrLayout.Part::name).toList());
        assertEquals(List.of("beauty/A", "beauty/B", "beauty/G", "beauty/R", "mv/X", "mv/Y", "depth/depth.Z"),
                ExrImages.channels(f));
        UserException missing = assertThrows(UserException.class, () -> ExrImages.read(f, "mv/Z"));
        assertOneLine(missing, f, "missing channel 'mv/Z'", "mv/X", "beauty/R");
        UserException noPart = assertThrows(UserException.class, () -> ExrImages.read(f, "albedo/R"));
        assertOneLine(noPart, f, "missing part 'albedo'", "beauty, mv, depth");
    }

    @Test
    void multipartFromTinyexrsWriterReadsBackExactly() {
        FloatImage beauty = random(W, H, 4, 11), mv = random(W, H, 2, 12), depth = random(W, H, 1, 13);
        Path f = tmp.resolve("tinyexr-multipart.exr");
        ExrTestFiles.writeMultipartTinyexr(f, twoParts(beauty, mv, depth));
        checkMultipart(f, beauty, mv, depth);
    }

    @Test
    void multipartWrittenByHandFromTheFileLayoutReadsBackExactly() {
        FloatImage beauty = random(W, H, 4, 21), mv = random(W, H, 2, 22), depth = random(W, H, 1, 23);
        Path f = tmp.resolve("hand-multipart.exr");
        ExrTestFiles.writeMultipartByHand(f, twoParts(beauty, mv, depth));
        checkMultipart(f, beauty, mv, depth);
    }

    @Test
    void aChannelInTwoPartsMustBeNamedByItsPart() {
        FloatImage a = random(W, H, 3, 31), b = random(W, H, 3, 32);
        Path f = tmp.resolve("two.exr");
        ExrTestFiles.writeMultipartByHand(f, List.of(new ExrTestFiles.Part("left", a, "R", "G", "B"),
                new ExrTestFiles.Part("right", b, "R", "G", "B")));
        UserException e = assertThrows(UserException.class, () -> ExrImages.read(f, "R"));
        assertOneLine(e, f, "channel 'R' is in parts left, right", "PART/R");
        assertBitExact(pick(b, 1, 1).data, ExrImages.read(f, "right/G").data);
        assertBitExact(pick(a, 1, 1).data, ExrImages.read(f, "left/G").data);
    }

    @Test
    void partsOfDifferentSizesAreNotMixed() {
        Path f = tmp.resolve("sizes.exr");
        ExrTestFiles.writeMultipartByHand(f, List.of(new ExrTestFiles.Part("big", random(W, H, 1, 1), "Y"),
                new ExrTestFiles.Part("small", random(W - 2, H, 1, 2), "Z")));
        assertEquals(W - 2, ExrImages.read(f, "Z").width);
        UserException e = assertThrows(UserException.class, () -> ExrImages.read(f, "Y", "Z"));
        assertOneLine(e, f, "'Y' (13x9) and 'Z' (11x9) lie in parts of different sizes");
    }

    @Test
    void damagedMultipartFilesAreOneLineErrors() throws Exception {
        List<ExrTestFiles.Part> parts = twoParts(random(W, H, 4, 41), random(W, H, 2, 42), random(W, H, 1, 43));
        byte[] good = ExrTestFiles.multipartBytes(parts);
        int tables = good.length;
        // Find the offset tables: the first table entry is the first chunk's offset, right after all the tables.
        for (int i = 8; i + 8 <= good.length; i++) {
            long v = ByteBuffer.wrap(good, i, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (v == i + 8L * 3 * H) {
                tables = i;
                break;
            }
        }
        assertTrue(tables < good.length, "offset table found");

        // Two table entries pointing at one chunk.
        byte[] dup = good.clone();
        System.arraycopy(dup, tables, dup, tables + 8, 8);
        Path f = tmp.resolve("dup.exr");
        Files.write(f, dup);
        assertOneLine(assertThrows(UserException.class, () -> ExrImages.read(f, "R")), f,
                "part 'beauty' chunk 1 of 9", "shares offset");

        // A chunk of part 1 tagged as part 0.
        byte[] tag = good.clone();
        long mvChunk = ByteBuffer.wrap(tag, tables + 8 * H, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ByteBuffer.wrap(tag).order(ByteOrder.LITTLE_ENDIAN).putInt((int) mvChunk, 0);
        Path g = tmp.resolve("tag.exr");
        Files.write(g, tag);
        assertOneLine(assertThrows(UserException.class, () -> ExrImages.read(g, "mv/X")), g,
                "part 'mv' chunk 0 of 9 is tagged part 0");

        // Truncated in the middle of the chunks.
        Path t = tmp.resolve("short.exr");
        Files.write(t, java.util.Arrays.copyOf(good, good.length - 100));
        assertOneLine(assertThrows(UserException.class, () -> ExrImages.read(t, "depth/depth.Z")), t,
                "past the end of the file");

        // Cut inside the headers.
        Path h = tmp.resolve("header.exr");
        Files.write(h, java.util.Arrays.copyOf(good, 200));
        assertOneLine(assertThrows(UserException.class, () -> ExrImages.layout(h)), h, "truncated");

        // The intact bytes read.
        Path ok = tmp.resolve("ok.exr");
        Files.write(ok, good);
        assertBitExact(pick(parts.get(0).image(), 0, 1).data, ExrImages.read(ok, "beauty/R").data);
    }

    @Test
    void singlePartBehaviourIsAsBefore() {
        FloatImage img = random(W, H, 3, 51);
        Path f = tmp.resolve("rgb.exr");
        ExrImages.write(f, img, "R", "G", "B");
        UserException e = assertThrows(UserException.class, () -> ExrImages.read(f, "R", "A"));
        assertEquals(f + ": missing channel 'A' (has B, G, R)", e.getMessage());
        e = assertThrows(UserException.class, () -> ExrImages.readFirstChannel(f, "Z", "Y"));
        assertEquals(f + ": missing channel 'Z' or 'Y' (has B, G, R)", e.getMessage());
        assertEquals(List.of("B", "G", "R"), ExrImages.channels(f));
    }
}
