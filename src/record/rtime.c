/* rtime.c: local wall time in an IANA zone <-> Unix seconds (docs/protocol.md
 * s.10). The zone comes from the system's zone files through the IANA
 * tzcode (tzcode.h), into an object of each call's own: any thread, any zone,
 * and the process's TZ is never read or set. The offset is searched:
 * candidates timegm(wall) - offset(near instants), the earliest whose local
 * time reads back as wall wins (a wall time in a DST gap has none). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "record/rtime.h"
#include "record/tzcode.h"

/* 1 when tz is a name a zone file may have: no path tricks, no POSIX rule. */
static int name_ok(const char *tz)
{
	if (!tz || !*tz || strlen(tz) > 64 || tz[0] == '/' || strstr(tz, ".."))
		return 0;
	for (const char *p = tz; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '/' || *p == '_' || *p == '-' || *p == '+'))
			return 0;
	return 1;
}

/* The zone tz of the system's database: a regular file there, which the
 * tzcode reads (not a directory, not a rule tz_tzalloc would make of the
 * name). NULL when there is none; the caller frees with tz_tzfree. */
static timezone_t zone_open(const char *tz)
{
	char path[256];
	struct stat st;
	if (!name_ok(tz))
		return NULL;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	return tz_tzalloc(tz);
}

int rtime_zone_ok(const char *tz)
{
	timezone_t z = zone_open(tz);
	int ok = z != NULL;
	tz_tzfree(z);
	return ok;
}

/* Reads "YYYY-MM-DDTHH:MM" or with ":SS" into tm; *grace 60 or 1. */
static int parse_local(struct tm *tm, int *grace, const char *s)
{
	size_t n = strlen(s);
	int Y, M, D, h, m, sec = 0;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (n != 16 && n != 19)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int sep = i == 4 || i == 7 || i == 10 || i == 13 || i == 16;
		char want = i == 10 ? 'T' : (i == 13 || i == 16) ? ':' : '-';
		if (sep ? c != want : (c < '0' || c > '9'))
			return -1;
	}
	Y = atoi(s), M = atoi(s + 5), D = atoi(s + 8), h = atoi(s + 11), m = atoi(s + 14);
	if (n == 19)
		sec = atoi(s + 17);
	if (Y < 1970 || Y > 9999 || M < 1 || M > 12 || D < 1 || D > mdays[M - 1] || h > 23 || m > 59 || sec > 59)
		return -1;
	if (M == 2 && D == 29 && !((Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0))
		return -1;
	memset(tm, 0, sizeof *tm);
	tm->tm_year = Y - 1900, tm->tm_mon = M - 1, tm->tm_mday = D;
	tm->tm_hour = h, tm->tm_min = m, tm->tm_sec = sec;
	*grace = n == 16 ? 60 : 1;
	return 0;
}

static int same_wall(const struct tm *a, const struct tm *b)
{
	return a->tm_year == b->tm_year && a->tm_mon == b->tm_mon && a->tm_mday == b->tm_mday &&
	       a->tm_hour == b->tm_hour && a->tm_min == b->tm_min && a->tm_sec == b->tm_sec;
}

int rtime_local(char out[static 20], int64_t utc, const char *tz)
{
	struct tm lt;
	time_t t = (time_t)utc;
	int ok;
	timezone_t z = zone_open(tz);
	if (!z)
		return -1;
	ok = tz_localtime_rz(z, &t, &lt) && lt.tm_year >= -1900 && lt.tm_year <= 9999 - 1900 &&
	     snprintf(out, 20, "%04d-%02d-%02dT%02d:%02d:%02d", lt.tm_year + 1900, lt.tm_mon + 1, lt.tm_mday,
	              lt.tm_hour, lt.tm_min, lt.tm_sec) == 19;
	tz_tzfree(z);
	return ok ? 0 : -1;
}

/* The instant of wall (as if UTC: base) in z: the earliest candidate
 * base - offset that reads back as wall, offsets taken a day either side.
 * 0, or -1 when none does (the wall time falls in a clock change's gap). */
static int wall_instant(int64_t *out, timezone_t z, const struct tm *wall, time_t base)
{
	struct tm lt;
	int found = 0;
	for (int k = -1; k <= 1; k++) {
		time_t probe = base + k * 86400, c;
		if (!tz_localtime_rz(z, &probe, &lt))
			continue;
		c = base - lt.tm_gmtoff;
		if (tz_localtime_rz(z, &c, &lt) && same_wall(&lt, wall) && (!found || c < *out))
			*out = c, found = 1;
	}
	return found ? 0 : -1;
}

int rtime_make(rtime *t, const char *tz, const char *local, urna_err *e)
{
	struct tm wall;
	int grace, rc = 0;
	int64_t utc = 0;
	timezone_t z;

	memset(t, 0, sizeof *t);
	if (!local || parse_local(&wall, &grace, local) != 0)
		return err_set(e, URNA_E_MALFORMED, "time \"%s\" is not YYYY-MM-DDTHH:MM[:SS]", local ? local : "");
	if (!(z = zone_open(tz)))
		return err_set(e, URNA_E_MALFORMED, "unknown time zone \"%s\"", tz ? tz : "");
	if (wall_instant(&utc, z, &wall, timegm(&wall)) != 0)
		rc = err_set(e, URNA_E_MALFORMED, "%s does not exist in %s (clock change)", local, tz);
	tz_tzfree(z);
	if (rc)
		return rc;
	snprintf(t->local, sizeof t->local, "%s", local);
	t->utc = utc;
	t->grace = grace;
	return 0;
}

int rtime_parse(rtime *t, const json_t *v, const char *what, urna_err *e)
{
	struct tm wall;
	json_t *l = json_object_get(v, "local"), *u = json_object_get(v, "utc");
	memset(t, 0, sizeof *t);
	if (!json_is_object(v) || json_object_size(v) != 2 || !json_is_string(l) || !json_is_integer(u) ||
	    parse_local(&wall, &t->grace, json_string_value(l)) != 0)
		return err_set(e, URNA_E_MALFORMED, "%s must be {\"local\":\"YYYY-MM-DDTHH:MM[:SS]\",\"utc\":N}", what);
	snprintf(t->local, sizeof t->local, "%s", json_string_value(l));
	t->utc = json_integer_value(u);
	return 0;
}

json_t *rtime_json(const rtime *t)
{
	return json_pack("{s:s,s:I}", "local", t->local, "utc", (json_int_t)t->utc);
}

int rtime_in_window(const rtime *opens, const rtime *closes, int64_t now)
{
	return opens->utc <= now && now < closes->utc + closes->grace;
}
