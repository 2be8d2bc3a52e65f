package org.reconview.metrics;

import java.util.function.ToDoubleFunction;

/** A {@link FrameMetric} from its description and a function of the inputs. */
record BasicMetric(String id, String title, String unit, boolean higherIsBetter, boolean temporal, String csvFormat,
                   ToDoubleFunction<FrameMetric.Inputs> value) implements FrameMetric {
    @Override
    public double measure(Inputs in) {
        return value.applyAsDouble(in);
    }
}
