// Self-test kernels of the CPU emulator (org.reconview.nn.cuda.EmulatorSelfTest): they check the emulator's MMA
// fragment layouts, shuffles, votes, barriers, launch coordinates and error reports against plain Java. Not a
// top-level kernels/*.cu, so neither packaged nor in production emulator builds; the test also compiles this file
// with nvcc, so that it stays CUDA the GPU would run.
#include "cuda_compat.cuh"
#include "mma.cuh"

#define FULL 0xffffffffu

// ---- MMA: one problem D = C + A B per warp; A M x K, B K x N, C and D M x N, all row-major int, problem
// w = blockIdx.x * warpsPerBlock + warp at offset w times the matrix size. Fragments are loaded exactly as mma.cuh's
// header comment says (g = lane >> 2, t = lane & 3, element i of a register at bits [i*bits, (i+1)*bits)).
struct MmaParams {
    const int* a;
    const int* b;
    const int* c;
    int* d;
};
static_assert(sizeof(MmaParams) == 32, "MmaParams layout");

RV_DEVICE uint32_t packRow(const int* row, int bits, int count) {  // count consecutive elements
    uint32_t r = 0;
    for (int i = 0; i < count; i++) r |= ((uint32_t) row[i] & ((1u << bits) - 1u)) << (i * bits);
    return r;
}

RV_DEVICE uint32_t packColumn(const int* top, int stride, int bits, int count) {  // count elements down a column
    uint32_t r = 0;
    for (int i = 0; i < count; i++) r |= ((uint32_t) top[i * stride] & ((1u << bits) - 1u)) << (i * bits);
    return r;
}

RV_DEVICE int problem() { return blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32; }

RV_KERNEL(selftest_mma_m8n8k32_s4, MmaParams, 64) {
    const int M = 8, N = 8, K = 32;
    int w = problem(), lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
    const int* A = p.a + w * M * K;
    const int* B = p.b + w * K * N;
    const int* C = p.c + w * M * N;
    int* D = p.d + w * M * N;
    uint32_t a = packRow(A + g * K + 8 * t, 4, 8);           // A[g][8t + i]
    uint32_t b = packColumn(B + (8 * t) * N + g, N, 4, 8);   // B[8t + i][g]
    int acc[2] = {C[g * N + 2 * t], C[g * N + 2 * t + 1]};  // C[g][2t + i]
    mma_m8n8k32_s4(acc, a, b);
    D[g * N + 2 * t] = acc[0];
    D[g * N + 2 * t + 1] = acc[1];
}

RV_KERNEL(selftest_mma_m8n8k16_s8, MmaParams, 64) {
    const int M = 8, N = 8, K = 16;
    int w = problem(), lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
    const int* A = p.a + w * M * K;
    const int* B = p.b + w * K * N;
    const int* C = p.c + w * M * N;
    int* D = p.d + w * M * N;
    uint32_t a = packRow(A + g * K + 4 * t, 8, 4);           // A[g][4t + i]
    uint32_t b = packColumn(B + (4 * t) * N + g, N, 8, 4);   // B[4t + i][g]
    int acc[2] = {C[g * N + 2 * t], C[g * N + 2 * t + 1]};
    mma_m8n8k16_s8(acc, a, b);
    D[g * N + 2 * t] = acc[0];
    D[g * N + 2 * t + 1] = acc[1];
}

RV_KERNEL(selftest_mma_m16n8k32_s8, MmaParams, 64) {
    const int M = 16, N = 8, K = 32;
    int w = problem(), lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
    const int* A = p.a + w * M * K;
    const int* B = p.b + w * K * N;
    const int* C = p.c + w * M * N;
    int* D = p.d + w * M * N;
    uint32_t a[4] = {
            packRow(A + g * K + 4 * t, 8, 4),             // A[g][4t + i]
            packRow(A + (g + 8) * K + 4 * t, 8, 4),       // A[g + 8][4t + i]
            packRow(A + g * K + 16 + 4 * t, 8, 4),        // A[g][16 + 4t + i]
            packRow(A + (g + 8) * K + 16 + 4 * t, 8, 4),  // A[g + 8][16 + 4t + i]
    };
    uint32_t b[2] = {
            packColumn(B + (4 * t) * N + g, N, 8, 4),       // B[4t + i][g]
            packColumn(B + (16 + 4 * t) * N + g, N, 8, 4),  // B[16 + 4t + i][g]
    };
    int acc[4] = {C[g * N + 2 * t], C[g * N + 2 * t + 1], C[(g + 8) * N + 2 * t], C[(g + 8) * N + 2 * t + 1]};
    mma_m16n8k32_s8(acc, a, b);
    D[g * N + 2 * t] = acc[0];
    D[g * N + 2 * t + 1] = acc[1];
    D[(g + 8) * N + 2 * t] = acc[2];
    D[(g + 8) * N + 2 * t + 1] = acc[3];
}

