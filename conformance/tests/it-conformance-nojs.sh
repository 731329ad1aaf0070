# SPDX-License-Identifier: MIT
#
# it-conformance-nojs: against a server without JetStream (ci/with-server
# --no-jetstream) the run still connects, reports every check as an error
# saying why, writes valid JUnit, and exits 1 (exit 3 is kept for "cannot
# connect or authenticate").
. "$SRCDIR/ci/testlib.sh"
. "$SRCDIR/conformance/tests/it-lib.sh"
W=$T_OUT/work
mkdir -p "$W"

t_begin "no JetStream: every check errors with the reason, exit 1"
run "$C" --specs "$SPECS" --junit "$W/nojs.xml"
expect_rc 1
expect_in out "JetStream is not enabled on the server"
n=$(grep -cE '^(pass|FAIL|skip) ' "$T_OUT/out" || true)
[ "$n" = 0 ] || t_fail "$n checks did not error: $(grep -E '^(pass|FAIL|skip) ' "$T_OUT/out")"
validate_junit "$W/nojs.xml"
junit_case "$W/nojs.xml" workqueue.exactly-once error
junit_case "$W/nojs.xml" pubsub.core error
t_end

t_summary
