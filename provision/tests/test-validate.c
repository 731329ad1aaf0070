/* SPDX-License-Identifier: MIT */
/*
 * test-validate: the name, subject and overlap rules; every cross-field
 * rule of validate.c on loaded and hand-built sets; the bad-specs corpus
 * (each file names the position and text of the error it must produce);
 * and the shipped specs/, which must validate clean.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schema.h"
#include "validate.h"
#include "refdoc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define CORPUS_DIR	TEST_SRCDIR "/bad-specs"
#define CORPUS_MIN	30
#define CORPUS_MAX	256

/* ---- names, subjects, overlap ---------------------------------------- */

static const struct {
	const char	*name;
	bool		 valid;
} name_cases[] = {
	{ "orders", true },
	{ "agent-tasks", true },
	{ "ORDERS_2024", true },
	{ "caf\xc3\xa9", true },
	{ "a", true },
	{ "", false },
	{ "orders.eu", false },
	{ "orders*", false },
	{ "orders>", false },
	{ "my orders", false },
	{ "tab\tname", false },
	{ "new\nline", false },
	{ "team/a", false },
	{ "team\\a", false },
	{ "bell\x07", false },
	{ "del\x7f", false },
};

static void
test_names(void **state)
{
	char	long_ok[256], long_bad[257];
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(name_cases); i++) {
		if (validate_name(name_cases[i].name) != name_cases[i].valid)
			fail_msg("validate_name('%s') should be %s",
			    name_cases[i].name,
			    name_cases[i].valid ? "true" : "false");
	}
	assert_false(validate_name(NULL));
	memset(long_ok, 'n', sizeof(long_ok) - 1);
	long_ok[sizeof(long_ok) - 1] = '\0';
	memset(long_bad, 'n', sizeof(long_bad) - 1);
	long_bad[sizeof(long_bad) - 1] = '\0';
	assert_true(validate_name(long_ok));
	assert_false(validate_name(long_bad));
}

static const struct {
	const char	*subject;
	bool		 wildcards;
	bool		 valid;
} subject_cases[] = {
	{ "orders", false, true },
	{ "orders.created", false, true },
	{ "$JS.EVENT.x", false, true },
	{ "_INBOX.abc", false, true },
	{ "orders.*", true, true },
	{ "orders.>", true, true },
	{ ">", true, true },
	{ "*", true, true },
	{ "*.*.inbox", true, true },
	{ "agent.*.>", true, true },
	{ "orders.*", false, false },
	{ "orders.>", false, false },
	{ ">", false, false },
	{ "orders.a*", false, false },
	{ "", true, false },
	{ "", false, false },
	{ ".orders", true, false },
	{ "orders.", true, false },
	{ "orders..created", true, false },
	{ ".", true, false },
	{ "orders.>.created", true, false },
	{ ">.x", true, false },
	{ "orders.*x", true, false },
	{ "orders.x>", true, false },
	{ "a>", true, false },
	{ "orders created", true, false },
	{ "orders.\tx", true, false },
	{ "orders\n", true, false },
	{ "orders.\x01", true, false },
};

static void
test_subjects(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(subject_cases); i++) {
		if (validate_subject(subject_cases[i].subject,
		    subject_cases[i].wildcards) != subject_cases[i].valid)
			fail_msg("validate_subject('%s', %s) should be %s",
			    subject_cases[i].subject,
			    subject_cases[i].wildcards ? "true" : "false",
			    subject_cases[i].valid ? "true" : "false");
	}
	assert_false(validate_subject(NULL, true));
}

static const struct {
	const char	*a;
	const char	*b;
	bool		 overlap;
} overlap_cases[] = {
	{ "agent.*.inbox", "agent.x.>", true },
	{ "agent.*.inbox", "agent.>", true },
	{ "agent.*.inbox", "agent.x.inbox", true },
	{ "agent.*.inbox", "agent.*.direct", false },
	{ "agent.*.inbox", "agent.x", false },
	{ "agent.*.inbox", "agent.x.inbox.y", false },
	{ "orders", "orders", true },
	{ "orders", "orders.>", false },
	{ "orders", ">", true },
	{ "orders", "*", true },
	{ "orders.x", "*", false },
	{ ">", "*", true },
	{ "*.b", "a.*", true },
	{ "a.b", "a.c", false },
	{ "a.b", "a.bc", false },
	{ "ab", "a", false },
	{ "a.>", "b.>", false },
	{ "*.>", "a", false },
	{ "*.>", "a.b.c", true },
	{ "tasks.*", "work.*", false },
	{ "broadcast.*", "announce.*", false },
};

static void
test_overlap(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(overlap_cases); i++) {
		if (validate_subjects_overlap(overlap_cases[i].a,
		    overlap_cases[i].b) != overlap_cases[i].overlap ||
		    validate_subjects_overlap(overlap_cases[i].b,
		    overlap_cases[i].a) != overlap_cases[i].overlap)
			fail_msg("overlap('%s', '%s') should be %s",
			    overlap_cases[i].a, overlap_cases[i].b,
			    overlap_cases[i].overlap ? "true" : "false");
	}
	assert_false(validate_subjects_overlap(NULL, "a"));
	assert_false(validate_subjects_overlap("a", NULL));
}

/* ---- rules on loaded buffers ----------------------------------------- */

static bool
contains_ci(const char *hay, const char *needle)
{
	char	low[DIAG_MSG_MAX];
	size_t	i;

	for (i = 0; hay[i] != '\0' && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)hay[i]);
	low[i] = '\0';
	return strstr(low, needle) != NULL;
}

static void
print_diags(const struct diag_list *l)
{
	char	buf[DIAG_MSG_MAX + DIAG_FILE_MAX + 64];
	size_t	i;

	for (i = 0; i < l->n; i++)
		print_error("    %s\n", diag_format(&l->items[i], buf,
		    sizeof(buf)));
}

/* Does l hold a diagnostic at file:line:col whose text has sub? */
static bool
has_diag(const struct diag_list *l, const char *file, int line, int col,
    const char *sub)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (file != NULL && strcmp(l->items[i].file, file) != 0)
			continue;
		if (l->items[i].line == line && l->items[i].col == col &&
		    contains_ci(l->items[i].msg, sub))
			return true;
	}
	return false;
}

/* "HEAD" followed by count copies of c and a newline; free it. */
static char *
repeat_yaml(const char *head, char c, size_t count)
{
	char	*s;
	size_t	 n = strlen(head);

	s = malloc(n + count + 2);
	assert_non_null(s);
	memcpy(s, head, n);
	memset(s + n, c, count);
	memcpy(s + n + count, "\n", 2);
	return s;
}

