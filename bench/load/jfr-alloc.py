#!/usr/bin/env python3
"""Bytes allocated per request by the agent's event loops, from a JFR recording of a load run.

Usage: jfr-alloc.py RECORDING.jfr REQUESTS [--sites N]

jdk.ThreadAllocationStatistics gives each thread's running total of allocated bytes; the difference
between its first and last value in the recording is what the thread allocated while recording.
Only the event loops (threads named sluice-io-*) are counted: they carry every request, and the
admin, telemetry and JFR threads allocate the same whether there is load or not. Also prints the
young-GC count and pause times of the recording, since allocation is what drives them.
With --sites N, also the N largest allocation sites of the event loops (class and the innermost
frames) from jdk.ObjectAllocationSample, as shares of the sampled bytes and bytes per request: the
samples are weighted estimates, good for ranking sites, not for exact totals.
"""
import json
import re
import subprocess
import sys


def events(recording, name, depth=1):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(depth), "--events", name, recording],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def millis(iso_duration):
    """'PT0.0136S' or 'PT1M2.5S' in milliseconds."""
    m = re.fullmatch(r"PT(?:(\d+)M)?(?:([\d.]+)S)?", iso_duration)
    return (int(m.group(1) or 0) * 60 + float(m.group(2) or 0)) * 1000


def frame(f):
    return f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"]


def sites(recording, requests, count, depth=4):
    weights = {}
    for e in events(recording, "jdk.ObjectAllocationSample", depth):
        v = e["values"]
        if not ((v.get("eventThread") or {}).get("javaName") or "").startswith("sluice-io-"):
            continue
        frames = (v.get("stackTrace") or {}).get("frames") or []
        site = v["objectClass"]["name"].split("/")[-1] + " <- " + " <- ".join(frame(f) for f in frames[:depth])
        weights[site] = weights.get(site, 0) + v["weight"]
    total = sum(weights.values()) or 1
    print(f"largest allocation sites (share of sampled bytes, ~bytes per request):")
    for site, weight in sorted(weights.items(), key=lambda kv: -kv[1])[:count]:
        print(f"  {weight / total * 100:5.1f}%  {weight / max(requests, 1):6.0f} B  {site}")


def main():
    recording, requests = sys.argv[1], int(sys.argv[2])
    first, last = {}, {}
    for e in events(recording, "jdk.ThreadAllocationStatistics"):
        v = e["values"]
        thread = (v.get("thread") or {}).get("javaName") or ""
        if not thread.startswith("sluice-io-"):
            continue
        first.setdefault(thread, v["allocated"])
        first[thread] = min(first[thread], v["allocated"])
        last[thread] = max(last.get(thread, 0), v["allocated"])
    allocated = sum(last[t] - first[t] for t in last)
    pauses = sorted(millis(e["values"]["duration"]) for e in events(recording, "jdk.GarbageCollection"))
    print(f"event loops allocated {allocated / 1e6:.0f} MB for {requests} agent requests: "
          f"{allocated / max(requests, 1):.0f} bytes per request")
    if pauses:
        print(f"GC pauses while recording: {len(pauses)}, median {pauses[len(pauses) // 2]:.2f} ms, "
              f"max {pauses[-1]:.2f} ms")
    if "--sites" in sys.argv:
        sites(recording, requests, int(sys.argv[sys.argv.index("--sites") + 1]))


if __name__ == "__main__":
    main()
