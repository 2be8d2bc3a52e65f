#version 450 core
// A CADyQ conv of QW-Net's feature extractor (golden: org.reconview.nn.CadyqModel), stride 1, K x K taps:
// each output pixel belongs to a tile whose width b its selector chose (bits[], shaders/nn/cadyq_select.comp); all
// its taps, the halo in neighbouring tiles included, are the float carrier src quantized with the b-bit quantizer
// (eq. 7; lo, hi, s, z per candidate), padding taps the zero point z_b:
//   acc_o = sum_i u_i v_i                           int32, exact
//   y_o   = alpha_b,o * float(acc_o) + c_b,o        alpha_b = s_b s_w,o, c_b = b_o - alpha_b z_b sum u
// then ELU (uElu) into the float carrier dst, FP32 CHW. Weights are integer codes OIHW, one int each.
// uDebug writes the accumulators (OHW) for tests.
#include "nn/tensor.glsl"
#include "nn/int4.glsl"
#ifndef K
#define K 3
#endif
#define TAPS (K * K)
#define OUT_BLOCK 8
#define MAX_K 8
layout(local_size_x = 8, local_size_y = 8) in;
layout(std430, binding = 0) readonly buffer In { float src[]; };
layout(std430, binding = 1) readonly buffer Weights { int weights[]; };
layout(std430, binding = 2) readonly buffer Epilogue { float epilogue[]; };  // alpha[K][O], then c[K][O]
layout(std430, binding = 3) readonly buffer Bits { int bits[]; };
layout(std430, binding = 4) writeonly buffer Out { float dst[]; };
layout(std430, binding = 5) writeonly buffer Acc { int accOut[]; };
uniform int uInChannels;
uniform int uOutChannels;
uniform int uHeight;
uniform int uWidth;
uniform int uTile;            // tile side at this scale
uniform int uTilesX;
uniform int uCandidates;
uniform int uWidths[MAX_K];   // candidate widths, ascending
uniform float uLo[MAX_K];     // per candidate: the nudged range and step of eqs. 5-6, the zero point of eq. 7
uniform float uHi[MAX_K];
uniform float uScale[MAX_K];
uniform int uZero[MAX_K];
uniform bool uElu;
uniform bool uDebug;

void main() {
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    int o0 = int(gl_GlobalInvocationID.z) * OUT_BLOCK;
    if (x >= uWidth || y >= uHeight || o0 >= uOutChannels) return;
    int b = bits[(y / uTile) * uTilesX + x / uTile];
    int k = 0;
    for (int j = 0; j < uCandidates; j++) {
        if (uWidths[j] == b) k = j;
    }
    int codeMin = -(1 << (b - 1));
    int codeMax = (1 << (b - 1)) - 1;
    float lo = uLo[k];
    float hi = uHi[k];
    float s = uScale[k];
    int z = uZero[k];
    int acc[OUT_BLOCK];
    for (int j = 0; j < OUT_BLOCK; j++) acc[j] = 0;
    for (int c = 0; c < uInChannels; c++) {
        for (int t = 0; t < TAPS; t++) {
            int yy = y + t / K - K / 2;
            int xx = x + t % K - K / 2;
            int v = (yy < 0 || yy >= uHeight || xx < 0 || xx >= uWidth) ? z
                    : quantize(src[AT(c, yy, xx, uHeight, uWidth)], lo, hi, s, z, codeMin, codeMax);
            for (int j = 0; j < OUT_BLOCK; j++) {
                int o = min(o0 + j, uOutChannels - 1);
                acc[j] += weights[(o * uInChannels + c) * TAPS + t] * v;
            }
        }
    }
    for (int j = 0; j < OUT_BLOCK && o0 + j < uOutChannels; j++) {
        int o = o0 + j;
        int i = AT(o, y, x, uHeight, uWidth);
        precise float product = epilogue[k * uOutChannels + o] * float(acc[j]);
        precise float yv = product + epilogue[(uCandidates + k) * uOutChannels + o];
        dst[i] = uElu ? (yv > 0.0 ? yv : exp(yv) - 1.0) : yv;
        if (uDebug) accOut[i] = acc[j];
    }
}
