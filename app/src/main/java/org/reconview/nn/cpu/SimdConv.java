package org.reconview.nn.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.reconview.nn.Tensor;

/**
 * One FP32 convolution layer on the CPU (stride 1; 3x3 with zero padding, or 1x1) with its epilogue
 * y = (acc + bias[o]) * scale[o] + shift[o] (batch norm folded; scale 1, shift 0 without it) and optionally ELU.
 * Golden: {@link org.reconview.nn.FloatOps#conv3x3} / {@code conv1x1} (+ batchNorm, elu).
 *
 * <p>Why it exists: on a machine without a GPU, Mesa's llvmpipe runs the GLSL convolutions at 10-25% of its own
 * FMA rate (docs/perf.md: every weight read is a vector gather or a call, accumulators spill), while the JDK's vector
 * API lets the JIT keep a register block in ymm registers. The block is 16 output channels x 8 pixels (one 256-bit
 * vector): each input vector load serves 16 FMAs and each weight broadcast one, with the 16 accumulators held in
 * registers for the whole sum over input channels and taps. The input is first copied into a zero-bordered layout
 * (one pixel of padding, rows rounded up to whole vectors) so that the inner loop has no bounds tests (a 1x1 conv
 * over rows of whole vectors reads its input in place); rows are shared out over {@link CpuPool}'s threads.
 */
public final class SimdConv {
    /** 8 floats: the block's pixel width (also fine on AVX-512 machines, where it is half a register). */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final int LANES = 8;
    /** Output channels per register block (the 16 accumulators of {@link #rowBlock}). */
    static final int OUT_BLOCK = 16;
    /**
     * Input channels summed for one vector of the row before the next vector, the partial sums kept in the row buffer
     * between groups: a pixel's channels lie a plane apart, and walking all of them for each vector touched a page
     * per channel (TLB misses). Measured at 256x256: a 1x1 conv 96 to 32 channels 3x faster, 3x3 convs 1.2-1.5x.
     */
    static final int CHANNEL_GROUP = 8;

    private final int kernel;
    private final int inChannels;
    private final int outChannels;
    private final int blocks;
    /** Weights by block, input channel, tap and the block's 16 output channels (zero past outChannels). */
    private final float[] blocked;
    private final float[] bias;
    private final float[] scale;
    private final float[] shift;
    private final boolean elu;
    /** The zero-bordered copy of the last input (see {@link #apply(Tensor, Tensor)}). */
    private float[] padded;
    private int paddedHeight;
    private int paddedStride;

    /**
     * A layer from OIHW weights; {@code bias}, {@code scale} and {@code shift} are per output channel (null: 0, 1
     * and 0).
     */
    public SimdConv(int kernel, int inChannels, int outChannels, float[] oihw, float[] bias, float[] scale,
            float[] shift, boolean elu) {
        if (kernel != 1 && kernel != 3) {
            throw new IllegalArgumentException("kernel " + kernel);
        }
        int taps = kernel * kernel;
        if (oihw.length != outChannels * inChannels * taps) {
            throw new IllegalArgumentException(oihw.length + " weights for " + outChannels + "x" + inChannels + "x"
                    + kernel + "x" + kernel);
        }
        this.kernel = kernel;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.blocks = (outChannels + OUT_BLOCK - 1) / OUT_BLOCK;
        this.blocked = new float[blocks * inChannels * taps * OUT_BLOCK];
        for (int o = 0; o < outChannels; o++) {
            int b = o / OUT_BLOCK;
            int j = o % OUT_BLOCK;
            for (int i = 0; i < inChannels; i++) {
                for (int t = 0; t < taps; t++) {
                    blocked[((b * inChannels + i) * taps + t) * OUT_BLOCK + j] = oihw[(o * inChannels + i) * taps + t];
                }
            }
        }
        this.bias = perChannel(bias, outChannels, 0f);
        this.scale = perChannel(scale, outChannels, 1f);
        this.shift = perChannel(shift, outChannels, 0f);
        this.elu = elu;
    }

    private static float[] perChannel(float[] v, int n, float fill) {
        if (v == null) {
            float[] a = new float[n];
            java.util.Arrays.fill(a, fill);
            return a;
        }
        if (v.length != n) {
            throw new IllegalArgumentException(v.length + " epilogue values for " + n + " channels");
        }
        return v.clone();
    }

    /** The layer applied to {@code in} (CHW), a new tensor of the same size. */
    public Tensor apply(Tensor in) {
        return apply(in, new Tensor(outChannels, in.height, in.width));
    }

