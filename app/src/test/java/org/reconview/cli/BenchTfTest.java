package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --what tf}, the peer that {@code bench --what nn} starts in a child JVM, and what nn reads of it. */
@Tag("tensorflow")
class BenchTfTest {
    @Test
    void writesARowPerPathAndSizeThatNnReads(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("tf.json");
        StringWriter err = new StringWriter();
        StringWriter stdout = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(stdout), new PrintWriter(err), "bench", "--what", "tf", "--frames",
                "1", "--out", out.toString()), err::toString);
        Map<String, Map<String, Double>> rows = BenchCommand.parsePeer(Files.readString(out));
        assertEquals(java.util.List.of("unet fp32 128x128", "qwnet fp32 128x128", "qwnet int4 128x128",
                "unet fp32 256x256", "qwnet fp32 256x256", "qwnet int4 256x256"), java.util.List.copyOf(rows.keySet()));
        for (var e : rows.entrySet()) {
            assertTrue(e.getValue().get("ms") > 0 && e.getValue().get("gops") > 0, e.toString());
            assertTrue(stdout.toString().contains(e.getKey()), "printed: " + e.getKey());
        }
        // four times the pixels take longer
        assertTrue(rows.get("qwnet fp32 256x256").get("ms") > rows.get("qwnet fp32 128x128").get("ms"), rows::toString);
    }
}
