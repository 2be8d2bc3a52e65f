package org.reconview.nn.cuda;

import static jcuda.driver.JCudaDriver.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.CudaException;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * The packaged kernel modules ({@code kernels/*.cu}, built by {@code scripts/build-kernels.sh} into the jar's
 * {@code kernels/} with the index {@code kernels/kernels.txt}) loaded into the CUDA context current on the calling
 * thread: for each module the cubin of the device's sm_XY if there is one, else the compute_75 PTX for the driver to
 * JIT. The one loader of both {@link CudaBackend#probe()} (which loads and unloads, to learn whether the kernels run
 * here) and {@link DriverDevice} (which keeps them and looks kernels up by name).
 */
final class KernelModules implements AutoCloseable {
    /** The classpath folder of the compiled kernels and its index (one module name a line). */
    static final String KERNELS = "kernels/";
    static final String INDEX = KERNELS + "kernels.txt";

    /** Why the modules could not be loaded, in one line (the probe prefixes it with "kernel load failed: "). */
    static final class LoadException extends Exception {
        LoadException(String message) {
            super(message);
        }
    }

    private final List<String> names;
    private final List<CUmodule> modules;
    private final Map<String, Integer> paramSizes;
    private final Map<String, CUfunction> functions = new HashMap<>();

    private KernelModules(List<String> names, List<CUmodule> modules, Map<String, Integer> paramSizes) {
        this.names = names;
        this.modules = modules;
        this.paramSizes = paramSizes;
    }

    /**
     * Loads every packaged module for compute capability {@code sm} (e.g. 90) into the current context. On failure
     * the modules loaded so far are unloaded again.
     */
    static KernelModules load(int sm) throws LoadException {
        List<String> names = names();
        if (names == null) {
            throw new LoadException("no CUDA kernels packaged (built without nvcc)");
        }
        List<CUmodule> loaded = new ArrayList<>();
        Map<String, Integer> paramSizes = new HashMap<>();
        try {
            for (String name : names) {
                byte[] image = image(name, sm);
                if (image == null) {
                    throw new LoadException(name + ": neither sm_" + sm + " cubin nor PTX packaged");
                }
                CUmodule module = new CUmodule();
                try {
                    cuModuleLoadData(module, image);
                } catch (CudaException e) {
                    throw new LoadException(name + ": " + CudaBackend.oneLine(e));
                }
                loaded.add(module);
                paramSizes.putAll(KernelParamSizes.of(image));
            }
        } catch (LoadException | RuntimeException e) {
            unloadAll(loaded);
            throw e;
        }
        return new KernelModules(List.copyOf(names), loaded, paramSizes);
    }

    /** The module names in the packaged index, or null if there is none. */
    static List<String> names() {
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

    /** The image the driver loads for module {@code name} on sm_{@code sm}: the cubin, else NUL-terminated PTX. */
    static byte[] image(String name, int sm) {
        byte[] cubin = resource(KERNELS + name + ".sm_" + sm + ".cubin");
        if (cubin != null) {
            return cubin;
        }
        byte[] ptx = resource(KERNELS + name + ".compute_75.ptx");
        // cuModuleLoadData reads PTX as a C string: without the NUL it reads past the end of the array
        return ptx == null ? null : Arrays.copyOf(ptx, ptx.length + 1);
    }

    /**
     * The kernel {@code name} (an {@code extern "C"} entry point) from whichever module has it; looked up once and
     * cached. Throws {@link IllegalArgumentException} if no module has it.
     */
    CUfunction function(String name) {
        CUfunction f = functions.get(name);
        if (f != null) {
            return f;
        }
        for (CUmodule module : modules) {
            CUfunction candidate = new CUfunction();
            try {
                cuModuleGetFunction(candidate, module, name);
            } catch (CudaException e) {
                continue;   // CUDA_ERROR_NOT_FOUND: not in this module
            }
            functions.put(name, candidate);
            return candidate;
        }
        throw new IllegalArgumentException("no kernel '" + name + "' in the packaged modules " + names);
    }

    /** The bytes of {@code kernel}'s parameters as its image declares them, or null if the image does not say. */
    Integer paramSize(String kernel) {
        return paramSizes.get(kernel);
    }

    /** Unloads the modules (the context they were loaded into must be current). */
    @Override
    public void close() {
        functions.clear();
        unloadAll(modules);
    }

    private static void unloadAll(List<CUmodule> modules) {
        RuntimeException first = null;
        for (CUmodule m : modules) {
            try {
                cuModuleUnload(m);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        modules.clear();
        if (first != null) {
            throw first;
        }
    }

    private static byte[] resource(String path) {
        try (InputStream in = KernelModules.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
