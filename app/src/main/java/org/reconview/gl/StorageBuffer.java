package org.reconview.gl;

import static org.lwjgl.opengl.GL45C.*;

import java.nio.FloatBuffer;
import org.lwjgl.system.MemoryUtil;

/** A shader storage buffer of floats (std430), bound to a fixed binding point when drawing. */
public final class StorageBuffer implements AutoCloseable {
    private final int id = glCreateBuffers();
    private final BufferTexture.Lazy texture = new BufferTexture.Lazy(id);

    private StorageBuffer(long bytes) {
        glNamedBufferStorage(id, bytes, 0);
    }

    /** A buffer of {@code floats} floats whose contents the shaders write first (no upload). */
    public static StorageBuffer ofFloats(long floats) {
        if (floats <= 0) {
            throw new IllegalArgumentException("storage buffer of " + floats + " floats");
        }
        return new StorageBuffer(floats * Float.BYTES);
    }

    public StorageBuffer(float[] data) {
        FloatBuffer b = MemoryUtil.memAllocFloat(Math.max(4, data.length));
        try {
            b.put(data);
            while (b.hasRemaining()) {
                b.put(0f);
            }
            glNamedBufferStorage(id, b.flip(), 0);
        } finally {
            MemoryUtil.memFree(b);
        }
    }

    /** Reads the first n floats back (after a memory barrier, for tests and readbacks). */
    public float[] read(int n) {
        FloatBuffer b = MemoryUtil.memAllocFloat(n);
        try {
            glGetNamedBufferSubData(id, 0, b);
            float[] out = new float[n];
            b.get(out);
            return out;
        } finally {
            MemoryUtil.memFree(b);
        }
    }

    public void bind(int binding) {
        glBindBufferBase(GL_SHADER_STORAGE_BUFFER, binding, id);
    }

    /** Binds the buffer's floats as a {@code samplerBuffer} (GL_R32F) to texture {@code unit}. */
    public void bindTexture(int unit) {
        bindTexture(unit, GL_R32F);
    }

    /** Binds the buffer as texels of {@code internalFormat} (GL_R32I for int codes stored in it). */
    public void bindTexture(int unit, int internalFormat) {
        texture.bind(unit, internalFormat);
    }

    @Override
    public void close() {
        texture.close();
        glDeleteBuffers(id);
    }
}
