package org.reconview.gl;

import static org.lwjgl.opengl.GL45C.*;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.lwjgl.system.MemoryUtil;

/**
 * An immutable-storage 2D texture. Row 0 is the top row of the image everywhere in reconview (the renderer's
 * projection flips y), so uploads and downloads need no flip.
 */
public final class Texture2D implements AutoCloseable {
    /** Internal formats the rest of the code names (so GL stays inside gl/ and the passes). */
    public static final int RGBA32F = GL_RGBA32F;
    public static final int RG32F = GL_RG32F;
    public static final int R32F = GL_R32F;
    public static final int RGBA8 = GL_RGBA8;
    /** 8-bit sRGB colour with linear alpha: sampling returns linear colour (for base-colour maps). */
    public static final int SRGB8_ALPHA8 = GL_SRGB8_ALPHA8;

    private final int id;
    private final int width;
    private final int height;
    private final int internalFormat;
    private final int levels;

    public Texture2D(int width, int height, int internalFormat) {
        this(width, height, internalFormat, 1);
    }

    public Texture2D(int width, int height, int internalFormat, int levels) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("texture size " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.internalFormat = internalFormat;
        this.levels = levels;
        this.id = glCreateTextures(GL_TEXTURE_2D);
        glTextureStorage2D(id, levels, internalFormat, width, height);
        glTextureParameteri(id, GL_TEXTURE_MIN_FILTER, levels > 1 ? GL_LINEAR_MIPMAP_LINEAR : GL_NEAREST);
        glTextureParameteri(id, GL_TEXTURE_MAG_FILTER, levels > 1 ? GL_LINEAR : GL_NEAREST);
        glTextureParameteri(id, GL_TEXTURE_WRAP_S, levels > 1 ? GL_REPEAT : GL_CLAMP_TO_EDGE);
        glTextureParameteri(id, GL_TEXTURE_WRAP_T, levels > 1 ? GL_REPEAT : GL_CLAMP_TO_EDGE);
    }

    /** Number of mip levels for a full chain. */
    public static int fullMipLevels(int width, int height) {
        return 32 - Integer.numberOfLeadingZeros(Math.max(width, height));
    }

    public int id() {
        return id;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int internalFormat() {
        return internalFormat;
    }

    public Texture2D filter(int min, int mag) {
        glTextureParameteri(id, GL_TEXTURE_MIN_FILTER, min);
        glTextureParameteri(id, GL_TEXTURE_MAG_FILTER, mag);
        return this;
    }

    /** Uploads float texels with 1-4 channels, row 0 = top. */
    public void upload(float[] data, int channels) {
        check(data.length, channels);
        FloatBuffer buf = MemoryUtil.memAllocFloat(data.length);
        try {
            buf.put(data).flip();
            glTextureSubImage2D(id, 0, 0, 0, width, height, format(channels), GL_FLOAT, buf);
        } finally {
            MemoryUtil.memFree(buf);
        }
    }

    /** Uploads 8-bit texels with 1-4 channels and builds the mip chain. */
    public void upload(ByteBuffer data, int channels) {
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTextureSubImage2D(id, 0, 0, 0, width, height, format(channels), GL_UNSIGNED_BYTE, data);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
        if (levels > 1) {
            glGenerateTextureMipmap(id);
        }
    }

    /** Reads level 0 back as floats with the given number of channels (1-4), row 0 = top. */
    public float[] download(int channels) {
        return download(0, 0, width, height, channels);
    }

    private void check(int length, int channels) {
        if (length != width * height * channels) {
            throw new IllegalArgumentException("expected " + width * height * channels + " values, got " + length);
        }
    }

    private static int format(int channels) {
        return switch (channels) {
            case 1 -> GL_RED;
            case 2 -> GL_RG;
            case 3 -> GL_RGB;
            case 4 -> GL_RGBA;
            default -> throw new IllegalArgumentException("channels " + channels);
        };
    }

    /** Copies level 0 of {@code source} (same size and format) into this texture, on the GPU. */
    public void copyFrom(Texture2D source) {
        if (source.width != width || source.height != height || source.internalFormat != internalFormat) {
            throw new IllegalArgumentException("copy between different textures");
        }
        glCopyImageSubData(source.id, GL_TEXTURE_2D, 0, 0, 0, 0, id, GL_TEXTURE_2D, 0, 0, 0, 0, width, height, 1);
    }

    /** Reads a rectangle of level 0 back as floats with the given number of channels, row 0 = top. */
    public float[] download(int x, int y, int w, int h, int channels) {
        int n = w * h * channels;
        FloatBuffer buf = MemoryUtil.memAllocFloat(n);
        try {
            glPixelStorei(GL_PACK_ALIGNMENT, 1);
            glGetTextureSubImage(id, 0, x, y, 0, w, h, 1, format(channels), GL_FLOAT, buf);
            float[] out = new float[n];
            buf.get(out);
            return out;
        } finally {
            MemoryUtil.memFree(buf);
        }
    }

    public void bind(int unit) {
        glBindTextureUnit(unit, id);
    }

    @Override
    public void close() {
        glDeleteTextures(id);
    }
}
