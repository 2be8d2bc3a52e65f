package org.reconview.nn.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.gl.GpuTensor;
import org.reconview.nn.gl.Int4Network;
import org.reconview.nn.gl.Int4Tensor;

/**
 * {@link CudaOffload} for machines without a GPU: the same {@link CudaInt4Extractor} on the CPU emulator of the
 * kernels, with the GL buffers copied through the host where CudaOffload maps them (GL interop needs a GPU). What it
 * checks is everything around the interop: Int4Network's hand-over of the input codes, the layers it skips, the
 * kernel tensors it gives the filter network.
 */
public final class EmulatedOffload implements Int4Network.Offload {
    private final CudaDevice device;
    private final CudaInt4Extractor extractor;
    private Int4Tensor input;
    private Map<String, GpuTensor> kernels = Map.of();
    private long inputAddress;

    public EmulatedOffload(CudaDevice device, QuantizedModel model) {
        this.device = device;
        this.extractor = new CudaInt4Extractor(model, device);
    }

    @Override
    public void allocate(int paddedHeight, int paddedWidth, Int4Tensor inputCodes, Map<String, GpuTensor> outputs) {
        extractor.allocate(paddedHeight, paddedWidth);
        if (inputAddress != 0) {
            device.free(inputAddress);
        }
        input = inputCodes;
        inputAddress = device.alloc(4L * inputCodes.words());
        kernels = new LinkedHashMap<>(outputs);
    }

    @Override
    public void run() {
        int[] words = Int4Tensor.pack(input.downloadCodes(), input.channels, input.height, input.width, input.bits);
        ByteBuffer b = ByteBuffer.allocateDirect(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(words);
        device.upload(inputAddress, b);
        extractor.run(inputAddress, Map.of());
        for (String name : extractor.floatOutputs()) {
            kernels.get(name).upload(extractor.floats(name));
        }
    }

    @Override
    public String description() {
        return device.description() + ", " + extractor.path().name().toLowerCase() + " MMA, host copies";
    }

    @Override
    public void close() {
        if (inputAddress != 0) {
            device.free(inputAddress);
        }
        extractor.close();
    }
}
