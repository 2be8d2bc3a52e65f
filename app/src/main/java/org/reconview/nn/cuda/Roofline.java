package org.reconview.nn.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

/**
 * What the GPU reaches with the two resources the feature extractor's kernels are bound by, measured with
 * {@code kernels/roofline.cu} on a {@link DriverDevice} and {@link CudaTimer}: INT8 tensor-core throughput through
 * {@code mma.sync} (the instruction the kernels use, which on Hopper reaches less than wgmma's peak) and memory
 * bandwidth of a plain copy. Both runs are checked (the MMA checksums of sampled warps against
 * {@link #mmaLaneChecksums}, sampled windows of the copy against its source) and throw if wrong, so no number comes
 * from a broken run. Prints nothing.
 *
 * <p>Conventions: TOPS counts a multiply-add as two operations (as NVIDIA's datasheets do); GB/s counts the bytes
 * read plus the bytes written, in 10^9 bytes.
 */
public final class Roofline {
    /** Independent accumulators per warp and threads per block, as in roofline.cu. */
    public static final int CHAINS = 8;
    public static final int THREADS = 256;
    /** Multiply-adds of one m16n8k32 MMA (per warp). */
    public static final long MACS_PER_MMA = 16L * 8 * 32;
    /** The kernel's accumulators cannot overflow below this many iterations (|A B| <= 32 * 64 = 2048 per element). */
    public static final int MAX_ITERATIONS = 1 << 20;

    /** The figures, and the work they came from. */
    public record Result(String device, double int8Tops, double mmaMs, long mmaMacs, double copyGBps, double copyMs,
            long copyBytes) {
    }

    private Roofline() {
    }

    /**
     * Measures on {@code device}: the MMA kernel over {@code max(1024, 16 x SMs)} blocks of 8 warps, 16384 iterations
     * (about 2 x 10^12 MACs on an H100: ~10-20 ms), and a 256 MiB copy; medians of 7 timed runs after 2 warm-ups.
     */
    public static Result measure(DriverDevice device) {
        return measure(device, Math.max(1024, 16 * device.multiprocessors()), 16384, 256L << 20);
    }

    static Result measure(DriverDevice device, int mmaBlocks, int iterations, long copyBytes) {
        try (CudaTimer timer = new CudaTimer(device)) {
            int seed = 0x5eed1234;
            int warps = mmaBlocks * (THREADS / 32);
            long out = device.alloc((long) warps * 32 * 4);
            double mmaMs;
            try {
                ByteBuffer params = mmaParams(out, seed, iterations).bytes();
                mmaMs = timer.medianMs(2, 7, () -> device.launch("roofline_mma", new CudaDevice.Dim3(mmaBlocks, 1, 1),
                        new CudaDevice.Dim3(THREADS, 1, 1), params));
                checkMma(device, out, seed, warps, iterations);
            } finally {
                device.free(out);
            }
            long macs = mmaMacs(warps, iterations);

            long words = copyBytes / 16;
            long src = device.alloc(words * 16);
            long dst = 0;
            double copyMs;
            try {
                dst = device.alloc(words * 16);
                fillPattern(device, src, words * 16);
                ByteBuffer params = copyParams(src, dst, words).bytes();
                int blocks = (int) Math.max(1, Math.min(8L * device.multiprocessors(), (words + THREADS - 1) / THREADS));
                copyMs = timer.medianMs(2, 7, () -> device.launch("roofline_copy", new CudaDevice.Dim3(blocks, 1, 1),
                        new CudaDevice.Dim3(THREADS, 1, 1), params));
                checkCopy(device, dst, words * 16);
            } finally {
                device.free(src);
                if (dst != 0) {
                    device.free(dst);
                }
            }
            long bytesMoved = 2 * words * 16;
            return new Result(device.description(), 2.0 * macs / (mmaMs * 1e-3) / 1e12, mmaMs, macs,
                    bytesMoved / (copyMs * 1e-3) / 1e9, copyMs, bytesMoved);
        }
    }

    /** Multiply-adds of one roofline_mma launch with {@code warps} warps. */
    public static long mmaMacs(long warps, int iterations) {
        return warps * iterations * CHAINS * MACS_PER_MMA;
    }

    /** RooflineMmaParams {uint32_t* out; uint32_t seed; int32_t iterations;} (16 bytes). */
    public static KernelParams mmaParams(long out, int seed, int iterations) {
        if (iterations < 0 || iterations >= MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations " + iterations + " (0 .. 2^20 - 1: no overflow)");
        }
        KernelParams p = new KernelParams().ptr(out).u32(seed).i32(iterations);
        check(p, 16);
        return p;
    }

    /** RooflineCopyParams {const uint4* src; uint4* dst; uint64_t words;} (24 bytes). */
    public static KernelParams copyParams(long src, long dst, long words) {
        KernelParams p = new KernelParams().ptr(src).ptr(dst).ptr(words);
        check(p, 24);
        return p;
    }

    private static void check(KernelParams p, int size) {
        if (p.size() != size) {
            throw new IllegalStateException("parameter struct of " + p.size() + " bytes, roofline.cu asserts " + size);
        }
    }

    /** lowbias32, roofline_hash in roofline.cu. */
    public static int hash(int x) {
        x ^= x >>> 16;
        x *= 0x7feb352d;
        x ^= x >>> 15;
        x *= 0x846ca68b;
        x ^= x >>> 16;
        return x;
    }

