#version 450 core
// Peak arithmetic throughput probe: each invocation runs 8 independent vec4 multiply-add chains (no memory traffic
// in the loop), so the measured rate is what the device can do at best: the yardstick for the network passes.
layout(local_size_x = 64) in;
layout(std430, binding = 0) writeonly buffer Out { vec4 sink[]; };
uniform int uIterations;
uniform float uSeed;

void main() {
    vec4 a0 = vec4(uSeed) + float(gl_GlobalInvocationID.x) * 1e-7;
    vec4 a1 = a0 + 0.1, a2 = a0 + 0.2, a3 = a0 + 0.3, a4 = a0 + 0.4, a5 = a0 + 0.5, a6 = a0 + 0.6, a7 = a0 + 0.7;
    const vec4 m = vec4(0.9999);
    const vec4 c = vec4(1e-4);
    for (int i = 0; i < uIterations; i++) {
        a0 = fma(a0, m, c); a1 = fma(a1, m, c); a2 = fma(a2, m, c); a3 = fma(a3, m, c);
        a4 = fma(a4, m, c); a5 = fma(a5, m, c); a6 = fma(a6, m, c); a7 = fma(a7, m, c);
    }
    sink[gl_GlobalInvocationID.x] = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
}
