package org.reconview.ui;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.cli.Main;
import org.reconview.gl.GlContext;
import org.reconview.io.ExrImages;
import org.reconview.io.FloatImage;
import org.reconview.io.PngImages;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.Psnr;
import org.reconview.recon.Methods;
import org.reconview.source.PairSource;

/** compare A B: A in the input slot, B as the reference, their metrics, and the split, flicker and difference views. */
class CompareViewTest {
    static FloatImage random(long seed, float scale) {
        Random r = new Random(seed);
        FloatImage img = new FloatImage(48, 32, 3);
        for (int i = 0; i < img.data.length; i++) {
            img.data[i] = r.nextFloat() * scale;
        }
        return img;
    }

    static FloatImage rgb(FloatImage rgba) {
        FloatImage out = new FloatImage(rgba.width, rgba.height, 3);
        for (int p = 0; p < rgba.width * rgba.height; p++) {
            System.arraycopy(rgba.data, p * rgba.channels, out.data, p * 3, 3);
        }
        return out;
    }

    @Test
    void aIsMeasuredAgainstBAndTheViewsShowBoth(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a.exr");
        Path b = tmp.resolve("b.exr");
        FloatImage ia = random(1, 2f);
        FloatImage ib = random(2, 2f);
        ExrImages.write(a, ia, "R", "G", "B");
        ExrImages.write(b, ib, "R", "G", "B");
        GlTest.context();
        try (GlContext gl = GlContext.create(900, 420, false, "compare test");
                Viewer viewer = new Viewer(gl, new PairSource(a, b), null, 0, 0, Methods.Config.defaults(), true,
                        List.of("input", "reference"), Map.of("input", "A: a.exr", "reference", "B: b.exr"))) {
            assertEquals(List.of("input", "reference"), viewer.slots.stream().map(s -> s.name).toList(),
                    "only A and B get a slot");
            viewer.state().arrangeComparison(Layout.SPLIT);
            viewer.state.timeSlice = false;
            viewer.runFrame();
            FloatImage shownA = rgb(new FloatImage(48, 32, 4, viewer.slot("input").output.download(4)));
            FloatImage shownB = rgb(new FloatImage(48, 32, 4, viewer.currentFrame().reference().download(4)));
            assertArrayEquals(ia.data, shownA.data, "A in the input slot");
            assertArrayEquals(ib.data, shownB.data, "B as the reference");
            assertEquals(Psnr.psnr(ia, ib, DisplayEncoding.PQ), viewer.slot("input").history.lastPsnr(), 1e-3,
                    "PSNR of A against B");
            assertEquals("A: a.exr", viewer.label("input"));
            // split: left shows A, right B
            assertEquals(List.of("input", "reference"), viewer.views().stream().map(ViewPainter.View::content)
                    .toList());
            // flicker: one view, whose content alternates between A and B
            viewer.state.layout = Layout.FLICKER;
            viewer.state.flickerMs = 1;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 40 && seen.size() < 2; i++) {
                viewer.runFrame();
                assertEquals(1, viewer.views().size());
                seen.add(viewer.views().get(0).content());
                Thread.sleep(1);
            }
            assertEquals(java.util.Set.of("input", "reference"), seen, "flicker shows A and B in turn");
            // grid: A, B, A's error map and signed difference; the signed view's pixels are CET-D1 of A - B
            viewer.state.layout = Layout.GRID;
            viewer.state.fit = false;
            viewer.state.zoom = 1;
            viewer.state.errorScale = 0.5f;
            Path png = tmp.resolve("grid.png");
            viewer.screenshotNow(png);
            ViewPainter.View signed = viewer.views().get(3);
            assertEquals("signed:input", signed.content());
            FloatImage shot = PngImages.read8(png);
            int checked = 0;
            for (int y = signed.y() + 60; y < signed.y() + signed.h() && checked < 50; y += 3) {
                for (int x = signed.x() + 4; x < signed.x() + signed.w() && checked < 50; x += 5) {
                    int[] t = viewer.imagePixel(signed, x, y);
                    if (t[0] < 0 || t[1] < 0 || t[0] >= 48 || t[1] >= 32) {
                        continue;
                    }
                    double d = 0;
                    for (int c = 0; c < 3; c++) {
                        d += DisplayEncoding.PQ.encode(ia.get(t[0], t[1], c)) - DisplayEncoding.PQ.encode(
                                ib.get(t[0], t[1], c));
                    }
                    float[] expected = org.reconview.color.ColorMap.CET_D1.rgb(0.5 + 0.5 * d / 3 / 0.5);
                    for (int c = 0; c < 3; c++) {
                        assertEquals(expected[c], shot.get(x, y, c), 2.5 / 255, "signed view at " + t[0] + "," + t[1]);
                    }
                    checked++;
                }
            }
            assertTrue(checked >= 20, "checked " + checked + " pixels");
        } finally {
            GlTest.context();
        }
    }

    @Test
    void badPairsAreOneLineErrors(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a.exr");
        ExrImages.write(a, random(1, 1f), "R", "G", "B");
        Path folder = tmp.resolve("two");
        Files.createDirectories(folder);
        ExrImages.write(folder.resolve("0000.exr"), random(3, 1f), "R", "G", "B");
        ExrImages.write(folder.resolve("0001.exr"), random(4, 1f), "R", "G", "B");
        for (String[] c : new String[][] {{a.toString(), tmp.resolve("nope.exr").toString(), "nope.exr: not found"},
            {a.toString(), folder.toString(), "1 and 2 images"}}) {
            StringWriter err = new StringWriter();
            assertEquals(2, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "compare", c[0], c[1]),
                    err::toString);
            assertTrue(err.toString().contains(c[2]), err.toString());
            assertEquals(1, err.toString().lines().count(), err.toString());
        }
    }
}
