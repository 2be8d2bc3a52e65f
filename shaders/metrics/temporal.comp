#version 450 core
// Temporal error of one frame (Thomas et al. 2020, eq. 2, one time step; golden: org.reconview.metrics.TemporalError):
// per pixel the sum over R, G, B of |(E(o) - E(phi)) - (E(r) - E(psi))| where the warped previous output phi is valid
// (alpha > 0.5: the warp writes 1 valid, 0 invalid), and the count of valid pixels; both summed per workgroup.
//   in   uOutput, uOutputPrev, uReference, uReferencePrev   sampler2D units 0..3: o_k, phi (warped, alpha =
//        validity), r_k, psi (warped); linear HDR RGBA, W x H, row 0 = top
//   out  partials[g] (error sum), partials[uStride + g] (valid pixel count)   SSBO binding 0, one per 16x16 group g
// The mean is sum / (3 * count) after reduce.comp.
#include "metrics/encoding.glsl"
#include "metrics/workgroup_sum.glsl"
layout(local_size_x = GROUP_SIZE, local_size_y = GROUP_SIZE) in;
layout(binding = 0) uniform sampler2D uOutput;
layout(binding = 1) uniform sampler2D uOutputPrev;
layout(binding = 2) uniform sampler2D uReference;
layout(binding = 3) uniform sampler2D uReferencePrev;
layout(std430, binding = 0) buffer Partials { float partials[]; };
uniform int uEncoding;
uniform int uStride;

void main() {
    ivec2 size = textureSize(uOutput, 0);
    ivec2 p = ivec2(gl_GlobalInvocationID.xy);
    float error = 0.0;
    float valid = 0.0;
    if (all(lessThan(p, size))) {
        vec4 phi = texelFetch(uOutputPrev, p, 0);
        if (phi.a > 0.5) {
            vec3 o = displayEncode(texelFetch(uOutput, p, 0).rgb, uEncoding);
            vec3 r = displayEncode(texelFetch(uReference, p, 0).rgb, uEncoding);
            vec3 psi = displayEncode(texelFetch(uReferencePrev, p, 0).rgb, uEncoding);
            vec3 d = abs((o - displayEncode(phi.rgb, uEncoding)) - (r - psi));
            error = d.r + d.g + d.b;
            valid = 1.0;
        }
    }
    float errorTotal = workgroupSum(error);
    if (gl_LocalInvocationIndex == 0u) {
        partials[workgroupIndex()] = errorTotal;
    }
    barrier();
    float validTotal = workgroupSum(valid);
    if (gl_LocalInvocationIndex == 0u) {
        partials[uStride + int(workgroupIndex())] = validTotal;
    }
}
