package org.reconview.nn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.reconview.UserException;
import org.reconview.io.SafeTensors;

/**
 * The parameters of one network, by the names of {@link NetworkSpec#weightShapes()}, with the metadata a weights file
 * carries (DESIGN.md "Data"): {@code architecture}, {@code variant}, {@code base_width}, {@code width_step},
 * {@code quantization} (from {@link NetworkSpec#metadata()}), {@code thresholds} (how the {@code RANGE.t_l/t_u} tensors
 * were obtained), {@code init}, {@code training_data}, {@code commit} and {@code format}. Stored as safetensors
 * ({@link SafeTensors}), all parameters F32, conv weights OIHW.
 * <p>
 * {@link #random} gives the paper's initialisation (section 4: He et al. 2015, uniform): conv weights uniform in
 * [-sqrt(6 / fan_in), sqrt(6 / fan_in)] with fan_in = in * kh * kw; biases 0; batch norm the identity (gamma 1,
 * beta 0, mean 0, var 1); thresholds t_l = ln 1, t_u = ln 3 (section 5.1). Each tensor draws from its own generator
 * seeded by the seed and its name, so a tensor's values do not depend on the others.
 * <p>
 * {@link #validate} checks a set of weights against a spec and reports the first kind of problem found as one line
 * naming the file and the tensor: wrong architecture, missing tensors, unknown tensors, wrong dtype, wrong shape,
 * NaN or infinite values.
 */
public final class Weights {
    /** Version of this file layout (metadata key {@code format}). */
    public static final String FORMAT = "reconview-weights-1";

    private final Map<String, SafeTensors.Tensor> tensors;
    private final Map<String, String> metadata;
    private final String source;

