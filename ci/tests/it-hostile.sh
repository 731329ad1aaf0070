#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# it-hostile: every command of both tools against every hostile reply of
# the fake JetStream server (ci/fake-js-server.py; loopback only).
#
# For each scenario a fresh fake server is started and each command must:
#   - end on its own (a hang guard far above any bound catches a loop);
#   - exit with a documented code (0-5), never crash;
#   - print no raw control character (stdout, stderr and reports);
#   - when the scenario makes a value unreadable, neither exit 0 nor say
#     "No changes", "in sync" or "0 to create, 0 to update";
#   - for the provision commands that read the server, exit with the code
#     the scenario is documented to give (5: no answer in time or a reply
#     that cannot be used; 1: the server's API error).
# Needs NATS_PROVISION, NATS_CONFORMANCE and SRCDIR.
set -euo pipefail
. "${SRCDIR:?}/ci/testlib.sh"

P=${NATS_PROVISION:?}
C=${NATS_CONFORMANCE:?}
GUARD=60
# Every request (connection and checks) is bounded by one second.
export NATS_TIMEOUT=1s
. "$SRCDIR/ci/tests/fakelib.sh"

# The scenarios whose replies the tools cannot use, with the exit code of
# the provision commands that read the server.
declare -A WANT=(
	[inf]=5 [neg-inf]=5 [huge]=5 [huge-state]=5 [negative]=5
	[negative-state]=5 [fraction]=5 [string-number]=5 [bool-number]=5
	[consumer-inf]=5 [streams-object]=5 [total-string]=5 [no-total]=5
	[config-string]=5 [state-array]=5 [item-number]=5 [not-object]=5
	[not-json]=5 [empty-body]=5 [truncated]=5 [error-shape]=5
	[error-code-inf]=5 [big]=5 [big-description]=5 [total-huge]=5
	[same-page]=5 [endless]=5 [no-reply]=5 [stall]=5 [error-escape]=1
)
# Commands that never read the unusable value of a scenario (none now:
# status reads the consumers too).
declare -A UNREAD=()
# Readable scenarios: any documented code, but never a raw control byte.
READABLE="escape puback-inf"
# Scenarios that cost timeouts: every command, but not its flag variants.
SLOW="endless no-reply stall"
VARIANTS="p-plan-json p-apply-prune p-status-json"
# Scenarios of it-stall.sh, which reads the report of a run stopped mid-way.
ELSEWHERE="stall-later refuse-first"

# The commands: name and arguments (URL is filled in per scenario).
commands() {
	cat <<EOF
p-validate	$P validate $SPECS
p-plan	$P plan -s URL --timeout 1s $SPECS
p-plan-json	$P plan --json -s URL --timeout 1s $SPECS
p-apply	$P apply -s URL --timeout 1s $SPECS
p-apply-prune	$P apply --prune -s URL --timeout 1s $SPECS
p-check	$P check --junit JUNIT -s URL --timeout 1s $SPECS
p-export	$P export -s URL --timeout 1s
p-status	$P status -s URL --timeout 1s
p-status-json	$P status --json -s URL --timeout 1s
c-list	$C list
c-run	$C run --specs $SPECS --timeout 1s --junit JUNIT --json JSON -s URL
c-bench	$C bench --count 20 -s URL --timeout 1s
EOF
}

# No C0 control but tab and newline, no DEL, no C1 control (UTF-8 or raw).
CONTROLS='[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]'
no_controls() {
	local f
	for f in "$@"; do
		[ -f "$f" ] || continue
		if LC_ALL=C grep -qaP "$CONTROLS" "$f"; then
			echo "raw control byte in $f: $(LC_ALL=C grep -naP \
			    "$CONTROLS" "$f" | od -c | head -3)"
			return 1
		fi
	done
}

