package org.reconview.nn.cuda;

import static jcuda.driver.JCudaDriver.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jcuda.CudaException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUmodule;
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
 * <p>What comes next (needs the GPU machine, issue 7): the runtime — the GL buffers that hold the inputs and feature
 * maps registered with {@code cuGraphicsGLRegisterBuffer} and mapped each frame, GL and CUDA work ordered, the same-GPU
 * check of the GL context through {@code cuGLGetDevices} (today only the renderer string is checked) — and a CUDA path
 * in the QW-Net reconstructor behind {@link Backend#CUDA}, tested against the golden model's integer results, plus the
 * tensor-core kernels (s4 MMA on sm_75-86, INT8 MMA on sm_89/90).
 */
public final class CudaBackend {
    /** The classpath folder of the compiled kernels and its index (one kernel name a line). */
    static final String KERNELS = "kernels/";
    static final String INDEX = KERNELS + "kernels.txt";

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

    /** Loads every packaged kernel module into the device's primary context and unloads it; null or the problem. */
    private static String loadKernels(CUdevice device, int sm) {
        List<String> names = kernelNames();
        if (names == null) {
            return "no CUDA kernels packaged (built without nvcc)";
        }
        CUcontext context = new CUcontext();
        cuDevicePrimaryCtxRetain(context, device);
        try {
            cuCtxPushCurrent(context);
            try {
                for (String name : names) {
                    byte[] image = resource(KERNELS + name + ".sm_" + sm + ".cubin");
                    if (image == null) {
                        byte[] ptx = resource(KERNELS + name + ".compute_75.ptx");
                        if (ptx == null) {
                            return name + ": neither sm_" + sm + " cubin nor PTX packaged";
                        }
                        image = java.util.Arrays.copyOf(ptx, ptx.length + 1);   // PTX is loaded NUL-terminated
                    }
                    CUmodule module = new CUmodule();
                    try {
                        cuModuleLoadData(module, image);
                    } catch (CudaException e) {
                        return name + ": " + oneLine(e);
                    }
                    cuModuleUnload(module);
                }
            } finally {
                cuCtxPopCurrent(new CUcontext());
            }
        } finally {
            cuDevicePrimaryCtxRelease(device);
        }
        return null;
    }

    /** The names in the packaged index, or null if there is none. */
    static List<String> kernelNames() {
        byte[] index = resource(INDEX);
        if (index == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String line : new String(index, StandardCharsets.UTF_8).split("\\R")) {
            if (!line.isBlank()) {
                names.add(line.trim());
            }
        }
        return names;
    }

    private static byte[] resource(String path) {
        try (InputStream in = CudaBackend.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
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

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return (nl >= 0 ? m.substring(0, nl) : m).trim();
    }
}
