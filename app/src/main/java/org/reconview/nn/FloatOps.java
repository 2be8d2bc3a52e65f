package org.reconview.nn;

/**
 * The FP32 operations of both networks in plain Java: the golden definitions that the GLSL passes
 * ({@code shaders/nn/}) and later the training graph must reproduce. Conventions, fixed here once:
 * <ul>
 *   <li>Convolutions are cross-correlations with OIHW weights, stride 1; 3x3 pads with zeros (as in every CNN
 *       framework); bias per output channel.</li>
 *   <li>Pooling and upsampling are by 2; sizes must be even where they pool (the network pads its input to a
 *       multiple of 2^levels and crops its output).</li>
 *   <li>Bilinear upsampling uses half-pixel centres with edge clamping (TensorFlow's
 *       {@code resize_bilinear(half_pixel_centers=True)}): output pixel i samples input position (i + 0.5) / 2 - 0.5.</li>
 *   <li>Image filtering (the filter network) reads the image with edge clamping, so borders are not darkened.</li>
 *   <li>Grayscale is Rec. 709 luma of the PQ-encoded RGB; its gradient magnitude uses central differences with edge
 *       clamping: sqrt(((g[x+1] - g[x-1]) / 2)^2 + ((g[y+1] - g[y-1]) / 2)^2). The paper does not say which
 *       gradient; this one is symmetric and cheap.</li>
 * </ul>
 */
public final class FloatOps {
    private FloatOps() {
    }

