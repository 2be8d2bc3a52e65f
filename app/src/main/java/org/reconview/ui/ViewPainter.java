package org.reconview.ui;

import static org.lwjgl.opengl.GL45C.*;

import imgui.ImDrawList;
import imgui.ImGui;
import java.util.Locale;
import org.reconview.color.ColorMap;
import org.reconview.gl.FullscreenPass;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.Texture2D;
import org.reconview.metrics.DisplayEncoding;

/**
 * Draws the views of the main area ({@code shaders/ui/view.frag}) into their rectangles of the window, the split
 * divider, the magnifier lens, and each view's overlay (its content's name and live PSNR/SSIM, or why a method is
 * not available) on ImGui's background draw list, so the panel stays on top.
 */
final class ViewPainter implements AutoCloseable {
    /** A view on screen: its rectangle from the window's top-left and what it shows. */
    record View(String content, int x, int y, int w, int h) {
        boolean contains(float px, float py) {
            return px >= x && px < x + w && py >= y && py < y + h;
        }
    }

    private final ShaderProgram program = ShaderProgram.graphics("common/fullscreen.vert", "ui/view.frag",
            DisplayEncoding.shaderDefines());
    private final FullscreenPass fullscreen = new FullscreenPass();
    /** The magma table as a 256 x 1 texture, linearly filtered: the shader's colormap() is ColorMap.rgb. */
    private final Texture2D colorMap = colorMapTexture(ColorMap.MAGMA);
    /** CET-D1 likewise, for signed differences. */
    private final Texture2D divergingMap = colorMapTexture(ColorMap.CET_D1);

    static Texture2D colorMapTexture(ColorMap map) {
        float[] rgb = map.table();
        float[] rgba = new float[4 * ColorMap.ENTRIES];
        for (int i = 0; i < ColorMap.ENTRIES; i++) {
            System.arraycopy(rgb, 3 * i, rgba, 4 * i, 3);
            rgba[4 * i + 3] = 1f;
        }
        Texture2D t = new Texture2D(ColorMap.ENTRIES, 1, GL_RGBA32F).filter(GL_LINEAR, GL_LINEAR);
        t.upload(rgba, 4);
        return t;
    }
    /** Framebuffer pixels per UI unit (2 on a HiDPI screen): views are laid out in UI units, drawn in pixels. */
    float scale = 1f;

    /**
     * Paints one view. {@code image} may be null (method not available or no frame yet): the view is left dark.
     * {@code scissor} restricts the drawing (split wipe).
     */
    void paint(View ui, int framebufferHeight, Texture2D image, Texture2D reference, ViewerState s, int[] scissor,
            float zoom, float panX, float panY) {
        View v = new View(ui.content(), Math.round(ui.x() * scale), Math.round(ui.y() * scale),
                Math.round(ui.w() * scale), Math.round(ui.h() * scale));
        int glY = framebufferHeight - v.y() - v.h();
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glViewport(v.x(), glY, v.w(), v.h());
        glEnable(GL_SCISSOR_TEST);
        if (scissor != null) {
            int sx = Math.round(scissor[0] * scale);
            int sy = Math.round(scissor[1] * scale);
            int sw = Math.round(scissor[2] * scale);
            int sh = Math.round(scissor[3] * scale);
            glScissor(sx, framebufferHeight - sy - sh, sw, sh);
        } else {
            glScissor(v.x(), glY, v.w(), v.h());
        }
        glDisable(GL_DEPTH_TEST);
        glDisable(GL_BLEND);
        if (image == null) {
            glClearColor(0.09f, 0.09f, 0.1f, 1f);
            glClear(GL_COLOR_BUFFER_BIT);
            glDisable(GL_SCISSOR_TEST);
            return;
        }
        String content = v.content();
        int mode = content.equals("motion") ? 1 : ViewerState.isError(content) ? 2 : ViewerState.isBits(content) ? 3
                : ViewerState.isFlip(content) ? 4 : ViewerState.isSigned(content) ? 5 : ViewerState.isSsim(content) ? 6
                : ViewerState.isRelative(content) ? 7 : 0;
        program.use().set("uMode", mode).set("uExposure", s.exposure).set("uEncoding", s.encoding.shaderCode())
                .set("uErrorScale", s.errorScale).set("uMotionScale", 8f)
                .set("uViewOrigin", (float) v.x(), (float) glY).set("uViewSize", (float) v.w(), (float) v.h())
                .set("uPan", panX, panY).set("uZoom", zoom * scale)
                .set("uProfileAxis", s.profileIndex < 0 ? 0 : s.profileAxis.ordinal() + 1)
                .set("uProfileIndex", s.profileIndex);
        image.bind(0);
        (reference != null ? reference : image).bind(1);
        colorMap.bind(2);
        divergingMap.bind(3);
        fullscreen.draw();
        glDisable(GL_SCISSOR_TEST);
    }

