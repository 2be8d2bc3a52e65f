#version 450 core
// Quantizes an FP32 CHW tensor to packed codes of BITS bits (eq. 7, golden: org.reconview.nn.ActivationQuant.code),
// 32 / BITS channels per word (int4.glsl layout): QW-Net's 8-channel input fe.input to 8 bits. Channels beyond
// uChannels (a partial last group) get the zero point.
#include "nn/int4.glsl"
#ifndef BITS
#define BITS 8
#endif
#define PER (32 / BITS)
layout(local_size_x = 8, local_size_y = 8) in;
layout(std430, binding = 0) readonly buffer In { float src[]; };
layout(std430, binding = 1) writeonly buffer Out { uint dst[]; };
uniform int uChannels;
uniform int uHeight;
uniform int uWidth;
uniform float uLo;
uniform float uHi;
uniform float uScale;
uniform int uZero;

void main() {
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    int g = int(gl_GlobalInvocationID.z);
    if (x >= uWidth || y >= uHeight || g * PER >= uChannels) return;
    int codeMin = -(1 << (BITS - 1));
    uint word = 0u;
    for (int i = 0; i < PER; i++) {
        int c = g * PER + i;
        int code = c < uChannels
                ? quantize(src[AT(c, y, x, uHeight, uWidth)], uLo, uHi, uScale, uZero, codeMin, -codeMin - 1) : uZero;
        word |= packLane(code, i, BITS);
    }
    dst[AT(g, y, x, uHeight, uWidth)] = word;
}
