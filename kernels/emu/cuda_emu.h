// The CUDA dialect the kernels use, for g++: kernels/cuda_compat.cuh includes this when not under nvcc, so that
// kernels/*.cu build as C++ into the CPU emulator (emu_runtime.cpp runs them, emu_server.cpp serves them to the tests'
// org.reconview.nn.cuda.EmulatedDevice). Built with -std=c++20 -ffp-contract=off (see below) -fno-strict-aliasing
// (kernels reinterpret device memory through other pointer types, which nvcc tolerates) -fwrapv (int arithmetic wraps
// on the GPU; g++ would otherwise optimise on signed overflow being impossible).
//
// Execution model (emu_runtime.cpp): a launch runs its blocks one after another; inside a block every thread is a
// fiber on the one OS thread, switched only at barriers and warp-collective operations. Hence:
//   __shared__      is `static`: function-static storage is one per kernel, and only one block runs at a time.
//   atomics         are plain read-modify-writes: nothing runs concurrently with them.
//   threadIdx, ...  are the running fiber's, set by the scheduler at each switch.
// Warp-collective operations (shuffles, votes, __syncwarp, mma) need all 32 lanes of the warp, with a full mask; a
// warp short of lanes (one returned early, or the block size is not a multiple of 32) fails the launch, where real
// hardware would give undefined results.
//
// Floating point: x86-64 SSE arithmetic rounds each operation to float like CUDA's __fmul_rn / __fadd_rn, provided
// the compiler does not contract a*b+c into an FMA (-ffp-contract=off). expf and __expf are glibc's expf: CUDA's
// expf has up to 2 ulp error and __expf is a coarser approximation, so results that depend on their last bits may
// differ from a GPU's.
#pragma once
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmath>

// CUDA qualifiers. __restrict__ is already a g++ keyword.
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static
#define __constant__ static
#define __launch_bounds__(...)

struct uint3 {
    unsigned x, y, z;
};

struct dim3 {
    unsigned x, y, z;
    constexpr dim3(unsigned vx = 1, unsigned vy = 1, unsigned vz = 1) : x(vx), y(vy), z(vz) {}
};

namespace emu {
// The running fiber's coordinates and its launch's shape; the scheduler rewrites them at every switch. The scheduler
// entry points below are out-of-line calls, so the compiler re-reads these after each of them.
extern uint3 g_threadIdx;
extern uint3 g_blockIdx;
extern dim3 g_blockDim;
extern dim3 g_gridDim;

// A kernel's registration (RV_KERNEL in cuda_compat.cuh makes one per kernel, as a static object).
struct Registration {
    Registration(const char* name, size_t paramSize, int maxThreads, void (*fn)(const void* paramBytes));
};

// Block barrier: waits until every thread of the block that has not returned is waiting here.
void syncthreads();

// Warp-collective operations. mode of shfl: 0 idx, 1 up, 2 down, 3 xor (PTX shfl.sync's modes).
enum ShflMode { SHFL_IDX = 0, SHFL_UP = 1, SHFL_DOWN = 2, SHFL_XOR = 3 };
void syncwarp(unsigned mask);
uint32_t shfl(ShflMode mode, unsigned mask, uint32_t value, int lane, int width, const char* op);
unsigned ballot(unsigned mask, int predicate, const char* op);

// acc += A B with the fragment layouts of kernels/mma.cuh's header comment.
void mma_m8n8k32_s4(int (&acc)[2], uint32_t a, uint32_t b);
void mma_m8n8k16_s8(int (&acc)[2], uint32_t a, uint32_t b);
void mma_m16n8k32_s8(int (&acc)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]);

template <class To, class From>
inline To bits(From v) {
    static_assert(sizeof(To) == sizeof(From), "bit cast of different sizes");
    To out;
    memcpy(&out, &v, sizeof out);
    return out;
}
}  // namespace emu

