#version 450 core
// Convolution of a CHW tensor, stride 1: K x K taps (K = 3 with zero padding, or 1), weights in "ITO" order
// (input channel, tap, output channel: GpuOps.weights() transposes OIHW so that the OUT_BLOCK weights an invocation
// needs for one input value are contiguous), then the epilogue
// y = (acc + bias[o]) * scale[o] + shift[o] (batch norm at inference; scale 1, shift 0 without it) and optionally ELU.
// Golden: org.reconview.nn.FloatOps.conv3x3 / conv1x1 (+ batchNorm, elu).
// Register blocking: each invocation computes OUT_BLOCK output channels for PIX_BLOCK horizontally adjacent pixels,
// so each loaded input value serves OUT_BLOCK multiply-adds and each loaded weight PIX_BLOCK of them; one kernel
// row's PIX_BLOCK + K - 1 inputs are loaded once for its K taps.
// Input and weights are read with texelFetch from buffer textures (BufferTexture: on llvmpipe an SSBO load is a loop
// over the SIMD lanes, a texel fetch one gather); SRC_SSBO reads the input as an SSBO instead, for tensors larger
// than GL_MAX_TEXTURE_BUFFER_SIZE.
#include "nn/tensor.glsl"
#ifndef K
#define K 3
#endif
#define OUT_BLOCK 32
#define PIX_BLOCK 8
layout(local_size_x = 8, local_size_y = 8) in;
#ifdef SRC_SSBO
layout(std430, binding = 0) readonly buffer In { float src[]; };
#define SRC(i) src[i]
#else
layout(binding = 0) uniform samplerBuffer uSrc;
#define SRC(i) texelFetch(uSrc, i).r
#endif
layout(binding = 1) uniform samplerBuffer uWeights;
layout(std430, binding = 2) readonly buffer Epilogue { float epilogue[]; };   // bias[O], scale[O], shift[O]
layout(std430, binding = 3) writeonly buffer Out { float dst[]; };
uniform int uInChannels;
uniform int uOutChannels;
uniform int uHeight;
uniform int uRowStart;   // first row of the band this dispatch computes (RowBand)
uniform int uWidth;
uniform bool uElu;

void main() {
    int x0 = int(gl_GlobalInvocationID.x) * PIX_BLOCK;
    int y = uRowStart + int(gl_GlobalInvocationID.y);
    int o0 = int(gl_WorkGroupID.z) * OUT_BLOCK;
    if (x0 >= uWidth || y >= uHeight || o0 >= uOutChannels) return;
    const int taps = K * K;
    float acc[OUT_BLOCK][PIX_BLOCK];
    for (int j = 0; j < OUT_BLOCK; j++) {
        for (int p = 0; p < PIX_BLOCK; p++) acc[j][p] = 0.0;
    }
    int plane = uHeight * uWidth;
    int oLast = uOutChannels - 1;
    for (int i = 0; i < uInChannels; i++) {
        int inBase = i * plane;
        for (int ky = 0; ky < K; ky++) {
            int yy = y + ky - K / 2;
            bool rowInside = yy >= 0 && yy < uHeight;
            float v[PIX_BLOCK + K - 1];
            for (int p = 0; p < PIX_BLOCK + K - 1; p++) {
                int xx = x0 + p - K / 2;
                v[p] = (rowInside && xx >= 0 && xx < uWidth) ? SRC(inBase + yy * uWidth + xx) : 0.0;
            }
            for (int kx = 0; kx < K; kx++) {
                int wBase = (i * taps + ky * K + kx) * uOutChannels;
                for (int j = 0; j < OUT_BLOCK; j++) {
                    float w = texelFetch(uWeights, wBase + min(o0 + j, oLast)).r;
                    for (int p = 0; p < PIX_BLOCK; p++) acc[j][p] = fma(w, v[p + kx], acc[j][p]);
                }
            }
        }
    }
    for (int j = 0; j < OUT_BLOCK && o0 + j < uOutChannels; j++) {
        int o = o0 + j;
        float bias = epilogue[o];
        float scale = epilogue[uOutChannels + o];
        float shift = epilogue[2 * uOutChannels + o];
        for (int p = 0; p < PIX_BLOCK && x0 + p < uWidth; p++) {
            float r = (acc[j][p] + bias) * scale + shift;
            if (uElu) r = r > 0.0 ? r : exp(r) - 1.0;
            dst[AT(o, y, x0 + p, uHeight, uWidth)] = r;
        }
    }
}
