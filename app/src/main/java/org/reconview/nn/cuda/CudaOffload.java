package org.reconview.nn.cuda;

import static org.lwjgl.opengl.GL45C.GL_ALL_BARRIER_BITS;
import static org.lwjgl.opengl.GL45C.glMemoryBarrier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reconview.UserException;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.gl.GpuTensor;
import org.reconview.nn.gl.Int4Network;
import org.reconview.nn.gl.Int4Tensor;

/**
 * QW-Net's integer convs on CUDA inside the GL pipeline ({@code --backend cuda}): the {@link Int4Network.Offload} that
 * runs {@link CudaInt4Extractor} on the GPU of the current GL context, reading the GL buffer that the GLSL input
 * quantization wrote ({@code fe.input}'s codes) and writing the GL buffers of the kernel predictions that the GLSL
 * filter network reads, both mapped into CUDA each frame ({@link GlInterop}); no copy through the host. The feature
 * maps in between live in CUDA memory.
 * <p>
 * Ordering: GL's shader writes are made visible first (glMemoryBarrier), mapping orders the GL work issued before it
 * before the kernels on the device's stream, and unmapping orders them before the GL work issued after.
 */
public final class CudaOffload implements Int4Network.Offload {
    private final DriverDevice device;
    private final CudaInt4Extractor extractor;
    private GlInterop interop;
    private GlInterop.Buffer input;
    private final Map<String, GlInterop.Buffer> kernels = new LinkedHashMap<>();

    private CudaOffload(DriverDevice device, QuantizedModel model) {
        this.device = device;
        this.extractor = new CudaInt4Extractor(model, device);
    }

    /**
     * Opens CUDA on the GPU of the current GL context and uploads the model's weights. Where that cannot be done,
     * throws a {@link UserException} with the one-line reason.
     */
    public static CudaOffload open(QuantizedModel model) {
        DriverDevice device;
        try {
            device = DriverDevice.open(true);
        } catch (IllegalStateException e) {
            throw new UserException("--backend cuda: " + e.getMessage());
        }
        try {
            return new CudaOffload(device, model);
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /**
     * Whether the CUDA backend can run with the current GL context (of renderer {@code glRenderer}): the driver and
     * the packaged kernels ({@link CudaBackend#probe(String)}) and CUDA on the GL context's own GPU (cuGLGetDevices).
     * Never throws; a failure is the one-line reason.
     */
    public static CudaBackend.Availability availability(String glRenderer) {
        CudaBackend.Availability a = CudaBackend.probe(glRenderer);
        if (!a.available()) {
            return a;
        }
        try (DriverDevice d = DriverDevice.open(true)) {
            return CudaBackend.Availability.yes(d.description());
        } catch (IllegalStateException e) {
            return CudaBackend.Availability.no(e.getMessage());
        }
    }

    @Override
    public void allocate(int paddedHeight, int paddedWidth, Int4Tensor inputCodes, Map<String, GpuTensor> outputs) {
        if (interop != null) {
            interop.close();
        }
        kernels.clear();
        extractor.allocate(paddedHeight, paddedWidth);
        interop = new GlInterop(device);
        input = interop.register(inputCodes.buffer(), GlInterop.Access.READ_ONLY);
        for (String name : extractor.floatOutputs()) {
            GpuTensor t = outputs.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no GL tensor for " + name);
            }
            kernels.put(name, interop.register(t.buffer(), GlInterop.Access.WRITE_DISCARD));
        }
    }

    @Override
    public void run() {
        if (interop == null) {
            throw new IllegalStateException("allocate() first");
        }
        glMemoryBarrier(GL_ALL_BARRIER_BITS);
        List<GlInterop.Buffer> all = new ArrayList<>();
        all.add(input);
        all.addAll(kernels.values());
        try (GlInterop.Mapping m = interop.map(all.toArray(GlInterop.Buffer[]::new))) {
            Map<String, Long> out = new LinkedHashMap<>();
            kernels.forEach((name, b) -> out.put(name, m.address(b)));
            extractor.run(m.address(input), out);
        }
    }

    @Override
    public String description() {
        return "CUDA on " + device.description() + ", " + extractor.path().name().toLowerCase() + " MMA";
    }

    @Override
    public void close() {
        if (interop != null) {
            interop.close();
        }
        extractor.close();
        device.close();
    }
}
