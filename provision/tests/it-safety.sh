# SPDX-License-Identifier: MIT
#
# it-safety: nats-provision against a real nats-server (ci/with-server):
# changes that delete messages are named and counted by plan and refused
# by apply (exit 4, server unchanged) unless --allow-data-loss; prune stays
# in its scope and never deletes a protected stream; a prune typed at a
# terminal asks first; an unreadable spec entry is an error.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
W=$T_OUT/work
mkdir -p "$W/v1" "$W/v2"

inbox_spec() {
	cat <<YAML
streams:
  - name: inbox
    subjects: [inbox.*]
    storage: file
    max_msgs: $1
YAML
}
inbox_spec 10000 >"$W/v1/inbox.yaml"
inbox_spec 10 >"$W/v2/inbox.yaml"

msgs() { js "STREAM.INFO.$1" | jq_py 'd["state"]["messages"]'; }

t_begin "lowering max_msgs below the stream's 65 messages is named: deletes 55 of 65"
run "$P" apply "$W/v1"
expect_rc 0
$NATSREQ pub inbox.alice "unread message" 65 >/dev/null
[ "$(msgs inbox)" = 65 ] || t_fail "test setup: inbox holds $(msgs inbox), want 65"
run "$P" plan "$W/v2"
expect_rc 0
expect_in out "max_msgs: 10000 -> 10"
expect_in out "! data loss: deletes 55 of 65 messages"
expect_in out "apply refuses it without --allow-data-loss"
run "$P" plan --json "$W/v2"
expect_rc 0
got=$(jq_py '"%d/%d %s %d" % (d["actions"][0]["data_loss"]["messages"], d["actions"][0]["data_loss"]["of_messages"], ",".join(d["actions"][0]["data_loss"]["causes"]), d["summary"]["data_loss"])' <"$T_OUT/out")
[ "$got" = "55/65 max_msgs 1" ] || t_fail "plan --json data_loss '$got'"
t_end

t_begin "apply refuses it with exit 4 and sends no change"
cfg_before=$(js STREAM.INFO.inbox | jq_py 'json.dumps(d["config"], sort_keys=True)')
before=$(api_total)
run "$P" apply "$W/v2"
after=$(api_total)
expect_rc 4
expect_in err "deletes 55 of 65 messages"
expect_in err "--allow-data-loss"
expect_in err "nothing was changed"
# Only reads: $JS.API.INFO and one STREAM.LIST page.
[ $((after - before)) -eq 2 ] || t_fail "api.total rose by $((after - before)), want 2"
[ "$(msgs inbox)" = 65 ] || t_fail "messages lost: $(msgs inbox) left"
cfg_after=$(js STREAM.INFO.inbox | jq_py 'json.dumps(d["config"], sort_keys=True)')
[ "$cfg_before" = "$cfg_after" ] || t_fail "config changed"
t_end

t_begin "lowering max_msgs_per_subject is counted exactly from each subject's count"
mkdir -p "$W/ps1" "$W/ps2"
printf 'streams:\n  - name: per-subject\n    subjects: [ps.*]\n    storage: memory\n' >"$W/ps1/s.yaml"
printf 'streams:\n  - name: per-subject\n    subjects: [ps.*]\n    storage: memory\n    max_msgs_per_subject: 4\n' >"$W/ps2/s.yaml"
run "$P" apply "$W/ps1"
expect_rc 0
$NATSREQ pub ps.a "m" 20 >/dev/null
$NATSREQ pub ps.b "m" 5 >/dev/null
$NATSREQ pub ps.c "m" 1 >/dev/null
run "$P" plan "$W/ps2"
expect_rc 0
# 16 of ps.a and 1 of ps.b
expect_in out "! data loss: deletes 17 of 26 messages"
run "$P" apply "$W/ps2"
expect_rc 4
[ "$(msgs per-subject)" = 26 ] || t_fail "messages lost: $(msgs per-subject) left"
run "$P" apply --allow-data-loss "$W/ps2"
expect_rc 0
# 2.15 trims at once; 2.9 and 2.10 trim each subject at its next message
for s in a b c; do $NATSREQ pub "ps.$s" "m" 1 >/dev/null; done
[ "$(msgs per-subject)" = 10 ] || t_fail "per-subject holds $(msgs per-subject), want 4+4+2"
js STREAM.DELETE.per-subject >/dev/null
t_end

t_begin "--allow-data-loss carries it out"
run "$P" apply --allow-data-loss "$W/v2"
expect_rc 0
expect_in out "updated stream 'inbox'"
[ "$(msgs inbox)" = 10 ] || t_fail "inbox holds $(msgs inbox), want 10"
t_end

