# SPDX-License-Identifier: MIT
#
# testlib.sh: helpers for the integration suites (sourced, never run).
# Each suite runs under ci/with-server, which exports NATS_URL etc.  The
# helpers the ci/ scripts share too (waits, api_total, JUnit readers) are
# in ci/lib.sh.

set -euo pipefail
. "${SRCDIR:?}/ci/lib.sh"

T_PASSED=0
T_FAILED=0
T_NAME=""
T_OUT=$(mktemp -d "${TMPDIR:-/tmp}/it.XXXXXX")
trap 'rm -rf "$T_OUT"' EXIT

NATSREQ="python3 ${SRCDIR:?}/ci/natsreq.py"

# t_begin NAME: start a test case.
t_begin() { T_NAME=$1; T_CASE_FAILED=0; }

# t_fail MESSAGE: record a failure of the current case (keeps going).
t_fail() {
	echo "  FAIL $T_NAME: $*" >&2
	T_CASE_FAILED=1
}

# t_end: close the current case.
t_end() {
	if [ "$T_CASE_FAILED" = 0 ]; then
		echo "  pass $T_NAME"
		T_PASSED=$((T_PASSED + 1))
	else
		T_FAILED=$((T_FAILED + 1))
	fi
}

# t_summary: print the totals and exit non-zero on any failure.
t_summary() {
	echo "$T_PASSED passed, $T_FAILED failed"
	[ "$T_FAILED" = 0 ]
}

# run CMD...: run, capturing stdout to $T_OUT/out, stderr to $T_OUT/err and
# the exit status to $RC.
run() {
	set +e
	"$@" >"$T_OUT/out" 2>"$T_OUT/err"
	RC=$?
	set -e
}

expect_rc() {
	if [ "$RC" != "$1" ]; then
		t_fail "exit status $RC, want $1; stderr: $(head -c 600 "$T_OUT/err")"
	fi
}

# expect_in FILE SUBSTRING
expect_in() {
	if ! grep -qF -- "$2" "$T_OUT/$1"; then
		t_fail "$1 lacks '$2'; it was: $(head -c 800 "$T_OUT/$1")"
	fi
}

expect_not_in() {
	if grep -qF -- "$2" "$T_OUT/$1"; then
		t_fail "$1 contains '$2'"
	fi
}

# js REQ_SUFFIX [JSON]: a raw JetStream API request, reply on stdout.
js() { $NATSREQ req "\$JS.API.$1" "${2:-}"; }

# jq_py EXPR: evaluate a Python expression on the JSON read from stdin (d).
jq_py() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# version_num VERSION: a server version as one number (2.10.27 -> 21027), for
# comparing generations in a test.
version_num() {
	python3 -c 'import sys; a = sys.argv[1].split("-")[0].split("."); print(int(a[0]) * 10000 + int(a[1]) * 100 + int(a[2]))' "$1"
}

# validate_junit FILE: the report validates against both shared schemas.
validate_junit() {
	local xsd
	for xsd in "$SRCDIR/../shared/junit/JUnit.xsd" \
	    "$SRCDIR/../shared/junit/junit-10.xsd"; do
		if ! xmllint --noout --schema "$xsd" "$1" >"$T_OUT/xmllint" 2>&1; then
			t_fail "$1 does not validate against $(basename "$xsd"): $(head -c 600 "$T_OUT/xmllint")"
		fi
	done
}
