package org.reconview.recon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.reconview.UserException;
import org.reconview.nn.CadyqInit;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;
import org.reconview.nn.cuda.Backend;
import org.reconview.nn.gl.CadyqNetwork;

/**
 * The reconstruction methods by name, as {@code eval --methods} and the viewer list them: one entry per method with
 * its factory, so a new method is one line here plus its class. Networks run with the weights files given ({@code --weights}, matched to a
 * method by the file's architecture metadata) or, until trained weights exist, with seeded random weights, and say
 * which.
 */
public final class Methods {
    /** A method: its name, what it is, and how it is built (one place per method; the UI and the CLI list these). */
    public record Entry(String name, String description, BiFunction<String, Config, Reconstructor> factory) {
    }

    /**
     * What the methods are built with: TAA's controls, the networks' weights files and where QW-Net's INT4 feature
     * extractor runs (a resolved {@link Backend}: GLSL or CUDA; see {@link org.reconview.nn.cuda.CudaOffload}).
     */
    public record Config(Taa.Settings taa, List<Path> weightFiles, Backend qwnetBackend) {
        public Config(Taa.Settings taa, List<Path> weightFiles) {
            this(taa, weightFiles, Backend.GLSL);
        }

        public static Config defaults() {
            return new Config(Taa.Settings.DEFAULT, List.of());
        }
    }

    /** Seeds of the random weights used until trained ones exist: fixed, so runs compare. */
    static final long UNET_SEED = 1;
    static final long QWNET_SEED = 2;

    private static final List<Entry> ENTRIES = List.of(
            new Entry("input", "the jittered 1-spp frame, unprocessed", (n, c) -> PassThrough.input()),
            new Entry("taa", "temporal antialiasing (variance clipping, Catmull-Rom history)",
                    (n, c) -> new Taa(c.taa())),
            new Entry("unet", "direct-prediction U-Net, FP32",
                    (n, c) -> network(n, NetworkSpec.Kind.UNET, false, c, UNET_SEED)),
            new Entry("qwnet", "QW-Net: INT4 feature extractor + FP32 filter network",
                    (n, c) -> network(n, NetworkSpec.Kind.QWNET, true, c, QWNET_SEED)),
            new Entry("qwnet-fp32", "QW-Net with an FP32 feature extractor",
                    (n, c) -> network(n, NetworkSpec.Kind.QWNET, false, c, QWNET_SEED)),
            new Entry("qwnet-cadyq", "QW-Net with CADyQ: per-tile activation widths chosen by bit selectors",
                    Methods::cadyq),
            new Entry("reference", "the supersampled reference", (n, c) -> PassThrough.reference()));

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

