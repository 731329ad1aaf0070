# SPDX-License-Identifier: MIT
#
# it-lib.sh: helpers shared by the conformance integration suites (sourced
# after ci/testlib.sh).

C=${NATS_CONFORMANCE:?}
SPECS=$SRCDIR/specs
TSPECS=$SRCDIR/conformance/tests

# apply_specs DIR: make the declared streams exist, with nats-provision
# (the main flow); without it, with raw STREAM.CREATE requests.
apply_specs() {
	if [ -n "${NATS_PROVISION:-}" ] && [ -x "$NATS_PROVISION" ]; then
		"$NATS_PROVISION" apply "$1" >"$T_OUT/apply.out" 2>&1 ||
		    t_fail "nats-provision apply $1: $(tail -5 "$T_OUT/apply.out")"
		return
	fi
	js STREAM.CREATE.agent-messages '{"name":"agent-messages","description":"Messages addressed to one agent, kept for a week","subjects":["agent.*.inbox","agent.*.direct"],"retention":"limits","storage":"file","max_msgs":10000,"max_bytes":104857600,"max_age":604800000000000}' >/dev/null
	js STREAM.CREATE.agent-broadcast '{"name":"agent-broadcast","description":"Broadcasts and announcements to all agents, kept for three days","subjects":["broadcast.*","announce.*"],"retention":"limits","storage":"file","max_msgs":5000,"max_bytes":52428800,"max_age":259200000000000}' >/dev/null
	js STREAM.CREATE.agent-tasks '{"name":"agent-tasks","description":"Tasks for the worker pool; a message is removed once acknowledged","subjects":["tasks.*","work.*"],"retention":"workqueue","storage":"file","max_msgs":50000,"max_bytes":209715200,"max_age":1209600000000000}' >/dev/null
}

# deploy DIR: replace the streams DIR declares on the server by DIR's, so
# that spec and server agree (a retention or storage change cannot be made
# in place).
deploy() {
	local s
	for s in $({ cat "$1" "$1"/*.yaml 2>/dev/null || true; } |
	    sed -n 's/^ *- name: *\([A-Za-z0-9_-]*\).*/\1/p'); do
		js "STREAM.DELETE.$s" >/dev/null 2>&1 || true
	done
	apply_specs "$1"
}

# snapshot [counts]: every stream (with its message count and sequences
# when "counts" is given) and every consumer, one sorted line each.
snapshot() {
	local with=${1:-}
	js STREAM.LIST '{}' | python3 -c '
import json, sys
d = json.load(sys.stdin)
for s in d.get("streams") or []:
    st = s["state"]
    if sys.argv[1] == "counts":
        print("stream %s msgs=%d first=%d last=%d" % (s["config"]["name"],
            st["messages"], st["first_seq"], st["last_seq"]))
    else:
        print("stream %s" % s["config"]["name"])
' "$with" | sort >"$T_OUT/snap.streams"
	cat "$T_OUT/snap.streams"
	sed -n 's/^stream \([^ ]*\).*/\1/p' "$T_OUT/snap.streams" | while read -r s; do
		js "CONSUMER.NAMES.$s" '{}' | python3 -c '
import json, sys
d = json.load(sys.stdin)
for c in sorted(d.get("consumers") or []):
    print("consumer %s.%s" % (sys.argv[1], c))
' "$s"
	done
}

# expect_check ID STATUS: the console line of check ID has STATUS.
expect_check() {
	grep -qE "^$2 .* [a-z]+/$1( |\$)" "$T_OUT/out" ||
	    t_fail "no '$2' line for $1 in: $(head -c 1500 "$T_OUT/out")"
}

# junit_case FILE ID ELEMENT: the testcase ID of FILE holds ELEMENT
# (failure, error, skipped).
junit_case() {
	junit_has "$@" || t_fail "JUnit $1: testcase $2 has no <$3>"
}
