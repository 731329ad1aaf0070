# SPDX-License-Identifier: MIT
#
# it-resources: resources declared apart from streams, against a real
# nats-server (ci/with-server, any generation):
#   - consumers in their own files: specs/ + specs/examples/ apply
#     together, a second apply changes nothing, plan/check are clean, and
#     --prune manages a consumer declared in its own file like an inline
#     one (kept while declared, deleted once its file is gone);
#   - key-value buckets and object stores: applied as the exact KV_/OBJ_
#     streams the clients make, plan clean, export -> plan clean; a
#     bucket made by nats.c's kvStore API ($KV_CLIENT) adopts with no
#     change, and that client puts and gets on a bucket made here;
#     blocked changes, in-place changes, prune leaving buckets alone and
#     version-gated keys.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
K=${KV_CLIENT:?}
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
expect_in out "created stream 'KV_agent-presence'"
got=$(consumers_of agent-broadcast)
[ "$got" = "broadcast-auditor,broadcast-coder,broadcast-planner,broadcast-reviewer" ] ||
    t_fail "agent-broadcast has consumers '$got'"
got=$(js CONSUMER.INFO.agent-messages.inbox-auditor | jq_py 'd["config"]["filter_subject"]')
[ "$got" = "agent.*.inbox" ] || t_fail "inbox-auditor filters '$got'"
t_end

t_begin "validate counts streams, buckets and consumers apart"
run "$P" validate "$SRCDIR/specs" "$SRCDIR/specs/examples"
expect_rc 0
expect_in out "3 streams, 1 bucket and 9 consumers in 5 files: valid"
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

vnum=$(version_num "$V")
mkdir -p "$W/kv"
cat >"$W/kv/buckets.yaml" <<'YAML'
kv:
  - bucket: cfg
    description: settings
    history: 5
    ttl: 1h
    max_value_size: 1KiB
    max_bytes: 1MiB
    storage: memory
  - bucket: cfg-copy
    mirror:
      name: cfg
object_stores:
  - bucket: blobs
    ttl: 1d
    max_bytes: 10MiB
YAML

t_begin "kv and object_stores apply as the streams the clients make"
run "$P" apply "$W/kv"
expect_rc 0
expect_in out "created stream 'KV_cfg'"
expect_in out "created stream 'OBJ_blobs'"
got=$(js STREAM.INFO.KV_cfg | jq_py '"|".join(str(x) for x in [d["config"]["subjects"], d["config"]["max_msgs_per_subject"], d["config"]["max_age"], d["config"]["max_msg_size"], d["config"]["max_bytes"], d["config"]["storage"], d["config"]["discard"], d["config"].get("allow_rollup_hdrs"), d["config"].get("deny_delete"), d["config"].get("allow_direct"), d["config"]["duplicate_window"], d["config"]["max_msgs"], d["config"]["max_consumers"]])')
want="['\$KV.cfg.>']|5|3600000000000|1024|1048576|memory|new|True|True|True|120000000000|-1|-1"
[ "$got" = "$want" ] || t_fail "KV_cfg is '$got', want '$want'"
got=$(js STREAM.INFO.KV_cfg-copy | jq_py '"|".join(str(x) for x in [d["config"].get("subjects"), d["config"]["mirror"]["name"], d["config"].get("mirror_direct")])')
[ "$got" = "None|KV_cfg|True" ] || t_fail "KV_cfg-copy is '$got'"
got=$(js STREAM.INFO.OBJ_blobs | jq_py '"|".join(str(x) for x in [sorted(d["config"]["subjects"]), d["config"]["discard"], d["config"].get("allow_rollup_hdrs"), d["config"].get("allow_direct"), d["config"]["max_age"]])')
[ "$got" = "['\$O.blobs.C.>', '\$O.blobs.M.>']|new|True|True|86400000000000" ] ||
    t_fail "OBJ_blobs is '$got'"
t_end

t_begin "buckets plan and check clean, apply again sends no mutating request"
run "$P" plan "$W/kv"
expect_rc 0
expect_in out "0 to create, 0 to update, 0 to delete, 0 blocked, 3 unchanged"
run "$P" check "$W/kv"
expect_rc 0
before=$(api_total)
run "$P" apply "$W/kv"
after=$(api_total)
expect_in out "No changes"
[ $((after - before)) -le 2 ] || t_fail "api.total rose by $((after - before))"
t_end

t_begin "export writes buckets as kv/object_stores, and plans clean"
run "$P" export
expect_rc 0
cp "$T_OUT/out" "$W/export.yaml"
expect_in out "kv:"
expect_in out "object_stores:"
expect_in out 'bucket: "cfg"'
expect_not_in out '  - name: "KV_cfg"'
run "$P" plan "$W/export.yaml"
expect_rc 0
expect_in out "0 to create, 0 to update, 0 to delete, 0 blocked"
t_end

