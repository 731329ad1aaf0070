# SPDX-License-Identifier: MIT
#
# it-conformance: nats-conformance against a real nats-server
# (ci/with-server): list, usage, the default shadow run (time, reports,
# coverage, server left untouched), SIGINT/SIGTERM cleanup, the live
# target, a missing stream, a wrong password, and 20 runs in a row.
. "$SRCDIR/ci/testlib.sh"
. "$SRCDIR/conformance/tests/it-lib.sh"
W=$T_OUT/work
mkdir -p "$W"
export NATS_MONITOR_URL

t_begin "list prints every check id with what it proves"
run "$C" list
expect_rc 0
for id in pubsub.core pubsub.js-ack pubsub.readback offline.durable-exists \
    offline.delivery offline.redelivery offline.ack-floor \
    workqueue.exactly-once workqueue.load-balanced \
    workqueue.removed-after-ack workqueue.redelivery workqueue.nak \
    workqueue.term workqueue.exclusive workqueue.dedup broadcast.fanout \
    broadcast.independent-acks broadcast.late-joiner broadcast.retained; do
	grep -qE "^$id +[^ ]" "$T_OUT/out" || t_fail "list lacks '$id'"
done
cp "$T_OUT/out" "$W/list"
run "$C" --list
expect_rc 0
cmp -s "$W/list" "$T_OUT/out" || t_fail "--list differs from list"
run "$C" list --filter 'workqueue.*'
[ "$(wc -l <"$T_OUT/out")" = 8 ] || t_fail "list --filter: $(cat "$T_OUT/out")"
t_end

t_begin "usage errors exit 2 with the reason and the usage on stderr"
run "$C" run --target bogus
expect_rc 2
expect_in err "nats-conformance run: --target: neither 'shadow' nor 'live'"
expect_not_in err "bogus"
expect_in err "usage:"
run "$C" --no-such-flag
expect_rc 2
expect_in err "nats-conformance run: bad option '--no-such-flag'"
run "$C" frobnicate
expect_rc 2
expect_in err "unknown command 'frobnicate'"
run "$C" --repeat 0
expect_rc 2
run "$C" --timeout forever
expect_rc 2
run "$C" --help
expect_rc 0
expect_in out "--filter GLOB"
expect_in out "--server URL"
run "$C" --version
expect_rc 0
expect_in out "nats-conformance 0."
expect_in out "nats.c"
printf 'streams:\n  - name: x\n    subjects: [x.*]\n    max_mgs: 5\n' >"$W/bad.yaml"
run "$C" --specs "$W/bad.yaml"
expect_rc 2
expect_in err "max_mgs"
printf 'streams:\n  - name: x\n    subjects: [x.*]\n    conformance: [pubsb]\n' >"$W/badgroup.yaml"
run "$C" --specs "$W/badgroup.yaml"
expect_rc 2
expect_in err "unknown conformance group 'pubsb'"
t_end

# The declared streams, with real traffic and a real consumer on them.
apply_specs "$SPECS"
$NATSREQ pub agent.alice.inbox "hello" 5
$NATSREQ pub broadcast.all "news" 3
$NATSREQ pub tasks.build "job" 4
js CONSUMER.DURABLE.CREATE.agent-messages.alice '{"stream_name":"agent-messages","config":{"durable_name":"alice","ack_policy":"explicit","filter_subject":"agent.alice.inbox"}}' >/dev/null
snapshot counts >"$W/before"

# Its duration is measured by ci/bench-timeouts, not asserted here.
t_begin "the default shadow run passes and leaves the server as it was"
run "$C" --specs "$SPECS" --junit "$W/run.xml" --json "$W/run.json"
expect_rc 0
expect_in out " 0 failed, 0 errors"
snapshot counts >"$W/after"
diff -u "$W/before" "$W/after" >"$W/diff" ||
    t_fail "streams, consumers or counts changed: $(cat "$W/diff")"
t_end

t_begin "the JUnit report: valid, one suite per group, cases and properties"
validate_junit "$W/run.xml"
python3 - "$W/run.xml" >"$W/junit.check" 2>&1 <<'PY' || t_fail "$(cat "$W/junit.check")"
import os, sys, re, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = {s.get("name"): s for s in root.iter("testsuite")}
for g in ("pubsub", "offline", "workqueue", "broadcast"):
    assert g in suites, "no testsuite %s" % g
cls = set()
for s in suites.values():
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", s.get("timestamp")), s.get("timestamp")
    assert s.get("hostname"), "no hostname"
    props = {p.get("name"): p.get("value") for p in s.iter("property")}
    for k in ("server.version", "server.name", "target", "spec.digest",
              "runner.version", "server.url"):
        assert k in props, "no property %s" % k
    assert props["target"] == "shadow"
    assert props["server.version"] == os.environ["HARNESS_SERVER_VERSION"], props["server.version"]
    for tc in s.iter("testcase"):
        assert re.match(r"^\d+\.\d{3}$", tc.get("time")), tc.get("time")
        assert tc.get("classname").startswith("conformance." + s.get("name") + ".")
        cls.add((tc.get("name").split(".")[0], tc.get("classname").split(".")[-1]))
for want in (("pubsub", "agent-messages"), ("offline", "agent-messages"),
             ("broadcast", "agent-broadcast"), ("workqueue", "agent-tasks")):
    assert want in cls, "no %s checks on %s" % want
