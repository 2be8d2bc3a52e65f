#!/usr/bin/env python3
"""Writes models/NAME.md, the model card of a shipped weights file, from what the training run recorded: the
safetensors metadata (architecture, data, training settings, steps, wall time, final loss), the CSV log (first and
last losses) and the held-out evaluation's summary.json. Usage:
    scripts/model-card.py NAME WEIGHTS.safetensors EVAL_SUMMARY.json METHOD_IN_EVAL
"""
import csv
import json
import struct
import sys


def metadata(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(n)).get("__metadata__", {})


def main():
    name, weights, summary_path, method = sys.argv[1:5]
    meta = metadata(weights)
    log = weights[:-len(".safetensors")] + ".log.csv"
    try:
        with open(log) as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        rows = []  # not trained on its own (e.g. post-training quantization of another model)
    with open(summary_path) as f:
        summary = json.load(f)

    val_rows = []
    for path in (weights[:-len(".safetensors")] + ".val.csv", weights + ".val.csv"):
        try:
            with open(path) as f:
                val_rows = list(csv.DictReader(f))
            break
        except FileNotFoundError:
            pass

    def mean(rs, key):
        return sum(float(r[key]) for r in rs) / max(1, len(rs))

    first, last = rows[:25], rows[-25:]
    lines = [f"# {name}", ""]
    if rows:
        lines += [f"![loss curve]({name}.loss.png)", ""]
    if val_rows:
        lines += [f"![validation]({name}.val.png)", ""]
    else:
        lines += ["No training run of its own. " + (lambda t: t[:1].upper() + t[1:])(meta.get("quantization_training", "").replace("none: ", "", 1)), ""]
    lines += [
        "| | |",
        "|---|---|",
        f"| architecture | {meta.get('architecture')} (variant {meta.get('variant')}, base width {meta.get('base_width')},"
        f" step {meta.get('width_step')}) |",
        f"| trained precision | {meta.get('trained_precision')} |",
        f"| quantization | {meta.get('quantization')} |",
        f"| thresholds | {meta.get('thresholds')} |",
        f"| initialisation | {meta.get('init')} |",
        f"| training data | {meta.get('training_data')} |",
        f"| training | {meta.get('training')} |",
        f"| validation data | {meta.get('validation_data', 'none')} |",
        f"| steps | {meta.get('steps')} (the best validated step; the run's schedule: see training) |",
        f"| wall time | {meta.get('wall_seconds')} s on a 2-core CPU (TensorFlow Java, 2 threads) |",
    ]
    if rows:
        lines += [
            f"| loss, mean of the first 25 steps | {mean(first, 'loss'):.5f} (L_s {mean(first, 'spatial'):.5f},"
            f" L_t {mean(first, 'temporal'):.5f}) |",
            f"| loss, mean of the last 25 steps | {mean(last, 'loss'):.5f} (L_s {mean(last, 'spatial'):.5f},"
            f" L_t {mean(last, 'temporal'):.5f}) |",
        ]
    if val_rows:
        best = max(val_rows, key=lambda r: float(r["val_psnr"]))
        lines += [
            f"| validation PSNR | {float(val_rows[0]['val_psnr']):.3f} dB at step {val_rows[0]['step']}, best"
            f" {float(best['val_psnr']):.3f} dB at step {best['step']} (shipped), last"
            f" {float(val_rows[-1]['val_psnr']):.3f} dB at step {val_rows[-1]['step']} |",
        ]
        gaps = [r for r in val_rows if r["bn_loss_train"] not in ("NaN", "nan")]
        if gaps:
            g0, g1 = gaps[0], gaps[-1]
            lines += [
                f"| BN gap (training loss, batch vs running statistics) | step {g0['step']}:"
                f" {float(g0['bn_loss_train']):.5f} vs {float(g0['bn_loss_inference']):.5f}; step {g1['step']}:"
                f" {float(g1['bn_loss_train']):.5f} vs {float(g1['bn_loss_inference']):.5f} |",
            ]
    if meta.get("cadyq_candidates"):
        lines += [
            f"| CADyQ | candidate widths {meta.get('cadyq_candidates')}, tiles {meta.get('cadyq_tile')} px;"
            f" {meta.get('cadyq_training', '')} |",
        ]
    lines += [
        f"| commit | {meta.get('commit')} |",
        "",
        f"## Held-out evaluation ({summary['scene']}, {summary['size']}, {summary['frames']} frames,"
        f" {summary['warmup']} warm-up, encoding {summary['encoding']})",
        "",
        "| method | PSNR (dB) | SSIM | temporal error | avg bits |",
        "|---|---|---|---|---|",
    ]
    for m, v in summary["methods"].items():
        mark = " (this model)" if m == method else ""
        psnr = "inf" if v["psnr"] is None else f"{v['psnr']:.3f}"
        te = "-" if v["temporal_error"] is None else f"{v['temporal_error']:.5f}"
        bits = "-" if v.get("avg_bits") is None else f"{v['avg_bits']:.2f}"
        lines.append(f"| {m}{mark} | {psnr} | {v['ssim']:.4f} | {te} | {bits} |")
    lines += ["", "Produced by `scripts/train-models.sh` (dataset, training and this evaluation in one go)."]
    with open(f"models/{name}.md", "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
