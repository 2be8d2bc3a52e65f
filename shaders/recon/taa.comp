#version 450 core
// Temporal antialiasing, one pass per frame. The golden Java version is org.reconview.recon.TaaGolden; keep the two
// step for step alike.
//  1. Motion dilation: the motion of the nearest surface (smallest depth) in the 3x3 neighbourhood, so that edges
//     of moving objects reproject with the object (Karis 2014).
//  2. History reprojection at p + motion, bilinear or Catmull-Rom; off-screen -> no history for this pixel.
//  3. Neighbourhood clipping in YCoCg of reversibly tone-mapped colour c / (1 + max(c)): variance clipping (Salvi
//     2016: mean +- gamma * sigma, history clipped towards the box centre as in Playdead's INSIDE TAA), or a min/max
//     clamp, or none.
//  4. Blend: the current frame gets weight alpha; with anti-flicker, alpha shrinks (to alpha/4) as the history nears
//     the edge of the neighbourhood's luma range, where clamping would otherwise flicker (Karis 2014). Blending tone-mapped colours weights
//     each by 1 / (1 + max(c)): the luminance weighting that keeps fireflies out of the history (Karis 2014).
//  5. NaN/Inf in any input become 0 before they are used; negatives are clamped to 0. The history stays finite.
// Inputs: colour RGBA32F (1 spp, linear), motion RG (pixels, current -> previous, +y down), depth R (linear),
// history RGBA32F (last output). Output RGBA32F, alpha 1.
#include "recon/sampling.glsl"
layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 0) uniform sampler2D uColor;
layout(binding = 1) uniform sampler2D uMotion;
layout(binding = 2) uniform sampler2D uDepth;
layout(binding = 3) uniform sampler2D uHistory;
layout(rgba32f, binding = 0) writeonly uniform image2D uOut;
uniform ivec2 uSize;
uniform bool uHasHistory;
uniform float uAlpha;        // weight of the current frame
uniform int uClip;           // 0 none, 1 clamp, 2 variance
uniform float uGamma;        // variance clip box half-size in standard deviations
uniform int uHistoryFilter;  // 0 bilinear, 1 Catmull-Rom
uniform bool uDilate;
uniform bool uAntiFlicker;

vec3 sanitize(vec3 c) {
    return (any(isnan(c)) || any(isinf(c))) ? vec3(0.0) : max(c, vec3(0.0));
}

vec3 toneMap(vec3 c) { return c / (1.0 + max(c.r, max(c.g, c.b))); }
vec3 toneUnmap(vec3 t) { return t / max(1.0 - max(t.r, max(t.g, t.b)), 1e-6); }

vec3 toYCoCg(vec3 c) {
    return vec3(0.25 * c.r + 0.5 * c.g + 0.25 * c.b, 0.5 * c.r - 0.5 * c.b, -0.25 * c.r + 0.5 * c.g - 0.25 * c.b);
}
vec3 fromYCoCg(vec3 y) { return vec3(y.x + y.y - y.z, y.x + y.z, y.x - y.y - y.z); }

// Clips q towards the centre of the box [lo, hi] (Playdead's clip_aabb).
vec3 clipToBox(vec3 q, vec3 lo, vec3 hi) {
    vec3 centre = 0.5 * (hi + lo);
    vec3 extent = 0.5 * (hi - lo) + 1e-7;
    vec3 v = q - centre;
    vec3 units = abs(v / extent);
    float m = max(units.x, max(units.y, units.z));
    return m > 1.0 ? centre + v / m : q;
}

void main() {
    ivec2 p = ivec2(gl_GlobalInvocationID.xy);
    if (any(greaterThanEqual(p, uSize))) return;
    vec3 current = sanitize(texelFetch(uColor, p, 0).rgb);
    vec3 result = current;
    if (uHasHistory) {
        vec2 motion = texelFetch(uMotion, p, 0).xy;
        if (uDilate) {
            float nearest = texelFetch(uDepth, p, 0).r;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    ivec2 q = clamp(p + ivec2(dx, dy), ivec2(0), uSize - 1);
                    float d = texelFetch(uDepth, q, 0).r;
                    if (d < nearest) {
                        nearest = d;
                        motion = texelFetch(uMotion, q, 0).xy;
                    }
                }
            }
        }
        vec2 u = vec2(p) + motion;
        if (!any(isnan(motion)) && !any(isinf(motion)) && insideImage(u, uSize)) {
            vec3 history = sanitize((uHistoryFilter == 1 ? catmullRomAt(uHistory, u, uSize)
                                                          : bilinearAt(uHistory, u, uSize)).rgb);
            vec3 m1 = vec3(0.0);
            vec3 m2 = vec3(0.0);
            vec3 lo = vec3(1e30);
            vec3 hi = vec3(-1e30);
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    ivec2 q = clamp(p + ivec2(dx, dy), ivec2(0), uSize - 1);
                    vec3 n = toYCoCg(toneMap(sanitize(texelFetch(uColor, q, 0).rgb)));
                    m1 += n;
                    m2 += n * n;
                    lo = min(lo, n);
                    hi = max(hi, n);
                }
            }
            vec3 cur = toYCoCg(toneMap(current));
            vec3 hist = toYCoCg(toneMap(history));
            if (uClip == 1) {
                hist = clamp(hist, lo, hi);
            } else if (uClip == 2) {
                vec3 mean = m1 / 9.0;
                vec3 sigma = sqrt(max(m2 / 9.0 - mean * mean, vec3(0.0)));
                hist = clipToBox(hist, mean - uGamma * sigma, mean + uGamma * sigma);
            }
            float alpha = uAlpha;
            if (uAntiFlicker) {
                // History near the edge of the neighbourhood's luma range is about to be clamped from frame to frame:
                // lean on it more (down to a quarter of alpha) so that it does not flicker with the jitter.
                float distToEdge = min(abs(lo.x - hist.x), abs(hi.x - hist.x));
                float inside = clamp(distToEdge / (0.5 * (hi.x - lo.x) + 1e-7), 0.0, 1.0);
                alpha = uAlpha * (0.25 + 0.75 * inside);
            }
            result = sanitize(toneUnmap(fromYCoCg(mix(hist, cur, alpha))));
        }
    }
    imageStore(uOut, p, vec4(result, 1.0));
}
