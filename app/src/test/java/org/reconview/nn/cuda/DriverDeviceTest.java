package org.reconview.nn.cuda;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwjgl.opengl.GL45C.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.gl.GlContext;

/**
 * {@link DriverDevice}, {@link CudaTimer} and {@link GlInterop} on an NVIDIA GPU: memory round trip, launches of the
 * roofline kernels with their results checked exactly, event timing, and a GL buffer written by a CUDA kernel and
 * read back with GL. Run with {@code -Dreconview.cuda=true} on an NVIDIA machine (scripts/gpu-check.sh); skipped with
 * the reason otherwise. {@link #medianOfTimes} needs no GPU.
 */
class DriverDeviceTest {
    /** Skips unless CUDA tests were asked for and the probe finds a usable device and kernels. */
    static void assumeCuda() {
        Assumptions.assumeTrue(Boolean.getBoolean("reconview.cuda"),
                "CUDA tests run with -Dreconview.cuda=true on an NVIDIA machine (scripts/gpu-check.sh)");
        CudaBackend.Availability a = CudaBackend.probe();
        Assumptions.assumeTrue(a.available(), () -> "CUDA unavailable: " + a.reason());
    }

    static ByteBuffer bytes(int n) {
        return ByteBuffer.allocateDirect(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void medianOfTimes() {
        assertEquals(2.0, CudaTimer.median(new double[] {3, 1, 2}));
        assertEquals(2.5, CudaTimer.median(new double[] {4, 1, 3, 2}));
        assertEquals(7.0, CudaTimer.median(new double[] {7}));
    }

    @Test
    void allocZeroesAndRoundTrips() {
        assumeCuda();
        try (DriverDevice d = DriverDevice.open()) {
            assertTrue(d.computeCapability() >= 75, d.description());
            long a = d.alloc(1000);
            assertEquals(0, a % 256, "cuMemAlloc alignment");
            ByteBuffer zeros = bytes(1000);
            zeros.put(0, (byte) 1);
            d.download(a, zeros);
            for (int i = 0; i < 1000; i++) {
                assertEquals(0, zeros.get(i), "alloc zeroes, byte " + i);
            }
            ByteBuffer data = bytes(1000);
            for (int i = 0; i < 1000; i++) {
                data.put(i, (byte) (i * 7 + 3));
            }
            d.upload(a, data);
            // a heap buffer, and an offset position, take the same path
            byte[] heap = new byte[600];
            ByteBuffer back = ByteBuffer.wrap(heap);
            back.position(100);
            d.download(a + 100, back);
            assertEquals(100, back.position(), "position left as it was");
            for (int i = 100; i < 600; i++) {
                assertEquals((byte) ((i) * 7 + 3), heap[i], "byte " + i);
            }
            d.free(a);
            assertThrows(IllegalArgumentException.class, () -> d.free(a));
        }
    }

    @Test
    void copyKernelCopies() {
        assumeCuda();
        try (DriverDevice d = DriverDevice.open()) {
            long words = 100_003;   // not a multiple of the block: the grid-stride loop's tail
            long src = d.alloc(words * 16);
            long dst = d.alloc(words * 16);
            Roofline.fillPattern(d, src, words * 16);
            d.launch("roofline_copy", new CudaDevice.Dim3(7, 1, 1), new CudaDevice.Dim3(256, 1, 1),
                    Roofline.copyParams(src, dst, words).bytes());
            ByteBuffer got = bytes((int) (words * 16));
            d.download(dst, got);
            for (int i = 0; i < words * 4; i++) {
                assertEquals(Roofline.pattern(i), got.getInt(i * 4), "word " + i);
            }
            // a struct of another size than the kernel's is refused before launch
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.launch("roofline_copy",
                    new CudaDevice.Dim3(1, 1, 1), new CudaDevice.Dim3(32, 1, 1),
                    new KernelParams().ptr(src).ptr(dst).bytes()));
            assertTrue(e.getMessage().contains("takes 24 bytes"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> d.launch("no_such_kernel", new CudaDevice.Dim3(1, 1, 1),
                    new CudaDevice.Dim3(32, 1, 1), new KernelParams().i32(0).bytes()));
        }
    }

    @Test
    void mmaChecksumsMatchTheJavaReference() {
        assumeCuda();
        try (DriverDevice d = DriverDevice.open()) {
            int blocks = 5;
            int warps = blocks * Roofline.THREADS / 32;
            int seed = 0x1234abcd;
            int iterations = 1000;
            long out = d.alloc(warps * 32 * 4L);
            d.launch("roofline_mma", new CudaDevice.Dim3(blocks, 1, 1), new CudaDevice.Dim3(Roofline.THREADS, 1, 1),
                    Roofline.mmaParams(out, seed, iterations).bytes());
            ByteBuffer got = bytes(warps * 32 * 4);
            d.download(out, got);
            for (int w = 0; w < warps; w++) {
                int[] want = Roofline.mmaLaneChecksums(seed, w, iterations);
                for (int lane = 0; lane < 32; lane++) {
                    assertEquals(want[lane], got.getInt((w * 32 + lane) * 4), "warp " + w + " lane " + lane);
                }
            }
        }
    }

    @Test
    void timerGivesPositiveTimes() {
        assumeCuda();
        try (DriverDevice d = DriverDevice.open(); CudaTimer timer = new CudaTimer(d)) {
            long out = d.alloc(64L * 8 * 32 * 4);
            ByteBuffer params = Roofline.mmaParams(out, 1, 2000).bytes();
            double ms = timer.medianMs(1, 3, () -> d.launch("roofline_mma", new CudaDevice.Dim3(64, 1, 1),
                    new CudaDevice.Dim3(Roofline.THREADS, 1, 1), params));
            assertTrue(ms > 0 && ms < 10_000, "median " + ms + " ms");
        }
    }

    @Test
    void glBufferWrittenByCudaReadsBackInGl() {
        assumeCuda();
        GlContext gl;
        try {
            gl = GlTest.context();
        } catch (RuntimeException | LinkageError e) {
            Assumptions.abort("no GL context: " + e.getMessage());
            return;
        }
        DriverDevice d;
        try {
            d = DriverDevice.open(true);
        } catch (IllegalStateException e) {
            Assumptions.abort(e.getMessage() + " (GL renderer: " + gl.renderer() + ")");
            return;
        }
        int n = 4096;   // bytes, 256 words of 16
        int src = glCreateBuffers();
        int dst = glCreateBuffers();
        try (d; GlInterop interop = new GlInterop(d)) {
            ByteBuffer data = bytes(n);
            for (int i = 0; i < n / 4; i++) {
                data.putInt(i * 4, Roofline.pattern(i));
            }
            glNamedBufferStorage(src, data, 0);
            glNamedBufferStorage(dst, n, 0);
            // GL wrote the buffers through the API here; after shader writes this barrier is what makes them visible
            glMemoryBarrier(GL_ALL_BARRIER_BITS);
            GlInterop.Buffer in = interop.register(src, GlInterop.Access.READ_ONLY);
            GlInterop.Buffer out = interop.register(dst, GlInterop.Access.WRITE_DISCARD);
            try (GlInterop.Mapping m = interop.map(in, out)) {
                assertEquals(n, m.size(in));
                assertEquals(n, m.size(out));
                d.launch("roofline_copy", new CudaDevice.Dim3(1, 1, 1), new CudaDevice.Dim3(256, 1, 1),
                        Roofline.copyParams(m.address(in), m.address(out), n / 16).bytes());
            }
            // the unmap orders GL after the copy
            ByteBuffer back = bytes(n);
            glGetNamedBufferSubData(dst, 0, back);
            for (int i = 0; i < n / 4; i++) {
                assertEquals(Roofline.pattern(i), back.getInt(i * 4), "word " + i);
            }
        } finally {
            glDeleteBuffers(src);
            glDeleteBuffers(dst);
        }
    }
}
