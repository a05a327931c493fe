#!/usr/bin/env bash
# orderflow past one machine, on one machine: test hosts as network namespaces joined by a switch
# (a bridge in a namespace of its own), addresses in 10.77.0.0/24 that exist only inside them.
# Three RabbitMQ nodes clustered (pause_minority; orderflow.ingest and orderflow.notifier quorum
# queues with three members), PostgreSQL primary and synchronous standby under Patroni with one
# etcd, two worker hosts, a notifier host, the SMTP sink and a "shop" host for publishers and the
# operator's queries. State in .state/cluster/ of this checkout. Needs root.
#
#   deploy/cluster.sh up                  install what is missing, build the hosts, start and cluster
#                                         everything, set up users, queues and the database (idempotent)
#   deploy/cluster.sh down                stop everything, delete the namespaces and the state
#   deploy/cluster.sh status              hosts, broker cluster, Patroni members, faults in place
#   deploy/cluster.sh env                 `export ORDERFLOW_TEST_CLUSTER_...` lines (URLs as seen from the hosts)
#   deploy/cluster.sh kill HOST           SIGKILL every process of HOST (a power cut)
#   deploy/cluster.sh start HOST          start HOST's servers again (a broker node rejoins its cluster,
#                                         a database node rejoins as a replica)
#   deploy/cluster.sh cut HOST            drop every packet in and out of HOST (nftables inside it)
#   deploy/cluster.sh restore [HOST]      lift the cut, delay and loss of HOST (default: every host)
#   deploy/cluster.sh delay MS [--loss PCT] [HOST...]
#                                         one-way delay of the brokers' relays on HOSTs (default w1 w2)
#                                         and packet loss out of them (nftables numgen)
#   deploy/cluster.sh leader QUEUE        the broker host leading a quorum queue (mq1, mq2 or mq3)
#   deploy/cluster.sh primary             the database host Patroni made the primary (db1 or db2)
#   deploy/cluster.sh reset               empty the queues, recreate the database orderflow (no schema)
#   deploy/cluster.sh sql QUERY           run QUERY as orderflow_owner on the primary, unaligned output
#   deploy/cluster.sh exec HOST CMD...    run CMD inside HOST (its pid stays CMD's)
#   deploy/cluster.sh ctl NODE ARGS...    rabbitmqctl of broker node NODE (mq1, mq2, mq3)
#
# Hosts and addresses: mq1-3 10.77.0.11-13 (AMQP 5672), db1-2 10.77.0.21-22 (PostgreSQL 5432,
# Patroni 8008), etcd 10.77.0.30, w1-2 10.77.0.41-42 and n1 10.77.0.51 (orderflow; relays to the
# brokers on 127.0.0.1:5681-5683 carry `delay`), smtp 10.77.0.61:2525, shop 10.77.0.71. The
# passwords are fixed development ones, as in deploy/local.sh: these hosts are reachable only from
# inside their namespaces.
set -euo pipefail
export LC_NUMERIC=C

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE=${ORDERFLOW_STATE_DIR:-$ROOT/.state}
CL=$STATE/cluster
SELF=$ROOT/deploy/cluster.sh
PREFIX=ofc-                       # namespace names: ofc-mq1 ...
NET=10.77.0
declare -A ADDR=([mq1]=$NET.11 [mq2]=$NET.12 [mq3]=$NET.13 [db1]=$NET.21 [db2]=$NET.22 [etcd]=$NET.30
                 [w1]=$NET.41 [w2]=$NET.42 [n1]=$NET.51 [smtp]=$NET.61 [shop]=$NET.71)
