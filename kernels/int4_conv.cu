// Integer convolution of QW-Net's feature extractor in CUDA: the same computation as shaders/nn/int4_conv.comp
// (with shaders/nn/int4.glsl) on the same packed buffers, so the GLSL filter network reads its output unchanged.
// Golden: org.reconview.nn.QuantizedConv / IntegerConv (Thomas et al. 2020, section 5, Figure 4).
//
// What it computes (stride 1, K x K taps, K = 3 "same" or 1), for output channel o at pixel (y, x):
//   acc_o = sum_i u_i v_i                     int32; weights u, activations v; padding taps read the zero point z
//   y_o   = alpha_o * float(acc_o) + c_o      section 5: alpha_o = s_x s_w,o,  c_o = b_o - alpha_o z sum_i u_i
// then, OUT_FLOAT 0: ELU, y = y > 0 ? y : exp(y) - 1, and re-quantization (eq. 7):
//   Q(y) = M_l (= -8) if y <= l_a; M_u (= 7) if y >= u_a; z if NaN; else clamp(z + floor(y / s + 0.5), -8, 7)
// packed to 4-bit codes, 8 per word; OUT_FLOAT 1: y written as FP32 CHW (kernel prediction).
// The epilogue is written with __fmul_rn / __fadd_rn / __fdiv_rn so that nvcc does not contract it into an FMA
// (the GLSL marks it `precise`); ELU uses expf (full precision, not __expf).
//
// Layouts (org.reconview.nn.gl.Int4Tensor):
//   activations: codes of A_BITS (4, or 8 for the input conv), A_PER = 32 / A_BITS per uint32, lane i (bits A_BITS*i..)
//     holding channel A_PER*g + i of word group g, two's complement; word (g, y, x) at (g * H + y) * W + x.
//   weights: W_BITS (4, or 8 for the input conv and kernel prediction), W_PER = 32 / W_BITS per word packed along the
//     input channels; word (o, g, t, k) at ((o * G + g) * K*K + t) * W_WORDS + k, W_WORDS = A_PER / W_PER.
//   epilogue: alpha[O] then c[O] (floats).
//   output: 4-bit codes, word (o / 8, y, x) at ((o / 8) * H + y) * W + x; or floats, (o, y, x) CHW.
//   debugAcc (may be null): the int32 accumulators, OHW.
//
// One thread computes 8 output channels (one packed output word) of one pixel, with int32 accumulators. This is the
// plain reference version. To be added and measured on the GPU machine: tensor-core implicit-GEMM versions,
// native 4-bit MMA (mma.sync m8n8k32 .s4) on sm_75-sm_86 and, on sm_89/sm_90 where 4-bit MMA is emulated, 4-bit
// storage unpacked to INT8 MMA (m16n8k32 .s8); fused pool / upsample / concat.
#include <stdint.h>

#define OUT_BLOCK 8

// Signed code of lane i of a packed word (as bitfieldExtract on int in int4.glsl).
__device__ __forceinline__ int lane(uint32_t word, int i, int bits) {
    return ((int) (word << (32 - bits * (i + 1)))) >> (32 - bits);
}

// Packs a signed code into lane i.
__device__ __forceinline__ uint32_t packLane(int code, int i, int bits) {
    return ((uint32_t) code & ((1u << bits) - 1u)) << (i * bits);
}

// Q(x) of eq. 7, as quantize() in int4.glsl.
__device__ __forceinline__ int quantize(float x, float lo, float hi, float s, int z, int codeMin, int codeMax) {
    if (x <= lo) return codeMin;
    if (x >= hi) return codeMax;
    if (isnan(x)) return z;
    float q = __fdiv_rn(x, s);
    int c = z + (int) floorf(__fadd_rn(q, 0.5f));
    return min(max(c, codeMin), codeMax);
}

