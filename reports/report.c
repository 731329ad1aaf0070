/* SPDX-License-Identifier: MIT */
/*
 * report: the result model (suites of cases plus run properties), the
 * atomic file writer, and the helpers the three writers share so that
 * JUnit, console and JSON show the same times and the same cleaned text.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

/* NULL is stored as NULL: message and detail are optional. */
static int
report_dup(const char *s, char **ret)
{
	*ret = NULL;
	if (s == NULL)
		return 0;
	if ((*ret = strdup(s)) == NULL)
		return -ENOMEM;
	return 0;
}

int
report_new(const char *name, struct report **ret)
{
	struct report	*r;
	char		 host[256];

	*ret = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -ENOMEM;
	/* gethostname() need not terminate a truncated name. */
	if (gethostname(host, sizeof(host)) < 0 || host[0] == '\0')
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	if ((r->name = strdup(name != NULL ? name : "")) == NULL ||
	    (r->hostname = strdup(host)) == NULL) {
		report_free(r);
		return -ENOMEM;
	}
	*ret = r;
	return 0;
}

static void
report_case_clear(struct report_case *c)
{
	free(c->name);
	free(c->classname);
	free(c->message);
	free(c->detail);
}

void
report_free(struct report *r)
{
	struct report_suite	*s;
	size_t			 i, j;

	if (r == NULL)
		return;
	for (i = 0; i < r->nsuites; i++) {
		s = &r->suites[i];
		for (j = 0; j < s->ncases; j++)
			report_case_clear(&s->cases[j]);
		free(s->cases);
		free(s->name);
	}
	free(r->suites);
	for (i = 0; i < r->nprops; i++) {
		free(r->props[i].name);
		free(r->props[i].value);
	}
	free(r->props);
	free(r->name);
	free(r->hostname);
	free(r);
}

/*
 * Values are stored verbatim: callers pass URLs already redacted (see
 * conn.h), and the writers only clean and escape them.
 */
int
report_set_prop(struct report *r, const char *name, const char *value)
{
	struct report_prop	*props;
	char			*n = NULL, *v = NULL;
	size_t			 i;

	if (r == NULL || name == NULL)
		return -EINVAL;
	if ((v = strdup(value != NULL ? value : "")) == NULL)
		return -ENOMEM;
	for (i = 0; i < r->nprops; i++) {
		if (strcmp(r->props[i].name, name) == 0) {
			free(r->props[i].value);
			r->props[i].value = v;
			return 0;
		}
	}
	/* Few properties: growing by one keeps the struct free of a cap. */
	if (r->nprops >= SIZE_MAX / sizeof(*props) - 1 ||
	    (n = strdup(name)) == NULL ||
	    (props = realloc(r->props, (r->nprops + 1) *
	    sizeof(*props))) == NULL) {
		free(n);
		free(v);
		return -ENOMEM;
	}
	r->props = props;
	r->props[r->nprops].name = n;
	r->props[r->nprops].value = v;
	r->nprops++;
	return 0;
}

int
report_suite(struct report *r, const char *name, struct report_suite **ret)
{
	struct report_suite	*suites;
	char			*n;
	size_t			 i;

	*ret = NULL;
	if (r == NULL || name == NULL)
		return -EINVAL;
	for (i = 0; i < r->nsuites; i++) {
		if (strcmp(r->suites[i].name, name) == 0) {
			*ret = &r->suites[i];
			return 0;
		}
	}
	if ((n = strdup(name)) == NULL)
		return -ENOMEM;
	if (r->nsuites >= SIZE_MAX / sizeof(*suites) - 1 ||
	    (suites = realloc(r->suites, (r->nsuites + 1) *
	    sizeof(*suites))) == NULL) {
		free(n);
		return -ENOMEM;
	}
	r->suites = suites;
	memset(&suites[r->nsuites], 0, sizeof(*suites));
	suites[r->nsuites].name = n;
	suites[r->nsuites].timestamp = time(NULL);
	*ret = &suites[r->nsuites++];
	return 0;
}

