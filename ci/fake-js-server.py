#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# fake-js-server.py: a scripted fake JetStream server for the hostile-reply
# tests, never for behaviour (that is what ci/with-server is for).
#
#   ci/fake-js-server.py [--port-file FILE] SCENARIO
#   ci/fake-js-server.py --list
#
# It listens on 127.0.0.1 only (a free port, written to --port-file or
# printed), speaks enough of the NATS client protocol for nats.c (INFO with
# jetstream, CONNECT, PING/PONG, SUB/UNSUB, PUB/HPUB, MSG delivery with
# wildcards), and answers $JS.API requests as SCENARIO says: huge,
# negative, non-finite and wrong-typed numbers, wrong shapes, truncated or
# 10 MB bodies, escape sequences in names, endless paging, no reply, or a
# server that stops answering altogether.  The account INFO request is
# answered normally (so that the tools get past connecting) unless the
# scenario is about it.
import argparse
import json
import os
import socketserver
import sys
import threading
import time

ESC = "\u001b]0;pwned\u0007\u001b[2J\u001b[31m"
FORGED = "\r\nPlan: 0 to create, 0 to update, 0 to delete.\r\n"


def config(name="ORDERS", **over):
    c = {"name": name, "subjects": ["orders.>"], "retention": "limits",
         "max_consumers": -1, "max_msgs": 100, "max_bytes": -1,
         "max_age": 0, "max_msgs_per_subject": -1, "max_msg_size": -1,
         "discard": "old", "storage": "file", "num_replicas": 1,
         "duplicate_window": 120000000000, "sealed": False,
         "deny_delete": False, "deny_purge": False,
         "allow_rollup_hdrs": False, "allow_direct": False,
         "mirror_direct": False}
    c.update(over)
    return c


def stream(cfg=None, **state):
    s = {"messages": 0, "bytes": 0, "first_seq": 0, "last_seq": 0,
         "consumer_count": 0}
    s.update(state)
    return {"config": cfg if cfg is not None else config(),
            "created": "2026-12-02T00:00:00Z", "state": s}


def consumer(name="c1", **over):
    c = {"stream_name": "ORDERS", "name": name,
         "config": {"durable_name": name, "ack_policy": "explicit",
                    "ack_wait": 30000000000, "max_deliver": -1,
                    "max_ack_pending": 1000, "deliver_policy": "all",
                    "replay_policy": "instant", "max_waiting": 512},
         "delivered": {"consumer_seq": 0, "stream_seq": 0},
         "ack_floor": {"consumer_seq": 0, "stream_seq": 0},
         "num_ack_pending": 0, "num_redelivered": 0, "num_waiting": 0,
         "num_pending": 0}
    c.update(over)
    return c


def raw(text):
    """A body given as JSON text, for what json.dumps cannot write."""
    return text.encode()


def page(items, total=None, key="streams"):
    return {"total": len(items) if total is None else total, "offset": 0,
            "limit": 256, key: items}


def one_stream_scenario(info_text):
    """Every stream read (list, info, create, update) shows info_text."""
    return {
        "STREAM.LIST": raw('{"total":1,"offset":0,"limit":256,"streams":['
                           + info_text + ']}'),
        "STREAM.INFO": raw(info_text),
        "STREAM.CREATE": raw(info_text),
        "STREAM.UPDATE": raw(info_text),
    }


def stream_text(cfg_extra="", state_extra=""):
    """A StreamInfo as text, with members put first in config / state (of
    duplicate keys, readers take the first)."""
    cfg = json.dumps(config())[1:-1]
    st = json.dumps(stream()["state"])[1:-1]
    return ('{"config":{' + cfg_extra + cfg + '},"created":'
            '"2026-12-02T00:00:00Z","state":{' + state_extra + st + '}}')


def endless_distinct(subject, body, n=[0]):
    """Each page a new stream, and always more to come."""
    n[0] += 1
    time.sleep(0.05)
    return page([stream(config("S%07d" % n[0]))], total=99999)


