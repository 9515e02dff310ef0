#!/usr/bin/env bash
# Load comparison: the Sluice agent vs nginx as reverse proxies in front of the same backend.
#
#   backend   nginx serving a small fixed body            127.0.0.1:$BACKEND_PORT
#   nginx     proxy_pass with a keep-alive upstream, 1 worker   127.0.0.1:$NGINX_PORT
#   agent     sluice-agent.jar run, same backend           127.0.0.1:$AGENT_PORT
#
# wrk drives each proxy in turn for several rounds; the script prints requests/s, p50 and p99 per
# round, the medians, the agent/nginx ratios and the agent's resident memory after the load.
# Then an HTTP/2 run: h2load (Debian: nghttp2-client) drives h2c with prior knowledge against the
# agent's same port and against nginx's http2 listener ($H2_NGINX_PORT), same backend over HTTP/1.1.
# H2=0 skips it; it is skipped with a note when h2load is missing.
#
# Needs: wrk, nginx (Debian: apt-get install -y wrk nginx-light), Java 17, the agent jar
# (./mvnw -B -pl gateway-agent -am package -DskipTests). Tunables via environment:
#   ROUNDS=3 DURATION=10s WARMUP=5s THREADS=1 CONNECTIONS=32 WORKERS=1 AGENT_JAVA_OPTS="-Xmx256m" ./bench/load/run.sh
# JFR=/tmp/agent.jfr also records the agent with JFR (settings=profile, or JFR_SETTINGS=<name or .jfc>)
# during the measured rounds and prints the bytes its event loops allocated per request; then
# `bench/load/jfr-cpu.py` on the recording gives the event loops' CPU profile shares and
# `bench/load/jfr-alloc.py --sites` the allocation sites. That figure, and the CPU time per
# request printed at the end of every run, depend little on what else runs on the machine; requests/s
# and latencies do not. STRACE=1 adds one 5 s agent run under `strace -c -f` after the rounds (not
# part of the figures; strace slows the agent down) and prints system calls per request.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-3}
# wrk against the agent before the measured rounds, so that its hot path is compiled (C2) first.
WARMUP=${WARMUP:-5s}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-32}
BACKEND_PORT=${BACKEND_PORT:-18081}
NGINX_PORT=${NGINX_PORT:-18082}
AGENT_PORT=${AGENT_PORT:-18083}
H2=${H2:-1}
H2_NGINX_PORT=${H2_NGINX_PORT:-18084}
H2_STREAMS=${H2_STREAMS:-10}
# The JVM options the installed launcher uses (installers/linux/agent.args), unless overridden.
LAUNCHER_OPTS=$(awk '$1 == "--java-options" { printf "%s ", $2 }' installers/linux/agent.args)
AGENT_JAVA_OPTS=${AGENT_JAVA_OPTS:-$LAUNCHER_OPTS}
# Event loops of the agent: 0 = one per core (the default of `run`); 1 = the shape of the reference
# nginx (worker_processes 1).
WORKERS=${WORKERS:-0}
JAR=gateway-agent/target/sluice-agent.jar
JFR=${JFR:-}
JFR_SETTINGS=${JFR_SETTINGS:-profile}
STRACE=${STRACE:-}

for tool in wrk nginx java; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk nginx-light)" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "missing $JAR: ./mvnw -B -pl gateway-agent -am package -DskipTests" >&2; exit 1; }

source bench/load/lib.sh

