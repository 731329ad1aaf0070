/* SPDX-License-Identifier: MIT */
/*
 * test-locale: switch a test into a locale whose decimal separator is a
 * comma, so that a writer that formats times with printf("%f") shows.
 *
 * Debian machines often have no such locale; when the locales package's
 * sources are there (/usr/share/i18n/locales), test_locale_init() compiles
 * de_DE.UTF-8 into a private directory with localedef and points LOCPATH
 * at it.  Failing that, the tests run under C.UTF-8 and can only check for
 * dots.  Included by the reports tests only.
 */
#ifndef TEST_LOCALE_H
#define TEST_LOCALE_H

#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char	test_locale_dir[PATH_MAX];

static bool
test_locale_try(void)
{
	static const char *const names[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "nl_NL.UTF-8",
		"ru_RU.UTF-8", "de_DE",
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (setlocale(LC_ALL, names[i]) != NULL &&
		    strcmp(localeconv()->decimal_point, ",") == 0)
			return true;
	}
	return false;
}

/* Call once from main(), before the tests. */
static void
test_locale_init(void)
{
	posix_spawn_file_actions_t	 fa;
	char				 out[PATH_MAX + 16];
	char				*argv[] = {
		"localedef", "-i", "de_DE", "-f", "UTF-8", out, NULL,
	};
	pid_t				 pid;
	int				 status;

	if (test_locale_try() ||
	    access("/usr/share/i18n/locales/de_DE", R_OK) != 0)
		goto out;
	snprintf(test_locale_dir, sizeof(test_locale_dir),
	    "%s/test-locale.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(test_locale_dir) == NULL) {
		test_locale_dir[0] = '\0';
		goto out;
	}
	snprintf(out, sizeof(out), "%s/de_DE.UTF-8", test_locale_dir);
	if (posix_spawn_file_actions_init(&fa) != 0)
		goto out;
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
	    O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
	    O_WRONLY, 0);
	/* localedef exits 1 on mere warnings: setlocale() has the say. */
	if (posix_spawnp(&pid, "localedef", &fa, NULL, argv, environ) == 0)
		waitpid(pid, &status, 0);
	posix_spawn_file_actions_destroy(&fa);
	setenv("LOCPATH", test_locale_dir, 1);
out:
	setlocale(LC_ALL, "C");
}

/* Call once from main(), after the tests. */
static void
test_locale_fini(void)
{
	char	cmd[PATH_MAX + 16];

	setlocale(LC_ALL, "C");
	if (test_locale_dir[0] == '\0')
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", test_locale_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test-locale: cannot remove '%s'\n",
		    test_locale_dir);
}

/*
 * Switch to a comma-decimal locale, proving that it bites; else C.UTF-8.
 * Returns whether the comma locale is in force.  Undo with
 * setlocale(LC_ALL, "C").
 */
static bool
test_locale_comma(void)
{
	char	buf[32];

	if (test_locale_try()) {
		snprintf(buf, sizeof(buf), "%.3f", 0.5);
		return strcmp(buf, "0,500") == 0;
	}
	fprintf(stderr, "test-locale: no comma-decimal locale here: "
	    "using C.UTF-8\n");
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "C");
	return false;
}

#endif
