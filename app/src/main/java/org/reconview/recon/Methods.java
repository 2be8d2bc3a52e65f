package org.reconview.recon;

import java.util.ArrayList;
import java.util.List;
import org.reconview.UserException;

/**
 * The reconstruction methods by name, as {@code eval --methods} and the viewer list them. Methods whose
 * implementation has not landed yet are listed with the reason, so that callers can show "not available: ..." and
 * light them up as soon as they exist.
 */
public final class Methods {
    /** A method's name, whether it can run here, and why not. */
    public record Entry(String name, String description, String unavailableReason) {
        public boolean available() {
            return unavailableReason == null;
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("input", "the jittered 1-spp frame, unprocessed", null),
            new Entry("taa", "temporal antialiasing (variance clipping, Catmull-Rom history)", null),
            new Entry("unet", "direct-prediction U-Net, FP32",
                    "not built yet (the networks arrive with issue 5)"),
            new Entry("qwnet", "QW-Net: INT4 feature extractor + FP32 filter network",
                    "not built yet (the networks arrive with issue 5)"),
            new Entry("reference", "the supersampled reference", null));

    private Methods() {
    }

    public static List<Entry> all() {
        return ENTRIES;
    }

    /** Parses a comma-separated list, refusing unknown names (listing the known ones) and unavailable methods. */
    public static List<String> parse(String option, String list) {
        List<String> names = new ArrayList<>();
        for (String raw : list.split(",")) {
            String n = raw.trim();
            if (n.isEmpty()) {
                continue;
            }
            Entry e = ENTRIES.stream().filter(x -> x.name.equals(n)).findFirst().orElseThrow(
                    () -> new UserException(option + ": unknown method '" + n + "' (known: "
                            + String.join(", ", ENTRIES.stream().map(Entry::name).toList()) + ")"));
            if (!e.available()) {
                throw new UserException(option + ": method '" + n + "' is " + e.unavailableReason);
            }
            if (names.contains(n)) {
                throw new UserException(option + ": method '" + n + "' given twice");
            }
            names.add(n);
        }
        if (names.isEmpty()) {
            throw new UserException(option + ": no methods given");
        }
        return names;
    }

    /** Creates an available method. */
    public static Reconstructor create(String name, Taa.Settings taa) {
        return switch (name) {
            case "input" -> PassThrough.input();
            case "reference" -> PassThrough.reference();
            case "taa" -> new Taa(taa);
            default -> throw new UserException("method '" + name + "' is not available");
        };
    }
}
