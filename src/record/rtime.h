/* rtime.h: the referendum's times (docs/protocol.md s.10): local wall time in
 * an IANA zone, stored on the board as {"local","utc"}, and the voting window.
 * Thread-safe; reads the system's zone database. */
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
 * without touching the process's TZ. A wall time that does not exist (a DST
 * gap) or an unknown zone is malformed. Ambiguous wall times (DST fold) take
 * the earlier instant. Fills t. 0 or -1 with e set. */
int rtime_make(rtime *t, const char *tz, const char *local, urna_err *e);
/* The local wall time "YYYY-MM-DDTHH:MM:SS" of utc in zone tz, into out.
 * 0, or -1 for an unknown zone. */
int rtime_local(char out[static 20], int64_t utc, const char *tz);
/* 1 when tz names a zone of the system's database ("UTC" included). */
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
