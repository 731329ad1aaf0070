# SPDX-License-Identifier: MIT
#
# it-provision: nats-provision against a real nats-server (ci/with-server):
# create, idempotence, drift, repair in place, blocked changes, prune,
# export round trip, status and the drift check's JUnit report.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
W=$T_OUT/work
mkdir -p "$W"
# The streams of specs/ without their consumers and contracts: the counts
# and request budgets below are per stream (consumers are covered by
# their own cases further down).
SPECS=$W/specs
mkdir -p "$SPECS"
python3 - "$SRCDIR/specs" "$SPECS" <<'PY'
import glob, os, sys, yaml
for p in glob.glob(os.path.join(sys.argv[1], "*.yaml")):
    d = yaml.safe_load(open(p))
    for st in d["streams"]:
        st.pop("consumers", None)
        st.pop("contract", None)
    with open(os.path.join(sys.argv[2], os.path.basename(p)), "w") as f:
        yaml.safe_dump(d, f, sort_keys=False)
PY

t_begin "apply on an empty server creates the three streams as declared"
run "$P" apply "$SPECS"
expect_rc 0
expect_in out "created stream 'agent-messages'"
expect_in out "created stream 'agent-broadcast'"
expect_in out "created stream 'agent-tasks'"
for row in "agent-messages|agent.*.direct,agent.*.inbox|limits|10000|104857600|604800000000000|file" \
    "agent-broadcast|announce.*,broadcast.*|limits|5000|52428800|259200000000000|file" \
    "agent-tasks|tasks.*,work.*|workqueue|50000|209715200|1209600000000000|file"; do
	IFS='|' read -r name subjects retention msgs bytes age storage <<<"$row"
	got=$(js "STREAM.INFO.$name" | jq_py '"|".join([d["config"]["name"], ",".join(sorted(d["config"]["subjects"])), d["config"]["retention"], str(d["config"]["max_msgs"]), str(d["config"]["max_bytes"]), str(d["config"]["max_age"]), d["config"]["storage"]])')
	[ "$got" = "$row" ] || t_fail "stream $name is '$got', want '$row'"
done
t_end

t_begin "a second apply changes nothing and sends only read requests"
before=$(api_total)
run "$P" apply "$SPECS"
after=$(api_total)
expect_rc 0
expect_in out "No changes"
# One $JS.API.INFO (connect probe) and one STREAM.LIST page.
[ $((after - before)) -eq 2 ] ||
    t_fail "api.total rose by $((after - before)), want 2 (INFO + STREAM.LIST)"
t_end

t_begin "plan and check show no drift right after apply"
run "$P" plan "$SPECS"
expect_rc 0
expect_in out "Plan: 0 to create, 0 to update, 0 to delete, 0 blocked, 3 unchanged."
run "$P" check "$SPECS" --junit "$W/check-clean.xml"
expect_rc 0
validate_junit "$W/check-clean.xml"
t_end

# Drift behind the tool's back: raw API update with a changed limit and an
# extra subject, and some messages that must survive the repair.
$NATSREQ pub agent.alice.inbox "hello" 7
created=$(js STREAM.INFO.agent-messages | jq_py 'd["created"]')
js STREAM.INFO.agent-messages | jq_py 'json.dumps(dict(d["config"], max_msgs=20000, subjects=d["config"]["subjects"] + ["agent.*.extra"]))' >"$W/drift.json"
js STREAM.UPDATE.agent-messages "$(cat "$W/drift.json")" >/dev/null

t_begin "plan names exactly the drifted fields, live -> declared"
run "$P" plan "$SPECS"
expect_rc 0
expect_in out "~ stream 'agent-messages' will be updated in place"
expect_in out "max_msgs: 20000 -> 10000"
expect_in out "subjects:"
expect_in out "Plan: 0 to create, 1 to update, 0 to delete, 0 blocked, 2 unchanged."
nfields=$(grep -c '^      [a-z_]*:' "$T_OUT/out" || true)
[ "$nfields" = 2 ] || t_fail "plan lists $nfields fields, want 2: $(cat "$T_OUT/out")"
run "$P" plan --json "$SPECS"
expect_rc 0
keys=$(jq_py '",".join(sorted(f["key"] for a in d["actions"] for f in a.get("fields", [])))' <"$T_OUT/out")
[ "$keys" = "max_msgs,subjects" ] || t_fail "plan --json fields '$keys'"
t_end

t_begin "check fails on the drifted stream, naming the fields, in valid JUnit"
run "$P" check "$SPECS" --junit "$W/check-drift.xml"
expect_rc 1
expect_in out "agent-messages"
expect_in out "max_msgs"
validate_junit "$W/check-drift.xml"
grep -q '<failure' "$W/check-drift.xml" || t_fail "no <failure> in the JUnit report"
grep -q 'max_msgs' "$W/check-drift.xml" || t_fail "JUnit report does not name max_msgs"
[ "$(grep -c '<testcase' "$W/check-drift.xml")" = 3 ] || t_fail "want 3 testcases"
t_end