template <int K, int A_BITS, int W_BITS, bool OUT_FLOAT>
__device__ __forceinline__ void conv(const uint32_t* __restrict__ src, const uint32_t* __restrict__ weights,
        const float* __restrict__ epilogue, void* __restrict__ dst, int* __restrict__ debugAcc, int inGroups,
        int outChannels, int height, int width, uint32_t padWord, float outLo, float outHi, float outScale,
        int outZero) {
    constexpr int A_PER = 32 / A_BITS;
    constexpr int W_PER = 32 / W_BITS;
    constexpr int W_WORDS = A_PER / W_PER;
    constexpr int TAPS = K * K;
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    int o0 = blockIdx.z * OUT_BLOCK;
    if (x >= width || y >= height || o0 >= outChannels) return;
    int acc[OUT_BLOCK];
#pragma unroll
    for (int j = 0; j < OUT_BLOCK; j++) acc[j] = 0;
    int wordsPerOut = inGroups * TAPS * W_WORDS;
    for (int g = 0; g < inGroups; g++) {
        for (int t = 0; t < TAPS; t++) {
            int yy = y + t / K - K / 2;
            int xx = x + t % K - K / 2;
            uint32_t word = (yy < 0 || yy >= height || xx < 0 || xx >= width) ? padWord
                    : src[((size_t) g * height + yy) * width + xx];
            int v[A_PER];
#pragma unroll
            for (int i = 0; i < A_PER; i++) v[i] = lane(word, i, A_BITS);
            int wBase = (g * TAPS + t) * W_WORDS;
#pragma unroll
            for (int j = 0; j < OUT_BLOCK; j++) {
                size_t base = (size_t) min(o0 + j, outChannels - 1) * wordsPerOut + wBase;
#pragma unroll
                for (int k = 0; k < W_WORDS; k++) {
                    uint32_t ww = weights[base + k];
                    int sum = 0;
#pragma unroll
                    for (int i = 0; i < W_PER; i++) sum += lane(ww, i, W_BITS) * v[k * W_PER + i];
                    acc[j] += sum;
                }
            }
        }
    }
    uint32_t outWord = 0u;
#pragma unroll
    for (int j = 0; j < OUT_BLOCK; j++) {
        int o = o0 + j;
        if (o >= outChannels) break;
        size_t at = ((size_t) o * height + y) * width + x;
        if (debugAcc != nullptr) debugAcc[at] = acc[j];
        float product = __fmul_rn(epilogue[o], (float) acc[j]);
        float v = __fadd_rn(product, epilogue[outChannels + o]);
        if (OUT_FLOAT) {
            ((float*) dst)[at] = v;
        } else {
            v = v > 0.0f ? v : expf(v) - 1.0f;   // ELU
            outWord |= packLane(quantize(v, outLo, outHi, outScale, outZero, -8, 7), j, 4);
        }
    }
    if (!OUT_FLOAT) {
        ((uint32_t*) dst)[((size_t) (o0 / OUT_BLOCK) * height + y) * width + x] = outWord;
    }
}

// Entry points, named int4_conv_k<K>_a<A_BITS>_w<W_BITS>[_float]; launch with gridDim.z = ceil(outChannels / 8).
#define INT4_CONV(NAME, K, A, W, F)                                                                                   \
    extern "C" __global__ void NAME(const uint32_t* __restrict__ src, const uint32_t* __restrict__ weights,          \
            const float* __restrict__ epilogue, void* __restrict__ dst, int* __restrict__ debugAcc, int inGroups,    \
            int outChannels, int height, int width, uint32_t padWord, float outLo, float outHi, float outScale,      \
            int outZero) {                                                                                            \
        conv<K, A, W, F>(src, weights, epilogue, dst, debugAcc, inGroups, outChannels, height, width, padWord,       \
                outLo, outHi, outScale, outZero);                                                                     \
    }

INT4_CONV(int4_conv_k3_a4_w4, 3, 4, 4, false)
INT4_CONV(int4_conv_k1_a4_w4, 1, 4, 4, false)
INT4_CONV(int4_conv_k3_a8_w8, 3, 8, 8, false)
INT4_CONV(int4_conv_k3_a4_w8_float, 3, 4, 8, true)
INT4_CONV(int4_conv_k1_a4_w8_float, 1, 4, 8, true)
