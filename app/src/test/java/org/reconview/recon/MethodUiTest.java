package org.reconview.recon;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;

/**
 * A method draws its own controls through {@link Widgets} (the panel only calls drawUi): TAA's settings follow
 * what a scripted user sets, and stay put when nothing is touched.
 */
class MethodUiTest {
    /** Widgets that record the labels shown and answer with scripted values (else the value shown). */
    static final class Scripted implements Widgets {
        final Map<String, Object> answers = new HashMap<>();
        final List<String> shown = new ArrayList<>();

        @Override
        public void text(String text) {
            shown.add("text:" + text);
        }

        @Override
        public float slider(String label, float value, float lo, float hi) {
            shown.add(label);
            return (float) answers.getOrDefault(label, value);
        }

        @Override
        public int combo(String label, int index, String[] items) {
            shown.add(label + "=" + String.join("|", items));
            return (int) answers.getOrDefault(label, index);
        }

        @Override
        public boolean checkbox(String label, boolean value) {
            shown.add(label);
            return (boolean) answers.getOrDefault(label, value);
        }

        @Override
        public void sameLine() {
        }
    }

    @Test
    void taaDrawsItsSettingsAndTakesTheUsersChanges() {
        GlTest.context();
        try (Taa taa = new Taa(Taa.Settings.DEFAULT)) {
            Scripted ui = new Scripted();
            taa.drawUi(ui);
            assertEquals(Taa.Settings.DEFAULT, taa.settings(), "untouched controls change nothing");
            assertTrue(ui.shown.contains("clip=none|clamp|variance"), ui.shown.toString());
            assertTrue(ui.shown.contains("history=bilinear|catmull-rom"), ui.shown.toString());
            ui.answers.put("alpha", 0.25f);
            ui.answers.put("clip", 1);
            ui.answers.put("anti-flicker", false);
            ui.answers.put("gamma", 9f); // past the slider's end: clamped as the slider would
            taa.drawUi(ui);
            Taa.Settings s = taa.settings();
            assertEquals(0.25f, s.alpha(), 0f);
            assertEquals(Taa.Clip.CLAMP, s.clip());
            assertFalse(s.antiFlicker());
            assertTrue(s.dilate(), "not touched");
            assertEquals(3f, s.gamma(), 0f);
            assertEquals("alpha=0.25,clip=clamp,gamma=3.0,history=catmull-rom,dilate=true,anti-flicker=false",
                    s.toString(), "what --taa would take back");
        }
    }

    @Test
    void aMethodWithoutSettingsShowsWhatRuns() {
        Reconstructor plain = new Reconstructor() {
            @Override
            public String name() {
                return "input";
            }

            @Override
            public org.reconview.gl.Texture2D reconstruct(org.reconview.source.Frame frame) {
                return frame.color();
            }

            @Override
            public void reset() {
            }

            @Override
            public void close() {
            }
        };
        Scripted ui = new Scripted();
        plain.drawUi(ui);
        assertEquals(List.of("text:input"), ui.shown);
        assertFalse(plain.hasBackendChoice());
    }
}