    /**
     * The layer applied to {@code in}, written into {@code out} (every value), which it returns. Not for two threads
     * at once: the padded copy of the input is kept between calls (fresh memory for it each call cost as much as a
     * small layer).
     */
    public Tensor apply(Tensor in, Tensor out) {
        if (in.channels != inChannels) {
            throw new IllegalArgumentException(in.channels + " input channels for a conv of " + inChannels);
        }
        if (out.channels != outChannels || out.height != in.height || out.width != in.width) {
            throw new IllegalArgumentException("conv of " + in + " into " + out);
        }
        int h = in.height;
        int w = in.width;
        int vectors = (w + LANES - 1) / LANES;
        if (kernel == 1 && w % LANES == 0) {
            // No padding to add: a 1x1 conv over whole vectors reads the input where it is.
            CpuPool.parallelFor(h, y -> {
                float[] row = new float[OUT_BLOCK * w];
                for (int b = 0; b < blocks; b++) {
                    rowBlock1(in.data, h * w, y * w, b, vectors, row);
                    epilogue(row, w, b, y, h, w, out.data);
                }
            });
            return out;
        }
        int stride = vectors * LANES + 2;      // padded row: zero, the row, zeros up to whole vectors + 1
        int paddedPlane = (h + 2) * stride;
        if (padded == null || paddedHeight != h || paddedStride != stride) {
            padded = new float[inChannels * paddedPlane];   // its zero border is never written
            paddedHeight = h;
            paddedStride = stride;
        }
        float[] padded = this.padded;
        CpuPool.parallelFor(inChannels, i -> {
            for (int y = 0; y < h; y++) {
                System.arraycopy(in.data, (i * h + y) * w, padded, i * paddedPlane + (y + 1) * stride + 1, w);
            }
        });
        CpuPool.parallelFor(h, y -> {
            float[] row = new float[OUT_BLOCK * vectors * LANES];
            for (int b = 0; b < blocks; b++) {
                rowBlock(padded, paddedPlane, stride, b, y, vectors, row);
                epilogue(row, vectors * LANES, b, y, h, w, out.data);
            }
        });
        return out;
    }

    /**
     * Output row {@code y} of block {@code b}: row[j * vectors * LANES + x] = sum over input channels (in groups of
     * {@link #CHANNEL_GROUP}) and taps.
     * Sixteen explicit accumulators, not an array, and one method per kernel size with constant tap loops: otherwise
     * C2 does not keep the vectors in registers and boxes them (measured 15x slower).
     */
    private void rowBlock(float[] padded, int paddedPlane, int stride, int b, int y, int vectors, float[] row) {
        if (kernel == 3) {
            rowBlock3(padded, paddedPlane, stride, b, y, vectors, row);
        } else {
            rowBlock1(padded, paddedPlane, (y + 1) * stride + 1, b, vectors, row);
        }
    }

