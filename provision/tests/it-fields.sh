# SPDX-License-Identifier: MIT
#
# it-fields: every stream and consumer field the connected server knows,
# declared at once, applies; the plan right after is clean; export writes
# a spec that plans clean too, and holds no key the server did not
# report.  A spec with fields of a newer server is refused before any
# change (exit 2, naming the version it needs).  Reads the server's
# version (ci/with-server: 2.9.10, 2.10.27, 2.15.1) and declares the
# fields of that generation and the ones before it.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
V=${HARNESS_SERVER_VERSION:?run under ci/with-server}
W=$T_OUT/work
mkdir -p "$W/specs"
vnum=$(version_num "$V")
echo "  (nats-server $V)"

# 2.9: every field but placement (needs a cluster).
cat >"$W/specs/f29.yaml" <<'EOF'
streams:
  - name: f-all
    description: every 2.9 stream field
    subjects: [f.all.>]
    retention: limits
    max_consumers: 20
    max_msgs: 100000
    max_bytes: 64MiB
    max_age: 1h
    max_msgs_per_subject: 100
    max_msg_size: 1MiB
    discard: new
    discard_new_per_subject: true
    storage: file
    num_replicas: 1
    duplicate_window: 30s
    allow_rollup_hdrs: true
    allow_direct: true
    deny_delete: true
    republish:
      src: f.all.x
      dest: out.f.x
      headers_only: true
    consumers:
      - durable_name: pull-all
        description: every pull field
        deliver_policy: by_start_sequence
        opt_start_seq: 2
        ack_policy: explicit
        ack_wait: 10s
        max_deliver: 5
        backoff: [10s, 20s]
        filter_subject: f.all.a
        replay_policy: instant
        sample_freq: "50%"
        max_waiting: 64
        max_ack_pending: 500
        headers_only: true
        max_batch: 10
        max_expires: 30s
        max_bytes: 1MiB
        inactive_threshold: 24h
        num_replicas: 1
        mem_storage: true
      - durable_name: push-all
        deliver_subject: dl.f.all
        deliver_group: workers
        deliver_policy: by_start_time
        opt_start_time: "2024-01-01T00:00:00Z"
        ack_policy: all
        flow_control: true
        idle_heartbeat: 5s
        rate_limit_bps: 1000000
        replay_policy: original
  - name: f-sealed
    subjects: [f.sealed]
    sealed: true
  - name: f-purge
    subjects: [f.purge]
    deny_purge: true
    no_ack: true
  - name: f-mirror
    mirror:
      name: f-all
      opt_start_seq: 1
      filter_subject: f.all.a
    mirror_direct: true
  - name: f-sources
    sources:
      - name: f-all
        opt_start_time: "2024-01-01T00:00:00Z"
        filter_subject: f.all.b
      - name: f-purge
        opt_start_seq: 1
EOF

cat >"$W/f210.yaml" <<'EOF'
streams:
  - name: f-210
    subjects: [f.210.>]
    metadata:
      team: fields
    compression: s2
    first_seq: 5
    subject_transform:
      src: f.210.>
      dest: f.210t.>
    consumer_limits:
      inactive_threshold: 1h
      max_ack_pending: 200
    consumers:
      - durable_name: multi
        filter_subjects: [f.210t.a, f.210t.b]
        metadata:
          owner: fields
  - name: f-210-mirror
    mirror:
      name: f-210
      subject_transforms:
        - src: f.210t.a
          dest: f.m.a
  - name: f-210-sources
    sources:
      - name: f-210
        subject_transforms:
          - src: f.210t.b
            dest: f.s.b
EOF

cat >"$W/f211.yaml" <<'EOF'
streams:
  - name: f-211
    subjects: [f.211.>]
    allow_msg_ttl: true
    subject_delete_marker_ttl: 5m
    max_age: 1h
    consumers:
      - durable_name: pinned
        priority_groups: [jobs]
        priority_policy: pinned_client
        priority_timeout: 30s
        pause_until: "2099-01-01T00:00:00Z"
      - durable_name: overflow
        priority_groups: [a, b]
        priority_policy: overflow
EOF

cat >"$W/f212.yaml" <<'EOF'
streams:
  - name: f-212
    subjects: [f.212.>]
    allow_atomic: true
    allow_msg_schedules: true
  - name: f-212-counter
    subjects: [f.212c.>]
    allow_msg_counter: true
  - name: f-212-async
    subjects: [f.212a.>]
    persist_mode: async
