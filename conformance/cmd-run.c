/* SPDX-License-Identifier: MIT */
/*
 * cmd-run: "nats-conformance run", the default command.  Parses the
 * options, loads and validates the specs, connects, runs the selected
 * checks through the runner, and writes the console summary and the
 * reports.  SIGINT and SIGTERM only raise a flag: the runner stops between
 * checks, cleans up, and the exit status is then 128 + the signal.
 */
#include <errno.h>
#include <signal.h>
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

#define CMD_RUN_ACK_WAIT_MS	300

static void
cmd_run_on_signal(int sig)
{
	runner_signal = sig;
}

static int
cmd_run_props(struct report *rep, const struct cmd_args *a,
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
cmd_run_write(const struct cmd_args *a, struct report *rep)
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
cmd_run_run(const struct cli_cmd *self, int argc, char **argv)
{
	struct cmd_args		 a;
	struct spec_set		*set = NULL;
	struct jsapi		*api = NULL;
	struct report		*rep = NULL;
	struct diag		 d = { 0 }, cd = { 0 };
	struct sigaction	 sa;
	size_t			 counts[4];
	int			 rc, r, wrc;

	if ((rc = cmd_args(self, argc, argv, &a)) >= 0)
		goto out;
	if (a.version) {
		printf("%s %s (nats.c %s)\n", cmd_tool.prog, SUITE_VERSION,
		    jsapi_nats_version());
		rc = CMD_EXIT_OK;
		goto out;
	}
	if (a.list) {
		rc = cmd_list_print(a.filters, a.ro.nfilters);
		goto out;
	}
	if (a.nspecs == 0)
		a.specs[a.nspecs++] = "specs";
	a.ro.ack_wait_ms = a.ro.wait_ms >= 2 * CMD_RUN_ACK_WAIT_MS ?
	    CMD_RUN_ACK_WAIT_MS : a.ro.wait_ms / 2;
	a.ro.conn = &a.conn;
	if ((rc = cli_load(&cmd_tool, a.specs, a.nspecs, catalog_check_specs,
	    &set)) != CMD_EXIT_OK)
		goto out;
	/* No JetStream is every check's error, not a failure to connect. */
	if ((rc = cli_connect(&cmd_tool, &a.conn, false, &api)) != CMD_EXIT_OK)
		goto out;

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
	cmd_args_free(&a);
	return rc;
}

const struct cli_cmd cmd_run_entry = {
	.name = "run",
	.usage = "[OPTIONS]",
	.summary = "Run the conformance checks against the streams declared in "
	    "the specs\n(the default command).",
	.flags = CLI_F_CONNECT | CMD_F_RUN | CMD_F_FILTER | CMD_F_JUNIT,
	.exits = CMD_EXITS,
	.run = cmd_run_run,
};
