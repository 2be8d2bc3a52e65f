package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;

/** The block file format: layout, round trip and one-line errors for bad files; no GL. */
class DatasetBlockFileTest {
    @TempDir
    Path tmp;

    static DatasetBlockFile.Header header() {
        return new DatasetBlockFile.Header(2, 3, 4, DatasetBlockFile.CHANNELS, 1, 17, 8, 16, 0.125f);
    }

    static float[] values(DatasetBlockFile.Header h) {
        float[] v = new float[(int) h.values()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.5f - 3f;
        }
        return v;
    }

    @Test
    void layoutIsTheDocumentedOne() throws Exception {
        var h = header();
        Path f = tmp.resolve("000000.bin");
        DatasetBlockFile.write(f, h, values(h));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(192 + 4L * 2 * 3 * 4 * 8, b.capacity(), "56 + 76 bytes of channel names, padded to 192");
        byte[] magic = new byte[8];
        b.get(magic);
        assertEquals("RVBLOCK\0", new String(magic, "US-ASCII"));
        assertEquals(1, b.getInt());
        assertEquals(192, b.getInt());
        assertArrayEquals(new int[] {2, 3, 4, 8, 1, 17, 8, 16},
                new int[] {b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(),
                    b.getInt()});
        assertEquals(0.125f, b.getFloat());
        int len = b.getInt();
        byte[] names = new byte[len];
        b.get(names);
        assertEquals("color.R,color.G,color.B,motion.X,motion.Y,reference.R,reference.G,reference.B",
                new String(names, "UTF-8"));
        // [t][y][x][c]: t=1, y=2, x=1, c=6
        int idx = ((1 * 4 + 2) * 3 + 1) * 8 + 6;
        assertEquals(idx * 0.5f - 3f, b.getFloat(192 + 4 * idx));
    }

    @Test
    void roundTrips() throws Exception {
        var h = header();
        Path f = tmp.resolve("000001.bin");
        float[] v = values(h);
        DatasetBlockFile.write(f, h, v);
        DatasetBlockFile.Block back = DatasetBlockFile.read(f);
        assertEquals(h, back.header());
        assertArrayEquals(v, back.data());
        assertEquals(v[((1 * 4 + 3) * 3 + 2) * 8 + 4], back.get(1, 3, 2, 4));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    static String error(Path f) {
        UserException e = assertThrows(UserException.class, () -> DatasetBlockFile.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        return e.getMessage();
    }

    @Test
    void badFilesAreOneLineErrorsNamingTheFile() throws Exception {
        var h = header();
        Path good = tmp.resolve("good.bin");
        DatasetBlockFile.write(good, h, values(h));
        byte[] bytes = Files.readAllBytes(good);

        Path magic = tmp.resolve("magic.bin");
        byte[] m = bytes.clone();
        m[0] = 'X';
        Files.write(magic, m);
        assertTrue(error(magic).contains("bad magic"));

        Path version = tmp.resolve("version.bin");
        byte[] v = bytes.clone();
        v[8] = 2;
        Files.write(version, v);
        assertTrue(error(version).contains("version 2 unsupported"));

        Path truncated = tmp.resolve("truncated.bin");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 4));
        assertTrue(error(truncated).contains("truncated"));

        Path tiny = tmp.resolve("tiny.bin");
        Files.write(tiny, Arrays.copyOf(bytes, 20));
        assertTrue(error(tiny).contains("truncated"));

        Path size = tmp.resolve("size.bin");
        byte[] s = bytes.clone();
        s[16] = 0; // nt = 0
        Files.write(size, s);
        assertTrue(error(size).contains("bad block size"));

        Path longer = tmp.resolve("long.bin");
        Files.write(longer, Arrays.copyOf(bytes, bytes.length + 4));
        assertTrue(error(longer).contains("too long"));

        assertTrue(error(tmp.resolve("missing.bin")).contains("not found"));
    }
}