HOSTS=(mq1 mq2 mq3 etcd db1 db2 w1 w2 n1 smtp shop)
BROKERS=(mq1 mq2 mq3)
DATABASES=(db1 db2)
RELAY_HOSTS=(w1 w2 n1)
SWITCH=${PREFIX}switch
PG_BIN=/usr/lib/postgresql/15/bin
AMQP_PASSWORD=orderflow-cluster
DB_OWNER_PASSWORD=orderflow-owner-cluster
DB_APP_PASSWORD=orderflow-app-cluster
DB_READ_PASSWORD=orderflow-read-cluster
PG_SUPERUSER_PASSWORD=postgres-cluster
PG_REPLICATION_PASSWORD=replicator-cluster
SMTP_PORT=2525
# Patroni's timing: the leader key lives 10 s, so a dead primary is replaced within about that.
PATRONI_TTL=10 PATRONI_LOOP_WAIT=1 PATRONI_RETRY_TIMEOUT=3
APT_PACKAGES=(rabbitmq-server postgresql-15 patroni etcd-server nftables iproute2 python3-venv curl)

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

ns() { echo "$PREFIX$1"; }
ns_exists() { ip netns list | awk '{ print $1 }' | grep -qx "$(ns "$1")"; }
in_ns() { local host=$1; shift; ip netns exec "$(ns "$host")" "$@"; }
known_host() { [[ -n ${ADDR[$1]:-} ]] || die "no host $1 (hosts: ${HOSTS[*]})"; }

# Servers outlive this script and must not inherit its callers' pipes (a test runner waits for EOF
# on them): every fd above 2 closed, a session of their own, output to LOG.
detached() {
  local logfile=$1; shift
  (
    for fd in "/proc/$BASHPID/fd/"*; do fd=${fd##*/}; ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null; done
    exec </dev/null >>"$logfile" 2>&1
    if declare -F "$1" >/dev/null; then "$@"; else exec setsid "$@"; fi
  ) &
}

# Pids of HOST's processes whose command line contains PATTERN (all of them without one).
host_pids() {
  local host=$1 pattern=${2:-} pid
  ns_exists "$host" || return 0
  for pid in $(ip netns pids "$(ns "$host")" 2>/dev/null); do
    if [[ -z $pattern ]] || tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"; then echo "$pid"; fi
  done
}

await() {   # SECONDS WHAT COMMAND...: poll COMMAND every half second until it succeeds
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
  log "$what"
}

# --- installation -------------------------------------------------------------------------------

install_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null || die "apt-get update failed"
  # policy-rc.d keeps the packages' own service instances (etcd, patroni) from starting.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null \
    || { rm -f /usr/sbin/policy-rc.d; die "apt-get install failed"; }
  rm -f /usr/sbin/policy-rc.d
}

smtp_python() {
  local venv=$STATE/smtp/venv   # deploy/local.sh's, when it is there
  if [[ ! -x $venv/bin/aiosmtpd ]]; then
    venv=$CL/smtp-venv
    if [[ ! -x $venv/bin/aiosmtpd ]]; then
      log "installing aiosmtpd into $venv"
      { python3 -m venv "$venv" && "$venv/bin/pip" install -q aiosmtpd >/dev/null; } || die "pip install aiosmtpd failed"
    fi
  fi
  echo "$venv/bin/python"
}

# The service users must reach .state/ through the checkout's parent folders.
open_path_to_state() {
  local dir=$CL
  while [[ $dir != / ]]; do
    dir=$(dirname "$dir")
    runuser -u postgres -- test -x "$dir" 2>/dev/null || chmod o+x "$dir"
  done
}

# --- network ------------------------------------------------------------------------------------

net_up() {
  if ! ns_exists switch; then
    ip netns add "$SWITCH"
    ip -n "$SWITCH" link add br0 type bridge
    ip -n "$SWITCH" link set br0 up
  fi
  local host
  for host in "${HOSTS[@]}"; do
    ns_exists "$host" && continue
    ip netns add "$(ns "$host")"
    ip -n "$(ns "$host")" link set lo up
    # Both ends are created inside their namespaces: nothing appears on this machine's interfaces.
    ip link add eth0 netns "$(ns "$host")" type veth peer name "$host" netns "$SWITCH"
    ip -n "$SWITCH" link set "$host" master br0 up
    ip -n "$(ns "$host")" addr add "${ADDR[$host]}/24" dev eth0
    ip -n "$(ns "$host")" link set eth0 up
  done
}

