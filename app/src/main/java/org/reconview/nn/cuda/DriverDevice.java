package org.reconview.nn.cuda;

import static jcuda.driver.JCudaDriver.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUGLDeviceList;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;

/**
 * A {@link CudaDevice} on an NVIDIA GPU through JCuda's driver API (JCuda 12.6.0): the device's primary context (the
 * one the CUDA runtime, and so cuBLAS, uses too), one stream all work goes to, and every packaged kernel module
 * ({@link KernelModules}, the loader of {@link CudaBackend#probe()}).
 *
 * <p>Each call makes the primary context current on the calling thread first (cuCtxSetCurrent is a thread-local
 * store), so the device can be used from the GL thread or a benchmark thread alike, one thread at a time. Every CUDA
 * failure becomes an {@link IllegalStateException} with one line: the call and the CUresult name.
 *
 * <p>The stream is created with {@code CU_STREAM_DEFAULT}: a stream of its own that still orders against the legacy
 * NULL stream, so work someone issues there (a library's synchronous call) cannot overlap ours unseen.
 */
public final class DriverDevice implements CudaDevice {
    private final CUdevice device;
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final String description;
    private final int computeCapability;
    private final int multiprocessors;
    private final Map<Long, CUdeviceptr> allocations = new LinkedHashMap<>();
    private KernelModules modules;
    private boolean contextRetained;
    private boolean streamCreated;
    private boolean closed;

    /**
     * Opens device 0 (for benchmarks and tests without GL), or, with {@code sameDeviceAsGl}, the CUDA device that runs
     * the GL context current on this thread (cuGLGetDevices): the one whose buffers {@link GlInterop} can map.
     * Throws {@link IllegalStateException} with one line where CUDA is unavailable ({@link CudaBackend#probe()}'s
     * reason) or the GL context is not on an NVIDIA GPU ("no NVIDIA GL context: ...").
     */
    public static DriverDevice open(boolean sameDeviceAsGl) {
        CudaBackend.Availability a = CudaBackend.probe();
        if (!a.available()) {
            throw new IllegalStateException("CUDA unavailable: " + a.reason());
        }
        return new DriverDevice(sameDeviceAsGl);
    }

    /** Device 0, no GL needed. */
    public static DriverDevice open() {
        return open(false);
    }

    private DriverDevice(boolean sameDeviceAsGl) {
        try {
            cuInit(0);
            device = sameDeviceAsGl ? glDevice() : device0();
            byte[] nameBytes = new byte[256];
            cuDeviceGetName(nameBytes, nameBytes.length, device);
            String name = new String(nameBytes, StandardCharsets.US_ASCII).replace("\0", "").trim();
            int major = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
            int minor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            computeCapability = major * 10 + minor;
            multiprocessors = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
            description = name + " (sm_" + computeCapability + ")";
            cuDevicePrimaryCtxRetain(context, device);
            contextRetained = true;
            cuCtxSetCurrent(context);
            cuStreamCreate(stream, CUstream_flags.CU_STREAM_DEFAULT);
            streamCreated = true;
            try {
                modules = KernelModules.load(computeCapability);
            } catch (KernelModules.LoadException e) {
                throw new IllegalStateException("kernel load failed: " + e.getMessage());
            }
        } catch (CudaException e) {
            releaseQuietly();
            throw new IllegalStateException("CUDA driver failed while opening the device: " + CudaBackend.oneLine(e));
        } catch (RuntimeException e) {
            releaseQuietly();
            throw e;
        }
    }

    private static CUdevice device0() {
        CUdevice d = new CUdevice();
        cuDeviceGet(d, 0);
        return d;
    }

    /** The first CUDA device of the current GL context, or a one-line failure. */
    private static CUdevice glDevice() {
        int[] count = new int[1];
        cuDeviceGetCount(count);
        CUdevice[] devices = new CUdevice[Math.max(1, count[0])];
        int[] found = new int[1];
        try {
            // CUDA_ERROR_NO_DEVICE when the context runs on no CUDA device (llvmpipe, another vendor), an
            // INVALID_CONTEXT-like error when no GL context is current
            cuGLGetDevices(found, devices, devices.length, CUGLDeviceList.CU_GL_DEVICE_LIST_ALL);
        } catch (CudaException e) {
            throw new IllegalStateException("no NVIDIA GL context (cuGLGetDevices: " + CudaBackend.oneLine(e) + ")");
        }
        if (found[0] == 0 || devices[0] == null) {
            throw new IllegalStateException("no NVIDIA GL context (cuGLGetDevices found no CUDA device)");
        }
        return devices[0];
    }

    private int attribute(int attribute) {
        int[] v = new int[1];
        cuDeviceGetAttribute(v, attribute, device);
        return v[0];
    }

    /** Makes the primary context current on this thread; every entry point calls it first. */
    void makeCurrent() {
        if (closed) {
            throw new IllegalStateException("CUDA device closed");
        }
        cuCtxSetCurrent(context);
    }

    /** The stream all of this device's work goes to (for {@link CudaTimer}, {@link GlInterop}, {@link CublasPeer}). */
    CUstream stream() {
        return stream;
    }

    /** The number of streaming multiprocessors (to size grid-stride launches). */
    public int multiprocessors() {
        return multiprocessors;
    }

