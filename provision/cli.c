/* SPDX-License-Identifier: MIT */
/*
 * cli: the front-end kit of nats-provision and nats-conformance (cli.h):
 * one command table, one option parser, one load, one connect, one
 * exit-code table.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "validate.h"

#define CLI_OPTS_MAX	64	/* getopt table: tool options + conn flags */
#define CLI_HELP_COL	21	/* where an option's help text starts */

/* The one exit-code table: what both tools' --help texts print. */
static const struct cli_exit {
	int		 code;
	const char	*text;
} cli_exit_table[] = {
	{ CLI_EXIT_OK, "ok: in sync, every check passed" },
	{ CLI_EXIT_FAIL, "drift, or a change, a check or a step failed" },
	{ CLI_EXIT_USAGE, "usage error or invalid spec" },
	{ CLI_EXIT_CONNECT, "cannot connect or authenticate" },
	{ CLI_EXIT_BLOCKED, "apply refused: a blocked change, data loss, a "
	    "declined prune,\n\ta stale saved plan" },
	{ CLI_EXIT_SERVER, "no answer in time, or a reply that cannot be "
	    "used" },
	{ CLI_EXIT_PENDING, "plan --detailed-exitcode: changes pending" },
	{ CLI_EXIT_SIGNAL, "after signal N, once cleaned up" },
};

#define CLI_NEXITS	(sizeof(cli_exit_table) / sizeof(cli_exit_table[0]))

void
cli_exits_print(unsigned mask, FILE *f)
{
	const struct cli_exit	*x;
	const char		*p;
	size_t			 i;

	fputs("Exit codes:\n", f);
	for (i = 0; i < CLI_NEXITS; i++) {
		x = &cli_exit_table[i];
		if (!(mask & CLI_EXITS_BIT(x->code)))
			continue;
		if (x->code == CLI_EXIT_SIGNAL)
			fputs("  128+N ", f);
		else
			fprintf(f, "  %-5d ", x->code);
		/* A '\t' continues the text under its first line. */
		for (p = x->text; *p != '\0'; p++)
			if (*p == '\t')
				fputs("        ", f);
			else
				fputc(*p, f);
		fputc('\n', f);
	}
}

