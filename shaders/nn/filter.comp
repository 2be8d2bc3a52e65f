#version 450 core
// One stage of QW-Net's filter network (section 3.2; golden: FloatOps.filter3x3 / addWeighted): per-pixel predicted
// 3x3 kernels applied to an image with edge clamping, the same kernel for every colour channel:
//   out = sum_k K[uFirst + k] * A(p + o_k)  [+ sum_k K[uSecond + k] * B(p + o_k)]  [+ K[uSkipWeight] * S(p)]
// The input filter uses A = I_a and B = I_w (18 weights); upsampling filters use the skip S (10 weights).
#include "nn/tensor.glsl"
layout(local_size_x = 8, local_size_y = 8) in;
layout(std430, binding = 0) readonly buffer A { float imageA[]; };
layout(std430, binding = 1) readonly buffer B { float imageB[]; };
layout(std430, binding = 2) readonly buffer S { float skip[]; };
layout(std430, binding = 3) readonly buffer Kern { float kernels[]; };
layout(std430, binding = 4) writeonly buffer Out { float dst[]; };
uniform int uChannels;
uniform int uHeight;
uniform int uWidth;
uniform int uFirst;
uniform int uSecond;      // -1: no second image
uniform int uSkipWeight;  // -1: no skip

void main() {
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    if (x >= uWidth || y >= uHeight) return;
    float k1[9];
    float k2[9];
    for (int k = 0; k < 9; k++) {
        k1[k] = kernels[AT(uFirst + k, y, x, uHeight, uWidth)];
        k2[k] = uSecond >= 0 ? kernels[AT(uSecond + k, y, x, uHeight, uWidth)] : 0.0;
    }
    float ws = uSkipWeight >= 0 ? kernels[AT(uSkipWeight, y, x, uHeight, uWidth)] : 0.0;
    for (int c = 0; c < uChannels; c++) {
        float sum = 0.0;
        for (int k = 0; k < 9; k++) {
            int yy = clamp(y + k / 3 - 1, 0, uHeight - 1);
            int xx = clamp(x + k % 3 - 1, 0, uWidth - 1);
            sum += k1[k] * imageA[AT(c, yy, xx, uHeight, uWidth)];
        }
        if (uSecond >= 0) {
            float sum2 = 0.0;
            for (int k = 0; k < 9; k++) {
                int yy = clamp(y + k / 3 - 1, 0, uHeight - 1);
                int xx = clamp(x + k % 3 - 1, 0, uWidth - 1);
                sum2 += k2[k] * imageB[AT(c, yy, xx, uHeight, uWidth)];
            }
            sum += sum2;
        }
        if (uSkipWeight >= 0) {
            sum += ws * skip[AT(c, y, x, uHeight, uWidth)];
        }
        dst[AT(c, y, x, uHeight, uWidth)] = sum;
    }
}
