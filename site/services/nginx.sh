#!/usr/bin/env bash
# site/services/nginx.sh — nginx with the public pages' cache in front of an application, for the
# tests and the benchmarks (production uses site/deploy/nginx.conf, which includes the same
# site/deploy/nginx-page-cache.conf).
#
# Usage:
#   site/services/nginx.sh start DIR LISTEN_PORT UPSTREAM   # e.g. start /tmp/n 8080 127.0.0.1:8001
#   site/services/nginx.sh stop DIR
# Installs Debian's nginx and its cache purge module when missing; runs as the calling user
# from DIR (configuration, cache, logs, pid). Prints nothing on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

log() { printf 'nginx.sh: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

command=${1:?start or stop}
dir=${2:?directory}

if [ "$command" = stop ]; then
    [ -f "$dir/nginx.pid" ] && nginx -p "$dir" -c "$dir/nginx.conf" -s stop 2>/dev/null || true
    exit 0
fi

port=${3:?listen port}
upstream=${4:?upstream host:port}
module=/usr/lib/nginx/modules/ngx_http_cache_purge_module.so
if ! command -v nginx >/dev/null 2>&1 || [ ! -f "$module" ]; then
    log "installing nginx and its cache purge module with apt-get"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        nginx-light libnginx-mod-http-cache-purge >&2 || \
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        nginx libnginx-mod-http-cache-purge >&2
fi
mkdir -p "$dir/cache" "$dir/logs" "$dir/temp"
user_directive=""
[ "$(id -u)" -eq 0 ] && user_directive="user root;"
cat >"$dir/nginx.conf" <<CONF
load_module $module;
$user_directive
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    include /etc/nginx/mime.types;
    upstream thutuc_app { server $upstream; keepalive 16; }
    proxy_cache_path $dir/cache levels=1:2 keys_zone=thutuc_pages:10m max_size=1g inactive=1d use_temp_path=off;
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://thutuc_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Real-IP \$remote_addr;
            include $ROOT/site/deploy/nginx-page-cache.conf;
        }
    }
}
CONF
nginx -p "$dir" -c "$dir/nginx.conf" -t 2>"$dir/logs/configtest.log" || { cat "$dir/logs/configtest.log" >&2; exit 1; }
nginx -p "$dir" -c "$dir/nginx.conf" 3>&- </dev/null
for _ in $(seq 1 50); do [ -s "$dir/nginx.pid" ] && break; sleep 0.1; done
log "nginx on 127.0.0.1:$port in front of $upstream (cache in $dir/cache)"
