#version 450 core
// Metrics pass 2 of 4 (GpuMetrics.evaluate): the horizontal half of SSIM's separable 11-tap Gaussian window (Wang et
// al. 2004; weights, radius and constants from org.reconview.metrics.Ssim through #defines).
// To keep float32 accurate where the signal is flat, moments are taken about a shift: the centre pixel's own value
// s = x(c, r) (and t = y(c, r)), so the stored sums are of small deviations, not of values near 0.5 squared:
//   H1x = sum_k w_k (x_k - s)      H1y = sum_k w_k (y_k - t)
//   H2x = sum_k w_k (x_k - s)^2    H2y = sum_k w_k (y_k - t)^2    Hxy = sum_k w_k (x_k - s)(y_k - t)
// with k over columns c - R .. c + R of row r. ssim_vertical.comp re-centres them on its own shift.
//   in   uX, uY    sampler2D units 0, 1: encoded image and reference (rgb), W x H, from encode.comp
//   out  h[]       SSBO binding 1, vec4 (rgb used) at ((q * H + r) * W + c) for q = 0..4 = H1x, H1y, H2x, H2y, Hxy;
//                  written for every row r and the columns c in [R, W - R) whose window fits
layout(local_size_x = GROUP_SIZE, local_size_y = GROUP_SIZE) in;
layout(binding = 0) uniform sampler2D uX;
layout(binding = 1) uniform sampler2D uY;
layout(std430, binding = 1) writeonly buffer Horizontal { vec4 h[]; };

const float W[2 * SSIM_RADIUS + 1] = SSIM_WEIGHTS;

void main() {
    ivec2 size = textureSize(uX, 0);
    ivec2 p = ivec2(gl_GlobalInvocationID.xy);
    if (p.x < SSIM_RADIUS || p.x >= size.x - SSIM_RADIUS || p.y >= size.y) {
        return;
    }
    vec3 s = texelFetch(uX, p, 0).rgb;
    vec3 t = texelFetch(uY, p, 0).rgb;
    vec3 h1x = vec3(0.0), h1y = vec3(0.0), h2x = vec3(0.0), h2y = vec3(0.0), hxy = vec3(0.0);
    for (int k = -SSIM_RADIUS; k <= SSIM_RADIUS; k++) {
        float w = W[k + SSIM_RADIUS];
        vec3 dx = texelFetch(uX, ivec2(p.x + k, p.y), 0).rgb - s;
        vec3 dy = texelFetch(uY, ivec2(p.x + k, p.y), 0).rgb - t;
        h1x += w * dx;
        h1y += w * dy;
        h2x += w * dx * dx;
        h2y += w * dy * dy;
        hxy += w * dx * dy;
    }
    int plane = size.x * size.y;
    int i = p.y * size.x + p.x;
    h[i] = vec4(h1x, 0.0);
    h[plane + i] = vec4(h1y, 0.0);
    h[2 * plane + i] = vec4(h2x, 0.0);
    h[3 * plane + i] = vec4(h2y, 0.0);
    h[4 * plane + i] = vec4(hxy, 0.0);
}