/* "  --name ARG" padded to the help column, then help's lines. */
static void
cli_option_usage(const struct cli_option *o, FILE *f)
{
	const char	*p, *nl;
	int		 n;

	n = fprintf(f, "  --%s%s%s", o->name, o->arg != NULL ? " " : "",
	    o->arg != NULL ? o->arg : "");
	fprintf(f, "%*s", n < CLI_HELP_COL - 1 ? CLI_HELP_COL - n : 2, "");
	for (p = o->help; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		fprintf(f, "%.*s\n%*s", (int)(nl - p), p, CLI_HELP_COL, "");
	fprintf(f, "%s\n", p);
}

void
cli_usage(const struct cli_tool *tool, const struct cli_cmd *e, FILE *f)
{
	const struct cli_option	*o;
	bool			 any = false;

	fprintf(f, "usage: %s %s %s\n\n%s\n", tool->prog, e->name, e->usage,
	    e->summary);
	for (o = tool->options; o != NULL && o->name != NULL; o++) {
		if (!(e->flags & o->bit) || o->help == NULL)
			continue;
		if (!any)
			fprintf(f, "\nOptions:\n");
		any = true;
		cli_option_usage(o, f);
	}
	if (e->flags & CLI_F_CONNECT)
		fprintf(f, "\n%s", conn_usage);
	fputs("\n", f);
	cli_exits_print(e->exits, f);
}

void
cli_tool_usage(const struct cli_tool *tool, FILE *f)
{
	size_t	i, n;

	fprintf(f, "usage: %s %s\n\n%s\n\nCommands%s%s%s:\n", tool->prog,
	    tool->synopsis, tool->about, tool->fallback != NULL ?
	    " (default: " : "", tool->fallback != NULL ?
	    tool->fallback->name : "", tool->fallback != NULL ? ")" : "");
	for (i = 0; i < tool->ncmds; i++) {
		n = strcspn(tool->cmds[i]->summary, "\n");
		fprintf(f, "  %-10s %.*s\n", tool->cmds[i]->name, (int)n,
		    tool->cmds[i]->summary);
	}
	fprintf(f, "\nRun '%s COMMAND --help' for its options.\n",
	    tool->prog);
	cli_exits_print(tool->exits, f);
}

int
cli_misuse(const struct cli_tool *tool, const struct cli_cmd *e,
    const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "%s %s: ", tool->prog, e->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	cli_usage(tool, e, stderr);
	return CLI_EXIT_USAGE;
}

/* The tool option called name that e takes, else any called name. */
static const struct cli_option *
cli_find(const struct cli_tool *tool, const struct cli_cmd *e,
    const char *name, bool taken)
{
	const struct cli_option	*o;

	for (o = tool->options; o != NULL && o->name != NULL; o++)
		if (strcmp(o->name, name) == 0 && (!taken ||
		    (e->flags & o->bit)))
			return o;
	return NULL;
}

/*
 * The getopt table for e: every tool option (those e does not take too,
 * to tell "does not apply here" from "unknown"), and every connection
 * flag.  Of two with one name, e's own option wins, else the connection
 * flag when e connects, else the tool's.
 */
static size_t
cli_table(const struct cli_tool *tool, const struct cli_cmd *e,
    struct option *opts)
{
	const struct cli_option	*o;
	const struct option	*c;
	size_t			 n = 0;
	bool			 conn;

	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	for (o = tool->options; o != NULL && o->name != NULL &&
	    n < CLI_OPTS_MAX - 1; o++) {
		conn = false;
		for (c = conn_long_options; c->name != NULL; c++)
			conn = conn || strcmp(c->name, o->name) == 0;
		if (conn && !(e->flags & o->bit) && (e->flags & CLI_F_CONNECT))
			continue;
		opts[n++] = (struct option){ o->name, o->arg != NULL ?
		    required_argument : no_argument, NULL,
		    0x2000 + (int)(o - tool->options) };
	}
	for (c = conn_long_options; c->name != NULL && n < CLI_OPTS_MAX - 1;
	    c++) {
		if ((o = cli_find(tool, e, c->name, false)) != NULL &&
		    ((e->flags & o->bit) || !(e->flags & CLI_F_CONNECT)))
			continue;
		opts[n++] = *c;
	}
	memset(&opts[n], 0, sizeof(opts[n]));
	return n;
}

int
cli_args(const struct cli_tool *tool, const struct cli_cmd *e, int argc,
    char **argv, void *ctx, struct conn_opts *conn, char ***ret_args,
    size_t *ret_nargs)
{
	const struct cli_option	*o;
	struct option		 opts[CLI_OPTS_MAX];
	struct diag		 d;
	unsigned long long	 given = 0;	/* tool options seen */
	const char		*v;
	size_t			 nargs;
	char			 name[64];
	int			 c, r, li;

	cli_table(tool, e, opts);
	optind = 1;
	opterr = 0;
	/*
	 * No message ever quotes an argument whole: "--password=SECRET" or
	 * the value after "--password" would put the secret on the screen.
	 * An option is named by its table entry, or by its text up to '='.
	 */
	for (;;) {
		li = -1;
		if ((c = getopt_long(argc, argv, ":hs:", opts, &li)) == -1)
			break;
		diag_clear(&d);
		if (c == 'h') {
			cli_usage(tool, e, stdout);
			return CLI_EXIT_OK;
		}
		if (c == '?' || c == ':') {
			if (optopt != 0 && optopt < 0x100)
				return cli_misuse(tool, e, "bad option '-%c'%s",
				    optopt, c == ':' ? ": it needs a value" :
				    "");
			return cli_misuse(tool, e, "bad option '%s'%s",
			    conn_arg_name(argv[optind - 1], name, sizeof(name)),
			    c == ':' ? ": it needs a value" :
			    strchr(argv[optind - 1], '=') != NULL ? ": unknown, "
			    "ambiguous, or it takes no value" : "");
		}
		if (c >= 0x2000) {
			o = &tool->options[c - 0x2000];
			if (!(e->flags & o->bit))
				goto not_here;
			if ((r = tool->handle(ctx, o->key, optarg, &d)) < 0)
				return cli_misuse(tool, e, "%s", d.msg);
			given |= 1ULL << (o - tool->options);
			continue;
		}
		if (!(e->flags & CLI_F_CONNECT) || conn == NULL)
			goto not_here;
		r = conn_opts_handle(conn, c, optarg, &d);
		if (r < 0)
			return cli_misuse(tool, e, "%s", d.msg);
		if (r == 0)
			goto not_here;
		continue;
not_here:
		if (li >= 0)
			snprintf(name, sizeof(name), "--%s", opts[li].name);
		else
			snprintf(name, sizeof(name), "-%c", c);
		return cli_misuse(tool, e, "option '%s' does not apply here",
		    name);
	}

	/* The environment fills what no flag gave, as for conn.h's. */
	for (o = tool->options; o != NULL && o->name != NULL; o++) {
		if (o->env == NULL || !(e->flags & o->bit) ||
		    (given & (1ULL << (o - tool->options))) ||
		    (v = getenv(o->env)) == NULL || *v == '\0')
			continue;
		diag_clear(&d);
		if (tool->handle(ctx, o->key, v, &d) < 0)
			return cli_misuse(tool, e, "%s (from %s)", d.msg,
			    o->env);
	}

	nargs = (size_t)(argc - optind);
	if ((e->flags & CLI_F_PATHS) && nargs == 0)
		return cli_misuse(tool, e, "%s", "no spec PATH given");
	/* Not quoted: it may be a secret that lost its option. */
	if (!(e->flags & CLI_F_PATHS) && nargs > 0)
		return cli_misuse(tool, e, "takes no PATH, but %zu "
		    "argument%s given", nargs, nargs == 1 ? " was" :
		    "s were");
	*ret_args = argv + optind;
	*ret_nargs = nargs;
	return -1;
}

int
cli_number(const char *name, const char *arg, long lo, long hi,
    struct diag *d, long *ret)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < lo || v > hi)
		return diag_set(d, -EINVAL, "%s: not a number from %ld to %ld",
		    name, lo, hi);
	*ret = v;
	return 0;
}

