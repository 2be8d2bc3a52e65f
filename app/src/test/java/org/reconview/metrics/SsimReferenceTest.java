package org.reconview.metrics;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.reconview.io.FloatImage;

/**
 * The golden SSIM and PSNR against scikit-image 0.19's numbers for the same images: ssim_cases.json, written by
 * {@code src/test/resources/metrics/make_ssim_cases.py} (a numpy transcription of scikit-image's algorithm, as the
 * package cannot be installed here). Values are already encoded, so the comparison uses {@link DisplayEncoding#LINEAR}.
 */
class SsimReferenceTest {
    static JsonObject cases() throws IOException {
        try (InputStream in = SsimReferenceTest.class.getResourceAsStream("/metrics/ssim_cases.json")) {
            assertNotNull(in, "metrics/ssim_cases.json on the test class path");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    static FloatImage image(JsonArray rows, int w, int h) {
        FloatImage img = new FloatImage(w, h, 3);
        assertEquals(h, rows.size());
        for (int y = 0; y < h; y++) {
            JsonArray row = rows.get(y).getAsJsonArray();
            assertEquals(w, row.size());
            for (int x = 0; x < w; x++) {
                JsonArray px = row.get(x).getAsJsonArray();
                for (int c = 0; c < 3; c++) {
                    double v = px.get(c).getAsDouble();
                    assertEquals(v, (double) (float) v, 0, "values in the JSON are floats");
                    img.set(x, y, c, (float) v);
                }
            }
        }
        return img;
    }

    @TestFactory
    List<DynamicTest> goldenMatchesScikitImage() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        JsonArray all = cases().getAsJsonArray("cases");
        assertTrue(all.size() >= 4, "cases: " + all.size());
        for (JsonElement el : all) {
            JsonObject c = el.getAsJsonObject();
            String name = c.get("name").getAsString();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                int w = c.get("width").getAsInt();
                int h = c.get("height").getAsInt();
                FloatImage img = image(c.getAsJsonArray("image"), w, h);
                FloatImage ref = image(c.getAsJsonArray("reference"), w, h);
                assertEquals(c.get("mssim").getAsDouble(), Ssim.ssim(img, ref, DisplayEncoding.LINEAR), 1e-9,
                        name + ": mssim");
                assertEquals(c.get("psnr").getAsDouble(), Psnr.psnr(img, ref, DisplayEncoding.LINEAR), 1e-9,
                        name + ": psnr");
            }));
        }
        return tests;
    }
}
