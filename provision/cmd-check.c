/* SPDX-License-Identifier: MIT */
/*
 * cmd-check: the drift check for nightly runs.  One testcase per declared
 * stream and consumer; a failure lists the drifted fields.  Read-only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "console.h"
#include "junit.h"
#include "live.h"
#include "plan.h"
#include "report.h"

/* Describe one action's drift into buf; returns the one-line message. */
static const char *
cmd_check_describe(const struct plan_action *x, char *detail, size_t len)
{
	const struct plan_field	*fl;
	char			 v1[256], v2[256];
	size_t			 j, off = 0;
	bool			 cons = x->object == PLAN_CONSUMER;

	detail[0] = '\0';
	for (j = 0; j < x->nfields && off < len; j++) {
		fl = &x->fields[j];
		off += (size_t)snprintf(detail + off, len - off,
		    "%s: live %s, declared %s%s%s\n", fl->key,
		    cmd_common_value(cons, fl->key, fl->live, v1, sizeof(v1)),
		    cmd_common_value(cons, fl->key, fl->want, v2, sizeof(v2)),
		    fl->blocked != NULL ? " (cannot change in place: " : "",
		    fl->blocked != NULL ? "blocked)" : "");
	}
	switch (x->kind) {
	case PLAN_CREATE:
		return cons ? "declared consumer is missing on the server" :
		    "declared stream is missing on the server";
	case PLAN_BLOCKED:
		return "drifted, and the repair is blocked";
	default:
		return "drifted from its spec";
	}
}

static int
cmd_check_report(const struct plan *p, struct report *rep, size_t *ret_bad)
{
	const struct plan_action	*x;
	struct report_suite		*suite;
	char				 name[1024], msg[2048];
	char				 detail[8192];
	const char			*what;
	size_t				 i, j, nbad = 0;
	int				 r;

	if ((r = report_suite(rep, "drift", &suite)) < 0)
		return r;
	for (i = 0; i < p->n; i++) {
		x = &p->actions[i];
		if (x->kind == PLAN_DELETE)
			continue;
		if (x->object == PLAN_CONSUMER)
			snprintf(name, sizeof(name), "%s/%s", x->stream,
			    x->consumer);
		else
			snprintf(name, sizeof(name), "%s", x->stream);
		if (x->kind == PLAN_NOOP) {
			r = report_add_case(suite, name, x->object ==
			    PLAN_CONSUMER ? "provision.consumer" :
			    "provision.stream", REPORT_PASS, 0, NULL, NULL);
		} else {
			nbad++;
			what = cmd_check_describe(x, detail, sizeof(detail));
			snprintf(msg, sizeof(msg), "%s", what);
			for (j = 0; j < x->nfields; j++) {
				if (j == 0)
					strncat(msg, ": ", sizeof(msg) -
					    strlen(msg) - 1);
				else
					strncat(msg, ", ", sizeof(msg) -
					    strlen(msg) - 1);
				strncat(msg, x->fields[j].key, sizeof(msg) -
				    strlen(msg) - 1);
			}
			r = report_add_case(suite, name, x->object ==
			    PLAN_CONSUMER ? "provision.consumer" :
			    "provision.stream", REPORT_FAIL, 0, msg,
			    detail[0] != '\0' ? detail : NULL);
		}
		if (r < 0)
			return r;
	}
	*ret_bad = nbad;
	return 0;
}

static int
cmd_check_run(const struct cli_cmd *self, int argc, char **argv)
{
	struct cmd_session	 ss;
	struct report		*rep = NULL;
	char			*out = NULL, *xml = NULL, digest[17];
	size_t			 nbad = 0;
	int			 r;

	/* check takes no --prune: undeclared objects are not drift. */
	if ((r = cmd_common_open(self, argc, argv, &ss)) >= 0)
		goto out;
	if (report_new("nats-provision check", &rep) < 0 ||
	    report_set_prop(rep, "server.url", cmd_common_url(&ss.a)) < 0 ||
	    report_set_prop(rep, "server.version",
	    jsapi_server(ss.api)->version) < 0 ||
	    report_set_prop(rep, "server.name",
	    jsapi_server(ss.api)->name) < 0 ||
	    report_set_prop(rep, "spec.digest", spec_digest(ss.set,
	    digest)) < 0 ||
	    report_set_prop(rep, "runner.version", SUITE_VERSION) < 0 ||
	    cmd_check_report(ss.plan, rep, &nbad) < 0 ||
	    console_render(rep, isatty(STDOUT_FILENO), &out) < 0 ||
	    (ss.a.junit != NULL && junit_render(rep, &xml) < 0)) {
		fprintf(stderr, "%s check: out of memory\n", cmd_tool.prog);
		r = CMD_EXIT_DRIFT;
		goto out;
	}
	fputs(out, stdout);
	if (xml != NULL && (r = report_write_file(ss.a.junit, xml)) < 0) {
		fprintf(stderr, "%s check: cannot write '%s': %s\n",
		    cmd_tool.prog, ss.a.junit, strerror(-r));
		r = CMD_EXIT_DRIFT;
		goto out;
	}
	r = nbad > 0 ? CMD_EXIT_DRIFT : CMD_EXIT_OK;
out:
	free(out);
	free(xml);
	report_free(rep);
	cmd_common_close(&ss);
	return r;
}

const struct cli_cmd cmd_check_entry = {
	.name = "check",
	.usage = "[--junit FILE] [--stream NAME]... [CONNECTION FLAGS] PATH...",
	.summary = "Drift check: one testcase per declared stream and consumer; "
	    "exit 1 on drift.",
	.flags = CMD_F_PATHS | CMD_F_CONNECT | CMD_F_JUNIT | CMD_F_STREAM,
	.exits = CMD_EXITS,
	.run = cmd_check_run,
};
