#!/usr/bin/env python3
"""Aggregates JFR execution samples into hot spots.

usage: jfr print --json --events \
           jdk.ExecutionSample,jdk.NativeMethodSample,jdk.ObjectAllocationSample,jdk.ThreadAllocationStatistics \
           rec.jfr > samples.json
       jfr_top.py samples.json [TOP] [QUERIES]

Prints, over all sampled Java threads:
  - samples per thread;
  - self time: the top frame of each sample, by method and by library (package prefix);
  - inclusive time: every method on the stack, counted once per sample;
  - allocation: the bytes every thread allocated during the recording (JFR's per-thread counters,
    read at its start and end), per query when QUERIES (the queries answered during the recording)
    is given; and where it goes, from the allocation samples (each weighs the bytes its thread
    allocated since its previous sample; a thread's first sample, which weighs everything since
    before the recording, is left out), by class and by the first vxdns or dnsjava frame.
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
    allocated = collections.Counter()
    allocated_by_frame = collections.Counter()
    counters = collections.defaultdict(list)
    sampled_threads = set()
    for event in events:
        values = event.get("values", {})
        if event.get("type") == "jdk.ThreadAllocationStatistics":
            counters[(values.get("thread") or {}).get("javaThreadId")].append(values.get("allocated") or 0)
            continue
        if event.get("type") == "jdk.ObjectAllocationSample":
            thread = (values.get("eventThread") or {}).get("javaThreadId")
            if thread not in sampled_threads:
                sampled_threads.add(thread)
                continue
            weight = values.get("weight") or 0
            allocated[((values.get("objectClass") or {}).get("name") or "?").replace("/", ".")] += weight
            frames = (values.get("stackTrace") or {}).get("frames") or []
            names = [frame_name(f) for f in frames]
            ours = next((n for n in names if n.startswith(("dev.vxdns.", "org.xbill.DNS."))), "(other)")
            allocated_by_frame[ours] += weight
            continue
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
    recorded = sum(max(values) - min(values) for values in counters.values())
    if recorded:
        queries = int(sys.argv[3]) if len(sys.argv) > 3 else 0
        per_query = f", {recorded / queries:.0f} bytes per query ({queries} queries)" if queries else ""
        print(f"== allocation during the recording: {recorded / 1048576:.1f} MiB{per_query}")
    sampled = sum(allocated.values())
    if sampled:
        print("-- by class (allocation samples)")
        for name, n in allocated.most_common(12):
            print(f"  {100.0 * n / sampled:5.1f}%  {name}")
        print("-- by the first vxdns or dnsjava frame (allocation samples)")
        for name, n in allocated_by_frame.most_common(12):
            print(f"  {100.0 * n / sampled:5.1f}%  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
