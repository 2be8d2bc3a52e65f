package org.reconview.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reconview.UserException;
import org.reconview.nn.MacCount;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.NetworkSpec.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reconview macs [--json] [--variant qwnet|qwnet-r]}: multiply-accumulates per pixel of U-Net and QW-Net by the
 * rows of Table 1 of Thomas et al. 2020 and by precision, computed from {@link NetworkSpec} by {@link MacCount} (whose
 * Javadoc states the counting convention and where it differs from the paper).
 */
@Command(name = "macs",
        description = {"Multiply-accumulates per pixel (per full-resolution pixel; a layer at scale s counts 1/4^s) "
            + "of the U-Net baseline and QW-Net, by the rows of the paper's Table 1 and by precision "
            + "(INT4/INT8/FP32). The U-Net uses the same feature-extractor widths as the chosen QW-Net variant. "
            + "With --json, one object:",
            "  {\"unet\": {ROW: n, ...}, \"qwnet\": {ROW: n, ...},",
            "   \"by_precision\": {\"unet\": {...}, \"qwnet\": {...}},",
            "   \"variant\": \"qwnet\"}",
            "with ROW in input_conv, encoder, decoder, quantization, kernel_prediction, pool_upsample, filter, "
                + "output_layer, total; the numbers are exact (fractions kept), the table rounds them as the paper "
                + "does."})
final class MacsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    @Option(names = "--variant", defaultValue = "qwnet", paramLabel = "<VARIANT>",
            description = "QW-Net widths: qwnet (32/32, the paper's; default) or qwnet-r (24/24)")
    NetworkSpec variant;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        NetworkSpec qw = variant;
        if (qw.kind() != NetworkSpec.Kind.QWNET) {
            throw new UserException("--variant: '" + variant.variant() + "' is not a QW-Net variant (qwnet or "
                    + "qwnet-r)");
        }
        NetworkSpec un = NetworkSpec.of(NetworkSpec.Kind.UNET, qw.baseWidth(), qw.widthStep());
        MacCount u = MacCount.of(un);
        MacCount q = MacCount.of(qw);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(u, q, qw.variant()) + "\n" : table(u, q));
        out.flush();
        return 0;
    }

    static String json(MacCount unet, MacCount qwnet, String variant) {
        JsonObject o = new JsonObject();
        o.add("unet", rows(unet));
        o.add("qwnet", rows(qwnet));
        JsonObject bp = new JsonObject();
        bp.add("unet", precisions(unet));
        bp.add("qwnet", precisions(qwnet));
        o.add("by_precision", bp);
        o.addProperty("variant", variant);
        return o.toString();
    }

    private static JsonObject rows(MacCount m) {
        JsonObject o = new JsonObject();
        m.rows().forEach(o::addProperty);
        return o;
    }

    private static JsonObject precisions(MacCount m) {
        JsonObject o = new JsonObject();
        m.byPrecision().forEach((p, v) -> o.addProperty(p.name(), v));
        return o;
    }

    static String table(MacCount unet, MacCount qwnet) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "MACs per pixel (Thomas et al. 2020, Table 1): %s and a U-Net with the same"
                + " widths (%d, step %d)%n%n", qwnet.spec().variant(), qwnet.spec().baseWidth(),
                qwnet.spec().widthStep()));
        s.append(String.format(Locale.ROOT, "%-18s %9s %7s   %9s %7s  %s%n", "row", "U-Net", "%", "QW-Net", "%",
                "QW-Net precision"));
        Map<String, Double> ur = unet.rows();
        Map<String, Double> qr = qwnet.rows();
        double ut = unet.total();
        double qt = qwnet.total();
        for (MacCount.Row r : MacCount.Row.values()) {
            Precision p = qwnet.rowPrecision(r);
            s.append(String.format(Locale.ROOT, "%-18s %9s %7s   %9s %7s  %s%n", r.key(), num(ur.get(r.key())),
                    pct(ur.get(r.key()), ut), num(qr.get(r.key())), pct(qr.get(r.key()), qt),
                    p == null ? "" : p.name()));
        }
        s.append(String.format(Locale.ROOT, "%-18s %9s %7s   %9s%n", "total", num(ut), "", num(qt)));
        s.append(String.format(Locale.ROOT, "%nby precision       %9s %9s %9s%n", "INT4", "INT8", "FP32"));
        for (MacCount m : new MacCount[] {unet, qwnet}) {
            Map<Precision, Double> bp = m.byPrecision();
            s.append(String.format(Locale.ROOT, "%-18s %9s %9s %9s%n", m == unet ? "U-Net" : "QW-Net",
                    num(bp.get(Precision.INT4)), num(bp.get(Precision.INT8)), num(bp.get(Precision.FP32))));
        }
        s.append(String.format(Locale.ROOT, "%nRounded to integers as in the paper; --json gives the exact values."
                + "%nThe counting convention, and the rows that differ from the paper (encoder: 12 fewer;"
                + " pool_upsample; U-Net total),%nare explained in the Javadoc of org.reconview.nn.MacCount.%n"));
        return s.toString();
    }

    private static String num(double v) {
        return v == 0 ? "-" : String.format(Locale.ROOT, "%,d", Math.round(v)).replace(',', ' ');
    }

    private static String pct(double v, double total) {
        return v == 0 ? "" : String.format(Locale.ROOT, "%.2f", 100 * v / total);
    }
}
