/* SPDX-License-Identifier: MIT */
/*
 * conn: connection options shared by the front ends.
 *
 * Each option is filled from the first source that has it: the flag, the
 * environment, the nats CLI context named by --context or NATS_CONTEXT,
 * then the default.  Empty environment and context values count as unset
 * because the nats CLI writes every key, most of them as "".
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "conn.h"

#define CONN_DEFAULT_URL	"nats://127.0.0.1:4222"
#define CONN_DEFAULT_TIMEOUT_MS	5000
#define CONN_MAX_TIMEOUT_MS	(24LL * 3600 * 1000)
#define CONN_CONTEXT_MAX	(64 * 1024)

const struct option conn_long_options[] = {
	{ "server",	required_argument,	NULL,	's' },
	{ "user",	required_argument,	NULL,	CONN_OPT_USER },
	{ "password",	required_argument,	NULL,	CONN_OPT_PASSWORD },
	{ "token",	required_argument,	NULL,	CONN_OPT_TOKEN },
	{ "creds",	required_argument,	NULL,	CONN_OPT_CREDS },
	{ "nkey",	required_argument,	NULL,	CONN_OPT_NKEY },
	{ "tlscert",	required_argument,	NULL,	CONN_OPT_TLSCERT },
	{ "tlskey",	required_argument,	NULL,	CONN_OPT_TLSKEY },
	{ "tlsca",	required_argument,	NULL,	CONN_OPT_TLSCA },
	{ "context",	required_argument,	NULL,	CONN_OPT_CONTEXT },
	{ "timeout",	required_argument,	NULL,	CONN_OPT_TIMEOUT },
	{ NULL,		0,			NULL,	0 }
};

const char conn_usage[] =
"Connection options (flags override the environment variable in brackets,\n"
"which overrides the nats CLI context, which overrides the default):\n"
"  -s, --server URL     server URL, or a comma-separated list [NATS_URL]\n"
"                       (default " CONN_DEFAULT_URL ")\n"
"      --user USER      user name [NATS_USER]\n"
"      --password PASS  password [NATS_PASSWORD]\n"
"      --token TOKEN    authentication token [NATS_TOKEN]\n"
"      --creds FILE     user credentials (.creds) file [NATS_CREDS]\n"
"      --nkey FILE      user nkey seed file [NATS_NKEY]\n"
"      --tlscert FILE   TLS client certificate [NATS_CERT]\n"
"      --tlskey FILE    TLS client key [NATS_KEY]\n"
"      --tlsca FILE     TLS certificate authority [NATS_CA]\n"
"      --context NAME   nats CLI context to read, from\n"
"                       $XDG_CONFIG_HOME/nats/context/NAME.json or\n"
"                       ~/.config/nats/context/NAME.json [NATS_CONTEXT]\n"
"      --timeout DUR    connect and request timeout, such as 5s, 500ms or\n"
"                       a plain number of seconds [NATS_TIMEOUT]\n"
"                       (default 5s)\n";

/* One string option: its flag, where it lives, env var and context key. */
struct conn_field {
	int		 opt;
	size_t		 off;
	const char	*env;
	const char	*key;
};

#define CONN_FIELD(o, m, e, k)	{ o, offsetof(struct conn_opts, m), e, k }
static const struct conn_field conn_fields[] = {
	CONN_FIELD('s',			url,	  "NATS_URL",	   "url"),
	CONN_FIELD(CONN_OPT_USER,	user,	  "NATS_USER",	   "user"),
	CONN_FIELD(CONN_OPT_PASSWORD,	password, "NATS_PASSWORD", "password"),
	CONN_FIELD(CONN_OPT_TOKEN,	token,	  "NATS_TOKEN",	   "token"),
	CONN_FIELD(CONN_OPT_CREDS,	creds,	  "NATS_CREDS",	   "creds"),
	CONN_FIELD(CONN_OPT_NKEY,	nkey,	  "NATS_NKEY",	   "nkey"),
	CONN_FIELD(CONN_OPT_TLSCERT,	tls_cert, "NATS_CERT",	   "cert"),
	CONN_FIELD(CONN_OPT_TLSKEY,	tls_key,  "NATS_KEY",	   "key"),
	CONN_FIELD(CONN_OPT_TLSCA,	tls_ca,	  "NATS_CA",	   "ca"),
};
#undef CONN_FIELD

