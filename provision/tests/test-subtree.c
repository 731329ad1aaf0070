/* SPDX-License-Identifier: MIT */
/*
 * test-subtree: the subject tree finds exactly the filters that overlap a
 * query.  The oracle is validate_subjects_overlap(), the pairwise test the
 * tree replaces: for a fixed table and for many generated subjects, the
 * set of (owner, item) the tree reports must equal the set of inserted
 * filters the oracle says overlap.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "subtree.h"
#include "validate.h"

#define MAXF	512

struct hits {
	unsigned char	seen[MAXF];
	size_t		n;
	size_t		stop_after;	/* 0: never stop */
};

static int
collect(void *arg, size_t owner, size_t item)
{
	struct hits	*h = arg;

	assert_true(owner < MAXF);
	assert_int_equal(item, owner * 7);	/* item travels with owner */
	h->seen[owner]++;
	h->n++;
	if (h->stop_after != 0 && h->n == h->stop_after)
		return 42;
	return 0;
}

/* Insert filters[0..n), then check every query against the oracle. */
static void
check_against_oracle(const char **filters, size_t n, const char **queries,
    size_t nq)
{
	struct subtree	*t = NULL;
	struct hits	 h;
	size_t		 i, q;

	assert_int_equal(subtree_new(&t), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(subtree_insert(t, filters[i], i, i * 7), 0);
	for (q = 0; q < nq; q++) {
		memset(&h, 0, sizeof(h));
		assert_int_equal(subtree_match(t, queries[q], collect, &h), 0);
		for (i = 0; i < n; i++) {
			if (h.seen[i] != (validate_subjects_overlap(queries[q],
			    filters[i]) ? 1 : 0))
				fail_msg("query '%s' vs filter '%s': tree says "
				    "%d, pairwise says %d", queries[q],
				    filters[i], h.seen[i],
				    validate_subjects_overlap(queries[q],
				    filters[i]));
		}
	}
	subtree_free(t);
}

static const char *const table[] = {
	"a", "a.b", "a.b.c", "a.*", "a.*.c", "a.>", "*", "*.b", "*.*.*", ">",
	"b.>", "b.c", "a.b.>", "x.y.z", "agent.*.inbox", "agent.*.direct",
	"agent.planner.inbox", "tasks.*", "work.*", "broadcast.*",
	"announce.*", "$JS.API.>", "a.b",	/* a repeat is two filters */
};

static void
test_table(void **state)
{
	const char	*f[sizeof(table) / sizeof(table[0])];
	size_t		 i, n = sizeof(table) / sizeof(table[0]);

	(void)state;
	for (i = 0; i < n; i++)
		f[i] = table[i];
	/* every filter of the table as a query, plus some that are not */
	check_against_oracle(f, n, f, n);
	{
		const char	*q[] = { "c", "a.c", "a.b.c.d", "agent.x.inbox",
		    "agent.>", "*.*", "z.*.z", "$JS.API.STREAM.LIST", "tasks",
		    "a.b.c.>" };

		check_against_oracle(f, n, q, sizeof(q) / sizeof(q[0]));
	}
}

/* Subjects from a small alphabet, so that many overlap by chance. */
static void
gen_subject(unsigned *seed, char *buf, size_t len)
{
	static const char *const toks[] = { "a", "b", "c", "*", ">" };
	size_t	ntok, i, off = 0;
	int	w;

	*seed = *seed * 1103515245u + 12345u;
	ntok = 1 + (*seed >> 16) % 4;
	for (i = 0; i < ntok; i++) {
		*seed = *seed * 1103515245u + 12345u;
		w = (int)((*seed >> 16) % 5);
		if (w == 4 && i + 1 < ntok)
			w = 3;		/* '>' only last */
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    i > 0 ? "." : "", toks[w]);
	}
}

