/* SPDX-License-Identifier: MIT */
/*
 * check-monitor: the monitoring port of the server the suite talks to is
 * healthy, shows JetStream, and knows every declared stream.
 *
 * The monitor URL is given separately from the NATS URL, so the varz check
 * also proves both point at the same server (server id and version).
 * An unreachable monitor is an error (the environment), a wrong answer a
 * failure.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "monitor.h"

static int64_t
mon_timeout(const struct check_ctx *ctx)
{
	return ctx->wait_ms > 0 ? ctx->wait_ms : 5000;
}

/* GET path; on a transport error sets res and returns nonzero. */
static int
mon_fetch(struct check_ctx *ctx, struct check_result *res,
    const char *path, cJSON **ret_json, long *ret_status)
{
	struct diag	d = { 0 };
	int		r;

	*ret_json = NULL;
	r = monitor_get(ctx->monitor_url, path, (long)mon_timeout(ctx),
	    &d, ret_json, ret_status);
	if (r != 0)
		check_error_diag(res, &d, "monitoring endpoint");
	return r;
}

/*
 * 2.10 and newer check every stream in /healthz, and answer 503 for one
 * that is being created or removed at that moment ("JetStream stream ...
 * could not be recovered"; measured on 2.10.27 and 2.15.1).  The suite's
 * own shadow streams come and go while this check runs, so an answer that
 * names one of them is asked again, within the check's timeout; any other
 * unhealthy answer fails at once.
 */
static bool
mon_own_stream(const struct check_ctx *ctx, const char *err)
{
	return err != NULL && ctx->run_id != NULL && ctx->run_id[0] != '\0' &&
	    strstr(err, ctx->run_id) != NULL;
}

static void
mon_healthz(struct check_ctx *ctx, struct check_result *res)
{
	cJSON		*j = NULL;
	const char	*status, *err;
	long		 http = 0;
	int64_t		 deadline = check_now_ms() + mon_timeout(ctx);

	for (;;) {
		if (mon_fetch(ctx, res, "/healthz", &j, &http) != 0)
			goto out;
		status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    j, "status"));
		err = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j,
		    "error"));
		if (http == 200 || !mon_own_stream(ctx, err) ||
		    check_now_ms() >= deadline)
			break;
		cJSON_Delete(j);
		j = NULL;
		check_sleep_ms(100);
	}
	if (http != 200 || status == NULL || strcmp(status, "ok") != 0) {
		check_fail(res, "/healthz answered HTTP %ld with status '%s'%s%s"
		    "%s; want HTTP 200 and status 'ok'", http,
		    status ? status : "(none)", err ? " (error '" : "",
		    err ? err : "", err ? "')" : "");
		goto out;
	}
	check_detail(res, "/healthz: HTTP 200, status 'ok'");
out:
	cJSON_Delete(j);
}

static void
mon_varz(struct check_ctx *ctx, struct check_result *res)
{
	const struct jsapi_server	*srv = jsapi_server(ctx->api);
	cJSON				*j = NULL, *js;
	const char			*version, *id;
	long				 http = 0;

	if (mon_fetch(ctx, res, "/varz", &j, &http) != 0)
		goto out;
	if (http != 200) {
		check_fail(res, "/varz answered HTTP %ld; want 200", http);
		goto out;
	}
	version = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j,
	    "version"));
	id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j,
	    "server_id"));
	js = cJSON_GetObjectItemCaseSensitive(j, "jetstream");
	check_detail(res, "/varz: version '%s', server_id '%s'",
	    version ? version : "(none)", id ? id : "(none)");
	if (version == NULL || *version == '\0') {
		check_fail(res, "/varz reports no server version");
		goto out;
	}
	if (!cJSON_IsObject(js) || !cJSON_IsObject(
	    cJSON_GetObjectItemCaseSensitive(js, "config"))) {
		check_fail(res, "/varz shows JetStream disabled (no "
		    "'jetstream.config'); the agents need JetStream");
		goto out;
	}
	if (id != NULL && *srv->id != '\0' && strcmp(id, srv->id) != 0) {
		check_fail(res, "/varz is server '%s' but the NATS connection "
		    "is to server '%s': --monitor points at another server",
		    id, srv->id);
		goto out;
	}
	if (strcmp(version, srv->version) != 0)
		check_fail(res, "/varz reports version '%s' but the NATS "
		    "connection's server is '%s'", version, srv->version);
out:
	cJSON_Delete(j);
}

static bool
mon_has_stream(const cJSON *jsz, const char *name)
{
	const cJSON	*acc, *st;

	cJSON_ArrayForEach(acc, cJSON_GetObjectItemCaseSensitive(jsz,
	    "account_details")) {
		cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(acc,
		    "stream_detail")) {
			const char *s = cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(st, "name"));

			if (s != NULL && strcmp(s, name) == 0)
				return true;
		}
	}
	return false;
}

static void
mon_jsz(struct check_ctx *ctx, struct check_result *res)
{
	char	 missing[800] = "";
	cJSON	*j = NULL;
	long	 http = 0;
	size_t	 nmissing = 0, nspecs = ctx->specs ? ctx->specs->nstreams : 0;

	/* accounts=true is what 2.9 needs to list stream_detail per account;
	 * later servers accept it too. */
	if (mon_fetch(ctx, res, "/jsz?accounts=true&streams=true", &j,
	    &http) != 0)
		goto out;
	if (http != 200) {
		check_fail(res, "/jsz answered HTTP %ld; want 200", http);
		goto out;
	}
	for (size_t i = 0; i < nspecs; i++) {
		const char *name = ctx->specs->streams[i].name;

		if (mon_has_stream(j, name)) {
			check_detail(res, "/jsz lists '%s'", name);
			continue;
		}
		check_detail(res, "/jsz does not list '%s'", name);
		snprintf(missing + strlen(missing),
		    sizeof(missing) - strlen(missing), "%s'%s'",
		    nmissing++ ? ", " : "", name);
	}
	if (nmissing > 0)
		check_fail(res, "/jsz does not list %zu of %zu declared "
		    "stream(s): %s", nmissing, nspecs, missing);
out:
	cJSON_Delete(j);
}

static const struct check mon_checks[] = {
	{ "monitoring.healthz", "/healthz reports the server healthy",
	    CHECK_NEEDS_MONITOR | CHECK_NEEDS_SERVER, mon_healthz },
	{ "monitoring.varz", "/varz shows JetStream enabled and the same "
	    "server and version as the NATS connection",
	    CHECK_NEEDS_MONITOR | CHECK_NEEDS_SERVER, mon_varz },
	{ "monitoring.jsz", "/jsz lists every declared stream",
	    CHECK_NEEDS_MONITOR | CHECK_NEEDS_SERVER, mon_jsz },
};

const struct check_group check_monitor_group = {
	"monitoring",
	"the monitoring port: health, JetStream and the declared streams",
	mon_checks,
	sizeof(mon_checks) / sizeof(mon_checks[0]),
};
