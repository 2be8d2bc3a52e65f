#version 450 core
// Resampling by 2 of packed 4-bit codes (int4.glsl layout; golden: org.reconview.nn.QuantizedModel): MODE 0 2x2 max
// pool, lane by lane on the signed codes (Q is monotone, so max commutes with it); MODE 1 nearest upsample, a word
// copy. uHeight/uWidth are the OUTPUT size, uGroups the channel groups (channels / 8).
#include "nn/int4.glsl"
layout(local_size_x = 8, local_size_y = 8) in;
layout(std430, binding = 0) readonly buffer In { uint src[]; };
layout(std430, binding = 1) writeonly buffer Out { uint dst[]; };
uniform int uGroups;
uniform int uHeight;
uniform int uWidth;
uniform int uMode;

void main() {
    int x = int(gl_GlobalInvocationID.x);
    int y = int(gl_GlobalInvocationID.y);
    int g = int(gl_GlobalInvocationID.z);
    if (x >= uWidth || y >= uHeight || g >= uGroups) return;
    uint word;
    if (uMode == 0) {
        int ih = uHeight * 2;
        int iw = uWidth * 2;
        uint a = src[AT(g, 2 * y, 2 * x, ih, iw)];
        uint b = src[AT(g, 2 * y, 2 * x + 1, ih, iw)];
        uint d = src[AT(g, 2 * y + 1, 2 * x, ih, iw)];
        uint e = src[AT(g, 2 * y + 1, 2 * x + 1, ih, iw)];
        word = 0u;
        for (int i = 0; i < 8; i++) {
            int m = max(max(lane(a, i, 4), lane(b, i, 4)), max(lane(d, i, 4), lane(e, i, 4)));
            word |= packLane(m, i, 4);
        }
    } else {
        word = src[AT(g, y / 2, x / 2, uHeight / 2, uWidth / 2)];
    }
    dst[AT(g, y, x, uHeight, uWidth)] = word;
}
