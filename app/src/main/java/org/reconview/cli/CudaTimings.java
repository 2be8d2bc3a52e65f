package org.reconview.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.reconview.UserException;
import org.reconview.gl.GlContext;
import org.reconview.gl.WindowSurface;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.Weights;
import org.reconview.nn.cuda.CublasPeer;
import org.reconview.nn.cuda.CudaBackend;
import org.reconview.nn.cuda.CudaInt4Extractor;
import org.reconview.nn.cuda.CudaOffload;
import org.reconview.nn.cuda.CudaTimer;
import org.reconview.nn.cuda.DriverDevice;
import org.reconview.nn.cuda.Roofline;
import org.reconview.nn.gl.GpuOps;
import org.reconview.nn.gl.Int4Network;

/**
 * {@code bench --what cuda} (issue 7's figures): at a size (1920x1080 unless --size says), on the NVIDIA GPU,
 * <ul>
 * <li>the roofline measured in the same run: INT8 tensor-core throughput (mma.sync m16n8k32) and copy bandwidth
 * ({@link Roofline});</li>
 * <li>the paper's Table 2 row: one 32->32 3x3 INT4 conv ({@code fe.dec0.conv1}, no fused pool), for each MMA path
 * (native s4, and s4 storage on s8 MMA), with its TOP/s (2 per MAC) and its minimum traffic (codes in and out,
 * weights) in GB/s against the roofs;</li>
 * <li>every conv of the feature extractor and kernel prediction, and their sum run as one;</li>
 * <li>the cuBLAS peer: the same layer as a GEMM (M = 1920 x 1080, N = 32, K = 288) in INT8 and FP16
 * ({@link CublasPeer});</li>
 * <li>where GL runs on the same GPU: the FP32 filter network (GLSL) alone and the full QW-Net frame (GLSL gradients
 * and input quantization, CUDA convs through GL interop, GLSL filter network), wall clock after glFinish.</li>
 * </ul>
 * CUDA work is timed with CUDA events (median of repetitions after a warm-up). Random weights: timing does not depend
 * on them.
 */
final class CudaTimings {
    private static final int WARMUP = 3;
    private static final int REPS = 20;

    private CudaTimings() {
    }

