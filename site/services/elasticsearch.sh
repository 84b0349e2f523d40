#!/usr/bin/env bash
# site/services/elasticsearch.sh — provide a real Elasticsearch 8.19.7 on 127.0.0.1:9200
# for the test suite (search backend tests via modelsearch/Wagtail).
#
# Usage:
#   eval "$(site/services/elasticsearch.sh)"    # prints exactly: ELASTICSEARCH_URL=http://127.0.0.1:9200
#   site/services/elasticsearch.sh stop         # stop the server this script started
#   site/services/elasticsearch.sh status       # exit 0 when a server answers
#
# Why it looks like this:
# * Only package registries are reachable, so the server comes from Maven
#   Central: Elastic publishes its "integ-test-zip" distribution there
#   (org.elasticsearch.distribution.integ-test-zip:elasticsearch:zip). It has
#   no bundled JDK (we use the system JDK 17+) and only the modules
#   transport-netty4, x-pack-core, x-pack-security and apm.
# * analysis-common is missing from that zip, so the token filters
#   asciifolding / ngram / edge_ngram and the tokenizers ngram / edge_ngram,
#   which Wagtail's index settings use, do not exist. We provide them with a
#   small *stable* analysis plugin (site/services/elasticsearch/analysis-plugin, plain
#   Lucene classes behind Elasticsearch's stable plugin API), compiled here
#   with javac against the distribution's lib/ jars (no Gradle) and rebuilt
#   only when its sources change (sha256 of the sources).
# * Elasticsearch refuses to run as root: when run as root we run it as the
#   unprivileged system user "esrunner" (created if missing). Because /root is
#   mode 0700 that user cannot reach ~/.cache of root; in that case the cache
#   moves to /var/cache/procedures-site. Override with PROCEDURES_SITE_CACHE.
# * Idempotent: a healthy $ELASTICSEARCH_URL, or any server answering on
#   127.0.0.1:9200, is reused. All chatter goes to stderr; stdout carries only
#   the ELASTICSEARCH_URL=... line.
set -euo pipefail

ES_VERSION=8.19.7
ES_PORT=9200
ES_HOST=127.0.0.1
ES_URL="http://${ES_HOST}:${ES_PORT}"
ES_USER=esrunner
START_TIMEOUT=${ES_START_TIMEOUT:-120}
PLUGIN_NAME=procedures-analysis
ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLUGIN_SRC="${SCRIPT_DIR}/elasticsearch/analysis-plugin/src"

# stdout is reserved for the result line: keep it on fd 3, send the rest to stderr.
exec 3>&1 1>&2

log() { printf 'elasticsearch.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

healthy() { # $1 = base url
    curl -fsS --max-time 10 "${1%/}/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null 2>&1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "need root (or sudo) to run: $*"
    fi
}

apt_install() { # $@ = debian packages
    log "installing $* with apt-get"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 3>&-
}

# ---------------------------------------------------------------- locations
RUN_AS_OTHER=0
[ "$(id -u)" -eq 0 ] && RUN_AS_OTHER=1

# Can $ES_USER reach (traverse) directory $1? Every existing ancestor needs o+x
# (or group/owner bits for that user; we only ever own them as root, so o+x).
reachable_by_runner() {
    local d=$1
    while [ "$d" != "/" ] && [ -n "$d" ]; do
        if [ -e "$d" ]; then
            local mode owner
            mode=$(stat -c '%a' "$d"); owner=$(stat -c '%U' "$d")
            if [ "$owner" != "$ES_USER" ] && [ $(( 8#$mode & 1 )) -eq 0 ]; then
                return 1
            fi
        fi
        d=$(dirname "$d")
    done
    return 0
}

if [ -n "${PROCEDURES_SITE_CACHE:-}" ]; then
    CACHE_DIR=$PROCEDURES_SITE_CACHE
else
    CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/procedures-site"
    if [ "$RUN_AS_OTHER" -eq 1 ] && ! reachable_by_runner "$CACHE_DIR"; then
        CACHE_DIR=/var/cache/procedures-site
    fi
fi
ES_HOME="${CACHE_DIR}/elasticsearch-${ES_VERSION}"
PID_FILE="${ES_HOME}/run/elasticsearch.pid"
DATA_DIR="${ES_HOME}/run/data"
LOGS_DIR="${ES_HOME}/run/logs"

our_pid() { # prints the pid of the server we started, if it is alive
    local pid=""
    [ -f "$PID_FILE" ] && pid=$(cat "$PID_FILE" 2>/dev/null || true)
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        # pid file lost or not written yet: look for a JVM running exactly this ES_HOME
        pid=$(pgrep -f -- "-Des.path.home=${ES_HOME} " 2>/dev/null | head -n1 || true)
    fi
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && printf '%s\n' "$pid"
}

stop_server() {
    local pid
    if ! pid=$(our_pid); then
        log "no Elasticsearch started by this script is running (${PID_FILE})"
        return 0
    fi
    log "stopping Elasticsearch (pid ${pid})"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; log "stopped"; return 0; }
        sleep 1
    done
    log "still running after 60 s, sending SIGKILL"
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
}

case "${1:-start}" in
    start) ;;
    stop) stop_server; exit 0 ;;
    status) if healthy "${ELASTICSEARCH_URL:-$ES_URL}"; then log "up"; exit 0; else log "down"; exit 1; fi ;;
    *) die "usage: $0 [start|stop|status]" ;;
