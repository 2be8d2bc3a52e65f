package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak's verdict: flat samples pass, a GL object, heap or RSS that grows past its tolerance fails; a short run. */
class SoakCommandTest {
    @TempDir
    Path tmp;

    private static Map<String, Integer> gl(int textures) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("textures", textures);
        m.put("buffers", 10);
        return m;
    }

    private static boolean verdict(List<SoakCommand.Sample> samples, double keptPerFrameMb) {
        return SoakCommand.report("part", samples, keptPerFrameMb, new LinkedHashMap<>(),
                new PrintWriter(new StringWriter()));
    }

    @Test
    void theVerdictHoldsFlatSamplesAndCatchesGrowth() {
        double h = SoakCommand.HEAP_TOLERANCE_MB;
        double r = SoakCommand.RSS_TOLERANCE_MB;
        assertTrue(verdict(List.of(new SoakCommand.Sample(500, 100, 300, gl(5)),
                new SoakCommand.Sample(1000, 100 + h - 1, 300 + r - 1, gl(5))), 0));
        assertFalse(verdict(List.of(new SoakCommand.Sample(500, 100, 300, gl(5)),
                new SoakCommand.Sample(1000, 100, 300, gl(6))), 0), "one texture more");
        assertFalse(verdict(List.of(new SoakCommand.Sample(500, 100, 300, gl(5)),
                new SoakCommand.Sample(1000, 100 + h + 1, 300, gl(5))), 0), "heap");
        assertFalse(verdict(List.of(new SoakCommand.Sample(500, 100, 300, gl(5)),
                new SoakCommand.Sample(1000, 100, 300 + r + 1, gl(5))), 0), "rss");
        // What eval keeps by design is allowed on top: 0.01 MB a frame over 500 frames is 5 MB.
        assertTrue(verdict(List.of(new SoakCommand.Sample(500, 100, 300, gl(5)),
                new SoakCommand.Sample(1000, 100 + h + 4, 300, gl(5))), 0.01));
        assertFalse(SoakCommand.leftNothing("part", gl(5), gl(6), new LinkedHashMap<>(),
                new PrintWriter(new StringWriter())));
    }

    @Test
    void aShortSoakRunsBothPartsAndSaysFlat() throws Exception {
        Path json = tmp.resolve("soak.json");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), "soak", "--size", "32x32", "--viewer-frames", "6",
                "--eval-frames", "6", "--every", "3", "--out", json.toString());
        assertEquals(0, code, o + "\n" + e);
        assertTrue(o.toString().contains("soak: flat"), o.toString());
        JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertTrue(j.get("flat").getAsBoolean());
        for (String part : List.of("viewer", "eval")) {
            var samples = j.getAsJsonObject(part).getAsJsonArray("samples");
            assertEquals(2, samples.size(), part);
            assertEquals(6, samples.get(1).getAsJsonObject().get("frame").getAsInt(), part);
            assertTrue(samples.get(0).getAsJsonObject().get("heapMb").getAsDouble() > 1, part);
            assertTrue(samples.get(0).getAsJsonObject().getAsJsonObject("gl").get("textures").getAsInt() > 0, part);
        }
        org.reconview.GlTest.context();
    }
}