int
cli_load(const struct cli_tool *tool, char *const *paths, size_t npaths,
    int (*check)(const struct spec_set *, struct diag *),
    struct spec_set **ret_set)
{
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	struct diag		 d;
	char			 buf[DIAG_MSG_MAX + DIAG_FILE_MAX + 64];
	size_t			 i;
	int			 r;

	diag_clear(&d);
	r = validate_load(paths, npaths, NULL, &diags, &set);
	if (r == 0 && diags.n == 0 && check != NULL &&
	    (r = check(set, &d)) < 0 && diag_list_add(&diags, &d) < 0)
		r = -ENOMEM;
	if (r == 0 && diags.n == 0) {
		*ret_set = set;
		set = NULL;
		goto out;
	}
	diag_list_sort(&diags);
	for (i = 0; i < diags.n; i++)
		fprintf(stderr, "%s\n", diag_format(&diags.items[i], buf,
		    sizeof(buf)));
	if (r == -ENOMEM)
		fprintf(stderr, "%s: out of memory\n", tool->prog);
	fprintf(stderr, "%s: %zu problem%s found; %s\n", tool->prog, diags.n,
	    diags.n == 1 ? "" : "s", tool->nothing);
	r = CLI_EXIT_USAGE;
out:
	spec_set_free(set);
	diag_list_free(&diags);
	return r == 0 ? CLI_EXIT_OK : r;
}

void
cli_error(const struct cli_tool *tool, const char *what,
    const struct diag *d)
{
	char	buf[DIAG_MSG_MAX + DIAG_FILE_MAX + 64];

	fprintf(stderr, "%s: %s: %s\n", tool->prog, what,
	    diag_format(d, buf, sizeof(buf)));
}

