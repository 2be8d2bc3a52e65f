package org.reconview.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.reconview.gl.Texture2D;

/**
 * One number per frame and method, measured on the GPU against the reference: what {@code eval} writes to
 * summary.json, frames.csv and plots/ID.png, and the viewer plots live. Every metric is registered once in
 * {@link FrameMetrics}; nothing else names it. Each implementation's GPU pass has a Java golden twin in this package
 * that its tests compare it with.
 */
public interface FrameMetric {
    /** Key in summary.json, column of frames.csv, plot file name: e.g. {@code psnr}. */
    String id();

    /** For plot titles and the panel: e.g. {@code PSNR}. */
    String title();

    /** Unit for axes and tables ({@code dB}), empty for none. */
    String unit();

    boolean higherIsBetter();

    /** Whether it needs the previous frame (then NaN on a first frame or after a cut). */
    default boolean temporal() {
        return false;
    }

    /** frames.csv's format of one value (Locale.ROOT). */
    default String csvFormat() {
        return "%.8f";
    }

    /** This frame's value; NaN where it has none (see {@link #temporal}). */
    double measure(Inputs in);

    /**
     * The per-pixel map behind the last {@link #measure} (R channel), for metrics that have one (FLIP); valid until
     * the next measure of any metric. Null for metrics without a map.
     */
    default Texture2D lastMap() {
        return null;
    }

    /**
     * One method's output of one frame and what it is measured against. The previous-frame textures are null when
     * there is no previous frame (first frame, cut). {@link #memo} shares work between metrics of the same frame
     * (PSNR and SSIM come from one pass).
     */
    final class Inputs {
        private final Texture2D output;
        private final Texture2D reference;
        private final Texture2D outputPrevWarped;
        private final Texture2D referencePrevWarped;
        private final DisplayEncoding encoding;
        private final Map<Object, Object> memo = new HashMap<>();

        public Inputs(Texture2D output, Texture2D reference, Texture2D outputPrevWarped,
                Texture2D referencePrevWarped, DisplayEncoding encoding) {
            this.output = output;
            this.reference = reference;
            this.outputPrevWarped = outputPrevWarped;
            this.referencePrevWarped = referencePrevWarped;
            this.encoding = encoding;
        }

        public Texture2D output() {
            return output;
        }

        public Texture2D reference() {
            return reference;
        }

        /** The previous output warped to this frame, validity in alpha; null without a previous frame. */
        public Texture2D outputPrevWarped() {
            return outputPrevWarped;
        }

        public Texture2D referencePrevWarped() {
            return referencePrevWarped;
        }

        public boolean hasPrevious() {
            return outputPrevWarped != null && referencePrevWarped != null;
        }

        public DisplayEncoding encoding() {
            return encoding;
        }

        /** The value {@code compute} gives for {@code key}, computed once for these inputs. */
        @SuppressWarnings("unchecked")
        public <T> T memo(Object key, Supplier<T> compute) {
            return (T) memo.computeIfAbsent(key, k -> compute.get());
        }
    }
}
