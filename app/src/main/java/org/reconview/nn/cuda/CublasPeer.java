package org.reconview.nn.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.cudaDataType;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasComputeType;
import jcuda.jcublas.cublasGemmAlgo;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.runtime.cudaStream_t;

/**
 * What cuBLAS does with the GEMM a 32->32 3x3 convolution at 1920x1080 is as implicit GEMM (M = 1920 * 1080 pixels,
 * N = 32 output channels, K = 3 * 3 * 32 = 288), as a peer figure for the feature extractor's own kernels: the time
 * of {@code cublasGemmEx} with INT8 inputs and INT32 output (CUBLAS_COMPUTE_32I) and with FP16 inputs and output
 * (FP32 and FP16 compute), on the {@link DriverDevice}'s primary context and stream.
 *
 * <p>Layout (cuBLAS is column-major): C (M x N, ldc = M) = op(A) B with A stored K x M (ldA = K: the 288 taps of each
 * pixel contiguous, as an im2col row) and transa = T, B stored K x N (ldB = K: each filter's taps contiguous),
 * transb = N. This is the "TN" form cuBLAS's INT8 path is built for; cuBLAS documents for CUBLAS_COMPUTE_32I with
 * CUDA_R_8I inputs: alpha and beta int32 (scale type CUDA_R_32I), 0 or 1, A and B 32-bit aligned, lda and ldb
 * multiples of 4; its Tensor Core kernels want 16-byte aligned pointers and leading dimensions and M, N, K multiples
 * of 16 (INT8) or 8 (FP16). All hold: cuMemAlloc is 256-byte aligned, 288 = 18 x 16, 32, and 2073600 = 129600 x 16.
 * A and B are filled with a non-zero constant (zeros would draw less power than real data and flatter the time).
 *
 * <p>JCuda's {@code JCublas2.cublasGemmEx} takes the pre-CUDA-11 compute type (a cudaDataType) and migrates it;
 * {@code cublasGemmEx_new} is the binding of today's C {@code cublasGemmEx} with a {@code cublasComputeType_t}, so
 * that is the one called here.
 *
 * <p>JCublas2's native library needs {@code libcublas.so.12} (the CUDA 12 toolkit's or the nvidia-cublas-cu12 wheel's,
 * on LD_LIBRARY_PATH): where it cannot load, {@link #measure} answers "unavailable: reason" instead of throwing.
 */
public final class CublasPeer {
    /** The convolution as GEMM. */
    public static final int M = 1920 * 1080;
    public static final int N = 32;
    public static final int K = 3 * 3 * 32;

    /** One variant's figure, or its one-line error. */
    public record Timing(String variant, double ms, double tops, String error) {
        @Override
        public String toString() {
            return error != null ? variant + ": failed: " + error
                    : String.format(java.util.Locale.ROOT, "%s: %.3f ms, %.1f TOPS", variant, ms, tops);
        }
    }

    /** The figures, or why cuBLAS could not run ({@code unavailable} non-null, {@code timings} empty). */
    public record Result(String unavailable, List<Timing> timings) {
        @Override
        public String toString() {
            return unavailable != null ? "unavailable: " + unavailable : timings.toString();
        }
    }

    private enum Variant {
        INT8("int8 x int8 -> int32 (CUBLAS_COMPUTE_32I)", cudaDataType.CUDA_R_8I, cudaDataType.CUDA_R_32I,
                cublasComputeType.CUBLAS_COMPUTE_32I, 1, 4),
        FP16_FP32("fp16 -> fp16, fp32 compute (CUBLAS_COMPUTE_32F)", cudaDataType.CUDA_R_16F, cudaDataType.CUDA_R_16F,
                cublasComputeType.CUBLAS_COMPUTE_32F, 2, 2),
        FP16_FP16("fp16 -> fp16, fp16 compute (CUBLAS_COMPUTE_16F)", cudaDataType.CUDA_R_16F, cudaDataType.CUDA_R_16F,
                cublasComputeType.CUBLAS_COMPUTE_16F, 2, 2);

        final String label;
        final int inType;
        final int outType;
        final int compute;
        final int inBytes;
        final int outBytes;