static char *
long_description_yaml(void)
{
	return repeat_yaml("streams:\n- name: x\n  description: ", 'd', 4097);
}

static char *
long_name_yaml(void)
{
	return repeat_yaml("streams:\n- name: ", 'n', 256);
}


/*
 * A rule: the YAML loads (spec.c has no complaint), and validation reports
 * sub (lower case) at line:col, 1-based in the buffer.
 */
static const struct {
	const char	*what;
	const char	*yaml;
	char		*(*gen)(void);	/* makes the YAML when it is large */
	int		 line;
	int		 col;
	const char	*sub;
} rule_cases[] = {
	{ "contract without a pattern",
	  "streams:\n- name: s\n  contract:\n    offline_window: 1h\n",
	  NULL, 3, 3, "stream 's': the contract has no 'pattern' (inbox, "
	  "broadcast or workqueue)" },
	{ "workers on an inbox contract",
	  "streams:\n- name: s\n  contract:\n    pattern: inbox\n"
	  "    workers: 3\n",
	  NULL, 5, 5, "contract.workers: only a workqueue contract has it "
	  "(this one is 'inbox')" },
	{ "history on a workqueue contract",
	  "streams:\n- name: s\n  contract:\n    pattern: workqueue\n"
	  "    late_joiners_see_history: true\n",
	  NULL, 5, 5, "only a broadcast contract has it" },
	{ "typical size above the largest",
	  "streams:\n- name: s\n  contract:\n    pattern: inbox\n"
	  "    typical_msg_size: 2MB\n    max_msg_size: 1MB\n",
	  NULL, 5, 5, "contract.typical_msg_size (2097152 bytes) is larger "
	  "than contract.max_msg_size (1048576 bytes)" },
	{ "stream name with a dot",
	  "streams:\n- name: a.b\n",
	  NULL, 2, 3, "stream 'a.b': name: 'a.b' is not a valid stream name: "
	  "contains '.'" },
	{ "stream name with a path separator",
	  "streams:\n- name: a/b\n",
	  NULL, 2, 3, "contains a path separator" },
	{ "stream name of 256 bytes", NULL, long_name_yaml,
	  2, 3, "is longer than 255 bytes" },
	{ "stream name with a control character",
	  "streams:\n- name: \"a\\x01b\"\n",
	  NULL, 2, 3, "'a\\x01b' is not a valid stream name: contains a control" },
	{ "bad subject",
	  "streams:\n- name: s\n  subjects: [a, \"b..c\"]\n",
	  NULL, 3, 3, "subjects[1]: 'b..c' is not a valid subject: has an empty "
	  "token" },
	{ "subject in the JetStream API",
	  "streams:\n- name: s\n  subjects: [\"$JS.API.>\"]\n",
	  NULL, 3, 3, "overlaps the jetstream api" },
	{ "subject repeated",
	  "streams:\n- name: s\n  subjects: [a, b, a]\n",
	  NULL, 3, 3, "subjects[2]: 'a' repeats subjects[0] 'a'" },
	{ "subjects overlapping in one stream",
	  "streams:\n- name: s\n  subjects: [a.b, a.*]\n",
	  NULL, 3, 3, "subjects[1]: 'a.*' overlaps subjects[0] 'a.b'" },
	{ "duplicate stream",
	  "streams:\n- name: s\n  subjects: [a]\n- name: s\n  subjects: [b]\n",
	  NULL, 4, 3, "stream 's': name: the stream is declared twice (also "
	  "declared at rule.yaml:2)" },
	{ "overlap between streams",
	  "streams:\n- name: m\n  subjects: [agent.*.inbox]\n"
	  "- name: n\n  subjects: [x, agent.x.>]\n",
	  NULL, 5, 3, "stream 'n': subjects: 'agent.x.>' overlaps subject "
	  "'agent.*.inbox' of stream 'm' (declared at rule.yaml:2)" },
	{ "default subject overlapping another stream",
	  "streams:\n- name: s\n  subjects: [\">\"]\n- name: t\n",
	  NULL, 4, 3, "not declared, so the server uses the name 't', which "
	  "overlaps subject '>' of stream 's'" },
	{ "mirror with subjects",
	  "streams:\n- name: s\n  subjects: [a]\n  mirror: {name: o}\n",
	  NULL, 3, 3, "subjects: a mirror stream cannot have subjects" },
	{ "mirror and sources",
	  "streams:\n- name: s\n  mirror: {name: o}\n"
	  "  sources: [{name: p}]\n",
	  NULL, 4, 3, "sources: a mirror stream cannot also have sources" },
	{ "mirror of itself",
	  "streams:\n- name: s\n  mirror:\n    name: s\n",
	  NULL, 4, 5, "mirror.name: a stream cannot mirror itself" },
	{ "source of itself",
	  "streams:\n- name: s\n  sources:\n  - name: o\n  - name: s\n",
	  NULL, 5, 5, "sources[1].name: a stream cannot source itself" },
	{ "source with a bad name",
	  "streams:\n- name: s\n  sources:\n  - name: o.x\n",
	  NULL, 4, 5, "sources[0].name: 'o.x' is not a valid stream name" },
	{ "mirror filter not a subject",
	  "streams:\n- name: s\n  mirror:\n    name: o\n"
	  "    filter_subject: a..b\n",
	  NULL, 5, 5, "mirror.filter_subject: 'a..b' is not a valid subject" },
	{ "source filter not a subject",
	  "streams:\n- name: s\n  sources:\n  - name: o\n"
	  "  - name: p\n    filter_subject: a.>.b\n",
	  NULL, 6, 5, "sources[1].filter_subject: 'a.>.b' is not a valid "
	  "subject: '>' must be the last token" },
	{ "mirror_direct without mirror",
	  "streams:\n- name: s\n  mirror_direct: true\n",
	  NULL, 3, 3, "mirror_direct: needs a mirror" },
	{ "max_age below 100ms",
	  "streams:\n- name: x\n  max_age: 50ms\n",
	  NULL, 3, 3, "stream 'x': max_age: must be at least 100ms or unlimited "
	  "(got 50ms)" },
	{ "duplicate_window below 100ms",
	  "streams:\n- name: x\n  duplicate_window: 20ms\n",
	  NULL, 3, 3, "duplicate_window: must be at least 100ms (got 20ms)" },
	{ "duplicate_window over max_age",
	  "streams:\n- name: x\n  max_age: 1m\n  duplicate_window: 2m\n",
	  NULL, 4, 3, "duplicate_window: 2m is longer than max_age 1m" },
	{ "discard_new_per_subject without discard new",
	  "streams:\n- name: x\n  max_msgs_per_subject: 5\n"
	  "  discard_new_per_subject: true\n",
	  NULL, 4, 3, "discard_new_per_subject: needs discard: new" },
	{ "discard_new_per_subject without max_msgs_per_subject",
	  "streams:\n- name: x\n  discard: new\n"
	  "  discard_new_per_subject: true\n",
	  NULL, 4, 3, "needs max_msgs_per_subject greater than 0" },
	{ "roll-ups with deny_purge",
	  "streams:\n- name: x\n  deny_purge: true\n"
	  "  allow_rollup_hdrs: true\n",
	  NULL, 4, 3, "allow_rollup_hdrs: roll-ups purge" },
	{ "description too long", NULL, long_description_yaml,
	  3, 3, "description: is 4097 bytes" },
	{ "republish source outside the stream",
	  "streams:\n- name: x\n  subjects: [x.>]\n"
	  "  republish: {src: y.>, dest: r.>}\n",
	  NULL, 4, 15, "republish.src: 'y.>' is not within the stream's subjects" },
	{ "republish without dest",
	  "streams:\n- name: x\n  subjects: [x.>]\n"
	  "  republish: {src: x.>}\n",
	  NULL, 4, 3, "republish.dest: is required" },
	{ "republish with '*' in dest",
	  "streams:\n- name: x\n  subjects: [x.>]\n"
	  "  republish: {src: x.*, dest: r.*}\n",
	  NULL, 4, 25, "republish.dest: '*' cannot be used in the destination" },
	{ "republish with '>' on one side",
	  "streams:\n- name: x\n  subjects: [x.>]\n"
	  "  republish: {src: x.>, dest: r}\n",
	  NULL, 4, 25, "must end in '>' exactly when src does" },
	{ "republish not placing a wildcard",
	  "streams:\n- name: x\n  subjects: [x.>]\n"
	  "  republish: {src: x.*.*, dest: r.$2}\n",
	  NULL, 4, 27, "does not place src's wildcard 1" },
	{ "republish placing a wildcard src lacks",
	  "streams:\n- name: x\n  subjects: [x.>]\n"
	  "  republish: {src: x.*, dest: \"r.{{wildcard(2)}}\"}\n",
	  NULL, 4, 25, "wildcard 2 does not exist" },
	{ "republish into the stream",
	  "streams:\n- name: x\n  subjects: [x.>]\n"
	  "  republish: {dest: x.again.>}\n",
	  NULL, 4, 15, "forms a cycle" },
	{ "consumer name with a dot",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c.1\n"
	  "    ack_policy: explicit\n",
	  NULL, 4, 5, "stream 's': consumers[0] 'c.1': durable_name: 'c.1' is not "
	  "a valid consumer name" },
	{ "consumer name and durable_name differ",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c1\n"
	  "    name: c2\n    ack_policy: explicit\n",
	  NULL, 5, 5, "name: 'c2' differs from durable_name 'c1'" },
	{ "duplicate consumer",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c1\n"
	  "  - durable_name: w1\n  - name: c1\n",
	  NULL, 6, 5, "consumers[2] 'c1': name: the consumer is declared twice in "
	  "this stream (also declared at rule.yaml:4)" },
	{ "by_start_sequence without opt_start_seq",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    deliver_policy: by_start_sequence\n",
	  NULL, 5, 5, "deliver_policy: by_start_sequence needs opt_start_seq" },
	{ "by_start_sequence with opt_start_seq 0",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    deliver_policy: by_start_sequence\n    opt_start_seq: 0\n",
	  NULL, 5, 5, "by_start_sequence needs opt_start_seq" },
	{ "opt_start_seq with deliver new",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    deliver_policy: new\n    opt_start_seq: 5\n",
	  NULL, 6, 5, "opt_start_seq: only allowed with deliver_policy "
	  "by_start_sequence (deliver_policy is new)" },
	{ "opt_start_seq with deliver_policy undeclared",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    opt_start_seq: 5\n",
	  NULL, 5, 5, "(deliver_policy is all)" },
	{ "by_start_time without opt_start_time",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    deliver_policy: by_start_time\n",
	  NULL, 5, 5, "deliver_policy: by_start_time needs opt_start_time" },
	{ "opt_start_time with by_start_sequence",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    deliver_policy: by_start_sequence\n    opt_start_seq: 2\n"
	  "    opt_start_time: 2024-01-01T00:00:00Z\n",
	  NULL, 7, 5, "opt_start_time: only allowed with deliver_policy "
	  "by_start_time" },
	{ "last_per_subject without filter",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    deliver_policy: last_per_subject\n",
	  NULL, 5, 5, "last_per_subject needs filter_subject" },
	{ "deliver_group on pull",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    deliver_group: g\n",
	  NULL, 5, 5, "deliver_group: only for a push consumer" },
	{ "max_waiting on push",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    deliver_subject: d.c\n    max_waiting: 10\n",
	  NULL, 6, 5, "max_waiting: only for a pull consumer" },
	{ "flow_control on pull",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    flow_control: true\n",
	  NULL, 5, 5, "flow_control: only for a push consumer" },
	{ "flow_control without heartbeat",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    deliver_subject: d.c\n    flow_control: true\n",
	  NULL, 6, 5, "flow_control: needs idle_heartbeat" },
	{ "idle_heartbeat on pull",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    idle_heartbeat: 5s\n",
	  NULL, 5, 5, "idle_heartbeat: only for a push consumer" },
	{ "idle_heartbeat below 100ms",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    deliver_subject: d.c\n    idle_heartbeat: 50ms\n",
	  NULL, 6, 5, "idle_heartbeat: must be at least 100ms (got 50ms)" },
	{ "rate_limit_bps on pull",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    rate_limit_bps: 100\n",
	  NULL, 5, 5, "rate_limit_bps: only for a push consumer" },
	{ "max_expires below 1ms",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    max_expires: 500us\n",
	  NULL, 5, 5, "max_expires: must be at least 1ms" },
	{ "backoff without max_deliver",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    ack_policy: explicit\n    backoff: [1s, 5s]\n",
	  NULL, 6, 5, "backoff: has 2 entries, so max_deliver must be set and "
	  "greater than 2" },
	{ "backoff with max_deliver equal",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    ack_policy: explicit\n    backoff: [1s]\n    max_deliver: 1\n",
	  NULL, 6, 5, "backoff: has 1 entry" },
	{ "filter outside the stream",
	  "streams:\n- name: s\n  subjects: [s.>]\n  consumers:\n"
	  "  - durable_name: c\n    filter_subject: t.x\n",
	  NULL, 6, 5, "filter_subject: 't.x' is not within the stream's subjects" },
	{ "filter partly overlapping the stream",
	  "streams:\n- name: s\n  subjects: [s.>]\n  consumers:\n"
	  "  - durable_name: c\n    filter_subject: \"*.x\"\n",
	  NULL, 6, 5, "is not within the stream's subjects" },
	{ "filter outside the default subject",
	  "streams:\n- name: s\n  consumers:\n"
	  "  - durable_name: c\n    filter_subject: t\n",
	  NULL, 5, 5, "'t' is not within" },
	{ "filter not a subject",
	  "streams:\n- name: s\n  consumers:\n"
	  "  - durable_name: c\n    filter_subject: s..x\n",
	  NULL, 5, 5, "filter_subject: 's..x' is not a valid subject" },
	{ "deliver subject with a wildcard",
	  "streams:\n- name: s\n  consumers:\n"
	  "  - durable_name: c\n    deliver_subject: d.>\n",
	  NULL, 5, 5, "must not contain wildcards" },
	{ "deliver subject into the stream",
	  "streams:\n- name: s\n  subjects: [s.>]\n  consumers:\n"
	  "  - durable_name: c\n    deliver_subject: s.c\n",
	  NULL, 6, 5, "forms a cycle" },
	{ "max_ack_pending on a push consumer without acks",
	  "streams:\n- name: s\n  consumers:\n"
	  "  - durable_name: c\n    deliver_subject: d.c\n"
	  "    max_ack_pending: 10\n",
	  NULL, 6, 5, "max_ack_pending: needs an ack_policy other than none" },
	{ "consumer replicas over the stream's",
	  "streams:\n- name: s\n  num_replicas: 3\n  consumers:\n"
	  "  - durable_name: c\n    num_replicas: 5\n",
	  NULL, 6, 5, "num_replicas: 5 is more than the stream's 3" },
	{ "bad sample_freq",
	  "streams:\n- name: s\n  consumers:\n"
	  "  - durable_name: c\n    sample_freq: often\n",
	  NULL, 5, 5, "sample_freq: 'often' is not a percentage" },
	{ "workqueue: ack none",
	  "streams:\n- name: agent-tasks\n  retention: workqueue\n"
	  "  consumers:\n  - durable_name: w\n    ack_policy: none\n",
	  NULL, 6, 5, "agent-tasks': consumers[0] 'w': ack_policy: must be "
	  "explicit on a workqueue stream (got none)" },
	{ "workqueue: ack all",
	  "streams:\n- name: q\n  retention: workqueue\n"
	  "  consumers:\n  - durable_name: w\n    ack_policy: all\n",
	  NULL, 6, 5, "must be explicit on a workqueue stream (got all)" },
	{ "workqueue: ack undeclared on push",
	  "streams:\n- name: q\n  retention: workqueue\n"
	  "  consumers:\n  - durable_name: w\n    deliver_subject: d.w\n",
	  NULL, 5, 5, "ack_policy: must be explicit on a workqueue stream; "
	  "not declared, a push consumer gets none" },
	{ "workqueue: deliver last",
	  "streams:\n- name: q\n  retention: workqueue\n"
	  "  consumers:\n  - durable_name: w\n    ack_policy: explicit\n"
	  "    deliver_policy: last\n",
	  NULL, 7, 5, "deliver_policy: must be all on a workqueue stream (got "
	  "last)" },
	{ "workqueue: second unfiltered consumer",
	  "streams:\n- name: agent-tasks\n  retention: workqueue\n"
	  "  consumers:\n  - durable_name: w1\n    ack_policy: explicit\n"
	  "  - durable_name: w2\n    ack_policy: explicit\n",
	  NULL, 7, 5, "agent-tasks': consumers[1] 'w2': a workqueue stream with "
	  "more than one consumer needs filter_subject on each" },
	{ "workqueue: unfiltered after filtered",
	  "streams:\n- name: q\n  subjects: [q.*]\n  retention: workqueue\n"
	  "  consumers:\n  - durable_name: w1\n    ack_policy: explicit\n"
	  "    filter_subject: q.a\n"
	  "  - durable_name: w2\n    ack_policy: explicit\n",
	  NULL, 9, 5, "consumers[1] 'w2': a workqueue stream with more than one" },
	{ "workqueue: filtered after unfiltered",
	  "streams:\n- name: q\n  subjects: [q.*]\n  retention: workqueue\n"
	  "  consumers:\n  - durable_name: w1\n    ack_policy: explicit\n"
	  "  - durable_name: w2\n    ack_policy: explicit\n"
	  "    filter_subject: q.a\n",
	  NULL, 10, 5, "filter_subject: consumers[0] 'w1' takes every message" },
	{ "workqueue: overlapping filters",
	  "streams:\n- name: q\n  subjects: [q.>]\n  retention: workqueue\n"
	  "  consumers:\n  - durable_name: w1\n    ack_policy: explicit\n"
	  "    filter_subject: q.a.>\n"
	  "  - durable_name: w2\n    ack_policy: explicit\n"
	  "    filter_subject: q.*.x\n",
	  NULL, 11, 5, "filter_subject: 'q.*.x' overlaps filter 'q.a.>' of "
	  "consumers[0] 'w1'" },
};

