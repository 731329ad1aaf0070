/* SPDX-License-Identifier: MIT */
/*
 * conn: connection options shared by nats-provision and nats-conformance.
 *
 * Precedence, highest first: command-line flags, environment (NATS_URL,
 * NATS_USER, NATS_PASSWORD, NATS_TOKEN, NATS_CREDS, NATS_NKEY, NATS_CERT,
 * NATS_KEY, NATS_CA, NATS_TIMEOUT), the nats CLI context (--context or
 * NATS_CONTEXT, read from $XDG_CONFIG_HOME/nats/context/NAME.json, else
 * ~/.config/nats/context/NAME.json), then the default
 * nats://127.0.0.1:4222 and a 5 s timeout.
 *
 * Secrets held here are never formatted into any message: use
 * conn_redact_url() for anything that is printed.
 */
#ifndef CONN_H
#define CONN_H

#include <getopt.h>
#include <stdint.h>

#include "diag.h"

struct conn_opts {
	char	*url;		/* may carry user:pass@, redact before print */
	char	*user;
	char	*password;
	char	*token;
	char	*creds;		/* path of a .creds file */
	char	*nkey;		/* path of an nkey seed file */
	char	*tls_cert;
	char	*tls_key;
	char	*tls_ca;
	char	*context;	/* nats CLI context name */
	int64_t	 timeout_ms;	/* connect and request timeout */
};

/* getopt_long codes of the connection flags (above the ASCII range). */
enum {
	CONN_OPT_USER = 0x1000,
	CONN_OPT_PASSWORD,
	CONN_OPT_TOKEN,
	CONN_OPT_CREDS,
	CONN_OPT_NKEY,
	CONN_OPT_TLSCERT,
	CONN_OPT_TLSKEY,
	CONN_OPT_TLSCA,
	CONN_OPT_CONTEXT,
	CONN_OPT_TIMEOUT,
};

/*
 * The connection flags as struct option entries ('s' for -s/--server plus
 * the CONN_OPT_* codes), terminated by an all-zero entry, for a front end
 * to copy into its own table.
 */
extern const struct option conn_long_options[];

/* One usage paragraph describing the flags, for --help. */
extern const char conn_usage[];

/* Zero o.  Nothing is allocated. */
void	conn_opts_init(struct conn_opts *o);

/*
 * Handle one getopt_long result.  Returns 1 when opt was a connection flag
 * and was stored, 0 when it is not one of ours, -EINVAL for a bad value
 * (d says which), -ENOMEM.
 */
int	conn_opts_handle(struct conn_opts *o, int opt, const char *arg,
	    struct diag *d);

/*
 * Fill what flags left unset from the environment, then the context, then
 * the defaults.  Returns 0, -ENOENT (context not found), -EINVAL (bad
 * context file or NATS_TIMEOUT), -ENOMEM.
 */
int	conn_opts_finish(struct conn_opts *o, struct diag *d);

/* Free every string; o itself is caller-owned.  NULL is a no-op. */
void	conn_opts_free(struct conn_opts *o);

/*
 * Copy url with any user info replaced: "nats://alice:s3cret@h:4222"
 * becomes "nats://alice:***@h:4222", a lone token becomes "***".  Comma
 * separated lists are handled element by element.  Returns 0 or -ENOMEM.
 */
int	conn_redact_url(const char *url, char **ret);

/*
 * The public key ("U...") of the user nkey whose seed ("SU...") is in
 * seed_file (alone or inside a .creds file): nats.c needs both and cannot
 * derive one from the other; libcrypto (Ed25519) does.  Returns 0,
 * -ENOENT, -EINVAL (no valid user seed in the file), -EIO (libcrypto
 * failed), -ENOMEM.
 */
int	conn_nkey_public(const char *seed_file, struct diag *d,
	    char **ret_pub);

#endif
