// What the GPU reaches, as yardsticks for the feature-extractor kernels (org.reconview.nn.cuda.Roofline):
//   roofline_mma   INT8 tensor-core throughput of mma.sync m16n8k32 .s8 (mma.cuh; four m8n8k16 on sm_75)
//   roofline_copy  memory bandwidth: a grid-stride copy of 16-byte words
// Both give results the host checks exactly (Roofline.mmaLaneChecksums, and the copy equals its source), so a fast
// but wrong run is caught, and neither can be optimised away.
#include "cuda_compat.cuh"
#include "mma.cuh"

// Independent accumulators per warp: consecutive mma.sync on one accumulator wait for each other (the tensor pipe's
// latency is several times its issue interval), eight independent ones keep it busy.
#define ROOFLINE_CHAINS 8
#define ROOFLINE_THREADS 256

struct RooflineMmaParams {
    uint32_t* out;       // one checksum per thread: out[warp * 32 + lane], warp = global warp index
    uint32_t seed;       // the fragments are a hash of (seed, warp, lane, register)
    int32_t iterations;  // each iteration is ROOFLINE_CHAINS mma per warp, 16*8*32 MACs each; < 2^20 (no overflow)
};
static_assert(sizeof(RooflineMmaParams) == 16, "Roofline.mmaParams lays out 16 bytes");

// lowbias32 (Chris Wellons' integer hash); Roofline.hash is the same in Java
RV_DEVICE uint32_t roofline_hash(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

// Register j of lane `lane` in warp `warp`: four signed bytes in [-8, 7] (so |sum of 32 products| <= 2048 and
// iterations * 2048 fits int32: the accumulators never overflow, and no saturation question arises).
RV_DEVICE uint32_t roofline_fragment(uint32_t seed, uint32_t warp, uint32_t lane, uint32_t j) {
    uint32_t h = roofline_hash(seed ^ roofline_hash((warp * 32u + lane) * 32u + j));
    uint32_t word = 0;
    for (int i = 0; i < 4; i++) {
        uint32_t v = (uint32_t) ((int) ((h >> (8 * i)) & 15u) - 8) & 0xffu;
        word |= v << (8 * i);
    }
    return word;
}

// Every warp multiplies its A (16x32) by ROOFLINE_CHAINS different B (32x8), each `iterations` times accumulating,
// so chain c ends with iterations * (A B_c). Each lane writes sum over chains and its 4 accumulator registers of
// acc * (8 * row + col + 1) (uint32, wrapping), row/col the C element the register holds (mma.cuh's layout), so a
// wrong fragment layout changes the result.
RV_KERNEL(roofline_mma, RooflineMmaParams, ROOFLINE_THREADS) {
    const uint32_t lane = threadIdx.x & 31u;
    const uint32_t warp = (blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    uint32_t a[4];
    uint32_t b[ROOFLINE_CHAINS][2];
    int acc[ROOFLINE_CHAINS][4];
    for (int r = 0; r < 4; r++) {
        a[r] = roofline_fragment(p.seed, warp, lane, r);
    }
    for (int c = 0; c < ROOFLINE_CHAINS; c++) {
        b[c][0] = roofline_fragment(p.seed, warp, lane, 4 + 2 * c);
        b[c][1] = roofline_fragment(p.seed, warp, lane, 5 + 2 * c);
        for (int r = 0; r < 4; r++) {
            acc[c][r] = 0;
        }
    }
    for (int it = 0; it < p.iterations; it++) {
#pragma unroll
        for (int c = 0; c < ROOFLINE_CHAINS; c++) {
            mma_m16n8k32_s8(acc[c], a, b[c]);
        }
    }
    const uint32_t g = lane >> 2, t = lane & 3u;
    uint32_t sum = 0;
    for (int c = 0; c < ROOFLINE_CHAINS; c++) {
        for (int r = 0; r < 4; r++) {
            uint32_t row = g + (r >= 2 ? 8u : 0u);
            uint32_t col = 2u * t + (uint32_t) (r & 1);
            sum += (uint32_t) acc[c][r] * (8u * row + col + 1u);
        }
    }
    p.out[warp * 32u + lane] = sum;
}

// 16-byte words: uint4 on the GPU (one 128-bit load and store each), a struct of the same size in the emulator
#if defined(__CUDACC__)
typedef uint4 roofline_word;
#else
struct alignas(16) roofline_word {
    uint32_t x, y, z, w;
};
#endif

struct RooflineCopyParams {
    const roofline_word* src;
    roofline_word* dst;
    uint64_t words;  // 16-byte words to copy
};
static_assert(sizeof(RooflineCopyParams) == 24, "Roofline.copyParams lays out 24 bytes");

RV_KERNEL(roofline_copy, RooflineCopyParams, ROOFLINE_THREADS) {
    const uint64_t stride = (uint64_t) gridDim.x * blockDim.x;
    for (uint64_t i = (uint64_t) blockIdx.x * blockDim.x + threadIdx.x; i < p.words; i += stride) {
        p.dst[i] = p.src[i];
    }
}
