// What every kernels/*.cu includes first: the same source builds with nvcc for the GPU and with g++ for the CPU
// emulator the tests run (kernels/emu/, org.reconview.nn.cuda.EmulatedDevice), so the kernels' logic is checked
// against the Java golden model on machines without a GPU.
//
//   RV_KERNEL(NAME, PARAMS, THREADS) { ... }   a kernel named NAME taking one struct PARAMS by value as `p`
//                                              (org.reconview.nn.cuda.KernelParams lays its bytes out), launched
//                                              with at most THREADS threads a block
//   RV_DEVICE                                  a device helper function
//   RV_ARCH                                    the architecture the code is compiled for: __CUDA_ARCH__ (750, 800, ...)
//                                              in nvcc's device passes, EMU_ARCH in the emulator, 0 in nvcc's host pass
#pragma once
#include <stdint.h>

#if defined(__CUDACC__)
#define RV_DEVICE __device__ __forceinline__
#define RV_KERNEL(NAME, PARAMS, THREADS) \
    extern "C" __global__ void __launch_bounds__(THREADS) NAME(const PARAMS p)
#if defined(__CUDA_ARCH__)
#define RV_ARCH __CUDA_ARCH__
#else
#define RV_ARCH 0
#endif
#else
#define RV_EMULATION 1
#include "emu/cuda_emu.h"
#ifndef EMU_ARCH
#error "the emulator build defines EMU_ARCH (750, 800, 860, 890, 900)"
#endif
#define RV_ARCH EMU_ARCH
#define RV_DEVICE inline
#define RV_KERNEL(NAME, PARAMS, THREADS)                                                                     \
    static void NAME(const PARAMS p);                                                                        \
    static const ::emu::Registration NAME##_registration(#NAME, sizeof(PARAMS), THREADS,                     \
            [](const void* bytes) { NAME(*static_cast<const PARAMS*>(bytes)); });                            \
    static void NAME(const PARAMS p)
#endif
