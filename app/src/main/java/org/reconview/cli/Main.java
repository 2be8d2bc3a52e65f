package org.reconview.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.reconview.UserException;
import org.reconview.scene.builtin.BuiltinScenes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code reconview} command. With no sub-command it opens the viewer on the default scene, or, where the launcher
 * found no display ({@code RECONVIEW_NO_DISPLAY}), runs the headless equivalent and says where the outputs went.
 * User mistakes end with one line on stderr and exit code 2; bugs keep their stack trace (exit 1).
 */
@Command(name = "reconview", mixinStandardHelpOptions = true, version = "reconview " + Main.VERSION,
        scope = CommandLine.ScopeType.INHERIT, usageHelpWidth = 80, usageHelpAutoWidth = false,
        description = "Real-time viewer for antialiasing reconstruction: TAA, U-Net, QW-Net and the reference.",
        subcommands = {ScenesCommand.class, RenderCommand.class, ViewCommand.class, CompareCommand.class,
            EvalCommand.class, ImportCommand.class, MetricsCommand.class, InspectCommand.class, BenchCommand.class, MacsCommand.class, DatasetCommand.class,
            TrainCommand.class, SoakCommand.class, CadyqInitCommand.class, TradeoffCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    public static final String VERSION = "0.1.0";
    static final int USER_ERROR = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        if (System.getenv("RECONVIEW_NO_DISPLAY") != null) {
            Path out = Path.of("out", "headless", "eval-" + BuiltinScenes.DEFAULT);
            String[] args = {"eval", "--scene", BuiltinScenes.DEFAULT, "--size", "256x256", "--frames", "30",
                "--spp", "32", "--methods", "input,taa,unet,qwnet", "--out", out.toString()};
            stdout.println("no display: running the headless equivalent of the viewer instead: "
                    + String.join(" ", args));
            return sameStreams().execute(args);
        }
        return sameStreams().execute("view");
    }

    /** A fresh command line that writes where this one does (for the default actions above). */
    private CommandLine sameStreams() {
        CommandLine cl = commandLine();
        cl.setOut(spec.commandLine().getOut());
        cl.setErr(spec.commandLine().getErr());
        return cl;
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        TypedOptions.register(cl);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof UserException) {
                cmd.getErr().println("reconview: " + ex.getMessage());
                return USER_ERROR;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(ex.getCommandLine().getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (see --help)");
            return USER_ERROR;
        });
        return cl;
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs with the given streams for picocli's own output and the one-line error messages (tests use this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int rc = cl.execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
