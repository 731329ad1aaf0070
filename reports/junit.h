/* SPDX-License-Identifier: MIT */
/*
 * junit: render a report as JUnit XML.
 *
 * The document validates against both the Apache Ant schema (JUnit.xsd,
 * the strict one) and the Jenkins/Surefire one (junit-10.xsd):
 *
 *	<testsuites>                     no attributes (Ant allows none)
 *	  <testsuite name tests failures errors skipped time timestamp
 *	      hostname package id>       package: the report's name;
 *	                                 id: 0, 1, ... in order
 *	    <properties>                 the report's props, on every suite
 *	      <property name value/>
 *	    <testcase name classname time>   classname: the suite name
 *	                                     when the case has none
 *	      <failure message type="assertion">detail</failure>    FAIL
 *	      <error message type="environment">detail</error>      ERROR
 *	      <skipped message>detail</skipped>                     SKIP
 *	    </testcase>
 *	    <system-out/> <system-err/>  empty; Ant requires both, last
 *	  </testsuite>
 *	</testsuites>
 *
 * Times are seconds with exactly three decimals and a dot, whatever the
 * locale; a suite's time is the sum of its cases' rounded times.
 * Timestamps are UTC without a zone ("2024-05-01T12:00:00"), as Ant
 * requires.  A message or detail that is NULL leaves out the attribute or
 * the body.  A suite name, hostname or property name with no visible
 * character (Ant wants a non-empty token) is written as "unnamed",
 * "localhost" and "unnamed".  Every string goes through report_clean()
 * and is then escaped (see junit_escape()).
 */
#ifndef JUNIT_H
#define JUNIT_H

#include <stdbool.h>

#include "report.h"

/* Returns 0 and a malloc'ed, NUL-terminated document in *ret, or -ENOMEM. */
int	junit_render(const struct report *r, char **ret);

/*
 * s (NULL is "") cleaned by report_clean() and escaped for XML: & < > as
 * entities everywhere, CR as &#13; everywhere (a parser would turn it into
 * LF); for an attribute (attr) also " ' LF and tab as &quot; &apos; &#10;
 * &#9;.  Returns 0 and a malloc'ed string in *ret, or -ENOMEM.
 */
int	junit_escape(const char *s, bool attr, char **ret);

#endif
