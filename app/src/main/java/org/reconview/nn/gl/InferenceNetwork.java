package org.reconview.nn.gl;

import org.reconview.nn.BitOps;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.NetworkSpec;

/**
 * A network on the GPU as a reconstructor drives it: FP32 CHW input tensors {@code i_a}, {@code i_w} (PQ, padded
 * size) that the caller fills, and an FP32 CHW output (PQ RGB) that it reads after {@link #run}. Implemented by the
 * all-FP32 {@link GpuNetwork} and by QW-Net's {@link Int4Network}.
 */
public interface InferenceNetwork extends AutoCloseable {
    NetworkSpec spec();

    /** What arithmetic runs, for descriptions: "FP32", or "INT4 feature extractor, FP32 filter network". */
    String arithmetic();

    /** The multiple the padded size must be: {@link GoldenModel#PAD_MULTIPLE}, or a CADyQ network's tile. */
    default int padMultiple() {
        return GoldenModel.PAD_MULTIPLE;
    }

    /** Allocates for a padded size (a multiple of {@link #padMultiple}); a no-op if unchanged. */
    void allocate(int paddedHeight, int paddedWidth);

    /** An FP32 tensor by name: the inputs, and layers computed in FP32. */
    GpuTensor tensor(String name);

    /** The output tensor (PQ RGB, padded size): what {@link #run()} returns, ready after the last step. */
    GpuTensor output();

    /** Runs every layer on the current inputs: {@link #steps()} in order; returns the output tensor. */
    GpuTensor run();

    /**
     * The work of {@link #run()} in order, cut at layer boundaries, for a caller that spreads one frame's network over
     * several UI frames: running every step in order is {@link #run()} (the same GL commands in the same order, so the
     * same result); the output is ready after the last. Valid until the next {@link #allocate}.
     */
    default java.util.List<Runnable> steps() {
        return steps(Long.MAX_VALUE);
    }

    /**
     * {@link #steps()} with each convolution cut into row bands ({@link RowBand}) of at most about
     * {@code macsPerStep} FP32 multiply-add equivalents (the implementation weighs its own MACs by what they cost it
     * against FP32's), for a caller that wants short steps; the same results. Long.MAX_VALUE: {@link #steps()}.
     */
    java.util.List<Runnable> steps(long macsPerStep);

    /** The cost of the last {@link #run} at the allocated size: BitOPs and average bits (BitOps). */
    BitOps.Frame cost();

    @Override
    void close();
}