net_down() {
  local name
  for name in $(ip netns list | awk '{ print $1 }' | grep "^$PREFIX" || true); do ip netns del "$name"; done
}

# --- RabbitMQ -----------------------------------------------------------------------------------

node_name() { echo "rabbit@${ADDR[$1]}"; }

# A command as the rabbitmq user inside NODE's namespace, with the node's settings (after runuser,
# which would set HOME to the user's own and so hide the cluster's cookie).
rmq_env() {
  local node=$1; shift
  local dir=$CL/$node
  ip netns exec "$(ns "$node")" runuser -u rabbitmq -- env HOME="$dir" RABBITMQ_NODENAME="$(node_name "$node")" \
    RABBITMQ_USE_LONGNAME=true RABBITMQ_NODE_PORT=5672 RABBITMQ_DIST_PORT=25672 \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_PID_FILE="$dir/rabbitmq.pid" ERL_CRASH_DUMP="$dir/log/erl_crash.dump" "$@"
}
ctl() { local node=$1; shift; rmq_env "$node" /usr/lib/rabbitmq/bin/rabbitmqctl -n "$(node_name "$node")" "$@"; }
# The node's VM runs (asking it would start an Erlang CLI: seconds on a busy machine).
rmq_running() { [[ -n $(host_pids "$1" beam.smp) ]]; }

rmq_init() {
  local node=$1 dir=$CL/$1
  mkdir -p "$dir/mnesia" "$dir/log"
  cat > "$dir/rabbitmq.conf" <<CONF
listeners.tcp.1 = 0.0.0.0:5672
# The minority side of a partition pauses: clients move to the majority, no split brain.
cluster_partition_handling = pause_minority
# Three nodes on one test machine: each keeps to a share of its memory, no disk alarm on a small disk.
vm_memory_high_watermark.relative = 0.15
disk_free_limit.absolute = 200MB
# A fresh node joins the first of these that runs (the first node is started alone first).
cluster_formation.peer_discovery_backend = classic_config
CONF
  local i=1 peer
  for peer in "${BROKERS[@]}"; do
    echo "cluster_formation.classic_config.nodes.$i = $(node_name "$peer")" >> "$dir/rabbitmq.conf"
    i=$((i + 1))
  done
  # A partner that stops answering is given up after 7.5-12.5 s (default 45-75 s): a node cut
  # off for 30 s is noticed, and the minority pauses, well within it.
  echo '[{kernel, [{net_ticktime, 10}]}].' > "$dir/advanced.config"
  [[ -f $dir/enabled_plugins ]] || echo '[].' > "$dir/enabled_plugins"
  # One Erlang cookie for the cluster: the nodes and their CLI tools authenticate with it.
  [[ -f $CL/erlang.cookie ]] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$CL/erlang.cookie"
  install -m 0400 "$CL/erlang.cookie" "$dir/.erlang.cookie"
  chown -R rabbitmq:rabbitmq "$dir"
}

rmq_start() {
  local node=$1
  rmq_running "$node" && return 0
  rmq_init "$node"
  log "starting RabbitMQ $(node_name "$node")"
  detached "$CL/$node/server.log" rmq_env "$node" /usr/lib/rabbitmq/bin/rabbitmq-server
}

rmq_await() {
  local node=$1
  await 180 "RabbitMQ $(node_name "$node") is up" ctl "$node" -q await_startup --timeout 10 \
    || { tail -30 "$CL/$node/log/"*.log >&2 || true; die "RabbitMQ on $node did not start"; }
}

