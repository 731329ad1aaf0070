/* SPDX-License-Identifier: MIT */
/*
 * conn: connection options shared by nats-provision and nats-conformance.
 *
 * Precedence, highest first: command-line flags, environment (NATS_URL,
 * NATS_USER, NATS_PASSWORD, NATS_TOKEN, NATS_CREDS, NATS_NKEY, NATS_CERT,
 * NATS_KEY, NATS_CA, NATS_JS_DOMAIN, NATS_JS_API_PREFIX,
 * NATS_INBOX_PREFIX, NATS_TIMEOUT), the nats CLI context, then the
 * default nats://127.0.0.1:4222 and a 5 s timeout.
 *
 * The context is the one named by --context or NATS_CONTEXT, else the one
 * the nats CLI has selected (its context.txt), as ADR-21 lays them out:
 * $XDG_CONFIG_HOME/nats/ (else ~/.config/nats/) holds context.txt and
 * context/NAME.json.  A '~' at the start of a path the context holds
 * (creds, nkey, cert, key, ca) is the home directory, as for the CLI.
 *
 * Secrets held here are never formatted into any message: use
 * conn_redact_url() for any URL that is printed, and conn_arg_name() to
 * name an option in a usage error.  Files named by the options must be
 * regular files (conn_check_file()).
 */
#ifndef CONN_H
#define CONN_H

#include <getopt.h>
#include <stddef.h>
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
	char	*js_domain;	/* JetStream domain: $JS.<domain>.API */
	char	*js_api_prefix;	/* JetStream API prefix, e.g. $JS.hub.API */
	char	*inbox_prefix;	/* reply subjects: <prefix>.<unique> */
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
	CONN_OPT_JS_DOMAIN,
	CONN_OPT_JS_API_PREFIX,
	CONN_OPT_INBOX_PREFIX,
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
 * the defaults, and check the JetStream domain and prefixes (a domain is
 * one token, a prefix a subject without wildcards, and a domain and an API
 * prefix exclude each other).  Returns 0, -ENOENT (context not found,
 * also the one context.txt selects), -EINVAL (bad context file, domain,
 * prefix or NATS_TIMEOUT), -ENOMEM.
 */
int	conn_opts_finish(struct conn_opts *o, struct diag *d);

/*
 * The JetStream API prefix the options select, without a trailing '.':
 * "$JS.API" by default, "$JS.<domain>.API" for a domain, or the API
 * prefix given.  Returns buf, or NULL when it does not fit in len.
 */
const char *conn_api_prefix(const struct conn_opts *o, char *buf,
	    size_t len);

/* Free every string; o itself is caller-owned.  NULL is a no-op. */
void	conn_opts_free(struct conn_opts *o);

/*
 * One server URL with its user info taken out.  The user info ends at the
 * last '@' of the URL, so a raw '/', '@' or ':' in a password is taken
 * whole; percent-escapes ("%2C" for ',') in the user name and password are
 * decoded.  user is NULL without user info, password NULL without ':'
 * (then user is a token, as nats.c reads it).
 */
struct conn_url {
	char	*raw;		/* the element as written: a secret */
	char	*bare;		/* the URL without user info: printable */
	char	*user;		/* decoded; a secret when password is NULL */
	char	*password;	/* decoded; a secret */
};

/*
 * Split a comma-separated server list.  A comma is part of a user info
 * (never a separator) when an element after it, before the next one with
 * "scheme://", holds an '@'.  Returns 0, -EINVAL (no URL, or a bad
 * percent-escape: d names the URL by its position, never its text),
 * -ENOMEM.  Free *ret with conn_url_list_free().
 */
int	conn_url_list(const char *urls, struct diag *d, struct conn_url **ret,
	    size_t *ret_n);

/*
 * One URL, not a list (a monitoring URL): *ret as conn_url_list() fills
 * one element.  Returns 0, -EINVAL (bad percent-escape), -ENOMEM; free
 * with conn_url_free().
 */
int	conn_url_parse(const char *url, struct diag *d, struct conn_url *ret);

/* Free (and wipe the secrets of) a list or one URL.  NULL is a no-op. */
void	conn_url_list_free(struct conn_url *v, size_t n);
void	conn_url_free(struct conn_url *u);

/*
 * The one redaction for every URL the tools print (NATS servers and the
 * monitoring port): url, split as conn_url_list() splits it, with each
 * user info replaced: "nats://alice:s3cret@h:4222" becomes
 * "nats://alice:***@h:4222", a lone token becomes "***".  Returns 0 or
 * -ENOMEM.
 */
int	conn_redact_url(const char *url, char **ret);

/*
 * Refuse at once a path that is not a readable regular file (a FIFO would
 * block the open, a directory fails late and obscurely).  what names the
 * role in the message ("TLS CA").  Returns 0 or -EINVAL (also when the
 * file does not exist, like any bad flag value).
 */
int	conn_check_file(const char *what, const char *path, struct diag *d);

/*
 * The option named by a command-line argument, without its value, for a
 * usage error: "--password=x" gives "--password", "-sURL" gives "-s",
 * anything else "(argument)".  Returns buf.
 */
const char *conn_arg_name(const char *arg, char *buf, size_t len);

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
