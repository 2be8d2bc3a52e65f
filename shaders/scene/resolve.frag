#version 450 core
// Reference resolve: mean of the PQ-encoded samples, decoded back to linear HDR.
#include "common/pq.glsl"
layout(binding = 0) uniform sampler2D uSum;
layout(location = 0) out vec4 outColor;
void main() {
    vec4 s = texelFetch(uSum, ivec2(gl_FragCoord.xy), 0);
    outColor = vec4(pqDecode(s.rgb / max(s.a, 1.0)), 1.0);
}