mkdir -p "$work/backend" "$work/proxy"
cat > "$work/backend/nginx.conf" <<CONF
daemon off; worker_processes 1; pid $work/backend/nginx.pid; error_log $work/backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; client_body_temp_path $work/backend; proxy_temp_path $work/backend;
  fastcgi_temp_path $work/backend; uwsgi_temp_path $work/backend; scgi_temp_path $work/backend;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$BACKEND_PORT; location / { default_type text/plain; return 200 "hello from the backend\n"; } }
}
CONF
cat > "$work/proxy/nginx.conf" <<CONF
daemon off; worker_processes 1; pid $work/proxy/nginx.pid; error_log $work/proxy/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; client_body_temp_path $work/proxy; proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/proxy; uwsgi_temp_path $work/proxy; scgi_temp_path $work/proxy;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$BACKEND_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
  server {
    listen 127.0.0.1:$H2_NGINX_PORT http2;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
cat > "$work/agent.yaml" <<CONF
agent: {id: bench, cluster: bench}
listeners: [{name: public, host: 127.0.0.1, port: $AGENT_PORT}]
accessLog: {enabled: false}
services:
  - name: backend
    instances: [{host: 127.0.0.1, port: $BACKEND_PORT}]
routes:
  - {id: all, match: {path: "/*rest"}, service: backend}
CONF

nginx -c "$work/backend/nginx.conf" -p "$work/backend" & pids+=($!)
nginx -c "$work/proxy/nginx.conf" -p "$work/proxy" & pids+=($!)
# shellcheck disable=SC2086
java $AGENT_JAVA_OPTS -jar "$JAR" run --workers "$WORKERS" --config "$work/agent.yaml" > "$work/agent.log" 2>&1 & agent_pid=$!
pids+=("$agent_pid")

wait_for "$BACKEND_PORT"; wait_for "$NGINX_PORT"; wait_for "$AGENT_PORT"

# One wrk run; prints "rps p50_ms p99_ms requests".
measure() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --latency "http://127.0.0.1:$2/" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    / requests in / { n = $1 }
    END { printf "%.0f %.3f %.3f %d\n", rps, p50, p99, n }'
}
# CPU time (clock ticks, user + system) of the agent: the whole process and its event loops.
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$agent_pid/stat"
}
loop_ticks() {
  local total=0 task
  for task in /proc/"$agent_pid"/task/*; do
    grep -q '^sluice-io' "$task/comm" 2>/dev/null || continue
    total=$((total + $(awk '{ print $14 + $15 }' "$task/stat")))
  done
  echo "$total"
}
# CPU ticks of the agent's threads by group: "loops gc jit other" (GC: the collector's and VM threads).
group_ticks() {
  local task comm ticks loops=0 gc=0 jit=0 other=0
  for task in /proc/"$agent_pid"/task/*; do
    comm=$(cat "$task/comm" 2>/dev/null) || continue
    ticks=$(sed 's/.*) //' "$task/stat" 2>/dev/null | awk '{ print $12 + $13 }') || continue
    [ -n "$ticks" ] || continue
    case "$comm" in
      sluice-io*) loops=$((loops + ticks)) ;;
      "GC Thread"*|"VM Thread"|"G1 "*|"VM Periodic"*) gc=$((gc + ticks)) ;;
      *Compiler*) jit=$((jit + ticks)) ;;
      *) other=$((other + ticks)) ;;
    esac
  done
  echo "$loops $gc $jit $other"
}

echo "warming up (the JIT compiles the agent's hot path)..."
measure "$WARMUP" "$AGENT_PORT" >/dev/null; measure 2s "$NGINX_PORT" >/dev/null

if [ -n "$JFR" ]; then
  jcmd "$agent_pid" JFR.start name=load settings="$JFR_SETTINGS" filename="$JFR" >/dev/null
fi
printf '%-6s %-6s %12s %10s %10s\n' round proxy "requests/s" "p50 ms" "p99 ms"
cpu_before=$(cpu_ticks); loops_before=$(loop_ticks); read -r -a groups_before < <(group_ticks)
: > "$work/nginx.txt"; : > "$work/agent.txt"
for round in $(seq 1 "$ROUNDS"); do
  for target in nginx agent; do
    port=$NGINX_PORT; [ "$target" = agent ] && port=$AGENT_PORT
    read -r rps p50 p99 requests < <(measure "$DURATION" "$port")
    echo "$rps $p50 $p99 $requests" >> "$work/$target.txt"
    printf '%-6s %-6s %12s %10s %10s\n' "$round" "$target" "$rps" "$p50" "$p99"
  done
done

cpu_after=$(cpu_ticks); loops_after=$(loop_ticks); read -r -a groups_after < <(group_ticks)
col() { awk -v c="$1" '{ print $c }' "$work/$2.txt" | median; }
n_rps=$(col 1 nginx); n_p50=$(col 2 nginx); n_p99=$(col 3 nginx)
a_rps=$(col 1 agent); a_p50=$(col 2 agent); a_p99=$(col 3 agent)
rss_kb=$(ps -o rss= -p "$agent_pid" | tr -d ' ')
echo
echo "median of $ROUNDS rounds, wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
printf 'nginx  %10.0f req/s  p50 %7.3f ms  p99 %7.3f ms\n' "$n_rps" "$n_p50" "$n_p99"
printf 'agent  %10.0f req/s  p50 %7.3f ms  p99 %7.3f ms\n' "$a_rps" "$a_p50" "$a_p99"
awk -v a="$a_rps" -v n="$n_rps" -v ap="$a_p99" -v np="$n_p99" \
  'BEGIN { printf "agent/nginx: throughput %.2fx, p99 %.2fx\n", a / n, ap / np }'
echo "agent resident memory after the load: $((rss_kb / 1024)) MiB (JVM options: $AGENT_JAVA_OPTS; --workers $WORKERS)"
agent_requests=$(awk '{ n += $4 } END { print n }' "$work/agent.txt")
awk -v p="$((cpu_after - cpu_before))" -v l="$((loops_after - loops_before))" -v n="$agent_requests" \
    -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "agent CPU per request: %.1f us (process), %.1f us (event loops)\n",
    p / hz * 1e6 / n, l / hz * 1e6 / n }'
awk -v n="$agent_requests" -v hz="$(getconf CLK_TCK)" \
    -v l="$((groups_after[0] - groups_before[0]))" -v g="$((groups_after[1] - groups_before[1]))" \
    -v j="$((groups_after[2] - groups_before[2]))" -v o="$((groups_after[3] - groups_before[3]))" \
    'BEGIN { f = hz * n / 1e6; printf "  by thread: event loops %.1f, GC %.1f, JIT %.1f, other %.1f us per request\n",
    l / f, g / f, j / f, o / f }'
if [ -n "$JFR" ]; then
  jcmd "$agent_pid" JFR.stop name=load >/dev/null
  python3 bench/load/jfr-alloc.py "$JFR" "$agent_requests"
fi

if [ -n "$STRACE" ]; then
  command -v strace >/dev/null || { echo "missing strace (apt-get install -y strace)" >&2; exit 1; }
  strace -c -f -p "$agent_pid" -o "$work/strace.txt" 2>/dev/null & strace_pid=$!
  sleep 1
  read -r _ _ _ traced < <(measure 5s "$AGENT_PORT")
  kill -INT "$strace_pid"; wait "$strace_pid" 2>/dev/null || true
  echo "system calls per request (strace -c -f, $traced requests):"
  awk -v n="$traced" '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ && $NF != "total" && $4 / n >= 0.01 {
    printf "  %-16s %6.2f\n", $NF, $4 / n }' "$work/strace.txt"
fi

# --- HTTP/2: h2load, h2c with prior knowledge, multiplexed streams per connection ---
if [ "$H2" = 1 ]; then
  if ! command -v h2load >/dev/null; then
    echo; echo "HTTP/2 run skipped: h2load missing (apt-get install -y nghttp2-client)"
  else
    # One h2load run; prints "rps mean_ms".
    measure_h2() {
      h2load -t"$THREADS" -c"$CONNECTIONS" -m"$H2_STREAMS" -D "$1" --warm-up-time=1s "http://127.0.0.1:$2/" | awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /^finished in/ { rps = $4 } /^time for request:/ { mean = ms($6) }
        END { printf "%.0f %.3f\n", rps, mean }'
    }
    echo
    echo "HTTP/2 (h2c prior knowledge): h2load -t$THREADS -c$CONNECTIONS -m$H2_STREAMS -D $DURATION"
    measure_h2 3s "$AGENT_PORT" >/dev/null; measure_h2 2s "$H2_NGINX_PORT" >/dev/null
    printf '%-6s %-6s %12s %10s\n' round proxy "requests/s" "mean ms"
    : > "$work/nginx-h2.txt"; : > "$work/agent-h2.txt"
    for round in $(seq 1 "$ROUNDS"); do
      for target in nginx agent; do
        port=$H2_NGINX_PORT; [ "$target" = agent ] && port=$AGENT_PORT
        read -r rps mean < <(measure_h2 "$DURATION" "$port")
        echo "$rps $mean" >> "$work/$target-h2.txt"
        printf '%-6s %-6s %12s %10s\n' "$round" "$target" "$rps" "$mean"
      done
    done
    n_rps=$(col 1 nginx-h2); n_mean=$(col 2 nginx-h2)
    a_rps=$(col 1 agent-h2); a_mean=$(col 2 agent-h2)
    echo "median of $ROUNDS rounds"
    printf 'nginx  %10.0f req/s  mean %7.3f ms\n' "$n_rps" "$n_mean"
    printf 'agent  %10.0f req/s  mean %7.3f ms\n' "$a_rps" "$a_mean"
    awk -v a="$a_rps" -v n="$n_rps" 'BEGIN { printf "agent/nginx (HTTP/2): throughput %.2fx\n", a / n }'
  fi
fi
