#!/usr/bin/env bash
# Every GPU check and benchmark of issue 7 in one call, on an NVIDIA machine. Two paths, each run where it can:
#
# 1. Replay (needs nvcc, g++ and the driver; no JDK, which the lent GPU machine lacks): builds the kernels with nvcc
#    (scripts/build-kernels.sh: cubins sm_75..sm_90 + PTX, what the jar ships) and kernels/replay/replay.cpp, then
#    replays the traces that `mvn test -Dtest=GpuTraceTest` wrote on the CPU emulator into app/target/gpu-traces/
#    (carry that folder): int4-s4/int4-s8/roofline compare the GPU's results with the emulator's (which the tests
#    check against the golden model), bench-1080p times every conv, the whole feature extractor and kernel
#    prediction (both MMA paths) and the roofline (INT8 mma.sync, copy bandwidth) at 1920x1088.
# 2. Java (needs java and mvn, and a Maven repository: RECONVIEW_MAVEN_REPO=DIR offline): builds the app, runs the
#    CUDA tests (-Dreconview.cuda=true: DriverDevice, GL interop, the kernels against the golden model, the CUDA vs
#    GLSL image), `./reconview bench --what cuda` (adds the cuBLAS peer, the filter network and the full frame) and
#    `bench --what nn`.
# It writes docs/gpu-check-<date>.md (and docs/gpu-bench-<date>.json from path 2), printing the report's name last.
#
# Headless GL for path 2 (NOTES.md "CUDA"): GLX windows run on the GPU under Xvfb with __GLX_VENDOR_LIBRARY_NAME=nvidia;
# GL loader packages carried in .gl/*.deb (device README) are unpacked first; without a display Xvfb is started.
#
# Environment: RECONVIEW_MAVEN_REPO=DIR  the Maven repository for path 2, used offline
#              GPU_CHECK_TEST=PATTERN    path 2's tests (default: every org.reconview.nn.cuda test and the backend option's)
#              GPU_CHECK_OUT=DIR         where the report goes (default docs/)
# Exit status: 0 every step that could run passed, 1 a step failed (the report says which), 2 no NVIDIA GPU/driver.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
date_tag=$(date -u +%Y-%m-%d)
outdir=${GPU_CHECK_OUT:-$ROOT/docs}
report="$outdir/gpu-check-$date_tag.md"
logdir=$(mktemp -d)
tests=${GPU_CHECK_TEST:-'org.reconview.nn.cuda.*Test,org.reconview.cli.Backend*Test,org.reconview.recon.QwnetBackendsTest'}

