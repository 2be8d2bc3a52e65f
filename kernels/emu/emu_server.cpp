// The CPU emulator's server process: runs the kernels of kernels/*.cu (compiled as C++ by g++, see cuda_emu.h) for
// org.reconview.nn.cuda.EmulatedDevice, which talks to it over stdin/stdout. Built by the tests' KernelEmulator:
//   g++ -std=c++20 -O2 -ffp-contract=off -fno-strict-aliasing -fwrapv -DEMU_ARCH=<arch> -I kernels
//       -include kernels/cuda_compat.cuh -x c++ kernels/*.cu [extra .cu] -x none
//       kernels/emu/emu_runtime.cpp kernels/emu/emu_server.cpp -o emu-sm<arch>
//
// Usage: emu-smXY ARENA_BYTES [TIMEOUT_SECONDS]
// Device memory is one arena of ARENA_BYTES mapped at the fixed address ARENA_BASE, so a device address the client
// holds is the very pointer the kernels dereference. The client allocates inside the arena; the server only checks
// that copies stay inside it. TIMEOUT_SECONDS (default 300, 0 = none): a launch running longer kills the server.
//
// Protocol: little-endian; u8/u32/u64 are unsigned integers of 1/4/8 bytes.
//   On start the server writes a hello:  "RVEMU1\n" (7 bytes), u32 arch (EMU_ARCH), u64 arena base, u64 arena size.
//   Then it answers requests, one at a time, in order. A request is an opcode byte and its operands:
//     'W' u64 address, u64 length, length bytes    write to device memory
//     'R' u64 address, u64 length                  read device memory
//     'Z' u64 address, u64 length                  zero device memory
//     'L' u32 nameLength, name (UTF-8), u32 gridX, gridY, gridZ, u32 blockX, blockY, blockZ,
//         u32 paramLength, param bytes           launch, returning when every block has run
//     'Q'                                          quit (answered, then the server exits 0)
//   Each answer is u8 status: 0 ok ('R' then follows with its length bytes), or 1 error followed by u32 length and
//   the UTF-8 text (for a launch: what went wrong, without the kernel's name).
// stdout is the protocol's alone: the server moves it to a private descriptor at start and points descriptor 1 at
// stderr, so a kernel's printf goes to stderr. A crash inside a kernel (SIGSEGV, SIGBUS, SIGFPE, SIGILL, timeout)
// prints "emu: SIGSEGV in kernel NAME, block (x,y,z), thread (x,y,z), address ..." to stderr and the process dies
// of the signal; the client reports its stderr.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "emu_runtime.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

