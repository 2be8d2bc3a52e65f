#!/usr/bin/env bash
# The held-out tables of issue 11 with the shipped models (README "Shipped models", docs/perf.md): courtyard's three
# shots and an unseen mesh, 256x256, 8 warm-up frames, 64-spp reference, PQ; writes docs/eval-11/*/ and prints each
# table with the bar's lines. About 25 minutes on a 2-core CPU (llvmpipe). Usage: scripts/eval-models.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
W=(--weights models/unet-fp32.safetensors --weights models/qwnet-int4.safetensors
    --weights models/qwnet-fp32.safetensors)
M=input,taa,unet,qwnet,qwnet-fp32
E=(--size 256x256 --warmup 8 --spp 64 --methods "$M" "${W[@]}")
./reconview eval --scene courtyard --start 30 --frames 60 "${E[@]}" --out docs/eval-11/courtyard-30
for s in 130 250; do
    ./reconview eval --scene courtyard --start $s --frames 30 "${E[@]}" --out docs/eval-11/courtyard-$s
done
[ -f out/meshes/pavilion.obj ] || python3 scripts/make-test-mesh.py out/meshes/pavilion.obj
./reconview eval --scene out/meshes/pavilion.obj --start 30 --frames 30 "${E[@]}" --out docs/eval-11/pavilion-30
for d in courtyard-30 courtyard-130 courtyard-250 pavilion-30; do
    echo "## $d"; python3 scripts/eval-table.py docs/eval-11/$d --bar
done
