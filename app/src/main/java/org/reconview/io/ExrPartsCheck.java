package org.reconview.io;

import org.reconview.UserException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The multipart twin of {@link ExrChunkCheck}: reads every part's header itself (bounded, before tinyexr does, as
 * tinyexr's multipart header parser does not bound its reads) and checks each part's chunk table: the table's size
 * as {@code chunkCount} says and the data window needs, every offset inside the file and distinct, each chunk
 * tagged with its own part number and first line, its data inside the file, and for uncompressed, ZIPS and ZIP
 * chunks the exact decompressed size. Only scan-line parts are supported; tiled and deep parts are named and refused.
 * Layout per OpenEXR's "File Layout" document: headers one after another, an empty header (one 0 byte), then one
 * offset table per part, then chunks of {@code int part, int y, int size, data}.
 */
final class ExrPartsCheck {
    private ExrPartsCheck() {
    }

    /** What the check reads from one part's header. */
    record PartHeader(String name, String type, int compression, int[] window, int bytesPerPixel, int chunkCount) {
    }

    /** Checks the headers and table sizes, and with {@code data} every chunk (the whole file) too. */
    static void check(String file, ByteBuffer buffer, boolean data) {
        ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int size = b.limit();
        List<PartHeader> parts = new ArrayList<>();
        int at = 8;
        while (true) {
            if (at >= size) {
                throw new UserException(file + ": truncated OpenEXR header (part " + parts.size() + ")");
            }
            if (b.get(at) == 0) {
                at++;
                break;
            }
            int[] end = new int[1];
            parts.add(header(file, b, at, end));
            at = end[0];
            if (parts.size() > 4096) {
                throw new UserException(file + ": more than 4096 parts");
            }
        }
        if (parts.isEmpty()) {
            throw new UserException(file + ": multipart file without parts");
        }
        Set<String> names = new HashSet<>();
        long[] tableStart = new long[parts.size()];
        long tablesEnd = at;
        for (int p = 0; p < parts.size(); p++) {
            PartHeader h = parts.get(p);
            String where = file + ": part " + p + " '" + h.name() + "'";
            if (h.name().isEmpty()) {
                throw new UserException(where + " has no name attribute");
            }
            if (!names.add(h.name())) {
                throw new UserException(file + ": two parts named '" + h.name() + "'");
            }
            if (!"scanlineimage".equals(h.type())) {
                throw new UserException(where + ": unsupported part type '" + h.type() + "' (scan-line images only)");
            }
            if (h.compression() < 0 || h.compression() >= ExrChunkCheck.LINES.length || h.window() == null
                    || h.bytesPerPixel() == 0) {
                throw new UserException(where + ": invalid header (compression, dataWindow or channels)");
            }
            long height = (long) h.window()[3] - h.window()[1] + 1;
            long width = (long) h.window()[2] - h.window()[0] + 1;
            if (width <= 0 || height <= 0) {
                throw new UserException(where + ": empty data window");
            }
            long chunks = (height + ExrChunkCheck.LINES[h.compression()] - 1) / ExrChunkCheck.LINES[h.compression()];
            if (h.chunkCount() != chunks) {
                throw new UserException(where + ": chunkCount " + h.chunkCount() + ", expected " + chunks
                        + " for its data window");
            }
            tableStart[p] = tablesEnd;
            tablesEnd += 8 * chunks;
        }
        if (tablesEnd > size) {
            throw new UserException(file + ": truncated OpenEXR file (chunk tables past the end)");
        }
        if (!data) {
            return;
        }
        Set<Long> seen = new HashSet<>();
        for (int p = 0; p < parts.size(); p++) {
            PartHeader h = parts.get(p);
            int lines = ExrChunkCheck.LINES[h.compression()];
            long width = (long) h.window()[2] - h.window()[0] + 1;
            long height = (long) h.window()[3] - h.window()[1] + 1;
            int chunks = h.chunkCount();
            for (int k = 0; k < chunks; k++) {
                long offset = b.getLong((int) (tableStart[p] + 8L * k));
                String where = file + ": part '" + h.name() + "' chunk " + k + " of " + chunks;
                if (offset < tablesEnd || offset + 12 > size) {
                    throw new UserException(where + " at offset " + offset + " lies outside the file's data ("
                            + tablesEnd + ".." + size + ")");
                }
                if (!seen.add(offset)) {
                    throw new UserException(where + " shares offset " + offset + " with another chunk (damaged table)");
                }
                int part = b.getInt((int) offset);
                int y = b.getInt((int) offset + 4);
                int dataSize = b.getInt((int) offset + 8);
                if (part != p) {
                    throw new UserException(where + " is tagged part " + part + " (damaged table)");
                }
                long expectedY = h.window()[1] + (long) k * lines;
                if (y != expectedY) {
                    throw new UserException(where + " starts at line " + y + ", expected " + expectedY
                            + " (damaged table)");
                }
                if (dataSize <= 0 || offset + 12 + dataSize > size) {
                    throw new UserException(where + " has " + dataSize + " bytes of data, past the end of the file"
                            + " (truncated)");
                }
                long expected = Math.min(lines, height - (long) k * lines) * width * h.bytesPerPixel();
                if (h.compression() == 0 && dataSize != expected) {
                    throw new UserException(where + " holds " + dataSize + " bytes, expected " + expected);
                }
                if ((h.compression() == 2 || h.compression() == 3) && dataSize != expected) {
                    long got = ExrChunkCheck.inflated(b, (int) offset + 12, dataSize, expected, where);
                    if (got != expected) {
                        throw new UserException(where + " decompresses to " + got + " bytes, expected " + expected
                                + " (damaged)");
                    }
                }
            }
        }
    }

