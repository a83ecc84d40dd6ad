#!/usr/bin/env bash
# Throwaway MariaDB and Redis servers for the storage tests, on 127.0.0.1 and free ports,
# with everything (data, sockets, logs, pids) under one directory.
#
#   scripts/test-servers.sh start DIR [mysql|redis|all]   start, wait until they answer,
#                                                           print `export ...` lines
#   scripts/test-servers.sh stop DIR [mysql|redis|all]    stop (data stays in DIR)
#   scripts/test-servers.sh kill DIR [mysql|redis|all]    SIGKILL them (a crash; data stays)
#   scripts/test-servers.sh restart DIR [mysql|redis]     start again on the same port and data
#   scripts/test-servers.sh pause|resume DIR [mysql|redis|all]  SIGSTOP / SIGCONT (a hung server)
#   scripts/test-servers.sh env DIR                       print the `export ...` lines again
#
# Use it as `eval "$(scripts/test-servers.sh start "$dir")"`. Printed variables:
#   G2A_TEST_MYSQL_URL  mysql://g2a:<password>@127.0.0.1:<port>/  (the user may create databases)
#   G2A_TEST_REDIS_URL  redis://[:<password>@]127.0.0.1:<port>/
#   G2A_TEST_SERVERS_DIR  DIR, for `stop` / `restart`
# Environment: G2A_TEST_REDIS_PASSWORD (Redis requires it when set), G2A_TEST_REDIS_PERSIST=1
# (append-only file fsynced on every write, so a restart keeps every acknowledged write;
# the default keeps nothing on disk), MARIADBD / REDIS_SERVER (binaries).
set -euo pipefail

usage() {
  sed -n '2,20p' "$0" >&2
  exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
which=${3:-all}
case "$which" in mysql | redis | all) ;; *) usage ;; esac