int
cli_exit_code(int r)
{
	return diag_exit_code(r);
}

int
cli_connect(const struct cli_tool *tool, struct conn_opts *conn,
    bool need_js, struct jsapi **ret_api)
{
	struct jsapi	*api = NULL;
	struct diag	 d;
	char		*shown = NULL;
	int		 r;

	diag_clear(&d);
	if ((r = conn_opts_finish(conn, &d)) < 0) {
		cli_error(tool, "connection options", &d);
		return r == -ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
	}
	if ((r = jsapi_connect(conn, &d, &api)) < 0) {
		/* jsapi's message already names the (redacted) server. */
		fprintf(stderr, "%s: %s\n", tool->prog, d.msg);
		return cli_exit_code(r);
	}
	if (need_js && !jsapi_server(api)->jetstream) {
		if (conn_redact_url(conn->url, &shown) < 0) {
			jsapi_free(api);
			fprintf(stderr, "%s: out of memory\n", tool->prog);
			return CLI_EXIT_FAIL;
		}
		if (conn->js_domain != NULL || conn->js_api_prefix != NULL)
			fprintf(stderr, "%s: '%s': JetStream did not answer "
			    "under the domain or API prefix given (check "
			    "--js-domain or --js-api-prefix)\n", tool->prog,
			    shown);
		else
			fprintf(stderr, "%s: '%s': JetStream is not enabled "
			    "for this account on the server\n", tool->prog,
			    shown);
		free(shown);
		jsapi_free(api);
		return CLI_EXIT_CONNECT;
	}
	*ret_api = api;
	return CLI_EXIT_OK;
}

/* A short lower-case word: safe to quote back. */
static bool
cli_is_word(const char *s)
{
	size_t	n = strspn(s, "abcdefghijklmnopqrstuvwxyz-");

	return n > 0 && n <= 16 && s[n] == '\0';
}

static int
cli_dispatch(const struct cli_tool *tool, int argc, char **argv,
    const struct cli_cmd **ret_ran)
{
	size_t	i;

	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("%s %s (nats.c %s)\n", tool->prog, SUITE_VERSION,
		    jsapi_nats_version());
		return CLI_EXIT_OK;
	}
	if (argc >= 2 && (strcmp(argv[1], "help") == 0 ||
	    (tool->fallback == NULL && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)))) {
		cli_tool_usage(tool, stdout);
		return CLI_EXIT_OK;
	}
	if (tool->fallback != NULL && (argc < 2 || argv[1][0] == '-')) {
		*ret_ran = tool->fallback;
		return tool->fallback->run(tool->fallback, argc, argv);
	}
	if (argc < 2) {
		fprintf(stderr, "%s: no command given\n", tool->prog);
		cli_tool_usage(tool, stderr);
		return CLI_EXIT_USAGE;
	}
	for (i = 0; i < tool->ncmds; i++)
		if (strcmp(argv[1], tool->cmds[i]->name) == 0) {
			*ret_ran = tool->cmds[i];
			return tool->cmds[i]->run(tool->cmds[i], argc - 1,
			    argv + 1);
		}
	/* Quoted only when it looks like a command, never a secret. */
	if (cli_is_word(argv[1]))
		fprintf(stderr, "%s: unknown command '%s'\n", tool->prog,
		    argv[1]);
	else if (argv[1][0] == '-')
		fprintf(stderr, "%s: options go after the command: %s COMMAND "
		    "[OPTIONS]\n", tool->prog, tool->prog);
	else
		fprintf(stderr, "%s: unknown command (not shown: it is not a "
		    "word)\n", tool->prog);
	cli_tool_usage(tool, stderr);
	return CLI_EXIT_USAGE;
}

int
cli_main(const struct cli_tool *tool, int argc, char **argv)
{
	const struct cli_cmd	*ran = NULL;
	int			 rc;

	rc = cli_dispatch(tool, argc, argv, &ran);
	/* Waits for nats.c's threads, once a command may have started them. */
	if (ran != NULL)
		jsapi_shutdown();
	return rc;
}
