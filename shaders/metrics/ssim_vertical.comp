#version 450 core
// Metrics pass 3 of 4 (GpuMetrics.evaluate): the vertical half of SSIM's separable window, the SSIM map (Wang et al.
// 2004, eq. 13 with C3 = C2 / 2) and its per-workgroup sum, over the valid region only: pixels (c, r) with
// R <= c < W - R and R <= r < H - R (every window inside the image, as scikit-image crops).
// The horizontal sums of row j are about that row's shift s_j = x(c, j); here they are re-centred on this pixel's
// m = x(c, r): with d = s_j - m (and e = t_j - n for y), since the weights sum to 1,
//   sum w (x - m)       = H1x + d
//   sum w (x - m)^2     = H2x + 2 d H1x + d^2
//   sum w (x-m)(y-n)    = Hxy + d H1y + e H1x + d e
// and the vertical pass weights those by w_j. Then mu_x = m + A1x, sigma_x^2 = A2x - A1x^2,
// sigma_xy = Axy - A1x A1y: the population (co)variances of scikit-image with use_sample_covariance=False, but
// computed from deviations, so float32 does not cancel catastrophically on flat regions.
//   in   uX, uY        sampler2D units 0, 1: encoded image and reference (rgb), from encode.comp
//   in   h[]           SSBO binding 1, from ssim_horizontal.comp (layout there)
//   out  partials[uStride + g]   SSBO binding 0: sum over workgroup g's valid pixels of SSIM_R + SSIM_G + SSIM_B;
//                                the dispatch covers (W - 2R) x (H - 2R) invocations, offset by (R, R)
//   out  uMap          image unit 2 (R32F): each valid pixel's SSIM, mean over R, G, B (Ssim.map); the border is
//                      cleared to NaN by GpuMetrics
#include "metrics/workgroup_sum.glsl"
layout(local_size_x = GROUP_SIZE, local_size_y = GROUP_SIZE) in;
layout(binding = 0) uniform sampler2D uX;
layout(binding = 1) uniform sampler2D uY;
layout(std430, binding = 0) buffer Partials { float partials[]; };
layout(std430, binding = 1) readonly buffer Horizontal { vec4 h[]; };
uniform int uStride;
layout(r32f, binding = 2) uniform writeonly image2D uMap;

const float W[2 * SSIM_RADIUS + 1] = SSIM_WEIGHTS;

void main() {
    ivec2 size = textureSize(uX, 0);
    ivec2 p = ivec2(gl_GlobalInvocationID.xy) + ivec2(SSIM_RADIUS);
    float value = 0.0;
    if (p.x < size.x - SSIM_RADIUS && p.y < size.y - SSIM_RADIUS) {
        int plane = size.x * size.y;
        vec3 m = texelFetch(uX, p, 0).rgb;
        vec3 n = texelFetch(uY, p, 0).rgb;
        vec3 a1x = vec3(0.0), a1y = vec3(0.0), a2x = vec3(0.0), a2y = vec3(0.0), axy = vec3(0.0);
        for (int k = -SSIM_RADIUS; k <= SSIM_RADIUS; k++) {
            float w = W[k + SSIM_RADIUS];
            ivec2 q = ivec2(p.x, p.y + k);
            int i = q.y * size.x + q.x;
            vec3 d = texelFetch(uX, q, 0).rgb - m;
            vec3 e = texelFetch(uY, q, 0).rgb - n;
            vec3 h1x = h[i].rgb;
            vec3 h1y = h[plane + i].rgb;
            a1x += w * (h1x + d);
            a1y += w * (h1y + e);
            a2x += w * (h[2 * plane + i].rgb + 2.0 * d * h1x + d * d);
            a2y += w * (h[3 * plane + i].rgb + 2.0 * e * h1y + e * e);
            axy += w * (h[4 * plane + i].rgb + d * h1y + e * h1x + d * e);
        }
        vec3 mux = m + a1x;
        vec3 muy = n + a1y;
        vec3 vx = a2x - a1x * a1x;
        vec3 vy = a2y - a1y * a1y;
        vec3 vxy = axy - a1x * a1y;
        vec3 ssim = ((2.0 * mux * muy + SSIM_C1) * (2.0 * vxy + SSIM_C2))
                / ((mux * mux + muy * muy + SSIM_C1) * (vx + vy + SSIM_C2));
        value = ssim.r + ssim.g + ssim.b;
        imageStore(uMap, p, vec4(value / 3.0));
    }
    float total = workgroupSum(value);
    if (gl_LocalInvocationIndex == 0u) {
        partials[uStride + int(workgroupIndex())] = total;
    }
}
