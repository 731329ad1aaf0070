# SPDX-License-Identifier: MIT
#
# it-nojs: a server without JetStream (ci/with-server --no-jetstream):
# every server command exits 3 and says why.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}

t_begin "no JetStream: exit 3 with the reason"
for cmd in status "plan $SRCDIR/specs" "apply $SRCDIR/specs" "check $SRCDIR/specs" export; do
	# shellcheck disable=SC2086
	run "$P" $cmd
	expect_rc 3
	expect_in err "JetStream is not enabled"
done
t_end

t_summary
