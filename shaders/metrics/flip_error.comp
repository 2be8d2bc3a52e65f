#version 450 core
// FLIP pass 3 of 4 (GpuFlip; once per exposure for HDR): the vertical half of the filters (second loop of
// Flip.separable), then per pixel
//   colour error   Flip.colourError: filtered YCxCz (Cz = Cz1 + Cz2) to Hunt-adjusted CIELab, HyAB ^ q_c,
//                  redistributed to [0, 1];
//   feature error  Flip.featureError: edge = |(dG_x G_y, G_x dG_y)|, point = |(ddG_x G_y, G_x ddG_y)| per image,
//                  (max(|edge diff|, |point diff|) / sqrt(2)) ^ q_f;
//   error          Flip.ldrFlip: colour ^ (1 - feature);
// and, for HDR (uMax), Flip.hdrMap's running maximum over exposures, started at 0 (uFirst) so NaN never wins.
//   in   horizontal[]       SSBO binding 1, from flip_horizontal.comp
//   in   kernels[]          SSBO binding 2 (as flip_horizontal.comp)
//   io   uMap               image2D unit 0, r32f, uSize: the error map (read back for the running maximum)
//   out  partials[g]        SSBO binding 3: sum of the map over 16x16 workgroup g (row-major over the dispatch), for
//                           flip_reduce.comp; written every pass, only the last one's count
#include "metrics/flip_common.glsl"
#include "metrics/workgroup_sum.glsl"
layout(local_size_x = GROUP_SIZE, local_size_y = GROUP_SIZE) in;
layout(std430, binding = 1) readonly buffer Horizontal { vec4 horizontal[]; };
layout(std430, binding = 2) readonly buffer Kernels { vec4 kernels[]; };
layout(std430, binding = 3) writeonly buffer Partials { float partials[]; };
layout(r32f, binding = 0) uniform image2D uMap;
uniform ivec2 uSize;
uniform int uCsfRadius;
uniform int uFeatureRadius;
uniform bool uMax;
uniform bool uFirst;

// Flip.colourError's redistribution: [0, pc cmax) linearly onto [0, pt), the rest onto [pt, 1].
float redistributed(float d) {
    return d < FLIP_PC_CMAX ? d * FLIP_PT_OVER_PC_CMAX
            : FLIP_PT + ((d - FLIP_PC_CMAX) / (FLIP_CMAX - FLIP_PC_CMAX)) * (1.0 - FLIP_PT);
}

float flipError(ivec2 q) {
    int n = uSize.x * uSize.y;
    int featureBase = 2 * uCsfRadius + 1;
    vec3 lab[2];
    vec2 features[2];   // (edge, point) magnitudes
    for (int i = 0; i < 2; i++) {
        int colourPlane = 2 * i * n + q.x;
        int featurePlane = (2 * i + 1) * n + q.x;
        vec4 c = vec4(0.0);
        for (int j = -uCsfRadius; j <= uCsfRadius; j++) {
            c += kernels[j + uCsfRadius] * horizontal[colourPlane + clamp(q.y + j, 0, uSize.y - 1) * uSize.x];
        }
        lab[i] = flipHuntLab(vec3(c.x, c.y, c.z + c.w));
        // edgeX = G_y * (dG_x), edgeY = dG_y * (G_x), pointX = G_y * (ddG_x), pointY = ddG_y * (G_x)
        vec4 f = vec4(0.0);
        for (int j = -uFeatureRadius; j <= uFeatureRadius; j++) {
            vec3 k = kernels[featureBase + j + uFeatureRadius].xyz;   // (G, dG, ddG)
            vec3 h = horizontal[featurePlane + clamp(q.y + j, 0, uSize.y - 1) * uSize.x].xyz;   // (dG, G, ddG)_x
            f += vec4(k.x * h.x, k.y * h.y, k.x * h.z, k.z * h.y);
        }
        features[i] = vec2(sqrt(f.x * f.x + f.y * f.y), sqrt(f.z * f.z + f.w * f.w));
    }
    float colour = redistributed(flipPow(flipHyab(lab[0], lab[1]), FLIP_QC));
    vec2 d = abs(features[0] - features[1]);
    float feature = flipPow(FLIP_INV_SQRT2 * max(d.x, d.y), FLIP_QF);
    return flipPow(colour, 1.0 - feature);
}

void main() {
    ivec2 q = ivec2(gl_GlobalInvocationID.xy);
    bool inside = all(lessThan(q, uSize));
    float value = 0.0;
    if (inside) {
        float err = flipError(q);
        if (uMax) {
            float previous = uFirst ? 0.0 : imageLoad(uMap, q).r;
            value = err > previous ? err : previous;
        } else {
            value = err;
        }
        imageStore(uMap, q, vec4(value, 0.0, 0.0, 0.0));
    }
    // Every invocation takes part: workgroupSum has barriers.
    float total = workgroupSum(value);
    if (gl_LocalInvocationIndex == 0u) {
        partials[workgroupIndex()] = total;
    }
}
