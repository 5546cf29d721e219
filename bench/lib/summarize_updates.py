#!/usr/bin/env python3
"""Summarises a bench/updates.sh run: usage: summarize_updates.py RESULTS_DIR

Reads the client's `RESULT key=value ...` lines (and the script's `CPU server=... ticks=... hz=...`
lines) from RESULTS_DIR/raw and prints one table per phase with vxdns, named and vxdns/named.
"""
import pathlib
import statistics
import sys


def fields(line):
    return dict(item.split("=", 1) for item in line.split()[1:] if "=" in item)


def read(path, prefix="RESULT"):
    if not path.exists():
        return []
    return [fields(line) for line in path.read_text().splitlines() if line.startswith(prefix + " ")]


def cpu_seconds(path):
    cpu = read(path, "CPU")
    return int(cpu[0]["ticks"]) / int(cpu[0]["hz"]) if cpu else float("nan")


def ratio(a, b):
    return f"{a / b:.2f}" if a == a and b == b and b else "-"


def main():
    out = pathlib.Path(sys.argv[1])
    raw = out / "raw"
    print((out / "environment.txt").read_text() if (out / "environment.txt").exists() else "")

    rows = []
    for clients in (1, 8):
        for batch in (1, 100):
            got = {}
            for server in ("vxdns", "named"):
                runs = []
                for path in sorted(raw.glob(f"updates-{server}-c{clients}-b{batch}-r*.txt")):
                    result = read(path)
                    if result:
                        runs.append((result[0], cpu_seconds(path)))
                if not runs:
                    continue
                rates = [float(r["msg_per_s"]) for r, _ in runs]
                ok = sum(int(r["noerror"]) for r, _ in runs)
                sent = sum(int(r["sent"]) for r, _ in runs)
                wall = sum(float(r["seconds"]) for r, _ in runs)
                cpu = sum(c for _, c in runs)
                got[server] = dict(
                    msgs=statistics.median(rates), low=min(rates), high=max(rates),
                    changes=statistics.median(float(r["changes_per_s"]) for r, _ in runs),
                    p50=statistics.median(float(r["p50_ms"]) for r, _ in runs),
                    p99=max(float(r["p99_ms"]) for r, _ in runs),
                    ok=ok, sent=sent, cores=cpu / wall, cpu_msg=1e3 * cpu / max(1, ok))
            if got:
                rows.append((clients, batch, got))
    if rows:
        print("1. Signed UPDATEs over TCP, median over rounds (NOERROR answers only; msgs/s = update messages,"
              " changes/s = records added; p99 = worst round; cores = server CPU s per wall s)")
        print(f"{'clients':>7} {'batch':>5} | {'server':<6} {'msgs/s':>8} {'(min-max)':>15} {'changes/s':>10}"
              f" {'p50 ms':>7} {'p99 ms':>7} {'ok/sent':>11} {'cores':>5} {'ms CPU/msg':>10} | vxdns/named msgs/s, CPU/msg")
        for clients, batch, got in rows:
            for server in ("vxdns", "named"):
                if server not in got:
                    continue
                g = got[server]
                x = ""
                if server == "vxdns" and "named" in got:
                    x = f"{ratio(g['msgs'], got['named']['msgs'])}, {ratio(g['cpu_msg'], got['named']['cpu_msg'])}"
                spread = f"({g['low']:.1f}-{g['high']:.1f})"
                print(f"{clients:>7} {batch:>5} | {server:<6} {g['msgs']:>8.1f} {spread:>15} {g['changes']:>10.1f}"
                      f" {g['p50']:>7.2f} {g['p99']:>7.2f} {str(g['ok']) + '/' + str(g['sent']):>11} {g['cores']:>5.2f}"
                      f" {g['cpu_msg']:>10.3f} | {x}")
        for server in ("vxdns", "named"):
            for v in read(raw / f"verify-{server}.txt"):
                state = "OK" if v["missing"] == "0" and v["acked"] != "0" else "FAILED"
                print(f"   check {server}: {v['acked']} acknowledged changes, {v['missing']} missing from an AXFR of"
                      f" {v['zone_records']} records: {state}")
        print()

    axfr = {}
    for server in ("vxdns", "named"):
        path = raw / f"axfr-{server}.txt"
        runs = read(path)
        if runs:
            axfr[server] = ([float(r["seconds"]) for r in runs], runs[-1], cpu_seconds(path) / len(runs))
    if axfr:
        print("2. AXFR of the 1M-record zone over TCP (seconds per transfer; records include both SOAs)")
        for server in ("vxdns", "named"):
            if server not in axfr:
                continue
            times, last, cpu = axfr[server]
            x = ratio(statistics.median(times), statistics.median(axfr["named"][0])) \
                if server == "vxdns" and "named" in axfr else ""
            print(f"   {server:<6} median {statistics.median(times):.3f} s (runs {', '.join(f'{t:.3f}' for t in times)}),"
                  f" {last['records']} records in {last['messages']} messages, {int(last['bytes']) / 2**20:.1f} MiB,"
                  f" server CPU {cpu:.2f} s per transfer" + (f" | vxdns/named time {x}" if x else ""))
        print()

    lat = {pair: read(raw / f"latency-{pair}.txt") for pair in ("vxdns", "named")}
    if any(lat.values()):
        print("3. Update-to-visible on a named 9.20 secondary (ms from the update's NOERROR to the first positive UDP answer)")
        for pair in ("vxdns", "named"):
            if not lat[pair]:
                continue
            r = lat[pair][0]
            x = ""
            if pair == "vxdns" and lat["named"]:
                x = f" | vxdns/named p50 {ratio(float(r['p50_ms']), float(lat['named'][0]['p50_ms']))}" \
                    f" p99 {ratio(float(r['p99_ms']), float(lat['named'][0]['p99_ms']))}"
            print(f"   {pair} primary: p50 {r['p50_ms']} p99 {r['p99_ms']} max {r['max_ms']} mean {r['mean_ms']}"
                  f" ({r['visible']}/{r['count']} visible, {r['timeout']} timeouts)" + x)


if __name__ == "__main__":
    main()
