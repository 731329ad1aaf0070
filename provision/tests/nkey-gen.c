/* SPDX-License-Identifier: MIT */
/*
 * nkey-gen: make a throwaway user nkey for ci/with-server --nkey.
 *
 *   nkey-gen SEEDFILE
 *
 * Writes a fresh user seed ("SU...") from /dev/urandom to SEEDFILE (mode
 * 0600) and prints its public key ("U...").  The public key comes from
 * conn_nkey_public(), so a wrong derivation there makes the server refuse
 * the client's signature: the nkey integration suite then fails.  The seed
 * is a secret and is never printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "diag.h"

static const char nkey_gen_b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* CRC-16/XMODEM, the nkeys checksum. */
static uint16_t
nkey_gen_crc16(const uint8_t *p, size_t n)
{
	uint16_t	crc = 0;
	int		i;

	while (n-- > 0) {
		crc ^= (uint16_t)(*p++ << 8);
		for (i = 0; i < 8; i++)
			crc = (uint16_t)(crc & 0x8000 ? crc << 1 ^ 0x1021 :
			    crc << 1);
	}
	return crc;
}

/* raw: 2 prefix bytes, 32 seed bytes, 2 CRC bytes; out: 58 chars + NUL. */
static void
nkey_gen_encode(const uint8_t raw[36], char out[59])
{
	uint32_t	acc = 0;
	size_t		i, n = 0;
	int		bits = 0;

	for (i = 0; i < 36; i++) {
		acc = (acc << 8 | raw[i]) & 0xfff;
		for (bits += 8; bits >= 5; bits -= 5)
			out[n++] = nkey_gen_b32[(acc >> (bits - 5)) & 31];
	}
	if (bits > 0)
		out[n++] = nkey_gen_b32[(acc << (5 - bits)) & 31];
	out[n] = '\0';
}

int
main(int argc, char **argv)
{
	struct diag	 d;
	uint8_t		 raw[36];
	char		 seed[59], msg[512], *pub = NULL;
	uint16_t	 crc;
	FILE		*f;
	int		 fd;

	if (argc != 2) {
		fprintf(stderr, "usage: nkey-gen SEEDFILE\n");
		return 2;
	}
	/* Seed prefix (18 << 3) followed by the user type (20 << 3). */
	raw[0] = 18 << 3 | (20 << 3) >> 5;
	raw[1] = (uint8_t)(((20 << 3) & 31) << 3);
	if ((f = fopen("/dev/urandom", "rb")) == NULL ||
	    fread(raw + 2, 1, 32, f) != 32) {
		fprintf(stderr, "nkey-gen: cannot read /dev/urandom\n");
		return 1;
	}
	fclose(f);
	crc = nkey_gen_crc16(raw, 34);
	raw[34] = (uint8_t)(crc & 0xff);
	raw[35] = (uint8_t)(crc >> 8);
	nkey_gen_encode(raw, seed);
	if ((fd = open(argv[1], O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 ||
	    (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "nkey-gen: cannot create '%s': %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	if (fprintf(f, "%s\n", seed) < 0 || fclose(f) != 0) {
		fprintf(stderr, "nkey-gen: cannot write '%s'\n", argv[1]);
		return 1;
	}
	memset(&d, 0, sizeof(d));
	if (conn_nkey_public(argv[1], &d, &pub) < 0) {
		fprintf(stderr, "nkey-gen: %s\n",
		    diag_format(&d, msg, sizeof(msg)));
		return 1;
	}
	printf("%s\n", pub);
	free(pub);
	return 0;
}
