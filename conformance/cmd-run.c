/* SPDX-License-Identifier: MIT */
/*
 * cmd-run: "nats-conformance run", the default command.  Parses the
 * options, loads and validates the specs, connects, runs the selected
 * checks through the runner, and writes the console summary and the
 * reports.  SIGINT and SIGTERM only raise a flag: the runner stops between
 * checks, cleans up, and the exit status is then 128 + the signal.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "cmd.h"
#include "console.h"
#include "json.h"
#include "junit.h"
#include "runner.h"
#include "units.h"
#include "validate.h"

#define CMD_RUN_MAX_LIST	64
#define CMD_RUN_DEFAULT_WAIT_MS	2000
#define CMD_RUN_ACK_WAIT_MS	300

enum {
	CMD_RUN_OPT_LIST = 0x2000,
	CMD_RUN_OPT_FILTER,
	CMD_RUN_OPT_JUNIT,
	CMD_RUN_OPT_JSON,
	CMD_RUN_OPT_SPECS,
	CMD_RUN_OPT_WAIT,
	CMD_RUN_OPT_REPEAT,
	CMD_RUN_OPT_TARGET,
	CMD_RUN_OPT_MONITOR,
	CMD_RUN_OPT_RESTART,
	CMD_RUN_OPT_FAULT,
	CMD_RUN_OPT_HELP,
	CMD_RUN_OPT_VERSION,
};

static const struct option cmd_run_own[] = {
	{ "list",	 no_argument,		NULL,	CMD_RUN_OPT_LIST },
	{ "filter",	 required_argument,	NULL,	CMD_RUN_OPT_FILTER },
	{ "junit",	 required_argument,	NULL,	CMD_RUN_OPT_JUNIT },
	{ "json",	 required_argument,	NULL,	CMD_RUN_OPT_JSON },
	{ "specs",	 required_argument,	NULL,	CMD_RUN_OPT_SPECS },
	{ "timeout",	 required_argument,	NULL,	CMD_RUN_OPT_WAIT },
	{ "repeat",	 required_argument,	NULL,	CMD_RUN_OPT_REPEAT },
	{ "target",	 required_argument,	NULL,	CMD_RUN_OPT_TARGET },
	{ "monitor",	 required_argument,	NULL,	CMD_RUN_OPT_MONITOR },
	{ "restart-cmd", required_argument,	NULL,	CMD_RUN_OPT_RESTART },
	{ "fault",	 required_argument,	NULL,	CMD_RUN_OPT_FAULT },
	{ "help",	 no_argument,		NULL,	CMD_RUN_OPT_HELP },
	{ "version",	 no_argument,		NULL,	CMD_RUN_OPT_VERSION },
};

#define CMD_RUN_NOWN	(sizeof(cmd_run_own) / sizeof(cmd_run_own[0]))

static const char cmd_run_usage_text[] =
"usage: nats-conformance [run] [OPTIONS]\n"
"       nats-conformance list [--filter GLOB]...\n"
"\n"
"Runs the conformance checks against the streams declared in the specs.\n"
"  --list               print each check id and what it proves, then exit\n"
"  --filter GLOB        run only checks whose id matches GLOB (fnmatch);\n"
"                       repeatable\n"
"  --specs PATH         spec file or directory (default 'specs');\n"
"                       repeatable\n"
"  --target T           'shadow' (default): temporary copies of the\n"
"                       declared streams; 'live': the declared streams\n"
"                       themselves, consuming checks skipped\n"
"  --timeout DURATION   the longest single wait (default 2s)\n"
"  --repeat N           run the whole selection N times\n"
"  --junit FILE         write a JUnit XML report\n"
"  --json FILE          write a JSON report\n"
"  --monitor URL        monitoring port URL [NATS_MONITOR_URL]\n"
"  --restart-cmd CMD    command that restarts the server (persistence)\n"
"  --help, --version\n"
"Exit status: 0 all passed, 1 a check failed or errored, 2 usage error or\n"
"invalid spec, 3 cannot connect or authenticate, 5 no answer in time or a\n"
"reply that cannot be used (outside the checks), 128+N after signal N.\n"
"The connection timeout comes from NATS_TIMEOUT or the context: --timeout\n"
"here is the checks' wait.\n"
"\n";

struct cmd_run_args {
	struct runner_opts	 ro;
	struct conn_opts	 conn;
	char			*filters[CMD_RUN_MAX_LIST];
	char			*specs[CMD_RUN_MAX_LIST];
	size_t			 nspecs;
	const char		*junit;
	const char		*json;
	bool			 list;
};

static void
cmd_run_usage(FILE *f)
{
	fputs(cmd_run_usage_text, f);
	fputs(conn_usage, f);
}

static int	cmd_run_misuse(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));

static int
cmd_run_misuse(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "nats-conformance: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	cmd_run_usage(stderr);
	return CMD_EXIT_USAGE;
}

static void
cmd_run_on_signal(int sig)
{
	runner_signal = sig;
}

/* Returns -1 to go on, or an exit code. */
static int
cmd_run_parse(int argc, char **argv, struct cmd_run_args *a)
{
	struct option	 opts[CMD_RUN_NOWN + 16];
	struct diag	 d = { 0 };
	size_t		 n = 0, i;
	int64_t		 ns;
	char		*end, name[64];
	long		 v;
	int		 c, r, li;

	memcpy(opts, cmd_run_own, sizeof(cmd_run_own));
	n = CMD_RUN_NOWN;
	/* Our --timeout is the checks' wait; the connection's is env. */
	for (i = 0; conn_long_options[i].name != NULL && n + 1 <
	    sizeof(opts) / sizeof(opts[0]); i++)
		if (strcmp(conn_long_options[i].name, "timeout") != 0)
			opts[n++] = conn_long_options[i];
	memset(&opts[n], 0, sizeof(opts[n]));

	/*
	 * No message quotes an argument or a value: "--password=SECRET", or
	 * a secret given to the wrong option, would reach the screen.
	 */
	optind = 1;
	opterr = 0;
	for (;;) {
		li = -1;
		if ((c = getopt_long(argc, argv, ":s:", opts, &li)) == -1)
			break;
		switch (c) {
		case CMD_RUN_OPT_LIST:
			a->list = true;
			break;
		case CMD_RUN_OPT_FILTER:
			if (a->ro.nfilters == CMD_RUN_MAX_LIST)
				return cmd_run_misuse("--filter: more than "
				    "%s given", "64");
			a->filters[a->ro.nfilters++] = optarg;
			break;
		case CMD_RUN_OPT_SPECS:
			if (a->nspecs == CMD_RUN_MAX_LIST)
				return cmd_run_misuse("--specs: more than %s "
				    "given", "64");
			a->specs[a->nspecs++] = optarg;
			break;
		case CMD_RUN_OPT_JUNIT:
			a->junit = optarg;
			break;
		case CMD_RUN_OPT_JSON:
			a->json = optarg;
			break;
		case CMD_RUN_OPT_WAIT:
			if (units_parse_duration(optarg, &ns) != 0 ||
			    ns < 100000000LL || ns > 600000000000LL)
				return cmd_run_misuse("--timeout: not a "
				    "duration from 100ms to 10m");
			a->ro.wait_ms = ns / 1000000;
			break;
		case CMD_RUN_OPT_REPEAT:
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    v < 1 || v > 10000)
				return cmd_run_misuse("--repeat: not a number "
				    "from 1 to 10000");
			a->ro.repeat = (int)v;
			break;
		case CMD_RUN_OPT_TARGET:
			if (strcmp(optarg, "shadow") == 0)
				a->ro.target = CHECK_TARGET_SHADOW;
			else if (strcmp(optarg, "live") == 0)
				a->ro.target = CHECK_TARGET_LIVE;
			else
				return cmd_run_misuse("--target: neither "
				    "'shadow' nor 'live'");
			break;
		case CMD_RUN_OPT_MONITOR:
			a->ro.monitor_url = optarg;
			break;
		case CMD_RUN_OPT_RESTART:
			a->ro.restart_cmd = optarg;
			break;
		case CMD_RUN_OPT_FAULT:
			a->ro.fault = optarg;
			break;
		case CMD_RUN_OPT_HELP:
			cmd_run_usage(stdout);
			return CMD_EXIT_OK;
		case CMD_RUN_OPT_VERSION:
			printf("nats-conformance %s (nats.c %s)\n",
			    SUITE_VERSION, jsapi_nats_version());
			return CMD_EXIT_OK;
		case ':':
			if (optopt != 0 && optopt < 0x100)
				return cmd_run_misuse("option '-%c' needs a "
				    "value", optopt);
			return cmd_run_misuse("option '%s' needs a value",
			    conn_arg_name(argv[optind - 1], name,
			    sizeof(name)));
		case '?':
			if (optopt != 0 && optopt < 0x100)
				return cmd_run_misuse("unknown option '-%c'",
				    optopt);
			return cmd_run_misuse("unknown option '%s'%s",
			    conn_arg_name(argv[optind - 1], name,
			    sizeof(name)), strchr(argv[optind - 1], '=') !=
			    NULL ? " (or ambiguous, or it takes no value)" :
			    "");
		default:
			r = conn_opts_handle(&a->conn, c, optarg, &d);
			if (r < 0)
				return cmd_run_misuse("%s", d.msg);
			if (r == 0)
				return cmd_run_misuse("option '%s' does not "
				    "apply here", li >= 0 ? opts[li].name :
				    "?");
			break;
		}
	}
	/* Not quoted: it may be a secret that lost its option. */
	if (optind < argc)
		return cmd_run_misuse("takes no arguments (spec paths go "
		    "with --specs), but %d %s given", argc - optind,
		    argc - optind == 1 ? "was" : "were");
	return -1;
}