static void
load_buffer(const char *yaml, struct diag_list *diags,
    struct spec_set **ret_set)
{
	int	r;

	r = spec_load_buffer("rule.yaml", yaml, strlen(yaml), NULL, diags,
	    ret_set);
	if (r != 0) {
		print_diags(diags);
		fail_msg("spec_load_buffer failed (%d) on:\n%s", r, yaml);
	}
}

static void
test_rules(void **state)
{
	struct diag_list	 diags;
	struct spec_set		*set;
	char			*yaml;
	size_t			 i, failed = 0;
	int			 r;

	(void)state;
	for (i = 0; i < NELEM(rule_cases); i++) {
		memset(&diags, 0, sizeof(diags));
		set = NULL;
		yaml = rule_cases[i].yaml != NULL ?
		    strdup(rule_cases[i].yaml) : rule_cases[i].gen();
		assert_non_null(yaml);
		load_buffer(yaml, &diags, &set);
		r = validate_spec_set(set, &diags);
		if (r != -EINVAL || !has_diag(&diags, "rule.yaml",
		    rule_cases[i].line, rule_cases[i].col,
		    rule_cases[i].sub)) {
			print_error("rule '%s': want -EINVAL and %d:%d '%s', "
			    "got %d and:\n", rule_cases[i].what,
			    rule_cases[i].line, rule_cases[i].col,
			    rule_cases[i].sub, r);
			print_diags(&diags);
			failed++;
		}
		spec_set_free(set);
		diag_list_free(&diags);
		free(yaml);
	}
	if (failed > 0)
		fail_msg("%zu of %zu rule cases failed", failed,
		    NELEM(rule_cases));
}

