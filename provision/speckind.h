/* SPDX-License-Identifier: MIT */
/*
 * speckind: what a declared stream is.  Its own header so that bucket.h,
 * which spec.c uses, need not include spec.h (no spec <-> bucket cycle).
 */
#ifndef SPECKIND_H
#define SPECKIND_H

/* What a declared stream is: a stream, or the stream of a bucket. */
enum spec_kind {
	SPEC_STREAM,
	SPEC_KV,		/* a "kv:" item: stream KV_<bucket> */
	SPEC_OBJ,		/* an "object_stores:" item: OBJ_<bucket> */
};

#endif
