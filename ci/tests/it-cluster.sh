# SPDX-License-Identifier: MIT
#
# it-cluster: both tools against a 3-node JetStream cluster
# (ci/with-server --cluster 3): the specs with 3 replicas apply and plan
# clean, status shows leaders and replicas, replica counts the cluster
# cannot hold are blocked at plan, R1 -> R3 is an update in place,
# placement by tags and by cluster, the conformance suite with the
# failover group passes run after run and fails on a seeded fault, a node
# killed in the middle of a run leaves nothing behind, and plan and check
# with a node down exit 3 naming the streams that did not answer.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
C=${NATS_CONFORMANCE:?}
W=$T_OUT/work
mkdir -p "$W"
[ "${HARNESS_CLUSTER_SIZE:-0}" = 3 ] || { echo "it-cluster: needs ci/with-server --cluster 3" >&2; exit 2; }
# Every node's monitor, for the monitoring checks.
MON=$(echo "$HARNESS_MONITOR_URLS" | tr ' ' ,)
# The raw test client (ci/natsreq.py) talks to node 1, which stays up.
N1_URL=${HARNESS_NODE_URLS%% *}
js1() { NATS_URL=$N1_URL js "$@"; }

# specs/ with num_replicas: 3 on every stream.
R3=$W/r3
mkdir -p "$R3"
python3 - "$SRCDIR/specs" "$R3" 3 <<'PY'
import glob, os, sys, yaml
for p in glob.glob(os.path.join(sys.argv[1], "*.yaml")):
    d = yaml.safe_load(open(p))
    for st in d["streams"]:
        st["num_replicas"] = int(sys.argv[3])
    with open(os.path.join(sys.argv[2], os.path.basename(p)), "w") as f:
        yaml.safe_dump(d, f, sort_keys=False)
PY

# leader_of STREAM: the stream's leader, from node 1.
leader_of() { js1 "STREAM.INFO.$1" | jq_py 'd.get("cluster", {}).get("leader", "")'; }

t_begin "apply the specs with 3 replicas, then plan shows no changes"
run "$P" apply "$R3"
expect_rc 0
expect_in out "created stream 'agent-tasks'"
run "$P" plan --detailed-exitcode "$R3"
expect_rc 0
expect_in out "0 to create, 0 to update, 0 to delete, 0 blocked"
for s in agent-messages agent-broadcast agent-tasks; do
	n=$(js1 "STREAM.INFO.$s" | jq_py 'd["config"]["num_replicas"]')
	[ "$n" = 3 ] || t_fail "$s has $n replicas, want 3"
done
t_end

t_begin "status shows each stream's cluster, leader and replicas (text and --json)"
run "$P" status
expect_rc 0
expect_in out "cluster harness: leader n"
expect_in out ", replicas n"
run "$P" status --json
expect_rc 0
python3 - "$T_OUT/out" <<'PY' || t_fail "status --json: $(head -c 600 "$T_OUT/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 3, d
for s in d:
    c = s["cluster"]
    assert c["name"] == "harness" and c["leader"].startswith("n"), c
    assert len(c["replicas"]) == 2, c
    assert all(r["current"] and not r["offline"] for r in c["replicas"]), c
    for cs in s["consumer_states"]:
        assert cs["cluster"]["leader"].startswith("n"), cs
PY
t_end

t_begin "num_replicas above the cluster's size is blocked at plan, with the reason"
R5=$W/r5
mkdir -p "$R5"
sed 's/num_replicas: 3/num_replicas: 5/' "$R3/agent-tasks.yaml" >"$R5/agent-tasks.yaml"
run "$P" plan --detailed-exitcode "$R5"
expect_rc 6
expect_in out "num_replicas 5 is more than the cluster's 3 servers"
expect_in out "1 blocked"
run "$P" apply "$R5"
expect_rc 4
n=$(js1 STREAM.INFO.agent-tasks | jq_py 'd["config"]["num_replicas"]')
[ "$n" = 3 ] || t_fail "agent-tasks has $n replicas after a refused apply, want 3"
t_end

t_begin "R1 -> R3 is planned as an update in place and applied"
R1=$W/r1
mkdir -p "$R1"
cat >"$R1/grow.yaml" <<'EOF'
streams:
  - name: grow
    subjects: [grow.>]
    storage: file
    num_replicas: 1
EOF
run "$P" apply "$R1"
expect_rc 0
NATS_URL=$N1_URL $NATSREQ pub grow.a hello 5 >/dev/null
sed -i 's/num_replicas: 1/num_replicas: 3/' "$R1/grow.yaml"
run "$P" plan "$R1"
expect_rc 0
expect_in out "~ stream 'grow'"
expect_in out "num_replicas: 1 -> 3"
run "$P" apply "$R1"
expect_rc 0
expect_in out "updated stream 'grow'"
got=$(js1 STREAM.INFO.grow | jq_py '"%d %d" % (d["config"]["num_replicas"], d["state"]["messages"])')
[ "$got" = "3 5" ] || t_fail "grow is '$got' (replicas, messages), want '3 5'"
t_end

