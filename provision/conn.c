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
#include <openssl/evp.h>

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
 * seed file usually holds only the seed.  An nkey seed is a raw Ed25519
 * private key, so libcrypto (which nats.c links anyway) derives the
 * public key.
 */
static int
conn_ed25519_public(const uint8_t seed[32], uint8_t pub[32])
{
	EVP_PKEY	*k;
	size_t		 n = 32;
	int		 ok;

	if ((k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
	    32)) == NULL)
		return -EIO;
	ok = EVP_PKEY_get_raw_public_key(k, pub, &n) == 1 && n == 32;
	EVP_PKEY_free(k);
	return ok ? 0 : -EIO;
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
	if ((r = conn_ed25519_public(raw + 2, pub + 1)) < 0) {
		r = diag_set(d, r, "cannot derive the public key of the nkey "
		    "seed in '%s' (libcrypto)", seed_file);
		goto out;
	}
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
