/* SPDX-License-Identifier: MIT */
/*
 * subtree: a tree of NATS subjects by token, to find which of many subject
 * filters overlap a given one without comparing every pair (nats-server
 * keeps its subscriptions in the same shape, its "sublist").
 *
 * Each inserted filter carries two numbers chosen by the caller (owner and
 * item: a stream and the index of one of its subjects, say).  A match
 * reports every inserted filter that can match a subject in common with
 * the query, '*' and '>' on either side.  Literal tokens are found through
 * a hash table, so a query of literal tokens costs about its token count
 * plus the matches; a query token '*' visits every child of its node.
 *
 * Subjects must be valid (validate_subject); the tree keeps pointers into
 * no caller memory.
 */
#ifndef SUBTREE_H
#define SUBTREE_H

#include <stddef.h>

struct subtree;

/* Returns 0 or -ENOMEM; free with subtree_free (NULL is a no-op). */
int	subtree_new(struct subtree **ret);
void	subtree_free(struct subtree *t);

/* Insert subject with (owner, item).  Returns 0, -EINVAL (empty subject
 * or empty token) or -ENOMEM. */
int	subtree_insert(struct subtree *t, const char *subject, size_t owner,
	    size_t item);

/*
 * Call fn(arg, owner, item) for every inserted filter that overlaps
 * subject, in no particular order.  A non-zero return from fn stops the
 * walk and is returned.  Returns 0, -EINVAL (empty token) or fn's value.
 */
typedef int (*subtree_fn)(void *arg, size_t owner, size_t item);
int	subtree_match(const struct subtree *t, const char *subject,
	    subtree_fn fn, void *arg);

#endif
