/* SPDX-License-Identifier: MIT */
/*
 * live: a snapshot of the server's streams and consumers.
 *
 * The stream list comes from STREAM.LIST pages and consumers from
 * CONSUMER.LIST pages, and only for streams that have consumers and that
 * the caller cares about: planning a thousand streams must not cost a
 * thousand requests.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jsapi.h"
#include "live.h"

static const char *
live_stream_name(const cJSON *info)
{
	const cJSON	*config, *name;

	config = cJSON_GetObjectItemCaseSensitive(info, "config");
	name = cJSON_GetObjectItemCaseSensitive(config, "name");
	if (!cJSON_IsString(name) || name->valuestring[0] == '\0')
		return NULL;
	return name->valuestring;
}

static int
live_cmp(const void *x, const void *y)
{
	const struct live_stream	*a = x, *b = y;

	return strcmp(a->name, b->name);
}

static void
live_stream_clear(struct live_stream *ls)
{
	cJSON_Delete(ls->info);
	cJSON_Delete(ls->consumers);
	memset(ls, 0, sizeof(*ls));
}

/*
 * An element may carry a "consumers" array of ConsumerInfo next to its
 * StreamInfo members; the server never sends one, tests use it to build a
 * snapshot with consumers in one literal.
 */
int
live_from_json(int server_version, cJSON *streams, struct live **ret)
{
	struct live		*l = NULL;
	struct live_stream	*ls;
	cJSON			*item;
	size_t			 n, i, j;
	int			 r;

	if (!cJSON_IsArray(streams)) {
		r = -EBADMSG;
		goto out;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	l->server_version = server_version;
	n = (size_t)cJSON_GetArraySize(streams);
	if ((l->streams = calloc(n == 0 ? 1 : n, sizeof(*l->streams))) ==
	    NULL) {
		r = -ENOMEM;
		goto out;
	}
	while ((item = cJSON_DetachItemFromArray(streams, 0)) != NULL) {
		ls = &l->streams[l->nstreams++];
		ls->info = item;
		if (!cJSON_IsObject(item) ||
		    (ls->name = live_stream_name(item)) == NULL) {
			r = -EBADMSG;
			goto out;
		}
		ls->consumers = cJSON_DetachItemFromObjectCaseSensitive(item,
		    "consumers");
		if (ls->consumers != NULL && !cJSON_IsArray(ls->consumers)) {
			r = -EBADMSG;
			goto out;
		}
	}
	qsort(l->streams, l->nstreams, sizeof(*l->streams), live_cmp);

	/*
	 * STREAM.LIST pages are read by offset, so a stream created while
	 * paging can shift another one onto the next page twice.
	 */
	for (i = 0, j = 0; i < l->nstreams; i++) {
		if (j > 0 && strcmp(l->streams[j - 1].name,
		    l->streams[i].name) == 0) {
			live_stream_clear(&l->streams[i]);
			continue;
		}
		l->streams[j++] = l->streams[i];
	}
	l->nstreams = j;
	*ret = l;
	l = NULL;
	r = 0;
out:
	live_free(l);
	cJSON_Delete(streams);
	return r;
}

static bool
live_wants_consumers(const struct live_stream *ls,
    const struct spec_set *set, bool all_consumers)
{
	const cJSON	*state, *count;

	if (!all_consumers &&
	    (set == NULL || spec_find_stream(set, ls->name) == NULL))
		return false;
	state = cJSON_GetObjectItemCaseSensitive(ls->info, "state");
	count = cJSON_GetObjectItemCaseSensitive(state, "consumer_count");
	/* Without a count, asking is the only way to be right. */
	if (!cJSON_IsNumber(count))
		return true;
	return count->valuedouble > 0;
}

int
live_load(struct jsapi *api, const struct spec_set *set, bool all_consumers,
    struct diag *d, struct live **ret)
{
	struct live		*l = NULL;
	struct live_stream	*ls;
	cJSON			*streams = NULL;
	char			 q[DIAG_QUOTE_LEN];
	size_t			 i;
	int			 r;

	if ((r = jsapi_stream_list(api, d, &streams)) < 0) {
		/* Which streams exist is unknown, not "none". */
		if (r == -ETIMEDOUT && d != NULL &&
		    jsapi_server(api)->cluster[0] != '\0')
			r = d->code = -EHOSTUNREACH;
		goto out;
	}
	r = live_from_json(jsapi_server(api)->version_num, streams, &l);
	if (r == -ENOMEM) {
		diag_set(d, r, "out of memory");
		goto out;
	}
	if (r < 0) {
		diag_set(d, r, "malformed reply from the server: a stream list "
		    "entry has no config or no name");
		goto out;
	}
	l->cluster_size = jsapi_server(api)->cluster_size;
	for (i = 0; i < l->nstreams; i++) {
		ls = &l->streams[i];
		if (!live_wants_consumers(ls, set, all_consumers))
			continue;
		if ((r = jsapi_consumer_list(api, ls->name, d,
		    &ls->consumers)) < 0) {
			/*
			 * On a cluster the stream's leader may be gone:
			 * its consumers are unknown, never absent.
			 */
			if (r == -ETIMEDOUT && d != NULL)
				r = d->code = -EHOSTUNREACH;
			diag_prefix(d, "stream '%s'%s", diag_quote(ls->name,
			    DIAG_QUOTE_MAX, q, sizeof(q)), r == -EHOSTUNREACH ?
			    " did not answer" : "");
			goto out;
		}
	}
	*ret = l;
	l = NULL;
	r = 0;
out:
	live_free(l);
	return r;
}

const struct live_stream *
live_find(const struct live *l, const char *name)
{
	size_t	lo = 0, hi, mid;
	int	c;

	if (l == NULL || name == NULL)
		return NULL;
	hi = l->nstreams;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(name, l->streams[mid].name);
		if (c == 0)
			return &l->streams[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void
live_free(struct live *l)
{
	size_t	i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nstreams; i++)
		live_stream_clear(&l->streams[i]);
	free(l->streams);
	free(l);
}
