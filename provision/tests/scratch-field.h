/* SPDX-License-Identifier: MIT */
/*
 * scratch-field: one stream field, as a row of schema.c's stream table,
 * for test-scratch (compiled into its own copy of schema.c with
 * -DSCHEMA_SCRATCH).  Nothing else in the tree knows it.
 */
	{ .key = "scratch_ttl", .type = SCHEMA_DURATION, .min = 0,
	  .since = SCHEMA_V2_11, .change = SCHEMA_IMMUTABLE,
	  .server_text = "scratch ttl can not be updated",
	  .doc = "A scratch field of test-scratch; implies "
	    "`allow_msg_ttl`." },
