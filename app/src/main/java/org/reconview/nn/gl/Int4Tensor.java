package org.reconview.nn.gl;

import static org.lwjgl.opengl.GL45C.*;

import java.nio.IntBuffer;
import org.lwjgl.system.MemoryUtil;
import org.reconview.gl.BufferTexture;

/**
 * Packed integer codes on the GPU (QW-Net's quantized feature maps, {@code shaders/nn/int4.glsl}): {@code bits} = 4
 * (8 codes per uint32) or 8 (4 per uint32, the network input), channels in groups of {@link #perWord()}; lane i of
 * word (g, y, x) holds channel {@code g * perWord + i} as a two's-complement code, words laid out group-major like CHW:
 * {@code (g * height + y) * width + x}. Channel groups therefore concatenate by appending buffers. The channel count
 * must be a multiple of {@link #perWord()} (every QW-Net feature map's is).
 */
public final class Int4Tensor implements AutoCloseable {
    public final int channels;
    public final int height;
    public final int width;
    public final int bits;
    private final int buffer;
    private final BufferTexture.Lazy texture;   // its texel view, made on the first bindTexture

    public Int4Tensor(int channels, int height, int width, int bits) {
        if (bits != 4 && bits != 8) {
            throw new IllegalArgumentException("packed codes of 4 or 8 bits, not " + bits);
        }
        if (channels <= 0 || channels % (32 / bits) != 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(channels + " channels of " + bits + " bits do not pack into words");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.bits = bits;
        this.buffer = createBuffer(new int[words()]);
        this.texture = new BufferTexture.Lazy(buffer);
    }

    /** An immutable-size int buffer with these contents (also for packed weights); the caller deletes it. */
    static int createBuffer(int[] data) {
        int id = glCreateBuffers();
        IntBuffer b = MemoryUtil.memAllocInt(Math.max(1, data.length));
        try {
            b.put(data);
            while (b.hasRemaining()) {
                b.put(0);
            }
            glNamedBufferStorage(id, b.flip(), GL_DYNAMIC_STORAGE_BIT);
        } finally {
            MemoryUtil.memFree(b);
        }
        return id;
    }

    /** Reads n ints of a buffer. */
    static int[] readBuffer(int id, int n) {
        IntBuffer b = MemoryUtil.memAllocInt(n);
        try {
            glGetNamedBufferSubData(id, 0, b);
            int[] out = new int[n];
            b.get(out);
            return out;
        } finally {
            MemoryUtil.memFree(b);
        }
    }

    public int perWord() {
        return 32 / bits;
    }

    public int groups() {
        return channels / perWord();
    }

    public int words() {
        return groups() * height * width;
    }

    public int buffer() {
        return buffer;
    }

    /** Packs signed CHW codes into words (the layout above). */
    public static int[] pack(int[] codes, int channels, int height, int width, int bits) {
        int per = 32 / bits;
        int plane = height * width;
        int mask = (1 << bits) - 1;
        int[] words = new int[channels / per * plane];
        for (int c = 0; c < channels; c++) {
            int g = c / per;
            int shift = (c % per) * bits;
            for (int p = 0; p < plane; p++) {
                words[g * plane + p] |= (codes[c * plane + p] & mask) << shift;
            }
        }
        return words;
    }

    /** Unpacks words into signed CHW codes. */
    public static int[] unpack(int[] words, int channels, int height, int width, int bits) {
        int per = 32 / bits;
        int plane = height * width;
        int[] codes = new int[channels * plane];
        for (int c = 0; c < channels; c++) {
            int g = c / per;
            int shift = 32 - bits - (c % per) * bits;
            for (int p = 0; p < plane; p++) {
                codes[c * plane + p] = (words[g * plane + p] << shift) >> (32 - bits);
            }
        }
        return codes;
    }

    public void upload(int[] codes) {
        if (codes.length != channels * height * width) {
            throw new IllegalArgumentException(codes.length + " codes for " + this);
        }
        IntBuffer b = MemoryUtil.memAllocInt(words());
        try {
            glNamedBufferSubData(buffer, 0, b.put(pack(codes, channels, height, width, bits)).flip());
        } finally {
            MemoryUtil.memFree(b);
        }
    }

    /** The signed codes, CHW. */
    public int[] downloadCodes() {
        return unpack(readBuffer(buffer, words()), channels, height, width, bits);
    }

    public void bind(int binding) {
        glBindBufferBase(GL_SHADER_STORAGE_BUFFER, binding, buffer);
    }

    /** Whether {@link #bindTexture} can view all the words (GL_MAX_TEXTURE_BUFFER_SIZE). */
    public boolean fitsTexture() {
        return BufferTexture.fits(words());
    }

    /** Binds the packed words as a {@code usamplerBuffer} (GL_R32UI) to texture {@code unit}. */
    public void bindTexture(int unit) {
        texture.bind(unit, GL_R32UI);
    }

    @Override
    public void close() {
        texture.close();
        glDeleteBuffers(buffer);
    }

    @Override
    public String toString() {
        return "Int4Tensor[" + channels + "x" + height + "x" + width + ", " + bits + "-bit]";
    }
}
