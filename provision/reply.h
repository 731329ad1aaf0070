/* SPDX-License-Identifier: MIT */
/*
 * reply: checks on JetStream API replies, which are untrusted input.
 *
 * jsapi runs every StreamInfo and ConsumerInfo it hands out through
 * reply_stream_info() or reply_consumer_info(), so the planner, export,
 * status and the conformance checks only ever see members of the type the
 * schema (schema.h) gives them, and whole numbers in a range that converts
 * to int64_t without undefined behaviour.  Members the schema does not
 * know are left alone: newer servers add fields.
 *
 * Every failure is -EBADMSG with d naming the object and the member
 * ("stream 'ORDERS': config.max_msgs: inf is not a whole number"), text
 * from the reply quoted with diag_quote().  Nothing here allocates.
 */
#ifndef REPLY_H
#define REPLY_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "diag.h"

/*
 * The one set of getters for members of a cJSON object, replies and
 * specs alike.  None allocates; a NULL obj, or one that is not an object,
 * has no members.
 */

/* Member key of obj, or NULL. */
const cJSON *reply_get(const cJSON *obj, const char *key);

/* The string member key of obj, or def when absent or not a string. */
const char *reply_str(const cJSON *obj, const char *key, const char *def);

/*
 * The number member key of obj as a double, 0 when absent or not a
 * number: for arithmetic on counters (estimates), never for a value that
 * is sent or compared exactly (reply_int(), jint.h).
 */
double	reply_num(const cJSON *obj, const char *key);

/*
 * The whole number member key of obj, exact to 2^63-1 (jint_get()), or
 * def when absent, null, not a number, not whole or beyond int64.
 */
int64_t	reply_int_or(const cJSON *obj, const char *key, int64_t def);

/*
 * Read member key of obj as an integer in [min, max].  Returns 0 and
 * *ret; -ENOENT when obj has no such member or it is null (d untouched);
 * -EBADMSG when it is not a number, not finite, not whole, or out of
 * range.  what names obj in the message ("stream 'X' state").
 *
 * The one place a reply number becomes an integer, through jint_get():
 * exact to 2^63-1 for a reply parsed with jint_parse() (as jsapi parses
 * every reply); a bare double beyond 2^53 is read to the nearest double
 * (and 2^63, what 9223372036854775807 rounds to, as INT64_MAX).
 */
int	reply_int(const cJSON *obj, const char *key, int64_t min, int64_t max,
	    const char *what, struct diag *d, int64_t *ret);

/*
 * As reply_int(), for a value v already in hand (path names it): -EBADMSG
 * also when v is NULL or null.
 */
int	reply_value_int(const cJSON *v, const char *path, int64_t min,
	    int64_t max, const char *what, struct diag *d, int64_t *ret);

/*
 * Member key of obj as a count from 0 to INT64_MAX, 0 when absent, for a
 * reply already checked by reply_stream_info() or reply_consumer_info()
 * (or -1 when it is not a valid count after all).
 */
int64_t	reply_count(const cJSON *obj, const char *key);

/*
 * Check a StreamInfo: an object whose "config" is an object with a
 * non-empty string "name", every config member the schema knows of its
 * schema type (numbers from -1 to INT64_MAX), and "state", when present,
 * an object of counters from 0 to INT64_MAX.  0 or -EBADMSG.
 */
int	reply_stream_info(const cJSON *info, struct diag *d);

/*
 * Check a ConsumerInfo: an object with a string "name" (or one in
 * "config"), a "config" object checked as above, and counters
 * (num_pending, delivered.stream_seq, ...) from 0 to INT64_MAX.
 * stream names the stream in messages (may be NULL).  0 or -EBADMSG.
 */
int	reply_consumer_info(const cJSON *info, const char *stream,
	    struct diag *d);

#endif
