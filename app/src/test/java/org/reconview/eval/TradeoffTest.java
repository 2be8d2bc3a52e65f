package org.reconview.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;
import org.reconview.cli.Main;

/** {@code tradeoff}: the points read from eval summaries, the table, the chart, and one-line refusals. */
class TradeoffTest {
    static Path summary(Path dir, String name, String methods) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, "{\"scene\": \"courtyard\", \"methods\": {" + methods + "}}");
        return f;
    }

    @Test
    void pointsTableAndChart(@TempDir Path tmp) throws Exception {
        Path a = summary(tmp, "a.json", "\"taa\": {\"psnr\": 32.5}, \"qwnet-cadyq\": {\"psnr\": 33.25, \"ssim\": 0.93,"
                + " \"avg_bits\": 2.75, \"bitops\": 1.5e10}");
        Path b = summary(tmp, "b.json", "\"qwnet\": {\"psnr\": 33.0, \"avg_bits\": 4.0}, \"qwnet-cadyq\": {\"psnr\": "
                + "33.5, \"avg_bits\": 2.0}");
        Tradeoff.Point p = Tradeoff.read("CADyQ w1=" + a);
        assertEquals("qwnet-cadyq", p.method(), "the one method with average bits");
        assertEquals("CADyQ", p.series());
        assertEquals(2.75, p.avgBits());
        assertEquals(33.25, p.psnr());
        Tradeoff.Point q = Tradeoff.read("fixed 4=" + b + "#qwnet");
        assertEquals(4.0, q.avgBits());
        assertEquals("fixed", q.series());
        UserException two = assertThrows(UserException.class, () -> Tradeoff.read("x=" + b));
        assertTrue(two.getMessage().contains("name one as"), two.getMessage());
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{not json");
        UserException e = assertThrows(UserException.class, () -> Tradeoff.read("x=" + bad));
        assertTrue(e.getMessage().startsWith(bad.toString() + ": not an eval summary.json"), e.getMessage());
        assertThrows(UserException.class, () -> Tradeoff.read("x=" + a + "#unet"));
        assertThrows(UserException.class, () -> Tradeoff.read(a.toString()));

        Path png = tmp.resolve("t.png");
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), new String[] {"tradeoff",
            "--out", png.toString(), "CADyQ w1=" + a, "fixed 4=" + b + "#qwnet"});
        assertEquals(0, code);
        String[] rows = out.toString().split("\n");
        assertTrue(rows[2].startsWith("| CADyQ w1 | CADyQ | 2.75 | 33.250 | 0.9300 | 1.50e+10 |"), rows[2]);
        assertTrue(rows[3].startsWith("| fixed 4 | fixed | 4.00 | 33.000 | - | - |"), rows[3]);
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', "a PNG was written");
    }
}
