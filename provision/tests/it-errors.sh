# SPDX-License-Identifier: MIT
#
# it-errors: bad specs, bad flags, an unreachable server and a wrong
# password, against a real nats-server (ci/with-server).  Each must give its
# documented exit code, a message that says what/where/why, no request to
# the server, and no secret in any output.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
BAD=$SRCDIR/provision/tests/bad-specs

connections() {
	curl -fsS "$NATS_MONITOR_URL/varz" | jq_py 'd["total_connections"]'
}

t_begin "every bad spec is rejected with exit 2, file:line:col, and no request"
n=0
api_before=$(api_total)
conn_before=$(connections)
for f in "$BAD"/*.yaml; do
	n=$((n + 1))
	expect=$(sed -n '1s/^# expect: *//p' "$f")
	pos=${expect%% *}
	msg=${expect#* }
	for cmd in validate plan apply; do
		run "$P" "$cmd" "$f"
		if [ "$RC" != 2 ]; then
			t_fail "$cmd $(basename "$f"): exit $RC, want 2"
			continue
		fi
		where="$f:$pos:"
		grep -qF -- "$where" "$T_OUT/err" ||
		    t_fail "$cmd $(basename "$f"): no '$where' in: $(head -c 400 "$T_OUT/err")"
		grep -qiF -- "$msg" "$T_OUT/err" ||
		    t_fail "$cmd $(basename "$f"): no '$msg' in: $(head -c 400 "$T_OUT/err")"
	done
done
[ "$n" -ge 25 ] || t_fail "only $n bad spec files"
[ "$(api_total)" = "$api_before" ] || t_fail "a JetStream API request reached the server"
[ "$(connections)" = "$conn_before" ] || t_fail "a client connected to the server"
t_end

t_begin "a file with five independent errors reports all five in one run"
five=$SRCDIR/provision/tests/multi-error/five-errors.yaml
api_before=$(api_total)
for cmd in validate plan apply; do
	run "$P" "$cmd" "$five"
	expect_rc 2
	for want in "$five:7:15: max_msgs: expected an integer" \
	    "$five:8:16: retention: expected one of" \
	    "$five:10:5: stream 'b': subjects: 'x.y' overlaps subject 'x.>' of stream 'a'" \
	    "$five:11:5: stream 'b': max_age: must be at least 100ms" \
	    "$five:14:9: stream 'b': consumers[0] 'c': flow_control: only for a push consumer"; do
		expect_in err "$want"
	done
	expect_in err "5 problems found; nothing was sent to the server"
done
[ "$(api_total)" = "$api_before" ] || t_fail "a JetStream API request reached the server"
t_end

t_begin "usage errors exit 2 with the reason and usage on stderr"
run "$P"
expect_rc 2
expect_in err "usage:"
run "$P" frobnicate
expect_rc 2
expect_in err "unknown command 'frobnicate'"
run "$P" plan
expect_rc 2
expect_in err "no spec PATH given"
run "$P" plan --bogus "$SRCDIR/specs"
expect_rc 2
expect_in err "usage:"
run "$P" status --prune
expect_rc 2
run "$P" validate "$SRCDIR/no/such/dir"
expect_rc 2
expect_in err "no/such/dir"
run "$P" --help
expect_rc 0
expect_in out "Commands:"
for c in validate plan apply check export status; do
	run "$P" "$c" --help
	expect_rc 0
	expect_in out "usage: nats-provision $c"
done
run "$P" --version
expect_rc 0
expect_in out "nats.c"
t_end

# How long it takes is measured by ci/bench-timeouts, not asserted here.
t_begin "an unreachable server gives exit 3"
run "$P" status -s nats://127.0.0.1:1 --timeout 2s
expect_rc 3
expect_in err "cannot connect to 'nats://127.0.0.1:1'"
t_end

t_begin "a wrong password gives exit 3, and no password appears anywhere"
secret="wrong-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
for cmd in status "plan $SRCDIR/specs" "apply $SRCDIR/specs" "check $SRCDIR/specs" export; do
	# shellcheck disable=SC2086
	run "$P" $cmd --user "$NATS_USER" --password "$secret" --timeout 2s
	expect_rc 3
	expect_in err "cannot connect"
	expect_not_in err "$secret"
	expect_not_in out "$secret"
	expect_not_in err "$NATS_PASSWORD"
done
hostport=${NATS_URL#nats://}
run "$P" status -s "nats://$NATS_USER:$secret@$hostport" --timeout 2s
expect_rc 3
expect_not_in err "$secret"
expect_in err "***"
NATS_PASSWORD=$secret run "$P" status --timeout 2s
expect_rc 3
expect_not_in err "$secret"
t_end

t_begin "the right password in the URL works and is redacted in output"
NATS_USER= NATS_PASSWORD= run "$P" status -s "nats://$NATS_USER:$NATS_PASSWORD@$hostport"
expect_rc 0
expect_not_in out "$NATS_PASSWORD"
expect_in out "***"
t_end

t_begin "a JUnit path that cannot be written is an error, not a crash"
run "$P" check "$SRCDIR/specs" --junit /proc/no/such/dir/x.xml
[ "$RC" = 1 ] || t_fail "exit $RC, want 1"
t_end

t_summary