# Normally a no-op: the nodes found each other at their first start (classic_config).
rmq_cluster() {
  local first=${BROKERS[0]} node
  for node in "${BROKERS[@]:1}"; do
    if ctl "$node" -q cluster_status --formatter json 2>/dev/null | grep -qF "\"$(node_name "$first")\""; then continue; fi
    log "joining $(node_name "$node") to $(node_name "$first")"
    { ctl "$node" -q stop_app && ctl "$node" -q reset && ctl "$node" -q join_cluster "$(node_name "$first")" \
        && ctl "$node" -q start_app; } >>"$CL/$node/server.log" 2>&1 || die "$node did not join the cluster"
  done
}

# The broker user and the topology the way operators set them up (deploy/install.sh broker), once
# all three nodes are members: a quorum queue declared then gets a member on each.
rmq_setup() {
  local secret; secret=$(mktemp); printf '%s\n' "$AMQP_PASSWORD" > "$secret"
  "$ROOT/deploy/install.sh" broker --password-file "$secret" --rabbitmqctl "$SELF ctl ${BROKERS[0]}" 2>/dev/null \
    || { rm -f "$secret"; die "deploy/install.sh broker failed"; }
  rm -f "$secret"
  local queue members
  for queue in orderflow.ingest orderflow.notifier; do
    members=$(queue_members "$queue")
    [[ $members == 3 ]] || die "$queue has $members members, not 3"
  done
  log "broker user orderflow; orderflow.ingest and orderflow.notifier are quorum queues on 3 nodes"
}

# "NAME FIELD" lines of every queue (FIELD: leader, members, messages), asked of the first broker
# node that answers (one may be down or cut off).
queue_field() {
  local field=$1 node output
  for node in "${BROKERS[@]}"; do
    rmq_running "$node" || continue
    if output=$(timeout 60 "$SELF" ctl "$node" -q list_queues name "$field" --formatter json 2>/dev/null); then
      python3 -c '
import json, sys
for q in json.loads(sys.argv[1]):
    v = q[sys.argv[2]]
    print(q["name"], len(v) if isinstance(v, list) else v)
' "$output" "$field"
      return 0
    fi
  done
  die "no broker node answers"
}
queue_members() { queue_field members | awk -v q="$1" '$1 == q { print $2 }'; }
queue_leader() {
  local leader host
  leader=$(queue_field leader | awk -v q="$1" '$1 == q { print $2 }')
  for host in "${BROKERS[@]}"; do [[ $(node_name "$host") == "$leader" ]] && { echo "$host"; return; }; done
  die "no leader for $1 (${leader:-none})"
}

# --- etcd and Patroni ---------------------------------------------------------------------------

etcd_start() {
  [[ -n $(host_pids etcd /usr/bin/etcd) ]] && return 0
  local dir=$CL/etcd
  mkdir -p "$dir/data"; chmod 700 "$dir/data"; chown -R etcd:etcd "$dir" 2>/dev/null || true
  local user=etcd; id etcd >/dev/null 2>&1 || user=root
  log "starting etcd on ${ADDR[etcd]}:2379"
  detached "$dir/etcd.log" ip netns exec "$(ns etcd)" runuser -u "$user" -- /usr/bin/etcd --name etcd \
    --data-dir "$dir/data" --listen-client-urls "http://${ADDR[etcd]}:2379,http://127.0.0.1:2379" \
    --advertise-client-urls "http://${ADDR[etcd]}:2379" --listen-peer-urls http://127.0.0.1:2380 \
    --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster etcd=http://127.0.0.1:2380
  await 60 "etcd is up" in_ns etcd curl -fsS "http://127.0.0.1:2379/health" \
    || { tail -20 "$dir/etcd.log" >&2; die "etcd did not start"; }
}

