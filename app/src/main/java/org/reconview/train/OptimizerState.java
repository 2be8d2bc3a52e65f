package org.reconview.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An optimiser's state variables (moments, slow weights) with what a checkpoint needs: read them all in one run, and
 * assign them back through one placeholder each. Shared by {@link Adam} and {@link Ranger}.
 */
final class OptimizerState {
    private final List<Variable<TFloat32>> vars = new ArrayList<>();
    private final List<Placeholder<TFloat32>> feeds = new ArrayList<>();
    private final List<Op> assigns = new ArrayList<>();

    /** Registers a state variable shaped like {@code like}, with its restore placeholder and assignment. */
    Variable<TFloat32> add(Ops a, Variable<TFloat32> like) {
        Variable<TFloat32> v = a.variable(like.shape(), TFloat32.class);
        Placeholder<TFloat32> feed = a.placeholder(TFloat32.class, Placeholder.shape(like.shape()));
        vars.add(v);
        feeds.add(feed);
        assigns.add(a.assign(v, feed));
        return v;
    }

    List<Variable<TFloat32>> variables() {
        return Collections.unmodifiableList(vars);
    }

    List<float[]> read(Session session) {
        Session.Runner r = session.runner();
        vars.forEach(r::fetch);
        List<float[]> out = new ArrayList<>();
        try (var result = r.run()) {
            for (int i = 0; i < vars.size(); i++) {
                out.add(TfSupport.floats((TFloat32) result.get(i)));
            }
        }
        return out;
    }

    void restore(Session session, List<float[]> values) {
        if (values.size() != vars.size()) {
            throw new IllegalArgumentException(values.size() + " state values for " + vars.size() + " variables");
        }
        Session.Runner r = session.runner();
        List<TFloat32> open = new ArrayList<>();
        try {
            for (int i = 0; i < vars.size(); i++) {
                TFloat32 t = TfSupport.tensor(values.get(i), vars.get(i).shape().asArray());
                open.add(t);
                r.feed(feeds.get(i), t).addTarget(assigns.get(i));
            }
            r.run();
        } finally {
            open.forEach(TFloat32::close);
        }
    }
}