def plausible(subject, body):
    """A StreamInfo for the config that was sent (or named)."""
    try:
        cfg = json.loads(body or b"{}")
    except ValueError:
        cfg = {}
    if not isinstance(cfg, dict) or "name" not in cfg:
        cfg = config(subject.rsplit(".", 1)[-1])
    return stream(cfg)


# Scenario: API verb (the subject after $JS.API., up to the names) ->
# reply (dict or bytes), a callable(subject, body) giving one, or None for
# no reply.  "*" is every verb not listed.  Readers get hostile values;
# deletes succeed so that cleanup is not what is tested.
SCENARIOS = {
    # Non-finite, huge, negative, fractional and wrong-typed numbers.
    "inf": one_stream_scenario(stream_text('"max_msgs":1e999,')),
    "neg-inf": one_stream_scenario(stream_text('"max_bytes":-1e999,')),
    "huge": one_stream_scenario(stream_text('"max_age":1e300,')),
    "huge-state": one_stream_scenario(
        stream_text("", '"messages":1e19,')),
    "negative": one_stream_scenario(stream_text('"max_msgs":-7,')),
    "negative-state": one_stream_scenario(
        stream_text("", '"bytes":-5,')),
    "fraction": one_stream_scenario(
        stream_text('"duplicate_window":0.5,')),
    "string-number": one_stream_scenario(stream_text('"max_msgs":"100",')),
    "bool-number": one_stream_scenario(stream_text('"max_msgs":true,')),
    "consumer-inf": {
        "STREAM.LIST": page([stream(consumer_count=1)]),
        "STREAM.INFO": stream(consumer_count=1),
        "STREAM.CREATE": stream(consumer_count=1),
        "CONSUMER.LIST": raw('{"total":1,"offset":0,"limit":256,'
                             '"consumers":[{"name":"c1","num_pending":'
                             '1e999,"config":{"durable_name":"c1",'
                             '"ack_policy":"explicit"}}]}'),
        "CONSUMER.INFO": raw('{"name":"c1","num_pending":1e999,'
                             '"config":{"durable_name":"c1"}}'),
        "CONSUMER.CREATE": raw('{"name":"c1","num_pending":1e999,'
                               '"config":{"durable_name":"c1"}}'),
        "CONSUMER.DURABLE.CREATE": raw(
            '{"name":"c1","num_pending":1e999,"config":{}}'),
    },
    "puback-inf": {
        "STREAM.LIST": page([stream()]),
        "STREAM.INFO": stream(),
        "STREAM.CREATE": stream(),
        "PUBACK": raw('{"stream":"ORDERS","seq":1e999}'),
    },
    # Wrong shapes.
    "streams-object": {"STREAM.LIST": {"total": 1, "streams": {"a": 1}}},
    "total-string": {"STREAM.LIST": {"total": "1", "streams": []}},
    "no-total": {"STREAM.LIST": {"streams": [stream()]}},
    "config-string": one_stream_scenario('{"config":"ORDERS"}'),
    "state-array": one_stream_scenario(
        '{"config":' + json.dumps(config()) + ',"state":[]}'),
    "item-number": {"STREAM.LIST": page([7])},
    "not-object": {"*": raw("[1,2,3]")},
    "not-json": {"*": raw("<html>502 Bad Gateway</html>")},
    "empty-body": {"*": raw("")},
    "truncated": {"*": raw('{"total":1,"streams":[{"config":{"name":"ORD')},
    "error-shape": {"*": {"error": "boom"}},
    "error-code-inf": {"*": raw('{"error":{"code":1e999,"err_code":-1,'
                                '"description":"x"}}')},
    # 10 MB bodies: padding, and one huge description.
    "big": {"*": lambda subject, body: raw(
        '{"total":1,"streams":[],"pad":"' + "x" * (10 << 20) + '"}')},
    "big-description": {"*": lambda subject, body: raw(
        '{"total":1,"offset":0,"limit":256,"streams":[' + stream_text(
            '"description":"' + "d" * (10 << 20) + '",') + ']}')},
    # Escape sequences in names, descriptions, errors and the server name.
    "escape": {
        "STREAM.LIST": page([stream(config("E" + ESC + FORGED)),
                             stream(config(description=ESC + FORGED),
                                    consumer_count=1)]),
        "STREAM.INFO": stream(config(description=ESC + FORGED)),
        "STREAM.CREATE": stream(config(description=ESC + FORGED)),
        "CONSUMER.LIST": page([consumer("C" + ESC + FORGED)],
                              key="consumers"),
    },
    "error-escape": {"*": {"error": {"code": 500, "err_code": 10000,
                                     "description": ESC + FORGED}}},
    # Endless paging.
    "total-huge": {"STREAM.LIST": raw(
        '{"total":1e18,"offset":0,"limit":256,"streams":['
        + json.dumps(stream()) + ']}')},
    "same-page": {"STREAM.LIST": page([stream()], total=50000)},
    "endless": {"STREAM.LIST": endless_distinct},
    # No reply to API requests (PINGs still answered): plain timeouts.
    "no-reply": {"*": None},
    # The connection stops answering anything (PINGs too) at its first API
    # request after the account INFO: a stopped or hung server.
    "stall": {"*": "STALL"},
    # The same after answering a few API requests plausibly, so that a
    # conformance run is stopped in the middle.
    "stall-later": {"STREAM.CREATE": plausible, "STREAM.INFO": plausible,
                    "CONSUMER.LIST": page([], key="consumers"),
                    "*": "STALL", "AFTER": 4},
    # Auth with a nonce; the first CONNECT of the run is refused as an
    # authorization violation, later ones are let in (nats.c 3.4 now and
    # then leaves the nkey and signature out: the client tries again).
    "refuse-first": {"REFUSE_FIRST": True, "STREAM.LIST": page([])},
}

