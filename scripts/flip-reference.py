#!/usr/bin/env python3
"""Regenerates the expected numbers in app/src/test/java/org/reconview/metrics/FlipTest.java with NVIDIA's official FLIP.

Reference: https://github.com/NVlabs/flip, commit 1eb247cabcf2862c2c8207ab15314304394132b9 (2025-09-01, FLIP v1.6;
src/cpp/FLIP.h last changed in 9629de66b29663772d286c11321ae6eef140a580). Since v1.4 the official Python package
(flip_evaluator) is a nanobind wrapper of that same C++ header, and the last pure-numpy version (v1.3, python/flip_api.py)
needs OpenCV and differs from v1.6 (2D filters, np.median, clipping negatives before tone mapping), so the numbers come
from the C++ header itself: this script makes the test images with numpy, compiles a small harness that calls
FLIP::evaluate() from src/cpp/FLIP.h with g++ (CPU path, no CUDA, no OpenMP needed), and prints the results.

Usage:
    scripts/flip-reference.py FLIP_CHECKOUT [--dump DIR]
FLIP_CHECKOUT is a checkout of NVlabs/flip (the folder holding src/cpp/FLIP.h). --dump writes each case's full error
map as a text file. Needs python3, numpy and g++ (C++17).

The images are the ones FlipTest.java generates; the two generators must stay identical (formulas below): values are
computed in double and stored as float32, the noise is an integer hash, so both sides get the same floats (up to the
last bit of sin/cos, far below the tests' tolerances).
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

W, H = 32, 24
PIXELS = [(0, 0), (31, 23), (10, 8), (14, 9), (20, 5), (26, 12), (5, 18), (16, 20), (5, 4), (6, 6)]
# FLIP's default: 0.7 m from a 0.7 m wide 3840-pixel monitor, computed in float as FLIP::calculatePPD does.
DEFAULT_PPD = float(np.float32(0.7) * (np.float32(3840.0) / np.float32(0.7)) * (np.float32(3.14159265358979) / np.float32(180.0)))

HARNESS = r"""
#include "FLIP.h"
#include <cstdio>
// args: w h hdr(0/1) ppd start stop count ref.bin test.bin out.txt ; start/stop "inf" and count -1 = FLIP's defaults.
int main(int argc, char** argv) {
    int w = atoi(argv[1]), h = atoi(argv[2]); bool hdr = atoi(argv[3]) != 0;
    FLIP::Parameters p; p.PPD = strtof(argv[4], nullptr);
    p.startExposure = strtof(argv[5], nullptr); p.stopExposure = strtof(argv[6], nullptr); p.numExposures = atoi(argv[7]);
    std::vector<float> r(size_t(w) * h * 3), t(size_t(w) * h * 3);
    FILE* f = fopen(argv[8], "rb"); if (fread(r.data(), 4, r.size(), f) != r.size()) return 2; fclose(f);
    f = fopen(argv[9], "rb"); if (fread(t.data(), 4, t.size(), f) != t.size()) return 2; fclose(f);
    FLIP::image<FLIP::color3> ref(w, h), test(w, h);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
        size_t i = (size_t(y) * w + x) * 3;
        ref.set(x, y, FLIP::color3(r[i], r[i + 1], r[i + 2]));
        test.set(x, y, FLIP::color3(t[i], t[i + 1], t[i + 2]));
    }
    if (!hdr) { ref.sRGBToLinearRGB(); test.sRGBToLinearRGB(); }   // as FLIP-tool does after loading a PNG
    FLIP::image<float> err(w, h, 0.0f);
    FLIP::evaluate(ref, test, hdr, p, err);
    double sum = 0.0; float fsum = 0.0f;
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) { sum += err.get(x, y); fsum += err.get(x, y); }
    FILE* o = fopen(argv[10], "w");
    fprintf(o, "mean %.9f\nmeanf %.9f\nstart %.9g\nstop %.9g\ncount %d\n", sum / (w * h), fsum / (w * h),
            p.startExposure, p.stopExposure, p.numExposures);
    for (int y = 0; y < h; y++) { for (int x = 0; x < w; x++) fprintf(o, "%.9f ", err.get(x, y)); fprintf(o, "\n"); }
    fclose(o);
    return 0;
}
"""


def noise(x, y, salt):
    """Integer hash in [0,1), 24 bits, identical in Java (long arithmetic)."""
    m = 0xFFFFFFFF
    h = (x * 374761393 + y * 668265263 + salt * 2147483647) & m
    h = ((h ^ (h >> 13)) * 1274126177) & m
    h ^= h >> 16
    return (h & 0xFFFFFF) / 16777216.0


def ldr_pair():
    """Display-encoded (sRGB) reference and test, values in [0,1]: smooth colour waves, a white box, a blue edge at
    x = 20, a darker band below y = 18; the test moves the box one pixel right, adds noise and a dark line at x = 26."""
    ref = np.zeros((H, W, 3), np.float32)
    test = np.zeros((H, W, 3), np.float32)
    for y in range(H):
        for x in range(W):
            for img, shift in ((ref, 0), (test, 1)):
                r = 0.5 + 0.35 * np.sin(0.37 * x + 0.11 * y)
                g = 0.5 + 0.35 * np.cos(0.23 * y - 0.05 * x)
                b = 0.45 + 0.3 * np.sin(0.17 * (x + y) + 1.0)
                if x >= 20:
                    b = 1.0 - b
                if 8 + shift <= x < 14 + shift and 6 <= y < 12:
                    r = g = b = 0.95
                if y >= 18:
                    r *= 0.3
                c = [r, g, b]
                if shift:
                    c = [min(1.0, max(0.0, c[k] + 0.12 * (noise(x, y, k) - 0.5))) for k in range(3)]
                    if x == 26:
                        c = [0.05, 0.05, 0.05]
                img[y, x] = c
    return ref, test


def hdr_pair():
    """Linear HDR reference and test: luminance waves over 2^-5..2^5, a 200-unit bright box, a dim region x >= 24;
    the test scales each channel by 1 +- 15 % noise, moves the box one row down and blacks out row 20."""
    ref = np.zeros((H, W, 3), np.float32)
    test = np.zeros((H, W, 3), np.float32)
    for y in range(H):
        for x in range(W):
            for img, shift in ((ref, 0), (test, 1)):
                lum = 2.0 ** (5.0 * np.sin(0.21 * x) * np.cos(0.17 * y))
                c = [lum * (0.6 + 0.3 * np.sin(0.5 * x)), lum * (0.5 + 0.2 * np.cos(0.3 * y)), lum * 0.4]
                if x >= 24:
                    c = [v * 0.01 for v in c]
                if shift:
                    c = [c[k] * (1.0 + 0.3 * (noise(x, y, k + 3) - 0.5)) for k in range(3)]
                if 4 <= x < 7 and 3 + shift <= y < 6 + shift:
                    c = [200.0, 200.0, 200.0]
                if shift and y == 20:
                    c = [0.0, 0.0, 0.0]
                img[y, x] = c
    return ref, test


# name, pair, hdr, ppd, start, stop, count (None = FLIP's defaults)
CASES = [
    ("ldrDefaultPpd", ldr_pair, False, DEFAULT_PPD, None, None, None),
    ("ldrPpd24", ldr_pair, False, 24.0, None, None, None),
    ("hdrDefault", hdr_pair, True, DEFAULT_PPD, None, None, None),
    ("hdrExplicit", hdr_pair, True, 40.0, -3.0, 2.5, 4),
]


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(1)
    header = os.path.join(sys.argv[1], "src", "cpp", "FLIP.h")
    if not os.path.isfile(header):
        sys.exit("no " + header)
    dump = sys.argv[sys.argv.index("--dump") + 1] if "--dump" in sys.argv else None
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "harness.cpp")
        exe = os.path.join(tmp, "harness")
        with open(src, "w") as f:
            f.write(HARNESS)
        subprocess.run(["g++", "-O2", "-std=c++17", "-I", os.path.dirname(header), src, "-o", exe], check=True)
        for name, pair, hdr, ppd, start, stop, count in CASES:
            ref, test = pair()
            ref.tofile(os.path.join(tmp, "r.bin"))
            test.tofile(os.path.join(tmp, "t.bin"))
            out = os.path.join(tmp, "o.txt")
            subprocess.run([exe, str(W), str(H), "1" if hdr else "0", repr(ppd),
                            "inf" if start is None else repr(start), "inf" if stop is None else repr(stop),
                            "-1" if count is None else str(count),
                            os.path.join(tmp, "r.bin"), os.path.join(tmp, "t.bin"), out], check=True)
            with open(out) as f:
                lines = f.read().splitlines()
            info = dict(line.split() for line in lines[:5])
            err = np.array([[float(v) for v in line.split()] for line in lines[5:]])
            print("%s: ppd=%r mean=%s (float sum: %s)" % (name, ppd, info["mean"], info["meanf"]))
            if hdr:
                print("    exposures start=%s stop=%s count=%s" % (info["start"], info["stop"], info["count"]))
            print("    pixels " + ", ".join("(%d,%d)=%.6f" % (x, y, err[y, x]) for x, y in PIXELS))
            print("    min=%.6f max=%.6f" % (err.min(), err.max()))
            if dump:
                os.makedirs(dump, exist_ok=True)
                np.savetxt(os.path.join(dump, name + ".txt"), err, fmt="%.9f")


if __name__ == "__main__":
    main()
