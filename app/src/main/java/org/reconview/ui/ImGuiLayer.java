package org.reconview.ui;

import imgui.ImFontConfig;
import imgui.ImGui;
import imgui.ImGuiIO;
import imgui.extension.implot.ImPlot;
import imgui.extension.implot.ImPlotContext;
import imgui.gl3.ImGuiImplGl3;
import imgui.glfw.ImGuiImplGlfw;
import java.nio.file.Files;
import java.nio.file.Path;
import org.reconview.ProjectPaths;

/**
 * Dear ImGui and ImPlot on the viewer's window: contexts, the GLFW and OpenGL 3 backends, the DejaVu Sans UI font,
 * no imgui.ini (the layout comes from the viewer's state, not a file beside the user's data). In scripted mode (tests)
 * the GLFW backend is not polled: the test feeds input events itself and display size and time step are set here.
 */
final class ImGuiLayer implements AutoCloseable {
    private final ImGuiImplGlfw glfw = new ImGuiImplGlfw();
    private final ImGuiImplGl3 gl3 = new ImGuiImplGl3();
    private final ImPlotContext plot;
    private final boolean scripted;
    private final long window;

    ImGuiLayer(long window, boolean scripted, float scale) {
        this.window = window;
        this.scripted = scripted;
        ImGui.createContext();
        plot = ImPlot.createContext();
        ImGuiIO io = ImGui.getIO();
        io.setIniFilename(null);
        Path font = ProjectPaths.assetsDir() == null ? null
                : ProjectPaths.assetsDir().resolve("fonts").resolve("DejaVuSans.ttf");
        if (font != null && Files.isRegularFile(font)) {
            ImFontConfig cfg = new ImFontConfig();
            io.getFonts().addFontFromFileTTF(font.toString(), 15f * scale, cfg);
            cfg.destroy();
        }
        ImGui.styleColorsDark();
        ImGui.getStyle().scaleAllSizes(scale);
        glfw.init(window, !scripted);
        gl3.init("#version 330 core");
    }

    void newFrame(int fbWidth, int fbHeight) {
        gl3.newFrame(); // builds the font atlas texture on first use
        if (scripted) {
            ImGuiIO io = ImGui.getIO();
            io.setDisplaySize(fbWidth, fbHeight);
            io.setDisplayFramebufferScale(1f, 1f);
            io.setDeltaTime(1f / 30f);
        } else {
            glfw.newFrame();
        }
        ImGui.newFrame();
    }

    void render() {
        ImGui.render();
        gl3.renderDrawData(ImGui.getDrawData());
    }

    @Override
    public void close() {
        gl3.shutdown();
        try {
            glfw.shutdown();
        } catch (NullPointerException e) {
            // The backend destroys the mouse cursors it created without checking them: where the X server has no
            // cursor theme (Xvfb without XCURSOR_THEME), creation gave null and shutdown trips on it. Nothing leaks.
        }
        ImPlot.destroyContext(plot);
        ImGui.destroyContext();
    }
}
