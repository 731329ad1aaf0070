# SPDX-License-Identifier: MIT
#
# it-install: 'meson install --destdir' puts both programs, their man pages
# and the bash completion in place; every page renders with man -l and
# groff without a warning; every command and subcommand answers --help;
# --version names the suite's and nats.c's versions.  Needs no server.
. "$SRCDIR/ci/testlib.sh"
BUILD_ROOT=${BUILD_ROOT:?}
VERSION=${SUITE_VERSION:?}
D=$T_OUT/dest

t_begin "meson install --destdir succeeds"
# --no-rebuild: this test already depends on every installed target.
run meson install -C "$BUILD_ROOT" --destdir "$D" --no-rebuild
expect_rc 0
t_end

# find_one PATTERN: the single installed file whose path matches PATTERN.
find_one() { find "$D" -path "$1" \( -type f -o -type l \) | head -1; }

PROV=$(find_one '*/bin/nats-provision')
CONF=$(find_one '*/bin/nats-conformance')

t_begin "both programs are installed and executable"
[ -n "$PROV" ] && [ -x "$PROV" ] || t_fail "no executable bin/nats-provision under $D"
[ -n "$CONF" ] && [ -x "$CONF" ] || t_fail "no executable bin/nats-conformance under $D"
t_end

# page NAME SECTION WORD...: installed, renders cleanly, mentions each WORD.
page() {
	local name=$1 sec=$2 f
	shift 2
	t_begin "man page $name($sec) is installed and renders without warnings"
	f=$(find_one "*/share/man/man$sec/$name.$sec")
	if [ -z "$f" ]; then
		t_fail "no share/man/man$sec/$name.$sec under $D"
		t_end
		return
	fi
	run man -l --warnings -E UTF-8 "$f"
	expect_rc 0
	[ ! -s "$T_OUT/err" ] || t_fail "man -l warns: $(head -c 800 "$T_OUT/err")"
	cp "$T_OUT/out" "$T_OUT/rendered"
	for w in "$@"; do
		grep -qF -- "$w" "$T_OUT/rendered" ||
		    t_fail "the rendered page does not mention '$w'"
	done
	run groff -man -ww -z "$f"
	expect_rc 0
	[ ! -s "$T_OUT/err" ] || t_fail "groff -ww warns: $(head -c 800 "$T_OUT/err")"
	t_end
}

page nats-provision 1 validate plan apply check export status --prune \
    --junit NATS_URL "EXIT STATUS" nats-provision-spec
page nats-conformance 1 run list bench --junit --specs --monitor \
    --target --filter --restart-cmd "EXIT STATUS"
page nats-provision-spec 5 streams: consumers: retention max_age \
    deliver_policy conformance:

t_begin "the bash completion is installed and completes subcommands and flags"
comp=$(find_one '*/share/bash-completion/completions/nats-provision')
if [ -z "$comp" ]; then
	t_fail "no share/bash-completion/completions/nats-provision under $D"
else
	run bash -c '. "$1"
	    COMP_WORDS=(nats-provision pl); COMP_CWORD=1; _nats_provision
	    echo "1:${COMPREPLY[*]}"
	    COMP_WORDS=(nats-provision check --ju); COMP_CWORD=2; _nats_provision
	    echo "2:${COMPREPLY[*]}"
	    COMP_WORDS=(nats-provision status --js); COMP_CWORD=2; _nats_provision
	    echo "3:${COMPREPLY[*]}"' _ "$comp"
	expect_rc 0
	expect_in out "1:plan"
	expect_in out "2:--junit"
	expect_in out "3:--json"
fi
t_end

t_begin "--version prints the suite's and nats.c's versions"
for b in "$PROV" "$CONF"; do
	[ -n "$b" ] || continue
	run "$b" --version
	expect_rc 0
	expect_in out "$(basename "$b") $VERSION"
	expect_in out "nats.c "
done
t_end

t_begin "nats-provision: --help for the program and every subcommand"
if [ -n "$PROV" ]; then
	run "$PROV" --help
	expect_rc 0
	for c in validate plan apply check export status; do
		expect_in out "  $c"
	done
	for c in validate plan apply check export status; do
		run "$PROV" "$c" --help
		expect_rc 0
		expect_in out "usage: nats-provision $c"
	done
	run "$PROV" frobnicate
	expect_rc 2
fi
t_end

t_begin "nats-conformance: --help for the program and every subcommand"
if [ -n "$CONF" ]; then
	run "$CONF" --help
	expect_rc 0
	expect_in out "usage: nats-conformance"
	run "$CONF" help
	expect_rc 0
	for c in run list bench; do
		expect_in out "  $c "
	done
	for c in run list bench; do
		run "$CONF" "$c" --help
		expect_rc 0
		expect_in out "usage: nats-conformance"
		expect_in out "$c"
	done
	run "$CONF" frobnicate
	expect_rc 2
fi
t_end

t_summary