        Variant(String label, int inType, int outType, int compute, int inBytes, int outBytes) {
            this.label = label;
            this.inType = inType;
            this.outType = outType;
            this.compute = compute;
            this.inBytes = inBytes;
            this.outBytes = outBytes;
        }

        /** alpha = 1, beta = 0 in the scale type of the compute type: int32, float, or half (bits 0x3c00). */
        Pointer alpha() {
            return switch (this) {
                case INT8 -> Pointer.to(new int[] {1});
                case FP16_FP32 -> Pointer.to(new float[] {1f});
                case FP16_FP16 -> Pointer.to(new short[] {0x3c00});
            };
        }

        Pointer beta() {
            return switch (this) {
                case INT8 -> Pointer.to(new int[] {0});
                case FP16_FP32 -> Pointer.to(new float[] {0f});
                case FP16_FP16 -> Pointer.to(new short[] {0});
            };
        }
    }

    private CublasPeer() {
    }

    /** Times each variant (median of 7 after 2 warm-ups); never throws for a missing or failing cuBLAS. */
    public static Result measure(DriverDevice device) {
        cublasHandle handle = new cublasHandle();
        try {
            JCublas2.setExceptionsEnabled(true);
            device.makeCurrent();   // cuBLAS works in the context current at cublasCreate: the primary context
            JCublas2.cublasCreate(handle);
        } catch (LinkageError e) {
            // UnsatisfiedLinkError on the first try (libcublas.so.12 missing), NoClassDefFoundError after that
            return new Result(CudaBackend.oneLine(e), List.of());
        } catch (CudaException e) {
            return new Result("cublasCreate failed: " + CudaBackend.oneLine(e), List.of());
        }
        List<Timing> timings = new ArrayList<>();
        try (CudaTimer timer = new CudaTimer(device)) {
            JCublas2.cublasSetStream(handle, new cudaStream_t(device.stream()));
            for (Variant v : Variant.values()) {
                timings.add(time(device, timer, handle, v));
            }
        } catch (CudaException e) {
            return new Result("cublasSetStream failed: " + CudaBackend.oneLine(e), List.of());
        } finally {
            try {
                device.makeCurrent();
                JCublas2.cublasDestroy(handle);
            } catch (CudaException e) {
                // nothing left to do with a handle that will not go
            }
        }
        return new Result(null, List.copyOf(timings));
    }

    private static Timing time(DriverDevice device, CudaTimer timer, cublasHandle handle, Variant v) {
        long a = 0;
        long b = 0;
        long c = 0;
        try {
            a = device.alloc((long) K * M * v.inBytes);
            b = device.alloc((long) K * N * v.inBytes);
            c = device.alloc((long) M * N * v.outBytes);
            // int8 bytes 1, 2, 3, 1 / fp16 0.5 (0x3800) and 0.25 (0x3400): non-zero data, products far from overflow
            int fill = v == Variant.INT8 ? 0x01030201 : 0x34003800;
            device.fill32(a, fill, (long) K * M * v.inBytes / 4);
            device.fill32(b, fill, (long) K * N * v.inBytes / 4);
            Pointer pa = DevicePointer.at(a);
            Pointer pb = DevicePointer.at(b);
            Pointer pc = DevicePointer.at(c);
            Pointer alpha = v.alpha();
            Pointer beta = v.beta();
            double ms = timer.medianMs(2, 7, () -> {
                device.makeCurrent();
                JCublas2.cublasGemmEx_new(handle, cublasOperation.CUBLAS_OP_T, cublasOperation.CUBLAS_OP_N, M, N, K,
                        alpha, pa, v.inType, K, pb, v.inType, K, beta, pc, v.outType, M, v.compute,
                        cublasGemmAlgo.CUBLAS_GEMM_DEFAULT);
            });
            double tops = 2.0 * M * N * K / (ms * 1e-3) / 1e12;
            return new Timing(v.label, ms, tops, null);
        } catch (CudaException | IllegalStateException e) {
            return new Timing(v.label, Double.NaN, Double.NaN, CudaBackend.oneLine(e));
        } finally {
            for (long p : new long[] {a, b, c}) {
                if (p != 0) {
                    device.free(p);
                }
            }
        }
    }
}