# The undeclared streams: two of ours, a KV bucket's, an object store's
# and another team's.
js STREAM.CREATE.full '{"name":"full","subjects":["full.>"],"storage":"memory"}' >/dev/null
js STREAM.CREATE.empty '{"name":"empty","subjects":["empty.>"],"storage":"memory"}' >/dev/null
js STREAM.CREATE.KV_cfg '{"name":"KV_cfg","subjects":["$KV.cfg.>"],"storage":"memory","max_msgs_per_subject":1}' >/dev/null
js STREAM.CREATE.OBJ_files '{"name":"OBJ_files","subjects":["$O.files.>"],"storage":"memory"}' >/dev/null
js STREAM.CREATE.team-b '{"name":"team-b","subjects":["team-b.>"],"storage":"memory"}' >/dev/null
$NATSREQ pub full.x "m" 3 >/dev/null
$NATSREQ pub '$KV.cfg.key' "v" 1 >/dev/null
mkdir -p "$W/all" "$W/ours"
printf 'prune:\n  scope: ["*"]\n  protect: [team-*]\n' >"$W/all/prune.yaml"
printf 'prune:\n  scope: [full, empty]\n' >"$W/ours/prune.yaml"
streams() { js STREAM.NAMES '{"offset":0}' | jq_py '",".join(sorted(d["streams"] or []))'; }
ALL="KV_cfg,OBJ_files,empty,full,inbox,other,team-b"

t_begin "prune stays within its scope: none declared on 2.9, KV_ and OBJ_ never by '*'"
js STREAM.CREATE.other '{"name":"other","subjects":["other.>"],"storage":"memory"}' >/dev/null
run "$P" plan --prune "$W/v2"
expect_rc 0
expect_not_in out "DELETED"
expect_in out "--prune leaves 6 undeclared streams outside its scope alone"
run "$P" apply --prune --allow-data-loss "$W/v2" </dev/null
expect_rc 0
expect_in out "No changes"
[ "$(streams)" = "$ALL" ] || t_fail "streams left: $(streams)"
run "$P" plan --prune --json "$W/v2" "$W/all/prune.yaml"
expect_rc 0
got=$(jq_py '";".join(",".join(sorted(a["stream"] for a in d["actions"] if a["action"] == k)) for k in ("delete", "blocked")) + ";" + ",".join(d["outside_prune_scope"])' <"$T_OUT/out")
[ "$got" = "empty,full,other;team-b;KV_cfg,OBJ_files" ] || t_fail "delete;blocked;left alone is '$got'"
js STREAM.DELETE.other >/dev/null
t_end

t_begin "a protected stream is blocked: apply exits 4 and deletes nothing"
run "$P" plan --prune "$W/v2" "$W/all/prune.yaml"
expect_in out "! stream 'team-b' will NOT be deleted (blocked): protected by prune.protect 'team-*'"
before=$(api_total)
run "$P" apply --prune --allow-data-loss "$W/v2" "$W/all/prune.yaml" </dev/null
after=$(api_total)
expect_rc 4
expect_in err "stream 'team-b'"
[ $((after - before)) -eq 2 ] || t_fail "api.total rose by $((after - before)), want 2"
[ "$(streams)" = "KV_cfg,OBJ_files,empty,full,inbox,team-b" ] || t_fail "streams left: $(streams)"
t_end

t_begin "prevent_update: true blocks an update of the declared stream"
mkdir -p "$W/frozen"
inbox_spec 20 >"$W/frozen/inbox.yaml"
echo "    prevent_update: true" >>"$W/frozen/inbox.yaml"
run "$P" plan "$W/frozen"
expect_in out "! stream 'inbox' cannot be changed in place (blocked)"
expect_in out "declared prevent_update: true ($W/frozen/inbox.yaml:6:5)"
run "$P" apply "$W/frozen"
expect_rc 4
[ "$(js STREAM.INFO.inbox | jq_py 'd["config"]["max_msgs"]')" = 10 ] || t_fail "max_msgs changed"
t_end

t_begin "pruning a stream with messages is refused; an empty one is not"
run "$P" plan --prune "$W/v2" "$W/ours/prune.yaml"
expect_in out "stream 'full' will be DELETED"
expect_in out "! data loss: deletes 3 of 3 messages"
run "$P" apply --prune "$W/v2" "$W/ours/prune.yaml"
expect_rc 4
expect_in err "stream 'full'"
[ "$(msgs full)" = 3 ] || t_fail "'full' lost messages"
grep -q '"config"' <<<"$(js STREAM.INFO.empty)" || t_fail "'empty' deleted by a refused apply"
t_end

t_begin "a prune at a terminal asks, and 'no' changes nothing"
python3 - "$P" "$W/v2" "$W/ours/prune.yaml" >"$T_OUT/out" 2>&1 <<'PY' || t_fail "pty run: $(cat "$T_OUT/out")"
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "apply", "--prune", "--allow-data-loss"] + sys.argv[2:])
buf = b""
while b"Type 'yes'" not in buf:
    chunk = os.read(fd, 4096)
    if not chunk:
        break
    buf += chunk
