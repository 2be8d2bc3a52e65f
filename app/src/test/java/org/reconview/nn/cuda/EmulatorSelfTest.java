package org.reconview.nn.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reconview.nn.cuda.CudaDevice.Dim3;

/**
 * The CPU emulator (kernels/emu/, {@link EmulatedDevice}) against plain Java, with the self-test kernels of
 * kernels/emu/selftest.cu: the three MMA shapes' fragment layouts (those of kernels/mma.cuh, loaded by the kernels as
 * documented there) against a Java GEMM on sm_75 (where m16n8k32 is four m8n8k16), sm_80 and sm_90; shuffles and
 * votes against CUDA's documented lane permutations; a shared-memory reduction with barriers and every thread's
 * launch coordinates over 2D and 3D blocks and 3D grids; per-operation float rounding; and the launch errors the
 * emulator must report (a collective on a partial warp, deadlock, unknown kernel, parameter size, launch bound, a
 * crash). Also checks that selftest.cu compiles with nvcc, so it stays CUDA. Skipped where g++ is missing.
 */
class EmulatorSelfTest {
    static final List<Integer> ARCHS = List.of(750, 800, 900);
    private static final Map<Integer, EmulatedDevice> DEVICES = new ConcurrentHashMap<>();

    @TempDir
    Path tmp;

    static Path selftest() {
        return KernelBuildTest.root().resolve("kernels/emu/selftest.cu");
    }

    @BeforeAll
    static void buildOnce() {
        String why = KernelEmulator.unavailableReason();
        Assumptions.assumeTrue(why == null, why);
        KernelEmulator.buildAll(ARCHS, selftest());
    }

    @AfterAll
    static void closeAll() {
        DEVICES.values().forEach(EmulatedDevice::close);
        DEVICES.clear();
    }

    static EmulatedDevice device(int arch) {
        return DEVICES.computeIfAbsent(arch, a -> EmulatedDevice.open(a, selftest()));
    }

    // ---- helpers ----

    static long upload(CudaDevice d, int[] data) {
        long a = d.alloc(4L * data.length);
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(data);
        d.upload(a, b);
        return a;
    }

    static long upload(CudaDevice d, float[] data) {
        long a = d.alloc(4L * data.length);
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        d.upload(a, b);
        return a;
    }

    static int[] ints(CudaDevice d, long address, int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        d.download(address, b);
        int[] out = new int[n];
        b.asIntBuffer().get(out);
        return out;
    }

    static float[] floats(CudaDevice d, long address, int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        d.download(address, b);
        float[] out = new float[n];
        b.asFloatBuffer().get(out);
        return out;
    }

