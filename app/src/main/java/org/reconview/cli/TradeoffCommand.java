package org.reconview.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.reconview.UserException;
import org.reconview.eval.Tradeoff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reconview tradeoff LABEL=SUMMARY.json[#METHOD]... --out FILE.png}: PSNR against average bits across runs. */
@Command(name = "tradeoff",
        description = {"PSNR against MAC-weighted average activation bits across eval runs (fixed-width QW-Net, "
            + "CADyQ at several bit-loss weights, ...): one point per LABEL=SUMMARY.json[#METHOD] (eval's "
            + "summary.json; without #METHOD, its one method with average bits below 16), grouped into series by "
            + "the label's first word. Prints a Markdown table and, with --out, writes the chart as PNG."})
final class TradeoffCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "LABEL=SUMMARY.json[#METHOD]", description = "the runs, in table order")
    List<String> runs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "<FILE.png>", description = "the chart to write")
    Path out;

    @Option(names = "--title", defaultValue = "PSNR against average bits", paramLabel = "<TEXT>",
            description = "the chart's title (default: ${DEFAULT-VALUE})")
    String title;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Tradeoff.Point> points = new ArrayList<>();
        for (String r : runs) {
            points.add(Tradeoff.read(r));
        }
        if (out != null) {
            if (!out.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
                throw new UserException("--out " + out + ": the chart is a PNG (name it .png)");
            }
            Tradeoff.chart(out, title, points);
        }
        spec.commandLine().getOut().print(Tradeoff.table(points));
        if (out != null) {
            spec.commandLine().getOut().println("chart: " + out.toAbsolutePath().normalize());
        }
        return 0;
    }
}