#define CONN_NFIELDS	(sizeof(conn_fields) / sizeof(conn_fields[0]))

static char **
conn_slot(struct conn_opts *o, const struct conn_field *f)
{
	return (char **)(void *)((char *)o + f->off);
}

void
conn_opts_init(struct conn_opts *o)
{
	memset(o, 0, sizeof(*o));
}

static int
conn_set(char **slot, const char *value)
{
	char	*s;

	if ((s = strdup(value)) == NULL)
		return -ENOMEM;
	free(*slot);
	*slot = s;
	return 0;
}

/*
 * "5s", "500ms", "1m", "1h", or a plain number of seconds, as the nats CLI
 * accepts them; whole numbers only, which is all a timeout needs.
 */
static int
conn_parse_timeout(const char *s, int64_t *ret_ms)
{
	static const struct {
		const char	*unit;
		int64_t		 ms;
	} units[] = {
		{ "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 },
		{ "h", 3600000 },
	};
	const char	*p = s;
	int64_t		 n = 0;
	size_t		 i;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p)) {
		if (n > CONN_MAX_TIMEOUT_MS)
			return -EINVAL;
		n = n * 10 + (*p++ - '0');
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit) != 0)
			continue;
		if (n == 0 || n > CONN_MAX_TIMEOUT_MS / units[i].ms)
			return -EINVAL;
		*ret_ms = n * units[i].ms;
		return 0;
	}
	return -EINVAL;
}

static int
conn_timeout(const char *s, const char *where, struct diag *d,
    int64_t *ret_ms)
{
	if (conn_parse_timeout(s, ret_ms) < 0)
		return diag_set(d, -EINVAL, "%s: invalid timeout '%s' (expected "
		    "a duration such as '5s' or '500ms', at most 24h)", where, s);
	return 0;
}

static const char *
conn_flag_name(int opt)
{
	const struct option	*lo;

	for (lo = conn_long_options; lo->name != NULL; lo++)
		if (lo->val == opt)
			return lo->name;
	return "?";
}

int
conn_opts_handle(struct conn_opts *o, int opt, const char *arg,
    struct diag *d)
{
	char	**slot = NULL;
	size_t	  i;
	int	  r;

	for (i = 0; i < CONN_NFIELDS; i++)
		if (conn_fields[i].opt == opt)
			slot = conn_slot(o, &conn_fields[i]);
	if (opt == CONN_OPT_CONTEXT)
		slot = &o->context;
	if (slot == NULL && opt != CONN_OPT_TIMEOUT)
		return 0;
	if (arg == NULL || *arg == '\0')
		return diag_set(d, -EINVAL, "--%s: empty value",
		    conn_flag_name(opt));
	if (opt == CONN_OPT_TIMEOUT) {
		if ((r = conn_timeout(arg, "--timeout", d, &o->timeout_ms)) < 0)
			return r;
		return 1;
	}
	if (conn_set(slot, arg) < 0)
		return diag_set(d, -ENOMEM, "out of memory");
	return 1;
}

static const char *
conn_env(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* Read at most CONN_CONTEXT_MAX bytes of path, NUL-terminated. */
static int
conn_read_file(const char *path, struct diag *d, char **ret)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 n;
	int	 r = 0;

	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return diag_set(d, -ENOENT, "'%s' not found", path);
		return diag_set(d, -EINVAL, "cannot read '%s': %s", path,
		    strerror(errno));
	}
	if ((buf = malloc(CONN_CONTEXT_MAX + 1)) == NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	n = fread(buf, 1, CONN_CONTEXT_MAX + 1, f);
	if (ferror(f)) {
		r = diag_set(d, -EINVAL, "cannot read '%s'", path);
		goto out;
	}
	if (n > CONN_CONTEXT_MAX) {
		r = diag_set(d, -EINVAL, "'%s' is larger than %d KiB", path,
		    CONN_CONTEXT_MAX / 1024);
		goto out;
	}
	buf[n] = '\0';
	*ret = buf;
	buf = NULL;
out:
	free(buf);
	fclose(f);
	return r;
}

