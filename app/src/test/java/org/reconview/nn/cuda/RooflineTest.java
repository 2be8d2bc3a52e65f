package org.reconview.nn.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The host side of kernels/roofline.cu: parameter struct layouts, the MMA reference checksum (cross-checked against a
 * second, lane-by-lane reading of mma.cuh's fragment layout and against linearity in the iteration count), and, on an
 * NVIDIA GPU with -Dreconview.cuda=true, a full {@link Roofline#measure} and {@link CublasPeer#measure}.
 */
class RooflineTest {
    @Test
    void parameterStructs() {
        ByteBuffer mma = Roofline.mmaParams(0x1122334455667788L, 0xdeadbeef, 77).bytes();
        assertEquals(16, mma.remaining());
        mma.order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x1122334455667788L, mma.getLong(0));
        assertEquals(0xdeadbeef, mma.getInt(8));
        assertEquals(77, mma.getInt(12));
        ByteBuffer copy = Roofline.copyParams(16, 32, 5_000_000_000L).bytes().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(24, copy.remaining());
        assertEquals(16, copy.getLong(0));
        assertEquals(32, copy.getLong(8));
        assertEquals(5_000_000_000L, copy.getLong(16));
        assertThrows(IllegalArgumentException.class, () -> Roofline.mmaParams(0, 0, Roofline.MAX_ITERATIONS));
        assertThrows(IllegalArgumentException.class, () -> Roofline.mmaParams(0, 0, -1));
    }

    @Test
    void hashAndFragments() {
        // the int version against a long-and-mask version of the same steps
        assertEquals(lowbias32(1), Roofline.hash(1));
        assertEquals(0, Roofline.hash(0));
        for (int j = 0; j < 20; j++) {
            int w = Roofline.fragment(42, 3, 17, j);
            for (int i = 0; i < 4; i++) {
                int v = (byte) (w >>> (8 * i));
                assertTrue(v >= -8 && v <= 7, "byte " + v);
            }
        }
    }

    /** lowbias32 with longs and masks, independently of Roofline.hash's int arithmetic. */
    private static int lowbias32(long x) {
        x &= 0xffffffffL;
        x ^= x >>> 16;
        x = (x * 0x7feb352dL) & 0xffffffffL;
        x ^= x >>> 15;
        x = (x * 0x846ca68bL) & 0xffffffffL;
        x ^= x >>> 16;
        return (int) x;
    }

    /**
     * The reference rebuilt another way: each C element a lane holds is computed from the fragments of the lanes that
     * hold its row of A and column of B (PTX ISA's "which lane holds A[r][k]" mapping), never building A and B.
     */
    @Test
    void referenceAgreesWithALaneByLaneReading() {
        int seed = 0x0badf00d;
        for (int warp : new int[] {0, 1, 12345}) {
            int iterations = 3;
            int[] want = Roofline.mmaLaneChecksums(seed, warp, iterations);
            for (int lane = 0; lane < 32; lane++) {
                int g = lane >> 2;
                int t = lane & 3;
                int sum = 0;
                for (int c = 0; c < Roofline.CHAINS; c++) {
                    for (int r = 0; r < 4; r++) {
                        int row = g + (r >= 2 ? 8 : 0);
                        int col = 2 * t + (r & 1);
                        int dot = 0;
                        for (int k = 0; k < 32; k++) {
                            dot += aElement(seed, warp, row, k) * bElement(seed, warp, c, k, col);
                        }
                        sum += dot * iterations * (8 * row + col + 1);
                    }
                }
                assertEquals(sum, want[lane], "warp " + warp + " lane " + lane);
            }
        }
    }

    /** A[row][k]: held by lane 4 * (row % 8) + (k % 16) / 4, register (row >= 8 ? 1 : 0) + (k >= 16 ? 2 : 0). */
    private static int aElement(int seed, int warp, int row, int k) {
        int lane = 4 * (row % 8) + (k % 16) / 4;
        int reg = (row >= 8 ? 1 : 0) + (k >= 16 ? 2 : 0);
        return (byte) (Roofline.fragment(seed, warp, lane, reg) >>> (8 * (k % 4)));
    }

    /** B_c[k][col]: held by lane 4 * col + (k % 16) / 4, register b[k >= 16 ? 1 : 0] = fragment 4 + 2c (+1). */
    private static int bElement(int seed, int warp, int c, int k, int col) {
        int lane = 4 * col + (k % 16) / 4;
        int reg = 4 + 2 * c + (k >= 16 ? 1 : 0);
        return (byte) (Roofline.fragment(seed, warp, lane, reg) >>> (8 * (k % 4)));
    }

    @Test
    void checksumIsLinearInIterations() {
        int[] one = Roofline.mmaLaneChecksums(7, 99, 1);
        int[] many = Roofline.mmaLaneChecksums(7, 99, 1000);
        int[] none = Roofline.mmaLaneChecksums(7, 99, 0);
        for (int lane = 0; lane < 32; lane++) {
            assertEquals(one[lane] * 1000, many[lane]);
            assertEquals(0, none[lane]);
        }
        assertNotEquals(0, one[0] | one[31], "non-trivial data");
    }

    @Test
    void macCount() {
        // 2112 blocks of 8 warps, 16384 iterations of 8 m16n8k32 (4096 MACs) each
        assertEquals(2112L * 8 * 16384 * 8 * 4096, Roofline.mmaMacs(2112L * 8, 16384));
    }

    @Test
    void measuresOnTheGpu() {
        DriverDeviceTest.assumeCuda();
        try (DriverDevice d = DriverDevice.open()) {
            Roofline.Result r = Roofline.measure(d);
            assertTrue(r.int8Tops() > 1 && r.int8Tops() < 10_000, r.toString());
            assertTrue(r.copyGBps() > 10 && r.copyGBps() < 20_000, r.toString());
            System.out.println("roofline: " + r);
            CublasPeer.Result peer = CublasPeer.measure(d);
            System.out.println("cuBLAS peer: " + peer);
            if (peer.unavailable() == null) {
                for (CublasPeer.Timing t : peer.timings()) {
                    assertTrue(t.error() != null || t.ms() > 0, t.toString());
                }
            }
        }
    }
}
