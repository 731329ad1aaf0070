/* SPDX-License-Identifier: MIT */
/*
 * conn: connection options shared by the front ends.
 *
 * Each option is filled from the first source that has it: the flag, the
 * environment, the nats CLI context (named by --context or NATS_CONTEXT,
 * else selected in the CLI's context.txt), then the default.  Empty
 * environment and context values count as unset because the nats CLI
 * writes every key, most of them as "".
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "conn.h"

#define CONN_DEFAULT_URL	"nats://127.0.0.1:4222"
#define CONN_DEFAULT_TIMEOUT_MS	5000
#define CONN_MAX_TIMEOUT_MS	(24LL * 3600 * 1000)
#define CONN_CONTEXT_MAX	(64 * 1024)

const struct option conn_long_options[] = {
	{ "server",	required_argument,	NULL,	's' },
	{ "user",	required_argument,	NULL,	CONN_OPT_USER },
	{ "password",	required_argument,	NULL,	CONN_OPT_PASSWORD },
	{ "token",	required_argument,	NULL,	CONN_OPT_TOKEN },
	{ "creds",	required_argument,	NULL,	CONN_OPT_CREDS },
	{ "nkey",	required_argument,	NULL,	CONN_OPT_NKEY },
	{ "tlscert",	required_argument,	NULL,	CONN_OPT_TLSCERT },
	{ "tlskey",	required_argument,	NULL,	CONN_OPT_TLSKEY },
	{ "tlsca",	required_argument,	NULL,	CONN_OPT_TLSCA },
	{ "js-domain",	required_argument,	NULL,	CONN_OPT_JS_DOMAIN },
	{ "js-api-prefix", required_argument,	NULL,	CONN_OPT_JS_API_PREFIX },
	{ "inbox-prefix", required_argument,	NULL,	CONN_OPT_INBOX_PREFIX },
	{ "context",	required_argument,	NULL,	CONN_OPT_CONTEXT },
	{ "timeout",	required_argument,	NULL,	CONN_OPT_TIMEOUT },
	{ NULL,		0,			NULL,	0 }
};

const char conn_usage[] =
"Connection options (flags override the environment variable in brackets,\n"
"which overrides the nats CLI context, which overrides the default; FILEs\n"
"must be regular files):\n"
"  -s, --server URL     server URL, or a comma-separated list [NATS_URL]\n"
"                       (default " CONN_DEFAULT_URL "); credentials\n"
"                       as nats://USER:PASS@HOST, percent-encoded\n"
"                       (%2C for ',', %2F '/', %40 '@', %3A ':')\n"
"      --user USER      user name [NATS_USER]\n"
"      --password PASS  password [NATS_PASSWORD]\n"
"      --token TOKEN    authentication token [NATS_TOKEN]\n"
"      --creds FILE     user credentials (.creds) file [NATS_CREDS]\n"
"      --nkey FILE      user nkey seed file [NATS_NKEY]\n"
"      --tlscert FILE   TLS client certificate [NATS_CERT]\n"
"      --tlskey FILE    TLS client key [NATS_KEY]\n"
"      --tlsca FILE     TLS certificate authority [NATS_CA]\n"
"      --js-domain NAME JetStream domain: requests go to $JS.NAME.API\n"
"                       [NATS_JS_DOMAIN]\n"
"      --js-api-prefix P  JetStream API prefix, instead of $JS.API\n"
"                       [NATS_JS_API_PREFIX]\n"
"      --inbox-prefix P reply subjects start with P instead of _INBOX\n"
"                       [NATS_INBOX_PREFIX]\n"
"      --context NAME   nats CLI context to read, from\n"
"                       $XDG_CONFIG_HOME/nats/context/NAME.json or\n"
"                       ~/.config/nats/context/NAME.json [NATS_CONTEXT];\n"
"                       without one, the context the nats CLI selected\n"
"                       (context.txt there), if any\n"
"      --timeout DUR    connect and request timeout, such as 5s, 500ms or\n"
"                       a plain number of seconds [NATS_TIMEOUT]\n"
"                       (default 5s)\n";

/*
 * One string option: its flag, where it lives, env var and context key;
 * path: a file name, whose leading '~' a context may use for home.
 */
struct conn_field {
	int		 opt;
	size_t		 off;
	const char	*env;
	const char	*key;
	bool		 path;
};

