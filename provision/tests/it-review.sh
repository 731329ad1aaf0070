# SPDX-License-Identifier: MIT
#
# it-review: the review workflow of nats-provision against a real
# nats-server (ci/with-server): --stream globs, a create shown with every
# attribute, plan --detailed-exitcode, and saved plans (plan --out FILE,
# apply FILE) refused once the server changed.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
W=$T_OUT/work
mkdir -p "$W/v1" "$W/v2"

spec() {
	cat <<YAML
streams:
  - name: app-orders
    subjects: [orders.*]
    max_msgs: $1
  - name: app-audit
    subjects: [audit.*]
    max_age: 30d
  - name: billing
    subjects: [billing.*]
    storage: memory
YAML
}
spec 1000 >"$W/v1/s.yaml"
spec 2000 >"$W/v2/s.yaml"
streams() { js STREAM.NAMES '{"offset":0}' | jq_py '",".join(sorted(d["streams"] or []))'; }

t_begin "--stream selects by glob: plan shows a create with every attribute, apply creates only those"
run "$P" plan --stream 'app-*' "$W/v1"
expect_rc 0
expect_in out "+ stream 'app-audit' will be created"
expect_in out "      max_age: 30d"
expect_in out "      storage: \"file\""
expect_in out "      subjects: [\"audit.*\"]"
expect_in out "      max_msgs: 1000"
expect_not_in out "billing"
expect_in out "Plan: 2 to create"
run "$P" apply --stream 'app-*' "$W/v1"
expect_rc 0
[ "$(streams)" = "app-audit,app-orders" ] || t_fail "streams: $(streams)"
run "$P" check --stream 'app-*' "$W/v1"
expect_rc 0
run "$P" check "$W/v1"
expect_rc 1
run "$P" plan --stream 'nosuch*' "$W/v1"
expect_rc 2
expect_in err "--stream 'nosuch*' matches no declared stream"
run "$P" export --stream 'app-o*'
expect_rc 0
expect_in out "name: \"app-orders\""
expect_not_in out "app-audit"
run "$P" export --stream 'x*'
expect_rc 2
t_end

t_begin "plan --detailed-exitcode: 6 while changes are pending, 0 when in sync"
run "$P" plan --detailed-exitcode "$W/v1"
expect_rc 6
run "$P" plan "$W/v1"
expect_rc 0
run "$P" plan --detailed-exitcode --stream 'app-*' "$W/v1"
expect_rc 0
t_end

t_begin "a saved plan is carried out while the server matches; messages may come and go"
run "$P" plan --out "$W/plan1.json" "$W/v2"
expect_rc 0
expect_in out "Saved the plan to '$W/plan1.json'"
$NATSREQ pub orders.x "m" 5 >/dev/null
run "$P" apply "$W/plan1.json"
expect_rc 0
expect_in out "created stream 'billing'"
expect_in out "updated stream 'app-orders'"
[ "$(js STREAM.INFO.app-orders | jq_py 'd["config"]["max_msgs"]')" = 2000 ] || t_fail "max_msgs not applied"
run "$P" plan --detailed-exitcode "$W/v2"
expect_rc 0
t_end

t_begin "a saved plan is refused after the server changed, and changes nothing"
run "$P" plan --out "$W/plan2.json" "$W/v1"
expect_rc 0
expect_in out "max_msgs: 2000 -> 1000"
# behind the tool's back: another hand edits the stream
js STREAM.INFO.app-audit | jq_py 'json.dumps(dict(d["config"], description="edited by hand"))' >"$W/edit.json"
js STREAM.UPDATE.app-audit "$(cat "$W/edit.json")" >/dev/null
cfg_before=$(js STREAM.INFO.app-orders | jq_py 'json.dumps(d["config"], sort_keys=True)')
before=$(api_total)
run "$P" apply "$W/plan2.json"
after=$(api_total)
expect_rc 4
expect_in err "stream 'app-audit' changed since the plan was made"
expect_in err "nothing was changed"
# INFO and one STREAM.LIST page: no change was sent
[ $((after - before)) -eq 2 ] || t_fail "api.total rose by $((after - before)), want 2"
cfg_after=$(js STREAM.INFO.app-orders | jq_py 'json.dumps(d["config"], sort_keys=True)')
[ "$cfg_before" = "$cfg_after" ] || t_fail "app-orders changed"
t_end

t_begin "a saved create is refused once the stream appeared; a deleted one is noticed too"
mkdir -p "$W/v3"
printf 'streams:\n  - name: newcomer\n    subjects: [new.*]\n' >"$W/v3/s.yaml"
run "$P" plan --out "$W/plan3.json" "$W/v3"
js STREAM.CREATE.newcomer '{"name":"newcomer","subjects":["new.*"]}' >/dev/null
run "$P" apply "$W/plan3.json"
expect_rc 4
expect_in err "stream 'newcomer' appeared since the plan was made"
run "$P" plan --out "$W/plan4.json" "$W/v3"
js STREAM.DELETE.newcomer >/dev/null
run "$P" apply "$W/plan4.json"
expect_rc 4
expect_in err "stream 'newcomer' is gone since the plan was made"
t_end

t_begin "a saved plan still refuses data loss and blocked changes"
js STREAM.CREATE.newcomer '{"name":"newcomer","subjects":["new.*"]}' >/dev/null
$NATSREQ pub new.x "m" 10 >/dev/null
printf 'streams:\n  - name: newcomer\n    subjects: [new.*]\n    max_msgs: 2\n' >"$W/v3/s.yaml"
run "$P" plan --out "$W/plan5.json" "$W/v3"
expect_in out "deletes 8 of 10 messages"
run "$P" apply "$W/plan5.json"
expect_rc 4
expect_in err "--allow-data-loss"
run "$P" apply --allow-data-loss "$W/plan5.json"
expect_rc 0
[ "$(js STREAM.INFO.newcomer | jq_py 'd["state"]["messages"]')" = 2 ] || t_fail "max_msgs 2 not applied"
echo '{"nats_provision_plan": 1, "plan": {"actions": [{"action": "explode"}]}}' >"$W/bad.json"
run "$P" apply "$W/bad.json"
expect_rc 2
expect_in err "actions[0].action"
run "$P" apply --prune "$W/plan5.json"
expect_rc 2
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["server"]["id"]="NOTTHISONE"; json.dump(d, open(sys.argv[2], "w"))' "$W/plan5.json" "$W/other.json"
run "$P" apply --allow-data-loss "$W/other.json"
expect_rc 4
expect_in err "made for another server (id 'NOTTHISONE'"
t_end

t_summary