// ---- shuffles and votes: thread i of a 1D launch holds in[i]; out[c * threads + i] is case c's result.
struct ShuffleParams {
    const int* in;
    int* out;
    float* floatOut;
};
static_assert(sizeof(ShuffleParams) == 24, "ShuffleParams layout");

#define SHUFFLE_CASES 15

RV_KERNEL(selftest_shuffle, ShuffleParams, 128) {
    int threads = gridDim.x * blockDim.x;
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int lane = threadIdx.x & 31;
    int v = p.in[i];
    int r[SHUFFLE_CASES];
    r[0] = __shfl_sync(FULL, v, lane * 5 + 3);  // source lanes past 31 wrap
    r[1] = __shfl_xor_sync(FULL, v, 1);
    r[2] = __shfl_xor_sync(FULL, v, 18);
    r[3] = __shfl_down_sync(FULL, v, 1);
    r[4] = __shfl_down_sync(FULL, v, 5);
    r[5] = __shfl_up_sync(FULL, v, 3);
    r[6] = __shfl_sync(FULL, v, 13, 8);
    r[7] = __shfl_xor_sync(FULL, v, 4, 8);
    r[8] = __shfl_down_sync(FULL, v, 3, 8);
    r[9] = __shfl_up_sync(FULL, v, 2, 16);
    r[10] = (int) __shfl_sync(FULL, (unsigned) v * 3u, 31 - lane);
    r[11] = (int) __ballot_sync(FULL, (v & 1) != 0);
    r[12] = __any_sync(FULL, v % 7 == 0);
    r[13] = __all_sync(FULL, v > -1000000);
    int sum = v;  // butterfly warp sum: every lane ends with the total
    for (int m = 16; m > 0; m >>= 1) sum += __shfl_xor_sync(FULL, sum, m);
    r[14] = sum;
    for (int c = 0; c < SHUFFLE_CASES; c++) p.out[c * threads + i] = r[c];
    __syncwarp();
    p.floatOut[i] = __shfl_down_sync(FULL, __fadd_rn(__fmul_rn((float) v, 0.5f), 0.25f), 7);
}

// ---- block reduction with shared memory and barriers; every thread records its coordinates (12 ints).
struct ReduceParams {
    const int* in;
    int* blockSums;
    int* coords;
};
static_assert(sizeof(ReduceParams) == 24, "ReduceParams layout");

RV_KERNEL(selftest_reduce, ReduceParams, 256) {
    __shared__ int partial[256];
    unsigned n = blockDim.x * blockDim.y * blockDim.z;  // a power of two
    unsigned t = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
    unsigned block = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
    unsigned global = block * n + t;
    int* c = p.coords + global * 12;
    c[0] = threadIdx.x, c[1] = threadIdx.y, c[2] = threadIdx.z;
    c[3] = blockIdx.x, c[4] = blockIdx.y, c[5] = blockIdx.z;
    c[6] = blockDim.x, c[7] = blockDim.y, c[8] = blockDim.z;
    c[9] = gridDim.x, c[10] = gridDim.y, c[11] = gridDim.z;
    partial[t] = p.in[global];
    __syncthreads();
    for (unsigned s = n / 2; s > 0; s >>= 1) {
        if (t < s) partial[t] += partial[t + s];
        __syncthreads();
    }
    if (t == 0) p.blockSums[block] = partial[0];
}

// ---- float epilogue arithmetic: must round each operation as the GPU's _rn intrinsics (no FMA contraction).
struct FloatParams {
    const float* a;
    const float* b;
    const float* c;
    float* out;  // 2n: a*b + c, then a / b
    int n;
};
static_assert(sizeof(FloatParams) == 40, "FloatParams layout");

RV_KERNEL(selftest_float, FloatParams, 256) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= p.n) return;
    p.out[i] = __fadd_rn(__fmul_rn(p.a[i], p.b[i]), p.c[i]);
    p.out[p.n + i] = __fdiv_rn(p.a[i], p.b[i]);
}

// ---- errors the emulator must report.
struct ErrorParams {
    int* out;
};
static_assert(sizeof(ErrorParams) == 8, "ErrorParams layout");

// Lane 0 returns, then the rest of its warp shuffles: undefined on a GPU, a launch error in the emulator.
RV_KERNEL(selftest_early_return, ErrorParams, 64) {
    int lane = threadIdx.x & 31;
    if (lane == 0) return;
    p.out[threadIdx.x] = __shfl_xor_sync(FULL, lane, 1);
}

// Half of each warp waits at the block barrier, the other half at a warp barrier: neither can complete.
RV_KERNEL(selftest_deadlock, ErrorParams, 64) {
    if ((threadIdx.x & 31) < 16) {
        __syncthreads();
    } else {
        __syncwarp();
    }
    p.out[threadIdx.x] = 1;
}

// Thread 5 writes through p.out, which the test points outside any mapping.
RV_KERNEL(selftest_crash, ErrorParams, 32) {
    if (threadIdx.x == 5) *(volatile int*) p.out = 1;
}