    /** Builds a method by name (a name {@link #parse} accepted). */
    public static Reconstructor create(String name, Config config) {
        Entry e = ENTRIES.stream().filter(x -> x.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown method " + name));
        return e.factory().apply(name, config);
    }

    /**
     * The first weights file of this architecture, else seeded random weights (for QW-Net with the initial
     * thresholds t_l = ln 1, t_u = ln 3, which the description says). {@code int4}: QW-Net's integer feature
     * extractor ({@link NetworkReconstructor#quantized}) instead of the FP32 one.
     */
    private static NetworkReconstructor network(String name, NetworkSpec.Kind kind, boolean int4, Config config,
            long seed) {
        NetworkSpec spec = null;
        Weights weights = null;
        String description = null;
        // Among files of this architecture, prefer one trained in this method's precision (metadata
        // "trained_precision": qwnet takes int4-trained weights, qwnet-fp32 fp32-trained ones), else the first.
        String wanted = int4 ? "int4" : "fp32";
        for (Path file : config.weightFiles()) {
            Weights w = Weights.read(file);
            NetworkSpec s = w.spec();
            if (s.kind() != kind || CadyqSpec.isCadyq(w.metadata())) {
                continue;
            }
            boolean preferred = wanted.equals(w.metadata().get("trained_precision"));
            if (spec == null || preferred) {
                w.validate(s);
                spec = s;
                weights = w;
                description = "weights " + file.getFileName();
                if (preferred) {
                    break;
                }
            }
        }
        if (spec == null) {
            spec = kind == NetworkSpec.Kind.UNET ? NetworkSpec.unet() : NetworkSpec.qwnet();
            weights = Weights.random(spec, seed);
            description = "random weights (seed " + seed + (kind == NetworkSpec.Kind.QWNET
                    ? ", initial thresholds t_l = ln 1, t_u = ln 3" : "") + "; no trained weights given)";
        }
        if (!int4) {
            return new NetworkReconstructor(name, spec, weights, description);
        }
        return switch (config.qwnetBackend()) {
            case GLSL -> NetworkReconstructor.quantized(name, spec, weights, description);
            case CUDA -> NetworkReconstructor.quantizedCuda(name, spec, weights, description);
            default -> throw new UserException(name + ": backend " + config.qwnetBackend().id()
                    + " has no reconstructor (auto is resolved before, cpu is for tests)");
        };
    }

    /**
     * CADyQ QW-Net in GLSL ({@link CadyqNetwork}; on every backend: it has no CUDA path yet): the first CADyQ
     * weights file; without one, the INT4 QW-Net's weights
     * with every tile at 4 bits (what CADyQ training starts from, and says so), and without those seeded random
     * QW-Net weights, as qwnet runs (and says so).
     */
    private static NetworkReconstructor cadyq(String name, Config config) {
        Path int4 = null;
        for (Path file : config.weightFiles()) {
            Weights w = Weights.read(file);
            if (CadyqSpec.isCadyq(w.metadata())) {
                CadyqSpec spec = cadyqSpec(w);
                w.validate(spec);
                return new NetworkReconstructor(name, ops -> new CadyqNetwork(spec, w, ops),
                        "weights " + file.getFileName());
            }
            if (w.spec().kind() == NetworkSpec.Kind.QWNET && (int4 == null
                    || "int4".equals(w.metadata().get("trained_precision")))) {
                int4 = file;
            }
        }
        Weights q;
        String from;
        if (int4 == null) {
            q = Weights.random(NetworkSpec.qwnet(), QWNET_SEED);
            from = "random weights (seed " + QWNET_SEED + ")";
        } else {
            q = Weights.read(int4);
            q.validate(q.spec());
            from = int4.getFileName().toString();
        }
        CadyqSpec spec = CadyqSpec.of(q.spec(), CadyqSpec.DEFAULT_CANDIDATES, CadyqSpec.DEFAULT_TILE);
        Weights w = CadyqInit.fromQwnet(q, spec, 4);
        return new NetworkReconstructor(name, ops -> new CadyqNetwork(spec, w, ops), (int4 == null ? "random weights"
                : "untrained selectors") + " on " + from + ": every tile at 4 bits (no CADyQ weights given)");
    }

    private static CadyqSpec cadyqSpec(Weights w) {
        try {
            return CadyqSpec.fromMetadata(w.metadata());
        } catch (IllegalArgumentException e) {
            throw new UserException(w.source() + ": " + e.getMessage());
        }
    }

    /** The shipped models (models/*.safetensors of the checkout or the jar's folder) that exist, for the CLI's default. */
    public static List<Path> shippedModels() {
        Path root = org.reconview.ProjectPaths.root();
        List<Path> out = new ArrayList<>();
        if (root != null) {
            for (String name : List.of("unet-fp32", "qwnet-int4", "qwnet-fp32", "qwnet-cadyq")) {
                Path f = root.resolve("models").resolve(name + ".safetensors");
                if (java.nio.file.Files.isRegularFile(f)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** The --weights files if any were given, else the shipped models. */
    public static List<Path> weightsOrShipped(List<Path> given) {
        return given.isEmpty() ? shippedModels() : given;
    }

    /**
     * The family of weights a method runs: {@code unet}, {@code qwnet} (qwnet and qwnet-fp32) or {@code qwnet-cadyq};
     * null for a method without weights.
     */
    public static String familyOf(String method) {
        return switch (method) {
            case "unet" -> "unet";
            case "qwnet", "qwnet-fp32" -> "qwnet";
            case "qwnet-cadyq" -> "qwnet-cadyq";
            default -> null;
        };
    }

    /** The family of a weights file (validated): {@code qwnet-cadyq} for CADyQ files, else its architecture. */
    static String family(Weights w) {
        if (CadyqSpec.isCadyq(w.metadata())) {
            w.validate(cadyqSpec(w));
            return "qwnet-cadyq";
        }
        NetworkSpec spec = w.spec();
        w.validate(spec);
        return spec.architecture();
    }

    /**
     * The weights files the network methods among {@code methods} run: the {@code given} ones (each validated, and
     * each refused when none of the methods runs its family, naming both), then, for a family no given file covers,
     * the shipped model. Where files were given, a method that neither they nor a shipped model cover is refused
     * rather than run with random weights (qwnet-cadyq is covered by QW-Net weights too: it starts from them); with
     * nothing given and nothing shipped, random weights run (and say so).
     */
    public static List<Path> weightsFor(List<String> methods, List<Path> given) {
        java.util.Set<String> wanted = new java.util.LinkedHashSet<>();
        for (String m : methods) {
            if (familyOf(m) != null) {
                wanted.add(familyOf(m));
            }
        }
        // Each file's family, read once (a weights file is megabytes).
        java.util.Map<Path, String> families = new java.util.LinkedHashMap<>();
        for (Path f : given) {
            String fam = family(Weights.read(f));
            if (!wanted.contains(fam)) {
                throw new UserException("--weights " + f + ": " + fam + " weights, but none of the methods ("
                        + String.join(", ", methods) + ") runs a " + fam + " network");
            }
            families.put(f, fam);
        }
        java.util.Set<String> covered = java.util.Set.copyOf(families.values());
        for (Path f : shippedModels()) {
            String fam = family(Weights.read(f));
            if (wanted.contains(fam) && !covered.contains(fam)) {
                families.put(f, fam);
            }
        }
        if (!given.isEmpty()) {
            for (String m : methods) {
                String fam = familyOf(m);
                boolean ok = fam == null || families.containsValue(fam)
                        || (fam.equals("qwnet-cadyq") && families.containsValue("qwnet"));
                if (!ok) {
                    throw new UserException("--weights: no " + fam + " weights for method '" + m
                            + "' among the files given (" + String.join(", ", given.stream().map(p -> p.getFileName()
                                    .toString()).toList()) + ") and none shipped");
                }
            }
        }
        return new ArrayList<>(families.keySet());
    }

    /** Checks the weights files early (one line per bad file) and that each names a network. */
    public static void checkWeightFiles(List<Path> files) {
        for (Path f : files) {
            family(Weights.read(f));
        }
    }
}
