#!/usr/bin/env bash
# Installs every Debian package Centinela needs to build, test and run. Idempotent: a second
# run on a machine that has them all does no network work beyond `apt-get update` once a day.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config git
  # libraries (see README "Dependencies" for why each one is here)
  libboost1.74-dev libboost-system1.74-dev libpqxx-dev libpq-dev libyaml-cpp-dev libspdlog-dev
  libfmt-dev nlohmann-json3-dev libsodium-dev libphonenumber-dev libprotobuf-dev libicu-dev
  libssl-dev libhowardhinnant-date-dev
  # runtime data: the IANA time zones of alert times and shifts (read from /usr/share/zoneinfo)
  tzdata
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev postgresql-15 postgresql-client-15 openssl curl wrk
  python3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}; run this script as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
