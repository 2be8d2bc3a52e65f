package org.reconview.eval;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.reconview.io.FloatImage;
import org.reconview.io.PngImages;
import org.reconview.metrics.DisplayEncoding;

/** Linear HDR images to 8-bit pictures for people (tone-mapped sRGB, the viewer's look), and pictures to PNG. */
public final class Rgb8 {
    private Rgb8() {
    }

    /** RGB bytes of a linear image through the sRGB display encoding (ACES fit tone map, sRGB OETF). */
    public static byte[] fromLinear(FloatImage img) {
        byte[] out = new byte[img.width * img.height * 3];
        for (int i = 0; i < img.width * img.height; i++) {
            for (int c = 0; c < 3; c++) {
                double v = DisplayEncoding.SRGB.encode(img.data[i * img.channels + c]);
                out[i * 3 + c] = (byte) Math.round(Math.min(Math.max(v, 0), 1) * 255);
            }
        }
        return out;
    }

    public static void writePng(Path file, FloatImage linear) {
        PngImages.write(file, linear.width, linear.height, 3, fromLinear(linear));
    }

    static void writePng(Path file, BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                int i = (y * w + x) * 3;
                out[i] = (byte) (argb >> 16);
                out[i + 1] = (byte) (argb >> 8);
                out[i + 2] = (byte) argb;
            }
        }
        PngImages.write(file, w, h, 3, out);
    }
}
