package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} works on the top command and on every registered sub-command. */
class HelpTest {
    private static String[] help(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertEquals(0, code, () -> String.join(" ", args) + ": exit code; stderr: " + err);
        assertEquals("", err.toString(), () -> String.join(" ", args) + ": stderr");
        return new String[] {out.toString()};
    }

    @Test
    void topLevelHelpListsTheSubcommands() {
        String out = help("--help")[0];
        assertTrue(out.startsWith("Usage: reconview "), out);
        for (String name : Main.commandLine().getSubcommands().keySet()) {
            assertTrue(out.contains("  " + name + " "), () -> name + " missing from:\n" + out);
        }
    }

    @Test
    void everySubcommandHasHelp() {
        var subs = Main.commandLine().getSubcommands();
        assertTrue(subs.keySet().containsAll(Set.of("scenes", "render", "view", "inspect", "help")), subs::toString);
        for (var e : subs.entrySet()) {
            String name = e.getKey();
            String out = help(name, "--help")[0];
            assertTrue(out.contains("Usage: reconview " + name + " "), () -> name + ":\n" + out);
            CommandLine sub = e.getValue();
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
                assertTrue(sub.getCommandSpec().usageMessage().description().length > 0, name + ": no description");
                assertTrue(out.contains("--help"), () -> name + ":\n" + out);
            }
            // The help sub-command prints the same usage.
            assertEquals(out, help("help", name)[0], name);
        }
    }

    @Test
    void helpFitsEightyColumnsAndEveryCommandHasAVersion() {
        for (String name : Main.commandLine().getSubcommands().keySet()) {
            String out = help(name, "--help")[0];
            for (String line : out.split("\n")) {
                assertTrue(line.length() <= 80, () -> name + ": " + line.length() + " columns: " + line);
            }
            if (!name.equals("help")) {
                assertEquals("reconview " + Main.VERSION, help(name, "--version")[0].strip(), name);
                assertTrue(out.contains("-V, --version"), name);
            }
        }
    }

    @Test
    void inspectHelpDescribesItsOptions() {
        String out = help("inspect", "--help")[0];
        assertTrue(out.contains("DIR"), out);
        assertTrue(out.contains("--json"), out);
    }
}
