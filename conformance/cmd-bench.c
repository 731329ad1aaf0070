/* SPDX-License-Identifier: MIT */
/*
 * cmd-bench: "nats-conformance bench": the measurements of bench.c,
 * printed.  It is a benchmark, not a test: it fails only when a
 * measurement cannot be taken.  The temporary stream is deleted
 * afterwards, also after SIGINT or SIGTERM: the handler only raises
 * bench.c's flag, which the measuring loops check, and the exit status
 * is then 128 + the signal.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cmd.h"
#include "conn.h"
#include "jsapi.h"

static int
bench_run(const struct cli_cmd *self, int argc, char **argv)
{
	struct sigaction	 sa;
	struct cmd_args		 a;
	struct jsapi		*api = NULL;
	struct diag		 d = { 0 };
	struct bench_result	 res = { 0 };
	int64_t			 wait_ms;
	long			 count, size;
	bool			 deleted = false;
	int			 r = 0, rc;

	if ((rc = cmd_args(self, argc, argv, &a)) >= 0)
		goto out;
	rc = CMD_EXIT_FAIL;
	count = a.count;
	size = a.size;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = bench_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if ((rc = cli_connect(&cmd_tool, &a.conn, false, &api)) != CMD_EXIT_OK)
		goto out;
	rc = CMD_EXIT_FAIL;
	wait_ms = a.conn.timeout_ms > 0 ? a.conn.timeout_ms : 5000;
	if ((r = bench_measure(api, count, size, wait_ms, &d, &res)) != 0) {
		if (r == -ENOMEM)
			fprintf(stderr, "nats-conformance bench: out of "
			    "memory\n");
		else if (r != -EINTR)
			fprintf(stderr, "nats-conformance bench: %s\n", d.msg);
		goto out;
	}
	printf("nats-conformance bench: %ld messages of %ld bytes, server "
	    "%s\n", count, size, jsapi_server(api)->version);
	printf("  %-36s %10.0f msg/s  (reference)\n",
	    "nats.c async publish", res.ref);
	for (size_t i = 0; i < BENCH_NFIGS; i++)
		printf("  %-36s %10.0f msg/s  ratio %.3f\n", res.figs[i].what,
		    res.figs[i].rate, res.figs[i].rate / res.ref);
	printf("  %-36s p50 %.1f us, p99 %.1f us\n",
	    "publish-with-ack latency", res.p50_ns / 1e3, res.p99_ns / 1e3);
	if (a.junit != NULL && (r = bench_junit(a.junit, jsapi_server(api),
	    &res, count, size)) < 0) {
		fprintf(stderr, "nats-conformance bench: cannot write '%s': "
		    "%s\n", a.junit, strerror(-r));
		goto out;
	}
	rc = CMD_EXIT_OK;
out:
	/* A server that stopped answering or sent nonsense is not a fail. */
	if (rc == CMD_EXIT_FAIL && r < 0 && diag_exit_code(r) ==
	    CMD_EXIT_SERVER)
		rc = CMD_EXIT_SERVER;
	if (res.created) {
		diag_clear(&d);
		if (bench_cleanup(api, &res, &d) != 0) {
			fprintf(stderr, "nats-conformance bench: %s\n", d.msg);
			rc = rc == CMD_EXIT_OK ? CMD_EXIT_FAIL : rc;
		} else
			deleted = true;
	}
	if (bench_signal() != 0) {
		fprintf(stderr, "nats-conformance bench: interrupted by signal "
		    "%d%s\n", bench_signal(), deleted ? ": the benchmark "
		    "stream was deleted" : "");
		rc = 128 + bench_signal();
	}
	jsapi_free(api);
	cmd_args_free(&a);
	return rc;
}

const struct cli_cmd cmd_bench_entry = {
	.name = "bench",
	.usage = "[--count N] [--size BYTES] [--junit FILE] [CONNECTION FLAGS]",
	.summary = "Measure JetStream throughput and latency against nats.c's "
	    "own publish.\n\nPublish-with-ack throughput (sequential and "
	    "pipelined),\nwork-queue consume throughput (pull batches + "
	    "ack) and publish latency\n(p50/p99), each as a ratio against "
	    "nats.c's own async publish measured in\nthe same run.  Uses a "
	    "temporary stream that is deleted afterwards.",
	.flags = CLI_F_CONNECT | CMD_F_BENCH | CMD_F_JUNIT,
	.exits = CMD_EXITS,
	.run = bench_run,
};
