# SPDX-License-Identifier: MIT
#
# it-contracts: the suite is a gate.  The canonical specs/ (streams,
# contracts, the agents' consumers) pass; then each case breaks the
# deployment the way a user would, in the spec AND on the server (they
# agree, so config.matches-spec passes), and the default suite must exit 1
# with a failing testcase that names the setting at fault.  Some cases
# change only a limit, some only a declared consumer.  Every contract.*
# check id fails under at least one case.  Runs under ci/with-server.
. "$SRCDIR/ci/testlib.sh"
. "$SRCDIR/conformance/tests/it-lib.sh"
W=$T_OUT/work
mkdir -p "$W"

# broken NAME EDIT: a copy of specs/ in $W/NAME with EDIT applied, a
# Python statement over s (the stream name -> stream mapping) and c (the
# stream name -> consumer name -> consumer mapping).
broken() {
	rm -rf "${W:?}/$1"
	mkdir -p "$W/$1"
	python3 - "$SPECS" "$W/$1" "$2" <<'PY'
import glob, os, sys, yaml
src, dst, edit = sys.argv[1:4]
docs = {}
for p in sorted(glob.glob(os.path.join(src, "*.yaml"))):
    docs[os.path.basename(p)] = yaml.safe_load(open(p))
s = {st["name"]: st for d in docs.values() for st in d["streams"]}
c = {n: {x["durable_name"]: x for x in st.get("consumers", [])}
     for n, st in s.items()}
exec(edit)
for name, d in docs.items():
    with open(os.path.join(dst, name), "w") as f:
        yaml.safe_dump(d, f, sort_keys=False)
PY
}

# failing FILE ID|TEXT...: FILE has, for each pair, a failing testcase ID
# whose message holds TEXT, no <error> (a deployment fault is a failure)
# and config.matches-spec passing (spec and server agree).  One process
# for all: the suite runs on a busy machine.
failing() {
	python3 - "$@" <<'PY'
import sys, xml.etree.ElementTree as ET
cases = list(ET.parse(sys.argv[1]).getroot().iter("testcase"))
fails = [(tc.get("name"), tc.find("failure").get("message") or "")
         for tc in cases if tc.find("failure") is not None]
bad = []
for pair in sys.argv[2:]:
    cid, text = pair.split("|", 1)
    if not any(n == cid and text in m for n, m in fails):
        bad.append("no failing %s with '%s'" % (cid, text))
errs = [tc.get("name") for tc in cases if tc.find("error") is not None]
if errs:
    bad.append("deployment faults reported as errors: %s" % errs)
if any(n == "config.matches-spec" for n, m in fails):
    bad.append("config.matches-spec fails: spec and server should agree")
if bad:
    print("; ".join(bad) + "; failures: %s" % fails)
    sys.exit(1)
PY
}

# gate NAME ID TEXT EDIT [ID|TEXT]...: deploy the broken copy, run the
# default suite (or $FILTER's groups); it exits 1 and testcase ID fails
# naming TEXT (and each further ID its TEXT).
gate() {
	local name=$1 id=$2 text=$3 edit=$4 xml=$W/$1.xml
	shift 4
	t_begin "$name: $id fails naming '$text'"
	broken "$name" "$edit"
	deploy "$W/$name"
	run "$C" --specs "$W/$name" --junit "$xml" ${FILTER[@]+"${FILTER[@]}"}
	expect_rc 1
	failing "$xml" "$id|$text" "$@" >"$W/why" || t_fail "$(cat "$W/why")"
	validate_junit "$xml"
	t_end
}

t_begin "the canonical specs pass: streams, contracts and the agents' consumers"
deploy "$SPECS"
run "$C" --specs "$SPECS" --junit "$W/ok.xml"
expect_rc 0
validate_junit "$W/ok.xml"
for id in contract.storage contract.retention contract.max-age \
    contract.backlog contract.consumers contract.redelivery \
    contract.workers contract.history contract.dedupe backlog.holds \
    backlog.largest; do
	expect_check "$id" pass
done
t_end