#define CONN_FIELD(o, m, e, k, p) \
	{ o, offsetof(struct conn_opts, m), e, k, p }
static const struct conn_field conn_fields[] = {
	CONN_FIELD('s', url, "NATS_URL", "url", false),
	CONN_FIELD(CONN_OPT_USER, user, "NATS_USER", "user", false),
	CONN_FIELD(CONN_OPT_PASSWORD, password, "NATS_PASSWORD", "password",
	    false),
	CONN_FIELD(CONN_OPT_TOKEN, token, "NATS_TOKEN", "token", false),
	CONN_FIELD(CONN_OPT_CREDS, creds, "NATS_CREDS", "creds", true),
	CONN_FIELD(CONN_OPT_NKEY, nkey, "NATS_NKEY", "nkey", true),
	CONN_FIELD(CONN_OPT_TLSCERT, tls_cert, "NATS_CERT", "cert", true),
	CONN_FIELD(CONN_OPT_TLSKEY, tls_key, "NATS_KEY", "key", true),
	CONN_FIELD(CONN_OPT_TLSCA, tls_ca, "NATS_CA", "ca", true),
	CONN_FIELD(CONN_OPT_JS_DOMAIN, js_domain, "NATS_JS_DOMAIN",
	    "jetstream_domain", false),
	CONN_FIELD(CONN_OPT_JS_API_PREFIX, js_api_prefix,
	    "NATS_JS_API_PREFIX", "jetstream_api_prefix", false),
	CONN_FIELD(CONN_OPT_INBOX_PREFIX, inbox_prefix, "NATS_INBOX_PREFIX",
	    "inbox_prefix", false),
};
#undef CONN_FIELD

#define CONN_NFIELDS	(sizeof(conn_fields) / sizeof(conn_fields[0]))

static char **
conn_slot(struct conn_opts *o, const struct conn_field *f)
{
	return (char **)(void *)((char *)o + f->off);
}

void
conn_opts_init(struct conn_opts *o)
{
	memset(o, 0, sizeof(*o));
}

static int
conn_set(char **slot, const char *value)
{
	char	*s;

	if ((s = strdup(value)) == NULL)
		return -ENOMEM;
	free(*slot);
	*slot = s;
	return 0;
}

/*
 * "5s", "500ms", "1m", "1h", or a plain number of seconds, as the nats CLI
 * accepts them; whole numbers only, which is all a timeout needs.
 */
static int
conn_parse_timeout(const char *s, int64_t *ret_ms)
{
	static const struct {
		const char	*unit;
		int64_t		 ms;
	} units[] = {
		{ "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 },
		{ "h", 3600000 },
	};
	const char	*p = s;
	int64_t		 n = 0;
	size_t		 i;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p)) {
		if (n > CONN_MAX_TIMEOUT_MS)
			return -EINVAL;
		n = n * 10 + (*p++ - '0');
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit) != 0)
			continue;
		if (n == 0 || n > CONN_MAX_TIMEOUT_MS / units[i].ms)
			return -EINVAL;
		*ret_ms = n * units[i].ms;
		return 0;
	}
	return -EINVAL;
}

/* The value of the flag is not quoted (usage errors never echo one). */
static int
conn_timeout(const char *s, const char *env, struct diag *d,
    int64_t *ret_ms)
{
	if (conn_parse_timeout(s, ret_ms) == 0)
		return 0;
	if (env == NULL)
		return diag_set(d, -EINVAL, "--timeout: invalid timeout "
		    "(expected a duration such as '5s' or '500ms', at most "
		    "24h)");
	return diag_set(d, -EINVAL, "%s: invalid timeout '%s' (expected a "
	    "duration such as '5s' or '500ms', at most 24h)", env, s);
}

static const char *
conn_flag_name(int opt)
{
	const struct option	*lo;

	for (lo = conn_long_options; lo->name != NULL; lo++)
		if (lo->val == opt)
			return lo->name;
	return "?";
}

int
conn_opts_handle(struct conn_opts *o, int opt, const char *arg,
    struct diag *d)
{
	char	**slot = NULL;
	size_t	  i;
	int	  r;

