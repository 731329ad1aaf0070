#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# natsreq.py: a minimal NATS protocol client for the integration tests, so
# that a test can change the server "behind the tool's back" without using
# the code under test.  Loopback only.
#
#   natsreq.py req SUBJECT [JSON]     request, print the reply
#   natsreq.py pub SUBJECT DATA [N]   JetStream publish N times (waits for acks)
#
# Reads NATS_URL, NATS_USER, NATS_PASSWORD.
import json
import os
import socket
import sys


def connect():
    url = os.environ["NATS_URL"].split("//", 1)[1].split(",")[0]
    host, port = url.rsplit(":", 1)
    if host not in ("127.0.0.1", "localhost", "[::1]"):
        sys.exit("natsreq.py: refusing non-loopback server")
    s = socket.create_connection((host, int(port)), timeout=5)
    f = s.makefile("rb")
    f.readline()  # INFO
    opts = {"verbose": False, "pedantic": False, "headers": True,
            "no_responders": True}
    if os.environ.get("NATS_USER"):
        opts["user"] = os.environ["NATS_USER"]
        opts["pass"] = os.environ.get("NATS_PASSWORD", "")
    s.sendall(("CONNECT %s\r\nPING\r\n" % json.dumps(opts)).encode())
    line = f.readline()
    if not line.startswith(b"PONG"):
        sys.exit("natsreq.py: connect failed: %r" % line)
    s.sendall(b"SUB _INBOX.natsreq.* 1\r\n")
    return s, f


def request(s, f, subject, payload, n):
    data = payload.encode()
    s.sendall(b"PUB %s _INBOX.natsreq.%d %d\r\n%s\r\n" %
              (subject.encode(), n, len(data), data))
    while True:
        line = f.readline()
        if not line:
            sys.exit("natsreq.py: connection closed")
        if line.startswith(b"PING"):
            s.sendall(b"PONG\r\n")
            continue
        if line.startswith(b"MSG") or line.startswith(b"HMSG"):
            parts = line.split()
            size = int(parts[-1])
            body = f.read(size + 2)[:size]
            if line.startswith(b"HMSG"):
                hlen = int(parts[-2])
                body = body[hlen:]
            return body.decode()
        if line.startswith(b"-ERR"):
            sys.exit("natsreq.py: %s" % line.decode().strip())


def main():
    s, f = connect()
    if sys.argv[1] == "req":
        print(request(s, f, sys.argv[2], sys.argv[3] if len(sys.argv) > 3
                      else "", 0))
    elif sys.argv[1] == "pub":
        n = int(sys.argv[4]) if len(sys.argv) > 4 else 1
        for i in range(n):
            ack = json.loads(request(s, f, sys.argv[2], sys.argv[3], i))
            if "error" in ack:
                sys.exit("natsreq.py: publish: %s" % ack["error"])
    else:
        sys.exit("usage: natsreq.py req|pub ...")


main()
