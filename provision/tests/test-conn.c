/* SPDX-License-Identifier: MIT */
/*
 * test-conn: connection flags, environment and nats CLI context
 * precedence, timeout parsing, URL redaction and the nkey public key
 * (RFC 8032 vectors, random seeds checked by signing).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "conn.h"

static const char *env_names[] = {
	"NATS_URL", "NATS_USER", "NATS_PASSWORD", "NATS_TOKEN", "NATS_CREDS",
	"NATS_NKEY", "NATS_CERT", "NATS_KEY", "NATS_CA", "NATS_TIMEOUT",
	"NATS_CONTEXT", "NATS_JS_DOMAIN", "NATS_JS_API_PREFIX",
	"NATS_INBOX_PREFIX",
};

/* A private XDG_CONFIG_HOME with nats/context/ below it. */
static char	tmpdir[PATH_MAX];
static char	ctxdir[PATH_MAX];

static int
setup(void **state)
{
	char	path[PATH_MAX];
	size_t	i;

	for (i = 0; i < sizeof(env_names) / sizeof(env_names[0]); i++)
		unsetenv(env_names[i]);
	snprintf(tmpdir, sizeof(tmpdir), "%s/test-conn.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/nats", tmpdir);
	snprintf(ctxdir, sizeof(ctxdir), "%s/nats/context", tmpdir);
	if (mkdir(path, 0700) < 0 || mkdir(ctxdir, 0700) < 0)
		return -1;
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	return 0;
}

static int
teardown(void **state)
{
	char	cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
write_context(const char *name, const char *text)
{
	char	 path[PATH_MAX];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s.json", ctxdir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
test_redact(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "nats://alice:s3cret@h:4222", "nats://alice:***@h:4222" },
		{ "nats://tok3n@host", "nats://***@host" },
		{ "nats://host:4222", "nats://host:4222" },
		{ "tls://u:p@h:4443", "tls://u:***@h:4443" },
		{ "ws://u:p@h:8080/path", "ws://u:***@h:8080/path" },
		{ "wss://h:443", "wss://h:443" },
		{ "nats://a:b@h1:4222,nats://h2:4222,nats://t@h3",
		    "nats://a:***@h1:4222,nats://h2:4222,nats://***@h3" },
		{ "u:pw@host:4222", "u:***@host:4222" },
		{ "nats://u:p/w@d@host:4222", "nats://u:***@host:4222" },
		{ "nats://u:@h", "nats://u:***@h" },
		{ "nats://@h", "nats://***@h" },
		{ "", "" },
		{ ",", "," },
		{ "127.0.0.1:4222", "127.0.0.1:4222" },
		/* A raw ',' in a password is not a list separator. */
		{ "nats://u:a,b@h:4222", "nats://u:***@h:4222" },
		{ "nats://u:a,b,c@h,nats://h2", "nats://u:***@h,nats://h2" },
		{ "nats://h1,nats://u:p,w@h2", "nats://h1,nats://u:***@h2" },
		{ "nats://u:p@h1,h2:4222", "nats://u:***@h1,h2:4222" },
		{ "nats://u:%2C%2F%40%3A@h", "nats://u:***@h" },
		/* Monitoring URLs: one redaction for both. */
		{ "http://u:s3/cret@127.0.0.1:8222/varz",
		    "http://u:***@127.0.0.1:8222/varz" },
		{ "https://tok@h", "https://***@h" },
		{ "http://h:1/x", "http://h:1/x" },
	};
	char	*out;
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(conn_redact_url(cases[i].in, &out), 0);
		assert_string_equal(out, cases[i].out);
		free(out);
	}
}

