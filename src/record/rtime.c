/* rtime.c: local wall time in an IANA zone -> Unix seconds (docs/protocol.md
 * s.10). The C library only converts in the process's zone, so the
 * conversion sets TZ under a mutex and restores it. The offset is searched:
 * candidates timegm(wall) - offset(near instants), the earliest whose local
 * time reads back as wall wins (a wall time in a DST gap has none). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "record/rtime.h"

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

int rtime_zone_ok(const char *tz)
{
	char path[256];
	if (!tz || !*tz || strlen(tz) > 64 || tz[0] == '/' || strstr(tz, ".."))
		return 0;
	for (const char *p = tz; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '/' || *p == '_' || *p == '-' || *p == '+'))
			return 0;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	return access(path, R_OK) == 0;
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

/* Sets TZ to tz under tz_lock; *old gets the previous TZ to restore
 * (NULL: none). 0, or -1 (out of memory; the lock is not held then). */
static int zone_enter(const char *tz, char **old)
{
	pthread_mutex_lock(&tz_lock);
	*old = NULL;
	if (getenv("TZ") && !(*old = strdup(getenv("TZ")))) {
		pthread_mutex_unlock(&tz_lock);
		return -1;
	}
	setenv("TZ", tz, 1);
	tzset();
	return 0;
}

static void zone_leave(char *old)
{
	if (old)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	pthread_mutex_unlock(&tz_lock);
	free(old);
}

int rtime_local(char out[static 20], int64_t utc, const char *tz)
{
	struct tm lt;
	char *old;
	time_t t = (time_t)utc;
	int ok;
	if (!rtime_zone_ok(tz) || zone_enter(tz, &old) != 0)
		return -1;
	ok = localtime_r(&t, &lt) && strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &lt) == 19;
	zone_leave(old);
	return ok ? 0 : -1;
}

int rtime_make(rtime *t, const char *tz, const char *local, urna_err *e)
{
	struct tm wall, lt;
	int grace, found = 0;
	int64_t best = 0;
	char *old = NULL;

	memset(t, 0, sizeof *t);
	if (!local || parse_local(&wall, &grace, local) != 0)
		return err_set(e, URNA_E_MALFORMED, "time \"%s\" is not YYYY-MM-DDTHH:MM[:SS]", local ? local : "");
	if (!rtime_zone_ok(tz))
		return err_set(e, URNA_E_MALFORMED, "unknown time zone \"%s\"", tz ? tz : "");
	time_t base = timegm(&wall);
	if (zone_enter(tz, &old) != 0)
		return err_set(e, URNA_E_IO, "out of memory");
	for (int k = -1; k <= 1; k++) {
		time_t probe = base + k * 86400, c;
		if (!localtime_r(&probe, &lt))
			continue;
		c = base - lt.tm_gmtoff;
		if (localtime_r(&c, &lt) && same_wall(&lt, &wall) && (!found || c < best))
			best = c, found = 1;
	}
	zone_leave(old);
	if (!found)
		return err_set(e, URNA_E_MALFORMED, "%s does not exist in %s (clock change)", local, tz);
	snprintf(t->local, sizeof t->local, "%s", local);
	t->utc = best;
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
