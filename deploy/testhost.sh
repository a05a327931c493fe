#!/usr/bin/env bash
# A Debian 12 test host with systemd as PID 1: a systemd-nspawn container that shares this machine's
# network (the local stack on 127.0.0.1 answers from inside), booted from a cached rootfs in
# .state/testhost/ of this checkout. Each boot starts from the clean image (volatile overlay).
#
#   deploy/testhost.sh image               build the cached rootfs (once; fast when cached)
#   deploy/testhost.sh up                  image, boot the container, wait until systemd is up (idempotent)
#   deploy/testhost.sh exec CMD [ARGS...]  run CMD inside as root with a clean environment; stdio and
#                                          the exit status pass through (125: the host is not up)
#   deploy/testhost.sh install FILE.deb... apt-get install the packages inside (via /srv/share)
#   deploy/testhost.sh copy-in SRC DEST [MODE]  copy a file of this machine into the container
#                                          (root-owned, SRC's mode unless MODE is given)
#   deploy/testhost.sh down                power the container off (succeeds when nothing runs)
#   deploy/testhost.sh status              "up (pid N)", exit 0; or "down", exit 3
#
# $STATE/testhost/share is /srv/share inside (read-only). The container's console output goes to
# $STATE/testhost/console.log. Its journal lives in the container: `exec journalctl ...`.
# Needs root; installs debootstrap and systemd-container if missing. The Debian mirrors are this
# machine's (its apt sources). ORDERFLOW_STATE_DIR moves .state/, ORDERFLOW_TESTHOST_BOOT_TIMEOUT
# (seconds, 60) bounds the boot. A new image: `down`, then remove .state/testhost/rootfs*.
set -euo pipefail
export LC_NUMERIC=C   # a "." in $EPOCHREALTIME and awk

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# Absolute and without symlinks: nspawn's --bind-ro wants the one, /proc/PID/mountinfo shows the other.
STATE=$(realpath -m -- "${ORDERFLOW_STATE_DIR:-$ROOT/.state}")
TH=$STATE/testhost
IMAGE=$TH/rootfs
IMAGE_DONE=$TH/rootfs.done          # written last: an image without it is incomplete
SHARE=$TH/share
PID_FILE=$TH/pid                    # the container's systemd (PID 1 inside), as seen here
NSPAWN_PID_FILE=$TH/nspawn.pid
CONSOLE_LOG=$TH/console.log
MACHINE=orderflow-testhost
SUITE=bookworm
BOOT_TIMEOUT=${ORDERFLOW_TESTHOST_BOOT_TIMEOUT:-60}
IMAGE_PACKAGES=(systemd systemd-sysv dbus libpq5 librabbitmq4 libcurl4 ca-certificates curl)
# Units that wait for a console or a network manager, or that would run apt or maintenance jobs
# in the middle of a test; the network is this machine's and nothing inside manages it.
MASKED_UNITS=(console-getty.service container-getty@.service getty@.service serial-getty@.service
              getty-static.service systemd-networkd.service systemd-networkd.socket
              systemd-networkd-wait-online.service systemd-resolved.service systemd-timesyncd.service
              apt-daily.timer apt-daily.service apt-daily-upgrade.timer apt-daily-upgrade.service
              dpkg-db-backup.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer
              systemd-journald-audit.socket)
# The security-patched librabbitmq the orderflow package depends on.
LIBRABBITMQ_MIN=0.11.0-1+deb12u3
# Bump when the recipe below changes: a cached image with another key is rebuilt.
IMAGE_KEY="1 $SUITE ${IMAGE_PACKAGES[*]} ${MASKED_UNITS[*]}"
NOT_UP=125
CLEAN_ENV=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root USER=root LOGNAME=root
           TERM=dumb SYSTEMD_PAGER= SYSTEMD_COLORS=0 SYSTEMD_URLIFY=0 DEBIAN_FRONTEND=noninteractive)

