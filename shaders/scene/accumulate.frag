#version 450 core
// Reference accumulation: adds one sample image, PQ-encoded, to the running sum (additive blending, fixed order, so
// the result is deterministic). Alpha counts samples. Accumulating in PQ space keeps rare very bright samples from
// dominating a pixel, as the paper did for its references (section 6.1).
#include "common/pq.glsl"
layout(binding = 0) uniform sampler2D uSample;
layout(location = 0) out vec4 outSum;
void main() {
    vec3 c = texelFetch(uSample, ivec2(gl_FragCoord.xy), 0).rgb;
    outSum = vec4(pqEncode(c), 1.0);
}
