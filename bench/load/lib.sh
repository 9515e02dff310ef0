# Start-up shared by the bench/load scripts; each sources it from the repository root after its
# checks:  source bench/load/lib.sh
#
# Sourcing makes a fresh directory $work (/tmp/sluice-<script>.XXXXXX) and an empty array $pids for
# the processes the script starts in the background; on exit, cleanup kills them and removes $work
# (a script with more to stop defines its own cleanup after sourcing). It also defines wait_for and
# median.

work=$(mktemp -d "/tmp/sluice-$(basename "$0" .sh).XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# wait_for PORT [PATH]: until http://127.0.0.1:PORT/PATH answers 2xx, for up to 10 s; else prints the
# agent's log ($work/agent.log) and exits.
wait_for() {
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$1${2:-/}" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "port $1 never answered" >&2; cat "$work/agent.log" >&2; exit 1
}

# median: of the numbers on stdin, one a line.
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
