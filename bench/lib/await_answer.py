#!/usr/bin/env python3
"""await_answer.py PORT NAME ADDRESS PID TIMEOUT_SECONDS

Asks 127.0.0.1:PORT for NAME's A record every 5 ms until ADDRESS is among the answers, then prints
the wall-clock time that answer arrived (seconds since the epoch) and exits 0. Exits 1 when process
PID is gone, 2 after TIMEOUT_SECONDS.

One process and one socket for the whole wait: a dig per attempt every 20 ms took 7 ms of CPU each,
about a quarter of a core taken from the server being timed; on two cores that slowed a server
that loads with both (vxdns: the load and the JIT compiler) and not one that loads with one.
"""
import os
import socket
import struct
import sys
import time


def query(ident, name):
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split("."))
    return struct.pack(">HHHHHH", ident, 0, 1, 0, 0, 0) + labels + b"\0" + struct.pack(">HH", 1, 1)


def skip_name(msg, at):
    while True:
        length = msg[at]
        if length >= 0xC0:
            return at + 2
        if length == 0:
            return at + 1
        at += 1 + length


def addresses(msg, ident):
    """The A records' addresses in a response to query ident."""
    if len(msg) < 12 or struct.unpack(">H", msg[:2])[0] != ident:
        return []
    qdcount, ancount = struct.unpack(">HH", msg[4:8])
    at = 12
    for _ in range(qdcount):
        at = skip_name(msg, at) + 4
    found = []
    for _ in range(ancount):
        at = skip_name(msg, at)
        rtype, _, _, rdlength = struct.unpack(">HHIH", msg[at : at + 10])
        at += 10
        if rtype == 1 and rdlength == 4:
            found.append(socket.inet_ntoa(msg[at : at + 4]))
        at += rdlength
    return found


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def main():
    port, name, address, pid, timeout = (
        int(sys.argv[1]),
        sys.argv[2],
        sys.argv[3],
        int(sys.argv[4]),
        float(sys.argv[5]),
    )
    deadline = time.monotonic() + timeout
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ident = 0
    while time.monotonic() < deadline:
        if not alive(pid):
            return 1
        ident = (ident + 1) & 0xFFFF
        sock.sendto(query(ident, name), ("127.0.0.1", port))
        # Until this query's answer or 5 ms: replies to earlier ones may still come in.
        window_end = time.monotonic() + 0.005
        while (left := window_end - time.monotonic()) > 0:
            sock.settimeout(left)
            try:
                reply = sock.recv(4096)
            except socket.timeout:
                break
            if address in addresses(reply, ident):
                print(f"{time.time():.6f}")
                return 0
        time.sleep(max(0.0, window_end - time.monotonic()))
    return 2


if __name__ == "__main__":
    sys.exit(main())
