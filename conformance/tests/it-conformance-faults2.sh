# SPDX-License-Identifier: MIT
#
# it-conformance-faults2: the limits, config, monitoring and persistence
# checks pass on a healthy server and fail on seeded faults (drift, a
# missing stream, a closed or foreign monitoring port, --fault flags, a
# restart that wipes the store); bench runs and prints its ratios.
# Runs under ci/with-server; outcomes are read from the JUnit report.
. "$SRCDIR/ci/testlib.sh"
C=${NATS_CONFORMANCE:?}
P=${NATS_PROVISION:?}
W=$T_OUT/work
mkdir -p "$W"

cat >"$W/spec.yaml" <<'EOF'
streams:
  - name: conf-msgs
    subjects: ["conf.*.inbox"]
    retention: limits
    discard: old
    max_msgs: 1000
    conformance: [limits, config]
EOF
cat >"$W/absent.yaml" <<'EOF'
streams:
  - name: conf-absent
    subjects: ["absent.*.inbox"]
    retention: limits
    conformance: [config]
EOF

expect_status() {
	local got
	got=$(junit_status "$1" "$2")
	[ "$got" = "$3" ] || t_fail "$2 is '$got', want '$3'; $(junit_message "$1" "$2")"
}

expect_message() {
	local m
	m=$(junit_message "$1" "$2")
	case "$m" in
	*"$3"*) ;;
	*) t_fail "$2's message lacks '$3'; it was: ${m:0:600}" ;;
	esac
}

conf() { run "$C" run --junit "$W/r.xml" "$@"; }

run "$P" apply "$W/spec.yaml"
[ "$RC" = 0 ] || { echo "cannot apply the spec: $(cat "$T_OUT/err")" >&2; exit 1; }

t_begin "a healthy server passes limits, config, monitoring and persistence"
conf --monitor "$NATS_MONITOR_URL" --restart-cmd "$HARNESS_RESTART" \
    --specs "$W/spec.yaml"
expect_rc 0
for id in limits.discard-old limits.discard-new limits.max-age \
    config.matches-spec monitoring.healthz monitoring.varz monitoring.jsz \
    persistence.restart; do
	expect_status "$W/r.xml" "$id" pass
done
validate_junit "$W/r.xml"
t_end

t_begin "the live target runs the limits and config checks too"
conf --target live --specs "$W/spec.yaml"
expect_rc 0
expect_status "$W/r.xml" limits.discard-old pass
expect_status "$W/r.xml" config.matches-spec pass
t_end

t_begin "without a monitor URL and --restart-cmd the server-wide checks are skipped"
run env -u NATS_MONITOR_URL "$C" run --junit "$W/r.xml" --specs "$W/spec.yaml"
expect_rc 0
expect_status "$W/r.xml" monitoring.healthz skipped
expect_status "$W/r.xml" persistence.restart skipped
t_end

t_begin "no derived stream is left behind"
left=$(js STREAM.NAMES | jq_py '" ".join(sorted(d.get("streams") or []))')
[ "$left" = "conf-msgs" ] || t_fail "streams left on the server: '$left'"
t_end

t_begin "a drifted max_msgs fails config.matches-spec naming the field"
js STREAM.INFO.conf-msgs | jq_py 'json.dumps(dict(d["config"], max_msgs=2000))' >"$W/drift.json"
js STREAM.UPDATE.conf-msgs "$(cat "$W/drift.json")" >/dev/null
conf --specs "$W/spec.yaml"
expect_rc 1
expect_status "$W/r.xml" config.matches-spec failure
expect_message "$W/r.xml" config.matches-spec "max_msgs: 2000 -> 1000"
run "$P" apply "$W/spec.yaml"
expect_rc 0
t_end

t_begin "a missing declared stream fails config and monitoring.jsz"
conf --monitor "$NATS_MONITOR_URL" --specs "$W/spec.yaml" --specs "$W/absent.yaml"
expect_rc 1
expect_status "$W/r.xml" config.matches-spec "pass failure"
expect_message "$W/r.xml" config.matches-spec \
    "stream 'conf-absent' is declared but does not exist on the server"
expect_status "$W/r.xml" monitoring.jsz failure
expect_message "$W/r.xml" monitoring.jsz "'conf-absent'"
t_end

