// Replays a CUDA trace (org.reconview.nn.cuda.TracingDevice) on an NVIDIA GPU without Java: the GPU machine lent to
// some sessions has nvcc, g++ and the driver but no JDK, so the tests write what they did on the CPU emulator of the
// kernels (allocations, uploads, launches with their parameter bytes, and every download with the emulator's result)
// and this program does the same on the GPU with the packaged cubins (scripts/build-kernels.sh output), compares the
// downloads, and times the regions the trace marks (1080p benchmarks are traced without being emulated).
//
// Build: g++ -O2 -std=c++17 -o replay kernels/replay/replay.cpp -ldl   (no CUDA headers: the driver API is loaded
// with dlopen, so --dry-run works on machines without a driver, which is how CI checks the trace format).
// Run:   replay [--dry-run] KERNEL_DIR TRACE...   (KERNEL_DIR holds kernels.txt and NAME.sm_XY.cubin / NAME.compute_75.ptx)
//
// Trace format (little-endian): "RVTRACE1", then records, each a u8 op:
//   'A' u64 addr, u64 size                       allocation (addresses are the recording device's; replay relocates)
//   'F' u64 addr                                 free
//   'W' u64 addr, u64 len, bytes                 upload
//   'L' u16 n, name, 6 x u32 grid/block, u32 p, p bytes   launch; every 8-byte-aligned u64 of the parameters that
//                                                 falls inside a recorded allocation is a pointer and is relocated
//   'C' u64 addr, u64 len, u8 kind, bytes        download with the expected bytes; kind 0 int32 exact, 1 4-bit codes
//                                                 (one level apart allowed on under 0.1% of codes), 2 float32
//                                                 (|diff| <= 1e-4 max(1e-2, |expected|)), 3 int32 (under 0.1% apart)
//   'T' u16 n, label, u32 reps, u64 ops, u64 bytes   timing region: the launches up to 'E' run once to warm up,
//                                                 then reps times between CUDA events; prints the median ms and
//                                                 ops/s and bytes/s from the counts given
//   'E'                                          end of a timing region
// Exit status: 0 all checks passed, 1 a check failed, 2 a usage, trace, driver or kernel-load error.
#include <dlfcn.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

typedef int CUresult;
typedef int CUdevice;
typedef struct CUctx_st* CUcontext;
typedef struct CUmod_st* CUmodule;
typedef struct CUfunc_st* CUfunction;
typedef struct CUevent_st* CUevent;
typedef unsigned long long CUdeviceptr;

struct Driver {
    CUresult (*cuInit)(unsigned);
    CUresult (*cuDeviceGet)(CUdevice*, int);
    CUresult (*cuDeviceGetAttribute)(int*, int, CUdevice);
    CUresult (*cuDeviceGetName)(char*, int, CUdevice);
    CUresult (*cuDevicePrimaryCtxRetain)(CUcontext*, CUdevice);
    CUresult (*cuCtxSetCurrent)(CUcontext);
    CUresult (*cuCtxSynchronize)();
    CUresult (*cuModuleLoadData)(CUmodule*, const void*);
    CUresult (*cuModuleGetFunction)(CUfunction*, CUmodule, const char*);
    CUresult (*cuMemAlloc)(CUdeviceptr*, size_t);
    CUresult (*cuMemFree)(CUdeviceptr);
    CUresult (*cuMemcpyHtoD)(CUdeviceptr, const void*, size_t);
    CUresult (*cuMemcpyDtoH)(void*, CUdeviceptr, size_t);
    CUresult (*cuMemsetD8)(CUdeviceptr, unsigned char, size_t);
    CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                               void*, void**, void**);
    CUresult (*cuEventCreate)(CUevent*, unsigned);
    CUresult (*cuEventRecord)(CUevent, void*);
    CUresult (*cuEventSynchronize)(CUevent);
    CUresult (*cuEventElapsedTime)(float*, CUevent, CUevent);
    CUresult (*cuGetErrorName)(CUresult, const char**);
};

Driver cu;
bool dry = false;

[[noreturn]] void fail(const std::string& msg) {
    std::fprintf(stderr, "replay: %s\n", msg.c_str());
    std::exit(2);
}

void check(CUresult r, const char* what) {
    if (r != 0) {
        const char* name = "?";
        if (cu.cuGetErrorName) cu.cuGetErrorName(r, &name);
        fail(std::string(what) + " failed: " + name + " (" + std::to_string(r) + ")");
    }
}