/* Configs the server takes: validation must stay silent. */
static const struct {
	const char	*what;
	const char	*yaml;
} clean_cases[] = {
	{ "stream without subjects (the server uses the name)",
	  "streams:\n- name: s\n- name: t\n" },
	{ "max_age 100ms exactly, duplicate window not declared",
	  "streams:\n- name: s\n  max_age: 100ms\n" },
	{ "max_age 1m, duplicate window not declared (server: min(2m, "
	  "max_age))",
	  "streams:\n- name: s\n  max_age: 1m\n" },
	{ "duplicate window over 2m with unlimited max_age",
	  "streams:\n- name: s\n  duplicate_window: 1d\n" },
	{ "duplicate window equal to max_age",
	  "streams:\n- name: s\n  max_age: 1h\n  duplicate_window: 1h\n" },
	{ "unlimited max_age",
	  "streams:\n- name: s\n  max_age: unlimited\n" },
	{ "mirror without subjects, mirror_direct",
	  "streams:\n- name: s\n  subjects: [a.>]\n"
	  "- name: m\n  mirror: {name: s}\n  mirror_direct: true\n" },
	{ "sourced stream, own subjects",
	  "streams:\n- name: s\n  subjects: [a.>]\n"
	  "- name: t\n  subjects: [b.>]\n  sources: [{name: s}]\n" },
	{ "discard_new_per_subject done right",
	  "streams:\n- name: s\n  discard: new\n  max_msgs_per_subject: 1\n"
	  "  discard_new_per_subject: true\n" },
	{ "allow_direct without subjects; deny_delete",
	  "streams:\n- name: s\n  allow_direct: true\n  deny_delete: true\n" },
	{ "republish with defaults and placeholders",
	  "streams:\n- name: s\n  subjects: [x.>]\n"
	  "  republish: {dest: r.>}\n"
	  "- name: t\n  subjects: [y.>]\n"
	  "  republish: {src: y.*.*, dest: \"r.$2.{{wildcard(1)}}\"}\n"
	  "- name: u\n  subjects: [z.>]\n"
	  "  republish: {src: z.a, dest: r.z, headers_only: true}\n" },
	{ "republish src wider than the subjects",
	  "streams:\n- name: s\n  subjects: [x.>]\n"
	  "  republish: {src: \">\", dest: r.>}\n" },
	{ "disjoint subjects across streams (the agent streams)",
	  "streams:\n- name: a\n  subjects: [agent.*.inbox, agent.*.direct]\n"
	  "- name: b\n  subjects: [broadcast.*, announce.*]\n"
	  "- name: c\n  subjects: [tasks.*, work.*]\n" },
	{ "pull consumer without ack_policy on a limits stream",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n" },
	{ "push consumer with everything push",
	  "streams:\n- name: s\n  subjects: [s.>]\n  consumers:\n"
	  "  - durable_name: c\n    deliver_subject: d.c\n"
	  "    deliver_group: g\n    flow_control: true\n"
	  "    idle_heartbeat: 5s\n    rate_limit_bps: 1000\n"
	  "    ack_policy: explicit\n    max_ack_pending: 10\n"
	  "    headers_only: true\n" },
	{ "ack none on a push consumer, max_ack_pending unlimited",
	  "streams:\n- name: s\n  consumers:\n  - durable_name: c\n"
	  "    deliver_subject: d.c\n    max_ack_pending: -1\n" },
	{ "pull consumer with every pull option",
	  "streams:\n- name: s\n  subjects: [s.>]\n  consumers:\n"
	  "  - durable_name: c\n    ack_policy: explicit\n"
	  "    max_waiting: 64\n    max_batch: 10\n    max_expires: 30s\n"
	  "    max_bytes: 1MB\n    backoff: [1s, 5s]\n    max_deliver: 3\n"
	  "    filter_subject: s.a.>\n    sample_freq: 30%\n" },
	{ "filters within, equal to and wider than the subjects",
	  "streams:\n- name: s\n  subjects: [s.>]\n  consumers:\n"
	  "  - durable_name: c1\n    filter_subject: s.a\n"
	  "  - durable_name: c2\n    filter_subject: s.>\n"
	  "  - durable_name: c3\n    filter_subject: \">\"\n"
	  "- name: t\n  subjects: [t.a, u.b]\n  consumers:\n"
	  "  - durable_name: c1\n    filter_subject: \"*.b\"\n" },
	{ "start options with their policies",
	  "streams:\n- name: s\n  consumers:\n"
	  "  - durable_name: c1\n    deliver_policy: by_start_sequence\n"
	  "    opt_start_seq: 10\n"
	  "  - durable_name: c2\n    deliver_policy: by_start_time\n"
	  "    opt_start_time: 2024-01-01T00:00:00Z\n"
	  "  - durable_name: c3\n    deliver_policy: last_per_subject\n"
	  "    filter_subject: s\n" },
	{ "workqueue pull consumer without ack_policy (explicit is sent)",
	  "streams:\n- name: q\n  retention: workqueue\n  consumers:\n"
	  "  - durable_name: w\n" },
	{ "workqueue with one unfiltered consumer",
	  "streams:\n- name: q\n  retention: workqueue\n  consumers:\n"
	  "  - durable_name: w\n    ack_policy: explicit\n"
	  "    deliver_policy: all\n" },
	{ "workqueue with disjoint filtered consumers",
	  "streams:\n- name: q\n  subjects: [tasks.*, work.*, other]\n"
	  "  retention: workqueue\n  consumers:\n"
	  "  - durable_name: w1\n    ack_policy: explicit\n"
	  "    filter_subject: tasks.*\n"
	  "  - durable_name: w2\n    ack_policy: explicit\n"
	  "    filter_subject: work.*\n"
	  "  - durable_name: w3\n    ack_policy: explicit\n"
	  "    deliver_subject: d.w3\n    filter_subject: other\n" },
	{ "name and durable_name equal; consumer replicas within",
	  "streams:\n- name: s\n  num_replicas: 3\n  consumers:\n"
	  "  - durable_name: c\n    name: c\n    num_replicas: 3\n"
	  "  - durable_name: d\n    num_replicas: 0\n" },
};

static void
test_clean(void **state)
{
	struct diag_list	 diags;
	struct spec_set		*set;
	size_t			 i, failed = 0;
	int			 r;

	(void)state;
	for (i = 0; i < NELEM(clean_cases); i++) {
		memset(&diags, 0, sizeof(diags));
		set = NULL;
		r = spec_load_buffer("clean.yaml", clean_cases[i].yaml,
		    strlen(clean_cases[i].yaml), NULL, &diags, &set);
		if (r == 0)
			r = validate_spec_set(set, &diags);
		if (r != 0 || diags.n != 0) {
			print_error("clean case '%s': got %d and:\n",
			    clean_cases[i].what, r);
			print_diags(&diags);
			failed++;
		}
		spec_set_free(set);
		diag_list_free(&diags);
	}
	if (failed > 0)
		fail_msg("%zu of %zu clean cases failed", failed,
		    NELEM(clean_cases));
}

/* Every problem is reported, sorted by position, not just the first. */
/*
 * Overlaps across several streams: one message for each earlier stream and
 * each subject, naming the first overlapping subject of that stream, in the
 * order of the streams; a stream declared twice takes part once.
 */
static void
test_overlaps_across_streams(void **state)
{
	static const char	 yaml[] =
	    "streams:\n"
	    "- name: a\n"			/* 2 */
	    "  subjects: [\"a.>\", \"b.x\"]\n"
	    "- name: b\n"			/* 4 */
	    "  subjects: [\"b.*\", \"c.y\"]\n"
	    "- name: a\n"			/* 6: twice, left out */
	    "  subjects: [\"c.y\"]\n"
	    "- name: c\n"			/* 8 */
	    "  subjects: [\"b.x\", \"a.q\", \"d\"]\n";
	static const char *const want[] = {
		"stream 'b': subjects: 'b.*' overlaps subject 'b.x' of "
		    "stream 'a' (declared at rule.yaml:2)",
		"stream 'a': name: the stream is declared twice (also "
		    "declared at rule.yaml:2)",
		"stream 'c': subjects: 'b.x' overlaps subject 'b.x' of stream "
		    "'a' (declared at rule.yaml:2)",
		"stream 'c': subjects: 'a.q' overlaps subject 'a.>' of stream "
		    "'a' (declared at rule.yaml:2)",
		"stream 'c': subjects: 'b.x' overlaps subject 'b.*' of stream "
		    "'b' (declared at rule.yaml:4)",
	};
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	size_t			 i, j;

	(void)state;
	load_buffer(yaml, &diags, &set);
	assert_int_equal(validate_spec_set(set, &diags), -EINVAL);
	if (diags.n != NELEM(want)) {
		print_diags(&diags);
		fail_msg("want %zu diagnostics, got %zu", NELEM(want), diags.n);
	}
	for (i = 0; i < NELEM(want); i++) {
		for (j = 0; j < diags.n; j++)
			if (strstr(diags.items[j].msg, want[i]) != NULL)
				break;
		if (j == diags.n) {
			print_diags(&diags);
			fail_msg("missing: %s", want[i]);
		}
	}
	spec_set_free(set);
	diag_list_free(&diags);
}

/*
 * validate_load: loader errors and rule errors in one run; a key written
 * wrong stands in for nothing (subjects that failed to load are not taken
 * to be the stream's name, which would overlap '*' of stream 'x' here).
 */
static void
test_load_reports_all(void **state)
{
	static const char	 yaml[] =
	    "streams:\n"
	    "- name: x\n"			/* 2 */
	    "  subjects: [\"*\"]\n"
	    "- name: x2\n"
	    "  subjects: {x: 1}\n"		/* 5: wrong type */
	    "- max_age: 1s\n"			/* 6: no name */
	    "- name: y\n"
	    "  subjects: [x]\n"		/* 8: overlaps x */
	    "  max_age: 10ms\n";		/* 9: too small */
	char			 path[] = "/tmp/test-validate.XXXXXX";
	char			*paths[1] = { path };
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	int			 fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, yaml, sizeof(yaml) - 1),
	    (ssize_t)(sizeof(yaml) - 1));
	close(fd);
	assert_int_equal(validate_load(paths, 1, NULL, &diags, &set),
	    -EINVAL);
	assert_null(set);
	unlink(path);
	if (diags.n != 4) {
		print_diags(&diags);
		fail_msg("want 4 diagnostics, got %zu", diags.n);
	}
	assert_true(has_diag(&diags, path, 5, 13, "subjects"));
	assert_true(has_diag(&diags, path, 6, 3, "no 'name'"));
	assert_true(has_diag(&diags, path, 8, 3, "overlaps subject '*'"));
	assert_true(has_diag(&diags, path, 9, 3, "max_age"));
	diag_list_free(&diags);
}

