/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h: what the fuzz targets share.  Header only: each target is one
 * executable.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * True when s is safe to show on a terminal, as diag_quote() promises for
 * every message: well-formed UTF-8 with no C0 control (tab and newline
 * included), no DEL and no C1 control.
 */
static inline bool
fuzz_text_ok(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 c;
	int			 n, i;

	while (*p != 0) {
		if (*p < 0x20 || *p == 0x7f)
			return false;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf) {
			n = 1;
			c = *p & 0x1f;
		} else if (*p >= 0xe0 && *p <= 0xef) {
			n = 2;
			c = *p & 0x0f;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			n = 3;
			c = *p & 0x07;
		} else
			return false;
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			c = c << 6 | (p[i] & 0x3f);
		}
		if ((n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
		    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
		    (c >= 0x80 && c <= 0x9f))
			return false;
		p += n + 1;
	}
	return true;
}

#endif
