package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.reconview.GlTest;

/**
 * The tiny dataset the dataset tests share (built once per test JVM): garden and signs, 32x32, 12 frames from scene
 * frame 174 (signs cuts at frame 180, so its sequence has a cut at 6), 4 spp, blocks 4x16x16 at strides 2 and 8.
 */
final class DatasetTiny {
    static final String[] SETTINGS = {"--scenes", "garden,signs", "--size", "32x32", "--frames", "12", "--start",
        "174", "--spp", "4", "--block", "4x16x16", "--stride-time", "2", "--stride-space", "8"};
    static final int START = 174;
    static final int FRAMES = 12;
    static final int W = 32;
    static final int NT = 4;
    static final int NXY = 16;
    static final int STRIDE_T = 2;
    static final int STRIDE_XY = 8;
    private static Path built;

    private DatasetTiny() {
    }

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        GlTest.context();
        return new Result(code, out.toString(), err.toString());
    }

    static Result dataset(Path out, String... settings) {
        List<String> a = new ArrayList<>(List.of("dataset"));
        a.addAll(Arrays.asList(settings));
        a.add("--out");
        a.add(out.toString());
        return run(a.toArray(String[]::new));
    }

    static String[] with(String[] a, String... more) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(more)).toArray(String[]::new);
    }

    /** The tiny dataset, built on first use into a temporary folder removed when the JVM exits. */
    static synchronized Path get() throws IOException {
        if (built == null) {
            Path dir = Files.createTempDirectory("reconview-dataset-tiny");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            Result r = dataset(dir.resolve("a"), SETTINGS);
            assertEquals(0, r.code(), () -> r.err() + r.out());
            built = dir.resolve("a");
        }
        return built;
    }

    /** Relative paths of every regular file under {@code dir}, sorted. */
    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }

    static void assertSameFiles(Path expected, Path actual) throws IOException {
        assertEquals(files(expected), files(actual));
        for (Path f : files(expected)) {
            if (f.toString().equals("dataset.json")) {
                // equal but for what the run cost (its timings)
                assertEquals(withoutCost(expected.resolve(f)), withoutCost(actual.resolve(f)));
                continue;
            }
            assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)),
                    f.toString());
        }
    }

    static com.google.gson.JsonObject withoutCost(Path datasetJson) throws IOException {
        com.google.gson.JsonObject j = com.google.gson.JsonParser.parseString(Files.readString(datasetJson))
                .getAsJsonObject();
        j.remove("cost");
        return j;
    }

    static void copyTree(Path from, Path to) throws IOException {
        for (Path f : files(from)) {
            Files.createDirectories(to.resolve(f).getParent());
            Files.copy(from.resolve(f), to.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
