package org.reconview.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.reconview.UserException;

/**
 * One training block on disk, {@code blocks/NNNNNN.bin}: a little-endian header and then the block's values as
 * little-endian float32, {@code [t][y][x][c]} (frame, row from the top, column, channel; channels innermost, as TF's
 * NHWC wants them), channels {@link #CHANNELS}: the 1-spp colour RGB (linear HDR, not PQ-encoded), the motion vector
 * in canonical pixels (current to previous, +y down) and the reference RGB (linear). Header:
 *
 * <pre>
 * offset size
 *  0      8   magic "RVBLOCK\0"
 *  8      4   int32 format version (1)
 * 12      4   int32 header_bytes: offset of the data (a multiple of 64)
 * 16      4   int32 nt    frames
 * 20      4   int32 nx    columns
 * 24      4   int32 ny    rows
 * 28      4   int32 nc    channels
 * 32      4   int32 scene index (into dataset.json settings.scenes)
 * 36      4   int32 first frame (in that scene's sequence)
 * 40      4   int32 x of the block's left column
 * 44      4   int32 y of the block's top row
 * 48      4   float32 difficulty (see dataset.json difficulty.metric)
 * 52      4   int32 L: bytes of the channel list
 * 56      L   channel names, UTF-8, comma-separated
 * ...         zero padding up to header_bytes
 * </pre>
 *
 * In numpy: {@code np.fromfile(f, '<f4', offset=header_bytes).reshape(nt, ny, nx, nc)}. The file size is exactly
 * {@code header_bytes + 4 nt ny nx nc}.
 */
public final class DatasetBlockFile {
    public static final byte[] MAGIC = "RVBLOCK\0".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final List<String> CHANNELS = List.of("color.R", "color.G", "color.B", "motion.X", "motion.Y",
            "reference.R", "reference.G", "reference.B");
    public static final String LAYOUT = "header, then float32 little-endian [t][y][x][c]";
    static final int FIXED_HEADER = 56;
    static final int ALIGN = 64;

    private DatasetBlockFile() {
    }

    /** A block's header fields. */
    public record Header(int nt, int nx, int ny, List<String> channels, int scene, int frame, int x, int y,
            float difficulty) {
        public int nc() {
            return channels.size();
        }

        byte[] channelBytes() {
            return String.join(",", channels).getBytes(StandardCharsets.UTF_8);
        }

        public int headerBytes() {
            return (FIXED_HEADER + channelBytes().length + ALIGN - 1) / ALIGN * ALIGN;
        }

        public long values() {
            return (long) nt * nx * ny * nc();
        }

        public long fileBytes() {
            return headerBytes() + 4 * values();
        }
    }

    /** A block read back: its header and the values {@code [t][y][x][c]}. */
    public record Block(Path file, Header header, float[] data) {
        /** The value of channel {@code c} at frame {@code t}, row {@code y}, column {@code x} (block coordinates). */
        public float get(int t, int y, int x, int c) {
            Header h = header;
            return data[((t * h.ny() + y) * h.nx() + x) * h.nc() + c];
        }
    }

    /** The file's bytes. */
    static ByteBuffer encode(Header h, float[] data) {
        if (data.length != h.values()) {
            throw new IllegalArgumentException(data.length + " values for a block of " + h.values());
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(h.fileBytes())).order(ByteOrder.LITTLE_ENDIAN);
        byte[] names = h.channelBytes();
        b.put(MAGIC).putInt(VERSION).putInt(h.headerBytes()).putInt(h.nt()).putInt(h.nx()).putInt(h.ny())
                .putInt(h.nc()).putInt(h.scene()).putInt(h.frame()).putInt(h.x()).putInt(h.y())
                .putFloat(h.difficulty()).putInt(names.length).put(names);
        b.position(h.headerBytes());
        b.asFloatBuffer().put(data);
        b.position(0);
        return b;
    }

    /** Writes a block to a temporary name in the same folder and renames it into place. */
    public static void write(Path file, Header h, float[] data) {
        ByteBuffer bytes = encode(h, data);
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error matters more
            }
            throw new UserException(file + ": cannot write (" + e.getMessage() + ")");
        }
    }

    /** Reads and validates a block file; problems are one-line {@link UserException}s naming the file. */
    public static Block read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + (Files.exists(file) ? e.getMessage() : "not found")
                    + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < FIXED_HEADER) {
            throw new UserException(file + ": truncated (" + all.length + " bytes, shorter than the "
                    + FIXED_HEADER + "-byte header)");
        }
        if (!Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new UserException(file + ": not a reconview dataset block (bad magic)");
        }
        b.position(MAGIC.length);
        int version = b.getInt();
        if (version != VERSION) {
            throw new UserException(file + ": block format version " + version + " unsupported (expected " + VERSION
                    + ")");
        }
        int headerBytes = b.getInt();
        int nt = b.getInt();
        int nx = b.getInt();
        int ny = b.getInt();
        int nc = b.getInt();
        int scene = b.getInt();
        int frame = b.getInt();
        int x = b.getInt();
        int y = b.getInt();
        float difficulty = b.getFloat();
        int nameBytes = b.getInt();
        if (nt < 1 || nx < 1 || ny < 1 || nc < 1) {
            throw new UserException(file + ": bad block size " + nt + "x" + nx + "x" + ny + " with " + nc
                    + " channels");
        }
        if (nameBytes < 0 || FIXED_HEADER + (long) nameBytes > Math.min(headerBytes, all.length)) {
            throw new UserException(file + ": bad header (channel list of " + nameBytes + " bytes, header of "
                    + headerBytes + ")");
        }
        List<String> channels = List.of(new String(all, FIXED_HEADER, nameBytes, StandardCharsets.UTF_8).split(","));
        if (channels.size() != nc) {
            throw new UserException(file + ": header says " + nc + " channels but lists " + channels.size() + " ("
                    + String.join(",", channels) + ")");
        }
        Header h = new Header(nt, nx, ny, channels, scene, frame, x, y, difficulty);
        if (headerBytes != h.headerBytes()) {
            throw new UserException(file + ": header_bytes " + headerBytes + ", expected " + h.headerBytes());
        }
        if (all.length != h.fileBytes()) {
            throw new UserException(file + ": " + (all.length < h.fileBytes() ? "truncated" : "too long") + " ("
                    + all.length + " bytes, a " + nt + "x" + nx + "x" + ny + " block of " + nc + " channels takes "
                    + h.fileBytes() + ")");
        }
        float[] data = new float[Math.toIntExact(h.values())];
        b.position(headerBytes);
        b.asFloatBuffer().get(data);
        return new Block(file, h, data);
    }
}
