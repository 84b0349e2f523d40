#!/usr/bin/env bash
# Lighthouse (mobile) scores of every public page type, run by hand: bash benchmarks/lighthouse.sh [BASE_URL]
# Serves the demo on SQLite (a throwaway database) unless BASE_URL points at a running site.
# Installs Lighthouse from npm into var/lighthouse once; uses Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
TOOLS=var/lighthouse
[ -x "$TOOLS/node_modules/.bin/lighthouse" ] || npm install --prefix "$TOOLS" --no-audit --no-fund lighthouse@12 >/dev/null
BASE=${1:-}
if [ -z "$BASE" ]; then
  DB=$(mktemp -d)/lighthouse.sqlite3
  export DATABASE_URL="sqlite:///$DB"
  unset ELASTICSEARCH_URL
  "$PYTHON" manage.py migrate -v0 && "$PYTHON" manage.py load_demo >/dev/null
  "$PYTHON" manage.py runserver 127.0.0.1:8799 --noreload >/dev/null 2>&1 &
  SERVER=$!
  trap 'kill $SERVER' EXIT
  BASE=http://127.0.0.1:8799
  for _ in $(seq 30); do curl -sf "$BASE/" >/dev/null && break; sleep 1; done
fi
PROCEDURE=/thu-tuc/ho-tro-chi-phi-mai-tang-cho-doi-tuong-bao-tro-xa-hoi/
DECISION=$(curl -s "$BASE/quyet-dinh/" | grep -o 'href="/quyet-dinh/[^"]\+/"' | head -1 | cut -d'"' -f2)
OUT=$(mktemp -d)
for page in "home /" "index /thu-tuc/" "sector /thu-tuc/linh-vuc/bao-tro-xa-hoi/" "procedure $PROCEDURE" \
  "version ${PROCEDURE}phien-ban/1/" "comparison ${PROCEDURE}so-sanh/" "official-set /thu-tuc/bo-thu-tuc-hien-hanh/" \
  "search /tim-kiem/?q=tro+cap" "forms /bieu-mau/" "decisions /quyet-dinh/" "decision $DECISION"; do
  set -- $page
  CHROME_PATH=${CHROMIUM_PATH:-/usr/bin/chromium} "$TOOLS/node_modules/.bin/lighthouse" "$BASE$2" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" --form-factor=mobile \
    --only-categories=performance,accessibility,best-practices,seo --output=json --output-path="$OUT/$1.json"
  "$PYTHON" -c "
import json, sys
categories = json.load(open(sys.argv[1]))['categories']
print(f'{sys.argv[2]:<13}', '  '.join(f'{key} {round(value[\"score\"] * 100)}' for key, value in categories.items()))
" "$OUT/$1.json" "$1"
done
