#!/usr/bin/env bash
# A local PostgreSQL for the database tests: installs the server if missing (as root, Debian/Ubuntu),
# starts the cluster, creates role `bot` (random password in var/postgres.password, may create databases, which the tests use
# to get one fresh database each) and database `bot_test` (or $POSTGRES_DATABASE).
# Prints exactly one line on stdout, the connection URL; everything else goes to stderr.
#
#   TEST_POSTGRES_URL=$(bash scripts/postgres.sh) .venv/bin/pytest tests/db
set -euo pipefail

ROLE=bot
# The local role's password: random, made once, kept out of git with the rest of var/.
PASSWORD_FILE="$(dirname "$0")/../var/postgres.password"
if [[ ! -s $PASSWORD_FILE ]]; then
  mkdir -p "$(dirname "$PASSWORD_FILE")"
  (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$PASSWORD_FILE")
fi
PASSWORD=$(cat "$PASSWORD_FILE")
DATABASE="${POSTGRES_DATABASE:-bot_test}"
HOST=127.0.0.1

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

url_for_port() { echo "postgresql://$ROLE:$PASSWORD@$HOST:$1/$DATABASE"; }

can_connect() {
  command -v psql >/dev/null 2>&1 &&
    PGPASSWORD=$PASSWORD PGCONNECT_TIMEOUT=3 psql -h "$HOST" -p "$1" -U "$ROLE" -d "$DATABASE" \
      -tAc 'select 1' >/dev/null 2>&1
}

as_postgres() {
  if command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

server_installed() {
  command -v pg_ctlcluster >/dev/null 2>&1 && compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null
}

# Already set up and running: nothing to do.
if can_connect 5432; then
  url_for_port 5432
  exit 0
fi

if ! server_installed; then
  source "$(dirname "$0")/debian.sh"
  debian_install postgres.sh postgresql
fi

[[ $(id -u) -eq 0 ]] || die "PostgreSQL is not reachable as $ROLE on $HOST:5432; run this script as root to set it up."

# The newest installed major version, and its cluster named "main" (created if the package did not).
VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {found=1} END {exit !found}'; then
  log "creating cluster $VERSION/main…"
  pg_createcluster "$VERSION" main >&2
fi
PORT=$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $3}')
STATUS=$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $4}')
if [[ $STATUS != online* ]]; then
  log "starting cluster $VERSION/main on port $PORT…"
  pg_ctlcluster "$VERSION" main start >&2
fi

for _ in $(seq 1 30); do
  pg_isready -q -h "$HOST" -p "$PORT" && break
  sleep 1
done
pg_isready -q -h "$HOST" -p "$PORT" || die "the server on $HOST:$PORT did not become ready."

psql_admin() { as_postgres psql -p "$PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }

if [[ -z $(psql_admin -c "select 1 from pg_roles where rolname = '$ROLE'") ]]; then
  log "creating role $ROLE…"
  psql_admin -c "create role $ROLE login createdb password '$PASSWORD'" >&2
else
  psql_admin -c "alter role $ROLE password '$PASSWORD'" >&2  # the password file may be new
fi
if [[ -z $(psql_admin -c "select 1 from pg_database where datname = '$DATABASE'") ]]; then
  log "creating database $DATABASE…"
  psql_admin -c "create database $DATABASE owner $ROLE" >&2
fi

can_connect "$PORT" || die "created role and database, but cannot log in as $ROLE (check pg_hba.conf)."
url_for_port "$PORT"
