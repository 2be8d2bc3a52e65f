#version 450 core
// Integer convolution of QW-Net's feature extractor (Thomas et al. 2020, section 5, Figure 4; golden:
// org.reconview.nn.QuantizedConv / IntegerConv), stride 1, K x K taps (K = 3 "same", or 1):
//   acc_o = sum_i u_i v_i                           int32; padding taps read the input zero point z
//   y_o   = alpha_o * float(acc_o) + c_o            section 5: alpha = s_x s_w,o, c_o = b_o - alpha_o z sum u
// then, OUT_FLOAT 0: ELU and re-quantization (eq. 7) to 4-bit codes packed 8 per word (int4.glsl layout);
//       OUT_FLOAT 1: y written as FP32 CHW (kernel prediction; softmax follows in pointwise.comp).
// Inputs: activation codes of A_BITS (8: the input conv; 4 elsewhere) packed A_PER per word, channel groups of A_PER;
// weights of W_BITS (8: input conv and kernel prediction; 4 elsewhere) packed W_PER per word along the input
// channels, word (o, g, t, k) at ((o * G + g) * K*K + t) * W_WORDS + k for input group g, tap t, and the k-th of the
// W_WORDS = A_PER / W_PER weight words that cover the group's A_PER channels.
// Each invocation computes OUT_BLOCK = 8 output channels (one packed output word) for PIX_BLOCK horizontally adjacent
// pixels: every input word it unpacks serves 8 output channels, every weight word it unpacks PIX_BLOCK pixels
// (register blocking). uDebug writes the int32 accumulators (OHW) for tests.
// Input words and weights are read with texelFetch from buffer textures (see conv.comp for why); SRC_SSBO reads the
// input as an SSBO instead, for tensors larger than GL_MAX_TEXTURE_BUFFER_SIZE.
#include "nn/int4.glsl"
#ifndef K
#define K 3
#endif
#ifndef A_BITS
#define A_BITS 4
#endif
#ifndef W_BITS
#define W_BITS 4
#endif
#ifndef OUT_FLOAT
#define OUT_FLOAT 0
#endif
#define OUT_BLOCK 8
#define PIX_BLOCK 4
#define A_PER (32 / A_BITS)
#define W_PER (32 / W_BITS)
#define W_WORDS (A_PER / W_PER)
#define TAPS (K * K)
layout(local_size_x = 8, local_size_y = 8) in;
#ifdef SRC_SSBO
layout(std430, binding = 0) readonly buffer In { uint src[]; };
#define SRC(i) src[i]
#else
layout(binding = 0) uniform usamplerBuffer uSrc;
#define SRC(i) texelFetch(uSrc, i).r
#endif
layout(binding = 1) uniform usamplerBuffer uWeights;
layout(std430, binding = 2) readonly buffer Epilogue { float epilogue[]; };   // alpha[O], c[O]
#if OUT_FLOAT
layout(std430, binding = 3) writeonly buffer Out { float dst[]; };
#else
layout(std430, binding = 3) writeonly buffer Out { uint dst[]; };
#endif
layout(std430, binding = 4) writeonly buffer Acc { int accOut[]; };
uniform int uInGroups;      // input channels / A_PER
uniform int uOutChannels;
uniform int uHeight;
uniform int uRowStart;   // first row of the band this dispatch computes (RowBand)
uniform int uWidth;
uniform int uPadWord;       // the input zero point in every lane (bits of a uint)
uniform bool uDebug;
uniform float uOutLo;       // output range (l_a, u_a, s, z) of eqs. 5-7
uniform float uOutHi;
uniform float uOutScale;
uniform int uOutZero;

void main() {
    int x0 = int(gl_GlobalInvocationID.x) * PIX_BLOCK;
    int y = uRowStart + int(gl_GlobalInvocationID.y);
    int o0 = int(gl_WorkGroupID.z) * OUT_BLOCK;
    if (x0 >= uWidth || y >= uHeight || o0 >= uOutChannels) return;
    int acc[OUT_BLOCK][PIX_BLOCK];
    for (int j = 0; j < OUT_BLOCK; j++) {
        for (int p = 0; p < PIX_BLOCK; p++) acc[j][p] = 0;
    }
    int wordsPerOut = uInGroups * TAPS * W_WORDS;
    for (int g = 0; g < uInGroups; g++) {
        for (int t = 0; t < TAPS; t++) {
            int yy = y + t / K - K / 2;
            bool rowInside = yy >= 0 && yy < uHeight;
            int v[PIX_BLOCK][A_PER];
            for (int p = 0; p < PIX_BLOCK; p++) {
                int xx = x0 + p + t % K - K / 2;
                uint word = (!rowInside || xx < 0 || xx >= uWidth) ? uint(uPadWord)
                        : SRC(AT(g, yy, xx, uHeight, uWidth));
                for (int i = 0; i < A_PER; i++) v[p][i] = lane(word, i, A_BITS);
            }
            int wBase = (g * TAPS + t) * W_WORDS;
            for (int j = 0; j < OUT_BLOCK; j++) {
                int base = min(o0 + j, uOutChannels - 1) * wordsPerOut + wBase;
                for (int k = 0; k < W_WORDS; k++) {
                    uint ww = texelFetch(uWeights, base + k).r;
                    int wv[W_PER];
                    for (int i = 0; i < W_PER; i++) wv[i] = lane(ww, i, W_BITS);
                    for (int p = 0; p < PIX_BLOCK; p++) {
                        int sum = 0;
                        for (int i = 0; i < W_PER; i++) sum += wv[i] * v[p][k * W_PER + i];
                        acc[j][p] += sum;
                    }
                }
            }
        }
    }
    for (int p = 0; p < PIX_BLOCK && x0 + p < uWidth; p++) {
        int x = x0 + p;
#if !OUT_FLOAT
        uint outWord = 0u;
#endif
        for (int j = 0; j < OUT_BLOCK && o0 + j < uOutChannels; j++) {
            int o = o0 + j;
            if (uDebug) accOut[AT(o, y, x, uHeight, uWidth)] = acc[j][p];
            precise float product = epilogue[o] * float(acc[j][p]);
            precise float v = product + epilogue[uOutChannels + o];
#if OUT_FLOAT
            dst[AT(o, y, x, uHeight, uWidth)] = v;
#else
            v = v > 0.0 ? v : exp(v) - 1.0;   // ELU
            outWord |= packLane(quantize(v, uOutLo, uOutHi, uOutScale, uOutZero, -8, 7), j, 4);
#endif
        }
#if !OUT_FLOAT
        dst[AT(o0 / OUT_BLOCK, y, x, uHeight, uWidth)] = outWord;
#endif
    }
}
