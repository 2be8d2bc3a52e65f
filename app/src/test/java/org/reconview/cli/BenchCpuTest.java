package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --what cpu}, the CPU backend's peer run that {@code bench --what nn} starts in a child JVM. */
class BenchCpuTest {
    @Test
    void writesARowPerPathAndSizeThatNnReads(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("cpu.json");
        StringWriter err = new StringWriter();
        StringWriter stdout = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(stdout), new PrintWriter(err), "bench", "--what", "cpu", "--frames",
                "1", "--out", out.toString()), err::toString);
        Map<String, Map<String, Double>> rows = BenchCommand.parsePeer(Files.readString(out), "cpu");
        assertEquals(List.of("unet fp32 128x128", "qwnet fp32 128x128", "qwnet int4 128x128", "unet fp32 256x256",
                "qwnet fp32 256x256", "qwnet int4 256x256"), List.copyOf(rows.keySet()));
        for (var e : rows.entrySet()) {
            assertTrue(e.getValue().get("ms") > 0 && e.getValue().get("gops") > 0, e.toString());
            assertTrue(stdout.toString().contains(e.getKey()), "printed: " + e.getKey());
        }
        assertTrue(rows.get("unet fp32 256x256").get("ms") > rows.get("unet fp32 128x128").get("ms"), rows::toString);
    }
}