t_begin "placement by tags and by cluster"
PL=$W/place
mkdir -p "$PL"
cat >"$PL/pinned.yaml" <<'EOF'
streams:
  - name: pinned
    subjects: [pinned.>]
    storage: file
    placement:
      tags: [node:n3]
  - name: placed
    subjects: [placed.>]
    storage: file
    num_replicas: 3
    placement:
      cluster: harness
EOF
run "$P" apply "$PL"
expect_rc 0
[ "$(leader_of pinned)" = n3 ] || t_fail "pinned is led by '$(leader_of pinned)', want n3 (tag node:n3)"
got=$(js1 STREAM.INFO.placed | jq_py 'd["cluster"]["name"]')
[ "$got" = harness ] || t_fail "placed is in cluster '$got', want harness"
run "$P" plan --detailed-exitcode "$PL"
expect_rc 0
t_end

t_begin "the conformance suite with failover passes, run after run"
run "$C" run --specs "$R3" --monitor "$MON" --repeat 3 --junit "$W/ok.xml"
expect_rc 0
[ "$RC" = 0 ] || t_fail "$(grep -vE '^(pass|skip) ' "$T_OUT/out" | head -c 1500)"
for s in agent-messages agent-broadcast agent-tasks; do
	n=$(grep -cE "^pass .*failover/failover.stepdown \[[0-9]/3\] \(conformance.failover.$s\)" "$T_OUT/out" || true)
	[ "$n" = 3 ] || t_fail "failover.stepdown passed $n of 3 times on $s: $(grep failover "$T_OUT/out" | head -c 800)"
done
expect_in out "failover/failover.replicas"
t_end

t_begin "a stepdown during the workload loses no acknowledged message; the recovery is reported"
run "$C" run --specs "$R3" --filter 'failover.stepdown' --json "$W/fo.json"
expect_rc 0
python3 - "$W/fo.json" <<'PY' || t_fail "report: $(head -c 800 "$W/fo.json")"
import json, sys
txt = json.dumps(json.load(open(sys.argv[1])))
for want in ("stream leader n", "consumer leader n", "publishing recovered in",
             "consuming recovered in", "redelivery"):
    assert want in txt, want
PY
t_end

t_begin "seeded fault: a work queue that keeps acknowledged tasks fails failover.stepdown"
run "$C" run --specs "$R3" --filter 'failover.stepdown' --fault failover-limits
expect_rc 1
grep -qE "^FAIL .*failover.stepdown \(conformance.failover.agent-tasks\).*acknowledged tasks stay in the work queue on nats-server $HARNESS_SERVER_VERSION" "$T_OUT/out" ||
    t_fail "no failing failover.stepdown on agent-tasks naming $HARNESS_SERVER_VERSION: $(head -c 1500 "$T_OUT/out")"
t_end

t_begin "a node killed in the middle of a run: the run ends, nothing is left behind"
before=$(js1 STREAM.NAMES '{}' | jq_py '" ".join(sorted(d.get("streams") or []))')
set +e
"$C" run --specs "$R3" --json "$W/kill.json" >"$T_OUT/out" 2>"$T_OUT/err" &
cpid=$!
set -e
sleep 1.5
"$HARNESS_NODE" kill 2
waited=0
while kill -0 "$cpid" 2>/dev/null && [ $waited -lt 120 ]; do
	sleep 1
	waited=$((waited + 1))
done
if kill -0 "$cpid" 2>/dev/null; then
	t_fail "the run did not end within 120 s of the kill"
	kill "$cpid" 2>/dev/null || true
fi
wait "$cpid" || true
"$HARNESS_NODE" start 2
after=$(js1 STREAM.NAMES '{}' | jq_py '" ".join(sorted(d.get("streams") or []))')
[ "$before" = "$after" ] || t_fail "streams before the run: '$before'; after: '$after'"
t_end

t_begin "num_replicas above 1 on a standalone server is blocked at plan, with the reason"
run "$SRCDIR/ci/with-server" -- "$P" plan --detailed-exitcode "$R3"
expect_rc 6
expect_in out "will NOT be created (blocked): num_replicas 3 needs a JetStream cluster"
t_end

t_begin "plan and check with a node down exit 3 and name the streams that did not answer"
"$HARNESS_NODE" kill 3
"$HARNESS_NODE" wait
run "$P" plan "$PL"
expect_rc 3
expect_in err "pinned"
expect_not_in out "will be created"
run "$P" check "$PL"
expect_rc 3
expect_in err "pinned"
run "$P" apply "$PL"
expect_rc 3
expect_not_in out "created stream"
"$HARNESS_NODE" start 3
run "$P" plan --detailed-exitcode "$PL"
expect_rc 0
t_end

t_summary
