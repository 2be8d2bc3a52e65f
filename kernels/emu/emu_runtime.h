// What emu_server.cpp uses of the emulator's runtime (emu_runtime.cpp): the registered kernels and launches.
#pragma once
#include <stddef.h>

#include <string>
#include <vector>

#include "cuda_emu.h"

namespace emu {

struct Kernel {
    std::string name;
    size_t paramSize;
    int maxThreads;
    void (*fn)(const void* paramBytes);
};

// The kernels that registered themselves; the text of a registration problem (a name registered twice), or "".
const std::vector<Kernel>& kernels();
const std::string& registrationError();

// Runs a launch to completion. Returns "" or what went wrong (without the kernel's name: the client adds it).
std::string launch(const std::string& kernel, dim3 grid, dim3 block, const void* params, size_t paramSize);

// SIGSEGV / SIGBUS / SIGFPE / SIGILL / SIGALRM inside a kernel print the kernel's name and the running thread to
// stderr, then the process dies of the signal. alarmSeconds > 0: a launch running longer than that dies of SIGALRM.
void installCrashHandlers(unsigned alarmSeconds);

}  // namespace emu
