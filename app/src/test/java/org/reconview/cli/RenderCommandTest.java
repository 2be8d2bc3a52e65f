package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.io.FloatImage;
import org.reconview.io.FrameImages;
import org.reconview.io.SequenceFolder;
import org.reconview.scene.Halton;

/** {@code render} end to end at a tiny size (GL under Xvfb + llvmpipe). */
class RenderCommandTest {
    @TempDir
    static Path tmp;

    @BeforeAll
    static void gl() {
        GlTest.context(); // keeps GLFW initialised while render opens and closes its own context
    }

    @AfterAll
    static void restoreContext() {
        GlTest.context(); // render's context was current and is gone
    }

    @Test
    void rendersACompleteSequence() throws IOException {
        Path out = tmp.resolve("courtyard");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), "render", "--scene", "courtyard", "--size",
                "48x32", "--frames", "3", "--spp", "4", "--out", out.toString());
        assertEquals(0, code, e::toString);
        // stderr carries only the progress bar, ending at 3/3.
        List<String> progress = e.toString().lines().toList();
        assertFalse(progress.isEmpty());
        progress.forEach(line -> assertTrue(line.startsWith("render courtyard ["), line));
        assertTrue(progress.get(progress.size() - 1).contains("3/3 frames"), progress::toString);
        assertTrue(o.toString().startsWith("wrote 3 frames of courtyard"), o::toString);

        TreeSet<String> expected = new TreeSet<>();
        for (int i = 0; i < 3; i++) {
            for (String kind : List.of("color", "motion", "depth", "reference")) {
                expected.add(String.format("%04d.%s.exr", i, kind));
            }
        }
        expected.add("sequence.json");
        TreeSet<String> actual = new TreeSet<>();
        try (Stream<Path> files = Files.list(out)) {
            files.forEach(p -> actual.add(p.getFileName().toString()));
        }
        assertEquals(expected, actual, "exactly the sequence's files, no temporary leftovers");

        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("sequence.json"))).getAsJsonObject();
        assertEquals(48, json.get("width").getAsInt());
        assertEquals(32, json.get("height").getAsInt());
        assertEquals(3, json.get("frames").getAsInt());
        assertEquals(4, json.get("spp").getAsInt());
        assertEquals(16, json.get("jitter_period").getAsInt());
        assertEquals("courtyard", json.get("scene").getAsString());
        assertTrue(json.get("has_depth").getAsBoolean());
        assertTrue(json.get("has_reference").getAsBoolean());
        assertEquals("[0]", json.get("cuts").toString());
        JsonArray jitter = json.getAsJsonArray("jitter");
        assertEquals(3, jitter.size());
        for (int i = 0; i < 3; i++) {
            float[] want = Halton.jitter(i, 16);
            JsonArray got = jitter.get(i).getAsJsonArray();
            assertEquals(want[0], (float) got.get(0).getAsDouble(), "jitter x of frame " + i);
            assertEquals(want[1], (float) got.get(1).getAsDouble(), "jitter y of frame " + i);
        }

        SequenceFolder folder = SequenceFolder.open(out);
        List<String> warnings = new ArrayList<>();
        folder.setWarnings(warnings::add);
        FrameImages f = folder.read(1);
        assertEquals(List.of(), warnings, "no NaN/Inf in a rendered frame");
        assertEquals(Halton.jitter(1, 16)[0], f.jitterX());
        assertFalse(f.cut());
        FloatImage c = f.color();
        float first = c.data[0];
        boolean varied = false;
        for (int i = 0; i < c.data.length; i++) {
            assertTrue(Float.isFinite(c.data[i]), "colour value " + i);
            varied |= i % 4 != 3 && c.data[i] != first;
        }
        assertTrue(varied, "colour is one flat value");
        double sum = 0;
        FloatImage ref = f.reference();
        for (int i = 0; i < ref.data.length; i += ref.channels) {
            sum += ref.data[i] + ref.data[i + 1] + ref.data[i + 2];
        }
        assertTrue(sum / (ref.width * ref.height * 3) > 1e-4, "reference mean " + sum);
        assertNotNull(f.depth());
    }
}
