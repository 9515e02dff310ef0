#!/usr/bin/env bash
# Builds Sluice's installers for the OS this runs on: jlink trims a runtime, jpackage makes the app image and
# the native package. The version comes from the Maven project only.
#
#   installers/build.sh [--type deb|rpm|msi|exe|dmg|pkg|app-image] [--skip-build] [agent|console|all]
#
# Output: installers/target/<package files>. Per-OS jpackage options live in installers/<os>/*.args.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
here="$root/installers"
out="$here/target"
what=all
type=""
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --type) type="$2"; shift 2 ;;
    --skip-build) build=0; shift ;;
    agent|console|all) what="$1"; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=macos ;;
  MINGW*|MSYS*|CYGWIN*) os=windows ;;
  *) echo "build.sh: unsupported OS $(uname -s)" >&2; exit 2 ;;
esac
if [ -z "$type" ]; then
  case "$os" in
    linux) if command -v dpkg-deb >/dev/null; then type=deb; elif command -v rpmbuild >/dev/null; then type=rpm; else type=app-image; fi ;;
    windows) type=msi ;;
    macos) type=dmg ;;
  esac
fi
for tool in jlink jpackage jdeps; do
  command -v "$tool" >/dev/null || { echo "build.sh: '$tool' not found: a full JDK 17+ is needed" >&2; exit 2; }
done

cd "$root"
mvnw() { ./mvnw -B -q "$@"; }
step() { printf '==> %s\n' "$*"; }

version=$(mvnw -N help:evaluate -Dexpression=project.version -DforceStdout)
# jpackage wants a plain numeric version: 0.1.0-SNAPSHOT → 0.1.0
app_version=${version%%-*}
step "Sluice $version → installers ($type) for $os, version $app_version"
mkdir -p "$out"

common_args=(--app-version "$app_version" --vendor "Sluice" --copyright "Copyright the Sluice authors"
             --dest "$out" --type "$type")
icon="$here/common/sluice.png"
case "$os" in
  windows) icon="$here/windows/sluice.ico" ;;
  macos) icon="$here/macos/sluice.icns" ;;
esac
[ -f "$icon" ] && common_args+=(--icon "$icon")

# jlink a runtime with the modules the jars need (jdeps), plus ones only reached by reflection or services.
make_runtime() {
  local name=$1 extra=$2 modpath=$3; shift 3
  local mods
  mods=$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps "$@" 2>/dev/null || true)
  mods="${mods:+$mods,}$extra"
  rm -rf "$out/$name-runtime"
  step "jlink $name runtime: $mods"
  jlink ${modpath:+--module-path "$modpath"} --add-modules "$mods" --strip-debug --no-header-files \
        --no-man-pages --compress=2 --output "$out/$name-runtime"
}

build_agent() {
  [ "$build" = 1 ] && { step "build gateway-agent"; mvnw -DskipTests -pl gateway-agent -am package; }
  local input="$out/agent-input"
  rm -rf "$input" && mkdir -p "$input"
  cp "$root/gateway-agent/target/sluice-agent.jar" "$input/"
  cp "$root/examples/gateway.yaml" "$input/gateway.yaml"
  [ "$os" = linux ] && cp "$here/linux/agent-resources/sluice-agent.service" "$input/"
  make_runtime agent "java.management,jdk.management,jdk.crypto.ec,jdk.unsupported,java.naming,jdk.naming.dns" "" \
      "$input/sluice-agent.jar"
  step "jpackage sluice-agent"
  jpackage "${common_args[@]}" --name sluice-agent \
      --description "Sluice gateway agent: reverse proxy with live, audited traffic control" \
      --input "$input" --main-jar sluice-agent.jar --main-class dev.sluice.agent.cli.Main \
      --runtime-image "$out/agent-runtime" \
      @"$here/$os/agent.args"
}

build_console() {
  local input="$out/console-input" fx="$out/console-fx"
  rm -rf "$input" "$fx" && mkdir -p "$input" "$fx"
  # One reactor run, so the console's sibling modules resolve without being installed in ~/.m2;
  # with --skip-build the compile is up to date and only the jars and the copy are made.
  step "package console-app and collect its runtime dependencies"
  mvnw -DskipTests -pl console-app -am package dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$input"
  cp "$root"/console-app/target/console-app-*.jar "$input/"
  rm -f "$input"/console-app-*-sources.jar "$input"/console-app-*-tests.jar "$input"/protocol-*-tests.jar
  # JavaFX goes into the runtime as modules, not onto the class path: the platform jars
  # (javafx-controls-21.0.11-linux.jar) to the module path, the empty umbrella jars away.
  local f
  for f in "$input"/javafx-*.jar; do
    if [[ "$(basename "$f")" =~ ^javafx-[a-z]+-[0-9.]+\.jar$ ]]; then rm -f "$f"; else mv "$f" "$fx/"; fi
  done
  local main
  main=$(ls "$input"/console-app-*.jar | head -1)
  make_runtime console "javafx.controls,javafx.swing,java.desktop,java.prefs,java.logging,java.naming,jdk.unsupported,jdk.crypto.ec,jdk.naming.dns" \
      "$fx" --class-path "$input/*" "$main"
  step "jpackage sluice-console"
  jpackage "${common_args[@]}" --name sluice-console \
      --description "Sluice console: watch and steer API gateways during incidents" \
      --input "$input" --main-jar "$(basename "$main")" --main-class dev.sluice.console.Main \
      --runtime-image "$out/console-runtime" \
      @"$here/$os/console.args"
}

case "$what" in
  agent) build_agent ;;
  console) build_console ;;
  all) build_agent; build_console ;;
esac
step "done:"
ls -la "$out" | grep -E "\.(deb|rpm|msi|exe|dmg|pkg)$" || ls -d "$out"/*/ 2>/dev/null
