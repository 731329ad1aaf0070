# SPDX-License-Identifier: MIT
#
# it-faults: every check id of the pubsub, offline, workqueue and broadcast
# groups, and of the kv group, is shown to fail.  Each case seeds one fault, either on the client
# side with the testing-only --fault NAME (the check's assertion code is
# unchanged: the fault perturbs what the client does, and the server-facing
# assertion must notice) or with a spec whose stream breaks the behaviour,
# and asserts that exactly that check fails, with a message that explains
# it, in the console and as a <failure> in valid JUnit, while the other
# checks of its group still pass.
. "$SRCDIR/ci/testlib.sh"
. "$SRCDIR/conformance/tests/it-lib.sh"
W=$T_OUT/work
mkdir -p "$W"
apply_specs "$SPECS"

# seeded FAULT|ID|SPECS|EXPLANATION [EXTRA_FAILING_IDS]
seeded() {
	local fault=$1 id=$2 specs=$3 why=$4 also=${5:-} group=${2%%.*}
	local xml=$W/$fault.xml
	t_begin "$id fails under ${fault#spec:}"
	if [ "${fault#spec:}" != "$fault" ]; then
		# The deployment itself is broken: spec and server agree.
		deploy "$specs"
		run "$C" --specs "$specs" --filter "$group.*" --junit "$xml"
		deploy "$SPECS"
	else
		run "$C" --specs "$specs" --filter "$group.*" --fault "$fault" \
		    --junit "$xml"
	fi
	expect_rc 1
	expect_check "$id" FAIL
	grep -qF -- "$why" <<<"$(grep -E "^FAIL .* [a-z]+/$id " "$T_OUT/out")" ||
	    t_fail "the FAIL line of $id does not say '$why': $(grep "$id" "$T_OUT/out")"
	# Every other check of the group still passes.
	grep -E '^(FAIL|ERROR) ' "$T_OUT/out" | grep -vE " [a-z]+/($id${also:+|$also}) " \
	    >"$W/others" && t_fail "other checks broke: $(cat "$W/others")"
	validate_junit "$xml"
	junit_case "$xml" "$id" failure
	t_end
}

seeded core-miss pubsub.core "$SPECS" "nothing arrived on the subscription"
seeded js-no-stream pubsub.js-ack "$SPECS" "was not acknowledged by stream"
seeded strip-headers pubsub.readback "$SPECS" "header 'X-Conformance' of the stored message is '(missing)'"
seeded unsub-deletes offline.durable-exists "$SPECS" "no longer exists"
seeded skip-bind offline.delivery "$SPECS" "received 0 of 10 messages published while no subscriber was connected"
seeded ack-before-disconnect offline.redelivery "$SPECS" "0 of 5 unacknowledged messages were redelivered after the reconnect"
seeded no-ack-offline offline.ack-floor "$SPECS" "the ack floor of"
seeded drop-one workqueue.exactly-once "$SPECS" "task 7 was never processed"
seeded greedy-worker workqueue.load-balanced "$SPECS" "got no tasks"
seeded no-ack workqueue.removed-after-ack "$SPECS" "processed tasks are still stored"
seeded ack-early workqueue.redelivery "$SPECS" "an unacknowledged task was not redelivered"
seeded nak-as-ack workqueue.nak "$SPECS" "answered with -NAK was not redelivered"
seeded term-as-nak workqueue.term "$SPECS" "answered with +TERM was delivered again"
seeded exclusive-same-name workqueue.exclusive "$SPECS" "the server accepted a second"
seeded fresh-msg-id workqueue.dedup "$SPECS" "with the same Nats-Msg-Id was stored again"
seeded shared-durable broadcast.fanout "$SPECS" "another subscriber consumed it first"
seeded ack-other broadcast.independent-acks "$SPECS" "changed"
seeded late-new broadcast.late-joiner "$SPECS" "received 0 of 8 messages"
seeded purge-acked broadcast.retained "$SPECS" "after every consumer acknowledged them"

# The kv group, on the agents' presence bucket of specs/examples: it
# passes as deployed, and each fault fails its own check.
PRESENCE=$SRCDIR/specs/examples/presence.yaml
apply_specs "$PRESENCE"
t_begin "the kv group passes on the presence bucket"
run "$C" --specs "$PRESENCE" --filter "kv.*" --junit "$W/kv.xml"
expect_rc 0
for id in kv.put-get kv.update-revision kv.history kv.watch kv.ttl; do
	expect_check "$id" pass
done
validate_junit "$W/kv.xml"
t_end
seeded kv-put-elsewhere kv.put-get "$PRESENCE" "is not found"
seeded kv-blind-update kv.update-revision "$PRESENCE" "it must be refused"
seeded kv-watch-late kv.watch "$PRESENCE" "want 'w0' (the current value, then every update in order)"
seeded kv-no-ttl kv.ttl "$PRESENCE" "the key was still there"
seeded kv-history-stale kv.history "$PRESENCE" "was refused"

# Faults in the declared streams themselves, applied to the server (the
# shadow copies are made from the live streams).  A work queue declared
# with limits retention keeps acked tasks (and allows a second consumer).
seeded spec:tasks-limits workqueue.removed-after-ack \
    "$TSPECS/specs-tasks-limits" "is the stream's retention really 'workqueue'?" \
    "workqueue.exclusive"
# A duplicate window shorter than the agents' retry delay.
seeded spec:tiny-dedup workqueue.dedup "$TSPECS/specs-tiny-dedup" \
    "duplicate_window is 100 ms"

# The seeded runs left nothing behind.
t_begin "the fault runs removed everything they created"
snapshot >"$W/snap"
grep -E '^(stream|consumer) r[0-9a-f]{8}' "$W/snap" &&
    t_fail "left behind: $(cat "$W/snap")"
t_end

t_summary
