// QW-Net's integer feature extractor on tensor cores (Thomas et al. 2020, section 5, Figure 4): every convolution as an
// implicit GEMM, D[pixel][out] = sum_k A[pixel][k] B[k][out] with k running over (tap, input channel), on warp-wide
// MMA (kernels/mma.cuh), the epilogue fused. Golden: org.reconview.nn.QuantizedModel / QuantizedConv; the planner that
// launches these kernels and arranges their weights is org.reconview.nn.cuda.CudaInt4Extractor.
//
// Tensors are the packed codes of org.reconview.nn.gl.Int4Tensor (what the GLSL passes read and write): 4-bit codes,
// 8 channels a uint32 (channel 8 g + i in bits 4i..4i+3 of word group g), or 8-bit codes 4 a word for the network
// input; word (g, y, x) at (g * H + y) * W + x. Kernel-prediction outputs are FP32 CHW, what the GLSL filter network
// reads. So no conversion pass stands between these kernels and the GL passes around them.
//
// Tiling. A block is 4 warps (threads 32 x 4) over a 16 x 8 pixel tile and 32 output channels (blockIdx.z picks the
// 32). A warp owns 8 x 4 pixels as two m-tiles of 16 GEMM rows = 8 pixels of one image row (rows 0-7) over the 8
// pixels below them (rows 8-15), and four n-tiles of 8 channels: per lane 2 x 4 x 4 int32 accumulators. With
// g = lane >> 2, t = lane & 3 a lane accumulates, per m-tile and n-tile, channels 2t and 2t + 1 of pixel column g in
// the upper and the lower row (mma.cuh's C fragment), which is what lets the epilogue pack 8 channels a word with two
// shuffles and max-pool 2x2 with one more.
//
// Arithmetic paths for 4-bit x 4-bit (template PATH):
//   S4: native 4-bit MMA, m8n8k32.s4 (sm_75-sm_86). A k-step is 32 channels = 4 words of one pixel; lane t's A
//       register is word group 4 ks + t of its pixel as stored, and its B register weight word group 4 ks + t: no
//       unpacking at all.
//   S8: on sm_89/sm_90 and newer, where 4-bit MMA is emulated, the same 4-bit activation words are loaded and
//       unpacked in registers to the s8 fragments of m16n8k32 (lane t takes channels 4t..4t+3 and 16+4t..16+4t+3:
//       nibble half t & 1 of word groups t >> 1 and 2 + (t >> 1)) for the INT8 tensor cores. The weights (1.2 M
//       values for all of QW-Net, read from cache) are widened to 8 bits once by the planner, which takes the unpacking
//       of B out of the inner loop; feature maps, the traffic that grows with the image, stay 4-bit.
// Both are compiled for every target so that the GPU machine can measure both (bench); the planner picks S4 below
// sm_89 and S8 from sm_89 on.
// The 8-bit input conv (8 channels, 2 words a pixel) and the kernel-prediction convs (4-bit activations, 8-bit
// weights, FP32 out) use m16n8k32.s8 on every target (mma.cuh composes it from m8n8k16 on sm_75).
//
// Weights come pre-arranged by the planner in fragment order, one 32-word row per (n-tile, tap, k-step, register)
// indexed by lane, so a warp's B load is one coalesced 128-byte row; channels and taps past the real ones hold zero
// weights, which is what makes padded k-steps harmless.
//
// Epilogue (section 5): y_o = alpha_o * float(acc_o) + c_o, two roundings (__fmul_rn/__fadd_rn: no FMA contraction,
// as the golden model and the GLSL `precise`), then ELU (expf, full precision) and requantization Q of eq. 7 to the
// output range, or for kernel prediction softmax over the pixel's channels, FP32 out.
// Fused: 2x2 max pooling (second output; codes are monotone in the value), nearest 2x upsampling and channel
// concatenation of the decoder (the conv reads the coarser tensor at (y/2, x/2) for its first word groups and the
// skip tensor for the rest: neither is materialised).
#include "cuda_compat.cuh"
#include "mma.cuh"

