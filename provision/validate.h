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

/* Name rules shared with the conformance runner. */
bool	validate_name(const char *name);		/* stream/consumer */
bool	validate_subject(const char *subject, bool wildcards);

/* True when two subject filters can match a common subject. */
bool	validate_subjects_overlap(const char *a, const char *b);

#endif
