#!/usr/bin/env bash
# Makes a throw-away PKI for loopback TLS tests: a CA, a server certificate for 127.0.0.1 and
# localhost signed by it, and a self-signed "wrong" certificate the CA never signed (clients must
# refuse it). EC P-256 keeps it well under 2 s. Idempotent: existing files are kept.
# Usage: make_test_ca.sh OUTDIR
set -euo pipefail

out=${1:?usage: make_test_ca.sh OUTDIR}
mkdir -p "$out"
cd "$out"

# Parallel tests (ctest -j) may share OUTDIR: one generator at a time, or a CA from one run could
# end up beside a server certificate from another.
exec 9>.lock
flock 9

if [[ -s ca.pem && -s ca.key && -s server.pem && -s server.key && -s wrong.pem && -s wrong.key ]]; then
  exit 0
fi

umask 077  # private keys: readable by the test user only
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# Test CA, 10 years: long enough that a cached test PKI never expires mid-CI.
ec_key "$tmp/ca.key"
openssl req -x509 -new -key "$tmp/ca.key" -sha256 -days 3650 -subj "/CN=Centinela Test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$tmp/ca.pem" 2>/dev/null

# Server certificate: the SAN is what clients check (the CN is ignored by modern verifiers).
ec_key "$tmp/server.key"
openssl req -new -key "$tmp/server.key" -subj "/CN=localhost" -out "$tmp/server.csr" 2>/dev/null
cat >"$tmp/server.ext" <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EXT
openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
  -CAserial "$tmp/ca.srl" -sha256 -days 3650 -extfile "$tmp/server.ext" -out "$tmp/server.pem" 2>/dev/null

# Wrong certificate: same names, self-signed, so only the issuer makes it unacceptable.
ec_key "$tmp/wrong.key"
openssl req -x509 -new -key "$tmp/wrong.key" -sha256 -days 3650 -subj "/CN=localhost" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -out "$tmp/wrong.pem" 2>/dev/null

chmod 644 "$tmp"/*.pem
# Move the finished set in last, so an interrupted run never leaves a partial PKI behind.
mv "$tmp"/ca.pem "$tmp"/ca.key "$tmp"/server.pem "$tmp"/server.key "$tmp"/wrong.pem "$tmp"/wrong.key .
