#version 450 core
// FLIP pass 2 of 4 (GpuFlip): the horizontal half of every separable filter, for both images (the first loop of
// Flip.separable, clamp-to-edge indices, taps summed from -r to r as there).
//   colour (Flip.csfFiltered): Y, Cx, Cz convolved with the contrast sensitivity kernels kY, kCx and the two
//     blue-yellow kernels kCz1, kCz2 (Cz is filtered twice; the vertical pass adds the two);
//   feature (Flip.featureError): normalised Y convolved with dG, G and ddG (first derivative, Gaussian, second
//     derivative), the x factors of the four filters the vertical pass completes.
//   in   ycxcz[i * N + p]             SSBO binding 0, from flip_ycxcz.comp
//   in   kernels[]                    SSBO binding 2: [0, 2 uCsfRadius] vec4(kY, kCx, kCz1, kCz2) for offsets
//                                     -uCsfRadius..uCsfRadius, then 2 uFeatureRadius + 1 of vec4(G, dG, ddG, 0)
//   out  horizontal[(2 i + k) * N + p] SSBO binding 1: k = 0 vec4 colour (Y, Cx, Cz1, Cz2), k = 1 vec4 feature
//                                     (dG, G, ddG, 0)
layout(local_size_x = GROUP_SIZE, local_size_y = GROUP_SIZE) in;
layout(std430, binding = 0) readonly buffer YCxCz { vec4 ycxcz[]; };
layout(std430, binding = 1) writeonly buffer Horizontal { vec4 horizontal[]; };
layout(std430, binding = 2) readonly buffer Kernels { vec4 kernels[]; };
uniform ivec2 uSize;
uniform int uCsfRadius;
uniform int uFeatureRadius;

void main() {
    ivec2 q = ivec2(gl_GlobalInvocationID.xy);
    if (any(greaterThanEqual(q, uSize))) {
        return;
    }
    int n = uSize.x * uSize.y;
    int row = q.y * uSize.x;
    int featureBase = 2 * uCsfRadius + 1;
    for (int i = 0; i < 2; i++) {
        int image = i * n + row;
        vec4 colour = vec4(0.0);
        for (int j = -uCsfRadius; j <= uCsfRadius; j++) {
            vec4 v = ycxcz[image + clamp(q.x + j, 0, uSize.x - 1)];
            colour += kernels[j + uCsfRadius] * v.xyzz;
        }
        vec3 feature = vec3(0.0);
        for (int j = -uFeatureRadius; j <= uFeatureRadius; j++) {
            float y = ycxcz[image + clamp(q.x + j, 0, uSize.x - 1)].w;
            vec3 k = kernels[featureBase + j + uFeatureRadius].xyz;
            feature += vec3(k.y, k.x, k.z) * y;
        }
        int p = row + q.x;
        horizontal[2 * i * n + p] = colour;
        horizontal[(2 * i + 1) * n + p] = vec4(feature, 0.0);
    }
}
