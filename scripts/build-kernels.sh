#!/usr/bin/env bash
# Compiles every kernels/*.cu for the CUDA backend (org.reconview.nn.cuda.CudaBackend) into OUTDIR:
#   NAME.sm_75.cubin ... NAME.sm_90.cubin   (sm_75, sm_80, sm_86, sm_89, sm_90: the primary path)
#   NAME.compute_75.ptx                     (JIT fallback for other GPUs)
#   kernels.txt                             (the NAMEs, one a line, for the loader)
# nvcc 13 writes PTX ".version 9.0", which needs a CUDA 13 driver to JIT; JCuda 12.6's loader and CUDA 12 drivers take
# ISA 8.0 at most. The PTX is rewritten to ".version 8.0" only if it uses nothing newer, checked by assembling the
# rewritten file with ptxas (ptxas rejects instructions, types and directives that the declared ISA version does not
# have). If that check fails or ptxas is missing, the PTX keeps its original version and the cubins stay the only path
# for CUDA 12 drivers.
# Without nvcc on PATH it prints one line and exits 0: the build succeeds and the app reports the backend unavailable.
# Usage: scripts/build-kernels.sh OUTDIR
set -euo pipefail
if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v nvcc >/dev/null 2>&1; then
    echo "build-kernels: nvcc not on PATH; CUDA kernels not built, the CUDA backend will be unavailable"
    exit 0
fi
mkdir -p "$out"
shopt -s nullglob
# Up to date when the index is newer than every kernel source, header and this script (nvcc takes a minute for all).
if [ -f "$out/kernels.txt" ] && [ -z "$(find "$root/kernels" -maxdepth 1 \( -name '*.cu' -o -name '*.cuh' \) \
        -newer "$out/kernels.txt" -print -quit)" ] && [ ! "$0" -nt "$out/kernels.txt" ] \
        && [ "$(ls "$root"/kernels/*.cu | wc -l)" = "$(wc -l < "$out/kernels.txt")" ]; then
    echo "build-kernels: up to date ($(tr '\n' ' ' < "$out/kernels.txt"))"
    exit 0
fi
sources=("$root"/kernels/*.cu)
if [ ${#sources[@]} -eq 0 ]; then
    echo "build-kernels: no kernels/*.cu"
    exit 0
fi
tmp=$(mktemp -d)
rm -f "$out/kernels.txt"
: > "$tmp/kernels.txt"
trap 'rm -rf "$tmp"' EXIT
for src in "${sources[@]}"; do
    name=$(basename "$src" .cu)
    pids=()
    for sm in 75 80 86 89 90; do   # in parallel: the targets are independent
        nvcc -O3 -cubin -arch=sm_$sm -o "$out/$name.sm_$sm.cubin" "$src" & pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    ptx="$out/$name.compute_75.ptx"
    nvcc -O3 -ptx -arch=compute_75 -o "$ptx" "$src"
    version=$(sed -n 's/^\.version \([0-9.]*\)$/\1/p' "$ptx" | head -n 1)
    note="PTX ISA $version kept"
    if [ -n "$version" ] && [ "$version" != "8.0" ] && command -v ptxas >/dev/null 2>&1; then
        sed 's/^\.version [0-9.]*$/.version 8.0/' "$ptx" > "$tmp/$name.ptx"
        if ptxas -arch=sm_75 -o "$tmp/$name.check.cubin" "$tmp/$name.ptx" 2> "$tmp/$name.log"; then
            mv "$tmp/$name.ptx" "$ptx"
            note="PTX ISA $version rewritten to 8.0 (ptxas accepts it)"
        else
            note="PTX ISA $version kept (uses features newer than 8.0: $(head -n 1 "$tmp/$name.log"))"
        fi
    fi
    echo "$name" >> "$tmp/kernels.txt"
    echo "build-kernels: $name: cubins sm_75 sm_80 sm_86 sm_89 sm_90; $note"
done
mv "$tmp/kernels.txt" "$out/kernels.txt"   # written last: its date marks a complete build
