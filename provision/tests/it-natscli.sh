# SPDX-License-Identifier: MIT
#
# it-natscli: what an operator who knows the nats CLI expects: the
# context the CLI selected (context.txt) when none is named, '~' in the
# paths a context holds, a JetStream domain or API prefix (flags and
# context), and a custom inbox prefix.  Against a real nats-server
# (ci/with-server), reconfigured here: first with a JetStream domain, then
# with a user who may only subscribe under a custom inbox prefix.
. "$SRCDIR/ci/testlib.sh"
P=${NATS_PROVISION:?}

conf=$HARNESS_DIR/server.conf
cfg=$T_OUT/config		# XDG_CONFIG_HOME of the nats CLI
home=$T_OUT/home
mkdir -p "$cfg/nats/context" "$home"
# No connection settings from the harness: each case gives its own.
url=$NATS_URL user=$NATS_USER pass=$NATS_PASSWORD
unset NATS_URL NATS_USER NATS_PASSWORD
cli() { run env XDG_CONFIG_HOME="$cfg" HOME="$home" "$P" "$@"; }

# context NAME JSON-FIELDS: write a context file as the nats CLI does.
context() {
	printf '{"description":"","url":"%s","user":"%s","password":"%s",%s}\n' \
	    "$url" "$user" "$pass" "$2" >"$cfg/nats/context/$1.json"
}

t_begin "the context selected in context.txt is used when none is named"
context sel '"token":""'
echo sel >"$cfg/nats/context.txt"
cli status
expect_rc 0
expect_in out "nats-server"
rm "$cfg/nats/context.txt"
cli status
expect_rc 3			# no context: the default URL, where no server is
echo " sel " >"$cfg/nats/context.txt"		# as an editor may leave it
cli status
expect_rc 0
t_end

t_begin "a named context, and NATS_CONTEXT, win over the selected one"
context other '"token":""'
sed -i "s|\"url\":\"[^\"]*\"|\"url\":\"nats://127.0.0.1:1\"|" "$cfg/nats/context/other.json"
cli status --context other --timeout 1s
expect_rc 3
run env XDG_CONFIG_HOME="$cfg" HOME="$home" NATS_CONTEXT=other "$P" status --timeout 1s
expect_rc 3
t_end

t_begin "context.txt naming a missing context is an error that says so"
echo gone >"$cfg/nats/context.txt"
cli status
expect_rc 2
expect_in err "nats context 'gone' (selected in the nats CLI's context.txt)"
rm -f "$cfg/nats/context.txt"
mkfifo "$cfg/nats/context.txt"
cli status
expect_rc 2
expect_in err "is not a regular file"
rm -f "$cfg/nats/context.txt"
t_end

t_begin "'~' in a context's paths is the home directory"
context tilde '"ca":"~/certs/ca.pem"'
cli status --context tilde
expect_rc 2
expect_in err "'$home/certs/ca.pem' not found"
expect_not_in err "~/certs"
t_end

# With a JetStream domain: requests under $JS.hub.API reach JetStream.
sed -i 's/^jetstream {/jetstream { domain: hub,/' "$conf"
"$HARNESS_RESTART"

t_begin "--js-domain and a context's jetstream_domain select the domain"
cli status -s "$url" --user "$user" --password "$pass" --js-domain hub
expect_rc 0
expect_in out "nats-server"
cli status -s "$url" --user "$user" --password "$pass" --js-domain nowhere --timeout 1s
expect_rc 3
expect_in err "check --js-domain or --js-api-prefix"
expect_not_in err "nowhere"
cli status -s "$url" --user "$user" --password "$pass" --js-api-prefix '$JS.hub.API'
expect_rc 0
context dom '"jetstream_domain":"nowhere"'
cli status --context dom --timeout 1s
expect_rc 3
context dom '"jetstream_domain":"hub"'
cli status --context dom
expect_rc 0
cli apply --context dom "$SRCDIR/specs"
expect_rc 0
run env XDG_CONFIG_HOME="$cfg" HOME="$home" NATS_JS_DOMAIN=nowhere "$P" status --context dom --timeout 1s
expect_rc 3			# the environment wins over the context
cli status --context dom --js-domain a.b
expect_rc 2
expect_in err "JetStream domain: must be one subject token"
cli status --context dom --js-api-prefix '$JS.hub.API'
expect_rc 2
expect_in err "exclude each other"
t_end

# A user who may subscribe only under _INBOX_it: replies to the default
# _INBOX never arrive.
sed -i "s|^authorization {.*|authorization { users: [ { user: \"$user\", password: \"$pass\", permissions: { subscribe: { allow: [\"_INBOX_it.>\"] }, publish: { allow: [\">\"] } } } ] }|" "$conf"
"$HARNESS_RESTART"

t_begin "--inbox-prefix and a context's inbox_prefix name the reply subjects"
cli status -s "$url" --user "$user" --password "$pass" --timeout 1s
[ "$RC" != 0 ] || t_fail "the default inbox worked despite the permissions: the test proves nothing"
cli status -s "$url" --user "$user" --password "$pass" --inbox-prefix _INBOX_it
expect_rc 0
expect_in out "agent-tasks"
context inbox '"inbox_prefix":"_INBOX_it"'
cli plan --context inbox "$SRCDIR/specs"
expect_rc 0
expect_in out "0 to create, 0 to update, 0 to delete"
cli status --context inbox --inbox-prefix '_INBOX.>'
expect_rc 2
expect_in err "inbox prefix: must be a subject without wildcards"
t_end

t_summary
