#!/usr/bin/env bash
# Installs the freshly built .deb packages on this machine (as root), proves they work, and removes them:
# the agent serves a request through to a loopback backend, the console prints its version without a display,
# `dpkg -r` removes the programs but keeps /etc/sluice, `dpkg --purge` removes that too.
#
#   installers/smoke-test.sh            (after installers/build.sh; run by .ci/run)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/target"
step() { printf '==> %s\n' "$*"; }
fail() { printf 'smoke test FAILED: %s\n' "$*" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || fail "run as root (it installs packages)"
agent_deb=$(compgen -G "$out/sluice-agent_*.deb" | head -1 || true)
console_deb=$(compgen -G "$out/sluice-console_*.deb" | head -1 || true)
[ -n "$agent_deb" ] || fail "no sluice-agent .deb in $out (run installers/build.sh first)"

# jpackage's desktop-menu commands need these folders, which a bare machine lacks.
mkdir -p /usr/share/applications /usr/share/desktop-directories
step "apt-get install $(basename "$agent_deb") ${console_deb:+$(basename "$console_deb")}"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$agent_deb" ${console_deb:+"$console_deb"} >"$work/apt.log" 2>&1 \
  || { cat "$work/apt.log"; fail "apt-get install"; }
du -sh /opt/sluice-agent ${console_deb:+/opt/sluice-console} | sed 's/^/    installed size: /'

step "sluice-agent --version"
version=$(sluice-agent --version) || fail "sluice-agent --version"
echo "    $version"
[[ "$version" == sluice-agent* ]] || fail "unexpected version line '$version'"
[ -f /etc/sluice/gateway.yaml ] || fail "/etc/sluice/gateway.yaml not installed"
[ -f /lib/systemd/system/sluice-agent.service ] || fail "systemd unit not installed"
getent passwd sluice >/dev/null || fail "user sluice not created"
[ "$(stat -c %a /etc/sluice/operator.token)" = 600 ] || fail "operator.token is not private to root"
grep -q "da9f22d5c046b34dc1687506d61f751c5abfc6ded41491129aaa314e37eafd53" /etc/sluice/gateway.yaml \
  && fail "the installed config still carries the example admin token"

step "reinstalling (an upgrade) keeps the operator's config"
echo "# edited by the operator" >> /etc/sluice/gateway.yaml
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "$agent_deb" >"$work/apt.log" 2>&1 \
  || { cat "$work/apt.log"; fail "apt-get install --reinstall"; }
grep -q "^# edited by the operator" /etc/sluice/gateway.yaml || fail "the reinstall replaced /etc/sluice/gateway.yaml"

step "installed agent proxies a request to a loopback backend"
mkdir -p "$work/site"
echo "hello through sluice" > "$work/site/hello.txt"
for port in 9001 9002; do
  (cd "$work/site" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
  pids+=($!)
done
runuser -u sluice -- sluice-agent run --config /etc/sluice/gateway.yaml >"$work/agent.log" 2>&1 &
pids+=($!)
body=""
for _ in $(seq 1 60); do
  body=$(curl -fsS --max-time 2 http://127.0.0.1:8080/static/hello.txt 2>/dev/null) && break
  sleep 0.5
done
[ "$body" = "hello through sluice" ] || { cat "$work/agent.log"; fail "expected the backend's file through the agent, got '$body'"; }
echo "    GET /static/hello.txt -> $body"
status=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/nowhere)
[ "$status" = 404 ] || fail "expected 404 for an unknown route, got $status"

step "sluice-agent ctl with the token made at install"
ctl_out=$(sluice-agent ctl --target 127.0.0.1:9901 --plaintext --token-file /etc/sluice/operator.token status 2>&1) \
  || { echo "$ctl_out"; cat "$work/agent.log"; fail "ctl status with the installed token"; }
echo "$ctl_out" | sed 's/^/    /' | head -8
if sluice-agent ctl --target 127.0.0.1:9901 --plaintext --token-file <(echo sluice-example-operator-token-change-me) \
     status >/dev/null 2>&1; then
  fail "the example token was accepted by the installed agent"
fi
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
pids=()

if [ -n "$console_deb" ]; then
  step "sluice-console --version (no display)"
  cversion=$(env -u DISPLAY sluice-console --version) || fail "sluice-console --version"
  echo "    $cversion"
  [[ "$cversion" == sluice-console* ]] || fail "unexpected version line '$cversion'"
fi

step "dpkg -r keeps /etc/sluice"
dpkg -r sluice-agent ${console_deb:+sluice-console} >"$work/remove.log" 2>&1 || { cat "$work/remove.log"; fail "dpkg -r"; }
for gone in /opt/sluice-agent /usr/bin/sluice-agent /lib/systemd/system/sluice-agent.service \
            ${console_deb:+/opt/sluice-console /usr/bin/sluice-console}; do
  [ ! -e "$gone" ] || fail "$gone is still there after dpkg -r"
done
[ -f /etc/sluice/gateway.yaml ] || fail "/etc/sluice/gateway.yaml was removed by dpkg -r"

step "dpkg --purge removes the config"
dpkg --purge sluice-agent ${console_deb:+sluice-console} >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "dpkg --purge"; }
[ ! -e /etc/sluice ] || fail "/etc/sluice is still there after purge"
step "installers smoke test passed"
