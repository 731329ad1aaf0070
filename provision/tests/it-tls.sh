# SPDX-License-Identifier: MIT
#
# it-tls: nats-provision against a server that requires TLS with client
# certificates (ci/with-server --tls), plus the generated user and password.
# The right CA, certificate and key connect; a missing client certificate or
# a CA that did not sign the server's certificate give exit 3; a tls:// URL
# works; the password appears in no output.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
: "${NATS_TLS_CA:?}" "${NATS_TLS_CERT:?}" "${NATS_TLS_KEY:?}"
TLS=(--tlsca "$NATS_TLS_CA" --tlscert "$NATS_TLS_CERT" --tlskey "$NATS_TLS_KEY")
hostport=${NATS_URL#nats://}

no_secret() {
	expect_not_in out "$NATS_PASSWORD"
	expect_not_in err "$NATS_PASSWORD"
}

t_begin "status and apply with CA, client certificate and key succeed"
run "$P" status "${TLS[@]}"
expect_rc 0
expect_in out "nats-server"
no_secret
run "$P" apply "$SRCDIR/specs" "${TLS[@]}"
expect_rc 0
no_secret
run "$P" status "${TLS[@]}"
expect_rc 0
expect_in out "agent-tasks"
no_secret
t_end

t_begin "a tls:// URL works"
run "$P" status -s "tls://$hostport" "${TLS[@]}"
expect_rc 0
expect_in out "tls://$hostport"
no_secret
t_end

t_begin "the password in a tls:// URL works and is redacted"
NATS_USER= NATS_PASSWORD= run "$P" status \
    -s "tls://$NATS_USER:$NATS_PASSWORD@$hostport" "${TLS[@]}"
expect_rc 0
expect_in out "***"
no_secret
t_end

t_begin "without the client certificate: exit 3, says it cannot connect and why"
run "$P" status --tlsca "$NATS_TLS_CA" --timeout 2s
expect_rc 3
expect_in err "cannot connect to 'nats://$hostport'"
expect_in err "TLS client certificate"
no_secret
t_end

t_begin "without TLS at all: exit 3"
run "$P" status --timeout 2s
expect_rc 3
expect_in err "cannot connect"
no_secret
t_end

t_begin "a CA that did not sign the server certificate: exit 3, says why"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$T_OUT/other-ca.key" -out "$T_OUT/other-ca.pem" -days 1 \
    -subj "/CN=some other CA" 2>/dev/null
run "$P" status --tlsca "$T_OUT/other-ca.pem" --tlscert "$NATS_TLS_CERT" \
    --tlskey "$NATS_TLS_KEY" --timeout 2s
expect_rc 3
expect_in err "cannot connect"
expect_in err "certificate"
no_secret
t_end

t_begin "a client certificate without its key is refused before connecting"
run "$P" status --tlsca "$NATS_TLS_CA" --tlscert "$NATS_TLS_CERT" --timeout 2s
[ "$RC" != 0 ] || t_fail "exit 0 with --tlscert and no --tlskey"
expect_in err "key"
no_secret
t_end

t_summary