log() { printf '[testhost] %s\n' "$*" >&2; }
die() { printf '[testhost] error: %s\n' "$*" >&2; exit 1; }
# Seconds since START (an $EPOCHREALTIME), one decimal.
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

# The container outlives this script: it must not inherit its callers' pipes (a test runner waits
# for EOF on them), so every fd above 2 is closed; setsid keeps a caller's Ctrl-C or process-group
# kill from reaching it. Starts CMD in the background and sets DETACHED_PID to CMD's own pid: the
# subshell execs setsid, which (not a group leader) execs CMD without forking.
DETACHED_PID=
detached() {
  (
    for fd in "/proc/$BASHPID/fd/"*; do fd=${fd##*/}; ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null; done
    exec setsid "$@" </dev/null
  ) &
  DETACHED_PID=$!
}

# --- this machine ---------------------------------------------------------------------------------

install_tools() {
  local -A need=([debootstrap]=debootstrap [systemd-nspawn]=systemd-container [nsenter]=util-linux
                 [unshare]=util-linux [findmnt]=util-linux [flock]=util-linux [setsid]=util-linux)
  local missing=() cmd
  for cmd in "${!need[@]}"; do command -v "$cmd" >/dev/null || missing+=("${need[$cmd]}"); done
  [[ -f /usr/share/keyrings/debian-archive-keyring.gpg ]] || missing+=(debian-archive-keyring)
  ((${#missing[@]})) || return 0
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null || die "apt-get install failed"
}

# Every enabled "deb" source of this machine's apt, one "URI SUITE COMPONENTS..." line per suite:
# one-line sources.list files and deb822 .sources files (continuation lines, Enabled: no).
host_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 3 { $1 = ""; sub(/^ /, ""); print }'
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk '
      function flush(  n, m, i, j, u, s) {
        if ((" " types " ") ~ / deb / && enabled !~ /^(no|false|0)$/) {
          n = split(uris, u, " "); m = split(suites, s, " ")
          for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) print u[i], s[j], comps
        }
        types = uris = suites = comps = enabled = field = ""
      }
      function set(name, v) {
        if (name == "types") types = types " " v; else if (name == "uris") uris = uris " " v
        else if (name == "suites") suites = suites " " v; else if (name == "components") comps = comps " " v
        else if (name == "enabled") enabled = tolower(v)
      }
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { v = $0; sub(/^[ \t]+/, "", v); set(field, v); next }
      { field = tolower($0); sub(/:.*/, "", field); v = $0; sub(/^[^:]*:[ \t]*/, "", v); set(field, v) }
      END { flush() }
    ' "$f"
  done
}

# "URI COMPONENTS..." of this machine's first http(s) source for SUITE, or nothing.
host_source() {
  host_sources | awk -v suite="$1" '$2 == suite && $1 ~ /^https?:\/\// {
    uri = $1; sub(/\/+$/, "", uri); $1 = ""; $2 = ""; sub(/^ +/, ""); print uri, ($0 == "" ? "main" : $0); exit }'
}

# --- the image ------------------------------------------------------------------------------------

image_ok() {
  [[ -d $IMAGE && -f $IMAGE_DONE && $(cat "$IMAGE_DONE") == "$IMAGE_KEY" ]] || return 1
  local version
  version=$(dpkg-query --admindir="$IMAGE/var/lib/dpkg" -W -f='${Version}' librabbitmq4 2>/dev/null) || return 1
  dpkg --compare-versions "$version" ge "$LIBRABBITMQ_MIN"
}

# A build that was killed can leave debootstrap's mounts (proc, sys, dev/pts) inside its tree.
remove_tree() {
  local dir=$1 mnt
  [[ -e $dir ]] || return 0
  findmnt -rn -o TARGET | awk -v d="$dir/" 'index($0 "/", d) == 1' | sort -r | while read -r mnt; do
    umount -l "$mnt" || true
  done
  rm -rf --one-file-system "$dir"
}

# In the tree, with /proc and /dev in a mount namespace of its own: they go away with it.
in_tree() {
  # shellcheck disable=SC2016   # expanded by that sh
  unshare -m --propagation private sh -c '
    root=$1; shift
    mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" && exec chroot "$root" "$@"
  ' sh "$1" "${CLEAN_ENV[@]}" "${@:2}"
}

build_image() {
  if image_ok; then return 0; fi
  running && die "the cached image is outdated or incomplete but a container runs from it: deploy/testhost.sh down first"
  install_tools
  local main security updates
  main=$(host_source "$SUITE")
  security=$(host_source "$SUITE-security")
  updates=$(host_source "$SUITE-updates")
  [[ -n $main ]] || die "this machine's apt has no http(s) source for $SUITE (/etc/apt/sources.list, /etc/apt/sources.list.d/): nothing to bootstrap from"
  [[ -n $security ]] || die "this machine's apt has no source for $SUITE-security: the image needs librabbitmq4 >= $LIBRABBITMQ_MIN from it"
  # debootstrap fetches with wget, which does not read apt's proxy setting.
  local proxy=''
  eval "$(apt-config shell proxy Acquire::http::Proxy)"
  if [[ -n $proxy && -z ${http_proxy:-} ]]; then export http_proxy=$proxy; fi

  local new=$TH/rootfs.new started=$EPOCHREALTIME
  mkdir -p "$TH"; chmod 755 "$STATE" "$TH"
  rm -f "$IMAGE_DONE"
  remove_tree "$new"; remove_tree "$IMAGE"
  log "building the $SUITE image from ${main%% *} (debootstrap, about a minute; log: $TH/image.log)"
  : > "$TH/image.log"
  debootstrap --variant=minbase --include="$(IFS=,; echo "${IMAGE_PACKAGES[*]}")" --components=main \
    "$SUITE" "$new" "${main%% *}" </dev/null >>"$TH/image.log" 2>&1 \
    || { tail -15 "$TH/image.log" >&2; tail -5 "$new/debootstrap/debootstrap.log" >&2 2>/dev/null || true; die "debootstrap failed"; }

  # apt inside: this machine's sources for main, updates and security; no recommends, no translations.
  rm -f "$new/etc/apt/sources.list"
  {
    local suite entry
    for suite in "$SUITE" "$SUITE-updates" "$SUITE-security"; do
      case $suite in *-updates) entry=$updates ;; *-security) entry=$security ;; *) entry=$main ;; esac
      [[ -n $entry ]] || continue
      printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: %s\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n' \
        "${entry%% *}" "$suite" "${entry#* }"
    done
  } > "$new/etc/apt/sources.list.d/debian.sources"
  printf 'APT::Install-Recommends "false";\nAcquire::Languages "none";\n' > "$new/etc/apt/apt.conf.d/90testhost"
  if [[ -n $proxy ]]; then printf 'Acquire::http::Proxy "%s";\n' "$proxy" > "$new/etc/apt/apt.conf.d/91proxy"; fi
  cp /etc/resolv.conf "$new/etc/resolv.conf" 2>/dev/null || true
  # Nothing may start during the upgrade: there is no init in the tree yet.
  printf '#!/bin/sh\nexit 101\n' > "$new/usr/sbin/policy-rc.d"; chmod 755 "$new/usr/sbin/policy-rc.d"
  log "upgrading the image from $SUITE-updates and $SUITE-security"
  { in_tree "$new" apt-get update -q \
      && in_tree "$new" apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold full-upgrade \
      && in_tree "$new" apt-get clean; } </dev/null >>"$TH/image.log" 2>&1 \
    || { tail -30 "$TH/image.log" >&2; die "apt-get update/upgrade in the image failed"; }
  rm -f "$new/usr/sbin/policy-rc.d"

  # The host's identity: a hostname; an empty machine-id gives each boot a fresh one without the
  # first-boot logic (presets) that "uninitialized" or a missing file would trigger.
  echo "$MACHINE" > "$new/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' "$MACHINE" > "$new/etc/hosts"
  : > "$new/etc/machine-id"
  ln -sfn /etc/machine-id "$new/var/lib/dbus/machine-id"
  local unit
  for unit in "${MASKED_UNITS[@]}"; do ln -sfn /dev/null "$new/etc/systemd/system/$unit"; done
  mkdir -p "$new/srv/share"

  local version
  version=$(dpkg-query --admindir="$new/var/lib/dpkg" -W -f='${Version}' librabbitmq4) || die "librabbitmq4 is missing in the image"
  dpkg --compare-versions "$version" ge "$LIBRABBITMQ_MIN" || die "librabbitmq4 in the image is $version, older than $LIBRABBITMQ_MIN: is $SUITE-security reachable?"
  local p
  for p in "${IMAGE_PACKAGES[@]}"; do
    dpkg-query --admindir="$new/var/lib/dpkg" -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || die "$p is missing in the image"
  done
  mv "$new" "$IMAGE"
  sync -f "$IMAGE" 2>/dev/null || true
  echo "$IMAGE_KEY" > "$IMAGE_DONE"
  log "image ready in $(since "$started") s: $(du -sh "$IMAGE" | cut -f1), librabbitmq4 $version"
}

