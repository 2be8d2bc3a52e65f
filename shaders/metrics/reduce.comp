#version 450 core
// Metrics pass 4 of 4 (and the end of GpuMetrics.temporalError): sums the per-workgroup partial sums of up to two
// arrays, one workgroup per array, so only a few floats come back to the CPU.
//   in   partials[a * uStride + i], i < uCount[a]   SSBO binding 0 (a = gl_WorkGroupID.x, 0 or 1)
//   out  sums[a]                                    SSBO binding 2
// Each invocation adds a strided subset with Kahan compensation (precise, so the compiler keeps it), then a
// shared-memory tree adds the 256 results.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Partials { float partials[]; };
layout(std430, binding = 2) writeonly buffer Sums { float sums[]; };
uniform int uStride;
uniform int uCount0;
uniform int uCount1;
shared float tree[256];

void main() {
    uint a = gl_WorkGroupID.x;
    uint t = gl_LocalInvocationIndex;
    int count = a == 0u ? uCount0 : uCount1;
    precise float sum = 0.0;
    precise float compensation = 0.0;
    for (int i = int(t); i < count; i += 256) {
        precise float y = partials[int(a) * uStride + i] - compensation;
        precise float s = sum + y;
        compensation = (s - sum) - y;
        sum = s;
    }
    tree[t] = sum;
    barrier();
    for (uint stride = 128u; stride > 0u; stride >>= 1) {
        if (t < stride) {
            tree[t] += tree[t + stride];
        }
        barrier();
    }
    if (t == 0u) {
        sums[a] = tree[0];
    }
}
