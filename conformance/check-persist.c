/* SPDX-License-Identifier: MIT */
/*
 * check-persist: acknowledged messages and a durable consumer's progress
 * survive a server restart.
 *
 * The check writes to a file-storage stream of its own, moves a durable
 * part way (some messages acked, one delivered but not acked), runs the
 * user's --restart-cmd, reconnects and compares stream state and consumer
 * info with what they were before.  A restart that loses the store shows
 * up as a missing stream or consumer or as lost messages.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include "check.h"
#include "reply.h"

#define PERSIST_MSGS		10
#define PERSIST_PULL		4	/* delivered */
#define PERSIST_ACK		3	/* of which acked */
#define PERSIST_RESTART_MS	120000	/* the restart command's bound */
#define PERSIST_OUTPUT_MAX	1024	/* restart output kept for detail */

/*
 * Run cmd with /bin/sh -c in its own process group, its output captured
 * (not printed: a check never prints).  Waits for the shell itself, not
 * for daemons it leaves holding the pipe.  Returns the exit status, or -1
 * with why set.
 */
static int
persist_run(const char *cmd, char *out, size_t outlen, char *why,
    size_t whylen)
{
	int	 p[2], st = 0, status = -1;
	pid_t	 pid, w = 0;
	size_t	 used = 0;
	bool	 eof = false;
	int64_t	 deadline = check_now_ms() + PERSIST_RESTART_MS;
	char	 buf[512];
	ssize_t	 n;

	out[0] = '\0';
	if (pipe(p) != 0) {
		snprintf(why, whylen, "pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) < 0) {
		snprintf(why, whylen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		close(p[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);	/* both sides: no race with kill(-pid) */
	close(p[1]);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	for (;;) {
		struct pollfd	pfd = { p[0], POLLIN, 0 };

		/* After EOF only the shell's exit is awaited. */
		if (poll(&pfd, eof ? 0 : 1, 50) > 0) {
			while ((n = read(p[0], buf, sizeof(buf) < outlen ?
			    sizeof(buf) : outlen - 1)) > 0) {
				/* Keep the tail: the last lines say why. */
				if (used + (size_t)n > outlen - 1) {
					size_t drop = used + (size_t)n -
					    (outlen - 1);

					memmove(out, out + drop, used - drop);
					used -= drop;
				}
				memcpy(out + used, buf, (size_t)n);
				used += (size_t)n;
				out[used] = '\0';
			}
			if (n == 0)
				eof = true;
		}
		if (w == 0 && (w = waitpid(pid, &st, WNOHANG)) == pid)
			break;
		if (w < 0) {
			snprintf(why, whylen, "waitpid: %s", strerror(errno));
			goto out;
		}
		if (check_now_ms() > deadline) {
			kill(-pid, SIGKILL);
			waitpid(pid, &st, 0);
			snprintf(why, whylen, "did not finish within %d s",
			    PERSIST_RESTART_MS / 1000);
			goto out;
		}
	}
	if (WIFEXITED(st))
		status = WEXITSTATUS(st);
	else
		snprintf(why, whylen, "killed by signal %d", WTERMSIG(st));
out:
	close(p[0]);
	return status;
}

/* Connect again, retrying until the restarted server answers. */
static int
persist_reconnect(struct check_ctx *ctx, int64_t deadline, struct diag *d,
    struct jsapi **ret)
{
	int	r;

	for (;;) {
		diag_clear(d);
		if ((r = jsapi_connect(ctx->conn, d, ret)) == 0)
			return 0;
		if (r != -ECONNREFUSED && r != -ETIMEDOUT)
			return r;
		if (check_now_ms() > deadline)
			return r;
		check_sleep_ms(100);
	}
}

/* STREAM.INFO, retried while JetStream is still recovering its store. */
static int
persist_stream_info(struct jsapi *api, const char *name, int64_t deadline,
    struct diag *d, cJSON **ret)
{
	int	r;

	for (;;) {
		diag_clear(d);
		r = jsapi_stream_info(api, name, d, ret);
		if (r != -ENOTSUP && r != -ETIMEDOUT)
			return r;
		if (check_now_ms() > deadline)
			return r;
		check_sleep_ms(100);
	}
}

static int
persist_setup(struct check_ctx *ctx, struct check_result *res,
    const char *stream, const char *subject, const char *durable)
{
	cJSON		*cfg = NULL, *ccfg = NULL, *info = NULL, *ack = NULL;
	cJSON		*subj;
	struct jsapi_sub *sub = NULL;
	struct jsapi_msg *m = NULL;
	struct diag	 d = { 0 };
	char		 body[32];
	int		 r = -ENOMEM;

	if ((cfg = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(cfg, "name", stream) == NULL ||
	    (subj = cJSON_AddArrayToObject(cfg, "subjects")) == NULL ||
	    !cJSON_AddItemToArray(subj, cJSON_CreateString(subject)) ||
	    cJSON_AddStringToObject(cfg, "storage", "file") == NULL ||
	    cJSON_AddNumberToObject(cfg, "num_replicas", 1) == NULL ||
	    (ccfg = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(ccfg, "durable_name", durable) == NULL ||
	    cJSON_AddStringToObject(ccfg, "ack_policy", "explicit") == NULL ||
	    /* Long enough that nothing is redelivered around the restart. */
	    cJSON_AddNumberToObject(ccfg, "ack_wait", 3600e9) == NULL) {
		check_error(res, "out of memory");
		goto out;
	}
	if ((r = check_stream_create(ctx->api, cfg, &d, &info)) != 0) {
		check_error_diag(res, &d, "creating the file-storage stream");
		goto out;
	}
	for (int i = 1; i <= PERSIST_MSGS; i++) {
		snprintf(body, sizeof(body), "persist-%d", i);
		if ((r = jsapi_js_publish(ctx->api, subject, NULL, body,
		    strlen(body), &d, &ack)) != 0) {
			check_error_diag(res, &d, "publishing");
			goto out;
		}
		cJSON_Delete(ack);
		ack = NULL;
	}
	cJSON_Delete(info);
	info = NULL;
	if ((r = check_consumer_create(ctx->api, stream, ccfg, &d,
	    &info)) != 0) {
		check_error_diag(res, &d, "creating the durable");
		goto out;
	}
	if ((r = jsapi_subscribe(ctx->api, NULL, &d, &sub)) != 0 ||
	    (r = jsapi_pull(ctx->api, stream, durable, PERSIST_PULL,
	    ctx->wait_ms, sub, &d)) != 0) {
		check_error_diag(res, &d, "pulling");
		goto out;
	}
	for (int i = 1; i <= PERSIST_PULL; i++) {
		if ((r = jsapi_sub_next(sub, ctx->wait_ms, &d, &m)) != 0) {
			check_error_diag(res, &d, "receiving a pulled message");
			goto out;
		}
		if (i <= PERSIST_ACK && (r = jsapi_msg_ack(ctx->api, m, "+ACK",
		    true, &d)) != 0) {
			check_error_diag(res, &d, "acknowledging");
			goto out;
		}
		jsapi_msg_free(m);
		m = NULL;
	}
	r = 0;
out:
	jsapi_msg_free(m);
	jsapi_sub_free(sub);
	cJSON_Delete(ack);
	cJSON_Delete(info);
	cJSON_Delete(ccfg);
	cJSON_Delete(cfg);
	return r;
}

static void
persist_compare(struct check_result *res, const char *what, uint64_t before,
    uint64_t after, char *bad, size_t len)
{
	check_detail(res, "%s: %" PRIu64 " before, %" PRIu64 " after", what,
	    before, after);
	if (before != after)
		snprintf(bad + strlen(bad), len - strlen(bad), "%s%s: %" PRIu64
		    " -> %" PRIu64, *bad ? "; " : "", what, before, after);
}

static void
persist_restart(struct check_ctx *ctx, struct check_result *res)
{
	static const struct {
		const char	*key, *what;
	} state_keys[] = {
		{ "messages", "stream messages" },
		{ "first_seq", "stream first_seq" },
		{ "last_seq", "stream last_seq" },
		{ "bytes", "stream bytes" },
	};
	char		 stream[256], durable[300], subject[300];
	char		 out[PERSIST_OUTPUT_MAX], why[256] = "", bad[900] = "";
	struct jsapi	*api2 = NULL;
	cJSON		*sb = NULL, *cb = NULL, *sa = NULL, *ca = NULL;
	struct diag	 d = { 0 };
	int64_t		 deadline;
	size_t		 i;
	int		 r, status;

	check_name(ctx, "persist", stream, sizeof(stream));
	snprintf(durable, sizeof(durable), "%s-d", stream);
	snprintf(subject, sizeof(subject), "%s.m", stream);
	if (check_track_stream(ctx, stream) != 0) {
		check_error(res, "out of memory");
		goto out;
	}
	if (persist_setup(ctx, res, stream, subject, durable) != 0)
		goto out;
	if ((r = jsapi_stream_info(ctx->api, stream, &d, &sb)) != 0 ||
	    (r = jsapi_consumer_info(ctx->api, stream, durable, &d,
	    &cb)) != 0) {
		check_error_diag(res, &d, "reading state before the restart");
		goto out;
	}

	status = persist_run(ctx->restart_cmd, out, sizeof(out), why,
	    sizeof(why));
	if (*out != '\0')
		check_detail(res, "restart command output (tail):\n%s", out);
	if (status != 0) {
		if (status < 0)
			check_error(res, "the restart command %s", why);
		else
			check_error(res, "the restart command exited with "
			    "status %d", status);
		goto out;
	}

	deadline = check_now_ms() + (ctx->wait_ms > 10000 ?
	    ctx->wait_ms : 10000);
	if ((r = persist_reconnect(ctx, deadline, &d, &api2)) != 0) {
		check_error_diag(res, &d, "reconnecting after the restart");
		goto out;
	}
	r = persist_stream_info(api2, stream, deadline, &d, &sa);
	if (r == -ENOENT) {
		check_fail(res, "stream '%s' with %d acknowledged messages is "
		    "gone after the restart", stream, PERSIST_MSGS);
		goto out;
	}
	if (r != 0) {
		check_error_diag(res, &d, "reading the stream after the "
		    "restart");
		goto out;
	}
	for (i = 0; i < sizeof(state_keys) / sizeof(state_keys[0]); i++)
		persist_compare(res, state_keys[i].what, reply_count(
		    reply_get(sb, "state"), state_keys[i].key), reply_count(
		    reply_get(sa, "state"), state_keys[i].key), bad,
		    sizeof(bad));

	r = jsapi_consumer_info(api2, stream, durable, &d, &ca);
	if (r == -ENOENT) {
		snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad),
		    "%sdurable '%s' is gone", *bad ? "; " : "", durable);
	} else if (r != 0) {
		check_error_diag(res, &d, "reading the durable after the "
		    "restart");
		goto out;
	} else {
		persist_compare(res, "durable delivered.stream_seq",
		    reply_count(reply_get(cb, "delivered"), "stream_seq"),
		    reply_count(reply_get(ca, "delivered"), "stream_seq"), bad,
		    sizeof(bad));
		persist_compare(res, "durable ack_floor.stream_seq",
		    reply_count(reply_get(cb, "ack_floor"), "stream_seq"),
		    reply_count(reply_get(ca, "ack_floor"), "stream_seq"), bad,
		    sizeof(bad));
		persist_compare(res, "durable num_ack_pending",
		    reply_count(cb, "num_ack_pending"),
		    reply_count(ca, "num_ack_pending"), bad,
		    sizeof(bad));
		persist_compare(res, "durable num_pending",
		    reply_count(cb, "num_pending"),
		    reply_count(ca, "num_pending"), bad, sizeof(bad));
	}
	if (*bad != '\0')
		check_fail(res, "state changed across the restart: %s", bad);
out:
	if (api2 != NULL) {
		/* The runner's connection may still be reconnecting. */
		diag_clear(&d);
		(void)jsapi_stream_delete(api2, stream, &d);
	}
	jsapi_free(api2);
	cJSON_Delete(ca);
	cJSON_Delete(sa);
	cJSON_Delete(cb);
	cJSON_Delete(sb);
}

static const struct check persist_checks[] = {
	{ "persistence.restart", "acknowledged messages and a durable's "
	    "progress survive a server restart",
	    CHECK_NEEDS_RESTART | CHECK_NEEDS_SERVER, persist_restart },
};

const struct check_group check_persist_group = {
	"persistence",
	"what was acknowledged survives a server restart",
	persist_checks,
	sizeof(persist_checks) / sizeof(persist_checks[0]),
};