# --- the container --------------------------------------------------------------------------------

# A process is gone when /proc has no entry for it or only a zombie: PID 1 of this machine may
# reap its adopted orphans late.
alive() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [[ -n $st && ${st%% *} != Z ]]; }
start_time() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $20 }'; }

# FILE holds a pid, FILE.start its start time: together they name one process, never a reused pid.
record() { echo "$2" > "$1"; start_time "$2" > "$1.start"; }
recorded() {
  local pid
  pid=$(cat "$1" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] || return 1
  alive "$pid" && [[ $(start_time "$pid") == "$(cat "$1.start" 2>/dev/null)" ]] && echo "$pid"
}
forget() { rm -f "$PID_FILE" "$PID_FILE.start" "$NSPAWN_PID_FILE" "$NSPAWN_PID_FILE.start"; }

# Up means the container's systemd runs, with or without its nspawn (a killed nspawn leaves it).
running() { recorded "$PID_FILE" >/dev/null; }

# The child of nspawn that is PID 1 in its own PID namespace (from /proc: procps may be missing,
# and /proc/PID/task/*/children needs a kernel option). Processes come and go while grep reads
# (its status 2), and awk reads to the end (no SIGPIPE): only awk's verdict counts.
find_init() {
  { grep -H -E '^(PPid|NSpid):' /proc/[0-9]*/status 2>/dev/null || true; } | awk -v parent="$1" '
    { split($1, p, "/"); pid = p[3] }
    $1 ~ /:PPid:$/ { ppid[pid] = $2 }
    $1 ~ /:NSpid:$/ && ppid[pid] == parent && $NF == 1 && found == "" { found = pid }
    END { if (found == "") exit 1; print found }'
}

