package org.reconview.nn.gl;

import static org.lwjgl.opengl.GL45C.*;

import org.reconview.gl.BufferTexture;
import org.reconview.gl.StorageBuffer;
import org.reconview.nn.ActivationQuant;
import org.reconview.nn.QuantizedConv;

/**
 * One {@link QuantizedConv} on the GPU: its integer weights packed for {@code shaders/nn/int4_conv.comp} and its
 * epilogue alpha[O], c[O]. Weights of W bits (4 or 8) are packed 32 / W per uint32 along the input channels; for input
 * channel group g (of the input's A-bit packing, 32 / A channels), tap t and the k-th of the A / W... words covering
 * that group: word ((o * G + g) * K*K + t) * wordsPerGroup + k, lane i = input channel g * (32 / A) + k * (32 / W) + i.
 */
public final class Int4Conv implements AutoCloseable {
    final QuantizedConv conv;
    final int actBits;
    final int weightBits;
    final int weightBuffer;
    final BufferTexture weightTexture;   // int4_conv.comp reads the weights with texelFetch
    final StorageBuffer epilogue;

    public Int4Conv(QuantizedConv conv) {
        this.conv = conv;
        this.actBits = conv.input().bits();
        this.weightBits = conv.weights().bits();
        if ((actBits != 4 && actBits != 8) || (weightBits != 4 && weightBits != 8) || weightBits < actBits) {
            throw new IllegalArgumentException(conv.layer().name() + ": " + weightBits + "-bit weights on " + actBits
                    + "-bit codes are not supported");
        }
        this.weightBuffer = Int4Tensor.createBuffer(packWeights(conv.weights().codes(), conv.outChannels(),
                conv.inChannels(), conv.kernelSize(), actBits, weightBits));
        this.weightTexture = new BufferTexture(weightBuffer, GL_R32UI);
        float[] e = new float[2 * conv.outChannels()];
        System.arraycopy(conv.alpha(), 0, e, 0, conv.outChannels());
        System.arraycopy(conv.c(), 0, e, conv.outChannels(), conv.outChannels());
        this.epilogue = new StorageBuffer(e);
    }

    /** OIHW codes packed as described in the class comment. */
    public static int[] packWeights(int[] codes, int out, int in, int k, int actBits, int weightBits) {
        int aPer = 32 / actBits;
        int wPer = 32 / weightBits;
        int wWords = aPer / wPer;
        int taps = k * k;
        if (in % aPer != 0) {
            throw new IllegalArgumentException(in + " input channels do not pack " + aPer + " per word");
        }
        int groups = in / aPer;
        int mask = (1 << weightBits) - 1;
        int[] words = new int[out * groups * taps * wWords];
        for (int o = 0; o < out; o++) {
            for (int g = 0; g < groups; g++) {
                for (int t = 0; t < taps; t++) {
                    for (int kk = 0; kk < wWords; kk++) {
                        int word = 0;
                        for (int i = 0; i < wPer; i++) {
                            int c = g * aPer + kk * wPer + i;
                            word |= (codes[(o * in + c) * taps + t] & mask) << (i * weightBits);
                        }
                        words[((o * groups + g) * taps + t) * wWords + kk] = word;
                    }
                }
            }
        }
        return words;
    }

    /** A conv's input zero point in every lane of a packed word of its input's bits (GLSL and CUDA pad with it). */
    public static int padWord(QuantizedConv conv) {
        int bits = conv.input().bits();
        int z = conv.input().zeroPoint() & ((1 << bits) - 1);
        int w = 0;
        for (int i = 0; i < 32 / bits; i++) {
            w |= z << (i * bits);
        }
        return w;
    }

    ActivationQuant output() {
        return conv.output();
    }

    @Override
    public void close() {
        weightTexture.close();
        glDeleteBuffers(weightBuffer);
        epilogue.close();
    }
}
