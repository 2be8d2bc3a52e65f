package org.reconview.scene;

import static org.lwjgl.opengl.GL45C.*;

import java.util.List;
import org.reconview.gl.Framebuffer;
import org.reconview.gl.FullscreenPass;
import org.reconview.gl.Scissor;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.Texture2D;

/**
 * The supersampled reference: renders the scene S times at the sample offsets of {@link ReferenceFilter} (the
 * Blackman-Harris window, importance sampled), adds each image PQ-encoded into a float accumulator, and decodes the
 * mean back to linear HDR. Same scene time for every sample, so there is no motion blur.
 */
public final class ReferenceAccumulator implements AutoCloseable {
    private final SceneRenderer renderer;
    private final int width;
    private final int height;
    private final Texture2D sampleColor;
    private final Texture2D scratchMotion;
    private final Texture2D scratchDepth;
    private final Texture2D sum;
    private final Framebuffer sampleTarget;
    private final Framebuffer sumTarget;
    private final ShaderProgram accumulate;
    private final ShaderProgram resolve;
    private final FullscreenPass fullscreen = new FullscreenPass();

    public ReferenceAccumulator(SceneRenderer renderer, int width, int height) {
        this.renderer = renderer;
        this.width = width;
        this.height = height;
        sampleColor = new Texture2D(width, height, GL_RGBA32F);
        scratchMotion = new Texture2D(width, height, GL_RG32F);
        scratchDepth = new Texture2D(width, height, GL_R32F);
        sum = new Texture2D(width, height, GL_RGBA32F);
        sampleTarget = new Framebuffer(List.of(sampleColor, scratchMotion, scratchDepth), true);
        sumTarget = new Framebuffer(List.of(sum), false);
        accumulate = ShaderProgram.graphics("common/fullscreen.vert", "scene/accumulate.frag");
        resolve = ShaderProgram.graphics("common/fullscreen.vert", "scene/resolve.frag");
    }

    /** Renders the reference of time t with {@code samples} samples per pixel into {@code target} (RGBA32F). */
    public void render(double t, double tPrev, int samples, Framebuffer target) {
        clear();
        for (int i = 0; i < samples; i++) {
            addSample(i, t, tPrev);
        }
        resolve(target);
    }

    /** Starts a reference: the accumulator is cleared ({@link #render} is clear, every addSample, resolve). */
    public void clear() {
        sumTarget.clearColor(0, 0, 0, 0, 0);
    }

    /** Renders sample {@code i} (its offset from {@link ReferenceFilter}) of time t and adds it to the sum. */
    public void addSample(int i, double t, double tPrev) {
        addSample(i, t, tPrev, 0, height);
    }

    /** {@link #addSample(int, double, double)} for rows [rowStart, rowStart + rows) (from the bottom) only. */
    public void addSample(int i, double t, double tPrev, int rowStart, int rows) {
        float[] o = ReferenceFilter.offset(i);
        renderer.render(sampleTarget, width, height, t, tPrev, o[0], o[1], rowStart, rows);
        Scissor.rows(width, height, rowStart, rows, () -> {
            sumTarget.bind();
            glDisable(GL_DEPTH_TEST);
            glEnable(GL_BLEND);
            glBlendFunc(GL_ONE, GL_ONE);
            glBlendEquation(GL_FUNC_ADD);
            accumulate.use();
            sampleColor.bind(0);
            fullscreen.draw();
            glDisable(GL_BLEND);
        });
    }

    /** Writes the mean of the samples so far, decoded to linear HDR, into {@code target}. */
    public void resolve(Framebuffer target) {
        target.bind();
        glDisable(GL_DEPTH_TEST);
        resolve.use();
        sum.bind(0);
        fullscreen.draw();
    }

    @Override
    public void close() {
        sampleTarget.close();
        sumTarget.close();
        sampleColor.close();
        scratchMotion.close();
        scratchDepth.close();
        sum.close();
        accumulate.close();
        resolve.close();
        fullscreen.close();
    }
}
