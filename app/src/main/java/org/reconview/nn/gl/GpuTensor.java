package org.reconview.nn.gl;

import static org.lwjgl.opengl.GL45C.*;

import java.nio.FloatBuffer;
import org.lwjgl.system.MemoryUtil;
import org.reconview.gl.BufferTexture;
import org.reconview.nn.Tensor;

/** A {@link Tensor} on the GPU: a shader storage buffer of CHW floats, the same layout as on the CPU. */
public final class GpuTensor implements AutoCloseable {
    public final int channels;
    public final int height;
    public final int width;
    private final int buffer;
    private final BufferTexture.Lazy texture;   // its texel view, made on the first bindTexture

    public GpuTensor(int channels, int height, int width) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.buffer = glCreateBuffers();
        this.texture = new BufferTexture.Lazy(buffer);
        glNamedBufferStorage(buffer, (long) channels * height * width * Float.BYTES, GL_DYNAMIC_STORAGE_BIT);
    }

    public static GpuTensor of(Tensor t) {
        GpuTensor g = new GpuTensor(t.channels, t.height, t.width);
        g.upload(t.data);
        return g;
    }

    public int buffer() {
        return buffer;
    }

    public int size() {
        return channels * height * width;
    }

    public void upload(float[] data) {
        if (data.length != size()) {
            throw new IllegalArgumentException(data.length + " values for " + this);
        }
        FloatBuffer b = MemoryUtil.memAllocFloat(data.length);
        try {
            glNamedBufferSubData(buffer, 0, b.put(data).flip());
        } finally {
            MemoryUtil.memFree(b);
        }
    }

    public Tensor download() {
        FloatBuffer b = MemoryUtil.memAllocFloat(size());
        try {
            glGetNamedBufferSubData(buffer, 0, b);
            float[] out = new float[size()];
            b.get(out);
            return new Tensor(channels, height, width, out);
        } finally {
            MemoryUtil.memFree(b);
        }
    }

    public void bind(int binding) {
        glBindBufferBase(GL_SHADER_STORAGE_BUFFER, binding, buffer);
    }

    /** Whether {@link #bindTexture} can view the whole tensor (GL_MAX_TEXTURE_BUFFER_SIZE). */
    public boolean fitsTexture() {
        return BufferTexture.fits(size());
    }

    /** Binds the tensor's floats (CHW) as a {@code samplerBuffer} (GL_R32F) to texture {@code unit}. */
    public void bindTexture(int unit) {
        bindTexture(unit, GL_R32F);
    }

    /** Binds the tensor as texels of {@code internalFormat} (GL_R32I for int codes stored in it). */
    public void bindTexture(int unit, int internalFormat) {
        texture.bind(unit, internalFormat);
    }

    @Override
    public void close() {
        texture.close();
        glDeleteBuffers(buffer);
    }

    @Override
    public String toString() {
        return "GpuTensor[" + channels + "x" + height + "x" + width + "]";
    }
}
