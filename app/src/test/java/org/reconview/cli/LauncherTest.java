package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.ProjectPaths;

/**
 * The launcher without a display (it starts its own Xvfb): error runs give the program's exit code 2, and neither
 * they nor an interrupted run leave an Xvfb server or a temporary folder behind. Runs the built classes
 * (RECONVIEW_SKIP_BUILD), so it never builds inside the test run.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    static Path launcher() {
        return ProjectPaths.root().resolve("reconview");
    }

    ProcessBuilder builder(String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("DISPLAY");
        env.remove("WAYLAND_DISPLAY");
        env.put("RECONVIEW_SKIP_BUILD", "1");
        env.put("TMPDIR", tmp.toString());
        return pb;
    }

    static long xvfbServers() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("Xvfb")).orElse(false))
                .count();
    }

    long tempFolders() throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("reconview-xvfb.")
                    || p.getFileName().toString().startsWith("xvfb-run.")).count();
        }
    }

    @Test
    void twentyErrorRunsExitTwoAndLeaveNothingBehind() throws Exception {
        long servers = xvfbServers();
        String[][] errors = {
            {"render", "--scene", "nope", "--size", "8x8", "--frames", "1", "--out", tmp.resolve("a").toString()},
            {"render", "--scene", "garden", "--size", "0x8", "--frames", "1", "--out", tmp.resolve("b").toString()},
            {"metrics", tmp.resolve("missing.exr").toString(), tmp.resolve("missing2.exr").toString()},
            {"eval", "--sequence", tmp.resolve("nowhere").toString(), "--out", tmp.resolve("c").toString()},
        };
        for (int i = 0; i < 20; i++) {
            String[] args = errors[i % errors.length];
            Process p = builder(args).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "run " + i + " ended");
            assertEquals(2, p.exitValue(), "run " + i + " " + String.join(" ", args) + ":\n" + out);
            assertEquals(1, out.strip().lines().count(), "one line: " + out);
        }
        assertEquals(servers, xvfbServers(), "no Xvfb server left running");
        assertEquals(0, tempFolders(), "no temporary folder left");
    }

    @Test
    void anInterruptedRunLeavesNothingBehind() throws Exception {
        long servers = xvfbServers();
        Process p = builder("view", "--scene", "garden", "--size", "64x64", "--frames", "100000", "--screenshot",
                tmp.resolve("s.png").toString()).redirectOutput(tmp.resolve("out.log").toFile()).start();
        // Wait for the run's own server, then interrupt the launcher as a terminal's kill would.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (xvfbServers() == servers && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "still running");
        assertEquals(servers + 1, xvfbServers(), "it started its own server");
        Thread.sleep(1500);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        long deadline2 = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (xvfbServers() != servers && System.nanoTime() < deadline2) {
            Thread.sleep(50);
        }
        assertEquals(servers, xvfbServers(), "the server went with the launcher");
        assertEquals(0, tempFolders(), "no temporary folder left");
        assertFalse(ProcessHandle.allProcesses().anyMatch(h -> h.info().commandLine()
                .map(c -> c.contains(tmp.resolve("s.png").toString()) && c.contains("java")).orElse(false)),
                "the Java process went too");
        assertFalse(new File(tmp.resolve("s.png").toString()).exists(), "no half-written screenshot");
    }
}
