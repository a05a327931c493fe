#!/usr/bin/env bash
# The steps of an orderflow installation that the Debian package cannot take, because they need
# secrets or run on the broker and database hosts. Install the package first (deploy/package.sh
# builds it; apt-get install ./orderflow_VERSION_amd64.deb), then, as root:
#
#   deploy/install.sh database [--host H] [--port P] [--sql FILE]
#                              [--owner-password-file F] [--app-password-file F] [--read-password-file F]
#       on the database host: roles orderflow_owner, orderflow_app, orderflow_read and the database
#       orderflow (postgres-setup.sql run by psql as the postgres superuser; idempotent)
#   deploy/install.sh broker [--password-file F] [--user NAME] [--definitions FILE] [--rabbitmqctl CMD]
#       on a broker node: the user (created, or its password changed), its permissions on
#       ^orderflow\. names, and the exchanges, queues and policies (import_definitions)
#   deploy/install.sh credentials [--amqp-url-file F] [--database-url-owner-file F]
#                                 [--database-url-app-file F] [--database-url-read-file F]
#                                 [--smtp-url-file F] [--dir DIR]
#       on every orderflow host: the root-only credential files the units load (default dir
#       /etc/orderflow/credentials), each written whole or not at all
#
# Secrets never come from the command line (ps shows it to every user): F is a file holding the
# value on its first line, or - for a line of standard input (read in the order of the options;
# database and broker read every password not given as a file from stdin). --host is a host name
# or a socket folder; --rabbitmqctl a command to run instead of rabbitmqctl (e.g. "rabbitmqctl -n
# rabbit@mq1"). Nothing is enabled or started: README "Operations" has the order of the steps.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARE=/usr/share/orderflow

