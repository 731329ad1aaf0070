/* SPDX-License-Identifier: MIT */
/*
 * bench-raw: the reference loops for ci/bench-provision.  The smallest
 * thing that does the same work as nats-provision: one connection, then N
 * raw $JS.API requests in a loop, with no spec loading and no planning.
 *
 *	bench-raw create|info|delete PREFIX N
 *
 * Streams are PREFIX-0000 ... with subjects PREFIX.0000.>.  Prints the
 * loop's elapsed nanoseconds (connection excluded) on stdout; the
 * benchmark times the whole process.  Connection
 * settings come from the environment (NATS_URL, NATS_USER, ...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "conn.h"
#include "jsapi.h"

static long long
raw_now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	struct conn_opts	 o;
	struct jsapi		*api = NULL;
	struct diag		 d;
	cJSON			*req = NULL, *resp = NULL;
	char			 name[256], subj[512], suffix[600];
	long long		 t0;
	int			 i, n, r = 1;

	if (argc != 4 || (n = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: bench-raw create|info|delete PREFIX N\n");
		return 2;
	}
	conn_opts_init(&o);
	diag_clear(&d);
	if (conn_opts_finish(&o, &d) < 0 || jsapi_connect(&o, &d, &api) < 0) {
		fprintf(stderr, "bench-raw: cannot connect: %s\n", d.msg);
		goto out;
	}
	t0 = raw_now_ns();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s-%04d", argv[2], i);
		req = NULL;
		if (strcmp(argv[1], "create") == 0) {
			snprintf(subj, sizeof(subj), "%s.%04d.>", argv[2], i);
			if ((req = cJSON_CreateObject()) == NULL ||
			    cJSON_AddStringToObject(req, "name", name) == NULL ||
			    cJSON_AddItemToObject(req, "subjects",
			    cJSON_CreateStringArray((const char *[]){ subj },
			    1)) == 0)
				goto out;
			snprintf(suffix, sizeof(suffix), "STREAM.CREATE.%s",
			    name);
		} else if (strcmp(argv[1], "info") == 0)
			snprintf(suffix, sizeof(suffix), "STREAM.INFO.%s", name);
		else
			snprintf(suffix, sizeof(suffix), "STREAM.DELETE.%s",
			    name);
		if (jsapi_request(api, suffix, req, &d, &resp) < 0) {
			fprintf(stderr, "bench-raw: %s: %s\n", suffix, d.msg);
			goto out;
		}
		cJSON_Delete(req);
		cJSON_Delete(resp);
		req = resp = NULL;
	}
	printf("%lld\n", raw_now_ns() - t0);
	r = 0;
out:
	cJSON_Delete(req);
	jsapi_free(api);
	conn_opts_free(&o);
	jsapi_shutdown();
	return r;
}
