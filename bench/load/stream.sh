#!/usr/bin/env bash
# Memory of the agent while a large body streams through it, upload then download.
#
#   backend   nginx: discards request bodies, serves one SIZE_MB file   127.0.0.1:$BACKEND_PORT
#   agent     sluice-agent.jar run with the launcher's JVM options     127.0.0.1:$AGENT_PORT
#
# For each direction the script prints the agent's heap in use (jstat: survivors + eden + old)
# before, the highest value sampled every 100 ms while the body streams, and after a full GC, plus
# its resident memory (RSS) before and at the highest. A proxy that buffered the body would show it
# in the peak (heap) or in the RSS (Netty's direct buffers); garbage left by streaming shows in the
# peak only until the next young GC, so "after GC" is what stayed.
#
# Needs: nginx, curl, Java 17 (jstat, jcmd), the agent jar (./mvnw -B -pl gateway-agent -am package
# -DskipTests). Tunables: SIZE_MB=100 RATE=20M (the client's speed both ways, so the transfer lasts
# long enough to sample, and a slow reader makes the agent hold the upstream back instead of
# buffering) AGENT_JAVA_OPTS (default: the --java-options of installers/linux/agent.args).
set -euo pipefail
cd "$(dirname "$0")/../.."

SIZE_MB=${SIZE_MB:-100}
RATE=${RATE:-20M}
BACKEND_PORT=${BACKEND_PORT:-18091}
AGENT_PORT=${AGENT_PORT:-18093}
LAUNCHER_OPTS=$(awk '$1 == "--java-options" { printf "%s ", $2 }' installers/linux/agent.args)
AGENT_JAVA_OPTS=${AGENT_JAVA_OPTS:-$LAUNCHER_OPTS}
JAR=gateway-agent/target/sluice-agent.jar

for tool in nginx curl java jstat jcmd; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "missing $JAR: ./mvnw -B -pl gateway-agent -am package -DskipTests" >&2; exit 1; }

source bench/load/lib.sh

mkdir -p "$work/backend/files"
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom > "$work/backend/files/big"
# nginx's worker (not root when the master is) must be able to read the file.
chmod 755 "$work" "$work/backend" "$work/backend/files"; chmod 644 "$work/backend/files/big"
cat > "$work/backend/nginx.conf" <<CONF
daemon off; worker_processes 1; pid $work/backend/nginx.pid; error_log $work/backend/error.log warn;
events { worker_connections 1024; }
http {
  access_log off; client_body_temp_path $work/backend; proxy_temp_path $work/backend;
  fastcgi_temp_path $work/backend; uwsgi_temp_path $work/backend; scgi_temp_path $work/backend;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:$BACKEND_PORT;
    location /files/ { root $work/backend; }
    location /upload { default_type text/plain; return 200 "discarded\n"; }
  }
}
CONF
cat > "$work/agent.yaml" <<CONF
agent: {id: stream, cluster: bench}
listeners: [{name: public, host: 127.0.0.1, port: $AGENT_PORT}]
accessLog: {enabled: false}
services:
  - name: backend
    responseTimeout: 120s
    instances: [{host: 127.0.0.1, port: $BACKEND_PORT}]
routes:
  - {id: all, match: {path: "/*rest"}, service: backend, maxBodyBytes: $((2 * SIZE_MB * 1024 * 1024))}
CONF

nginx -c "$work/backend/nginx.conf" -p "$work/backend" & pids+=($!)
# shellcheck disable=SC2086
java $AGENT_JAVA_OPTS -jar "$JAR" run --config "$work/agent.yaml" > "$work/agent.log" 2>&1 & agent_pid=$!
pids+=("$agent_pid")
wait_for "$AGENT_PORT" /upload

# Heap in use in KiB (S0U + S1U + EU + OU), and resident memory in KiB.
heap_kb() { jstat -gc "$agent_pid" | awk 'NR == 2 { printf "%.0f\n", $3 + $4 + $6 + $8 }'; }
rss_kb() { ps -o rss= -p "$agent_pid" | tr -d ' '; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# Runs "$@" in the background while sampling; prints "heap_before heap_peak heap_after rss_before rss_peak".
sample_during() {
  jcmd "$agent_pid" GC.run >/dev/null
  local heap0 rss0 peak rsspeak h r
  heap0=$(heap_kb); rss0=$(rss_kb); peak=$heap0; rsspeak=$rss0
  "$@" & local job=$!
  while kill -0 "$job" 2>/dev/null; do
    h=$(heap_kb); r=$(rss_kb)
    [ "$h" -gt "$peak" ] && peak=$h
    [ "$r" -gt "$rsspeak" ] && rsspeak=$r
    sleep 0.1
  done
  wait "$job"
  jcmd "$agent_pid" GC.run >/dev/null
  echo "$heap0 $peak $(heap_kb) $rss0 $rsspeak"
}

upload() {
  curl -fsS --limit-rate "$RATE" -o /dev/null -H "Transfer-Encoding: chunked" --data-binary @"$work/backend/files/big" \
    "http://127.0.0.1:$AGENT_PORT/upload"
}
download() {
  curl -fsS --limit-rate "$RATE" -o "$work/downloaded" "http://127.0.0.1:$AGENT_PORT/files/big"
  cmp -s "$work/downloaded" "$work/backend/files/big" || { echo "downloaded body differs" >&2; exit 1; }
}

echo "agent JVM options: $AGENT_JAVA_OPTS"
printf '%-28s %10s %10s %12s %12s %12s\n' "$SIZE_MB MiB body" "heap MiB" "peak MiB" "after GC MiB" "RSS MiB" "RSS peak MiB"
for direction in upload download; do
  read -r h0 hp h1 r0 rp < <(sample_during "$direction")
  label="upload, chunked, $RATE/s"; [ "$direction" = download ] && label="download, $RATE/s"
  printf '%-28s %10s %10s %12s %12s %12s\n' "$label" "$(mib "$h0")" "$(mib "$hp")" "$(mib "$h1")" "$(mib "$r0")" "$(mib "$rp")"
done
