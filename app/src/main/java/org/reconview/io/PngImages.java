package org.reconview.io;

import org.lwjgl.stb.STBIWriteCallback;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.reconview.UserException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;

import static org.lwjgl.stb.STBImage.stbi_failure_reason;
import static org.lwjgl.stb.STBImage.stbi_image_free;
import static org.lwjgl.stb.STBImage.stbi_load_from_memory;
import static org.lwjgl.stb.STBImageWrite.stbi_write_png_to_func;

/**
 * 8-bit PNG writing and reading through LWJGL's stb_image_write / stb_image. Pixels are interleaved bytes, row-major,
 * row 0 = the top row, 1 to 4 channels (grey, grey+alpha, RGB, RGBA). Writes are encoded in memory and stored
 * atomically (temporary file, then rename); read errors are one-line {@link UserException}s naming the file.
 */
public final class PngImages {
    private PngImages() {
    }

    /** Writes {@code pixels} ({@code width * height * channels} bytes, row 0 = top) as a PNG file. */
    public static void write(Path file, int width, int height, int channels, byte[] pixels) {
        if (width <= 0 || height <= 0 || channels < 1 || channels > 4) {
            throw new IllegalArgumentException("bad PNG size " + width + "x" + height + "x" + channels);
        }
        long n = (long) width * height * channels;
        if (pixels == null || pixels.length != n) {
            throw new IllegalArgumentException("pixels length " + (pixels == null ? "null" : pixels.length)
                    + ", expected " + n);
        }
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        ByteBuffer src = MemoryUtil.memAlloc(pixels.length);
        STBIWriteCallback cb = STBIWriteCallback.create((context, data, size) -> {
            ByteBuffer chunk = STBIWriteCallback.getData(data, size);
            byte[] b = new byte[size];
            chunk.get(b);
            encoded.write(b, 0, size);
        });
        try {
            src.put(pixels).flip();
            if (!stbi_write_png_to_func(cb, 0L, width, height, channels, src, width * channels)) {
                throw new UserException(file + ": cannot write (PNG encoding failed)");
            }
        } finally {
            cb.free();
            MemoryUtil.memFree(src);
        }
        FileIo.writeAtomic(file, encoded.toByteArray());
    }

    /** Reads a PNG (or any format stb_image reads) as 8-bit values scaled to [0,1], with the file's channel count. */
    public static FloatImage read8(Path file) {
        ByteBuffer bytes = FileIo.readNative(file);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer w = stack.mallocInt(1), h = stack.mallocInt(1), c = stack.mallocInt(1);
            ByteBuffer img = stbi_load_from_memory(bytes, w, h, c, 0);
            if (img == null) {
                String why = stbi_failure_reason();
                throw new UserException(file + ": cannot read image (" + FileIo.oneLine(why == null ? "unknown" : why)
                        + ")");
            }
            try {
                int width = w.get(0), height = h.get(0), channels = c.get(0);
                FloatImage out = new FloatImage(width, height, channels);
                for (int i = 0; i < out.data.length; i++) {
                    out.data[i] = (img.get(i) & 0xff) / 255f;
                }
                return out;
            } finally {
                stbi_image_free(img);
            }
        } finally {
            MemoryUtil.memFree(bytes);
        }
    }
}
