#!/usr/bin/env python3
"""An external vxdns stage over the TCP event-bus bridge, standard library only.

It registers vxdns.bridge.NAME (default: hello-bridge) and gets every query of a pipeline that
names vxdns.ext.NAME as the exchange's JSON form. It answers hello.bridge.test IN TXT and sends
every other exchange back unchanged (pass on). Bridge framing: a 4-byte big-endian length, then
a UTF-8 JSON object.

    python3 config/examples/bridge/hello_bridge.py --port 7001 --name hello-bridge
"""
import argparse
import base64
import json
import socket
import struct
import sys

HELLO = "hello.bridge.test"
TYPE_TXT = 16
CLASS_IN = 1


def send_frame(sock, frame):
    data = json.dumps(frame).encode("utf-8")
    sock.sendall(struct.pack(">I", len(data)) + data)


def read_exactly(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_frame(sock):
    header = read_exactly(sock, 4)
    if header is None:
        return None
    body = read_exactly(sock, struct.unpack(">I", header)[0])
    return None if body is None else json.loads(body.decode("utf-8"))


def question(query):
    """(name, type, class, end offset of the question) of a DNS query, or None."""
    if len(query) < 12 or struct.unpack(">H", query[4:6])[0] != 1:
        return None
    labels, offset = [], 12
    while True:
        if offset >= len(query):
            return None
        length = query[offset]
        offset += 1
        if length == 0:
            break
        if length > 63 or offset + length > len(query):
            return None  # compression in a question, or a bad label: not ours
        labels.append(query[offset:offset + length].decode("ascii", "replace").lower())
        offset += length
    if offset + 4 > len(query):
        return None
    qtype, qclass = struct.unpack(">HH", query[offset:offset + 4])
    return ".".join(labels), qtype, qclass, offset + 4


def answer(query, end):
    """A response with one TXT record, the question copied, no EDNS."""
    (ident, flags) = struct.unpack(">HH", query[0:4])
    flags = 0x8000 | 0x0400 | (flags & 0x0100)  # QR, AA, RD copied
    text = b"hello from python over the bridge"
    rdata = bytes([len(text)]) + text
    record = struct.pack(">HHHIH", 0xC00C, TYPE_TXT, CLASS_IN, 60, len(rdata)) + rdata
    return struct.pack(">HHHHHH", ident, flags, 1, 1, 0, 0) + query[12:end] + record


def handle(exchange):
    query = base64.b64decode(exchange["query"]["wire"])
    asked = question(query)
    if asked is None or asked[0] != HELLO or asked[1] != TYPE_TXT or asked[2] != CLASS_IN:
        return exchange  # pass on
    exchange["reply"]["outcome"] = "RESPOND"
    exchange["reply"]["response"] = base64.b64encode(answer(query, asked[3])).decode("ascii")
    return exchange


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7001)
    parser.add_argument("--name", default="hello-bridge")
    args = parser.parse_args()
    address = "vxdns.bridge." + args.name
    with socket.create_connection((args.host, args.port)) as sock:
        send_frame(sock, {"type": "register", "address": address})
        # The bridge answers a ping only after the register before it was handled.
        send_frame(sock, {"type": "ping"})
        while True:
            frame = read_frame(sock)
            if frame is None:
                return 0
            kind = frame.get("type")
            if kind == "pong":
                print("registered " + address, flush=True)
            elif kind == "err":
                print("bridge error: " + str(frame.get("message")), file=sys.stderr, flush=True)
                return 1
            elif kind == "message" and frame.get("replyAddress"):
                try:
                    body = handle(frame["body"])
                    send_frame(sock, {"type": "send", "address": frame["replyAddress"], "body": body})
                except (KeyError, TypeError, ValueError) as e:
                    send_frame(sock, {"type": "send", "address": frame["replyAddress"],
                                      "failureCode": 500, "message": str(e)})


if __name__ == "__main__":
    sys.exit(main())
