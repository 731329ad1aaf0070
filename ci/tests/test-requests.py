#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
test-requests: the JetStream API request bodies the tools send, validated
against the official request schemas (/work/shared/jetstream-api, beside
the repository as ../shared/jetstream-api).

    test-requests.py check SCHEMAS TRACE [KIND...]
    test-requests.py selftest SCHEMAS

TRACE is what the tools wrote with NATS_PROVISION_TRACE=TRACE: one line
{"subject": "$JS.API....", "body": <the request or null>} per request.
check validates every body with the schema of its subject, refuses a
subject that has no schema (map it here first) and a body sent where the
API takes none, and fails unless every KIND given (STREAM.CREATE,
CONSUMER.CREATE, ...) was seen, so an empty trace cannot pass.
selftest feeds bodies the schemas must refuse and fails unless each is
refused (a resolver that loads nothing would pass everything).
Needs python3-jsonschema (Debian).
"""
import json
import os
import re
import sys

import jsonschema

try:
    import referencing
    import referencing.jsonschema
except ImportError:  # jsonschema before 4.18
    referencing = None

# Subject (after $JS.API.) -> (kind, schema file, or None: no body).
ROUTES = [
    (r"STREAM\.CREATE\.[^.]+", "STREAM.CREATE", "stream_create_request.json"),
    (r"STREAM\.UPDATE\.[^.]+", "STREAM.UPDATE", "stream_update_request.json"),
    (r"STREAM\.INFO\.[^.]+", "STREAM.INFO", "stream_info_request.json"),
    (r"STREAM\.LIST", "STREAM.LIST", "stream_list_request.json"),
    (r"STREAM\.NAMES", "STREAM.NAMES", "stream_names_request.json"),
    (r"STREAM\.PURGE\.[^.]+", "STREAM.PURGE", "stream_purge_request.json"),
    (r"STREAM\.DELETE\.[^.]+", "STREAM.DELETE", None),
    (r"STREAM\.MSG\.GET\.[^.]+", "STREAM.MSG.GET",
     "stream_msg_get_request.json"),
    (r"STREAM\.MSG\.DELETE\.[^.]+", "STREAM.MSG.DELETE",
     "stream_msg_delete_request.json"),
    (r"CONSUMER\.DURABLE\.CREATE\.[^.]+\.[^.]+", "CONSUMER.CREATE",
     "consumer_create_request.json"),
    (r"CONSUMER\.CREATE\.[^.]+(\.[^.]+)?(\.[^.]+)?", "CONSUMER.CREATE",
     "consumer_create_request.json"),
    (r"CONSUMER\.INFO\.[^.]+\.[^.]+", "CONSUMER.INFO",
     "consumer_info_request.json"),
    (r"CONSUMER\.LIST\.[^.]+", "CONSUMER.LIST", "consumer_list_request.json"),
    (r"CONSUMER\.NAMES\.[^.]+", "CONSUMER.NAMES",
     "consumer_names_request.json"),
    (r"CONSUMER\.DELETE\.[^.]+\.[^.]+", "CONSUMER.DELETE", None),
    (r"CONSUMER\.MSG\.NEXT\.[^.]+\.[^.]+", "CONSUMER.MSG.NEXT",
     "consumer_getnext_request.json"),
    (r"STREAM\.LEADER\.STEPDOWN\.[^.]+", "STREAM.LEADER.STEPDOWN",
     "stream_leader_stepdown_request.json"),
    (r"CONSUMER\.LEADER\.STEPDOWN\.[^.]+\.[^.]+", "CONSUMER.LEADER.STEPDOWN",
     "consumer_leader_stepdown_request.json"),
    (r"INFO", "INFO", None),
]


def load_validators(schemas):
    docs = {}
    for f in sorted(os.listdir(schemas)):
        if f.endswith(".json"):
            with open(os.path.join(schemas, f), encoding="utf-8") as fh:
                docs[f] = json.load(fh)
    if "definitions.json" not in docs:
        raise SystemExit("no definitions.json in %s" % schemas)
    cls = jsonschema.Draft7Validator
    out = {}
    if referencing is not None:
        registry = referencing.Registry().with_resources(
            (d["$id"], referencing.Resource.from_contents(
                d, default_specification=referencing.jsonschema.DRAFT7))
            for d in docs.values() if "$id" in d)
        for f, d in docs.items():
            out[f] = cls(d, registry=registry)
    else:
        store = {d["$id"]: d for d in docs.values() if "$id" in d}
        for f, d in docs.items():
            out[f] = cls(d, resolver=jsonschema.RefResolver.from_schema(
                d, store=store))
    return out


def route(subject):
    if not subject.startswith("$JS.API."):
        return None
    rest = subject[len("$JS.API."):]
    for pat, kind, schema in ROUTES:
        if re.fullmatch(pat, rest):
            return kind, schema
    return None


def problems(validators, subject, body):
    r = route(subject)
    if r is None:
        return ["%s: no request schema is mapped for this subject "
                "(add it to ROUTES in ci/tests/test-requests.py)" % subject]
    kind, schema = r
    if body is None:
        return []
    if schema is None:
        return ["%s: the API takes no body here, got %s"
                % (subject, json.dumps(body)[:120])]
    # STREAM.CREATE and STREAM.UPDATE take nats-server's StreamConfigRequest:
    # the config plus "pedantic" (2.11+).  stream_create_request.json says
    # so with allOf [stream_configuration, {pedantic}], but
    # stream_configuration forbids additional properties, so no body with
    # pedantic could pass; stream_update_request.json leaves it out.  Check
    # that pedantic is a boolean, then the config without it.
    pre = []
    if (kind in ("STREAM.CREATE", "STREAM.UPDATE") and isinstance(body, dict)
            and "pedantic" in body):
        if not isinstance(body["pedantic"], bool):
            pre.append("%s: pedantic is not a boolean at /pedantic (%s)"
                       % (subject, schema))
        body = {k: v for k, v in body.items() if k != "pedantic"}
    errs = sorted(validators[schema].iter_errors(body), key=lambda e:
                  list(e.absolute_path))
    return pre + ["%s: %s at /%s (%s)" % (subject, e.message[:200],
                  "/".join(str(p) for p in e.absolute_path), schema)
                  for e in errs]


def check(schemas, trace, kinds):
    validators = load_validators(schemas)
    seen, bad, n = set(), [], 0
    with open(trace, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as e:
                bad.append("%s:%d: not JSON: %s" % (trace, lineno, e))
                continue
            n += 1
            subject, body = rec.get("subject", ""), rec.get("body")
            r = route(subject)
            if r is not None:
                seen.add(r[0])
            bad.extend(problems(validators, subject, body))
    for k in kinds:
        if k not in seen:
            bad.append("no %s request in the trace (seen: %s)"
                       % (k, ", ".join(sorted(seen)) or "none"))
    for b in bad:
        print(b)
    print("%d requests, %d kinds (%s), %d problems"
          % (n, len(seen), ", ".join(sorted(seen)), len(bad)))
    return 1 if bad else 0


# A valid stream config; each refused body below differs from a valid one
# by one fault a tool could make.
STREAM = {"name": "s", "subjects": ["a.>"], "retention": "limits",
          "storage": "file", "max_age": 86400000000000, "max_consumers": -1,
          "max_msgs": -1, "max_bytes": -1, "num_replicas": 1}
CONSUMER = {"stream_name": "s", "config": {"durable_name": "c",
                                           "ack_policy": "explicit",
                                           "deliver_policy": "all"}}


def but(base, **kw):
    d = json.loads(json.dumps(base))
    for k, v in kw.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return d


REFUSED = [
    ("$JS.API.STREAM.CREATE.s", but(STREAM, retention="bogus")),
    ("$JS.API.STREAM.CREATE.s", but(STREAM, max_age="1h")),
    ("$JS.API.STREAM.UPDATE.s", but(STREAM, storage="disk")),
    ("$JS.API.STREAM.CREATE.s", but(STREAM, max_consumers=None)),
    ("$JS.API.STREAM.CREATE.s", but(STREAM, num_replicas=1.5)),
    ("$JS.API.CONSUMER.DURABLE.CREATE.s.c",
     but(CONSUMER, config={"durable_name": "c", "ack_policy": "sometimes"})),
    ("$JS.API.CONSUMER.DURABLE.CREATE.s.c", but(CONSUMER, stream_name=None)),
    ("$JS.API.STREAM.LIST", {"offset": -1}),
    ("$JS.API.CONSUMER.LIST.s", {"offset": "0"}),
    ("$JS.API.CONSUMER.MSG.NEXT.s.c", {"batch": "1"}),
    ("$JS.API.STREAM.DELETE.s", {"name": "s"}),
    ("$JS.API.STREAM.SNAPSHOT.s", None),
    ("$JS.API.STREAM.CREATE.s", but(STREAM, pedantic="yes")),
    ("$JS.API.STREAM.CREATE.s", but(STREAM, pedantic=True, bogus=1)),
]
ACCEPTED = [
    ("$JS.API.STREAM.CREATE.s", STREAM),
    ("$JS.API.STREAM.UPDATE.s", but(STREAM, max_msgs=1000)),
    ("$JS.API.STREAM.CREATE.s", but(STREAM, pedantic=True)),
    ("$JS.API.STREAM.UPDATE.s", but(STREAM, pedantic=True)),
    ("$JS.API.CONSUMER.DURABLE.CREATE.s.c", but(CONSUMER, pedantic=True)),
    ("$JS.API.CONSUMER.DURABLE.CREATE.s.c", CONSUMER),
    ("$JS.API.STREAM.LIST", {"offset": 0}),
    ("$JS.API.CONSUMER.MSG.NEXT.s.c", {"batch": 10, "no_wait": True}),
    ("$JS.API.INFO", None),
]


def selftest(schemas):
    validators = load_validators(schemas)
    bad = 0
    for subject, body in REFUSED:
        if not problems(validators, subject, body):
            print("selftest: accepted, should be refused: %s %s"
                  % (subject, json.dumps(body)))
            bad += 1
    for subject, body in ACCEPTED:
        p = problems(validators, subject, body)
        if p:
            print("selftest: refused, should pass: %s" % p[0])
            bad += 1
    if not bad:
        print("selftest: %d bodies refused, %d accepted, as they should be"
              % (len(REFUSED), len(ACCEPTED)))
    return 1 if bad else 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "check":
        return check(argv[2], argv[3], argv[4:])
    if len(argv) == 3 and argv[1] == "selftest":
        return selftest(argv[2])
    print("usage: test-requests.py check SCHEMAS TRACE [KIND...] | "
          "selftest SCHEMAS", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
