package org.reconview.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import org.reconview.io.FloatImage;

/**
 * A comparison sheet for one frame: the same crop of every method and the reference side by side, magnified with
 * nearest-neighbour so pixels stay pixels, each captioned with its name, PSNR and SSIM.
 */
final class CompareSheet {
    static final int CAPTION = 36;
    static final int GAP = 4;

    private CompareSheet() {
    }

    /** {@code captions} holds "psnr dB / ssim" per method (absent for the reference). */
    static void write(Path file, int frame, Map<String, FloatImage> crops, Map<String, String> captions, int zoom) {
        FloatImage any = crops.values().iterator().next();
        int pw = any.width * zoom;
        int ph = any.height * zoom;
        int n = crops.size();
        BufferedImage sheet = new BufferedImage(n * pw + (n - 1) * GAP, ph + CAPTION, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(new Color(24, 24, 26));
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int x0 = 0;
        for (Map.Entry<String, FloatImage> e : crops.entrySet()) {
            FloatImage img = e.getValue();
            byte[] rgb = Rgb8.fromLinear(img);
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    int i = ((y / zoom) * img.width + x / zoom) * 3;
                    sheet.setRGB(x0 + x, y, (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff));
                }
            }
            g.setColor(Color.WHITE);
            g.drawString(e.getKey() + (frame >= 0 ? "  (frame " + frame + ")" : ""), x0 + 4, ph + 15);
            String caption = captions.get(e.getKey());
            g.setColor(new Color(200, 200, 200));
            g.drawString(caption == null ? "reference" : caption, x0 + 4, ph + 31);
            x0 += pw + GAP;
        }
        g.dispose();
        Rgb8.writePng(file, sheet);
    }
}
