package org.reconview.gl;

import static org.lwjgl.opengl.GL45C.*;

/** Draws one triangle that covers the viewport; the vertex shader ({@code fullscreen.vert}) makes it from gl_VertexID. */
public final class FullscreenPass implements AutoCloseable {
    private final int vao = glCreateVertexArrays();

    public void draw() {
        glBindVertexArray(vao);
        glDrawArrays(GL_TRIANGLES, 0, 3);
    }

    @Override
    public void close() {
        glDeleteVertexArrays(vao);
    }
}