esac

plugin_checksum() {
    # Sources + ES version + this script's build recipe version.
    {
        printf 'es=%s recipe=1\n' "$ES_VERSION"
        (cd "$PLUGIN_SRC" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    } | sha256sum | cut -d' ' -f1
}

warn_if_no_analysis() { # $1 = url; soft check that ngram & co exist on a reused server
    local out
    out=$(curl -fsS --max-time 10 -H 'Content-Type: application/json' \
        -X POST "${1%/}/_analyze" \
        -d '{"tokenizer":"standard","filter":["asciifolding",{"type":"edge_ngram","min_gram":1,"max_gram":3}],"text":"x"}' 2>/dev/null) || {
        log "WARNING: server at $1 has no asciifolding/edge_ngram analysis (analysis-common missing?)"
        return 0
    }
    : "$out"
}

# ---------------------------------------------------------------- reuse
if [ -n "${ELASTICSEARCH_URL:-}" ] && healthy "$ELASTICSEARCH_URL"; then
    log "reusing healthy ELASTICSEARCH_URL=${ELASTICSEARCH_URL}"
    warn_if_no_analysis "$ELASTICSEARCH_URL"
    printf 'ELASTICSEARCH_URL=%s\n' "$ELASTICSEARCH_URL" >&3
    exit 0
fi
if healthy "$ES_URL"; then
    if pid=$(our_pid) && [ -d "$PLUGIN_SRC" ] \
        && [ "$(cat "${ES_HOME}/.${PLUGIN_NAME}.sha256" 2>/dev/null || true)" != "$(plugin_checksum)" ]; then
        log "analysis plugin sources changed: restarting our server (pid ${pid})"
        stop_server
    else
        log "reusing the server answering on ${ES_URL}"
        warn_if_no_analysis "$ES_URL"
        printf 'ELASTICSEARCH_URL=%s\n' "$ES_URL" >&3
        exit 0
    fi
fi
if pid=$(our_pid); then
    log "our server (pid ${pid}) is running but not healthy: restarting it"
    stop_server
fi
if curl -s --max-time 5 -o /dev/null "$ES_URL" 2>/dev/null; then
    die "something answers on ${ES_URL} but is not a healthy Elasticsearch; refusing to start a second one"
fi

# ---------------------------------------------------------------- tools
java_major() { # $1 = java binary; prints the feature version (17, 21, 25, ...)
    "$1" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9.]*\).*/\1/p' | head -n1 | sed 's/^1\.//; s/\..*//'
}

