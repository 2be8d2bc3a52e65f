#version 450 core
// Background pass, drawn first at the far plane: a gradient sky with an HDR sun disk. Its motion vectors come from
// camera rotation alone (the sky is infinitely far), its depth is the far plane.
#include "scene/camera.glsl"

uniform mat4 uInvViewProjRotation;    // inverse of projection * rotation part of the view (current frame)
uniform mat4 uPrevViewProjRotation;   // projection * rotation part of the previous view
uniform mat4 uViewProjRotation;
uniform vec3 uHorizon;
uniform vec3 uZenith;
uniform vec3 uSunDirection;           // towards the sun
uniform vec3 uSunColor;
uniform float uSunCos;                // cosine of the sun's angular radius
uniform float uFar;

layout(location = 0) out vec4 outColor;
layout(location = 1) out vec2 outMotion;
layout(location = 2) out float outDepth;

void main() {
    vec2 samplePos = gl_FragCoord.xy + uSampleOffset;         // unjittered image position of this pixel's sample
    vec2 ndc = samplePos / uViewport * 2.0 - 1.0;
    vec4 d4 = uInvViewProjRotation * vec4(ndc, 1.0, 1.0);
    vec3 dir = normalize(d4.xyz / d4.w);
    float up = clamp(dir.y, -1.0, 1.0);
    vec3 color = mix(uHorizon, uZenith, pow(max(up, 0.0), 0.6));
    color = mix(color, uHorizon * 0.25, clamp(-up * 4.0, 0.0, 1.0));   // below the horizon: dark ground haze
    float sunCos = dot(dir, uSunDirection);
    color += uSunColor * smoothstep(uSunCos - 0.00001, uSunCos, sunCos);
    outColor = vec4(color, 1.0);
    vec4 now = uViewProjRotation * vec4(dir, 1.0);
    vec4 prev = uPrevViewProjRotation * vec4(dir, 1.0);
    // Directions nearly perpendicular to the previous view axis project to infinity: no usable motion there.
    outMotion = prev.w > 0.05 ? motionPixels(now, prev) : vec2(0.0);
    outDepth = uFar;
}