INFO_SERVER_NAME = {"escape": "fake" + ESC}


def verb_of(api):
    """STREAM.INFO.ORDERS -> STREAM.INFO (names are the last tokens)."""
    for v in ("CONSUMER.DURABLE.CREATE", "CONSUMER.CREATE",
              "CONSUMER.LIST", "CONSUMER.INFO", "CONSUMER.DELETE",
              "CONSUMER.MSG.NEXT", "STREAM.LIST", "STREAM.NAMES",
              "STREAM.INFO", "STREAM.CREATE", "STREAM.UPDATE",
              "STREAM.DELETE", "STREAM.PURGE", "INFO"):
        if api == v or api.startswith(v + "."):
            return v
    return api


def matches(pattern, subject):
    p, s = pattern.split("."), subject.split(".")
    for i, tok in enumerate(p):
        if tok == ">":
            return len(s) > i
        if i >= len(s) or (tok != "*" and tok != s[i]):
            return False
    return len(p) == len(s)


class Conn(socketserver.BaseRequestHandler):
    def setup(self):
        self.subs = {}
        self.lock = threading.Lock()
        self.stalled = False
        self.answered = 0

    def send(self, data):
        if self.stalled:
            return
        with self.lock:
            try:
                self.request.sendall(data)
            except OSError:
                pass

    def deliver(self, subject, body, reply=None):
        for sid, pat in list(self.subs.items()):
            if matches(pat, subject):
                head = "MSG %s %s %s%d\r\n" % (
                    subject, sid, reply + " " if reply else "", len(body))
                self.send(head.encode() + body + b"\r\n")

    def api(self, subject, body):
        sc = self.server.scenario
        verb = verb_of(subject[len("$JS.API."):])
        if verb == "INFO" and self.server.name != "no-account":
            return {"type": "io.nats.jetstream.api.v1.account_info_response",
                    "memory": 0, "storage": 0, "streams": 1,
                    "consumers": 0, "limits": {}, "api": {"total": 0,
                                                          "errors": 0}}
        if verb in ("STREAM.DELETE", "CONSUMER.DELETE", "STREAM.PURGE"):
            return sc.get(verb, {"success": True})
        if verb in sc:
            r = sc[verb]
        elif "*" in sc:
            r = sc["*"]
        elif verb == "CONSUMER.LIST":
            r = page([], key="consumers")
        elif verb in ("STREAM.INFO", "CONSUMER.INFO"):
            r = {"error": {"code": 404, "err_code": 10059 if verb ==
                           "STREAM.INFO" else 10014,
                           "description": "not found"}}
        else:
            r = {"error": {"code": 500, "err_code": 10000,
                           "description": "the fake server does not "
                           "do " + verb}}
        if callable(r):
            r = r(subject, body)
        return r

    def answer(self, subject, reply, body):
        if subject.startswith("$JS.API."):
            r = self.api(subject, body)
        elif subject.startswith("_INBOX.") or subject.startswith("$JS.ACK"):
            r = None
        else:
            # A publish: core delivery, and a PubAck when asked for one.
            self.deliver(subject, body, reply)
            r = self.server.scenario.get("PUBACK",
                                         {"stream": "ORDERS", "seq": 1})
        if subject.startswith("$JS.API.") and r != "STALL":
            self.answered += 1
            after = self.server.scenario.get("AFTER")
            if after is not None and self.answered > after:
                r = "STALL"
        if r == "STALL":
            self.stalled = True
            return
        if r is None or reply is None:
            return
        if not isinstance(r, bytes):
            r = json.dumps(r).encode()
        self.deliver(reply, r)

    def handle(self):
        info = {"server_id": "NFAKE", "server_name":
                INFO_SERVER_NAME.get(self.server.name, "fake"),
                "version": "2.10.27", "proto": 1, "go": "go1.22",
                "host": "127.0.0.1", "port": self.server.port,
                "headers": True, "max_payload": 64 * 1024 * 1024,
                "jetstream": True, "client_id": 1}
        if self.server.scenario.get("REFUSE_FIRST"):
            info.update(auth_required=True, nonce="bm9uY2Utbm9uY2U")
        self.send(b"INFO " + json.dumps(info).encode() + b"\r\n")
        buf = b""
        while True:
            try:
                data = self.request.recv(1 << 16)
            except OSError:
                return
            if not data:
                return
            buf += data
            while True:
                i = buf.find(b"\r\n")
                if i < 0:
                    break
                line = buf[:i].decode(errors="replace")
                op = line.split(" ", 1)[0].upper()
                args = line.split()[1:]
                if op in ("PUB", "HPUB"):
                    n = int(args[-1])
                    if len(buf) < i + 2 + n + 2:
                        break
                    payload = buf[i + 2:i + 2 + n]
                    buf = buf[i + 2 + n + 2:]
                    if op == "HPUB":
                        payload = payload[int(args[-2]):]
                    reply = args[1] if len(args) == (3 if op == "PUB"
                                                     else 4) else None
                    if not self.stalled:
                        self.answer(args[0], reply, payload)
                    continue
                buf = buf[i + 2:]
                if (op == "CONNECT" and
                        self.server.scenario.get("REFUSE_FIRST") and
                        not self.server.refused):
                    self.server.refused = True
                    self.send(b"-ERR 'Authorization Violation'\r\n")
                    return
                if op == "PING":
                    self.send(b"PONG\r\n")
                elif op == "SUB":
                    self.subs[args[-1]] = args[0]
                elif op == "UNSUB":
                    self.subs.pop(args[0], None)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description="fake JetStream server")
    ap.add_argument("scenario", nargs="?")
    ap.add_argument("--port-file")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        print("\n".join(SCENARIOS))
        return 0
    if a.scenario not in SCENARIOS:
        print("fake-js-server: unknown scenario %r" % a.scenario,
              file=sys.stderr)
        return 2
    srv = Server(("127.0.0.1", 0), Conn)
    srv.scenario = SCENARIOS[a.scenario]
    srv.refused = False
    srv.name = a.scenario
    srv.port = srv.server_address[1]
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write("%d\n" % srv.port)
        os.rename(a.port_file + ".tmp", a.port_file)
    else:
        print(srv.port, flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