	for (i = 0; i < CONN_NFIELDS; i++)
		if (conn_fields[i].opt == opt)
			slot = conn_slot(o, &conn_fields[i]);
	if (opt == CONN_OPT_CONTEXT)
		slot = &o->context;
	if (slot == NULL && opt != CONN_OPT_TIMEOUT)
		return 0;
	if (arg == NULL || *arg == '\0')
		return diag_set(d, -EINVAL, "--%s: empty value",
		    conn_flag_name(opt));
	if (opt == CONN_OPT_TIMEOUT) {
		if ((r = conn_timeout(arg, NULL, d, &o->timeout_ms)) < 0)
			return r;
		return 1;
	}
	if (conn_set(slot, arg) < 0)
		return diag_set(d, -ENOMEM, "out of memory");
	return 1;
}

static const char *
conn_env(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

int
conn_check_file(const char *what, const char *path, struct diag *d)
{
	struct stat	st;

	/* -EINVAL even when absent: a bad flag value, as for any other. */
	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return diag_set(d, -EINVAL, "%s '%s' not found", what,
			    path);
		return diag_set(d, -EINVAL, "cannot read %s '%s': %s", what,
		    path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return diag_set(d, -EINVAL, "%s '%s' is not a regular file",
		    what, path);
	if (access(path, R_OK) < 0)
		return diag_set(d, -EINVAL, "cannot read %s '%s': %s", what,
		    path, strerror(errno));
	return 0;
}

/*
 * Read at most CONN_CONTEXT_MAX bytes of the regular file path,
 * NUL-terminated.  O_NONBLOCK keeps a FIFO from blocking the open; it is
 * refused right after.
 */
static int
conn_read_file(const char *what, const char *path, struct diag *d,
    char **ret)
{
	struct stat	 st;
	FILE		*f = NULL;
	char		*buf = NULL;
	size_t		 n;
	int		 fd, r = 0;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return diag_set(d, -ENOENT, "%s '%s' not found", what,
			    path);
		return diag_set(d, -EINVAL, "cannot read %s '%s': %s", what,
		    path, strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return diag_set(d, -EINVAL, "%s '%s' is not a regular file",
		    what, path);
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return diag_set(d, -ENOMEM, "out of memory");
	}
	if ((buf = malloc(CONN_CONTEXT_MAX + 1)) == NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	n = fread(buf, 1, CONN_CONTEXT_MAX + 1, f);
	if (ferror(f)) {
		r = diag_set(d, -EINVAL, "cannot read %s '%s'", what, path);
		goto out;
	}
	if (n > CONN_CONTEXT_MAX) {
		r = diag_set(d, -EINVAL, "%s '%s' is larger than %d KiB", what,
		    path, CONN_CONTEXT_MAX / 1024);
		goto out;
	}
	buf[n] = '\0';
	*ret = buf;
	buf = NULL;
out:
	free(buf);
	fclose(f);
	return r;
}

/* The nats CLI's configuration directory (ADR-21), into *ret. */
static int
conn_config_dir(struct diag *d, char **ret)
{
	const char	*base, *sub;
	char		*path;
	int		 n;

	if ((base = conn_env("XDG_CONFIG_HOME")) != NULL)
		sub = "nats";
	else if ((base = conn_env("HOME")) != NULL)
		sub = ".config/nats";
	else
		return diag_set(d, -ENOENT, "neither XDG_CONFIG_HOME nor HOME "
		    "is set");
	n = snprintf(NULL, 0, "%s/%s", base, sub);
	if (n < 0 || (path = malloc((size_t)n + 1)) == NULL)
		return diag_set(d, -ENOMEM, "out of memory");
	snprintf(path, (size_t)n + 1, "%s/%s", base, sub);
	*ret = path;
	return 0;
}

static int
conn_context_path(const char *name, struct diag *d, char **ret)
{
	char	*dir = NULL, *path;
	int	 n, r;

	if (*name == '\0' || strchr(name, '/') != NULL ||
	    strstr(name, "..") != NULL)
		return diag_set(d, -EINVAL, "invalid nats context name '%s'",
		    name);
	if ((r = conn_config_dir(d, &dir)) < 0) {
		diag_prefix(d, "cannot find nats context '%s'", name);
		return r;
	}
	n = snprintf(NULL, 0, "%s/context/%s.json", dir, name);
	if (n < 0 || (path = malloc((size_t)n + 1)) == NULL) {
		free(dir);
		return diag_set(d, -ENOMEM, "out of memory");
	}
	snprintf(path, (size_t)n + 1, "%s/context/%s.json", dir, name);
	free(dir);
	*ret = path;
	return 0;
}

/*
 * The context the nats CLI has selected: the name in context.txt, into
 * o->context; none when there is no such file or it is empty.
 */
static int
conn_selected_context(struct conn_opts *o, struct diag *d)
{
	char	*dir = NULL, *path = NULL, *text = NULL, *b, *e;
	int	 n, r;

	if (conn_config_dir(d, &dir) < 0) {
		diag_clear(d);
		return 0;		/* no home: nothing selected */
	}
	n = snprintf(NULL, 0, "%s/context.txt", dir);
	if (n < 0 || (path = malloc((size_t)n + 1)) == NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	snprintf(path, (size_t)n + 1, "%s/context.txt", dir);
	if ((r = conn_read_file("selected nats context file", path, d,
	    &text)) < 0) {
		if (r == -ENOENT) {
			diag_clear(d);
			r = 0;
		}
		goto out;
	}
	for (b = text; isspace((unsigned char)*b); b++)
		continue;
	for (e = b + strlen(b); e > b && isspace((unsigned char)e[-1]); e--)
		continue;
	*e = '\0';
	if (*b != '\0' && conn_set(&o->context, b) < 0)
		r = diag_set(d, -ENOMEM, "out of memory");
out:
	free(text);
	free(path);
	free(dir);
	return r;
}

/* A context's "~/x" (or "~") with $HOME for '~', into *slot. */
static int
conn_set_path(char **slot, const char *value, const char *name,
    struct diag *d)
{
	const char	*home;
	char		*s;
	int		 n;

	if (value[0] != '~' || (value[1] != '\0' && value[1] != '/'))
		return conn_set(slot, value) < 0 ?
		    diag_set(d, -ENOMEM, "out of memory") : 0;
	if ((home = conn_env("HOME")) == NULL)
		return diag_set(d, -EINVAL, "nats context '%s': '%s' starts "
		    "with '~', but HOME is not set", name, value);
	n = snprintf(NULL, 0, "%s%s", home, value + 1);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return diag_set(d, -ENOMEM, "out of memory");
	snprintf(s, (size_t)n + 1, "%s%s", home, value + 1);
	free(*slot);
	*slot = s;
	return 0;
}

/* Fill the options still unset from the context file of that name. */
static int
conn_load_context(struct conn_opts *o, const char *name, bool selected,
    struct diag *d)
{
	char		*path = NULL, *text = NULL;
	cJSON		*root = NULL, *v;
	char		**slot;
	size_t		 i;
	int		 r;

	if ((r = conn_context_path(name, d, &path)) < 0)
		return r;
	if ((r = conn_read_file("file", path, d, &text)) < 0) {
		if (selected)
			diag_prefix(d, "nats context '%s' (selected in the "
			    "nats CLI's context.txt)", name);
		else
			diag_prefix(d, "nats context '%s'", name);
		goto out;
	}
	root = cJSON_Parse(text);
	if (!cJSON_IsObject(root)) {
		r = diag_set(d, -EINVAL, "nats context '%s': '%s' is not a "
		    "JSON object", name, path);
		goto out;
	}
	for (i = 0; i < CONN_NFIELDS; i++) {
		slot = conn_slot(o, &conn_fields[i]);
		v = cJSON_GetObjectItemCaseSensitive(root, conn_fields[i].key);
		if (v == NULL || cJSON_IsNull(v))
			continue;
		if (!cJSON_IsString(v)) {
			r = diag_set(d, -EINVAL, "nats context '%s': '%s' must "
			    "be a string in '%s'", name, conn_fields[i].key,
			    path);
			goto out;
		}
		if (*slot != NULL || *v->valuestring == '\0')
			continue;
		if (conn_fields[i].path)
			r = conn_set_path(slot, v->valuestring, name, d);
		else if (conn_set(slot, v->valuestring) < 0)
			r = diag_set(d, -ENOMEM, "out of memory");
		if (r < 0)
			goto out;
	}
out:
	cJSON_Delete(root);
	free(text);
	free(path);
	return r;
}

/*
 * A JetStream domain is one subject token; a prefix is a subject without
 * wildcards.  The name of the setting is quoted, never a value from the
 * environment or a context beyond what the check needs.
 */
static int
conn_check_js(struct conn_opts *o, struct diag *d)
{
	const char	*p;
	size_t		 n;

	if (o->js_domain != NULL) {
		for (p = o->js_domain; *p != '\0'; p++)
			if (*p == '.' || *p == '*' || *p == '>' ||
			    isspace((unsigned char)*p) ||
			    iscntrl((unsigned char)*p))
				return diag_set(d, -EINVAL, "JetStream domain: "
				    "must be one subject token (no '.', '*', "
				    "'>', spaces or control characters)");
	}
	if (o->js_api_prefix != NULL) {
		n = strlen(o->js_api_prefix);
		while (n > 0 && o->js_api_prefix[n - 1] == '.')
			o->js_api_prefix[--n] = '\0';
		if (n == 0 || o->js_api_prefix[0] == '.' ||
		    strstr(o->js_api_prefix, "..") != NULL ||
		    strpbrk(o->js_api_prefix, "*> \t\r\n") != NULL)
			return diag_set(d, -EINVAL, "JetStream API prefix: "
			    "must be a subject without wildcards, such as "
			    "'$JS.hub.API'");
	}
	if (o->js_domain != NULL && o->js_api_prefix != NULL)
		return diag_set(d, -EINVAL, "a JetStream domain and a "
		    "JetStream API prefix exclude each other: give one");
	if (o->inbox_prefix != NULL &&
	    (o->inbox_prefix[0] == '\0' ||
	    strpbrk(o->inbox_prefix, "*> \t\r\n") != NULL ||
	    o->inbox_prefix[strlen(o->inbox_prefix) - 1] == '.'))
		return diag_set(d, -EINVAL, "inbox prefix: must be a subject "
		    "without wildcards or a trailing '.', such as '_INBOX_ci'");
	return 0;
}

const char *
conn_api_prefix(const struct conn_opts *o, char *buf, size_t len)
{
	int	n;

	if (o->js_api_prefix != NULL)
		n = snprintf(buf, len, "%s", o->js_api_prefix);
	else if (o->js_domain != NULL)
		n = snprintf(buf, len, "$JS.%s.API", o->js_domain);
	else
		n = snprintf(buf, len, "%s", "$JS.API");
	return n < 0 || (size_t)n >= len ? NULL : buf;
}

int
conn_opts_finish(struct conn_opts *o, struct diag *d)
{
	const char	*v, *context;
	char		**slot;
	size_t		 i;
	bool		 selected = false;
	int		 r;

	for (i = 0; i < CONN_NFIELDS; i++) {
		slot = conn_slot(o, &conn_fields[i]);
		if (*slot != NULL || (v = conn_env(conn_fields[i].env)) == NULL)
			continue;
		if (conn_set(slot, v) < 0)
			return diag_set(d, -ENOMEM, "out of memory");
	}
	if (o->timeout_ms == 0 && (v = conn_env("NATS_TIMEOUT")) != NULL) {
		if ((r = conn_timeout(v, "NATS_TIMEOUT", d,
		    &o->timeout_ms)) < 0)
			return r;
	}
	context = o->context;
	if (context == NULL && (v = conn_env("NATS_CONTEXT")) != NULL) {
		if (conn_set(&o->context, v) < 0)
			return diag_set(d, -ENOMEM, "out of memory");
		context = o->context;
	}
	if (context == NULL) {
		if ((r = conn_selected_context(o, d)) < 0)
			return r;
		selected = o->context != NULL;
		context = o->context;
	}
	if (context != NULL &&
	    (r = conn_load_context(o, context, selected, d)) < 0)
		return r;
	if ((r = conn_check_js(o, d)) < 0)
		return r;
	if (o->url == NULL && conn_set(&o->url, CONN_DEFAULT_URL) < 0)
		return diag_set(d, -ENOMEM, "out of memory");
	if (o->timeout_ms == 0)
		o->timeout_ms = CONN_DEFAULT_TIMEOUT_MS;
	return 0;
}

void
conn_opts_free(struct conn_opts *o)
{
	char	**slot;
	size_t	  i;

	if (o == NULL)
		return;
	for (i = 0; i < CONN_NFIELDS; i++) {
		slot = conn_slot(o, &conn_fields[i]);
		free(*slot);
		*slot = NULL;
	}
	free(o->context);
	o->context = NULL;
}

const char *
conn_arg_name(const char *arg, char *buf, size_t len)
{
	size_t	n;

	if (arg == NULL || arg[0] != '-' || arg[1] == '\0')
		n = 0;
	else if (arg[1] != '-')
		n = 2;			/* "-sVALUE": "-s" */
	else
		n = strcspn(arg, "=");	/* "--name=VALUE": "--name" */
	if (n == 0)
		snprintf(buf, len, "%s", "(argument)");
	else
		snprintf(buf, len, "%.*s", (int)n, arg);
	return buf;
}

/* memmem() for [p, p + n), which C11 lacks. */
static const char *
conn_memmem(const char *p, size_t n, const char *needle)
{
	size_t	k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(p + i, needle, k) == 0)
			return p + i;
	return NULL;
}

static int
conn_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * URLs.  The user info of a URL ends at the LAST '@' of the URL (not at
 * the first '/' after the scheme, as RFC 3986 would have it), so that a
 * password holding a raw '/', '@' or ':' is still taken whole and hidden:
 * hiding too much is harmless, printing a secret is not.  nats.c finds
 * the user info the same way.
 *
 * A server list is split at commas, but a comma followed (before the next
 * "scheme://") by an element that holds an '@' is part of that user info:
 * "nats://u:a,b@h" is one server with the password "a,b", never two.
 */

/* The end of the list element that starts at b. */
static const char *
conn_url_end(const char *b)
{
	const char	*e, *p, *q, *last;

	if ((e = strchr(b, ',')) == NULL)
		return b + strlen(b);
	/* Elements after e, up to the next one with a scheme. */
	last = e;
	for (p = e + 1;; p = q + 1) {
		if ((q = strchr(p, ',')) == NULL)
			q = p + strlen(p);
		if (conn_memmem(p, (size_t)(q - p), "://") != NULL)
			break;
		if (memchr(p, '@', (size_t)(q - p)) != NULL)
			last = q;
		if (*q == '\0')
			break;
	}
	return last;
}

/* The '@' ending the user info of [b, e), or NULL. */
static const char *
conn_url_at(const char *b, const char *e, const char **ret_host)
{
	const char	*host = b, *at = NULL, *p;

	if ((p = conn_memmem(b, (size_t)(e - b), "://")) != NULL)
		host = p + 3;
	for (p = host; p < e; p++)
		if (*p == '@')
			at = p;
	*ret_host = host;
	return at;
}

/* Percent-decode [b, e) into a new string; -EINVAL on a bad escape. */
static int
conn_url_decode(const char *b, const char *e, char **ret)
{
	char	*out, *o;
	int	 hi, lo;

	if ((out = malloc((size_t)(e - b) + 1)) == NULL)
		return -ENOMEM;
	for (o = out; b < e; b++) {
		if (*b != '%') {
			*o++ = *b;
			continue;
		}
		if (e - b < 3 || (hi = conn_hex(b[1])) < 0 ||
		    (lo = conn_hex(b[2])) < 0 || (hi == 0 && lo == 0)) {
			explicit_bzero(out, (size_t)(o - out));
			free(out);
			return -EINVAL;
		}
		*o++ = (char)(hi << 4 | lo);
		b += 2;
	}
	*o = '\0';
	*ret = out;
	return 0;
}

static int
conn_url_one(const char *b, const char *e, struct conn_url *u)
{
	const char	*host, *at, *colon;
	size_t		 pre;
	int		 r;

	memset(u, 0, sizeof(*u));
	if ((u->raw = strndup(b, (size_t)(e - b))) == NULL)
		return -ENOMEM;
	at = conn_url_at(b, e, &host);
	pre = (size_t)(host - b);
	if (at == NULL) {
		u->bare = strndup(b, (size_t)(e - b));
		return u->bare == NULL ? -ENOMEM : 0;
	}
	if ((u->bare = malloc(pre + (size_t)(e - at))) == NULL)
		return -ENOMEM;
	memcpy(u->bare, b, pre);
	memcpy(u->bare + pre, at + 1, (size_t)(e - at - 1));
	u->bare[pre + (size_t)(e - at - 1)] = '\0';
	if ((colon = memchr(host, ':', (size_t)(at - host))) == NULL)
		colon = at;
	if ((r = conn_url_decode(host, colon, &u->user)) < 0)
		return r;
	if (colon < at && (r = conn_url_decode(colon + 1, at,
	    &u->password)) < 0)
		return r;
	return 0;
}

int
conn_url_parse(const char *url, struct diag *d, struct conn_url *ret)
{
	int	r;

	if ((r = conn_url_one(url, url + strlen(url), ret)) == 0)
		return 0;
	conn_url_free(ret);
	if (r == -EINVAL)
		return diag_set(d, r, "invalid percent-encoding in the user "
		    "name or password of the URL (write '%%' as %%25)");
	return diag_set(d, r, "out of memory");
}

void
conn_url_free(struct conn_url *u)
{
	if (u == NULL)
		return;
	free(u->bare);
	if (u->raw != NULL)
		explicit_bzero(u->raw, strlen(u->raw));
	free(u->raw);
	if (u->user != NULL)
		explicit_bzero(u->user, strlen(u->user));
	if (u->password != NULL)
		explicit_bzero(u->password, strlen(u->password));
	free(u->user);
	free(u->password);
	memset(u, 0, sizeof(*u));
}

void
conn_url_list_free(struct conn_url *v, size_t n)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		conn_url_free(&v[i]);
	free(v);
}

int
conn_url_list(const char *urls, struct diag *d, struct conn_url **ret,
    size_t *ret_n)
{
	struct conn_url	*v = NULL;
	const char	*b, *e;
	size_t		 n = 0, cap = 1, i;
	int		 r;

	for (b = urls; *b != '\0'; b++)
		if (*b == ',')
			cap++;
	if ((v = calloc(cap, sizeof(*v))) == NULL)
		return diag_set(d, -ENOMEM, "out of memory");
	for (b = urls;; b = e + 1) {
		e = conn_url_end(b);
		while (b < e && isspace((unsigned char)*b))
			b++;
		i = (size_t)(e - b);
		while (i > 0 && isspace((unsigned char)b[i - 1]))
			i--;
		if (i > 0) {
			r = conn_url_one(b, b + i, &v[n]);
			n++;
			if (r == -EINVAL) {
				r = diag_set(d, r, "server URL %zu of the list: "
				    "invalid percent-encoding in the user name "
				    "or password (write '%%' as %%25)", n);
				goto out;
			}
			if (r < 0) {
				r = diag_set(d, r, "out of memory");
				goto out;
			}
		}
		if (*e == '\0')
			break;
	}
	if (n == 0) {
		r = diag_set(d, -EINVAL, "no server URL given");
		goto out;
	}
	*ret = v;
	*ret_n = n;
	v = NULL;
	r = 0;
out:
	conn_url_list_free(v, n);
	return r;
}

int
conn_redact_url(const char *url, char **ret)
{
	const char	*b, *e, *host, *at, *colon;
	char		*out;
	size_t		 len = 0;

	/* Redaction never grows an element by more than "***". */
	if ((out = malloc(strlen(url) * 4 + 4)) == NULL)
		return -ENOMEM;
	for (b = url;; b = e + 1) {
		e = conn_url_end(b);
		if ((at = conn_url_at(b, e, &host)) == NULL) {
			memcpy(out + len, b, (size_t)(e - b));
			len += (size_t)(e - b);
		} else {
			memcpy(out + len, b, (size_t)(host - b));
			len += (size_t)(host - b);
			colon = memchr(host, ':', (size_t)(at - host));
			if (colon != NULL) {
				memcpy(out + len, host,
				    (size_t)(colon - host) + 1);
				len += (size_t)(colon - host) + 1;
			}
			memcpy(out + len, "***", 3);
			len += 3;
			memcpy(out + len, at, (size_t)(e - at));
			len += (size_t)(e - at);
		}
		if (*e == '\0')
			break;
		out[len++] = ',';
	}
	out[len] = '\0';
	*ret = out;
	return 0;
}

/*
 * nkey public key.  nats.c wants the public key next to the seed file
 * (natsOptions_SetNKeyFromSeed) but has no call to derive it, and the
 * seed file usually holds only the seed.  An nkey seed is a raw Ed25519
 * private key, so libcrypto (which nats.c links anyway) derives the
 * public key.
 */
static int
conn_ed25519_public(const uint8_t seed[32], uint8_t pub[32])
{
	EVP_PKEY	*k;
	size_t		 n = 32;
	int		 ok;

	if ((k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
	    32)) == NULL)
		return -EIO;
	ok = EVP_PKEY_get_raw_public_key(k, pub, &n) == 1 && n == 32;
	EVP_PKEY_free(k);
	return ok ? 0 : -EIO;
}

/* CRC-16/XMODEM, the nkeys checksum. */
static uint16_t
conn_crc16(const uint8_t *p, size_t n)
{
	uint16_t	crc = 0;
	int		i;

	while (n-- > 0) {
		crc ^= (uint16_t)(*p++ << 8);
		for (i = 0; i < 8; i++)
			crc = (uint16_t)(crc & 0x8000 ? crc << 1 ^ 0x1021 :
			    crc << 1);
	}
	return crc;
}

static const char conn_b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* Encoded user seed: 'S' 'U' + 56 more base32 characters. */
#define CONN_SEED_LEN	58
#define CONN_PUB_LEN	56

/* Decode a seed into its 36 bytes: 2 prefix, 32 seed, 2 CRC. */
static int
conn_seed_decode(const char *s, uint8_t raw[36])
{
	const char	*c;
	uint32_t	 acc = 0;
	size_t		 n = 0;
	int		 bits = 0, i;

	for (i = 0; i < CONN_SEED_LEN; i++) {
		if (s[i] == '\0' || (c = strchr(conn_b32, s[i])) == NULL)
			return -EINVAL;
		acc = (acc << 5 | (uint32_t)(c - conn_b32)) & 0xfff;
		if ((bits += 5) >= 8) {
			bits -= 8;
			if (n < 36)
				raw[n++] = (uint8_t)(acc >> bits);
		}
	}
	return n == 36 ? 0 : -EINVAL;
}

int
conn_nkey_public(const char *seed_file, struct diag *d, char **ret_pub)
{
	uint8_t	 raw[36], pub[35];
	char	*text = NULL, *s, *out = NULL;
	size_t	 i;
	int	 bits, n, r = 0;
	uint32_t acc;

	if ((r = conn_read_file("nkey seed file", seed_file, d, &text)) < 0)
		return r;
	/* The seed alone, or inside a .creds file: find "SU" + base32. */
	for (s = text; (s = strstr(s, "SU")) != NULL; s++)
		if (strspn(s, conn_b32) >= CONN_SEED_LEN)
			break;
	if (s == NULL || conn_seed_decode(s, raw) < 0) {
		r = diag_set(d, -EINVAL, "no user nkey seed ('SU...') in "
		    "'%s'", seed_file);
		goto out;
	}
	/* Prefix bytes: seed (18 << 3), then the key type user (20 << 3). */
	if ((raw[0] & 0xf8) != 18 << 3 || ((raw[0] & 7) << 5 |
	    (raw[1] & 0xf8) >> 3) != 20 << 3 || conn_crc16(raw, 34) !=
	    (raw[34] | raw[35] << 8)) {
		r = diag_set(d, -EINVAL, "invalid user nkey seed in '%s' "
		    "(bad prefix or checksum)", seed_file);
		goto out;
	}
	pub[0] = 20 << 3;
	if ((r = conn_ed25519_public(raw + 2, pub + 1)) < 0) {
		r = diag_set(d, r, "cannot derive the public key of the nkey "
		    "seed in '%s' (libcrypto)", seed_file);
		goto out;
	}
	pub[33] = (uint8_t)(conn_crc16(pub, 33) & 0xff);
	pub[34] = (uint8_t)(conn_crc16(pub, 33) >> 8);
	if ((out = malloc(CONN_PUB_LEN + 1)) == NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0, n = 0, bits = 0, acc = 0; i < sizeof(pub); i++) {
		acc = (acc << 8 | pub[i]) & 0xfff;
		for (bits += 8; bits >= 5; bits -= 5)
			out[n++] = conn_b32[(acc >> (bits - 5)) & 31];
	}
	out[n] = '\0';
	*ret_pub = out;
out:
	explicit_bzero(raw, sizeof(raw));
	if (text != NULL)
		explicit_bzero(text, strlen(text));
	free(text);
	return r;
}
