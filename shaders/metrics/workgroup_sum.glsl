// Sum of one float over a 2D workgroup of GROUP_SIZE x GROUP_SIZE invocations: a shared-memory tree (log2 steps),
// pairwise, so the float32 rounding grows with log2(256) = 8 additions, not 256. Every invocation of the workgroup
// must call it (it contains barriers); the total is returned to invocation 0 (the others get partial sums).
// GROUP_SIZE is #defined by GpuMetrics.
#if !defined(GROUP_SIZE)
#error "GROUP_SIZE must be defined by GpuMetrics"
#endif
const uint WG_INVOCATIONS = uint(GROUP_SIZE * GROUP_SIZE);
shared float wgSum[WG_INVOCATIONS];

float workgroupSum(float v) {
    uint i = gl_LocalInvocationIndex;
    wgSum[i] = v;
    barrier();
    for (uint stride = WG_INVOCATIONS / 2u; stride > 0u; stride >>= 1) {
        if (i < stride) {
            wgSum[i] += wgSum[i + stride];
        }
        barrier();
    }
    return wgSum[0];
}

// Index of this workgroup in a row-major grid of workgroups: the slot its partial sum goes to.
uint workgroupIndex() {
    return gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
}
