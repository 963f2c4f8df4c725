# Private PostgreSQL clusters for the quick start and the tests: initdb + pg_ctl on a unix socket,
# no system service, no TCP port. Source this file; it defines functions only.
#
# PostgreSQL refuses to run as root, so when we are root the cluster belongs to a dedicated
# system user. That user must be able to enter every directory above the data directory; a
# checkout under /root (mode 0700) is not enterable, so callers pass a data directory that is
# (see pg_pick_data_dir).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_SYSTEM_USER=${PG_SYSTEM_USER:-centinela-pg}

# Runs a command as the user that owns clusters.
pg_as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$PG_SYSTEM_USER" -- "$@"
    else
        "$@"
    fi
}

pg_ensure_owner() {
    [[ $(id -u) -eq 0 ]] || return 0
    if ! id -u "$PG_SYSTEM_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_SYSTEM_USER"
    fi
}

# Echoes $1 when the cluster owner can reach it, else a directory under /var/lib/centinela keyed
# by $1's path, so one checkout always finds its own cluster again.
pg_pick_data_dir() {
    local wanted=$1
    local parent
    pg_ensure_owner  # the check below runs as that user: on a first run it does not exist yet
    parent=$(dirname "$wanted")
    mkdir -p "$parent"
    if [[ $(id -u) -ne 0 ]] || runuser -u "$PG_SYSTEM_USER" -- test -x "$parent" 2>/dev/null; then
        echo "$wanted"
    else
        echo "/var/lib/centinela/$(echo -n "$wanted" | sha256sum | cut -c1-12)/postgres"
    fi
}

# pg_start DATA_DIR SOCKET_DIR: creates the cluster on first use, then starts it.
pg_start() {
    local data=$1 sock=$2
    pg_ensure_owner
    mkdir -p "$data" "$sock"
    if [[ $(id -u) -eq 0 ]]; then
        chown "$PG_SYSTEM_USER" "$data" "$sock"
        chmod 700 "$data"
        chmod 755 "$sock"
    fi
    if [[ ! -f $data/PG_VERSION ]]; then
        pg_as_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 >"$data.initdb.log" 2>&1 || { cat "$data.initdb.log" >&2; return 1; }
    fi
    # fsync stays on: the quick start is how people first run this, and durability is the point.
    pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" \
        -o "-k $sock -c listen_addresses='' -c max_connections=200" start >/dev/null ||
        { tail -n 20 "$data/server.log" >&2; return 1; }
}

pg_stop() {
    local data=$1
    [[ -f $data/postmaster.pid ]] || return 0
    pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_create_db SOCKET_DIR NAME: an empty database, unless it exists.
pg_create_db() {
    local sock=$1 name=$2
    if ! "$PG_BIN/psql" -h "$sock" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
        "$PG_BIN/createdb" -h "$sock" -U postgres "$name"
    fi
}
