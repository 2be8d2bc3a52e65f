package org.reconview.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reconview.UserException;
import org.reconview.nn.BitOps;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.LayerSpec.Stage;
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
                + "does. With --bitops too, the object also has \"bitops\": {NETWORK: {ROW: n, ..., total: n, "
                + "avg_bits: b}} for unet, qwnet and each --bits width (qwnet-bB).",
            "--bitops prints BitOPs per pixel instead (MACs x weight bits x activation bits, as CADyQ counts "
                + "them): U-Net FP32, QW-Net as the paper quantizes it, and QW-Net with the 4-bit convs' "
                + "activations at each --bits width; avg_bits is the MAC-weighted activation width of those "
                + "convs."})
final class MacsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    @Option(names = "--variant", defaultValue = "qwnet", paramLabel = "<VARIANT>",
            description = "QW-Net widths: qwnet (32/32, the paper's; default) or qwnet-r (24/24)")
    NetworkSpec variant;

    @Option(names = "--bitops", description = "print BitOPs per pixel by row instead of MACs")
    boolean bitops;

    @Option(names = "--bits", split = ",", defaultValue = "2,3,8", paramLabel = "<B,...>",
            description = "activation widths of the fixed-width QW-Net rows of the BitOPs view and JSON, each in "
                + "[2, 8] (default: ${DEFAULT-VALUE})")
    List<Integer> bits;

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
        for (int b : bits) {
            if (b < CadyqSpec.MIN_BITS || b > CadyqSpec.MAX_BITS) {
                throw new UserException("--bits: " + b + " must be in [" + CadyqSpec.MIN_BITS + ", "
                        + CadyqSpec.MAX_BITS + "]");
            }
        }
        MacCount u = MacCount.of(un);
        MacCount q = MacCount.of(qw);
        Map<String, Map<String, Double>> bo = bitopsRows(un, qw, bits);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(u, q, qw.variant(), bitops ? bo : null) + "\n" : bitops ? bitopsTable(qw, bo) : table(u, q));
        out.flush();
        return 0;
    }

    /**
     * BitOPs per pixel by MAC row (input_conv, encoder, decoder, kernel_prediction, output_layer), the total and the
     * MAC-weighted activation bits of the selectable convs, for U-Net, QW-Net and QW-Net at each width.
     */
    static Map<String, Map<String, Double>> bitopsRows(NetworkSpec unet, NetworkSpec qwnet, List<Integer> widths) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        out.put("unet", bitopsRow(unet, BitOps.convs(unet)));
        out.put("qwnet", bitopsRow(qwnet, BitOps.convs(qwnet)));
        for (int b : widths) {
            out.put("qwnet-b" + b, bitopsRow(qwnet, BitOps.convs(qwnet, b)));
        }
        return out;
    }

    private static Map<String, Double> bitopsRow(NetworkSpec net, List<BitOps.Conv> convs) {
        Map<String, Double> row = new LinkedHashMap<>();
        for (MacCount.Row r : new MacCount.Row[] {MacCount.Row.INPUT_CONV, MacCount.Row.ENCODER, MacCount.Row.DECODER,
            MacCount.Row.KERNEL_PREDICTION, MacCount.Row.OUTPUT_LAYER}) {
            row.put(r.key(), 0.0);
        }
        double weighted = 0;
        double macs = 0;
        for (BitOps.Conv c : convs) {
            LayerSpec l = net.layer(c.name());
            double perPixel = (double) c.macsPerOutput() / (1L << (2 * c.scale()));
            row.merge(MacCount.convRow(l).key(), perPixel * c.weightBits() * c.activationBits(), Double::sum);
            if (CadyqSpec.selectable(l) || (net.kind() == NetworkSpec.Kind.UNET && l.stage() != Stage.INPUT_CONV
                    && l.stage() != Stage.OUTPUT_LAYER)) {
                weighted += perPixel * c.activationBits();
                macs += perPixel;
            }
        }
        row.put("total", BitOps.perPixel(convs));
        row.put("avg_bits", macs > 0 ? weighted / macs : Double.NaN);
        return row;
    }

    static String bitopsTable(NetworkSpec qwnet, Map<String, Map<String, Double>> rows) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "BitOPs per pixel (MACs x weight bits x activation bits): %s and a U-Net"
                + " with the same widths%n%n", qwnet.variant()));
        List<String> cols = List.of("input_conv", "encoder", "decoder", "kernel_prediction", "output_layer",
                "total");
        s.append(String.format(Locale.ROOT, "%-14s", "network"));
        for (String c : cols) {
            s.append(String.format(Locale.ROOT, " %12s", c.equals("kernel_prediction") ? "kernel_pred" : c));
        }
        s.append(String.format(Locale.ROOT, " %8s%n", "avg_bits"));
        for (Map.Entry<String, Map<String, Double>> e : rows.entrySet()) {
            s.append(String.format(Locale.ROOT, "%-14s", label(e.getKey())));
            for (String c : cols) {
                s.append(String.format(Locale.ROOT, " %12s", num(e.getValue().get(c))));
            }
            s.append(String.format(Locale.ROOT, " %8.2f%n", e.getValue().get("avg_bits")));
        }
        s.append(String.format(Locale.ROOT, "%nqwnet: the paper's precisions (8-bit input conv, 4-bit convs, 8-bit"
                + " kernel prediction on 4-bit codes);%nqwnet-bB: the 4-bit convs read B-bit activations (what"
                + " CADyQ chooses per tile). avg_bits: MAC-weighted%nactivation bits of the encoder, bottleneck and"
                + " decoder convs but the input conv. The filter network%n(FP32, not convolutions) is not counted.%n"));
        return s.toString();
    }

    private static String label(String key) {
        return switch (key) {
            case "unet" -> "U-Net FP32";
            case "qwnet" -> "QW-Net";
            default -> "QW-Net " + key.substring("qwnet-b".length()) + "-bit";
        };
    }

    /** The MAC rows, and the BitOPs rows when {@code bitops} is not null. */
    static String json(MacCount unet, MacCount qwnet, String variant, Map<String, Map<String, Double>> bitops) {
        JsonObject o = new JsonObject();
        o.add("unet", rows(unet));
        o.add("qwnet", rows(qwnet));
        JsonObject bp = new JsonObject();
        bp.add("unet", precisions(unet));
        bp.add("qwnet", precisions(qwnet));
        o.add("by_precision", bp);
        o.addProperty("variant", variant);
        if (bitops != null) {
            JsonObject b = new JsonObject();
            bitops.forEach((k, row) -> {
                JsonObject r = new JsonObject();
                row.forEach(r::addProperty);
                b.add(k, r);
            });
            o.add("bitops", b);
        }
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
