package org.reconview.scene;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lwjgl.stb.STBImage;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.reconview.gl.Texture2D;

/**
 * A material's base-colour map: an image decoded with stb_image (PNG, JPEG, TGA, BMP, PSD, GIF, HDR, PIC, PNM) to
 * 8-bit RGBA, row 0 = top, colour in sRGB as image files store it and alpha linear. On the GPU it becomes a mip-mapped
 * {@link Texture2D#SRGB8_ALPHA8} texture, so the shader samples linear colour. Decoded on the CPU once per file (the
 * renderer uploads one texture per instance, however many materials share it).
 */
public final class ImageTexture {
    /** The largest side accepted: every OpenGL 4.5 implementation takes 16384 (GL_MAX_TEXTURE_SIZE). */
    public static final int MAX_SIZE = 16384;

    private final String source;
    private final int width;
    private final int height;
    private final byte[] rgba;

    /** {@code rgba}: width x height texels of 4 bytes (r, g, b sRGB-encoded, a linear), row 0 = top. */
    public ImageTexture(String source, int width, int height, byte[] rgba) {
        if (width <= 0 || height <= 0 || width > MAX_SIZE || height > MAX_SIZE) {
            throw new IllegalArgumentException("image size " + width + "x" + height);
        }
        if (rgba.length != width * height * 4) {
            throw new IllegalArgumentException("expected " + width * height * 4 + " bytes, got " + rgba.length);
        }
        this.source = source;
        this.width = width;
        this.height = height;
        this.rgba = rgba;
    }

    /** Reads and decodes an image file; the message of the exception is the reason, without the file name. */
    public static ImageTexture read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("not found");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException("cannot read (" + e.getClass().getSimpleName() + ")");
        }
        return decode(file.toString(), bytes);
    }

    /** Decodes an encoded image (a file's bytes, or a texture embedded in a glb or a data URI). */
    public static ImageTexture decode(String source, byte[] encoded) throws IOException {
        ByteBuffer in = MemoryUtil.memAlloc(Math.max(1, encoded.length));
        try {
            in.put(encoded).flip();
            return decode(source, in);
        } finally {
            MemoryUtil.memFree(in);
        }
    }

    /** Decodes an encoded image held in native memory. */
    public static ImageTexture decode(String source, ByteBuffer encoded) throws IOException {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            var w = stack.mallocInt(1);
            var h = stack.mallocInt(1);
            var comp = stack.mallocInt(1);
            if (encoded.remaining() == 0 || !STBImage.stbi_info_from_memory(encoded, w, h, comp)) {
                throw new IOException("not an image stb_image reads (" + reason() + ")");
            }
            if (w.get(0) > MAX_SIZE || h.get(0) > MAX_SIZE) {
                throw new IOException(w.get(0) + "x" + h.get(0) + " is larger than " + MAX_SIZE + " on a side");
            }
            ByteBuffer px = STBImage.stbi_load_from_memory(encoded, w, h, comp, 4);
            if (px == null) {
                throw new IOException("cannot decode (" + reason() + ")");
            }
            try {
                byte[] rgba = new byte[w.get(0) * h.get(0) * 4];
                px.get(0, rgba); // absolute: stbi_image_free frees at the buffer's position
                return new ImageTexture(source, w.get(0), h.get(0), rgba);
            } finally {
                STBImage.stbi_image_free(px);
            }
        }
    }

    private static String reason() {
        String r = STBImage.stbi_failure_reason();
        return r == null || r.isBlank() ? "unknown format" : r.strip();
    }

    /** Where the image came from: a file path, or the model and its embedded texture ({@code model.glb *0}). */
    public String source() {
        return source;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Texel (x, y) as 4 bytes r, g, b (sRGB), a; row 0 = top. */
    public int[] texel(int x, int y) {
        int i = (y * width + x) * 4;
        return new int[] {rgba[i] & 0xff, rgba[i + 1] & 0xff, rgba[i + 2] & 0xff, rgba[i + 3] & 0xff};
    }

    /** Uploads the image as a mip-mapped, repeating, trilinear sRGB texture; the caller closes it. */
    public Texture2D upload() {
        Texture2D tex = new Texture2D(width, height, Texture2D.SRGB8_ALPHA8, Texture2D.fullMipLevels(width, height));
        ByteBuffer buf = MemoryUtil.memAlloc(rgba.length);
        try {
            buf.put(rgba).flip();
            tex.upload(buf, 4);
        } finally {
            MemoryUtil.memFree(buf);
        }
        return tex;
    }

    @Override
    public String toString() {
        return source + " (" + width + "x" + height + ")";
    }
}
