#version 450 core
// Convolution of a CHW tensor, stride 1: K x K taps (K = 3 with zero padding, or 1), OIHW weights, then the epilogue
// y = (acc + bias[o]) * scale[o] + shift[o] (batch norm at inference; scale 1, shift 0 without it) and optionally ELU.
// Golden: org.reconview.nn.FloatOps.conv3x3 / conv1x1 (+ batchNorm, elu). Each invocation computes OUT_BLOCK output
// channels of one pixel, so every input value it loads serves OUT_BLOCK multiply-adds (register blocking).
#include "nn/tensor.glsl"
#ifndef K
#define K 3
#endif
#define OUT_BLOCK 8
layout(local_size_x = 8, local_size_y = 8) in;
layout(std430, binding = 0) readonly buffer In { float src[]; };
layout(std430, binding = 1) readonly buffer Weights { float weights[]; };
layout(std430, binding = 2) readonly buffer Epilogue { float epilogue[]; };   // bias[O], scale[O], shift[O]
layout(std430, binding = 3) writeonly buffer Out { float dst[]; };
uniform int uInChannels;
uniform int uOutChannels;
uniform int uHeight;
uniform int uWidth;
uniform bool uElu;

void main() {
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    int o0 = int(gl_GlobalInvocationID.z) * OUT_BLOCK;
    if (x >= uWidth || y >= uHeight || o0 >= uOutChannels) return;
    int taps = K * K;
    float acc[OUT_BLOCK];
    for (int j = 0; j < OUT_BLOCK; j++) acc[j] = 0.0;
    for (int i = 0; i < uInChannels; i++) {
        for (int t = 0; t < taps; t++) {
            int yy = y + t / K - K / 2;
            int xx = x + t % K - K / 2;
            if (yy < 0 || yy >= uHeight || xx < 0 || xx >= uWidth) continue;
            float v = src[AT(i, yy, xx, uHeight, uWidth)];
            for (int j = 0; j < OUT_BLOCK; j++) {
                int o = min(o0 + j, uOutChannels - 1);
                acc[j] += weights[(o * uInChannels + i) * taps + t] * v;
            }
        }
    }
    for (int j = 0; j < OUT_BLOCK && o0 + j < uOutChannels; j++) {
        int o = o0 + j;
        float v = (acc[j] + epilogue[o]) * epilogue[uOutChannels + o] + epilogue[2 * uOutChannels + o];
        if (uElu) v = v > 0.0 ? v : exp(v) - 1.0;
        dst[AT(o, y, x, uHeight, uWidth)] = v;
    }
}
