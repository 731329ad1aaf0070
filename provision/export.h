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
 * not exist (d says which), -EPROTO when a stream's config cannot be
 * written as a spec that plans without changes (d names it), -EBADMSG
 * when a live number is not a whole number that fits 64 bits (a reply
 * jsapi checked never has one), -ENOMEM.
 */
int	export_yaml(const struct live *live, char *const *names, size_t nnames,
	    struct diag *d, char **ret_yaml);

#endif
