#!/usr/bin/env bash
# The benchmark (bench/README.md): builds Release, starts the fast upstream, the gateway
# and nginx on 127.0.0.1, measures streamed chat on the chat-gateway path and nginx relaying
# a same-sized answer, prints a table (the README's lines) and stops everything it started.
#
#   bench/run.sh [--build-dir DIR] [--no-build] [--warmup S] [--duration S]
#                [--streams N] [--out DIR]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir="$root/build-bench"
build=1
warmup=2
duration=10
streams=10000
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir=$(realpath -m "$2"); shift 2 ;;
    --no-build) build=0; shift ;;
    --warmup) warmup=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --streams) streams=$2; shift 2 ;;
    --out) out=$(realpath -m "$2"); shift 2 ;;
    *) echo "usage: $0 [--build-dir DIR] [--no-build] [--warmup S] [--duration S] [--streams N] [--out DIR]" >&2; exit 2 ;;
  esac
done
concurrencies=(1 64 512)

for tool in nginx jq curl; do
  if ! command -v "$tool" >/dev/null; then
    echo "bench: $tool is missing (scripts/install-deps.sh --bench installs it)" >&2
    exit 1
  fi
done

if [[ $build -eq 1 ]]; then
  source "$root/bench/build.sh"
  build_release "$root" "$build_dir"
fi
bin="$build_dir/bin"

# Open streams need descriptors: take the hard limit (every process below inherits it).
ulimit -n "$(ulimit -Hn)"
fd_limit=$(ulimit -n)

# Logs and generated configuration go to a temporary folder, kept when the run fails or
# when it also holds the results (no --out).
work=$(mktemp -d "${TMPDIR:-/tmp}/g2a-bench.XXXXXX")
keep_work=0
[[ -n "$out" ]] || { out="$work/results"; keep_work=1; }
mkdir -p "$out"
pids=()
nginx_master=""
cleanup() {
  local status=$?
  if [[ -n "$nginx_master" ]]; then kill -QUIT "$nginx_master" 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ $status -eq 0 && $keep_work -eq 0 ]]; then
    rm -rf "$work"
  else
    echo "bench: logs in $work" >&2
  fi
}
trap cleanup EXIT

# Waits (up to 30 s) for a line matching re in file; prints the first capture group.
wait_for_line() {
  local file=$1 re=$2 what=$3
  for _ in $(seq 300); do
    if line=$(grep -m1 -E "$re" "$file" 2>/dev/null); then
      [[ $line =~ $re ]] && echo "${BASH_REMATCH[1]}" && return 0
    fi
    sleep 0.1
  done
  echo "bench: $what did not start; its output:" >&2
  cat "$file" >&2
  exit 1
}

