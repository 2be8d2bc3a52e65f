package org.reconview.recon;

import static org.lwjgl.opengl.GL45C.*;

import org.reconview.gl.Texture2D;
import org.reconview.io.FloatImage;
import org.reconview.source.Frame;

/** Test helpers: FloatImages to textures and synthetic frames. */
final class GlImages {
    private GlImages() {
    }

    static Texture2D texture(FloatImage img) {
        int format = switch (img.channels) {
            case 1 -> GL_R32F;
            case 2 -> GL_RG32F;
            default -> GL_RGBA32F;
        };
        Texture2D t = new Texture2D(img.width, img.height, format);
        t.upload(img.data, img.channels);
        return t;
    }

    static FloatImage download(Texture2D t, int channels) {
        return new FloatImage(t.width(), t.height(), channels, t.download(channels));
    }

    /** A frame over uploaded images; the caller closes the textures. */
    static Frame frame(int index, boolean cut, Texture2D color, Texture2D motion, Texture2D depth) {
        return new Frame(index, index / 30.0, 0f, 0f, cut, color, motion, depth, null);
    }
}
