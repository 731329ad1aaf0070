/* SPDX-License-Identifier: MIT */
/*
 * fuzz-spec: libFuzzer target for the spec loader and the validator.
 *
 * The input is one spec file.  It is loaded with the default limits,
 * validated, digested and planned against an empty server, as
 * nats-provision plan does.  Beyond crashes and sanitizer reports, two
 * promises of the loader abort the run when broken: every spec error has
 * a file:line:column, and every message is safe to show on a terminal
 * (spec text is quoted with diag_quote()).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "live.h"
#include "plan.h"
#include "spec.h"
#include "validate.h"

static void
fuzz_spec_check(const struct diag_list *diags)
{
	size_t	i;

	for (i = 0; i < diags->n; i++)
		if (diags->items[i].line < 1 || diags->items[i].col < 1 ||
		    !fuzz_text_ok(diags->items[i].msg))
			abort();
}

static void
fuzz_spec_plan(const struct spec_set *set)
{
	struct plan_opts	 opts = { .prune = true };
	struct live		*live = NULL;
	struct plan		*p = NULL;
	struct diag		 d;
	cJSON			*empty, *json = NULL;

	if ((empty = cJSON_CreateArray()) == NULL ||
	    live_from_json(20910, empty, &live) < 0)
		return;
	if (plan_build(set, live, &opts, &d, &p) == 0)
		plan_to_json(p, &json);
	cJSON_Delete(json);
	plan_free(p);
	live_free(live);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	char			 digest[17];
	int			 r;

	r = spec_load_buffer("fuzz.yaml", (const char *)data, size, NULL,
	    &diags, &set);
	if (r == 0 && validate_spec_set(set, &diags) == 0) {
		spec_digest(set, digest);
		fuzz_spec_plan(set);
	}
	if (r != -ENOMEM)
		fuzz_spec_check(&diags);
	diag_list_free(&diags);
	spec_set_free(set);
	return 0;
}
