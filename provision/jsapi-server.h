/* SPDX-License-Identifier: MIT */
/*
 * jsapi-server: what the server and the account are.  jsapi_connect()
 * reads the server's INFO line on a TCP connection of its own (nats.c 3.4
 * keeps the version to itself) and asks $JS.API.INFO whether the account
 * has JetStream; jsapi_server() hands the result out.
 *
 * What the server says about itself is kept quoted (diag_quote()).
 */
#ifndef JSAPI_SERVER_H
#define JSAPI_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "diag.h"

struct jsapi;

/* What the server said about itself in its INFO line. */
struct jsapi_server {
	char	version[32];		/* "2.9.10" */
	int	version_num;		/* 20910 */
	char	name[128];
	char	id[64];
	char	cluster[128];		/* "" when not clustered */
	int	cluster_size;		/* servers of the cluster: INFO's
					   connect_urls (itself included);
					   1 standalone; 0 unknown (the
					   cluster does not advertise) */
	char	domain[128];		/* JetStream domain, "" when none */
	bool	jetstream;		/* the account has JetStream */
};

/* The server the connection reached; valid while api lives. */
const struct jsapi_server *jsapi_server(const struct jsapi *api);

/*
 * The id of the server the connection is on now ("" when none): after a
 * reconnect on a cluster it is another node than jsapi_server()'s.
 * Returns buf.
 */
const char *jsapi_connected_server_id(const struct jsapi *api, char *buf,
	    size_t len);

/* $JS.API.INFO (account info), as jsapi_request(); caller frees. */
int	jsapi_account_info(struct jsapi *api, struct diag *d,
	    cJSON **ret_info);

/*
 * Parse the server's greeting "INFO {json}" into version, version_num,
 * name, id, cluster and cluster_size of ret (the other fields are left
 * alone).
 * -EPROTO when it is not an INFO line or has no usable version.
 */
int	jsapi_parse_info_line(const char *line, struct jsapi_server *ret,
	    struct diag *d);

#endif