    /** roofline_fragment: register {@code j} of {@code lane} in {@code warp}, four signed bytes in [-8, 7]. */
    public static int fragment(int seed, int warp, int lane, int j) {
        int h = hash(seed ^ hash((warp * 32 + lane) * 32 + j));
        int word = 0;
        for (int i = 0; i < 4; i++) {
            int v = (((h >>> (8 * i)) & 15) - 8) & 0xff;
            word |= v << (8 * i);
        }
        return word;
    }

    /**
     * What the 32 lanes of {@code warp} write (out[warp * 32 + lane], uint32 bits): the matrices rebuilt from the
     * lanes' fragments with mma.cuh's m16n8k32 layout (g = lane / 4, t = lane % 4; element i of a register in its byte
     * i): A[g][4t+i] = a0, A[g+8][4t+i] = a1, A[g][16+4t+i] = a2, A[g+8][16+4t+i] = a3, B[4t+i][g] = b0,
     * B[16+4t+i][g] = b1; C = iterations * A B_c per chain c; lane sums acc * (8 row + col + 1) over chains and its
     * registers r (row g + 8 for r >= 2, col 2t + r % 2), wrapping.
     */
    public static int[] mmaLaneChecksums(int seed, int warp, int iterations) {
        int[][] a = new int[16][32];
        int[][][] b = new int[CHAINS][32][8];
        for (int lane = 0; lane < 32; lane++) {
            int g = lane >> 2;
            int t = lane & 3;
            int[] ar = new int[4];
            for (int r = 0; r < 4; r++) {
                ar[r] = fragment(seed, warp, lane, r);
            }
            for (int i = 0; i < 4; i++) {
                a[g][4 * t + i] = (byte) (ar[0] >>> (8 * i));
                a[g + 8][4 * t + i] = (byte) (ar[1] >>> (8 * i));
                a[g][16 + 4 * t + i] = (byte) (ar[2] >>> (8 * i));
                a[g + 8][16 + 4 * t + i] = (byte) (ar[3] >>> (8 * i));
            }
            for (int c = 0; c < CHAINS; c++) {
                int b0 = fragment(seed, warp, lane, 4 + 2 * c);
                int b1 = fragment(seed, warp, lane, 5 + 2 * c);
                for (int i = 0; i < 4; i++) {
                    b[c][4 * t + i][g] = (byte) (b0 >>> (8 * i));
                    b[c][16 + 4 * t + i][g] = (byte) (b1 >>> (8 * i));
                }
            }
        }
        int[] sums = new int[32];
        for (int lane = 0; lane < 32; lane++) {
            int g = lane >> 2;
            int t = lane & 3;
            int sum = 0;
            for (int c = 0; c < CHAINS; c++) {
                for (int r = 0; r < 4; r++) {
                    int row = g + (r >= 2 ? 8 : 0);
                    int col = 2 * t + (r & 1);
                    int dot = 0;
                    for (int k = 0; k < 32; k++) {
                        dot += a[row][k] * b[c][k][col];
                    }
                    sum += dot * iterations * (8 * row + col + 1);
                }
            }
            sums[lane] = sum;
        }
        return sums;
    }

    /** Compares sampled warps (the first, the last and 14 between) of a roofline_mma output with the reference. */
    static void checkMma(CudaDevice device, long out, int seed, int warps, int iterations) {
        int samples = Math.min(warps, 16);
        for (int s = 0; s < samples; s++) {
            int warp = samples == 1 ? 0 : (int) ((long) s * (warps - 1) / (samples - 1));
            ByteBuffer got = ByteBuffer.allocateDirect(32 * 4).order(ByteOrder.LITTLE_ENDIAN);
            device.download(out + (long) warp * 32 * 4, got);
            int[] want = mmaLaneChecksums(seed, warp, iterations);
            for (int lane = 0; lane < 32; lane++) {
                if (got.getInt(lane * 4) != want[lane]) {
                    throw new IllegalStateException("roofline_mma: warp " + warp + " lane " + lane + " wrote "
                            + Integer.toHexString(got.getInt(lane * 4)) + ", expected " + Integer.toHexString(want[lane]));
                }
            }
        }
    }

    /** The copy test data: 32-bit word i holds pattern(i). */
    static int pattern(long i) {
        return hash((int) i ^ 0x3c6ef372) + (int) (i >>> 32);
    }

    private static final int CHUNK = 16 << 20;

    static void fillPattern(CudaDevice device, long address, long bytes) {
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (long at = 0; at < bytes; at += CHUNK) {
            int n = (int) Math.min(CHUNK, bytes - at);
            IntBuffer ints = chunk.clear().asIntBuffer();
            long first = at / 4;
            for (int i = 0; i < n / 4; i++) {
                ints.put(i, pattern(first + i));
            }
            device.upload(address + at, chunk.limit(n));
        }
    }

    /** Compares windows of 1 MiB at the start, middle and end of the copy with the pattern. */
    static void checkCopy(CudaDevice device, long dst, long bytes) {
        int window = (int) Math.min(1 << 20, bytes);
        for (long at : new long[] {0, (bytes / 2) & ~15L, bytes - window}) {
            ByteBuffer got = ByteBuffer.allocateDirect(window).order(ByteOrder.LITTLE_ENDIAN);
            device.download(dst + at, got);
            for (int i = 0; i < window / 4; i++) {
                long word = at / 4 + i;
                if (got.getInt(i * 4) != pattern(word)) {
                    throw new IllegalStateException("roofline_copy: word " + word + " is "
                            + Integer.toHexString(got.getInt(i * 4)) + ", expected " + Integer.toHexString(pattern(word)));
                }
            }
        }
    }
}