# A port nothing listens on (nginx cannot be given port 0).
free_port() {
  local port
  for port in $(seq 18080 18999); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "bench: no free port in 18080-18999" >&2
  exit 1
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
load_at_start=$(loadavg)

# --- The fast upstream ---
"$bin/g2a-bench-upstream" --port 0 --chunks 20 --chunk-bytes 40 >"$work/upstream.log" 2>&1 &
pids+=($!)
upstream_port=$(wait_for_line "$work/upstream.log" 'listening 127\.0\.0\.1:([0-9]+)' "the upstream")
upstream="http://127.0.0.1:$upstream_port"

# --- The gateway: one token, fixed x-statsig-id, no periodic quota refresh ---
mkdir -p "$work/gateway/data"
cat >"$work/gateway/data/setting.toml" <<EOF
[grok]
api_key = "sk-bench"
upstream_url = "$upstream"
assets_url = "$upstream"
dynamic_statsig = false
x_statsig_id = "bench"
chat_transport = "ws"

[global]
admin_password = "bench-admin"
token_refresh_interval = 0

[server]
host = "127.0.0.1"
port = 0
EOF
cat >"$work/gateway/data/token.json" <<'EOF'
{"ssoNormal":{"bench-sso-token-0000000000000000":{"createdTime":0,"remainingQueries":-1,
"heavyremainingQueries":-1,"videoRemaining":-1,"videoLimit":-1,"status":"active",
"failedCount":0,"zeroCount":0,"lastFailureTime":null,"lastFailureReason":null,"tags":[],
"note":"bench"}},"ssoSuper":{}}
EOF
chat_body='{"model":"fast","stream":true,"messages":[{"role":"user","content":"Say something."}]}'
hold_body='{"model":"fast","stream":true,"messages":[{"role":"user","content":"bench:hold"}]}'
auth='Authorization: Bearer sk-bench'

# Starts a fresh gateway (gateway_pid, gateway) and checks one chat through it. Environment
# settings would override the file: it starts without them.
gateway_runs=0
start_gateway() {
  gateway_runs=$((gateway_runs + 1))
  local log="$work/gateway-$gateway_runs.log" port
  (cd "$work/gateway" && exec env $(env | grep -oE '^GROK2API_[A-Z0-9_]+' | sed 's/^/-u /') \
    -u HOST -u PORT -u API_KEY -u WORKERS -u PROXY_URL -u PROXY_URLS -u PROXY_POOL_URL \
    "$bin/grok2api" --data-dir "$work/gateway/data" >"$log" 2>&1) &
  gateway_pid=$!
  pids+=("$gateway_pid")
  port=$(wait_for_line "$log" 'listening on 127\.0\.0\.1:([0-9]+)' "the gateway")
  gateway="http://127.0.0.1:$port"
  if ! curl -sf -N -H "$auth" -H 'Content-Type: application/json' -d "$chat_body" \
    "$gateway/v1/chat/completions" | grep -q 'data: \[DONE\]'; then
    echo "bench: a first chat through the gateway failed; its log:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
}
stop_gateway() {
  kill -TERM "$gateway_pid"
  wait "$gateway_pid" || true
}

start_gateway

load() { "$bin/g2a-bench-load" "$@"; }

# --- Throughput through the gateway ---
for c in "${concurrencies[@]}"; do
  echo "bench: gateway, $c concurrent streams" >&2
  load --url "$gateway/v1/chat/completions" --body "$chat_body" --header "$auth" \
    --concurrency "$c" --warmup "$warmup" --duration "$duration" --cpu-pid "$gateway_pid" \
    >"$out/gateway-$c.json"
done

# --- nginx relaying the same number of events and bytes from the same upstream ---
events=$(jq -r .answer_events "$out/gateway-64.json")
bytes=$(jq -r .answer_bytes "$out/gateway-64.json")
nginx_port=$(free_port)
mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
worker_rlimit_nofile $fd_limit;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections $((fd_limit / 2)); }
http {
  access_log $work/nginx/logs/access.log;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  upstream fast { server 127.0.0.1:$upstream_port; keepalive 1024; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://fast;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>"$work/nginx/logs/stderr.log" &
nginx_master=$!
for _ in $(seq 300); do
  workers=$(pgrep -P "$nginx_master" | tr '\n' ' ' || true)
  [[ -n "$workers" ]] && curl -sf "http://127.0.0.1:$nginx_port/sse?events=2&bytes=64" >/dev/null && break
  sleep 0.1
done
nginx_cpu_pids=()
for pid in $nginx_master $workers; do nginx_cpu_pids+=(--cpu-pid "$pid"); done
for c in "${concurrencies[@]}"; do
  echo "bench: nginx, $c concurrent streams" >&2
  load --url "http://127.0.0.1:$nginx_port/sse?events=$events&bytes=$bytes" \
    --concurrency "$c" --warmup "$warmup" --duration "$duration" "${nginx_cpu_pids[@]}" \
    >"$out/nginx-$c.json"
done

# --- Memory at open streams: a probe gives descriptors per stream, then as many streams as
# the descriptor limit allows, up to --streams ---
# Each on a fresh gateway, so that memory kept from earlier runs does not hide the streams'.
release="$upstream/__release"
probe=$((streams < 500 ? streams : 500))
stop_gateway
start_gateway
echo "bench: gateway, $probe open streams (probe)" >&2
load --url "$gateway/v1/chat/completions" --body "$hold_body" --header "$auth" \
  --hold "$probe" --release "$release" --rss-pid "$gateway_pid" >"$out/hold-probe.json"
fds_per_stream=$(jq -r "((.fds_held - .fds_idle) / .held) | ceil" "$out/hold-probe.json")
fds_idle=$(jq -r .fds_idle "$out/hold-probe.json")
reachable=$(((fd_limit - fds_idle - 64) / fds_per_stream))
held_target=$((streams < reachable ? streams : reachable))
stop_gateway
start_gateway
echo "bench: gateway, $held_target open streams" >&2
load --url "$gateway/v1/chat/completions" --body "$hold_body" --header "$auth" \
  --hold "$held_target" --release "$release" --rss-pid "$gateway_pid" --opening 256 \
  >"$out/hold.json"
load_at_end=$(loadavg)

# --- The table ---
row() {  # name file
  jq -r --arg name "$1" '"| \($name) | \(.concurrency) | \(.rps | floor) | \(.added_ttfb_p50_ms * 100 | round / 100) / \(.added_ttfb_p99_ms * 100 | round / 100) | \(.cpu_seconds_per_1k * 1000 | round / 1000) | \(.errors) |"' "$2"
}
{
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average at start $load_at_start, at end $load_at_end"
  echo "Answer: $events events, $bytes bytes of SSE per request; warm-up ${warmup} s, measured ${duration} s per row"
  echo
  echo "| proxy | concurrent streams | requests/s | added TTFB p50 / p99 (ms) | CPU s per 1,000 requests | errors |"
  echo "|---|---|---|---|---|---|"
  for c in "${concurrencies[@]}"; do row gateway "$out/gateway-$c.json"; done
  for c in "${concurrencies[@]}"; do row nginx "$out/nginx-$c.json"; done
  echo
  echo "| concurrent streams | gateway CPU per request ÷ nginx CPU per request |"
  echo "|---|---|"
  for c in "${concurrencies[@]}"; do
    jq -rn --slurpfile g "$out/gateway-$c.json" --slurpfile n "$out/nginx-$c.json" --arg c "$c" \
      '"| \($c) | \(if $n[0].cpu_seconds_per_1k > 0 then ($g[0].cpu_seconds_per_1k / $n[0].cpu_seconds_per_1k * 10 | round / 10) else "n/a" end) |"'
  done
  echo
  jq -r --argjson limit "$fd_limit" --argjson want "$streams" \
    '"Open streams: \(.held) held (\(.failed) failed) of \(.target) opened; gateway RSS \(.rss_idle_kib / 1024 | round) MiB idle, \(.rss_held_kib / 1024 | round) MiB held (\((.rss_held_kib - .rss_idle_kib) / .held * 10 | round / 10) KiB per stream); \((.fds_held - .fds_idle) / .held | round) descriptors per stream, limit \($limit)" + (if .target < $want then "; \($want) streams would need \($want * ((.fds_held - .fds_idle) / .held) | ceil) descriptors (extrapolated RSS at \($want): \((.rss_idle_kib + (.rss_held_kib - .rss_idle_kib) / .held * $want) / 1024 | round) MiB)" else "" end)' \
    "$out/hold.json"
} | tee "$out/table.md"
echo "bench: raw results in $out" >&2
