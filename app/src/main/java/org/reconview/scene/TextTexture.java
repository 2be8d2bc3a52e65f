package org.reconview.scene;

import static org.lwjgl.opengl.GL45C.GL_R8;
import static org.lwjgl.stb.STBTruetype.*;

import java.nio.ByteBuffer;
import org.lwjgl.stb.STBTTFontinfo;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.reconview.ProjectPaths;
import org.reconview.gl.Texture2D;

/**
 * Draws lines of text (split at '\n') into a mip-mapped 8-bit coverage texture with stb_truetype and the DejaVu Sans
 * font in {@code assets/fonts}: the signs and labels of the built-in scenes. CPU rasterisation, so the texture is the
 * same on every machine.
 */
public final class TextTexture {
    public static final int WIDTH = 1024;
    public static final int HEIGHT = 512;

    private TextTexture() {
    }

    static ByteBuffer loadFont(String file) {
        byte[] bytes = ProjectPaths.readAsset("fonts/" + file);
        ByteBuffer buf = MemoryUtil.memAlloc(bytes.length);
        buf.put(bytes).flip();
        return buf;
    }

    /** Coverage bytes, row 0 = top, WIDTH x HEIGHT. */
    public static byte[] rasterize(String text) {
        ByteBuffer font = loadFont("DejaVuSans.ttf");
        byte[] image = new byte[WIDTH * HEIGHT];
        try (STBTTFontinfo info = STBTTFontinfo.malloc(); MemoryStack stack = MemoryStack.stackPush()) {
            if (!stbtt_InitFont(info, font)) {
                throw new IllegalStateException("assets/fonts/DejaVuSans.ttf: not a TrueType font");
            }
            String[] lines = text.split("\n");
            float pixelHeight = Math.min(HEIGHT * 0.8f / lines.length, 140f);
            float scale = stbtt_ScaleForPixelHeight(info, pixelHeight);
            var ascent = stack.mallocInt(1);
            var descent = stack.mallocInt(1);
            var gap = stack.mallocInt(1);
            stbtt_GetFontVMetrics(info, ascent, descent, gap);
            float lineHeight = (ascent.get(0) - descent.get(0) + gap.get(0)) * scale;
            float y0 = (HEIGHT - lineHeight * lines.length) / 2 + ascent.get(0) * scale;
            var advance = stack.mallocInt(1);
            var lsb = stack.mallocInt(1);
            var x0 = stack.mallocInt(1);
            var y0b = stack.mallocInt(1);
            var x1 = stack.mallocInt(1);
            var y1 = stack.mallocInt(1);
            for (int li = 0; li < lines.length; li++) {
                String line = lines[li];
                float width = 0;
                for (int i = 0; i < line.length(); i++) {
                    stbtt_GetCodepointHMetrics(info, line.charAt(i), advance, lsb);
                    width += advance.get(0) * scale;
                }
                float x = Math.max(8, (WIDTH - width) / 2);
                int baseline = Math.round(y0 + li * lineHeight);
                for (int i = 0; i < line.length(); i++) {
                    int cp = line.charAt(i);
                    stbtt_GetCodepointBitmapBox(info, cp, scale, scale, x0, y0b, x1, y1);
                    int gw = x1.get(0) - x0.get(0);
                    int gh = y1.get(0) - y0b.get(0);
                    if (gw > 0 && gh > 0) {
                        ByteBuffer glyph = MemoryUtil.memAlloc(gw * gh);
                        try {
                            stbtt_MakeCodepointBitmap(info, glyph, gw, gh, gw, scale, scale, cp);
                            int gx = Math.round(x) + x0.get(0);
                            int gy = baseline + y0b.get(0);
                            for (int yy = 0; yy < gh; yy++) {
                                for (int xx = 0; xx < gw; xx++) {
                                    int px = gx + xx;
                                    int py = gy + yy;
                                    if (px >= 0 && px < WIDTH && py >= 0 && py < HEIGHT) {
                                        int v = Math.max(image[py * WIDTH + px] & 0xff, glyph.get(yy * gw + xx) & 0xff);
                                        image[py * WIDTH + px] = (byte) v;
                                    }
                                }
                            }
                        } finally {
                            MemoryUtil.memFree(glyph);
                        }
                    }
                    stbtt_GetCodepointHMetrics(info, cp, advance, lsb);
                    x += advance.get(0) * scale;
                    if (i + 1 < line.length()) {
                        x += stbtt_GetCodepointKernAdvance(info, cp, line.charAt(i + 1)) * scale;
                    }
                }
            }
        } finally {
            MemoryUtil.memFree(font);
        }
        return image;
    }

    /** Uploads the text as a mip-mapped R8 texture (trilinear, repeating). */
    public static Texture2D create(String text) {
        byte[] pixels = rasterize(text);
        Texture2D tex = new Texture2D(WIDTH, HEIGHT, GL_R8, Texture2D.fullMipLevels(WIDTH, HEIGHT));
        ByteBuffer buf = MemoryUtil.memAlloc(pixels.length);
        try {
            buf.put(pixels).flip();
            tex.upload(buf, 1);
        } finally {
            MemoryUtil.memFree(buf);
        }
        return tex;
    }
}
