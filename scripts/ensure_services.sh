#!/usr/bin/env bash
# Make sure PostgreSQL and Redis are reachable for the test suite.
#
# stdout (exactly two lines, evaluated by the Makefile):
#   DATABASE_URL=...
#   REDIS_URL=...
# Everything else goes to stderr.
#
# Knobs (environment):
#   DATABASE_URL / REDIS_URL     use these servers as given (only checked)
#   PG_PROBE_PORT (5432)         port of the default PostgreSQL on 127.0.0.1
#   REDIS_PROBE_PORT (6379)      port of the default Redis on 127.0.0.1
#   ENSURE_SERVICES_NO_INSTALL=1 never run apt-get install
set -euo pipefail

# Keep the real stdout on fd 3 for the final two lines; everything else -> stderr.
# Daemons we start get fd 3 closed, so `$(...)` / `$(shell ...)` callers never hang.
exec 3>&1 1>&2

PG_PROBE_PORT="${PG_PROBE_PORT:-5432}"
REDIS_PROBE_PORT="${REDIS_PROBE_PORT:-6379}"
PG_HOST=127.0.0.1
REDIS_HOST=127.0.0.1
PG_DBNAME=roadmaps
PG_THROWAWAY_PORT=54329
REDIS_FALLBACK_PORT=63790

UID_NUM="$(id -u)"
TMP_BASE="${TMPDIR:-/tmp}"
TMP_BASE="${TMP_BASE%/}"
IS_ROOT=0
[ "$UID_NUM" -eq 0 ] && IS_ROOT=1

cd /   # independent of the caller's cwd (and readable by the postgres user)

log()  { printf 'ensure_services: %s\n' "$*" >&2; }
die()  { printf 'ensure_services: ERROR: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# Run with a time limit when coreutils' timeout is available.
tmo() {
    local secs="$1"; shift
    if have timeout; then timeout "$secs" "$@"; else "$@"; fi
}

# Hide a password in a URL for log messages.
mask_url() { printf '%s' "$1" | sed -E 's#(://[^:/@]*):[^@/]*@#\1:***@#'; }

# Is something listening on 127.0.0.1:<port>?
port_open() {
    tmo 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" >/dev/null 2>&1
}

# Serialise concurrent runs (e.g. parallel `make test`).
if have flock; then
    { exec 9>"$TMP_BASE/roadmaps-services-$UID_NUM.lock"; } 2>/dev/null || exec 9>/dev/null
    flock -w 120 9 || log "could not take the lock, continuing anyway"
fi

# ---------------------------------------------------------------- PostgreSQL

pg_bindir() {
    # Newest /usr/lib/postgresql/<ver>/bin that has initdb and pg_ctl.
    local d best=""
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && best="$d"
    done
    [ -n "$best" ] && printf '%s\n' "$best"
}

# Make client tools available even without the Debian wrappers in /usr/bin.
add_pg_bin_to_path() {
    local b
    b="$(pg_bindir || true)"
    if [ -n "$b" ]; then
        case ":$PATH:" in *":$b:"*) ;; *) PATH="$PATH:$b" ;; esac
    fi
}
add_pg_bin_to_path

# pg_probe <host> <port>: server accepts connections AND user postgres can log in.
pg_probe() {
    have psql || return 1
    if have pg_isready; then
        pg_isready -q -h "$1" -p "$2" -t 2 >/dev/null 2>&1 || return 1
    fi
    PGCONNECT_TIMEOUT=3 tmo 10 psql -X -w -q -A -t -h "$1" -p "$2" -U postgres -d postgres \
        -c 'select 1' >/dev/null 2>&1
}

pg_wait() {  # pg_wait <host> <port> <seconds>
    local i n=$(( $3 * 2 ))
    for ((i = 0; i < n; i++)); do
        pg_probe "$1" "$2" && return 0
        sleep 0.5
    done
    return 1
}

