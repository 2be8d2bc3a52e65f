package org.reconview.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reconview.UserException;

/**
 * Reader and writer of the safetensors format (Hugging Face; https://github.com/huggingface/safetensors), the file
 * format of the networks' weights (DESIGN.md "Data"), readable by Python's {@code safetensors} as well.
 * <p>
 * Layout: an unsigned 64-bit little-endian header length N; N bytes of UTF-8 JSON
 * {@code {"NAME": {"dtype": "F32", "shape": [2, 3], "data_offsets": [BEGIN, END]}, ..., "__metadata__": {"key":
 * "value"}}}; then the data section, each tensor's values row-major (C order) little-endian, at
 * [BEGIN, END) relative to the start of the data section. Writing follows the reference implementation exactly:
 * tensors contiguous in the given order from offset 0, the header padded with spaces to a multiple of 8 bytes,
 * {@code __metadata__} first and omitted when empty, writes atomic (temporary file, then rename). Reading checks what
 * the reference implementation checks (header length, JSON, known dtypes, offsets that match the shape, cover the data
 * section contiguously without overlap, and end where the file ends) and reports every problem as a one-line
 * {@link UserException} {@code "<file>: <problem>"} naming the tensor.
 */
public final class SafeTensors {
    /** The reference implementation's limit on the header size. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA = "__metadata__";

    private SafeTensors() {
    }

    /** Element types; the names are the format's. Values are little-endian in the file. */
    public enum DType {
        BOOL(1), U8(1), I8(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4), I64(8), U64(8), F64(8);

        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        public int bytes() {
            return bytes;
        }

        static DType parse(String s) {
            for (DType d : values()) {
                if (d.name().equals(s)) {
                    return d;
                }
            }
            return null;
        }
    }

    /**
     * One tensor: dtype, shape (row-major, empty for a scalar) and its raw little-endian bytes. Immutable (the bytes
     * are copied in and out); equal when dtype, shape and bytes are.
     */
    public static final class Tensor {
        private final DType dtype;
        private final int[] shape;
        private final byte[] data;

        /** A tensor from raw little-endian bytes; their count must be {@code numel(shape) * dtype.bytes()}. */
        public Tensor(DType dtype, int[] shape, byte[] data) {
            this.dtype = dtype;
            this.shape = shape.clone();
            long n = numel(this.shape);
            if (n < 0 || n * dtype.bytes() != data.length) {
                throw new IllegalArgumentException(dtype + " " + Arrays.toString(shape) + " needs "
                        + n * dtype.bytes() + " bytes, got " + data.length);
            }
            this.data = data.clone();
        }

        public static Tensor ofFloats(int[] shape, float[] values) {
            ByteBuffer b = le(values.length * 4);
            b.asFloatBuffer().put(values);
            return new Tensor(DType.F32, shape, b.array());
        }

        public static Tensor ofInts(int[] shape, int[] values) {
            ByteBuffer b = le(values.length * 4);
            b.asIntBuffer().put(values);
            return new Tensor(DType.I32, shape, b.array());
        }

        /** I8 values (as Java bytes, -128..127). */
        public static Tensor ofInt8(int[] shape, byte[] values) {
            return new Tensor(DType.I8, shape, values);
        }

        /** U8 values (as Java bytes: 0..255 read as {@code b & 0xff}). */
        public static Tensor ofUint8(int[] shape, byte[] values) {
            return new Tensor(DType.U8, shape, values);
        }

        public DType dtype() {
            return dtype;
        }

        public int[] shape() {
            return shape.clone();
        }

        /** Number of elements (1 for a scalar). */
        public long size() {
            return numel(shape);
        }

        /** The raw little-endian bytes (a copy). */
        public byte[] bytes() {
            return data.clone();
        }

        /** Values as floats: F32 exactly; F16, BF16 and F64 converted; integer types converted. */
        public float[] floats() {
            int n = (int) size();
            float[] v = new float[n];
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                v[i] = switch (dtype) {
                    case F32 -> b.getFloat(4 * i);
                    case F16 -> halfToFloat(b.getShort(2 * i));
                    case BF16 -> Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
                    case F64 -> (float) b.getDouble(8 * i);
                    default -> (float) integer(b, i);
                };
            }
            return v;
        }

