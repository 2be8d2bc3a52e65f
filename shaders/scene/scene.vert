#version 450 core
// Geometry pass: places a vertex at the current and the previous time (model animation and wind sway), shifts the
// projection by the pass's sub-pixel sample offset, and hands both unjittered clip positions to the fragment shader
// for motion vectors.
#include "scene/camera.glsl"

layout(location = 0) in vec3 inPosition;
layout(location = 1) in vec3 inNormal;
layout(location = 2) in vec2 inUv;

uniform mat4 uModel;
uniform mat4 uPrevModel;
uniform float uWind;           // sway amplitude in metres per metre of height above the object's origin

out vec3 vWorldPos;
out vec3 vNormal;
out vec2 vUv;
out vec4 vClipNow;
out vec4 vClipPrev;

vec3 sway(vec3 p, float t) {
    float phase = dot(p.xz, vec2(0.73, 1.11));
    float h = max(p.y, 0.0);
    return uWind * h * vec3(sin(1.7 * t + phase), 0.0, 0.5 * cos(1.3 * t + 1.7 * phase));
}

void main() {
    vec4 world = uModel * vec4(inPosition, 1.0);
    vec4 prevWorld = uPrevModel * vec4(inPosition, 1.0);
    if (uWind != 0.0) {
        world.xyz += sway(inPosition, uTime);
        prevWorld.xyz += sway(inPosition, uPrevTime);
    }
    vWorldPos = world.xyz;
    vNormal = mat3(uModel) * inNormal;  // models use uniform scale only
    vUv = inUv;
    vClipNow = uViewProj * world;
    vClipPrev = uPrevViewProj * prevWorld;
    vec4 clip = vClipNow;
    clip.xy -= 2.0 * uSampleOffset / uViewport * clip.w;   // pixel centre now samples centre + offset
    gl_Position = clip;
}
