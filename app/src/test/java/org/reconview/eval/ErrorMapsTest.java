package org.reconview.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reconview.color.ColorMap;
import org.reconview.io.FloatImage;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.Flip;

/** The error maps' values, the shared scale, and the sheet's pixels and colour bar against the colour map. */
class ErrorMapsTest {
    static FloatImage random(int w, int h, long seed, float scale) {
        Random r = new Random(seed);
        FloatImage img = new FloatImage(w, h, 4);
        for (int i = 0; i < img.data.length; i++) {
            img.data[i] = r.nextFloat() * scale;
        }
        return img;
    }

    @Test
    void mapsAreTheirDefinitions() {
        FloatImage a = random(24, 16, 1, 2f);
        FloatImage b = random(24, 16, 2, 2f);
        double[] abs = ErrorMaps.map("abs", a, b, DisplayEncoding.PQ);
        double[] rel = ErrorMaps.map("rel", a, b, DisplayEncoding.PQ);
        int p = 7 * 24 + 5;
        double sa = 0;
        double sr = 0;
        for (int c = 0; c < 3; c++) {
            sa += Math.abs(DisplayEncoding.PQ.encode(a.data[p * 4 + c]) - DisplayEncoding.PQ.encode(b.data[p * 4 + c]));
            sr += Math.abs(a.data[p * 4 + c] - b.data[p * 4 + c]) / (Math.abs(b.data[p * 4 + c]) + 0.01);
        }
        assertEquals(sa / 3, abs[p], 1e-12);
        assertEquals(sr / 3, rel[p], 1e-12);
        FloatImage flip = Flip.ldrMap(DisplayEncoding.PQ.encode(a), DisplayEncoding.PQ.encode(b), Flip.DEFAULT_PPD);
        assertEquals(flip.data[p], ErrorMaps.map("flip", a, b, DisplayEncoding.PQ)[p], 1e-7);
        for (String k : ErrorMaps.KINDS) {
            for (double v : ErrorMaps.map(k, a, a, DisplayEncoding.PQ)) {
                assertEquals(0.0, v, 0.0, k + " of identical images");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ErrorMaps.map("ssim", a, b, DisplayEncoding.PQ));
    }

    @Test
    void oneScaleForTheSheetAndABarThatSaysIt() {
        double[] low = new double[100];
        double[] high = new double[100];
        for (int i = 0; i < 100; i++) {
            low[i] = i / 1000.0;
            high[i] = i / 100.0;
        }
        double top = ErrorMaps.scaleTop("abs", List.of(low, high));
        // the 99th percentile of both maps' 200 values, numpy's 'lower': sorted index floor(0.99 x 199) = 197
        assertEquals(0.97, top, 1e-12);
        assertEquals(1.0, ErrorMaps.scaleTop("flip", List.of(low)), 0.0, "FLIP's own scale");
        assertArrayEquals(new String[] {"0", "0.485", "0.970"}, ColorMap.barLabels(top));

        Map<String, double[]> maps = new LinkedHashMap<>();
        maps.put("taa", high);
        maps.put("qwnet", low);
        BufferedImage sheet = ErrorMaps.sheet("abs", 3, maps, 10, 10, top);
        // a pixel of each map has the colour map's colour at value / top
        assertRgb(ColorMap.MAGMA.rgb(high[55] / top), sheet.getRGB(5, 5));
        assertRgb(ColorMap.MAGMA.rgb(low[55] / top), sheet.getRGB(10 + ErrorMaps.GAP + 5, 5));
        // the bar runs from the map's first to its last entry, left to right
        int barY = 10 + ErrorMaps.CAPTION + 4 + 2;
        assertRgb(ColorMap.MAGMA.rgb(0), sheet.getRGB(8, barY));
        assertRgb(ColorMap.MAGMA.rgb(1), sheet.getRGB(sheet.getWidth() - 9, barY));
    }

    static void assertRgb(float[] expected, int argb) {
        int[] got = {(argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff};
        for (int c = 0; c < 3; c++) {
            assertEquals(Math.round(expected[c] * 255), got[c], 1, "channel " + c);
        }
    }
}
