package org.reconview.cli;

import java.io.PrintWriter;
import org.reconview.UserException;
import org.reconview.nn.cuda.Backend;
import org.reconview.nn.cuda.CudaBackend;
import org.reconview.nn.cuda.CudaOffload;
import picocli.CommandLine.Option;

/**
 * {@code --backend auto|cuda|glsl|cpu}: where QW-Net's INT4 feature extractor runs (a picocli mixin of {@code eval}
 * and {@code view}). {@code auto} takes CUDA where it can run and says once on stderr which it took and why; {@code cuda}
 * where it cannot run, and {@code cpu} (the golden model, for tests only), end with one line and exit code 2.
 */
final class BackendOption {
    @Option(names = "--backend", defaultValue = "auto", paramLabel = "<BACKEND>",
            completionCandidates = TypedOptions.Backends.class,
            description = "where QW-Net's INT4 feature extractor runs: ${COMPLETION-CANDIDATES} (default: "
                    + "${DEFAULT-VALUE}: CUDA if usable, else GLSL)")
    Backend backend;

    /** The option's value, checked before any work starts. */
    Backend requested() {
        Backend b = backend;
        if (b == Backend.CPU) {
            throw new UserException("--backend cpu: the CPU golden backend (QuantizedModel) is for tests only;"
                    + " use auto, cuda or glsl");
        }
        if (b == Backend.CUDA && !CudaBackend.probe().available()) {
            throw new UserException("--backend cuda: " + CudaBackend.probe().reason());
        }
        return b;
    }

    /**
     * The backend to use with the current GL context (of renderer {@code glRenderer}): CUDA where the driver, the
     * packaged kernels and a GL context on the same NVIDIA GPU are all there ({@link CudaOffload#availability}),
     * else GLSL. {@code err} receives auto's one line saying which, when {@code announce}.
     */
    Backend choose(String glRenderer, PrintWriter err, boolean announce) {
        Backend b = requested();
        if (b == Backend.GLSL) {
            return b;
        }
        CudaBackend.Availability a = CudaOffload.availability(glRenderer);
        if (b == Backend.CUDA) {
            if (!a.available()) {
                throw new UserException("--backend cuda: " + a.reason());
            }
            return b;
        }
        if (announce) {
            err.println(a.available() ? "qwnet: CUDA backend on " + a.device()
                    : "qwnet: CUDA backend unavailable (" + a.reason() + "); using GLSL");
            err.flush();
        }
        return a.available() ? Backend.CUDA : Backend.GLSL;
    }
}
