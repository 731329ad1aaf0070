# SPDX-License-Identifier: MIT
#
# lib.sh: what the ci/ scripts, benchmarks and integration suites share
# (sourced, never run): building, timing, waiting, the server's API
# count and reading JUnit reports.  Defines functions only; it sets no
# shell options and changes no directory.

# lib_build DIR [SETUP-ARG...]: configure DIR when it has no build.ninja
# (with SETUP-ARGs), or apply the SETUP-ARGs to it (meson keeps old -D
# values on --reconfigure), then compile it quietly.
lib_build() {
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >/dev/null
	elif [ $# -gt 0 ]; then
		meson configure "$dir" "$@" >/dev/null
	fi
	meson compile -C "$dir" >/dev/null
}

# now: the time in ns.
now() { date +%s%N; }

# median: the median of the numbers on stdin, one a line.
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# ms NS: NS as "12.3 ms".
ms() { awk -v v="$1" 'BEGIN { printf "%.1f ms", v / 1e6 }'; }

# ratio A B: A / B to two places.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# wait_until TRIES CMD...: run CMD every 50 ms until it succeeds, at most
# TRIES times.  Returns CMD's last status.
wait_until() {
	local tries=$1 i
	shift
	for ((i = 1; ; i++)); do
		"$@" && return 0
		[ "$i" -lt "$tries" ] || return 1
		sleep 0.05
	done
}

# healthy URL: the monitoring port at URL answers /healthz with 200.
healthy() { curl -fsS -o /dev/null --max-time 1 "${1%/}/healthz" 2>/dev/null; }

# api_total: the server's count of JetStream API requests so far.
api_total() {
	curl -fsS "${NATS_MONITOR_URL:?}/jsz" |
	    python3 -c 'import json,sys; print(json.load(sys.stdin)["api"]["total"])'
}

# junit_case_ms FILE: the sum of FILE's testcase times, in ms (what the
# checks took one after another).
junit_case_ms() {
	python3 -c '
import sys, xml.etree.ElementTree as ET
print(int(round(1000 * sum(float(t.get("time")) for t in
    ET.parse(sys.argv[1]).getroot().iter("testcase")))))' "$1"
}

# junit_status FILE ID: the outcome of every testcase ID of FILE, space
# separated: pass, failure, error or skipped ("absent" when none).
junit_status() {
	python3 - "$1" "$2" <<'PY'
import sys, xml.etree.ElementTree as ET
out = []
for tc in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    if tc.get("name") != sys.argv[2]:
        continue
    kind = "pass"
    for k in ("failure", "error", "skipped"):
        if tc.find(k) is not None:
            kind = k
    out.append(kind)
print(" ".join(out) or "absent")
PY
}

# junit_message FILE ID: the failure, error or skipped message and body of
# every testcase ID of FILE.
junit_message() {
	python3 - "$1" "$2" <<'PY'
import sys, xml.etree.ElementTree as ET
for tc in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    if tc.get("name") == sys.argv[2]:
        for k in ("failure", "error", "skipped"):
            e = tc.find(k)
            if e is not None:
                print(e.get("message") or "")
                print(e.text or "")
PY
}

# junit_has FILE ID ELEMENT: testcase ID of FILE holds ELEMENT (failure,
# error, skipped) with a message.
junit_has() {
	python3 - "$1" "$2" "$3" <<'PY'
import sys, xml.etree.ElementTree as ET
for tc in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    e = tc.find(sys.argv[3]) if tc.get("name") == sys.argv[2] else None
    if e is not None and e.get("message"):
        sys.exit(0)
sys.exit(1)
PY
}