# nsenter -a: every namespace of the container, its root and working directory. Processes started
# so stay in this machine's cgroup, but systemctl and journalctl talk to the container's systemd.
enter() { nsenter -t "$(cat "$PID_FILE")" -a "${CLEAN_ENV[@]}" "$@"; }

up() {
  if running; then log "already up (pid $(cat "$PID_FILE"))"; return 0; fi
  build_image
  install_tools   # a restored cache on a fresh machine: the image is there, the tools are not
  down_quietly
  mkdir -p "$SHARE"; chmod 755 "$SHARE"
  rm -rf "$SHARE/debs"
  local started=$EPOCHREALTIME
  log "booting $MACHINE (systemd-nspawn, network shared, volatile overlay)"
  # No system bus or scope here (PID 1 is not systemd): --register=no and --keep-unit keep nspawn
  # from asking for them. --volatile=overlay: writes land in a tmpfs, the image stays clean.
  # --private-users=no: the full uid range (DynamicUser's 61184-65519) is the real one.
  # --console=read-only: the boot messages go to console.log; nothing reads input.
  # Where PID 1 is systemd, --keep-unit wants a delegated unit of the container's own: a scope
  # (systemd-run execs nspawn in place, so the pid stays nspawn's).
  local launcher=()
  if [[ -d /run/systemd/system ]] && command -v systemd-run >/dev/null; then
    launcher=(systemd-run --scope --quiet --collect --property=Delegate=yes --description="orderflow test host" --)
  fi
  detached "${launcher[@]}" systemd-nspawn -q -D "$IMAGE" -b -M "$MACHINE" --register=no --keep-unit \
    --private-users=no --volatile=overlay --link-journal=no --console=read-only \
    --bind-ro="$SHARE:/srv/share" >"$CONSOLE_LOG" 2>&1
  local nspawn=$DETACHED_PID pid='' state=''
  record "$NSPAWN_PID_FILE" "$nspawn"
  local deadline=$((SECONDS + BOOT_TIMEOUT))
  while ((SECONDS < deadline)); do
    alive "$nspawn" || { cat "$CONSOLE_LOG" >&2; down_quietly; die "systemd-nspawn exited during the boot (output above, $CONSOLE_LOG)"; }
    if [[ -z $pid ]] && pid=$(find_init "$nspawn"); then record "$PID_FILE" "$pid"; fi
    if [[ -n $pid ]]; then
      state=$(enter systemctl is-system-running 2>/dev/null) || true
      case $state in running|degraded) break ;; esac
    fi
    sleep 0.2
  done
  if [[ $state != running && $state != degraded ]]; then
    tail -40 "$CONSOLE_LOG" >&2
    if [[ -n $pid ]]; then enter systemctl --no-pager list-jobs >&2 2>/dev/null || true; fi
    down_quietly
    die "the container did not finish booting within ${BOOT_TIMEOUT}s (state: ${state:-unknown}; console above, $CONSOLE_LOG)"
  fi
  if [[ $state == degraded ]]; then
    log "booted degraded; failed units: $(enter systemctl --failed --no-legend --plain 2>/dev/null | awk '{ print $1 }' | tr '\n' ' ')"
  fi
  log "up in $(since "$started") s (pid $pid, system $state)"
}

