#!/usr/bin/env bash
# Proxy throughput with 0 vs N telemetry watchers (issue #6: ≥ 0.97× with 10 watchers at 100 ms).
#
#   backend   nginx serving a small fixed body            127.0.0.1:$BACKEND_PORT
#   agent     sluice-agent.jar run, admin on loopback     127.0.0.1:$AGENT_PORT, admin $ADMIN_PORT
#   watchers  dev.sluice.bench.TelemetryWatchers: N WatchTelemetry streams at $INTERVAL_MS, each
#             reading every frame, as consoles would
#
# Each round runs wrk without watchers and with them (the order alternates between rounds so that a
# drift of the machine does not favour one side) and prints requests/s, p99, the CPU the agent used
# (cores, and microseconds per request) and the CPU the watchers' own JVM used, each read from
# /proc/PID/stat (utime + stime) before and after wrk; at the end the medians, the ratio
# with/without, and what the watchers cost the agent itself (its extra CPU per request), apart from
# the watcher client's CPU, which on this one-machine set-up competes for the same cores.
#
# Needs: wrk, nginx (apt-get install -y wrk nginx-light), Java 17, the agent jar and the bench jar:
#   ./mvnw -B -q -pl gateway-agent,bench -am package -DskipTests
# Tunables: ROUNDS=5 DURATION=10s WATCHERS=10 INTERVAL_MS=100 THREADS=1 CONNECTIONS=32 ./bench/load/watchers.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
WATCHERS=${WATCHERS:-10}
INTERVAL_MS=${INTERVAL_MS:-100}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-32}
BACKEND_PORT=${BACKEND_PORT:-18091}
AGENT_PORT=${AGENT_PORT:-18093}
ADMIN_PORT=${ADMIN_PORT:-18094}
AGENT_JAVA_OPTS=${AGENT_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}
JAR=gateway-agent/target/sluice-agent.jar
BENCH_JAR=bench/target/benchmarks.jar

for tool in wrk nginx java sha256sum getconf; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk nginx-light)" >&2; exit 1; }
done
for jar in "$JAR" "$BENCH_JAR"; do
  [ -f "$jar" ] || { echo "missing $jar: ./mvnw -B -q -pl gateway-agent,bench -am package -DskipTests" >&2; exit 1; }
done

source bench/load/lib.sh
watchers_pid=""
cleanup() {
  [ -n "$watchers_pid" ] && kill "$watchers_pid" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

token="bench-viewer-$(date +%s%N)"
token_sha=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
mkdir -p "$work/backend"
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
cat > "$work/agent.yaml" <<CONF
agent: {id: bench, cluster: bench}
listeners: [{name: public, host: 127.0.0.1, port: $AGENT_PORT}]
accessLog: {enabled: false}
admin:
  host: 127.0.0.1
  port: $ADMIN_PORT
  tokens:
    - {name: bench, sha256: $token_sha, role: viewer}
services:
  - name: backend
    instances: [{host: 127.0.0.1, port: $BACKEND_PORT}]
routes:
  - {id: all, match: {path: "/*rest"}, service: backend}
CONF

nginx -c "$work/backend/nginx.conf" -p "$work/backend" & pids+=($!)
# shellcheck disable=SC2086
java $AGENT_JAVA_OPTS -jar "$JAR" run --config "$work/agent.yaml" > "$work/agent.log" 2>&1 & pids+=($!)
agent_pid=$!

wait_for "$BACKEND_PORT"; wait_for "$AGENT_PORT"

measure() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$AGENT_PORT/" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    END { printf "%.0f %.3f\n", rps, p99 }'
}
start_watchers() {
  SLUICE_TOKEN=$token java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$BENCH_JAR" dev.sluice.bench.TelemetryWatchers \
    "127.0.0.1:$ADMIN_PORT" "$WATCHERS" "$INTERVAL_MS" > "$work/watchers.log" 2>&1 &
  watchers_pid=$!
  sleep 3
  kill -0 "$watchers_pid" 2>/dev/null || { echo "watchers failed:" >&2; cat "$work/watchers.log" >&2; exit 1; }
}
stop_watchers() {
  kill "$watchers_pid" 2>/dev/null || true
  wait "$watchers_pid" 2>/dev/null || true
  watchers_pid=""
  tail -1 "$work/watchers.log"
}
clk_tck=$(getconf CLK_TCK)
# CPU time (user + system, all threads) a process has used so far, in clock ticks. Fields 14 and 15
# of /proc/PID/stat, counted after the ")" that closes the command name (which may hold spaces).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
now_ns() { date +%s%N; }

