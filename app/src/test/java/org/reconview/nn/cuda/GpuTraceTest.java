package org.reconview.nn.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.QuantizedTestData;
import org.reconview.nn.Weights;

/**
 * Writes the traces that {@code scripts/gpu-check.sh} replays on an NVIDIA GPU with {@code kernels/replay/replay.cpp}
 * (no JDK there) into {@code app/target/gpu-traces/}, and checks them here with the replay's dry run:
 * <ul>
 * <li>{@code int4-s4.trace}, {@code int4-s8.trace}: QW-Net's extractor on the CPU emulator (sm_80 with native s4 MMA,
 * sm_90 with s8 MMA) on random weights and inputs, every stored tensor downloaded: the replay compares the GPU's
 * codes, accumulators and kernel predictions with the emulator's, which CudaInt4ExtractorTest checks against the
 * golden model;</li>
 * <li>{@code roofline.trace}: the roofline kernels on the emulator at a small size, results compared likewise;</li>
 * <li>{@code bench-1080p.trace}: recorded only: every conv and the whole extractor at 1920x1088 for both paths, and the
 * roofline at full size, as timed regions with their operation and byte counts.</li>
 * </ul>
 */
class GpuTraceTest {
    static Path traces() {
        return KernelBuildTest.root().resolve("app/target/gpu-traces");
    }

    @Test
    void extractorTraces() {
        for (CudaInt4Extractor.Int4Path path : CudaInt4Extractor.Int4Path.values()) {
            try (EmulatedDevice emulator = EmulatedDevice.open(path == CudaInt4Extractor.Int4Path.S4 ? 800 : 900)) {
                TracingDevice trace = new TracingDevice(emulator);
                int checks = traceExtractor(trace, path, 32, 64, 41);
                Path file = traces().resolve("int4-" + path.name().toLowerCase() + ".trace");
                long bytes = trace.write(file);
                String dry = dryRun(file);
                assertTrue(dry.contains(checks + " checks, 0 failed"), dry);
                assertFalse(dry.contains(" 0 pointers relocated"), dry);
                System.out.printf("%s: %d bytes, %d checks%n", file.getFileName(), bytes, checks);
            }
        }
    }

    /** Runs the extractor on {@code trace} and downloads every stored tensor with how to compare it. */
    static int traceExtractor(TracingDevice trace, CudaInt4Extractor.Int4Path path, int h, int w, long seed) {
        NetworkSpec spec = NetworkSpec.qwnet();
        QuantizedModel model = new QuantizedModel(spec, QuantizedTestData.weights(spec, seed));
        QuantizedModel.Result golden = model.runAll(QuantizedTestData.image(new Random(seed), h, w),
                QuantizedTestData.image(new Random(seed + 1), h, w));
        int checks = 0;
        try (CudaInt4Extractor fe = new CudaInt4Extractor(model, trace, path)) {
            fe.recordAccumulators(true);
            fe.allocate(h, w);
            long input = CudaInt4ExtractorTest.uploadInput(trace, golden, h, w);
            fe.run(input, Map.of());
            for (String t : fe.storedTensors()) {
                boolean floats = spec.tensor(t).range() == null;
                trace.expect(fe.address(t), floats ? TracingDevice.Check.FLOAT : TracingDevice.Check.CODES4);
                if (floats) {
                    fe.floats(t);
                } else {
                    fe.codes(t);
                }
                checks++;
            }
            for (String conv : fe.convs()) {
                trace.expect(fe.accumulatorAddress(conv), TracingDevice.Check.INT_NEAR);
                fe.accumulators(conv);
                checks++;
            }
            trace.free(input);
        }
        return checks;
    }

    @Test
    void rooflineTrace() {
        try (EmulatedDevice emulator = EmulatedDevice.open(800)) {
            TracingDevice trace = new TracingDevice(emulator);
            int seed = 0x1234;
            int iterations = 3;
            long out = trace.alloc(2 * Roofline.THREADS / 32 * 32 * 4L);
            trace.launch("roofline_mma", new CudaDevice.Dim3(2, 1, 1), new CudaDevice.Dim3(Roofline.THREADS, 1, 1),
                    Roofline.mmaParams(out, seed, iterations).bytes());
            ByteBuffer sums = ByteBuffer.allocateDirect(2 * Roofline.THREADS * 4).order(ByteOrder.LITTLE_ENDIAN);
            trace.download(out, sums);
            for (int warp = 0; warp < 2 * Roofline.THREADS / 32; warp++) {
                int[] expected = Roofline.mmaLaneChecksums(seed, warp, iterations);
                for (int lane = 0; lane < 32; lane++) {
                    assertEquals(expected[lane], sums.getInt((warp * 32 + lane) * 4), "warp " + warp + " lane " + lane
                            + ": roofline_mma on the emulator against the Java reference");
                }
            }
            long words = 1000;
            long src = trace.alloc(16 * words);
            long dst = trace.alloc(16 * words);
            ByteBuffer data = ByteBuffer.allocateDirect((int) (16 * words)).order(ByteOrder.LITTLE_ENDIAN);
            new Random(3).ints(4 * words).forEach(data::putInt);
            trace.upload(src, data.clear());
            trace.launch("roofline_copy", new CudaDevice.Dim3(3, 1, 1), new CudaDevice.Dim3(Roofline.THREADS, 1, 1),
                    Roofline.copyParams(src, dst, words).bytes());
            ByteBuffer copied = ByteBuffer.allocateDirect((int) (16 * words)).order(ByteOrder.LITTLE_ENDIAN);
            trace.download(dst, copied);
            assertEquals(data.clear(), copied, "roofline_copy on the emulator");
            Path file = traces().resolve("roofline.trace");
            trace.write(file);
            String dry = dryRun(file);
            assertTrue(dry.contains("2 checks, 0 failed"), dry);
        }
    }

