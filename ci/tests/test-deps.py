#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
test-deps: the dependencies of the C modules point one way.

    test-deps.py check ROOT      the tree at ROOT
    test-deps.py selftest ROOT   a copy of it passes, and each seeded fault
                                 (an include cycle, the group names in the
                                 provision core, plan.h reaching jsapi.h, a
                                 provision module including a conformance
                                 header) makes the check fail

Rules, over provision/, reports/ and conformance/ (tests excluded):
  1. No include cycle between modules.  A module is a file name up to its
     first '-' in one directory: jsapi.c, jsapi-msg.c and the private
     jsapi-int.h are the jsapi family, check-*.c belong to check.
  2. provision/ and reports/ include nothing from conformance/.
  3. The provision core knows no conformance check group.  The names come
     from their owner, conformance/ (each group's definition and the
     catalog's rules).  Some are also words of the spec or the server
     ("limits" is a retention, "config" a JSON key), so a file fails when
     one string literal names two groups or more (a list in a message), or
     when its literals name half of the groups or more (a table of them).
  4. plan.h, the pure planner, does not reach the JetStream client
     (jsapi*.h) or nats.c through its includes.
Exit 0 when every rule holds, 1 with one line per violation.
"""
import os
import re
import shutil
import sys
import tempfile

DIRS = ["provision", "reports", "conformance"]
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.M)
PURE = [("provision", "plan.h")]
NETWORK = re.compile(r"^(jsapi(-[a-z]+)?\.h|nats/.*)$")


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def sources(root):
    for d in DIRS:
        p = os.path.join(root, d)
        if not os.path.isdir(p):
            continue
        for f in sorted(os.listdir(p)):
            if f.endswith((".c", ".h")):
                yield d, f


def family(name):
    return re.split(r"[-.]", name, maxsplit=1)[0]


def resolve(root, d, header):
    for cand in [d] + DIRS:
        if os.path.isfile(os.path.join(root, cand, header)):
            return cand
    return None


def includes(root, d, f):
    with open(os.path.join(root, d, f), encoding="utf-8") as fh:
        text = strip_comments(fh.read())
    return INCLUDE.findall(text)


def check_graph(root, errors):
    graph = {}
    for d, f in sources(root):
        node = (d, family(f))
        graph.setdefault(node, set())
        for kind, h in includes(root, d, f):
            if kind != '"':
                continue
            hd = resolve(root, d, h)
            if hd is None:
                continue
            if d in ("provision", "reports") and hd == "conformance":
                errors.append("%s/%s includes conformance/%s: the "
                              "provision core and the reports depend on "
                              "no conformance module" % (d, f, h))
            dst = (hd, family(h))
            if dst != node:
                graph[node].add(dst)
    # Cycles: depth-first search, reporting each back edge once.
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                cyc = stack[stack.index(m):] + [m]
                errors.append("include cycle: " + " -> ".join(
                    "%s/%s" % x for x in cyc))
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)


def group_names(root):
    names = set()
    conf = os.path.join(root, "conformance")
    for f in sorted(os.listdir(conf)):
        if not f.endswith(".c"):
            continue
        with open(os.path.join(conf, f), encoding="utf-8") as fh:
            text = strip_comments(fh.read())
        for m in re.finditer(r"const struct check_group \w+\s*=\s*\{\s*"
                             r'(?:\.name\s*=\s*)?"([^"]+)"', text):
            names.add(m.group(1))
        if f == "catalog.c":
            for m in re.finditer(r'\{\s*"[a-z]+:?[a-z0-9]*",\s*\{([^}]*)\}',
                                 text):
                names.update(re.findall(r'"([^"]+)"', m.group(1)))
    return names


def check_groups(root, errors):
    names = group_names(root)
    if len(names) < 4:
        errors.append("found only %d conformance group names in "
                      "conformance/ (%s): this check no longer reads them"
                      % (len(names), ", ".join(sorted(names))))
        return
    word = {g: re.compile(r"(?<![\w-])%s(?![\w-])" % re.escape(g))
            for g in names}
    for d, f in sources(root):
        if d != "provision":
            continue
        with open(os.path.join(root, d, f), encoding="utf-8") as fh:
            text = strip_comments(fh.read())
        literals = re.findall(r'"((?:[^"\\\n]|\\.)*)"', text)
        exact = set(s for s in literals if s in names)
        if 2 * len(exact) >= len(names):
            errors.append("provision/%s spells %d of the %d conformance "
                          "groups (%s): their one owner is conformance/"
                          % (f, len(exact), len(names),
                             ", ".join(sorted(exact))))
        for s in literals:
            hit = sorted(g for g in names if word[g].search(s))
            if len(hit) >= 2 and s not in names:
                errors.append("provision/%s lists conformance groups in "
                              "'%s': their one owner is conformance/"
                              % (f, s[:60]))
                break


def check_pure(root, errors):
    for d, h in PURE:
        seen, todo = set(), [(d, h, [h])]
        while todo:
            cd, ch, path = todo.pop()
            if (cd, ch) in seen:
                continue
            seen.add((cd, ch))
            for kind, inc in includes(root, cd, ch):
                if NETWORK.match(inc):
                    errors.append("%s/%s reaches %s (%s): the planner "
                                  "sees plain data only" % (
                                      d, h, inc, " -> ".join(path + [inc])))
                    continue
                hd = resolve(root, cd, inc) if kind == '"' else None
                if hd is not None:
                    todo.append((hd, inc, path + [inc]))


def check(root):
    errors = []
    check_graph(root, errors)
    check_groups(root, errors)
    check_pure(root, errors)
    return errors


def seed(root, rel, find, repl):
    p = os.path.join(root, rel)
    with open(p, encoding="utf-8") as fh:
        text = fh.read()
    if find not in text:
        raise SystemExit("selftest: cannot seed %s: '%s' not found"
                         % (rel, find))
    with open(p, "w", encoding="utf-8") as fh:
        fh.write(text.replace(find, repl, 1))


FAULTS = [
    ("check.c includes runner.h again (cycle)",
     "conformance/check.c", '#include "check.h"\n',
     '#include "check.h"\n#include "runner.h"\n', "include cycle"),
    ("spec.c holds the group list again",
     "provision/spec.c", "static const struct schema_field root_extras",
     'static const char *const spec_groups[] = { "pubsub", "offline", '
     '"backlog", "monitoring", "persistence", "failover" };\n'
     "static const struct schema_field root_extras", "spells"),
    ("a message lists the groups",
     "provision/spec.c", "static const struct schema_field root_extras",
     'static const char spec_msg[] = "groups are pubsub, offline";\n'
     "static const struct schema_field root_extras", "lists conformance"),
    ("live.h includes jsapi.h (plan.h reaches the client)",
     "provision/live.h", '#include "spec.h"\n',
     '#include "spec.h"\n#include "jsapi.h"\n', "reaches jsapi.h"),
    ("apply.c includes a conformance header",
     "provision/apply.c", '#include "apply.h"\n',
     '#include "apply.h"\n#include "catalog.h"\n', "depend on no"),
]


def selftest(root):
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        cases = [(None, None, None, None, None)] + FAULTS
        for i, (what, rel, find, repl, expect) in enumerate(cases):
            copy = os.path.join(tmp, str(i))
            for d in DIRS:
                shutil.copytree(os.path.join(root, d),
                                os.path.join(copy, d))
            if what is not None:
                seed(copy, rel, find, repl)
            errors = check(copy)
            if what is None:
                if errors:
                    print("selftest: the unchanged copy fails: %s"
                          % errors[0])
                    bad += 1
                continue
            if not any(expect in e for e in errors):
                print("selftest: not caught: %s (got %s)" % (what, errors))
                bad += 1
            else:
                print("caught: %s" % what)
    return 1 if bad else 0


def main(argv):
    if len(argv) != 3 or argv[1] not in ("check", "selftest"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    if argv[1] == "selftest":
        return selftest(argv[2])
    errors = check(argv[2])
    for e in errors:
        print(e)
    if not errors:
        print("module dependencies point one way")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
