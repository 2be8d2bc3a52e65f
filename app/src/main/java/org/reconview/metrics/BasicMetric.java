package org.reconview.metrics;

import java.util.function.ToDoubleFunction;
import org.reconview.gl.Texture2D;

/** A {@link FrameMetric} from its description and a function of the inputs. */
record BasicMetric(String id, String title, String unit, boolean higherIsBetter, boolean temporal, String csvFormat,
                   ToDoubleFunction<FrameMetric.Inputs> value, java.util.function.Supplier<Texture2D> map)
        implements FrameMetric {
    BasicMetric(String id, String title, String unit, boolean higherIsBetter, boolean temporal, String csvFormat,
            ToDoubleFunction<FrameMetric.Inputs> value) {
        this(id, title, unit, higherIsBetter, temporal, csvFormat, value, () -> null);
    }

    @Override
    public Texture2D lastMap() {
        return map.get();
    }

    @Override
    public double measure(Inputs in) {
        return value.applyAsDouble(in);
    }
}
