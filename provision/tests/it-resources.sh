# SPDX-License-Identifier: MIT
#
# it-resources: resources declared apart from streams, against a real
# nats-server (ci/with-server, any generation):
#   - consumers in their own files: specs/ + specs/examples/ apply
#     together, a second apply changes nothing, plan/check are clean, and
#     --prune manages a consumer declared in its own file like an inline
#     one (kept while declared, deleted once its file is gone).
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
V=${HARNESS_SERVER_VERSION:?run under ci/with-server}
W=$T_OUT/work
mkdir -p "$W"
echo "  (nats-server $V)"

consumers_of() {
	js "CONSUMER.NAMES.$1" '{"offset":0}' |
	    jq_py '",".join(sorted(d.get("consumers") or []))'
}

t_begin "apply specs/ specs/examples/ creates the streams and every consumer"
run "$P" apply "$SRCDIR/specs" "$SRCDIR/specs/examples"
expect_rc 0
expect_in out "created consumer 'broadcast-auditor'"
expect_in out "created consumer 'inbox-auditor'"
got=$(consumers_of agent-broadcast)
[ "$got" = "broadcast-auditor,broadcast-coder,broadcast-planner,broadcast-reviewer" ] ||
    t_fail "agent-broadcast has consumers '$got'"
got=$(js CONSUMER.INFO.agent-messages.inbox-auditor | jq_py 'd["config"]["filter_subject"]')
[ "$got" = "agent.*.inbox" ] || t_fail "inbox-auditor filters '$got'"
t_end

t_begin "a second apply, plan and check of both are clean"
run "$P" apply "$SRCDIR/specs" "$SRCDIR/specs/examples"
expect_rc 0
expect_in out "No changes"
run "$P" plan "$SRCDIR/specs" "$SRCDIR/specs/examples"
expect_rc 0
expect_in out "0 to create, 0 to update, 0 to delete, 0 blocked"
run "$P" check "$SRCDIR/specs" "$SRCDIR/specs/examples"
expect_rc 0
t_end

t_begin "a consumer in its own file drifts and is repaired like an inline one"
js CONSUMER.DURABLE.CREATE.agent-messages.inbox-auditor \
    '{"stream_name":"agent-messages","config":{"durable_name":"inbox-auditor","description":"changed by hand","filter_subject":"agent.*.inbox","deliver_policy":"all","ack_policy":"explicit"}}' >/dev/null
run "$P" check "$SRCDIR/specs" "$SRCDIR/specs/examples"
expect_rc 1
expect_in out "inbox-auditor"
run "$P" apply "$SRCDIR/specs" "$SRCDIR/specs/examples"
expect_rc 0
got=$(js CONSUMER.INFO.agent-messages.inbox-auditor | jq_py 'd["config"]["description"]')
[ "$got" = "Every inbox, for the auditor agent" ] || t_fail "description is '$got'"
t_end

t_begin "--prune keeps consumers declared in their own files, deletes them once undeclared"
run "$P" plan --prune --json "$SRCDIR/specs" "$SRCDIR/specs/examples"
expect_rc 0
n=$(jq_py 'sum(1 for a in d["actions"] if a["action"] == "delete")' <"$T_OUT/out")
[ "$n" = 0 ] || t_fail "plan --prune with both deletes $n objects"
run "$P" plan --prune --json "$SRCDIR/specs"
deletes=$(jq_py '",".join(sorted("%s/%s" % (a["stream"], a.get("consumer") or "") for a in d["actions"] if a["action"] == "delete"))' <"$T_OUT/out")
[ "$deletes" = "agent-broadcast/broadcast-auditor,agent-messages/inbox-auditor" ] ||
    t_fail "plan --prune of specs/ alone deletes '$deletes'"
t_end

t_begin "a consumer naming an undeclared stream is refused before any request"
mkdir -p "$W/orphan"
printf 'consumers:\n  - stream: agent-task\n    durable_name: w2\n' >"$W/orphan/c.yaml"
before=$(api_total)
run "$P" apply "$SRCDIR/specs" "$W/orphan"
after=$(api_total)
expect_rc 2
expect_in err "c.yaml:2:13:"
expect_in err "stream 'agent-task', which no spec file given declares"
[ "$after" = "$before" ] || t_fail "$((after - before)) API requests were sent"
t_end

t_summary