echo "warming up (the JIT compiles the agent's hot path and the telemetry ticker)..."
measure >/dev/null
start_watchers; DURATION=3s measure >/dev/null; stop_watchers >/dev/null

printf '%-6s %-9s %11s %8s %11s %11s %13s\n' round watchers "requests/s" "p99 ms" "agent cores" "agent us/req" "watcher cores"
: > "$work/0.txt"; : > "$work/n.txt"
for round in $(seq 1 "$ROUNDS"); do
  order="0 n"; [ $((round % 2)) -eq 0 ] && order="n 0"
  for side in $order; do
    if [ "$side" = n ]; then start_watchers; fi
    agent_before=$(cpu_ticks "$agent_pid")
    watchers_before=0; [ "$side" = n ] && watchers_before=$(cpu_ticks "$watchers_pid")
    started=$(now_ns)
    read -r rps p99 < <(measure)
    ended=$(now_ns)
    agent_after=$(cpu_ticks "$agent_pid")
    watchers_after=0; [ "$side" = n ] && watchers_after=$(cpu_ticks "$watchers_pid")
    note=""
    if [ "$side" = n ]; then note=$(stop_watchers); fi
    # cores = CPU seconds / wall seconds; us/req = agent CPU microseconds / requests served.
    read -r agent_cores agent_us watcher_cores < <(awk -v a="$((agent_after - agent_before))" \
      -v w="$((watchers_after - watchers_before))" -v hz="$clk_tck" -v ns="$((ended - started))" -v rps="$rps" \
      'BEGIN { s = ns / 1e9; printf "%.3f %.2f %.3f\n", a / hz / s, (a / hz * 1e6) / (rps * s), w / hz / s }')
    echo "$rps $p99 $agent_cores $agent_us $watcher_cores" >> "$work/$side.txt"
    printf '%-6s %-9s %11s %8s %11s %11s %13s  %s\n' "$round" "$([ "$side" = n ] && echo "$WATCHERS" || echo 0)" \
      "$rps" "$p99" "$agent_cores" "$agent_us" "$([ "$side" = n ] && echo "$watcher_cores" || echo -)" "$note"
  done
done

col() { awk -v c="$1" '{ print $c }' "$work/$2.txt" | median; }
z_rps=$(col 1 0); z_p99=$(col 2 0); z_cores=$(col 3 0); z_us=$(col 4 0)
n_rps=$(col 1 n); n_p99=$(col 2 n); n_cores=$(col 3 n); n_us=$(col 4 n); n_watcher=$(col 5 n)
echo
echo "median of $ROUNDS rounds, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $WATCHERS watchers at ${INTERVAL_MS} ms"
printf '0 watchers   %10.0f req/s  p99 %7.3f ms  agent %5.3f cores, %6.2f us/request\n' "$z_rps" "$z_p99" "$z_cores" "$z_us"
printf '%-2s watchers  %10.0f req/s  p99 %7.3f ms  agent %5.3f cores, %6.2f us/request; watcher JVM %5.3f cores\n' \
  "$WATCHERS" "$n_rps" "$n_p99" "$n_cores" "$n_us" "$n_watcher"
awk -v n="$n_rps" -v z="$z_rps" 'BEGIN { printf "throughput with/without watchers: %.3fx (target >= 0.97x)\n", n / z }'
awk -v n="$n_us" -v z="$z_us" -v rps="$n_rps" 'BEGIN {
  printf "agent CPU per request with/without watchers: %.3fx (%+.2f us/request, ~%.3f cores at %.0f req/s)\n",
    n / z, n - z, (n - z) * rps / 1e6, rps }'
