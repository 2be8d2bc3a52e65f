// The emulator's runtime: kernel registry, the block scheduler (threads as fibers on one OS thread),
// barriers, warp-collective operations and the tensor-core MMA fragment layouts. See cuda_emu.h for the model.
//
// Scheduling. A block's threads are fibers, started lazily in linear thread order (x fastest, then y, z; warp w is
// linear threads 32w..32w+31, as on hardware). The scheduler sweeps the fibers, running each runnable one until it
// blocks (at a barrier or collective) or returns. When a sweep leaves nothing runnable it resolves the barriers:
//   - a warp whose 32 lanes all wait at the same phase of the same collective is released;
//   - a warp collective with a lane that has returned, or in a warp of fewer than 32 threads, fails the launch;
//   - otherwise, if every live thread of the block waits at __syncthreads, they are released (threads that have
//     returned do not count, as on sm_70+ hardware);
//   - if nothing could be released, the block is deadlocked and the launch fails with who waits where.
// Collectives are two-phase: a lane deposits its operands in its own fiber record and waits (phase 1); once all 32
// lanes have deposited, each lane computes its result from the others' operands and waits again (phase 2), so no
// lane can deposit the operands of its next collective while another lane is still reading this one's.
// A fiber that finishes gives its stack back to a pool, so kernels without barriers run on one stack.
// Switching: on x86-64 a dozen instructions save and restore the callee-saved registers (the fibers' only state
// across a call, plus MXCSR and the x87 control word); glibc's swapcontext also sets the signal mask, a system call
// per switch that made collective-heavy kernels ten times slower. Elsewhere, ucontext.
#include "emu_runtime.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>

