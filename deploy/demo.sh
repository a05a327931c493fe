#!/usr/bin/env bash
# The demo behind `deploy/local.sh demo`, which runs it after `orderflow migrate` and
# `orderflow topology` with the ORDERFLOW_* settings of the local stack in the environment.
#
#   deploy/demo.sh path/to/orderflow
#
# ORDERFLOW_DEMO_SAMPLES sets the orders per channel (default 20). The last step starts the web console
# on a free port (ORDERFLOW_DEMO_CONSOLE_ADDR: another address) with a token made for the run, prints
# its address and asks each page; in a terminal it waits for Enter before stopping it.
set -euo pipefail

BIN=${1:?usage: deploy/demo.sh path/to/orderflow}
SAMPLES=${ORDERFLOW_DEMO_SAMPLES:-20}
CHANNELS=(shopify woocommerce amazon ebay shopware pos canonical)
# One seed for the whole run, so that the shipment notices below ship the orders published before
# them; a new seed per run, so that each run adds new orders.
SEED=$(( (RANDOM << 15 | RANDOM) % 1000000000 ))
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n== %s\n\n' "$*"; }

# The first N lines of FILE without its info log lines, and how many more there are. It reads the
# whole file: a reader that stops early (head) kills the writer with SIGPIPE, which pipefail turns
# into the end of the demo.
first_lines() {
  local n=$1 file=$2
  awk -v n="$n" '!/ info / { if (++shown <= n) print } END { if (shown > n) printf "... and %d more\n", shown - n }' "$file"
}

step "1. A generated order of every channel, in the channel's own format, through its adapter"
for channel in "${CHANNELS[@]}"; do
  "$BIN" publish "$channel" --sample 1 --seed "$SEED" --print 2>/dev/null > "$WORK/$channel.json"
  "$BIN" normalize "$channel" "$WORK/$channel.json" > "$WORK/$channel.canonical.json"
  python3 - "$channel" "$WORK/$channel.json" "$WORK/$channel.canonical.json" <<'PY'
import json, os, sys
channel, native, canonical = sys.argv[1], sys.argv[2], sys.argv[3]
order = json.load(open(canonical))
t = order["totals"]
who = order["customer"]["name"] or "(counter sale)"
print(f"{channel:12} {os.path.getsize(native):6} bytes -> {order['externalId']:32} {order['status']:17} "
      f"{t['grand']:>8} {order['currency']}  {len(order['lines'])} line(s)  {who}")
PY
done
echo
echo "The canonical order of the Shopify sample (orderflow normalize shopify FILE):"
cat "$WORK/shopify.canonical.json"

step "2. Publish $SAMPLES sample orders of every channel to orderflow.inbound (publisher confirms)"
for channel in "${CHANNELS[@]}"; do
  "$BIN" publish "$channel" --sample "$SAMPLES" --seed "$SEED" 2>/dev/null
done

step "3. Shipment notices from the warehouse for the Shopify orders just published"
"$BIN" publish canonical --shipment --sample "$SAMPLES" --orders shopify --seed "$SEED" 2>/dev/null

