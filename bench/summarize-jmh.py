#!/usr/bin/env python3
"""Prints min / median / mean per benchmark from a JMH JSON result (-rf json -rff FILE).

On a shared machine the mean is inflated whenever the benchmark thread is descheduled; the median
and the minimum of many short iterations are the better estimate of the code's own cost.
"""
import json
import statistics
import sys

rows = json.load(open(sys.argv[1]))
print(f"| benchmark | params | min ns | median ns | mean ns | iterations |")
print(f"|---|---|---:|---:|---:|---:|")
for r in rows:
    name = r["benchmark"].rsplit(".", 1)[1]
    params = ", ".join(f"{k}={v}" for k, v in sorted((r.get("params") or {}).items(), reverse=True))
    raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
    print(f"| {name} | {params} | {min(raw):.1f} | {statistics.median(raw):.1f} | "
          f"{statistics.mean(raw):.1f} | {len(raw)} |")