namespace emu {

uint3 g_threadIdx;
uint3 g_blockIdx;
dim3 g_blockDim;
dim3 g_gridDim;

namespace {

constexpr size_t STACK_BYTES = 256 * 1024;  // kernels keep small locals; glibc's printf wants a few KiB
constexpr size_t GUARD_BYTES = 64 * 1024;   // PROT_NONE below each stack: an overflow faults instead of corrupting
constexpr unsigned FULL_MASK = 0xffffffffu;

// ---- registry ----

std::vector<Kernel>& registry() {
    static std::vector<Kernel> kernels;
    return kernels;
}

std::string& registrationProblem() {
    static std::string text;
    return text;
}

// ---- context switching ----

#if defined(__x86_64__)
struct Context {
    void* sp = nullptr;  // saved stack pointer; the registers lie above it (see emu_switch)
};

extern "C" void emu_switch(void** save, void* load);
asm(R"(
    .text
    .globl emu_switch
    .type emu_switch, @function
emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size emu_switch, .-emu_switch
)");

// A context that, switched to, calls entry() on the given stack (entry never returns).
void makeContext(Context& c, char* stack, size_t size, void (*entry)()) {
    uintptr_t top = ((uintptr_t) (stack + size)) & ~(uintptr_t) 15;
    auto* slot = reinterpret_cast<uint64_t*>(top - 16);  // 16-aligned: entry starts with rsp = 8 mod 16, as if called
    slot[1] = 0;                                         // entry's (absent) return address
    slot[0] = (uint64_t) (uintptr_t) entry;              // emu_switch's ret goes there
    for (int r = 1; r <= 6; r++) slot[-r] = 0;           // rbp, rbx, r12..r15
    uint32_t* control = reinterpret_cast<uint32_t*>(slot - 7);
    control[0] = 0x1f80;  // MXCSR: round to nearest, exceptions masked
    control[1] = 0x037f;  // x87 control word, the default
    c.sp = slot - 7;
}

inline void switchContext(Context& save, Context& load) { emu_switch(&save.sp, load.sp); }
#else
struct Context {
    ucontext_t uc;
};

void makeContext(Context& c, char* stack, size_t size, void (*entry)()) {
    getcontext(&c.uc);
    c.uc.uc_stack.ss_sp = stack;
    c.uc.uc_stack.ss_size = size;
    c.uc.uc_link = nullptr;
    makecontext(&c.uc, entry, 0);
}

inline void switchContext(Context& save, Context& load) { swapcontext(&save.uc, &load.uc); }
#endif

// ---- fibers ----

enum class State { NotStarted, Runnable, AtSyncthreads, AtWarp, Done };

struct Fiber {
    Context ctx;
    char* stack = nullptr;  // lowest address of the usable stack, GUARD_BYTES above the mapping's start
    State state = State::NotStarted;
    uint3 tid{};
    int linear = 0;
    const char* op = nullptr;  // the collective it waits at (State::AtWarp)
    int phase = 0;             // 1: operands deposited; 2: result computed
    uint32_t in[6] = {};       // deposited operands
};

std::vector<std::unique_ptr<Fiber>> g_fibers;  // of the running block, by linear thread index
int g_threads = 0;                             // in the running block
std::vector<char*> g_freeStacks;
Context g_schedulerCtx;
Fiber* g_cur = nullptr;
const Kernel* g_kernel = nullptr;
const void* g_params = nullptr;
std::string g_failure;  // set by a fiber that fails the launch

char* takeStack() {
    if (!g_freeStacks.empty()) {
        char* s = g_freeStacks.back();
        g_freeStacks.pop_back();
        return s;
    }
    void* m = mmap(nullptr, STACK_BYTES + GUARD_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
            -1, 0);
    if (m == MAP_FAILED) {
        perror("emu: mmap of a fiber stack");
        abort();
    }
    mprotect(m, GUARD_BYTES, PROT_NONE);
    return static_cast<char*>(m) + GUARD_BYTES;
}

void giveStack(Fiber& f) {
    if (f.stack != nullptr) {
        g_freeStacks.push_back(f.stack);
        f.stack = nullptr;
    }
}

void fiberMain() {
    g_kernel->fn(g_params);
    g_cur->state = State::Done;
    switchContext(g_cur->ctx, g_schedulerCtx);  // never resumed
}

// Back to the scheduler; returns when the scheduler resumes this fiber.
void yieldToScheduler() {
    switchContext(g_cur->ctx, g_schedulerCtx);
}

std::string coords(uint3 v) {
    return "(" + std::to_string(v.x) + "," + std::to_string(v.y) + "," + std::to_string(v.z) + ")";
}

std::string hex(unsigned v) {
    char buf[16];
    snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

// Fails the launch from inside a fiber: the scheduler abandons the block.
[[noreturn]] void failLaunch(const std::string& why) {
    g_failure = why;
    switchContext(g_cur->ctx, g_schedulerCtx);
    abort();  // never resumed
}

// ---- warp collectives ----

Fiber& lane(int l) { return *g_fibers[(g_cur->linear & ~31) + l]; }

int laneId() { return g_cur->linear & 31; }

void checkMask(unsigned mask, const char* op) {
    if (mask != FULL_MASK) {
        failLaunch(std::string(op) + " with mask " + hex(mask) + " by thread " + coords(g_cur->tid) +
                   ": the emulator runs warp-collective operations on full warps (mask 0xffffffff) only");
    }
}

void warpWait(const char* op, int phase) {
    g_cur->state = State::AtWarp;
    g_cur->op = op;
    g_cur->phase = phase;
    yieldToScheduler();
}

// A collective: deposit (done by the caller into g_cur->in), phase 1, compute, phase 2.
template <class Compute>
auto collective(const char* op, Compute compute) {
    warpWait(op, 1);
    auto result = compute();
    warpWait(op, 2);
    return result;
}

// Signed element i of `bits` width of a 32-bit register, element 0 lowest.
inline int element(uint32_t reg, int i, int bits) {
    return (int) (reg << (32 - bits * (i + 1))) >> (32 - bits);
}

// ---- scheduling a block ----

void releaseWarp(int base) {
    for (int l = 0; l < 32; l++) g_fibers[base + l]->state = State::Runnable;
}

std::string threadName(const Fiber& f) { return "thread " + coords(f.tid) + " (lane " + std::to_string(f.linear & 31) + ")"; }

const char* stateName(const Fiber& f) {
    switch (f.state) {
        case State::AtSyncthreads: return "__syncthreads";
        case State::AtWarp: return f.op;
        case State::Done: return "returned";
        default: return "running";
    }
}

// Nothing is runnable: releases what can be released. Returns false with `error` set when the block cannot go on.
bool resolveBarriers(std::string& error) {
    bool released = false;
    for (int base = 0; base < g_threads; base += 32) {
        int n = std::min(32, g_threads - base);
        const Fiber* waiter = nullptr;
        const Fiber* returned = nullptr;
        int waiting = 0;
        bool uniform = true;
        for (int l = 0; l < n; l++) {
            const Fiber& f = *g_fibers[base + l];
            if (f.state == State::AtWarp) {
                if (waiter == nullptr) {
                    waiter = &f;
                } else if (f.op != waiter->op || f.phase != waiter->phase) {
                    uniform = false;
                }
                waiting++;
            } else if (f.state == State::Done && returned == nullptr) {
                returned = &f;
            }
        }
        if (waiter == nullptr) continue;
        std::string what = std::string(waiter->op) + " issued by warp " + std::to_string(base / 32) + " (" +
                           threadName(*waiter) + ")";
        if (n < 32) {
            error = what + " in a block of " + std::to_string(g_threads) + " threads, whose last warp has only " +
                    std::to_string(n) + " lanes: warp-collective operations need all 32 lanes (undefined on a GPU)";
            return false;
        }
        if (returned != nullptr) {
            error = what + " after " + threadName(*returned) +
                    " returned: warp-collective operations need all 32 lanes (undefined on a GPU)";
            return false;
        }
        if (waiting == 32) {
            if (!uniform) {
                std::string others;
                for (int l = 0; l < 32; l++) {
                    const Fiber& f = *g_fibers[base + l];
                    if (f.op != waiter->op || f.phase != waiter->phase) {
                        others = threadName(f) + " is at " + f.op;
                        break;
                    }
                }
                error = "divergent warp-collective operations in warp " + std::to_string(base / 32) + ": " +
                        threadName(*waiter) + " is at " + waiter->op + ", " + others;
                return false;
            }
            releaseWarp(base);
            released = true;
        }
    }
    if (released) return true;

    int live = 0, atSync = 0;
    for (int i = 0; i < g_threads; i++) {
        State s = g_fibers[i]->state;
        if (s != State::Done) live++;
        if (s == State::AtSyncthreads) atSync++;
    }
    if (live > 0 && atSync == live) {
        for (int i = 0; i < g_threads; i++) {
            if (g_fibers[i]->state == State::AtSyncthreads) g_fibers[i]->state = State::Runnable;
        }
        return true;
    }
    // Deadlock: say how many wait where, and the first warp whose lanes wait at different places.
    std::map<std::string, int> where;
    for (int i = 0; i < g_threads; i++) {
        if (g_fibers[i]->state != State::Done) where[stateName(*g_fibers[i])]++;
    }
    error = "deadlock: no thread of the block can go on;";
    for (auto& [place, count] : where) error += " " + std::to_string(count) + " wait at " + place + ";";
    for (int base = 0; base < g_threads; base += 32) {
        int n = std::min(32, g_threads - base);
        const Fiber& first = *g_fibers[base];
        for (int l = 1; l < n; l++) {
            const Fiber& f = *g_fibers[base + l];
            if (std::string(stateName(f)) != stateName(first)) {
                error += " warp " + std::to_string(base / 32) + ": " + threadName(first) + " at " + stateName(first) +
                         ", " + threadName(f) + " at " + stateName(f);
                return false;
            }
        }
    }
    return false;
}

void abandonBlock() {
    for (int i = 0; i < g_threads; i++) giveStack(*g_fibers[i]);
}

// Runs the current block (g_blockIdx) to completion; returns "" or the error.
std::string runBlock() {
    int bx = g_blockDim.x, by = g_blockDim.y;
    for (int i = 0; i < g_threads; i++) {
        Fiber& f = *g_fibers[i];
        f.state = State::NotStarted;
        f.linear = i;
        f.tid = uint3{(unsigned) (i % bx), (unsigned) (i / bx % by), (unsigned) (i / (bx * by))};
        f.op = nullptr;
        f.phase = 0;
    }
    int live = g_threads;
    while (true) {
        for (int i = 0; i < g_threads; i++) {
            Fiber& f = *g_fibers[i];
            if (f.state == State::NotStarted) {
                f.stack = takeStack();
                makeContext(f.ctx, f.stack, STACK_BYTES, fiberMain);
            } else if (f.state != State::Runnable) {
                continue;
            }
            f.state = State::Runnable;
            g_cur = &f;
            g_threadIdx = f.tid;
            switchContext(g_schedulerCtx, f.ctx);
            if (!g_failure.empty()) {
                abandonBlock();
                std::string why = g_failure;
                g_failure.clear();
                return why;
            }
            if (f.state == State::Done) {
                giveStack(f);
                live--;
            }
        }
        if (live == 0) return "";
        std::string error;
        if (!resolveBarriers(error)) {
            abandonBlock();
            return error;
        }
    }
}

}  // namespace

// ---- the kernels' side ----

Registration::Registration(const char* name, size_t paramSize, int maxThreads, void (*fn)(const void*)) {
    for (const Kernel& k : registry()) {
        if (k.name == name) registrationProblem() += std::string("kernel ") + name + " is defined twice; ";
    }
    registry().push_back(Kernel{name, paramSize, maxThreads, fn});
}

void syncthreads() {
    g_cur->state = State::AtSyncthreads;
    yieldToScheduler();
}

void syncwarp(unsigned mask) {
    checkMask(mask, "__syncwarp");
    collective("__syncwarp", [] { return 0; });
}

uint32_t shfl(ShflMode mode, unsigned mask, uint32_t value, int srcLane, int width, const char* op) {
    checkMask(mask, op);
    if (width < 1 || width > 32 || (width & (width - 1)) != 0) {
        failLaunch(std::string(op) + " with width " + std::to_string(width) + ": not a power of two up to 32");
    }
    g_cur->in[0] = value;
    return collective(op, [&] {
        // PTX shfl.sync with CUDA's clamp operand c = ((32 - width) << 8) | (up ? 0 : 31).
        int self = laneId();
        int segmask = 32 - width;
        int cval = mode == SHFL_UP ? 0 : 31;
        int b = srcLane & 31;
        int maxLane = (self & segmask) | (cval & ~segmask);
        int minLane = self & segmask;
        int j;
        bool inRange;
        switch (mode) {
            case SHFL_UP: j = self - b; inRange = j >= maxLane; break;
            case SHFL_DOWN: j = self + b; inRange = j <= maxLane; break;
            case SHFL_XOR: j = self ^ b; inRange = j <= maxLane; break;
            default: j = minLane | (b & ~segmask); inRange = j <= maxLane; break;
        }
        return lane(inRange ? j : self).in[0];
    });
}

unsigned ballot(unsigned mask, int predicate, const char* op) {
    checkMask(mask, op);
    g_cur->in[0] = predicate != 0;
    return collective(op, [] {
        unsigned bits = 0;
        for (int l = 0; l < 32; l++) bits |= lane(l).in[0] << l;
        return bits;
    });
}

// The MMAs compute each lane's accumulator elements from the operands the 32 lanes deposited, locating A[r][k] and
// B[k][c] by inverting the fragment layouts of mma.cuh (g = lane >> 2, t = lane & 3):
//   m8n8k32 .s4:  a: A[g][8t + i]  ->  A[r][k] is element k % 8 of lane 4r + k / 8;   B[k][c]: lane 4c + k / 8
//   m8n8k16 .s8:  a: A[g][4t + i]  ->  A[r][k] is element k % 4 of lane 4r + k / 4;   B[k][c]: lane 4c + k / 4
//   m16n8k32 .s8: A[r][k] is element k % 4 of register (r >= 8) + 2 (k >= 16) of lane 4 (r % 8) + (k % 16) / 4;
//                 B[k][c] is element k % 4 of register (k >= 16) of lane 4c + (k % 16) / 4
//   acc[i] (+2 for rows g + 8 in m16n8k32) is C[g][2t + i].
void mma_m8n8k32_s4(int (&acc)[2], uint32_t a, uint32_t b) {
    g_cur->in[0] = a;
    g_cur->in[1] = b;
    int sum[2] = {acc[0], acc[1]};
    collective("mma.m8n8k32.s4", [&] {
        int g = laneId() >> 2, t = laneId() & 3;
        for (int i = 0; i < 2; i++) {
            int c = 2 * t + i;
            for (int k = 0; k < 32; k++) {
                sum[i] += element(lane(4 * g + k / 8).in[0], k % 8, 4) * element(lane(4 * c + k / 8).in[1], k % 8, 4);
            }
        }
        return 0;
    });
    acc[0] = sum[0];
    acc[1] = sum[1];
}

void mma_m8n8k16_s8(int (&acc)[2], uint32_t a, uint32_t b) {
    g_cur->in[0] = a;
    g_cur->in[1] = b;
    int sum[2] = {acc[0], acc[1]};
    collective("mma.m8n8k16.s8", [&] {
        int g = laneId() >> 2, t = laneId() & 3;
        for (int i = 0; i < 2; i++) {
            int c = 2 * t + i;
            for (int k = 0; k < 16; k++) {
                sum[i] += element(lane(4 * g + k / 4).in[0], k % 4, 8) * element(lane(4 * c + k / 4).in[1], k % 4, 8);
            }
        }
        return 0;
    });
    acc[0] = sum[0];
    acc[1] = sum[1];
}

void mma_m16n8k32_s8(int (&acc)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]) {
    for (int r = 0; r < 4; r++) g_cur->in[r] = a[r];
    g_cur->in[4] = b[0];
    g_cur->in[5] = b[1];
    int sum[4] = {acc[0], acc[1], acc[2], acc[3]};
    collective("mma.m16n8k32.s8", [&] {
        int g = laneId() >> 2, t = laneId() & 3;
        for (int i = 0; i < 4; i++) {
            int r = g + 8 * (i / 2), c = 2 * t + i % 2;
            for (int k = 0; k < 32; k++) {
                int av = element(lane(4 * (r % 8) + (k % 16) / 4).in[(r >= 8) + 2 * (k >= 16)], k % 4, 8);
                int bv = element(lane(4 * c + (k % 16) / 4).in[4 + (k >= 16)], k % 4, 8);
                sum[i] += av * bv;
            }
        }
        return 0;
    });
    for (int i = 0; i < 4; i++) acc[i] = sum[i];
}

// ---- the server's side ----

const std::vector<Kernel>& kernels() { return registry(); }

const std::string& registrationError() { return registrationProblem(); }

std::string launch(const std::string& name, dim3 grid, dim3 block, const void* params, size_t paramSize) {
    const Kernel* kernel = nullptr;
    for (const Kernel& k : registry()) {
        if (k.name == name) kernel = &k;
    }
    if (kernel == nullptr) {
        std::string known;
        for (const Kernel& k : registry()) known += (known.empty() ? "" : ", ") + k.name;
        return "unknown kernel (this emulator has: " + known + ")";
    }
    if (paramSize != kernel->paramSize) {
        return "parameter struct of " + std::to_string(paramSize) + " bytes, but the kernel's PARAMS has " +
               std::to_string(kernel->paramSize);
    }
    if (grid.x < 1 || grid.y < 1 || grid.z < 1 || block.x < 1 || block.y < 1 || block.z < 1) {
        return "empty launch dimensions";
    }
    if (grid.x > 0x7fffffffu || grid.y > 65535 || grid.z > 65535) {
        return "grid " + std::to_string(grid.x) + "x" + std::to_string(grid.y) + "x" + std::to_string(grid.z) +
               " exceeds CUDA's limits (2^31-1 x 65535 x 65535)";
    }
    unsigned long long threads = (unsigned long long) block.x * block.y * block.z;
    if (block.x > 1024 || block.y > 1024 || block.z > 64 || threads > 1024) {
        return "block " + std::to_string(block.x) + "x" + std::to_string(block.y) + "x" + std::to_string(block.z) +
               " exceeds CUDA's limits (1024 threads; 1024 x 1024 x 64)";
    }
    if (threads > (unsigned long long) kernel->maxThreads) {
        return "block of " + std::to_string(threads) + " threads exceeds the kernel's launch bound of " +
               std::to_string(kernel->maxThreads) + " (THREADS of RV_KERNEL)";
    }
    // The parameter struct, aligned for any field type.
    std::unique_ptr<max_align_t[]> aligned(new max_align_t[paramSize / sizeof(max_align_t) + 1]);
    memcpy(aligned.get(), params, paramSize);

    g_kernel = kernel;
    g_params = aligned.get();
    g_gridDim = grid;
    g_blockDim = block;
    g_threads = (int) threads;
    while ((int) g_fibers.size() < g_threads) g_fibers.push_back(std::make_unique<Fiber>());
    std::string error;
    for (unsigned z = 0; z < grid.z && error.empty(); z++) {
        for (unsigned y = 0; y < grid.y && error.empty(); y++) {
            for (unsigned x = 0; x < grid.x && error.empty(); x++) {
                g_blockIdx = uint3{x, y, z};
                error = runBlock();
                if (!error.empty()) error = "block " + coords(g_blockIdx) + ": " + error;
            }
        }
    }
    g_kernel = nullptr;
    g_cur = nullptr;
    return error;
}

// ---- crashes ----

namespace {

unsigned g_alarmSeconds = 0;

// Async-signal-safe formatting into a fixed buffer.
struct Line {
    char buf[512];
    size_t n = 0;
    void put(const char* s) {
        while (*s && n < sizeof buf - 1) buf[n++] = *s++;
    }
    void put(unsigned long long v) {
        char d[24];
        int k = 0;
        do d[k++] = (char) ('0' + v % 10); while ((v /= 10) != 0 && k < 24);
        while (k > 0 && n < sizeof buf - 1) buf[n++] = d[--k];
    }
    void putHex(unsigned long long v) {
        put("0x");
        for (int s = 60; s >= 0; s -= 4) {
            if (n < sizeof buf - 1) buf[n++] = "0123456789abcdef"[(v >> s) & 15];
        }
    }
    void coords(uint3 v) {
        put("(");
        put(v.x);
        put(",");
        put(v.y);
        put(",");
        put(v.z);
        put(")");
    }
};

void onCrash(int sig, siginfo_t* info, void*) {
    Line line;
    line.put("emu: ");
    line.put(sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : sig == SIGFPE ? "SIGFPE" : sig == SIGILL ? "SIGILL"
             : sig == SIGALRM ? "timeout" : "signal");
    if (g_kernel != nullptr) {
        line.put(" in kernel ");
        line.put(g_kernel->name.c_str());
        line.put(", block ");
        line.coords(g_blockIdx);
        line.put(", thread ");
        line.coords(g_threadIdx);
    } else {
        line.put(" outside any kernel");
    }
    if (sig == SIGALRM) {
        line.put(": the launch ran longer than ");
        line.put(g_alarmSeconds);
        line.put(" s");
    } else if (sig == SIGSEGV || sig == SIGBUS) {
        line.put(", address ");
        line.putHex((unsigned long long) (uintptr_t) info->si_addr);
        for (const auto& f : g_fibers) {
            char* a = static_cast<char*>(info->si_addr);
            if (f->stack != nullptr && a >= f->stack - GUARD_BYTES && a < f->stack) line.put(" (fiber stack overflow)");
        }
    }
    line.put("\n");
    ssize_t ignored = write(2, line.buf, line.n);
    (void) ignored;
    signal(sig, SIG_DFL);
    raise(sig);
}

}  // namespace

void installCrashHandlers(unsigned alarmSeconds) {
    g_alarmSeconds = alarmSeconds;
    static char altStack[64 * 1024];
    stack_t ss{};
    ss.ss_sp = altStack;
    ss.ss_size = sizeof altStack;
    sigaltstack(&ss, nullptr);
    struct sigaction sa{};
    sa.sa_sigaction = onCrash;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGALRM}) sigaction(sig, &sa, nullptr);
}

}  // namespace emu
