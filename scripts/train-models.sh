#!/usr/bin/env bash
# Builds the shipped models from scratch on this machine (CPU), with the settings the shipped ones were made with:
# the training data (every shot of every training scene, two seeded layouts, two render sizes; never the held-out
# scene), a validation set of another seed, QW-Net FP32 and the U-Net (in parallel, one thread each), QW-Net INT4
# (thresholds calibrated, then simulated-quantization fine-tuning from the FP32 weights, kept where validation
# improves), then the held-out evaluation. Every step resumes: renders keep their finished frames, and a training run
# whose checkpoint exists continues from it (same --steps, so the same schedule). Outputs go to out/models-run/; copy
# the .safetensors (and their .loss.png / .val.png) into models/ to ship them, then run scripts/model-card.py.
# Usage: scripts/train-models.sh [STEPS_FP32] [STEPS_INT4]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STEPS=${1:-3000}
STEPS_Q=${2:-600}
OUT=out/models-run
D=$OUT/data
mkdir -p "$OUT"
t0=$(date +%s)
./reconview dataset --scenes all --size 128x128 --frames 360 --spp 32 --seed 1 --block 4x64x64 --out "$D/s1-128" --resume
./reconview dataset --scenes balcony,garden,signs --size 192x192 --frames 360 --spp 16 --seed 2 --block 4x64x64 \
    --out "$D/s2-192" --resume
./reconview dataset --scenes all --size 128x128 --frames 40 --spp 32 --seed 9 --block 4x64x64 --out "$D/val-s9-128" \
    --resume
t1=$(date +%s)
DATA=(--data "$D/s1-128" --data "$D/s2-192" --val "$D/val-s9-128")
COMMON=(--batch 4 --crop 64x64 --warmup-frames 4 --frames 4 --lr 0.0005 --lr-warmup 100 --bn-freeze 0.75
    --val-every 250 --checkpoint-every 50)
run() { # run FILE ARGS...: train, resuming from FILE's checkpoint when there is one
    local file=$1; shift
    local resume=()
    [ -f "$file.ckpt.safetensors" ] && resume=(--resume "$file.ckpt.safetensors")
    ./reconview train "$@" --out "$file" "${resume[@]}"
}
run "$OUT/qwnet-fp32.safetensors" --model qwnet "${DATA[@]}" "${COMMON[@]}" --steps "$STEPS" --threads 1 &
run "$OUT/unet-fp32.safetensors" --model unet "${DATA[@]}" "${COMMON[@]}" --steps "$STEPS" --threads 1 &
wait
t2=$(date +%s)
run "$OUT/qwnet-int4.safetensors" --model qwnet --quantize 4 --init "$OUT/qwnet-fp32.safetensors" "${DATA[@]}" \
    "${COMMON[@]}" --steps "$STEPS_Q" --lr 0.0001 --lr-warmup 20 --val-every 100 --calibrate 99.9 --threads 2
t3=$(date +%s)
./reconview eval --scene courtyard --size 256x256 --frames 60 --start 30 --warmup 8 --spp 64 \
    --methods input,taa,unet,qwnet,qwnet-fp32 --weights "$OUT/unet-fp32.safetensors" \
    --weights "$OUT/qwnet-int4.safetensors" --weights "$OUT/qwnet-fp32.safetensors" --out "$OUT/eval-courtyard-256"
t4=$(date +%s)
echo "seconds: data $((t1-t0)), qwnet fp32 + unet $((t2-t1)), qwnet int4 $((t3-t2)), eval $((t4-t3))" \
    | tee "$OUT/timings.txt"
