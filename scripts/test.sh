#!/usr/bin/env bash
# Installs the dependencies, builds l3slice with AddressSanitizer + UndefinedBehaviorSanitizer and
# -Wall -Wextra, and runs every test (unit tests per module and CLI tests on tiny data).
# Usage: scripts/test.sh [ctest arguments...]      (build folder: build-test)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DL3SLICE_SANITIZE=ON \
  -DL3SLICE_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build build-test -j"$(nproc)"

# libtorch and ITK are not instrumented: container-overflow checks across that boundary give
# false reports, so only that check is off.
export ASAN_OPTIONS="detect_container_overflow=0:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Leaks inside third-party libraries (ITK's NrrdIO on a refused truncated file) are suppressed there.
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"
cd build-test
ctest --output-on-failure -j"$(nproc)" "$@"
