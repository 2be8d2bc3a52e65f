package org.reconview.gl;

import static org.lwjgl.opengl.GL45C.*;

import java.nio.FloatBuffer;
import org.lwjgl.system.MemoryUtil;

/** A shader storage buffer of floats (std430), bound to a fixed binding point when drawing. */
public final class StorageBuffer implements AutoCloseable {
    private final int id = glCreateBuffers();

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

    public void bind(int binding) {
        glBindBufferBase(GL_SHADER_STORAGE_BUFFER, binding, id);
    }

    @Override
    public void close() {
        glDeleteBuffers(id);
    }
}
