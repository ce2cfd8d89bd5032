/* rtime.h: the referendum's times (docs/protocol.md s.10): local wall time in
 * an IANA zone, stored on the board as {"local","utc"}, and the voting window.
 * Safe in any thread, in any zone at once: zones are read from the system's
 * zone database (/usr/share/zoneinfo) by the IANA tzcode, never through the
 * process's TZ, which is neither read nor set. */
#ifndef URNA_RTIME_H
#define URNA_RTIME_H
#include <stdint.h>
#include <jansson.h>
#include "record/error.h"

typedef struct {
	char local[20];  /* "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" */
	int64_t utc;     /* Unix seconds */
	int grace;       /* 60 when stated to the minute, 1 to the second */
} rtime;

/* Converts local (either form) in zone tz ("Europe/Moscow") to Unix seconds,
 * without touching the process's TZ. A wall time that does not exist (the
 * clocks skipped it: a DST gap) or an unknown zone is malformed. One that
 * occurs twice (the clocks were set back, for DST or a new standard offset)
 * is the earlier instant. Fills t. 0 or -1 with e set. */
int rtime_make(rtime *t, const char *tz, const char *local, urna_err *e);
/* The local wall time "YYYY-MM-DDTHH:MM:SS" of utc in zone tz, into out.
 * 0, or -1 for an unknown zone or a year past 9999. */
int rtime_local(char out[static 20], int64_t utc, const char *tz);
/* 1 when tz names a zone file of the system's database that loads ("UTC"
 * included; not a directory such as "Europe", not a POSIX rule). */
int rtime_zone_ok(const char *tz);
/* Reads a board time {"local","utc"} (exactly those keys, local well formed,
 * utc an integer). Does not re-convert (the board's utc is authoritative).
 * 0 or -1 with e set naming what. */
int rtime_parse(rtime *t, const json_t *v, const char *what, urna_err *e);
/* {"local","utc"} as a new JSON object. */
json_t *rtime_json(const rtime *t);
/* Voting window: 1 when opens.utc <= now < closes.utc + closes.grace. */
int rtime_in_window(const rtime *opens, const rtime *closes, int64_t now);

#endif