static int
cmd_run_load(struct cmd_run_args *a, struct spec_set **ret)
{
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	struct diag		 d = { 0 };
	char			 buf[2048];
	size_t			 i;
	int			 r, rc = CMD_EXIT_USAGE;

	r = validate_load(a->specs, a->nspecs, NULL, &diags, &set);
	if (r == 0 && (r = catalog_check_specs(set, &d)) != 0)
		diag_list_add(&diags, &d);
	if (r == -ENOMEM) {
		fprintf(stderr, "nats-conformance: loading the specs: out of "
		    "memory\n");
		goto out;
	}
	if (r != 0) {
		diag_list_sort(&diags);
		for (i = 0; i < diags.n; i++)
			fprintf(stderr, "%s\n", diag_format(&diags.items[i],
			    buf, sizeof(buf)));
		fprintf(stderr, "nats-conformance: the specs are invalid: "
		    "nothing was run\n");
		goto out;
	}
	*ret = set;
	set = NULL;
	rc = CMD_EXIT_OK;
out:
	spec_set_free(set);
	diag_list_free(&diags);
	return rc;
}

static int
cmd_run_props(struct report *rep, const struct cmd_run_args *a,
    struct jsapi *api, const struct spec_set *set)
{
	const struct jsapi_server	*sv = jsapi_server(api);
	char				 digest[17];
	char				*url = NULL;
	int				 r;

