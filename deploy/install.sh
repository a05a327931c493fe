#!/usr/bin/env bash
# Installs orderflow on a Debian 12 host: the binary, the systemd units, /etc/orderflow with the
# settings template and credential files, the RabbitMQ definitions and the PostgreSQL setup script.
# It never overwrites settings or credentials that exist, and it enables nothing by itself: the
# closing lines say what to do next (README "Operations").
#
#   deploy/install.sh [--binary PATH] [--root DIR] [--no-packages]
#
#   --binary PATH   the orderflow binary to install (default: a release build made here with
#                   `swift build -c release --static-swift-stdlib`, which needs Swift in /opt/swift)
#   --root DIR      install below DIR instead of / (packaging, tests); implies --no-packages
#   --no-packages   do not apt-get the runtime libraries
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST=
BINARY=
PACKAGES=1
while (($#)); do
  case $1 in
    --binary) BINARY=$2; shift 2 ;;
    --root) DEST=${2%/}; PACKAGES=0; shift 2 ;;
    --no-packages) PACKAGES=0; shift ;;
    *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

log() { printf '[install] %s\n' "$*" >&2; }
die() { printf '[install] error: %s\n' "$*" >&2; exit 1; }

[[ -n $DEST || $(id -u) == 0 ]] || die "run as root (or give --root DIR)"

if ((PACKAGES)); then
  log "installing runtime libraries (librabbitmq4 from the security suite, libpq5, libcurl4)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends librabbitmq4 libpq5 libcurl4 ca-certificates >/dev/null
  # The frame-handling CVE fixes are in 0.11.0-1+deb12u3 and later.
  dpkg --compare-versions "$(dpkg-query -W -f='${Version}' librabbitmq4)" ge 0.11.0-1+deb12u3 \
    || die "librabbitmq4 is older than 0.11.0-1+deb12u3: enable bookworm-security and run again"
fi

BACKTRACER=/opt/swift/usr/libexec/swift/linux/swift-backtrace-static
if [[ -z $BINARY ]]; then
  [[ -x /opt/swift/usr/bin/swift ]] || die "no --binary given and no Swift in /opt/swift to build one"
  log "building a release binary (static Swift runtime)"
  (cd "$ROOT" && /opt/swift/usr/bin/swift build -c release --static-swift-stdlib --product orderflow >&2)
  BINARY=$(cd "$ROOT" && /opt/swift/usr/bin/swift build -c release --show-bin-path)/orderflow
fi
[[ -x $BINARY ]] || die "$BINARY is not an executable"

log "installing into ${DEST:-/}"
install -d -m 0755 "$DEST/usr/local/bin" "$DEST/usr/local/libexec/orderflow" "$DEST/etc/systemd/system" \
  "$DEST/usr/local/share/orderflow" "$DEST/usr/local/share/doc/orderflow"
install -m 0755 "$BINARY" "$DEST/usr/local/bin/orderflow"
# The out-of-process crash backtracer the units name in SWIFT_BACKTRACE.
if [[ -x $BACKTRACER ]]; then
  install -m 0755 "$BACKTRACER" "$DEST/usr/local/libexec/orderflow/swift-backtrace-static"
else
  log "warning: $BACKTRACER not found: crashes will not print backtraces"
fi
install -m 0644 "$ROOT"/systemd/orderflow* "$DEST/etc/systemd/system/"
install -m 0644 "$ROOT/deploy/rabbitmq-definitions.json" "$ROOT/deploy/postgres-setup.sql" "$DEST/usr/local/share/orderflow/"
install -m 0644 "$ROOT/README.md" "$DEST/usr/local/share/doc/orderflow/README.md"

# Settings: the template, unless the operator has a file already (then beside it, as .new).
install -d -m 0755 "$DEST/etc/orderflow"
if [[ -e $DEST/etc/orderflow/orderflow.env ]]; then
  install -m 0644 "$ROOT/deploy/orderflow.env" "$DEST/etc/orderflow/orderflow.env.new"
  log "kept /etc/orderflow/orderflow.env; the current template is orderflow.env.new"
else
  install -m 0644 "$ROOT/deploy/orderflow.env" "$DEST/etc/orderflow/orderflow.env"
fi
# Credentials: root-only files that systemd hands to the services (LoadCredential=). Empty ones
# are created so the units start; an empty credential falls back to the env file or the default.
install -d -m 0700 "$DEST/etc/orderflow/credentials"
for name in amqp-url database-url smtp-url; do
  [[ -e $DEST/etc/orderflow/credentials/$name ]] || install -m 0600 /dev/null "$DEST/etc/orderflow/credentials/$name"
done

if [[ -z $DEST ]] && [[ -d /run/systemd/system ]]; then systemctl daemon-reload; fi

cat >&2 <<NEXT
[install] done. Next:
  1. Secrets, one URL per file (root-only):
       /etc/orderflow/credentials/amqp-url      amqp://orderflow:PASSWORD@broker:5672/%2F
       /etc/orderflow/credentials/database-url  postgres://orderflow:PASSWORD@db:5432/orderflow
       /etc/orderflow/credentials/smtp-url      smtp://user:PASSWORD@relay:587?starttls=required
     and the other settings in /etc/orderflow/orderflow.env (every one is described there).
  2. Broker (once per cluster):
       rabbitmqctl add_user orderflow PASSWORD && rabbitmqctl set_permissions -p / orderflow '^orderflow\\..*' '^orderflow\\..*' '^orderflow\\..*'
       rabbitmqctl import_definitions /usr/local/share/orderflow/rabbitmq-definitions.json
  3. Database (once):
       sudo -u postgres psql -v password=PASSWORD -f /usr/local/share/orderflow/postgres-setup.sql
  4. Start, with as many workers as the host has cores:
       systemctl enable --now orderflow.target orderflow-notifier.service orderflow-worker@{1..4}.service
       orderflow status
NEXT
