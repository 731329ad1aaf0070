#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# it-stall: a server that stops answering in the middle of a conformance
# run (ci/fake-js-server.py: stall, stall-later; it keeps the connection
# open and answers nothing, PINGs included, like a stopped nats-server).
#
# The run must end with exit 1, the check that met the stall and every
# later one an error, the later ones at once ("not run: the server stopped
# answering"), and the cleanup must name what it could not remove.  That
# only one request of the whole run waited its timeout is shown from the
# report, not by timing: the time taken is printed, never asserted.
# Needs NATS_CONFORMANCE, NATS_PROVISION and SRCDIR.
set -euo pipefail
. "${SRCDIR:?}/ci/testlib.sh"

C=${NATS_CONFORMANCE:?}
P=${NATS_PROVISION:?}
# A guard against a hang only, far above 3 x 2 s plus the cleanup.
GUARD=120
export NATS_TIMEOUT=2s
. "$SRCDIR/ci/tests/fakelib.sh"

# report_check MIN_RAN: every check after the first that met the stall is
# an error "not run: the server stopped answering"; at least MIN_RAN ran
# before it; at most one check waited for the stalled server itself.
report_check() {
	python3 - "$T_OUT/report.json" "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
cases = [c for s in d["suites"] for c in s["cases"]]
notrun = "not run: the server stopped answering"
ran = 0
waited = 0
stalled = False
for c in cases:
    msg = c.get("message") or ""
    if msg.startswith(notrun):
        stalled = True
        continue
    if stalled:
        sys.exit("%s ran after the stall: %s %s" % (c["name"], c["status"],
                                                    msg))
    if "stopped answering" in msg or "within" in msg:
        waited += 1
        if c["status"] != "error":
            sys.exit("%s met the stall but is %s" % (c["name"],
                                                     c["status"]))
    else:
        ran += 1
if not stalled:
    sys.exit("no check was stopped by the stall")
if ran < int(sys.argv[2]):
    sys.exit("%d checks ran before the stall, want at least %s"
             % (ran, sys.argv[2]))
if waited > 1:
    sys.exit("%d checks waited for the stalled server" % waited)
print("%d ran, %d met the stall, %d not run" % (ran, waited,
      len(cases) - ran - waited))
EOF
}

for scenario in stall stall-later; do
	t_begin "conformance run, server stalls ($scenario)"
	start_fake "$scenario"
	t0=$(date +%s.%N)
	run timeout -s KILL "$GUARD" "$C" run --specs "$SPECS" --timeout 2s \
	    -s "$URL" --json "$T_OUT/report.json" --junit "$T_OUT/junit.xml"
	echo "  ($scenario: the run took $(echo "$(date +%s.%N) - $t0" | bc) s with --timeout 2s)"
	expect_rc 1
	expect_in out "not run: the server stopped answering"
	if [ "$scenario" = stall ]; then
		min=0
	else
		# The shadow stream was made before the stall: named, kept.
		min=1
		expect_in err "cleaning up: could not remove "
		expect_in err "the server stopped answering"
	fi
	if ! out=$(report_check "$min" 2>&1); then
		t_fail "$out"
	else
		echo "  $out"
	fi
	stop_fake
	t_end
done

# The provisioner: the stalled request is the only wait, exit 5.
t_begin "plan against a stalled server: exit 5, says so"
start_fake stall
run timeout -s KILL "$GUARD" "$P" plan -s "$URL" --timeout 2s "$SPECS"
expect_rc 5
expect_in err "the server stopped answering"
stop_fake
t_end

t_summary