EOF

cat >"$W/f214.yaml" <<'EOF'
streams:
  - name: f-214
    subjects: [f.214.>]
    allow_batched: true
EOF

# The files of the fields this server knows; the first one it does not.
newer=
for f in 21000:f210 21100:f211 21200:f212 21400:f214; do
	if [ "$vnum" -ge "${f%%:*}" ]; then
		cp "$W/${f#*:}.yaml" "$W/specs/"
	elif [ -z "$newer" ]; then
		newer=$f
	fi
done

t_begin "every field this server knows applies; plan and check right after are clean"
# every request body of the run is checked against the official schemas
export NATS_PROVISION_TRACE=$T_OUT/trace.jsonl
run "$P" apply "$W/specs"
expect_rc 0
run "$P" plan "$W/specs"
expect_rc 0
expect_in out "Plan: 0 to create, 0 to update, 0 to delete, 0 blocked,"
run "$P" check "$W/specs"
expect_rc 0
t_end

t_begin "export plans clean and writes no key the server did not report"
run "$P" export
expect_rc 0
cp "$T_OUT/out" "$W/export.yaml"
run "$P" plan "$W/export.yaml"
expect_rc 0
expect_in out "0 to create, 0 to update, 0 to delete, 0 blocked,"
# every exported key of every stream and consumer is in the server's config
for s in $(python3 -c 'import sys
for l in open(sys.argv[1]):
    l = l.strip()
    if l.startswith("- name:"): print(l.split(":", 1)[1].strip().strip("\""))' "$W/export.yaml"); do
	js "STREAM.INFO.$s" >"$W/info.$s.json"
done
python3 - "$W" >"$W/keys.check" 2>&1 <<'PY' || t_fail "$(cat "$W/keys.check")"
import glob, json, os, sys
w = sys.argv[1]
reported = {}
for p in glob.glob(os.path.join(w, "info.*.json")):
    d = json.load(open(p))
    reported[d["config"]["name"]] = set(d["config"])
# top-level stream keys the export wrote (2 spaces in, under "- name")
cur, bad = None, []
for line in open(os.path.join(w, "export.yaml")):
    if line.startswith("  - name:"):
        cur = line.split(":", 1)[1].strip().strip('"')
        continue
    if cur and line.startswith("    ") and not line.startswith("     ") and ":" in line:
        k = line.strip().split(":", 1)[0]
        if k in ("consumers",):
            cur = None
            continue
        if k not in reported.get(cur, set()):
            bad.append((cur, k))
assert not bad, bad
PY
t_end

if [ "$vnum" -ge 21100 ]; then
	t_begin "status shows a paused consumer and until when"
	run "$P" status
	expect_rc 0
	expect_in out "paused until 2099-01-01T00:00:00Z"
	run "$P" status --json
	expect_rc 0
	got=$(jq_py '[c.get("paused_until") for s in d if s["name"] == "f-211" for c in s["consumer_states"]]' <"$T_OUT/out")
	[ "$got" = "[None, '2099-01-01T00:00:00Z']" ] ||
	    t_fail "paused_until of f-211's consumers (overflow, pinned): $got"
	t_end
fi

t_begin "the same fields again: a second apply changes nothing"
run "$P" apply "$W/specs"
expect_rc 0
expect_in out "No changes"
t_end

t_begin "every request body (every field) is valid against the official request schemas"
run python3 "$SRCDIR/ci/tests/test-requests.py" check \
    "${JSAPI_SCHEMAS:-$SRCDIR/../shared/jetstream-api}" "$NATS_PROVISION_TRACE" \
    STREAM.CREATE STREAM.UPDATE CONSUMER.CREATE
expect_rc 0
t_end
unset NATS_PROVISION_TRACE

if [ -n "$newer" ]; then
	need=$(python3 -c 'import sys; v = int(sys.argv[1]); print("%d.%d" % (v // 10000, v // 100 % 100))' "${newer%%:*}")
	t_begin "a spec with $need fields is refused on $V before any change (exit 2, naming $need)"
	before=$(api_total)
	run "$P" apply "$W/${newer#*:}.yaml"
	after=$(api_total)
	expect_rc 2
	expect_in err "needs nats-server $need or newer"
	[ "$((after - before))" -le 2 ] ||
	    t_fail "sent $((after - before)) API requests, want at most the reads"
	t_end
fi

t_summary
