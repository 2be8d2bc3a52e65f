package org.reconview.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reconview.io.SafeTensors;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One TensorFlow variable per parameter tensor of a {@link NetworkSpec} ({@link NetworkSpec#weightShapes()}), in the
 * same names, shapes and layouts as a {@link Weights} file: conv weights OIHW (the graph transposes them to HWIO),
 * biases and BN vectors [out], thresholds [1]. So loading and exporting is a flat copy, no reordering.
 * <p>
 * Variables are not initialised by TensorFlow initialisers: {@link #load} assigns every one of them from a
 * {@link Weights} (e.g. {@link Weights#random} for He-uniform init, or a checkpoint), {@link #read} copies them back.
 */
public final class ModelVariables {
    private final NetworkSpec spec;
    /** The CADyQ spec when the variables are a CADyQ network's (selectors and per-width thresholds too), else null. */
    private final CadyqSpec cadyq;
    private final Map<String, int[]> shapes;
    private final Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
    private final Map<String, Placeholder<TFloat32>> feeds = new LinkedHashMap<>();
    private final Map<String, Assign<TFloat32>> assigns = new LinkedHashMap<>();

    private ModelVariables(NetworkSpec spec, CadyqSpec cadyq) {
        this.spec = spec;
        this.cadyq = cadyq;
        this.shapes = cadyq == null ? spec.weightShapes() : cadyq.weightShapes();
    }

    /** Creates the variables (and their assign ops) in the graph of {@code tf}. */
    public static ModelVariables create(Ops tf, NetworkSpec spec) {
        return create(tf, new ModelVariables(spec, null));
    }

    /** The variables of a CADyQ network: QW-Net's, each selector's and each per-width threshold. */
    public static ModelVariables create(Ops tf, CadyqSpec spec) {
        return create(tf, new ModelVariables(spec.base(), spec));
    }

    private static ModelVariables create(Ops tf, ModelVariables m) {
        for (Map.Entry<String, int[]> e : m.shapes.entrySet()) {
            String name = e.getKey();
            Shape shape = shape(e.getValue());
            Ops scoped = tf.withSubScope("params").withName(name);
            Variable<TFloat32> v = scoped.variable(shape, TFloat32.class);
            Placeholder<TFloat32> p = tf.withSubScope("params_feed").withName(name)
                    .placeholder(TFloat32.class, Placeholder.shape(shape));
            m.vars.put(name, v);
            m.feeds.put(name, p);
            m.assigns.put(name, tf.withSubScope("params_assign").withName(name).assign(v, p));
        }
        return m;
    }

    public NetworkSpec spec() {
        return spec;
    }

    /** The CADyQ spec, or null for a plain network. */
    public CadyqSpec cadyq() {
        return cadyq;
    }

    public Variable<TFloat32> get(String name) {
        Variable<TFloat32> v = vars.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' in " + spec.variant());
        }
        return v;
    }

    /** Every variable by parameter name, in {@link NetworkSpec#weightShapes()} order. */
    public Map<String, Variable<TFloat32>> all() {
        return Collections.unmodifiableMap(vars);
    }

    /**
     * The names a phase trains. FP32 ({@code quantized = false}): conv weights and biases, BN gamma and beta (not
     * the running statistics, which follow the batches, nor the thresholds). Quantization fine-tuning (section 5.1):
     * conv weights and biases and the activation thresholds; BN gamma, beta and statistics frozen (section 5.2).
     * A CADyQ network trains only quantized, and then its selectors too (they are neither BN nor thresholds).
     */
    public List<String> trainable(boolean quantized) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> unusedPlain = unusedPlainThresholds();
        for (String n : vars.keySet()) {
            if (unusedPlain.contains(n)) {
                continue;
            }
            boolean stats = n.endsWith(".bn.mean") || n.endsWith(".bn.var");
            boolean affine = n.endsWith(".bn.gamma") || n.endsWith(".bn.beta");
            boolean threshold = n.endsWith(".t_l") || n.endsWith(".t_u");
            if (stats || (cadyq != null && !quantized)) {
                continue;
            }
            if (quantized ? !affine : !threshold) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * CADyQ: the plain thresholds {@code RANGE.t_l/t_u} no conv reads at a fixed width (ranges read only by selected
     * convs, which use the per-width ones): they stay in the file but have no gradient. Empty for plain networks.
     */
    private java.util.Set<String> unusedPlainThresholds() {
        java.util.Set<String> out = new java.util.HashSet<>();
        if (cadyq == null) {
            return out;
        }
        java.util.Set<String> fixed = new java.util.HashSet<>();
        for (org.reconview.nn.LayerSpec l : spec.layers()) {
            if (l.op().isConv() && !cadyq.isSelected(l.name())) {
                fixed.add(spec.tensor(l.inputs().get(0)).range());
            }
        }
        for (String r : spec.quantRanges()) {
            if (!fixed.contains(r)) {
                out.add(r + ".t_l");
                out.add(r + ".t_u");
            }
        }
        return out;
    }

    /** Assigns every variable from {@code weights} (validated against the spec first). */
    public void load(Session session, Weights weights) {
        if (cadyq != null) {
            weights.validate(cadyq);
        } else {
            weights.validate(spec);
        }
        Session.Runner r = session.runner();
        List<TFloat32> open = new ArrayList<>();
        try {
            for (String n : vars.keySet()) {
                SafeTensors.Tensor t = weights.tensor(n);
                TFloat32 v = TfSupport.tensor(t.floats(), toLong(t.shape()));
                open.add(v);
                r.feed(feeds.get(n), v).addTarget(assigns.get(n));
            }
            r.run();
        } finally {
            open.forEach(TFloat32::close);
        }
    }

    /** The variables' current values as {@link Weights}, with {@code metadata} (e.g. the loaded file's). */
    public Weights read(Session session, Map<String, String> metadata, String source) {
        Session.Runner r = session.runner();
        List<String> names = new ArrayList<>(vars.keySet());
        for (String n : names) {
            r.fetch(vars.get(n));
        }
        Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
        try (var result = r.run()) {
            for (int i = 0; i < names.size(); i++) {
                TFloat32 t = (TFloat32) result.get(i);
                out.put(names.get(i), SafeTensors.Tensor.ofFloats(shapes.get(names.get(i)),
                        TfSupport.floats(t)));
            }
        }
        return new Weights(out, metadata, source);
    }

    static Shape shape(int[] dims) {
        return Shape.of(toLong(dims));
    }

    static long[] toLong(int[] dims) {
        long[] s = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = dims[i];
        }
        return s;
    }
}
