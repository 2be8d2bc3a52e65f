package org.reconview.gl;

import static org.lwjgl.opengl.GL45C.*;

import java.util.List;

/**
 * A framebuffer over caller-owned colour textures plus an owned depth buffer (optional). Draw buffers are set to
 * all colour attachments in order, so fragment output location i writes attachment i.
 */
public final class Framebuffer implements AutoCloseable {
    private final int id;
    private final int depthBuffer;
    private final int width;
    private final int height;
    private final int attachments;

    public Framebuffer(List<Texture2D> colors, boolean withDepth) {
        Texture2D first = colors.get(0);
        this.width = first.width();
        this.height = first.height();
        this.attachments = colors.size();
        this.id = glCreateFramebuffers();
        int[] drawBuffers = new int[colors.size()];
        for (int i = 0; i < colors.size(); i++) {
            Texture2D t = colors.get(i);
            if (t.width() != width || t.height() != height) {
                throw new IllegalArgumentException("attachment sizes differ");
            }
            glNamedFramebufferTexture(id, GL_COLOR_ATTACHMENT0 + i, t.id(), 0);
            drawBuffers[i] = GL_COLOR_ATTACHMENT0 + i;
        }
        glNamedFramebufferDrawBuffers(id, drawBuffers);
        if (withDepth) {
            depthBuffer = glCreateRenderbuffers();
            glNamedRenderbufferStorage(depthBuffer, GL_DEPTH_COMPONENT32F, width, height);
            glNamedFramebufferRenderbuffer(id, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, depthBuffer);
        } else {
            depthBuffer = 0;
        }
        int status = glCheckNamedFramebufferStatus(id, GL_FRAMEBUFFER);
        if (status != GL_FRAMEBUFFER_COMPLETE) {
            throw new IllegalStateException("framebuffer incomplete: 0x" + Integer.toHexString(status));
        }
    }

    public void bind() {
        glBindFramebuffer(GL_FRAMEBUFFER, id);
        glViewport(0, 0, width, height);
    }

    /** Clears colour attachment i to the given value (floats, any float/normalised format). */
    public void clearColor(int attachment, float r, float g, float b, float a) {
        glClearNamedFramebufferfv(id, GL_COLOR, attachment, new float[] {r, g, b, a});
    }

    public void clearDepth(float depth) {
        glClearNamedFramebufferfv(id, GL_DEPTH, 0, new float[] {depth});
    }

    public int attachments() {
        return attachments;
    }

    public int id() {
        return id;
    }

    @Override
    public void close() {
        glDeleteFramebuffers(id);
        if (depthBuffer != 0) {
            glDeleteRenderbuffers(depthBuffer);
        }
    }
}
