/* SPDX-License-Identifier: MIT */
/*
 * live: a snapshot of the server's streams and consumers, read with
 * STREAM.LIST and CONSUMER.LIST pages rather than one request per stream.
 *
 * CONSUMER.LIST is sent only for streams that have consumers
 * (state.consumer_count > 0) and that the caller asks about, so planning
 * 1,000 streams without consumers costs ceil(1000 / page) requests.
 */
#ifndef LIVE_H
#define LIVE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "spec.h"

/* Only live_load() talks to the server: the planner sees plain data. */
struct jsapi;

struct live_stream {
	const char	*name;		/* points into info */
	cJSON		*info;		/* StreamInfo: config, state, created */
	cJSON		*consumers;	/* array of ConsumerInfo, or NULL when
					   not read */
};

struct live {
	int			 server_version;	/* 20910 */
	struct live_stream	*streams;		/* sorted by name */
	size_t			 nstreams;
	int			 cluster_size;		/* servers that can hold
							   a replica: 1
							   standalone, N in a
							   cluster, 0 unknown */
};

/*
 * Read the snapshot.  Consumers are listed for streams declared in set
 * (NULL: none) that have any, and for every stream when all_consumers is
 * true (prune).  Returns 0 or a jsapi error; -EHOSTUNREACH (d names
 * them) when streams did not answer: listed as missing, their consumer
 * list timed out, or on a cluster the stream list timed out.
 */
int	live_load(struct jsapi *api, const struct spec_set *set,
	    bool all_consumers, struct diag *d, struct live **ret);

/* Build a snapshot from a STREAM.LIST-style array (takes ownership of
 * streams; used by tests and live_load).  An element may carry a
 * "consumers" array of ConsumerInfo, which becomes its consumers.
 * Returns 0, -EBADMSG (not an array, or an entry without config.name),
 * -ENOMEM. */
int	live_from_json(int server_version, cJSON *streams, struct live **ret);

const struct live_stream *live_find(const struct live *l, const char *name);

void	live_free(struct live *l);

#endif
