/* SPDX-License-Identifier: MIT */
/*
 * test-cli: the front-end kit's option parse, table-driven, on a tool of
 * its own: which options a command takes, a tool option shadowing the
 * connection flag of the same name, usage errors, and positional
 * arguments.  Messages go to stderr (the kit prints); the test checks
 * the codes and what reached the handler and the connection options.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXARGS		8

enum { K_FLAG = 1, K_FILE, K_WAIT, K_BAD };

#define F_A	0x01
#define F_B	0x02

struct seen {
	int		 keys[MAXARGS];
	const char	*args[MAXARGS];
	size_t		 n;
};

static int
test_handle(void *ctx, int key, const char *arg, struct diag *d)
{
	struct seen	*s = ctx;

	if (key == K_BAD)
		return diag_set(d, -EINVAL, "--bad: refused");
	s->keys[s->n] = key;
	s->args[s->n++] = arg;
	return 0;
}

static const struct cli_option test_options[] = {
	{ "flag", NULL, "a flag", F_A | F_B, K_FLAG, NULL },
	{ "file", "FILE", "a file", F_A, K_FILE, "TEST_CLI_FILE" },
	/* A's own --timeout: shadows the connection flag for A only. */
	{ "timeout", "DUR", "the wait", F_A, K_WAIT, NULL },
	{ "bad", "X", "always refused", F_A, K_BAD, NULL },
	{ NULL, NULL, NULL, 0, 0, NULL },
};

static int test_run(const struct cli_cmd *self, int argc, char **argv)
{
	return 0;
}

/* A: own options, no connection; B: connects, --flag only; C: paths. */
static const struct cli_cmd cmd_a = { "a", "", "A.", F_A, 0, test_run };
static const struct cli_cmd cmd_b = { "b", "", "B.", F_B | CLI_F_CONNECT,
	0, test_run };
static const struct cli_cmd cmd_c = { "c", "PATH...", "C.", CLI_F_PATHS,
	0, test_run };

static const struct cli_tool test_tool = {
	.prog = "test-cli",
	.synopsis = "COMMAND",
	.about = "A test.",
	.options = test_options,
	.handle = test_handle,
	.nothing = "nothing done",
};

struct args_case {
	const struct cli_cmd	*cmd;
	const char		*argv[MAXARGS];	/* after the command */
	int			 rc;		/* -1: go on */
	int			 key;		/* first key handled, or 0 */
	const char		*arg;		/* its value */
	size_t			 nargs;		/* positional, when rc -1 */
	const char		*url;		/* conn.url, when set */
	int64_t			 timeout_ms;	/* conn.timeout_ms */
};

static const struct args_case args_cases[] = {
	{ &cmd_a, { NULL }, -1, 0, NULL, 0, NULL, 0 },
	{ &cmd_a, { "--flag" }, -1, K_FLAG, NULL, 0, NULL, 0 },
	{ &cmd_a, { "--file", "x.xml" }, -1, K_FILE, "x.xml", 0, NULL, 0 },
	{ &cmd_a, { "--file=y" }, -1, K_FILE, "y", 0, NULL, 0 },
	{ &cmd_a, { "--fi=y" }, -1, K_FILE, "y", 0, NULL, 0 },
	{ &cmd_a, { "--timeout", "3s" }, -1, K_WAIT, "3s", 0, NULL, 0 },
	{ &cmd_a, { "--help" }, CLI_EXIT_OK, 0, NULL, 0, NULL, 0 },
	{ &cmd_a, { "-h" }, CLI_EXIT_OK, 0, NULL, 0, NULL, 0 },
	/* Usage errors. */
	{ &cmd_a, { "--nope" }, CLI_EXIT_USAGE, 0, NULL, 0, NULL, 0 },
	{ &cmd_a, { "--flag=1" }, CLI_EXIT_USAGE, 0, NULL, 0, NULL, 0 },
	{ &cmd_a, { "--file" }, CLI_EXIT_USAGE, 0, NULL, 0, NULL, 0 },
	{ &cmd_a, { "--bad", "v" }, CLI_EXIT_USAGE, 0, NULL, 0, NULL, 0 },
	{ &cmd_a, { "-x" }, CLI_EXIT_USAGE, 0, NULL, 0, NULL, 0 },
	{ &cmd_a, { "stray" }, CLI_EXIT_USAGE, 0, NULL, 0, NULL, 0 },
	/* A does not connect: a connection flag does not apply. */
	{ &cmd_a, { "--server", "nats://h:1" }, CLI_EXIT_USAGE, 0, NULL, 0,
	  NULL, 0 },
	{ &cmd_a, { "-s", "nats://h:1" }, CLI_EXIT_USAGE, 0, NULL, 0, NULL,
	  0 },
	/* B connects: the connection flags land in conn. */
	{ &cmd_b, { "-s", "nats://h:1", "--flag" }, -1, K_FLAG, NULL, 0,
	  "nats://h:1", 0 },
	{ &cmd_b, { "--server=nats://h:2" }, -1, 0, NULL, 0, "nats://h:2",
	  0 },
	/* B takes the connection's --timeout, A's own does not apply. */
	{ &cmd_b, { "--timeout", "2s" }, -1, 0, NULL, 0, NULL, 2000 },
	{ &cmd_b, { "--timeout", "soon" }, CLI_EXIT_USAGE, 0, NULL, 0, NULL,
	  0 },
	{ &cmd_b, { "--file", "x" }, CLI_EXIT_USAGE, 0, NULL, 0, NULL, 0 },
	{ &cmd_b, { "--user=" }, CLI_EXIT_USAGE, 0, NULL, 0, NULL, 0 },
	/* C takes paths, at least one. */
	{ &cmd_c, { "p1", "p2" }, -1, 0, NULL, 2, NULL, 0 },
	{ &cmd_c, { NULL }, CLI_EXIT_USAGE, 0, NULL, 0, NULL, 0 },
	{ &cmd_c, { "--flag", "p" }, CLI_EXIT_USAGE, 0, NULL, 0, NULL, 0 },
};