pg_ensure_db() {  # pg_ensure_db <host> <port>
    local exists
    exists="$(PGCONNECT_TIMEOUT=3 psql -X -w -q -A -t -h "$1" -p "$2" -U postgres -d postgres \
        -c "select 1 from pg_database where datname = '$PG_DBNAME'" 2>/dev/null || true)"
    if [ "$exists" != "1" ]; then
        log "creating database $PG_DBNAME on $1:$2"
        if ! createdb -w -h "$1" -p "$2" -U postgres "$PG_DBNAME" 2>/dev/null; then
            exists="$(PGCONNECT_TIMEOUT=3 psql -X -w -q -A -t -h "$1" -p "$2" -U postgres -d postgres \
                -c "select 1 from pg_database where datname = '$PG_DBNAME'" 2>/dev/null || true)"
            [ "$exists" = "1" ] || die "could not create database $PG_DBNAME on $1:$2"
        fi
    fi
}

# Run a command as the postgres OS user when we are root (initdb refuses root).
as_pg() {
    if [ "$IS_ROOT" -eq 1 ]; then
        if have runuser; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

# Try the machine's own cluster (Debian/Ubuntu pg_ctlcluster).
pg_try_cluster() {
    [ -d /etc/postgresql ] && have pg_ctlcluster || return 1
    local ver cport rc
    ver="$(ls /etc/postgresql 2>/dev/null | head -1)"
    [ -n "$ver" ] && [ -d "/etc/postgresql/$ver/main" ] || return 1

    cport=""
    if have pg_lsclusters; then
        cport="$(pg_lsclusters -h 2>/dev/null | awk -v v="$ver" '$1 == v && $2 == "main" {print $3}' | head -1)"
    fi
    if [ -n "$cport" ] && [ "$cport" != "$PG_PROBE_PORT" ]; then
        log "cluster $ver/main is configured for port $cport, not $PG_PROBE_PORT; skipping it"
        return 1
    fi

    log "starting cluster $ver/main (pg_ctlcluster)"
    rc=0
    tmo 60 pg_ctlcluster --skip-systemctl-redirect "$ver" main start </dev/null 3>&- 9>&- || rc=$?
    # 0 = started, 2 = already running; anything else = failure
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
        log "pg_ctlcluster failed (exit $rc)"
        return 1
    fi
    if pg_wait "$PG_HOST" "$PG_PROBE_PORT" 20; then
        return 0
    fi
    log "cluster $ver/main is up but $PG_HOST:$PG_PROBE_PORT is still not reachable"
    return 1
}

PG_TMP_PORT=""

# Start (or reuse) a throwaway instance under $TMP_BASE/roadmaps-pg-<uid>.
pg_try_throwaway() {
    local bindir base data logf port p
    bindir="$(pg_bindir || true)"
    [ -n "$bindir" ] || return 1

    if [ "$IS_ROOT" -eq 1 ] && ! id postgres >/dev/null 2>&1; then
        log "running as root and there is no 'postgres' user to run initdb as"
        return 1
    fi

    base="$TMP_BASE/roadmaps-pg-$UID_NUM"
    mkdir -p "$base" 2>/dev/null || true
    if [ "$IS_ROOT" -eq 1 ]; then
        chown postgres: "$base" 2>/dev/null || true
        chmod 700 "$base" 2>/dev/null || true
        if ! as_pg test -w "$base" 2>/dev/null; then
            base="/tmp/roadmaps-pg-$UID_NUM"
            mkdir -p "$base" && chown postgres: "$base" && chmod 700 "$base" || return 1
        fi
    fi
    data="$base/data"
    logf="$base/postgres.log"

    # Reuse a running instance.
    if [ -f "$data/PG_VERSION" ] && [ -f "$data/postmaster.pid" ]; then
        port="$(sed -n 4p "$data/postmaster.pid" 2>/dev/null | tr -d '[:space:]')"
        if [ -n "$port" ] && pg_probe "$PG_HOST" "$port"; then
            log "reusing throwaway PostgreSQL in $data (port $port)"
            PG_TMP_PORT="$port"
            return 0
        fi
        if as_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
            as_pg "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
        fi
    fi

    # Data dir from another major version or half-initialised: start over.
    if [ -d "$data" ]; then
        if [ ! -f "$data/PG_VERSION" ] || [ ! -x "/usr/lib/postgresql/$(cat "$data/PG_VERSION")/bin/pg_ctl" ]; then
            rm -rf "$data"
        else
            bindir="/usr/lib/postgresql/$(cat "$data/PG_VERSION")/bin"
        fi
    fi

    if [ ! -d "$data" ]; then
        log "initdb throwaway PostgreSQL in $data"
        if ! as_pg "$bindir/initdb" -D "$data" --auth=trust -U postgres -E UTF8 --no-locale \
                >"$base/initdb.log" 2>&1; then
            log "initdb failed, see $base/initdb.log"
            tail -n 5 "$base/initdb.log" >&2 || true
            rm -rf "$data"
            return 1
        fi
    fi

    port=""
    for p in $(seq "$PG_THROWAWAY_PORT" $((PG_THROWAWAY_PORT + 20))); do
        if ! port_open "$p"; then port="$p"; break; fi
    done
    [ -n "$port" ] || { log "no free port for the throwaway PostgreSQL"; return 1; }

    log "starting throwaway PostgreSQL on $PG_HOST:$port"
    if ! as_pg "$bindir/pg_ctl" -D "$data" -l "$logf" -w -t 30 \
            -o "-p $port -c listen_addresses=$PG_HOST -c unix_socket_directories='$data' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start </dev/null >/dev/null 2>&1 3>&- 9>&-; then
        log "pg_ctl start failed, see $logf"
        tail -n 5 "$logf" >&2 2>/dev/null || true
        return 1
    fi
    if pg_wait "$PG_HOST" "$port" 20; then
        PG_TMP_PORT="$port"
        return 0
    fi
    log "throwaway PostgreSQL did not become ready, see $logf"
    return 1
}

apt_install() {  # apt_install <pkg>...
    [ "$IS_ROOT" -eq 1 ] && have apt-get && [ -z "${ENSURE_SERVICES_NO_INSTALL:-}" ] || return 1
    log "installing $* with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    local opts=(-y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    # fds 3/9 closed: postinst scripts may start daemons that would keep them open
    if ! apt-get install "${opts[@]}" "$@" </dev/null >&2 3>&- 9>&-; then
        apt-get update -q </dev/null >&2 3>&- 9>&- || true
        apt-get install "${opts[@]}" "$@" </dev/null >&2 3>&- 9>&- || return 1
    fi
    hash -r
}

ensure_postgres() {
    if [ -n "${DATABASE_URL:-}" ]; then
        local shown
        shown="$(mask_url "$DATABASE_URL")"
        if have pg_isready; then
            pg_isready -q -d "$DATABASE_URL" -t 5 >/dev/null 2>&1 \
                || die "PostgreSQL from DATABASE_URL is not reachable: $shown"
            if have psql && ! PGCONNECT_TIMEOUT=5 tmo 15 psql -X -w -q -d "$DATABASE_URL" -c 'select 1' >/dev/null 2>&1; then
                log "warning: server is up but 'select 1' via DATABASE_URL failed (auth or missing database?)"
            fi
        elif have psql; then
            PGCONNECT_TIMEOUT=5 tmo 15 psql -X -w -q -d "$DATABASE_URL" -c 'select 1' >/dev/null 2>&1 \
                || die "PostgreSQL from DATABASE_URL is not reachable: $shown"
        else
            log "warning: no pg_isready/psql, using DATABASE_URL unchecked"
        fi
        DB_URL="$DATABASE_URL"
        return 0
    fi

    local host="$PG_HOST" port=""
    if pg_probe "$host" "$PG_PROBE_PORT"; then
        port="$PG_PROBE_PORT"
    else
        log "PostgreSQL not reachable at $host:$PG_PROBE_PORT"
        if pg_try_cluster; then
            port="$PG_PROBE_PORT"
        elif pg_try_throwaway; then
            port="$PG_TMP_PORT"
        elif [ -z "$(pg_bindir || true)" ] && apt_install postgresql; then
            add_pg_bin_to_path
            if pg_probe "$host" "$PG_PROBE_PORT" || pg_try_cluster; then
                port="$PG_PROBE_PORT"
            elif pg_try_throwaway; then
                port="$PG_TMP_PORT"
            fi
        fi
    fi
    [ -n "$port" ] || die "PostgreSQL is not reachable at $host:$PG_PROBE_PORT and could not be started: install postgresql or set DATABASE_URL"

    pg_ensure_db "$host" "$port"
    DB_URL="postgres://postgres@$host:$port/$PG_DBNAME"
}

# --------------------------------------------------------------------- Redis

# redis_ping <port>: PONG from 127.0.0.1:<port>?
redis_ping() {
    local out=""
    if have redis-cli; then
        out="$(tmo 3 redis-cli -h "$REDIS_HOST" -p "$1" ping 2>/dev/null || true)"
    else
        out="$(tmo 3 bash -c "exec 3<>/dev/tcp/$REDIS_HOST/$1 && printf 'PING\r\n' >&3 && head -c 7 <&3" 2>/dev/null || true)"
    fi
    case "$out" in *PONG*) return 0 ;; *) return 1 ;; esac
}

