/* SPDX-License-Identifier: MIT */
/*
 * scratch-rules: the normalisation of scratch_ttl (scratch-field.h), as a
 * row of schema.c's stream rule table, for test-scratch.
 */
	{ .when = { { .key = "scratch_ttl", .cond = SCHEMA_IF_SET } },
	  .key = "allow_msg_ttl", .value = "true", .force = true,
	  .since = SCHEMA_V2_11,
	  .doc = "the scratch field needs message TTLs" },
