#version 450 core
// CADyQ's bit selector on the GPU (golden: org.reconview.nn.BitSelector), one workgroup per tile.
// uMode 0, tile gradients: for a T x T tile of the RGB tensor src (scale 0), the means of |d/dx| and |d/dy| of the
//   Rec. 709 luma (central differences, halved, clamped at the borders) -> grads[tile * 2 + {0, 1}].
// uMode 1, selection: for a T x T tile of the C-channel tensor src (the conv's input at its scale), the population
//   standard deviation of each channel (two passes: mean, then squared deviations), then
//   logit_k = bias_k + w_k0 gx + w_k1 gy + sum_c w_k(2+c) std_c, and bits[tile] = the candidate of the largest logit
//   (ties to the later, wider one). Reductions are float tree sums in shared memory (the golden model sums in
//   double), so features agree to float rounding and a width can differ only at a near-tie of two logits.
#include "nn/tensor.glsl"
#define THREADS 256
#define MAX_K 8
layout(local_size_x = THREADS) in;
layout(std430, binding = 0) readonly buffer Src { float src[]; };
layout(std430, binding = 1) buffer Grads { float grads[]; };
layout(std430, binding = 2) readonly buffer Selector { float selector[]; };  // weight [K][F], then bias [K]
layout(std430, binding = 3) writeonly buffer Bits { int bits[]; };
layout(std430, binding = 4) writeonly buffer Features { float features[]; }; // [tile][F] for tests
uniform int uMode;
uniform int uChannels;
uniform int uHeight;
uniform int uWidth;
uniform int uTile;          // tile side at this scale
uniform int uTilesX;
uniform int uCandidates;    // K
uniform int uWidths[MAX_K]; // candidate widths, ascending

shared float partA[THREADS];
shared float partB[THREADS];

float luma(int y, int x) {
    y = clamp(y, 0, uHeight - 1);
    x = clamp(x, 0, uWidth - 1);
    return 0.2126 * src[AT(0, y, x, uHeight, uWidth)] + 0.7152 * src[AT(1, y, x, uHeight, uWidth)]
            + 0.0722 * src[AT(2, y, x, uHeight, uWidth)];
}

// Tree sum of partA (and partB) over the workgroup; the result is in element 0.
void reduce() {
    for (int s = THREADS / 2; s > 0; s >>= 1) {
        barrier();
        if (int(gl_LocalInvocationID.x) < s) {
            partA[gl_LocalInvocationID.x] += partA[gl_LocalInvocationID.x + s];
            partB[gl_LocalInvocationID.x] += partB[gl_LocalInvocationID.x + s];
        }
    }
    barrier();
}

void main() {
    int tile = int(gl_WorkGroupID.x);
    int ty = tile / uTilesX;
    int tx = tile % uTilesX;
    int id = int(gl_LocalInvocationID.x);
    int n = uTile * uTile;
    float count = float(n);
    if (uMode == 0) {
        float sx = 0.0;
        float sy = 0.0;
        for (int i = id; i < n; i += THREADS) {
            int y = ty * uTile + i / uTile;
            int x = tx * uTile + i % uTile;
            sx += abs((luma(y, x + 1) - luma(y, x - 1)) * 0.5);
            sy += abs((luma(y + 1, x) - luma(y - 1, x)) * 0.5);
        }
        partA[id] = sx;
        partB[id] = sy;
        reduce();
        if (id == 0) {
            grads[tile * 2] = partA[0] / count;
            grads[tile * 2 + 1] = partB[0] / count;
        }
        return;
    }
    int f = 2 + uChannels;
    int k = uCandidates;
    float logits[MAX_K];
    float gx = grads[tile * 2];
    float gy = grads[tile * 2 + 1];
    for (int j = 0; j < k; j++) {
        logits[j] = selector[k * f + j] + selector[j * f] * gx + selector[j * f + 1] * gy;
    }
    if (id == 0) {
        features[tile * f] = gx;
        features[tile * f + 1] = gy;
    }
    for (int c = 0; c < uChannels; c++) {
        float s = 0.0;
        for (int i = id; i < n; i += THREADS) {
            s += src[AT(c, ty * uTile + i / uTile, tx * uTile + i % uTile, uHeight, uWidth)];
        }
        partA[id] = s;
        partB[id] = 0.0;
        reduce();
        float mean = partA[0] / count;
        barrier();
        float q = 0.0;
        for (int i = id; i < n; i += THREADS) {
            float d = src[AT(c, ty * uTile + i / uTile, tx * uTile + i % uTile, uHeight, uWidth)] - mean;
            q += d * d;
        }
        partA[id] = q;
        reduce();
        float std = sqrt(partA[0] / count);
        barrier();
        for (int j = 0; j < k; j++) {
            logits[j] += selector[j * f + 2 + c] * std;
        }
        if (id == 0) {
            features[tile * f + 2 + c] = std;
        }
    }
    if (id == 0) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (logits[j] >= logits[best]) best = j;
        }
        bits[tile] = uWidths[best];
    }
}