patroni_config() {
  local host=$1 dir=$CL/$1
  mkdir -p "$dir/data" "$dir/run"; chmod 700 "$dir/data"
  cat > "$dir/patroni.yml" <<YAML
scope: orderflow
name: $host
log: {level: WARNING}
restapi: {listen: '${ADDR[$host]}:8008', connect_address: '${ADDR[$host]}:8008'}
etcd3: {host: '${ADDR[etcd]}:2379'}
bootstrap:
  dcs:
    ttl: $PATRONI_TTL
    loop_wait: $PATRONI_LOOP_WAIT
    retry_timeout: $PATRONI_RETRY_TIMEOUT
    maximum_lag_on_failover: 1048576
    # A commit returns only once the standby has it: a failover loses no committed order.
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      remove_data_directory_on_rewind_failure: true
      parameters:
        max_connections: 200
        shared_buffers: 128MB
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        wal_keep_size: 512MB
        max_wal_senders: 10
        max_replication_slots: 10
        synchronous_commit: 'on'
        log_min_messages: warning
  initdb: [{encoding: UTF8}, {locale: C.UTF-8}, data-checksums]
postgresql:
  listen: '${ADDR[$host]}:5432'
  connect_address: '${ADDR[$host]}:5432'
  use_unix_socket: true
  data_dir: '$dir/data'
  bin_dir: '$PG_BIN'
  pgpass: '$dir/pgpass'
  authentication:
    superuser: {username: postgres, password: '$PG_SUPERUSER_PASSWORD'}
    replication: {username: replicator, password: '$PG_REPLICATION_PASSWORD'}
    rewind: {username: postgres, password: '$PG_SUPERUSER_PASSWORD'}
  parameters: {unix_socket_directories: '$dir/run'}
  pg_hba:
    - local all all peer
    - host replication replicator $NET.0/24 scram-sha-256
    - host all all $NET.0/24 scram-sha-256
YAML
  chown -R postgres:postgres "$dir"; chmod 600 "$dir/patroni.yml"
}

patroni_start() {
  local host=$1
  [[ -n $(host_pids "$host" /usr/bin/patroni) ]] && return 0
  patroni_config "$host"
  log "starting Patroni on $host (${ADDR[$host]})"
  detached "$CL/$host/patroni.log" ip netns exec "$(ns "$host")" runuser -u postgres -- /usr/bin/patroni "$CL/$host/patroni.yml"
}

patronictl() { in_ns "$1" runuser -u postgres -- /usr/bin/patronictl -c "$CL/$1/patroni.yml" "${@:2}"; }

# Members as "NAME ROLE STATE" lines, asked of a database host whose Patroni runs.
patroni_members() {
  local host
  for host in "${DATABASES[@]}"; do
    [[ -n $(host_pids "$host" /usr/bin/patroni) ]] || continue
    patronictl "$host" list -f json 2>/dev/null | python3 -c '
import json, sys
for m in json.load(sys.stdin):
    print(m["Member"], m["Role"].replace(" ", "-"), m["State"])
' && return 0
  done
  return 1
}
primary_host() { patroni_members | awk '$2 == "Leader" && $3 == "running" { print $1; found = 1 } END { exit !found }'; }
sync_ready() { patroni_members | awk '$2 == "Sync-Standby" && ($3 == "streaming" || $3 == "running") { found = 1 } END { exit !found }'; }

# Roles and database (deploy/install.sh database on the primary, as operators run it).
db_setup() {
  local primary; primary=$(primary_host) || die "no primary"
  local dir; dir=$(mktemp -d); chmod 700 "$dir"
  printf '%s\n' "$DB_OWNER_PASSWORD" > "$dir/owner"; printf '%s\n' "$DB_APP_PASSWORD" > "$dir/app"
  printf '%s\n' "$DB_READ_PASSWORD" > "$dir/read"
  in_ns "$primary" "$ROOT/deploy/install.sh" database --host "$CL/$primary/run" --port 5432 \
    --owner-password-file "$dir/owner" --app-password-file "$dir/app" --read-password-file "$dir/read" 2>/dev/null \
    || { rm -rf "$dir"; die "deploy/install.sh database failed on $primary"; }
  rm -rf "$dir"
  log "roles orderflow_owner, orderflow_app, orderflow_read and database orderflow on $primary"
}

