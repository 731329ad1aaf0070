/* SPDX-License-Identifier: MIT */
/*
 * fuzz-spec: libFuzzer target for the spec loader and the validator.
 *
 * The input is one spec file.  It is loaded and validated in one pass
 * (validate_load(), as the front ends do) with the default limits, then
 * digested and planned against an empty server, as nats-provision plan
 * does.  Beyond crashes and sanitizer reports, two promises of the
 * loader abort the run when broken: every spec error has a
 * file:line:column, and every message is safe to show on a terminal
 * (spec text is quoted with diag_quote()).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

/* The input is written here, so that it is read as the front ends read. */
static char	fuzz_spec_dir[] = "/tmp/fuzz-spec.XXXXXX";
static char	fuzz_spec_path[64];

static void
fuzz_spec_cleanup(void)
{
	unlink(fuzz_spec_path);
	rmdir(fuzz_spec_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (mkdtemp(fuzz_spec_dir) == NULL)
		abort();
	snprintf(fuzz_spec_path, sizeof(fuzz_spec_path), "%s/fuzz.yaml",
	    fuzz_spec_dir);
	atexit(fuzz_spec_cleanup);
	return 0;
}

static void
fuzz_spec_write(const uint8_t *data, size_t size)
{
	FILE	*f;

	if ((f = fopen(fuzz_spec_path, "wb")) == NULL ||
	    fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list	 diags = { 0 };
	struct spec_set		*set = NULL;
	char			*paths[] = { fuzz_spec_path };
	char			 digest[17];
	int			 r;

	fuzz_spec_write(data, size);
	r = validate_load(paths, 1, NULL, &diags, &set);
	if (r == 0) {
		spec_digest(set, digest);
		fuzz_spec_plan(set);
	}
	if (r != -ENOMEM)
		fuzz_spec_check(&diags);
	diag_list_free(&diags);
	spec_set_free(set);
	return 0;
}