	if ((r = conn_redact_url(a->conn.url, &url)) != 0)
		return r;
	if ((r = report_set_prop(rep, "server.version", sv->version)) != 0 ||
	    (r = report_set_prop(rep, "server.name", sv->name)) != 0 ||
	    (r = report_set_prop(rep, "server.cluster", sv->cluster)) != 0 ||
	    (r = report_set_prop(rep, "jetstream.domain", sv->domain)) != 0 ||
	    (r = report_set_prop(rep, "target", a->ro.target ==
	    CHECK_TARGET_LIVE ? "live" : "shadow")) != 0 ||
	    (r = report_set_prop(rep, "spec.digest",
	    spec_digest(set, digest))) != 0 ||
	    (r = report_set_prop(rep, "runner.version", SUITE_VERSION)) != 0 ||
	    (r = report_set_prop(rep, "server.url", url)) != 0 ||
	    (a->ro.fault != NULL &&
	    (r = report_set_prop(rep, "fault", a->ro.fault)) != 0))
		goto out;
	if (rep->hostname == NULL) {
		char	host[256];

		if (gethostname(host, sizeof(host)) != 0)
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		if ((rep->hostname = strdup(host)) == NULL)
			r = -ENOMEM;
	}
out:
	free(url);
	return r;
}

/* Render rep to the console and the files; returns 0 or an exit code. */
static int
cmd_run_write(const struct cmd_run_args *a, struct report *rep)
{
	char	*s = NULL;
	int	 r, rc = CMD_EXIT_OK;

	if ((r = console_render(rep, isatty(STDOUT_FILENO), &s)) == 0) {
		fputs(s, stdout);
		fflush(stdout);
	} else
		fprintf(stderr, "nats-conformance: rendering the summary: "
		    "%s\n", strerror(-r));
	free(s);
	s = NULL;
	if (a->junit != NULL && ((r = junit_render(rep, &s)) != 0 ||
	    (r = report_write_file(a->junit, s)) != 0)) {
		fprintf(stderr, "nats-conformance: writing '%s': %s\n",
		    a->junit, strerror(-r));
		rc = CMD_EXIT_FAIL;
	}
	free(s);
	s = NULL;
	if (a->json != NULL && ((r = json_render(rep, &s)) != 0 ||
	    (r = report_write_file(a->json, s)) != 0)) {
		fprintf(stderr, "nats-conformance: writing '%s': %s\n",
		    a->json, strerror(-r));
		rc = CMD_EXIT_FAIL;
	}
	free(s);
	return rc;
}