# --- relays, SMTP sink --------------------------------------------------------------------------

relay_start() {
  local host=$1 dir=$CL/$1
  [[ -n $(host_pids "$host" delay_relay.py) ]] && return 0
  mkdir -p "$dir"; [[ -f $dir/delay_ms ]] || echo 0 > "$dir/delay_ms"
  local routes=() i=1 node
  for node in "${BROKERS[@]}"; do routes+=("127.0.0.1:$((5680 + i))=${ADDR[$node]}:5672"); i=$((i + 1)); done
  detached "$dir/relay.log" ip netns exec "$(ns "$host")" runuser -u nobody -- \
    python3 "$ROOT/deploy/delay_relay.py" "$dir/delay_ms" "${routes[@]}"
}

smtp_start() {
  [[ -n $(host_pids smtp smtp_sink.py) ]] && return 0
  local python; python=$(smtp_python)
  mkdir -p "$CL/smtp/mail"
  log "starting the SMTP sink on ${ADDR[smtp]}:$SMTP_PORT (mails in $CL/smtp/mail)"
  detached "$CL/smtp/sink.log" ip netns exec "$(ns smtp)" "$python" "$ROOT/deploy/smtp_sink.py" \
    "${ADDR[smtp]}" "$SMTP_PORT" "$CL/smtp/mail"
}

# --- hosts --------------------------------------------------------------------------------------

start_host() {
  local host=$1
  case $host in
    mq*) rmq_start "$host"; rmq_await "$host" ;;
    db*) patroni_start "$host" ;;
    etcd) etcd_start ;;
    w*|n*) relay_start "$host" ;;
    smtp) smtp_start ;;
    shop) ;;
  esac
}

