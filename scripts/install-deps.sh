#!/usr/bin/env bash
# Installs what building (and, with --test, testing) grok2api needs on Debian 12; --bench
# adds what bench/run.sh needs besides the build (nginx, the yardstick it compares with).
# Runs apt-get as root, or through sudo for another user.
set -euo pipefail

build_packages=(
  ca-certificates cmake ninja-build g++ pkg-config tzdata
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libboost-filesystem1.81-dev libboost-system1.81-dev
  libtomlplusplus-dev libspdlog-dev libfmt-dev libcurl4-openssl-dev libssl-dev
  libmariadb-dev libhiredis-dev
)
test_packages=(
  libgtest-dev librapidcheck-dev clang clang-format libclang-rt-14-dev curl git
  tinyproxy microsocks python3 mariadb-server redis-server
  chromium fonts-noto-cjk
)

bench_packages=(nginx-light jq curl procps)

packages=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then
  packages+=("${test_packages[@]}")
elif [[ "${1:-}" == "--bench" ]]; then
  packages+=("${bench_packages[@]}")
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update
"${as_root[@]}" apt-get install -y --no-install-recommends "${packages[@]}"

# The grok.com simulator and the SDK-client tests run on Node.js (20 on the project's
# machine image; Debian's own package is the fallback).
if [[ "${1:-}" == "--test" ]] && ! command -v node >/dev/null; then
  "${as_root[@]}" apt-get install -y --no-install-recommends nodejs npm
fi
