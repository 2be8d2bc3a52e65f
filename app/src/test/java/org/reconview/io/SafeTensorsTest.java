package org.reconview.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;
import org.reconview.io.SafeTensors.DType;
import org.reconview.io.SafeTensors.Tensor;

/** The safetensors format: exact round trips, a file built by hand from the specification, and bad files. */
class SafeTensorsTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripIsExactForEveryDtype() {
        Random rnd = new Random(5);
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (DType d : DType.values()) {
            byte[] b = new byte[6 * d.bytes()];
            rnd.nextBytes(b);
            t.put("x." + d, new Tensor(d, new int[] {2, 3}, b));
        }
        t.put("scalar", Tensor.ofFloats(new int[] {}, new float[] {Float.NaN}));
        t.put("empty", Tensor.ofFloats(new int[] {0, 4}, new float[0]));
        Map<String, String> meta = Map.of("architecture", "qwnet", "note", "ünïcode \" quotes");
        Path f = tmp.resolve("all.safetensors");
        SafeTensors.write(f, t, meta);
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(t, c.tensors());
        assertEquals(List.copyOf(t.keySet()), List.copyOf(c.tensors().keySet()), "file order kept");
        assertEquals(meta, c.metadata());
        assertArrayEquals(SafeTensors.encode(t, meta), SafeTensors.encode(c.tensors(), c.metadata()));
    }

    @Test
    void layoutFollowsTheSpecification() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a", Tensor.ofFloats(new int[] {3}, new float[] {1f, -2.5f, 3e-8f}));
        t.put("b", Tensor.ofInt8(new int[] {2}, new byte[] {-7, 100}));
        byte[] bytes = SafeTensors.encode(t, Map.of("k", "v"));
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong(0);
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        assertEquals(8 + n + 12 + 2, bytes.length);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{"), header);
        assertEquals(header.stripTrailing() + " ".repeat((int) n - header.stripTrailing().length()), header,
                "padding is spaces");
        assertTrue(header.contains("\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}"), header);
        assertTrue(header.contains("\"b\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[12,14]}"), header);
        assertEquals(-2.5f, bb.getFloat((int) (8 + n + 4)));
        assertEquals(100, bytes[(int) (8 + n + 13)]);
    }

    /** Builds a file byte by byte as the specification describes it (tensors listed out of data order). */
    private static byte[] handMade(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    private static byte[] data(float f0, float f1, byte i0, byte i1, short h0, short h1) {
        ByteBuffer b = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(f0).putFloat(f1).put(i0).put(i1).putShort(h0).putShort(h1);
        return b.array();
    }

    private static final String GOOD = "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"ints\":{\"dtype\":\"I8\",\"shape\":[2,1],\"data_offsets\":[8,10]},"
            + "\"halves\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[10,14]},"
            + "\"floats\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @Test
    void readsAHandWrittenFile() {
        // Unpadded header (allowed), entries not in data order, an F16 tensor (1.0 and -2.0).
        byte[] f = handMade(GOOD, data(1.5f, -0.25f, (byte) -3, (byte) 127, (short) 0x3C00, (short) 0xC000));
        SafeTensors.Contents c = SafeTensors.decode("hand.safetensors", f);
        assertEquals(Map.of("format", "pt"), c.metadata());
        assertEquals(List.of("floats", "ints", "halves"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new float[] {1.5f, -0.25f}, c.tensors().get("floats").floats());
        assertArrayEquals(new int[] {-3, 127}, c.tensors().get("ints").ints());
        assertArrayEquals(new int[] {2, 1}, c.tensors().get("ints").shape());
        assertArrayEquals(new float[] {1f, -2f}, c.tensors().get("halves").floats());
    }

    @Test
    void halfPrecisionConversion() {
        short[] bits = {0x0000, (short) 0x8000, 0x3C00, 0x3555, 0x7BFF, 0x0001, 0x0400, 0x7C00, (short) 0xFC00};
        float[] want = {0f, -0f, 1f, 0.333251953125f, 65504f, 0x1p-24f, 0x1p-14f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY};
        for (int i = 0; i < bits.length; i++) {
            assertEquals(want[i], SafeTensors.halfToFloat(bits[i]), "half 0x" + Integer.toHexString(bits[i]));
        }
        assertTrue(Float.isNaN(SafeTensors.halfToFloat((short) 0x7E00)));
    }

    private String error(byte[] bytes) {
        Path f = tmp.resolve("bad.safetensors");
        try {
            Files.write(f, bytes);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        UserException e = assertThrows(UserException.class, () -> SafeTensors.read(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ": "), m);
        assertFalse(m.contains("\n"), m);
        return m;
    }

    private static byte[] good() {
        return handMade(GOOD, data(1, 2, (byte) 3, (byte) 4, (short) 0, (short) 0));
    }

    @Test
    void truncatedFile() {
        byte[] g = good();
        String m = error(Arrays.copyOf(g, g.length - 3));
        assertTrue(m.contains("truncated (header says " + g.length + " bytes, file has " + (g.length - 3) + ")"),
                m);
        assertTrue(error(Arrays.copyOf(g, 5)).contains("truncated"));
        assertTrue(error(Arrays.copyOf(g, 40)).contains("truncated"), "cut inside the header");
    }

    @Test
    void badHeaderLength() {
        byte[] g = good();
        ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        assertTrue(error(g).contains("bad header length 1099511627776"));
        byte[] h = good();
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 20);
        String m = error(h);
        assertTrue(m.contains("malformed header"), m);
    }

    @Test
    void badOffsets() {
        byte[] d = data(1, 2, (byte) 3, (byte) 4, (short) 0, (short) 0);
        String overlap = GOOD.replace("\"data_offsets\":[8,10]", "\"data_offsets\":[6,8]");
        String m = error(handMade(overlap, d));
        assertTrue(m.contains("tensor 'ints'") && m.contains("overlap tensor 'floats'"), m);
        String outside = GOOD.replace("\"data_offsets\":[10,14]", "\"data_offsets\":[100,104]");
        m = error(handMade(outside, d));
        assertTrue(m.contains("truncated (header says"), m);
        String backwards = GOOD.replace("\"data_offsets\":[10,14]", "\"data_offsets\":[14,10]");
        m = error(handMade(backwards, d));
        assertTrue(m.contains("tensor 'halves'") && m.contains("end before they begin"), m);
        String wrongSize = GOOD.replace("\"shape\":[2],\"data_offsets\":[10,14]",
                "\"shape\":[3],\"data_offsets\":[10,14]");
        m = error(handMade(wrongSize, d));
        assertTrue(m.contains("tensor 'halves'") && m.contains("needs 6 bytes"), m);
        m = error(handMade(GOOD, Arrays.copyOf(d, d.length + 4)));
        assertTrue(m.contains("4 bytes after the last tensor"), m);
        String gap = GOOD.replace("[0,8]", "[0,4]").replace("\"floats\":{\"dtype\":\"F32\",\"shape\":[2]",
                "\"floats\":{\"dtype\":\"F32\",\"shape\":[1]");
        m = error(handMade(gap, d));
        assertTrue(m.contains("tensor 'ints'") && m.contains("gap of 4 bytes"), m);
    }

    @Test
    void unknownDtypeAndMalformedHeaders() {
        byte[] d = data(1, 2, (byte) 3, (byte) 4, (short) 0, (short) 0);
        String m = error(handMade(GOOD.replace("\"I8\"", "\"Q7\""), d));
        assertTrue(m.contains("tensor 'ints': unknown dtype 'Q7'"), m);
        m = error(handMade(GOOD.substring(0, GOOD.length() - 1), d));
        assertTrue(m.contains("malformed header"), m);
        m = error(handMade(GOOD.replace("\"shape\":[2,1]", "\"shape\":[2,-1]"), d));
        assertTrue(m.contains("tensor 'ints': shape"), m);
        m = error(handMade(GOOD.replace("{\"format\":\"pt\"}", "{\"format\":3}"), d));
        assertTrue(m.contains("__metadata__ 'format' is not a string"), m);
        String dup = GOOD.replace("\"halves\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[10,14]}",
                "\"ints\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[10,14]}");
        m = error(handMade(dup, d));
        assertTrue(m.contains("'ints' appears twice"), m);
    }

    @Test
    void writesAtomicallyAndReportsMissingFolders() {
        Path f = tmp.resolve("no-such-dir").resolve("w.safetensors");
        UserException e = assertThrows(UserException.class, () -> SafeTensors.write(f,
                Map.of("a", Tensor.ofInts(new int[] {1}, new int[] {1})), Map.of()));
        assertTrue(e.getMessage().startsWith(f + ": cannot write"), e.getMessage());
        UserException nf = assertThrows(UserException.class, () -> SafeTensors.read(tmp.resolve("none")));
        assertTrue(nf.getMessage().endsWith("none: not found"), nf.getMessage());
    }

    /** Python's safetensors reads what we write (skipped where Python or the package is missing). */
    @Test
    void pythonReadsOurFiles() throws Exception {
        Path f = tmp.resolve("py.safetensors");
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", Tensor.ofFloats(new int[] {2, 2}, new float[] {1f, -2f, 0.5f, 7f}));
        t.put("q", Tensor.ofInt8(new int[] {3}, new byte[] {-8, 0, 7}));
        t.put("n", Tensor.ofInts(new int[] {1}, new int[] {123456}));
        t.put("u", Tensor.ofUint8(new int[] {2}, new byte[] {(byte) 255, 1}));
        SafeTensors.write(f, t, Map.of("architecture", "qwnet"));
        String script = "import sys\nfrom safetensors.numpy import load_file\nfrom safetensors import safe_open\n"
                + "d = load_file(sys.argv[1])\n"
                + "m = safe_open(sys.argv[1], 'np').metadata()\n"
                + "print(d['w'].dtype, d['w'].reshape(-1).tolist(), d['q'].tolist(), d['n'].tolist(),"
                + " d['u'].tolist(), m['architecture'])\n";
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", script, f.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 not available");
            return;
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        Assumptions.assumeFalse(out.contains("No module named"), "Python safetensors/numpy not installed");
        assertEquals("float32 [1.0, -2.0, 0.5, 7.0] [-8, 0, 7] [123456] [255, 1] qwnet", out);
    }
}
