#!/usr/bin/env bash
# Runs every test: installs what it needs, builds, starts a private PostgreSQL for the
# integration and end-to-end tests, runs ctest (benchmarks, labelled "bench", are left out:
# run them with deploy/bench.sh), and stops PostgreSQL however the tests end.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source deploy/lib/postgres.sh
source deploy/lib/build.sh

if [[ $(id -u) -eq 0 ]]; then
    bash deploy/install-deps.sh
fi
echo "==> building"
build_project "$root"
build_dir=${BUILD_DIR:-$root/build}

# A fresh cluster per run, outside the checkout (which may sit under /root, closed to the
# cluster's owner). The socket path stays short: unix sockets allow 107 bytes.
run_dir=$(mktemp -d /tmp/centinela-test.XXXXXX)
chmod 755 "$run_dir"
data_dir=$run_dir/pg
socket_dir=$run_dir/sock
cleanup() {
    pg_stop "$data_dir"
    rm -rf "$run_dir"
}
trap cleanup EXIT
echo "==> starting PostgreSQL in $run_dir"
pg_start "$data_dir" "$socket_dir"
export CENTINELA_TEST_PG="host=$socket_dir user=postgres dbname=postgres"
export CENTINELA_TEST_TMP=$run_dir

echo "==> running tests"
cd "$build_dir"
ctest --output-on-failure --label-exclude bench --parallel "$(nproc)" --timeout 600 "$@"