        /** Values of an integer or BOOL tensor as ints (U32 and 64-bit values must fit). */
        public int[] ints() {
            int n = (int) size();
            int[] v = new int[n];
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                long x = integer(b, i);
                if (x != (int) x) {
                    throw new ArithmeticException(dtype + " value " + x + " does not fit an int");
                }
                v[i] = (int) x;
            }
            return v;
        }

        private long integer(ByteBuffer b, int i) {
            return switch (dtype) {
                case BOOL, U8 -> b.get(i) & 0xff;
                case I8 -> b.get(i);
                case I16 -> b.getShort(2 * i);
                case U16 -> b.getShort(2 * i) & 0xffff;
                case I32 -> b.getInt(4 * i);
                case U32 -> b.getInt(4 * i) & 0xffffffffL;
                case I64, U64 -> b.getLong(8 * i);
                default -> throw new IllegalStateException(dtype + " is not an integer type");
            };
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && t.dtype == dtype && Arrays.equals(t.shape, shape)
                    && Arrays.equals(t.data, data);
        }

        @Override
        public int hashCode() {
            return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return dtype + Arrays.toString(shape);
        }
    }

    /** A file's contents: tensors in file order (by data offset) and the metadata (string to string). */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** Reads and checks a whole file. */
    public static Contents read(Path file) {
        return decode(file.toString(), FileIo.readBytes(file));
    }

    /** Writes tensors (in map order) and metadata atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        FileIo.writeAtomic(file, encode(tensors, metadata));
    }

    /** The bytes of a safetensors file holding {@code tensors} in map order and {@code metadata}. */
    public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach((k, v) -> meta.addProperty(k, v));
            header.add(METADATA, meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA) || e.getKey().isEmpty()) {
                throw new IllegalArgumentException("bad tensor name '" + e.getKey() + "'");
            }
            Tensor t = e.getValue();
            JsonObject o = new JsonObject();
            o.addProperty("dtype", t.dtype.name());
            JsonArray shape = new JsonArray();
            for (int d : t.shape) {
                shape.add(d);
            }
            o.add("shape", shape);
            JsonArray off = new JsonArray();
            off.add(offset);
            off.add(offset + t.data.length);
            o.add("data_offsets", off);
            header.add(e.getKey(), o);
            offset += t.data.length;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        long total = 8L + padded + offset;
        if (total > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("safetensors file too large: " + total + " bytes");
        }
        ByteBuffer out = le((int) total);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            out.put(t.data);
        }
        return out.array();
    }

    /**
     * Parses the bytes of a safetensors file; {@code name} (the file) starts every error message.
     *
     * @throws UserException "<name>: <problem>" for a truncated or malformed file
     */
    public static Contents decode(String name, byte[] bytes) {
        long size = bytes.length;
        if (size < 8) {
            throw bad(name, "truncated (" + size + " bytes; a safetensors file starts with an 8-byte header length)");
        }
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (n < 2 || n > MAX_HEADER_BYTES) {
            throw bad(name, "bad header length " + Long.toUnsignedString(n) + " (not a safetensors file?)");
        }
        if (8 + n > size) {
            throw bad(name, "truncated (header says " + (8 + n) + " bytes of length and header, file has " + size
                    + ")");
        }
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 8, (int) n)).toString();
        } catch (CharacterCodingException e) {
            throw bad(name, "malformed header (not UTF-8)");
        }
        if (!json.startsWith("{")) {
            throw bad(name, "malformed header (does not start with '{'; not a safetensors file?)");
        }
        Map<String, JsonElement> entries = parseHeader(name, json);
        long dataStart = 8 + n;
        long dataLength = size - dataStart;

        Map<String, String> metadata = new LinkedHashMap<>();
        record Slot(String tensor, DType dtype, int[] shape, long begin, long end) {
        }
        List<Slot> slots = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : entries.entrySet()) {
            String key = e.getKey();
            if (key.equals(METADATA)) {
                if (!e.getValue().isJsonObject()) {
                    throw bad(name, "malformed header (__metadata__ is not an object)");
                }
                for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
                    if (!(m.getValue() instanceof JsonPrimitive p) || !p.isString()) {
                        throw bad(name, "malformed header (__metadata__ '" + m.getKey() + "' is not a string)");
                    }
                    metadata.put(m.getKey(), p.getAsString());
                }
                continue;
            }
            String where = "tensor '" + key + "': ";
            if (!e.getValue().isJsonObject()) {
                throw bad(name, where + "header entry is not an object");
            }
            JsonObject o = e.getValue().getAsJsonObject();
            JsonElement dt = o.get("dtype");
            if (dt == null || !dt.isJsonPrimitive() || !dt.getAsJsonPrimitive().isString()) {
                throw bad(name, where + "no dtype");
            }
            DType dtype = DType.parse(dt.getAsString());
            if (dtype == null) {
                throw bad(name, where + "unknown dtype '" + dt.getAsString() + "' (known: "
                        + Arrays.toString(DType.values()).replaceAll("[\\[\\]]", "") + ")");
            }
            long[] shapeL = longs(o.get("shape"));
            if (shapeL == null) {
                throw bad(name, where + "shape is not a list of non-negative integers");
            }
            int[] shape = new int[shapeL.length];
            for (int i = 0; i < shape.length; i++) {
                if (shapeL[i] > Integer.MAX_VALUE) {
                    throw bad(name, where + "dimension " + shapeL[i] + " too large");
                }
                shape[i] = (int) shapeL[i];
            }
            long[] off = longs(o.get("data_offsets"));
            if (off == null || off.length != 2) {
                throw bad(name, where + "data_offsets is not a pair of non-negative integers");
            }
            if (off[1] < off[0]) {
                throw bad(name, where + "data_offsets [" + off[0] + ", " + off[1] + "] end before they begin");
            }
            long numel = numel(shape);
            if (numel < 0 || numel * dtype.bytes() != off[1] - off[0]) {
                throw bad(name, where + "shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                        + (numel < 0 ? "too many" : Long.toString(numel * dtype.bytes())) + " bytes, data_offsets ["
                        + off[0] + ", " + off[1] + "] give " + (off[1] - off[0]));
            }
            slots.add(new Slot(key, dtype, shape, off[0], off[1]));
        }
        long maxEnd = 0;
        for (Slot s : slots) {
            maxEnd = Math.max(maxEnd, s.end());
        }
        if (maxEnd > dataLength) {
            throw bad(name, "truncated (header says " + (dataStart + maxEnd) + " bytes, file has " + size + ")");
        }
        // Contiguous, non-overlapping, covering the data section exactly (as the reference implementation demands).
        List<Slot> sorted = new ArrayList<>(slots);
        sorted.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
        long expect = 0;
        Slot prev = null;
        for (Slot s : sorted) {
            if (s.begin() < expect) {
                throw bad(name, "tensor '" + s.tensor() + "': data_offsets [" + s.begin() + ", " + s.end()
                        + "] overlap tensor '" + prev.tensor() + "' [" + prev.begin() + ", " + prev.end() + "]");
            }
            if (s.begin() > expect) {
                throw bad(name, "tensor '" + s.tensor() + "': data_offsets [" + s.begin() + ", " + s.end()
                        + "] leave a gap of " + (s.begin() - expect) + " bytes before it");
            }
            expect = s.end();
            prev = s;
        }
        if (expect != dataLength) {
            throw bad(name, (dataLength - expect) + " bytes after the last tensor (header describes " + expect
                    + " bytes of data, file has " + dataLength + ")");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Slot s : sorted) {
            byte[] d = Arrays.copyOfRange(bytes, (int) (dataStart + s.begin()), (int) (dataStart + s.end()));
            tensors.put(s.tensor(), new Tensor(s.dtype(), s.shape(), d));
        }
        return new Contents(tensors, metadata);
    }

    /** The header's top-level entries in order; duplicate names are an error (JSON parsers disagree on them). */
    private static Map<String, JsonElement> parseHeader(String name, String json) {
        Map<String, JsonElement> entries = new LinkedHashMap<>();
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            r.beginObject();
            while (r.hasNext()) {
                String key = r.nextName();
                JsonElement v = JsonParser.parseReader(r);
                if (entries.put(key, v) != null) {
                    throw bad(name, "malformed header (tensor '" + key + "' appears twice)");
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw bad(name, "malformed header (text after the JSON object)");
            }
        } catch (IOException | JsonParseException | IllegalStateException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw bad(name, "malformed header (" + FileIo.oneLine(why) + ")");
        }
        return entries;
    }

    private static long[] longs(JsonElement e) {
        if (e == null || !e.isJsonArray()) {
            return null;
        }
        JsonArray a = e.getAsJsonArray();
        long[] v = new long[a.size()];
        for (int i = 0; i < v.length; i++) {
            JsonElement x = a.get(i);
            if (!(x instanceof JsonPrimitive p) || !p.isNumber()) {
                return null;
            }
            try {
                v[i] = p.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException ex) {
                return null;
            }
            if (v[i] < 0) {
                return null;
            }
        }
        return v;
    }

    /** Product of the dimensions; 1 for a scalar; -1 on overflow. */
    static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                return -1;
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return n;
    }

    /** IEEE 754 binary16 to float (exact; subnormals, infinities and NaN included). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static UserException bad(String file, String problem) {
        return new UserException(file + ": " + problem);
    }
}
