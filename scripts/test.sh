#!/usr/bin/env bash
# Installs the dependencies and runs every test, in two builds with -Wall -Wextra:
#  1. Release (build folder build-release-test): the training-heavy tests and the review page's
#     browser test (ctest label `heavy`, see tests/CMakeLists.txt), which take several times as
#     long under the sanitizers or drive an uninstrumented browser; only the CLI and those test
#     programs are built;
#  2. AddressSanitizer + UndefinedBehaviorSanitizer (build folder build-test): every other test
#     (unit tests per module and CLI tests on tiny data); the heavy test programs are not built.
# Both stages always run; the script fails if either has a failing test.
# Usage: scripts/test.sh [ctest arguments...]      (passed to the ctest of both stages)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# Unity builds (each target's sources compiled in batches of 8 as one file): the libtorch, ITK and
# DCMTK headers are parsed once per batch instead of once per file, which nearly halves a cold build. The
# sources must compile both ways (no clashing file-local names); the development build does not use it.
unity=(-DCMAKE_UNITY_BUILD=ON)
jobs=$(nproc)
# Without extra arguments each stage must run tests: a stage that finds none fails.
no_tests=()
if [ $# -eq 0 ]; then no_tests=(--no-tests=error); fi
failed=()
stage_start() { stage_t0=$SECONDS; echo "== test.sh: $1 ($(date +%T))"; }
stage_end() { echo "== test.sh: $1 took $((SECONDS - stage_t0)) s"; }

stage_start "Release build (build-release-test): the CLI and the heavy tests"
cmake -S . -B build-release-test -G Ninja -DCMAKE_BUILD_TYPE=Release -DL3SLICE_BUILD_BENCH=OFF \
  "${unity[@]}" "${launcher[@]}" >/dev/null
cmake --build build-release-test -j"$jobs" --target heavy_tests
stage_end "Release build"
stage_start "heavy tests in the Release build (ctest -L heavy)"
(cd build-release-test && ctest --output-on-failure -j"$jobs" -L heavy "${no_tests[@]}" "$@") ||
  failed+=("heavy tests (Release, build-release-test)")
stage_end "heavy tests"

stage_start "sanitizer build (build-test): everything but the heavy tests"
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DL3SLICE_SANITIZE=ON \
  -DL3SLICE_HEAVY_TESTS=OFF -DL3SLICE_BUILD_BENCH=OFF "${unity[@]}" "${launcher[@]}" >/dev/null
cmake --build build-test -j"$jobs"
stage_end "sanitizer build"

# libtorch and ITK are not instrumented: container-overflow checks across that boundary give
# false reports, so only that check is off.
export ASAN_OPTIONS="detect_container_overflow=0:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Leaks inside third-party libraries (ITK's NrrdIO on a refused truncated file) are suppressed there.
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"
stage_start "other tests under ASan/UBSan (ctest -LE heavy)"
(cd build-test && ctest --output-on-failure -j"$jobs" -LE heavy "${no_tests[@]}" "$@") ||
  failed+=("tests under the sanitizers (build-test)")
stage_end "sanitizer tests"

if [ ${#failed[@]} -ne 0 ]; then
  printf 'test.sh: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "test.sh: all tests passed"
