/* SPDX-License-Identifier: MIT */
/*
 * fuzz-units: libFuzzer target for the size and duration parsers of
 * provision/units.c.
 *
 * The input, as a C string, goes through units_parse_size() and
 * units_parse_duration().  Every value they accept, and the int64 read
 * from the input's first eight bytes, must survive a round trip: what
 * units_format_*() writes for a value >= -1 parses back to the same value.
 * A parser that accepted a negative value other than -1 would turn a spec
 * limit into "unlimited" on the server, so that aborts too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "units.h"

static void
fuzz_units_round_trip(int64_t v)
{
	char	buf[64];
	int64_t	back;

	if (v < -1)
		return;
	if (units_parse_size(units_format_size(v, buf, sizeof(buf)),
	    &back) != 0 || back != v)
		abort();
	if (units_parse_duration(units_format_duration(v, buf, sizeof(buf)),
	    &back) != 0 || back != v)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;
	int64_t	 v;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (units_parse_size(s, &v) == 0) {
		if (v < -1)
			abort();
		fuzz_units_round_trip(v);
	}
	if (units_parse_duration(s, &v) == 0) {
		if (v < -1)
			abort();
		fuzz_units_round_trip(v);
	}
	if (size >= sizeof(v)) {
		memcpy(&v, data, sizeof(v));
		fuzz_units_round_trip(v);
	}
	free(s);
	return 0;
}
