#!/usr/bin/env python3
"""CPU profile shares of the agent's event loops, from a JFR recording of a load run.

Usage: jfr-cpu.py RECORDING.jfr [TOP] [PATTERN ...]

Counts jdk.ExecutionSample events of the threads named sluice-io-* and prints the TOP methods by
self samples and by inclusive samples (a method anywhere on the stack), as shares of all samples.
Each PATTERN (a substring of "Class.method", e.g. "DefaultPriorityQueue" or "sluice") gets its own
inclusive share line. Shares depend little on the machine's load; the samples are of Java code only
(time in system calls is not sampled). Record with many samples for stable shares:
`jfr configure --input profile method-profiling=max --output /tmp/max.jfc` and
`JFR=/tmp/x.jfr JFR_SETTINGS=/tmp/max.jfc ./bench/load/run.sh` (1 ms instead of 10 ms).
"""
import json
import subprocess
import sys


def main():
    recording = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    patterns = sys.argv[3:]
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "96", "--events", "jdk.ExecutionSample",
                          recording], check=True, capture_output=True, text=True).stdout
    own, inclusive, matched, samples = {}, {}, {p: 0 for p in patterns}, 0
    for e in json.loads(out)["recording"]["events"]:
        v = e["values"]
        if not ((v.get("sampledThread") or {}).get("javaName") or "").startswith("sluice-io-"):
            continue
        frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
                  for f in v["stackTrace"]["frames"]]
        if not frames:
            continue
        samples += 1
        short = [f.rsplit(".", 2)[-2] + "." + f.rsplit(".", 1)[-1] for f in frames]
        own[short[0]] = own.get(short[0], 0) + 1
        for name in set(short):
            inclusive[name] = inclusive.get(name, 0) + 1
        for p in patterns:
            if any(p in f for f in frames):
                matched[p] += 1
    print(f"{samples} samples of the event loops")
    for p in patterns:
        print(f"  {matched[p] / max(samples, 1) * 100:5.1f}%  inclusive  *{p}*")
    print("self:")
    for name, n in sorted(own.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {n / samples * 100:5.1f}%  {name}")
    print("inclusive:")
    for name, n in sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {n / samples * 100:5.1f}%  {name}")


if __name__ == "__main__":
    main()