redis_server_bin() {
    local c
    for c in "$(command -v redis-server 2>/dev/null || true)" /usr/bin/redis-server /usr/local/bin/redis-server /usr/sbin/redis-server; do
        [ -n "$c" ] && [ -x "$c" ] && { printf '%s\n' "$c"; return 0; }
    done
    return 1
}

REDIS_TMP_PORT=""

redis_try_start() {
    local bin dir port i
    bin="$(redis_server_bin)" || return 1

    port="$REDIS_PROBE_PORT"
    if port_open "$port"; then
        log "port $port is taken by something that does not answer PING; using $REDIS_FALLBACK_PORT"
        port="$REDIS_FALLBACK_PORT"
        if redis_ping "$port"; then
            log "reusing Redis on $REDIS_HOST:$port"
            REDIS_TMP_PORT="$port"
            return 0
        fi
        port_open "$port" && { log "port $port is taken too"; return 1; }
    fi

    dir="$TMP_BASE/roadmaps-redis-$UID_NUM"
    mkdir -p "$dir" || return 1
    log "starting throwaway Redis on $REDIS_HOST:$port (dir $dir)"
    "$bin" --daemonize yes --bind "$REDIS_HOST" --port "$port" --save "" --appendonly no \
        --dir "$dir" --logfile "$dir/redis.log" --pidfile "$dir/redis-$port.pid" \
        </dev/null >/dev/null 2>&1 3>&- 9>&- \
        || { log "redis-server failed to start, see $dir/redis.log"; return 1; }
    for ((i = 0; i < 20; i++)); do
        if redis_ping "$port"; then
            REDIS_TMP_PORT="$port"
            return 0
        fi
        sleep 0.5
    done
    log "throwaway Redis did not answer PING, see $dir/redis.log"
    return 1
}

