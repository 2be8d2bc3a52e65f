#version 450 core
// Test kernel: applies displayEncode with every encoding to a buffer, so the GLSL encodings can be compared with
// org.reconview.metrics.DisplayEncoding.
//   in   values[i]                  SSBO binding 0
//   out  results[i] = (pq, srgb, linear, 0)   SSBO binding 1
#include "metrics/encoding.glsl"
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer In { float values[]; };
layout(std430, binding = 1) writeonly buffer Out { vec4 results[]; };
uniform int uCount;
void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uint(uCount)) return;
    vec3 v = vec3(values[i]);
    results[i] = vec4(displayEncode(v, ENCODING_PQ).r, displayEncode(v, ENCODING_SRGB).r,
            displayEncode(v, ENCODING_LINEAR).r, 0.0);
}
