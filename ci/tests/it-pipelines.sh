# SPDX-License-Identifier: MIT
#
# it-pipelines: the pipeline files in ci/pipelines/ parse, have the
# structure each platform needs, and the exact commands of each job pass
# when run here against the harness server (ci/with-server).
#
# How a job is run: test-pipelines.py extracts its commands (GitHub 'run:'
# steps, GitLab 'script:' lines, Jenkins 'sh' steps) and its literal
# environment; each command runs in order with 'bash -eo pipefail -c' in a
# fresh copy of the checkout (ci/ and specs/) whose build/ is this build
# directory, with the harness server's NATS_URL, NATS_USER, NATS_PASSWORD
# and NATS_MONITOR_URL standing in for the platform's secrets, and every
# command must exit 0.  Exceptions, and only these:
#   - 'ci/test' is not run: it would run this test suite inside itself.
#     The test job's later steps read meson's JUnit log, which ci/test
#     would have written; a real JUnit report (the nightly's drift check)
#     stands in for it.
#   - 'uses:' steps (actions/checkout, actions/upload-artifact) are
#     platform actions; their paths are checked to exist instead.
#   - the server is provisioned first (a configured server), since a
#     scheduled run only drift-checks.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
: "${NATS_CONFORMANCE:?}"
BUILD_ROOT=${BUILD_ROOT:?}
TP=(python3 "$SRCDIR/ci/tests/test-pipelines.py")

t_begin "the three pipeline files parse and have the structure each platform needs"
run "${TP[@]}" check "$SRCDIR/ci/pipelines"
expect_rc 0
expect_in out "0 problem(s)"
t_end

run "$P" apply "$SRCDIR/specs"
if [ "$RC" != 0 ]; then
	echo "setup: nats-provision apply failed ($RC): $(cat "$T_OUT/err")" >&2
	exit 1
fi

# job_field JSON EXPR: evaluate EXPR on the job (d).
job_field() { jq_py "$2" <"$1"; }

