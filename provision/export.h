/* SPDX-License-Identifier: MIT */
/*
 * export: write live stream and consumer configs as a spec document that
 * spec_load() reads back, such that export followed by plan reports no
 * changes.  Values equal to the server's defaults are left out; sizes and
 * durations are written with units (100MiB, 7d).
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stddef.h>

#include "diag.h"
#include "live.h"

/*
 * Render the streams of live named in names (all when nnames is 0), with
 * their consumers when they were read, as YAML.  Returns 0 and a
 * NUL-terminated string (caller frees), -ENOENT when a named stream does
 * not exist (d says which), -ENOMEM.
 */
int	export_yaml(const struct live *live, char *const *names, size_t nnames,
	    struct diag *d, char **ret_yaml);

#endif