template <typename F>
void load(void* lib, F& f, const char* name) {
    f = reinterpret_cast<F>(dlsym(lib, name));
    if (!f) fail(std::string("libcuda.so.1 has no ") + name);
}

void loadDriver() {
    void* lib = dlopen("libcuda.so.1", RTLD_NOW);
    if (!lib) fail("no NVIDIA driver (libcuda.so.1 not found); --dry-run checks a trace without one");
    load(lib, cu.cuInit, "cuInit");
    load(lib, cu.cuDeviceGet, "cuDeviceGet");
    load(lib, cu.cuDeviceGetAttribute, "cuDeviceGetAttribute");
    load(lib, cu.cuDeviceGetName, "cuDeviceGetName");
    load(lib, cu.cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
    load(lib, cu.cuCtxSetCurrent, "cuCtxSetCurrent");
    load(lib, cu.cuCtxSynchronize, "cuCtxSynchronize");
    load(lib, cu.cuModuleLoadData, "cuModuleLoadData");
    load(lib, cu.cuModuleGetFunction, "cuModuleGetFunction");
    load(lib, cu.cuMemAlloc, "cuMemAlloc_v2");
    load(lib, cu.cuMemFree, "cuMemFree_v2");
    load(lib, cu.cuMemcpyHtoD, "cuMemcpyHtoD_v2");
    load(lib, cu.cuMemcpyDtoH, "cuMemcpyDtoH_v2");
    load(lib, cu.cuMemsetD8, "cuMemsetD8_v2");
    load(lib, cu.cuLaunchKernel, "cuLaunchKernel");
    load(lib, cu.cuEventCreate, "cuEventCreate");
    load(lib, cu.cuEventRecord, "cuEventRecord");
    load(lib, cu.cuEventSynchronize, "cuEventSynchronize");
    load(lib, cu.cuEventElapsedTime, "cuEventElapsedTime");
    load(lib, cu.cuGetErrorName, "cuGetErrorName");
}

std::string readFile(const std::string& path, bool required) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (required) fail("cannot read " + path);
        return std::string();
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Reader {
    std::string data;
    size_t at = 0;
    std::string name;
    void need(size_t n) {
        if (at + n > data.size()) fail(name + ": truncated at byte " + std::to_string(at));
    }
    template <typename T> T get() {
        need(sizeof(T));
        T v;
        std::memcpy(&v, data.data() + at, sizeof(T));
        at += sizeof(T);
        return v;
    }
    std::string bytes(size_t n) {
        need(n);
        std::string s = data.substr(at, n);
        at += n;
        return s;
    }
};

struct Launch {
    std::string kernel;
    unsigned dims[6];
    std::string params;
};

struct Replay {
    std::map<std::string, CUfunction> functions;
    std::map<uint64_t, std::pair<uint64_t, CUdeviceptr>> allocs;   // recorded address -> (size, device address)
    int sm = 0;
    int checks = 0;
    int failures = 0;
    int relocated = 0;

    void loadKernels(const std::string& dir) {
        std::istringstream index(readFile(dir + "/kernels.txt", true));
        std::string name;
        while (std::getline(index, name)) {
            if (name.empty()) continue;
            std::string image = readFile(dir + "/" + name + ".sm_" + std::to_string(sm) + ".cubin", false);
            if (image.empty()) {
                image = readFile(dir + "/" + name + ".compute_75.ptx", true);
                image.push_back('\0');
            }
            if (dry) continue;
            CUmodule m;
            check(cu.cuModuleLoadData(&m, image.data()), ("loading " + name).c_str());
            modules.push_back(m);
        }
    }
    std::vector<CUmodule> modules;

    CUfunction function(const std::string& name) {
        auto it = functions.find(name);
        if (it != functions.end()) return it->second;
        for (CUmodule m : modules) {
            CUfunction f;
            if (cu.cuModuleGetFunction(&f, m, name.c_str()) == 0) {
                functions[name] = f;
                return f;
            }
        }
        fail("no kernel " + name + " in the packaged modules");
    }

    CUdeviceptr device(uint64_t addr, uint64_t len) {
        auto it = allocs.upper_bound(addr);
        if (it == allocs.begin()) fail("address " + std::to_string(addr) + " is in no allocation");
        --it;
        if (addr + len > it->first + it->second.first) fail("range past its allocation");
        return it->second.second + (addr - it->first);
    }

    void launch(const Launch& l) {
        std::string p = l.params;
        for (size_t o = 0; o + 8 <= p.size(); o += 8) {
            uint64_t v;
            std::memcpy(&v, p.data() + o, 8);
            auto it = allocs.upper_bound(v);
            if (v == 0 || it == allocs.begin()) continue;
            --it;
            if (v < it->first + it->second.first) {
                uint64_t d = it->second.second + (v - it->first);
                std::memcpy(&p[o], &d, 8);
                relocated++;
            }
        }
        if (dry) return;
        size_t size = p.size();
        void* extra[] = {(void*) 1, (void*) p.data(), (void*) 2, &size, (void*) 0};   // CU_LAUNCH_PARAM_BUFFER_*
        check(cu.cuLaunchKernel(function(l.kernel), l.dims[0], l.dims[1], l.dims[2], l.dims[3], l.dims[4], l.dims[5],
                                0, nullptr, nullptr, extra), l.kernel.c_str());
    }

    void compare(uint64_t addr, const std::string& expected, int kind) {
        checks++;
        if (dry) return;
        std::string got(expected.size(), '\0');
        check(cu.cuMemcpyDtoH(&got[0], device(addr, expected.size()), expected.size()), "cuMemcpyDtoH");
        size_t n = expected.size() / 4;
        const int32_t* e = (const int32_t*) expected.data();
        const int32_t* g = (const int32_t*) got.data();
        size_t off = 0, bad = 0, elements = kind == 1 ? 8 * n : n;
        for (size_t i = 0; i < n; i++) {
            if (e[i] == g[i]) continue;
            if (kind == 1) {
                for (int k = 0; k < 8; k++) {
                    int a = (int32_t) ((uint32_t) e[i] << (28 - 4 * k)) >> 28;
                    int b = (int32_t) ((uint32_t) g[i] << (28 - 4 * k)) >> 28;
                    if (a != b) (std::abs(a - b) <= 1 ? off : bad)++;
                }
            } else if (kind == 2) {
                float a, b;
                std::memcpy(&a, &e[i], 4);
                std::memcpy(&b, &g[i], 4);
                if (!(std::fabs(a - b) <= 1e-4 * std::max(1e-2f, std::fabs(a)))) bad++;
            } else {
                (kind == 3 ? off : bad)++;
            }
        }
        bool ok = bad == 0 && off * 1000 < elements;
        if (!ok) failures++;
        std::printf("  check %d (%zu %s): %s%s\n", checks, elements, kind == 1 ? "codes" : kind == 2 ? "floats" : "ints",
                    ok ? "ok" : "FAILED", (bad || off) ? (", " + std::to_string(off) + " one apart, " +
                    std::to_string(bad) + " wrong").c_str() : "");
    }

    void time(const std::string& label, unsigned reps, uint64_t ops, uint64_t bytes, const std::vector<Launch>& ls) {
        if (dry) {
            std::printf("  time %-40s %zu launches x %u (dry run)\n", label.c_str(), ls.size(), reps);
            return;
        }
        for (const Launch& l : ls) launch(l);
        check(cu.cuCtxSynchronize(), "warm-up");
        std::vector<float> ms;
        CUevent a, b;
        check(cu.cuEventCreate(&a, 0), "cuEventCreate");
        check(cu.cuEventCreate(&b, 0), "cuEventCreate");
        for (unsigned r = 0; r < reps; r++) {
            check(cu.cuEventRecord(a, nullptr), "cuEventRecord");
            for (const Launch& l : ls) launch(l);
            check(cu.cuEventRecord(b, nullptr), "cuEventRecord");
            check(cu.cuEventSynchronize(b), "cuEventSynchronize");
            float t;
            check(cu.cuEventElapsedTime(&t, a, b), "cuEventElapsedTime");
            ms.push_back(t);
        }
        std::sort(ms.begin(), ms.end());
        float med = ms[ms.size() / 2];
        std::printf("  time %-40s %9.4f ms", label.c_str(), med);
        if (ops) std::printf(" %8.2f TOP/s", ops / (med * 1e-3) / 1e12);
        if (bytes) std::printf(" %8.0f GB/s", bytes / (med * 1e-3) / 1e9);
        std::printf("\n");
    }

    void run(const std::string& path) {
        Reader r{readFile(path, true), 0, path};
        if (r.bytes(8) != "RVTRACE1") fail(path + ": not a reconview trace");
        std::printf("%s\n", path.c_str());
        bool timing = false;
        std::string label;
        unsigned reps = 0;
        uint64_t ops = 0, bytes = 0;
        std::vector<Launch> region;
        while (r.at < r.data.size()) {
            char op = r.get<char>();
            switch (op) {
                case 'A': {
                    uint64_t addr = r.get<uint64_t>(), size = r.get<uint64_t>();
                    CUdeviceptr d = 0x1000 + addr % 0x100000;   // dry run: any distinct-looking value
                    if (!dry) {
                        check(cu.cuMemAlloc(&d, size ? size : 1), "cuMemAlloc");
                        check(cu.cuMemsetD8(d, 0, size), "cuMemsetD8");
                    }
                    allocs[addr] = {size, d};
                    break;
                }
                case 'F': {
                    uint64_t addr = r.get<uint64_t>();
                    auto it = allocs.find(addr);
                    if (it == allocs.end()) fail(path + ": free of an unknown allocation");
                    if (!dry) check(cu.cuMemFree(it->second.second), "cuMemFree");
                    allocs.erase(it);
                    break;
                }
                case 'W': {
                    uint64_t addr = r.get<uint64_t>(), len = r.get<uint64_t>();
                    std::string b = r.bytes(len);
                    CUdeviceptr d = device(addr, len);
                    if (!dry) check(cu.cuMemcpyHtoD(d, b.data(), len), "cuMemcpyHtoD");
                    break;
                }
                case 'L': {
                    Launch l;
                    l.kernel = r.bytes(r.get<uint16_t>());
                    for (unsigned& d : l.dims) d = r.get<uint32_t>();
                    l.params = r.bytes(r.get<uint32_t>());
                    if (timing) region.push_back(l);
                    else launch(l);
                    break;
                }
                case 'C': {
                    uint64_t addr = r.get<uint64_t>(), len = r.get<uint64_t>();
                    int kind = r.get<uint8_t>();
                    compare(addr, r.bytes(len), kind);
                    break;
                }
                case 'T':
                    label = r.bytes(r.get<uint16_t>());
                    reps = r.get<uint32_t>();
                    ops = r.get<uint64_t>();
                    bytes = r.get<uint64_t>();
                    timing = true;
                    region.clear();
                    break;
                case 'E':
                    if (!timing) fail(path + ": 'E' outside a timing region");
                    time(label, reps, ops, bytes, region);
                    timing = false;
                    break;
                default:
                    fail(path + ": unknown record '" + std::string(1, op) + "' at byte " + std::to_string(r.at - 1));
            }
        }
        if (!dry) check(cu.cuCtxSynchronize(), "cuCtxSynchronize");
        for (auto& a : allocs) {
            if (!dry) cu.cuMemFree(a.second.second);
        }
        allocs.clear();
        std::printf("  %d checks, %d failed, %d pointers relocated\n", checks, failures, relocated);
    }
};

}  // namespace