static void
test_all_reported_sorted(void **state)
{
	static const char	 yaml[] =
	    "streams:\n"
	    "- name: a\n"
	    "  max_age: 10ms\n"
	    "  mirror_direct: true\n"
	    "  consumers:\n"
	    "  - durable_name: c\n"
	    "    flow_control: true\n"
	    "- name: a\n";
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	size_t			 i;

	(void)state;
	load_buffer(yaml, &diags, &set);
	assert_int_equal(validate_spec_set(set, &diags), -EINVAL);
	if (diags.n != 4) {
		print_diags(&diags);
		fail_msg("want 4 diagnostics, got %zu", diags.n);
	}
	assert_true(has_diag(&diags, "rule.yaml", 3, 3, "max_age"));
	assert_true(has_diag(&diags, "rule.yaml", 4, 3, "mirror_direct"));
	assert_true(has_diag(&diags, "rule.yaml", 7, 5, "flow_control"));
	assert_true(has_diag(&diags, "rule.yaml", 8, 3, "declared twice"));
	for (i = 1; i < diags.n; i++)
		assert_true(diags.items[i - 1].line <= diags.items[i].line);
	for (i = 0; i < diags.n; i++)
		assert_int_equal(diags.items[i].code, -EINVAL);
	spec_set_free(set);
	diag_list_free(&diags);
}