    private void rowBlock3(float[] padded, int paddedPlane, int stride, int b, int y, int vectors, float[] row) {
        final float[] w = blocked;
        int rowStride = vectors * LANES;
        FloatVector z = FloatVector.zero(S);
        for (int i0 = 0; i0 < inChannels; i0 += CHANNEL_GROUP) {
            int i1 = Math.min(inChannels, i0 + CHANNEL_GROUP);
            boolean first = i0 == 0;
            for (int xv = 0; xv < vectors; xv++) {
                int x0 = xv * LANES;
                FloatVector a0 = first ? z : FloatVector.fromArray(S, row, 0 * rowStride + x0);
                FloatVector a1 = first ? z : FloatVector.fromArray(S, row, 1 * rowStride + x0);
                FloatVector a2 = first ? z : FloatVector.fromArray(S, row, 2 * rowStride + x0);
                FloatVector a3 = first ? z : FloatVector.fromArray(S, row, 3 * rowStride + x0);
                FloatVector a4 = first ? z : FloatVector.fromArray(S, row, 4 * rowStride + x0);
                FloatVector a5 = first ? z : FloatVector.fromArray(S, row, 5 * rowStride + x0);
                FloatVector a6 = first ? z : FloatVector.fromArray(S, row, 6 * rowStride + x0);
                FloatVector a7 = first ? z : FloatVector.fromArray(S, row, 7 * rowStride + x0);
                FloatVector a8 = first ? z : FloatVector.fromArray(S, row, 8 * rowStride + x0);
                FloatVector a9 = first ? z : FloatVector.fromArray(S, row, 9 * rowStride + x0);
                FloatVector a10 = first ? z : FloatVector.fromArray(S, row, 10 * rowStride + x0);
                FloatVector a11 = first ? z : FloatVector.fromArray(S, row, 11 * rowStride + x0);
                FloatVector a12 = first ? z : FloatVector.fromArray(S, row, 12 * rowStride + x0);
                FloatVector a13 = first ? z : FloatVector.fromArray(S, row, 13 * rowStride + x0);
                FloatVector a14 = first ? z : FloatVector.fromArray(S, row, 14 * rowStride + x0);
                FloatVector a15 = first ? z : FloatVector.fromArray(S, row, 15 * rowStride + x0);
                int wo = (b * inChannels + i0) * 9 * OUT_BLOCK;
                for (int i = i0; i < i1; i++) {
                    int base = i * paddedPlane + y * stride + x0;
                    for (int ky = 0; ky < 3; ky++) {
                        int r = base + ky * stride;
                        for (int kx = 0; kx < 3; kx++) {
                            FloatVector v = FloatVector.fromArray(S, padded, r + kx);
                            a0 = v.fma(FloatVector.broadcast(S, w[wo + 0]), a0);
                            a1 = v.fma(FloatVector.broadcast(S, w[wo + 1]), a1);
                            a2 = v.fma(FloatVector.broadcast(S, w[wo + 2]), a2);
                            a3 = v.fma(FloatVector.broadcast(S, w[wo + 3]), a3);
                            a4 = v.fma(FloatVector.broadcast(S, w[wo + 4]), a4);
                            a5 = v.fma(FloatVector.broadcast(S, w[wo + 5]), a5);
                            a6 = v.fma(FloatVector.broadcast(S, w[wo + 6]), a6);
                            a7 = v.fma(FloatVector.broadcast(S, w[wo + 7]), a7);
                            a8 = v.fma(FloatVector.broadcast(S, w[wo + 8]), a8);
                            a9 = v.fma(FloatVector.broadcast(S, w[wo + 9]), a9);
                            a10 = v.fma(FloatVector.broadcast(S, w[wo + 10]), a10);
                            a11 = v.fma(FloatVector.broadcast(S, w[wo + 11]), a11);
                            a12 = v.fma(FloatVector.broadcast(S, w[wo + 12]), a12);
                            a13 = v.fma(FloatVector.broadcast(S, w[wo + 13]), a13);
                            a14 = v.fma(FloatVector.broadcast(S, w[wo + 14]), a14);
                            a15 = v.fma(FloatVector.broadcast(S, w[wo + 15]), a15);
                            wo += OUT_BLOCK;
                        }
                    }
                }
                a0.intoArray(row, 0 * rowStride + x0);
                a1.intoArray(row, 1 * rowStride + x0);
                a2.intoArray(row, 2 * rowStride + x0);
                a3.intoArray(row, 3 * rowStride + x0);
                a4.intoArray(row, 4 * rowStride + x0);
                a5.intoArray(row, 5 * rowStride + x0);
                a6.intoArray(row, 6 * rowStride + x0);
                a7.intoArray(row, 7 * rowStride + x0);
                a8.intoArray(row, 8 * rowStride + x0);
                a9.intoArray(row, 9 * rowStride + x0);
                a10.intoArray(row, 10 * rowStride + x0);
                a11.intoArray(row, 11 * rowStride + x0);
                a12.intoArray(row, 12 * rowStride + x0);
                a13.intoArray(row, 13 * rowStride + x0);
                a14.intoArray(row, 14 * rowStride + x0);
                a15.intoArray(row, 15 * rowStride + x0);
            }
        }
    }

