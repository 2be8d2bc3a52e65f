#version 450 core
// FLIP pass 4 of 4 (GpuFlip.mean): adds flip_error.comp's per-workgroup partial sums of the last map into one float,
// so one float comes back for the mean (Flip's mean(), summed in double there; here Kahan in float per invocation,
// then a shared-memory tree, as metrics/reduce.comp).
//   in   partials[i], i < uCount   SSBO binding 3
//   out  total[0]                  SSBO binding 4
layout(local_size_x = 256) in;
layout(std430, binding = 3) readonly buffer Partials { float partials[]; };
layout(std430, binding = 4) writeonly buffer Total { float total[]; };
uniform int uCount;
shared float tree[256];

void main() {
    uint t = gl_LocalInvocationIndex;
    precise float sum = 0.0;
    precise float compensation = 0.0;
    for (int i = int(t); i < uCount; i += 256) {
        precise float y = partials[i] - compensation;
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
        total[0] = tree[0];
    }
}