scenario_commands() {
	local scenario=$1 name line argv rc want
	while IFS=$'\t' read -r -u 3 name line; do
		case " $SLOW " in
		*" $scenario "*)
			case " $VARIANTS " in
			*" $name "*) continue ;;
			esac ;;
		esac
		t_begin "$scenario: $name"
		rm -f "$T_OUT/junit.xml" "$T_OUT/report.json"
		# stall: the server stops answering for good, one per command.
		case "$scenario" in
		stall*)
			stop_fake
			start_fake "$scenario" ;;
		esac
		line=${line//URL/$URL}
		line=${line//JUNIT/$T_OUT/junit.xml}
		line=${line//JSON/$T_OUT/report.json}
		read -r -a argv <<<"$line"
		run timeout -s KILL "$GUARD" "${argv[@]}" </dev/null
		rc=$RC
		if [ "$rc" = 137 ]; then
			t_fail "did not end within ${GUARD}s"
		elif [ "$rc" -gt 5 ]; then
			t_fail "exit status $rc (crash or undocumented); stderr: $(head -c 400 "$T_OUT/err")"
		fi
		if ! out=$(no_controls "$T_OUT/out" "$T_OUT/err" \
		    "$T_OUT/junit.xml" "$T_OUT/report.json"); then
			t_fail "$out"
		fi
		want=${WANT[$scenario]:-}
		case " p-validate c-list ${UNREAD[$scenario]:-} " in
		*" $name "*) want="" ;;
		esac
		if [ -n "$want" ]; then
			if [ "$rc" = 0 ]; then
				t_fail "exit 0 on a reply it could not read"
			fi
			# At the start of a line: quoted server text may hold it.
			if grep -qE -- '^(No changes|Plan: 0 to create, 0 to update)|in sync' \
			    "$T_OUT/out" "$T_OUT/err"; then
				t_fail "says it is in sync on a reply it could not read"
			fi
			case "$name" in
			p-*)
				if [ "$rc" != "$want" ]; then
					t_fail "exit status $rc, want $want; stderr: $(head -c 400 "$T_OUT/err")"
				fi ;;
			c-run)
				# Checks that could not read the server are errors.
				if [ "$rc" != 1 ]; then
					t_fail "exit status $rc, want 1; stderr: $(head -c 400 "$T_OUT/err")"
				fi ;;
			esac
		fi
		t_end
	done 3< <(commands)
}

for scenario in $(python3 "$FAKE" --list); do
	case " $ELSEWHERE " in
	*" $scenario "*) continue ;;
	esac
	case " ${!WANT[*]} $READABLE " in
	*" $scenario "*) ;;
	*) t_begin "scenario $scenario"; t_fail "has no expectation here"; t_end
	   continue ;;
	esac
	t0=$(date +%s)
	start_fake "$scenario"
	scenario_commands "$scenario"
	stop_fake
	echo "  ($scenario: $(( $(date +%s) - t0 )) s)"
done

# The message names the field, for people.
t_begin "inf: the message names the field"
start_fake inf
run "$P" plan -s "$URL" --timeout 1s "$SPECS"
expect_rc 5
expect_in err "config.max_msgs is inf"
stop_fake
t_end

t_begin "refuse-first: an nkey user tries again after an authorization violation, a password user does not"
python3 - >"$T_OUT/user.nk" <<'PY'
import base64, os
raw = bytes([18 << 3 | (20 << 3) >> 5, ((20 << 3) & 31) << 3]) + os.urandom(32)
crc = 0
for b in raw:
    crc ^= b << 8
    for _ in range(8):
        crc = ((crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1) & 0xffff
print(base64.b32encode(raw + bytes([crc & 255, crc >> 8])).decode().rstrip("="))
PY
start_fake refuse-first
run "$P" status -s "$URL" --timeout 1s --nkey "$T_OUT/user.nk"
expect_rc 0
stop_fake
start_fake refuse-first
run "$P" status -s "$URL" --timeout 1s --user u --password p
expect_rc 3
expect_in err "Authorization Violation"
stop_fake
t_end

t_begin "escape: names are shown escaped"
start_fake escape
run "$P" status -s "$URL" --timeout 1s
expect_rc 0
expect_in out 'E\x1b]0;pwned\x07\x1b[2J'
stop_fake
t_end

t_summary
