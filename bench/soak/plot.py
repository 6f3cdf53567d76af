#!/usr/bin/env python3
"""Draws soak.png from the soak.csv and soak-relations.csv of bench/soak/Soak.java: python3 plot.py DIR."""
import csv
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else "."
rows = list(csv.DictReader(open(os.path.join(out, "soak.csv"))))
rels = list(csv.DictReader(open(os.path.join(out, "soak-relations.csv"))))
result = open(os.path.join(out, "soak-result.txt")).read().splitlines() if os.path.exists(
    os.path.join(out, "soak-result.txt")) else []
m = [float(r["minute"]) for r in rows]


def col(name):
    return [float(r[name]) for r in rows]


fig, ax = plt.subplots(3, 2, figsize=(14, 12))
a = ax[0][0]
a.plot(m, col("tasks_per_second"), label="completed")
a.plot(m, col("created_per_second"), label="created by the API (without continuations)", alpha=0.6)
a.set_title("Throughput (tasks/s)")
a.set_ylim(bottom=0)
a.legend(fontsize=8)

a = ax[0][1]
a.plot(m, col("acquire_p50_ms"), label="p50")
a.plot(m, col("acquire_p99_ms"), label="p99")
a.set_title("Acquire latency, client side (ms)")
a.set_ylim(bottom=0)
a.legend(fontsize=8)

sizes = defaultdict(dict)
dead = defaultdict(dict)
for r in rels:
    key = r["relation"] if r["kind"] == "table" else r["relation"]
    sizes[(r["kind"], key)][float(r["minute"])] = int(r["bytes"]) / 1048576
    if r["kind"] == "table":
        dead[key][float(r["minute"])] = int(r["dead_tuples"])


def top(kind, n=8):
    keys = [k for k in sizes if k[0] == kind]
    keys.sort(key=lambda k: -max(sizes[k].values()))
    return keys[:n]


for a, kind, title in ((ax[1][0], "table", "Table sizes (MB: heap, TOAST, maps)"),
                       (ax[1][1], "index", "Index sizes (MB)")):
    for k in top(kind):
        xs = sorted(sizes[k])
        a.plot(xs, [sizes[k][x] for x in xs], label=k[1])
    a.set_title(title)
    a.set_ylim(bottom=0)
    a.legend(fontsize=7, ncol=2)

a = ax[2][0]
for k in sorted(dead, key=lambda k: -max(dead[k].values()))[:6]:
    xs = sorted(dead[k])
    a.plot(xs, [dead[k][x] for x in xs], label=k)
a2 = a.twinx()
a2.plot(m, col("autovacuum_runs"), "k:", label="autovacuum runs (all tables, cumulative)")
a.set_title("Dead tuples per table; autovacuum runs (dotted, right)")
a.set_ylim(bottom=0)
a.legend(fontsize=7, loc="upper left")
a.set_xlabel("minute")

a = ax[2][1]
a.plot(m, col("rss_mb"), label="service RSS (MB)")
a.set_ylim(bottom=0)
a2 = a.twinx()
a2.plot(m, col("threads"), "g--", label="service threads")
a2.plot(m, col("db_connections"), "r:", label="database connections")
a2.set_ylim(bottom=0)
a.set_title("Service RSS (MB, left); threads and connections (right)")
h1, l1 = a.get_legend_handles_labels()
h2, l2 = a2.get_legend_handles_labels()
a.legend(h1 + h2, l1 + l2, fontsize=8, loc="lower right")
a.set_xlabel("minute")

verdict = [l for l in result if l.startswith(("PASS", "FAIL"))]
fig.suptitle("Crew " + (result[0] if result else "soak") + "\n" + "; ".join(
    l.split(":")[0] for l in verdict), fontsize=9)
fig.tight_layout(rect=(0, 0, 1, 0.95))
fig.savefig(os.path.join(out, "soak.png"), dpi=80)
print("wrote " + os.path.join(out, "soak.png"))
