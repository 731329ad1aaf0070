# SPDX-License-Identifier: MIT
#
# it-requests: every JetStream API request body the tools send, captured
# with NATS_PROVISION_TRACE while nats-provision validates, plans, applies
# (creates, then updates), checks, shows the status of and exports
# specs/ and specs/examples/ and nats-conformance runs its checks on them
# and its benchmark, is valid against the official request schemas
# (../shared/jetstream-api beside the repository;
# ci/tests/test-requests.py).  The trace holds no credential.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
C=${NATS_CONFORMANCE:?}
export NATS_MONITOR_URL
SCHEMAS=${JSAPI_SCHEMAS:-$SRCDIR/../shared/jetstream-api}
CHECK="python3 $SRCDIR/ci/tests/test-requests.py"
W=$T_OUT/work
TRACE=$T_OUT/trace.jsonl
mkdir -p "$W/v1" "$W/v2"
cp "$SRCDIR"/specs/*.yaml "$SRCDIR"/specs/examples/*.yaml "$W/v1/"
cp "$W"/v1/*.yaml "$W/v2/"
# The update: a stream limit and a consumer setting that change in place.
sed -i 's/max_msgs: 50000/max_msgs: 60000/; s/max_deliver: 5/max_deliver: 6/' \
    "$W/v2/agent-tasks.yaml"
cmp -s "$W/v1/agent-tasks.yaml" "$W/v2/agent-tasks.yaml" &&
    { echo "it-requests: the update edit no longer applies" >&2; exit 1; }

# step CMD...: run CMD, which must exit 0; on failure say which and why.
step() {
	run "$@"
	[ "$RC" = 0 ] || t_fail "$(basename "$1") ${2:-} ${3:-}: exit $RC:" \
	    "$(tail -c 600 "$T_OUT/out") $(tail -c 300 "$T_OUT/err")"
}

t_begin "the request schemas refuse what they must (the validator works)"
run $CHECK selftest "$SCHEMAS"
expect_rc 0
t_end

t_begin "provision: validate, plan, apply, update, check, status, export; conformance: run, bench; traced"
export NATS_PROVISION_TRACE=$TRACE
step "$P" validate "$W/v1"
step "$P" plan "$W/v1"
step "$P" apply "$W/v1"
step "$P" plan --detailed-exitcode "$W/v1"
step "$P" apply "$W/v2"
expect_in out "updated"
step "$P" check "$W/v2"
step "$P" status
step "$P" export
step "$C" --specs "$W/v2"
step "$C" bench --count 20
unset NATS_PROVISION_TRACE
[ -s "$TRACE" ] || t_fail "no trace written to $TRACE"
t_end

t_begin "every captured request body is valid against its schema"
run $CHECK check "$SCHEMAS" "$TRACE" STREAM.CREATE STREAM.UPDATE \
    CONSUMER.CREATE STREAM.LIST CONSUMER.LIST INFO STREAM.INFO \
    CONSUMER.INFO CONSUMER.MSG.NEXT STREAM.DELETE CONSUMER.DELETE
expect_rc 0
cat "$T_OUT/out"
t_end

t_begin "the trace holds no credential"
for s in "${NATS_PASSWORD:-}" "${NATS_TOKEN:-}"; do
	[ -n "$s" ] || continue
	if grep -qF -- "$s" "$TRACE"; then
		t_fail "a credential is in the trace"
	fi
done
[ "$(stat -c %a "$TRACE")" = 600 ] || t_fail "trace mode $(stat -c %a "$TRACE"), want 600"
t_end

t_summary