    /** {@link #rowBlock} for 1x1: the row's first pixel of input channel i is at {@code i * plane + rowStart}. */
    private void rowBlock1(float[] src, int plane, int rowStart, int b, int vectors, float[] row) {
        final float[] w = blocked;
        int rowStride = vectors * LANES;
        FloatVector z = FloatVector.zero(S);
        for (int i0 = 0; i0 < inChannels; i0 += CHANNEL_GROUP) {
            int i1 = Math.min(inChannels, i0 + CHANNEL_GROUP);
            boolean first = i0 == 0;
            for (int xv = 0; xv < vectors; xv++) {
                int x0 = xv * LANES;
                FloatVector a0 = first ? z : FloatVector.fromArray(S, row, 0 * rowStride + x0);
                FloatVector a1 = first ? z : FloatVector.fromArray(S, row, 1 * rowStride + x0);
                FloatVector a2 = first ? z : FloatVector.fromArray(S, row, 2 * rowStride + x0);
                FloatVector a3 = first ? z : FloatVector.fromArray(S, row, 3 * rowStride + x0);
                FloatVector a4 = first ? z : FloatVector.fromArray(S, row, 4 * rowStride + x0);
                FloatVector a5 = first ? z : FloatVector.fromArray(S, row, 5 * rowStride + x0);
                FloatVector a6 = first ? z : FloatVector.fromArray(S, row, 6 * rowStride + x0);
                FloatVector a7 = first ? z : FloatVector.fromArray(S, row, 7 * rowStride + x0);
                FloatVector a8 = first ? z : FloatVector.fromArray(S, row, 8 * rowStride + x0);
                FloatVector a9 = first ? z : FloatVector.fromArray(S, row, 9 * rowStride + x0);
                FloatVector a10 = first ? z : FloatVector.fromArray(S, row, 10 * rowStride + x0);
                FloatVector a11 = first ? z : FloatVector.fromArray(S, row, 11 * rowStride + x0);
                FloatVector a12 = first ? z : FloatVector.fromArray(S, row, 12 * rowStride + x0);
                FloatVector a13 = first ? z : FloatVector.fromArray(S, row, 13 * rowStride + x0);
                FloatVector a14 = first ? z : FloatVector.fromArray(S, row, 14 * rowStride + x0);
                FloatVector a15 = first ? z : FloatVector.fromArray(S, row, 15 * rowStride + x0);
                int wo = (b * inChannels + i0) * OUT_BLOCK;
                for (int i = i0; i < i1; i++) {
                    FloatVector v = FloatVector.fromArray(S, src, i * plane + rowStart + x0);
                    a0 = v.fma(FloatVector.broadcast(S, w[wo + 0]), a0);
                    a1 = v.fma(FloatVector.broadcast(S, w[wo + 1]), a1);
                    a2 = v.fma(FloatVector.broadcast(S, w[wo + 2]), a2);
                    a3 = v.fma(FloatVector.broadcast(S, w[wo + 3]), a3);
                    a4 = v.fma(FloatVector.broadcast(S, w[wo + 4]), a4);
                    a5 = v.fma(FloatVector.broadcast(S, w[wo + 5]), a5);
                    a6 = v.fma(FloatVector.broadcast(S, w[wo + 6]), a6);
                    a7 = v.fma(FloatVector.broadcast(S, w[wo + 7]), a7);
                    a8 = v.fma(FloatVector.broadcast(S, w[wo + 8]), a8);
                    a9 = v.fma(FloatVector.broadcast(S, w[wo + 9]), a9);
                    a10 = v.fma(FloatVector.broadcast(S, w[wo + 10]), a10);
                    a11 = v.fma(FloatVector.broadcast(S, w[wo + 11]), a11);
                    a12 = v.fma(FloatVector.broadcast(S, w[wo + 12]), a12);
                    a13 = v.fma(FloatVector.broadcast(S, w[wo + 13]), a13);
                    a14 = v.fma(FloatVector.broadcast(S, w[wo + 14]), a14);
                    a15 = v.fma(FloatVector.broadcast(S, w[wo + 15]), a15);
                    wo += OUT_BLOCK;
                }
                a0.intoArray(row, 0 * rowStride + x0);
                a1.intoArray(row, 1 * rowStride + x0);
                a2.intoArray(row, 2 * rowStride + x0);
                a3.intoArray(row, 3 * rowStride + x0);
                a4.intoArray(row, 4 * rowStride + x0);
                a5.intoArray(row, 5 * rowStride + x0);
                a6.intoArray(row, 6 * rowStride + x0);
                a7.intoArray(row, 7 * rowStride + x0);
                a8.intoArray(row, 8 * rowStride + x0);
                a9.intoArray(row, 9 * rowStride + x0);
                a10.intoArray(row, 10 * rowStride + x0);
                a11.intoArray(row, 11 * rowStride + x0);
                a12.intoArray(row, 12 * rowStride + x0);
                a13.intoArray(row, 13 * rowStride + x0);
                a14.intoArray(row, 14 * rowStride + x0);
                a15.intoArray(row, 15 * rowStride + x0);
            }
        }
    }

    /**
     * The block's epilogue for one row, in vectors (ELU's expm1 through the vector API: as a scalar call per output it
     * took longer than the convolution itself in layers with few input channels), then written into {@code out}
     * (CHW), cropped to the tensor's width.
     */
    private void epilogue(float[] row, int rowStride, int b, int y, int h, int w, float[] out) {
        for (int j = 0; j < OUT_BLOCK; j++) {
            int o = b * OUT_BLOCK + j;
            if (o >= outChannels) {
                return;
            }
            FloatVector bo = FloatVector.broadcast(S, bias[o]);
            FloatVector so = FloatVector.broadcast(S, scale[o]);
            FloatVector sh = FloatVector.broadcast(S, shift[o]);
            int src = j * rowStride;
            for (int x = 0; x < rowStride; x += LANES) {
                FloatVector v = FloatVector.fromArray(S, row, src + x).add(bo).fma(so, sh);
                if (elu) {
                    v = v.blend(v.lanewise(VectorOperators.EXPM1), v.compare(VectorOperators.LE, 0f));
                }
                v.intoArray(row, src + x);
            }
            System.arraycopy(row, src, out, (o * h + y) * w, w);
        }
    }
}
