package org.reconview.gl;

import static org.lwjgl.opengl.GL45C.*;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.lwjgl.system.MemoryUtil;

/**
 * Indexed triangles on the GPU with interleaved vertices: position (location 0, vec3), normal (1, vec3),
 * texture coordinate (2, vec2).
 */
public final class Mesh implements AutoCloseable {
    public static final int FLOATS_PER_VERTEX = 8;

    private final int vao;
    private final int vbo;
    private final int ibo;
    private final int indexCount;

    public Mesh(float[] vertices, int[] indices) {
        vao = glCreateVertexArrays();
        vbo = glCreateBuffers();
        ibo = glCreateBuffers();
        FloatBuffer v = MemoryUtil.memAllocFloat(vertices.length);
        IntBuffer i = MemoryUtil.memAllocInt(indices.length);
        try {
            glNamedBufferStorage(vbo, v.put(vertices).flip(), 0);
            glNamedBufferStorage(ibo, i.put(indices).flip(), 0);
        } finally {
            MemoryUtil.memFree(v);
            MemoryUtil.memFree(i);
        }
        indexCount = indices.length;
        glVertexArrayVertexBuffer(vao, 0, vbo, 0, FLOATS_PER_VERTEX * Float.BYTES);
        glVertexArrayElementBuffer(vao, ibo);
        int[] sizes = {3, 3, 2};
        int offset = 0;
        for (int attr = 0; attr < sizes.length; attr++) {
            glEnableVertexArrayAttrib(vao, attr);
            glVertexArrayAttribFormat(vao, attr, sizes[attr], GL_FLOAT, false, offset * Float.BYTES);
            glVertexArrayAttribBinding(vao, attr, 0);
            offset += sizes[attr];
        }
    }

    public void draw() {
        glBindVertexArray(vao);
        glDrawElements(GL_TRIANGLES, indexCount, GL_UNSIGNED_INT, 0L);
    }

    public int triangles() {
        return indexCount / 3;
    }

    @Override
    public void close() {
        glDeleteVertexArrays(vao);
        glDeleteBuffers(vbo);
        glDeleteBuffers(ibo);
    }
}
