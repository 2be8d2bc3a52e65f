package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A command run in a child JVM: same java and class path, its exit code and output come back. */
class ChildJvmTest {
    @Test
    void runsThisProgramInAChildAndReturnsItsOutput() throws Exception {
        ChildJvm.Result ok = ChildJvm.run("--version");
        assertEquals(0, ok.exitCode(), ok.stderr());
        assertEquals("reconview " + Main.VERSION, ok.stdout().strip());
        ChildJvm.Result bad = ChildJvm.run("no-such-command");
        assertEquals(2, bad.exitCode(), bad.stdout());
        assertTrue(bad.stderr().contains("no-such-command"), bad.stderr());
    }

    @Test
    void passesTheClassPathAndReconviewProperties() {
        String old = System.getProperty("reconview.test-marker");
        System.setProperty("reconview.test-marker", "x y");
        try {
            List<String> cmd = ChildJvm.command("bench", "--what", "tf");
            assertEquals(List.of("--add-modules", "jdk.incubator.vector"), cmd.subList(1, 3), cmd::toString);
            assertTrue(cmd.contains("-Dreconview.test-marker=x y"), cmd::toString);
            int cp = cmd.indexOf("-cp");
            assertEquals(System.getProperty("java.class.path"), cmd.get(cp + 1));
            assertEquals(List.of(Main.class.getName(), "bench", "--what", "tf"), cmd.subList(cp + 2, cmd.size()));
        } finally {
            if (old == null) {
                System.clearProperty("reconview.test-marker");
            } else {
                System.setProperty("reconview.test-marker", old);
            }
        }
    }
}
