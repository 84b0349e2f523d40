#!/usr/bin/env bash
# site/services/postgres.sh — provide a real PostgreSQL on 127.0.0.1:5432 for the test suite.
#
# Usage:
#   eval "$(site/services/postgres.sh)"   # prints exactly: DATABASE_URL=postgres://procedures:procedures@127.0.0.1:5432/procedures
#   site/services/postgres.sh stop        # stop the local cluster
#
# Why it looks like this:
# * CI runs on a fresh clone of a fresh Debian 12 machine, where nothing that
#   was installed by hand survives: the script installs Debian's `postgresql`
#   package itself (contrib, hence unaccent, is part of it on Debian 12).
# * Containers have no systemd, so the cluster is started with Debian's
#   pg_ctlcluster (created with pg_createcluster if the package left none).
# * Role `procedures` (password `procedures`, CREATEDB because pytest-django
#   creates test_procedures) owns database `procedures`. The unaccent
#   extension is created as superuser in template1, so every database created
#   later (test_procedures included) has it already, and in `procedures`.
# * Idempotent: a reachable $DATABASE_URL is reused untouched; roles, database
#   and extension are only created when missing. Chatter goes to stderr,
#   stdout carries only the DATABASE_URL=... line.
set -euo pipefail

DB_NAME=procedures
DB_USER=procedures
DB_PASSWORD=procedures
DB_HOST=127.0.0.1
WANT_PORT=5432

# stdout is reserved for the result line: keep it on fd 3, send the rest to stderr.
exec 3>&1 1>&2

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "need root (or sudo) to run: $*"
    fi
}

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"
    elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"
    else sudo -u postgres "$@"
    fi
}

# The newest installed server version with a cluster called "main" (or any version).
cluster_version() {
    pg_lsclusters -h 2>/dev/null | awk '$2 == "main" { print $1 }' | sort -V | tail -n1
}
cluster_field() { # $1 = version, $2 = column number (3 port, 4 status)
    pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v c="$2" '$1 == v && $2 == "main" { print $c }'
}
server_version() {
    find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' 2>/dev/null \
        | sed 's|/usr/lib/postgresql/\([^/]*\)/bin/postgres|\1|' | sort -V | tail -n1
}

cmd=${1:-start}
case "$cmd" in
    start|stop) ;;
    *) die "usage: $0 [start|stop]" ;;
esac

if [ "$cmd" = stop ]; then
    if command -v pg_lsclusters >/dev/null 2>&1 && ver=$(cluster_version) && [ -n "$ver" ]; then
        if [ "$(cluster_field "$ver" 4)" = online ]; then
            log "stopping cluster ${ver}/main"
            as_root pg_ctlcluster "$ver" main stop
        else
            log "cluster ${ver}/main is not running"
        fi
    else
        log "no cluster to stop"
    fi
    exit 0
fi

# ---------------------------------------------------------------- reuse
if [ -n "${DATABASE_URL:-}" ]; then
    if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -t 5 -d "$DATABASE_URL" \
        && psql "$DATABASE_URL" -XqAtc 'select 1' >/dev/null 2>&1; then
        log "reusing reachable DATABASE_URL"
        printf 'DATABASE_URL=%s\n' "$DATABASE_URL" >&3
        exit 0
    fi
    log "DATABASE_URL is set but not reachable (or no psql yet): setting up a local cluster instead"
fi

# ---------------------------------------------------------------- install
if [ -z "$(server_version)" ] || ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then
    log "installing the postgresql package"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 3>&-  # its postinst may start a server
fi
ver=$(server_version)
[ -n "$ver" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql after install"

if [ -z "$(cluster_field "$ver" 3)" ]; then
    log "creating cluster ${ver}/main"
    as_root pg_createcluster "$ver" main -p "$WANT_PORT" >&2
fi
port=$(cluster_field "$ver" 3)
[ "$port" = "$WANT_PORT" ] || log "WARNING: cluster ${ver}/main uses port ${port}, not ${WANT_PORT}"

# Debian's default listen_addresses is 'localhost' (127.0.0.1 and ::1) and
# pg_hba.conf allows password (scram) logins from 127.0.0.1/32: nothing to edit.
if [ "$(cluster_field "$ver" 4)" != online ]; then
    log "starting cluster ${ver}/main on port ${port}"
    # 3>&- : the server must not inherit fd 3 (the caller's $(...) pipe), or the
    # caller's command substitution waits for the server to exit, i.e. forever.
    as_root pg_ctlcluster "$ver" main start 3>&-
fi
for _ in $(seq 1 60); do
    pg_isready -q -h "$DB_HOST" -p "$port" && break
    sleep 1
done
pg_isready -q -h "$DB_HOST" -p "$port" || {
    tail -n 40 "/var/log/postgresql/postgresql-${ver}-main.log" >&2 || true
    die "PostgreSQL does not answer on ${DB_HOST}:${port}"
}

# ---------------------------------------------------------------- role, db, extension
psql_su() { # $1 = database, rest = psql args; as superuser over the local socket
    local db=$1; shift
    as_postgres env PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d "$db" "$@"
}

psql_su postgres <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${DB_USER}') THEN
        CREATE ROLE ${DB_USER} LOGIN CREATEDB PASSWORD '${DB_PASSWORD}';
    ELSE
        ALTER ROLE ${DB_USER} LOGIN CREATEDB PASSWORD '${DB_PASSWORD}';
    END IF;
END
\$\$;
SQL
psql_su template1 -c 'CREATE EXTENSION IF NOT EXISTS unaccent'
if [ "$(psql_su postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'")" != 1 ]; then
    log "creating database ${DB_NAME}"
    psql_su postgres -c "CREATE DATABASE ${DB_NAME} OWNER ${DB_USER}"
fi
psql_su "$DB_NAME" -c 'CREATE EXTENSION IF NOT EXISTS unaccent'

url="postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:${port}/${DB_NAME}"
psql "$url" -XqAtc 'select 1' >/dev/null || die "cannot log in as ${DB_USER} over TCP"
log "PostgreSQL ${ver} ready"
printf 'DATABASE_URL=%s\n' "$url" >&3
