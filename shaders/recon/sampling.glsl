// Resampling helpers shared by the warp and TAA passes. Bilinear and Catmull-Rom are computed by hand from
// texelFetch (clamped to the edge), not by the texture unit: hardware bilinear weights have only 8 fractional bits,
// and the golden Java versions (org.reconview.recon.Warp, TaaGolden) must be matched to float rounding.

vec4 fetchClamped(sampler2D s, ivec2 p, ivec2 size) {
    return texelFetch(s, clamp(p, ivec2(0), size - 1), 0);
}

// Bilinear sample at continuous texel-index coordinates u (texel centres at integers).
vec4 bilinearAt(sampler2D s, vec2 u, ivec2 size) {
    vec2 f0 = floor(u);
    ivec2 i0 = ivec2(f0);
    vec2 f = u - f0;
    vec4 a = fetchClamped(s, i0, size);
    vec4 b = fetchClamped(s, i0 + ivec2(1, 0), size);
    vec4 c = fetchClamped(s, i0 + ivec2(0, 1), size);
    vec4 d = fetchClamped(s, i0 + ivec2(1, 1), size);
    return mix(mix(a, b, f.x), mix(c, d, f.x), f.y);
}

// Catmull-Rom weights for a fractional offset t in [0,1) over taps -1, 0, 1, 2.
vec4 catmullRomWeights(float t) {
    float t2 = t * t;
    float t3 = t2 * t;
    return vec4(-0.5 * t3 + t2 - 0.5 * t,
                1.5 * t3 - 2.5 * t2 + 1.0,
                -1.5 * t3 + 2.0 * t2 + 0.5 * t,
                0.5 * t3 - 0.5 * t2);
}

// Bicubic Catmull-Rom sample (16 taps) at continuous texel-index coordinates u. Sharper than bilinear, so history
// does not blur away over many frames; it can overshoot, which the neighbourhood clip then removes.
vec4 catmullRomAt(sampler2D s, vec2 u, ivec2 size) {
    vec2 f0 = floor(u);
    ivec2 i0 = ivec2(f0);
    vec2 f = u - f0;
    vec4 wx = catmullRomWeights(f.x);
    vec4 wy = catmullRomWeights(f.y);
    vec4 sum = vec4(0.0);
    for (int j = 0; j < 4; j++) {
        vec4 row = vec4(0.0);
        for (int i = 0; i < 4; i++) {
            row += wx[i] * fetchClamped(s, i0 + ivec2(i - 1, j - 1), size);
        }
        sum += wy[j] * row;
    }
    return sum;
}

// Whether a continuous texel-index position lies on the image (the warp's validity rule).
bool insideImage(vec2 u, ivec2 size) {
    return all(greaterThanEqual(u, vec2(-0.5))) && all(lessThanEqual(u, vec2(size) - 0.5));
}
