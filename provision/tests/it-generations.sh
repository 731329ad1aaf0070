# SPDX-License-Identifier: MIT
#
# it-generations: what each nats-server generation fills in or rewrites
# never shows as drift.  Runs against whichever server ci/with-server
# started (meson test --setup nats2_9|nats2_10|nats2_15); it reads the
# version the server reports and expects what that version does:
#   - streams and consumers of many shapes apply, then plan clean, check
#     clean, and a second apply sends no mutating request;
#   - export -> plan shows no changes;
#   - 2.10+: the 2.10 fields too, and user metadata still diffs (only the
#     user's keys shown, the server's never sent back); 2.11+: the server
#     really adds its reserved _nats.* metadata keys, and they never drift;
#   - 2.9: the 2.10 fields are refused before anything is sent.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
V=${HARNESS_SERVER_VERSION:?run under ci/with-server}
W=$T_OUT/work
mkdir -p "$W/specs"
vnum=$(version_num "$V")
echo "  (nats-server $V)"

# Every stream shape the planner normalizes, on every generation.
cat >"$W/specs/base.yaml" <<'EOF'
streams:
  - name: g-plain
    subjects: [g.plain.>]
    consumers:
      - durable_name: pull-default
      - durable_name: pull-full
        description: every pull option
        ack_policy: explicit
        max_deliver: 5
        backoff: [1s, 2s]
        filter_subject: g.plain.x
        max_batch: 10
        max_expires: 30s
        max_bytes: 1KiB
        inactive_threshold: 1h
        headers_only: true
        max_ack_pending: unlimited
      - durable_name: pull-seq
        deliver_policy: by_start_sequence
        opt_start_seq: 3
        ack_policy: all
        mem_storage: true
      - durable_name: pull-last
        deliver_policy: last_per_subject
        filter_subject: g.plain.*
      - durable_name: push-default
        deliver_subject: dl.g.1
      - durable_name: push-full
        deliver_subject: dl.g.2
        deliver_group: workers
        ack_policy: explicit
        flow_control: true
        idle_heartbeat: 5s
        rate_limit_bps: 1000000
        sample_freq: "30%"
        replay_policy: original
        deliver_policy: new
  - name: g-limits
    subjects: [g.limits.>]
    storage: memory
    discard: new
    max_age: 30s
    max_msgs: 0
    max_msgs_per_subject: 5
    max_msg_size: 1MiB
    allow_rollup_hdrs: true
    allow_direct: true
    deny_delete: true
  - name: g-mirror
    mirror:
      name: g-plain
      filter_subject: g.plain.x
  - name: g-sources
    sources:
      - name: g-plain
      - name: g-limits
        filter_subject: g.limits.x
  - name: g-republish
    subjects: [g.rep.>]
    republish:
      dest: out.g.>
  - name: g-work
    subjects: [g.work.>]
    retention: workqueue
    duplicate_window: 1m
  - name: g-interest
    subjects: [g.int.>]
    retention: interest
    no_ack: true
EOF

# The 2.10 fields.
cat >"$W/new.yaml" <<'EOF'
streams:
  - name: g-new
    subjects: [g.new.>]
    compression: s2
    first_seq: 10
    consumer_limits:
      inactive_threshold: 1m
      max_ack_pending: 100
    subject_transform:
      src: g.new.>
      dest: g.new2.>
    metadata:
      team: agents
    consumers:
      - durable_name: multi
        filter_subjects: [g.new2.x, g.new2.y]
        max_ack_pending: 50
        metadata:
          owner: planner
EOF

# The requests of a plan that changes nothing: one INFO, one STREAM.LIST
# page, one CONSUMER.LIST per declared stream with consumers.
if [ "$vnum" -ge 21000 ]; then
	cp "$W/new.yaml" "$W/specs/new.yaml"
	reads=4
else
	reads=3
fi

t_begin "2.9 refuses the 2.10 fields before sending anything; 2.10+ takes them"
if [ "$vnum" -lt 21000 ]; then
	before=$(api_total)
	run "$P" apply "$W/new.yaml"
	after=$(api_total)
	expect_rc 2
	expect_in err "needs nats-server 2.10 or newer"
	[ "$((after - before))" -le 2 ] ||
	    t_fail "sent $((after - before)) API requests, want at most the reads (INFO, STREAM.LIST)"
	grep -q '"code":404' <<<"$(js STREAM.INFO.g-new)" ||
	    t_fail "g-new exists on $V"
else
	run "$P" validate "$W/new.yaml"
	expect_rc 0
fi
t_end

t_begin "apply creates every shape; plan and check right after show no drift"
run "$P" apply "$W/specs"
expect_rc 0
run "$P" plan "$W/specs"
expect_rc 0
expect_in out "Plan: 0 to create, 0 to update, 0 to delete, 0 blocked,"
run "$P" check "$W/specs"
expect_rc 0
t_end

