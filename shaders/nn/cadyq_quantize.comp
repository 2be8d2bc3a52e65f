#version 450 core
// CADyQ: the float carrier src quantized once per candidate width (eq. 7, golden: ActivationQuant.code), codes as
// one int each, candidate k's at offset k * C * H * W, so the conv (cadyq_conv.comp) reads codes instead of
// quantizing every tap once per output-channel group.
#include "nn/tensor.glsl"
#include "nn/int4.glsl"
#define MAX_K 8
layout(local_size_x = 8, local_size_y = 8) in;
layout(std430, binding = 0) readonly buffer In { float src[]; };
layout(std430, binding = 1) writeonly buffer Codes { int codes[]; };
uniform int uChannels;
uniform int uHeight;
uniform int uWidth;
uniform int uCandidates;
uniform int uWidths[MAX_K];
uniform float uLo[MAX_K];
uniform float uHi[MAX_K];
uniform float uScale[MAX_K];
uniform int uZero[MAX_K];

void main() {
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    int c = int(gl_GlobalInvocationID.z);
    if (x >= uWidth || y >= uHeight || c >= uChannels) return;
    int i = AT(c, y, x, uHeight, uWidth);
    float v = src[i];
    int n = uChannels * uHeight * uWidth;
    for (int k = 0; k < uCandidates; k++) {
        int b = uWidths[k];
        codes[k * n + i] = quantize(v, uLo[k], uHi[k], uScale[k], uZero[k], -(1 << (b - 1)), (1 << (b - 1)) - 1);
    }
}