/* Duplicates across files name the first file. */
static void
test_duplicate_across_files(void **state)
{
	char			 dir[] = "/tmp/test-validate.XXXXXX";
	char			 p1[64], p2[64];
	char			*paths[2] = { p1, p2 };
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	FILE			*f;
	char			 want[128];
	size_t			 i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p1, sizeof(p1), "%s/a.yaml", dir);
	snprintf(p2, sizeof(p2), "%s/b.yaml", dir);
	assert_non_null(f = fopen(p1, "w"));
	fputs("streams:\n  - name: orders\n    subjects: [orders.>]\n", f);
	fclose(f);
	assert_non_null(f = fopen(p2, "w"));
	fputs("# second\nstreams:\n  - name: orders\n"
	    "    subjects: [orders.>]\n"
	    "  - name: eu\n    subjects: [orders.eu.*]\n", f);
	fclose(f);
	assert_int_equal(spec_load(paths, 2, NULL, &diags, &set), 0);
	assert_int_equal(validate_spec_set(set, &diags), -EINVAL);
	snprintf(want, sizeof(want), "also declared at %s:2", p1);
	for (i = 0; want[i] != '\0'; i++)
		want[i] = (char)tolower((unsigned char)want[i]);
	if (!has_diag(&diags, p2, 3, 5, want) ||
	    !has_diag(&diags, p2, 6, 5, "'orders.eu.*' overlaps subject "
	    "'orders.>' of stream 'orders'")) {
		print_diags(&diags);
		fail_msg("cross-file duplicate or overlap not reported");
	}
	/* the duplicate is not also reported as an overlap */
	assert_int_equal(diags.n, 2);
	spec_set_free(set);
	diag_list_free(&diags);
	unlink(p1);
	unlink(p2);
	rmdir(dir);
}

