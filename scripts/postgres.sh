#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432. If none does, start a private cluster in
# /tmp/eventschema-pg (trust auth, superuser "postgres", listening on 127.0.0.1 only), owned by a
# system user when run as root because PostgreSQL refuses to run as root. Safe to run repeatedly.
#   scripts/postgres.sh          ensure it runs
#   scripts/postgres.sh --stop   stop the private cluster (if this script started one)
set -euo pipefail
PGDATA=${EVENTSCHEMA_PGDATA:-/tmp/eventschema-pg}
RUN_USER=eventschema-pg

pg_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/$1" ]; then echo "$dir/$1"; return; fi
    done
    command -v "$1" || { echo "postgres.sh: $1 not found; install PostgreSQL (apt-get install postgresql)" >&2; exit 1; }
}

answering() { "$(pg_bin pg_isready)" -q -h 127.0.0.1 -p 5432 -t 2; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid="$RUN_USER" --regid="$RUN_USER" --init-groups -- env HOME=/tmp "$@"
    else
        "$@"
    fi
}

if [ "${1:-}" = "--stop" ]; then
    [ -f "$PGDATA/postmaster.pid" ] && as_owner "$(pg_bin pg_ctl)" -D "$PGDATA" -m fast -w stop
    exit 0
fi

if answering; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ] && ! id "$RUN_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /tmp --shell /usr/sbin/nologin "$RUN_USER"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    [ "$(id -u)" -eq 0 ] && chown "$RUN_USER:$RUN_USER" "$PGDATA"
    chmod 700 "$PGDATA"
    as_owner "$(pg_bin initdb)" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
fi
as_owner "$(pg_bin pg_ctl)" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -c port=5432 -c unix_socket_directories=/tmp -c max_connections=200" >/dev/null
for _ in $(seq 1 60); do answering && break; sleep 0.5; done
answering || { echo "postgres.sh: PostgreSQL did not start; see $PGDATA/server.log" >&2; exit 1; }
echo "postgres.sh: started a private PostgreSQL in $PGDATA on 127.0.0.1:5432" >&2
