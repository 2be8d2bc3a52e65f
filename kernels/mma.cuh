// Warp-wide integer tensor-core MMA, acc += A B (PTX ISA, "Warp-level matrix multiply-accumulate instructions",
// mma.sync.aligned ... .row.col.s32.<a>.<b>.s32). Every lane of the warp calls together. Fragments, with
// g = laneid >> 2 (groupID) and t = laneid & 3 (threadID_in_group); element i of a .b32 register sits in its bits
// [i*bits, (i+1)*bits), element 0 lowest:
//   m8n8k32 .s4 (sm_75+):  a: A[g][8t + i], i < 8;   b: B[8t + i][g];   acc[i]: C[g][2t + i]
//   m8n8k16 .s8 (sm_75+):  a: A[g][4t + i], i < 4;   b: B[4t + i][g];   acc[i]: C[g][2t + i]
//   m16n8k32 .s8 (sm_80+): a[0]: A[g][4t + i]   a[1]: A[g + 8][4t + i]   a[2]: A[g][16 + 4t + i]   a[3]: A[g + 8][16 + 4t + i]
//                          b[0]: B[4t + i][g]   b[1]: B[16 + 4t + i][g]
//                          acc[0], acc[1]: C[g][2t + i]   acc[2], acc[3]: C[g + 8][2t + i]
// On sm_75, which lacks m16n8k32, mma_m16n8k32_s8 is four m8n8k16 with the same fragments.
// In the emulator (RV_EMULATION) the instructions are emu:: functions that implement these layouts.
#pragma once
#include "cuda_compat.cuh"

RV_DEVICE void mma_m8n8k32_s4(int (&acc)[2], uint32_t a, uint32_t b) {
#if defined(__CUDA_ARCH__)
    asm volatile("mma.sync.aligned.m8n8k32.row.col.s32.s4.s4.s32 {%0, %1}, {%2}, {%3}, {%0, %1};\n"
                 : "+r"(acc[0]), "+r"(acc[1])
                 : "r"(a), "r"(b));
#elif defined(RV_EMULATION)
    emu::mma_m8n8k32_s4(acc, a, b);
#endif
}

RV_DEVICE void mma_m8n8k16_s8(int (&acc)[2], uint32_t a, uint32_t b) {
#if defined(__CUDA_ARCH__)
    asm volatile("mma.sync.aligned.m8n8k16.row.col.s32.s8.s8.s32 {%0, %1}, {%2}, {%3}, {%0, %1};\n"
                 : "+r"(acc[0]), "+r"(acc[1])
                 : "r"(a), "r"(b));
#elif defined(RV_EMULATION)
    emu::mma_m8n8k16_s8(acc, a, b);
#endif
}

RV_DEVICE void mma_m16n8k32_s8(int (&acc)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]) {
#if RV_ARCH >= 800
#if defined(__CUDA_ARCH__)
    asm volatile("mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
                 "{%0, %1, %2, %3};\n"
                 : "+r"(acc[0]), "+r"(acc[1]), "+r"(acc[2]), "+r"(acc[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
#elif defined(RV_EMULATION)
    emu::mma_m16n8k32_s8(acc, a, b);
#endif
#else
    int top[2] = {acc[0], acc[1]};
    int bottom[2] = {acc[2], acc[3]};
    mma_m8n8k16_s8(top, a[0], b[0]);
    mma_m8n8k16_s8(top, a[2], b[1]);
    mma_m8n8k16_s8(bottom, a[1], b[0]);
    mma_m8n8k16_s8(bottom, a[3], b[1]);
    acc[0] = top[0];
    acc[1] = top[1];
    acc[2] = bottom[0];
    acc[3] = bottom[1];
#endif
}
