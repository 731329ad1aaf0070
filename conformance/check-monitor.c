/* SPDX-License-Identifier: MIT */
/*
 * check-monitor: the monitoring port of the server the suite talks to is
 * healthy, shows JetStream, and knows every declared stream.
 *
 * The monitor URL is given separately from the NATS URL, so the varz check
 * also proves both point at the same server (server id and version).
 * An unreachable monitor is an error (the environment), a wrong answer a
 * failure.
 *
 * On a cluster the client connects to any node: --monitor may list
 * several URLs (comma-separated).  healthz asks each; varz uses the one
 * that is the connection's server, or else one that routes to it (its
 * /routez names the connection's server id: a node of the same cluster);
 * jsz counts a declared stream listed by any of them, or one the
 * JetStream API places on nodes none of them is.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "monitor.h"

#define MON_URLS_MAX	16

struct mon_urls {
	struct conn_url	*v;
	size_t		 nv;
	char		*url[MON_URLS_MAX];	/* v[i].raw: secrets inside */
	int		 n;
	char		 why[DIAG_MSG_MAX];	/* when mon_urls() failed */
};

/*
 * Split ctx->monitor_url as conn_url_list() splits a server list, so that
 * a ',' or '/' in a password stays in it.  0, -EINVAL or -ENOMEM (why).
 */
static int
mon_urls(const struct check_ctx *ctx, struct mon_urls *u)
{
	struct diag	d = { 0 };
	size_t		i;
	int		r;

	u->n = 0;
	if ((r = conn_url_list(ctx->monitor_url, &d, &u->v, &u->nv)) < 0) {
		snprintf(u->why, sizeof(u->why), "monitoring URL: %s", d.msg);
		return r;
	}
	for (i = 0; i < u->nv && u->n < MON_URLS_MAX; i++)
		u->url[u->n++] = u->v[i].raw;
	return 0;
}

static void
mon_urls_free(struct mon_urls *u)
{
	conn_url_list_free(u->v, u->nv);
	u->v = NULL;
	u->nv = 0;
	u->n = 0;
}

static int64_t
mon_timeout(const struct check_ctx *ctx)
{
	return ctx->wait_ms > 0 ? ctx->wait_ms : 5000;
}

/* GET path; on a transport error sets res and returns nonzero. */
static int
mon_fetch_at(struct check_ctx *ctx, struct check_result *res,
    const char *url, const char *path, cJSON **ret_json, long *ret_status)
{
	struct diag	d = { 0 };
	int		r;

	*ret_json = NULL;
	r = monitor_get(url, path, (long)mon_timeout(ctx), &d, ret_json,
	    ret_status);
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

/*
 * On a cluster a node is "not current" for a moment while it catches up
 * with the meta leader or a stream's leader (2.9.10: "JetStream is not
 * current with the meta leader" under the suite's own churn): asked
 * again within the check's timeout, like the suite's own streams.
 */
static bool
mon_catching_up(const struct check_ctx *ctx, const char *err)
{
	return err != NULL && jsapi_server(ctx->api)->cluster[0] != '\0' &&
	    strstr(err, "not current") != NULL;
}

/* /healthz of one node; 0 when healthy, else the outcome is set. */
static int
mon_healthz_at(struct check_ctx *ctx, struct check_result *res,
    const char *url, const char *who)
{
	cJSON		*j = NULL;
	const char	*status = NULL, *err = NULL;
	long		 http = 0;
	int64_t		 deadline = check_now_ms() + mon_timeout(ctx);
	int		 r = -EIO;

	for (;;) {
		if (mon_fetch_at(ctx, res, url, "/healthz", &j, &http) != 0)
			goto out;
		status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    j, "status"));
		err = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j,
		    "error"));
		if (http == 200 || !(mon_own_stream(ctx, err) ||
		    mon_catching_up(ctx, err)) || check_now_ms() >= deadline)
			break;
		cJSON_Delete(j);
		j = NULL;
		check_sleep_ms(100);
	}
	if (http != 200 || status == NULL || strcmp(status, "ok") != 0) {
		check_fail(res, "%s/healthz answered HTTP %ld with status "
		    "'%s'%s%s%s; want HTTP 200 and status 'ok'", who, http,
		    status ? status : "(none)", err ? " (error '" : "",
		    err ? err : "", err ? "')" : "");
		goto out;
	}
	check_detail(res, "%s/healthz: HTTP 200, status 'ok'", who);
	r = 0;
