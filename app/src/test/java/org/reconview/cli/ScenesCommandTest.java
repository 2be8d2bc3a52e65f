package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reconview.scene.Scene;
import org.reconview.scene.SceneObject;
import org.reconview.scene.builtin.BuiltinScenes;

/** The {@code scenes} listing and the facts about the built-in scenes that the rest of the tool relies on. */
class ScenesCommandTest {

    /** Runs {@code scenes}; stdout is what the command writer got plus what went to System.out. */
    private static List<String> scenesOutput() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.run(new PrintWriter(out), new PrintWriter(err), "scenes");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code, err::toString);
        assertEquals("", err.toString());
        String text = out + captured.toString(StandardCharsets.UTF_8);
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void listsEveryBuiltinSceneOnce() {
        List<String> lines = scenesOutput();
        List<BuiltinScenes.Entry> all = BuiltinScenes.all();
        assertTrue(all.size() >= 5, "at least five built-in scenes, got " + all.size());
        assertEquals(all.size(), lines.size(), () -> String.join("\n", lines));
        for (int i = 0; i < all.size(); i++) {
            String name = all.get(i).name();
            String line = lines.get(i);
            assertTrue(line.startsWith(name + " "), () -> "line does not start with '" + name + "': " + line);
        }
        assertEquals(1, lines.stream().filter(l -> l.contains("held-out")).count(), () -> String.join("\n", lines));
        assertEquals(1, all.stream().filter(BuiltinScenes.Entry::heldOut).count());
        String heldOut = all.stream().filter(BuiltinScenes.Entry::heldOut).findFirst().orElseThrow().name();
        assertTrue(lines.stream().filter(l -> l.contains("held-out")).findFirst().orElseThrow()
                .startsWith(heldOut + " "));
        List<String> validation = BuiltinScenes.names(Scene.Role.VALIDATION);
        assertEquals(List.of("plaza"), validation);
        String plaza = lines.stream().filter(l -> l.startsWith("plaza ")).findFirst().orElseThrow();
        assertTrue(plaza.matches("plaza +val +.*"), plaza);
    }

    @Test
    void everySceneLastsAtLeastTenSeconds() {
        for (BuiltinScenes.Entry e : BuiltinScenes.all()) {
            Scene s = e.builder().apply(0);
            assertTrue(s.duration() >= 10.0, e.name() + ": duration " + s.duration());
            assertTrue(s.isCut(0), e.name());
        }
    }

    @Test
    void someSceneHasACameraCutAfterTheFirstFrame() {
        boolean found = false;
        for (BuiltinScenes.Entry e : BuiltinScenes.all()) {
            Scene s = e.builder().apply(0);
            for (int i = 1; s.time(i) < s.duration(); i++) {
                if (s.isCut(i)) {
                    found = true;
                    assertFalse(s.isCut(i + 1), e.name() + ": cut on two frames in a row at " + i);
                }
            }
        }
        assertTrue(found, "no built-in scene has a camera cut at a frame > 0");
    }

    private static List<float[]> vertices(Scene s) {
        return s.objects().stream().map(SceneObject::mesh).map(m -> m.vertices()).toList();
    }

    private static boolean sameVertices(Scene a, Scene b) {
        List<float[]> va = vertices(a), vb = vertices(b);
        if (va.size() != vb.size()) {
            return false;
        }
        for (int i = 0; i < va.size(); i++) {
            if (!Arrays.equals(va.get(i), vb.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void buildingIsDeterministicPerSeed() {
        for (String name : BuiltinScenes.names()) {
            Scene a = BuiltinScenes.build(name, 7);
            Scene b = BuiltinScenes.build(name, 7);
            assertTrue(sameVertices(a, b), name + ": two builds with seed 7 differ");
            assertTrue(vertices(a).stream().mapToInt(v -> v.length).sum() > 0, name + ": no geometry");
            for (int i = 0; i < a.objects().size(); i++) {
                assertArrayEquals(a.objects().get(i).mesh().indices(), b.objects().get(i).mesh().indices(), name);
            }
        }
        assertFalse(sameVertices(BuiltinScenes.build("garden", 0), BuiltinScenes.build("garden", 1)),
                "garden: seeds 0 and 1 give the same geometry");
    }
}