    @Test
    void benchmarkTrace() {
        int h = 1088;
        int w = 1920;
        TracingDevice trace = new TracingDevice(90);
        NetworkSpec spec = NetworkSpec.qwnet();
        QuantizedModel model = new QuantizedModel(spec, Weights.random(spec, 2));
        long input = trace.alloc(4L * 2 * h * w);
        List<String> labels = new ArrayList<>();
        for (CudaInt4Extractor.Int4Path path : CudaInt4Extractor.Int4Path.values()) {
            try (CudaInt4Extractor fe = new CudaInt4Extractor(model, trace, path)) {
                fe.allocate(h, w);
                long allMacs = 0;
                for (String conv : fe.convs()) {
                    LayerSpec l = spec.layer(conv);
                    long macs = Math.round(l.weightCount() * l.pixelFraction() * h * w);
                    allMacs += macs;
                    String label = path + " " + conv + (conv.equals("fe.dec0.conv1") ? " (Table 2)" : "");
                    trace.timed(label, 20, 2 * macs, 0, () -> fe.runOne(conv, input));
                    labels.add(label);
                }
                trace.timed(path + " feature extractor + kernel prediction", 20, 2 * allMacs, 0,
                        () -> fe.run(input, Map.of()));
            }
        }
        int blocks = 132 * 16;
        long out = trace.alloc((long) blocks * Roofline.THREADS * 4);
        int iterations = 16384;
        trace.timed("roofline INT8 mma.sync m16n8k32", 7,
                2 * Roofline.mmaMacs((long) blocks * Roofline.THREADS / 32, iterations), 0,
                () -> trace.launch("roofline_mma", new CudaDevice.Dim3(blocks, 1, 1),
                        new CudaDevice.Dim3(Roofline.THREADS, 1, 1), Roofline.mmaParams(out, 7, iterations).bytes()));
        long words = (256L << 20) / 16;
        long src = trace.alloc(16 * words);
        long dst = trace.alloc(16 * words);
        trace.timed("roofline copy 256 MiB", 7, 0, 2 * 16 * words,
                () -> trace.launch("roofline_copy", new CudaDevice.Dim3(132 * 8, 1, 1),
                        new CudaDevice.Dim3(Roofline.THREADS, 1, 1), Roofline.copyParams(src, dst, words).bytes()));
        Path file = traces().resolve("bench-1080p.trace");
        long bytes = trace.write(file);
        String dry = dryRun(file);
        for (String label : labels) {
            assertTrue(dry.contains("time " + label), label + " in\n" + dry);
        }
        assertTrue(bytes < 8 << 20, "the benchmark trace carries weights, not feature maps: " + bytes + " bytes");
    }

    /** Compiles replay.cpp (once) and runs it with --dry-run on a trace; skipped without g++. */
    static String dryRun(Path trace) {
        Path replay = replayBinary();
        try {
            Path kernels = KernelBuildTest.root().resolve("app/target/classes/kernels");
            Assumptions.assumeTrue(Files.exists(kernels.resolve("kernels.txt")),
                    "no packaged kernels (built without nvcc): the replay has nothing to load");
            Process p = new ProcessBuilder(replay.toString(), "--dry-run", kernels.toString(), trace.toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), log);
            return log;
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static Path built;

    static synchronized Path replayBinary() {
        if (built != null) {
            return built;
        }
        Assumptions.assumeTrue(KernelEmulator.unavailableReason() == null, KernelEmulator.unavailableReason());
        Path src = KernelBuildTest.root().resolve("kernels/replay/replay.cpp");
        Path bin = KernelBuildTest.root().resolve("app/target/kernel-emu/replay");
        try {
            Files.createDirectories(bin.getParent());
            Process p = new ProcessBuilder("g++", "-O2", "-std=c++17", "-Wall", "-Werror", "-o", bin.toString(),
                    src.toString(), "-ldl").redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "g++ replay.cpp:\n" + log);
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        built = bin;
        return bin;
    }
}
