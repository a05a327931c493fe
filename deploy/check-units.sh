#!/usr/bin/env bash
# Checks the systemd units in systemd/: `systemd-analyze verify` must be silent (it exits 0 on
# warnings such as an unknown key, so any output counts as a failure) and
# `systemd-analyze security --offline=true` must rate every service 2.0 or lower.
#
#   deploy/check-units.sh [ORDERFLOW_BINARY]
#
# verify checks that ExecStart= is executable, so the units are checked in a scratch folder with
# /usr/bin/orderflow replaced by ORDERFLOW_BINARY (default: the debug build). The man pages of
# Documentation= come with the package, so verify does not look them up here (--man=no). Run by
# the test suite (DeploymentTests); needs the `systemd` package (deploy/local.sh up installs it).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BINARY=${1:-$ROOT/.build/debug/orderflow}
MAX_EXPOSURE=2.0

command -v systemd-analyze >/dev/null || { echo "systemd-analyze not found: apt-get install systemd" >&2; exit 1; }
[[ -x $BINARY ]] || { echo "no orderflow binary at $BINARY: build first" >&2; exit 1; }
BINARY=$(realpath "$BINARY")   # ExecStart= takes absolute paths only

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for unit in "$ROOT"/systemd/*; do
  sed "s#/usr/bin/orderflow#$BINARY#g" "$unit" > "$scratch/$(basename "$unit")"
done
# A template is verified through an instance of it.
for template in "$scratch"/*@.service; do
  [[ -e $template ]] && ln -s "$(basename "$template")" "${template%@.service}@1.service"
done

failed=0
units=()
for unit in "$scratch"/*; do [[ $unit == *@.service ]] || units+=("$unit"); done
output=$(SYSTEMD_UNIT_PATH="$scratch:" systemd-analyze verify --man=no "${units[@]}" 2>&1) || failed=1
if [[ -n $output || $failed == 1 ]]; then
  echo "systemd-analyze verify:"; echo "$output"; failed=1
else
  echo "verify: ${#units[@]} units clean"
fi

for unit in "$scratch"/*.service; do
  [[ $unit == *@1.service ]] && continue
  report=$(systemd-analyze security --offline=true "$unit" 2>&1) || true
  exposure=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$report")
  if [[ -z $exposure ]] || ! awk -v e="$exposure" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(e <= m) }'; then
    echo "security: $(basename "$unit") exposure ${exposure:-unknown} (limit $MAX_EXPOSURE)"
    grep '✗' <<<"$report" || echo "$report"
    failed=1
  else
    echo "security: $(basename "$unit") exposure $exposure"
  fi
done
exit $failed