assert ("workqueue", "agent-messages") not in cls
assert ("pubsub", "agent-tasks") not in cls
PY
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$W/run.json" ||
    t_fail "--json wrote invalid JSON"
if grep -qF -- "$NATS_PASSWORD" "$W/run.xml" "$W/run.json" "$T_OUT/out" "$T_OUT/err"; then
	t_fail "the password appears in the output or a report"
fi
t_end

t_begin "--filter runs only matching checks"
run "$C" --specs "$SPECS" --filter 'pubsub.*' --filter 'workqueue.dedup'
expect_rc 0
n=$(grep -cE '^(pass|FAIL|ERROR|skip) ' "$T_OUT/out" || true)
# pubsub on two limits streams (3 each) and dedup on agent-tasks.
[ "$n" = 7 ] || t_fail "ran $n checks, want 7: $(cat "$T_OUT/out")"
t_end

# under_way PID COUNT: PID has ended, or the server has seen more than
# COUNT API requests.
under_way() { ! kill -0 "$1" 2>/dev/null || [ "$(api_total)" -gt "$2" ]; }

for sig in INT TERM; do
	t_begin "SIG$sig midway: remaining checks skipped, everything removed, exit 128+N"
	snapshot counts >"$W/before"
	set +e
	a0=$(api_total)
	"$C" --specs "$SPECS" --repeat 20 --junit "$W/sig.xml" >"$T_OUT/out" 2>"$T_OUT/err" &
	pid=$!
	# Signal once the run is under way (its API requests have begun: the
	# handlers are set, shadow streams exist), not after a fixed delay:
	# under ASan or on a loaded machine 0.3 s did not always see the
	# handlers set.  Twenty repetitions: on a loaded machine polling
	# api_total can take a second, and a signal that lands between a
	# repetition's last check and the next skips nothing.
	wait_until 600 under_way $pid $((a0 + 5)) || true
	kill -$sig $pid
	wait $pid
	RC=$?
	set -e
	if [ $sig = INT ]; then expect_rc 130; else expect_rc 143; fi
	expect_in err "interrupted by SIG$sig"
	expect_in out "interrupted by SIG$sig"
	validate_junit "$W/sig.xml"
	snapshot counts >"$W/after"
	diff -u "$W/before" "$W/after" >"$W/diff" ||
	    t_fail "the server was left changed: $(cat "$W/diff")"
	t_end
done

t_begin "the live target: consuming checks refused, nothing deleted"
snapshot >"$W/before"
js STREAM.INFO.agent-tasks | jq_py 'd["state"]["messages"]' >"$W/tasks.before"
run "$C" --specs "$SPECS" --target live --junit "$W/live.xml"
expect_rc 0
expect_check workqueue.exactly-once skip
expect_in out "would consume real messages on the live target"
expect_check pubsub.readback pass
expect_check offline.delivery pass
validate_junit "$W/live.xml"
junit_case "$W/live.xml" workqueue.dedup skipped
grep -q 'name="target" value="live"' "$W/live.xml" || t_fail "target property"
snapshot >"$W/after"
diff -u "$W/before" "$W/after" >"$W/diff" ||
    t_fail "streams or consumers changed: $(cat "$W/diff")"
js STREAM.INFO.agent-tasks | jq_py 'd["state"]["messages"]' >"$W/tasks.after"
cmp -s "$W/tasks.before" "$W/tasks.after" || t_fail "agent-tasks changed"
t_end

t_begin "the live target names a declared stream missing on the server"
run "$C" --specs "$TSPECS/specs-ghost" --target live --junit "$W/ghost.xml"
expect_rc 1
expect_in out "declared stream 'agent-ghost' does not exist on the server"
expect_check pubsub.core FAIL
expect_check config.matches-spec FAIL
validate_junit "$W/ghost.xml"
junit_case "$W/ghost.xml" pubsub.core failure
t_end

t_begin "a wrong password exits 3 and never prints the password"
NATS_PASSWORD=not-the-password-xyz run "$C" --specs "$SPECS"
expect_rc 3
expect_in err "nats-conformance: cannot connect to"
expect_not_in err "not-the-password-xyz"
run "$C" --specs "$SPECS" -s nats://127.0.0.1:1
expect_rc 3
t_end

t_begin "20 consecutive runs all pass"
run "$C" --specs "$SPECS" --repeat 20 --filter 'pubsub.*' --filter 'offline.*' \
    --filter 'workqueue.*' --filter 'broadcast.*' --filter 'contract.*' \
    --filter 'backlog.*' --junit "$W/repeat.xml"
expect_rc 0
n=$(grep -c '^pass ' "$T_OUT/out" || true)
# pubsub on the inbox and broadcast streams, offline on the inbox,
# workqueue on the tasks, broadcast on the broadcast stream (by contract);
# the contract checks that apply (7 broadcast, 6 inbox, 8 tasks; the rest
# are skipped: not declared), backlog.holds and backlog.largest on each.
[ "$n" = $((20 * (2 * 3 + 4 + 8 + 4 + 7 + 6 + 8 + 3 + 3))) ] ||
    t_fail "$n passing cases, want $((20 * 49)): $(grep -vE '^(pass|skip) ' "$T_OUT/out" | head -20)"
validate_junit "$W/repeat.xml"
t_end

t_summary