int
report_add_case(struct report_suite *s, const char *name,
    const char *classname, enum report_status status, double seconds,
    const char *message, const char *detail)
{
	struct report_case	 c, *cases;
	size_t			 cap;
	int			 r = -ENOMEM;

	memset(&c, 0, sizeof(c));
	if (s == NULL || status < REPORT_PASS || status > REPORT_SKIP)
		return -EINVAL;
	if (report_dup(name != NULL ? name : "", &c.name) < 0 ||
	    report_dup(classname != NULL ? classname : "", &c.classname) < 0 ||
	    report_dup(message, &c.message) < 0 ||
	    report_dup(detail, &c.detail) < 0)
		goto out;
	if (s->ncases == s->cap) {
		cap = s->cap == 0 ? 16 : s->cap * 2;
		if (cap > SIZE_MAX / sizeof(*cases) ||
		    (cases = realloc(s->cases, cap * sizeof(*cases))) == NULL)
			goto out;
		s->cases = cases;
		s->cap = cap;
	}
	c.status = status;
	c.seconds = seconds;
	s->cases[s->ncases++] = c;
	memset(&c, 0, sizeof(c));
	r = 0;
out:
	report_case_clear(&c);
	return r;
}

void
report_suite_counts(const struct report_suite *s, size_t ret_counts[4])
{
	enum report_status	st;
	size_t			i;

	memset(ret_counts, 0, 4 * sizeof(ret_counts[0]));
	for (i = 0; i < s->ncases; i++) {
		st = s->cases[i].status;
		/* The struct is public: count a stray status as an error. */
		if (st < REPORT_PASS || st > REPORT_SKIP)
			st = REPORT_ERROR;
		ret_counts[st]++;
	}
}

void
report_counts(const struct report *r, size_t ret_counts[4])
{
	size_t	i, j, c[4];

	memset(ret_counts, 0, 4 * sizeof(ret_counts[0]));
	for (i = 0; i < r->nsuites; i++) {
		report_suite_counts(&r->suites[i], c);
		for (j = 0; j < 4; j++)
			ret_counts[j] += c[j];
	}
}

const char *
report_status_name(enum report_status s)
{
	switch (s) {
	case REPORT_PASS:
		return "pass";
	case REPORT_FAIL:
		return "FAIL";
	case REPORT_ERROR:
		return "ERROR";
	case REPORT_SKIP:
		return "skip";
	}
	return "unknown";
}

uint64_t
report_millis(double seconds)
{
	double	ms = seconds * 1000.0;

	/* Written so that NaN fails the first test and lands on 0. */
	if (!(ms > 0))
		return 0;
	if (ms >= (double)REPORT_MILLIS_MAX)
		return REPORT_MILLIS_MAX;
	return (uint64_t)(ms + 0.5);
}

uint64_t
report_suite_millis(const struct report_suite *s)
{
	uint64_t	ms = 0;
	size_t		i;

	/* Summing the rounded figures makes the total match the cases. */
	for (i = 0; i < s->ncases; i++)
		ms += report_millis(s->cases[i].seconds);
	return ms;
}

uint64_t
report_total_millis(const struct report *r)
{
	uint64_t	ms = 0;
	size_t		i;

	for (i = 0; i < r->nsuites; i++)
		ms += report_suite_millis(&r->suites[i]);
	return ms;
}

uint64_t
report_run_millis(const struct report *r)
{
	if (r->wall_ms > 0)
		return r->wall_ms < REPORT_MILLIS_MAX ? r->wall_ms :
		    REPORT_MILLIS_MAX;
	return report_total_millis(r);
}

const char *
report_seconds(uint64_t ms, char *buf)
{
	snprintf(buf, REPORT_SECONDS_LEN, "%llu.%03u",
	    (unsigned long long)(ms / 1000), (unsigned)(ms % 1000));
	return buf;
}

