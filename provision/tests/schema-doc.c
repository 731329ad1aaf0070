/* SPDX-License-Identifier: MIT */
/*
 * schema-doc: print the stream and consumer key tables of
 * docs/spec-reference.md from the schema, the rows test-validate checks
 * the document against.  After adding a field to provision/schema.c, run
 * build/provision/tests/schema-doc and paste its rows.
 */
#include <stdio.h>
#include <string.h>

#include "refdoc.h"

static void
schema_doc_print(void *arg, const char *row, const char *key)
{
	(void)arg;
	(void)key;
	printf("%s\n", row);
}

int
main(int argc, char **argv)
{
	const struct schema_field	*t;
	size_t				 n;
	bool				 consumer;

	consumer = argc > 1 && strcmp(argv[1], "consumer") == 0;
	t = consumer ? schema_consumer_fields(&n) : schema_stream_fields(&n);
	printf("| Key | Type | Default | In place | Since | Meaning |\n");
	printf("|---|---|---|---|---|---|\n");
	refdoc_walk(t, n, NULL, "", consumer, schema_doc_print, NULL);
	return 0;
}