log() { printf '[install] %s\n' "$*" >&2; }
die() { printf '[install] error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# A file of the package, else the copy beside this script (a checkout without the package).
shared_file() {
  if [[ -r $SHARE/$1 ]]; then echo "$SHARE/$1"; else echo "$ROOT/deploy/$1"; fi
}

# Reads one secret into the variable named $1 from file $2 (- is a line of stdin). Refuses an
# empty value and one of several lines; never prints it.
read_secret() {
  local -n _into=$1
  local _source=$2 _what=$3 _value=''
  if [[ $_source == - ]]; then
    if [[ -t 0 ]]; then
      IFS= read -rs -p "$_what: " _value || true; echo >&2
    else
      IFS= read -r _value || [[ -n $_value ]] || die "$_what: standard input ended before it"
    fi
  else
    [[ -f $_source && -r $_source ]] || die "$_what: cannot read $_source"
    if [[ $(stat -c %a "$_source") =~ [1-7]$ ]]; then log "warning: $_source is readable by every user"; fi
    [[ -z $(tail -n +2 "$_source" | tr -d '[:space:]') ]] || die "$_what: $_source has more than one line"
    IFS= read -r _value < "$_source" || true
  fi
  _value=${_value%$'\r'}
  [[ -n $_value ]] || die "$_what is empty"
  _into=$_value
}

# Options that would put a secret on the command line get a pointed refusal, not the usage text.
refuse_secret_argument() {
  local option=${1%%=*}
  die "$option would show the secret in ps: give ${option%-file}-file FILE (or - for standard input) instead"
}

# --- database -----------------------------------------------------------------------------------

database() {
  local host='' port='' sql='' owner_file=- app_file=- read_file=-
  while (($#)); do
    case $1 in
      --host) host=${2:?}; shift 2 ;;
      --port) port=${2:?}; shift 2 ;;
      --sql) sql=${2:?}; shift 2 ;;
      --owner-password-file) owner_file=${2:?}; shift 2 ;;
      --app-password-file) app_file=${2:?}; shift 2 ;;
      --read-password-file) read_file=${2:?}; shift 2 ;;
      --*-password|--*-password=*|--password|--password=*) refuse_secret_argument "$1" ;;
      *) usage ;;
    esac
  done
  sql=${sql:-$(shared_file postgres-setup.sql)}
  [[ -r $sql ]] || die "no $sql: install the orderflow package or give --sql FILE"
  command -v psql >/dev/null || die "psql not found: apt-get install postgresql-client"
  id postgres >/dev/null 2>&1 || die "no postgres user: run this on the database host"

  local owner app read
  read_secret owner "$owner_file" "owner password"
  read_secret app "$app_file" "app password"
  read_secret read "$read_file" "read password"
  [[ $owner != "$app" && $owner != "$read" && $app != "$read" ]] || die "the three roles need three different passwords"

  local psql=(psql -X -q -v ON_ERROR_STOP=1)
  if [[ -n $host ]]; then psql+=(-h "$host"); fi
  if [[ -n $port ]]; then psql+=(-p "$port"); fi
  log "running $sql as postgres${host:+ on $host}${port:+:$port}"
  # The passwords go through the environment, which postgres-setup.sql reads with \getenv; the
  # script comes on stdin, so the postgres user needs no access to its folder.
  ORDERFLOW_OWNER_PASSWORD=$owner ORDERFLOW_APP_PASSWORD=$app ORDERFLOW_READ_PASSWORD=$read \
    runuser -u postgres -- "${psql[@]}" -f - < "$sql" >&2 || die "postgres-setup.sql failed"
  log "roles orderflow_owner, orderflow_app, orderflow_read and database orderflow are set up"
  local shown=DBHOST
  if [[ -n $host && $host != /* ]]; then shown=$host; fi
  log "next: the credentials on each orderflow host (database-url-owner, -app, -read):"
  log "  postgres://orderflow_app:PASSWORD@$shown:${port:-5432}/orderflow?sslmode=verify-full (passwords URL-encoded)"
}

# --- broker -------------------------------------------------------------------------------------

broker() {
  local password_file=- user=orderflow definitions='' ctl=rabbitmqctl
  while (($#)); do
    case $1 in
      --password-file) password_file=${2:?}; shift 2 ;;
      --user) user=${2:?}; shift 2 ;;
      --definitions) definitions=${2:?}; shift 2 ;;
      --rabbitmqctl) ctl=${2:?}; shift 2 ;;
      --password|--password=*) refuse_secret_argument "$1" ;;
      *) usage ;;
    esac
  done
  definitions=${definitions:-$(shared_file rabbitmq-definitions.json)}
  [[ -r $definitions ]] || die "no $definitions: install the orderflow package or give --definitions FILE"
  local rabbitmqctl
  read -ra rabbitmqctl <<<"$ctl"
  command -v "${rabbitmqctl[0]}" >/dev/null || die "${rabbitmqctl[0]} not found: run this on a broker node"

  local password
  read_secret password "$password_file" "broker password for $user"
  # rabbitmqctl trims what it reads from stdin: such a password would not be the one set.
  [[ $password == "${password#[[:space:]]}" && $password == "${password%[[:space:]]}" ]] \
    || die "the broker password starts or ends with white space, which rabbitmqctl would drop"

  # rabbitmqctl add_user and change_password read the password from stdin when it is not an
  # argument (RabbitMQ 3.10), so it never appears in a command line.
  local users
  users=$("${rabbitmqctl[@]}" -q list_users --formatter json) || die "rabbitmqctl cannot reach the node"
  if grep -qF "\"user\":\"$user\"" <<<"$users"; then
    log "changing the password of broker user $user"
    printf '%s\n' "$password" | "${rabbitmqctl[@]}" -q change_password "$user" >&2
  else
    log "adding broker user $user"
    printf '%s\n' "$password" | "${rabbitmqctl[@]}" -q add_user "$user" >&2
  fi
  log "permissions of $user on / : configure, write and read ^orderflow\\. names"
  "${rabbitmqctl[@]}" -q set_permissions -p / "$user" '^orderflow\..*' '^orderflow\..*' '^orderflow\..*' >&2

  # rabbitmqctl reads the file as the rabbitmq user: hand it a copy it can read.
  local copy
  copy=$(mktemp --suffix=.json)
  cp "$definitions" "$copy"; chmod 0644 "$copy"
  log "importing $definitions (exchanges, queues, bindings, policies)"
  "${rabbitmqctl[@]}" -q import_definitions "$copy" >&2 || { rm -f "$copy"; die "import_definitions failed"; }
  rm -f "$copy"
  log "next: the credential amqp-url on each orderflow host: amqp://$user:PASSWORD@BROKER:5672/%2F"
}

# --- credentials --------------------------------------------------------------------------------

readonly CREDENTIALS=(amqp-url database-url-owner database-url-app database-url-read smtp-url)

credentials() {
  local dir=/etc/orderflow/credentials names=() sources=()
  while (($#)); do
    case $1 in
      --dir) dir=${2:?}; shift 2 ;;
      --amqp-url-file|--database-url-owner-file|--database-url-app-file|--database-url-read-file|--smtp-url-file)
        local name=${1#--}; names+=("${name%-file}"); sources+=("${2:?}"); shift 2 ;;
      --amqp-url|--amqp-url=*|--database-url*|--smtp-url|--smtp-url=*) refuse_secret_argument "$1" ;;
      *) usage ;;
    esac
  done
  ((${#names[@]})) || usage

  # Read and check everything before writing anything.
  local values=() i value
  for i in "${!names[@]}"; do
    read_secret value "${sources[i]}" "${names[i]}"
    case ${names[i]} in
      amqp-url) [[ $value =~ ^amqps?:// ]] || die "amqp-url is not an amqp:// or amqps:// URL" ;;
      database-url-*) [[ $value =~ ^postgres(ql)?:// ]] || die "${names[i]} is not a postgres:// URL" ;;
      smtp-url) [[ $value =~ ^smtps?:// ]] || die "smtp-url is not an smtp:// or smtps:// URL" ;;
    esac
    [[ $value != *[[:space:]]* ]] || die "${names[i]} contains white space (URL-encode it)"
    values+=("$value")
  done

  install -d -m 0700 -o root -g root "$dir"
  for i in "${!names[@]}"; do
    # Written beside the target and renamed: a unit starting meanwhile reads the old or the new
    # value, never half of one; umask 077 keeps the file root-only from its first byte.
    local tmp
    tmp=$(umask 077; mktemp "$dir/.${names[i]}.XXXXXX")
    printf '%s\n' "${values[i]}" > "$tmp"
    chmod 0600 "$tmp"; chown root:root "$tmp"
    mv -f "$tmp" "$dir/${names[i]}"
    log "wrote $dir/${names[i]}"
  done
  local missing=()
  for name in "${CREDENTIALS[@]}"; do [[ -s $dir/$name ]] || missing+=("$name"); done
  if ((${#missing[@]})); then log "not yet written: ${missing[*]}"; fi
  log "units read credentials at start: restart them one at a time to pick up a change (README \"Operations\")"
}

[[ $(id -u) == 0 ]] || die "run as root"
command=${1:-}
(($#)) && shift
case $command in
  database) database "$@" ;;
  broker) broker "$@" ;;
  credentials) credentials "$@" ;;
  *) usage ;;
esac
