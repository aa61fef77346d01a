#!/usr/bin/env bash
# Installs what the build needs, builds gongkai and runs the whole test suite
# (unit and integration tests) with CTest. Usage: ./deploy/test.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"

./deploy/install-deps.sh --test
# Tests on explicitly: a build folder configured by quickstart.sh has them off.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGONGKAI_BUILD_TESTS=ON
cmake --build "$build_dir" -j2
ctest --test-dir "$build_dir" --output-on-failure -j2 --timeout 300 --no-tests=error
