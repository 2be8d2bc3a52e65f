#version 450 core
// Geometry pass, fragment side: shades the surface in linear HDR and writes, for the 1-spp frame, its motion vector
// (pixels, current -> previous, jitter removed) and linear view depth. Reference passes use only the colour output.
#include "scene/camera.glsl"
#include "scene/material.glsl"
#include "scene/lighting.glsl"

in vec3 vWorldPos;
in vec3 vNormal;
in vec2 vUv;
in vec4 vClipNow;
in vec4 vClipPrev;

uniform vec3 uAmbientHorizon;
uniform vec3 uAmbientZenith;

layout(location = 0) out vec4 outColor;
layout(location = 1) out vec2 outMotion;
layout(location = 2) out float outDepth;

void main() {
    Surface s = surfaceAt(vUv);
    if (s.cutout) {
        discard;
    }
    vec3 v = normalize(uCameraPos - vWorldPos);
    // an interpolated normal can vanish between opposite vertex normals: normalize(0) is NaN
    vec3 n = dot(vNormal, vNormal) > 1e-20 ? normalize(vNormal) : v;
    if (dot(n, v) < 0.0) {
        n = -n;   // two-sided: thin quads (leaves, fences, signs) are seen from both sides
    }
    // Ambient: diffuse from the sky hemisphere, and a glossy reflection of the sky gradient (no environment map),
    // so that metals are not black where no light's highlight falls.
    vec3 r = reflect(-v, n);
    vec3 f0 = mix(vec3(0.04), s.albedo, s.metallic);
    vec3 fresnel = f0 + (1.0 - f0) * pow(clamp(1.0 - dot(n, v), 0.0, 1.0), 5.0) * (1.0 - s.roughness);
    vec3 ambientDiffuse = mix(uAmbientHorizon, uAmbientZenith, n.y * 0.5 + 0.5) * s.albedo * (1.0 - s.metallic);
    vec3 ambientSpecular = mix(uAmbientHorizon, uAmbientZenith, clamp(r.y, 0.0, 1.0)) * 4.0 * fresnel;
    vec3 color = shade(vWorldPos, n, v, s.albedo, s.roughness, s.metallic) + ambientDiffuse + ambientSpecular
            + s.emissive;
    outColor = vec4(color, 1.0);
    outMotion = motionPixels(vClipNow, vClipPrev);
    outDepth = -(uView * vec4(vWorldPos, 1.0)).z;
}
