package org.reconview.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;

/** Damaged chunk tables are refused naming the file, instead of decoding from uninitialised memory. */
class ExrChunkCheckTest {
    @TempDir
    Path tmp;

    Path written() {
        Path f = tmp.resolve("a.exr");
        ExrImages.write(f, ExrImagesTest.random(40, 50, 4, 3), "R", "G", "B", "A");
        return f;
    }

    static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void aSoundFileReadsAndTwoReadsAgree() {
        Path f = written();
        assertArrayEquals(ExrImages.read(f, "R", "G", "B").data, ExrImages.read(f, "R", "G", "B").data);
    }

    @Test
    void duplicatedChunkOffsetsAreRefused() throws Exception {
        Path f = written();
        byte[] bytes = Files.readAllBytes(f);
        ExrChunkCheck.Header h = ExrChunkCheck.header(f.toString(), le(bytes));
        assertEquals(3, h.compression(), "our writer uses ZIP (16 lines a chunk)");
        ByteBuffer b = le(bytes);
        long second = b.getLong(h.tableStart() + 8);
        b.putLong(h.tableStart(), second);
        Path bad = tmp.resolve("dup.exr");
        Files.write(bad, bytes);
        UserException e = assertThrows(UserException.class, () -> ExrImages.read(bad, "R", "G", "B"));
        assertTrue(e.getMessage().startsWith(bad.toString() + ": chunk 0 of 4"), e.getMessage());
    }

    @Test
    void aChunkThatDecompressesShortIsRefused() throws Exception {
        Path f = written();
        byte[] bytes = Files.readAllBytes(f);
        ExrChunkCheck.Header h = ExrChunkCheck.header(f.toString(), le(bytes));
        ByteBuffer b = le(bytes);
        // Chunk 1 claims chunk 2's line: its own data then decodes as the wrong part of the image.
        int off = (int) b.getLong(h.tableStart() + 8);
        b.putInt(off, b.getInt(off) + 16);
        Path bad = tmp.resolve("y.exr");
        Files.write(bad, bytes);
        UserException e = assertThrows(UserException.class, () -> ExrImages.read(bad, "R"));
        assertTrue(e.getMessage().contains("starts at line 32, expected 16"), e.getMessage());
        // A chunk cut short inside the file: keep the size field, zero the tail of its deflate stream.
        bytes = Files.readAllBytes(f);
        b = le(bytes);
        off = (int) b.getLong(h.tableStart() + 16);
        int size = b.getInt(off + 4);
        for (int i = off + 8 + size / 2; i < off + 8 + size; i++) {
            bytes[i] = 0;
        }
        Path cut = tmp.resolve("cut.exr");
        Files.write(cut, bytes);
        UserException e2 = assertThrows(UserException.class, () -> ExrImages.read(cut, "R"));
        assertTrue(e2.getMessage().startsWith(cut + ": chunk 2 of 4"), e2.getMessage());
    }
}
