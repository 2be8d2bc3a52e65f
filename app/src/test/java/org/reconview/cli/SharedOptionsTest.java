package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every shared option parses and fails the same way in every command that has it: one case per (option, bad or good
 * value), run through every command that declares the option. A bad value ends in one line and exit 2 whose text,
 * after the command's name, is the same in all of them; a good value parses to the same typed value; the option's
 * help text is the same (only the default may differ, and where it does the command's help says why).
 */
class SharedOptionsTest {
    @TempDir
    static Path tmp;

    /** The least each command needs besides the option under test (none of it does any work when a value is bad). */
    private static Map<String, List<String>> commands() {
        String out = tmp.resolve("out").toString();
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("view", List.of());
        m.put("eval", List.of("--scene", "garden", "--out", out));
        m.put("render", List.of("--scene", "garden", "--out", out));
        m.put("dataset", List.of("--scenes", "garden", "--out", out));
        m.put("bench", List.of());
        m.put("metrics", List.of(out + "/a.exr", out + "/b.exr"));
        m.put("train", List.of("--model", "unet", "--data", out, "--out", out + ".safetensors"));
        m.put("soak", List.of());
        m.put("cadyq-init", List.of("--init", out + ".safetensors", "--out", out + ".c.safetensors"));
        m.put("import", List.of(out, "--color", "c.####.exr", "--motion", "m.####.exr"));
        m.put("compare", List.of(out + "/a.exr", out + "/b.exr"));
        m.put("tradeoff", List.of("run=" + out + "/summary.json"));
        return m;
    }

    /** Which commands share which option (a command missing here must not have it, checked below). */
    private static final Map<String, List<String>> SHARED = Map.of(
            "--size", List.of("view", "eval", "render", "dataset", "bench", "soak"),
            "--spp", List.of("view", "eval", "render", "dataset", "bench", "soak"),
            "--seed", List.of("view", "eval", "render", "dataset", "soak"),
            "--encoding", List.of("eval", "metrics", "compare"),
            "--backend", List.of("view", "eval"),
            "--frames", List.of("view", "eval", "render", "dataset", "bench", "train", "import", "compare"),
            "--out", List.of("eval", "render", "dataset", "bench", "train", "soak", "cadyq-init", "tradeoff"));

    /** Commands that have an option of the same name with a meaning of their own, which their help states. */
    private static final Map<String, List<String>> OWN_MEANING = Map.of("--seed", List.of("train"));

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("--size", "abc", "Invalid value for option '--size': 'abc' is not a size WxH (e.g. 256x256)"),
                Arguments.of("--size", "4x4", "Invalid value for option '--size': size 4x4 out of range (8 to 8192 per "
                        + "side)"),
                Arguments.of("--size", "16x16x3", "Invalid value for option '--size': '16x16x3' is not a size WxH"),
                Arguments.of("--spp", "lots", "Invalid value for option '--spp': 'lots' is not an int"),
                Arguments.of("--spp", "70000", "--spp: 70000 is more than the largest allowed, 65536"),
                Arguments.of("--seed", "x", "Invalid value for option '--seed': 'x' is not a long"),
                Arguments.of("--encoding", "log", "Invalid value for option '--encoding': unknown 'log' (pq, srgb, "
                        + "linear)"),
                Arguments.of("--backend", "CUDA", "Invalid value for option '--backend': unknown backend 'CUDA' "
                        + "(choices: auto, cuda, glsl, cpu)"),
                Arguments.of("--frames", "many", "Invalid value for option '--frames': 'many' is not an int"),
                Arguments.of("--out", "", "Invalid value for option '--out': empty path"));
    }

    record Run(int code, String out, String err) {
    }

    private static Run run(List<String> args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args.toArray(String[]::new));
        return new Run(code, o.toString(), e.toString());
    }

    /** The command's fixed arguments with {@code option value} replacing any value of that option they have. */
    private static List<String> with(String command, String option, String value) {
        List<String> args = new ArrayList<>(List.of(command));
        List<String> base = commands().get(command);
        for (int i = 0; i < base.size(); i++) {
            if (base.get(i).equals(option)) {
                i++;
                continue;
            }
            args.add(base.get(i));
        }
        args.add(option + "=" + value);
        return args;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badValues")
    void aBadValueFailsTheSameWayEverywhere(String option, String value, String expected) {
        List<String> texts = new ArrayList<>();
        for (String command : SHARED.get(option)) {
            List<String> args = with(command, option, value);
            long t0 = System.nanoTime();
            Run r = run(args);
            assertEquals(2, r.code(), () -> String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r::err);
            assertFalse(r.err().contains("Exception"), r::err);
            assertTrue(System.nanoTime() - t0 < 20e9, "refused before any work");
            String line = r.err().strip();
            String prefix = line.startsWith("reconview " + command + ": ") ? "reconview " + command + ": "
                    : "reconview: ";
            assertTrue(line.startsWith(prefix), line);
            String text = line.substring(prefix.length()).replace(" (see --help)", "");
            assertTrue(text.startsWith(expected), () -> command + ": expected '" + expected + "...' but was: " + text);
            texts.add(text);
        }
        assertEquals(1, texts.stream().distinct().count(), () -> option + " " + value + " fails differently: " + texts);
    }

    static Stream<Arguments> goodValues() {
        return Stream.of(
                Arguments.of("--size", "32x16", new Size(32, 16)),
                Arguments.of("--size", "32X16", new Size(32, 16)),
                Arguments.of("--spp", "16", 16),
                Arguments.of("--seed", "12", 12L),
                Arguments.of("--encoding", "srgb", org.reconview.metrics.DisplayEncoding.SRGB),
                Arguments.of("--backend", "glsl", org.reconview.nn.cuda.Backend.GLSL),
                Arguments.of("--frames", "5", 5),
                Arguments.of("--out", "x/y", Path.of("x/y")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("goodValues")
    void aGoodValueParsesTheSameEverywhere(String option, String value, Object expected) {
        for (String command : SHARED.get(option)) {
            List<String> args = with(command, option, value);
            CommandLine.ParseResult pr = Main.commandLine().parseArgs(args.toArray(String[]::new)).subcommand();
            assertEquals(command, pr.commandSpec().name());
            Object got = pr.matchedOption(option).getValue();
            assertEquals(expected, got, command + " " + option);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void theOptionMeansTheSameEverywhere(String option) {
        String description = null;
        String label = null;
        for (var e : Main.commandLine().getSubcommands().entrySet()) {
            OptionSpec o = e.getValue().getCommandSpec().findOption(option);
            if (OWN_MEANING.getOrDefault(option, List.of()).contains(e.getKey())) {
                assertNotNull(o, e.getKey() + " " + option);
                assertTrue(e.getValue().getUsageMessage().contains(option + " here"), e.getKey() + " " + option
                        + ": the help says what it means there");
                continue;
            }
            boolean listed = SHARED.get(option).contains(e.getKey());
            assertEquals(listed, o != null, e.getKey() + " " + option + ": listed as shared or not, as it is");
            if (o == null) {
                continue;
            }
            if (label == null) {
                label = o.paramLabel();
            }
            if (option.equals("--frames") || option.equals("--out")) {
                continue; // what is counted or written (a folder or a file) is each command's own
            }
            assertEquals(label, o.paramLabel(), e.getKey() + " " + option + " value label");
            // The same words; only a default may differ (aDefaultThatDiffersSaysWhy).
            String d = String.join(" ", o.description()).replaceAll("\\(default: [^)]*\\)", "(default: ...)");
            if (description == null) {
                description = d;
            }
            assertEquals(description, d, e.getKey() + " " + option + " help");
        }
    }

    static Stream<String> options() {
        return SHARED.keySet().stream().sorted();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"--spp", "--size"})
    void aDefaultThatDiffersSaysWhy(String option) {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String command : SHARED.get(option)) {
            CommandLine sub = Main.commandLine().getSubcommands().get(command);
            defaults.put(command, sub.getCommandSpec().findOption(option).defaultValueString());
        }
        String usual = defaults.get("render");
        for (var e : defaults.entrySet()) {
            if (!e.getValue().equals(usual)) {
                String help = Main.commandLine().getSubcommands().get(e.getKey()).getUsageMessage()
                        .replaceAll("\\s+", " ");
                assertTrue(help.contains(option + " is " + e.getValue() + " here, not " + usual), e.getKey() + ":\n"
                        + help);
            }
        }
        if (option.equals("--spp")) {
            assertEquals("32", defaults.get("view"));
            assertEquals("4", defaults.get("soak"));
        } else {
            assertEquals("32x32", defaults.get("soak"));
        }
    }
}