static int
conn_context_path(const char *name, struct diag *d, char **ret)
{
	const char	*base, *sub;
	char		*path;
	int		 n;

	if (*name == '\0' || strchr(name, '/') != NULL ||
	    strstr(name, "..") != NULL)
		return diag_set(d, -EINVAL, "invalid nats context name '%s'",
		    name);
	if ((base = conn_env("XDG_CONFIG_HOME")) != NULL)
		sub = "nats/context";
	else if ((base = conn_env("HOME")) != NULL)
		sub = ".config/nats/context";
	else
		return diag_set(d, -ENOENT, "cannot find nats context '%s': "
		    "neither XDG_CONFIG_HOME nor HOME is set", name);
	n = snprintf(NULL, 0, "%s/%s/%s.json", base, sub, name);
	if (n < 0 || (path = malloc((size_t)n + 1)) == NULL)
		return diag_set(d, -ENOMEM, "out of memory");
	snprintf(path, (size_t)n + 1, "%s/%s/%s.json", base, sub, name);
	*ret = path;
	return 0;
}

/* Fill the options still unset from the context file of that name. */
static int
conn_load_context(struct conn_opts *o, const char *name, struct diag *d)
{
	char		*path = NULL, *text = NULL;
	cJSON		*root = NULL, *v;
	char		**slot;
	size_t		 i;
	int		 r;

	if ((r = conn_context_path(name, d, &path)) < 0)
		return r;
	if ((r = conn_read_file(path, d, &text)) < 0) {
		diag_prefix(d, "nats context '%s'", name);
		goto out;
	}
	root = cJSON_Parse(text);
	if (!cJSON_IsObject(root)) {
		r = diag_set(d, -EINVAL, "nats context '%s': '%s' is not a "
		    "JSON object", name, path);
		goto out;
	}
	for (i = 0; i < CONN_NFIELDS; i++) {
		slot = conn_slot(o, &conn_fields[i]);
		v = cJSON_GetObjectItemCaseSensitive(root, conn_fields[i].key);
		if (v == NULL || cJSON_IsNull(v))
			continue;
		if (!cJSON_IsString(v)) {
			r = diag_set(d, -EINVAL, "nats context '%s': '%s' must "
			    "be a string in '%s'", name, conn_fields[i].key,
			    path);
			goto out;
		}
		if (*slot != NULL || *v->valuestring == '\0')
			continue;
		if (conn_set(slot, v->valuestring) < 0) {
			r = diag_set(d, -ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	cJSON_Delete(root);
	free(text);
	free(path);
	return r;
}

int
conn_opts_finish(struct conn_opts *o, struct diag *d)
{
	const char	*v, *context;
	char		**slot;
	size_t		 i;
	int		 r;

	for (i = 0; i < CONN_NFIELDS; i++) {
		slot = conn_slot(o, &conn_fields[i]);
		if (*slot != NULL || (v = conn_env(conn_fields[i].env)) == NULL)
			continue;
		if (conn_set(slot, v) < 0)
			return diag_set(d, -ENOMEM, "out of memory");
	}
	if (o->timeout_ms == 0 && (v = conn_env("NATS_TIMEOUT")) != NULL) {
		if ((r = conn_timeout(v, "NATS_TIMEOUT", d,
		    &o->timeout_ms)) < 0)
			return r;
	}
	context = o->context;
	if (context == NULL && (v = conn_env("NATS_CONTEXT")) != NULL) {
		if (conn_set(&o->context, v) < 0)
			return diag_set(d, -ENOMEM, "out of memory");
		context = o->context;
	}
	if (context != NULL && (r = conn_load_context(o, context, d)) < 0)
		return r;
	if (o->url == NULL && conn_set(&o->url, CONN_DEFAULT_URL) < 0)
		return diag_set(d, -ENOMEM, "out of memory");
	if (o->timeout_ms == 0)
		o->timeout_ms = CONN_DEFAULT_TIMEOUT_MS;
	return 0;
}

void
conn_opts_free(struct conn_opts *o)
{
	char	**slot;
	size_t	  i;

	if (o == NULL)
		return;
	for (i = 0; i < CONN_NFIELDS; i++) {
		slot = conn_slot(o, &conn_fields[i]);
		free(*slot);
		*slot = NULL;
	}
	free(o->context);
	o->context = NULL;
}

/*
 * Redact one URL of a list, [b, e).  The user info ends at the LAST '@'
 * of the element, not at the first '/' after the scheme, so that a
 * password containing '/' or '@' is still hidden: hiding too much is
 * harmless, printing a secret is not.
 */
static void
conn_redact_one(const char *b, const char *e, char *out, size_t *len)
{
	const char	*host, *at = NULL, *p, *colon;

	host = b;
	for (p = b; p + 3 <= e; p++) {
		if (memcmp(p, "://", 3) == 0) {
			host = p + 3;
			break;
		}
	}
	for (p = host; p < e; p++)
		if (*p == '@')
			at = p;
	if (at == NULL) {
		memcpy(out + *len, b, (size_t)(e - b));
		*len += (size_t)(e - b);
		return;
	}
	memcpy(out + *len, b, (size_t)(host - b));
	*len += (size_t)(host - b);
	colon = memchr(host, ':', (size_t)(at - host));
	if (colon != NULL) {
		memcpy(out + *len, host, (size_t)(colon - host) + 1);
		*len += (size_t)(colon - host) + 1;
	}
	memcpy(out + *len, "***", 3);
	*len += 3;
	memcpy(out + *len, at, (size_t)(e - at));
	*len += (size_t)(e - at);
}

int
conn_redact_url(const char *url, char **ret)
{
	const char	*b, *e;
	char		*out;
	size_t		 len = 0;

	/* Redaction never grows an element by more than "***". */
	if ((out = malloc(strlen(url) * 4 + 4)) == NULL)
		return -ENOMEM;
	for (b = url;; b = e + 1) {
		if ((e = strchr(b, ',')) == NULL)
			e = b + strlen(b);
		conn_redact_one(b, e, out, &len);
		if (*e == '\0')
			break;
		out[len++] = ',';
	}
	out[len] = '\0';
	*ret = out;
	return 0;
}

/*
 * nkey public key.  nats.c wants the public key next to the seed file
 * (natsOptions_SetNKeyFromSeed) but has no call to derive it, and the
 * seed file usually holds only the seed.  Deriving it takes a SHA-512 of
 * the seed and an Ed25519 base point multiplication; both are written out
 * here (in the style of TweetNaCl) because the project links no crypto
 * library of its own.  Speed and constant time do not matter: this runs
 * once per connection, on the user's own key.
 */

static const uint64_t conn_sha512_k[80] = {
	0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL,
	0xe9b5dba58189dbbcULL, 0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL,
	0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL, 0xd807aa98a3030242ULL,
	0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
	0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL,
	0xc19bf174cf692694ULL, 0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL,
	0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL, 0x2de92c6f592b0275ULL,
	0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
	0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL,
	0xbf597fc7beef0ee4ULL, 0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL,
	0x06ca6351e003826fULL, 0x142929670a0e6e70ULL, 0x27b70a8546d22ffcULL,
	0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
	0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL,
	0x92722c851482353bULL, 0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL,
	0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL, 0xd192e819d6ef5218ULL,
	0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
	0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL,
	0x34b0bcb5e19b48a8ULL, 0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL,
	0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL, 0x748f82ee5defb2fcULL,
	0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
	0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL,
	0xc67178f2e372532bULL, 0xca273eceea26619cULL, 0xd186b8c721c0c207ULL,
	0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL, 0x06f067aa72176fbaULL,
	0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
	0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL,
	0x431d67c49c100d4cULL, 0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL,
	0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

static uint64_t
conn_ror64(uint64_t x, int n)
{
	return (x >> n) | (x << (64 - n));
}

/* SHA-512 of a 32-byte Ed25519 seed: one padded block. */
static void
conn_sha512_seed(const uint8_t seed[32], uint8_t out[64])
{
	uint64_t	h[8] = {
		0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL,
		0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
		0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
		0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
	};
	uint64_t	w[80], v[8], t1, t2;
	uint8_t		block[128];
	int		i, j;

	memset(block, 0, sizeof(block));
	memcpy(block, seed, 32);
	block[32] = 0x80;
	block[126] = 0x01;		/* message length: 256 bits */
	for (i = 0; i < 16; i++)
		for (w[i] = 0, j = 0; j < 8; j++)
			w[i] = w[i] << 8 | block[8 * i + j];
	for (i = 16; i < 80; i++)
		w[i] = w[i - 16] + w[i - 7] + (conn_ror64(w[i - 15], 1) ^
		    conn_ror64(w[i - 15], 8) ^ (w[i - 15] >> 7)) +
		    (conn_ror64(w[i - 2], 19) ^ conn_ror64(w[i - 2], 61) ^
		    (w[i - 2] >> 6));
	memcpy(v, h, sizeof(v));
	for (i = 0; i < 80; i++) {
		t1 = v[7] + (conn_ror64(v[4], 14) ^ conn_ror64(v[4], 18) ^
		    conn_ror64(v[4], 41)) + ((v[4] & v[5]) ^ (~v[4] & v[6])) +
		    conn_sha512_k[i] + w[i];
		t2 = (conn_ror64(v[0], 28) ^ conn_ror64(v[0], 34) ^
		    conn_ror64(v[0], 39)) + ((v[0] & v[1]) ^ (v[0] & v[2]) ^
		    (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		for (h[i] += v[i], j = 0; j < 8; j++)
			out[8 * i + j] = (uint8_t)(h[i] >> (56 - 8 * j));
	explicit_bzero(block, sizeof(block));
	explicit_bzero(w, sizeof(w));
	explicit_bzero(v, sizeof(v));
}

/* Field elements mod 2^255-19 as 16 limbs of 16 bits. */
typedef int64_t conn_gf[16];

static const conn_gf conn_gf0;
static const conn_gf conn_gf1 = { 1 };
static const conn_gf conn_d2 = {
	0xf159, 0x26b2, 0x9b94, 0xebd6, 0xb156, 0x8283, 0x149a, 0x00e0,
	0xd130, 0xeef3, 0x80f2, 0x198e, 0xfce7, 0x56df, 0xd9dc, 0x2406,
};
static const conn_gf conn_bx = {
	0xd51a, 0x8f25, 0x2d60, 0xc956, 0xa7b2, 0x9525, 0xc760, 0x692c,
	0xdc5c, 0xfdd6, 0xe231, 0xc0a4, 0x53fe, 0xcd6e, 0x36d3, 0x2169,
};
static const conn_gf conn_by = {
	0x6658, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666,
	0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666,
};

static void
conn_gf_carry(conn_gf o)
{
	int64_t	c;
	int	i;

	for (i = 0; i < 16; i++) {
		o[i] += 65536;
		c = o[i] >> 16;
		o[i] -= c * 65536;
		if (i < 15)
			o[i + 1] += c - 1;
		else
			o[0] += 38 * (c - 1);	/* 2^256 = 38 mod p */
	}
}

static void
conn_gf_swap(conn_gf p, conn_gf q, int b)
{
	int64_t	t, c = ~(int64_t)(b - 1);
	int	i;

	for (i = 0; i < 16; i++) {
		t = c & (p[i] ^ q[i]);
		p[i] ^= t;
		q[i] ^= t;
	}
}

static void
conn_gf_pack(uint8_t o[32], const conn_gf n)
{
	conn_gf	m, t;
	int	i, j, b;

	memcpy(t, n, sizeof(t));
	conn_gf_carry(t);
	conn_gf_carry(t);
	conn_gf_carry(t);
	for (j = 0; j < 2; j++) {
		m[0] = t[0] - 0xffed;
		for (i = 1; i < 15; i++) {
			m[i] = t[i] - 0xffff - ((m[i - 1] >> 16) & 1);
			m[i - 1] &= 0xffff;
		}
		m[15] = t[15] - 0x7fff - ((m[14] >> 16) & 1);
		b = (int)((m[15] >> 16) & 1);
		m[14] &= 0xffff;
		conn_gf_swap(t, m, 1 - b);
	}
	for (i = 0; i < 16; i++) {
		o[2 * i] = (uint8_t)(t[i] & 0xff);
		o[2 * i + 1] = (uint8_t)(t[i] >> 8);
	}
}

static void
conn_gf_add(conn_gf o, const conn_gf a, const conn_gf b)
{
	int	i;

	for (i = 0; i < 16; i++)
		o[i] = a[i] + b[i];
}

static void
conn_gf_sub(conn_gf o, const conn_gf a, const conn_gf b)
{
	int	i;

	for (i = 0; i < 16; i++)
		o[i] = a[i] - b[i];
}

static void
conn_gf_mul(conn_gf o, const conn_gf a, const conn_gf b)
{
	int64_t	t[31];
	int	i, j;

	memset(t, 0, sizeof(t));
	for (i = 0; i < 16; i++)
		for (j = 0; j < 16; j++)
			t[i + j] += a[i] * b[j];
	for (i = 0; i < 15; i++)
		t[i] += 38 * t[i + 16];
	memcpy(o, t, 16 * sizeof(t[0]));
	conn_gf_carry(o);
	conn_gf_carry(o);
}

/* a^(p-2) = 1/a. */
static void
conn_gf_inv(conn_gf o, const conn_gf a)
{
	conn_gf	c;
	int	i;

	memcpy(c, a, sizeof(c));
	for (i = 253; i >= 0; i--) {
		conn_gf_mul(c, c, c);
		if (i != 2 && i != 4)
			conn_gf_mul(c, c, a);
	}
	memcpy(o, c, sizeof(c));
}

/* p += q on the curve, in extended coordinates (X, Y, Z, T). */
static void
conn_point_add(conn_gf p[4], conn_gf q[4])
{
	conn_gf	a, b, c, d, t, e, f, g, h;

	conn_gf_sub(a, p[1], p[0]);
	conn_gf_sub(t, q[1], q[0]);
	conn_gf_mul(a, a, t);
	conn_gf_add(b, p[0], p[1]);
	conn_gf_add(t, q[0], q[1]);
	conn_gf_mul(b, b, t);
	conn_gf_mul(c, p[3], q[3]);
	conn_gf_mul(c, c, conn_d2);
	conn_gf_mul(d, p[2], q[2]);
	conn_gf_add(d, d, d);
	conn_gf_sub(e, b, a);
	conn_gf_sub(f, d, c);
	conn_gf_add(g, d, c);
	conn_gf_add(h, b, a);
	conn_gf_mul(p[0], e, f);
	conn_gf_mul(p[1], h, g);
	conn_gf_mul(p[2], g, f);
	conn_gf_mul(p[3], e, h);
}

/* The Ed25519 public key of a 32-byte seed. */
static void
conn_ed25519_public(const uint8_t seed[32], uint8_t pub[32])
{
	conn_gf	p[4], q[4], zi, x, y;
	uint8_t	h[64], px[32];
	int	i, j, b;

	conn_sha512_seed(seed, h);
	h[0] &= 248;
	h[31] &= 127;
	h[31] |= 64;
	memcpy(p[0], conn_gf0, sizeof(conn_gf));
	memcpy(p[1], conn_gf1, sizeof(conn_gf));
	memcpy(p[2], conn_gf1, sizeof(conn_gf));
	memcpy(p[3], conn_gf0, sizeof(conn_gf));
	memcpy(q[0], conn_bx, sizeof(conn_gf));
	memcpy(q[1], conn_by, sizeof(conn_gf));
	memcpy(q[2], conn_gf1, sizeof(conn_gf));
	conn_gf_mul(q[3], conn_bx, conn_by);
	for (i = 255; i >= 0; i--) {
		b = (h[i / 8] >> (i & 7)) & 1;
		for (j = 0; j < 4; j++)
			conn_gf_swap(p[j], q[j], b);
		conn_point_add(q, p);
		conn_point_add(p, p);
		for (j = 0; j < 4; j++)
			conn_gf_swap(p[j], q[j], b);
	}
	conn_gf_inv(zi, p[2]);
	conn_gf_mul(x, p[0], zi);
	conn_gf_mul(y, p[1], zi);
	conn_gf_pack(pub, y);
	conn_gf_pack(px, x);
	pub[31] ^= (uint8_t)((px[0] & 1) << 7);
	explicit_bzero(h, sizeof(h));
	explicit_bzero(p, sizeof(p));
	explicit_bzero(q, sizeof(q));
}

/* CRC-16/XMODEM, the nkeys checksum. */
static uint16_t
conn_crc16(const uint8_t *p, size_t n)
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

static const char conn_b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* Encoded user seed: 'S' 'U' + 56 more base32 characters. */
#define CONN_SEED_LEN	58
#define CONN_PUB_LEN	56

/* Decode a seed into its 36 bytes: 2 prefix, 32 seed, 2 CRC. */
static int
conn_seed_decode(const char *s, uint8_t raw[36])
{
	const char	*c;
	uint32_t	 acc = 0;
	size_t		 n = 0;
	int		 bits = 0, i;

	for (i = 0; i < CONN_SEED_LEN; i++) {
		if (s[i] == '\0' || (c = strchr(conn_b32, s[i])) == NULL)
			return -EINVAL;
		acc = (acc << 5 | (uint32_t)(c - conn_b32)) & 0xfff;
		if ((bits += 5) >= 8) {
			bits -= 8;
			if (n < 36)
				raw[n++] = (uint8_t)(acc >> bits);
		}
	}
	return n == 36 ? 0 : -EINVAL;
}

int
conn_nkey_public(const char *seed_file, struct diag *d, char **ret_pub)
{
	uint8_t	 raw[36], pub[35];
	char	*text = NULL, *s, *out = NULL;
	size_t	 i;
	int	 bits, n, r = 0;
	uint32_t acc;

	if ((r = conn_read_file(seed_file, d, &text)) < 0) {
		diag_prefix(d, "nkey seed file");
		return r;
	}
	/* The seed alone, or inside a .creds file: find "SU" + base32. */
	for (s = text; (s = strstr(s, "SU")) != NULL; s++)
		if (strspn(s, conn_b32) >= CONN_SEED_LEN)
			break;
	if (s == NULL || conn_seed_decode(s, raw) < 0) {
		r = diag_set(d, -EINVAL, "no user nkey seed ('SU...') in "
		    "'%s'", seed_file);
		goto out;
	}
	/* Prefix bytes: seed (18 << 3), then the key type user (20 << 3). */
	if ((raw[0] & 0xf8) != 18 << 3 || ((raw[0] & 7) << 5 |
	    (raw[1] & 0xf8) >> 3) != 20 << 3 || conn_crc16(raw, 34) !=
	    (raw[34] | raw[35] << 8)) {
		r = diag_set(d, -EINVAL, "invalid user nkey seed in '%s' "
		    "(bad prefix or checksum)", seed_file);
		goto out;
	}
	pub[0] = 20 << 3;
	conn_ed25519_public(raw + 2, pub + 1);
	pub[33] = (uint8_t)(conn_crc16(pub, 33) & 0xff);
	pub[34] = (uint8_t)(conn_crc16(pub, 33) >> 8);
	if ((out = malloc(CONN_PUB_LEN + 1)) == NULL) {
		r = diag_set(d, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0, n = 0, bits = 0, acc = 0; i < sizeof(pub); i++) {
		acc = (acc << 8 | pub[i]) & 0xfff;
		for (bits += 8; bits >= 5; bits -= 5)
			out[n++] = conn_b32[(acc >> (bits - 5)) & 31];
	}
	out[n] = '\0';
	*ret_pub = out;
out:
	explicit_bzero(raw, sizeof(raw));
	if (text != NULL)
		explicit_bzero(text, strlen(text));
	free(text);
	return r;
}
