#!/usr/bin/env bash
# Runs Centinela on this machine with no accounts: installs what it needs, builds, starts a
# private PostgreSQL under var/, keeps a data key in var/data.key, migrates, and serves
# config/example.yaml with the console provider. It prints, in order, the commands that join a
# member, confirm the join, submit a report and confirm it, and prints every text the console
# provider "sends" (also kept in var/console-outbox.jsonl) as it happens.
#
# Ctrl-C, SIGINT, SIGTERM and SIGHUP (a closed terminal) stop everything it started: the
# service, the text printer and PostgreSQL. If the service stops on its own, so does the script,
# with a non-zero status. The next run reuses the same database and key.
#
# Environment (all optional):
#   CENTINELA_VAR_DIR        cluster (when its owner can reach it), data key, outbox (default: var/)
#   CENTINELA_PORT           loopback port to serve on (default: 8080)
#   CENTINELA_PG_SOCKET_DIR  PostgreSQL's unix socket directory (default: /tmp/centinela-pg)
#   CENTINELA_CONFIG         the configuration to serve (default: config/example.yaml); texts are
#                            printed from CENTINELA_VAR_DIR/console-outbox.jsonl, the example's outbox
#   CENTINELA_LOG_LEVEL      the service's log level: trace, debug, info (default), warn, error
#   BUILD_DIR, BUILD_TYPE    where and how to build (default: build/, RelWithDebInfo)
# With any of the first three set, the service runs a copy of the configuration with those
# values in it, written to CENTINELA_VAR_DIR/quickstart.yaml; tests use that to run in isolation.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source deploy/lib/postgres.sh
source deploy/lib/build.sh

die() {
    echo "quickstart: $*" >&2
    exit 1
}

config=${CENTINELA_CONFIG:-config/example.yaml}
var_dir=${CENTINELA_VAR_DIR:-$root/var}
port=${CENTINELA_PORT:-8080}
socket_dir=${CENTINELA_PG_SOCKET_DIR:-/tmp/centinela-pg}  # the default matches config/example.yaml

if ! [[ $port =~ ^[1-9][0-9]{0,4}$ ]] || ((port > 65535)); then
    die "CENTINELA_PORT is not a port number: '$port'"
fi
mkdir -p "$var_dir"
var_dir=$(cd "$var_dir" && pwd)
outbox=$var_dir/console-outbox.jsonl
ready_file=$var_dir/serve.ready

# What cleanup() stops, recorded as each one starts.
serve_pid=""
texts_pid=""
data_dir=""

# stop_process PID NAME SECONDS: SIGTERM, up to SECONDS for it to exit, then SIGKILL.
stop_process() {
    local pid=$1 name=$2 grace=$3
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    local deadline=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null; do  # bash reaps its children while `sleep` runs
        if ((SECONDS >= deadline)); then
            echo "==> $name did not stop within ${grace}s: killing it"
            kill -KILL "$pid" 2>/dev/null
            break
        fi
        sleep 0.1
    done
    wait "$pid" 2>/dev/null
}

cleanup() {
    set +e  # stop everything even if a step fails (or the terminal is gone and echo fails)
    trap '' INT TERM HUP  # an impatient second Ctrl-C must not cut the cleanup short
    # The service first: it uses the database, and its shutdown_grace (10s) lets sends finish.
    stop_process "$serve_pid" "centinela serve" 20
    stop_process "$texts_pid" "the text printer" 5
    if [[ -n $data_dir ]]; then
        echo "==> stopping PostgreSQL"
        pg_stop "$data_dir"
    fi
    rm -f "$ready_file"
}
on_signal() {
    set +e  # on a closed terminal (SIGHUP) echo fails: exit with the signal's status all the same
    echo
    echo "==> SIG$1: stopping everything the quick start started"
    exit "$2"  # runs cleanup (the EXIT trap)
}
trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

if [[ $(id -u) -eq 0 ]]; then
    bash deploy/install-deps.sh
fi
echo "==> building"
build_project "$root" centinela
bin=${BUILD_DIR:-$root/build}/bin/centinela

# The service runs the configuration as given, or a copy with this run's port, socket directory
# and outbox; each replacement is checked, so a configuration whose lines differ from the
# example's fails here instead of silently using the defaults.
served_config=$config
if [[ $var_dir != "$root/var" || $port != 8080 || $socket_dir != /tmp/centinela-pg ]]; then
    for dir in "$var_dir" "$socket_dir"; do  # they go into YAML and a libpq string unquoted
        [[ $dir =~ ^[A-Za-z0-9._/+-]+$ ]] || die "'$dir': use only letters, digits and . _ / + - here"
    done
    served_config=$var_dir/quickstart.yaml
    sed -e "s|^\( *listen: *\)\"127\.0\.0\.1:8080\"|\1\"127.0.0.1:$port\"|" \
        -e "s|^\( *public_base_url: *\)\"http://127\.0\.0\.1:8080\"|\1\"http://127.0.0.1:$port\"|" \
        -e "s|host=/tmp/centinela-pg |host=$socket_dir |" \
        -e "s|^\( *output_file: *\)\"var/console-outbox\.jsonl\"|\1\"$outbox\"|" \
        "$config" >"$served_config"
    for want in "listen: \"127.0.0.1:$port\"" "public_base_url: \"http://127.0.0.1:$port\"" \
        "host=$socket_dir " "output_file: \"$outbox\""; do
        grep -qF -- "$want" "$served_config" ||
            die "$config: cannot set $want (CENTINELA_VAR_DIR, CENTINELA_PORT and CENTINELA_PG_SOCKET_DIR need the lines of config/example.yaml)"
    done
