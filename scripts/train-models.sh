#!/usr/bin/env bash
# Builds the shipped models from scratch on this machine (CPU) with the settings the shipped ones were made with
# (session of 2026-12-01; figures in docs/perf.md, "Training that generalises"):
#   data       every shot of every training scene (never the held-out one): seed 1 at 128x128 (all four scenes),
#              seed 2 at 192x192 and seed 10 at 256x256 (balcony, garden, signs; seeds from 10 add objects moving
#              in front of the camera); validation: seed 9 (all four, 40 frames) and seed 11 (three, 40 frames);
#              for INT4 also seed 12 at 256x256 and the validation-only scene plaza (seed 13, 256x256, 40 frames)
#   qwnet-fp32 stage 1: seeds 1 and 2, 3000-step schedule stopped at step 1000 (the best validation was step 500);
#              stage 2: from that, all three seeds, 1500 steps, lr 3e-4; FILE keeps the best validated step
#   qwnet-int4 thresholds calibrated (99.9th percentiles), simulated-quantization fine-tuning from qwnet-fp32 for
#              2000 steps, validated every 500 on seeds 9, 11, 12 and the validation-only scene plaza; the best
#              validated step ships (step 2000)
#   unet-fp32  stage 1: stage-1 settings on seeds 1 and 2, stopped at step 2250; stage 2: from that, all three seeds,
#              BN frozen from the start, 4000 steps, lr 3e-4
# then the held-out evaluation. Every step resumes: renders keep their finished frames, a run whose checkpoint exists
# continues from it (same --steps, so the same schedule). Outputs go to out/models-run/; copy the .safetensors (and
# .loss.png / .val.png) into models/ to ship them, then run scripts/model-card.py.
# Usage: scripts/train-models.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=out/models-run
D=$OUT/data
mkdir -p "$OUT"
t0=$(date +%s)
./reconview dataset --scenes all --size 128x128 --frames 360 --spp 32 --seed 1 --block 4x64x64 --out "$D/s1-128" --resume
./reconview dataset --scenes balcony,garden,signs --size 192x192 --frames 360 --spp 16 --seed 2 --block 4x64x64 \
    --out "$D/s2-192" --resume
./reconview dataset --scenes balcony,garden,signs --size 256x256 --frames 360 --spp 12 --seed 10 --block 4x64x64 \
    --out "$D/s10-256" --resume
./reconview dataset --scenes all --size 128x128 --frames 40 --spp 32 --seed 9 --block 4x64x64 --out "$D/val-s9-128" \
    --resume
./reconview dataset --scenes balcony,garden,signs --size 128x128 --frames 40 --spp 32 --seed 11 --block 4x64x64 \
    --out "$D/val-s11-128" --resume
./reconview dataset --scenes balcony,garden,signs --size 256x256 --frames 32 --spp 32 --seed 12 --block 4x64x64 \
    --out "$D/val-s12-256" --resume
# plaza: the validation-only scene (never trained on; train refuses it as --data), 256x256 like the held-out eval
./reconview dataset --scenes plaza --size 256x256 --frames 40 --spp 32 --seed 13 --block 4x64x64 \
    --out "$D/val-plaza-256" --resume
t1=$(date +%s)
COMMON=(--batch 4 --crop 64x64 --warmup-frames 4 --frames 4 --val-every 250 --checkpoint-every 50)
run() { # run FILE ARGS...: train, resuming from FILE's checkpoint when there is one
    local file=$1; shift
    local resume=()
    [ -f "$file.ckpt.safetensors" ] && resume=(--resume "$file.ckpt.safetensors")
    ./reconview train "$@" --out "$file" "${resume[@]}"
}
STAGE1=(--data "$D/s1-128" --data "$D/s2-192" --val "$D/val-s9-128" "${COMMON[@]}" --lr 0.0005 --lr-warmup 100
    --bn-freeze 0.75 --steps 3000 --threads 1)