static void
test_handle_flags(void **state)
{
	static const struct {
		int		 opt;
		const char	*arg;
		size_t		 off;
	} cases[] = {
		{ 's', "nats://x:1", offsetof(struct conn_opts, url) },
		{ CONN_OPT_USER, "u", offsetof(struct conn_opts, user) },
		{ CONN_OPT_PASSWORD, "p", offsetof(struct conn_opts, password) },
		{ CONN_OPT_TOKEN, "t", offsetof(struct conn_opts, token) },
		{ CONN_OPT_CREDS, "c", offsetof(struct conn_opts, creds) },
		{ CONN_OPT_NKEY, "n", offsetof(struct conn_opts, nkey) },
		{ CONN_OPT_TLSCERT, "tc", offsetof(struct conn_opts, tls_cert) },
		{ CONN_OPT_TLSKEY, "tk", offsetof(struct conn_opts, tls_key) },
		{ CONN_OPT_TLSCA, "ca", offsetof(struct conn_opts, tls_ca) },
		{ CONN_OPT_CONTEXT, "ctx", offsetof(struct conn_opts, context) },
	};
	struct conn_opts	 o;
	struct diag		 d;
	char			*v;
	size_t			 i;

	conn_opts_init(&o);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(conn_opts_handle(&o, cases[i].opt,
		    cases[i].arg, &d), 1);
		memcpy(&v, (char *)&o + cases[i].off, sizeof(v));
		assert_string_equal(v, cases[i].arg);
	}
	/* A repeated flag replaces the earlier value without leaking. */
	assert_int_equal(conn_opts_handle(&o, 's', "nats://y:2", &d), 1);
	assert_string_equal(o.url, "nats://y:2");
	assert_int_equal(conn_opts_handle(&o, 'v', NULL, &d), 0);
	assert_int_equal(conn_opts_handle(&o, CONN_OPT_USER, "", &d), -EINVAL);
	assert_non_null(strstr(d.msg, "--user"));
	assert_int_equal(conn_opts_handle(&o, CONN_OPT_TIMEOUT, "750ms", &d),
	    1);
	assert_int_equal(o.timeout_ms, 750);
	conn_opts_free(&o);
	assert_null(o.url);
	conn_opts_free(NULL);
}

static void
test_long_options(void **state)
{
	static const char *names[] = {
		"server", "user", "password", "token", "creds", "nkey",
		"tlscert", "tlskey", "tlsca", "js-domain", "js-api-prefix",
		"inbox-prefix", "context", "timeout",
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_non_null(conn_long_options[i].name);
		assert_string_equal(conn_long_options[i].name, names[i]);
		assert_int_equal(conn_long_options[i].has_arg,
		    required_argument);
		assert_non_null(strstr(conn_usage, names[i]));
	}
	assert_int_equal(conn_long_options[0].val, 's');
	assert_null(conn_long_options[i].name);
	assert_non_null(strstr(conn_usage, "NATS_TIMEOUT"));
}

static void
test_timeout_values(void **state)
{
	static const struct {
		const char	*in;
		int		 r;
		int64_t		 ms;
	} cases[] = {
		{ "5s", 1, 5000 }, { "500ms", 1, 500 }, { "5", 1, 5000 },
		{ "2m", 1, 120000 }, { "1h", 1, 3600000 }, { "24h", 1, 86400000 },
		{ "25h", -EINVAL, 0 }, { "0", -EINVAL, 0 }, { "0ms", -EINVAL, 0 },
		{ "", -EINVAL, 0 }, { "-1", -EINVAL, 0 }, { "1.5s", -EINVAL, 0 },
		{ "5x", -EINVAL, 0 }, { "s", -EINVAL, 0 }, { " 5s", -EINVAL, 0 },
		{ "99999999999999999999", -EINVAL, 0 },
	};
	struct conn_opts	o;
	struct diag		d;
	size_t			i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		conn_opts_init(&o);
		assert_int_equal(conn_opts_handle(&o, CONN_OPT_TIMEOUT,
		    cases[i].in, &d), cases[i].r);
		if (cases[i].r == 1)
			assert_int_equal(o.timeout_ms, cases[i].ms);
		else
			assert_non_null(strstr(d.msg, "--timeout"));
	}
}

static void
test_defaults(void **state)
{
	struct conn_opts	o;
	struct diag		d;

	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_string_equal(o.url, "nats://127.0.0.1:4222");
	assert_int_equal(o.timeout_ms, 5000);
	assert_null(o.user);
	assert_null(o.password);
	assert_null(o.context);
	conn_opts_free(&o);
}

static void
test_env_precedence(void **state)
{
	struct conn_opts	o;
	struct diag		d;

	setenv("NATS_URL", "nats://env:4222", 1);
	setenv("NATS_USER", "envuser", 1);
	setenv("NATS_PASSWORD", "", 1);		/* empty counts as unset */
	setenv("NATS_TOKEN", "envtoken", 1);
	setenv("NATS_CREDS", "/env.creds", 1);
	setenv("NATS_NKEY", "/env.nk", 1);
	setenv("NATS_CERT", "/env.crt", 1);
	setenv("NATS_KEY", "/env.key", 1);
	setenv("NATS_CA", "/env.ca", 1);
	setenv("NATS_TIMEOUT", "2s", 1);
	conn_opts_init(&o);
	assert_int_equal(conn_opts_handle(&o, 's', "nats://flag:1", &d), 1);
	assert_int_equal(conn_opts_handle(&o, CONN_OPT_TIMEOUT, "3", &d), 1);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_string_equal(o.url, "nats://flag:1");
	assert_int_equal(o.timeout_ms, 3000);
	assert_string_equal(o.user, "envuser");
	assert_null(o.password);
	assert_string_equal(o.token, "envtoken");
	assert_string_equal(o.creds, "/env.creds");
	assert_string_equal(o.nkey, "/env.nk");
	assert_string_equal(o.tls_cert, "/env.crt");
	assert_string_equal(o.tls_key, "/env.key");
	assert_string_equal(o.tls_ca, "/env.ca");
	conn_opts_free(&o);

	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_string_equal(o.url, "nats://env:4222");
	assert_int_equal(o.timeout_ms, 2000);
	conn_opts_free(&o);

	setenv("NATS_TIMEOUT", "soon", 1);
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "NATS_TIMEOUT"));
	assert_non_null(strstr(d.msg, "'soon'"));
	conn_opts_free(&o);
}

