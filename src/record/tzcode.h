/* tzcode.h: what rtime.c uses of the IANA tzcode (tzcode/, built by
 * tzcode.c, every name prefixed tz_). A zone is read from the system's zone
 * files once, into an object of its own, and only read after: any thread may
 * convert in any zone at once, and none of these reads or sets TZ. */
#ifndef URNA_TZCODE_H
#define URNA_TZCODE_H
#include <time.h>

typedef struct state *timezone_t;

/* The zone name: the TZif file /usr/share/zoneinfo/name or, failing that,
 * name read as a POSIX TZ rule ("EST5"), so a caller that wants a file of the
 * database checks that there is one. NULL with errno set. The caller frees it
 * with tz_tzfree. */
timezone_t tz_tzalloc(char const *name);
void tz_tzfree(timezone_t z);
/* The local time of *t in z into *tm (tm_gmtoff: the offset east of UTC, in
 * seconds; tm_zone points into z). tm, or NULL when the year overflows. */
struct tm *tz_localtime_rz(timezone_t z, time_t const *t, struct tm *tm);

#endif
