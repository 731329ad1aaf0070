# SPDX-License-Identifier: MIT
#
# it-tls: nats-provision against a server that requires TLS with client
# certificates (ci/with-server --tls), plus the generated user and password.
# The right CA, certificate and key connect; a missing client certificate or
# a CA that did not sign the server's certificate give exit 3; a tls:// URL
# works; the password appears in no output.  The harness exports the
# files as NATS_CA, NATS_CERT and NATS_KEY, the names the tools read: the
# environment alone connects, and the flags are tested without it.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}
CA=${NATS_CA:?} CERT=${NATS_CERT:?} KEY=${NATS_KEY:?}
TLS=(--tlsca "$CA" --tlscert "$CERT" --tlskey "$KEY")
# noenv CMD...: CMD without the TLS variables of the harness.
noenv() { env -u NATS_CA -u NATS_CERT -u NATS_KEY "$@"; }
hostport=${NATS_URL#nats://}

no_secret() {
	expect_not_in out "$NATS_PASSWORD"
	expect_not_in err "$NATS_PASSWORD"
}

t_begin "status and apply with CA, client certificate and key succeed"
run noenv "$P" status "${TLS[@]}"
expect_rc 0
expect_in out "nats-server"
no_secret
run noenv "$P" apply "$SRCDIR/specs" "${TLS[@]}"
expect_rc 0
no_secret
run noenv "$P" status "${TLS[@]}"
expect_rc 0
expect_in out "agent-tasks"
no_secret
t_end

t_begin "NATS_CA, NATS_CERT and NATS_KEY alone connect"
run "$P" status
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
run noenv "$P" status --tlsca "$CA" --timeout 2s
expect_rc 3
expect_in err "cannot connect to 'nats://$hostport'"
expect_in err "TLS client certificate"
no_secret
t_end

t_begin "without TLS at all: exit 3"
run noenv "$P" status --timeout 2s
expect_rc 3
expect_in err "cannot connect"
no_secret
t_end

t_begin "a CA that did not sign the server certificate: exit 3, says why"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$T_OUT/other-ca.key" -out "$T_OUT/other-ca.pem" -days 1 \
    -subj "/CN=some other CA" 2>/dev/null
run noenv "$P" status --tlsca "$T_OUT/other-ca.pem" --tlscert "$CERT" \
    --tlskey "$KEY" --timeout 2s
expect_rc 3
expect_in err "cannot connect"
expect_in err "certificate"
no_secret
t_end

t_begin "a client certificate without its key is refused before connecting"
run noenv "$P" status --tlsca "$CA" --tlscert "$CERT" --timeout 2s
[ "$RC" != 0 ] || t_fail "exit 0 with --tlscert and no --tlskey"
expect_in err "key"
no_secret
t_end

t_summary
