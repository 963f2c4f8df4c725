#!/usr/bin/env bash
# Runs Centinela on this machine with no accounts: installs what it needs, builds, starts a
# private PostgreSQL under var/, keeps a data key in var/data.key, migrates, and serves
# config/example.yaml with the console provider (texts land in var/console-outbox.jsonl).
# Ctrl-C stops everything it started; the next run reuses the same database and key.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source deploy/lib/postgres.sh
source deploy/lib/build.sh

config=${CENTINELA_CONFIG:-config/example.yaml}
socket_dir=/tmp/centinela-pg   # matches database.url in config/example.yaml

if [[ $(id -u) -eq 0 ]]; then
    bash deploy/install-deps.sh
fi
echo "==> building"
build_project "$root" centinela
bin=${BUILD_DIR:-$root/build}/bin/centinela

mkdir -p var
data_dir=$(pg_pick_data_dir "$root/var/postgres")
echo "==> starting PostgreSQL (data: $data_dir, socket: $socket_dir)"
pg_start "$data_dir" "$socket_dir"
trap 'echo "==> stopping PostgreSQL"; pg_stop "$data_dir"' EXIT
if ! "$PG_BIN/psql" -h "$socket_dir" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_roles WHERE rolname = 'centinela'" | grep -q 1; then
    "$PG_BIN/psql" -q -h "$socket_dir" -U postgres -d postgres -c "CREATE ROLE centinela LOGIN"
fi
if ! "$PG_BIN/psql" -h "$socket_dir" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'centinela'" | grep -q 1; then
    "$PG_BIN/createdb" -h "$socket_dir" -U postgres -O centinela centinela
fi

# The data key encrypts every stored phone number. It is made once and kept: a new key on every
# start would leave the stored numbers unreadable.
if [[ ! -s var/data.key ]]; then
    (umask 077 && "$bin" keygen >var/data.key)
    echo "==> created a data key in var/data.key (back it up: without it the member list is unreadable)"
fi
export CENTINELA_DATA_KEY
CENTINELA_DATA_KEY=$(cat var/data.key)

"$bin" migrate --config "$config"

cat <<EOT

==> Centinela is starting on http://127.0.0.1:8080  (Ctrl-C stops it)
    health:        curl http://127.0.0.1:8080/healthz
    texts sent:    tail -f var/console-outbox.jsonl
    join as a member (a simulated inbound SMS; the reply appears in the texts sent, then reply YES
    with another MessageSid to confirm):
      curl -d 'MessageSid=SMjoin1' --data-urlencode 'From=+13235550111' -d 'To=+12135550100' \\
           -d 'Body=JOIN EASTLA' http://127.0.0.1:8080/webhooks/console/sms
    submit a report (web-form API, quick-start intake token):
      curl -H 'Authorization: Bearer dev-intake-token' -H 'Content-Type: application/json' \\
           -d '{"text": "ICE vans at Whittier Blvd and Atlantic, 90022"}' http://127.0.0.1:8080/api/v1/reports
    claim it, then confirm it as the operator (use the report_id printed by the previous command):
      curl -X POST -H 'Authorization: Bearer dev-operator-token' http://127.0.0.1:8080/api/v1/reports/REPORT_ID/claim
      curl -H 'Authorization: Bearer dev-operator-token' -d '{"summary": "ICE vans at Whittier and Atlantic"}' \\
           http://127.0.0.1:8080/api/v1/reports/REPORT_ID/confirm

EOT
"$bin" serve --config "$config"