namespace {

constexpr uintptr_t ARENA_BASE = 0x200000000000ull;

int g_in = -1;
int g_out = -1;
std::vector<unsigned char> g_reply;

[[noreturn]] void die(const char* what) {
    fprintf(stderr, "emu: %s\n", what);
    _exit(2);
}

void readFully(void* into, size_t n) {
    auto* p = static_cast<unsigned char*>(into);
    while (n > 0) {
        ssize_t r = read(g_in, p, n);
        if (r == 0) _exit(0);  // the client went away: nothing left to do
        if (r < 0) {
            if (errno == EINTR) continue;
            die("reading the request failed");
        }
        p += r;
        n -= (size_t) r;
    }
}

void writeFully(const void* from, size_t n) {
    auto* p = static_cast<const unsigned char*>(from);
    while (n > 0) {
        ssize_t w = write(g_out, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            _exit(0);  // the client went away
        }
        p += w;
        n -= (size_t) w;
    }
}

template <class T>
T get() {
    T v;
    readFully(&v, sizeof v);  // x86-64 and aarch64 Linux are little-endian, as the protocol
    return v;
}

template <class T>
void put(T v) {
    auto* b = reinterpret_cast<const unsigned char*>(&v);
    g_reply.insert(g_reply.end(), b, b + sizeof v);
}

void flush() {
    writeFully(g_reply.data(), g_reply.size());
    g_reply.clear();
}

void ok() {
    put<uint8_t>(0);
    flush();
}

void error(const std::string& text) {
    put<uint8_t>(1);
    put<uint32_t>((uint32_t) text.size());
    g_reply.insert(g_reply.end(), text.begin(), text.end());
    flush();
}

struct Arena {
    unsigned char* base;
    uint64_t size;
    // The range [address, address + length) inside the arena, or nullptr.
    unsigned char* at(uint64_t address, uint64_t length) const {
        uint64_t start = (uint64_t) (uintptr_t) base;
        if (address < start || address - start > size || length > size - (address - start)) return nullptr;
        return base + (address - start);
    }
};

std::string rangeError(uint64_t address, uint64_t length, const Arena& arena) {
    char buf[160];
    snprintf(buf, sizeof buf, "device range 0x%llx + %llu bytes is outside the arena 0x%llx + %llu bytes",
            (unsigned long long) address, (unsigned long long) length, (unsigned long long) (uintptr_t) arena.base,
            (unsigned long long) arena.size);
    return buf;
}

// Writes: the bytes are consumed from the request even when the range is bad, so the stream stays in step.
void handleWrite(const Arena& arena) {
    uint64_t address = get<uint64_t>(), length = get<uint64_t>();
    unsigned char* dst = arena.at(address, length);
    if (dst != nullptr) {
        readFully(dst, length);
        ok();
        return;
    }
    std::vector<unsigned char> sink(1 << 16);
    for (uint64_t left = length; left > 0;) {
        size_t n = (size_t) std::min<uint64_t>(left, sink.size());
        readFully(sink.data(), n);
        left -= n;
    }
    error(rangeError(address, length, arena));
}

void handleRead(const Arena& arena) {
    uint64_t address = get<uint64_t>(), length = get<uint64_t>();
    unsigned char* src = arena.at(address, length);
    if (src == nullptr) {
        error(rangeError(address, length, arena));
        return;
    }
    put<uint8_t>(0);
    flush();
    writeFully(src, length);
}

void handleZero(const Arena& arena) {
    uint64_t address = get<uint64_t>(), length = get<uint64_t>();
    unsigned char* dst = arena.at(address, length);
    if (dst == nullptr) {
        error(rangeError(address, length, arena));
        return;
    }
    memset(dst, 0, length);
    ok();
}

void handleLaunch(unsigned timeoutSeconds) {
    uint32_t nameLength = get<uint32_t>();
    if (nameLength > 4096) die("kernel name longer than 4096 bytes: the request stream is out of step");
    std::string name(nameLength, '\0');
    readFully(name.data(), nameLength);
    uint32_t d[6];
    readFully(d, sizeof d);
    uint32_t paramLength = get<uint32_t>();
    if (paramLength > (1u << 20)) die("parameter struct over 1 MiB: the request stream is out of step");
    std::vector<unsigned char> params(paramLength);
    readFully(params.data(), paramLength);
    alarm(timeoutSeconds);
    std::string problem = emu::launch(name, dim3(d[0], d[1], d[2]), dim3(d[3], d[4], d[5]), params.data(), paramLength);
    alarm(0);
    if (problem.empty()) {
        ok();
    } else {
        error(problem);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s ARENA_BYTES [TIMEOUT_SECONDS]\n", argv[0]);
        return 2;
    }
    uint64_t arenaBytes = strtoull(argv[1], nullptr, 10);
    unsigned timeoutSeconds = argc > 2 ? (unsigned) strtoul(argv[2], nullptr, 10) : 300;
    if (arenaBytes == 0) die("arena size must be positive");
    if (!emu::registrationError().empty()) die(emu::registrationError().c_str());

    // The protocol's own descriptors; 0 and 1 become /dev/null and stderr for whatever the kernels print.
    g_in = dup(0);
    g_out = dup(1);
    int devNull = open("/dev/null", O_RDONLY);
    if (g_in < 0 || g_out < 0 || devNull < 0 || dup2(devNull, 0) < 0 || dup2(2, 1) < 0) die("cannot set up stdio");
    close(devNull);

    void* m = mmap((void*) ARENA_BASE, arenaBytes, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (m == MAP_FAILED || m != (void*) ARENA_BASE) die("cannot map the device arena at its fixed address");
    Arena arena{static_cast<unsigned char*>(m), arenaBytes};
    emu::installCrashHandlers(timeoutSeconds);

    const char magic[7] = {'R', 'V', 'E', 'M', 'U', '1', '\n'};
    g_reply.insert(g_reply.end(), magic, magic + sizeof magic);
    put<uint32_t>(EMU_ARCH);
    put<uint64_t>((uint64_t) ARENA_BASE);
    put<uint64_t>(arenaBytes);
    flush();

    while (true) {
        uint8_t op = get<uint8_t>();
        switch (op) {
            case 'W': handleWrite(arena); break;
            case 'R': handleRead(arena); break;
            case 'Z': handleZero(arena); break;
            case 'L': handleLaunch(timeoutSeconds); break;
            case 'Q': ok(); return 0;
            default: die("unknown request opcode: the request stream is out of step");
        }
    }
}