t_begin "a stream without a contract says so in each of its checks"
printf 'streams:\n  - name: legacy\n    subjects: [legacy.*]\n' >"$W/legacy.yaml"
deploy "$W/legacy.yaml"
run "$C" --specs "$W/legacy.yaml" --filter 'pubsub.*'
expect_rc 0
[ "$(grep -c "no contract for 'legacy': checks chosen by its declared retention 'limits'" "$T_OUT/out")" = 3 ] ||
    t_fail "want the note on all 3 pubsub checks: $(cat "$T_OUT/out")"
js STREAM.DELETE.legacy >/dev/null
t_end

# The four deployments of the issue, each against the whole default suite.
FILTER=()
gate tasks-limits contract.retention "retention is limits" \
    's["agent-tasks"]["retention"] = "limits"' \
    "workqueue.removed-after-ack|processed tasks are still stored"
gate inbox-memory contract.storage "storage is memory" \
    's["agent-messages"]["storage"] = "memory"'
gate inbox-1m contract.max-age "max_age is 1m" \
    's["agent-messages"]["max_age"] = "1m"'
# The workqueue checks copy the live 'workers' consumer, so its
# max_deliver breaks their redelivery too.
gate workers-once contract.redelivery "max_deliver is 1" \
    'c["agent-tasks"]["workers"]["max_deliver"] = 1' \
    "workqueue.redelivery|an unacknowledged task was not redelivered"
# The rest against the groups that judge the deployment (contract,
# backlog, config), to keep the suite quick; the behaviour groups are
# shown to fail by it-faults.sh.
FILTER=(--filter 'contract.*' --filter 'backlog.*' --filter 'config.*')
# Only a limit is too small for the declared contract.
gate broadcast-100 contract.backlog "max_msgs is 100" \
    's["agent-broadcast"]["max_msgs"] = 100' \
    "backlog.holds|max_msgs 100, max_bytes 52428800, discard old"
gate tasks-10mb contract.backlog "max_bytes is 10MiB" \
    's["agent-tasks"]["max_bytes"] = "10MB"' \
    "backlog.holds|max_bytes 10485760, discard old"
gate inbox-full contract.backlog "max_msgs is 500" \
    's["agent-messages"].update(max_msgs=500, discard="new")' \
    "backlog.holds|was refused"
gate inbox-64k contract.backlog "max_msg_size is 64KiB" \
    's["agent-messages"]["max_msg_size"] = "64KB"' \
    "backlog.largest|live max_msg_size 64KiB"
# Only the largest message is too big: max_bytes holds the backlog of
# typical messages but not one message of the contract's max_msg_size.
gate tasks-largest backlog.largest "but not kept; live max_bytes 1000KiB" \
    's["agent-tasks"].update(max_bytes="1000KB", max_msgs=100); s["agent-tasks"]["contract"].update(backlog_msgs=100, typical_msg_size="1KB")'
gate tasks-dedupe contract.dedupe "duplicate_window is 1s" \
    's["agent-tasks"]["duplicate_window"] = "1s"'
# Only a declared consumer is wrong.
gate inbox-idle contract.consumers "inactive_threshold is 1h" \
    'c["agent-messages"]["inbox-coder"]["inactive_threshold"] = "1h"'
gate workers-pending contract.workers "max_ack_pending is 1" \
    'c["agent-tasks"]["workers"]["max_ack_pending"] = 1'
gate workers-waiting contract.workers "max_waiting is 2" \
    'c["agent-tasks"]["workers"]["max_waiting"] = 2'
gate workers-hasty contract.redelivery "ack_wait is 5s" \
    'c["agent-tasks"]["workers"]["ack_wait"] = "5s"'
gate broadcast-new contract.history "deliver_policy is new" \
    'c["agent-broadcast"]["broadcast-planner"]["deliver_policy"] = "new"'
gate broadcast-interest contract.history "retention is interest" \
    's["agent-broadcast"]["retention"] = "interest"'
gate broadcast-push-none contract.consumers "ack_policy is none" \
    'c["agent-broadcast"]["broadcast-coder"].update(ack_policy="none", deliver_subject="deliver.coder")'

t_begin "the runs left nothing of their own behind"
deploy "$SPECS"
snapshot >"$W/snap"
grep -E '^(stream|consumer) r[0-9a-f]{8}' "$W/snap" &&
    t_fail "left behind: $(cat "$W/snap")"
t_end

t_summary
