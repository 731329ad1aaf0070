/* SPDX-License-Identifier: MIT */
/*
 * bench: the measurements of "nats-conformance bench" (see bench.h): a
 * reference loop, sequential and pipelined publish with ack, and
 * work-queue consume, on a temporary stream.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "check.h"
#include "junit.h"
#include "report.h"

#define BENCH_WINDOW		256	/* pipelined publishes in flight */
#define BENCH_BATCH		100	/* pull batch */

static volatile sig_atomic_t bench_sig;

void
bench_interrupt(int sig)
{
	bench_sig = sig;
}

int
bench_signal(void)
{
	return (int)bench_sig;
}

/* -EINTR with d set once a signal came; the loops check it per message. */
static int
bench_interrupted(struct diag *d)
{
	if (bench_sig == 0)
		return 0;
	return diag_set(d, -EINTR, "interrupted by signal %d",
	    (int)bench_sig);
}

static int64_t
bench_now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
bench_cmp_i64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int64_t
bench_pct(const int64_t *sorted, int n, double pct)
{
	int	i = (int)ceil(pct / 100.0 * n) - 1;

	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return sorted[i];
}

static int
bench_stream_create(struct jsapi *api, const char *name, struct diag *d)
{
	cJSON	*cfg = NULL, *subj, *info = NULL;
	char	 s[300];
	int	 r = -ENOMEM;

	snprintf(s, sizeof(s), "%s.>", name);
	if ((cfg = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(cfg, "name", name) == NULL ||
	    (subj = cJSON_AddArrayToObject(cfg, "subjects")) == NULL ||
	    !cJSON_AddItemToArray(subj, cJSON_CreateString(s)) ||
	    cJSON_AddStringToObject(cfg, "retention", "workqueue") == NULL ||
	    cJSON_AddStringToObject(cfg, "storage", "file") == NULL ||
	    cJSON_AddNumberToObject(cfg, "num_replicas", 1) == NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	r = check_stream_create(api, cfg, d, &info);
out:
	cJSON_Delete(info);
	cJSON_Delete(cfg);
	return r;
}

/* Sequential publish with ack: throughput and per-message latency. */
static int
bench_sync(struct jsapi *api, const char *subject, const char *payload,
    size_t size, int n, int64_t *lat, struct diag *d, double *ret_rate)
{
	cJSON	*ack = NULL;
	int64_t	 t0, t, start = bench_now_ns();
	int	 r;

	for (int i = 0; i < n; i++) {
		if ((r = bench_interrupted(d)) != 0)
			return r;
		t0 = bench_now_ns();
		if ((r = jsapi_js_publish(api, subject, NULL, payload, size, d,
		    &ack)) != 0)
			return r;
		t = bench_now_ns();
		lat[i] = t - t0;
		cJSON_Delete(ack);
		ack = NULL;
	}
	*ret_rate = n / ((bench_now_ns() - start) / 1e9);
	return 0;
}

/* Pipelined publish: up to BENCH_WINDOW PubAcks outstanding on one inbox. */
static int
bench_pipelined(struct jsapi *api, const char *subject, const char *payload,
    size_t size, int n, int64_t wait_ms, struct diag *d, double *ret_rate)
{
	struct jsapi_sub	*sub = NULL;
	struct jsapi_msg	*m = NULL;
	int64_t			 start;
	int			 sent = 0, acked = 0, r;
	cJSON			*ack;
	char			 q[DIAG_QUOTE_LEN];

	if ((r = jsapi_subscribe(api, NULL, d, &sub)) != 0)
		goto out;
	start = bench_now_ns();
	while (acked < n) {
		if ((r = bench_interrupted(d)) != 0)
			goto out;
		while (sent < n && sent - acked < BENCH_WINDOW) {
			if ((r = jsapi_publish(api, subject,
			    jsapi_sub_subject(sub), NULL, payload, size,
			    d)) != 0)
				goto out;
			sent++;
		}
		if ((r = jsapi_sub_next(sub, wait_ms, d, &m)) != 0)
			goto out;
		ack = cJSON_ParseWithLength(m->data, m->len);
		if (ack == NULL || cJSON_GetObjectItemCaseSensitive(ack,
		    "error") != NULL) {
			r = diag_set(d, -EPROTO, "publish %d was not "
			    "acknowledged: '%s'", acked + 1, diag_quote(
			    m->data, DIAG_QUOTE_MAX, q, sizeof(q)));
			cJSON_Delete(ack);
			goto out;
		}
		cJSON_Delete(ack);
		jsapi_msg_free(m);
		m = NULL;
		acked++;
	}
	*ret_rate = n / ((bench_now_ns() - start) / 1e9);
	r = 0;
out:
	jsapi_msg_free(m);
	jsapi_sub_free(sub);
	return r;
}

/* Work-queue consume: pull batches, ack each message (not waiting for the
 * server to confirm each ack; one flush at the end). */
static int
bench_consume(struct jsapi *api, const char *stream, const char *filter,
    int n, int64_t wait_ms, struct diag *d, double *ret_rate)
{
	struct jsapi_sub	*sub = NULL;
	struct jsapi_msg	*m = NULL;
	cJSON			*cfg = NULL, *info = NULL;
	int64_t			 start;
	int			 got = 0, r;

	if ((cfg = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(cfg, "durable_name", "bench") == NULL ||
	    cJSON_AddStringToObject(cfg, "ack_policy", "explicit") == NULL ||
	    cJSON_AddStringToObject(cfg, "filter_subject", filter) == NULL ||
	    cJSON_AddNumberToObject(cfg, "max_ack_pending", -1) == NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	if ((r = check_consumer_create(api, stream, cfg, d, &info)) != 0 ||
	    (r = jsapi_subscribe(api, NULL, d, &sub)) != 0)
		goto out;
	start = bench_now_ns();
	while (got < n) {
		int want = n - got < BENCH_BATCH ? n - got : BENCH_BATCH;

		if ((r = bench_interrupted(d)) != 0)
			goto out;
		if ((r = jsapi_pull(api, stream, "bench", want, wait_ms, sub,
		    d)) != 0)
			goto out;
		for (int i = 0; i < want; i++) {
			if ((r = jsapi_sub_next(sub, wait_ms, d, &m)) != 0)
				goto out;
			if (m->reply == NULL) {
				/* A status message (408/404): pull again. */
				jsapi_msg_free(m);
				m = NULL;
				break;
			}
			if ((r = jsapi_msg_ack(api, m, "+ACK", false, d)) != 0)
				goto out;
			jsapi_msg_free(m);
			m = NULL;
			got++;
		}
	}
	if ((r = jsapi_flush(api, d)) != 0)
		goto out;
	*ret_rate = n / ((bench_now_ns() - start) / 1e9);
out:
	jsapi_msg_free(m);
	jsapi_sub_free(sub);
	cJSON_Delete(info);
	cJSON_Delete(cfg);
	return r;
}

/* The reference: nats.c's own asynchronous publish loop. */
static int
bench_reference(struct jsapi *api, const char *subject, const char *payload,
    size_t size, int n, struct diag *d, double *ret_rate)
{
	int64_t	start = bench_now_ns();
	int	r;

	if ((r = jsapi_js_publish_async(api, subject, payload, size, n,
	    d)) != 0)
		return r;
	*ret_rate = n / ((bench_now_ns() - start) / 1e9);
	return 0;
}

int
bench_measure(struct jsapi *api, long count, long size, int64_t wait_ms,
    struct diag *d, struct bench_result *res)
{
	struct bench_fig	*figs = res->figs;
	char			 subj[128];
	char			*payload = NULL;
	int64_t			*lat = NULL;
	int			 r;

	memset(res, 0, sizeof(*res));
	if (count < 1 || count > BENCH_MAX_COUNT || size < 0 ||
	    size > BENCH_MAX_SIZE)
		return diag_set(d, -EINVAL, "invalid benchmark: %ld messages "
		    "of %ld bytes", count, size);
	if ((payload = malloc((size_t)size + 1)) == NULL ||
	    (lat = calloc((size_t)count, sizeof(*lat))) == NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	memset(payload, 'x', (size_t)size);
	payload[size] = '\0';

	snprintf(res->stream, sizeof(res->stream), "bench-%08lx%04x",
	    (unsigned long)time(NULL), (unsigned)getpid() & 0xffff);
	if ((r = bench_stream_create(api, res->stream, d)) != 0) {
		diag_prefix(d, "creating the benchmark stream");
		goto out;
	}
	res->created = true;
	if ((r = bench_interrupted(d)) != 0)
		goto out;

	snprintf(subj, sizeof(subj), "%s.ref", res->stream);
	if ((r = bench_reference(api, subj, payload, (size_t)size,
	    (int)count, d, &res->ref)) != 0) {
		diag_prefix(d, "reference async publish");
		goto out;
	}
	if ((r = bench_interrupted(d)) != 0)
		goto out;

	snprintf(subj, sizeof(subj), "%s.sync", res->stream);
	figs[0] = (struct bench_fig){ "publish.sync", "publish, sequential "
	    "with ack", 0 };
	if ((r = bench_sync(api, subj, payload, (size_t)size, (int)count,
	    lat, d, &figs[0].rate)) != 0) {
		if (r != -EINTR)
			diag_prefix(d, "sequential publish");
		goto out;
	}
	snprintf(subj, sizeof(subj), "%s.pipe", res->stream);
	figs[1] = (struct bench_fig){ "publish.pipelined", "publish, "
	    "pipelined (256 in flight)", 0 };
	if ((r = bench_pipelined(api, subj, payload, (size_t)size,
	    (int)count, wait_ms, d, &figs[1].rate)) != 0) {
		if (r != -EINTR)
			diag_prefix(d, "pipelined publish");
		goto out;
	}
	snprintf(subj, sizeof(subj), "%s.sync", res->stream);
	figs[2] = (struct bench_fig){ "consume.workqueue", "consume, pull "
	    "batch 100 + ack", 0 };
	if ((r = bench_consume(api, res->stream, subj, (int)count, wait_ms,
	    d, &figs[2].rate)) != 0) {
		if (r != -EINTR)
			diag_prefix(d, "work-queue consume");
		goto out;
	}
	qsort(lat, (size_t)count, sizeof(*lat), bench_cmp_i64);
	res->p50_ns = bench_pct(lat, (int)count, 50);
	res->p99_ns = bench_pct(lat, (int)count, 99);
out:
	free(lat);
	free(payload);
	return r;
}

int
bench_cleanup(struct jsapi *api, struct bench_result *res, struct diag *d)
{
	int	r;

	if (!res->created)
		return 0;
	if ((r = jsapi_stream_delete(api, res->stream, d)) != 0)
		return diag_prefix(d, "deleting the benchmark stream");
	res->created = false;
	return 0;
}

int
bench_junit(const char *path, const struct jsapi_server *srv,
    const struct bench_result *res, long count, long size)
{
	const struct bench_fig	*figs = res->figs;
	size_t			 nfigs = BENCH_NFIGS;
	double			 ref = res->ref;
	int64_t			 p50 = res->p50_ns, p99 = res->p99_ns;
	struct report		*rep = NULL;
	struct report_suite	*suite;
	char			 name[128], val[64], *xml = NULL;
	int			 r;

	if ((r = report_new("nats-conformance bench", &rep)) < 0 ||
	    (r = report_set_prop(rep, "server.version", srv->version)) < 0 ||
	    (r = report_set_prop(rep, "runner.version", SUITE_VERSION)) < 0)
		goto out;
	snprintf(val, sizeof(val), "%ld", count);
	if ((r = report_set_prop(rep, "bench.count", val)) < 0)
		goto out;
	snprintf(val, sizeof(val), "%ld", size);
	if ((r = report_set_prop(rep, "bench.size", val)) < 0)
		goto out;
	for (size_t i = 0; i < nfigs; i++) {
		snprintf(name, sizeof(name), "bench.%s.msgs_per_s",
		    figs[i].key);
		snprintf(val, sizeof(val), "%.0f", figs[i].rate);
		if ((r = report_set_prop(rep, name, val)) < 0)
			goto out;
		snprintf(name, sizeof(name), "bench.%s.ratio", figs[i].key);
		snprintf(val, sizeof(val), "%.3f", figs[i].rate / ref);
		if ((r = report_set_prop(rep, name, val)) < 0)
			goto out;
	}
	snprintf(val, sizeof(val), "%.1f", p50 / 1e3);
	if ((r = report_set_prop(rep, "bench.publish.latency.p50_us",
	    val)) < 0)
		goto out;
	snprintf(val, sizeof(val), "%.1f", p99 / 1e3);
	if ((r = report_set_prop(rep, "bench.publish.latency.p99_us",
	    val)) < 0)
		goto out;
	if ((r = report_suite(rep, "bench", &suite)) < 0 ||
	    (r = report_add_case(suite, "bench.throughput", "bench",
	    REPORT_PASS, 0, NULL, NULL)) < 0 ||
	    (r = junit_render(rep, &xml)) < 0 ||
	    (r = report_write_file(path, xml)) < 0)
		goto out;
out:
	free(xml);
	report_free(rep);
	return r;
}
