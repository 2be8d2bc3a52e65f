#version 450 core
// Resampling by 2 of a CHW tensor (golden: FloatOps): MODE 0 max pool 2x2, 1 average pool 2x2, 2 nearest upsample,
// 3 bilinear upsample with half-pixel centres and edge clamping. uHeight/uWidth are the OUTPUT size.
#include "nn/tensor.glsl"
layout(local_size_x = 8, local_size_y = 8) in;
layout(std430, binding = 0) readonly buffer In { float src[]; };
layout(std430, binding = 1) writeonly buffer Out { float dst[]; };
uniform int uChannels;
uniform int uHeight;
uniform int uWidth;
uniform int uMode;

void main() {
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    int c = int(gl_GlobalInvocationID.z);
    if (x >= uWidth || y >= uHeight || c >= uChannels) return;
    float v;
    if (uMode <= 1) {
        int ih = uHeight * 2;
        int iw = uWidth * 2;
        float a = src[AT(c, 2 * y, 2 * x, ih, iw)];
        float b = src[AT(c, 2 * y, 2 * x + 1, ih, iw)];
        float d = src[AT(c, 2 * y + 1, 2 * x, ih, iw)];
        float e = src[AT(c, 2 * y + 1, 2 * x + 1, ih, iw)];
        v = uMode == 0 ? max(max(a, b), max(d, e)) : ((a + b) + (d + e)) * 0.25;
    } else {
        int ih = uHeight / 2;
        int iw = uWidth / 2;
        if (uMode == 2) {
            v = src[AT(c, y / 2, x / 2, ih, iw)];
        } else {
            float sy = (float(y) + 0.5) / 2.0 - 0.5;
            float sx = (float(x) + 0.5) / 2.0 - 0.5;
            int y0 = int(floor(sy));
            int x0 = int(floor(sx));
            float fy = sy - float(y0);
            float fx = sx - float(x0);
            int ya = max(0, y0);
            int yb = min(ih - 1, y0 + 1);
            int xa = max(0, x0);
            int xb = min(iw - 1, x0 + 1);
            float top = src[AT(c, ya, xa, ih, iw)] * (1.0 - fx) + src[AT(c, ya, xb, ih, iw)] * fx;
            float bottom = src[AT(c, yb, xa, ih, iw)] * (1.0 - fx) + src[AT(c, yb, xb, ih, iw)] * fx;
            v = top * (1.0 - fy) + bottom * fy;
        }
    }
    dst[AT(c, y, x, uHeight, uWidth)] = v;
}
