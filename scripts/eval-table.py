#!/usr/bin/env python3
"""Prints eval's results as the markdown tables the README and docs carry, and checks them against issue 11's quality
bar. Usage:
    scripts/eval-table.py DIR [--bar]
DIR is an eval --out folder (summary.json, frames.csv). --bar adds the bar's lines (INT4 >= TAA + 1 dB with higher
SSIM, U-Net above TAA, INT4 above U-Net in PSNR and SSIM, INT4 within 0.3 dB of FP32, QW-Net's temporal error below
U-Net's, no decay: mean PSNR of the last 10 frames >= mean of frames 8-17 of the run minus 0.5 dB)."""
import csv
import json
import sys

NAMES = {"input": "input (1 spp)", "taa": "TAA", "unet": "U-Net FP32", "qwnet-fp32": "QW-Net FP32",
         "qwnet": "QW-Net INT4", "reference": "reference"}
ORDER = ["input", "taa", "unet", "qwnet-fp32", "qwnet"]


def main():
    folder = sys.argv[1]
    with open(folder + "/summary.json") as f:
        s = json.load(f)
    m = s["methods"]
    print("| method | PSNR | SSIM | temporal error |")
    print("|---|---|---|---|")
    for k in [k for k in ORDER if k in m] + [k for k in m if k not in ORDER]:
        v = m[k]
        print(f"| {NAMES.get(k, k)} | {v['psnr']:.2f} dB | {v['ssim']:.4f} | {v['temporal_error']:.5f} |")
    if "--bar" not in sys.argv:
        return
    per = {}
    with open(folder + "/frames.csv") as f:
        for r in csv.DictReader(f):
            per.setdefault(r["method"], []).append(float(r["psnr"]))
    q = per["qwnet"]
    late, early = sum(q[-10:]) / 10, sum(q[8:18]) / 10
    checks = [
        ("INT4 >= TAA + 1 dB", m["qwnet"]["psnr"] - m["taa"]["psnr"], m["qwnet"]["psnr"] >= m["taa"]["psnr"] + 1),
        ("INT4 SSIM > TAA SSIM", m["qwnet"]["ssim"] - m["taa"]["ssim"], m["qwnet"]["ssim"] > m["taa"]["ssim"]),
        ("U-Net PSNR > TAA", m["unet"]["psnr"] - m["taa"]["psnr"], m["unet"]["psnr"] > m["taa"]["psnr"]),
        ("INT4 PSNR > U-Net", m["qwnet"]["psnr"] - m["unet"]["psnr"], m["qwnet"]["psnr"] > m["unet"]["psnr"]),
        ("INT4 SSIM > U-Net", m["qwnet"]["ssim"] - m["unet"]["ssim"], m["qwnet"]["ssim"] > m["unet"]["ssim"]),
        ("INT4 within 0.3 dB of FP32", m["qwnet"]["psnr"] - m["qwnet-fp32"]["psnr"],
         abs(m["qwnet"]["psnr"] - m["qwnet-fp32"]["psnr"]) <= 0.3),
        ("QW-Net temporal error < U-Net", m["qwnet"]["temporal_error"] - m["unet"]["temporal_error"],
         m["qwnet"]["temporal_error"] < m["unet"]["temporal_error"]),
        ("no decay (last 10 vs frames 8-17)", late - early, late >= early - 0.5),
    ]
    print()
    for name, delta, ok in checks:
        print(f"- {name}: {delta:+.4f} {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
