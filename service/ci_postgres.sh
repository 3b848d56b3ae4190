#!/usr/bin/env bash
# Install (apt-get) and start a PostgreSQL server on 127.0.0.1:5432 with a database and a
# user for the service tests, then print the line that points the tests at it:
#
#   eval "$(service/ci_postgres.sh)"     # exports LEGEVAKT_TEST_POSTGRES_URL
#   .venv/bin/python -m pytest tests/service
#
# Everything else goes to stderr. Safe to run again (it reuses what is there).
# Settings: PGTEST_DB, PGTEST_USER, PGTEST_PASSWORD (defaults: legevakt_test, legevakt, legevakt).
set -euo pipefail

DB="${PGTEST_DB:-legevakt_test}"
ROLE="${PGTEST_USER:-legevakt}"
PASSWORD="${PGTEST_PASSWORD:-legevakt}"
PORT=5432

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null; then
    echo "installing PostgreSQL (apt-get)" >&2
    as_root apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION main"; then
    as_root pg_createcluster "$VERSION" main >&2
fi
# Local connections only, on the usual port (a drop-in: Debian's postgresql.conf reads conf.d).
printf "listen_addresses = '127.0.0.1'\nport = %s\n" "$PORT" |
    as_root tee "/etc/postgresql/$VERSION/main/conf.d/legevakt-tests.conf" >/dev/null
if pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
    as_root pg_ctlcluster "$VERSION" main restart >&2
else
    as_root pg_ctlcluster "$VERSION" main start >&2
fi
for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$PORT" && break
    sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$PORT" >&2

as_postgres psql -v ON_ERROR_STOP=1 -q -p "$PORT" -d postgres >&2 <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
        CREATE ROLE "$ROLE" LOGIN PASSWORD '$PASSWORD';
    ELSE
        ALTER ROLE "$ROLE" LOGIN PASSWORD '$PASSWORD';
    END IF;
END
\$\$;
SQL
if ! as_postgres psql -p "$PORT" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    as_postgres createdb -p "$PORT" -O "$ROLE" "$DB" >&2
fi

echo "export LEGEVAKT_TEST_POSTGRES_URL=postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
