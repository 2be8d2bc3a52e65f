// Procedural surface patterns (ids = org.reconview.scene.Pattern ordinals). Some are deliberately unfiltered: thin
// grout lines, chain-link wires and leaf silhouettes alias at one sample per pixel, which is what reconstruction
// methods are here to fix. Imported materials (mesh files) multiply the albedo by a base-colour map, an sRGB texture
// that the sampler decodes to linear, and alpha-test its alpha times uAlpha against uAlphaCutoff (glTF alphaMode MASK).
#define PATTERN_PLAIN 0
#define PATTERN_CHECKER 1
#define PATTERN_TILES 2
#define PATTERN_TEXT 3
#define PATTERN_LEAF 4
#define PATTERN_FENCE 5
#define PATTERN_STRIPES 6

uniform vec3 uAlbedo;
uniform float uRoughness;
uniform float uMetallic;
uniform vec3 uEmissive;
uniform int uPattern;
uniform float uPatternScale;
uniform bool uBaseColorMap;    // sample uSurfaceMap as the base-colour map
uniform float uAlpha;          // base colour alpha (glTF baseColorFactor.a), times the map's alpha
uniform float uAlphaCutoff;    // cut out where alpha < cutoff; 0: opaque
// The object's surface texture, mip-mapped: text coverage (r) for PATTERN_TEXT, or the base-colour map (linear rgb
// from an sRGB texture, alpha).
layout(binding = 1) uniform sampler2D uSurfaceMap;

struct Surface {
    vec3 albedo;
    float roughness;
    float metallic;
    vec3 emissive;
    bool cutout;        // alpha test failed: discard the fragment
};

float hash12(vec2 p) {
    vec3 p3 = fract(vec3(p.xyx) * 0.1031);
    p3 += dot(p3, p3.yzx + 33.33);
    return fract((p3.x + p3.y) * p3.z);
}

// Box-filtered checkerboard over the pixel footprint w (Inigo Quilez, "filterable procedurals").
float filteredChecker(vec2 p, vec2 w) {
    vec2 i = 2.0 * (abs(fract((p - 0.5 * w) * 0.5) - 0.5) - abs(fract((p + 0.5 * w) * 0.5) - 0.5)) / w;
    return 0.5 - 0.5 * i.x * i.y;
}

Surface surfaceAt(vec2 uv) {
    Surface s = Surface(uAlbedo, uRoughness, uMetallic, uEmissive, false);
    vec2 p = uv * uPatternScale;
    vec2 w = fwidth(p) + 1e-5;   // derivatives before any branch that could discard
    float alpha = uAlpha;
    if (uBaseColorMap) {
        vec4 texel = texture(uSurfaceMap, uv);
        s.albedo *= texel.rgb;
        alpha *= texel.a;
    }
    s.cutout = alpha < uAlphaCutoff;
    if (uPattern == PATTERN_CHECKER) {
        s.albedo *= mix(0.15, 1.0, filteredChecker(p, w));
    } else if (uPattern == PATTERN_TILES) {
        vec2 f = fract(p);
        float grout = step(min(f.x, f.y), 0.05);
        float tint = 0.75 + 0.25 * hash12(floor(p));
        s.albedo = mix(s.albedo * tint, vec3(0.05), grout);
        s.roughness = mix(s.roughness, 0.9, grout);
    } else if (uPattern == PATTERN_TEXT) {
        float ink = texture(uSurfaceMap, uv).r;
        s.albedo = mix(s.albedo, vec3(0.02), ink);
        s.emissive *= (1.0 - ink);
    } else if (uPattern == PATTERN_LEAF) {
        vec2 q = fract(p) * 2.0 - 1.0;          // -1..1 across the quad, y along the leaf
        float width = 0.5 * (1.0 - q.y * q.y) * (1.0 + 0.12 * sin(26.0 * q.y));
        s.cutout = abs(q.x) > width;
        float vein = 1.0 - 0.35 * step(abs(q.x), 0.03);
        s.albedo *= vein * (0.8 + 0.4 * hash12(floor(p) + 7.0));
    } else if (uPattern == PATTERN_FENCE) {
        vec2 d = vec2(fract(p.x + p.y), fract(p.x - p.y));
        vec2 dist = min(d, 1.0 - d);
        s.cutout = min(dist.x, dist.y) > 0.035;
    } else if (uPattern == PATTERN_STRIPES) {
        float stripe = step(0.5, fract(p.x + 0.15 * sin(p.y * 0.7)));
        s.albedo *= mix(0.55, 1.0, stripe);
        s.roughness = mix(0.08, 0.45, stripe);
    }
    return s;
}
