#version 450 core
// Test kernel: applies pqEncode and pqDecode to a buffer so the GLSL curve can be compared with the Java one.
#include "common/pq.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer In { float values[]; };
layout(std430, binding = 1) writeonly buffer Out { vec2 results[]; };
uniform int uCount;
void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uint(uCount)) return;
    float v = values[i];
    results[i] = vec2(pqEncode(vec3(v)).r, pqDecode(vec3(v)).r);
}
