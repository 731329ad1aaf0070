/* SPDX-License-Identifier: MIT */
/*
 * test-conn: connection flags, environment and nats CLI context
 * precedence, timeout parsing and URL redaction.
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

#include "conn.h"

static const char *env_names[] = {
	"NATS_URL", "NATS_USER", "NATS_PASSWORD", "NATS_TOKEN", "NATS_CREDS",
	"NATS_NKEY", "NATS_CERT", "NATS_KEY", "NATS_CA", "NATS_TIMEOUT",
	"NATS_CONTEXT",
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
		"tlscert", "tlskey", "tlsca", "context", "timeout",
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redact),
		cmocka_unit_test_setup_teardown(test_handle_flags, setup,
		    teardown),
		cmocka_unit_test(test_long_options),
		cmocka_unit_test(test_timeout_values),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_precedence, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_context, setup, teardown),
		cmocka_unit_test_setup_teardown(test_context_home_fallback,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_context_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_context_too_big, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nkey_public, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
