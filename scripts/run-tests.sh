#!/usr/bin/env bash
# The whole test suite: builds with AddressSanitizer and UndefinedBehaviorSanitizer,
# smoke-runs the libFuzzer targets (clang), then runs every test through ctest.
# Needs the packages of `scripts/install-deps.sh --test`.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "== format (.clang-format)"
git ls-files '*.c' '*.h' '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror
python3 scripts/check-coroutine-temporaries.py

echo "== Node.js dependencies: the grok.com simulator, the openai SDK, playwright-core (npm)"
npm ci --prefix tests/simulator --no-audit --no-fund
npm ci --prefix tests/sdk --no-audit --no-fund
npm ci --prefix tests/browser --no-audit --no-fund

echo "== build (ASan + UBSan) in build-test"
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DG2A_SANITIZE=ON -DG2A_BUILD_TESTS=ON
cmake --build build-test -j "$jobs"

echo "== fuzz smoke (clang, libFuzzer) in build-fuzz"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DG2A_FUZZ=ON -DG2A_BUILD_TESTS=OFF
cmake --build build-fuzz -j "$jobs" --target fuzz_targets
# About a minute in all, however many targets there are (at least 3 s each).
targets=$(ls fuzz/*_fuzz.cpp | wc -l)
fuzz/smoke.sh build-fuzz "${FUZZ_SECONDS:-$(( 60 / targets > 3 ? 60 / targets : 3 ))}"

echo "== tests"
# The storage conformance and fault tests need a MariaDB and a Redis server: throwaway ones
# under a temp dir unless G2A_TEST_MYSQL_URL / G2A_TEST_REDIS_URL name servers already.
if [ -z "${G2A_TEST_MYSQL_URL:-}" ] || [ -z "${G2A_TEST_REDIS_URL:-}" ]; then
  servers_script=$PWD/scripts/test-servers.sh
  servers_dir=$(mktemp -d)
  trap '"$servers_script" stop "$servers_dir" >/dev/null || true; rm -rf "$servers_dir"' EXIT
  started=$("$servers_script" start "$servers_dir")
  [ -n "${G2A_TEST_MYSQL_URL:-}" ] || eval "$(grep G2A_TEST_MYSQL_URL <<<"$started")"
  [ -n "${G2A_TEST_REDIS_URL:-}" ] || eval "$(grep G2A_TEST_REDIS_URL <<<"$started")"
  export G2A_TEST_MYSQL_URL G2A_TEST_REDIS_URL
fi
cd build-test
ctest --output-on-failure -j "$jobs" --timeout 600
