package org.reconview.ui;

import static org.lwjgl.glfw.GLFW.*;
import static org.lwjgl.opengl.GL45C.*;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.lwjgl.system.MemoryUtil;
import org.reconview.gl.FullscreenPass;
import org.reconview.gl.GlContext;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.Texture2D;
import org.reconview.io.PngImages;
import org.reconview.source.Frame;
import org.reconview.source.FrameSource;

/**
 * The preview player (until the full imgui viewer lands): plays a frame source in a window and shows one of the
 * 1-spp jittered frame, the motion vectors or the reference. Keys: Tab or M cycles, 1/2/3 pick, Space pauses,
 * Right steps, Up/Down change exposure, Esc quits. Reads top to bottom as the frame loop: poll input, next frame,
 * draw, swap.
 */
public final class PreviewWindow implements AutoCloseable {
    public enum Mode { INPUT, MOTION, REFERENCE }

    private final GlContext gl;
    private final FrameSource source;
    private final ShaderProgram display;
    private final FullscreenPass fullscreen = new FullscreenPass();
    private Mode mode = Mode.INPUT;
    private boolean playing = true;
    private boolean stepRequested;
    private float exposure;
    private int frameIndex;

    public PreviewWindow(GlContext gl, FrameSource source) {
        this.gl = gl;
        this.source = source;
        this.display = ShaderProgram.graphics("common/fullscreen.vert", "common/display.frag");
        glfwSetKeyCallback(gl.window(), (w, key, scancode, action, mods) -> {
            if (action != GLFW_PRESS && action != GLFW_REPEAT) {
                return;
            }
            switch (key) {
                case GLFW_KEY_TAB, GLFW_KEY_M -> mode = Mode.values()[(mode.ordinal() + 1) % Mode.values().length];
                case GLFW_KEY_1 -> mode = Mode.INPUT;
                case GLFW_KEY_2 -> mode = Mode.MOTION;
                case GLFW_KEY_3 -> mode = Mode.REFERENCE;
                case GLFW_KEY_SPACE -> playing = !playing;
                case GLFW_KEY_RIGHT -> stepRequested = true;
                case GLFW_KEY_UP -> exposure += 0.5f;
                case GLFW_KEY_DOWN -> exposure -= 0.5f;
                case GLFW_KEY_ESCAPE -> glfwSetWindowShouldClose(w, true);
                default -> { }
            }
        });
    }

    public void setMode(Mode m) {
        mode = m;
    }

    /** Runs until the window closes, or for {@code frames} frames when frames > 0. */
    public void run(int frames) {
        Frame frame = source.frame(frameIndex);
        long fpsStart = System.nanoTime();
        int fpsFrames = 0;
        double fps = 0;
        for (int shown = 0; !glfwWindowShouldClose(gl.window()) && (frames <= 0 || shown < frames); shown++) {
            glfwPollEvents();
            if (shown > 0 && (playing || stepRequested)) {
                frameIndex = (frameIndex + 1) % source.frameCount();
                frame = source.frame(frameIndex);
                stepRequested = false;
            }
            draw(frame);
            glfwSwapBuffers(gl.window());
            fpsFrames++;
            double elapsed = (System.nanoTime() - fpsStart) / 1e9;
            if (elapsed > 0.5) {
                fps = fpsFrames / elapsed;
                fpsFrames = 0;
                fpsStart = System.nanoTime();
            }
            glfwSetWindowTitle(gl.window(), String.format("reconview - %s - frame %d - %s%s - %.1f fps",
                    source.name(), frameIndex, mode.name().toLowerCase(),
                    mode == Mode.REFERENCE && !frame.hasReference() ? " (none: shown input)" : "", fps));
        }
    }

    private void draw(Frame frame) {
        int[] w = new int[1];
        int[] h = new int[1];
        glfwGetFramebufferSize(gl.window(), w, h);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glViewport(0, 0, w[0], h[0]);
        glClearColor(0.08f, 0.08f, 0.09f, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        // Letterbox: keep the frame's aspect ratio, centred.
        float scale = Math.min((float) w[0] / frame.width(), (float) h[0] / frame.height());
        int vw = Math.round(frame.width() * scale);
        int vh = Math.round(frame.height() * scale);
        glViewport((w[0] - vw) / 2, (h[0] - vh) / 2, vw, vh);
        Texture2D tex = switch (mode) {
            case INPUT -> frame.color();
            case MOTION -> frame.motion();
            case REFERENCE -> frame.hasReference() ? frame.reference() : frame.color();
        };
        glTextureParameteri(tex.id(), GL_TEXTURE_MAG_FILTER, GL_NEAREST); // see pixels, not interpolation
        glDisable(GL_DEPTH_TEST);
        glDisable(GL_BLEND);
        display.use().set("uMode", mode == Mode.MOTION ? 1 : 0).set("uExposure", exposure)
                .set("uMotionScale", 8f);
        tex.bind(0);
        fullscreen.draw();
    }

    /** Saves what the window shows as a PNG (row 0 = top). */
    public void screenshot(Path file) {
        int[] w = new int[1];
        int[] h = new int[1];
        glfwGetFramebufferSize(gl.window(), w, h);
        ByteBuffer buf = MemoryUtil.memAlloc(w[0] * h[0] * 3);
        try {
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            glPixelStorei(GL_PACK_ALIGNMENT, 1);
            glReadBuffer(GL_BACK);
            draw(source.frame(frameIndex));
            glReadPixels(0, 0, w[0], h[0], GL_RGB, GL_UNSIGNED_BYTE, buf);
            byte[] pixels = new byte[w[0] * h[0] * 3];
            int row = w[0] * 3;
            for (int y = 0; y < h[0]; y++) {
                buf.position((h[0] - 1 - y) * row);
                buf.get(pixels, y * row, row);
            }
            PngImages.write(file, w[0], h[0], 3, pixels);
        } finally {
            MemoryUtil.memFree(buf);
        }
    }

    @Override
    public void close() {
        display.close();
        fullscreen.close();
    }
}