    @Override
    public long alloc(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("allocation of " + bytes + " bytes");
        }
        return call("cuMemAlloc(" + bytes + ")", () -> {
            makeCurrent();
            DevicePointer p = new DevicePointer();
            cuMemAlloc(p, bytes);   // cuMemAlloc memory is aligned for any kind of variable: 256 bytes in practice
            allocations.put(p.address(), p);
            cuMemsetD8Async(p, (byte) 0, bytes, stream);
            return p.address();
        });
    }

    @Override
    public void free(long address) {
        CUdeviceptr p = allocations.get(address);
        if (p == null) {
            throw new IllegalArgumentException("0x" + Long.toHexString(address) + " was not allocated by this device");
        }
        call("cuMemFree", () -> {
            makeCurrent();
            // work still queued on the stream may use the memory: let it finish before the memory goes back
            cuStreamSynchronize(stream);
            cuMemFree(p);
            allocations.remove(address);
            return null;
        });
    }

    @Override
    public void upload(long address, ByteBuffer data) {
        long n = data.remaining();
        if (n == 0) {
            return;
        }
        ByteBuffer host = direct(data);
        call("cuMemcpyHtoDAsync(" + n + " bytes)", () -> {
            makeCurrent();
            // from pageable memory (a direct ByteBuffer is malloc'ed, not pinned) the driver has taken the bytes into
            // its staging memory when the call returns, so the caller may reuse its buffer at once
            cuMemcpyHtoDAsync(DevicePointer.at(address), Pointer.to(host), n, stream);
            return null;
        });
    }

    @Override
    public void download(long address, ByteBuffer into) {
        int n = into.remaining();
        if (n == 0) {
            return;
        }
        ByteBuffer host = into.isDirect() ? into.slice() : ByteBuffer.allocateDirect(n);
        call("cuMemcpyDtoHAsync(" + n + " bytes)", () -> {
            makeCurrent();
            cuMemcpyDtoHAsync(Pointer.to(host), DevicePointer.at(address), n, stream);
            cuStreamSynchronize(stream);   // the bytes are the caller's on return
            return null;
        });
        if (!into.isDirect()) {
            into.duplicate().put(host);
        }
    }

    @Override
    public void launch(String kernel, Dim3 grid, Dim3 block, ByteBuffer params) {
        int n = params.remaining();
        if (n == 0 || n % 4 != 0 || n > 4096) {
            throw new IllegalArgumentException(kernel + ": parameter struct of " + n
                    + " bytes (KernelParams gives a non-empty multiple of 4, at most 4 KB)");
        }
        // exactly the caller's bytes, in memory JCuda hands to the driver as they are (a direct buffer at offset 0):
        // the driver copies the kernel's parameter size from this address when cuLaunchKernel is called
        ByteBuffer struct = ByteBuffer.allocateDirect(n).put(params.duplicate()).flip();
        call("cuLaunchKernel(" + kernel + ")", () -> {
            makeCurrent();
            CUfunction f = modules.function(kernel);
            Integer expected = modules.paramSize(kernel);
            if (expected != null && expected != n) {
                throw new IllegalArgumentException(kernel + " takes " + expected + " bytes of parameters, the caller gave "
                        + n + " (KernelParams and the kernel's struct differ)");
            }
            cuLaunchKernel(f, grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(), 0, stream,
                    Pointer.to(Pointer.to(struct)), null);
            return null;
        });
    }

    /** Fills {@code words} 32-bit words at {@code address} with {@code value} (on the stream; for test data). */
    public void fill32(long address, int value, long words) {
        call("cuMemsetD32Async", () -> {
            makeCurrent();
            cuMemsetD32Async(DevicePointer.at(address), value, words, stream);
            return null;
        });
    }

    @Override
    public void synchronize() {
        call("cuStreamSynchronize", () -> {
            makeCurrent();
            cuStreamSynchronize(stream);
            return null;
        });
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int computeCapability() {
        return computeCapability;
    }

    /**
     * Waits for the stream, frees every allocation still held, unloads the modules, destroys the stream and releases
     * the primary context. {@link GlInterop} and {@link CublasPeer} sessions on this device are closed before it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        call("close", () -> {
            cuCtxSetCurrent(context);
            try {
                cuStreamSynchronize(stream);
                for (CUdeviceptr p : allocations.values()) {
                    cuMemFree(p);
                }
                allocations.clear();
            } finally {
                releaseQuietly();
            }
            return null;
        });
    }

    /** Unloads, destroys and releases what was acquired, keeping the first failure for close() to report. */
    private void releaseQuietly() {
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        if (modules != null) {
            try {
                modules.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
            modules = null;
        }
        if (streamCreated) {
            try {
                cuStreamDestroy(stream);
            } catch (RuntimeException e) {
                failures.add(e);
            }
            streamCreated = false;
        }
        if (contextRetained) {
            try {
                cuDevicePrimaryCtxRelease(device);
            } catch (RuntimeException e) {
                failures.add(e);
            }
            contextRetained = false;
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** {@code data}'s remaining bytes as a direct buffer (itself, sliced, when it is direct already). */
    private static ByteBuffer direct(ByteBuffer data) {
        if (data.isDirect()) {
            return data.slice();
        }
        return ByteBuffer.allocateDirect(data.remaining()).put(data.duplicate()).flip();
    }

    interface CudaCall<T> {
        T run();
    }

    /** Runs a driver call, turning a CudaException into an IllegalStateException of one line. */
    static <T> T call(String what, CudaCall<T> body) {
        try {
            return body.run();
        } catch (CudaException e) {
            throw new IllegalStateException(what + " failed: " + CudaBackend.oneLine(e));
        }
    }
}
