#!/usr/bin/env bash
# orderflow's local stack: RabbitMQ and PostgreSQL on loopback with their data in .state/ of this
# checkout, plus the aiosmtpd test SMTP server in a venv there. The developer and CI entry point.
#
#   deploy/local.sh up                 install what is missing, start everything, wait until it answers
#   deploy/local.sh env                print `export ORDERFLOW_...` lines for this stack
#   deploy/local.sh start|stop SERVICE rabbitmq | postgres | smtp (fault tests use these)
#   deploy/local.sh down               stop everything (data stays in .state/)
#   deploy/local.sh test [--chaos] [--cluster] [--no-host] [ARGS]  up, build, run the test suite (ARGS
#                                      go to swift test); --chaos adds the long fault scenarios; the hosts
#                                      of deploy/cluster.sh run the broker-kill, primary-kill and latency scenarios
#                                      with a few thousand orders, --cluster all of them (and the scaling
#                                      figures) with 50,000; the package under systemd (deploy/package.sh,
#                                      deploy/testhost.sh) runs last unless --no-host; exit status is the suite's
#   deploy/local.sh freeze|thaw rabbitmq   SIGSTOP / SIGCONT the broker (a silent peer, for heartbeat tests)
#   deploy/local.sh demo               up, build, migrate, declare topology, publish samples, show results
#   deploy/local.sh format             format Sources, Tests and Benchmarks as .swift-format says (test checks it)
#
# Ports (override with the env var): ORDERFLOW_LOCAL_PG_PORT=55432, ORDERFLOW_LOCAL_AMQP_PORT=55672,
# ORDERFLOW_LOCAL_SMTP_PORT=55025. Everything listens on 127.0.0.1 only.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE=${ORDERFLOW_STATE_DIR:-$ROOT/.state}
PG_PORT=${ORDERFLOW_LOCAL_PG_PORT:-55432}
AMQP_PORT=${ORDERFLOW_LOCAL_AMQP_PORT:-55672}
AMQP_DIST_PORT=$((AMQP_PORT - 20000))   # Erlang distribution; its CLI tools use this + 10000
SMTP_PORT=${ORDERFLOW_LOCAL_SMTP_PORT:-55025}
PG_BIN=/usr/lib/postgresql/15/bin
PG_DATA=$STATE/postgres/data
PG_RUN=$STATE/postgres/run
PG_LOG=$STATE/postgres/postgres.log
RMQ_DIR=$STATE/rabbitmq
RMQ_NODE=orderflow@localhost
SMTP_DIR=$STATE/smtp
DB_NAME=orderflow
# The three roles of deploy/postgres-setup.sql; loopback-only development passwords, not secrets.
DB_OWNER_PASSWORD=orderflow-local
DB_APP_PASSWORD=orderflow-app-local
DB_READ_PASSWORD=orderflow-read-local
APT_PACKAGES=(pkg-config libpq-dev librabbitmq-dev libcurl4-openssl-dev postgresql-15 rabbitmq-server
              python3-venv openssl ca-certificates systemd lintian   # systemd-analyze (unit checks), lintian (package checks)
              prometheus chromium    # promtool (alert rule checks), the email previews' browser test
              patroni etcd-server nftables)   # deploy/cluster.sh: PostgreSQL failover, cutting hosts off

log() { printf '[local] %s\n' "$*" >&2; }
die() { printf '[local] error: %s\n' "$*" >&2; exit 1; }

as_user() { local user=$1; shift; runuser -u "$user" -- "$@"; }

# Servers outlive this script: they must not inherit its callers' pipes (a test runner waits for
# EOF on them), so every fd above 2 is closed in the subshell that starts one.
detached() {
  (
    for fd in /proc/$BASHPID/fd/*; do fd=${fd##*/}; ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null; done
    "$@" </dev/null
  )
}

# --- installation -------------------------------------------------------------------------------