    static Map<String, Object> measure(int width, int height, PrintWriter out) {
        Map<String, Object> r = new LinkedHashMap<>();
        CudaBackend.Availability a = CudaBackend.probe();
        if (!a.available()) {
            throw new UserException("bench --what cuda: CUDA unavailable: " + a.reason());
        }
        int ph = padded(height);
        int pw = padded(width);
        r.put("size", width + "x" + height);
        r.put("padded", pw + "x" + ph);
        NetworkSpec spec = NetworkSpec.qwnet();
        QuantizedModel model = new QuantizedModel(spec, Weights.random(spec, 2));
        try (DriverDevice device = DriverDevice.open(); CudaTimer timer = new CudaTimer(device)) {
            r.put("device", device.description());
            Roofline.Result roof = Roofline.measure(device);
            r.put("int8_mma_tops", roof.int8Tops());
            r.put("copy_gbps", roof.copyGBps());
            out.printf(java.util.Locale.ROOT, "device %s; roofline: INT8 mma.sync %.1f TOP/s, copy %.0f GB/s%n", device.description(),
                    roof.int8Tops(), roof.copyGBps());
            long input = device.alloc(4L * 2 * ph * pw);
            ByteBuffer codes = ByteBuffer.allocateDirect(4 * 2 * ph * pw).order(ByteOrder.LITTLE_ENDIAN);
            Random rnd = new Random(7);
            while (codes.hasRemaining()) {
                codes.put((byte) (rnd.nextInt(64) - 32));
            }
            device.upload(input, codes.clear());
            for (CudaInt4Extractor.Int4Path path : CudaInt4Extractor.Int4Path.values()) {
                Map<String, Object> p = new LinkedHashMap<>();
                try (CudaInt4Extractor fe = new CudaInt4Extractor(model, device, path)) {
                    fe.allocate(ph, pw);
                    fe.run(input, Map.of());
                    out.printf(java.util.Locale.ROOT, "%n%s path (%s)%n%-26s %9s %9s %9s %9s%n", path, path == CudaInt4Extractor.Int4Path.S4
                            ? "native 4-bit MMA" : "4-bit storage, s8 MMA", "conv", "ms", "TOP/s", "% int8", "GB/s");
                    double sum = 0;
                    Map<String, Object> convs = new LinkedHashMap<>();
                    for (String conv : fe.convs()) {
                        double ms = timer.medianMs(WARMUP, REPS, () -> fe.runOne(conv, input));
                        LayerSpec l = spec.layer(conv);
                        double pixels = l.pixelFraction() * ph * pw;
                        double macs = l.weightCount() * pixels;
                        double tops = 2 * macs / (ms * 1e-3) / 1e12;
                        // codes in (at the input's bits), codes or FP32 kernels out
                        double bytes = pixels * (l.inChannels() * bytesPerValue(spec, l.inputs().get(0))
                                + l.outChannels() * bytesPerValue(spec, conv));
                        double gbps = bytes / (ms * 1e-3) / 1e9;
                        sum += ms;
                        convs.put(conv, Map.of("ms", ms, "tops", tops, "gbps_min_traffic", gbps));
                        out.printf(java.util.Locale.ROOT, "%-26s %9.4f %9.2f %8.1f%% %9.0f%s%n", conv, ms, tops,
                                100 * tops / roof.int8Tops(), gbps, conv.equals("fe.dec0.conv1")
                                ? "   <- Table 2 row (32->32 3x3)" : "");
                    }
                    double all = timer.medianMs(WARMUP, REPS, () -> fe.run(input, Map.of()));
                    out.printf(java.util.Locale.ROOT, "%-26s %9.4f (sum of the convs timed alone: %.4f)%n", "feature extractor + kernels",
                            all, sum);
                    p.put("convs", convs);
                    p.put("table2_conv_ms", ((Map<?, ?>) convs.get("fe.dec0.conv1")).get("ms"));
                    p.put("extractor_ms", all);
                }
                r.put(path.name().toLowerCase(), p);
            }
            device.free(input);
            CublasPeer.Result peer = CublasPeer.measure(device);
            out.println("\ncuBLAS peer (the 32->32 3x3 conv as a GEMM, M=" + CublasPeer.M + " N=" + CublasPeer.N
                    + " K=" + CublasPeer.K + "): " + peer);
            r.put("cublas", peer.toString());
        }
        r.put("frame", frame(model, pw, ph, out));
        return r;
    }

    /** A size rounded up to the networks' padding multiple. */
    private static int padded(int size) {
        return (size + GoldenModel.PAD_MULTIPLE - 1) / GoldenModel.PAD_MULTIPLE * GoldenModel.PAD_MULTIPLE;
    }

    /** Bytes a value of a tensor takes on the device: its code bits, or 4 for FP32. */
    private static double bytesPerValue(NetworkSpec spec, String tensor) {
        return spec.tensor(tensor).precision().bits() / 8.0;
    }

    /** The filter network and the full frame, with GL on the same GPU; or why not. */
    private static Object frame(QuantizedModel model, int pw, int ph, PrintWriter out) {
        try (GlContext gl = GlContext.hidden()) {
            CudaBackend.Availability a = CudaOffload.availability(gl.renderer());
            if (!a.available()) {
                out.println("full frame: not measured (" + a.reason() + ")");
                return "not measured: " + a.reason();
            }
            try (GpuOps ops = new GpuOps(); Int4Network net = new Int4Network(model, ops, CudaOffload.open(model))) {
                net.allocate(ph, pw);
                net.run();
                WindowSurface.finish();
                double filter = wallMs(net::runFilterNetwork);
                double frame = wallMs(net::run);
                out.printf(java.util.Locale.ROOT, "GLSL filter network %.3f ms; full QW-Net frame (GLSL + CUDA via GL interop) %.3f ms"
                        + " (%s, wall clock after glFinish)%n", filter, frame, gl.renderer());
                return Map.of("filter_network_ms", filter, "frame_ms", frame, "renderer", gl.renderer());
            }
        } catch (RuntimeException e) {
            out.println("full frame: not measured (" + e.getMessage() + ")");
            return "not measured: " + e.getMessage();
        }
    }

    private static double wallMs(Runnable work) {
        double[] t = new double[REPS];
        for (int i = 0; i < WARMUP; i++) {
            work.run();
        }
        WindowSurface.finish();
        for (int i = 0; i < REPS; i++) {
            long t0 = System.nanoTime();
            work.run();
            WindowSurface.finish();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(t);
        return t[REPS / 2];
    }
}
