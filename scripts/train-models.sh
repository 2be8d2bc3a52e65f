#!/usr/bin/env bash
# Builds the shipped models from scratch on this machine (CPU): the dataset (every training scene, never the held-out
# one), U-Net FP32, QW-Net FP32, QW-Net INT4 (simulated-quantization fine-tuning from the FP32 weights), then the
# evaluation on the held-out scene. Outputs go to out/models-run/; copy the .safetensors into models/ to ship them.
# Usage: scripts/train-models.sh [STEPS_FP32] [STEPS_INT4]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STEPS=${1:-1000}
STEPS_Q=${2:-300}
OUT=out/models-run
mkdir -p "$OUT"
t0=$(date +%s)
./reconview dataset --scenes all --size 128x128 --frames 120 --spp 64 --block 4x64x64 --out "$OUT/dataset" --resume
t1=$(date +%s)
./reconview train --model unet --data "$OUT/dataset" --out "$OUT/unet-fp32.safetensors" --steps "$STEPS" --batch 4
t2=$(date +%s)
./reconview train --model qwnet --data "$OUT/dataset" --out "$OUT/qwnet-fp32.safetensors" --steps "$STEPS" --batch 4
t3=$(date +%s)
./reconview train --model qwnet --data "$OUT/dataset" --out "$OUT/qwnet-int4.safetensors" --quantize 4 \
    --init "$OUT/qwnet-fp32.safetensors" --steps "$STEPS_Q" --batch 4 --lr 0.0002
t4=$(date +%s)
./reconview eval --scene courtyard --size 256x256 --frames 60 --start 30 --warmup 8 --spp 64 \
    --methods input,taa,unet,qwnet,qwnet-fp32 --weights "$OUT/unet-fp32.safetensors" \
    --weights "$OUT/qwnet-int4.safetensors" --weights "$OUT/qwnet-fp32.safetensors" --out "$OUT/eval-courtyard-256"
t5=$(date +%s)
echo "seconds: dataset $((t1-t0)), unet $((t2-t1)), qwnet fp32 $((t3-t2)), qwnet int4 $((t4-t3)), eval $((t5-t4))" \
    | tee "$OUT/timings.txt"
