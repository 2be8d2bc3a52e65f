package org.reconview.recon;

import static org.lwjgl.opengl.GL45C.*;

import java.util.Map;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.Texture2D;

/**
 * The GPU warp ({@code shaders/recon/warp.comp}): bilinear backward warp of a previous image by motion vectors into
 * an RGBA32F texture whose alpha says whether the sample was on screen. Same rule as {@link Warp}, its golden.
 */
public final class WarpPass implements AutoCloseable {
    private final ShaderProgram program = ShaderProgram.compute("recon/warp.comp", Map.of());

    /** Warps {@code previous} by {@code motion} into {@code out} (RGBA32F, same size). */
    public void run(Texture2D previous, Texture2D motion, Texture2D out) {
        program.use().setInt2("uSize", out.width(), out.height());
        previous.bind(0);
        motion.bind(1);
        glBindImageTexture(0, out.id(), 0, false, 0, GL_WRITE_ONLY, GL_RGBA32F);
        glDispatchCompute((out.width() + 7) / 8, (out.height() + 7) / 8, 1);
        glMemoryBarrier(GL_TEXTURE_FETCH_BARRIER_BIT | GL_SHADER_IMAGE_ACCESS_BARRIER_BIT
                | GL_TEXTURE_UPDATE_BARRIER_BIT | GL_FRAMEBUFFER_BARRIER_BIT);
    }

    @Override
    public void close() {
        program.close();
    }
}