find_bin() {  # name, fallbacks...
  for b in "$@"; do
    if command -v "$b" >/dev/null 2>&1; then
      command -v "$b"
      return
    fi
    if [ -x "$b" ]; then
      echo "$b"
      return
    fi
  done
  echo "test-servers.sh: $1 not found (install mariadb-server / redis-server)" >&2
  exit 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

random_word() {
  python3 -c 'import secrets; print(secrets.token_hex(12))'
}

# Polls "$@" until it succeeds: at most `tries` attempts 0.1 s apart. Fails (1) with the log
# when it never does, at once (2) when process `pid` has exited.
wait_until() {  # tries, what, log, pid, command...
  local tries=$1 what=$2 log=$3 pid=$4
  shift 4
  for ((i = 0; i < tries; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "test-servers.sh: $what exited; its log:" >&2
      tail -n 30 "$log" >&2 || true
      return 2
    fi
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "test-servers.sh: $what did not answer after $tries tries; its log:" >&2
  tail -n 30 "$log" >&2 || true
  return 1
}

# Runs `launch` (a function starting a server on the port in file $1 and waiting for it);
# when `start` chose the port and another process bound it first, chooses again (3 tries).
with_free_port() {  # port file, log, launch
  local port_file=$1 log=$2 launch=$3 rc lines
  for attempt in 1 2 3; do
    lines=$(wc -l <"$log" 2>/dev/null || echo 0)
    rc=0
    "$launch" || rc=$?
    [ "$rc" = 0 ] && return 0
    if [ "$rc" = 2 ] && [ "$cmd" = start ] &&
      tail -n +"$((lines + 1))" "$log" | grep -qi "address already in use"; then
      free_port >"$port_file"
      continue
    fi
    return 1
  done
  return 1
}

# Signals the process of pid file $1 (TERM unless $3) and waits until it has exited
# (bounded), then removes the file.
wait_exit() {  # pidfile, what[, signal]
  local pidfile=$1 what=$2 signal=${3:-TERM} pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -"$signal" "$pid" 2>/dev/null || true
    kill -CONT "$pid" 2>/dev/null || true  # a paused server acts on the signal only when resumed
    for ((i = 0; i < 600; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "test-servers.sh: $what (pid $pid) ignored SIGTERM for 60 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

mysql_ping() {
  timeout 5 "$MARIADB_ADMIN" --no-defaults --protocol=tcp -h127.0.0.1 -P"$(cat "$dir/mysql/port")" \
    -ug2a -p"$(cat "$dir/mysql/password")" --connect-timeout=1 ping
}

redis_ping() {
  local args=(-h 127.0.0.1 -p "$(cat "$dir/redis/port")")
  [ -s "$dir/redis/password" ] && args+=(--no-auth-warning -a "$(cat "$dir/redis/password")")
  [ "$(timeout 5 "$REDIS_CLI" "${args[@]}" ping 2>/dev/null)" = PONG ]
}

mysql_run() {  # the server on the recorded port and data dir, detached
  local m=$dir/mysql
  # setsid: the server must not die with the shell (or test) that started it. The server's
  # own character set default (latin1) stays: the plugin must ask for utf8mb4 itself.
  setsid "$MARIADBD" --no-defaults --user="$(id -un)" --datadir="$m/data" --tmpdir="$m/tmp" \
    --socket="$m/mysqld.sock" --pid-file="$m/mysqld.pid" --log-error="$m/error.log" \
    --port="$(cat "$m/port")" --bind-address=127.0.0.1 --skip-name-resolve \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=32M \
    --innodb-flush-log-at-trx-commit=2 --innodb-use-native-aio=0 --skip-log-bin \
    --max-connections=500 </dev/null >>"$m/error.log" 2>&1 &
  echo $! >"$m/mysqld.pid.launch"
  wait_until 600 "MariaDB on port $(cat "$m/port")" "$m/error.log" $! mysql_ping
}

mysql_start() {
  local m=$dir/mysql
  mkdir -p "$m"
  # A tmpdir of its own: servers installing at once in a shared /tmp trip over each other's
  # temporary tables.
  mkdir -p "$m/tmp"
  if [ ! -d "$m/data/mysql" ]; then
    "$MARIADB_INSTALL_DB" --no-defaults --user="$(id -un)" --datadir="$m/data" --tmpdir="$m/tmp" \
      --auth-root-authentication-method=socket --skip-test-db >"$m/install.log" 2>&1 || {
      cat "$m/install.log" >&2
      exit 1
    }
    random_word >"$m/password"
    # The grant tables are written through a bootstrap server reading SQL from stdin.
    "$MARIADBD" --no-defaults --user="$(id -un)" --datadir="$m/data" --tmpdir="$m/tmp" --bootstrap \
      --skip-networking --innodb-use-native-aio=0 --log-error="$m/bootstrap.log" \
      >>"$m/bootstrap.log" 2>&1 <<SQL
FLUSH PRIVILEGES;
CREATE USER 'g2a'@'127.0.0.1' IDENTIFIED BY '$(cat "$m/password")';
GRANT ALL PRIVILEGES ON *.* TO 'g2a'@'127.0.0.1' WITH GRANT OPTION;
SQL
  fi
  [ -s "$m/port" ] || free_port >"$m/port"
  touch "$m/error.log"
  with_free_port "$m/port" "$m/error.log" mysql_run
}

redis_run() {  # the server on the recorded port, detached
  local r=$dir/redis
  local args=(--port "$(cat "$r/port")" --bind 127.0.0.1 --dir "$r" --daemonize no --databases 64
    --pidfile "$r/redis.pid" --logfile "$r/redis.log" --save '')
  if [ "$(cat "$r/persist")" = 1 ]; then
    args+=(--appendonly yes --appendfsync always)
  else
    args+=(--appendonly no)
  fi
  [ -s "$r/password" ] && args+=(--requirepass "$(cat "$r/password")")
  setsid "$REDIS_SERVER" "${args[@]}" </dev/null >>"$r/redis.log" 2>&1 &
  echo $! >"$r/redis.pid"
  wait_until 300 "Redis on port $(cat "$r/port")" "$r/redis.log" $! redis_ping
}

redis_start() {
  local r=$dir/redis
  mkdir -p "$r"
  [ -s "$r/port" ] || free_port >"$r/port"
  if [ ! -f "$r/password" ]; then printf '%s' "${G2A_TEST_REDIS_PASSWORD:-}" >"$r/password"; fi
  if [ ! -f "$r/persist" ]; then printf '%s' "${G2A_TEST_REDIS_PERSIST:-0}" >"$r/persist"; fi
  touch "$r/redis.log"
  with_free_port "$r/port" "$r/redis.log" redis_run
}

print_env() {
  echo "export G2A_TEST_SERVERS_DIR=$dir"
  if [ -s "$dir/mysql/port" ]; then
    echo "export G2A_TEST_MYSQL_URL=mysql://g2a:$(cat "$dir/mysql/password")@127.0.0.1:$(cat "$dir/mysql/port")/"
  fi
  if [ -s "$dir/redis/port" ]; then
    local auth=""
    [ -s "$dir/redis/password" ] && auth=":$(cat "$dir/redis/password")@"
    echo "export G2A_TEST_REDIS_URL=redis://${auth}127.0.0.1:$(cat "$dir/redis/port")/"
  fi
}

wants() { [ "$which" = all ] || [ "$which" = "$1" ]; }

MARIADBD=${MARIADBD:-$(find_bin mariadbd /usr/sbin/mariadbd mysqld /usr/sbin/mysqld)}
MARIADB_INSTALL_DB=$(find_bin mariadb-install-db mysql_install_db)
MARIADB_ADMIN=$(find_bin mariadb-admin mysqladmin)
REDIS_SERVER=${REDIS_SERVER:-$(find_bin redis-server)}
REDIS_CLI=$(find_bin redis-cli)

case "$cmd" in
  start | restart)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$cmd" = restart ] && [ "$which" = all ]; then usage; fi
    if wants mysql; then mysql_start >&2; fi
    if wants redis; then redis_start >&2; fi
    print_env
    ;;
  stop | kill)
    dir=$(cd "$dir" && pwd)
    signal=TERM
    [ "$cmd" = kill ] && signal=KILL
    if wants mysql; then
      # mysqld.pid is the server's own; .launch covers a server that died before writing it.
      [ -f "$dir/mysql/mysqld.pid" ] || mv -f "$dir/mysql/mysqld.pid.launch" "$dir/mysql/mysqld.pid" 2>/dev/null || true
      wait_exit "$dir/mysql/mysqld.pid" MariaDB "$signal"
      rm -f "$dir/mysql/mysqld.pid.launch"
    fi
    if wants redis; then wait_exit "$dir/redis/redis.pid" Redis "$signal"; fi
    ;;
  pause | resume)
    dir=$(cd "$dir" && pwd)
    signal=STOP
    [ "$cmd" = resume ] && signal=CONT
    if wants mysql; then kill -"$signal" "$(cat "$dir/mysql/mysqld.pid")"; fi
    if wants redis; then kill -"$signal" "$(cat "$dir/redis/redis.pid")"; fi
    ;;
  env) print_env ;;
  *) usage ;;
esac
