#version 450 core
// Shows a frame texture on screen: HDR colour through exposure, a fixed filmic tone map (Narkowicz's ACES fit) and
// the sRGB transfer; motion vectors as colour (hue = direction, brightness = length, 1 at uMotionScale pixels).
// The default framebuffer has its first row at the bottom, our textures at the top: v is flipped here.
layout(binding = 0) uniform sampler2D uImage;
uniform int uMode;            // 0 colour, 1 motion
uniform float uExposure;      // stops
uniform float uMotionScale;   // pixels that map to full brightness
in vec2 vUv;
layout(location = 0) out vec4 outColor;

vec3 aces(vec3 x) {
    return clamp((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14), 0.0, 1.0);
}

vec3 srgbOetf(vec3 c) {
    return mix(12.92 * c, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(0.0031308, c));
}

vec3 hsv2rgb(vec3 c) {
    vec3 p = abs(fract(c.xxx + vec3(0.0, 2.0 / 3.0, 1.0 / 3.0)) * 6.0 - 3.0);
    return c.z * mix(vec3(1.0), clamp(p - 1.0, 0.0, 1.0), c.y);
}

void main() {
    vec4 v = texture(uImage, vec2(vUv.x, 1.0 - vUv.y));
    vec3 c;
    if (uMode == 1) {
        float angle = atan(v.y, v.x) / (2.0 * 3.14159265) + 0.5;
        c = hsv2rgb(vec3(angle, 1.0, clamp(length(v.xy) / uMotionScale, 0.0, 1.0)));
    } else {
        vec3 x = max(v.rgb, 0.0) * exp2(uExposure);
        c = srgbOetf(aces(x));
    }
    outColor = vec4(c, 1.0);
}