t_begin "the server's reserved metadata: present from 2.11, never drift"
info=$(js STREAM.INFO.g-plain)
cinfo=$(js CONSUMER.INFO.g-plain.pull-default)
has=$(printf '%s\n%s\n' "$info" "$cinfo" | python3 -c 'import json,sys
n = 0
for line in sys.stdin:
    md = json.loads(line)["config"].get("metadata") or {}
    n += any(k.startswith("_nats.") for k in md)
print(n)')
if [ "$vnum" -ge 21100 ]; then
	[ "$has" = 2 ] ||
	    t_fail "nats-server $V did not add _nats.* keys to the stream and the consumer ($has of 2): $info"
	grep -qF "\"_nats.ver\":\"$V\"" <<<"$info" ||
	    t_fail "no _nats.ver $V in $info"
else
	[ "$has" = 0 ] || t_fail "nats-server $V added _nats.* keys: $info"
fi
run "$P" plan --json "$W/specs"
expect_rc 0
expect_not_in out "_nats."
t_end

t_begin "a second apply sends no mutating request"
before=$(api_total)
run "$P" apply "$W/specs"
after=$(api_total)
expect_rc 0
expect_in out "No changes"
[ "$((after - before))" -eq "$reads" ] ||
    t_fail "api.total rose by $((after - before)), want $reads (the reads of a plan)"
t_end

t_begin "export -> plan shows no changes, and export leaves the server's keys out"
run "$P" export
expect_rc 0
cp "$T_OUT/out" "$W/export.yaml"
expect_not_in out "_nats."
expect_not_in out "allow_msg_ttl"
expect_not_in out "compression: \"none\""
run "$P" plan "$W/export.yaml"
expect_rc 0
expect_in out "0 to create, 0 to update, 0 to delete, 0 blocked,"
if [ "$vnum" -ge 21000 ]; then
	grep -qF '"team": "agents"' "$W/export.yaml" ||
	    t_fail "export lost the user's metadata: $(cat "$W/export.yaml")"
fi
t_end

if [ "$vnum" -ge 21000 ]; then
	t_begin "user metadata still diffs next to the server's keys; repair keeps them"
	# Behind the tool's back: the live config, server keys included, with
	# the user's key changed and one added.
	js STREAM.INFO.g-new | jq_py 'json.dumps(dict(d["config"], metadata=dict(d["config"].get("metadata") or {}, team="other", extra="x")))' >"$W/drift.json"
	js STREAM.UPDATE.g-new "$(cat "$W/drift.json")" >"$W/drift.out"
	grep -q '"error"' "$W/drift.out" && t_fail "raw update failed: $(cat "$W/drift.out")"
	run "$P" plan --json "$W/specs"
	expect_rc 0
	python3 - "$T_OUT/out" >"$W/md.check" 2>&1 <<'PY' || t_fail "$(cat "$W/md.check")"
import json, sys
plan = json.load(open(sys.argv[1]))
acts = [a for a in plan["actions"] if a["action"] != "no_change"]
assert len(acts) == 1, acts
a = acts[0]
assert (a["object"], a["stream"], a["action"]) == ("stream", "g-new", "update"), a
keys = [f["key"] for f in a["fields"]]
assert keys == ["metadata"], keys
f = a["fields"][0]
assert f["live"]["team"] == "other" and f["live"]["extra"] == "x", f
assert f["want"]["team"] == "agents" and "extra" not in f["want"], f
for side in (f["live"], f["want"], a["config"].get("metadata", {})):
    assert not any(k.startswith("_nats.") for k in side), side
PY
	run "$P" apply "$W/specs"
	expect_rc 0
	expect_in out "updated stream 'g-new'"
	js STREAM.INFO.g-new | jq_py 'json.dumps(d["config"]["metadata"], sort_keys=True)' >"$W/md.after"
	grep -qF '"team": "agents"' "$W/md.after" ||
	    t_fail "the repair did not restore team: $(cat "$W/md.after")"
	grep -qF '"extra"' "$W/md.after" &&
	    t_fail "the repair kept the extra key: $(cat "$W/md.after")"
	if [ "$vnum" -ge 21100 ]; then
		grep -qF "\"_nats.ver\": \"$V\"" "$W/md.after" ||
		    t_fail "the server's keys are gone after the repair: $(cat "$W/md.after")"
	fi
	run "$P" plan "$W/specs"
	expect_in out "0 to create, 0 to update, 0 to delete, 0 blocked,"
	t_end

	t_begin "a spec may not declare the server's metadata keys"
	cat >"$W/reserved.yaml" <<'EOF'
streams:
  - name: g-reserved
    subjects: [g.res.>]
    metadata:
      _nats.level: "1"
EOF
	before=$(api_total)
	run "$P" apply "$W/reserved.yaml"
	after=$(api_total)
	expect_rc 2
	expect_in err "reserved.yaml:5:7"
	expect_in err "key '_nats.level' is reserved"
	[ "$after" = "$before" ] || t_fail "sent $((after - before)) API requests"
	t_end
fi

t_summary