# run_job PLATFORM JOB: run the job's commands in $T_OUT/PLATFORM-JOB.
run_job() {
	local platform=$1 job=$2 work=$T_OUT/$1-$2 i n cmd rc
	local -a envs
	mkdir -p "$work"
	cp -a "$SRCDIR/ci" "$SRCDIR/specs" "$work/"
	if [ "$job" = nightly ]; then
		ln -s "$BUILD_ROOT" "$work/build"
	else
		# Stand-in for the log the skipped ci/test writes.
		mkdir -p "$work/build/meson-logs"
		cp "$NIGHTLY_XML" "$work/build/meson-logs/testlog.junit.xml"
	fi
	"${TP[@]}" commands "$SRCDIR/ci/pipelines" "$platform" "$job" \
	    >"$work/job.json"
	mapfile -d '' -t envs < <(python3 -c 'import json,sys
for k, v in json.load(open(sys.argv[1]))["env"].items():
    sys.stdout.write("%s=%s\0" % (k, v))' "$work/job.json")
	n=$(job_field "$work/job.json" 'len(d["steps"])')
	for ((i = 0; i < n; i++)); do
		cmd=$(job_field "$work/job.json" "d['steps'][$i]['cmd']")
		if [ "$cmd" = ci/test ]; then
			echo "    $platform $job: skipped 'ci/test' (would run this suite inside itself)"
			continue
		fi
		echo "    $platform $job: $cmd"
		set +e
		mkdir -p "$work/runner-temp"
		(cd "$work" && env -u NATS_PROVISION -u NATS_CONFORMANCE \
		    GITHUB_STEP_SUMMARY="$work/step-summary.md" \
		    GITHUB_ENV="$work/github-env" \
		    RUNNER_TEMP="$work/runner-temp" \
		    "${envs[@]+"${envs[@]}"}" \
		    bash -eo pipefail -c "$cmd") >"$work/step$i.out" 2>&1
		rc=$?
		set -e
		if [ "$rc" != 0 ]; then
			t_fail "$platform $job: '$cmd' exited $rc: $(tail -c 1500 "$work/step$i.out")"
		fi
	done
	cat "$work"/step*.out >"$work/all.out"
}

# check_reports PLATFORM JOB MIN: the job's JUnit globs match at least MIN
# files, each valid against both schemas; its artifact paths exist.
check_reports() {
	local work=$T_OUT/$1-$2 g f count=0
	for g in $(job_field "$work/job.json" '" ".join(d["reports"])'); do
		for f in "$work"/$g; do
			[ -f "$f" ] || continue
			count=$((count + 1))
			validate_junit "$f"
		done
	done
	[ "$count" -ge "$3" ] ||
	    t_fail "$1 $2: the JUnit globs matched $count files, want $3"
	for g in $(job_field "$work/job.json" '" ".join(d["artifacts"])'); do
		[ -e "$work/$g" ] || t_fail "$1 $2: artifact path '$g' does not exist"
	done
}

NIGHTLY_XML=""
for platform in github gitlab jenkins; do
	t_begin "$platform: the nightly job's commands pass and publish two valid JUnit reports"
	run_job "$platform" nightly
	w=$T_OUT/$platform-nightly
	check_reports "$platform" nightly 2
	grep -qF "provision check: exit 0 (in sync)" "$w/all.out" ||
	    t_fail "no 'provision check: exit 0 (in sync)' in: $(tail -c 1500 "$w/all.out")"
	grep -qF "conformance: exit 0 (passed)" "$w/all.out" ||
	    t_fail "no 'conformance: exit 0 (passed)' in: $(tail -c 1500 "$w/all.out")"
	if [ -n "${NATS_PASSWORD:-}" ] &&
	    grep -rqF -- "$NATS_PASSWORD" "$w/out" "$w/all.out" 2>/dev/null; then
		t_fail "the password reached the output or the reports"
	fi
	if [ "$platform" = github ]; then
		grep -qF "| report |" "$w/step-summary.md" 2>/dev/null ||
		    t_fail "no table in \$GITHUB_STEP_SUMMARY"
		grep -qF "provision-check.xml" "$w/step-summary.md" 2>/dev/null ||
		    t_fail "\$GITHUB_STEP_SUMMARY does not list provision-check.xml"
		grep -qF "conformance.xml" "$w/step-summary.md" 2>/dev/null ||
		    t_fail "\$GITHUB_STEP_SUMMARY does not list conformance.xml"
	fi
	t_end
	[ -n "$NIGHTLY_XML" ] || NIGHTLY_XML=$w/out/nightly/provision-check.xml
done

t_begin "github: without the NATS_CREDS_DATA secret no credentials file is written"
w=$T_OUT/github-nightly
[ ! -s "$w/github-env" ] || t_fail "GITHUB_ENV got: $(cat "$w/github-env")"
[ -z "$(ls -A "$w/runner-temp" 2>/dev/null)" ] ||
    t_fail "RUNNER_TEMP holds: $(ls "$w/runner-temp")"
t_end

t_begin "github: the credentials step writes the secret to a 0600 file and prints only its path"
w=$T_OUT/write-creds
mkdir -p "$w"
secret="-----BEGIN NATS USER JWT-----
$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n')
------END NATS USER JWT------"
cmd=$("${TP[@]}" commands "$SRCDIR/ci/pipelines" github nightly |
    jq_py '[s["cmd"] for s in d["steps"] if s["cmd"].startswith("ci/write-creds")][0]')
set +e
(cd "$SRCDIR" && NATS_CREDS_DATA="$secret" RUNNER_TEMP="$w" \
    GITHUB_ENV="$w/github-env" bash -eo pipefail -c "$cmd") \
    >"$w/out" 2>&1
rc=$?
set -e
[ "$rc" = 0 ] || t_fail "'$cmd' exited $rc: $(cat "$w/out")"
[ "$(cat "$w/github-env" 2>/dev/null)" = "NATS_CREDS=$w/nats.creds" ] ||
    t_fail "GITHUB_ENV is '$(cat "$w/github-env" 2>/dev/null)', want NATS_CREDS=$w/nats.creds"
[ "$(stat -c %a "$w/nats.creds" 2>/dev/null)" = 600 ] ||
    t_fail "the credentials file mode is $(stat -c %a "$w/nats.creds" 2>/dev/null), want 600"
[ "$(cat "$w/nats.creds" 2>/dev/null)" = "$secret" ] ||
    t_fail "the credentials file does not hold the secret"
grep -qF -- "$(printf '%s' "$secret" | sed -n 2p)" "$w/out" "$w/github-env" &&
    t_fail "the secret reached the output"
t_end

t_begin "github: the summary steps say so, and pass, when no report was written"
w=$T_OUT/no-report
mkdir -p "$w"
cp -a "$SRCDIR/ci" "$w/"
for job in test nightly; do
	"${TP[@]}" commands "$SRCDIR/ci/pipelines" github "$job" |
	    jq_py '"\n".join(s["cmd"] for s in d["steps"] if s["always"] and "junit-summary" in s["cmd"])' \
	    >"$w/cmds-$job"
	while IFS= read -r cmd; do
		[ -n "$cmd" ] || continue
		: >"$w/summary.md"
		set +e
		(cd "$w" && GITHUB_STEP_SUMMARY="$w/summary.md" \
		    bash -eo pipefail -c "$cmd") >"$w/out" 2>&1
		rc=$?
		set -e
		[ "$rc" = 0 ] || t_fail "$job: '$cmd' exited $rc with no report: $(cat "$w/out")"
		grep -qF "not written" "$w/summary.md" ||
		    t_fail "$job: the summary does not say the report was not written: $(cat "$w/summary.md")"
	done <"$w/cmds-$job"
	[ -s "$w/cmds-$job" ] || t_fail "$job: no summary step found"
done
t_end

for platform in github gitlab jenkins; do
	t_begin "$platform: the test job's commands pass (ci/test itself skipped)"
	if [ ! -f "$NIGHTLY_XML" ]; then
		t_fail "no nightly report to stand in for meson's JUnit log"
	else
		run_job "$platform" test
		check_reports "$platform" test 1
	fi
	t_end
done

t_summary
