package org.reconview.io;

import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.util.tinyexr.EXRChannelInfo;
import org.lwjgl.util.tinyexr.EXRHeader;
import org.lwjgl.util.tinyexr.EXRImage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.lwjgl.util.tinyexr.TinyEXR.*;

/**
 * Multipart EXR files written by writers other than {@link ExrImages}, for tests of the readers: tinyexr's own
 * multipart API ({@code SaveEXRMultipartImageToFile}, ZIP) called directly, and a writer of the bytes by hand from
 * OpenEXR's "OpenEXR File Layout" document (scan-line parts, no compression, FLOAT), which depends on no EXR library.
 */
public final class ExrTestFiles {
    private ExrTestFiles() {
    }

    /** One part: its name, its pixels and one channel name per image channel (any order). */
    public record Part(String name, FloatImage image, String... channels) {
    }

    /** Writes {@code parts} with tinyexr's multipart writer (FLOAT, ZIP). */
    public static void writeMultipartTinyexr(Path file, List<Part> parts) {
        int n = parts.size();
        EXRImage.Buffer images = EXRImage.calloc(n);
        List<EXRHeader> headers = new ArrayList<>();
        List<Runnable> frees = new ArrayList<>();
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer headerPtrs = stack.mallocPointer(n);
            for (int p = 0; p < n; p++) {
                Part part = parts.get(p);
                int nc = part.channels().length, w = part.image().width, h = part.image().height;
                Integer[] order = sortedOrder(part.channels());
                EXRHeader header = EXRHeader.calloc();
                headers.add(header);
                InitEXRHeader(header);
                EXRChannelInfo.Buffer infos = EXRChannelInfo.calloc(nc);
                IntBuffer types = MemoryUtil.memAllocInt(nc);
                IntBuffer requested = MemoryUtil.memAllocInt(nc);
                PointerBuffer planes = MemoryUtil.memCallocPointer(nc);
                frees.add(infos::free);
                frees.add(() -> MemoryUtil.memFree(types));
                frees.add(() -> MemoryUtil.memFree(requested));
                for (int k = 0; k < nc; k++) {
                    int c = order[k];
                    infos.get(k).name(stack.ASCII(part.channels()[c])).pixel_type(TINYEXR_PIXELTYPE_FLOAT)
                            .x_sampling(1).y_sampling(1);
                    types.put(k, TINYEXR_PIXELTYPE_FLOAT);
                    requested.put(k, TINYEXR_PIXELTYPE_FLOAT);
                    FloatBuffer plane = MemoryUtil.memAllocFloat(w * h);
                    for (int i = 0; i < w * h; i++) {
                        plane.put(i, part.image().data[i * nc + c]);
                    }
                    planes.put(k, plane);
                    frees.add(() -> MemoryUtil.memFree(plane));
                }
                frees.add(() -> MemoryUtil.memFree(planes));
                header.num_channels(nc).channels(infos).pixel_types(types).requested_pixel_types(requested)
                        .compression_type(TINYEXR_COMPRESSIONTYPE_ZIP).line_order(0).pixel_aspect_ratio(1f)
                        .screen_window_width(1f).name(stack.ASCII(part.name()));
                header.data_window().set(0, 0, w - 1, h - 1);
                header.display_window().set(0, 0, w - 1, h - 1);
                EXRImage image = images.get(p);
                InitEXRImage(image);
                image.images(planes).num_channels(nc).width(w).height(h);
                headerPtrs.put(p, header.address());
            }
            PointerBuffer err = stack.callocPointer(1);
            int rc = SaveEXRMultipartImageToFile(images, headerPtrs, file.toString(), err);
            if (rc != TINYEXR_SUCCESS) {
                String msg = err.get(0) == 0 ? "" : MemoryUtil.memUTF8(err.get(0));
                throw new IllegalStateException("SaveEXRMultipartImageToFile: " + rc + " " + msg);
            }
        } finally {
            frees.forEach(Runnable::run);
            headers.forEach(EXRHeader::free);
            images.free();
        }
    }

    /**
     * Writes {@code parts} byte by byte as the OpenEXR file layout describes a multipart scan-line file: magic and
     * version (2, multipart bit 12), each part's header (channels, compression NONE, dataWindow, displayWindow,
     * lineOrder, pixelAspectRatio, screenWindowCenter, screenWindowWidth, name, type, chunkCount) ending in a 0
     * byte, a 0 byte ending the headers, one offset table per part, then one chunk per scan line:
     * {@code int part, int y, int size}, each channel's line of FLOAT values in the channels' sorted order.
     */
    public static byte[] multipartBytes(List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        le(out, 20000630);
        out.write(2);
        out.write(0x10);
        out.write(0);
        out.write(0);
        for (Part part : parts) {
            int w = part.image().width, h = part.image().height;
            Integer[] order = sortedOrder(part.channels());
            ByteArrayOutputStream ch = new ByteArrayOutputStream();
            for (int c : order) {
                cstr(ch, part.channels()[c]);
                le(ch, 2); // FLOAT
                ch.write(0); // pLinear
                ch.write(0);
                ch.write(0);
                ch.write(0);
                le(ch, 1);
                le(ch, 1);
            }
            ch.write(0);
            attr(out, "channels", "chlist", ch.toByteArray());
            attr(out, "compression", "compression", new byte[] {0});
            attr(out, "dataWindow", "box2i", ints(0, 0, w - 1, h - 1));
            attr(out, "displayWindow", "box2i", ints(0, 0, w - 1, h - 1));
            attr(out, "lineOrder", "lineOrder", new byte[] {0});
            attr(out, "pixelAspectRatio", "float", floats(1f));
            attr(out, "screenWindowCenter", "v2f", floats(0f, 0f));
            attr(out, "screenWindowWidth", "float", floats(1f));
            attr(out, "name", "string", part.name().getBytes(StandardCharsets.US_ASCII));
            attr(out, "type", "string", "scanlineimage".getBytes(StandardCharsets.US_ASCII));
            attr(out, "chunkCount", "int", ints(h));
            out.write(0);
        }
        out.write(0);
        // Offset tables, then the chunks.
        int tableStart = out.size();
        int tables = parts.stream().mapToInt(p -> p.image().height).sum();
        long at = tableStart + 8L * tables;
        List<byte[]> chunks = new ArrayList<>();
        ByteBuffer table = ByteBuffer.allocate(8 * tables).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < parts.size(); p++) {
            Part part = parts.get(p);
            int w = part.image().width, h = part.image().height, nc = part.channels().length;
            Integer[] order = sortedOrder(part.channels());
            for (int y = 0; y < h; y++) {
                ByteBuffer chunk = ByteBuffer.allocate(12 + 4 * w * nc).order(ByteOrder.LITTLE_ENDIAN);
                chunk.putInt(p).putInt(y).putInt(4 * w * nc);
                for (int c : order) {
                    for (int x = 0; x < w; x++) {
                        chunk.putFloat(part.image().get(x, y, c));
                    }
                }
                table.putLong(at);
                at += chunk.capacity();
                chunks.add(chunk.array());
            }
        }
        out.writeBytes(table.array());
        chunks.forEach(out::writeBytes);
        return out.toByteArray();
    }

    public static void writeMultipartByHand(Path file, List<Part> parts) {
        try {
            Files.write(file, multipartBytes(parts));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Channel indices in the byte order of their names (as EXR lists channels). */
    private static Integer[] sortedOrder(String[] names) {
        Integer[] order = new Integer[names.length];
        for (int i = 0; i < names.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> names[a].compareTo(names[b]));
        return order;
    }

    private static void attr(ByteArrayOutputStream out, String name, String type, byte[] value) {
        cstr(out, name);
        cstr(out, type);
        le(out, value.length);
        out.writeBytes(value);
    }

    private static void cstr(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
    }

    private static void le(ByteArrayOutputStream out, int v) {
        out.writeBytes(ints(v));
    }

    private static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }
}