    /** Reads one header's attributes from {@code start} to its empty name; {@code end[0]} is the byte after it. */
    private static PartHeader header(String file, ByteBuffer b, int start, int[] end) {
        int size = b.limit();
        int at = start;
        String name = "", type = "";
        int compression = -1, bytesPerPixel = 0, chunkCount = -1;
        int[] window = null;
        while (true) {
            String attr = ExrChunkCheck.cString(b, at, file);
            at += attr.length() + 1;
            if (attr.isEmpty()) {
                break;
            }
            String attrType = ExrChunkCheck.cString(b, at, file);
            at += attrType.length() + 1;
            if (at + 4 > size) {
                throw new UserException(file + ": truncated OpenEXR header");
            }
            int len = b.getInt(at);
            at += 4;
            if (len < 0 || (long) at + len > size) {
                throw new UserException(file + ": truncated OpenEXR header (attribute '" + attr + "')");
            }
            switch (attr) {
                case "compression" -> compression = len >= 1 ? b.get(at) & 0xff : -1;
                case "dataWindow" -> window = len >= 16 ? new int[] {b.getInt(at), b.getInt(at + 4),
                    b.getInt(at + 8), b.getInt(at + 12)} : null;
                case "chunkCount" -> chunkCount = len >= 4 ? b.getInt(at) : -1;
                case "name" -> name = text(b, at, len);
                case "type" -> type = text(b, at, len);
                case "channels" -> {
                    int p = at;
                    while (p < at + len && b.get(p) != 0) {
                        String ch = ExrChunkCheck.cString(b, p, file);
                        p += ch.length() + 1;
                        if (p + 16 > at + len) {
                            throw new UserException(file + ": truncated OpenEXR header (channel list)");
                        }
                        int pixelType = b.getInt(p);
                        bytesPerPixel += pixelType == 1 ? 2 : 4;
                        p += 16;
                    }
                }
                default -> { }
            }
            at += len;
        }
        end[0] = at;
        return new PartHeader(name, type, compression, window, bytesPerPixel, chunkCount);
    }

    private static String text(ByteBuffer b, int at, int len) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < len && b.get(at + i) != 0; i++) {
            s.append((char) (b.get(at + i) & 0xff));
        }
        return s.toString();
    }
}
