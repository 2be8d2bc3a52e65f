package org.reconview.train;

import java.util.List;
import org.reconview.nn.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Small helpers around TensorFlow Java 1.1.0 for training: sessions with a fixed thread count, and conversions
 * between the project's CHW {@link Tensor}s and TensorFlow's NHWC batches. Only {@code org.reconview.train} uses
 * TensorFlow, so the viewer and eval never load its natives.
 */
public final class TfSupport {
    private TfSupport() {
    }

    /** A session whose intra- and inter-op thread pools have {@code threads} threads each (0 = TensorFlow's default). */
    public static Session session(Graph graph, int threads) {
        ConfigProto config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(threads)
                .build();
        return new Session(graph, config);
    }

    /** A batch of CHW tensors of one shape as an NHWC float tensor (caller closes it). */
    public static TFloat32 nhwc(List<Tensor> batch) {
        Tensor first = batch.get(0);
        int c = first.channels;
        int h = first.height;
        int w = first.width;
        float[] out = new float[batch.size() * c * h * w];
        for (int n = 0; n < batch.size(); n++) {
            Tensor t = batch.get(n);
            if (t.channels != c || t.height != h || t.width != w) {
                throw new IllegalArgumentException("batch mixes " + first + " and " + t);
            }
            int base = n * h * w * c;
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < h * w; p++) {
                    out[base + p * c + ch] = t.data[ch * h * w + p];
                }
            }
        }
        return TFloat32.tensorOf(Shape.of(batch.size(), h, w, c), DataBuffers.of(out, true, false));
    }

    /** Image {@code n} of an NHWC float tensor as a CHW tensor. */
    public static Tensor chw(TFloat32 nhwc, int n) {
        Shape s = nhwc.shape();
        if (s.numDimensions() != 4) {
            throw new IllegalArgumentException("not NHWC: " + s);
        }
        int h = (int) s.get(1);
        int w = (int) s.get(2);
        int c = (int) s.get(3);
        float[] all = floats(nhwc);
        Tensor out = new Tensor(c, h, w);
        int base = n * h * w * c;
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < h * w; p++) {
                out.data[ch * h * w + p] = all[base + p * c + ch];
            }
        }
        return out;
    }

    /** All values of a float tensor in row-major order. */
    public static float[] floats(TFloat32 t) {
        float[] out = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    /** A float tensor of the given shape from row-major values (caller closes it). */
    public static TFloat32 tensor(float[] values, long... shape) {
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
    }

    /** A float scalar (caller closes it). */
    public static TFloat32 scalar(float v) {
        return TFloat32.scalarOf(v);
    }
}
