package org.reconview.metrics;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.reconview.UserException;
import org.reconview.color.Pq;

/** The three encodings in Java: names, parsing, and values derived by hand. */
class DisplayEncodingTest {
    @Test
    void parsesIdsAndNamesTheOptionOnUnknownOnes() {
        assertEquals(DisplayEncoding.PQ, DisplayEncoding.parse("pq"));
        assertEquals(DisplayEncoding.SRGB, DisplayEncoding.parse("sRGB"));
        assertEquals(DisplayEncoding.LINEAR, DisplayEncoding.parse("linear"));
        UserException e = assertThrows(UserException.class, () -> DisplayEncoding.parse("log"));
        assertEquals("--encoding: unknown 'log' (pq, srgb, linear)", e.getMessage());
        assertEquals("srgb", DisplayEncoding.SRGB.id());
    }

    @Test
    void pqIsThePqCurve() {
        for (double v : new double[] {-1, 0, 1e-4, 0.18, 1, 9.9, 10, 1e6}) {
            assertEquals(Pq.encode(v), DisplayEncoding.PQ.encode(v), 0, "v " + v);
        }
    }

    @Test
    void srgbIsAcesThenTheSrgbCurve() {
        // x = 1: (2.51 + 0.03) / (2.43 + 0.59 + 0.14) = 2.54 / 3.16
        double t = 2.54 / 3.16;
        assertEquals(1.055 * Math.pow(t, 1 / 2.4) - 0.055, DisplayEncoding.SRGB.encode(1.0), 1e-15);
        // small x: ACES ~ 0.03x / 0.14, in the linear toe of sRGB
        double x = 1e-3;
        double a = x * (2.51 * x + 0.03) / (x * (2.43 * x + 0.59) + 0.14);
        assertTrue(a < 0.0031308);
        assertEquals(12.92 * a, DisplayEncoding.SRGB.encode(x), 1e-15);
        assertEquals(0, DisplayEncoding.SRGB.encode(0), 0);
        assertEquals(0, DisplayEncoding.SRGB.encode(-3), 0);
        assertEquals(0, DisplayEncoding.SRGB.encode(Double.NaN), 0);
        // the fit reaches 1 at x ~ 7.245; the sRGB curve maps 1 to 1.055 - 0.055 (1 - 1 ulp in double)
        double top = DisplayEncoding.SRGB.encode(7.3);
        assertEquals(1, top, 1e-15);
        assertTrue(DisplayEncoding.SRGB.encode(7.2) < top - 1e-5);
        assertEquals(top, DisplayEncoding.SRGB.encode(Double.POSITIVE_INFINITY), 0);
        assertEquals(top, DisplayEncoding.SRGB.encode(1e30), 0);
    }

    @Test
    void linearIsNotClamped() {
        assertEquals(-0.25, DisplayEncoding.LINEAR.encode(-0.25), 0);
        assertEquals(1.5, DisplayEncoding.LINEAR.encode(1.5), 0);
    }

    @Test
    void shaderDefinesNumberEveryEncoding() {
        var d = DisplayEncoding.shaderDefines();
        assertEquals("0", d.get("ENCODING_PQ"));
        assertEquals("1", d.get("ENCODING_SRGB"));
        assertEquals("2", d.get("ENCODING_LINEAR"));
        assertEquals(Double.toString(DisplayEncoding.SRGB_EXPOSURE_STOPS), d.get("SRGB_EXPOSURE_STOPS"));
    }
}