os.write(fd, b"no\n")
try:
    while True:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        buf += chunk
except OSError:
    pass
_, status = os.waitpid(pid, 0)
print(buf.decode(errors="replace"))
print("rc=%d" % os.waitstatus_to_exitcode(status))
PY
expect_in out "Type 'yes' to go on"
expect_in out "prune not confirmed; nothing was changed"
expect_in out "rc=4"
[ "$(msgs full)" = 3 ] || t_fail "'full' changed after 'no'"
t_end

t_begin "without a terminal --prune --allow-data-loss deletes without asking, only in scope"
run "$P" apply --prune --allow-data-loss "$W/v2" "$W/ours/prune.yaml" </dev/null
expect_rc 0
expect_in out "deleted stream 'full'"
expect_in out "deleted stream 'empty'"
expect_not_in err "Type 'yes'"
[ "$(streams)" = "KV_cfg,OBJ_files,inbox,team-b" ] || t_fail "streams left: $(streams)"
t_end

t_begin "a spec entry that cannot be read is exit 2 with its path, never a skip"
mkdir -p "$W/broken"
cp "$W/v2/inbox.yaml" "$W/broken/inbox.yaml"
ln -s "$W/gone/other.yaml" "$W/broken/other.yaml"
printf 'prune:\n  scope: ["*"]\n' >"$W/broken/prune.yaml"
js STREAM.CREATE.other '{"name":"other","subjects":["other.>"],"storage":"memory"}' >/dev/null
before=$(api_total)
for cmd in validate plan apply; do
	run "$P" "$cmd" --prune "$W/broken"
	[ "$cmd" = validate ] && run "$P" validate "$W/broken"
	expect_rc 2
	expect_in err "$W/broken/other.yaml"
	expect_in err "symbolic link to a file that does not exist"
done
after=$(api_total)
[ "$after" = "$before" ] || t_fail "api.total rose by $((after - before)), want 0"
grep -q '"config"' <<<"$(js STREAM.INFO.other)" || t_fail "'other' was deleted"
t_end

t_begin "sealed: true applies: created, then sealed by an update; unsealing is blocked"
mkdir -p "$W/sealed" "$W/unsealed"
printf 'streams:\n  - name: archive\n    subjects: [archive.>]\n    storage: memory\n    sealed: true\n' >"$W/sealed/s.yaml"
printf 'streams:\n  - name: archive\n    subjects: [archive.>]\n    storage: memory\n' >"$W/unsealed/s.yaml"
run "$P" validate "$W/sealed"
expect_rc 0
run "$P" plan "$W/sealed"
expect_in out "+ stream 'archive' will be created"
expect_in out "sealed: false -> true"
run "$P" apply "$W/sealed"
expect_rc 0
expect_in out "created stream 'archive'"
expect_in out "updated stream 'archive'"
[ "$(js STREAM.INFO.archive | jq_py 'd["config"]["sealed"]')" = True ] || t_fail "archive is not sealed"
run "$P" apply "$W/sealed"
expect_rc 0
expect_in out "No changes"
run "$P" apply "$W/unsealed"
expect_rc 4
expect_in err "cannot be unsealed"
t_end

# Metadata exists from nats-server 2.10 on (the server generations of
# ci/test run this suite on each).
version=$(curl -fsS "$NATS_MONITOR_URL/varz" | jq_py 'd["version"]')
if [ "$(printf '%s\n' 2.10.0 "$version" | sort -V | head -n1)" = 2.10.0 ]; then
t_begin "prevent_delete: true is kept in the metadata and still blocks a prune once undeclared (2.10+)"
mkdir -p "$W/keep"
printf 'streams:\n  - name: keeper\n    subjects: [keep.*]\n    storage: memory\n    prevent_delete: true\n    consumers:\n      - durable_name: c1\n        prevent_delete: true\n' >"$W/keep/s.yaml"
run "$P" apply "$W/keep"
expect_rc 0
# Without the keys nats-server 2.11+ adds to every stream (_nats.*).
md=$(js STREAM.INFO.keeper | jq_py 'json.dumps({k: v for k, v in (d["config"].get("metadata") or {}).items() if not k.startswith("_nats.")}, sort_keys=True)')
[ "$md" = '{"managed-by": "nats-provision", "nats-provision.prevent-delete": "true"}' ] || t_fail "keeper metadata $md"
run "$P" plan --prune "$W/v2"
expect_in out "! stream 'keeper' will NOT be deleted (blocked): protected by its metadata"
run "$P" apply --prune --allow-data-loss "$W/v2" </dev/null
expect_rc 4
grep -q '"config"' <<<"$(js STREAM.INFO.keeper)" || t_fail "'keeper' was deleted"
t_end
else
	echo "  (nats-server $version has no metadata: the prevent_delete mark is covered on 2.10 and newer)"
fi

t_summary
