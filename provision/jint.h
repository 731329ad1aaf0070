/* SPDX-License-Identifier: MIT */
/*
 * jint: exact 64-bit integers in cJSON trees.
 *
 * cJSON keeps every number as a double, exact only up to 2^53, and prints
 * large ones in exponent form ("1.2096e+15"), which nats-server refuses.
 * The API's integers go to 2^63-1 (durations in nanoseconds up to about
 * 292 years, sizes, sequences).  A number node here may carry the exact
 * decimal digits of its value in valuestring: cJSON_Delete frees
 * valuestring for any type, cJSON_Duplicate copies it and printing ignores
 * it, so the digits travel with the node.  Digits that no longer match
 * valuedouble (someone set the double since) are ignored as stale.
 *
 * Every module reads, writes, compares, parses and prints JSON integers
 * through these functions, never valuedouble or cJSON_Print*.
 */
#ifndef JINT_H
#define JINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/*
 * The exact integer value of number node n.  Returns 0; -EINVAL when n is
 * not a number or not whole; -ERANGE when it does not fit int64.  A bare
 * double of 2^63 (what 9223372036854775807 rounds to) reads as INT64_MAX.
 */
int	jint_get(const cJSON *n, int64_t *ret);

/* A new number node of exact value v; NULL when out of memory. */
cJSON	*jint_create(int64_t v);

/* Make n (a number node) exactly v.  Returns 0 or -ENOMEM. */
int	jint_set(cJSON *n, int64_t v);

/*
 * Parse len bytes of JSON text with every integer kept exactly.  Returns
 * 0 and *ret (caller deletes); -EBADMSG when text is not JSON; -ENOMEM.
 */
int	jint_parse(const char *text, size_t len, cJSON **ret);

/*
 * Give the number nodes of root, parsed from text[0..len) by cJSON, the
 * exact digits of their integer text, by lexing the text in document
 * order.  Returns 0, -EBADMSG (the text does not match the tree) or
 * -ENOMEM.
 */
int	jint_recover(cJSON *root, const char *text, size_t len);

/*
 * Print item (formatted or not) with every whole number as its exact
 * digits.  Returns a string for cJSON_free(), or NULL (out of memory).
 */
char	*jint_print(const cJSON *item, bool formatted);

/*
 * cJSON_Compare(a, b, true), with whole numbers compared by exact value:
 * 2^53 and 2^53+1 differ.
 */
bool	jint_equal(const cJSON *a, const cJSON *b);

#endif