static int
cmd_run_run(int argc, char **argv)
{
	struct cmd_run_args	 a;
	struct spec_set		*set = NULL;
	struct jsapi		*api = NULL;
	struct report		*rep = NULL;
	struct diag		 d = { 0 }, cd = { 0 };
	struct sigaction	 sa;
	const char		*env;
	size_t			 counts[4];
	int			 rc, r, wrc;

	memset(&a, 0, sizeof(a));
	conn_opts_init(&a.conn);
	a.ro.target = CHECK_TARGET_SHADOW;
	a.ro.wait_ms = CMD_RUN_DEFAULT_WAIT_MS;
	a.ro.repeat = 1;
	a.ro.filters = a.filters;
	if ((rc = cmd_run_parse(argc, argv, &a)) >= 0)
		goto out;
	if (a.list) {
		rc = cmd_list_print(a.filters, a.ro.nfilters);
		goto out;
	}
	if (a.nspecs == 0)
		a.specs[a.nspecs++] = "specs";
	a.ro.ack_wait_ms = a.ro.wait_ms >= 2 * CMD_RUN_ACK_WAIT_MS ?
	    CMD_RUN_ACK_WAIT_MS : a.ro.wait_ms / 2;
	if (a.ro.monitor_url == NULL && (env = getenv("NATS_MONITOR_URL")) !=
	    NULL && env[0] != '\0')
		a.ro.monitor_url = env;
	if ((r = conn_opts_finish(&a.conn, &d)) != 0) {
		fprintf(stderr, "nats-conformance: connection options: %s\n",
		    d.msg);
		rc = CMD_EXIT_USAGE;
		goto out;
	}
	a.ro.conn = &a.conn;
	if ((rc = cmd_run_load(&a, &set)) != CMD_EXIT_OK)
		goto out;
	if ((r = jsapi_connect(&a.conn, &d, &api)) != 0) {
		/* jsapi's message already names the (redacted) server. */
		fprintf(stderr, "nats-conformance: %s\n", d.msg);
		rc = cmd_connect_exit(r);
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cmd_run_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if ((r = report_new("nats-conformance", &rep)) != 0 ||
	    (r = cmd_run_props(rep, &a, api, set)) != 0) {
		fprintf(stderr, "nats-conformance: building the report: out "
		    "of memory\n");
		rc = CMD_EXIT_FAIL;
		goto out;
	}
	r = runner_run(&a.ro, api, set, rep, &d, &cd);
	if (r != 0 && r != -EINTR) {
		fprintf(stderr, "nats-conformance: running the checks: %s\n",
		    d.msg);
		rc = r == -EINVAL ? CMD_EXIT_USAGE : CMD_EXIT_FAIL;
		goto out;
	}
	wrc = cmd_run_write(&a, rep);
	report_counts(rep, counts);
	rc = counts[REPORT_FAIL] + counts[REPORT_ERROR] > 0 ? CMD_EXIT_FAIL :
	    wrc;
	if (cd.code != 0) {
		fprintf(stderr, "nats-conformance: cleaning up: %s\n", cd.msg);
		rc = CMD_EXIT_FAIL;
	}
	if (r == -EINTR) {
		fprintf(stderr, "nats-conformance: %s: remaining checks "
		    "skipped, cleanup done\n", d.msg);
		rc = 128 + runner_signal;
	}
out:
	report_free(rep);
	jsapi_free(api);
	spec_set_free(set);
	conn_opts_free(&a.conn);
	return rc;
}

const struct cmd cmd_run_entry = {
	"run",
	"[OPTIONS]",
	cmd_run_run,
};
