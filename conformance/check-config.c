/* SPDX-License-Identifier: MIT */
/*
 * check-config: the live declared stream (and its declared consumers)
 * match the spec, judged by the provisioner's own planner so that the
 * conformance run and "nats-provision plan" never disagree about drift.
 *
 * On the shadow target the comparison is still made against the live
 * declared stream, not the shadow copy: the copy is made from the spec and
 * would always match.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jint.h"
#include "live.h"
#include "plan.h"
#include "schema.h"

/* One line per differing field, "key: live -> want"; names go into res. */
static void
config_report(struct check_result *res, const struct plan *p)
{
	char	names[900] = "", live[128], want[128], who[600];
	size_t	nbad = 0;

	for (size_t i = 0; i < p->n; i++) {
		const struct plan_action *a = &p->actions[i];

		if (a->kind == PLAN_NOOP)
			continue;
		if (a->object == PLAN_CONSUMER)
			snprintf(who, sizeof(who), "consumer '%s'",
			    a->consumer);
		else
			snprintf(who, sizeof(who), "stream '%s'", a->stream);
		if (a->kind == PLAN_CREATE) {
			check_detail(res, "%s is declared but does not exist "
			    "on the server", who);
			snprintf(names + strlen(names),
			    sizeof(names) - strlen(names), "%s%s missing",
			    nbad++ ? "; " : "", who);
			continue;
		}
		if (a->kind == PLAN_DELETE)
			continue;	/* prune is off: never planned */
		for (size_t j = 0; j < a->nfields; j++) {
			const struct plan_field *f = &a->fields[j];

			/* the provisioner's own formatter: same text */
			schema_value_text(a->object == PLAN_CONSUMER, f->key,
			    f->live, live, sizeof(live));
			schema_value_text(a->object == PLAN_CONSUMER, f->key,
			    f->want, want, sizeof(want));
			if (f->blocked != NULL)
				check_detail(res, "%s %s: %s -> %s (cannot "
				    "change in place: %s)", who, f->key, live,
				    want, f->blocked);
			else
				check_detail(res, "%s %s: %s -> %s", who,
				    f->key, live, want);
			snprintf(names + strlen(names),
			    sizeof(names) - strlen(names), "%s%s%s%s: %s -> "
			    "%s", nbad++ ? "; " : "",
			    a->object == PLAN_CONSUMER ? a->consumer : "",
			    a->object == PLAN_CONSUMER ? "." : "", f->key,
			    live, want);
		}
	}
	check_fail(res, "'%s' has drifted from its spec: %s",
	    p->actions[0].stream, names);
}

static void
config_matches_spec(struct check_ctx *ctx, struct check_result *res)
{
	const struct spec_stream	*spec = ctx->spec;
	struct spec_set			 one = { 0 };
	struct plan_opts		 opts = { .prune = false };
	struct live			*live = NULL;
	struct plan			*p = NULL;
	struct diag			 d = { 0 };
	cJSON				*info = NULL, *arr = NULL;
	cJSON				*consumers = NULL;
	int				 r;

	if (spec == NULL) {
		check_error(res, "no declared stream given to the check");
		goto out;
	}
	r = jsapi_stream_info(ctx->api, spec->name, &d, &info);
	if (r == -ENOENT) {
		check_fail(res, "stream '%s' is declared but does not exist "
		    "on the server", spec->name);
		goto out;
	}
	if (r != 0) {
		check_error_diag(res, &d, "reading the declared stream");
		goto out;
	}
	if (spec->nconsumers > 0 && (r = jsapi_consumer_list(ctx->api,
	    spec->name, &d, &consumers)) != 0) {
		check_error_diag(res, &d, "listing the declared stream's "
		    "consumers");
		goto out;
	}
	if ((arr = cJSON_CreateArray()) == NULL) {
		check_error(res, "out of memory");
		goto out;
	}
	cJSON_AddItemToArray(arr, info);
	info = NULL;
	if (live_from_json(ctx->server_version, arr, &live) != 0) {
		arr = NULL;
		check_error(res, "out of memory");
		goto out;
	}
	arr = NULL;
	if (live->nstreams == 1 && consumers != NULL) {
		live->streams[0].consumers = consumers;
		consumers = NULL;
	}

	/* A set of one: the planner then judges only this stream. */
	one.files = NULL;
	one.nfiles = 0;
	one.streams = (struct spec_stream *)spec;
	one.nstreams = 1;
	if ((r = plan_build(&one, live, &opts, &d, &p)) != 0) {
		if (r == -ENOTSUP)
			check_fail(res, "%s", d.msg);
		else
			check_error_diag(res, &d, "planning");
		goto out;
	}
	if (!plan_is_empty(p))
		config_report(res, p);
	else
		check_detail(res, "'%s' and its %zu declared consumer(s) "
		    "match the spec", spec->name, spec->nconsumers);
out:
	plan_free(p);
	live_free(live);
	cJSON_Delete(consumers);
	cJSON_Delete(arr);
	cJSON_Delete(info);
}

static const struct check config_checks[] = {
	{ "config.matches-spec", "the live declared stream and its consumers "
	    "match the spec (no drift)", 0, config_matches_spec },
};

const struct check_group check_config_group = {
	"config",
	"the live configuration matches the declared spec",
	config_checks,
	sizeof(config_checks) / sizeof(config_checks[0]),
};