say() { echo "gpu-check: $*" >&2; }
xvfb_pid=
cleanup() { [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null; rm -rf "$logdir"; }
trap cleanup EXIT

if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >"$logdir/smi.txt" 2>&1; then
    say "no NVIDIA driver or GPU (nvidia-smi missing or failing): nothing to check here"
    exit 2
fi
device=$(nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv,noheader 2>/dev/null | head -n 1)
say "device: $device"

status=0
step() {   # step NAME LOG COMMAND...: runs, records pass/fail
    local name=$1 log=$2; shift 2
    say "$name..."
    if "$@" >"$log" 2>&1; then
        echo "- $name: passed" >>"$logdir/steps.md"
    else
        echo "- $name: FAILED (exit $?); last lines:" >>"$logdir/steps.md"
        { echo '```'; tail -n 30 "$log"; echo '```'; } >>"$logdir/steps.md"
        status=1
    fi
}
: >"$logdir/steps.md"
mkdir -p "$outdir"

# --- 1. replay -----------------------------------------------------------------------------------------------------
kernels="$logdir/kernels"
traces="$ROOT/app/target/gpu-traces"
replay="$logdir/replay"
: >"$logdir/replay-check.txt"
: >"$logdir/replay-bench.txt"
: >"$logdir/sass.txt"
if command -v nvcc >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1; then
    step "kernels built with nvcc (sm_75..sm_90 cubins + PTX)" "$logdir/kernels.txt" \
        bash "$ROOT/scripts/build-kernels.sh" "$kernels"
    step "replay built (g++)" "$logdir/replay-build.txt" \
        g++ -O2 -std=c++17 -o "$replay" "$ROOT/kernels/replay/replay.cpp" -ldl
    checks=()
    for t in int4-s4 int4-s8 roofline; do
        [ -f "$traces/$t.trace" ] && checks+=("$traces/$t.trace")
    done
    if [ ${#checks[@]} -gt 0 ]; then
        step "replay: the GPU's results against the emulator's (${#checks[@]} traces)" "$logdir/replay-check.txt" \
            "$replay" "$kernels" "${checks[@]}"
    else
        echo "- replay checks: no traces in app/target/gpu-traces (run \`mvn test -Dtest=GpuTraceTest\` and carry it)" \
            >>"$logdir/steps.md"
        status=1
    fi
    if command -v cuobjdump >/dev/null 2>&1 && [ -f "$kernels/int4_mma.sm_90.cubin" ]; then
        # static instruction mix of the INT4 kernels (what the timings are made of): all, tensor-core MMA, global loads
        cuobjdump -sass "$kernels/int4_mma.sm_90.cubin" 2>&1 | awk '/Function :/ {f = $3}
            /^ +\/\*[0-9a-f]+\*\// {n[f]++; if ($0 ~ /IMMA|HMMA/) m[f]++; if ($0 ~ /LDG/) l[f]++}
            END {for (k in n) printf "%-26s %6d instructions %5d MMA %5d LDG\n", k, n[k], m[k], l[k]}' \
            >"$logdir/sass.txt"
    fi
    if [ -f "$traces/bench-1080p.trace" ]; then
        step "replay: 1080p benchmark" "$logdir/replay-bench.txt" "$replay" "$kernels" "$traces/bench-1080p.trace"
    fi
else
    echo "- replay: skipped (nvcc or g++ not on PATH)" >>"$logdir/steps.md"
    status=1
fi

# --- 2. Java ---------------------------------------------------------------------------------------------------------
: >"$logdir/tests.txt"
: >"$logdir/bench-cuda.txt"
: >"$logdir/bench.txt"
if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then
    if compgen -G "$ROOT/.gl/*.deb" >/dev/null; then   # GL loaders carried as .deb (device README)
        for f in "$ROOT"/.gl/*.deb; do dpkg -x "$f" /; done
        ldconfig
    fi
    for v in VK_DRIVER_FILES:/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json \
             __EGL_VENDOR_LIBRARY_FILENAMES:/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json; do
        name=${v%%:*}; file=${v#*:}
        [ -f "$file" ] && [ -z "${!name:-}" ] && export "$name=$file"
    done
    export __GLX_VENDOR_LIBRARY_NAME=nvidia
    if [ -z "${DISPLAY:-}" ] && command -v Xvfb >/dev/null 2>&1; then
        Xvfb :77 -screen 0 1920x1080x24 +extension GLX >"$logdir/xvfb.txt" 2>&1 &
        xvfb_pid=$!
        export DISPLAY=:77
        sleep 2
    fi
    mvn_args=(-B -q)
    if [ -n "${RECONVIEW_MAVEN_REPO:-}" ]; then
        mvn_args+=(-o "-Dmaven.repo.local=$RECONVIEW_MAVEN_REPO")
    fi
    step "build (mvn package, kernels with nvcc)" "$logdir/build.txt" mvn "${mvn_args[@]}" -DskipTests package
    rm -rf "$ROOT/app/target/surefire-reports"   # the report lists this run's tests only
    step "CUDA tests (-Dreconview.cuda=true: $tests)" "$logdir/tests.txt" \
        mvn "${mvn_args[@]}" test -Dreconview.cuda=true "-Dtest=$tests" -Dsurefire.failIfNoSpecifiedTests=false
    step "bench --what cuda (1920x1080)" "$logdir/bench-cuda.txt" ./reconview bench --what cuda \
        --out "$outdir/gpu-bench-$date_tag.json"
    step "bench --what nn" "$logdir/bench.txt" ./reconview bench --what nn
else
    echo "- Java path: skipped (no java/mvn here): JCuda DriverDevice, GL interop, CudaGpuTest, cuBLAS peer and the" \
        "full frame stay unverified" >>"$logdir/steps.md"
fi

{
    echo "# GPU check, $date_tag"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- device: $device"
    echo "- nvidia-smi -L: $(head -n 1 "$logdir/smi.txt")"
    echo "- nvcc: $(nvcc --version 2>/dev/null | tail -n 1 || echo none)"
    echo "- java: $(java -version 2>&1 | head -n 1 || echo none)"
    echo
    echo "## Steps"
    cat "$logdir/steps.md"
    echo
    echo "## Replay: results against the emulator"
    echo '```'
    cat "$logdir/replay-check.txt"
    echo '```'
    echo
    echo "## Replay: 1920x1088 benchmark (CUDA events, median)"
    echo '```'
    cat "$logdir/replay-bench.txt"
    echo '```'
    echo
    echo "## SASS instruction mix, int4_mma.sm_90.cubin (cuobjdump)"
    echo '```'
    cat "$logdir/sass.txt"
    echo '```'
    echo
    echo "## Java: tests"
    echo '```'
    grep -h -o 'name="[^"]*" time="[^"]*" tests="[0-9]*" errors="[0-9]*" skipped="[0-9]*" failures="[0-9]*"' \
        "$ROOT"/app/target/surefire-reports/TEST-*.xml 2>/dev/null
    grep -h -A1 '<skipped' "$ROOT"/app/target/surefire-reports/TEST-*.xml 2>/dev/null | head -n 20
    echo '```'
    echo
    echo "## Java: ./reconview bench --what cuda"
    echo '```'
    cat "$logdir/bench-cuda.txt"
    echo '```'
    echo
    echo "## Java: ./reconview bench --what nn"
    echo '```'
    cat "$logdir/bench.txt"
    echo '```'
} >"$report"
say "report: $report"
exit $status
