#!/usr/bin/env bash
# One call on an NVIDIA machine (issue 7): checks the driver, builds the app with the CUDA kernels, runs the
# CUDA-tagged tests (-Dreconview.cuda=true: the kernels against the golden model on the GPU, the driver device, GL
# interop, CUDA vs GLSL image), `./reconview bench --what cuda` (1920x1080: roofline, Table 2 conv, every conv, feature
# extractor, cuBLAS peer, filter network and full frame) and `bench --what nn`, and writes the figures with the device
# name and date to docs/gpu-check-<date>.md and docs/gpu-bench-<date>.json (the report's name is printed last).
#
# Headless GL (docs: NOTES.md "CUDA"): GLFW's null-platform EGL fails on the lent machine; GLX windows run on the GPU
# under Xvfb with __GLX_VENDOR_LIBRARY_NAME=nvidia. If the GL loader packages were carried in .gl/*.deb (device README),
# they are unpacked first. Without a display the script starts Xvfb itself.
#
# Environment: RECONVIEW_MAVEN_REPO=DIR  use DIR as the Maven repository, offline (the lent machine has no network);
#              GPU_CHECK_TEST=PATTERN    the tests to run (default: the CUDA and backend tests).
# Exit status: 0 all steps passed, 1 a step failed (the report still says which), 2 no NVIDIA GPU/driver.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
date_tag=$(date -u +%Y-%m-%d)
report="$ROOT/docs/gpu-check-$date_tag.md"
logdir=$(mktemp -d)
tests=${GPU_CHECK_TEST:-'org.reconview.nn.cuda.*Test,org.reconview.cli.Backend*Test'}

say() { echo "gpu-check: $*" >&2; }

if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >"$logdir/smi.txt" 2>&1; then
    say "no NVIDIA driver or GPU (nvidia-smi missing or failing): nothing to check here"
    exit 2
fi
device=$(nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv,noheader 2>/dev/null | head -n 1)
say "device: $device"

# GL loaders carried as .deb (see the device tool's README), unpacked into / as it describes.
if compgen -G "$ROOT/.gl/*.deb" >/dev/null; then
    for f in "$ROOT"/.gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
fi
for v in VK_DRIVER_FILES:/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json \
         __EGL_VENDOR_LIBRARY_FILENAMES:/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json; do
    name=${v%%:*}; file=${v#*:}
    [ -f "$file" ] && [ -z "${!name:-}" ] && export "$name=$file"
done
export __GLX_VENDOR_LIBRARY_NAME=nvidia
xvfb_pid=
if [ -z "${DISPLAY:-}" ]; then
    if command -v Xvfb >/dev/null 2>&1; then
        Xvfb :77 -screen 0 1920x1080x24 +extension GLX >"$logdir/xvfb.txt" 2>&1 &
        xvfb_pid=$!
        export DISPLAY=:77
        sleep 2
    else
        say "no DISPLAY and no Xvfb: GL will not start (carry Xvfb and Mesa as the device README says)"
    fi
fi
cleanup() { [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null; rm -rf "$logdir"; }
trap cleanup EXIT

mvn_args=(-B -q)
if [ -n "${RECONVIEW_MAVEN_REPO:-}" ]; then
    mvn_args+=(-o "-Dmaven.repo.local=$RECONVIEW_MAVEN_REPO")
fi
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
for tool in java mvn nvcc; do
    command -v "$tool" >/dev/null 2>&1 || { echo "- $tool: not on PATH" >>"$logdir/steps.md"; status=1; }
done
step "build (mvn package, kernels with nvcc)" "$logdir/build.txt" mvn "${mvn_args[@]}" -DskipTests package
step "CUDA tests (-Dreconview.cuda=true: $tests)" "$logdir/tests.txt" \
    mvn "${mvn_args[@]}" test -Dreconview.cuda=true "-Dtest=$tests" -Dsurefire.failIfNoSpecifiedTests=false
step "bench --what cuda (1920x1080)" "$logdir/bench-cuda.txt" ./reconview bench --what cuda \
    --out "$ROOT/docs/gpu-bench-$date_tag.json"
step "bench --what nn" "$logdir/bench.txt" ./reconview bench --what nn

mkdir -p "$ROOT/docs"
{
    echo "# GPU check, $date_tag"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- device: $device"
    echo "- nvidia-smi -L: $(head -n 1 "$logdir/smi.txt")"
    echo "- nvcc: $(nvcc --version 2>/dev/null | tail -n 1 || echo none)"
    echo "- GL: DISPLAY=${DISPLAY:-none}, __GLX_VENDOR_LIBRARY_NAME=nvidia"
    echo
    echo "## Steps"
    cat "$logdir/steps.md"
    echo
    echo "## Kernels packaged"
    echo '```'
    ls -l "$ROOT/app/target/classes/kernels" 2>&1
    echo '```'
    echo
    echo "## Tests"
    echo '```'
    grep -h -o 'name="[^"]*" time="[^"]*" tests="[0-9]*" errors="[0-9]*" skipped="[0-9]*" failures="[0-9]*"' \
        "$ROOT"/app/target/surefire-reports/TEST-*.xml 2>/dev/null
    grep -h -A1 '<skipped' "$ROOT"/app/target/surefire-reports/TEST-*.xml 2>/dev/null | head -n 20
    echo '```'
    echo
    echo "## ./reconview bench --what cuda"
    echo '```'
    cat "$logdir/bench-cuda.txt"
    echo '```'
    echo
    echo "## ./reconview bench --what nn"
    echo '```'
    cat "$logdir/bench.txt"
    echo '```'
} >"$report"
say "report: $report"
exit $status
