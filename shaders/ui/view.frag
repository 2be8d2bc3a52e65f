#version 450 core
// One view of the viewer's main area, drawn into its rectangle of the window: a method's image with pan and zoom
// (nearest neighbour: pixels stay pixels), shown through exposure + the sRGB display curve (ACES fit, sRGB OETF: the
// curve of the srgb metric encoding, shared through metrics/encoding.glsl); or the motion vectors (hue = direction,
// brightness = length); or an error map |E(method) - E(reference)| in the metric encoding E, or the method's LDR-FLIP
// map, through the magma colour map (its published table, a 256x1 texture: color/ColorMap). The temporal-profile line
// is tinted. Inputs: RGBA32F textures, row 0 = top; the window's row 0 is at the bottom.
#include "metrics/encoding.glsl"

layout(binding = 0) uniform sampler2D uImage;
layout(binding = 1) uniform sampler2D uReference;
layout(binding = 2) uniform sampler2D uColorMap;  // 256 x 1, linear filtering: ColorMap.rgb's interpolation
layout(binding = 3) uniform sampler2D uDivergingMap;  // CET-D1 likewise, for signed differences
uniform int uMode;            // 0 colour, 1 motion, 2 error map, 3 CADyQ bit map (bits in .r), 4 FLIP map (.r),
                              // 5 signed difference, 6 SSIM map (.r; 1 - SSIM through magma, NaN: background), 7 relative error
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

// Entry t * 255 of the table, interpolated between neighbours (texel centres at (i + 0.5) / 256).
vec3 colormap(float t) {
    return texture(uColorMap, vec2((clamp(t, 0.0, 1.0) * 255.0 + 0.5) / 256.0, 0.5)).rgb;
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
        c = colormap((e.r + e.g + e.b) / 3.0 / uErrorScale);
    } else if (uMode == 4) {
        c = colormap(v.r);
    } else if (uMode == 7) {
        vec3 r = texelFetch(uReference, texel, 0).rgb;
        vec3 e = abs(v.rgb - r) / (abs(r) + 0.01);
        c = colormap((e.r + e.g + e.b) / 3.0 / uErrorScale);
    } else if (uMode == 6) {
        c = isnan(v.r) ? vec3(0.11, 0.11, 0.12) : colormap(1.0 - v.r);
    } else if (uMode == 5) {
        vec3 r = texelFetch(uReference, texel, 0).rgb;
        vec3 d = displayEncode(v.rgb, uEncoding) - displayEncode(r, uEncoding);
        float t = 0.5 + 0.5 * (d.r + d.g + d.b) / 3.0 / uErrorScale;
        c = texture(uDivergingMap, vec2((clamp(t, 0.0, 1.0) * 255.0 + 0.5) / 256.0, 0.5)).rgb;
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