t_begin "apply repairs in place: created timestamp and messages unchanged"
run "$P" apply "$SPECS"
expect_rc 0
expect_in out "updated stream 'agent-messages'"
info=$(js STREAM.INFO.agent-messages)
[ "$(jq_py 'd["created"]' <<<"$info")" = "$created" ] || t_fail "created changed"
[ "$(jq_py 'd["state"]["messages"]' <<<"$info")" = 7 ] || t_fail "messages lost"
[ "$(jq_py 'd["config"]["max_msgs"]' <<<"$info")" = 10000 ] || t_fail "max_msgs not repaired"
run "$P" plan "$SPECS"
expect_in out "3 unchanged"
t_end

t_begin "a storage change is blocked and leaves the server untouched"
mkdir -p "$W/mem"
sed 's/^\(\s*\)storage: file/\1storage: memory/' "$SPECS/agent-tasks.yaml" >"$W/mem/agent-tasks.yaml"
grep -q 'storage: memory' "$W/mem/agent-tasks.yaml" || t_fail "test setup: sed did not apply"
run "$P" plan "$W/mem"
expect_rc 0
expect_in out "! stream 'agent-tasks' cannot be changed in place"
expect_in out "storage"
cfg_before=$(js STREAM.INFO.agent-tasks | jq_py 'json.dumps(d["config"], sort_keys=True)')
before=$(api_total)
run "$P" apply "$W/mem"
after=$(api_total)
expect_rc 4
expect_in err "nothing was changed"
cfg_after=$(js STREAM.INFO.agent-tasks | jq_py 'json.dumps(d["config"], sort_keys=True)')
[ "$cfg_before" = "$cfg_after" ] || t_fail "config changed"
# The refused apply only read: $JS.API.INFO and one STREAM.LIST page.
[ $((after - before)) -eq 2 ] || t_fail "api.total rose by $((after - before)), want 2"
t_end

t_begin "--prune deletes only what plan showed"
js STREAM.CREATE.stray '{"name":"stray","subjects":["stray.>"]}' >/dev/null
js CONSUMER.DURABLE.CREATE.agent-broadcast.undeclared \
    '{"stream_name":"agent-broadcast","config":{"durable_name":"undeclared","ack_policy":"explicit"}}' >/dev/null
run "$P" plan "$SPECS"
expect_not_in out "DELETED"
# 2.9 has no stream metadata: prune deletes undeclared streams only in a
# declared scope, and names the ones it leaves alone.
run "$P" plan --prune "$SPECS"
expect_not_in out "stream 'stray' will be DELETED"
expect_in out "--prune leaves 1 undeclared stream outside its scope alone: 'stray'"
printf 'prune:\n  scope: [str*]\n' >"$W/prune.yaml"
run "$P" plan --prune --json "$SPECS" "$W/prune.yaml"
expect_rc 0
deletes=$(jq_py '",".join(sorted("%s/%s" % (a["stream"], a.get("consumer") or "") for a in d["actions"] if a["action"] == "delete"))' <"$T_OUT/out")
[ "$deletes" = "agent-broadcast/undeclared,stray/" ] || t_fail "plan --prune deletes '$deletes'"
run "$P" apply "$SPECS" "$W/prune.yaml"
expect_in out "No changes"
grep -q '"config"' <<<"$(js STREAM.INFO.stray)" || t_fail "apply without --prune deleted 'stray'"
run "$P" apply --prune "$SPECS" "$W/prune.yaml"
expect_rc 0
expect_in out "deleted stream 'stray'"
expect_in out "deleted consumer 'undeclared' on stream 'agent-broadcast'"
names=$(js STREAM.LIST '{"offset":0}' | jq_py '",".join(sorted(s["config"]["name"] for s in d["streams"]))')
[ "$names" = "agent-broadcast,agent-messages,agent-tasks" ] || t_fail "streams left: $names"
t_end

t_begin "export round-trips: export then plan reports no changes"
js CONSUMER.DURABLE.CREATE.agent-tasks.workers \
    '{"stream_name":"agent-tasks","config":{"durable_name":"workers","ack_policy":"explicit","ack_wait":5000000000,"max_deliver":5}}' >/dev/null
run "$P" export
expect_rc 0
cp "$T_OUT/out" "$W/export.yaml"
run "$P" validate "$W/export.yaml"
expect_rc 0
run "$P" plan "$W/export.yaml"
expect_rc 0
expect_in out "0 to create, 0 to update, 0 to delete, 0 blocked"
run "$P" export --stream agent-tasks
expect_rc 0
expect_in out "workers"
expect_not_in out "agent-messages"
run "$P" export --stream nosuch
expect_rc 2
t_end

t_begin "status matches the server"
run "$P" status --json
expect_rc 0
got=$(jq_py '",".join("%s=%d/%d" % (s["name"], s["messages"], s["consumers"]) for s in sorted(d, key=lambda s: s["name"]))' <"$T_OUT/out")
want=$(js STREAM.LIST '{"offset":0}' | jq_py '",".join("%s=%d/%d" % (s["config"]["name"], s["state"]["messages"], s["state"]["consumer_count"]) for s in sorted(d["streams"], key=lambda s: s["config"]["name"]))')
[ "$got" = "$want" ] || t_fail "status '$got', server '$want'"
run "$P" status
expect_rc 0
expect_in out "agent-messages"
t_end