static void
test_args(void **state)
{
	const struct args_case	*c;
	struct conn_opts	 conn;
	struct seen		 s;
	char			*argv[MAXARGS + 2], **rest;
	size_t			 i, n, nrest;
	int			 argc, rc;

	unsetenv("TEST_CLI_FILE");
	for (i = 0; i < NELEM(args_cases); i++) {
		c = &args_cases[i];
		memset(&s, 0, sizeof(s));
		conn_opts_init(&conn);
		argc = 0;
		argv[argc++] = (char *)c->cmd->name;
		for (n = 0; n < MAXARGS && c->argv[n] != NULL; n++)
			argv[argc++] = (char *)c->argv[n];
		argv[argc] = NULL;
		rest = NULL;
		nrest = 99;
		rc = cli_args(&test_tool, c->cmd, argc, argv, &s, &conn,
		    &rest, &nrest);
		if (rc != c->rc)
			fail_msg("case %zu (%s %s): rc %d, want %d", i,
			    c->cmd->name, c->argv[0] ? c->argv[0] : "",
			    rc, c->rc);
		if (c->key != 0) {
			assert_true(s.n >= 1);
			assert_int_equal(s.keys[0], c->key);
			if (c->arg != NULL)
				assert_string_equal(s.args[0], c->arg);
		} else if (rc == -1)
			assert_int_equal(s.n, 0);
		if (rc == -1) {
			assert_int_equal(nrest, c->nargs);
			assert_non_null(rest);
		}
		if (c->url != NULL) {
			assert_non_null(conn.url);
			assert_string_equal(conn.url, c->url);
		}
		if (rc == -1)
			assert_int_equal(conn.timeout_ms, c->timeout_ms);
		conn_opts_free(&conn);
	}
}

/* An option's environment variable fills in only what no flag gave. */
static void
test_env(void **state)
{
	static const struct {
		const struct cli_cmd	*cmd;
		const char		*env;		/* NULL: unset */
		const char		*flag;		/* --file value or NULL */
		size_t			 n;		/* handler calls */
		const char		*want;
	} cases[] = {
		{ &cmd_a, "env.xml", NULL, 1, "env.xml" },
		{ &cmd_a, "env.xml", "flag.xml", 1, "flag.xml" },
		{ &cmd_a, "", NULL, 0, NULL },
		{ &cmd_a, NULL, NULL, 0, NULL },
		/* B does not take --file: its variable is not read. */
		{ &cmd_b, "env.xml", NULL, 0, NULL },
	};
	struct conn_opts	 conn;
	struct seen		 s;
	char			*argv[4], **rest;
	size_t			 i, nrest;
	int			 argc;

	for (i = 0; i < NELEM(cases); i++) {
		if (cases[i].env != NULL)
			setenv("TEST_CLI_FILE", cases[i].env, 1);
		else
			unsetenv("TEST_CLI_FILE");
		memset(&s, 0, sizeof(s));
		conn_opts_init(&conn);
		argc = 0;
		argv[argc++] = (char *)cases[i].cmd->name;
		if (cases[i].flag != NULL) {
			argv[argc++] = "--file";
			argv[argc++] = (char *)cases[i].flag;
		}
		argv[argc] = NULL;
		assert_int_equal(cli_args(&test_tool, cases[i].cmd, argc, argv,
		    &s, &conn, &rest, &nrest), -1);
		assert_int_equal(s.n, cases[i].n);
		if (cases[i].want != NULL) {
			assert_int_equal(s.keys[0], K_FILE);
			assert_string_equal(s.args[0], cases[i].want);
		}
		conn_opts_free(&conn);
	}
	unsetenv("TEST_CLI_FILE");
}

static void
test_number(void **state)
{
	static const struct {
		const char	*in;
		int		 rc;
		long		 want;
	} cases[] = {
		{ "1", 0, 1 }, { "10", 0, 10 }, { "0", -EINVAL, 0 },
		{ "11", -EINVAL, 0 }, { "", -EINVAL, 0 }, { "5x", -EINVAL, 0 },
		{ "-3", -EINVAL, 0 }, { "99999999999999999999", -EINVAL, 0 },
	};
	struct diag	d;
	size_t		i;
	long		v;

	for (i = 0; i < NELEM(cases); i++) {
		v = -7;
		diag_clear(&d);
		assert_int_equal(cli_number("--n", cases[i].in, 1, 10, &d, &v),
		    cases[i].rc);
		if (cases[i].rc == 0)
			assert_int_equal(v, cases[i].want);
		else {
			assert_int_equal(v, -7);
			/* Named, never quoted: the value may be a secret. */
			assert_non_null(strstr(d.msg, "--n"));
			if (strlen(cases[i].in) >= 2)
				assert_null(strstr(d.msg, cases[i].in));
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_number),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
