package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counts have upper bounds: a huge --spp or --frames is refused in one line before any work (it once hung). */
class CountBoundsTest {
    @TempDir
    Path tmp;

    record Case(String option, String value, List<String> args) {
    }

    @Test
    void hugeCountsAreRefusedInOneLine() {
        String out = tmp.resolve("o").toString();
        List<Case> cases = List.of(
                new Case("--spp", "2000000000", List.of("render", "--scene", "garden", "--size", "16x16", "--out", out)),
                new Case("--frames", "2000000000", List.of("render", "--scene", "garden", "--size", "16x16", "--out",
                        out)),
                new Case("--spp", "2000000000", List.of("eval", "--scene", "garden", "--size", "16x16", "--out", out)),
                new Case("--frames", "999999999", List.of("eval", "--scene", "garden", "--size", "16x16", "--out", out)),
                new Case("--spp", "70000", List.of("view", "--scene", "garden", "--size", "16x16")),
                new Case("--spp", "2000000000", List.of("dataset", "--scenes", "garden", "--size", "16x16", "--out",
                        out)),
                new Case("--frames", "2000000000", List.of("bench", "--what", "render")),
                new Case("--steps", "2000000000", List.of("train", "--model", "unet", "--data", out, "--out",
                        out + ".safetensors")),
                new Case("--viewer-frames", "2000000000", List.of("soak")),
                new Case("--eval-frames", "2000000000", List.of("soak")));
        for (Case c : cases) {
            String[] args = java.util.stream.Stream.concat(c.args().stream(), java.util.stream.Stream.of(c.option(),
                    c.value())).toArray(String[]::new);
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            long t0 = System.nanoTime();
            int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
            String err = e.toString();
            assertEquals(2, code, String.join(" ", args) + ": " + err);
            assertEquals(1, err.strip().lines().count(), err);
            assertTrue(err.contains(c.option() + ": " + c.value() + " is more than the largest allowed, "
                    + Options.MAXIMA.get(c.option())), err);
            assertTrue(System.nanoTime() - t0 < 20e9, "refused before any work");
        }
    }
}