out:
	cJSON_Delete(j);
	return r;
}

static void
mon_healthz(struct check_ctx *ctx, struct check_result *res)
{
	struct mon_urls	u = { 0 };
	char		who[64];
	int		i;

	if (mon_urls(ctx, &u) != 0) {
		check_error(res, "%s", u.why);
		return;
	}
	for (i = 0; i < u.n; i++) {
		who[0] = '\0';
		if (u.n > 1)
			snprintf(who, sizeof(who), "monitor %d of %d: ",
			    i + 1, u.n);
		if (mon_healthz_at(ctx, res, u.url[i], who) != 0)
			break;
	}
	mon_urls_free(&u);
}

/*
 * True when the node at url routes to the server whose id is id: its
 * /routez names id as a remote, so both are nodes of one cluster.
 */
static bool
mon_routes_to(struct check_ctx *ctx, const char *url, const char *id,
    char *name, size_t nlen)
{
	struct check_result	 scratch = { 0 };
	const cJSON		*it;
	const char		*rid;
	cJSON			*j = NULL;
	long			 http = 0;
	bool			 yes = false;
	int			 n = 0;

	if (mon_fetch_at(ctx, &scratch, url, "/routez", &j, &http) != 0 ||
	    http != 200)
		goto out;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "routes")) {
		if (++n > 256)
			break;
		rid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it,
		    "remote_id"));
		if (rid != NULL && strcmp(rid, id) == 0) {
			yes = true;
			break;
		}
	}
	rid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j,
	    "server_name"));
	snprintf(name, nlen, "%.100s", rid != NULL ? rid : "?");
out:
	cJSON_Delete(j);
	return yes;
}

static void
mon_varz(struct check_ctx *ctx, struct check_result *res)
{
	const struct jsapi_server	*srv = jsapi_server(ctx->api);
	struct mon_urls			 u = { 0 };
	cJSON				*j = NULL, *js;
	const char			*version, *id, *cid;
	char				 node[128], now_id[128];
	long				 http = 0;
	bool				 routed = false, mine;
	int				 i, pick = 0;

	if (mon_urls(ctx, &u) != 0) {
		check_error(res, "%s", u.why);
		goto out;
	}
	/*
	 * The connection's own node among those given; else, on a cluster,
	 * one that routes to it.  On a cluster the connection may have
	 * moved to another node since it was opened.
	 */
	cid = jsapi_connected_server_id(ctx->api, now_id, sizeof(now_id));
	if (*cid == '\0')
		cid = srv->id;
	for (i = 0; i < u.n && u.n > 1; i++) {
		if (mon_fetch_at(ctx, res, u.url[i], "/varz", &j, &http) != 0)
			goto out;
		id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j,
		    "server_id"));
		mine = id != NULL && strcmp(id, cid) == 0;
		cJSON_Delete(j);
		j = NULL;
		if (mine)
			break;
	}
	pick = i < u.n ? i : 0;
	if (mon_fetch_at(ctx, res, u.url[pick], "/varz", &j, &http) != 0)
		goto out;
	id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j,
	    "server_id"));
	if (id != NULL && *cid != '\0' && strcmp(id, cid) != 0 &&
	    srv->cluster[0] != '\0') {
		for (i = 0; i < u.n && !routed; i++) {
			routed = mon_routes_to(ctx, u.url[i], cid, node,
			    sizeof(node));
			pick = routed ? i : pick;
		}
		if (routed) {
			cJSON_Delete(j);
			j = NULL;
			if (mon_fetch_at(ctx, res, u.url[pick], "/varz", &j,
			    &http) != 0)
				goto out;
			check_detail(res, "the client is connected to server "
			    "'%s' of cluster '%s'; the monitor given is node "
			    "'%s', which routes to it", srv->name,
			    srv->cluster, node);
		}
	}
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
	if (!routed && id != NULL && *cid != '\0' && strcmp(id, cid) != 0) {
		check_fail(res, "/varz is server '%s' but the NATS connection "
		    "is to server '%s': --monitor points at another server",
		    id, cid);
		goto out;
	}
	if (!routed && strcmp(version, srv->version) != 0)
		check_fail(res, "/varz reports version '%s' but the NATS "
		    "connection's server is '%s'", version, srv->version);