ensure_redis() {
    if [ -n "${REDIS_URL:-}" ]; then
        local shown out
        shown="$(mask_url "$REDIS_URL")"
        if have redis-cli; then
            out="$(tmo 5 redis-cli -u "$REDIS_URL" ping 2>/dev/null || true)"
            case "$out" in
                *PONG*) ;;
                *) die "Redis from REDIS_URL is not reachable: $shown" ;;
            esac
        else
            log "warning: no redis-cli, using REDIS_URL unchecked"
        fi
        RD_URL="$REDIS_URL"
        return 0
    fi

    local port=""
    if redis_ping "$REDIS_PROBE_PORT"; then
        port="$REDIS_PROBE_PORT"
    else
        log "Redis not reachable at $REDIS_HOST:$REDIS_PROBE_PORT"
        if redis_try_start; then
            port="$REDIS_TMP_PORT"
        elif ! redis_server_bin >/dev/null && apt_install redis-server; then
            # The package may have started its own server on the probe port.
            if redis_ping "$REDIS_PROBE_PORT"; then
                port="$REDIS_PROBE_PORT"
            elif redis_try_start; then
                port="$REDIS_TMP_PORT"
            fi
        fi
    fi
    [ -n "$port" ] || die "Redis is not reachable at $REDIS_HOST:$REDIS_PROBE_PORT and could not be started: install redis-server or set REDIS_URL"
    RD_URL="redis://$REDIS_HOST:$port/0"
}

# ---------------------------------------------------------------------- main

DB_URL=""
RD_URL=""
ensure_postgres
ensure_redis

printf 'DATABASE_URL=%s\nREDIS_URL=%s\n' "$DB_URL" "$RD_URL" >&3
