#version 450 core
// Between frame textures and network tensors (CHW, padded to a multiple of 16 by edge replication).
// MODE 0 pack: RGBA32F texture -> 3-channel tensor, PQ-encoding linear colour when uEncode (I_a), or taking it as
//        already PQ (the warped previous output, I_w); where the texture's alpha is 0 (the warp fell off screen) the
//        fallback texture is used instead, PQ-encoded (I_w = I_a there). Non-finite values become 0.
// MODE 1 unpack: 3-channel PQ tensor -> RGBA32F textures: uPqOut (PQ, for the recurrence) and uLinearOut (decoded).
#include "common/pq.glsl"
#include "nn/tensor.glsl"
layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 0) uniform sampler2D uSource;
layout(binding = 1) uniform sampler2D uFallback;
layout(std430, binding = 0) buffer Tensor { float t[]; };
layout(rgba32f, binding = 0) writeonly uniform image2D uPqOut;
layout(rgba32f, binding = 1) writeonly uniform image2D uLinearOut;
uniform int uMode;
uniform bool uEncode;
uniform ivec2 uImageSize;   // unpadded
uniform ivec2 uPadded;

vec3 finite(vec3 c) {
    return (any(isnan(c)) || any(isinf(c))) ? vec3(0.0) : c;
}

void main() {
    ivec2 p = ivec2(gl_GlobalInvocationID.xy);
    if (uMode == 0) {
        if (any(greaterThanEqual(p, uPadded))) return;
        ivec2 q = min(p, uImageSize - 1);
        vec4 s = texelFetch(uSource, q, 0);
        vec3 c;
        if (s.a == 0.0 && !uEncode) {
            c = pqEncode(finite(texelFetch(uFallback, q, 0).rgb));
        } else {
            c = uEncode ? pqEncode(finite(s.rgb)) : clamp(finite(s.rgb), 0.0, 1.0);
        }
        for (int ch = 0; ch < 3; ch++) t[AT(ch, p.y, p.x, uPadded.y, uPadded.x)] = c[ch];
    } else {
        if (any(greaterThanEqual(p, uImageSize))) return;
        vec3 c;
        for (int ch = 0; ch < 3; ch++) c[ch] = t[AT(ch, p.y, p.x, uPadded.y, uPadded.x)];
        c = clamp(finite(c), 0.0, 1.0);
        imageStore(uPqOut, p, vec4(c, 1.0));
        imageStore(uLinearOut, p, vec4(pqDecode(c), 1.0));
    }
}