t_begin "status shows each consumer's pending, ack floor and redelivered"
$NATSREQ pub tasks.status "m" 3 >/dev/null
want=$(js CONSUMER.INFO.agent-tasks.workers | jq_py '"workers=%d/%d/%d/%d" % (d["num_pending"], d["num_ack_pending"], d["ack_floor"]["stream_seq"], d["num_redelivered"])')
case $want in workers=0/*) t_fail "no pending messages to show: $want" ;; esac
run "$P" status --json
expect_rc 0
got=$(jq_py '",".join("%s=%d/%d/%d/%d" % (c["name"], c["pending"], c["ack_pending"], c["ack_floor"], c["redelivered"]) for s in d if s["name"] == "agent-tasks" for c in s["consumer_states"])' <"$T_OUT/out")
[ "$got" = "$want" ] || t_fail "status --json has '$got', the server '$want'"
run "$P" status
expect_rc 0
pending=${want#workers=}
expect_in out "  consumer workers: ${pending%%/*} pending, "
t_end

t_begin "status --json works beside a mirror and a sources-only stream"
js STREAM.CREATE.it-mirror '{"name":"it-mirror","storage":"memory","mirror":{"name":"agent-tasks"}}' >/dev/null
js STREAM.CREATE.it-sourced '{"name":"it-sourced","storage":"memory","sources":[{"name":"agent-tasks"}]}' >/dev/null
run "$P" status --json
expect_rc 0
got=$(jq_py '",".join("%s=%s" % (s["name"], s["subjects"]) for s in sorted(d, key=lambda s: s["name"]) if s["name"].startswith("it-"))' <"$T_OUT/out" 2>/dev/null || true)
[ "$got" = "it-mirror=[],it-sourced=[]" ] || t_fail "status --json gave '$got': $(head -c 300 "$T_OUT/err")"
run "$P" status
expect_rc 0
expect_in out "it-mirror"
js STREAM.DELETE.it-mirror >/dev/null
js STREAM.DELETE.it-sourced >/dev/null
t_end

t_begin "1y, 365d and a size of 2^53+1 apply, plan and export exactly"
EX=$W/exact
mkdir -p "$EX"
cat >"$EX/exact.yaml" <<'EOF'
streams:
  - name: it-exact
    subjects: [it.exact.>]
    max_age: 1y
    duplicate_window: 365d
    max_msgs: 9007199254740993
    consumers:
      - name: pull
        ack_policy: explicit
        ack_wait: 1y
        max_bytes: 9007199254740993
EOF
# The server reserves a stream's max_bytes, so the size is a consumer's.
exact_cfg() {
	js STREAM.INFO.it-exact | jq_py '"%s/%s/%s" % (d["config"]["max_age"], d["config"]["duplicate_window"], d["config"]["max_msgs"])'
	js CONSUMER.INFO.it-exact.pull | jq_py '"%s/%s" % (d["config"]["ack_wait"], d["config"]["max_bytes"])'
}
want="31536000000000000/31536000000000000/9007199254740993
31536000000000000/9007199254740993"
run "$P" apply "$EX"
expect_rc 0
got=$(exact_cfg)
[ "$got" = "$want" ] || t_fail "server has '$got' after apply"
run "$P" plan "$EX"
expect_rc 0
expect_in out "0 to create, 0 to update, 0 to delete, 0 blocked, 2 unchanged"
# 2^53 and 2^53+1 are the same double: only an exact comparison sees it.
js STREAM.UPDATE.it-exact '{"name":"it-exact","subjects":["it.exact.>"],"max_age":31536000000000000,"duplicate_window":31536000000000000,"max_msgs":9007199254740992,"storage":"file","num_replicas":1}' >/dev/null
run "$P" plan "$EX"
expect_rc 0
expect_in out "max_msgs"
expect_in out "1 to update"
run "$P" plan --json "$EX"
expect_rc 0
expect_in out "9007199254740993"
expect_in out "9007199254740992"
expect_not_in out "e+"
run "$P" apply "$EX"
expect_rc 0
got=$(exact_cfg)
[ "$got" = "$want" ] || t_fail "server has '$got' after the repair"
run "$P" export --stream it-exact
expect_rc 0
cp "$T_OUT/out" "$EX/export.yaml"
expect_in out "max_msgs: 9007199254740993"
expect_in out "max_bytes: 9007199254740993"
expect_in out "max_age: 365d"
expect_in out "ack_wait: 365d"
run "$P" plan "$EX/export.yaml"
expect_rc 0
expect_in out "0 to create, 0 to update, 0 to delete, 0 blocked, 2 unchanged"
js STREAM.DELETE.it-exact >/dev/null
t_end

t_summary
