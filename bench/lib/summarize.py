#!/usr/bin/env python3
"""Summarises one bench/run.sh result directory: prints the tables and writes summary.json.

usage: summarize.py RESULT_DIR CLK_TCK

Per transport and server, over all measured rounds:
  QPS          dnsperf's "Queries per second", median of the rounds (min-max)
  cores        server CPU seconds per wall second during the runs (1.00 = one core busy)
  us/query     server CPU time per completed query (user+system, all threads), and the system share
  QPS/core     completed queries per server CPU second = QPS divided by cores
  x named      vxdns / named for QPS and for QPS/core (named's figures from the same rounds)
"""
import csv
import json
import os
import re
import statistics
import sys

FIELDS = {
    "sent": re.compile(r"Queries sent:\s+(\d+)"),
    "completed": re.compile(r"Queries completed:\s+(\d+)"),
    "lost": re.compile(r"Queries lost:\s+(\d+)"),
    "qps": re.compile(r"Queries per second:\s+([\d.]+)"),
    "latency": re.compile(r"Average Latency \(s\):\s+([\d.]+)"),
    "runtime": re.compile(r"Run time \(s\):\s+([\d.]+)"),
}


def parse_dnsperf(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    out = {}
    for key, rx in FIELDS.items():
        m = rx.search(text)
        out[key] = float(m.group(1)) if m else 0.0
    codes = re.search(r"Response codes:\s+(.*)", text)
    out["rcodes"] = codes.group(1).strip() if codes else ""
    return out


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir, clk_tck = sys.argv[1], float(sys.argv[2])
    runs = read_tsv(os.path.join(out_dir, "runs.tsv"))
    groups = {}
    for row in runs:
        perf = parse_dnsperf(os.path.join(out_dir, row["raw"]))
        user = int(row["utime_ticks"]) / clk_tck
        system = int(row["stime_ticks"]) / clk_tck
        key = (row["transport"], row["server"])
        groups.setdefault(key, []).append(
            {"round": int(row["round"]), "user": user, "sys": system, "wall": float(row["wall_s"]), **perf})

    summary = {}
    for (transport, server), items in groups.items():
        cpu = sum(i["user"] + i["sys"] for i in items)
        completed = sum(i["completed"] for i in items)
        wall = sum(i["wall"] for i in items)
        qps = [i["qps"] for i in items]
        summary.setdefault(transport, {})[server] = {
            "runs": len(items),
            "qps_median": statistics.median(qps),
            "qps_min": min(qps),
            "qps_max": max(qps),
            "lost_pct": 100.0 * sum(i["lost"] for i in items) / max(1.0, sum(i["sent"] for i in items)),
            "cores": cpu / wall if wall else 0.0,
            "us_per_query": 1e6 * cpu / completed if completed else float("nan"),
            "sys_share": sum(i["sys"] for i in items) / cpu if cpu else 0.0,
            "qps_per_core": completed / cpu if cpu else float("nan"),
            "latency_ms": 1000 * statistics.mean(i["latency"] for i in items),
            "per_round_qps": [round(q) for q in qps],
        }

    lines = []
    env = os.path.join(out_dir, "environment.txt")
    if os.path.exists(env):
        lines += ["== environment", open(env, encoding="utf-8").read().rstrip(), ""]
    for name in ("workload.txt", "answers.txt"):
        path = os.path.join(out_dir, name)
        if os.path.exists(path):
            lines += [open(path, encoding="utf-8").read().rstrip()]
    lines.append("")

    header = (f"{'transport':<9} {'server':<15} {'runs':>4} {'QPS median':>10} {'(min-max)':>17} {'lost%':>6} "
              f"{'cores':>5} {'us CPU/q':>8} {'sys%':>5} {'QPS/core':>9} {'lat ms':>6} {'xQPS':>5} {'xQPS/core':>9}")
    if summary:
        lines += ["== throughput (server on one core; x = vxdns / named in the same rounds)", header,
                  "-" * len(header)]
    for transport in sorted(summary, key=lambda t: (t != "udp", t)):
        servers = summary[transport]
        named = servers.get("named")
        for server in sorted(servers, key=lambda s: (s != "named", s)):
            s = servers[server]
            if named and server != "named":
                s["x_qps"] = s["qps_median"] / named["qps_median"] if named["qps_median"] else float("nan")
                s["x_qps_per_core"] = s["qps_per_core"] / named["qps_per_core"]
                ratios = f"{s['x_qps']:>5.2f} {s['x_qps_per_core']:>9.2f}"
            else:
                ratios = f"{'-':>5} {'-':>9}"
            lines.append(
                f"{transport:<9} {server:<15} {s['runs']:>4} {s['qps_median']:>10.0f} "
                f"{'(' + format(s['qps_min'], '.0f') + '-' + format(s['qps_max'], '.0f') + ')':>17} "
                f"{s['lost_pct']:>6.2f} {s['cores']:>5.2f} {s['us_per_query']:>8.2f} {100 * s['sys_share']:>5.0f} "
                f"{s['qps_per_core']:>9.0f} {s['latency_ms']:>6.2f} {ratios}")
        lines.append("")

    load = read_tsv(os.path.join(out_dir, "load.tsv"))
    memory = {r["server"]: r for r in read_tsv(os.path.join(out_dir, "memory.tsv"))}
    if load:
        lines += ["== zone load and memory (ready = process start to serving; MiB; live heap = Java heap after a full GC)",
                  f"{'server':<15} {'ready s':>8} {'zone load ms':>12} {'RSS ready':>10} {'live heap':>9} {'RSS end':>8} {'peak RSS':>9}"]
        for r in load:
            m = memory.get(r["server"], {})
            lines.append(f"{r['server']:<15} {r['ready_s']:>8} {r['zone_load_ms']:>12} {r['rss_mib']:>10} "
                         f"{r.get('live_heap_mib') or '-':>9} "
                         f"{m.get('rss_mib', '-'):>8} {m.get('hwm_mib', '-'):>9}")
        lines.append("")

    print("\n".join(lines))
    with open(os.path.join(out_dir, "summary.json"), "w", encoding="utf-8") as f:
        json.dump({"throughput": summary, "load": load, "memory": list(memory.values())}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
