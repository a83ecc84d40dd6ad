#!/usr/bin/env bash
# Runs every fuzz target for a short while from its seed corpus (CI smoke; long runs are
# the same command with more seconds). Usage: fuzz/smoke.sh BUILD_DIR SECONDS_EACH
set -euo pipefail
build=${1:?build dir}
seconds=${2:-8}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for bin in "$build"/fuzz/*_fuzz; do
  name=$(basename "$bin" _fuzz)
  mkdir -p "$work/$name"
  cp -r "$here/corpus/$name/." "$work/$name/" 2>/dev/null || true
  echo "fuzz: $name for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
      "$work/$name" > "$work/$name.log" 2>&1; then
    echo "fuzz: $name FAILED"; tail -40 "$work/$name.log"; status=1
  else
    grep -E "^#[0-9]+.*DONE" "$work/$name.log" | tail -1 || true
  fi
done
exit $status