fi

data_dir=$(pg_pick_data_dir "$var_dir/postgres")
echo "==> starting PostgreSQL (data: $data_dir, socket: $socket_dir)"
pg_start "$data_dir" "$socket_dir"
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
if [[ ! -s $var_dir/data.key ]]; then
    (umask 077 && "$bin" keygen >"$var_dir/data.key")
    echo "==> created a data key in $var_dir/data.key (back it up: without it the member list is unreadable)"
fi
export CENTINELA_DATA_KEY
CENTINELA_DATA_KEY=$(cat "$var_dir/data.key")

"$bin" migrate --config "$served_config"

# Texts are printed from the outbox as the service appends them. The file exists before the
# printer starts, and the printer before the service, so no text is missed.
touch "$outbox"
python3 -u deploy/lib/print_texts.py "$outbox" &
texts_pid=$!

# The service runs in the background and the script waits for it, so a signal to the script
# runs its trap at once (bash defers traps while a foreground command runs). It runs in a session
# of its own, so Ctrl-C and a closed terminal reach only the script, whose trap stops the service
# first and the rest after it. (Had Ctrl-C reached the service too, it would exit 0 and bash would
# take that for the service's own decision, dropping the script's SIGINT.) setsid does not fork
# here: a background job of a script is no process group leader, so $! is the service.
rm -f "$ready_file"
setsid "$bin" serve --config "$served_config" --ready-file "$ready_file" </dev/null &
serve_pid=$!

for ((i = 0; i < 600; i++)); do  # 60 s: start-up takes well under a second
    [[ -s $ready_file ]] && break
    if ! kill -0 "$serve_pid" 2>/dev/null; then
        status=0
        wait "$serve_pid" || status=$?
        serve_pid=""
        die "centinela serve exited with status $status before it was ready (see its log above)"
    fi
    sleep 0.1
done
[[ -s $ready_file ]] || die "centinela serve was not ready after 60 s"
url=http://$(cat "$ready_file")

# Each command works as printed, pasted in order; MessageSid must be new for every simulated
# text (a repeated one is a provider retry and is ignored), hence the timestamp.
cat <<EOT

==> Centinela is running on $url (Ctrl-C stops everything)
    Texts it sends are printed here as ">>> SMS to ..." and kept in $outbox.
    Paste these commands, in order, into another shell:

# 1. Is it up?
curl -fsS $url/healthz; echo
# 2. A member texts JOIN EASTLA (a simulated inbound SMS); the reply asks them to confirm.
curl -fsS -d "MessageSid=SM\$(date +%s%N)" --data-urlencode 'From=+13235550111' -d 'To=+12135550100' \\
     -d 'Body=JOIN EASTLA' $url/webhooks/console/sms; echo
# 3. The member replies YES (double opt-in); the reply says they joined.
curl -fsS -d "MessageSid=SM\$(date +%s%N)" --data-urlencode 'From=+13235550111' -d 'To=+12135550100' \\
     -d 'Body=YES' $url/webhooks/console/sms; echo
# 4. A web form submits a report (quick-start intake token); its id goes into REPORT_ID.
REPORT_ID=\$(curl -fsS -H 'Authorization: Bearer dev-intake-token' -H 'Content-Type: application/json' \\
     -d '{"text": "ICE vans at Whittier Blvd and Atlantic, 90022"}' $url/api/v1/reports |
     python3 -c 'import json, sys; print(json.load(sys.stdin)["report_id"])'); echo "report \$REPORT_ID"
# 5. The operator claims the report, then confirms it: the alert is texted to the member.
curl -fsS -X POST -H 'Authorization: Bearer dev-operator-token' $url/api/v1/reports/\$REPORT_ID/claim; echo
curl -fsS -H 'Authorization: Bearer dev-operator-token' -H 'Content-Type: application/json' \\
     -d '{"summary": "ICE vans at Whittier and Atlantic"}' $url/api/v1/reports/\$REPORT_ID/confirm; echo

EOT

status=0
wait "$serve_pid" || status=$?
serve_pid=""
echo "==> centinela serve exited on its own with status $status: stopping"
exit $((status == 0 ? 1 : status))
