// Colour helpers shared by the FLIP passes (GpuFlip): GLSL twins of the private colour-space functions of
// org.reconview.metrics.Flip (the CPU golden model, NVIDIA FLIP v1.6). Every constant that Flip owns comes from Java
// as a #define (GpuFlip.shaderDefines()), so the two cannot drift apart silently; a program that includes this file
// without them does not compile. Only the formulas' fixed numbers (CIELab's 116/500/200, sRGB's curve) are written
// here, as Flip writes them inline.
#if !defined(FLIP_WHITE) || !defined(FLIP_RGB_TO_XYZ_0) || !defined(FLIP_XYZ_TO_RGB_0)
#error "FLIP_* constants must be defined from GpuFlip.shaderDefines()"
#endif

// Flip.clamp01: written as the reference's Min(Max(v, 0), 1) macros, so NaN becomes 0 (a comparison with NaN is
// false), which clamp() does not promise.
float flipClamp01(float v) {
    float lo = v > 0.0 ? v : 0.0;
    return lo > 1.0 ? 1.0 : lo;
}

vec3 flipClamp01(vec3 v) {
    return vec3(flipClamp01(v.x), flipClamp01(v.y), flipClamp01(v.z));
}

// Math.pow's answers at a zero base (0^0 = 1, 0^y = 0 for y > 0), which GLSL's pow leaves undefined; the FLIP
// exponents (q_c, q_f, 1 - feature) are never negative.
float flipPow(float x, float y) {
    if (x > 0.0) {
        return pow(x, y);
    }
    return y == 0.0 ? 1.0 : 0.0;
}

// Flip.linearRgbToXyz: the reference's rational sRGB/D65 coefficients (rounded to float by Java).
vec3 flipLinearRgbToXyz(vec3 rgb) {
    return vec3(dot(FLIP_RGB_TO_XYZ_0, rgb), dot(FLIP_RGB_TO_XYZ_1, rgb), dot(FLIP_RGB_TO_XYZ_2, rgb));
}

// The decimal inverse Flip.huntLab uses (not the exact inverse of the one above, as in the reference).
vec3 flipXyzToLinearRgb(vec3 xyz) {
    return vec3(dot(FLIP_XYZ_TO_RGB_0, xyz), dot(FLIP_XYZ_TO_RGB_1, xyz), dot(FLIP_XYZ_TO_RGB_2, xyz));
}

// Flip.toYCxCz for one pixel: XYZ relative to the white point, then CIELab without the cube root.
vec3 flipYCxCz(vec3 rgb) {
    vec3 r = flipLinearRgbToXyz(rgb) / FLIP_WHITE;
    return vec3(116.0 * r.y - 16.0, 500.0 * (r.x - r.y), 200.0 * (r.y - r.z));
}

// Flip.labF (CIELab's f); t > delta^3 > 0 there, so pow is defined and equals the cube root.
float flipLabF(float t) {
    const float delta = 6.0 / 29.0;
    return t > delta * delta * delta ? pow(t, 1.0 / 3.0) : t / (3.0 * delta * delta) + 4.0 / 29.0;
}

// Flip.linearRgbToLab.
vec3 flipLinearRgbToLab(vec3 rgb) {
    vec3 r = flipLinearRgbToXyz(rgb) / FLIP_WHITE;
    float fx = flipLabF(r.x);
    float fy = flipLabF(r.y);
    float fz = flipLabF(r.z);
    return vec3(116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz));
}

// Flip.huntLab: a filtered YCxCz colour back to linear RGB, clamped to the unit cube (filtering can leave the gamut),
// then CIELab with a and b scaled by 0.01 L (Hunt adjustment).
vec3 flipHuntLab(vec3 f) {
    float y = (f.x + 16.0) / 116.0;
    float x = (y + f.y / 500.0) * FLIP_WHITE.x;
    float z = (y - f.z / 200.0) * FLIP_WHITE.z;
    y *= FLIP_WHITE.y;
    vec3 lab = flipLinearRgbToLab(flipClamp01(flipXyzToLinearRgb(vec3(x, y, z))));
    return vec3(lab.x, lab.yz * (0.01 * lab.x));
}

// Flip.hyab: city-block in L, Euclidean in (a, b).
float flipHyab(vec3 a, vec3 b) {
    vec2 d = a.yz - b.yz;
    return abs(a.x - b.x) + sqrt(d.x * d.x + d.y * d.y);
}
