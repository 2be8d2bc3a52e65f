#version 450 core
// A CADyQ conv of QW-Net's feature extractor (golden: org.reconview.nn.CadyqModel), stride 1, K x K taps:
// each output pixel belongs to a tile whose width b its selector chose (bits[], shaders/nn/cadyq_select.comp); all
// its taps, the halo in neighbouring tiles included, are the codes of the b-bit quantizer (cadyq_quantize.comp wrote
// each candidate's codes of the float carrier), padding taps the zero point z_b:
//   acc_o = sum_i u_i v_i                           int32, exact
//   y_o   = alpha_b,o * float(acc_o) + c_b,o        alpha_b = s_b s_w,o, c_b = b_o - alpha_b z_b sum u
// then ELU (uElu) into the float carrier dst, FP32 CHW. Weights are integer codes OIHW, one int each. Each
// invocation computes OUT_BLOCK output channels for PIX_BLOCK horizontally adjacent pixels (each with its own tile's
// width: at the bottleneck a tile is 2 pixels wide), so each weight read serves PIX_BLOCK pixels.
// uDebug writes the accumulators (OHW) for tests. Codes and weights are read with texelFetch from buffer textures
// (see conv.comp for why); SRC_SSBO reads the codes as an SSBO instead, when they exceed GL_MAX_TEXTURE_BUFFER_SIZE.
#include "nn/tensor.glsl"
#ifndef K
#define K 3
#endif
#define TAPS (K * K)
#define OUT_BLOCK 8
#define PIX_BLOCK 4
#define MAX_K 8
layout(local_size_x = 8, local_size_y = 8) in;
// candidate k's codes at k * C * H * W
#ifdef SRC_SSBO
layout(std430, binding = 0) readonly buffer In { int codes[]; };
#define CODE(i) codes[i]
#else
layout(binding = 0) uniform isamplerBuffer uCodes;
#define CODE(i) texelFetch(uCodes, i).r
#endif
layout(binding = 1) uniform isamplerBuffer uWeights;
layout(std430, binding = 2) readonly buffer Epilogue { float epilogue[]; };  // alpha[K][O], then c[K][O]
layout(std430, binding = 3) readonly buffer Bits { int bits[]; };
layout(std430, binding = 4) writeonly buffer Out { float dst[]; };
layout(std430, binding = 5) writeonly buffer Acc { int accOut[]; };
uniform int uInChannels;
uniform int uOutChannels;
uniform int uHeight;
uniform int uRowStart;   // first row of the band this dispatch computes (RowBand)
uniform int uWidth;
uniform int uTile;            // tile side at this scale
uniform int uTilesX;
uniform int uCandidates;
uniform int uWidths[MAX_K];   // candidate widths, ascending
uniform int uZero[MAX_K];     // per candidate: the zero point of eq. 7 (the padding code)
uniform bool uElu;
uniform bool uDebug;

void main() {
    int x0 = int(gl_GlobalInvocationID.x) * PIX_BLOCK;
    int y = uRowStart + int(gl_GlobalInvocationID.y);
    int o0 = int(gl_WorkGroupID.z) * OUT_BLOCK;
    if (x0 >= uWidth || y >= uHeight || o0 >= uOutChannels) return;
    int n = uInChannels * uHeight * uWidth;
    int kOf[PIX_BLOCK];
    for (int p = 0; p < PIX_BLOCK; p++) {
        int x = min(x0 + p, uWidth - 1);
        int b = bits[(y / uTile) * uTilesX + x / uTile];
        int k = 0;
        for (int j = 0; j < uCandidates; j++) {
            if (uWidths[j] == b) k = j;
        }
        kOf[p] = k;
    }
    int acc[OUT_BLOCK][PIX_BLOCK];
    for (int j = 0; j < OUT_BLOCK; j++) {
        for (int p = 0; p < PIX_BLOCK; p++) acc[j][p] = 0;
    }
    for (int c = 0; c < uInChannels; c++) {
        for (int t = 0; t < TAPS; t++) {
            int yy = y + t / K - K / 2;
            bool rowInside = yy >= 0 && yy < uHeight;
            int v[PIX_BLOCK];
            for (int p = 0; p < PIX_BLOCK; p++) {
                int xx = x0 + p + t % K - K / 2;
                v[p] = (!rowInside || xx < 0 || xx >= uWidth) ? uZero[kOf[p]]
                        : CODE(kOf[p] * n + AT(c, yy, xx, uHeight, uWidth));
            }
            for (int j = 0; j < OUT_BLOCK; j++) {
                int o = min(o0 + j, uOutChannels - 1);
                int w = texelFetch(uWeights, (o * uInChannels + c) * TAPS + t).r;
                for (int p = 0; p < PIX_BLOCK; p++) acc[j][p] += w * v[p];
            }
        }
    }
    for (int j = 0; j < OUT_BLOCK && o0 + j < uOutChannels; j++) {
        int o = o0 + j;
        for (int p = 0; p < PIX_BLOCK && x0 + p < uWidth; p++) {
            int k = kOf[p];
            int i = AT(o, y, x0 + p, uHeight, uWidth);
            precise float product = epilogue[k * uOutChannels + o] * float(acc[j][p]);
            precise float yv = product + epilogue[(uCandidates + k) * uOutChannels + o];
            dst[i] = uElu ? (yv > 0.0 ? yv : exp(yv) - 1.0) : yv;
            if (uDebug) accOut[i] = acc[j][p];
        }
    }
}
