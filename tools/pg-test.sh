#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster:
#   tools/pg-test.sh COMMAND [ARGS...]
# initdb makes a cluster in a new temporary folder, pg_ctl starts it listening
# only on a unix socket in that folder (no TCP port, so runs never collide), the
# command runs with STIPPLE_TEST_POSTGRES_URL set to a superuser's URL, and the
# cluster is stopped and removed afterwards, on success, failure or interrupt.
# The database's default collation is ICU's en-US, as a clinic's would be, so a
# query that sorts by the locale rather than bytewise shows in the tests.
# PostgreSQL refuses to run as root, so as root the cluster runs as the
# unprivileged user `nobody` (setpriv), in a folder it owns. Exits with the
# command's status, or 1 when the cluster cannot be started (never skips).
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: tools/pg-test.sh COMMAND [ARGS...]" >&2; exit 2; }

pg_bin=${STIPPLE_PG_BIN:-/usr/lib/postgresql/15/bin}
for tool in initdb pg_ctl; do
  [ -x "$pg_bin/$tool" ] || { echo "pg-test: $pg_bin/$tool not found (apt-get install postgresql-15)" >&2; exit 1; }
done

# initdb and pg_ctl's children write to /dev/null as the unprivileged user; a
# /dev/null replaced by a regular file (a root process renaming over it) breaks them.
[ -c /dev/null ] || { echo "pg-test: /dev/null is not the null device (mknod -m 666 /dev/null c 1 3 restores it)" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/stipple-pg.XXXXXX")
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody:nogroup "$dir"
  as_owner=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi
port=$((20000 + RANDOM % 20000))  # names the socket file only

cleanup() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$dir"
if ! "${as_owner[@]}" "$pg_bin/initdb" -D "$dir/data" -U stipple --auth=trust -E UTF8 --locale=C.UTF-8 \
    --locale-provider=icu --icu-locale=en-US \
    >"$dir/initdb.log" 2>&1; then
  echo "pg-test: initdb failed:" >&2; cat "$dir/initdb.log" >&2; exit 1
fi
# fsync off: the cluster is thrown away, so durability buys nothing and costs seconds.
if ! "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses='' -k $dir -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null 2>&1; then
  echo "pg-test: the PostgreSQL server did not start:" >&2; cat "$dir/server.log" >&2; exit 1
fi
cd - >/dev/null

export STIPPLE_TEST_POSTGRES_URL="postgresql://stipple@/postgres?host=$dir&port=$port"
status=0
"$@" || status=$?
exit $status