/* ---- hand-built sets ---------------------------------------------------- */

static cJSON *
parse(const char *json)
{
	cJSON	*j = cJSON_Parse(json);

	assert_non_null(j);
	return j;
}

/*
 * Sets that the loader cannot produce (replicas 0 passes spec.c's range
 * only through the API form) and locations that fall back to the item.
 */
static void
test_hand_built(void **state)
{
	static char		 file[] = "hand.yaml";
	static char		 sname[] = "s", tname[] = "t", cname[] = "c";
	static char		 kpath[] = "num_replicas";
	struct spec_stream	 st[2];
	struct spec_consumer	 cons[1];
	struct spec_keyloc	 key;
	struct spec_set		 set;
	struct diag_list	 diags = { 0 };

	(void)state;
	memset(st, 0, sizeof(st));
	memset(cons, 0, sizeof(cons));
	memset(&set, 0, sizeof(set));
	st[0].name = sname;
	st[0].config = parse("{\"name\":\"s\",\"num_replicas\":0,"
	    "\"subjects\":[\"s.>\"]}");
	st[0].loc = (struct spec_loc){ file, 10, 3 };
	st[1].name = tname;
	st[1].config = parse("{\"name\":\"t\",\"num_replicas\":6,"
	    "\"max_age\":1000}");
	st[1].loc = (struct spec_loc){ file, 20, 3 };
	key.path = kpath;
	key.loc = (struct spec_loc){ file, 21, 5 };
	st[1].keys = &key;
	st[1].nkeys = 1;
	cons[0].name = cname;
	cons[0].config = parse("{\"durable_name\":\"c\","
	    "\"num_replicas\":1,\"ack_policy\":\"explicit\"}");
	cons[0].loc = (struct spec_loc){ file, 12, 5 };
	st[0].consumers = cons;
	st[0].nconsumers = 1;
	set.streams = st;

	/* replicas 0 (server default) and a consumer at 1: clean */
	set.nstreams = 1;
	assert_int_equal(validate_spec_set(&set, &diags), 0);
	assert_int_equal(diags.n, 0);

	/* replicas 6 at its key; max_age 1us at the stream (no key) */
	set.nstreams = 2;
	assert_int_equal(validate_spec_set(&set, &diags), -EINVAL);
	if (!has_diag(&diags, file, 21, 5, "num_replicas: must be 1 to 5 "
	    "(got 6)") || !has_diag(&diags, file, 20, 3, "stream 't': "
	    "max_age: must be at least 100ms or unlimited (got 1us)")) {
		print_diags(&diags);
		fail_msg("hand-built problems not reported");
	}
	assert_int_equal(diags.n, 2);
	diag_list_free(&diags);

	/* an empty set and a NULL set are valid */
	set.nstreams = 0;
	assert_int_equal(validate_spec_set(&set, &diags), 0);
	assert_int_equal(validate_spec_set(NULL, &diags), 0);
	assert_int_equal(diags.n, 0);

	cJSON_Delete(st[0].config);
	cJSON_Delete(st[1].config);
	cJSON_Delete(cons[0].config);
}

/* ---- the bad-specs corpus ---------------------------------------------- */

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Parse "# expect: LINE:COL substring" from the first line of path.
 * Positions are 1-based: every corpus error must point somewhere (the
 * integration suite greps for FILE:LINE:COL too).
 */
static bool
read_expect(const char *path, int *ret_line, int *ret_col, char *sub,
    size_t len)
{
	char	 line[512];
	FILE	*f;
	int	 n = 0;
	size_t	 l;

	if ((f = fopen(path, "r")) == NULL)
		return false;
	if (fgets(line, sizeof(line), f) == NULL) {
		fclose(f);
		return false;
	}
	fclose(f);
	l = strlen(line);
	while (l > 0 && (line[l - 1] == '\n' || line[l - 1] == '\r'))
		line[--l] = '\0';
	if (sscanf(line, "# expect: %d:%d %n", ret_line, ret_col, &n) != 2 ||
	    n == 0 || line[n] == '\0' || *ret_line < 1 || *ret_col < 1)
		return false;
	snprintf(sub, len, "%s", line + n);
	return true;
}

static void
test_corpus(void **state)
{
	char			*names[CORPUS_MAX];
	char			 path[1024], sub[512];
	struct diag_list	 diags;
	struct spec_set		*set;
	struct dirent		*de;
	char			*p;
	size_t			 n = 0, i, len, failed = 0;
	DIR			*d;
	int			 line, col, r;

	(void)state;
	if ((d = opendir(CORPUS_DIR)) == NULL)
		fail_msg("cannot open %s: %s", CORPUS_DIR, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		assert_true(n < CORPUS_MAX);
		assert_non_null(names[n] = strdup(de->d_name));
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	if (n < CORPUS_MIN)
		fail_msg("%s holds %zu spec files; want at least %d",
		    CORPUS_DIR, n, CORPUS_MIN);

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, names[i]);
		if (!read_expect(path, &line, &col, sub, sizeof(sub))) {
			print_error("%s: first line is not '# expect: "
			    "LINE:COL text'\n", names[i]);
			failed++;
			continue;
		}
		for (p = sub; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		memset(&diags, 0, sizeof(diags));
		set = NULL;
		p = path;
		r = spec_load(&p, 1, NULL, &diags, &set);
		if (r == 0)
			r = validate_spec_set(set, &diags);
		if (r == 0 || !has_diag(&diags, path, line, col, sub)) {
			print_error("%s: want an error at %d:%d containing "
			    "'%s'; got %d and:\n", names[i], line, col, sub, r);
			print_diags(&diags);
			failed++;
		}
		spec_set_free(set);
		diag_list_free(&diags);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	if (failed > 0)
		fail_msg("%zu of %zu corpus files failed", failed, n);
}

/* ---- the shipped specs ------------------------------------------------ */

static void
check_clean_dir(const char *dir, const char *more, size_t min_streams)
{
	char			*paths[2] = { (char *)dir, (char *)more };
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	int			 r;

	r = spec_load(paths, more != NULL ? 2 : 1, NULL, &diags, &set);
	if (r == 0)
		r = validate_spec_set(set, &diags);
	if (r != 0 || diags.n != 0) {
		print_diags(&diags);
		fail_msg("%s does not validate clean (%d)", dir, r);
	}
	if (set->nstreams < min_streams)
		fail_msg("%s declares %zu streams; want at least %zu", dir,
		    set->nstreams, min_streams);
	spec_set_free(set);
	diag_list_free(&diags);
}

static void
test_shipped_specs(void **state)
{
	(void)state;
	/* examples/ adds consumers and a bucket to the streams of specs/ */
	check_clean_dir(TEST_SRCDIR "/../../specs", NULL, 3);
	check_clean_dir(TEST_SRCDIR "/../../specs", TEST_SRCDIR
	    "/../../specs/examples", 3);
}

/* ---- docs/spec-reference.md ------------------------------------------ */

#define REFERENCE	TEST_SRCDIR "/../../docs/spec-reference.md"
#define REFERENCE_MAX	(256 * 1024)

static char *
read_reference(void)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(REFERENCE, "r")) == NULL)
		fail_msg("cannot open %s: %s", REFERENCE, strerror(errno));
	buf = malloc(REFERENCE_MAX + 1);
	assert_non_null(buf);
	n = fread(buf, 1, REFERENCE_MAX, f);
	fclose(f);
	assert_true(n < REFERENCE_MAX);
	buf[n] = '\0';
	return buf;
}