static void
test_context(void **state)
{
	struct conn_opts	o;
	struct diag		d;

	/* As the nats CLI writes it: every key, unused ones empty. */
	write_context("dev",
	    "{\"description\":\"\",\"url\":\"nats://ctx:4222\","
	    "\"user\":\"ctxuser\",\"password\":\"ctxpass\",\"token\":\"\","
	    "\"creds\":\"\",\"nkey\":\"\",\"cert\":\"/ctx.crt\","
	    "\"key\":\"/ctx.key\",\"ca\":\"/ctx.ca\",\"nsc\":\"\","
	    "\"jetstream_domain\":\"\",\"inbox_prefix\":\"\"}");

	/* Selected by flag; env and flags win over the context. */
	setenv("NATS_USER", "envuser", 1);
	conn_opts_init(&o);
	assert_int_equal(conn_opts_handle(&o, CONN_OPT_CONTEXT, "dev", &d), 1);
	assert_int_equal(conn_opts_handle(&o, CONN_OPT_TLSCA, "/flag.ca", &d),
	    1);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_string_equal(o.url, "nats://ctx:4222");
	assert_string_equal(o.user, "envuser");
	assert_string_equal(o.password, "ctxpass");
	assert_null(o.token);
	assert_null(o.creds);
	assert_string_equal(o.tls_cert, "/ctx.crt");
	assert_string_equal(o.tls_key, "/ctx.key");
	assert_string_equal(o.tls_ca, "/flag.ca");
	assert_int_equal(o.timeout_ms, 5000);
	conn_opts_free(&o);
	unsetenv("NATS_USER");

	/* Selected by NATS_CONTEXT. */
	setenv("NATS_CONTEXT", "dev", 1);
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_string_equal(o.url, "nats://ctx:4222");
	assert_string_equal(o.user, "ctxuser");
	assert_string_equal(o.context, "dev");
	conn_opts_free(&o);

	/* The flag names a context even when NATS_CONTEXT names another. */
	write_context("other", "{\"url\":\"nats://other:1\"}");
	conn_opts_init(&o);
	assert_int_equal(conn_opts_handle(&o, CONN_OPT_CONTEXT, "other", &d),
	    1);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_string_equal(o.url, "nats://other:1");
	assert_null(o.user);
	conn_opts_free(&o);
	unsetenv("NATS_CONTEXT");

	/* Without --context or NATS_CONTEXT no context is read. */
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_string_equal(o.url, "nats://127.0.0.1:4222");
	conn_opts_free(&o);
}

/* The nats CLI's selected context: context.txt in the config dir. */
static void
write_selected(const char *text)
{
	char	 path[PATH_MAX];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/nats/context.txt", tmpdir);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
test_context_selected(void **state)
{
	struct conn_opts	o;
	struct diag		d;
	char			path[PATH_MAX], home[PATH_MAX + 8];

	(void)state;
	snprintf(home, sizeof(home), "%s/home", tmpdir);
	setenv("HOME", home, 1);
	write_context("sel", "{\"url\":\"nats://sel:4222\","
	    "\"creds\":\"~/x.creds\",\"nkey\":\"~\",\"ca\":\"~x/ca\","
	    "\"jetstream_domain\":\"hub\",\"inbox_prefix\":\"_INBOX_t\"}");
	write_context("named", "{\"url\":\"nats://named:4222\"}");

	/* No context.txt: no context, the default. */
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_string_equal(o.url, "nats://127.0.0.1:4222");
	assert_null(o.context);
	conn_opts_free(&o);

	/* Selected, with blanks around the name; '~' only as "~" or "~/". */
	write_selected(" sel\n");
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_string_equal(o.context, "sel");
	assert_string_equal(o.url, "nats://sel:4222");
	snprintf(path, sizeof(path), "%s/x.creds", home);
	assert_string_equal(o.creds, path);
	assert_string_equal(o.nkey, home);
	assert_string_equal(o.tls_ca, "~x/ca");
	assert_string_equal(o.js_domain, "hub");
	assert_string_equal(o.inbox_prefix, "_INBOX_t");
	conn_opts_free(&o);

	/* A named context and NATS_CONTEXT win over the selected one. */
	conn_opts_init(&o);
	assert_int_equal(conn_opts_handle(&o, CONN_OPT_CONTEXT, "named", &d),
	    1);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_string_equal(o.url, "nats://named:4222");
	assert_null(o.js_domain);
	conn_opts_free(&o);
	setenv("NATS_CONTEXT", "named", 1);
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_string_equal(o.url, "nats://named:4222");
	conn_opts_free(&o);
	unsetenv("NATS_CONTEXT");

	/* An empty context.txt selects nothing. */
	write_selected("\n");
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_null(o.context);
	conn_opts_free(&o);

	/* A selected context that is gone is an error naming context.txt. */
	write_selected("gone");
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o, &d), -ENOENT);
	assert_non_null(strstr(d.msg, "'gone' (selected in the nats CLI's "
	    "context.txt)"));
	conn_opts_free(&o);

	/* '~' without HOME is an error, not a path named "~". */
	write_selected("sel");
	unsetenv("HOME");
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "HOME is not set"));
	conn_opts_free(&o);
}

