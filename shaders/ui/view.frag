#version 450 core
// One view of the viewer's main area, drawn into its rectangle of the window: a method's image with pan and zoom
// (nearest neighbour: pixels stay pixels), shown through exposure + the sRGB display curve (ACES fit, sRGB OETF: the
// curve of the srgb metric encoding, shared through metrics/encoding.glsl); or the motion vectors (hue = direction,
// brightness = length); or an error map |E(method) - E(reference)| in the metric encoding E, as a heat colour. The
// temporal-profile line is tinted. Inputs: RGBA32F textures, row 0 = top; the window's row 0 is at the bottom.
#include "metrics/encoding.glsl"

layout(binding = 0) uniform sampler2D uImage;
layout(binding = 1) uniform sampler2D uReference;
uniform int uMode;            // 0 colour, 1 motion, 2 error map, 3 CADyQ bit map (bits in .r)
uniform float uExposure;      // stops
uniform int uEncoding;        // error map encoding (DisplayEncoding.shaderCode)
uniform float uErrorScale;    // error that maps to the top of the heat scale
uniform float uMotionScale;   // pixels of motion that map to full brightness
uniform vec2 uViewOrigin;     // bottom-left of the view in window pixels (GL convention)
uniform vec2 uViewSize;       // pixels
uniform vec2 uPan;            // image coordinate (pixels, +y down) at the centre of the view
uniform float uZoom;          // window pixels per image pixel
uniform int uProfileAxis;     // 0 none, 1 row, 2 column
uniform int uProfileIndex;
out vec4 outColor;

vec3 hsv2rgb(vec3 c) {
    vec3 p = abs(fract(c.xxx + vec3(0.0, 2.0 / 3.0, 1.0 / 3.0)) * 6.0 - 3.0);
    return c.z * mix(vec3(1.0), clamp(p - 1.0, 0.0, 1.0), c.y);
}

// Black -> purple -> orange -> yellow -> white, a perceptually ordered heat scale (inferno-like).
vec3 heat(float t) {
    t = clamp(t, 0.0, 1.0);
    vec3 a = vec3(0.0, 0.0, 0.02);
    vec3 b = vec3(0.45, 0.05, 0.5);
    vec3 c = vec3(0.95, 0.4, 0.1);
    vec3 d = vec3(1.0, 0.9, 0.2);
    vec3 e = vec3(1.0, 1.0, 1.0);
    if (t < 0.25) return mix(a, b, t / 0.25);
    if (t < 0.5) return mix(b, c, (t - 0.25) / 0.25);
    if (t < 0.85) return mix(c, d, (t - 0.5) / 0.35);
    return mix(d, e, (t - 0.85) / 0.15);
}

void main() {
    vec2 local = gl_FragCoord.xy - uViewOrigin;
    vec2 fromTop = vec2(local.x, uViewSize.y - local.y);
    vec2 imagePos = uPan + (fromTop - 0.5 * uViewSize) / uZoom;
    ivec2 size = textureSize(uImage, 0);
    ivec2 texel = ivec2(floor(imagePos));
    if (any(lessThan(texel, ivec2(0))) || any(greaterThanEqual(texel, size))) {
        outColor = vec4(0.11, 0.11, 0.12, 1.0);
        return;
    }
    vec4 v = texelFetch(uImage, texel, 0);
    vec3 c;
    if (uMode == 1) {
        float angle = atan(v.y, v.x) / (2.0 * 3.14159265) + 0.5;
        c = hsv2rgb(vec3(angle, 1.0, clamp(length(v.xy) / uMotionScale, 0.0, 1.0)));
    } else if (uMode == 3) {
        // 2 bits blue, 4 green, 8 red, interpolated in log2 between (a MAC-weighted mean lies between widths)
        float t = clamp((log2(max(v.r, 1.0)) - 1.0) / 2.0, 0.0, 1.0);
        c = t < 0.5 ? mix(vec3(0.15, 0.35, 1.0), vec3(0.1, 0.85, 0.25), t * 2.0)
                : mix(vec3(0.1, 0.85, 0.25), vec3(1.0, 0.2, 0.1), t * 2.0 - 1.0);
    } else if (uMode == 2) {
        vec3 r = texelFetch(uReference, texel, 0).rgb;
        vec3 e = abs(displayEncode(v.rgb, uEncoding) - displayEncode(r, uEncoding));
        c = heat((e.r + e.g + e.b) / 3.0 / uErrorScale);
    } else {
        bvec3 bad = not(greaterThan(v.rgb, vec3(0.0)));   // negatives and NaN show black
        vec3 x = min(mix(v.rgb, vec3(0.0), bad) * exp2(uExposure), vec3(65504.0));
        c = metricsSrgbOetf(metricsAces(x));
    }
    bool onLine = (uProfileAxis == 1 && texel.y == uProfileIndex) || (uProfileAxis == 2 && texel.x == uProfileIndex);
    if (onLine) {
        c = mix(c, vec3(1.0, 0.85, 0.1), 0.6);
    }
    outColor = vec4(c, 1.0);
}