int main(int argc, char** argv) {
    int i = 1;
    if (i < argc && std::string(argv[i]) == "--dry-run") {
        dry = true;
        i++;
    }
    if (argc - i < 2) fail("usage: replay [--dry-run] KERNEL_DIR TRACE...");
    Replay rp;
    if (!dry) {
        loadDriver();
        check(cu.cuInit(0), "cuInit");
        CUdevice dev;
        check(cu.cuDeviceGet(&dev, 0), "cuDeviceGet");
        int major, minor;
        check(cu.cuDeviceGetAttribute(&major, 75, dev), "compute capability");   // ..._MAJOR
        check(cu.cuDeviceGetAttribute(&minor, 76, dev), "compute capability");   // ..._MINOR
        char name[256] = {0};
        check(cu.cuDeviceGetName(name, sizeof name, dev), "cuDeviceGetName");
        rp.sm = major * 10 + minor;
        CUcontext ctx;
        check(cu.cuDevicePrimaryCtxRetain(&ctx, dev), "cuDevicePrimaryCtxRetain");
        check(cu.cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
        std::printf("device: %s (sm_%d)\n", name, rp.sm);
    } else {
        rp.sm = 90;
    }
    rp.loadKernels(argv[i++]);
    int failed = 0;
    for (; i < argc; i++) {
        rp.checks = rp.failures = rp.relocated = 0;
        rp.run(argv[i]);
        failed += rp.failures;
    }
    return failed ? 1 : 0;
}
