/* SPDX-License-Identifier: MIT */
/*
 * conformance-main: the nats-conformance entry point, and the tool's
 * command and option tables for the kit (cli.h).  Without a command (or
 * with options first) it runs the suite.
 */
#include <errno.h>
#include <string.h>

#include "bench.h"
#include "cmd.h"
#include "units.h"

#define MAIN_DEFAULT_WAIT_MS	2000
#define MAIN_DEFAULT_COUNT	10000
#define MAIN_DEFAULT_SIZE	128

enum {
	OPT_LIST,
	OPT_FILTER,
	OPT_SPECS,
	OPT_TARGET,
	OPT_WAIT,
	OPT_REPEAT,
	OPT_JUNIT,
	OPT_JSON,
	OPT_MONITOR,
	OPT_RESTART,
	OPT_FAULT,
	OPT_VERSION,
	OPT_COUNT,
	OPT_SIZE,
};

/* In the order --help lists them. */
static const struct cli_option main_options[] = {
	{ "list", NULL, "print each check id and what it proves, then exit",
	  CMD_F_RUN, OPT_LIST, NULL },
	{ "filter", "GLOB", "only the checks whose id matches GLOB (fnmatch);"
	  "\nrepeatable", CMD_F_FILTER, OPT_FILTER, NULL },
	{ "specs", "PATH", "spec file or directory (default 'specs');\n"
	  "repeatable", CMD_F_RUN, OPT_SPECS, NULL },
	{ "target", "T", "'shadow' (default): temporary copies of the\n"
	  "declared streams; 'live': the declared streams\nthemselves, "
	  "consuming checks skipped", CMD_F_RUN, OPT_TARGET, NULL },
	{ "timeout", "DUR", "the longest single wait of a check (default "
	  "2s);\nthe connection's comes from NATS_TIMEOUT or the context",
	  CMD_F_RUN, OPT_WAIT, NULL },
	{ "repeat", "N", "run the whole selection N times", CMD_F_RUN,
	  OPT_REPEAT, NULL },
	{ "count", "N", "messages per measurement (default 10000)",
	  CMD_F_BENCH, OPT_COUNT, NULL },
	{ "size", "BYTES", "payload size (default 128)", CMD_F_BENCH,
	  OPT_SIZE, NULL },
	{ "junit", "FILE", "write a JUnit XML report (bench: the figures as "
	  "properties)", CMD_F_JUNIT, OPT_JUNIT, NULL },
	{ "json", "FILE", "write a JSON report", CMD_F_RUN, OPT_JSON, NULL },
	{ "monitor", "URL", "monitoring port URL [NATS_MONITOR_URL]",
	  CMD_F_RUN, OPT_MONITOR, "NATS_MONITOR_URL" },
	{ "restart-cmd", "CMD", "command that restarts the server "
	  "(persistence)", CMD_F_RUN, OPT_RESTART, NULL },
	{ "fault", "NAME", NULL, CMD_F_RUN, OPT_FAULT, NULL },
	{ "version", NULL, "print the version and exit", CMD_F_RUN,
	  OPT_VERSION, NULL },
	{ NULL, NULL, NULL, 0, 0, NULL },
};

/* A repeatable option's value: at most CMD_MAX_LIST of them. */
static int
main_add(char **v, size_t *n, const char *name, const char *arg,
    struct diag *d)
{
	if (*n == CMD_MAX_LIST)
		return diag_set(d, -EINVAL, "%s: more than %d given", name,
		    CMD_MAX_LIST);
	/* argv outlives the run. */
	v[(*n)++] = (char *)arg;
	return 0;
}

static int
main_option(void *ctx, int key, const char *arg, struct diag *d)
{
	struct cmd_args	*a = ctx;
	int64_t		 ns;
	long		 v;
	int		 r;

	switch (key) {
	case OPT_LIST:
		a->list = true;
		return 0;
	case OPT_VERSION:
		a->version = true;
		return 0;
	case OPT_FILTER:
		return main_add(a->filters, &a->ro.nfilters, "--filter", arg,
		    d);
	case OPT_SPECS:
		return main_add(a->specs, &a->nspecs, "--specs", arg, d);
	case OPT_TARGET:
		if (strcmp(arg, "shadow") == 0)
			a->ro.target = CHECK_TARGET_SHADOW;
		else if (strcmp(arg, "live") == 0)
			a->ro.target = CHECK_TARGET_LIVE;
		else
			return diag_set(d, -EINVAL, "--target: neither "
			    "'shadow' nor 'live'");
		return 0;
	case OPT_WAIT:
		if (units_parse_duration(arg, &ns) != 0 || ns < 100000000LL ||
		    ns > 600000000000LL)
			return diag_set(d, -EINVAL, "--timeout: not a duration "
			    "from 100ms to 10m");
		a->ro.wait_ms = ns / 1000000;
		return 0;
	case OPT_REPEAT:
		if ((r = cli_number("--repeat", arg, 1, 10000, d, &v)) < 0)
			return r;
		a->ro.repeat = (int)v;
		return 0;
	case OPT_COUNT:
		return cli_number("--count", arg, 1, BENCH_MAX_COUNT, d,
		    &a->count);
	case OPT_SIZE:
		return cli_number("--size", arg, 0, BENCH_MAX_SIZE, d, &a->size);
	case OPT_JUNIT:
		a->junit = arg;
		return 0;
	case OPT_JSON:
		a->json = arg;
		return 0;
	case OPT_MONITOR:
		a->ro.monitor_url = arg;
		return 0;
	case OPT_RESTART:
		a->ro.restart_cmd = arg;
		return 0;
	case OPT_FAULT:
		a->ro.fault = arg;
		return 0;
	}
	return 0;
}

/* The subcommands, in the order --help lists them; run is the default. */
static const struct cli_cmd *const main_cmds[] = {
	&cmd_run_entry,
	&cmd_list_entry,
	&cmd_bench_entry,
};

const struct cli_tool cmd_tool = {
	.prog = "nats-conformance",
	.synopsis = "[COMMAND] [OPTIONS]",
	.about = "Proves against a live NATS server what the agents rely on.",
	.cmds = main_cmds,
	.ncmds = sizeof(main_cmds) / sizeof(main_cmds[0]),
	.fallback = &cmd_run_entry,
	.exits = CMD_EXITS,
	.options = main_options,
	.handle = main_option,
	.nothing = "nothing was run",
};

int
cmd_args(const struct cli_cmd *e, int argc, char **argv,
    struct cmd_args *ret)
{
	char	**rest;
	size_t	  nrest;

	memset(ret, 0, sizeof(*ret));
	conn_opts_init(&ret->conn);
	ret->ro.target = CHECK_TARGET_SHADOW;
	ret->ro.wait_ms = MAIN_DEFAULT_WAIT_MS;
	ret->ro.repeat = 1;
	ret->ro.filters = ret->filters;
	ret->count = MAIN_DEFAULT_COUNT;
	ret->size = MAIN_DEFAULT_SIZE;
	return cli_args(&cmd_tool, e, argc, argv, ret, &ret->conn, &rest,
	    &nrest);
}

void
cmd_args_free(struct cmd_args *a)
{
	if (a != NULL)
		conn_opts_free(&a->conn);
}

int
main(int argc, char **argv)
{
	return cli_main(&cmd_tool, argc, argv);
}
