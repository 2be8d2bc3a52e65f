package org.reconview.color;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * The colour maps against their published tables (BIDS/colormap colormaps.py at bc54947, the tables matplotlib
 * ships: _magma_data and _viridis_data), at sampled entries, and the interpolation between entries.
 */
class ColorMapTest {
    static void near(float[] expected, float[] actual, String what) {
        for (int c = 0; c < 3; c++) {
            assertEquals(expected[c], actual[c], 1e-6, what + " channel " + c);
        }
    }

    @Test
    void sampledEntriesEqualThePublishedTables() {
        near(new float[] {0.001462f, 0.000466f, 0.013866f}, ColorMap.MAGMA.rgb(0), "magma[0]");
        near(new float[] {0.716387f, 0.214982f, 0.475290f}, ColorMap.MAGMA.rgb(128 / 255.0), "magma[128]");
        near(new float[] {0.987053f, 0.991438f, 0.749504f}, ColorMap.MAGMA.rgb(1), "magma[255]");
        near(new float[] {0.267004f, 0.004874f, 0.329415f}, ColorMap.VIRIDIS.rgb(0), "viridis[0]");
        near(new float[] {0.127568f, 0.566949f, 0.550556f}, ColorMap.VIRIDIS.rgb(128 / 255.0), "viridis[128]");
        near(new float[] {0.993248f, 0.906157f, 0.143936f}, ColorMap.VIRIDIS.rgb(1), "viridis[255]");
        // CET-D1 (holoviz/colorcet 673723c, assets/CET/diverging_bwr_40-95_c42_n256.csv, lines 1, 129, 256)
        near(new float[] {0.12757f, 0.31619f, 0.85836f}, ColorMap.CET_D1.rgb(0), "cet-d1[0]");
        near(new float[] {0.93208f, 0.9066f, 0.91506f}, ColorMap.CET_D1.rgb(128 / 255.0), "cet-d1[128]");
        near(new float[] {0.75243f, 0.0084181f, 0.021805f}, ColorMap.CET_D1.rgb(1), "cet-d1[255]");
    }

    @Test
    void theDivergingMapIsLightestInTheMiddle() {
        float[] t = ColorMap.CET_D1.table();
        double prev = -1;
        for (int i = 0; i < ColorMap.ENTRIES; i++) {
            double l = 0.2126 * t[3 * i] + 0.7152 * t[3 * i + 1] + 0.0722 * t[3 * i + 2];
            if (i <= 125) {
                assertTrue(l > prev, "luma rises toward the middle at entry " + i);
            } else if (i >= 131) {
                assertTrue(l < prev, "luma falls away from the middle at entry " + i);
            }
            prev = l;
        }
        assertTrue(t[2] > t[0] && t[3 * 255] > t[3 * 255 + 2], "blue below zero, red above");
    }

    @Test
    void interpolatesBetweenEntriesAndClamps() {
        float[] t = ColorMap.MAGMA.table();
        assertEquals(3 * ColorMap.ENTRIES, t.length);
        float[] mid = ColorMap.MAGMA.rgb(10.5 / 255.0);
        for (int c = 0; c < 3; c++) {
            assertEquals((t[30 + c] + t[33 + c]) / 2, mid[c], 1e-6, "halfway between entries 10 and 11");
        }
        near(ColorMap.MAGMA.rgb(0), ColorMap.MAGMA.rgb(-3), "below 0 clamps");
        near(ColorMap.MAGMA.rgb(1), ColorMap.MAGMA.rgb(7), "above 1 clamps");
        near(ColorMap.MAGMA.rgb(0), ColorMap.MAGMA.rgb(Double.NaN), "NaN maps to the start");
        // perceptually ordered: lightness (here plain luma) rises monotonically along magma
        double prev = -1;
        for (int i = 0; i < ColorMap.ENTRIES; i++) {
            double l = 0.2126 * t[3 * i] + 0.7152 * t[3 * i + 1] + 0.0722 * t[3 * i + 2];
            assertTrue(l > prev, "luma rises at entry " + i);
            prev = l;
        }
    }
}
