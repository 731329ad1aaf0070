/* SPDX-License-Identifier: MIT */
/*
 * apply: carry out a plan against the server, in plan order.
 *
 * A plan with any blocked action is refused as a whole before anything is
 * sent: applying the other half of a change set would leave the server in
 * a state nobody declared.  So is a plan that would delete messages,
 * unless the caller allows data loss.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "apply.h"
#include "jsapi-server.h"
#include "schema.h"

/*
 * Names may come from the server (prune) or a saved plan file: quoted, see
 * diag_quote().
 */
static const char *
apply_object(const struct plan_action *a, char *buf, size_t len)
{
	char	q1[DIAG_QUOTE_LEN], q2[DIAG_QUOTE_LEN];

	if (a->object == PLAN_CONSUMER)
		snprintf(buf, len, "consumer '%s/%s'", diag_quote(a->stream,
		    DIAG_QUOTE_MAX, q1, sizeof(q1)), diag_quote(
		    a->consumer != NULL ? a->consumer : "", DIAG_QUOTE_MAX,
		    q2, sizeof(q2)));
	else
		snprintf(buf, len, "stream '%s'", diag_quote(a->stream,
		    DIAG_QUOTE_MAX, q1, sizeof(q1)));
	return buf;
}

static int
apply_precheck(const struct plan *p, bool allow_data_loss, struct diag *d,
    size_t *ret_index)
{
	const struct plan_action	*a;
	const struct plan_field		*f;
	char				 obj[600], loss[512];
	size_t				 i, j;

	for (i = 0; i < p->n && !allow_data_loss; i++) {
		a = &p->actions[i];
		if (!plan_is_lossy(a) || a->kind == PLAN_BLOCKED)
			continue;
		*ret_index = i;
		return diag_set(d, -EPERM, "%s: the %s %s; "
		    "--allow-data-loss allows it; nothing was changed",
		    apply_object(a, obj, sizeof(obj)),
		    a->kind == PLAN_DELETE ? "delete" : "update",
		    plan_loss_text(a, loss, sizeof(loss)));
	}
	for (i = 0; i < p->n; i++) {
		a = &p->actions[i];
		if (a->kind != PLAN_BLOCKED)
			continue;
		*ret_index = i;
		apply_object(a, obj, sizeof(obj));
		if (a->blocked != NULL)
			return diag_set(d, -EPERM, "%s: --prune cannot delete "
			    "it: %s; nothing was changed", obj, a->blocked);
		for (j = 0; j < a->nfields; j++) {
			f = &a->fields[j];
			if (f->blocked != NULL)
				return diag_set(d, -EPERM, "%s: '%s' cannot "
				    "change in place: %s; nothing was changed",
				    obj, f->key, f->blocked);
		}
		return diag_set(d, -EPERM, "%s: the change cannot be made in "
		    "place; nothing was changed", obj);
	}
	return 0;
}

/*
 * The config to send: on nats-server 2.11 and newer with "pedantic":
 * true, so that the server refuses rather than silently changes what the
 * plan showed (the planner already holds the defaults it would fill in).
 * *ret_copy is what to free.
 */
static const cJSON *
apply_config(struct jsapi *api, const struct plan_action *a,
    cJSON **ret_copy)
{
	*ret_copy = NULL;
	if (jsapi_server(api)->version_num < SCHEMA_V2_11)
		return a->config;
	if ((*ret_copy = cJSON_Duplicate(a->config, true)) == NULL ||
	    cJSON_AddTrueToObject(*ret_copy, "pedantic") == NULL) {
		cJSON_Delete(*ret_copy);
		*ret_copy = NULL;
		return NULL;
	}
	return *ret_copy;
}

static int
apply_one(struct jsapi *api, const struct plan_action *a, struct diag *d)
{
	const cJSON	*config = NULL;
	cJSON		*info = NULL, *copy = NULL;
	int		 r;

	if ((a->kind == PLAN_CREATE || a->kind == PLAN_UPDATE) &&
	    a->config == NULL)
		return diag_set(d, -EINVAL, "the plan has no config to send");
	if ((a->kind == PLAN_CREATE || a->kind == PLAN_UPDATE) &&
	    (config = apply_config(api, a, &copy)) == NULL)
		return diag_set(d, -ENOMEM, "out of memory");
	switch (a->kind) {
	case PLAN_CREATE:
	case PLAN_UPDATE:
		if (a->object == PLAN_CONSUMER)
			r = jsapi_consumer_create(api, a->stream, config, d,
			    &info);
		else if (a->kind == PLAN_CREATE)
			r = jsapi_stream_create(api, config, d, &info);
		else
			r = jsapi_stream_update(api, config, d, &info);
		break;
	case PLAN_DELETE:
		if (a->object == PLAN_CONSUMER)
			r = jsapi_consumer_delete(api, a->stream, a->consumer,
			    d);
		else
			r = jsapi_stream_delete(api, a->stream, d);
		break;
	default:
		r = 0;
		break;
	}
	cJSON_Delete(info);
	cJSON_Delete(copy);
	return r;
}

int
apply_plan(struct jsapi *api, const struct plan *p,
    const struct apply_opts *opts, apply_progress_fn progress, void *arg,
    struct diag *d, struct apply_result *ret_result)
{
	const struct plan_action	*a;
	struct apply_result		 res = { 0 };
	char				 obj[600];
	size_t				 i, total = 0;
	int				 r;

	if ((r = apply_precheck(p, opts != NULL && opts->allow_data_loss, d,
	    &res.failed_index)) < 0)
		goto out;
	for (i = 0; i < p->n; i++)
		if (p->actions[i].kind != PLAN_NOOP)
			total++;
	for (i = 0; i < p->n; i++) {
		a = &p->actions[i];
		if (a->kind == PLAN_NOOP)
			continue;
		if (progress != NULL)
			progress(a, res.done, total, arg);
		if ((r = apply_one(api, a, d)) < 0) {
			res.failed_index = i;
			diag_prefix(d, "%s", apply_object(a, obj,
			    sizeof(obj)));
			goto out;
		}
		res.done++;
	}
	r = 0;
out:
	if (ret_result != NULL)
		*ret_result = res;
	return r;
}