install_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # librabbitmq must be the security-patched build (frame-handling CVE fixes): 0.11.0-1+deb12u3 or later.
  if dpkg-query -W -f='${Version}' librabbitmq4 >/dev/null 2>&1; then
    dpkg --compare-versions "$(dpkg-query -W -f='${Version}' librabbitmq4)" ge 0.11.0-1+deb12u3 || missing+=(librabbitmq4 librabbitmq-dev)
  fi
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    # policy-rc.d keeps the packages' own service instances from starting: this stack runs its own.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { rm -f /usr/sbin/policy-rc.d; die "apt-get install failed"; }
    rm -f /usr/sbin/policy-rc.d
  fi
}

install_smtp() {
  if [[ ! -x $SMTP_DIR/venv/bin/aiosmtpd ]]; then
    log "installing aiosmtpd into $SMTP_DIR/venv"
    mkdir -p "$SMTP_DIR"
    python3 -m venv "$SMTP_DIR/venv"
    "$SMTP_DIR/venv/bin/pip" install -q aiosmtpd >/dev/null || die "pip install aiosmtpd failed"
  fi
}

# --- PostgreSQL ---------------------------------------------------------------------------------

pg_running() { [[ -f $PG_DATA/postmaster.pid ]] && as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

pg_init() {
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  log "initialising PostgreSQL in $PG_DATA"
  mkdir -p "$PG_DATA" "$PG_RUN"; chown -R postgres:postgres "$STATE/postgres"; chmod 700 "$PG_DATA"
  local pwfile; pwfile=$(mktemp); echo "postgres-local" > "$pwfile"; chown postgres "$pwfile"
  as_user postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" --auth-local=peer \
    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  cat >> "$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
max_connections = 200
shared_buffers = 256MB
fsync = on
synchronous_commit = on
log_min_messages = warning
CONF
}

pg_start() {
  pg_init
  if ! pg_running; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    mkdir -p "$PG_RUN"; chown postgres:postgres "$PG_RUN"
    detached runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null || { tail -20 "$PG_LOG" >&2 || true; die "PostgreSQL did not start"; }
  fi
  # The production roles and grants, the way operators set them up (idempotent).
  printf '%s\n' "$DB_OWNER_PASSWORD" "$DB_APP_PASSWORD" "$DB_READ_PASSWORD" \
    | "$ROOT/deploy/install.sh" database --host "$PG_RUN" --port "$PG_PORT" --sql "$ROOT/deploy/postgres-setup.sql" 2>/dev/null \
    || die "deploy/install.sh database failed"
}

pg_stop() {
  pg_running || return 0
  log "stopping PostgreSQL"
  as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
}

# --- RabbitMQ -----------------------------------------------------------------------------------

rmq_env() {
  env HOME="$RMQ_DIR" RABBITMQ_NODENAME="$RMQ_NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$AMQP_PORT" RABBITMQ_DIST_PORT="$AMQP_DIST_PORT" \
    RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia" RABBITMQ_LOG_BASE="$RMQ_DIR/log" \
    RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins" \
    RABBITMQ_PID_FILE="$RMQ_DIR/rabbitmq.pid" ERL_CRASH_DUMP="$RMQ_DIR/log/erl_crash.dump" \
    ERL_EPMD_ADDRESS=127.0.0.1 "$@"
}
rabbitmqctl_() { rmq_env runuser -u rabbitmq -- /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RMQ_NODE" "$@"; }

rmq_running() { rabbitmqctl_ -q status >/dev/null 2>&1; }

rmq_init() {
  mkdir -p "$RMQ_DIR/mnesia" "$RMQ_DIR/log"
  cat > "$RMQ_DIR/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$AMQP_PORT
loopback_users.guest = true
# The test suite sends bursts; keep the disk alarm from tripping on a small CI disk.
disk_free_limit.absolute = 200MB
CONF
  [[ -f $RMQ_DIR/enabled_plugins ]] || echo '[].' > "$RMQ_DIR/enabled_plugins"
  if [[ ! -f $RMQ_DIR/.erlang.cookie ]]; then
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$RMQ_DIR/.erlang.cookie"
    chmod 400 "$RMQ_DIR/.erlang.cookie"
  fi
  chown -R rabbitmq:rabbitmq "$RMQ_DIR"
}

rmq_start() {
  rmq_init
  if ! rmq_running; then
    log "starting RabbitMQ on 127.0.0.1:$AMQP_PORT"
    detached rmq_env runuser -u rabbitmq -- /usr/lib/rabbitmq/bin/rabbitmq-server -detached >/dev/null 2>&1 || true
    # await_startup gives up at once while the node is not reachable yet, so poll until it answers.
    local deadline=$((SECONDS + 120))
    until rabbitmqctl_ -q await_startup --timeout 10 >/dev/null 2>&1; do
      ((SECONDS < deadline)) || { tail -30 "$RMQ_DIR"/log/*.log >&2 || true; die "RabbitMQ did not start"; }
      sleep 1
    done
  fi
}

rmq_stop() {
  rmq_running || return 0
  log "stopping RabbitMQ"
  rabbitmqctl_ -q stop >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do rmq_running || return 0; sleep 0.5; done
  die "RabbitMQ did not stop"
}

# --- SMTP test server ---------------------------------------------------------------------------

# Found by its command line (this checkout's script and port), not by a pid file: the sink runs
# behind nohup and a subshell, and another checkout's sink may hold the port.
smtp_pattern() { echo "$ROOT/deploy/smtp_sink.py 127.0.0.1 $SMTP_PORT"; }
smtp_running() { pgrep -f "$(smtp_pattern)" >/dev/null; }

smtp_start() {
  install_smtp
  smtp_running && return 0
  log "starting aiosmtpd on 127.0.0.1:$SMTP_PORT (mails saved to $SMTP_DIR/mail)"
  mkdir -p "$SMTP_DIR/mail"
  detached nohup "$SMTP_DIR/venv/bin/python" "$ROOT/deploy/smtp_sink.py" 127.0.0.1 "$SMTP_PORT" "$SMTP_DIR/mail" \
    > "$SMTP_DIR/aiosmtpd.log" 2>&1 &
  for _ in $(seq 1 50); do
    smtp_running || break
    (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && return 0
    sleep 0.2
  done
  cat "$SMTP_DIR/aiosmtpd.log" >&2; die "aiosmtpd did not start (is port $SMTP_PORT taken?)"
}

smtp_stop() {
  smtp_running || return 0
  log "stopping aiosmtpd"; pkill -f "$(smtp_pattern)"
  for _ in $(seq 1 25); do smtp_running || return 0; sleep 0.2; done
}

# --- commands -----------------------------------------------------------------------------------

print_env() {
  cat <<ENV
export ORDERFLOW_AMQP_URL=amqp://guest:guest@127.0.0.1:$AMQP_PORT/%2F
export ORDERFLOW_DATABASE_URL=postgres://orderflow_owner:$DB_OWNER_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME
export ORDERFLOW_TEST_APP_DATABASE_URL=postgres://orderflow_app:$DB_APP_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME
export ORDERFLOW_TEST_READ_DATABASE_URL=postgres://orderflow_read:$DB_READ_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME
export ORDERFLOW_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
export ORDERFLOW_TEST_SMTP_MAILDIR=$SMTP_DIR/mail
export ORDERFLOW_LOCAL_STACK=$ROOT/deploy/local.sh
ENV
}

# PostgreSQL and RabbitMQ run as their own users: they must be able to reach .state/ through the
# checkout's parent folders (a checkout under /root would otherwise be closed to them).
open_path_to_state() {
  local dir=$STATE
  while [[ $dir != / ]]; do
    dir=$(dirname "$dir")
    if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
      log "allowing the service users to pass through $dir (o+x)"
      chmod o+x "$dir"
    fi
  done
}

up() {
  [[ $(id -u) == 0 ]] || die "run as root: it installs packages and starts services as their own users"
  install_packages
  mkdir -p "$STATE"; chmod 755 "$STATE"
  open_path_to_state
  pg_start; rmq_start; smtp_start
  log "stack is up"
}

build() {
  export PATH=/opt/swift/usr/bin:$PATH
  log "building (swift build, warnings are errors)"
  (cd "$ROOT" && swift build -Xswiftc -warnings-as-errors --explicit-target-dependency-import-check error)
}

run_tests() {
  local chaos=false host=true cluster=false
  while (($#)); do
    case $1 in
      --chaos) chaos=true; shift ;;
      --cluster) cluster=true; shift ;;
      --no-host) host=false; shift ;;
      *) break ;;
    esac
  done
  up
  eval "$(print_env)"
  build
  build_packages
  log "running the test suite against the local servers"
  cd "$ROOT"
  local flags=(-Xswiftc -warnings-as-errors --explicit-target-dependency-import-check error)
  # The unit tests (no servers, milliseconds each) first and on their own: some measure pacing,
  # which the integration tests' child processes and server start-ups would disturb.
  local unit=(OrdersDomainTests OrdersWorkersTests OrdersMailTests OrdersSamplesTests SettingsTests DaemonSupportTests)
  local unit_filter unit_skips=()
  unit_filter=$(IFS='|'; echo "${unit[*]}")
  for target in "${unit[@]}"; do unit_skips+=(--skip "$target"); done
  check_format
  log "running the unit tests"
  swift test "${flags[@]}" --filter "$unit_filter" "$@"
  # Fault tests stop and start the servers, so they run alone, after the rest; the long chaos
  # scenarios only with --chaos; the package under systemd last. The deployment tests run
  # lintian, dpkg-deb and xz for minutes: beside the others they would hold both cores (and the
  # test process's two pool threads) long enough to time out the tests that measure progress.
  log "running the integration tests"
  swift test "${flags[@]}" "${unit_skips[@]}" --skip FaultTests --skip ChaosTests --skip HostTests --skip DeploymentTests \
    --skip ClusterTests "$@"
  log "running the deployment tests (units, package, setup script)"
  swift test "${flags[@]}" --filter DeploymentTests "$@"
  log "running the fault tests (they restart the local servers)"
  swift test "${flags[@]}" --filter FaultTests --no-parallel "$@"
  if $chaos; then
    log "running the chaos scenarios"
    swift test "${flags[@]}" --filter ChaosTests --no-parallel "$@"
  fi
  run_cluster_tests "$cluster" "$@"
  if $host; then run_host_tests "$@"; fi
}

# The hosts of deploy/cluster.sh, with the release binary of the package. By default the broker
# node leading orderflow.ingest killed, the PostgreSQL primary killed, both under load, and the
# 50 ms latency between workers and brokers, with 4,000 orders: about 4 minutes with the hosts'
# start. --cluster: every scenario (a broker node cut off for 30 s too) and the scaling figures,
# with 50,000 orders each.
run_cluster_tests() {
  local all=$1; shift
  local filter='ClusterFailoverTests|ClusterNetworkTests/fifty' orders=${ORDERFLOW_TEST_CLUSTER_ORDERS:-4000}
  if $all; then filter=ClusterTests; orders=${ORDERFLOW_TEST_CLUSTER_ORDERS:-50000}; fi
  "$ROOT/deploy/cluster.sh" up
  log "running the cluster scenarios ($filter, $orders orders each)"
  local status=0
  ORDERFLOW_TEST_CLUSTER_ORDERS=$orders ORDERFLOW_BIN=${ORDERFLOW_BIN:-$ORDERFLOW_PACKAGE_BINARY} \
    swift test -Xswiftc -warnings-as-errors --explicit-target-dependency-import-check error \
    --filter "$filter" --no-parallel "$@" || status=$?
  "$ROOT/deploy/cluster.sh" down || true
  return $status
}

# The formatting of .swift-format (swift-format ships with the toolchain) and its 120 columns,
# which the formatter keeps for code but cannot for string literals and comments.
check_format() {
  log "checking the formatting (swift format lint, 120 columns)"
  local files
  mapfile -t files < <(cd "$ROOT" && git ls-files 'Sources/*.swift' 'Tests/*.swift' 'Benchmarks/*.swift' Package.swift)
  (cd "$ROOT" && swift format lint --strict --parallel "${files[@]}")
  # Characters, not bytes: a UTF-8 locale makes grep count an umlaut once.
  if (cd "$ROOT" && LC_ALL=C.UTF-8 grep -nE '^.{121,}' "${files[@]}" >&2); then
    echo "lines over 120 columns (see .swift-format)" >&2
    return 1
  fi
}

format_sources() {
  export PATH=/opt/swift/usr/bin:$PATH
  local files
  mapfile -t files < <(cd "$ROOT" && git ls-files 'Sources/*.swift' 'Tests/*.swift' 'Benchmarks/*.swift' Package.swift)
  (cd "$ROOT" && swift format format --in-place --parallel "${files[@]}")
}

# The Debian package from a release build (DeploymentTests check it), and the same binary one
# Debian revision later, for the upgrade on the test host.
build_packages() {
  log "building the Debian package (release build, static Swift runtime)"
  PACKAGE=$("$ROOT/deploy/package.sh" --revision 1 | tail -1)
  UPGRADE_PACKAGE=$("$ROOT/deploy/package.sh" --revision 2 --binary "$ROOT/.build-release/release/orderflow" | tail -1)
  export ORDERFLOW_PACKAGE_BINARY=$ROOT/.build-release/release/orderflow
}

# The packages on a Debian 12 test host with systemd as PID 1 (deploy/testhost.sh).
run_host_tests() {
  "$ROOT/deploy/testhost.sh" image
  log "running the host scenarios (systemd as PID 1)"
  local status=0
  ORDERFLOW_TEST_PACKAGE=$PACKAGE ORDERFLOW_TEST_PACKAGE_UPGRADE=$UPGRADE_PACKAGE \
    swift test -Xswiftc -warnings-as-errors --explicit-target-dependency-import-check error \
    --filter HostTests --no-parallel "$@" || status=$?
  "$ROOT/deploy/testhost.sh" down || true
  return $status
}

# SIGSTOP / SIGCONT of the broker's VM: a peer that is alive but silent (for the heartbeat tests).
rmq_signal() {
  local pid
  pid=$(cat "$RMQ_DIR/rabbitmq.pid" 2>/dev/null) || die "RabbitMQ is not running"
  kill -"$1" "$pid"
}

start_service() {
  case ${1:-} in
    postgres) pg_start ;; rabbitmq) rmq_start ;; smtp) smtp_start ;;
    *) die "start what? rabbitmq | postgres | smtp" ;;
  esac
}
stop_service() {
  case ${1:-} in
    postgres) pg_stop ;; rabbitmq) rmq_stop ;; smtp) smtp_stop ;;
    *) die "stop what? rabbitmq | postgres | smtp" ;;
  esac
}

demo() {
  up
  eval "$(print_env)"
  build
  local bin; bin=$(cd "$ROOT" && swift build --show-bin-path)/orderflow
  "$bin" migrate
  "$bin" topology
  "$ROOT/deploy/demo.sh" "$bin"
}

case ${1:-} in
  up) up ;;
  env) print_env ;;
  start) start_service "${2:-}" ;;
  stop) stop_service "${2:-}" ;;
  freeze) [[ ${2:-} == rabbitmq ]] || die "freeze what? rabbitmq"; rmq_signal STOP ;;
  thaw) [[ ${2:-} == rabbitmq ]] || die "thaw what? rabbitmq"; rmq_signal CONT ;;
  down) smtp_stop; rmq_stop; pg_stop ;;
  test) shift; run_tests "$@" ;;
  demo) demo ;;
  format) format_sources ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
