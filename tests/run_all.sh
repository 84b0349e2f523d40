#!/usr/bin/env bash
# The whole suite against real PostgreSQL and Elasticsearch (started by site/services/), then the smoke
# tests on the embedded default (SQLite + Wagtail's database search), as `make test` promises.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

# The scripts print one VAR=value line. Read it from a file rather than through $(...): a server
# started along the way could otherwise hold the pipe open and the command substitution would
# never end (the scripts close it for the servers they start; this guards against any other).
services_env=$(mktemp)
trap 'rm -f "$services_env"' EXIT
bash site/services/postgres.sh >"$services_env"
bash site/services/elasticsearch.sh >>"$services_env"
bash site/services/redis.sh >>"$services_env"
DATABASE_URL=$(sed -n 's/^DATABASE_URL=//p' "$services_env")
ELASTICSEARCH_URL=$(sed -n 's/^ELASTICSEARCH_URL=//p' "$services_env")
REDIS_URL=$(sed -n 's/^REDIS_URL=//p' "$services_env")
[ -n "$DATABASE_URL" ] && [ -n "$ELASTICSEARCH_URL" ] && [ -n "$REDIS_URL" ] || { echo "services did not start" >&2; exit 1; }
# The suite runs on its own cache; the cache tests use Redis from TEST_REDIS_URL.
export DATABASE_URL ELASTICSEARCH_URL TEST_REDIS_URL="$REDIS_URL"
export ELASTICSEARCH_INDEX_PREFIX=${ELASTICSEARCH_INDEX_PREFIX:-procedures_test_}
export REQUIRE_SERVICES=1

echo "== Full suite: PostgreSQL ($DATABASE_URL) + Elasticsearch ($ELASTICSEARCH_URL)"
"$PYTHON" -m pytest "$@"

echo "== Smoke tests on the embedded default (SQLite + database search)"
env -u DATABASE_URL -u ELASTICSEARCH_URL -u TEST_REDIS_URL -u REQUIRE_SERVICES "$PYTHON" -m pytest -m smoke "$@"