# Waits up to SECONDS until none of PIDS is alive.
wait_gone() {
  local seconds=$1 pid i any; shift
  for ((i = 0; i < seconds * 5; i++)); do
    any=false
    for pid in "$@"; do if alive "$pid"; then any=true; fi; done
    $any || return 0
    sleep 0.2
  done
  return 1
}

# Every container of this image: PID 1 of a PID namespace whose root is an overlay over $IMAGE.
# Finds the recorded one and any whose record was lost (an nspawn killed before the boot finished
# leaves its container behind, adopted by this machine's PID 1).
container_inits() {
  local pid
  for pid in $({ grep -H '^NSpid:' /proc/[0-9]*/status 2>/dev/null || true; } | awk 'NF > 2 && $NF == 1 { split($1, p, "/"); print p[3] }'); do
    if grep -qF "lowerdir=$IMAGE," "/proc/$pid/mountinfo" 2>/dev/null && alive "$pid"; then echo "$pid"; fi
  done
}

# systemctl poweroff inside (or its signal, SIGRTMIN+4, if systemctl cannot connect yet); then
# SIGTERM to nspawn (it turns that into the container's halt signal); then SIGKILL, which ends a
# container's whole PID namespace.
down() {
  local nspawn inits=() pid started=$EPOCHREALTIME
  nspawn=$(recorded "$NSPAWN_PID_FILE") || nspawn=''
  mapfile -t inits < <(container_inits)
  if [[ -z $nspawn && ${#inits[@]} == 0 ]]; then forget; log "not running"; return 0; fi
  local pids=("${inits[@]}")
  if [[ -n $nspawn ]]; then pids+=("$nspawn"); fi
  if ((${#inits[@]})); then
    log "powering off $MACHINE (pid ${inits[*]})"
    for pid in "${inits[@]}"; do
      # The connection may drop before systemctl hears back: then its status says nothing.
      nsenter -t "$pid" -a "${CLEAN_ENV[@]}" systemctl --no-block poweroff >/dev/null 2>&1 || kill -s RTMIN+4 "$pid" 2>/dev/null || true
    done
    wait_gone 30 "${pids[@]}" || log "no poweroff within 30 s; signalling systemd-nspawn"
  fi
  if [[ -n $nspawn ]] && alive "$nspawn"; then
    kill -TERM "$nspawn" 2>/dev/null || true
    wait_gone 20 "${pids[@]}" || log "still running; killing it"
  fi
  for pid in "${pids[@]}"; do if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi; done
  wait_gone 10 "${pids[@]}" || die "the container (pids ${pids[*]}) does not exit"
  forget
  log "down in $(since "$started") s"
}

# Before a boot, after a failed one: whatever is left of an earlier container goes.
down_quietly() { down >/dev/null 2>&1 || true; }

require_up() {
  running || { printf '[testhost] error: the test host is not up (deploy/testhost.sh up)\n' >&2; exit $NOT_UP; }
}

install_debs() {
  (($#)) || die "install what? FILE.deb..."
  require_up
  local f name paths=()
  mkdir -p "$SHARE/debs"
  for f in "$@"; do
    [[ -f $f ]] || die "no such package: $f"
    name=$(basename "$f")
    install -m 0644 "$f" "$SHARE/debs/$name"
    paths+=("/srv/share/debs/$name")
  done
  # --reinstall: a package rebuilt with the same version (a rerun on a host that stayed up) is
  # installed anew; confold keeps the operator's edited configuration files on an upgrade.
  enter apt-get install -y -q --reinstall --no-install-recommends -o Dpkg::Use-Pty=0 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${paths[@]}"
}

copy_in() {
  local src=${1:-} dest=${2:-} mode=${3:-}
  [[ -n $src && -n $dest ]] || die "copy-in SRC DEST [MODE]"
  [[ -f $src ]] || die "no such file: $src"
  [[ $dest == /* ]] || die "DEST must be an absolute path inside the container: $dest"
  [[ -n $mode ]] || mode=$(stat -c %a "$src")
  require_up
  # A temporary name beside DEST, then rename: a reader inside never sees half a file.
  # shellcheck disable=SC2016   # expanded by the sh inside
  enter sh -c '[ ! -d "$1" ] || { echo "$1 is a directory" >&2; exit 1; }
    umask 077; tmp="$1.copy-in.$$"; cat > "$tmp" && chmod "$2" "$tmp" && mv -f "$tmp" "$1" || { rm -f "$tmp"; exit 1; }' \
    sh "$dest" "$mode" < "$src"
}

status() {
  if running; then echo "up (pid $(cat "$PID_FILE"))"; else echo "down"; exit 3; fi
}

# Only up, down and image change state; they run one at a time (the lock's fd is closed for nspawn).
locked() {
  mkdir -p "$TH"
  exec 9>"$TH/lock"
  flock -w 900 9 || die "another deploy/testhost.sh holds $TH/lock"
  "$@"
}

case ${1:-} in
  image|up|down|status|exec|install|copy-in) [[ $(id -u) == 0 ]] || die "run as root (debootstrap, systemd-nspawn, nsenter)" ;;
  *) usage ;;
esac
# debootstrap fails on a target with blanks; nspawn's --bind-ro splits at ':'.
[[ $TH != *[[:space:]:]* ]] || die "the state folder must not contain blanks or ':': $TH (set ORDERFLOW_STATE_DIR)"
case $1 in
  image) locked build_image ;;
  up) locked up ;;
  down) locked down ;;
  status) status ;;
  exec) shift; (($#)) || die "exec what? CMD [ARGS...]"; require_up
        exec nsenter -t "$(cat "$PID_FILE")" -a "${CLEAN_ENV[@]}" "$@" ;;
  install) shift; install_debs "$@" ;;
  copy-in) shift; copy_in "$@" ;;
  *) usage ;;
esac