    /**
     * @param source where the weights came from (a file name, or a description); starts every validation message
     */
    public Weights(Map<String, SafeTensors.Tensor> tensors, Map<String, String> metadata, String source) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.source = source;
    }

    /** Seeded He-uniform weights for {@code spec} (deterministic: the same seed gives the same bytes). */
    public static Weights random(NetworkSpec spec, long seed) {
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
        Map<String, LayerSpec> convs = new LinkedHashMap<>();
        for (LayerSpec l : spec.layers()) {
            if (l.op().isConv()) {
                convs.put(l.name() + ".weight", l);
            }
        }
        for (Map.Entry<String, int[]> e : spec.weightShapes().entrySet()) {
            String name = e.getKey();
            int[] shape = e.getValue();
            float[] v = new float[(int) count(shape)];
            LayerSpec conv = convs.get(name);
            if (conv != null) {
                double bound = heUniformBound(conv);
                SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((2 * rnd.nextDouble() - 1) * bound);
                }
            } else if (name.endsWith(".bn.gamma") || name.endsWith(".bn.var")) {
                Arrays.fill(v, 1f);
            } else if (name.endsWith(".t_u")) {
                Arrays.fill(v, NetworkSpec.INITIAL_T_U);
            } else if (name.endsWith(".t_l")) {
                Arrays.fill(v, NetworkSpec.INITIAL_T_L);
            }
            // biases, bn.beta and bn.mean stay 0
            t.put(name, SafeTensors.Tensor.ofFloats(shape, v));
        }
        Map<String, String> m = new LinkedHashMap<>(spec.metadata());
        m.put("thresholds", spec.quantRanges().isEmpty() ? "none (fp32 network)"
                : "initial values t_l = ln 1, t_u = ln 3 (not trained)");
        m.put("init", "he-uniform, seed " + seed);
        m.put("training_data", "none (seeded random weights)");
        m.put("commit", "unknown");
        m.put("format", FORMAT);
        return new Weights(t, m, "random " + spec.variant() + " weights (seed " + seed + ")");
    }

    /** The He-uniform bound sqrt(6 / fan_in) of a conv layer's weights, fan_in = in * kh * kw. */
    public static double heUniformBound(LayerSpec conv) {
        int k = conv.op().kernelSize();
        return Math.sqrt(6.0 / (conv.inChannels() * k * k));
    }

    /** Reads a weights file without checking it against a spec (see {@link #load}). */
    public static Weights read(Path file) {
        SafeTensors.Contents c = SafeTensors.read(file);
        return new Weights(c.tensors(), c.metadata(), file.toString());
    }

    /** Reads a weights file and {@link #validate validates} it against {@code spec}. */
    public static Weights load(Path file, NetworkSpec spec) {
        Weights w = read(file);
        w.validate(spec);
        return w;
    }

    /** Writes the tensors (in spec order) and metadata as safetensors, atomically. */
    public void write(Path file) {
        SafeTensors.write(file, tensors, metadata);
    }

    /** The spec the metadata names ({@code architecture}, {@code base_width}, {@code width_step}). */
    public NetworkSpec spec() {
        try {
            return NetworkSpec.fromMetadata(metadata);
        } catch (IllegalArgumentException e) {
            throw new UserException(source + ": " + e.getMessage());
        }
    }

    /**
     * Checks these weights against {@code spec}.
     *
     * @throws UserException "<source>: <problem>", e.g. {@code "w.safetensors: tensor 'fe.enc1.conv0.weight': shape
     *                       [64, 32, 3, 3] expected, has [64, 32, 1, 1]"}
     */
    public void validate(NetworkSpec spec) {
        if (CadyqSpec.isCadyq(metadata)) {
            throw fail("CADyQ weights (metadata '" + CadyqSpec.META_CANDIDATES + "'), expected plain "
                    + spec.variant());
        }
        checkDeclared(spec);
        validateShapes(spec.weightShapes(), spec.variant());
    }

    /**
     * Checks these weights against a CADyQ spec: metadata that names the same QW-Net, candidates and tile, then every
     * tensor of {@link CadyqSpec#weightShapes()} (a missing selector or threshold is refused by name).
     */
    public void validate(CadyqSpec spec) {
        if (!CadyqSpec.isCadyq(metadata)) {
            throw fail("not CADyQ weights (no '" + CadyqSpec.META_CANDIDATES + "' in the metadata), expected "
                    + spec.variant());
        }
        CadyqSpec declared;
        try {
            declared = CadyqSpec.fromMetadata(metadata);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
        if (!declared.equals(spec)) {
            throw fail("weights for " + declared + " (metadata), expected " + spec);
        }
        validateShapes(spec.weightShapes(), spec.variant());
    }

    private void checkDeclared(NetworkSpec spec) {
        if (metadata.containsKey("architecture")) {
            NetworkSpec declared;
            try {
                declared = NetworkSpec.fromMetadata(metadata);
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
            if (!declared.equals(spec)) {
                throw fail("weights for " + declared.variant() + " (metadata), expected " + spec.variant());
            }
        }
    }

    private void validateShapes(Map<String, int[]> shapes, String variant) {
        List<String> missing = new ArrayList<>();
        for (String n : shapes.keySet()) {
            if (!tensors.containsKey(n)) {
                missing.add(n);
            }
        }
        if (!missing.isEmpty()) {
            throw fail(names("missing tensor", missing) + " (" + variant + " has " + shapes.size()
                    + " parameter tensors, the file " + tensors.size() + ")");
        }
        List<String> unknown = new ArrayList<>();
        for (String n : tensors.keySet()) {
            if (!shapes.containsKey(n)) {
                unknown.add(n);
            }
        }
        if (!unknown.isEmpty()) {
            throw fail(names("unknown tensor", unknown) + " (not a parameter of " + variant + ")");
        }
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            SafeTensors.Tensor t = tensors.get(e.getKey());
            String where = "tensor '" + e.getKey() + "': ";
            if (t.dtype() != SafeTensors.DType.F32) {
                throw fail(where + "dtype " + t.dtype() + ", expected F32");
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw fail(where + "shape " + Arrays.toString(t.shape()) + ", expected "
                        + Arrays.toString(e.getValue()));
            }
            float[] v = t.floats();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw fail(where + (Float.isNaN(v[i]) ? "NaN" : "infinite value " + v[i]) + " at index " + i
                            + " (" + index(e.getValue(), i) + ")");
                }
            }
        }
    }

    private static String index(int[] shape, int flat) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return Arrays.toString(idx);
    }

    private static String names(String what, List<String> names) {
        StringBuilder s = new StringBuilder(what + (names.size() > 1 ? "s " : " "));
        for (int i = 0; i < Math.min(3, names.size()); i++) {
            s.append(i > 0 ? ", '" : "'").append(names.get(i)).append('\'');
        }
        if (names.size() > 3) {
            s.append(" and ").append(names.size() - 3).append(" more");
        }
        return s.toString();
    }

    private UserException fail(String problem) {
        return new UserException(source + ": " + problem);
    }

    public Map<String, SafeTensors.Tensor> tensors() {
        return tensors;
    }

    public SafeTensors.Tensor tensor(String name) {
        SafeTensors.Tensor t = tensors.get(name);
        if (t == null) {
            throw fail("missing tensor '" + name + "'");
        }
        return t;
    }

    /** A tensor's values as floats (a copy). */
    public float[] floats(String name) {
        return tensor(name).floats();
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public String source() {
        return source;
    }

    /** A copy with one tensor added or replaced. */
    public Weights with(String name, SafeTensors.Tensor tensor) {
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>(tensors);
        t.put(name, tensor);
        return new Weights(t, metadata, source);
    }

    /** A copy without one tensor. */
    public Weights without(String name) {
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>(tensors);
        t.remove(name);
        return new Weights(t, metadata, source);
    }

    /** A copy with metadata entries added or replaced (e.g. training_data, commit after training). */
    public Weights withMetadata(Map<String, String> entries) {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.putAll(entries);
        return new Weights(tensors, m, source);
    }

    private static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
