# SPDX-License-Identifier: MIT
#
# fakelib.sh: start and stop the scripted fake JetStream server
# (ci/fake-js-server.py) for the hostile-reply suites (sourced after
# ci/testlib.sh, never run).  The server is stopped when the suite exits.

FAKE="$SRCDIR/ci/fake-js-server.py"
SPECS="$SRCDIR/ci/tests/hostile-specs"
# The suites give their own connection; nothing of the harness's is used.
unset NATS_URL NATS_USER NATS_PASSWORD NATS_CONTEXT 2>/dev/null || true

fake_pid=""
stop_fake() {
	if [ -n "$fake_pid" ]; then
		kill "$fake_pid" 2>/dev/null || true
		wait "$fake_pid" 2>/dev/null || true
		fake_pid=""
	fi
}
trap 'stop_fake; rm -rf "$T_OUT"' EXIT

# start_fake SCENARIO: start the fake server on a free loopback port; sets
# URL.
start_fake() {
	rm -f "$T_OUT/port"
	python3 "$FAKE" --port-file "$T_OUT/port" "$1" &
	fake_pid=$!
	wait_until 100 test -s "$T_OUT/port" || true
	URL="nats://127.0.0.1:$(cat "$T_OUT/port")"
}