static const struct {
	const char	*domain;
	const char	*prefix;
	const char	*inbox;
	int		 code;
	const char	*api;		/* conn_api_prefix(), when code 0 */
} js_cases[] = {
	{ NULL, NULL, NULL, 0, "$JS.API" },
	{ "hub", NULL, NULL, 0, "$JS.hub.API" },
	{ NULL, "$JS.hub.API", NULL, 0, "$JS.hub.API" },
	{ NULL, "$JS.hub.API..", NULL, 0, "$JS.hub.API" },
	{ NULL, NULL, "_INBOX_ci", 0, "$JS.API" },
	{ "a.b", NULL, NULL, -EINVAL, NULL },
	{ "a*", NULL, NULL, -EINVAL, NULL },
	{ "a b", NULL, NULL, -EINVAL, NULL },
	{ NULL, "$JS.*.API", NULL, -EINVAL, NULL },
	{ NULL, ".x", NULL, -EINVAL, NULL },
	{ NULL, "a..b", NULL, -EINVAL, NULL },
	{ "hub", "$JS.hub.API", NULL, -EINVAL, NULL },
	{ NULL, NULL, "_INBOX.>", -EINVAL, NULL },
	{ NULL, NULL, "_INBOX.", -EINVAL, NULL },
};

static void
test_js_prefixes(void **state)
{
	struct conn_opts	o;
	struct diag		d;
	char			buf[64];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(js_cases) / sizeof(js_cases[0]); i++) {
		conn_opts_init(&o);
		if (js_cases[i].domain != NULL)
			assert_int_equal(conn_opts_handle(&o,
			    CONN_OPT_JS_DOMAIN, js_cases[i].domain, &d), 1);
		if (js_cases[i].prefix != NULL)
			assert_int_equal(conn_opts_handle(&o,
			    CONN_OPT_JS_API_PREFIX, js_cases[i].prefix, &d), 1);
		if (js_cases[i].inbox != NULL)
			assert_int_equal(conn_opts_handle(&o,
			    CONN_OPT_INBOX_PREFIX, js_cases[i].inbox, &d), 1);
		if (conn_opts_finish(&o, &d) != js_cases[i].code)
			fail_msg("case %zu: want %d: %s", i, js_cases[i].code,
			    d.msg);
		if (js_cases[i].code == 0)
			assert_string_equal(conn_api_prefix(&o, buf,
			    sizeof(buf)), js_cases[i].api);
		conn_opts_free(&o);
	}
	/* The environment fills them too, and a too small buffer says so. */
	setenv("NATS_JS_DOMAIN", "env", 1);
	conn_opts_init(&o);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_string_equal(conn_api_prefix(&o, buf, sizeof(buf)),
	    "$JS.env.API");
	assert_null(conn_api_prefix(&o, buf, 8));
	conn_opts_free(&o);
	unsetenv("NATS_JS_DOMAIN");
}

