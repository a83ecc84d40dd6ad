#!/usr/bin/env bash
# The call-log benchmark (bench/README.md, "Call log at 1,000,000 records"): builds
# Release in build-bench/, then runs g2a-bench-calllog, which writes a Pro-format
# call_logs.json, starts the gateway on it twice and times the admin log API.
#
#   bench/call_log.sh [--build-dir DIR] [--no-build] [--records N] [--runs N]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir="$root/build-bench"
build=1
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir=$(realpath -m "$2"); shift 2 ;;
    --no-build) build=0; shift ;;
    --records|--runs) args+=("$1" "$2"); shift 2 ;;
    *) echo "usage: $0 [--build-dir DIR] [--no-build] [--records N] [--runs N]" >&2; exit 2 ;;
  esac
done

if [[ $build -eq 1 ]]; then
  source "$root/bench/build.sh"
  build_release "$root" "$build_dir"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/g2a-bench-calllog.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
"$build_dir/bin/g2a-bench-calllog" --gateway "$build_dir/bin/grok2api" --work "$work" "${args[@]}"
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