    /** 3x3 convolution, zero padding, OIHW weights ([out][in][3][3] flattened), bias per output channel. */
    public static Tensor conv3x3(Tensor in, float[] weights, float[] bias, int outChannels) {
        checkWeights(weights, outChannels, in.channels, 9);
        Tensor out = new Tensor(outChannels, in.height, in.width);
        int h = in.height;
        int w = in.width;
        for (int o = 0; o < outChannels; o++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sum = bias == null ? 0 : bias[o];
                    for (int i = 0; i < in.channels; i++) {
                        int wBase = (o * in.channels + i) * 9;
                        for (int ky = 0; ky < 3; ky++) {
                            int yy = y + ky - 1;
                            if (yy < 0 || yy >= h) {
                                continue;
                            }
                            for (int kx = 0; kx < 3; kx++) {
                                int xx = x + kx - 1;
                                if (xx < 0 || xx >= w) {
                                    continue;
                                }
                                sum += (double) weights[wBase + ky * 3 + kx] * in.data[(i * h + yy) * w + xx];
                            }
                        }
                    }
                    out.data[(o * h + y) * w + x] = (float) sum;
                }
            }
        }
        return out;
    }

    /** 1x1 convolution, OIHW weights ([out][in] flattened), bias per output channel. */
    public static Tensor conv1x1(Tensor in, float[] weights, float[] bias, int outChannels) {
        checkWeights(weights, outChannels, in.channels, 1);
        Tensor out = new Tensor(outChannels, in.height, in.width);
        int plane = in.plane();
        for (int o = 0; o < outChannels; o++) {
            for (int p = 0; p < plane; p++) {
                double sum = bias == null ? 0 : bias[o];
                for (int i = 0; i < in.channels; i++) {
                    sum += (double) weights[o * in.channels + i] * in.data[i * plane + p];
                }
                out.data[o * plane + p] = (float) sum;
            }
        }
        return out;
    }

    private static void checkWeights(float[] weights, int out, int in, int taps) {
        if (weights.length != out * in * taps) {
            throw new IllegalArgumentException("weights: " + weights.length + " values for " + out + "x" + in + "x"
                    + taps);
        }
    }

    /** ELU with alpha 1: x for x > 0, e^x - 1 otherwise. In place; returns its argument. */
    public static Tensor elu(Tensor t) {
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = elu(t.data[i]);
        }
        return t;
    }

    /** ELU of one value (alpha 1). */
    public static float elu(float v) {
        return v > 0 ? v : (float) Math.expm1(v);
    }

    /** Batch normalisation at inference: (x - mean) / sqrt(var + eps) * gamma + beta per channel. In place. */
    public static Tensor batchNorm(Tensor t, float[] gamma, float[] beta, float[] mean, float[] var, float eps) {
        int plane = t.plane();
        for (int c = 0; c < t.channels; c++) {
            double scale = gamma[c] / Math.sqrt(var[c] + eps);
            for (int p = 0; p < plane; p++) {
                int i = c * plane + p;
                t.data[i] = (float) ((t.data[i] - mean[c]) * scale + beta[c]);
            }
        }
        return t;
    }

    public static Tensor maxPool2(Tensor in) {
        return pool2(in, true);
    }

    public static Tensor avgPool2(Tensor in) {
        return pool2(in, false);
    }

    private static Tensor pool2(Tensor in, boolean max) {
        if (in.height % 2 != 0 || in.width % 2 != 0) {
            throw new IllegalArgumentException("pooling needs even sizes: " + in);
        }
        Tensor out = new Tensor(in.channels, in.height / 2, in.width / 2);
        for (int c = 0; c < in.channels; c++) {
            for (int y = 0; y < out.height; y++) {
                for (int x = 0; x < out.width; x++) {
                    float a = in.get(c, 2 * y, 2 * x);
                    float b = in.get(c, 2 * y, 2 * x + 1);
                    float d = in.get(c, 2 * y + 1, 2 * x);
                    float e = in.get(c, 2 * y + 1, 2 * x + 1);
                    out.set(c, y, x, max ? Math.max(Math.max(a, b), Math.max(d, e)) : ((a + b) + (d + e)) * 0.25f);
                }
            }
        }
        return out;
    }

    public static Tensor upsampleNearest2(Tensor in) {
        Tensor out = new Tensor(in.channels, in.height * 2, in.width * 2);
        for (int c = 0; c < in.channels; c++) {
            for (int y = 0; y < out.height; y++) {
                for (int x = 0; x < out.width; x++) {
                    out.set(c, y, x, in.get(c, y / 2, x / 2));
                }
            }
        }
        return out;
    }

    /** Bilinear upsampling by 2 with half-pixel centres and edge clamping. */
    public static Tensor upsampleBilinear2(Tensor in) {
        Tensor out = new Tensor(in.channels, in.height * 2, in.width * 2);
        for (int y = 0; y < out.height; y++) {
            float sy = (y + 0.5f) / 2f - 0.5f;
            int y0 = (int) Math.floor(sy);
            float fy = sy - y0;
            int ya = Math.max(0, y0);
            int yb = Math.min(in.height - 1, y0 + 1);
            for (int x = 0; x < out.width; x++) {
                float sx = (x + 0.5f) / 2f - 0.5f;
                int x0 = (int) Math.floor(sx);
                float fx = sx - x0;
                int xa = Math.max(0, x0);
                int xb = Math.min(in.width - 1, x0 + 1);
                for (int c = 0; c < in.channels; c++) {
                    float top = in.get(c, ya, xa) * (1 - fx) + in.get(c, ya, xb) * fx;
                    float bottom = in.get(c, yb, xa) * (1 - fx) + in.get(c, yb, xb) * fx;
                    out.set(c, y, x, top * (1 - fy) + bottom * fy);
                }
            }
        }
        return out;
    }

    public static Tensor concat(Tensor a, Tensor b) {
        if (a.height != b.height || a.width != b.width) {
            throw new IllegalArgumentException("concat of " + a + " and " + b);
        }
        Tensor out = new Tensor(a.channels + b.channels, a.height, a.width);
        System.arraycopy(a.data, 0, out.data, 0, a.data.length);
        System.arraycopy(b.data, 0, out.data, a.data.length, b.data.length);
        return out;
    }

    /** Rec. 709 luma of the first three channels, then its gradient magnitude (one channel). */
    public static Tensor gradientMagnitude(Tensor rgb) {
        Tensor d = lumaGradients(rgb);
        int plane = rgb.plane();
        Tensor out = new Tensor(1, rgb.height, rgb.width);
        for (int p = 0; p < plane; p++) {
            float gx = d.data[p];
            float gy = d.data[plane + p];
            out.data[p] = (float) Math.sqrt(gx * gx + gy * gy);
        }
        return out;
    }

    /**
     * d/dx and d/dy (two channels) of the Rec. 709 luma of the first three channels: central differences, halved,
     * clamped at the borders (a border pixel differences itself with its one neighbour). Shared by the gradient
     * magnitude of the feature extractor's input and CADyQ's tile statistics.
     */
    public static Tensor lumaGradients(Tensor rgb) {
        int h = rgb.height;
        int w = rgb.width;
        float[] g = new float[h * w];
        for (int p = 0; p < h * w; p++) {
            g[p] = 0.2126f * rgb.data[p] + 0.7152f * rgb.data[h * w + p] + 0.0722f * rgb.data[2 * h * w + p];
        }
        Tensor out = new Tensor(2, h, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.data[y * w + x] = (g[y * w + Math.min(w - 1, x + 1)] - g[y * w + Math.max(0, x - 1)]) * 0.5f;
                out.data[h * w + y * w + x] = (g[Math.min(h - 1, y + 1) * w + x] - g[Math.max(0, y - 1) * w + x])
                        * 0.5f;
            }
        }
        return out;
    }

    /** Softmax over all channels at each pixel (the kernel-prediction activation). In place. */
    public static Tensor softmaxChannels(Tensor t) {
        int plane = t.plane();
        for (int p = 0; p < plane; p++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < t.channels; c++) {
                max = Math.max(max, t.data[c * plane + p]);
            }
            double sum = 0;
            for (int c = 0; c < t.channels; c++) {
                sum += Math.exp(t.data[c * plane + p] - max);
            }
            for (int c = 0; c < t.channels; c++) {
                t.data[c * plane + p] = (float) (Math.exp(t.data[c * plane + p] - max) / sum);
            }
        }
        return t;
    }

    /**
     * Applies per-pixel 3x3 kernels to an image: out(p) = sum_k K[first + k](p) * img(p + offset_k), k over the 3x3
     * taps in row order, edge clamped. Every channel of the image uses the same kernel (one kernel set for R, G, B).
     */
    public static Tensor filter3x3(Tensor image, Tensor kernels, int first) {
        Tensor out = filter3x3Output(image, kernels, first);
        for (int y = 0; y < image.height; y++) {
            filter3x3Row(image, kernels, first, y, out);
        }
        return out;
    }

    /** {@link #filter3x3}'s output tensor, once its arguments are checked. */
    public static Tensor filter3x3Output(Tensor image, Tensor kernels, int first) {
        if (kernels.height != image.height || kernels.width != image.width || kernels.channels < first + 9) {
            throw new IllegalArgumentException("kernels " + kernels + " for " + image);
        }
        return new Tensor(image.channels, image.height, image.width);
    }

    /** Row y of {@link #filter3x3} into {@code out} (rows are independent: the CPU backend runs them in parallel). */
    public static void filter3x3Row(Tensor image, Tensor kernels, int first, int y, Tensor out) {
        int h = image.height;
        int w = image.width;
        for (int x = 0; x < w; x++) {
            for (int c = 0; c < image.channels; c++) {
                float sum = 0;
                for (int k = 0; k < 9; k++) {
                    int yy = Math.min(h - 1, Math.max(0, y + k / 3 - 1));
                    int xx = Math.min(w - 1, Math.max(0, x + k % 3 - 1));
                    sum += kernels.get(first + k, y, x) * image.get(c, yy, xx);
                }
                out.set(c, y, x, sum);
            }
        }
    }

    /** Element-wise sum of two tensors of one shape. */
    public static Tensor add(Tensor a, Tensor b) {
        if (a.data.length != b.data.length) {
            throw new IllegalArgumentException("add of " + a + " and " + b);
        }
        Tensor out = a.copy();
        for (int i = 0; i < out.data.length; i++) {
            out.data[i] += b.data[i];
        }
        return out;
    }

    /** a + weight(p) * b per pixel, the weight from one channel of a kernel tensor (the upsampling filter's skip). */
    public static Tensor addWeighted(Tensor a, Tensor b, Tensor kernels, int channel) {
        Tensor out = a.copy();
        int plane = a.plane();
        for (int c = 0; c < a.channels; c++) {
            for (int p = 0; p < plane; p++) {
                out.data[c * plane + p] += kernels.data[channel * plane + p] * b.data[c * plane + p];
            }
        }
        return out;
    }
}
