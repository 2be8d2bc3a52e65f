package org.reconview.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.reconview.UserException;

/**
 * Checks a scanline OpenEXR file's chunk table before it is decoded: every offset inside the file and distinct, each
 * chunk's first line where the table puts it, its data inside the file, and for uncompressed, ZIPS and ZIP chunks the
 * exact decompressed size. tinyexr accepts chunks that decompress short (duplicated offsets, say) and decodes the rest
 * of the image from uninitialised memory, so two reads of one damaged file gave different pixels.
 * Reads the header itself (attributes until the empty name: compression, dataWindow, channels) so as not to depend
 * on how tinyexr counts it.
 */
final class ExrChunkCheck {
    private ExrChunkCheck() {
    }

    /** Lines per chunk of each compression (OpenEXR's table: NONE, RLE, ZIPS, ZIP, PIZ, PXR24, B44, B44A, DWAA, DWAB). */
    static final int[] LINES = {1, 1, 1, 16, 32, 16, 32, 32, 32, 256};

    /** What the check reads from the header: compression, data window, bytes per pixel, where the chunk table is. */
    record Header(int compression, int[] window, int bytesPerPixel, int tableStart) {
    }

    /** Reads the header's attributes from offset 8 to the empty name. */
    static Header header(String file, ByteBuffer b) {
        int size = b.limit();
        int at = 8;
        int compression = -1;
        int[] window = null;
        int bytesPerPixel = 0;
        while (true) {
            String name = cString(b, at, file);
            at += name.length() + 1;
            if (name.isEmpty()) {
                break;
            }
            String type = cString(b, at, file);
            at += type.length() + 1;
            int len = intAt(b, at, file);
            at += 4;
            if (len < 0 || at + len > size) {
                throw new UserException(file + ": truncated OpenEXR header (attribute '" + name + "')");
            }
            switch (name) {
                case "compression" -> compression = b.get(at) & 0xff;
                case "dataWindow" -> window = new int[] {b.getInt(at), b.getInt(at + 4), b.getInt(at + 8),
                    b.getInt(at + 12)};
                case "channels" -> {
                    int p = at;
                    while (p < at + len && b.get(p) != 0) {
                        String ch = cString(b, p, file);
                        p += ch.length() + 1;
                        int pixelType = b.getInt(p);
                        bytesPerPixel += pixelType == 1 ? 2 : 4;
                        p += 16;
                    }
                }
                default -> { }
            }
            at += len;
        }
        return new Header(compression, window, bytesPerPixel, at);
    }

    static void check(String file, ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int size = b.limit();
        Header h = header(file, b);
        int compression = h.compression();
        int[] window = h.window();
        int bytesPerPixel = h.bytesPerPixel();
        int at = h.tableStart();
        if (compression < 0 || compression >= LINES.length || window == null || bytesPerPixel == 0) {
            return; // tinyexr has judged the header; nothing here to check against
        }
        long width = (long) window[2] - window[0] + 1;
        long height = (long) window[3] - window[1] + 1;
        int lines = LINES[compression];
        long chunks = (height + lines - 1) / lines;
        long tableEnd = at + 8 * chunks;
        if (tableEnd > size) {
            throw new UserException(file + ": truncated OpenEXR file (chunk table of " + chunks + " entries past the"
                    + " end)");
        }
        Set<Long> seen = new HashSet<>();
        for (int k = 0; k < chunks; k++) {
            long offset = b.getLong(at + 8 * k);
            String where = file + ": chunk " + k + " of " + chunks;
            if (offset < tableEnd || offset + 8 > size) {
                throw new UserException(where + " at offset " + offset + " lies outside the file's data ("
                        + tableEnd + ".." + size + ")");
            }
            if (!seen.add(offset)) {
                throw new UserException(where + " shares offset " + offset + " with another chunk (damaged table)");
            }
            int y = b.getInt((int) offset);
            int dataSize = b.getInt((int) offset + 4);
            long expectedY = window[1] + (long) k * lines;
            if (y != expectedY) {
                throw new UserException(where + " starts at line " + y + ", expected " + expectedY
                        + " (damaged table)");
            }
            if (dataSize <= 0 || offset + 8 + dataSize > size) {
                throw new UserException(where + " has " + dataSize + " bytes of data, past the end of the file"
                        + " (truncated)");
            }
            long chunkLines = Math.min(lines, height - (long) k * lines);
            long expected = chunkLines * width * bytesPerPixel;
            if (compression == 0 && dataSize != expected) {
                throw new UserException(where + " holds " + dataSize + " bytes, expected " + expected);
            }
            if ((compression == 2 || compression == 3) && dataSize != expected) {
                long got = inflated(b, (int) offset + 8, dataSize, expected, where);
                if (got != expected) {
                    throw new UserException(where + " decompresses to " + got + " bytes, expected " + expected
                            + " (damaged)");
                }
            }
        }
    }

    /** Bytes the zlib stream at {@code from} inflates to (read at most {@code expected} + 1); one-line error if bad. */
    static long inflated(ByteBuffer b, int from, int len, long expected, String where) {
        byte[] in = new byte[len];
        b.get(from, in);
        Inflater inf = new Inflater();
        try {
            inf.setInput(in);
            byte[] out = new byte[(int) Math.min(expected + 1, Integer.MAX_VALUE - 8)];
            int n = 0;
            while (!inf.finished() && n < out.length) {
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            return n;
        } catch (DataFormatException e) {
            throw new UserException(where + " does not decompress (" + e.getMessage() + ")");
        } finally {
            inf.end();
        }
    }

    /** The NUL-terminated attribute name or type at {@code at} (at most 255 bytes); one-line error if truncated. */
    static String cString(ByteBuffer b, int at, String file) {
        StringBuilder s = new StringBuilder();
        for (int p = at; ; p++) {
            if (p >= b.limit() || p - at > 255) {
                throw new UserException(file + ": truncated OpenEXR header");
            }
            byte c = b.get(p);
            if (c == 0) {
                return s.toString();
            }
            s.append((char) (c & 0xff));
        }
    }

    private static int intAt(ByteBuffer b, int at, String file) {
        if (at + 4 > b.limit()) {
            throw new UserException(file + ": truncated OpenEXR header");
        }
        return b.getInt(at);
    }
}
