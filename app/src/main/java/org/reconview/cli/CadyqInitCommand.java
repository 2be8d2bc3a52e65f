package org.reconview.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.reconview.UserException;
import org.reconview.nn.CadyqInit;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.Weights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reconview cadyq-init}: a CADyQ weights file from trained QW-Net weights with every tile at one width, for
 * fixed-width baselines with CADyQ's own quantizer (eval --methods qwnet-cadyq) and as a training start.
 */
@Command(name = "cadyq-init",
        description = {"Write CADyQ weights from trained QW-Net weights: selectors that choose --bits for every tile "
            + "and layer, per-width thresholds copied from the QW-Net ones. With --bits 4 from the INT4 model it "
            + "computes exactly what INT4 QW-Net does; other widths are fixed-width baselines with the same "
            + "quantizer (thresholds not fine-tuned for that width)."})
final class CadyqInitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--init", required = true, paramLabel = "<FILE>", description = "trained QW-Net weights")
    Path init;

    @Option(names = "--candidates", split = ",", defaultValue = "2,4,8", paramLabel = "<B,...>",
            description = "candidate widths, ascending, each in [2, 8] (default: ${DEFAULT-VALUE})")
    List<Integer> candidates;

    @Option(names = "--tile", defaultValue = "32", paramLabel = "<PX>",
            description = "tile side at full resolution (default: ${DEFAULT-VALUE})")
    int tile;

    @Option(names = "--bits", defaultValue = "4", paramLabel = "<B>",
            description = "the width every tile starts at, one of the candidates (default: ${DEFAULT-VALUE})")
    int bits;

    @Option(names = "--out", required = true, paramLabel = "<FILE>", description = "CADyQ weights file to write")
    Path out;

    @Override
    public Integer call() {
        Weights q = Weights.read(init);
        if (q.spec().kind() != org.reconview.nn.NetworkSpec.Kind.QWNET) {
            throw new UserException("--init " + init + ": CADyQ needs a QW-Net, not " + q.spec().variant());
        }
        CadyqSpec c;
        try {
            c = CadyqSpec.of(q.spec(), candidates, tile);
        } catch (IllegalArgumentException e) {
            throw new UserException("--candidates/--tile: " + e.getMessage());
        }
        if (!candidates.contains(bits)) {
            throw new UserException("--bits: " + bits + " is not among the candidates " + candidates);
        }
        Weights w = CadyqInit.fromQwnet(q, c, bits);
        w.validate(c);
        w.write(out);
        spec.commandLine().getOut().println("wrote " + out + " (" + c + ", every tile at " + bits + " bits)");
        return 0;
    }
}