static void
test_generated(void **state)
{
	static char	 bufs[2 * MAXF][32];
	const char	*f[MAXF], *q[MAXF];
	unsigned	 seed = 20261202u;
	size_t		 i;

	(void)state;
	for (i = 0; i < MAXF; i++) {
		gen_subject(&seed, bufs[i], sizeof(bufs[i]));
		f[i] = bufs[i];
		gen_subject(&seed, bufs[MAXF + i], sizeof(bufs[0]));
		q[i] = bufs[MAXF + i];
	}
	check_against_oracle(f, MAXF, q, MAXF);
}

/* Many literal siblings: the hash table grows and still finds each. */
static void
test_many_siblings(void **state)
{
	struct subtree	*t = NULL;
	struct hits	 h;
	char		 s[64];
	size_t		 i;

	(void)state;
	assert_int_equal(subtree_new(&t), 0);
	for (i = 0; i < 5000; i++) {
		snprintf(s, sizeof(s), "app.%zu.>", i);
		assert_int_equal(subtree_insert(t, s, i % MAXF, (i % MAXF) * 7),
		    0);
	}
	for (i = 0; i < 5000; i += 997) {
		memset(&h, 0, sizeof(h));
		snprintf(s, sizeof(s), "app.%zu.x", i);
		assert_int_equal(subtree_match(t, s, collect, &h), 0);
		assert_int_equal(h.n, 1);
		assert_int_equal(h.seen[i % MAXF], 1);
	}
	memset(&h, 0, sizeof(h));
	assert_int_equal(subtree_match(t, "app.*.y", collect, &h), 0);
	assert_int_equal(h.n, 5000);
	memset(&h, 0, sizeof(h));
	assert_int_equal(subtree_match(t, "app.5000.y", collect, &h), 0);
	assert_int_equal(h.n, 0);
	subtree_free(t);
}

static void
test_stop_and_errors(void **state)
{
	struct subtree	*t = NULL;
	struct hits	 h;

	(void)state;
	assert_int_equal(subtree_new(&t), 0);
	assert_int_equal(subtree_insert(t, "a.b", 1, 7), 0);
	assert_int_equal(subtree_insert(t, "a.*", 2, 14), 0);
	assert_int_equal(subtree_insert(t, "a.>", 3, 21), 0);
	memset(&h, 0, sizeof(h));
	h.stop_after = 2;
	assert_int_equal(subtree_match(t, "a.b", collect, &h), 42);
	assert_int_equal(h.n, 2);
	assert_int_equal(subtree_insert(t, "", 0, 0), -EINVAL);
	assert_int_equal(subtree_insert(t, "a..b", 0, 0), -EINVAL);
	assert_int_equal(subtree_insert(t, NULL, 0, 0), -EINVAL);
	assert_int_equal(subtree_match(t, "", collect, &h), -EINVAL);
	assert_int_equal(subtree_match(t, "a.b.", collect, &h), -EINVAL);
	subtree_free(t);
	subtree_free(NULL);
}

/* A subject of 100000 tokens: the walks use no recursion. */
static void
test_deep(void **state)
{
	struct subtree	*t = NULL;
	struct hits	 h;
	size_t		 n = 100000, i;
	char		*s;

	(void)state;
	assert_non_null(s = malloc(2 * n));
	for (i = 0; i < n; i++) {
		s[2 * i] = 'x';
		s[2 * i + 1] = '.';
	}
	s[2 * n - 1] = '\0';
	assert_int_equal(subtree_new(&t), 0);
	assert_int_equal(subtree_insert(t, s, 5, 35), 0);
	memset(&h, 0, sizeof(h));
	assert_int_equal(subtree_match(t, s, collect, &h), 0);
	assert_int_equal(h.n, 1);
	memset(&h, 0, sizeof(h));
	assert_int_equal(subtree_match(t, ">", collect, &h), 0);
	assert_int_equal(h.n, 1);
	subtree_free(t);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_many_siblings),
		cmocka_unit_test(test_stop_and_errors),
		cmocka_unit_test(test_deep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
