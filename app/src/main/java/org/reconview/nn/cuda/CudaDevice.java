package org.reconview.nn.cuda;

import java.nio.ByteBuffer;

/**
 * A CUDA device as the INT4 feature extractor uses it: linear memory by address, copies, and launches of the kernels
 * of {@code kernels/*.cu}, each of which takes one struct parameter ({@code RV_KERNEL(NAME, PARAMS)} in
 * {@code kernels/cuda_compat.cuh}) whose bytes {@link KernelParams} lays out. Two implementations: {@link DriverDevice}
 * (JCuda's driver API on an NVIDIA GPU) and, in the tests, the CPU emulator of the same kernel sources, so the code
 * that plans and launches kernels runs unchanged on both.
 * <p>
 * Work is issued in order on one stream; {@link #download} and {@link #synchronize} wait for what came before.
 */
public interface CudaDevice extends AutoCloseable {
    /** Grid or block dimensions of a launch. */
    record Dim3(int x, int y, int z) {
        public Dim3 {
            if (x < 1 || y < 1 || z < 1) {
                throw new IllegalArgumentException("launch dimensions " + x + "x" + y + "x" + z);
            }
        }
    }

    /** Allocates {@code bytes} of device memory, zeroed and 256-byte aligned; returns its device address. */
    long alloc(long bytes);

    /** Frees what {@link #alloc} returned. */
    void free(long address);

    /** Copies {@code data}'s remaining bytes to {@code address} (the buffer's position is left as it was). */
    void upload(long address, ByteBuffer data);

    /** Copies {@code into.remaining()} bytes from {@code address} into {@code into} (position left as it was). */
    void download(long address, ByteBuffer into);

    /** Launches {@code kernel} with its one struct parameter's bytes ({@link KernelParams#bytes()}). */
    void launch(String kernel, Dim3 grid, Dim3 block, ByteBuffer params);

    /** Waits until all work issued so far has finished. */
    void synchronize();

    /** What runs the kernels, in words (device name and sm_XY, or the emulated architecture). */
    String description();

    /** The compute capability the kernels run as, e.g. 90 for sm_90 (the kernels choose their MMA path by it). */
    int computeCapability();

    @Override
    void close();
}
