/* SPDX-License-Identifier: MIT */
/*
 * testlib: helpers shared by the cmocka tests of provision/ and
 * conformance/, and the replies nats-server 2.9.10 sent, kept once as
 * files in provision/tests/fixtures/<version>/<name>.json.
 *
 * Every helper fails the running test (cmocka fail_msg) instead of
 * returning an error, so a caller never sees NULL.  The caller frees what
 * it gets: cJSON_Delete() for a tree, free() for text.
 */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <cjson/cJSON.h>

/*
 * The JSON in text, parsed with exact integers as jsapi and spec.c hand
 * them over (jint.h).  For C string literals: every ' is taken as ", and
 * each "{{VERSION/NAME}}" is replaced by the fixture file VERSION/NAME.json
 * (so "{'config':{{2.9.10/stream-t1}}}" is a StreamInfo around the
 * measured config).
 */
cJSON	*testlib_json(const char *text);

/* The text of the fixture file NAME.json ("2.9.10/stream-t1"). */
char	*testlib_fixture(const char *name);

#endif