static void
test_context_home_fallback(void **state)
{
	struct conn_opts	o;
	struct diag		d;
	char			path[PATH_MAX];

	/* $HOME/.config/nats/context when XDG_CONFIG_HOME is unset. */
	snprintf(path, sizeof(path), "%s/.config", tmpdir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/.config/nats", tmpdir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/.config/nats/context", tmpdir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(ctxdir, sizeof(ctxdir), "%s", path);
	write_context("home", "{\"url\":\"nats://home:4222\"}");
	setenv("XDG_CONFIG_HOME", "", 1);
	setenv("HOME", tmpdir, 1);
	conn_opts_init(&o);
	assert_int_equal(conn_opts_handle(&o, CONN_OPT_CONTEXT, "home", &d),
	    1);
	assert_int_equal(conn_opts_finish(&o, &d), 0);
	assert_string_equal(o.url, "nats://home:4222");
	conn_opts_free(&o);
}

static void
test_context_errors(void **state)
{
	static const struct {
		const char	*name;
		const char	*text;		/* NULL: no file */
		int		 r;
		const char	*needle;
	} cases[] = {
		{ "missing", NULL, -ENOENT, "not found" },
		{ "../etc", NULL, -EINVAL, "invalid nats context name" },
		{ "a/b", NULL, -EINVAL, "invalid nats context name" },
		{ "x..y", NULL, -EINVAL, "invalid nats context name" },
		{ "notjson", "{\"url\": ", -EINVAL, "not a JSON object" },
		{ "array", "[]", -EINVAL, "not a JSON object" },
		{ "badtype", "{\"password\":\"hunter2\",\"url\":5}", -EINVAL,
		    "'url' must be a string" },
	};
	struct conn_opts	o;
	struct diag		d;
	size_t			i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].text != NULL)
			write_context(cases[i].name, cases[i].text);
		conn_opts_init(&o);
		assert_int_equal(conn_opts_handle(&o, CONN_OPT_CONTEXT,
		    cases[i].name, &d), 1);
		assert_int_equal(conn_opts_finish(&o, &d), cases[i].r);
		assert_non_null(strstr(d.msg, cases[i].needle));
		assert_null(strstr(d.msg, "hunter2"));
		conn_opts_free(&o);
	}
}

static void
test_context_too_big(void **state)
{
	struct conn_opts	 o;
	struct diag		 d;
	char			*text;
	size_t			 n = 64 * 1024 + 1;

	assert_non_null(text = malloc(n + 1));
	memset(text, ' ', n);
	text[0] = '{';
	text[n - 1] = '}';
	text[n] = '\0';
	write_context("big", text);
	free(text);
	conn_opts_init(&o);
	assert_int_equal(conn_opts_handle(&o, CONN_OPT_CONTEXT, "big", &d), 1);
	assert_int_equal(conn_opts_finish(&o, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "larger than 64 KiB"));
	conn_opts_free(&o);
}

