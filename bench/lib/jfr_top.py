#!/usr/bin/env python3
"""Aggregates JFR execution samples into hot spots.

usage: jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample rec.jfr > samples.json
       jfr_top.py samples.json [TOP]

Prints, over all sampled Java threads:
  - samples per thread;
  - self time: the top frame of each sample, by method and by library (package prefix);
  - inclusive time: every method on the stack, counted once per sample.
JFR samples Java code only: time inside system calls (recvmmsg/sendmmsg, epoll) shows up as the
native frame that made the call at most, and kernel time is not sampled at all; run.sh reports the
kernel's share separately (sys% from /proc/PID/stat).
"""
import collections
import json
import sys

LIBRARIES = [
    ("dev.vxdns.", "vxdns"),
    ("org.xbill.DNS.", "dnsjava"),
    ("io.netty.", "netty"),
    ("io.vertx.", "vert.x"),
    ("java.util.", "java.util"),
    ("java.lang.", "java.lang"),
    ("java.net.", "java.net"),
    ("java.io.", "java.io"),
    ("java.nio.", "java.nio"),
    ("sun.nio.", "sun.nio"),
    ("jdk.", "jdk"),
    ("java.", "java (other)"),
    ("sun.", "sun"),
]


def frame_name(frame):
    method = frame.get("method", {})
    cls = method.get("type", {}).get("name", "?").replace("/", ".")
    return f"{cls}.{method.get('name', '?')}"


def library(name):
    for prefix, label in LIBRARIES:
        if name.startswith(prefix):
            return label
    return "other"


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    data = json.load(open(sys.argv[1], encoding="utf-8"))
    events = data.get("recording", {}).get("events", [])
    self_counts = collections.Counter()
    lib_counts = collections.Counter()
    inclusive = collections.Counter()
    threads = collections.Counter()
    total = 0
    native = collections.Counter()
    native_total = 0
    for event in events:
        values = event.get("values", {})
        if event.get("type") == "jdk.NativeMethodSample":
            frames = (values.get("stackTrace") or {}).get("frames") or []
            if frames:
                native_total += 1
                native[frame_name(frames[0])] += 1
            continue
        frames = (values.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        total += 1
        thread = (values.get("sampledThread") or {}).get("javaName") or "?"
        threads[thread] += 1
        names = [frame_name(f) for f in frames]
        self_counts[names[0]] += 1
        lib_counts[library(names[0])] += 1
        for name in set(names):
            inclusive[name] += 1
    if total == 0:
        print("no execution samples")
        return 0

    def pct(n):
        return f"{100.0 * n / total:5.1f}%"

    print(f"== JFR execution samples (Java code running): {total}; native method samples "
          f"(thread inside a native call, sampled less often): {native_total}")
    for name, n in native.most_common(5):
        print(f"  native {100.0 * n / native_total:5.1f}%  {name}")
    print("-- by thread")
    for name, n in threads.most_common(8):
        print(f"  {pct(n)}  {name}")
    print("-- self time by library (top frame)")
    for name, n in lib_counts.most_common():
        print(f"  {pct(n)}  {name}")
    print(f"-- self time, top {top} methods")
    for name, n in self_counts.most_common(top):
        print(f"  {pct(n)}  {name}")
    print(f"-- inclusive time, top {top} methods (on the stack)")
    for name, n in inclusive.most_common(top):
        print(f"  {pct(n)}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
