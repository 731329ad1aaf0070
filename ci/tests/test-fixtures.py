#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# test-fixtures: the reply fixtures written for servers the harness does
# not run (provision/tests/fixtures/VERSION/streams.json: StreamInfo, each
# with its ConsumerInfo list under "consumers") are valid against the
# official response schemas (../shared/jetstream-api beside the
# repository), so the unit tests that read them test replies a real
# server could send.  The selftest spoils one reply and wants it refused.
#
#   test-fixtures.py check SCHEMAS FILE...
#   test-fixtures.py selftest SCHEMAS FILE
import copy
import importlib.util
import json
import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "test_requests", os.path.join(_here, "test-requests.py"))
_tr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_tr)


def replies(path):
    with open(path, encoding="utf-8") as fh:
        streams = json.load(fh)
    for s in streams:
        s = dict(s)
        consumers = s.pop("consumers", [])
        yield "stream_info_response.json", s
        for c in consumers:
            yield "consumer_info_response.json", c


def problems(validators, path, items):
    out = []
    for schema, body in items:
        name = body.get("config", {}).get("name", "?")
        for e in validators[schema].iter_errors(body):
            out.append("%s: %s '%s': %s at /%s" % (
                path, schema, name, e.message[:200],
                "/".join(str(p) for p in e.absolute_path)))
    return out


def check(schemas, files):
    validators = _tr.load_validators(schemas)
    bad, n = [], 0
    for f in files:
        items = list(replies(f))
        n += len(items)
        bad += problems(validators, f, items)
    for b in bad:
        print(b)
    print("%d replies in %d files, %d problems" % (n, len(files), len(bad)))
    return 1 if bad or n == 0 else 0


def selftest(schemas, path):
    validators = _tr.load_validators(schemas)
    items = list(replies(path))
    spoiled = copy.deepcopy(items)
    spoiled[0][1]["config"]["retention"] = "forever"
    if problems(validators, path, items):
        print("selftest: the fixture itself is refused")
        return 1
    if not problems(validators, path, spoiled):
        print("selftest: a reply with retention 'forever' was accepted")
        return 1
    print("selftest: a spoiled reply is refused, the fixture accepted")
    return 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "check":
        return check(argv[2], argv[3:])
    if len(argv) == 4 and argv[1] == "selftest":
        return selftest(argv[2], argv[3])
    print("usage: test-fixtures.py check SCHEMAS FILE... | "
          "selftest SCHEMAS FILE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
