package org.reconview.ui;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.cli.Main;
import org.reconview.io.FloatImage;
import org.reconview.io.PngImages;

/** The preview window's non-interactive mode: plays frames, saves the window, and each mode shows something else. */
class PreviewWindowTest {
    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    static FloatImage shot(Path tmp, String mode) {
        Path png = tmp.resolve(mode + ".png");
        StringWriter err = new StringWriter();
        int rc = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "view", "--scene", "courtyard",
                "--size", "64x32", "--spp", "4", "--frames", "3", "--window", "160x120", "--mode", mode,
                "--screenshot", png.toString());
        assertEquals(0, rc, err.toString());
        GlTest.context();
        return PngImages.read8(png);
    }

    @Test
    void screenshotsShowTheFrameLetterboxedAndModesDiffer(@TempDir Path tmp) {
        FloatImage input = shot(tmp, "input");
        FloatImage motion = shot(tmp, "motion");
        FloatImage reference = shot(tmp, "reference");
        assertEquals(160, input.width);
        assertEquals(120, input.height);
        // A 64x32 frame in a 160x120 window is letterboxed: 160x80 in the middle, bars of 20 rows above and below.
        assertEquals(0.08f * 255, Math.round(input.get(80, 5, 0) * 255), 1.0, "bar colour above");
        assertEquals(0.08f * 255, Math.round(input.get(80, 114, 0) * 255), 1.0, "bar colour below");
        double dMotion = 0;
        double dReference = 0;
        double variance = 0;
        double mean = 0;
        int n = 0;
        for (int y = 22; y < 98; y++) {
            for (int x = 0; x < 160; x++) {
                for (int c = 0; c < 3; c++) {
                    dMotion += Math.abs(input.get(x, y, c) - motion.get(x, y, c));
                    dReference += Math.abs(input.get(x, y, c) - reference.get(x, y, c));
                    mean += input.get(x, y, c);
                    variance += input.get(x, y, c) * input.get(x, y, c);
                    n++;
                }
            }
        }
        mean /= n;
        variance = variance / n - mean * mean;
        assertTrue(variance > 0.005, "the frame has content: variance " + variance);
        assertTrue(dMotion / n > 0.1, "motion view differs from the colour: " + dMotion / n);
        assertTrue(dReference / n > 0.005 && dReference / n < 0.2,
                "reference resembles the 1-spp frame but is not it: " + dReference / n);
    }
}
