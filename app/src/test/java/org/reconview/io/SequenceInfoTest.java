package org.reconview.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SequenceInfoTest {
    @TempDir
    Path tmp;

    static SequenceInfo sample() {
        SequenceInfo info = new SequenceInfo(64, 48, 3);
        info.fps = 24;
        info.scene = "sponza";
        info.seed = 1234567890123L;
        info.spp = 256;
        info.jitterPeriod = 8;
        info.jitter = new ArrayList<>(List.of(new float[] {0.25f, -0.125f}, new float[] {-0.5f, 0.5f},
                new float[] {0f, 0.375f}));
        info.cuts = new ArrayList<>(List.of(0, 2));
        info.motion = new MotionConvention("previous-to-current", "ndc", "up", 0.5f);
        info.depth = "linear view depth";
        info.referenceFilter = "blackman-harris radius 1.5 px, accumulated in PQ";
        info.source = "reconview 0.1.0 render";
        info.hasReference = true;
        info.hasDepth = true;
        return info;
    }

    @Test
    void jsonRoundTrip() throws Exception {
        SequenceInfo info = sample();
        Path json = tmp.resolve("sequence.json");
        info.write(json);
        String text = Files.readString(json);
        assertTrue(text.contains("\"jitter_period\": 8"), text);
        assertTrue(text.contains("\"color_space\": \"linear\""), text);
        assertTrue(text.contains("\"reference_filter\""), text);
        assertTrue(text.contains("[0.25, -0.125]"), text);
        assertTrue(text.contains("\"cuts\": [0, 2]"), text);

        SequenceInfo back = SequenceInfo.read(json);
        assertEquals(SequenceInfo.FORMAT, back.format);
        assertEquals(64, back.width);
        assertEquals(48, back.height);
        assertEquals(3, back.frames);
        assertEquals(24.0, back.fps);
        assertEquals("sponza", back.scene);
        assertEquals(1234567890123L, back.seed);
        assertEquals(256, back.spp);
        assertEquals(8, back.jitterPeriod);
        assertEquals(3, back.jitter.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(info.jitter.get(i), back.jitter.get(i));
        }
        assertEquals(List.of(0, 2), back.cuts);
        assertEquals("previous-to-current", back.motion.direction());
        assertEquals("ndc", back.motion.units());
        assertEquals("up", back.motion.y());
        assertEquals(0.5f, back.motion.scale());
        assertEquals("linear view depth", back.depth);
        assertEquals("linear", back.colorSpace);
        assertEquals(info.referenceFilter, back.referenceFilter);
        assertEquals(info.source, back.source);
        assertTrue(back.hasReference);
        assertTrue(back.hasDepth);
        assertEquals(-0.5f, back.jitterX(1));
        assertEquals(0.375f, back.jitterY(2));
        assertTrue(back.isCut(0));
        assertFalse(back.isCut(1));
        assertTrue(back.isCut(2));
    }

    @Test
    void missingOptionalFieldsGetDefaults() throws Exception {
        Path json = tmp.resolve("sequence.json");
        Files.writeString(json, "{\"width\": 8, \"height\": 4, \"frames\": 2, \"motion\": null}");
        SequenceInfo info = SequenceInfo.read(json);
        assertEquals(30.0, info.fps);
        assertTrue(info.motion.isCanonical());
        assertTrue(info.jitter.isEmpty());
        assertEquals(0f, info.jitterX(1));
        assertEquals(0f, info.jitterY(1));
        assertTrue(info.isCut(0));
        assertFalse(info.isCut(1));
        assertEquals("linear", info.colorSpace);
        assertFalse(info.hasReference);
        Files.writeString(json, "{\"width\": 8, \"height\": 4, \"frames\": 2, \"motion\": {\"units\": \"uv\"}}");
        info = SequenceInfo.read(json);
        assertEquals("uv", info.motion.units());
        assertEquals("current-to-previous", info.motion.direction());
        assertEquals(1f, info.motion.scale());
    }

    private void assertProblem(String content, String problem) throws Exception {
        Path json = tmp.resolve("sequence.json");
        Files.writeString(json, content);
        UserException e = assertThrows(UserException.class, () -> SequenceInfo.read(json), content);
        assertTrue(e.getMessage().startsWith(json + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void malformedAndInvalidFiles() throws Exception {
        assertProblem("{\"width\": 8, ", "malformed JSON");
        assertProblem("{\"width\": \"wide\", \"height\": 4, \"frames\": 2}", "field 'width': \"wide\" is not a number");
        assertProblem("[1, 2]", "malformed JSON");
        assertProblem("", "empty");
        assertProblem("{\"width\": 0, \"height\": 4, \"frames\": 2}", "width 0");
        assertProblem("{\"width\": 8, \"height\": -1, \"frames\": 2}", "height -1");
        assertProblem("{\"width\": 8, \"height\": 4}", "frames 0");
        assertProblem("{\"width\": 8, \"height\": 4, \"frames\": 2, \"jitter\": [[0.1, 0.2]]}",
                "jitter has 1 entries, expected 2");
        assertProblem("{\"width\": 8, \"height\": 4, \"frames\": 1, \"jitter\": [[0.1, 0.7]]}", "jitter[0]");
        assertProblem("{\"width\": 8, \"height\": 4, \"frames\": 1, \"motion\": {\"units\": \"foo\"}}",
                "motion.units 'foo' unknown (pixels, ndc, uv)");
        assertProblem("{\"format\": \"something/9\", \"width\": 8, \"height\": 4, \"frames\": 1}", "format");
        assertProblem("{\"width\": 8, \"height\": 4, \"frames\": 2, \"cuts\": [0, 5]}", "cuts");
    }

    @Test
    void missingFile() {
        Path json = tmp.resolve("sequence.json");
        UserException e = assertThrows(UserException.class, () -> SequenceInfo.read(json));
        assertEquals(json + ": not found", e.getMessage());
    }
}