    /** The overlay of a view: name, and PSNR/SSIM of this frame when it is a measured method. */
    static void overlay(View v, String title, String numbers, String unavailable) {
        ImDrawList dl = ImGui.getBackgroundDrawList();
        float x = v.x() + 6;
        float y = v.y() + 6;
        String line1 = title;
        String line2 = unavailable != null ? "not available: " + unavailable : numbers;
        float w = Math.max(ImGui.calcTextSize(line1).x, line2 == null ? 0 : ImGui.calcTextSize(line2).x) + 10;
        float h = ImGui.getTextLineHeightWithSpacing() * (line2 == null ? 1 : 2) + 6;
        w = Math.min(w, v.w() - 12);
        dl.addRectFilled(x - 3, y - 3, x - 3 + w, y - 3 + h, ImGui.colorConvertFloat4ToU32(0f, 0f, 0f, 0.6f));
        dl.pushClipRect(v.x(), v.y(), v.x() + v.w(), v.y() + v.h(), true); // text stays inside its view
        dl.addText(x, y, ImGui.colorConvertFloat4ToU32(1f, 1f, 1f, 1f), line1);
        if (line2 != null) {
            int color = unavailable != null ? ImGui.colorConvertFloat4ToU32(1f, 0.6f, 0.4f, 1f)
                    : ImGui.colorConvertFloat4ToU32(0.8f, 1f, 0.8f, 1f);
            dl.addText(x, y + ImGui.getTextLineHeightWithSpacing(), color, line2);
        }
        dl.popClipRect();
    }

    static String numbers(double psnr, double ssim) {
        if (Double.isNaN(psnr)) {
            return null;
        }
        return String.format(Locale.ROOT, "PSNR %s dB  SSIM %.4f",
                Double.isInfinite(psnr) ? "inf" : String.format(Locale.ROOT, "%.2f", psnr), ssim);
    }

    /** The magnifier: a square lens at the cursor showing the view under it at a higher zoom. */
    void lens(View v, int framebufferHeight, Texture2D image, Texture2D reference, ViewerState s, float mouseX,
            float mouseY, float zoom, float panX, float panY) {
        int size = 160;
        float imageX = panX + (mouseX - v.x() - 0.5f * v.w()) / zoom;
        float imageY = panY + (mouseY - v.y() - 0.5f * v.h()) / zoom;
        View lensView = new View(v.content(), Math.round(mouseX) + 16, Math.round(mouseY) + 16, size, size);
        paint(lensView, framebufferHeight, image, reference, s, null, zoom * s.magnifierZoom, imageX, imageY);
        ImGui.getBackgroundDrawList().addRect(lensView.x(), lensView.y(), lensView.x() + size, lensView.y() + size,
                ImGui.colorConvertFloat4ToU32(1f, 0.85f, 0.1f, 1f));
    }

    /**
     * The colour bar of a map view: magma from 0 to {@code top} along the view's bottom edge, with 0, the middle and
     * the top written above it.
     */
    static void colorBar(View v, double top, String label) {
        colorBar(v, top, label, false);
    }

    /** As {@link #colorBar(View, double, String)}; signed: CET-D1 from -top to top. */
    static void colorBar(View v, double top, String label, boolean signed) {
        ColorMap map = signed ? ColorMap.CET_D1 : ColorMap.MAGMA;
        ImDrawList dl = ImGui.getBackgroundDrawList();
        float w = Math.min(260, v.w() - 24);
        float x0 = v.x() + 12;
        float y0 = v.y() + v.h() - 22;
        int steps = 64;
        dl.addRectFilled(x0 - 6, y0 - ImGui.getTextLineHeightWithSpacing() - 6, x0 + w + 6, y0 + 16,
                ImGui.colorConvertFloat4ToU32(0f, 0f, 0f, 0.6f));
        for (int i = 0; i < steps; i++) {
            float[] a = map.rgb(i / (double) steps);
            float[] b = map.rgb((i + 1) / (double) steps);
            dl.addRectFilledMultiColor(x0 + w * i / steps, y0, x0 + w * (i + 1) / steps, y0 + 10,
                    ImGui.colorConvertFloat4ToU32(a[0], a[1], a[2], 1f), ImGui.colorConvertFloat4ToU32(b[0], b[1], b[2], 1f),
                    ImGui.colorConvertFloat4ToU32(b[0], b[1], b[2], 1f), ImGui.colorConvertFloat4ToU32(a[0], a[1], a[2], 1f));
        }
        String[] labels = signed ? ColorMap.signedBarLabels(top) : ColorMap.barLabels(top);
        float ty = y0 - ImGui.getTextLineHeightWithSpacing();
        int white = ImGui.colorConvertFloat4ToU32(0.9f, 0.9f, 0.9f, 1f);
        dl.addText(x0, ty, white, labels[0]);
        dl.addText(x0 + w / 2 - ImGui.calcTextSize(labels[1]).x / 2, ty, white, labels[1]);
        dl.addText(x0 + w - ImGui.calcTextSize(labels[2]).x, ty, white, labels[2]);
        dl.addText(x0 + 28, ty, ImGui.colorConvertFloat4ToU32(0.7f, 0.7f, 0.7f, 1f), label);
    }

    @Override
    public void close() {
        colorMap.close();
        divergingMap.close();
        program.close();
        fullscreen.close();
    }
}
