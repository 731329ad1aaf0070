/* SPDX-License-Identifier: MIT */
/*
 * plan-int: what plan.c shares with plan-json.c, the planner's own
 * family.  Nothing outside provision/plan*.c includes this header.
 */
#ifndef PLAN_INT_H
#define PLAN_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "plan.h"
#include "schema.h"
#include "spec.h"

/* The longest field path a plan names ("sources.0.subject_transforms"). */
#define PLAN_KEY_MAX		256
/* The longest reason a blocked change or a refusal gives. */
#define PLAN_REASON_MAX		512

/* The fields of one action being built, and whether any is blocked. */
struct plan_diff {
	struct plan_field	*f;
	size_t			 n;
	size_t			 cap;
	bool			 blocked;
};

/* Replace or add key in o; takes v, which is NULL when its allocation
 * failed.  0 or -ENOMEM. */
int	plan_put(cJSON *o, const char *key, cJSON *v);

/* Add a field (copies of lv and wv; blocked is its reason or NULL) to df.
 * 0 or -ENOMEM. */
int	plan_diff_add(struct plan_diff *df, const char *key, const cJSON *lv,
	    const cJSON *wv, const char *blocked);

/* Append a to p, taking its contents, also on failure.  0 or -ENOMEM. */
int	plan_push(struct plan *p, struct plan_action *a);

/* Record a live stream prune leaves alone as not ours.  0 or -ENOMEM. */
int	plan_unowned(struct plan *p, const char *name);

/* Fill p's counts by kind and its count of lossy actions. */
void	plan_tally(struct plan *p);

/* Free what a holds and zero it. */
void	plan_action_clear(struct plan_action *a);

/* Free the n fields of f and f itself. */
void	plan_fields_free(struct plan_field *f, size_t n);

/*
 * Add to df every member of t[] (under prefix) that differs between the
 * live value lv and the wanted value wv, with the reason when the change
 * rule of top (or of the member, at the top level) forbids it on version.
 * lcfg and wcfg are the whole configs the rules read.  0 or -ENOMEM.
 */
int	plan_diff_walk(struct plan_diff *df, enum plan_object o,
	    const struct schema_field *t, size_t nt, const char *prefix,
	    const struct schema_field *top, const cJSON *lv, const cJSON *wv,
	    const cJSON *lcfg, const cJSON *wcfg, int version);

/*
 * Refuse a declared field of t[] in config that the server's version does
 * not know: -EINVAL with d naming the field, its place (keys, or fallback)
 * and the version that introduced it; else 0.
 */
int	plan_check_since(const struct schema_field *t, size_t nt,
	    const cJSON *config, const char *prefix,
	    const struct spec_keyloc *keys, size_t nkeys,
	    struct spec_loc fallback, int version, struct diag *d);

#endif
