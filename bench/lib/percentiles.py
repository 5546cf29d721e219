#!/usr/bin/env python3
"""Latency percentiles of a file of latencies in seconds, one per line ('-' reads stdin).

Prints: n=COUNT p50=MS p99=MS p99.9=MS max=MS (milliseconds, nearest-rank percentiles).
"""
import math
import sys


def main():
    source = sys.stdin if sys.argv[1] == "-" else open(sys.argv[1])
    values = sorted(float(line) for line in source if line.strip())
    if not values:
        sys.exit("percentiles.py: no latencies")

    def rank(p):
        return values[max(0, math.ceil(p * len(values)) - 1)] * 1000

    print(f"n={len(values)} p50={rank(0.50):.3f} p99={rank(0.99):.3f} "
          f"p99.9={rank(0.999):.3f} max={values[-1] * 1000:.3f}")


if __name__ == "__main__":
    main()
