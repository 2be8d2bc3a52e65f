#version 450 core
// Per-pixel operations on CHW tensors (golden: FloatOps): MODE 0 gradient magnitude of the Rec. 709 luma of
// channels 0-2 (central differences, edge clamped) into one channel; MODE 1 softmax over all channels, in place.
#include "nn/tensor.glsl"
layout(local_size_x = 8, local_size_y = 8) in;
layout(std430, binding = 0) buffer In { float src[]; };
layout(std430, binding = 1) writeonly buffer Out { float dst[]; };
uniform int uChannels;
uniform int uHeight;
uniform int uWidth;
uniform int uMode;

float luma(int y, int x) {
    y = clamp(y, 0, uHeight - 1);
    x = clamp(x, 0, uWidth - 1);
    return 0.2126 * src[AT(0, y, x, uHeight, uWidth)] + 0.7152 * src[AT(1, y, x, uHeight, uWidth)]
         + 0.0722 * src[AT(2, y, x, uHeight, uWidth)];
}

void main() {
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    if (x >= uWidth || y >= uHeight) return;
    if (uMode == 0) {
        float gx = (luma(y, x + 1) - luma(y, x - 1)) * 0.5;
        float gy = (luma(y + 1, x) - luma(y - 1, x)) * 0.5;
        dst[AT(0, y, x, uHeight, uWidth)] = sqrt(gx * gx + gy * gy);
    } else {
        float m = -3.4e38;
        for (int c = 0; c < uChannels; c++) m = max(m, src[AT(c, y, x, uHeight, uWidth)]);
        float sum = 0.0;
        for (int c = 0; c < uChannels; c++) sum += exp(src[AT(c, y, x, uHeight, uWidth)] - m);
        for (int c = 0; c < uChannels; c++) {
            int i = AT(c, y, x, uHeight, uWidth);
            src[i] = exp(src[i] - m) / sum;
        }
    }
}
