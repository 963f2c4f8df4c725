#!/usr/bin/env bash
# The fan-out benchmark at full size: builds optimized (RelWithDebInfo unless BUILD_TYPE says
# otherwise), starts a private PostgreSQL like deploy/test.sh, runs tests/bench/fanout_bench.py
# with 100,000 members and prints its figures (messages/second, time to first text, peak RSS,
# duplicates, missing). Extra arguments go to the driver, e.g. `deploy/bench.sh --callbacks` or
# `deploy/bench.sh --members 20000`; see `python3 tests/bench/fanout_bench.py --help`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source deploy/lib/postgres.sh

if [[ $(id -u) -eq 0 ]]; then
    bash deploy/install-deps.sh
fi
build_dir=${BUILD_DIR:-$root/build}
echo "==> building (${BUILD_TYPE:-RelWithDebInfo}) in $build_dir"
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
ninja -C "$build_dir" -j "$(nproc)" centinela centinela_fake_provider centinela_bench_seed

# As in deploy/test.sh: a fresh cluster outside the checkout, short socket path, always stopped.
run_dir=$(mktemp -d /tmp/centinela-bench.XXXXXX)
chmod 755 "$run_dir"
cleanup() {
    pg_stop "$run_dir/pg"
    rm -rf "$run_dir"
}
trap cleanup EXIT
echo "==> starting PostgreSQL in $run_dir"
pg_start "$run_dir/pg" "$run_dir/sock"
export CENTINELA_TEST_PG="host=$run_dir/sock user=postgres dbname=postgres"
export CENTINELA_TEST_TMP=$run_dir
export CENTINELA_BIN=$build_dir/bin/centinela
export CENTINELA_FAKE_PROVIDER_BIN=$build_dir/tests/fake_provider/centinela-fake-provider
export CENTINELA_BENCH_SEED_BIN=$build_dir/tests/bench/centinela-bench-seed

echo "==> fan-out benchmark"
python3 tests/bench/fanout_bench.py --members 100000 "$@"