// Read-only views: assigning to threadIdx is as much an error here as under nvcc.
#define threadIdx (static_cast<const uint3&>(::emu::g_threadIdx))
#define blockIdx (static_cast<const uint3&>(::emu::g_blockIdx))
#define blockDim (static_cast<const dim3&>(::emu::g_blockDim))
#define gridDim (static_cast<const dim3&>(::emu::g_gridDim))
#define warpSize 32

inline void __syncthreads() { ::emu::syncthreads(); }
inline void __syncwarp(unsigned mask = 0xffffffffu) { ::emu::syncwarp(mask); }
inline void __threadfence() {}
inline void __threadfence_block() {}

// Shuffles for the 32-bit types. width: a power of two up to 32, as in CUDA.
#define EMU_SHFL(NAME, MODE, T)                                                                                 \
    inline T NAME(unsigned mask, T var, int lane, int width = 32) {                                           \
        return ::emu::bits<T>(::emu::shfl(MODE, mask, ::emu::bits<uint32_t>(var), lane, width, #NAME));        \
    }
#define EMU_SHFL_ALL(NAME, MODE) EMU_SHFL(NAME, MODE, int) EMU_SHFL(NAME, MODE, unsigned) EMU_SHFL(NAME, MODE, float)
EMU_SHFL_ALL(__shfl_sync, ::emu::SHFL_IDX)
EMU_SHFL_ALL(__shfl_up_sync, ::emu::SHFL_UP)
EMU_SHFL_ALL(__shfl_down_sync, ::emu::SHFL_DOWN)
EMU_SHFL_ALL(__shfl_xor_sync, ::emu::SHFL_XOR)
#undef EMU_SHFL_ALL
#undef EMU_SHFL

inline unsigned __ballot_sync(unsigned mask, int predicate) {
    return ::emu::ballot(mask, predicate, "__ballot_sync");
}
inline int __any_sync(unsigned mask, int predicate) { return ::emu::ballot(mask, predicate, "__any_sync") != 0u; }
inline int __all_sync(unsigned mask, int predicate) {
    return ::emu::ballot(mask, predicate, "__all_sync") == 0xffffffffu;
}

// Intrinsics. The _rn arithmetic is plain IEEE single-precision arithmetic (see the header comment on contraction).
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __frcp_rn(float a) { return 1.0f / a; }
inline float __fsqrt_rn(float a) { return sqrtf(a); }
inline float __fmaf_rn(float a, float b, float c) { return fmaf(a, b, c); }
inline float __expf(float a) { return expf(a); }
inline float __saturatef(float a) { return a >= 1.0f ? 1.0f : (a > 0.0f ? a : 0.0f); }  // NaN -> 0 as CUDA's
inline unsigned __float_as_uint(float a) { return ::emu::bits<unsigned>(a); }
inline float __uint_as_float(unsigned a) { return ::emu::bits<float>(a); }
inline int __float_as_int(float a) { return ::emu::bits<int>(a); }
inline float __int_as_float(int a) { return ::emu::bits<float>(a); }
inline int __popc(unsigned a) { return __builtin_popcount(a); }
inline int __popcll(unsigned long long a) { return __builtin_popcountll(a); }
inline int __clz(int a) { return a == 0 ? 32 : __builtin_clz((unsigned) a); }
inline int __ffs(int a) { return __builtin_ffs(a); }
inline unsigned __brev(unsigned a) {
    unsigned r = 0;
    for (int i = 0; i < 32; i++) r |= ((a >> i) & 1u) << (31 - i);
    return r;
}
template <class T>
inline T __ldg(const T* p) {
    return *p;
}

// min / max as CUDA's math API overloads them (a mixed signed/unsigned pair compares as unsigned).
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline unsigned min(int a, unsigned b) { return min((unsigned) a, b); }
inline unsigned max(int a, unsigned b) { return max((unsigned) a, b); }
inline unsigned min(unsigned a, int b) { return min(a, (unsigned) b); }
inline unsigned max(unsigned a, int b) { return max(a, (unsigned) b); }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
inline unsigned long long min(unsigned long long a, unsigned long long b) { return a < b ? a : b; }
inline unsigned long long max(unsigned long long a, unsigned long long b) { return a > b ? a : b; }
inline float min(float a, float b) { return fminf(a, b); }
inline float max(float a, float b) { return fmaxf(a, b); }
inline double min(double a, double b) { return fmin(a, b); }
inline double max(double a, double b) { return fmax(a, b); }

using std::isfinite;
using std::isinf;
using std::isnan;

// Atomics: one fiber runs at a time and none is switched inside these, so plain read-modify-writes are atomic.
template <class T>
inline T emu_atomic_update(T* p, T v, T (*op)(T, T)) {
    T old = *p;
    *p = op(old, v);
    return old;
}
inline int atomicAdd(int* p, int v) { return emu_atomic_update<int>(p, v, [](int a, int b) { return (int) ((unsigned) a + (unsigned) b); }); }
inline unsigned atomicAdd(unsigned* p, unsigned v) { return emu_atomic_update<unsigned>(p, v, [](unsigned a, unsigned b) { return a + b; }); }
inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) {
    return emu_atomic_update<unsigned long long>(p, v, [](unsigned long long a, unsigned long long b) { return a + b; });
}
inline float atomicAdd(float* p, float v) { return emu_atomic_update<float>(p, v, [](float a, float b) { return a + b; }); }
inline int atomicSub(int* p, int v) { return emu_atomic_update<int>(p, v, [](int a, int b) { return (int) ((unsigned) a - (unsigned) b); }); }
inline unsigned atomicSub(unsigned* p, unsigned v) { return emu_atomic_update<unsigned>(p, v, [](unsigned a, unsigned b) { return a - b; }); }
inline int atomicMax(int* p, int v) { return emu_atomic_update<int>(p, v, [](int a, int b) { return a > b ? a : b; }); }
inline unsigned atomicMax(unsigned* p, unsigned v) { return emu_atomic_update<unsigned>(p, v, [](unsigned a, unsigned b) { return a > b ? a : b; }); }
inline int atomicMin(int* p, int v) { return emu_atomic_update<int>(p, v, [](int a, int b) { return a < b ? a : b; }); }
inline unsigned atomicMin(unsigned* p, unsigned v) { return emu_atomic_update<unsigned>(p, v, [](unsigned a, unsigned b) { return a < b ? a : b; }); }
inline int atomicOr(int* p, int v) { return emu_atomic_update<int>(p, v, [](int a, int b) { return a | b; }); }
inline unsigned atomicOr(unsigned* p, unsigned v) { return emu_atomic_update<unsigned>(p, v, [](unsigned a, unsigned b) { return a | b; }); }
inline int atomicAnd(int* p, int v) { return emu_atomic_update<int>(p, v, [](int a, int b) { return a & b; }); }
inline unsigned atomicAnd(unsigned* p, unsigned v) { return emu_atomic_update<unsigned>(p, v, [](unsigned a, unsigned b) { return a & b; }); }
inline int atomicExch(int* p, int v) { return emu_atomic_update<int>(p, v, [](int, int b) { return b; }); }
inline unsigned atomicExch(unsigned* p, unsigned v) { return emu_atomic_update<unsigned>(p, v, [](unsigned, unsigned b) { return b; }); }
inline float atomicExch(float* p, float v) { return emu_atomic_update<float>(p, v, [](float, float b) { return b; }); }
inline int atomicCAS(int* p, int compare, int v) {
    int old = *p;
    if (old == compare) *p = v;
    return old;
}
inline unsigned atomicCAS(unsigned* p, unsigned compare, unsigned v) {
    unsigned old = *p;
    if (old == compare) *p = v;
    return old;
}