t_begin "the independent client (nats.c kvStore) uses a bucket made here"
run "$K" putget cfg app.mode fast
expect_rc 0
expect_in out "1 fast"
run "$K" putget agent-presence planner alive
expect_rc 0
expect_in out " alive"
run "$P" status
expect_rc 0
expect_in out "key-value bucket 'agent-presence': 1 key"
expect_in out "object store 'blobs': 0 subjects"
run "$P" status --json
got=$(jq_py '[s["bucket"] for s in d if s["name"] == "KV_cfg"][0]' <"$T_OUT/out")
[ "$got" = "{'kind': 'kv', 'name': 'cfg', 'subjects': 1}" ] || t_fail "status --json bucket of KV_cfg: $got"
t_end

t_begin "a bucket made by nats.c's kvStore adopts with no change"
run "$K" create made 1 30000
expect_rc 0
printf 'kv:\n  - bucket: made\n    ttl: 30s\n' >"$W/made.yaml"
run "$P" plan "$W/made.yaml"
expect_rc 0
expect_in out "0 to create, 0 to update, 0 to delete, 0 blocked, 1 unchanged"
run "$P" check "$W/made.yaml"
expect_rc 0
run "$P" export --stream KV_made
expect_in out 'bucket: "made"'
expect_in out "ttl: 30s"
run "$K" create made5 5 0
printf 'kv:\n  - bucket: made5\n    history: 5\n' >"$W/made5.yaml"
run "$P" plan "$W/made5.yaml"
expect_rc 0
expect_in out "1 unchanged"
t_end

t_begin "bucket changes: history in place, storage blocked"
sed 's/history: 5/history: 10/' "$W/kv/buckets.yaml" >"$W/kv2.yaml"
run "$P" apply "$W/kv2.yaml"
expect_rc 0
got=$(js STREAM.INFO.KV_cfg | jq_py 'd["config"]["max_msgs_per_subject"]')
[ "$got" = 10 ] || t_fail "history is $got after apply, want 10"
sed 's/storage: memory/storage: file/' "$W/kv2.yaml" >"$W/kv3.yaml"
run "$P" apply "$W/kv3.yaml"
expect_rc 4
grep -Eq 'storage: "?memory"? -> "?file"?' "$T_OUT/err" ||
    t_fail "the plan does not show storage memory -> file: $(head -c 600 "$T_OUT/err")"
expect_in err "blocked: nats-server cannot change storage in place"
expect_in err "stream 'KV_cfg' (key-value bucket 'cfg') cannot be changed in place"
got=$(js STREAM.INFO.KV_cfg | jq_py 'd["config"]["storage"]')
[ "$got" = memory ] || t_fail "storage is $got"
t_end

t_begin "--prune leaves undeclared buckets alone unless the scope names KV_/OBJ_"
run "$P" plan --prune --json "$SRCDIR/specs" "$SRCDIR/specs/examples"
expect_rc 0
n=$(jq_py 'sum(1 for a in d["actions"] if a["action"] == "delete")' <"$T_OUT/out")
[ "$n" = 0 ] || t_fail "plan --prune deletes $n objects"
printf 'prune:\n  scope: [KV_made*]\n' >"$W/scope.yaml"
run "$P" plan --prune --json "$SRCDIR/specs" "$SRCDIR/specs/examples" "$W/scope.yaml"
deletes=$(jq_py '",".join(sorted(a["stream"] for a in d["actions"] if a["action"] == "delete"))' <"$T_OUT/out")
[ "$deletes" = "KV_made,KV_made5" ] || t_fail "scoped prune deletes '$deletes'"
t_end

t_begin "compression needs 2.10: refused before any change on 2.9"
printf 'kv:\n  - bucket: packed\n    compression: true\n' >"$W/packed.yaml"
run "$P" apply "$W/packed.yaml"
if [ "$vnum" -lt 21000 ]; then
	expect_rc 2
	expect_in err "compression"
else
	expect_rc 0
	got=$(js STREAM.INFO.KV_packed | jq_py 'd["config"]["compression"]')
	[ "$got" = s2 ] || t_fail "compression is '$got'"
	run "$P" plan "$W/packed.yaml"
	expect_in out "1 unchanged"
fi
t_end

t_begin "limit_marker_ttl needs 2.11: applied and round-tripped there, refused before any change before"
printf 'kv:\n  - bucket: marked\n    ttl: 1m\n    limit_marker_ttl: 10s\n' >"$W/marked.yaml"
run "$P" apply "$W/marked.yaml"
if [ "$vnum" -lt 21100 ]; then
	expect_rc 2
	expect_in err "marked.yaml:4:5:"
	expect_in err "needs nats-server 2.11"
	js STREAM.INFO.KV_marked | grep -q '"config"' && t_fail "KV_marked was created"
else
	expect_rc 0
	got=$(js STREAM.INFO.KV_marked | jq_py '"%s|%s" % (d["config"].get("allow_msg_ttl"), d["config"].get("subject_delete_marker_ttl"))')
	[ "$got" = "True|10000000000" ] || t_fail "KV_marked is '$got'"
	run "$P" export --stream KV_marked
	expect_in out "limit_marker_ttl: 10s"
	cp "$T_OUT/out" "$W/marked-export.yaml"
	run "$P" plan "$W/marked-export.yaml"
	expect_in out "1 unchanged"
fi
t_end

t_summary