namespace {

constexpr int WARPS = 4;
constexpr int THREADS = 32 * WARPS;
constexpr int TILE_W = 16;       // block tile: 2 warps across ...
constexpr int TILE_H = 8;        // ... 2 down, each 8 x 4 pixels
constexpr int MT = 2;            // m-tiles a warp: 2 pairs of rows
constexpr int NT = 4;            // n-tiles a warp: 4 x 8 = 32 output channels

// One convolution launch. Field order and sizes are the contract with org.reconview.nn.cuda.CudaInt4Extractor.
struct ConvParams {
    const uint32_t* src0;     // input codes; with upsample0, the coarser tensor (H/2 x W/2) of the decoder concat
    const uint32_t* src1;     // the concat's second part (skip connection, H x W), or null
    const uint32_t* weights;  // fragment-ordered weight rows (see the planner)
    const float* epilogue;    // alpha[outChannels] then c[outChannels]
    void* dst;                // 4-bit codes H x W, or FP32 CHW (kernel prediction)
    uint32_t* pooled;         // 2x2 max-pooled codes (H/2 x W/2), or null
    int* debugAcc;            // int32 accumulators OHW, or null
    int height;               // output size = input size (stride 1, "same" padding)
    int width;
    int groups0;              // word groups of src0
    int groups1;              // word groups of src1 (0 without concat)
    int upsample0;            // 1: src0 is nearest-upsampled 2x on the fly
    int kSteps;               // k-steps per tap (4-bit: ceil(groups / 4)); taps / 4 rounded up for the input conv
    int outChannels;
    uint32_t padWord;         // the input zero point in every lane: what padding taps read
    float outLo;              // output range (4-bit outputs): l_a, u_a, s, z of eq. 7
    float outHi;
    float outScale;
    int outZero;
};
static_assert(sizeof(ConvParams) == 104, "ConvParams layout is shared with CudaInt4Extractor");

struct Tile {
    int lane, g, t;
    int x0, y0;       // the warp's top-left pixel
    int chunk;        // output channels chunk * 32 ...
};

RV_DEVICE Tile tile() {
    Tile w;
    w.lane = threadIdx.x;
    w.g = w.lane >> 2;
    w.t = w.lane & 3;
    int warp = threadIdx.y;
    w.x0 = blockIdx.x * TILE_W + (warp & 1) * 8;
    w.y0 = blockIdx.y * TILE_H + (warp >> 1) * 4;
    w.chunk = blockIdx.z;
    return w;
}

// Word group `group` of the conv's input at pixel (y, x): zero-point padding outside the image, the concat's parts
// by group, the first part upsampled when asked. Groups past the last read the pad word (their weights are zero).
RV_DEVICE uint32_t loadWord(const ConvParams& p, int group, int y, int x) {
    if (y < 0 || y >= p.height || x < 0 || x >= p.width || group >= p.groups0 + p.groups1) {
        return p.padWord;
    }
    if (group < p.groups0) {
        if (p.upsample0) {
            int h = p.height >> 1;
            int w = p.width >> 1;
            return p.src0[((size_t) group * h + (y >> 1)) * w + (x >> 1)];
        }
        return p.src0[((size_t) group * p.height + y) * p.width + x];
    }
    return p.src1[((size_t) (group - p.groups0) * p.height + y) * p.width + x];
}

// Four signed 4-bit codes (the 16 bits of `half`) as four signed bytes, lowest first.
RV_DEVICE uint32_t nibblesToBytes(uint32_t half) {
    uint32_t x = (half & 0xFu) | ((half & 0xF0u) << 4) | ((half & 0xF00u) << 8) | ((half & 0xF000u) << 12);
    return x | ((x & 0x08080808u) * 0x1Eu);   // sign-extend each byte: bit 3 set -> top nibble 0xF
}

// Nibble half h (0: channels 0-3, 1: 4-7) of a 4-bit word as s8 bytes.
RV_DEVICE uint32_t halfToBytes(uint32_t word, int h) {
    return nibblesToBytes((word >> (16 * h)) & 0xFFFFu);
}

// Signed 4-bit lane i of a word.
RV_DEVICE int nibble(uint32_t word, int i) {
    return ((int) (word << (28 - 4 * i))) >> 28;
}

// Q(x) of eq. 7, as quantize() in shaders/nn/int4.glsl and ActivationQuant.code.
RV_DEVICE int quantize(float x, float lo, float hi, float s, int z) {
    if (x <= lo) return -8;
    if (x >= hi) return 7;
    if (isnan(x)) return z;
    float q = __fdiv_rn(x, s);
    int c = z + (int) floorf(__fadd_rn(q, 0.5f));
    return min(max(c, -8), 7);
}

// y = alpha acc + c without contraction.
RV_DEVICE float affine(const ConvParams& p, int o, int acc) {
    return __fadd_rn(__fmul_rn(p.epilogue[o], (float) acc), p.epilogue[p.outChannels + o]);
}

RV_DEVICE void clear(int (&acc)[MT][NT][4]) {
#pragma unroll
    for (int m = 0; m < MT; m++)
#pragma unroll
        for (int n = 0; n < NT; n++)
#pragma unroll
            for (int i = 0; i < 4; i++) acc[m][n][i] = 0;
}

// acc[m][n] += A[m] B for the n-tiles whose 8-bit weight rows (two 32-word rows each: registers b[0], b[1]) start at
// row (rowBase + n * rowStride) * 64: the s8 k-step of the input conv and the kernel predictions.
RV_DEVICE void mmaS8Rows(int (&acc)[MT][NT][4], const uint32_t (&a)[MT][4], const uint32_t* weights, size_t rowBase,
                         size_t rowStride, int lane) {
#pragma unroll
    for (int n = 0; n < NT; n++) {
        size_t row = (rowBase + n * rowStride) * 64;
        uint32_t b[2] = {weights[row + lane], weights[row + 32 + lane]};
#pragma unroll
        for (int m = 0; m < MT; m++) mma_m16n8k32_s8(acc[m][n], a[m], b);
    }
}

RV_DEVICE uint32_t max4(uint32_t a, uint32_t b) {   // lane-wise signed max of two 4-bit words
    uint32_t r = 0;
#pragma unroll
    for (int i = 0; i < 8; i++) {
        int m = max(nibble(a, i), nibble(b, i));
        r |= ((uint32_t) m & 0xFu) << (4 * i);
    }
    return r;
}

// The 4-bit epilogue: ELU, requantize, pack 8 channels a word across the lane quad, store, and the fused 2x2 max pool.
RV_DEVICE void storeCodes(const ConvParams& p, const Tile& w, int (&acc)[MT][NT][4]) {
    int outGroups = (p.outChannels + 7) >> 3;
    uint32_t* dst = (uint32_t*) p.dst;
#pragma unroll
    for (int m = 0; m < MT; m++) {
        int x = w.x0 + w.g;
        int yTop = w.y0 + 2 * m;
#pragma unroll
        for (int n = 0; n < NT; n++) {
            int group = w.chunk * NT + n;
            uint32_t word[2];
#pragma unroll
            for (int r = 0; r < 2; r++) {   // r = 0: upper row, 1: lower row
                int y = yTop + r;
                uint32_t bits = 0;
#pragma unroll
                for (int i = 0; i < 2; i++) {
                    int o = group * 8 + 2 * w.t + i;
                    int a = acc[m][n][2 * r + i];
                    int code = 0;
                    if (o < p.outChannels) {
                        float v = affine(p, o, a);
                        v = v > 0.0f ? v : expf(v) - 1.0f;   // ELU
                        code = quantize(v, p.outLo, p.outHi, p.outScale, p.outZero);
                        if (p.debugAcc != nullptr && y < p.height && x < p.width) {
                            p.debugAcc[((size_t) o * p.height + y) * p.width + x] = a;
                        }
                    }
                    bits |= ((uint32_t) code & 0xFu) << (4 * (2 * w.t + i));
                }
                bits |= __shfl_xor_sync(0xFFFFFFFFu, bits, 1);
                bits |= __shfl_xor_sync(0xFFFFFFFFu, bits, 2);
                word[r] = bits;
                if (w.t == r && group < outGroups && y < p.height && x < p.width) {
                    dst[((size_t) group * p.height + y) * p.width + x] = bits;
                }
            }
            if (p.pooled != nullptr) {
                uint32_t column = max4(word[0], word[1]);
                uint32_t other = __shfl_xor_sync(0xFFFFFFFFu, column, 4);   // pixel column g ^ 1
                int ph = p.height >> 1;
                int pw = p.width >> 1;
                if ((w.g & 1) == 0 && w.t == 0 && group < outGroups && (yTop >> 1) < ph && (x >> 1) < pw) {
                    p.pooled[((size_t) group * ph + (yTop >> 1)) * pw + (x >> 1)] = max4(column, other);
                }
            }
        }
    }
}

// acc += the 4-bit input (4-bit weights on the S4 path, 8-bit s8 fragments on the S8 path) over every tap and k-step.
template <int K, bool S8>
RV_DEVICE void accumulate4(const ConvParams& p, const Tile& w, int (&acc)[MT][NT][4]) {
    constexpr int TAPS = K * K;
    const uint32_t* weights = p.weights;
    for (int tap = 0; tap < TAPS; tap++) {
        int dy = tap / K - K / 2;
        int dx = tap % K - K / 2;
        for (int ks = 0; ks < p.kSteps; ks++) {
            if (!S8) {
                uint32_t a[MT][2];
#pragma unroll
                for (int m = 0; m < MT; m++) {
#pragma unroll
                    for (int r = 0; r < 2; r++) {
                        a[m][r] = loadWord(p, 4 * ks + w.t, w.y0 + 2 * m + r + dy, w.x0 + w.g + dx);
                    }
                }
#pragma unroll
                for (int n = 0; n < NT; n++) {
                    size_t row = (((size_t) (w.chunk * NT + n) * TAPS + tap) * p.kSteps + ks) * 32;
                    uint32_t b = weights[row + w.lane];
#pragma unroll
                    for (int m = 0; m < MT; m++) {
                        int upper[2] = {acc[m][n][0], acc[m][n][1]};
                        int lower[2] = {acc[m][n][2], acc[m][n][3]};
                        mma_m8n8k32_s4(upper, a[m][0], b);
                        mma_m8n8k32_s4(lower, a[m][1], b);
                        acc[m][n][0] = upper[0];
                        acc[m][n][1] = upper[1];
                        acc[m][n][2] = lower[0];
                        acc[m][n][3] = lower[1];
                    }
                }
            } else {
                int h = w.t & 1;
                int q = w.t >> 1;
                uint32_t a[MT][4];
#pragma unroll
                for (int m = 0; m < MT; m++) {
#pragma unroll
                    for (int r = 0; r < 2; r++) {
                        int y = w.y0 + 2 * m + r + dy;
                        int x = w.x0 + w.g + dx;
                        a[m][r] = halfToBytes(loadWord(p, 4 * ks + q, y, x), h);          // channels 4t..4t+3
                        a[m][2 + r] = halfToBytes(loadWord(p, 4 * ks + 2 + q, y, x), h);  // 16 + 4t..
                    }
                }
                mmaS8Rows(acc, a, weights, ((size_t) w.chunk * NT * TAPS + tap) * p.kSteps + ks,
                          (size_t) TAPS * p.kSteps, w.lane);
            }
        }
    }
}

template <int K, bool S8>
RV_DEVICE void conv4(const ConvParams& p) {
    Tile w = tile();
    int acc[MT][NT][4];
    clear(acc);
    accumulate4<K, S8>(p, w, acc);
    storeCodes(p, w, acc);
}

// The input conv: 8-bit codes of the 8 input channels (2 words a pixel), 8-bit weights, 3x3. A k-step is 4 taps x 8
// channels: lane t's register r holds tap 4 ks + 2r + (t >> 1), word t & 1 of its pixel (s8 fragments as stored).
RV_DEVICE void inputConv(const ConvParams& p) {
    Tile w = tile();
    int acc[MT][NT][4];
    clear(acc);
    for (int ks = 0; ks < p.kSteps; ks++) {
        uint32_t a[MT][4];
#pragma unroll
        for (int reg = 0; reg < 2; reg++) {
            int tap = 4 * ks + 2 * reg + (w.t >> 1);
            int dy = tap < 9 ? tap / 3 - 1 : 0;
            int dx = tap < 9 ? tap % 3 - 1 : 0;
#pragma unroll
            for (int m = 0; m < MT; m++) {
#pragma unroll
                for (int r = 0; r < 2; r++) {
                    a[m][2 * reg + r] = loadWord(p, w.t & 1, w.y0 + 2 * m + r + dy, w.x0 + w.g + dx);
                }
            }
        }
        mmaS8Rows(acc, a, p.weights, (size_t) w.chunk * NT * p.kSteps + ks, p.kSteps, w.lane);
    }
    storeCodes(p, w, acc);
}

// Kernel prediction: 1x1 conv of 4-bit codes with 8-bit weights (the S8 path's accumulation), FP32 out, softmax over
// the pixel's channels (at most 32: one n-chunk, so a lane quad holds all of them).
RV_DEVICE void kernelPrediction(const ConvParams& p) {
    Tile w = tile();
    int acc[MT][NT][4];
    clear(acc);
    accumulate4<1, true>(p, w, acc);   // 8-bit weights as s8 fragments: the S8 path's layout
    float* dst = (float*) p.dst;
#pragma unroll
    for (int m = 0; m < MT; m++) {
#pragma unroll
        for (int r = 0; r < 2; r++) {
            int y = w.y0 + 2 * m + r;
            int x = w.x0 + w.g;
            float v[NT][2];
            float top = -INFINITY;
#pragma unroll
            for (int n = 0; n < NT; n++) {
#pragma unroll
                for (int i = 0; i < 2; i++) {
                    int o = n * 8 + 2 * w.t + i;
                    v[n][i] = o < p.outChannels ? affine(p, o, acc[m][n][2 * r + i]) : -INFINITY;
                    top = fmaxf(top, v[n][i]);
                }
            }
            top = fmaxf(top, __shfl_xor_sync(0xFFFFFFFFu, top, 1));
            top = fmaxf(top, __shfl_xor_sync(0xFFFFFFFFu, top, 2));
            float sum = 0.0f;
#pragma unroll
            for (int n = 0; n < NT; n++) {
#pragma unroll
                for (int i = 0; i < 2; i++) {
                    int o = n * 8 + 2 * w.t + i;
                    v[n][i] = o < p.outChannels ? expf(__fsub_rn(v[n][i], top)) : 0.0f;
                    sum = __fadd_rn(sum, v[n][i]);
                }
            }
            sum = __fadd_rn(sum, __shfl_xor_sync(0xFFFFFFFFu, sum, 1));
            sum = __fadd_rn(sum, __shfl_xor_sync(0xFFFFFFFFu, sum, 2));
            if (y < p.height && x < p.width) {
#pragma unroll
                for (int n = 0; n < NT; n++) {
#pragma unroll
                    for (int i = 0; i < 2; i++) {
                        int o = n * 8 + 2 * w.t + i;
                        if (o < p.outChannels) {
                            size_t at = ((size_t) o * p.height + y) * p.width + x;
                            dst[at] = __fdiv_rn(v[n][i], sum);
                            if (p.debugAcc != nullptr) p.debugAcc[at] = acc[m][n][2 * r + i];
                        }
                    }
                }
            }
        }
    }
}

}  // namespace

// Launch with block (32, 4, 1) and grid (ceil(W / 16), ceil(H / 8), ceil(outChannels / 32)); kernel prediction with
// gridDim.z = 1.
RV_KERNEL(int4_conv3_s4, ConvParams, THREADS) { conv4<3, false>(p); }
RV_KERNEL(int4_conv1_s4, ConvParams, THREADS) { conv4<1, false>(p); }
RV_KERNEL(int4_conv3_s8, ConvParams, THREADS) { conv4<3, true>(p); }
RV_KERNEL(int4_conv1_s8, ConvParams, THREADS) { conv4<1, true>(p); }
RV_KERNEL(int8_input_conv3, ConvParams, THREADS) { inputConv(p); }
RV_KERNEL(int4_kernel_prediction, ConvParams, THREADS) { kernelPrediction(p); }