const char *
report_timestamp(time_t t, char *buf)
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 < 1 ||
	    tm.tm_year + 1900 > 9999) {
		snprintf(buf, REPORT_TIMESTAMP_LEN, "1970-01-01T00:00:00");
		return buf;
	}
	snprintf(buf, REPORT_TIMESTAMP_LEN, "%04d-%02d-%02dT%02d:%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	return buf;
}

/*
 * Length of the UTF-8 sequence at s and its code point, or 0 when s does
 * not start a well-formed one.  Surrogates are decoded (though not
 * well-formed) so that report_clean() drops them whole instead of as three
 * bad bytes.  The NUL terminator is never a continuation byte, so this
 * does not read past the end of the string.
 */
static size_t
report_utf8(const unsigned char *s, uint32_t *ret_cp)
{
	uint32_t	cp;
	size_t		len, i;

	if (s[0] < 0x80) {
		*ret_cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	*ret_cp = cp;
	return len;
}

static bool
report_clean_keeps(uint32_t cp, int flags)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	if ((flags & REPORT_CLEAN_LINE) && cp >= 0x7f && cp <= 0x9f)
		return false;
	if (cp >= 0xd800 && cp <= 0xdfff)
		return false;
	return cp != 0xfffe && cp != 0xffff;
}

int
report_clean(const char *s, int flags, char **ret)
{
	const unsigned char	*p;
	char			*out, *q;
	uint32_t		 cp;
	size_t			 len, n;

	*ret = NULL;
	if (s == NULL)
		s = "";
	len = strlen(s);
	/* At worst every byte becomes a 3-byte U+FFFD. */
	if (len > (SIZE_MAX - 1) / 3 || (out = malloc(len * 3 + 1)) == NULL)
		return -ENOMEM;
	q = out;
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		if ((n = report_utf8(p, &cp)) == 0) {
			memcpy(q, "\xef\xbf\xbd", 3);
			q += 3;
			n = 1;
		} else if (!report_clean_keeps(cp, flags))
			continue;
		else if ((flags & REPORT_CLEAN_LINE) && cp < 0x20)
			*q++ = ' ';
		else {
			memcpy(q, p, n);
			q += n;
		}
	}
	*q = '\0';
	*ret = out;
	return 0;
}

/* Best effort: the rename is done; some file systems refuse this. */
static void
report_sync_dir(const char *dir)
{
	int	fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) < 0)
		return;
	(void)fsync(fd);
	close(fd);
}

int
report_write_file(const char *path, const char *s)
{
	char		*tmp = NULL, *dir = NULL;
	const char	*slash;
	size_t		 len, off = 0;
	ssize_t		 n;
	bool		 made = false;
	int		 fd = -1, r;

	if (path == NULL || *path == '\0' || s == NULL)
		return -EINVAL;
	len = strlen(path);
	if ((tmp = malloc(len + sizeof(".tmp.XXXXXX"))) == NULL ||
	    (dir = strdup(path)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	snprintf(tmp, len + sizeof(".tmp.XXXXXX"), "%s.tmp.XXXXXX", path);
	if ((slash = strrchr(path, '/')) == NULL)
		snprintf(dir, len + 1, ".");
	else {
		dir[slash == path ? 1 : slash - path] = '\0';
		/* Only the last level: a missing grandparent is a typo. */
		if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
			r = -errno;
			goto out;
		}
	}
	if ((fd = mkstemp(tmp)) < 0) {
		r = -errno;
		goto out;
	}
	made = true;
	/* mkstemp() makes 0600; a report is meant to be read by others. */
	if (fchmod(fd, 0644) < 0) {
		r = -errno;
		goto out;
	}
	len = strlen(s);
	while (off < len) {
		if ((n = write(fd, s + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0) {
		r = -errno;
		goto out;
	}
	r = close(fd);
	fd = -1;
	if (r < 0 || rename(tmp, path) < 0) {
		r = -errno;
		goto out;
	}
	made = false;
	report_sync_dir(dir);
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	if (made)
		(void)unlink(tmp);
	free(tmp);
	free(dir);
	return r;
}
