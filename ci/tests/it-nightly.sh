# SPDX-License-Identifier: MIT
#
# it-nightly: ci/nightly against a real nats-server (ci/with-server): the
# clean run, seeded drift, provisioning first, an unreachable /healthz, a
# missing tool, secrets kept out of output and reports, a server that is
# gone.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
C=${NATS_CONFORMANCE:?}
BUILD_ROOT=${BUILD_ROOT:?}
N=$SRCDIR/ci/nightly
W=$T_OUT/work
mkdir -p "$W"

# no_secret DIR...: the password appears in no captured output nor file.
no_secret() {
	[ -n "${NATS_PASSWORD:-}" ] || return 0
	if grep -rqF -- "$NATS_PASSWORD" "$T_OUT/out" "$T_OUT/err" "$@"; then
		t_fail "the password reached the output or a file in $*"
	fi
}

t_begin "a bad HEALTH_WAIT is a usage error"
run env HEALTH_WAIT=soon REPORT_DIR="$W/bad" "$N"
expect_rc 2
expect_in err "HEALTH_WAIT 'soon'"
t_end

t_begin "a missing nats-conformance fails loudly, never skips"
run env NATS_CONFORMANCE="$W/no-such-binary" REPORT_DIR="$W/missing" "$N"
expect_rc 6
expect_in out "conformance: MISSING"
expect_in err "nats-conformance is missing"
expect_in out "nightly: exit 6 (a tool is missing)"
t_end

# The nightly job drift-checks a provisioned server.
run "$P" apply "$SRCDIR/specs"
[ "$RC" = 0 ] || { echo "setup: apply failed: $(cat "$T_OUT/err")" >&2; exit 1; }

t_begin "a clean run: both tools pass, two valid reports, a summary, exit 0"
# Binaries found in BUILD_DIR, as on a CI runner.
run env -u NATS_PROVISION -u NATS_CONFORMANCE BUILD_DIR="$BUILD_ROOT" \
    REPORT_DIR="$W/clean" HEALTH_WAIT=10s "$N"
expect_rc 0
expect_in out "health: ok"
expect_in out "provision check: exit 0 (in sync)"
expect_in out "conformance: exit 0 (passed)"
expect_in out "nightly: exit 0 (all passed)"
expect_in out "provision-check.xml:"
for f in provision-check.xml conformance.xml; do
	if [ -f "$W/clean/$f" ]; then
		validate_junit "$W/clean/$f"
	else
		t_fail "no $f in REPORT_DIR"
	fi
done
no_secret "$W/clean"
t_end

t_begin "user info in NATS_URL never reaches the output, logs or reports"
url="nats://$NATS_USER:$NATS_PASSWORD@${NATS_URL#nats://}"
run env NATS_URL="$url" NATS_USER= NATS_PASSWORD= REPORT_DIR="$W/url" \
    HEALTH_WAIT=10s "$N"
expect_rc 0
expect_in out "***@"
no_secret "$W/url"
t_end

# Seeded drift behind the tool's back: a changed limit on agent-messages.
js STREAM.INFO.agent-messages |
    jq_py 'json.dumps(dict(d["config"], max_msgs=d["config"]["max_msgs"] + 1))' \
    >"$W/drift.json"
js STREAM.UPDATE.agent-messages "$(cat "$W/drift.json")" >/dev/null

t_begin "seeded drift: exit 1, the drifted stream named, valid reports"
run env REPORT_DIR="$W/drift" HEALTH_WAIT=10s "$N"
expect_rc 1
expect_in out "provision check: exit 1 (drift)"
expect_in out "agent-messages"
expect_in out "max_msgs"
expect_in out "nightly: exit 1"
grep -q "FAILED agent-messages" "$T_OUT/out" ||
    t_fail "summary does not list agent-messages as failed"
for f in provision-check.xml conformance.xml; do
	if [ -f "$W/drift/$f" ]; then
		validate_junit "$W/drift/$f"
	else
		t_fail "no $f in REPORT_DIR"
	fi
done
grep -q '<failure' "$W/drift/provision-check.xml" ||
    t_fail "no <failure> in the drift report"
no_secret "$W/drift"
t_end

t_begin "NIGHTLY_APPLY=1 provisions first: drift repaired, exit 0"
run env NIGHTLY_APPLY=1 REPORT_DIR="$W/apply" HEALTH_WAIT=10s "$N"
expect_rc 0
expect_in out "provision apply: exit 0 (applied)"
expect_in out "provision check: exit 0 (in sync)"
t_end

# The wait itself is timed by ci/bench-timeouts, not asserted here.
t_begin "/healthz that never answers: bounded wait, tools not run, exit 3"
run env NATS_MONITOR_URL=http://127.0.0.1:1 HEALTH_WAIT=2s \
    REPORT_DIR="$W/nohealth" "$N"
expect_rc 3
expect_in err "did not answer within 2s"
expect_in out "provision check: not run"
t_end

t_begin "a monitoring password with , / @ : is masked whole, raw or percent-encoded"
hex() { head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
parts="$(hex) $(hex) $(hex) $(hex)"
set -- $parts
mpw="$1,$2/$3@$4:x"
for murl in "http://u:$mpw@127.0.0.1:1" \
    "http://u:$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$mpw")@127.0.0.1:1"; do
	run env NATS_MONITOR_URL="$murl" HEALTH_WAIT=1s REPORT_DIR="$W/monpw" "$N"
	expect_rc 3
	expect_in err "u:***@127.0.0.1:1/healthz"
	for p in $parts; do
		if grep -rqF -- "$p" "$T_OUT/out" "$T_OUT/err" "$W/monpw"; then
			t_fail "a piece of the monitoring password was printed"
		fi
	done
done
t_end

t_begin "a stale report is removed, never published as tonight's"
mkdir -p "$W/stale"
cp "$W/clean/conformance.xml" "$W/stale/conformance.xml"
run env NATS_CONFORMANCE="$W/no-such-binary" REPORT_DIR="$W/stale" "$N"
expect_rc 6
[ ! -e "$W/stale/conformance.xml" ] || t_fail "the stale conformance.xml is still there"
t_end

"$HARNESS_STOP"

t_begin "server gone, no monitor URL: the tools' exit 3 is shown and returned"
run env NATS_MONITOR_URL= NATS_TIMEOUT=1s REPORT_DIR="$W/gone" "$N"
expect_rc 3
expect_in out "provision check: exit 3 (cannot connect)"
expect_in out "conformance: exit 3 (cannot connect)"
expect_in out "nightly: exit 3 (cannot connect)"
t_end

t_summary
