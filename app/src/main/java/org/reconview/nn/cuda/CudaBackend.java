package org.reconview.nn.cuda;

import static jcuda.driver.JCudaDriver.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jcuda.CudaException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * Whether the CUDA backend of QW-Net's INT4 feature extractor can run here: a probe through JCuda's driver API (JCuda
 * 12.6.0) that finds the NVIDIA driver ({@code libcuda.so.1}), a CUDA device, and loads the packaged kernels
 * ({@code kernels/*.cu}, built by {@code scripts/build-kernels.sh} into the jar's {@code kernels/}: a cubin for the
 * device's sm_XY if there is one, else the compute_75 PTX for the driver to JIT). It never throws: every failure is a
 * one-line reason for the fallback message.
 *
 * <p>JCuda's native library links against {@code libcuda.so.1}; without a driver its first use throws
 * {@link UnsatisfiedLinkError} and every later use {@link NoClassDefFoundError}. So the probe runs once, lazily, and
 * catches {@link LinkageError} as well as {@link CudaException}.
 *
 * <p>The runtime pieces: {@link DriverDevice} (device, primary context, stream, the same {@link KernelModules} loader,
 * and the GL context's CUDA device through {@code cuGLGetDevices}), {@link GlInterop} (GL buffers registered with
 * {@code cuGraphicsGLRegisterBuffer} and mapped each frame), {@link CudaTimer}, {@link Roofline} and {@link CublasPeer}
 * (what the GPU and cuBLAS reach, as yardsticks for the kernels).
 */
public final class CudaBackend {
    /** Usable, with the device's name, or not, with a one-line reason. */
    public record Availability(boolean available, String reason, String device) {
        static Availability yes(String device) {
            return new Availability(true, null, device);
        }

        static Availability no(String reason) {
            return new Availability(false, reason, null);
        }
    }

    private static Availability probed;

    private CudaBackend() {
    }

    /** The probe's result, computed on the first call (the driver can be loaded only once per JVM). */
    public static synchronized Availability probe() {
        if (probed == null) {
            probed = probeNow();
        }
        return probed;
    }

    /**
     * {@link #probe()} and a check that GL runs on an NVIDIA GPU too (the interop needs GL and CUDA on the same
     * device): {@code renderer} is GL_RENDERER of the context that would share buffers with CUDA.
     */
    public static Availability probe(String glRenderer) {
        Availability a = probe();
        if (!a.available()) {
            return a;
        }
        if (glRenderer == null || !glRenderer.toUpperCase(java.util.Locale.ROOT).contains("NVIDIA")) {
            return Availability.no("no NVIDIA GL context (renderer: " + glRenderer + ")");
        }
        return a;
    }

    /** One uncached probe (tests call it twice to check that the second, NoClassDefFoundError, case is caught). */
    static Availability probeNow() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            try {
                cuInit(0);
            } catch (CudaException e) {
                if (String.valueOf(e.getMessage()).contains("CUDA_ERROR_NO_DEVICE")) {
                    return Availability.no("no CUDA device");
                }
                return Availability.no("CUDA driver failed: " + oneLine(e));
            }
            int[] count = new int[1];
            cuDeviceGetCount(count);
            if (count[0] == 0) {
                return Availability.no("no CUDA device");
            }
            CUdevice device = new CUdevice();
            cuDeviceGet(device, 0);
            byte[] nameBytes = new byte[256];
            cuDeviceGetName(nameBytes, nameBytes.length, device);
            String name = new String(nameBytes, StandardCharsets.US_ASCII).trim().replace("\0", "");
            int[] major = new int[1];
            int[] minor = new int[1];
            cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
            cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
            String failure = loadKernels(device, major[0] * 10 + minor[0]);
            if (failure != null) {
                return Availability.no("kernel load failed: " + failure);
            }
            return Availability.yes(name + " (sm_" + major[0] + minor[0] + ")");
        } catch (LinkageError e) {
            return Availability.no(driverFound() ? "JCuda's native library failed to load: " + oneLine(e)
                    : "no NVIDIA driver (libcuda.so.1 not found)");
        } catch (CudaException e) {
            return Availability.no("CUDA driver failed: " + oneLine(e));
        }
    }

    /**
     * Loads every packaged kernel module into the device's primary context and unloads it again
     * ({@link KernelModules}, the loader {@link DriverDevice} uses too); null or the problem.
     */
    private static String loadKernels(CUdevice device, int sm) {
        CUcontext context = new CUcontext();
        cuDevicePrimaryCtxRetain(context, device);
        try {
            cuCtxPushCurrent(context);
            try (KernelModules modules = KernelModules.load(sm)) {
                return null;
            } catch (KernelModules.LoadException e) {
                return e.getMessage();
            } finally {
                cuCtxPopCurrent(new CUcontext());
            }
        } finally {
            cuDevicePrimaryCtxRelease(device);
        }
    }

    /** Whether libcuda.so.1 is in one of the places the dynamic loader usually finds the driver. */
    static boolean driverFound() {
        List<String> dirs = new ArrayList<>(List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
                "/usr/local/nvidia/lib64", "/usr/lib/wsl/lib"));
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(":")));
        }
        for (String d : dirs) {
            if (!d.isEmpty() && Files.exists(Path.of(d, "libcuda.so.1"))) {
                return true;
            }
        }
        return false;
    }

    /** The first line of the throwable's message (CudaException messages are the CUresult name). */
    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return (nl >= 0 ? m.substring(0, nl) : m).trim();
    }
}
