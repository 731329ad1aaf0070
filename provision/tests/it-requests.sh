# SPDX-License-Identifier: MIT
#
# it-requests: every JetStream API request body nats-provision sends,
# captured with NATS_PROVISION_TRACE while it validates, plans, applies
# (creates, then updates), checks, shows the status of and exports
# specs/ and specs/examples/, is valid against the official request
# schemas (../shared/jetstream-api beside the repository;
# ci/tests/test-requests.py).  The trace holds no credential.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
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

t_begin "the request schemas refuse what they must (the validator works)"
run $CHECK selftest "$SCHEMAS"
expect_rc 0
t_end

t_begin "validate, plan, apply, plan, apply an update, check, status, export with the trace on"
export NATS_PROVISION_TRACE=$TRACE
run "$P" validate "$W/v1"
expect_rc 0
run "$P" plan "$W/v1"
expect_rc 0
run "$P" apply "$W/v1"
expect_rc 0
run "$P" plan --detailed-exitcode "$W/v1"
expect_rc 0
run "$P" apply "$W/v2"
expect_rc 0
expect_in out "updated"
run "$P" check "$W/v2"
expect_rc 0
run "$P" status
expect_rc 0
run "$P" export
expect_rc 0
unset NATS_PROVISION_TRACE
[ -s "$TRACE" ] || t_fail "no trace written to $TRACE"
t_end

t_begin "every captured request body is valid against its schema"
run $CHECK check "$SCHEMAS" "$TRACE" STREAM.CREATE STREAM.UPDATE \
    CONSUMER.CREATE STREAM.LIST CONSUMER.LIST INFO
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
