package org.reconview.gl;

import static org.lwjgl.opengl.GL45C.GL_SCISSOR_TEST;
import static org.lwjgl.opengl.GL45C.glDisable;
import static org.lwjgl.opengl.GL45C.glEnable;
import static org.lwjgl.opengl.GL45C.glScissor;

/**
 * Draws restricted to a horizontal strip of a {@code width x height} target: rows [rowStart, rowStart + rows),
 * counted from the bottom as GL does. A scissor only discards fragments outside, so each pixel inside gets exactly
 * what a whole draw gives it: a pass cut into strips is the whole pass.
 */
public final class Scissor {
    private Scissor() {
    }

    /** Runs {@code draw} with the scissor on the strip (no scissor when the strip is the whole target). */
    public static void rows(int width, int height, int rowStart, int rows, Runnable draw) {
        if (rowStart == 0 && rows == height) {
            draw.run();
            return;
        }
        glEnable(GL_SCISSOR_TEST);
        glScissor(0, rowStart, width, rows);
        try {
            draw.run();
        } finally {
            glDisable(GL_SCISSOR_TEST);
        }
    }
}