kill_host() {
  local host=$1 pids
  mapfile -t pids < <(host_pids "$host")
  ((${#pids[@]})) || { log "nothing runs on $host"; return 0; }
  log "killing $host: ${#pids[@]} process(es)"
  kill -KILL "${pids[@]}" 2>/dev/null || true
  local i
  for i in $(seq 1 50); do [[ -z $(host_pids "$host") ]] && return 0; sleep 0.1; done
}

stop_host() {   # TERM first, then KILL: servers get to close their files
  local host=$1 pids i
  mapfile -t pids < <(host_pids "$host")
  ((${#pids[@]})) || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for i in $(seq 1 100); do [[ -z $(host_pids "$host") ]] && return 0; sleep 0.1; done
  kill_host "$host"
}

up() {
  [[ $(id -u) == 0 ]] || die "run as root: it creates network namespaces and starts servers as their users"
  install_packages
  mkdir -p "$CL"; chmod 755 "$STATE" "$CL"
  open_path_to_state
  net_up
  local node started=()
  # The first broker alone, so that the others find it running and join it. Only what was not
  # running is started and awaited: the Erlang CLI takes seconds per call on a busy machine.
  if ! rmq_running "${BROKERS[0]}"; then rmq_start "${BROKERS[0]}"; started+=("${BROKERS[0]}"); fi
  etcd_start
  for node in "${DATABASES[@]}"; do patroni_start "$node"; done
  for node in "${RELAY_HOSTS[@]}"; do relay_start "$node"; done
  smtp_start
  for node in "${started[@]}"; do rmq_await "$node"; done
  for node in "${BROKERS[@]:1}"; do
    if ! rmq_running "$node"; then rmq_start "$node"; started+=("$node"); fi
  done
  for node in "${started[@]:1}"; do rmq_await "$node"; done
  if [[ ! -f $CL/broker.done ]]; then
    rmq_cluster
    rmq_setup
    touch "$CL/broker.done"
  fi
  await 180 "PostgreSQL primary: $(primary_host 2>/dev/null || true)" primary_host \
    || { tail -20 "$CL"/db*/patroni.log >&2; die "Patroni elected no primary"; }
  await 180 "synchronous standby streaming" sync_ready || { tail -20 "$CL"/db*/patroni.log >&2; die "no synchronous standby"; }
  if [[ ! -f $CL/database.done ]]; then
    db_setup
    touch "$CL/database.done"
  fi
  log "cluster is up: deploy/cluster.sh status | env"
}

down() {
  local host
  for host in "${HOSTS[@]}"; do stop_host "$host" & done
  wait
  net_down
  rm -rf --one-file-system "${CL:?}"/{mq*,db*,etcd,w*,n*,smtp,shop,erlang.cookie,*.done} 2>/dev/null || true
  log "cluster is down: no namespaces, processes or nftables rules left"
}

status() {
  ns_exists switch || { echo "down"; return 3; }
  local host pids faults delay
  for host in "${HOSTS[@]}"; do
    pids=$(host_pids "$host" | wc -l)
    faults=''
    in_ns "$host" nft list table inet orderflow_cut >/dev/null 2>&1 && faults+=' CUT'
    in_ns "$host" nft list table inet orderflow_loss >/dev/null 2>&1 && faults+=' loss'
    delay=$(cat "$CL/$host/delay_ms" 2>/dev/null || echo 0)
    ((delay > 0)) && faults+=" delay ${delay}ms"
    printf '%-5s %-10s %3s process(es)%s\n' "$host" "${ADDR[$host]}" "$pids" "$faults"
  done
  local node running=''
  for node in "${BROKERS[@]}"; do
    rmq_running "$node" || continue
    running=$(timeout 60 "$SELF" ctl "$node" -q eval 'rabbit_nodes:all_running().' 2>/dev/null | tr -d '\n ') && break
  done
  printf 'brokers running (as the cluster sees it): %s\n' "${running:-none answers}"
  printf 'orderflow.ingest leader: %s\n' "$(queue_leader orderflow.ingest 2>/dev/null || echo '?')"
  patroni_members | sed 's/^/database /' || echo "database: Patroni not answering"
}

print_env() {
  local amqp='' relayed='' i=1 node
  for node in "${BROKERS[@]}"; do
    amqp+="${amqp:+,}amqp://orderflow:$AMQP_PASSWORD@${ADDR[$node]}:5672/%2F?heartbeat=5"
    relayed+="${relayed:+,}amqp://orderflow:$AMQP_PASSWORD@127.0.0.1:$((5680 + i))/%2F?heartbeat=5"
    i=$((i + 1))
  done
  local hosts="${ADDR[db1]}:5432,${ADDR[db2]}:5432" attrs='?target_session_attrs=read-write'
  cat <<ENV
export ORDERFLOW_TEST_CLUSTER_SCRIPT=$ROOT/deploy/cluster.sh
export ORDERFLOW_TEST_CLUSTER_AMQP_URL=$amqp
export ORDERFLOW_TEST_CLUSTER_RELAYED_AMQP_URL=$relayed
export ORDERFLOW_TEST_CLUSTER_DATABASE_URL=postgresql://orderflow_owner:$DB_OWNER_PASSWORD@$hosts/orderflow$attrs
export ORDERFLOW_TEST_CLUSTER_APP_DATABASE_URL=postgresql://orderflow_app:$DB_APP_PASSWORD@$hosts/orderflow$attrs
export ORDERFLOW_TEST_CLUSTER_SMTP_URL=smtp://${ADDR[smtp]}:$SMTP_PORT
export ORDERFLOW_TEST_CLUSTER_MAILDIR=$CL/smtp/mail
ENV
}

# --- faults -------------------------------------------------------------------------------------

cut() {
  local host=$1; known_host "$host"
  in_ns "$host" nft -f - <<NFT
table inet orderflow_cut {
  chain input { type filter hook input priority -10; policy drop; iif "lo" accept; }
  chain output { type filter hook output priority -10; policy drop; oif "lo" accept; }
}
NFT
  log "$host is cut off"
}

restore() {
  local hosts=("$@") host
  ((${#hosts[@]})) || hosts=("${HOSTS[@]}")
  for host in "${hosts[@]}"; do
    known_host "$host"
    ns_exists "$host" || continue
    in_ns "$host" nft delete table inet orderflow_cut 2>/dev/null || true
    in_ns "$host" nft delete table inet orderflow_loss 2>/dev/null || true
    [[ -f $CL/$host/delay_ms ]] && echo 0 > "$CL/$host/delay_ms"
  done
  log "restored ${hosts[*]}"
}

delay() {
  local ms=${1:-} loss=0 hosts=() host
  [[ $ms =~ ^[0-9]+$ ]] || die "delay MS [--loss PCT] [HOST...]: MS is whole milliseconds"
  shift
  while (($#)); do
    case $1 in
      --loss) loss=${2:?}; [[ $loss =~ ^[0-9]+$ && $loss -le 100 ]] || die "--loss PCT: 0 to 100"; shift 2 ;;
      *) hosts+=("$1"); shift ;;
    esac
  done
  ((${#hosts[@]})) || hosts=(w1 w2)
  for host in "${hosts[@]}"; do
    [[ " ${RELAY_HOSTS[*]} " == *" $host "* ]] || die "$host has no relay (hosts with one: ${RELAY_HOSTS[*]})"
    echo "$ms" > "$CL/$host/delay_ms"
    in_ns "$host" nft delete table inet orderflow_loss 2>/dev/null || true
    if ((loss > 0)); then
      in_ns "$host" nft -f - <<NFT
table inet orderflow_loss {
  chain output { type filter hook output priority -5; oif "eth0" numgen random mod 100 < $loss drop; }
  chain input { type filter hook input priority -5; iif "eth0" numgen random mod 100 < $loss drop; }
}
NFT
    fi
  done
  log "one-way delay ${ms} ms through the broker relays of ${hosts[*]}, loss ${loss}%"
}

reset_data() {
  local node queue depth
  for node in "${BROKERS[@]}"; do rmq_running "$node" && break; done
  # Only the queues that hold something: each rabbitmqctl call starts an Erlang VM.
  while read -r queue depth; do
    if [[ $queue == orderflow.* && $depth != 0 ]]; then ctl "$node" -q purge_queue "$queue" >/dev/null; fi
  done < <(queue_field messages)
  local primary; primary=$(primary_host) || die "no primary"
  in_ns "$primary" runuser -u postgres -- psql -X -q -h "$CL/$primary/run" -v ON_ERROR_STOP=1 \
    -c 'DROP DATABASE IF EXISTS orderflow WITH (FORCE)' >/dev/null
  db_setup
}

sql() {
  local url="postgresql://orderflow_owner:$DB_OWNER_PASSWORD@${ADDR[db1]}:5432,${ADDR[db2]}:5432/orderflow"
  url+="?target_session_attrs=read-write&connect_timeout=3"
  in_ns shop psql -X -At -v ON_ERROR_STOP=1 "$url" -c "$1"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  env) print_env ;;
  kill) known_host "${2:-?}"; kill_host "$2" ;;
  start) known_host "${2:-?}"; start_host "$2" ;;
  cut) cut "${2:-?}" ;;
  restore) shift; restore "$@" ;;
  delay) shift; delay "$@" ;;
  leader) queue_leader "${2:?leader QUEUE}" ;;
  primary) primary_host ;;
  reset) reset_data ;;
  sql) sql "${2:?sql QUERY}" ;;
  exec) known_host "${2:-?}"; host=$2; shift 2; exec ip netns exec "$(ns "$host")" "$@" ;;
  ctl) shift; ctl "$@" ;;
  *) usage ;;
esac