    static int[] random(Random r, int n, int lo, int hi) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + r.nextInt(hi - lo + 1);
        }
        return v;
    }

    // ---- MMA ----

    @ParameterizedTest(name = "sm_{0}")
    @ValueSource(ints = {750, 800, 900})
    void mmaFragmentsMatchJavaGemm(int arch) {
        CudaDevice d = device(arch);
        assertEquals(arch / 10, d.computeCapability());
        checkMma(d, "selftest_mma_m8n8k32_s4", 8, 8, 32, 4, 1);
        checkMma(d, "selftest_mma_m8n8k16_s8", 8, 8, 16, 8, 2);
        checkMma(d, "selftest_mma_m16n8k32_s8", 16, 8, 32, 8, 3);
    }

    /** Four problems (2 blocks of 2 warps) D = C + A B with random signed bits-wide A and B. */
    private static void checkMma(CudaDevice d, String kernel, int m, int n, int k, int bits, long seed) {
        int problems = 4;
        Random r = new Random(seed);
        int lo = -(1 << (bits - 1)), hi = (1 << (bits - 1)) - 1;
        int[] a = random(r, problems * m * k, lo, hi);
        int[] b = random(r, problems * k * n, lo, hi);
        int[] c = random(r, problems * m * n, -5000, 5000);
        long da = upload(d, a), db = upload(d, b), dc = upload(d, c), dd = d.alloc(4L * problems * m * n);
        d.launch(kernel, new Dim3(2, 1, 1), new Dim3(64, 1, 1),
                new KernelParams().ptr(da).ptr(db).ptr(dc).ptr(dd).bytes());
        int[] got = ints(d, dd, problems * m * n);
        int changed = 0;
        for (int p = 0; p < problems; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int want = c[(p * m + i) * n + j];
                    for (int x = 0; x < k; x++) {
                        want += a[(p * m + i) * k + x] * b[(p * k + x) * n + j];
                    }
                    int at = (p * m + i) * n + j;
                    assertEquals(want, got[at], kernel + " problem " + p + " D[" + i + "][" + j + "]");
                    changed += want != c[at] ? 1 : 0;
                }
            }
        }
        assertTrue(changed > problems * m * n / 2, kernel + ": the products were mostly zero; the test proves little");
        for (long ptr : new long[] {da, db, dc, dd}) {
            d.free(ptr);
        }
    }

    // ---- shuffles and votes ----

    @ParameterizedTest(name = "sm_{0}")
    @ValueSource(ints = {750, 900})
    void shufflesAndVotesFollowCuda(int arch) {
        CudaDevice d = device(arch);
        int threads = 128, cases = 15;
        int[] v = random(new Random(7), threads, -500, 500);
        long in = upload(d, v), out = d.alloc(4L * cases * threads), fout = d.alloc(4L * threads);
        d.launch("selftest_shuffle", new Dim3(2, 1, 1), new Dim3(64, 1, 1),
                new KernelParams().ptr(in).ptr(out).ptr(fout).bytes());
        int[] got = ints(d, out, cases * threads);
        float[] gotF = floats(d, fout, threads);
        for (int i = 0; i < threads; i++) {
            int lane = i & 31, w = i - lane;
            int[] want = {
                    v[w + idx(lane, lane * 5 + 3, 32)],
                    v[w + xor(lane, 1, 32)],
                    v[w + xor(lane, 18, 32)],
                    v[w + down(lane, 1, 32)],
                    v[w + down(lane, 5, 32)],
                    v[w + up(lane, 3, 32)],
                    v[w + idx(lane, 13, 8)],
                    v[w + xor(lane, 4, 8)],
                    v[w + down(lane, 3, 8)],
                    v[w + up(lane, 2, 16)],
                    v[w + 31 - lane] * 3,
                    ballot(v, w, x -> (x & 1) != 0),
                    ballot(v, w, x -> x % 7 == 0) != 0 ? 1 : 0,
                    ballot(v, w, x -> x > -1000000) == -1 ? 1 : 0,
                    sum(v, w),
            };
            for (int c = 0; c < cases; c++) {
                assertEquals(want[c], got[c * threads + i], "case " + c + " thread " + i);
            }
            int src = w + down(lane, 7, 32);
            assertEquals(v[src] * 0.5f + 0.25f, gotF[i], "float __shfl_down_sync, thread " + i);
        }
        // The butterfly sum and the votes are uniform across a warp yet differ between warps: lanes were not mixed up.
        assertNotEquals(got[14 * threads], got[14 * threads + 32]);
        for (long p : new long[] {in, out, fout}) {
            d.free(p);
        }
    }

    // CUDA's documented source lanes (CUDA C++ Programming Guide, warp shuffle functions), for non-negative operands.
    static int idx(int lane, int src, int width) {
        return lane / width * width + src % width;
    }

    static int xor(int lane, int mask, int width) {
        int j = lane ^ mask;
        return j / width > lane / width ? lane : j;  // later groups are out of reach
    }

    static int down(int lane, int delta, int width) {
        return lane % width + delta >= width ? lane : lane + delta;
    }

    static int up(int lane, int delta, int width) {
        return lane % width < delta ? lane : lane - delta;
    }

    static int ballot(int[] v, int warp, java.util.function.IntPredicate p) {
        int bits = 0;
        for (int l = 0; l < 32; l++) {
            bits |= p.test(v[warp + l]) ? 1 << l : 0;
        }
        return bits;
    }

    static int sum(int[] v, int warp) {
        int s = 0;
        for (int l = 0; l < 32; l++) {
            s += v[warp + l];
        }
        return s;
    }

    // ---- barriers, shared memory, coordinates ----

    @Test
    void blockReductionAndCoordinates() {
        CudaDevice d = device(900);
        checkReduce(d, new Dim3(3, 2, 2), new Dim3(16, 8, 1));
        checkReduce(d, new Dim3(2, 1, 3), new Dim3(8, 4, 4));
    }

    static void checkReduce(CudaDevice d, Dim3 grid, Dim3 block) {
        int n = block.x() * block.y() * block.z(), blocks = grid.x() * grid.y() * grid.z(), total = n * blocks;
        int[] v = random(new Random(n + blocks), total, -100000, 100000);
        long in = upload(d, v), sums = d.alloc(4L * blocks), coords = d.alloc(48L * total);
        d.launch("selftest_reduce", grid, block, new KernelParams().ptr(in).ptr(sums).ptr(coords).bytes());
        int[] gotSums = ints(d, sums, blocks);
        int[] gotCoords = ints(d, coords, 12 * total);
        for (int bl = 0; bl < blocks; bl++) {
            int want = 0;
            for (int t = 0; t < n; t++) {
                want += v[bl * n + t];
            }
            assertEquals(want, gotSums[bl], "sum of block " + bl + " of grid " + grid + ", block " + block);
            for (int t = 0; t < n; t++) {
                int[] c = {
                        t % block.x(), t / block.x() % block.y(), t / (block.x() * block.y()),
                        bl % grid.x(), bl / grid.x() % grid.y(), bl / (grid.x() * grid.y()),
                        block.x(), block.y(), block.z(), grid.x(), grid.y(), grid.z()};
                for (int j = 0; j < 12; j++) {
                    assertEquals(c[j], gotCoords[12 * (bl * n + t) + j], "coordinate " + j + " of thread " + t
                            + " of block " + bl);
                }
            }
        }
        for (long p : new long[] {in, sums, coords}) {
            d.free(p);
        }
    }

    // ---- float rounding ----

    @Test
    void floatArithmeticRoundsEachOperation() {
        CudaDevice d = device(800);
        int n = 1000;
        Random r = new Random(11);
        float[] a = new float[n], b = new float[n], c = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian() * 10;
            b[i] = (float) r.nextGaussian() * 10 + 0.1f;
            c[i] = (float) r.nextGaussian() * 100;
        }
        long da = upload(d, a), db = upload(d, b), dc = upload(d, c), out = d.alloc(8L * n);
        d.launch("selftest_float", new Dim3(4, 1, 1), new Dim3(256, 1, 1),
                new KernelParams().ptr(da).ptr(db).ptr(dc).ptr(out).i32(n).bytes());
        float[] got = floats(d, out, 2 * n);
        int fmaWouldDiffer = 0;
        for (int i = 0; i < n; i++) {
            float want = a[i] * b[i] + c[i];  // Java rounds every float operation
            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got[i]), "a*b+c at " + i);
            assertEquals(Float.floatToIntBits(a[i] / b[i]), Float.floatToIntBits(got[n + i]), "a/b at " + i);
            fmaWouldDiffer += Math.fma(a[i], b[i], c[i]) != want ? 1 : 0;
        }
        assertTrue(fmaWouldDiffer > 10, "the data would not notice an FMA contraction");
        for (long p : new long[] {da, db, dc, out}) {
            d.free(p);
        }
    }

    // ---- memory ----

    @Test
    void allocationsAreAlignedZeroedAndReused() {
        CudaDevice d = device(800);
        long a = d.alloc(1000), b = d.alloc(1);
        assertEquals(0, a % 256);
        assertEquals(0, b % 256);
        assertTrue(b >= a + 1000, "overlapping allocations");
        int[] junk = random(new Random(3), 250, 1, 1000);
        d.upload(a, ByteBuffer.wrap(new byte[0]));
        long c = upload(d, junk);
        d.free(c);
        long again = d.alloc(1000);
        assertEquals(c, again, "a freed block of the same size is reused");
        assertArrayEquals(new int[250], ints(d, again, 250), "reused memory is zeroed");
        for (long p : new long[] {a, b, again}) {
            d.free(p);
        }
        assertThrows(IllegalArgumentException.class, () -> d.free(a), "double free");
        assertThrows(IllegalArgumentException.class, () -> d.download(8, ByteBuffer.allocate(4)),
                "a download outside device memory");
    }

    // ---- errors ----

    @Test
    void launchErrorsNameTheKernelAndTheDeviceGoesOn() {
        CudaDevice d = device(750);
        long buf = d.alloc(4096);
        ByteBuffer one = new KernelParams().ptr(buf).bytes();

        var early = assertThrows(IllegalStateException.class,
                () -> d.launch("selftest_early_return", new Dim3(1, 1, 1), new Dim3(64, 1, 1), one));
        assertTrue(early.getMessage().startsWith("kernel selftest_early_return: "), early.getMessage());
        assertTrue(early.getMessage().contains("__shfl_xor_sync"), early.getMessage());
        assertTrue(early.getMessage().contains("lane 0) returned"), early.getMessage());

        ByteBuffer shuffle = new KernelParams().ptr(buf).ptr(buf).ptr(buf).bytes();
        var partial = assertThrows(IllegalStateException.class,
                () -> d.launch("selftest_shuffle", new Dim3(1, 1, 1), new Dim3(48, 1, 1), shuffle));
        assertTrue(partial.getMessage().startsWith("kernel selftest_shuffle: "), partial.getMessage());
        assertTrue(partial.getMessage().contains("only 16 lanes"), partial.getMessage());

        var deadlock = assertThrows(IllegalStateException.class,
                () -> d.launch("selftest_deadlock", new Dim3(1, 1, 1), new Dim3(64, 1, 1), one));
        assertTrue(deadlock.getMessage().startsWith("kernel selftest_deadlock: "), deadlock.getMessage());
        assertTrue(deadlock.getMessage().contains("deadlock"), deadlock.getMessage());
        assertTrue(deadlock.getMessage().contains("__syncthreads") && deadlock.getMessage().contains("__syncwarp"),
                deadlock.getMessage());

        var unknown = assertThrows(IllegalStateException.class,
                () -> d.launch("no_such_kernel", new Dim3(1, 1, 1), new Dim3(32, 1, 1), one));
        assertTrue(unknown.getMessage().startsWith("kernel no_such_kernel: unknown kernel"), unknown.getMessage());

        var size = assertThrows(IllegalStateException.class,
                () -> d.launch("selftest_shuffle", new Dim3(1, 1, 1), new Dim3(64, 1, 1), one));
        assertTrue(size.getMessage().contains("parameter struct of 8 bytes") && size.getMessage().contains("24"),
                size.getMessage());

        var bound = assertThrows(IllegalStateException.class,
                () -> d.launch("selftest_shuffle", new Dim3(1, 1, 1), new Dim3(256, 1, 1), shuffle));
        assertTrue(bound.getMessage().contains("launch bound of 128"), bound.getMessage());

        d.free(buf);
        checkReduce(d, new Dim3(2, 2, 1), new Dim3(32, 2, 1));  // the device still works
    }

    @Test
    void aCrashingKernelIsNamed() {
        try (EmulatedDevice d = EmulatedDevice.open(800, selftest())) {
            var crash = assertThrows(IllegalStateException.class, () -> d.launch("selftest_crash", new Dim3(1, 1, 1),
                    new Dim3(32, 1, 1), new KernelParams().ptr(8).bytes()));
            assertTrue(crash.getMessage().contains("SIGSEGV in kernel selftest_crash"), crash.getMessage());
            assertTrue(crash.getMessage().contains("thread (5,0,0)"), crash.getMessage());
            assertThrows(IllegalStateException.class, d::synchronize, "a dead device stays dead");
        }
    }

    // ---- one source for both ----

    @Test
    void selftestCompilesWithNvcc() throws Exception {
        Path nvcc = KernelBuildTest.nvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc not on PATH: selftest.cu cannot be compiled for the GPU here");
        Path kernels = KernelBuildTest.root().resolve("kernels");
        for (int sm : List.of(75, 90)) {
            Path out = tmp.resolve("selftest.sm_" + sm + ".cubin");
            KernelBuildTest.compile(nvcc, List.of("-cubin", "-arch=sm_" + sm, "-I", kernels.toString(), "-o",
                    out.toString(), selftest().toString()), out);
        }
    }
}
