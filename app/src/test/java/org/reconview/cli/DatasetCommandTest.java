package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.reconview.cli.DatasetTiny.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.UserException;
import org.reconview.color.Pq;
import org.reconview.io.FrameImages;
import org.reconview.io.SequenceFolder;
import org.reconview.scene.Scene;
import org.reconview.scene.builtin.BuiltinScenes;
import org.reconview.train.DatasetBlockFile;
import org.reconview.train.DatasetInfo;
import org.reconview.train.DatasetReader;

/**
 * {@code dataset} end to end on the tiny dataset ({@link DatasetTiny}): candidate count, no block across a cut,
 * culling by independently recomputed difficulties, determinism, the held-out scene refused, and the reader giving
 * back exactly the sequences' values.
 */
class DatasetCommandTest {
    static final String[] SCENES = {"garden", "signs"};

    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    /** A candidate as the test enumerates it, independently of DatasetBlocks. */
    record Cand(String scene, int frame, int x, int y) {
    }

    /** Candidates from the scenes' own isCut, by the stride rule restarted at each shot. */
    static List<Cand> candidates() {
        List<Cand> out = new ArrayList<>();
        for (String name : SCENES) {
            Scene sc = BuiltinScenes.build(name, 0);
            int shotStart = 0;
            for (int t0 = 0; t0 + NT <= FRAMES; t0++) {
                if (t0 > 0 && sc.isCut(START + t0)) {
                    shotStart = t0;
                }
                boolean crosses = false;
                for (int f = t0 + 1; f < t0 + NT; f++) {
                    crosses |= sc.isCut(START + f);
                }
                if (crosses || (t0 - shotStart) % STRIDE_T != 0) {
                    continue;
                }
                for (int y = 0; y + NXY <= W; y += STRIDE_XY) {
                    for (int x = 0; x + NXY <= W; x += STRIDE_XY) {
                        out.add(new Cand(name, t0, x, y));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theTinyCaseHasACutAndTheExpectedCandidateCount() throws Exception {
        assertTrue(BuiltinScenes.build("signs", 0).isCut(180), "signs cuts at frame 180");
        DatasetInfo info = DatasetReader.open(DatasetTiny.get()).info();
        assertEquals(List.of(0, 6), SequenceFolder.open(DatasetTiny.get().resolve("sequences/signs")).info().cuts);
        // garden: one shot of 12 frames -> starts 0,2,4,6,8; signs: shots of 6 -> starts 0,2 and 6,8; 3x3 corners.
        assertEquals((5 + 4) * 9, candidates().size());
        assertEquals(candidates().size(), info.candidates);
        assertEquals(45, info.perScene.get(0).candidates);
        assertEquals(36, info.perScene.get(1).candidates);
        assertEquals(2, info.perScene.get(1).shots);
    }

    @Test
    void noBlockSpansACut() throws Exception {
        DatasetReader r = DatasetReader.open(DatasetTiny.get());
        assertTrue(r.size() > 0);
        boolean signsAfterCut = false;
        for (DatasetInfo.BlockEntry e : r.blocks()) {
            Scene sc = BuiltinScenes.build(e.scene, 0);
            for (int f = e.frame + 1; f < e.frame + NT; f++) {
                assertFalse(sc.isCut(START + f), e.file + " spans the cut at sequence frame " + f);
            }
            signsAfterCut |= e.scene.equals("signs") && e.frame >= 6;
        }
        assertTrue(signsAfterCut || r.blocks().stream().noneMatch(e -> e.scene.equals("signs")),
                "the second shot of signs is used");
    }

    @Test
    void keepsEveryBlockAboveTheMedianOfIndependentlyComputedDifficulties() throws Exception {
        Path dir = DatasetTiny.get();
        DatasetReader r = DatasetReader.open(dir);
        Map<String, SequenceFolder> seqs = new HashMap<>();
        Map<String, FrameImages> frames = new HashMap<>();
        List<Cand> cands = candidates();
        double[] diff = new double[cands.size()];
        for (int i = 0; i < cands.size(); i++) {
            Cand c = cands.get(i);
            SequenceFolder seq = seqs.computeIfAbsent(c.scene(), n -> SequenceFolder.open(dir.resolve("sequences/" + n)));
            double sum = 0;
            for (int t = 0; t < NT; t++) {
                FrameImages f = frames.computeIfAbsent(c.scene() + (c.frame() + t), k -> seq.read(Integer.parseInt(
                        k.substring(c.scene().length()))));
                for (int y = c.y(); y < c.y() + NXY; y++) {
                    for (int x = c.x(); x < c.x() + NXY; x++) {
                        for (int ch = 0; ch < 3; ch++) {
                            sum += Math.abs(Pq.encode((double) f.color().get(x, y, ch))
                                    - Pq.encode((double) f.reference().get(x, y, ch)));
                        }
                    }
                }
            }
            diff[i] = sum / (NT * NXY * NXY * 3);
        }
        double[] sorted = diff.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted[sorted.length / 2]; // odd count (81)
        assertEquals(1, sorted.length % 2);
        assertEquals(median, r.info().difficulty.median, 1e-7);
        Map<Cand, DatasetInfo.BlockEntry> kept = new HashMap<>();
        for (DatasetInfo.BlockEntry e : r.blocks()) {
            kept.put(new Cand(e.scene, e.frame, e.x, e.y), e);
        }
        int hard = 0;
        for (int i = 0; i < cands.size(); i++) {
            DatasetInfo.BlockEntry e = kept.get(cands.get(i));
            if (diff[i] > median) {
                hard++;
                assertNotNull(e, cands.get(i) + " is above the median and was culled");
            }
            if (e != null) {
                assertEquals(diff[i], e.difficulty, 1e-6 * diff[i] + 1e-9, e.file);
            }
        }
        assertEquals(40, hard);
        assertTrue(r.size() >= 40 && r.size() < 81, "blocks kept: " + r.size());
        assertTrue(median > 0, "the 1-spp input differs from the reference");
    }

    @Test
    void readerGivesBackExactlyTheSequenceValues() throws Exception {
        Path dir = DatasetTiny.get();
        DatasetReader r = DatasetReader.open(dir);
        for (int i = 0; i < r.size(); i += 7) {
            DatasetInfo.BlockEntry e = r.blocks().get(i);
            DatasetBlockFile.Block b = r.load(i);
            assertEquals(r.info().settings.scenes.indexOf(e.scene), b.header().scene());
            assertEquals(e.frame, b.header().frame());
            assertEquals(e.x, b.header().x());
            assertEquals(e.y, b.header().y());
            SequenceFolder seq = SequenceFolder.open(dir.resolve("sequences/" + e.scene));
            for (int t = 0; t < NT; t++) {
                FrameImages f = seq.read(e.frame + t);
                for (int y = 0; y < NXY; y++) {
                    for (int x = 0; x < NXY; x++) {
                        int sx = e.x + x;
                        int sy = e.y + y;
                        float[] expect = {f.color().get(sx, sy, 0), f.color().get(sx, sy, 1), f.color().get(sx, sy, 2),
                            f.motion().get(sx, sy, 0), f.motion().get(sx, sy, 1), f.reference().get(sx, sy, 0),
                            f.reference().get(sx, sy, 1), f.reference().get(sx, sy, 2)};
                        for (int c = 0; c < 8; c++) {
                            assertEquals(Float.floatToRawIntBits(expect[c]), Float.floatToRawIntBits(b.get(t, y, x, c)),
                                    e.file + " t" + t + " y" + y + " x" + x + " c" + c);
                        }
                    }
                }
            }
        }
    }

    @Test
    void twoRunsAreByteIdentical(@TempDir Path tmp) throws Exception {
        Result r = dataset(tmp.resolve("b"), SETTINGS);
        assertEquals(0, r.code(), r::err);
        assertSameFiles(DatasetTiny.get(), tmp.resolve("b"));
        assertTrue(r.err().contains("render garden") && r.err().contains("blocks ["), "progress bars: " + r.err());
    }

    @Test
    void datasetJsonDescribesTheDataset() throws Exception {
        JsonObject j = JsonParser.parseString(Files.readString(DatasetTiny.get().resolve("dataset.json")))
                .getAsJsonObject();
        assertEquals("reconview-dataset/1", j.get("format").getAsString());
        JsonObject s = j.getAsJsonObject("settings");
        assertEquals("[\"garden\",\"signs\"]", s.get("scenes").toString());
        assertEquals("[4,16,16]", s.get("block").toString());
        assertEquals(2, s.get("stride_time").getAsInt());
        assertEquals(8, s.get("stride_x").getAsInt());
        assertEquals(0.25, s.get("keep_easy").getAsDouble());
        assertEquals(4, s.get("spp").getAsInt());
        assertEquals(Main.VERSION, j.get("version").getAsString());
        assertTrue(j.has("commit"));
        assertEquals(j.get("blocks").getAsInt(), j.getAsJsonArray("block_list").size());
        JsonObject cost = j.getAsJsonObject("cost");
        assertEquals(2 * 12, cost.get("frames").getAsInt(), "two scenes of 12 frames");
        assertEquals(2 * 12 * 32 * 32, cost.get("pixels").getAsInt());
        assertEquals(24, cost.get("frames_rendered").getAsInt(), "all rendered by this run");
        assertTrue(cost.get("render_seconds").getAsDouble() > 0 && cost.get("sequence_bytes").getAsLong() > 10000
                && cost.get("block_bytes").getAsLong() >= j.get("blocks").getAsInt() * 4L * 16 * 16 * 8 * 4,
                cost.toString());
        try (var files = Files.list(DatasetTiny.get().resolve("blocks"))) {
            assertEquals(j.get("blocks").getAsInt(), files.count());
        }
    }

    @Test
    void refusesTheHeldOutScene(@TempDir Path tmp) {
        String held = BuiltinScenes.all().stream().filter(BuiltinScenes.Entry::heldOut).findFirst().orElseThrow()
                .name();
        Result r = dataset(tmp.resolve("x"), "--scenes", "garden," + held, "--size", "32x32", "--frames", "4",
                "--spp", "1", "--block", "2x16x16");
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().filter(l -> !l.isBlank()).count(), r.err());
        assertTrue(r.err().contains("'" + held + "'") && r.err().contains("held-out"), r.err());
        assertFalse(Files.exists(tmp.resolve("x")), "nothing written");
    }

    @Test
    void allMeansEveryTrainingScene() {
        DatasetCommand c = new DatasetCommand();
        c.scenes = List.of("all");
        List<String> names = c.sceneNames();
        assertEquals(BuiltinScenes.names().size() - 2, names.size());
        assertEquals(BuiltinScenes.names(Scene.Role.TRAINING), names);
        assertFalse(names.contains("courtyard"));
        assertFalse(names.contains("plaza"), "the validation-only scene is never in 'all'");
        c.scenes = List.of("plaza");
        assertEquals(List.of("plaza"), c.sceneNames(), "named, it can be rendered (as validation data)");
        c.scenes = List.of("garden", "garden");
        assertThrows(UserException.class, c::sceneNames);
    }

    @Test
    void badOptionsAreOneLineErrors(@TempDir Path tmp) {
        String[][] bad = {
            {"--block", "4x16"}, {"--block", "4x64x16"}, {"--keep-easy", "1.5"}, {"--stride-space", "0"},
            {"--scenes", "nowhere"}};
        for (String[] b : bad) {
            List<String> a = new ArrayList<>(List.of("--scenes", "garden", "--size", "32x32", "--frames", "4",
                    "--spp", "1", "--block", "2x16x16"));
            int at = a.indexOf(b[0]);
            if (at >= 0) {
                a.set(at + 1, b[1]);
            } else {
                a.addAll(List.of(b));
            }
            Result r = dataset(tmp.resolve("x"), a.toArray(String[]::new));
            assertEquals(2, r.code(), () -> String.join(" ", b) + ": " + r.err());
            assertEquals(1, r.err().lines().filter(l -> !l.isBlank()).count(), r.err());
            assertTrue(r.err().contains(b[0]), r.err());
        }
    }

    @Test
    void aCorruptBlockIsAOneLineErrorNamingTheFile(@TempDir Path tmp) throws Exception {
        copyTree(DatasetTiny.get(), tmp.resolve("c"));
        DatasetReader r = DatasetReader.open(tmp.resolve("c"));
        Path f = r.file(2);
        byte[] bytes = Files.readAllBytes(f);
        bytes[0] = 'Z';
        Files.write(f, bytes);
        UserException e = assertThrows(UserException.class, () -> r.load(2));
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains("bad magic"), e.getMessage());
        UserException missing = assertThrows(UserException.class, () -> DatasetReader.open(tmp));
        assertTrue(missing.getMessage().contains("dataset.json"), missing.getMessage());
    }
}