run "$OUT/qwnet-fp32-stage1.safetensors" --model qwnet "${STAGE1[@]}" --until 1000
run "$OUT/qwnet-fp32.safetensors" --model qwnet --init "$OUT/qwnet-fp32-stage1.safetensors" --data "$D/s1-128" \
    --data "$D/s2-192" --data "$D/s10-256" --val "$D/val-s9-128" --val "$D/val-s11-128" "${COMMON[@]}" --lr 0.0003 \
    --lr-warmup 50 --bn-freeze 0.7 --steps 1500 --threads 2 --seed 1
t2=$(date +%s)
# INT4: validation on the training scenes' other seeds alone did not predict courtyard (a 400-step run scored above
# FP32 there and 0.68 dB below it on courtyard); plaza, a mixed scene held back for validation, did (0.37 dB below).
run "$OUT/qwnet-int4.safetensors" --model qwnet --quantize 4 --init "$OUT/qwnet-fp32.safetensors" --data "$D/s1-128" \
    --data "$D/s2-192" --data "$D/s10-256" --val "$D/val-s9-128" --val "$D/val-s11-128" --val "$D/val-s12-256" \
    --val "$D/val-plaza-256" "${COMMON[@]}" --lr 0.0001 --lr-warmup 20 --val-every 500 --steps 2000 --calibrate 99.9 \
    --threads 2 --seed 2
t3=$(date +%s)
# U-Net stage 1: the STAGE1 settings, stopped at step 2250 of 3000 (its best validation, 28.2 dB). Stage 2 starts from
# those weights with BN statistics recomputed at once and frozen (--bn-freeze 0): with batch statistics a direct
# prediction loses each batch's mean colour at the first BN layer (a uniform shift of the inputs cancels there), so
# only inference-mode BN lets the U-Net learn absolute colour; validation rose from 28.2 to 33.8 dB in 1000 steps.
run "$OUT/unet-fp32-stage1.safetensors" --model unet "${STAGE1[@]}" --until 2250
run "$OUT/unet-fp32.safetensors" --model unet --init "$OUT/unet-fp32-stage1.safetensors" --data "$D/s1-128" \
    --data "$D/s2-192" --data "$D/s10-256" --val "$D/val-s9-128" --val "$D/val-s11-128" "${COMMON[@]}" --lr 0.0003 \
    --lr-warmup 50 --bn-freeze 0 --steps 4000 --threads 2 --seed 3
t4=$(date +%s)
# CADyQ (issue 13) from the INT4 model: straight-through selectors, bit loss ramped over the first 30% of a 400-step
# schedule, stopped at step 200 (run k of docs/cadyq.md). The network's weights and thresholds barely move (lr 2e-6:
# on this content the widths cost little PSNR, the fine-tuning drift did); the selectors learn at 2500x that (0.005),
# their two tile-gradient columns 100x more; their weights learn from centred features (--selector-centred) and each
# tile's bits are charged by its flatness cubed (--bit-flatness 3), so the bits go to edges and texture.
run "$OUT/qwnet-cadyq.safetensors" --model qwnet --cadyq 2,4,8 --init "$OUT/qwnet-int4.safetensors" --data "$D/s1-128" \
    --data "$D/s2-192" --data "$D/s10-256" --val "$D/val-s9-128" --val "$D/val-s11-128" --batch 4 --crop 64x64 \
    --warmup-frames 4 --frames 4 --lr 0.000002 --lr-warmup 20 --val-every 100 --checkpoint-every 25 --steps 400 \
    --until 200 --bit-weight 0.0007 --bit-ramp 0.3 --bit-flatness 3 --selector-centred --selector-lr 2500 \
    --selector-gradient-lr 100 --threads 1 --seed 15
t4b=$(date +%s)
./reconview eval --scene courtyard --size 256x256 --frames 60 --start 30 --warmup 8 --spp 64 \
    --methods input,taa,unet,qwnet,qwnet-fp32 --weights "$OUT/unet-fp32.safetensors" \
    --weights "$OUT/qwnet-int4.safetensors" --weights "$OUT/qwnet-fp32.safetensors" --out "$OUT/eval-courtyard-256"
t5=$(date +%s)
echo "seconds: data $((t1-t0)), qwnet fp32 $((t2-t1)), qwnet int4 $((t3-t2)), unet $((t4-t3)), eval $((t5-t4))" \
    | tee "$OUT/timings.txt"