step "4. The ingest worker stores them: batched transactions, acks after each commit"
EXPECTED=$(( SAMPLES * ${#CHANNELS[@]} ))
BEFORE=$(psql "$ORDERFLOW_DATABASE_URL" -qAtX -c "SELECT count(*) FROM orders")
LOG=$(dirname "$0")/../.state/demo-worker.log
"$BIN" worker > "$LOG" 2>&1 &
WORKER=$!
for _ in $(seq 1 600); do
  NOW=$(psql "$ORDERFLOW_DATABASE_URL" -qAtX -c "SELECT count(*) FROM orders")
  (( NOW - BEFORE >= EXPECTED )) && break
  sleep 0.1
done
sleep 1  # let the shipment notices behind the orders land too
kill -TERM "$WORKER"; wait "$WORKER" && echo "worker drained and stopped (exit 0); its log: $LOG"

psql "$ORDERFLOW_DATABASE_URL" -qX <<'SQL'
\echo 'Orders per channel and status:'
SELECT channel, status, count(*) AS orders, currency, round(sum(grand_total_minor) / 100.0, 2) AS grand_total
FROM orders GROUP BY channel, status, currency ORDER BY channel, status;
\echo 'Latest shipments:'
SELECT o.channel, o.external_id, s.carrier, s.tracking_number, o.status
FROM shipments s JOIN orders o ON o.id = s.order_id ORDER BY s.id DESC LIMIT 5;
\echo 'Rejected messages:'
SELECT count(*) AS rejects FROM rejects;
SQL

step "5. An incident: checkout was broken for the last hour; every customer of it gets an apology voucher"
FROM=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
TO=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# Into a file, then shown: the campaign runs to its end however many orders the hour had.
"$BIN" vouchers incident --from "$FROM" --to "$TO" --reason "demo: checkout broken" --amount 5 --min-order 15 \
  > "$WORK/incident.out" 2>&1 || { cat "$WORK/incident.out" >&2; exit 1; }
first_lines 12 "$WORK/incident.out"
echo
echo "The worker's outbox relay publishes their voucher.issued events (and the shipment events) to orderflow.events:"
"$BIN" worker --no-sweeper >> "$LOG" 2>&1 &
WORKER=$!
for _ in $(seq 1 100); do
  [[ $(psql "$ORDERFLOW_DATABASE_URL" -qAtX -c "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0 ]] && break
  sleep 0.1
done
kill -TERM "$WORKER"; wait "$WORKER" || true
psql "$ORDERFLOW_DATABASE_URL" -qX <<'SQL'
SELECT type, count(*) AS events, count(published_at) AS published FROM outbox GROUP BY type ORDER BY type;
SQL

step "6. Customer emails: orderflow notifier for a few seconds, then the mails it produced"
# Company details are required in every business email (SPEC 3.7); the demo's merchant is made up.
export ORDERFLOW_MAIL_FROM=${ORDERFLOW_MAIL_FROM:-"Teehaus Vogel <service@teehaus-vogel.example>"}
export ORDERFLOW_MERCHANT_NAME=${ORDERFLOW_MERCHANT_NAME:-"Teehaus Vogel"}
export ORDERFLOW_MERCHANT_LEGAL_NAME=${ORDERFLOW_MERCHANT_LEGAL_NAME:-"Teehaus Vogel GmbH"}
export ORDERFLOW_MERCHANT_ADDRESS=${ORDERFLOW_MERCHANT_ADDRESS:-"Hauptstraße 1, 80331 München, Deutschland"}
export ORDERFLOW_MERCHANT_REGISTER=${ORDERFLOW_MERCHANT_REGISTER:-"Amtsgericht München, HRB 123456"}
export ORDERFLOW_MERCHANT_DIRECTORS=${ORDERFLOW_MERCHANT_DIRECTORS:-"Lena Vogel, Jonas Vogel"}
export ORDERFLOW_MERCHANT_SHOP_URL=${ORDERFLOW_MERCHANT_SHOP_URL:-"https://teehaus-vogel.example"}
# With an SMTP URL the mails land in the local sink's folder; without one, in ORDERFLOW_MAIL_DIR.
if [[ -n ${ORDERFLOW_SMTP_URL:-} ]]; then MAILBOX=${ORDERFLOW_TEST_SMTP_MAILDIR:?}; else MAILBOX=${ORDERFLOW_MAIL_DIR:?}; fi
NOTIFIER_LOG=$(dirname "$0")/../.state/demo-notifier.log
touch "$WORK/notifier-start"
"$BIN" notifier > "$NOTIFIER_LOG" 2>&1 &
NOTIFIER=$!
sleep "${ORDERFLOW_DEMO_NOTIFIER_SECONDS:-5}"
kill -TERM "$NOTIFIER"; wait "$NOTIFIER" && echo "notifier stopped (exit 0); its log: $NOTIFIER_LOG"
python3 - "$MAILBOX" "$WORK/notifier-start" <<'PY'
import email, email.header, email.policy, os, sys
folder, mark = sys.argv[1], os.path.getmtime(sys.argv[2])
mails = sorted(f for f in os.listdir(folder) if f.endswith(".eml") and os.path.getmtime(os.path.join(folder, f)) >= mark)
for name in mails:
    with open(os.path.join(folder, name), "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    print(f"{str(message['To']):45.45} {message['Subject']}")
print(f"\n{len(mails)} mail(s) produced in this run, in {folder}")
if not mails:
    print("(events reach orderflow.notifier once the outbox relay publishes them; preview one with: orderflow render EVENT.json)")
PY

step "7. The operator's side: orderflow status (queues, consumers, outbox, rejects, emails, alerts)"
"$BIN" status

# The newest order with a parcel: it has the longest trail (shipment, event, email).
IFS=$'\t' read -r CHANNEL EXTERNAL_ID < <(psql "$ORDERFLOW_DATABASE_URL" -qAtX -F $'\t' -c \
  "SELECT o.channel, o.external_id FROM orders o WHERE EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id)
   ORDER BY o.id DESC LIMIT 1") || true
if [[ -n ${EXTERNAL_ID:-} ]]; then
  step "8. One order's whole trail: orderflow orders show $CHANNEL $EXTERNAL_ID"
  "$BIN" orders show "$CHANNEL" "$EXTERNAL_ID"
fi

step "9. The web console: the worker once more, with a metrics address and a console token"
# A token made for this run (ORDERFLOW_CONSOLE_TOKEN); port 0 takes a free port, read from the log.
CONSOLE_TOKEN=$(openssl rand -hex 16)
CONSOLE_LOG=$(dirname "$0")/../.state/demo-console.log
ORDERFLOW_CONSOLE_TOKEN=$CONSOLE_TOKEN ORDERFLOW_METRICS_ADDR=${ORDERFLOW_DEMO_CONSOLE_ADDR:-127.0.0.1:0} \
  "$BIN" worker --no-sweeper > "$CONSOLE_LOG" 2>&1 &
CONSOLE=$!
CONSOLE_ADDR=
for _ in $(seq 1 100); do
  CONSOLE_ADDR=$(sed -n 's/.*console listening.*http\.address=\([^ ]*\).*/\1/p' "$CONSOLE_LOG" | tail -n 1)
  [[ -n $CONSOLE_ADDR ]] && break
  sleep 0.1
done
[[ -n $CONSOLE_ADDR ]] || { cat "$CONSOLE_LOG" >&2; echo "the console did not start" >&2; exit 1; }
URL="http://$CONSOLE_ADDR/console"
echo "Console: $URL"
echo "Token:   $CONSOLE_TOKEN   (sign in with it, or send it as 'Authorization: Bearer TOKEN')"
python3 - "$URL" "$CONSOLE_TOKEN" <<'PY'
import re, sys, urllib.error, urllib.request
url, token = sys.argv[1], sys.argv[2]
def fetch(path, token=None):
    request = urllib.request.Request(url + path, headers={"Authorization": "Bearer " + token} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response: return response.status, response.read().decode()
    except urllib.error.HTTPError as error: return error.code, error.read().decode()
status, _ = fetch("")
print(f"GET /console without the token: {status}")
for path in ("", "/overdue", "/rejects", "/emails"):
    status, page = fetch(path, token)
    title = re.search(r"<h1>(.*?)</h1>", page)
    rows = page.count("<tr>") + page.count("<tr ")
    print(f"GET /console{path:9} with the token: {status} {title.group(1) if title else '?'}, {max(rows - 1, 0)} table row(s)")
PY
if [[ -t 0 && -t 1 ]]; then
  read -r -p "Open $URL in a browser; press Enter to stop the console. " _ || true
fi
kill -TERM "$CONSOLE"; wait "$CONSOLE" && echo "console stopped (exit 0); its log: $CONSOLE_LOG"

step "Next"
cat <<TEXT
Publish more, run the worker and the notifier yourself, and look at the state:
  eval "\$(deploy/local.sh env)"
  $BIN publish shopify --sample 1000 --rate 200
  $BIN worker
  $BIN status
  $BIN orders search --since 1
  $BIN emails list --failed
  $BIN rejects list
  $BIN config
  ORDERFLOW_CONSOLE_TOKEN=\$(openssl rand -hex 16) ORDERFLOW_METRICS_ADDR=127.0.0.1:9464 $BIN worker
    (then http://127.0.0.1:9464/console)
TEXT
