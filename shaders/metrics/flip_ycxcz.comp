#version 450 core
// FLIP pass 1 of 4 (GpuFlip; once per exposure for HDR): both images to linear RGB in the unit cube, then YCxCz.
// Mirrors, per uInput:
//   FLIP_INPUT_SRGB    Flip.ldrMap's input: display-encoded sRGB decoded (Flip.srgbToLinear), then clamped
//                      (Flip.ldrFlip's clamped());
//   FLIP_INPUT_LINEAR  linear values clamped to [0, 1], what Flip.ldrMap(ImageComparison.srgbOfClamped(x)) sees once
//                      it has decoded the sRGB again (encode then decode is the identity up to rounding, so skipped);
//   FLIP_INPUT_HDR     Flip.hdrMap's tone mapping (Flip.toneMapped): scaled by uScale = 2^exposure, ACES, clamped;
// then Flip.toYCxCz.
//   in   uTest, uReference  sampler2D units 0, 1: RGBA (R, G, B used), row 0 = top, uSize
//   out  ycxcz[i * N + p]   SSBO binding 0, N = W * H, p = y * W + x, i = 0 reference, 1 test:
//                           vec4(Y, Cx, Cz, (Y + 16) / 116), the last being Flip.normalisedY for the feature pipeline
#include "metrics/flip_common.glsl"
layout(local_size_x = GROUP_SIZE, local_size_y = GROUP_SIZE) in;
layout(binding = 0) uniform sampler2D uTest;
layout(binding = 1) uniform sampler2D uReference;
layout(std430, binding = 0) writeonly buffer YCxCz { vec4 ycxcz[]; };
uniform ivec2 uSize;
uniform int uInput;
uniform float uScale;

// Flip.srgbToLinear, with the reference's 0.04045 threshold; negatives take the linear branch, so pow never sees a
// negative base, and NaN goes through pow to NaN, which the clamp turns into 0 as on the CPU.
float srgbToLinear(float v) {
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

// Flip.aces: the rational ACES fit with its 0.6 pre-exposure folded in, in the golden model's order of operations.
float aces(float x) {
    // Above 1e18, x * x would overflow float where the double golden model still gets k0 / k3 > 1 (clamped to 1);
    // capping keeps that answer. Infinity is left alone: inf / inf is NaN there too, which the clamp makes 0.
    if (x > 1.0e18 && !isinf(x)) {
        x = 1.0e18;
    }
    return (x * x * FLIP_ACES_K0 + x * FLIP_ACES_K1 + FLIP_ACES_K2)
            / (x * x * FLIP_ACES_K3 + x * FLIP_ACES_K4 + FLIP_ACES_K5);
}

vec3 unitLinear(vec3 v) {
    if (uInput == FLIP_INPUT_SRGB) {
        v = vec3(srgbToLinear(v.r), srgbToLinear(v.g), srgbToLinear(v.b));
    } else if (uInput == FLIP_INPUT_HDR) {
        v = vec3(aces(v.r * uScale), aces(v.g * uScale), aces(v.b * uScale));
    }
    return flipClamp01(v);
}

vec4 prepared(vec3 v) {
    vec3 c = flipYCxCz(unitLinear(v));
    return vec4(c, (c.x + 16.0) / 116.0);
}

void main() {
    ivec2 q = ivec2(gl_GlobalInvocationID.xy);
    if (any(greaterThanEqual(q, uSize))) {
        return;
    }
    int n = uSize.x * uSize.y;
    int p = q.y * uSize.x + q.x;
    ycxcz[p] = prepared(texelFetch(uReference, q, 0).rgb);
    ycxcz[n + p] = prepared(texelFetch(uTest, q, 0).rgb);
}