out:
	mon_urls_free(&u);
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

/*
 * On a cluster, a stream that none of the monitors given lists may live
 * on other nodes: true when the JetStream API places it (leader and
 * replicas, named in where) on none of the nodes named in mons.
 */
static bool
mon_placed_elsewhere(struct check_ctx *ctx, const char *stream,
    char mons[][128], int n, char *where, size_t wlen)
{
	const cJSON	*cl, *it;
	const char	*peer;
	cJSON		*info = NULL;
	struct diag	 d = { 0 };
	size_t		 off = 0;
	bool		 away = true;
	int		 i, k = 0;
	char		 q[DIAG_QUOTE_LEN];

	where[0] = '\0';
	if (jsapi_stream_info(ctx->api, stream, &d, &info) != 0)
		return false;
	cl = cJSON_GetObjectItemCaseSensitive(info, "cluster");
	peer = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cl,
	    "leader"));
	it = cJSON_GetObjectItemCaseSensitive(cl, "replicas");
	it = it != NULL ? it->child : NULL;
	while (peer != NULL && k++ < 16) {
		for (i = 0; i < n; i++)
			if (strcmp(mons[i], peer) == 0)
				away = false;
		if (off < wlen)
			off += (size_t)snprintf(where + off, wlen - off,
			    "%s'%s'", off > 0 ? ", " : "", diag_quote(peer,
			    60, q, sizeof(q)));
		peer = NULL;
		for (; it != NULL && peer == NULL; it = it->next)
			peer = cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(it, "name"));
	}
	cJSON_Delete(info);
	return away && off > 0;
}

static void
mon_jsz(struct check_ctx *ctx, struct check_result *res)
{
	struct mon_urls	 u = { 0 };
	char		 missing[800] = "", where[512];
	char		 names[MON_URLS_MAX][128];
	cJSON		*j[MON_URLS_MAX] = { NULL }, *v = NULL;
	long		 http = 0;
	size_t		 nmissing = 0, nspecs = ctx->specs ? ctx->specs->nstreams : 0;
	const char	*sn;
	bool		 listed;
	int		 k;

	if (mon_urls(ctx, &u) != 0) {
		check_error(res, "%s", u.why);
		goto out;
	}
	for (k = 0; k < u.n; k++) {
		/* accounts=true is what 2.9 needs to list stream_detail
		 * per account; later servers accept it too. */
		if (mon_fetch_at(ctx, res, u.url[k],
		    "/jsz?accounts=true&streams=true", &j[k], &http) != 0)
			goto out;
		if (http != 200) {
			check_fail(res, "/jsz answered HTTP %ld; want 200",
			    http);
			goto out;
		}
		names[k][0] = '\0';
		if (mon_fetch_at(ctx, res, u.url[k], "/varz", &v, &http) != 0)
			goto out;
		sn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v,
		    "server_name"));
		snprintf(names[k], sizeof(names[k]), "%.100s", sn != NULL ?
		    sn : "");
		cJSON_Delete(v);
		v = NULL;
	}
	for (size_t i = 0; i < nspecs; i++) {
		const char *name = ctx->specs->streams[i].name;

		for (k = 0, listed = false; k < u.n && !listed; k++)
			listed = mon_has_stream(j[k], name);
		if (listed) {
			check_detail(res, "/jsz lists '%s'", name);
			continue;
		}
		if (jsapi_server(ctx->api)->cluster[0] != '\0' &&
		    mon_placed_elsewhere(ctx, name, names, u.n, where,
		    sizeof(where))) {
			check_detail(res, "'%s' is on %s, none of them a node "
			    "whose monitor was given", name, where);
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
	for (k = 0; k < MON_URLS_MAX; k++)
		cJSON_Delete(j[k]);
	mon_urls_free(&u);
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
