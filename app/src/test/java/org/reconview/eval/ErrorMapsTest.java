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
import org.reconview.metrics.Ssim;

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
        double sd = 0;
        for (int c = 0; c < 3; c++) {
            sd += DisplayEncoding.PQ.encode(a.data[p * 4 + c]) - DisplayEncoding.PQ.encode(b.data[p * 4 + c]);
        }
        double[] signed = ErrorMaps.map("signed", a, b, DisplayEncoding.PQ);
        assertEquals(sd / 3, signed[p], 1e-12);
        double[] swapped = ErrorMaps.map("signed", b, a, DisplayEncoding.PQ);
        assertEquals(-signed[p], swapped[p], 1e-12, "antisymmetric");
        FloatImage flip = Flip.ldrMap(DisplayEncoding.PQ.encode(a), DisplayEncoding.PQ.encode(b), Flip.DEFAULT_PPD);
        assertEquals(flip.data[p], ErrorMaps.map("flip", a, b, DisplayEncoding.PQ)[p], 1e-7);
        for (String k : ErrorMaps.KINDS) {
            for (double v : ErrorMaps.map(k, a, a, DisplayEncoding.PQ)) {
                if (!Double.isNaN(v)) {
                    assertEquals(0.0, v, 1e-12, k + " of identical images");
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ErrorMaps.map("psnr", a, b, DisplayEncoding.PQ));
    }

    @Test
    void theSsimMapIsWhatTheSsimMetricAverages() {
        FloatImage a = random(24, 20, 3, 1f);
        FloatImage b = random(24, 20, 4, 1f);
        double[] m = ErrorMaps.map("ssim", a, b, DisplayEncoding.PQ);
        double sum = 0;
        int valid = 0;
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 24; x++) {
                boolean inside = x >= Ssim.RADIUS && x < 24 - Ssim.RADIUS && y >= Ssim.RADIUS && y < 20 - Ssim.RADIUS;
                assertEquals(!inside, Double.isNaN(m[y * 24 + x]), "no value where the window does not fit");
                if (inside) {
                    sum += 1 - m[y * 24 + x];
                    valid++;
                }
            }
        }
        assertEquals((24 - 2 * Ssim.RADIUS) * (20 - 2 * Ssim.RADIUS), valid);
        assertEquals(Ssim.ssim(a, b, DisplayEncoding.PQ), sum / valid, 1e-12);
        assertTrue(sum / valid < 0.5, "two random images are dissimilar: " + sum / valid);
    }

    @Test
    void signedSheetsAreSymmetricOnTheDivergingMap() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            v[i] = (i - 30) / 100.0; // -0.30 .. 0.69
        }
        double top = ErrorMaps.scaleTop("signed", List.of(v));
        assertEquals(0.68, top, 1e-12, "99th percentile of |v| (numpy 'lower': sorted index 98 of 100)");
        double[] withNan = v.clone();
        withNan[0] = Double.NaN;
        assertEquals(0.68, ErrorMaps.scaleTop("signed", List.of(withNan)), 1e-12, "NaN left out (index 97 of 99)");
        assertArrayEquals(new String[] {"-0.680", "0", "+0.680"}, ColorMap.signedBarLabels(top));
        Map<String, double[]> maps = new LinkedHashMap<>();
        maps.put("qwnet - taa", v);
        BufferedImage sheet = ErrorMaps.sheet("signed", 0, maps, 10, 10, top);
        assertRgb(ColorMap.CET_D1.rgb(0.5 + 0.5 * v[3] / top), sheet.getRGB(3, 0));
        assertRgb(ColorMap.CET_D1.rgb(0.5), sheet.getRGB(0, 3)); // zero is the middle
        assertRgb(ColorMap.CET_D1.rgb(0), sheet.getRGB(8, 10 + ErrorMaps.CAPTION + 6));
        // NaN (an SSIM border pixel) shows as the background
        double[] nan = new double[100];
        java.util.Arrays.fill(nan, Double.NaN);
        BufferedImage ssim = ErrorMaps.sheet("ssim", 0, Map.of("taa", nan), 10, 10, 1);
        assertEquals(ssim.getRGB(ssim.getWidth() - 1, 0), ssim.getRGB(4, 4), "background");
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
