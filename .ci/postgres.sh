#!/usr/bin/env bash
# Runs COMMAND... with a throwaway PostgreSQL server: initdb a cluster in a temporary
# folder, start it on a free loopback port, export FLAMEGATE_TEST_POSTGRES=postgres://…
# (the store tests then run against PostgreSQL as well as SQLite), and stop and delete the
# cluster when COMMAND ends, however it ends. Needs Debian's postgresql package.
#   .ci/postgres.sh swift test --filter Store
# POSTGRES_OPTIONS adds server settings (`-c name=value …`; Benchmarks/store.sh's bulk load).
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
    echo "postgres.sh: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)" >&2
    exit 2
fi
dir=$(mktemp -d /tmp/flamegate-pg.XXXXXX)
# initdb and pg_ctl refuse root: run them as the postgres user when we are root.
as=()
if [[ $(id -u) == 0 ]]; then
    chown postgres "$dir"
    as=(runuser -u postgres --)
fi
cleanup() {
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 2; }
if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 ${POSTGRES_OPTIONS:-}" start >/dev/null; then
    cat "$dir/server.log" >&2
    exit 2
fi
export FLAMEGATE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"
echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2
status=0
"$@" || status=$?
exit $status
