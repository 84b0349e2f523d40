#!/usr/bin/env bash
# Install what the browser tests need, idempotently: Debian's chromium (Playwright drives it
# through executable_path; Playwright's own browser download is never used) and axe-core from
# the npm registry (tests/browser/package-lock.json pins it). Also the Nu HTML Checker for
# tests/test_html_validity.py: vnu.jar from the npm package vnu-jar (pinned and checksummed by
# the same lock file, kept in tests/browser/node_modules between runs) and a Java runtime.
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    echo "installing chromium with apt-get" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
fi
if ! command -v npm >/dev/null 2>&1; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >&2
fi
if ! command -v java >/dev/null 2>&1; then
    echo "installing a Java runtime with apt-get (the Nu HTML Checker)" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless >&2
fi
# --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime from outside the registries
# when it finds none; the system's (above) is used instead.
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ] || [ ! -f tests/browser/node_modules/vnu-jar/build/dist/vnu.jar ]; then
    npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund --loglevel=error >&2
fi
