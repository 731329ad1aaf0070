# SPDX-License-Identifier: MIT
#
# it-nkey: nats-provision authenticating with an nkey seed file against a
# server that knows the user's public key (ci/with-server --nkey).  The
# generated user and password are cleared so that only the nkey can let the
# client in.  A different seed gives exit 3; no seed appears in any output.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
: "${NATS_NKEY_SEED_FILE:?}"
export NATS_USER= NATS_PASSWORD=
seed=$(tr -d '\n' <"$NATS_NKEY_SEED_FILE")

no_secret() {
	expect_not_in out "$seed"
	expect_not_in err "$seed"
}

t_begin "status and apply with --nkey SEEDFILE succeed"
run "$P" status --nkey "$NATS_NKEY_SEED_FILE"
expect_rc 0
expect_in out "nats-server"
no_secret
run "$P" apply "$SRCDIR/specs" --nkey "$NATS_NKEY_SEED_FILE"
expect_rc 0
no_secret
t_end

t_begin "NATS_NKEY names the seed file too"
NATS_NKEY=$NATS_NKEY_SEED_FILE run "$P" status
expect_rc 0
no_secret
t_end

t_begin "a different seed: exit 3, says it cannot connect"
"${HARNESS_NKEY_GEN:?}" "$T_OUT/other.nk" >/dev/null
other=$(tr -d '\n' <"$T_OUT/other.nk")
run "$P" status --nkey "$T_OUT/other.nk" --timeout 2s
expect_rc 3
expect_in err "cannot connect"
expect_not_in err "$other"
no_secret
t_end

t_begin "no credentials at all: exit 3"
run "$P" status --timeout 2s
expect_rc 3
expect_in err "cannot connect"
t_end

t_begin "a file without a seed is refused and named"
printf 'not a seed\n' >"$T_OUT/junk.nk"
run "$P" status --nkey "$T_OUT/junk.nk" --timeout 2s
[ "$RC" != 0 ] || t_fail "exit 0 with a junk seed file"
expect_in err "$T_OUT/junk.nk"
t_end

t_summary