find_jdk() { # prints a JDK home (with javac) of version 17 or newer
    local c candidates=() j
    [ -n "${ES_JAVA_HOME:-}" ] && candidates+=("$ES_JAVA_HOME")
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    candidates+=(/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-*)
    for c in /usr/lib/jvm/*17* /usr/lib/jvm/*21* /usr/lib/jvm/*; do candidates+=("$c"); done
    for j in javac java; do
        if command -v "$j" >/dev/null 2>&1; then
            candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v "$j")")")")")
        fi
    done
    for c in "${candidates[@]}"; do
        if [ ! -x "$c/bin/java" ] || [ ! -x "$c/bin/javac" ] || [ ! -x "$c/bin/jar" ]; then continue; fi
        local v
        v=$(java_major "$c/bin/java")
        if [ -n "$v" ] && [ "$v" -ge 17 ]; then
            printf '%s\n' "$c"
            return 0
        fi
    done
    return 1
}

JDK=$(find_jdk || true)
if [ -z "$JDK" ]; then
    apt_install openjdk-17-jdk-headless
    JDK=$(find_jdk) || die "no JDK 17+ with javac found"
fi
log "using JDK ${JDK}"
command -v mvn >/dev/null 2>&1 || apt_install maven
command -v unzip >/dev/null 2>&1 || apt_install unzip

# ---------------------------------------------------------------- distribution
M2_REPO="${MAVEN_LOCAL_REPO:-$HOME/.m2/repository}"
ZIP="${M2_REPO}/org/elasticsearch/distribution/integ-test-zip/elasticsearch/${ES_VERSION}/elasticsearch-${ES_VERSION}.zip"

if [ ! -x "${ES_HOME}/bin/elasticsearch" ]; then
    if [ ! -s "$ZIP" ]; then
        log "fetching ${ARTIFACT} from Maven Central"
        JAVA_HOME="$JDK" mvn -q -B dependency:get -Dartifact="$ARTIFACT" -Dtransitive=false \
            ${MAVEN_LOCAL_REPO:+-Dmaven.repo.local="$MAVEN_LOCAL_REPO"} >&2
        [ -s "$ZIP" ] || die "maven did not produce ${ZIP}"
    fi
    log "unpacking into ${ES_HOME}"
    mkdir -p "$CACHE_DIR"
    tmp=$(mktemp -d "${CACHE_DIR}/unpack.XXXXXX")
    unzip -q "$ZIP" -d "$tmp"
    [ -x "${tmp}/elasticsearch-${ES_VERSION}/bin/elasticsearch" ] || die "unexpected zip layout in ${ZIP}"
    rm -rf "$ES_HOME"
    mv "${tmp}/elasticsearch-${ES_VERSION}" "$ES_HOME"
    rmdir "$tmp"
fi

# ---------------------------------------------------------------- analysis plugin
PLUGIN_DIR="${ES_HOME}/plugins/${PLUGIN_NAME}"
SUM_FILE="${ES_HOME}/.${PLUGIN_NAME}.sha256"
want_sum=$(plugin_checksum)
if [ "$(cat "$SUM_FILE" 2>/dev/null || true)" != "$want_sum" ] || [ ! -f "${PLUGIN_DIR}/${PLUGIN_NAME}.jar" ]; then
    log "building the ${PLUGIN_NAME} stable plugin"
    build=$(mktemp -d "${CACHE_DIR}/plugin-build.XXXXXX")
    mapfile -t sources < <(find "${PLUGIN_SRC}/main/java" -name '*.java' | LC_ALL=C sort)
    "$JDK/bin/javac" --release 17 -nowarn -proc:none -encoding UTF-8 \
        -cp "${ES_HOME}/lib/*" -d "${build}/classes" "${sources[@]}"
    "$JDK/bin/jar" --create --file "${build}/${PLUGIN_NAME}.jar" -C "${build}/classes" .
    rm -rf "$PLUGIN_DIR"
    mkdir -p "$PLUGIN_DIR"
    cp "${build}/${PLUGIN_NAME}.jar" "$PLUGIN_DIR/"
    cp "${PLUGIN_SRC}/main/resources/named_components.json" "$PLUGIN_DIR/"
    sed "s/@ES_VERSION@/${ES_VERSION}/g" "${PLUGIN_SRC}/main/resources/stable-plugin-descriptor.properties" \
        > "${PLUGIN_DIR}/stable-plugin-descriptor.properties"
    rm -rf "$build"
    printf '%s\n' "$want_sum" > "$SUM_FILE"
fi

# ---------------------------------------------------------------- run
mkdir -p "$DATA_DIR" "$LOGS_DIR" "$(dirname "$PID_FILE")"
rm -f "$PID_FILE"
run=()
if [ "$RUN_AS_OTHER" -eq 1 ]; then
    if ! id -u "$ES_USER" >/dev/null 2>&1; then
        log "creating system user ${ES_USER}"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$ES_USER"
    fi
    chown -R "${ES_USER}:" "$ES_HOME"
    reachable_by_runner "$ES_HOME" || die "${ES_USER} cannot reach ${ES_HOME}; set PROCEDURES_SITE_CACHE"
    run=(runuser -u "$ES_USER" --)
fi

log "starting Elasticsearch ${ES_VERSION} on ${ES_URL}"
# 3>&- below: the daemon must not inherit fd 3 (the caller's $(...) pipe), or the
# caller's command substitution would wait for the server to exit.
started=0
if "${run[@]}" env HOME="$ES_HOME" ES_JAVA_HOME="$JDK" ES_JAVA_OPTS="-Xms512m -Xmx512m ${ES_EXTRA_JAVA_OPTS:-}" \
    ES_PATH_CONF="${ES_HOME}/config" \
    timeout "$START_TIMEOUT" "${ES_HOME}/bin/elasticsearch" -d -p "$PID_FILE" \
        -E discovery.type=single-node \
        -E network.host="$ES_HOST" \
        -E http.port="$ES_PORT" \
        -E transport.port=9300-9400 \
        -E xpack.security.enabled=false \
        -E cluster.routing.allocation.disk.threshold_enabled=false \
        -E action.destructive_requires_name=false \
        -E path.data="$DATA_DIR" \
        -E path.logs="$LOGS_DIR" >&2 3>&-; then
    deadline=$(( SECONDS + START_TIMEOUT ))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if healthy "$ES_URL"; then started=1; break; fi
        our_pid >/dev/null || break
        sleep 2
    done
fi

if [ "$started" -ne 1 ]; then
    log "Elasticsearch did not become healthy within ${START_TIMEOUT} s; log tail:"
    for f in "${LOGS_DIR}"/*.log; do
        case "$f" in */gc.log) continue ;; esac
        [ -f "$f" ] || continue
        log "==> $f"
        tail -n 60 "$f" >&2
    done
    stop_server || true
    exit 1
fi

log "Elasticsearch is up (pid $(our_pid || echo '?'), home ${ES_HOME})"
printf 'ELASTICSEARCH_URL=%s\n' "$ES_URL" >&3
