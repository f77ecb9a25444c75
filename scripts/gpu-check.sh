#!/usr/bin/env bash
# One-call GPU verification of the engine's CUDA backend (issue 5), for the H200/H100 machine.
# Builds the engine alone (no Qt), runs the gpu-labelled tests, compares CudaBackend with
# transformers on random-weight models of real shapes, and runs the benches. Everything it
# prints is also written under $OUT (default /tmp/gpu-check). Budget: under 570 s; steps that would not fit
# are skipped and say so.
#
# The GPU machine has CMake, ninja, nvcc, torch and transformers but probably no GoogleTest:
# carry its source. Here, once:   cp -r /usr/src/googletest .gtest && echo /.gtest/ >> .git/info/exclude
# Then:   run(command="bash scripts/gpu-check.sh", carry=[".gtest"], timeout_s=600)
set -uo pipefail
OUT=${OUT:-/tmp/gpu-check}
mkdir -p "$OUT"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-/tmp/fd-build-gpu}
LOG="$OUT/gpu-check.log"
exec > >(tee "$LOG") 2>&1
START=$(date +%s)
step() { echo; echo "=== $* ($(date -u +%H:%M:%S), $(( $(date +%s) - START )) s in)"; }
# Skips a step when less than $1 seconds of the ~570 s budget are left (run's limit is 600 s).
budget() { local left=$(( 570 - ($(date +%s) - START) )); [ "$left" -ge "$1" ] || { echo "SKIPPED (only ${left}s left)"; return 1; }; }
status=0

step "device"
nvidia-smi --query-gpu=name,memory.total,memory.used,driver_version --format=csv || true
nvcc --version | tail -1

step "GoogleTest"
PREFIX=""
if [ -d "$ROOT/.gtest" ] && [ ! -f /tmp/gtest/lib/cmake/GTest/GTestConfig.cmake ] &&
   [ ! -f /tmp/gtest/lib64/cmake/GTest/GTestConfig.cmake ]; then
    cmake -S "$ROOT/.gtest" -B /tmp/gtest-build -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX=/tmp/gtest -DBUILD_GMOCK=OFF >/dev/null &&
        cmake --build /tmp/gtest-build >/dev/null && cmake --install /tmp/gtest-build >/dev/null ||
        echo "building GoogleTest failed"
fi
[ -d /tmp/gtest ] && PREFIX="-DCMAKE_PREFIX_PATH=/tmp/gtest"

step "configure + build (engine only, sm_90)"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DFIREDECK_ENGINE_ONLY=ON -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CUDA_ARCHITECTURES=90 -DFIREDECK_BUILD_CUDASIM=OFF $PREFIX | grep -E "CUDA|GoogleTest|Error" 
time ninja -C "$BUILD" -j16 || { echo "BUILD FAILED"; exit 1; }
ENGINE="$BUILD/engine/tool/firedeck-engine"

step "gpu-labelled tests"
# GTEST_OUTPUT: one JSON report per test executable under $OUT/gtest (with the recorded
# properties, e.g. greedy_mismatches per golden model).
(cd "$BUILD" && GTEST_OUTPUT="json:$OUT/gtest/" ctest -L gpu --output-on-failure --timeout 240 2>&1 |
    tee "$OUT/ctest-gpu.log") || status=1
grep -q "No tests were found" "$OUT/ctest-gpu.log" && { echo "NO GPU TESTS BUILT (GoogleTest missing?)"; status=1; }

if [ "${SANITIZE:-0}" = 1 ] && command -v compute-sanitizer >/dev/null && budget 200; then
    step "compute-sanitizer memcheck (SANITIZE=1; works on Firecracker machines, not gVisor)"
    timeout 150 compute-sanitizer --tool memcheck --error-exitcode 3 \
        "$(find "$BUILD/tests" -name tst_engine_cudakernels -type f)" --gtest_filter='-*sampleToken*' | tail -5 || status=1
fi

step "CPU tests that must not pick the GPU (FIREDECK_ENGINE_BACKEND=cpu)"
(cd "$BUILD" && FIREDECK_ENGINE_BACKEND=cpu ctest -R 'engine\.(kernelref|backendselector|golden|generation|cpubackend)$' \
    --output-on-failure --timeout 240 2>&1 | tail -15) || status=1

step "transformers comparison (real shapes, random weights, 64 greedy tokens)"
budget 120 && PYTHONUNBUFFERED=1 timeout 270 python3 "$ROOT/tests/engine/gpu/compare_transformers.py" \
    --engine "$ENGINE" --summary "$OUT/compare_transformers.json" || status=1

step "benches (batch 1, bf16)"
bench() {
    budget 40 || return 0
    echo "--- firedeck-engine bench $*"
    timeout 60 "$ENGINE" bench "$@" --backend cuda --bandwidth-mib 2048 || status=1
}
W=/tmp/fd-real-shapes
[ -d $W/llama-3.1-8b ] && bench $W/llama-3.1-8b --prompt-tokens 16 --new-tokens 256
[ -d $W/llama-3.2-1b ] && bench $W/llama-3.2-1b --prompt-tokens 16 --new-tokens 256
[ -d $W/qwen2.5-0.5b ] && bench $W/qwen2.5-0.5b --prompt-tokens 16 --new-tokens 256
[ -d $W/llama-3.1-8b ] && bench $W/llama-3.1-8b --prompt-tokens 2048 --new-tokens 16
[ -d $W/llama-3.2-1b ] && bench $W/llama-3.2-1b --prompt-tokens 512 --new-tokens 16
[ -d $W/llama-3.1-8b ] && bench $W/llama-3.1-8b --context 8192 --new-tokens 128
[ -d $W/llama-3.2-1b ] && bench $W/llama-3.2-1b --context 8192 --new-tokens 128

step "done: status $status (logs in $OUT)"
exit $status
