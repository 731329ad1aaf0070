# SPDX-License-Identifier: MIT
#
# it-secrets: no secret reaches any output, report or log, whatever the
# user types.  Both tools run against a harness server whose password is
# this test's own secret, made of random parts joined by ',' '/' '@' and
# ':', so a redaction that stops at one of them leaves a part behind.
#
#  A. Every option of every subcommand of both tools, with a secret value:
#     --opt=SECRET, --opt SECRET (also where the option does not apply),
#     mistyped (--optx=SECRET) and abbreviated ambiguously (--p=SECRET).  Options whose value names
#     a file, context, stream, check or fault are quoted in messages by
#     design; where they apply they get a plain absent path instead.
#  B. Correct use: the password in flags, environment, a nats context, a
#     server URL (percent-encoded, raw, in a list) and a monitoring URL
#     (also one that fails, so its URL lands in the reports), against
#     every command; wrong secrets in a token, a creds file, an nkey seed,
#     TLS files and a bad percent-escape.
#  C. A FIFO (or a directory) as a credential or context file is refused
#     at once with exit 2.
#  D. bench deletes its temporary stream on SIGINT and SIGTERM.
#
# Run directly: it starts its own harness server with that password.
if [ -z "${HARNESS_DIR:-}" ]; then
	hex() { head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
	HARNESS_PASSWORD="$(hex),$(hex)/$(hex)@$(hex):$(hex)"
	export HARNESS_PASSWORD
	exec "$SRCDIR/ci/with-server" -- bash "$0" "$@"
fi
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
C=${NATS_CONFORMANCE:?}
: "${HARNESS_NKEY_GEN:?}"
pass=${NATS_PASSWORD:?}
user=${NATS_USER:?}
[ "$pass" = "${HARNESS_PASSWORD:?}" ] || { echo "harness ignored HARNESS_PASSWORD" >&2; exit 1; }
unset HARNESS_PASSWORD
hex() { head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
secret="S$(hex)x$(hex)"
srv=$NATS_URL
port=${NATS_URL##*:}
mport=${NATS_MONITOR_URL##*:}
pct() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
enc=$(pct "$pass")
url_enc="nats://$user:$enc@127.0.0.1:$port"
url_raw="nats://$user:$pass@127.0.0.1:$port"
export NATS_TIMEOUT=3s
LOG=$T_OUT/all.log
: >"$LOG"

# The pieces a leak would show: the password's parts and the secret.
pieces=$(printf '%s\n' "$pass" | tr ',/@:' '\n\n\n\n'; echo "$secret")

# leaks FILE...: print each piece found in the files; status 0 if any.
leaks() {
	local p f found=1
	for p in $pieces; do
		for f in "$@"; do
			[ -e "$f" ] || continue
			if grep -qF -- "$p" "$f"; then
				# The line, and the step that printed it.
				echo "piece ${p:0:3}... in $f: $(awk -v p="$p" '
				    /^### / { step = $0 }
				    index($0, p) { print step " | " $0; exit }' "$f" |
				    sed "s/$p/<SECRET>/g")"
				found=0
			fi
		done
	done
	return $found
}

# t_begin, with a fresh log: a leak is reported by the case that made it.
t_begin() { T_NAME=$1; T_CASE_FAILED=0; : >"$LOG"; }

# step LABEL CMD...: run CMD (cwd $T_OUT/empty), append the label, output
# and any report to the log.  The label never holds the secret.
mkdir -p "$T_OUT/empty"
step() {
	local label=$1
	shift
	set +e
	(cd "$T_OUT/empty" && "$@") >"$T_OUT/out" 2>"$T_OUT/err" </dev/null
	RC=$?
	set -e
	{ echo "### $label (exit $RC)"; cat "$T_OUT/out" "$T_OUT/err"; } >>"$LOG"
}

no_leak() {
	local why
	if why=$(leaks "$@"); then
		t_fail "secret leaked: $why"
	fi
}

t_begin "the harness password holds , / @ : and the server takes it"
case "$pass" in *,*/*@*:*) ;; *) t_fail "password lacks a reserved character" ;; esac
run "$P" status
expect_rc 0
t_end

# --- A: every option, secret value, right and wrong ------------------------

prov_cmds="validate plan apply check export status"
conf_cmds="run list bench"
opts=""
for c in $prov_cmds; do opts="$opts $("$P" "$c" --help | grep -o -- '--[a-z][a-z-]*' || true)"; done
for c in $conf_cmds; do opts="$opts $("$C" "$c" --help | grep -o -- '--[a-z][a-z-]*')"; done
# Options no help text lists.
opts="$opts --help --version --fault --list"
opts=$(printf '%s\n' $opts | sort -u)
named=" --creds --nkey --tlscert --tlskey --tlsca --context --specs --junit --json --filter --stream --fault "
# Options that take a value ("--user USER" in some help text).
valued=" $(for c in $prov_cmds; do "$P" "$c" --help; done; for c in $conf_cmds; do "$C" "$c" --help; done) "
valued=" $(printf '%s' "$valued" | grep -o -- '--[a-z][a-z-]* [A-Z]' | cut -d' ' -f1 | sort -u | tr '\n' ' ') --fault "

t_begin "every option ($(echo $opts | wc -w) of them) with a secret value: never quoted"
[ "$(echo $opts | wc -w)" -ge 25 ] || t_fail "only $(echo $opts | wc -w) options found in the help texts"
n=0
# Runs that connect only have to fail or succeed quickly here.
export NATS_TIMEOUT=1s
for tool in P C; do
	if [ $tool = P ]; then cmds=$prov_cmds; bin=$P; else cmds=$conf_cmds; bin=$C; fi
	for c in $cmds; do
		help=$("$bin" "$c" --help 2>&1 || true)
		# bench measures 1 message when an option lets it run.
		pre=()
		[ "$c" != bench ] || pre=(--count 1)
		for o in $opts; do
			val=$secret
			# A server URL must stay on loopback (no DNS for a secret).
			case $o in --server|--monitor) val="nats://u:$secret@127.0.0.1:1" ;; esac
			if case "$named" in *" $o "*) true ;; *) false ;; esac &&
			    grep -qe "$o\b" <<<"$help"; then
				val="$T_OUT/absent"
			fi
			step "$tool $c $o=V" "$bin" "$c" "${pre[@]}" "$o=$val"
			# A flag without a value before a secret makes the secret
			# a spec PATH, which is quoted if it does not exist.
			case "$valued $c" in
			*" $o "*) step "$tool $c $o V" "$bin" "$c" "${pre[@]}" "$o" "$val" ;;
			*" validate"|*" plan"|*" apply"|*" check") ;;
			*) step "$tool $c $o V" "$bin" "$c" "${pre[@]}" "$o" "$val" ;;
			esac
			step "$tool $c ${o}x=V" "$bin" "$c" "${pre[@]}" "${o}x=$val"
			n=$((n + 3))
		done
		# Ambiguous abbreviations (--password/--prune, --token/--tls*).
		step "$tool $c --p=V" "$bin" "$c" "${pre[@]}" "--p=$secret"
		step "$tool $c --t=V" "$bin" "$c" "${pre[@]}" "--t=$secret"
		# A value that lost its option (a PATH where one is taken,
		# and quoted as such if absent), and a mistyped command.
		case $c in
		validate|plan|apply|check) ;;
		*) step "$tool $c V" "$bin" "$c" "$secret" ;;
		esac
		step "$tool $c -sV" "$bin" "$c" "-snats://u:$secret@127.0.0.1:1"
	done
	step "$tool V" "$bin" "$secret"
	step "$tool --password=V status" "$bin" "--password=$secret" status
done
export NATS_TIMEOUT=3s
no_leak "$LOG"
# Every run ends with a documented code: no crash, no sanitizer report.
bad=$(grep -o '^### .* (exit [0-9]*)$' "$LOG" | grep -v ' (exit [0-5])$' | head -3 || true)
[ -z "$bad" ] || t_fail "undocumented exit codes: $bad"
! grep -qE 'Sanitizer|runtime error:' "$LOG" || t_fail "a sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error:' "$LOG")"
# The log must hold the usage errors themselves, or nothing was tested.
grep -q "does not apply here" "$LOG" || t_fail "no 'does not apply here' in the log"
grep -q "^nats-provision [a-z]*: bad option '--passwordx'" "$LOG" || t_fail "no mistyped --passwordx reported"
grep -q "^nats-conformance [a-z]*: bad option '--passwordx'" "$LOG" || t_fail "nats-conformance did not report --passwordx"
grep -q "bad option '--p': unknown, ambiguous" "$LOG" || t_fail "no ambiguous --p reported"
grep -q "^nats-conformance bench: bad option '--t': unknown, ambiguous" "$LOG" || t_fail "bench did not report an ambiguous --t"
echo "  ($n runs)"
t_end

# --- B: correct use ---------------------------------------------------------

noenv() { env -u NATS_URL -u NATS_USER -u NATS_PASSWORD "$@"; }

t_begin "password in a percent-encoded URL, a raw URL, a list, flags, env and a context"
for u in "$url_enc" "$url_raw" "$url_enc,$url_enc" "nats://127.0.0.1:1,$url_enc"; do
	step "status -s URL" noenv "$P" status -s "$u"
	[ "$RC" = 0 ] || t_fail "status -s URL: exit $RC: $(head -c 300 "$T_OUT/err")"
	expect_in out "***@127.0.0.1:$port"
done
step "status --user --password" noenv "$P" status -s "$srv" --user "$user" --password "$pass"
[ "$RC" = 0 ] || t_fail "--password: exit $RC"
step "NATS_URL" noenv NATS_URL="$url_enc" "$P" status --json
[ "$RC" = 0 ] || t_fail "NATS_URL: exit $RC"
mkdir -p "$T_OUT/xdg/nats/context"
printf '{"url": "%s"}\n' "$url_enc" >"$T_OUT/xdg/nats/context/sec.json"
python3 -c 'import json,sys; print(json.dumps({"url": sys.argv[1], "user": sys.argv[2], "password": sys.argv[3]}))' \
    "$NATS_URL" "$user" "$pass" >"$T_OUT/xdg/nats/context/sec2.json"
for ctx in sec sec2; do
	step "status --context" noenv XDG_CONFIG_HOME="$T_OUT/xdg" "$P" status --context $ctx
	[ "$RC" = 0 ] || t_fail "--context $ctx: exit $RC: $(head -c 300 "$T_OUT/err")"
done
no_leak "$LOG"
t_end

t_begin "every nats-provision command with the secret in the URL"
R=$T_OUT/reports
mkdir -p "$R"
for c in validate plan apply check export status; do
	case $c in
	validate) args=("$SRCDIR/specs") ;;
	plan|apply) args=("$SRCDIR/specs" -s "$url_raw") ;;
	check) args=("$SRCDIR/specs" -s "$url_enc" --junit "$R/check.xml") ;;
	*) args=(-s "$url_enc") ;;
	esac
	step "provision $c" noenv "$P" "$c" "${args[@]}"
	[ "$RC" = 0 ] || t_fail "$c: exit $RC: $(head -c 300 "$T_OUT/err")"
done
[ -s "$R/check.xml" ] || t_fail "check wrote no JUnit report"
grep -q "127.0.0.1:$port" "$R/check.xml" "$LOG" || t_fail "the server URL is printed nowhere"
no_leak "$LOG" "$R/check.xml"
t_end

t_begin "nats-conformance run and bench with secrets in the NATS and monitoring URLs"
mon_raw="http://$user:$pass@127.0.0.1:$mport"
mon_enc="http://$user:$enc@127.0.0.1:$mport"
step "run, monitoring URL raw" noenv "$C" run --specs "$SRCDIR/specs" \
    --filter 'monitoring.*' -s "$url_enc" --monitor "$mon_raw" \
    --junit "$R/run1.xml" --json "$R/run1.json"
[ "$RC" = 0 ] || t_fail "run (raw monitoring URL): exit $RC: $(head -c 300 "$T_OUT/err")"
step "run, monitoring URL encoded, via env" noenv NATS_URL="$url_raw" \
    NATS_MONITOR_URL="$mon_enc" "$C" run --specs "$SRCDIR/specs" \
    --filter 'monitoring.*' --junit "$R/run2.xml" --json "$R/run2.json"
[ "$RC" = 0 ] || t_fail "run (encoded monitoring URL): exit $RC"
# A dead monitoring port: the checks error and quote the (redacted) URL.
step "run, dead monitoring port" noenv "$C" run --specs "$SRCDIR/specs" \
    --filter 'monitoring.*' -s "$url_enc" \
    --monitor "http://$user:$pass@127.0.0.1:1" \
    --junit "$R/run3.xml" --json "$R/run3.json"
[ "$RC" = 1 ] || t_fail "run (dead monitoring port): exit $RC, want 1"
grep -q "127.0.0.1:1" "$R/run3.xml" || t_fail "the monitoring URL is not in the JUnit report"
grep -q "$user:\*\*\*@127.0.0.1:1" "$R/run3.json" || t_fail "no redacted monitoring URL in the JSON report"
grep -q "127.0.0.1:$port" "$R/run1.json" || t_fail "no server URL in the JSON report"
for f in "$R"/run*.xml; do validate_junit "$f"; done
step "bench" noenv "$C" bench --count 20 -s "$url_enc" --junit "$R/bench.xml"
[ "$RC" = 0 ] || t_fail "bench: exit $RC: $(head -c 300 "$T_OUT/err")"
no_leak "$LOG" "$R"/*
t_end

t_begin "wrong secrets: token, URL password, creds, nkey, TLS files, bad escape"
"$HARNESS_NKEY_GEN" "$T_OUT/user.nk" >/dev/null
seed=$(tr -d '\n' <"$T_OUT/user.nk")
pieces="$pieces $seed"
printf -- '-----BEGIN NATS USER JWT-----\neyJ0eXAi.%s.sig\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n%s\n------END USER NKEY SEED------\n' \
    "$secret" "$seed" >"$T_OUT/user.creds"
printf -- '-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n' "$secret" >"$T_OUT/c.pem"
printf -- '-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n' "$secret" >"$T_OUT/k.pem"
for tool in "$P status" "$C run --specs $SRCDIR/specs" "$C bench --count 5"; do
	# shellcheck disable=SC2086
	set -- $tool
	step "$1 --token" noenv "$@" --token "$secret"
	[ "$RC" = 3 ] || t_fail "$tool --token: exit $RC, want 3"
	step "$1 wrong URL password" noenv "$@" -s "nats://$user:$secret,x/y@z:w@127.0.0.1:$port"
	[ "$RC" = 3 ] || t_fail "$tool wrong URL password: exit $RC, want 3"
	step "$1 --creds" noenv "$@" --creds "$T_OUT/user.creds"
	[ "$RC" = 3 ] || t_fail "$tool --creds: exit $RC, want 3"
	step "$1 --nkey" noenv "$@" --nkey "$T_OUT/user.nk"
	[ "$RC" = 3 ] || t_fail "$tool --nkey: exit $RC, want 3"
	step "$1 --tlscert --tlskey" "$@" --tlscert "$T_OUT/c.pem" --tlskey "$T_OUT/k.pem"
	[ "$RC" = 2 ] || t_fail "$tool TLS files: exit $RC, want 2"
	step "$1 --tlsca" "$@" --tlsca "$T_OUT/c.pem"
	[ "$RC" = 2 ] || t_fail "$tool --tlsca: exit $RC, want 2"
	step "$1 bad escape" noenv "$@" -s "nats://$user:$secret%zz@127.0.0.1:$port"
	[ "$RC" = 2 ] || t_fail "$tool bad escape: exit $RC, want 2"
	expect_in err "percent-encoding"
done
no_leak "$LOG"
t_end

t_begin "the server log holds no secret"
# nats-server 2.11 and newer name the user they refuse (authentication
# error - User "NAME"; measured on 2.15.1), and A passes the secret as the
# value of --user too: that one line is the server quoting a user name, not
# a leak.  Any other form of it (a password parsed into the user name, a
# piece of the password) is still one.
grep -vF "authentication error - User \"$secret\"" "$HARNESS_DIR/server.log" \
    >"$T_OUT/server.log" || true
no_leak "$T_OUT/server.log"
t_end

# --- C: FIFOs and directories -----------------------------------------------

t_begin "a FIFO or a directory as a credential or context file is refused at once"
mkfifo "$T_OUT/fifo" "$T_OUT/xdg/nats/context/fifo.json"
for tool in "$P status" "$C run --specs $SRCDIR/specs" "$C bench --count 5"; do
	for f in "$T_OUT/fifo" "$T_OUT/xdg"; do
		for o in --creds --nkey --tlsca "--tlscert $T_OUT/c.pem --tlskey" "--tlskey $T_OUT/k.pem --tlscert"; do
			# shellcheck disable=SC2086
			run env XDG_CONFIG_HOME="$T_OUT/xdg" timeout 20 $tool $o "$f"
			expect_rc 2
			expect_in err "is not a regular file"
		done
	done
	# shellcheck disable=SC2086
	run env XDG_CONFIG_HOME="$T_OUT/xdg" timeout 20 $tool --context fifo
	expect_rc 2
	expect_in err "is not a regular file"
done
t_end

# --- D: bench and signals ---------------------------------------------------

streams() { js STREAM.NAMES | jq_py '" ".join(d.get("streams") or [])'; }
bench_stream() { case " $(streams) " in *" bench-"*) return 0 ;; esac; return 1; }

for sig in INT TERM; do
	t_begin "bench deletes its stream on SIG$sig (exit $((128 + $(kill -l $sig))))"
	"$C" bench --count 200000 >"$T_OUT/bench.out" 2>"$T_OUT/bench.err" &
	pid=$!
	wait_until 200 bench_stream ||
	    t_fail "the benchmark stream never appeared"
	kill -s $sig $pid
	set +e
	wait $pid
	RC=$?
	set -e
	expect_rc $((128 + $(kill -l $sig)))
	grep -q "stream was deleted" "$T_OUT/bench.err" || t_fail "no cleanup message: $(head -c 300 "$T_OUT/bench.err")"
	case " $(streams) " in *" bench-"*) t_fail "a bench stream is left: $(streams)" ;; esac
	t_end
done

t_summary