static void
write_file(const char *name, const char *text, char *path, size_t len)
{
	FILE	*f;

	snprintf(path, len, "%s/%s", tmpdir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* Pairs made with Python's cryptography (Ed25519) and the nkeys encoding. */
#define SEED_ZERO	"SUAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEQ"
#define PUB_ZERO	"UA5WUJ54Z23KILLCUOUNAKTPBVZWKMQVO4O6EQ5GHLAERIMLLHNCTYM5"
#define SEED_SEQ	"SUAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H776Y"
#define PUB_SEQ		"UAB2CB576PHBBPQ5ODORRZ2LYCMWPZGWGCN2KDK7DXOIMZASKUY3RLKK"
#define SEED_RAND	"SUAFLPZQGJ4DALT4FY7RB4XT5ZRDHTXJ52F3RYE5XTUE3AE645HLYRBL74"
#define PUB_RAND	"UCTCXO2ISRTEGVQNGMPLU2TLCPIYZPZ7ZFMJWJVDYE5AIM43GTJIX3VN"
#define SEED_ACCOUNT	"SAAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4HYMHI"

static void
test_nkey_public(void **state)
{
	static const struct {
		const char	*text;
		int		 r;
		const char	*want;		/* key, or a message part */
	} cases[] = {
		{ SEED_ZERO "\n", 0, PUB_ZERO },
		{ SEED_SEQ, 0, PUB_SEQ },
		{ "  " SEED_RAND "\n\n", 0, PUB_RAND },
		{ "-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1Qi.e30.sig\n"
		    "------END NATS USER JWT------\n\n"
		    "-----BEGIN USER NKEY SEED-----\n" SEED_SEQ "\n"
		    "------END USER NKEY SEED------\n", 0, PUB_SEQ },
		/* One character changed: the checksum catches it. */
		{ "SUAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H776A",
		    -EINVAL, "bad prefix or checksum" },
		{ "SUABAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H776Y",
		    -EINVAL, "bad prefix or checksum" },
		{ SEED_ACCOUNT, -EINVAL, "no user nkey seed" },
		{ "SUAAAA", -EINVAL, "no user nkey seed" },
		{ "", -EINVAL, "no user nkey seed" },
		{ "UAB2CB576PHBBPQ5ODORRZ2LYCMWPZGWGCN2KDK7DXOIMZASKUY3RLKK",
		    -EINVAL, "no user nkey seed" },
	};
	struct diag	 d;
	char		 path[PATH_MAX], *pub;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file("user.nk", cases[i].text, path, sizeof(path));
		pub = NULL;
		assert_int_equal(conn_nkey_public(path, &d, &pub), cases[i].r);
		if (cases[i].r == 0) {
			assert_string_equal(pub, cases[i].want);
			free(pub);
		} else {
			assert_null(pub);
			assert_non_null(strstr(d.msg, cases[i].want));
			/* Never echo seed material. */
			assert_null(strstr(d.msg, "SUAAAA"));
		}
	}
	snprintf(path, sizeof(path), "%s/missing.nk", tmpdir);
	assert_int_equal(conn_nkey_public(path, &d, &pub), -ENOENT);
	assert_non_null(strstr(d.msg, "nkey seed file"));
}

static void
test_url_list(void **state)
{
	static const struct {
		const char	*in;
		size_t		 n;
		const char	*bare0, *user0, *pass0;
		const char	*bare1;
	} cases[] = {
		{ "nats://h:4222", 1, "nats://h:4222", NULL, NULL, NULL },
		{ "nats://u:p@h", 1, "nats://h", "u", "p", NULL },
		{ "nats://tok@h", 1, "nats://h", "tok", NULL, NULL },
		{ "nats://u:%2C%2F%40%3A%25@h:1", 1, "nats://h:1", "u",
		    ",/@:%", NULL },
		{ "nats://u%40x:p@h", 1, "nats://h", "u@x", "p", NULL },
		{ "nats://u:a,b@h", 1, "nats://h", "u", "a,b", NULL },
		{ "nats://u:a/b@c:d@h:1", 1, "nats://h:1", "u", "a/b@c:d", NULL },
		{ " nats://u:p@h1 , nats://u:p@h2 ", 2, "nats://h1", "u", "p",
		    "nats://h2" },
		{ "h1:1,h2:2", 2, "h1:1", NULL, NULL, "h2:2" },
		{ "u:p@h", 1, "h", "u", "p", NULL },
	};
	struct conn_url	*v;
	struct diag	 d;
	size_t		 n, i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(conn_url_list(cases[i].in, &d, &v, &n), 0);
		assert_int_equal(n, cases[i].n);
		assert_string_equal(v[0].bare, cases[i].bare0);
		if (cases[i].user0 == NULL)
			assert_null(v[0].user);
		else
			assert_string_equal(v[0].user, cases[i].user0);
		if (cases[i].pass0 == NULL)
			assert_null(v[0].password);
		else
			assert_string_equal(v[0].password, cases[i].pass0);
		if (n > 1)
			assert_string_equal(v[1].bare, cases[i].bare1);
		/* raw: the element as written, trimmed (a monitoring list). */
		if (n == 1)
			assert_non_null(strstr(cases[i].in, v[0].raw));
		conn_url_list_free(v, n);
	}
	/* A monitoring list whose password holds ',' and '/' (check-monitor
	 * split it at every ',' and printed the rest of the password). */
	assert_int_equal(conn_url_list("http://u:a,b/c@h1:8222, "
	    "http://u:a,b/c@h2:8222", &d, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].raw, "http://u:a,b/c@h1:8222");
	assert_string_equal(v[1].raw, "http://u:a,b/c@h2:8222");
	assert_string_equal(v[1].bare, "http://h2:8222");
	assert_string_equal(v[1].password, "a,b/c");
	conn_url_list_free(v, n);
	/* Bad escapes name the URL by position, never the secret. */
	assert_int_equal(conn_url_list("nats://h1,nats://u:s3cr%zz@h2", &d,
	    &v, &n), -EINVAL);
	assert_non_null(strstr(d.msg, "server URL 2"));
	assert_non_null(strstr(d.msg, "%25"));
	assert_null(strstr(d.msg, "s3cr"));
	assert_int_equal(conn_url_list("nats://u:s3cr%0@h", &d, &v, &n),
	    -EINVAL);
	assert_int_equal(conn_url_list("nats://u:s3cr%00@h", &d, &v, &n),
	    -EINVAL);
	assert_int_equal(conn_url_list(" , ", &d, &v, &n), -EINVAL);
	assert_non_null(strstr(d.msg, "no server URL"));
}

