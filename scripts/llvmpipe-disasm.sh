#!/usr/bin/env bash
# Disassembles the x86 code that Mesa's llvmpipe compiled for recently run shaders, from its disk shader cache
# (llvmpipe stores each shader variant's object file there, zstd-compressed, when it first dispatches it). How the
# convolution figures in docs/perf.md were explained: run a shader once, then read what the JIT made of it.
# usage: scripts/llvmpipe-disasm.sh [MINUTES (default 5)] [OUT_DIR (default /tmp/llvmpipe-disasm)]
# Needs zstd and objdump; prints one line per object: its .s file and counts of the instructions that matter.
set -euo pipefail
minutes="${1:-5}"
out="${2:-/tmp/llvmpipe-disasm}"
cache="${MESA_SHADER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mesa_shader_cache}"
[ -d "$cache" ] || { echo "llvmpipe-disasm: no shader cache at $cache" >&2; exit 1; }
mkdir -p "$out"
find "$cache" -type f -mmin "-$minutes" ! -name index | while read -r f; do
    python3 - "$f" "$out" <<'PY'
import os, subprocess, sys
path, out = sys.argv[1], sys.argv[2]
data = open(path, 'rb').read()
start = data.find(b'\x28\xb5\x2f\xfd')          # the zstd frame after the entry's header
if start < 0:
    sys.exit(0)
r = subprocess.run(['zstd', '-d', '-q', '-c'], input=data[start:], capture_output=True)
if r.returncode != 0 or not r.stdout.startswith(b'\x7fELF'):
    sys.exit(0)                                   # a GLSL-level entry, not machine code
open(os.path.join(out, os.path.basename(path)[:12] + '.o'), 'wb').write(r.stdout)
PY
done
shopt -s nullglob
for o in "$out"/*.o; do
    s="${o%.o}.s"
    objdump -d --no-show-raw-insn "$o" > "$s"
    count() { grep -c -E "$1" "$s" || true; }
    echo "$s: $(wc -l < "$s") lines, $(count 'vmulps|vfmadd') mul/fma, $(count vpgatherdd) gathers," \
        "$(count 'vpextrd') lane extracts, $(count 'call ') calls, $(count 'vmovaps .*rsp|rsp.*vmovaps') stack moves"
done
