/* SPDX-License-Identifier: MIT */
/*
 * validate: offline checks that span fields, streams and consumers, using
 * the server's own rules.  Runs after spec_load() and before any connection.
 *
 *  - stream and consumer names, subjects (tokens, wildcards);
 *  - ranges that depend on other fields: max_age >= 100ms or unlimited,
 *    duplicate_window <= max_age, replicas 1..5;
 *  - duplicate stream names across files, duplicate consumer names;
 *  - subjects that overlap between declared streams;
 *  - work-queue consumers: explicit ack, deliver all, no overlapping or
 *    second unfiltered consumer;
 *  - consumer field combinations (push needs deliver_subject, pull forbids
 *    deliver_group, opt_start_seq with by_start_sequence, ...).
 */
#ifndef VALIDATE_H
#define VALIDATE_H

#include <stdbool.h>

#include "diag.h"
#include "spec.h"

/*
 * Append every problem to diags.  Returns 0 when the set is valid,
 * -EINVAL when at least one problem was found, -ENOMEM.
 */
int	validate_spec_set(const struct spec_set *set, struct diag_list *diags);

/*
 * Load every path (spec_load_keep) and validate what loaded, in one pass,
 * so that one run reports every independent error: key and type errors
 * in one stream do not hide cross-stream, overlap and consumer-rule errors
 * elsewhere.  A key written wrong is left out of the rules that would
 * otherwise stand in its default (a stream whose 'subjects' failed to load
 * is not taken to capture its name).  diags come back sorted.
 * Returns 0 and *ret_set (free with spec_set_free), or the loader's code
 * (-EINVAL, -ENOENT, -E2BIG: see spec_load), -EINVAL for validation
 * problems, -ENOMEM; *ret_set is untouched on error.
 */
int	validate_load(char *const *paths, size_t npaths,
	    const struct spec_limits *limits, struct diag_list *diags,
	    struct spec_set **ret_set);

/* Name rules shared with the conformance runner. */
bool	validate_name(const char *name);		/* stream/consumer */
bool	validate_subject(const char *subject, bool wildcards);

/* True when two subject filters can match a common subject. */
bool	validate_subjects_overlap(const char *a, const char *b);

#endif