static void
test_arg_name(void **state)
{
	static const struct {
		const char	*arg;
		const char	*want;
	} cases[] = {
		{ "--password=s3cret", "--password" },
		{ "--pasword=s3cret", "--pasword" },
		{ "--json", "--json" },
		{ "-ss3cret", "-s" },
		{ "-s", "-s" },
		{ "s3cret", "(argument)" },
		{ "-", "(argument)" },
		{ NULL, "(argument)" },
	};
	char	buf[64];
	size_t	i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(conn_arg_name(cases[i].arg, buf,
		    sizeof(buf)), cases[i].want);
}

/* Credential and context paths must be regular files, FIFOs refused. */
static void
test_files(void **state)
{
	struct conn_opts	 o;
	struct diag		 d;
	char			 path[PATH_MAX], *pub = NULL;

	write_file("ok.pem", "x", path, sizeof(path));
	assert_int_equal(conn_check_file("TLS CA", path, &d), 0);
	snprintf(path, sizeof(path), "%s/fifo", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(conn_check_file("TLS CA", path, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "TLS CA"));
	assert_non_null(strstr(d.msg, "not a regular file"));
	/* Would block forever in open() without O_NONBLOCK. */
	assert_int_equal(conn_nkey_public(path, &d, &pub), -EINVAL);
	assert_non_null(strstr(d.msg, "not a regular file"));
	assert_int_equal(conn_check_file("creds file", tmpdir, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "not a regular file"));
	snprintf(path, sizeof(path), "%s/absent", tmpdir);
	assert_int_equal(conn_check_file("creds file", path, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "not found"));

	snprintf(path, sizeof(path), "%s/fifo.json", ctxdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	conn_opts_init(&o);
	assert_int_equal(conn_opts_handle(&o, CONN_OPT_CONTEXT, "fifo", &d), 1);
	assert_int_equal(conn_opts_finish(&o, &d), -EINVAL);
	assert_non_null(strstr(d.msg, "not a regular file"));
	conn_opts_free(&o);
}

/*
 * nkeys encoding for the tests: prefix bytes, 32 key bytes, CRC-16/XMODEM
 * little-endian, base32 without padding.  Written here again (not taken
 * from conn.c) so that a wrong encoding in conn.c cannot pass.
 */
static uint16_t
nk_crc16(const uint8_t *p, size_t n)
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

/* npre prefix bytes + key[32]; out gets 56 (public) or 58 (seed) chars. */
static void
nk_encode(const uint8_t *pre, size_t npre, const uint8_t key[32], char *out)
{
	static const char	 b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	uint8_t			 raw[36];
	size_t			 n = npre + 32 + 2, i, o = 0;
	uint32_t		 acc = 0;
	uint16_t		 crc;
	int			 bits = 0;

	memcpy(raw, pre, npre);
	memcpy(raw + npre, key, 32);
	crc = nk_crc16(raw, npre + 32);
	raw[npre + 32] = (uint8_t)(crc & 0xff);
	raw[npre + 33] = (uint8_t)(crc >> 8);
	for (i = 0; i < n; i++) {
		acc = (acc << 8 | raw[i]) & 0xfff;
		for (bits += 8; bits >= 5; bits -= 5)
			out[o++] = b32[(acc >> (bits - 5)) & 31];
	}
	if (bits > 0)
		out[o++] = b32[(acc << (5 - bits)) & 31];
	out[o] = '\0';
}

static const uint8_t nk_seed_prefix[2] = { 18 << 3 | (20 << 3) >> 5,
	((20 << 3) & 31) << 3 };
static const uint8_t nk_pub_prefix[1] = { 20 << 3 };

static void
nk_hex(const char *hex, uint8_t out[32])
{
	size_t	i;

	for (i = 0; i < 32; i++)
		assert_int_equal(sscanf(hex + 2 * i, "%2hhx", &out[i]), 1);
}

/* The 32 key bytes of a "U..." public key (56 base32 characters). */
static int
base32_decode_pub(const char *s, uint8_t key[32])
{
	static const char	 b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	const char		*c;
	uint8_t			 raw[35];
	uint32_t		 acc = 0;
	size_t			 n = 0, i;
	int			 bits = 0;

	for (i = 0; i < 56; i++) {
		if (s[i] == '\0' || (c = strchr(b32, s[i])) == NULL)
			return -1;
		acc = (acc << 5 | (uint32_t)(c - b32)) & 0xfff;
		if ((bits += 5) >= 8) {
			bits -= 8;
			if (n < sizeof(raw))
				raw[n++] = (uint8_t)(acc >> bits);
		}
	}
	if (n != sizeof(raw) || raw[0] != 20 << 3 ||
	    nk_crc16(raw, 33) != (raw[33] | raw[34] << 8))
		return -1;
	memcpy(key, raw + 1, 32);
	return 0;
}

/* RFC 8032 section 7.1: Ed25519 secret key -> public key. */
static void
test_nkey_rfc8032(void **state)
{
	static const struct {
		const char	*secret;
		const char	*public;
	} cases[] = {
		{ "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a" },
		{ "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		  "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c" },
		{ "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
		  "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025" },
		{ "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
		  "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e" },
		{ "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
		  "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf" },
	};
	struct diag	 d;
	uint8_t		 key[32];
	char		 seed[64], want[64], path[PATH_MAX], *pub;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		nk_hex(cases[i].secret, key);
		nk_encode(nk_seed_prefix, 2, key, seed);
		nk_hex(cases[i].public, key);
		nk_encode(nk_pub_prefix, 1, key, want);
		write_file("rfc.nk", seed, path, sizeof(path));
		pub = NULL;
		assert_int_equal(conn_nkey_public(path, &d, &pub), 0);
		assert_string_equal(pub, want);
		free(pub);
	}
}

/*
 * Random seeds: what the server does with the derived key.  The test signs
 * a nonce with the seed and verifies the signature with the public key
 * conn_nkey_public() printed, decoded here, as nats-server verifies an
 * nkey client's signature against the key in its configuration.
 */
#define NK_RANDOM_SEEDS	300

static void
test_nkey_random(void **state)
{
	static const uint8_t	 nonce[] = "nats-server nonce";
	struct diag		 d;
	uint8_t			 key[32], sig[64], got[32];
	char			 seed[64], want[64], path[PATH_MAX], *pub;
	EVP_PKEY		*priv, *pk;
	EVP_MD_CTX		*md;
	size_t			 n, i;
	FILE			*f;

	assert_non_null(f = fopen("/dev/urandom", "rb"));
	for (i = 0; i < NK_RANDOM_SEEDS; i++) {
		assert_int_equal(fread(key, 1, sizeof(key), f), sizeof(key));
		nk_encode(nk_seed_prefix, 2, key, seed);
		write_file("rand.nk", seed, path, sizeof(path));
		pub = NULL;
		assert_int_equal(conn_nkey_public(path, &d, &pub), 0);
		assert_int_equal(strlen(pub), 56);

		/* Sign with the seed alone. */
		assert_non_null(priv = EVP_PKEY_new_raw_private_key(
		    EVP_PKEY_ED25519, NULL, key, sizeof(key)));
		assert_non_null(md = EVP_MD_CTX_new());
		n = sizeof(sig);
		assert_int_equal(EVP_DigestSignInit(md, NULL, NULL, NULL, priv),
		    1);
		assert_int_equal(EVP_DigestSign(md, sig, &n, nonce,
		    sizeof(nonce)), 1);
		EVP_MD_CTX_free(md);
		EVP_PKEY_free(priv);

		/* Verify with the printed key, decoded here. */
		assert_int_equal(base32_decode_pub(pub, got), 0);
		nk_encode(nk_pub_prefix, 1, got, want);
		assert_string_equal(pub, want);
		assert_non_null(pk = EVP_PKEY_new_raw_public_key(
		    EVP_PKEY_ED25519, NULL, got, sizeof(got)));
		assert_non_null(md = EVP_MD_CTX_new());
		assert_int_equal(EVP_DigestVerifyInit(md, NULL, NULL, NULL, pk),
		    1);
		assert_int_equal(EVP_DigestVerify(md, sig, n, nonce,
		    sizeof(nonce)), 1);
		EVP_MD_CTX_free(md);
		EVP_PKEY_free(pk);
		/* A flipped bit of the key must not verify. */
		got[i % 32] ^= (uint8_t)(1 << (i % 8));
		assert_non_null(pk = EVP_PKEY_new_raw_public_key(
		    EVP_PKEY_ED25519, NULL, got, sizeof(got)));
		assert_non_null(md = EVP_MD_CTX_new());
		assert_int_equal(EVP_DigestVerifyInit(md, NULL, NULL, NULL, pk),
		    1);
		assert_int_not_equal(EVP_DigestVerify(md, sig, n, nonce,
		    sizeof(nonce)), 1);
		EVP_MD_CTX_free(md);
		EVP_PKEY_free(pk);
		free(pub);
	}
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_url_list),
		cmocka_unit_test(test_arg_name),
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handle_flags, setup,
		    teardown),
		cmocka_unit_test(test_long_options),
		cmocka_unit_test(test_timeout_values),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_precedence, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_context, setup, teardown),
		cmocka_unit_test_setup_teardown(test_context_selected, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_js_prefixes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_context_home_fallback,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_context_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_context_too_big, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nkey_public, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nkey_rfc8032, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nkey_random, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