/*
 * Every key of the schema (members as "parent.key", list members as
 * "parent[].key") has its row under its heading, and every cell of it
 * (type, default, in place by version, since, meaning) is what the schema
 * says (refdoc.h).  Contract keys need only their row.
 */
static size_t
missing_rows(const char *doc, const char *heading,
    const struct schema_field *t, size_t n, const char *prefix)
{
	const char	*sec, *end;
	char		 row[256];
	size_t		 i, missing = 0;

	if ((sec = strstr(doc, heading)) == NULL) {
		fail_msg("%s has no '%s' section", REFERENCE, heading);
		return 1;
	}
	if ((end = strstr(sec + strlen(heading), "\n## ")) == NULL)
		end = sec + strlen(sec);
	for (i = 0; i < n; i++) {
		snprintf(row, sizeof(row), "\n| `%s%s`", prefix, t[i].key);
		sec = strstr(doc, heading);
		sec = strstr(sec, row);
		if (sec == NULL || sec > end) {
			print_error("%s: no row for '%s%s' under '%s'\n",
			    REFERENCE, prefix, t[i].key, heading);
			missing++;
		}
	}
	return missing;
}

static void
test_reference_keys(void **state)
{
	const struct schema_field	*t;
	char				*doc;
	long				 bad;
	size_t				 n, missing;

	(void)state;
	doc = read_reference();
	t = schema_stream_fields(&n);
	bad = refdoc_check(doc, "## Stream keys", t, n, false, stderr);
	assert_true(bad >= 0);
	missing = (size_t)bad;
	t = schema_consumer_fields(&n);
	bad = refdoc_check(doc, "## Consumer keys", t, n, true, stderr);
	assert_true(bad >= 0);
	missing += (size_t)bad;
	t = schema_contract_fields(&n);
	missing += missing_rows(doc, "## Contract keys", t, n, "contract.");
	free(doc);
	if (missing > 0)
		fail_msg("%zu rows of %s differ from the schema "
		    "(build/provision/tests/schema-doc prints them)", missing,
		    REFERENCE);
}

/*
 * The check is not a row count: a changed default, a changed in-place
 * cell and a missing row are each caught.
 */
static void
test_reference_cells(void **state)
{
	const struct schema_field	*t;
	char				*doc, *p;
	size_t				 n;

	(void)state;
	t = schema_stream_fields(&n);
	doc = read_reference();
	assert_int_equal(refdoc_check(doc, "## Stream keys", t, n, false,
	    NULL), 0);
	/* the default of max_msgs_per_subject */
	assert_non_null(p = strstr(doc, "| `max_msgs_per_subject` | integer "
	    ">= 0, unlimited | unlimited |"));
	memcpy(strstr(p, "| unlimited |") + 2, "limited  ", 9);
	assert_int_equal(refdoc_check(doc, "## Stream keys", t, n, false,
	    NULL), 1);
	free(doc);
	/* the in-place cell of storage */
	doc = read_reference();
	assert_non_null(p = strstr(doc, "| `storage` |"));
	assert_non_null(p = strstr(p, "| no |"));
	memcpy(p, "| on |", 6);
	assert_int_equal(refdoc_check(doc, "## Stream keys", t, n, false,
	    NULL), 1);
	free(doc);
	/* a row gone */
	doc = read_reference();
	assert_non_null(p = strstr(doc, "\n| `allow_msg_ttl` |"));
	p[3] = 'X';
	assert_int_equal(refdoc_check(doc, "## Stream keys", t, n, false,
	    NULL), 1);
	free(doc);
}

/* The example in the reference loads and validates clean. */
static void
test_reference_example(void **state)
{
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	char			*doc, *start, *end;
	int			 r;

	(void)state;
	doc = read_reference();
	if ((start = strstr(doc, "## Example")) == NULL ||
	    (start = strstr(start, "```yaml\n")) == NULL ||
	    (end = strstr(start + 8, "\n```")) == NULL)
		fail_msg("%s has no yaml block under '## Example'", REFERENCE);
	start += 8;
	end[1] = '\0';
	r = spec_load_buffer("spec-reference.md", start, strlen(start), NULL,
	    &diags, &set);
	if (r == 0)
		r = validate_spec_set(set, &diags);
	if (r != 0 || diags.n != 0) {
		print_diags(&diags);
		fail_msg("the example in %s is not valid (%d)", REFERENCE, r);
	}
	assert_int_equal(set->nstreams, 3);
	assert_non_null(spec_find_stream(set, "agent-tasks"));
	spec_set_free(set);
	diag_list_free(&diags);
	free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_subjects),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_all_reported_sorted),
		cmocka_unit_test(test_overlaps_across_streams),
		cmocka_unit_test(test_load_reports_all),
		cmocka_unit_test(test_duplicate_across_files),
		cmocka_unit_test(test_hand_built),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_shipped_specs),
		cmocka_unit_test(test_reference_keys),
		cmocka_unit_test(test_reference_cells),
		cmocka_unit_test(test_reference_example),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
