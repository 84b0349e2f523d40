#!/usr/bin/env bash
# The whole suite against real PostgreSQL and Elasticsearch (started by site/), then the smoke
# tests on the embedded default (SQLite + Wagtail's database search), as `make test` promises.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

eval "$(bash site/postgres.sh)"
eval "$(bash site/elasticsearch.sh)"
export DATABASE_URL ELASTICSEARCH_URL
export ELASTICSEARCH_INDEX_PREFIX=${ELASTICSEARCH_INDEX_PREFIX:-procedures_test_}
export REQUIRE_SERVICES=1

echo "== Full suite: PostgreSQL ($DATABASE_URL) + Elasticsearch ($ELASTICSEARCH_URL)"
"$PYTHON" -m pytest "$@"

echo "== Smoke tests on the embedded default (SQLite + database search)"
env -u DATABASE_URL -u ELASTICSEARCH_URL -u REQUIRE_SERVICES "$PYTHON" -m pytest -m smoke "$@"