t_begin "a closed monitoring port is an error for every monitoring check"
conf --monitor "http://u:s3cret-pw@127.0.0.1:1" --specs "$W/spec.yaml"
expect_rc 1
for id in monitoring.healthz monitoring.varz monitoring.jsz; do
	expect_status "$W/r.xml" "$id" error
done
expect_message "$W/r.xml" monitoring.healthz "127.0.0.1:1"
if grep -q "s3cret-pw" "$W/r.xml" "$T_OUT/out" "$T_OUT/err"; then
	t_fail "the monitor URL's password appears in the output"
fi
t_end

t_begin "a monitor of another server fails varz and jsz"
other=$W/other
mkdir -p "$other"
"${NATS_SERVER_BIN:-nats-server}" -a 127.0.0.1 -p -1 -m -1 -js -sd "$other/store" \
    --ports_file_dir "$other" >"$other/log" 2>&1 &
other_pid=$!
other_mport() {
	mport=$(cat "$other"/*.ports 2>/dev/null | sed -n 's/.*"monitoring":\["http:\/\/127\.0\.0\.1:\([0-9]*\)".*/\1/p' || true)
	[ -n "$mport" ]
}
wait_until 100 other_mport || true
if [ -z "$mport" ]; then
	t_fail "the second server did not start"
else
	conf --monitor "http://127.0.0.1:$mport" --specs "$W/spec.yaml"
	expect_rc 1
	expect_status "$W/r.xml" monitoring.varz failure
	expect_message "$W/r.xml" monitoring.varz "another server"
	expect_status "$W/r.xml" monitoring.jsz failure
	expect_message "$W/r.xml" monitoring.jsz "'conf-msgs'"
fi
kill "$other_pid" 2>/dev/null || true
wait "$other_pid" 2>/dev/null || true
t_end

t_begin "--fault limits-noexpire fails limits.max-age"
conf --fault limits-noexpire --specs "$W/spec.yaml"
expect_rc 1
expect_status "$W/r.xml" limits.max-age failure
expect_message "$W/r.xml" limits.max-age "still stored"
expect_status "$W/r.xml" limits.discard-old pass
t_end

t_begin "--fault limits-discard fails both discard checks"
conf --fault limits-discard --specs "$W/spec.yaml"
expect_rc 1
expect_status "$W/r.xml" limits.discard-old failure
expect_status "$W/r.xml" limits.discard-new failure
expect_message "$W/r.xml" limits.discard-new "was accepted"
t_end

t_begin "a restart that does nothing passes persistence.restart"
conf --restart-cmd true --specs "$W/spec.yaml"
expect_rc 0
expect_status "$W/r.xml" persistence.restart pass
t_end

t_begin "a restart that wipes the store fails persistence.restart"
conf --restart-cmd "$HARNESS_STOP; rm -rf $HARNESS_DIR/store/*; $HARNESS_RESTART" \
    --specs "$W/spec.yaml"
expect_rc 1
expect_status "$W/r.xml" persistence.restart failure
expect_message "$W/r.xml" persistence.restart "gone after the restart"
t_end

t_begin "a restart command that fails is an error"
run "$P" apply "$W/spec.yaml"
conf --restart-cmd "exit 7" --specs "$W/spec.yaml"
expect_rc 1
expect_status "$W/r.xml" persistence.restart error
expect_message "$W/r.xml" persistence.restart "status 7"
t_end

t_begin "bench runs, prints the ratios and writes JUnit properties"
run "$C" bench --count 200 --junit "$W/bench.xml"
expect_rc 0
expect_in out "(reference)"
[ "$(grep -c 'ratio [0-9]' "$T_OUT/out")" = 3 ] ||
    t_fail "want 3 ratio lines: $(cat "$T_OUT/out")"
grep -q 'name="bench.publish.sync.ratio"' "$W/bench.xml" ||
    t_fail "bench.xml lacks bench.publish.sync.ratio"
validate_junit "$W/bench.xml"
left=$(js STREAM.NAMES | jq_py '" ".join(sorted(d.get("streams") or []))')
[ "$left" = "conf-msgs" ] || t_fail "bench left streams: '$left'"
t_end

t_summary
