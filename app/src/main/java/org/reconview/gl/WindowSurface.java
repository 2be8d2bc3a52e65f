package org.reconview.gl;

import static org.lwjgl.opengl.GL45C.*;

import java.nio.ByteBuffer;
import org.lwjgl.system.MemoryUtil;

/** The window's default framebuffer: cleared at the start of a UI frame, read back for screenshots. */
public final class WindowSurface {
    private WindowSurface() {
    }

    /** Binds the default framebuffer, sets the viewport to the whole window and clears it to one colour. */
    public static void begin(int framebufferWidth, int framebufferHeight, float r, float g, float b) {
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glViewport(0, 0, framebufferWidth, framebufferHeight);
        glClearColor(r, g, b, 1f);
        glClear(GL_COLOR_BUFFER_BIT);
    }

    /** The back buffer's pixels as 8-bit RGB, row 0 = top (PNG order). */
    public static byte[] readRgb8(int w, int h) {
        ByteBuffer buf = MemoryUtil.memAlloc(w * h * 3);
        try {
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            glPixelStorei(GL_PACK_ALIGNMENT, 1);
            glReadBuffer(GL_BACK);
            glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, buf);
            byte[] pixels = new byte[w * h * 3];
            int row = w * 3;
            for (int y = 0; y < h; y++) {
                buf.position((h - 1 - y) * row);
                buf.get(pixels, y * row, row);
            }
            return pixels;
        } finally {
            MemoryUtil.memFree(buf);
        }
    }

    /** Waits until the GPU has finished all work submitted so far (for wall-clock timings). */
    public static void finish() {
        glFinish();
    }
}
