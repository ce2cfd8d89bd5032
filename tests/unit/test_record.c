/* test_record.c: the record layer's parts (docs/protocol.md part 2):
 * canonical JSON (s.13), times (s.10), board lines (s.15), ballots (s.14),
 * results percentages. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "crypto/encoding.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/batch.h"
#include "record/ballot.h"
#include "record/board.h"
#include "record/canon.h"
#include "record/file.h"
#include "record/results.h"
#include "record/rtime.h"

/* s.13: only jansson's compact sorted form is accepted. */
static void test_canon(void **st)
{
	(void)st;
	urna_err e = {0};
	json_t *v;
	static const struct { const char *s; urna_code code; } cases[] = {
		{"{\"a\":1,\"b\":[true,null,\"x\"]}", URNA_OK},
		{"{\"b\":1,\"a\":2}", URNA_E_NOT_CANONICAL},     /* keys not sorted */
		{"{\"a\": 1}", URNA_E_NOT_CANONICAL},           /* space */
		{"{\"a\":1}\n", URNA_E_NOT_CANONICAL},          /* trailing newline */
		{"{\"a\":1e2}", URNA_E_NOT_CANONICAL},          /* exponent */
		{"{\"a\":\"\\u0041\"}", URNA_E_NOT_CANONICAL},  /* needless escape */
		{"{\"a\":\"\xc3\xa9\"}", URNA_OK},              /* UTF-8 unescaped */
		{"{\"a\":\"\\u00e9\"}", URNA_E_NOT_CANONICAL},  /* escaped UTF-8 */
		{"{\"a\":1,\"a\":2}", URNA_E_MALFORMED},        /* duplicate key */
		{"{\"a\":", URNA_E_MALFORMED},
		{"{\"a\":\"\\u0000\"}", URNA_E_MALFORMED},      /* NUL */
		{"{\"a\":-0}", URNA_E_NOT_CANONICAL},
		{"{\"a\":01}", URNA_E_MALFORMED},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&e, 0, sizeof e);
		v = canon_parse(cases[i].s, strlen(cases[i].s), 1000, &e);
		if ((v != NULL) != (cases[i].code == URNA_OK) || (!v && e.code != cases[i].code))
			fail_msg("case %zu (%s): got %s: %s", i, cases[i].s, err_name(e.code), e.msg);
		json_decref(v);
	}
	assert_null(canon_parse("{\"a\":1}", 7, 6, &e));
	assert_int_equal(e.code, URNA_E_TOO_LARGE);
	assert_true(canon_id_ok("r1"));
	assert_true(canon_id_ok("a-b-0"));
	assert_false(canon_id_ok("-a"));
	assert_false(canon_id_ok("A"));
	assert_false(canon_id_ok(""));
	assert_false(canon_id_ok("0123456789012345678901234567890123456789012345678901234567890123"));
}

/* s.10: local wall time in an IANA zone. */
static void test_time(void **st)
{
	(void)st;
	rtime t, o;
	urna_err e = {0};
	assert_int_equal(rtime_make(&t, "Europe/Moscow", "2026-07-01T00:00", &e), 0);
	assert_int_equal(t.utc, 1782853200); /* 2026-06-30T21:00Z, the example of s.10 */
	assert_int_equal(t.grace, 60);
	assert_int_equal(rtime_make(&t, "Europe/Moscow", "2026-07-01T00:00:30", &e), 0);
	assert_int_equal(t.utc, 1782853230);
	assert_int_equal(t.grace, 1);
	assert_int_equal(rtime_make(&t, "UTC", "1970-01-01T00:00", &e), 0);
	assert_int_equal(t.utc, 0);
	/* Berlin: summer +2, winter +1; 02:30 on 2026-03-29 does not exist */
	assert_int_equal(rtime_make(&t, "Europe/Berlin", "2026-07-01T12:00", &e), 0);
	assert_int_equal(t.utc, 1782900000);
	assert_int_equal(rtime_make(&t, "Europe/Berlin", "2026-01-15T12:00", &e), 0);
	assert_int_equal(t.utc, 1768474800);
	assert_int_equal(rtime_make(&t, "Europe/Berlin", "2026-03-29T02:30", &e), -1);
	/* 02:30 on 2026-10-25 happens twice: the earlier instant (+2) */
	assert_int_equal(rtime_make(&t, "Europe/Berlin", "2026-10-25T02:30", &e), 0);
	assert_int_equal(t.utc, 1792888200);
	assert_int_equal(rtime_make(&t, "Nowhere/City", "2026-07-01T00:00", &e), -1);
	assert_int_equal(rtime_make(&t, "../etc/passwd", "2026-07-01T00:00", &e), -1);
	assert_int_equal(rtime_make(&t, "UTC", "2026-02-29T00:00", &e), -1);
	assert_int_equal(rtime_make(&t, "UTC", "2026-07-01 00:00", &e), -1);
	assert_int_equal(rtime_make(&t, "UTC", "2026-07-01T24:00", &e), -1);
	/* the window: until 23:59 includes that whole minute */
	assert_int_equal(rtime_make(&o, "UTC", "2026-07-01T00:00", &e), 0);
	assert_int_equal(rtime_make(&t, "UTC", "2026-07-01T23:59", &e), 0);
	assert_false(rtime_in_window(&o, &t, o.utc - 1));
	assert_true(rtime_in_window(&o, &t, o.utc));
	assert_true(rtime_in_window(&o, &t, t.utc + 59));
	assert_false(rtime_in_window(&o, &t, t.utc + 60));
	assert_int_equal(rtime_make(&t, "UTC", "2026-07-01T23:59:59", &e), 0);
	assert_true(rtime_in_window(&o, &t, t.utc));
	assert_false(rtime_in_window(&o, &t, t.utc + 1));
	json_t *j = rtime_json(&t);
	assert_int_equal(rtime_parse(&o, j, "t", &e), 0);
	assert_int_equal(o.utc, t.utc);
	json_decref(j);
}

/* rtime_make of local in tz: want the Unix seconds, or -1 when refused. */
static int64_t utc_of(const char *tz, const char *local)
{
	rtime t;
	urna_err e = {0};
	return rtime_make(&t, tz, local, &e) ? -1 : t.utc;
}

/* s.10: a wall time the clocks skip is refused; one they pass twice is the
 * earlier instant. 2026's changes both ways, in Europe and in America. */
static void test_time_dst(void **st)
{
	(void)st;
	rtime t;
	urna_err e = {0};
	char s[20];
	/* Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00Z) */
	assert_int_equal(utc_of("Europe/Berlin", "2026-03-29T01:59:59"), 1774745999);
	assert_int_equal(utc_of("Europe/Berlin", "2026-03-29T02:00"), -1);
	assert_int_equal(utc_of("Europe/Berlin", "2026-03-29T02:59:59"), -1);
	assert_int_equal(utc_of("Europe/Berlin", "2026-03-29T03:00"), 1774746000);
	assert_int_equal(rtime_make(&t, "Europe/Berlin", "2026-03-29T02:30", &e), -1);
	assert_int_equal(e.code, URNA_E_MALFORMED);
	assert_non_null(strstr(e.msg, "does not exist in Europe/Berlin"));
	/* Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00Z); 02:xx twice */
	assert_int_equal(utc_of("Europe/Berlin", "2026-10-25T01:59:59"), 1792886399);
	assert_int_equal(utc_of("Europe/Berlin", "2026-10-25T02:00"), 1792886400);
	assert_int_equal(utc_of("Europe/Berlin", "2026-10-25T02:59:59"), 1792889999);
	assert_int_equal(utc_of("Europe/Berlin", "2026-10-25T03:00"), 1792893600);
	assert_int_equal(rtime_local(s, 1792886400, "Europe/Berlin"), 0); /* first 02:00 */
	assert_string_equal(s, "2026-10-25T02:00:00");
	assert_int_equal(rtime_local(s, 1792890000, "Europe/Berlin"), 0); /* the second */
	assert_string_equal(s, "2026-10-25T02:00:00");
	/* New York, 2026-03-08: 02:00 EST becomes 03:00 EDT */
	assert_int_equal(utc_of("America/New_York", "2026-03-08T01:59"), 1772953140);
	assert_int_equal(utc_of("America/New_York", "2026-03-08T02:30"), -1);
	assert_int_equal(utc_of("America/New_York", "2026-03-08T03:00"), 1772953200);
	/* New York, 2026-11-01: 02:00 EDT becomes 01:00 EST; 01:30 EDT, not EST */
	assert_int_equal(utc_of("America/New_York", "2026-11-01T00:59"), 1793509140);
	assert_int_equal(utc_of("America/New_York", "2026-11-01T01:30"), 1793511000);
	assert_int_equal(utc_of("America/New_York", "2026-11-01T02:00"), 1793516400);
	assert_int_equal(rtime_local(s, 1793511000 + 3600, "America/New_York"), 0);
	assert_string_equal(s, "2026-11-01T01:30:00");
	/* Lord Howe moves by half an hour: 02:00 becomes 01:30 in April, 02:30 in October */
	assert_int_equal(utc_of("Australia/Lord_Howe", "2026-04-05T01:45"), 1775313900);
	assert_int_equal(utc_of("Australia/Lord_Howe", "2026-10-04T02:15"), -1);
	/* Samoa skipped the whole of 2011-12-30 (-10 to +14) */
	assert_int_equal(utc_of("Pacific/Apia", "2011-12-29T23:59"), 1325239140);
	assert_int_equal(utc_of("Pacific/Apia", "2011-12-30T12:00"), -1);
	assert_int_equal(utc_of("Pacific/Apia", "2011-12-31T00:00"), 1325239200);
}

/* s.10: the zone's history, not only its rules today: Moscow kept summer
 * time (+4) from 2011-03-27 and went back to +3 on 2014-10-26. And offsets
 * that are not whole hours. */
static void test_time_history(void **st)
{
	(void)st;
	assert_int_equal(utc_of("Europe/Moscow", "2010-01-15T12:00"), 1263546000); /* +3 */
	assert_int_equal(utc_of("Europe/Moscow", "2010-07-01T12:00"), 1277971200); /* +4, DST */
	assert_int_equal(utc_of("Europe/Moscow", "2011-03-27T01:59"), 1301180340);
	assert_int_equal(utc_of("Europe/Moscow", "2011-03-27T02:30"), -1);         /* skipped */
	assert_int_equal(utc_of("Europe/Moscow", "2011-03-27T03:00"), 1301180400);
	assert_int_equal(utc_of("Europe/Moscow", "2012-01-15T12:00"), 1326614400); /* +4 in winter */
	/* 2014-10-26 02:00 (+4) became 01:00 (+3), not a DST change: 01:30 twice */
	assert_int_equal(utc_of("Europe/Moscow", "2014-10-26T00:59"), 1414270740);
	assert_int_equal(utc_of("Europe/Moscow", "2014-10-26T01:30"), 1414272600); /* the +4 one */
	assert_int_equal(utc_of("Europe/Moscow", "2014-10-26T02:00"), 1414278000);
	assert_int_equal(utc_of("Europe/Moscow", "2016-01-15T12:00"), 1452848400); /* +3 */
	assert_int_equal(utc_of("Asia/Kathmandu", "2026-07-01T12:00"), 1782886500);   /* +5:45 */
	assert_int_equal(utc_of("America/St_Johns", "2026-07-01T12:00"), 1782916200); /* -2:30 */
}

/* A zone is a file of the system's database: nothing else is one. */
static void test_time_zones(void **st)
{
	(void)st;
	static const char *const bad[] = {
		"", "Nowhere/City", "Europe", "America/", "right/Europe/Berlin", "EST5", "UTC0",
		"<+03>-3", ":Europe/Moscow", "/usr/share/zoneinfo/UTC", "../zoneinfo/UTC", "Europe/Berlin ",
		"europe/berlin", "zone.tab",
	};
	rtime t;
	urna_err e = {0};
	char s[20];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (rtime_zone_ok(bad[i]))
			fail_msg("zone \"%s\" accepted", bad[i]);
		assert_int_equal(rtime_local(s, 0, bad[i]), -1);
		memset(&e, 0, sizeof e);
		assert_int_equal(rtime_make(&t, bad[i], "2026-07-01T00:00", &e), -1);
		assert_int_equal(e.code, URNA_E_MALFORMED);
		assert_non_null(strstr(e.msg, "unknown time zone"));
	}
	assert_false(rtime_zone_ok(NULL));
	assert_int_equal(rtime_make(&t, NULL, "2026-07-01T00:00", &e), -1);
	assert_true(rtime_zone_ok("UTC"));
	assert_true(rtime_zone_ok("Etc/GMT+3"));
	assert_true(rtime_zone_ok("America/Argentina/Buenos_Aires"));
	assert_int_equal(utc_of("Etc/GMT+3", "2026-07-01T00:00"), 1782864000 + 3 * 3600);
}

/* t read as local time in tz and back: the same instant or, for a wall time
 * that occurs twice, the earlier of the two, which reads back the same.
 * 1 when it was such a second occurrence. */
static int round_trip(const char *tz, int64_t t)
{
	char s[20], back[20];
	int64_t u;
	assert_int_equal(rtime_local(s, t, tz), 0);
	u = utc_of(tz, s);
	if (u == t)
		return 0;
	if (u < t - 3600 || u > t || rtime_local(back, u, tz) || strcmp(back, s))
		fail_msg("%s: %lld is %s, which is %lld", tz, (long long)t, s, (long long)u);
	return 1;
}

/* rtime_make undoes rtime_local, so the two agree: every minute around
 * clock changes both ways, and every three days and an hour from 2010 to 2030
 * in nine zones, some with offsets that are not whole hours. */
static void test_time_round_trip(void **st)
{
	(void)st;
	static const struct { const char *tz; int64_t at; } changes[] = {
		{"Europe/Berlin", 1774746000}, {"Europe/Berlin", 1792890000},
		{"America/New_York", 1772953200}, {"America/New_York", 1793512800},
		{"Europe/Moscow", 1301180400}, {"Europe/Moscow", 1414274400},
		{"Australia/Lord_Howe", 1775314800}, {"Pacific/Apia", 1325239200},
	};
	static const char *const zones[] = {
		"Europe/Berlin", "America/New_York", "Europe/Moscow", "Australia/Lord_Howe", "Asia/Kathmandu",
		"Pacific/Chatham", "America/St_Johns", "Pacific/Apia", "UTC",
	};
	int folds = 0;
	for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++)
		for (int64_t t = changes[i].at - 3 * 3600; t <= changes[i].at + 3 * 3600; t += 60)
			folds += round_trip(changes[i].tz, t);
	assert_int_equal(folds, 60 + 60 + 60 + 30); /* Berlin, New York, Moscow 2014, Lord Howe */
	for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++)
		for (int64_t t = 1262304000; t < 1893456000; t += 3 * 86400 + 3607)
			round_trip(zones[z], t);
}

/* rtime_local agrees with the C library's localtime_r (glibc, same zone
 * files, reached through TZ the old way, here in one thread) for many
 * instants since 1970, so outside verifiers built on libc agree too. */
static void test_time_libc(void **st)
{
	(void)st;
	static const char *const some_zones[] = {
		"Europe/Berlin", "America/New_York", "Europe/Moscow", "Australia/Lord_Howe", "Asia/Kathmandu",
		"Pacific/Chatham", "America/St_Johns", "Pacific/Apia", "America/Sao_Paulo", "Asia/Tehran",
	};
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	for (size_t z = 0; z < sizeof some_zones / sizeof some_zones[0]; z++) {
		setenv("TZ", some_zones[z], 1);
		tzset();
		for (time_t t = 0; t < 2145916800; t += 86400 * 7 + 3607) { /* 1970 to 2038 */
			struct tm lt;
			char want[20], got[20];
			assert_non_null(localtime_r(&t, &lt));
			strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%S", &lt);
			assert_int_equal(rtime_local(got, t, some_zones[z]), 0);
			if (strcmp(want, got))
				fail_msg("%s at %lld: libc %s, rtime %s", some_zones[z], (long long)t, want, got);
		}
	}
	if (old)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

static const struct { const char *tz, *local; int64_t utc; } known[] = {
	{"Europe/Moscow", "2026-07-01T00:00", 1782853200},
	{"Europe/Berlin", "2026-07-01T12:00", 1782900000},
	{"Europe/Berlin", "2026-10-25T02:30", 1792888200},
	{"America/New_York", "2026-11-01T01:30", 1793511000},
	{"Asia/Kathmandu", "2026-07-01T12:00", 1782886500},
	{"America/St_Johns", "2026-07-01T12:00", 1782916200},
	{"Europe/Moscow", "2014-10-26T01:30", 1414272600},
	{"Australia/Lord_Howe", "2026-04-05T01:45", 1775313900},
	{"Pacific/Apia", "2011-12-31T00:00", 1325239200},
	{"UTC", "2026-07-01T00:00", 1782864000},
	{"Europe/Berlin", "2026-03-29T02:30", -1},
	{"America/New_York", "2026-03-08T02:30", -1},
};
enum { NKNOWN = sizeof known / sizeof known[0], NTHREADS = 8, ROUNDS = 40 };

/* One thread's share: every known answer, from its own starting point so
 * that the threads are in different zones at once. Returns the misses. */
static void *convert_many(void *arg)
{
	size_t first = (size_t)(uintptr_t)arg;
	uintptr_t misses = 0;
	for (int r = 0; r < ROUNDS; r++)
		for (size_t k = 0; k < NKNOWN; k++) {
			size_t i = (first + k) % NKNOWN;
			char s[20], want[20];
			if (utc_of(known[i].tz, known[i].local) != known[i].utc)
				misses++;
			snprintf(want, sizeof want, "%s:00", known[i].local);
			if (known[i].utc >= 0 && (rtime_local(s, known[i].utc, known[i].tz) || strcmp(s, want)))
				misses++;
			if (strcmp(getenv("TZ") ? getenv("TZ") : "(unset)", "Asia/Tokyo"))
				misses++;
		}
	return (void *)misses;
}

/* The point of rtime.c: conversions in many threads and zones at once, each
 * right, and the process's TZ (here Asia/Tokyo) neither changed nor used. */
static void test_time_threads(void **st)
{
	(void)st;
	pthread_t th[NTHREADS];
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	const char *tz;
	struct tm lt;
	time_t zero = 0;
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	tz = getenv("TZ");
	for (size_t i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, convert_many, (void *)(uintptr_t)i), 0);
	for (size_t i = 0; i < NTHREADS; i++) {
		void *misses;
		assert_int_equal(pthread_join(th[i], &misses), 0);
		if ((uintptr_t)misses)
			fail_msg("thread %zu: %zu wrong answers or TZ changed", i, (size_t)(uintptr_t)misses);
	}
	assert_ptr_equal(getenv("TZ"), tz); /* not even set again to the same value */
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	assert_non_null(localtime_r(&zero, &lt));
	assert_int_equal(lt.tm_gmtoff, 9 * 3600); /* the C library's zone is still Tokyo */
	unsetenv("TZ");
	assert_int_equal(utc_of("Europe/Berlin", "2026-07-01T12:00"), 1782900000);
	assert_null(getenv("TZ")); /* and an unset TZ stays unset */
	if (old)
		setenv("TZ", old, 1);
	tzset();
	free(old);
}

/* s.15: exact layout both ways. */
static void test_lines(void **st)
{
	(void)st;
	uint8_t prev[32] = {1, 2, 3}, h[32];
	urna_err e = {0};
	rec_line l;
	size_t len;
	rec_sig by = {.by = "server", .sig = {9, 8, 7}};
	char *s = line_make(&len, 7, prev, 1782853200, KIND_TALLY, "r1", &by, "{\"a\":1}", 7, &e);
	assert_non_null(s);
	assert_int_equal(line_parse(&l, s, len, &e), 0);
	assert_int_equal(l.seq, 7);
	assert_memory_equal(l.prev, prev, 32);
	assert_int_equal(l.time, 1782853200);
	assert_int_equal(l.kind, KIND_TALLY);
	assert_string_equal(l.region, "r1");
	assert_int_equal(l.body_len, 7);
	assert_memory_equal(l.body, "{\"a\":1}", 7);
	assert_true(l.signed_);
	assert_string_equal(l.by.by, "server");
	assert_memory_equal(l.by.sig, by.sig, 64);
	line_hash(h, s, len);
	uint8_t h2[32];
	hash32(h2, s, len);
	assert_memory_equal(h, h2, 32);
	free(s);
	assert_null(line_make(&len, 1, prev, 1, KIND_TALLY, NULL, &by, "{}", 2, &e));   /* region needed */
	assert_null(line_make(&len, 1, prev, 1, KIND_CLOSE, "r1", &by, "{}", 2, &e));   /* region refused */
	assert_null(line_make(&len, 1, prev, 1, KIND_CLOSE, NULL, NULL, "{}", 2, &e));  /* author needed */
	assert_null(line_make(&len, 1, prev, 1, KIND_BALLOT, "r1", &by, "{}", 2, &e));  /* a ballot has none */
	static const char *const bad[] = {
		"{\"seq\":1,\"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"time\":5,\"kind\":\"close\",\"body\":{}",
		"{\"seq\":01,\"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"time\":5,\"kind\":\"close\",\"body\":{}}",
		"{\"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"seq\":1,\"time\":5,\"kind\":\"close\",\"body\":{}}",
		"{\"seq\":1,\"prev\":\"AAAA\",\"time\":5,\"kind\":\"close\",\"body\":{}}",
		"{\"seq\":1,\"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"time\":5,\"kind\":\"vote\",\"body\":{}}",
		"{\"seq\":1,\"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"time\":5,\"kind\":\"ballot\",\"body\":{}}",
		"{\"seq\":1,\"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"time\":5,\"kind\":\"close\",\"region\":\"r1\",\"body\":{}}",
		"{\"seq\":1, \"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"time\":5,\"kind\":\"close\",\"body\":{}}",
		"{\"seq\":1,\"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"time\":-5,\"kind\":\"close\",\"body\":{}}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (line_parse(&l, bad[i], strlen(bad[i]), &e) == 0)
			fail_msg("bad line %zu accepted", i);
	const char *good = "{\"seq\":1,\"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"time\":5,\"kind\":\"close\",\"by\":\"organizer\",\"sig\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"body\":{}}";
	assert_int_equal(line_parse(&l, good, strlen(good), &e), 0);
}

static void manifest_yes_no(manifest *m, uint32_t min)
{
	memset(m, 0, sizeof *m);
	strcpy(m->id, "r1");
	m->nq = 1;
	m->m[0] = 2;
	m->min[0] = min;
	m->max[0] = 1;
	hash32(m->h_R, "referendum", 10);
}

/* Two questions: pick 1..2 of 3 (one ciphertext per choice), then yes/no
 * with blank (packed). */
static void manifest_mixed(manifest *m)
{
	memset(m, 0, sizeof *m);
	strcpy(m->id, "r1");
	m->nq = 2;
	m->m[0] = 3, m->min[0] = 1, m->max[0] = 2;
	m->m[1] = 2, m->min[1] = 0, m->max[1] = 1;
	hash32(m->h_R, "referendum", 10);
}

typedef struct {
	uint8_t K[32], x[32], X[32], h_E[32];
} keys;

static void make_keys(keys *k)
{
	uint8_t s[32];
	scalar_random(s);
	assert_int_equal(point_base_mul(k->K, s), 0);
	assert_int_equal(credential_keys(k->x, k->X, "ref", "r1", "ABCD"), 0);
	hash32(k->h_E, "manifest", 8);
}

/* s.6, s.14: a built packed ballot parses back, verifies, and any change breaks it. */
static void test_ballot(void **st)
{
	(void)st;
	uint8_t trk[32];
	uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES] = {{0}};
	manifest m;
	keys k;
	urna_err e = {0};
	char *s = NULL;
	size_t len;
	ballot *b = ballot_new();
	make_keys(&k);
	manifest_yes_no(&m, 1);
	sel[0][1] = 1; /* choice 2: v = M = 8 for an electorate of 7 */
	uint8_t r[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES][32];
	assert_int_equal(ballot_make(&s, &len, trk, "ref", "r1", &m, 7, k.h_E, k.K, k.x, k.X, sel, r, &e), 0);
	assert_int_equal(ballot_parse(b, s, len, &e), 0);
	assert_true(b->packed[0]);
	assert_int_equal(b->m[0], 1);
	assert_int_equal(b->pf[0][0].hi, 1); /* two allowed values: 1, M */
	/* the randomness given out for an audit is the ciphertext's: alpha = r G,
	 * beta = r K + M G */
	uint8_t P[32], Q[32];
	assert_int_equal(point_base_mul(P, r[0][0]), 0);
	assert_memory_equal(P, b->ct[0][0].alpha, 32);
	assert_int_equal(point_mul(P, r[0][0], k.K), 0);
	assert_int_equal(point_small_base(Q, 8), 0);
	assert_int_equal(point_add(P, P, Q), 0);
	assert_memory_equal(P, b->ct[0][0].beta, 32);
	assert_memory_equal(b->tracker, trk, 32);
	assert_memory_equal(b->X, k.X, 32);
	assert_int_equal(ballot_shape_ok(b, &m, 7, &e), 0);
	assert_int_equal(b->vals[0][1], 8);
	assert_int_equal(ballot_verify(b, k.h_E, k.K, &e), 0);
	/* under another electorate's base (16) the packed proof fails */
	assert_int_equal(ballot_shape_ok(b, &m, 8, &e), 0);
	assert_int_equal(ballot_verify(b, k.h_E, k.K, &e), -1);
	assert_int_equal(e.code, URNA_E_BAD_PROOF);
	assert_non_null(strstr(e.msg, "answer 1 (packed)"));
	/* an electorate of 0 gives no base */
	assert_int_equal(ballot_shape_ok(b, &m, 0, &e), -1);
	assert_int_equal(ballot_shape_ok(b, &m, 7, &e), 0);
	/* bound to h_E (s.6) */
	uint8_t other[32];
	hash32(other, "other", 5);
	assert_int_equal(ballot_verify(b, other, k.K, &e), -1);
	assert_int_equal(e.code, URNA_E_BAD_SIGNATURE);
	/* bound to h_R and K (s.11, version 2): the same ballot checked as one of
	 * another referendum (its manifest's h_R), or under another key, fails;
	 * the signature binds both, so it is the first to fail. */
	manifest mr = m;
	mr.h_R[0] ^= 1;
	assert_int_equal(ballot_parse(b, s, len, &e), 0);
	assert_int_equal(ballot_shape_ok(b, &mr, 7, &e), 0);
	assert_int_equal(ballot_verify(b, k.h_E, k.K, &e), -1);
	assert_int_equal(e.code, URNA_E_BAD_SIGNATURE);
	uint8_t K2[32];
	assert_int_equal(point_add(K2, k.K, k.K), 0);
	assert_int_equal(ballot_parse(b, s, len, &e), 0);
	assert_int_equal(ballot_shape_ok(b, &m, 7, &e), 0);
	assert_int_equal(ballot_verify(b, k.h_E, K2, &e), -1);
	assert_int_equal(e.code, URNA_E_BAD_SIGNATURE);
	/* a ballot not checked against a manifest has no h_R: it does not verify */
	assert_int_equal(ballot_parse(b, s, len, &e), 0);
	assert_int_equal(ballot_verify(b, k.h_E, k.K, &e), -1);
	assert_int_equal(ballot_shape_ok(b, &m, 7, &e), 0);
	assert_int_equal(ballot_verify(b, k.h_E, k.K, &e), 0);
	/* a blank is refused when min = 1, two choices at once always */
	memset(sel, 0, sizeof sel);
	char *s2 = NULL;
	assert_int_equal(ballot_make(&s2, &len, trk, "ref", "r1", &m, 7, k.h_E, k.K, k.x, k.X, sel, NULL, &e), -1);
	assert_int_equal(e.code, URNA_E_MALFORMED);
	sel[0][0] = sel[0][1] = 1;
	assert_int_equal(ballot_make(&s2, &len, trk, "ref", "r1", &m, 7, k.h_E, k.K, k.x, k.X, sel, NULL, &e), -1);
	assert_null(s2);
	/* shape against another manifest: blank allowed means three branches */
	manifest m0;
	manifest_yes_no(&m0, 0);
	assert_int_equal(ballot_parse(b, s, strlen(s), &e), 0);
	assert_int_equal(ballot_shape_ok(b, &m0, 7, &e), -1);
	assert_non_null(strstr(e.msg, "3 branches"));
	/* or max 2 of 2: one ciphertext per choice */
	m0.max[0] = 2;
	assert_int_equal(ballot_shape_ok(b, &m0, 7, &e), -1);
	assert_non_null(strstr(e.msg, "one ciphertext per choice"));
	/* one flipped character: not canonical JSON, bad encoding, or a failed check */
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i += 37) {
		char *c = strdup(s);
		c[i] = c[i] == 'A' ? 'B' : 'A';
		if (ballot_parse(b, c, n, &e) == 0 && ballot_shape_ok(b, &m, 7, &e) == 0 && ballot_verify(b, k.h_E, k.K, &e) == 0)
			fail_msg("ballot with byte %zu changed still verifies", i);
		free(c);
	}
	/* too large */
	char *big = malloc(URNA_BALLOT_MAX + 2);
	memset(big, ' ', URNA_BALLOT_MAX + 1);
	assert_int_equal(ballot_parse(b, big, URNA_BALLOT_MAX + 1, &e), -1);
	assert_int_equal(e.code, URNA_E_TOO_LARGE);
	free(big);
	free(s);
	free(b);
}

/* s.6: every value of a packed question and of a multi-choice one (max > 1,
 * unchanged) round-trips; the fast reader and jansson agree. */
static void test_ballot_values(void **st)
{
	(void)st;
	manifest m;
	keys k;
	urna_err e = {0};
	ballot *b = ballot_new();
	make_keys(&k);
	manifest_mixed(&m);
	for (int v = 0; v < 3; v++) {
		uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES] = {{0}}, trk[32];
		uint8_t r[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES][32];
		char *s;
		size_t len;
		sel[0][v] = 1, sel[0][(v + 1) % 3] = v == 2;
		if (v)
			sel[1][v - 1] = 1; /* blank, choice 1, choice 2 */
		assert_int_equal(ballot_make(&s, &len, trk, "ref", "r1", &m, 1000, k.h_E, k.K, k.x, k.X, sel, r, &e), 0);
		assert_int_equal(ballot_parse(b, s, len, &e), 0);
		assert_false(b->packed[0]);
		assert_int_equal(b->m[0], 3);
		assert_int_equal(b->sum[0].hi, 1); /* min..max = 1..2: two branches */
		assert_true(b->packed[1]);
		assert_int_equal(b->pf[1][0].hi, 2); /* 0, 1, M */
		assert_int_equal(ballot_shape_ok(b, &m, 1000, &e), 0);
		assert_int_equal(b->vals[1][0], 0);
		assert_int_equal(b->vals[1][1], 1);
		assert_int_equal(b->vals[1][2], 1024);
		assert_int_equal(ballot_verify(b, k.h_E, k.K, &e), 0);
		/* the packed plaintext: beta - r K = v G, v = 0, 1, M */
		uint8_t P[32], Q[32];
		assert_int_equal(point_mul(P, r[1][0], k.K), 0);
		assert_int_equal(point_sub(P, b->ct[1][0].beta, P), 0);
		assert_int_equal(point_small_base(Q, v == 0 ? 0 : v == 1 ? 1 : 1024), 0);
		assert_memory_equal(P, Q, 32);
		/* the jansson path reads the same ballot from an indented copy */
		json_t *j = json_loadb(s, len, 0, NULL);
		char *pretty = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS);
		assert_int_equal(ballot_parse(b, pretty, strlen(pretty), &e), -1);
		assert_int_equal(e.code, URNA_E_NOT_CANONICAL);
		free(pretty);
		json_decref(j);
		free(s);
	}
	free(b);
}

/* A ballot whose packed answer encrypts v, proved over the allowed values
 * with their last one replaced by v (so the proof holds for that list, and
 * no other), signed as a voter would: what a cheating booth can send. */
static char *forge_packed(size_t *len, const manifest *m, uint32_t q, uint64_t electorate, const keys *k, uint64_t v)
{
	uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES] = {{0}}, trk[32], r[32];
	uint64_t vals[URNA_MAX_PACKED];
	urna_ct ct;
	urna_range pf;
	urna_schnorr sig;
	urna_bind bd;
	urna_err e = {0};
	char *s, *out;
	size_t l;
	for (uint32_t i = 0; i < m->nq; i++)
		sel[i][0] = 1;
	assert_int_equal(ballot_make(&s, &l, trk, "ref", "r1", m, electorate, k->h_E, k->K, NULL, k->X, sel, NULL, &e), 0);
	uint32_t n = packed_values(m, q, packed_base(electorate), vals);
	vals[n - 1] = v;
	memcpy(bd.h_R, m->h_R, 32), memcpy(bd.h_E, k->h_E, 32), memcpy(bd.K, k->K, 32), memcpy(bd.X, k->X, 32);
	scalar_random(r);
	assert_int_equal(packed_encrypt(&ct, r, k->K, vals, n, n - 1), 0);
	assert_int_equal(packed_prove(&pf, &bd, q, &ct, r, vals, n, n - 1, NULL), 0);
	assert_int_equal(packed_verify(&pf, &bd, q, &ct, vals, n), 0); /* a proof, for the wrong list */
	json_t *j = json_loadb(s, l, 0, NULL), *proof = json_array();
	for (uint32_t i = 0; i < n; i++)
		json_array_append_new(proof, json_pack("{s:o,s:o,s:o,s:o}", "A", canon_b64(pf.br[i].A, 32), "B",
		                                       canon_b64(pf.br[i].B, 32), "c", canon_b64(pf.br[i].c, 32), "z",
		                                       canon_b64(pf.br[i].z, 32)));
	json_array_set_new(json_object_get(j, "answers"), q,
	                   json_pack("{s:o,s:o,s:o}", "alpha", canon_b64(ct.alpha, 32), "beta", canon_b64(ct.beta, 32),
	                             "proof", proof));
	free(s);
	s = canon_encode(j, &l);
	hash32(trk, s, l);
	assert_int_equal(sig_sign(&sig, &bd, trk, k->x), 0);
	json_object_set_new(j, "signature", json_pack("{s:o,s:o}", "A", canon_b64(sig.A, 32), "z", canon_b64(sig.z, 32)));
	out = canon_encode(j, len);
	free(s);
	json_decref(j);
	return out;
}

/* s.6: a packed answer encrypting a value that is not allowed (2, M + 1,
 * M^2: what would carry into another count) cannot be proven; the
 * verifier refuses it and names the answer. */
static void test_ballot_unallowed(void **st)
{
	(void)st;
	manifest m;
	keys k;
	urna_err e = {0};
	ballot *b = ballot_new();
	make_keys(&k);
	manifest_mixed(&m);
	const uint64_t M = 1024, bad[] = {2, M + 1, M * M, M - 1};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		size_t len;
		char *s = forge_packed(&len, &m, 1, 1000, &k, bad[i]);
		assert_int_equal(ballot_parse(b, s, len, &e), 0);
		assert_int_equal(ballot_shape_ok(b, &m, 1000, &e), 0);
		assert_int_equal(ballot_verify(b, k.h_E, k.K, &e), -1);
		assert_int_equal(e.code, URNA_E_BAD_PROOF);
		assert_non_null(strstr(e.msg, "answer 2 (packed)"));
		assert_non_null(strstr(e.msg, "0, 1, 1024"));
		/* a batch of it fails too (already when added: the challenges do
		 * not add up under the allowed values) */
		urna_batch *bt = batch_new(k.K);
		uint64_t badid[2];
		size_t nbad;
		assert_int_equal(ballot_batch_add(bt, 7, b, k.h_E, k.K), -1);
		assert_int_equal(batch_verify(bt, badid, 2, &nbad), -1);
		assert_int_equal(nbad, 1);
		assert_int_equal(badid[0], 7);
		batch_free(bt);
		free(s);
	}
	/* the same forgery holding M itself is a valid ballot: the helper forges nothing else */
	size_t len;
	char *s = forge_packed(&len, &m, 1, 1000, &k, M);
	assert_int_equal(ballot_parse(b, s, len, &e), 0);
	assert_int_equal(ballot_shape_ok(b, &m, 1000, &e), 0);
	assert_int_equal(ballot_verify(b, k.h_E, k.K, &e), 0);
	free(s);
	free(b);
}

/* s.14 (protocol 2): the tracker is hash32 of the unsigned ballot, so
 * signing it does not change it; the signature signs it; an unsigned
 * ballot (an audit's) parses only as one, a signed one only as cast. */
static void test_tracker_unsigned(void **st)
{
	(void)st;
	manifest m;
	keys k;
	urna_err e = {0};
	ballot *b = ballot_new();
	uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES] = {{0}}, t1[32], t2[32], d[64][32];
	char *uns, *sig;
	size_t ulen, slen;
	make_keys(&k);
	manifest_mixed(&m);
	sel[0][2] = 1, sel[1][1] = 1;
	/* 3 choices of 5 draws, the sum's 2 x 2, the packed r and 2 x 3, then w */
	size_t n = 3 * 5 + 4 + 1 + 6;
	for (size_t i = 0; i <= n; i++)
		scalar_random(d[i]);
	assert_int_equal(ballot_make_from(&uns, &ulen, t1, "ref", "r1", &m, 1000, k.h_E, k.K, NULL, k.X, sel,
	                                  (const uint8_t(*)[32])d, n, &e), 0);
	assert_int_equal(ballot_make_from(&sig, &slen, t2, "ref", "r1", &m, 1000, k.h_E, k.K, k.x, k.X, sel,
	                                  (const uint8_t(*)[32])d, n + 1, &e), 0);
	assert_memory_equal(t1, t2, 32);
	/* the signed ballot is the unsigned one with "signature" added last */
	assert_true(slen > ulen);
	assert_memory_equal(sig, uns, ulen - 1);
	assert_memory_equal(sig + ulen - 1, ",\"signature\":{\"A\":\"", 19);
	uint8_t h[32];
	hash32(h, uns, ulen);
	assert_memory_equal(h, t1, 32);
	assert_int_equal(ballot_parse(b, sig, slen, &e), 0);
	assert_memory_equal(b->tracker, t1, 32);
	assert_int_equal(ballot_shape_ok(b, &m, 1000, &e), 0);
	assert_int_equal(ballot_verify(b, k.h_E, k.K, &e), 0);
	urna_bind bd;
	memcpy(bd.h_R, m.h_R, 32), memcpy(bd.h_E, k.h_E, 32), memcpy(bd.K, k.K, 32), memcpy(bd.X, k.X, 32);
	assert_int_equal(sig_verify(&b->sig, &bd, t1), 0); /* the signature signs the tracker */
	assert_int_equal(ballot_parse(b, uns, ulen, &e), -1);
	assert_int_equal(e.code, URNA_E_MALFORMED);
	assert_int_equal(ballot_parse_unsigned(b, uns, ulen, &e), 0);
	assert_memory_equal(b->tracker, t1, 32);
	assert_int_equal(b->has_sig, 0);
	assert_int_equal(ballot_shape_ok(b, &m, 1000, &e), 0);
	assert_int_equal(ballot_verify(b, k.h_E, k.K, &e), 0);
	assert_int_equal(ballot_parse_unsigned(b, sig, slen, &e), -1);
	assert_int_equal(e.code, URNA_E_MALFORMED);
	assert_non_null(strstr(e.msg, "signed"));
	/* signed again (another w): other bytes, the same tracker */
	char *sig2;
	size_t slen2;
	scalar_random(d[n]);
	assert_int_equal(ballot_make_from(&sig2, &slen2, t2, "ref", "r1", &m, 1000, k.h_E, k.K, k.x, k.X, sel,
	                                  (const uint8_t(*)[32])d, n + 1, &e), 0);
	assert_memory_equal(t1, t2, 32);
	assert_true(slen2 != slen || memcmp(sig, sig2, slen));
	/* draws must be exactly as many as used */
	char *none;
	size_t nl;
	assert_int_equal(ballot_make_from(&none, &nl, t2, "ref", "r1", &m, 1000, k.h_E, k.K, k.x, k.X, sel,
	                                  (const uint8_t(*)[32])d, n, &e), -1);
	assert_int_equal(ballot_make_from(&none, &nl, t2, "ref", "r1", &m, 1000, k.h_E, k.K, NULL, k.X, sel,
	                                  (const uint8_t(*)[32])d, n + 1, &e), -1);
	free(uns);
	free(sig);
	free(sig2);
	free(b);
}

/* s.8: the verifier's result_check agrees with the server's search
 * (result_combine) on a packed yes/no/blank question and a pick-1..2-of-3
 * one, at the edge of M (the electorate 2^k - 1, every ballot counted), and
 * refuses every other published count: a vote moved from one choice to
 * the other (same total), one more, a c2 that wraps c1 + c2 M. */
static void tally_of(tally_body *t, decryption_body *d, const manifest *m, uint64_t counted,
                     const uint64_t plain[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES])
{
	memset(t, 0, sizeof *t);
	memset(d, 0, sizeof *d);
	t->cast = t->counted = counted;
	t->nq = d->nq = m->nq;
	d->trustee = 1;
	for (uint32_t q = 0; q < m->nq; q++) {
		t->m[q] = d->m[q] = manifest_q_nct(m, q);
		for (uint32_t c = 0; c < t->m[q]; c++) { /* beta = plain G + D, D any point (one trustee's) */
			uint8_t s[32], P[32];
			scalar_random(s);
			assert_int_equal(point_base_mul(d->D[q][c], s), 0);
			assert_int_equal(point_small_base(P, plain[q][c]), 0);
			assert_int_equal(point_add(t->ct[q][c].beta, P, d->D[q][c]), 0);
		}
	}
}

static void test_result_check(void **st)
{
	(void)st;
	static tally_body t;
	static decryption_body d;
	const decryption_body *dp[1] = {&d};
	manifest m;
	result_body r, bad;
	urna_err e;
	manifest_mixed(&m);
	const uint64_t electorate = (1u << 12) - 1, M = 1u << 12; /* the largest electorate of base 2^12 */
	struct { uint64_t counted, a, b, c, yes, no; } cases[] = {
		{electorate, 1000, 4095, 1, 4095, 0},        /* every ballot yes: c1 = e, at the edge of the digit */
		{electorate, 4095, 0, 4095, 0, electorate}, /* every ballot no: c2 M = e M */
		{electorate, 7, 4090, 3, 2000, 2000},       /* 95 blank */
		{electorate, 0, 4095, 4095, 0, 0},          /* every ballot blank */
		{0, 0, 0, 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		uint64_t plain[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES] = {{cases[i].a, cases[i].b, cases[i].c},
		                                                          {cases[i].yes + cases[i].no * M}};
		tally_of(&t, &d, &m, cases[i].counted, plain);
		assert_int_equal(result_combine(&r, &m, &t, dp, 1, 1, 1, electorate, &e), 0);
		assert_int_equal(r.counts[0][0], cases[i].a);
		assert_int_equal(r.counts[0][2], cases[i].c);
		assert_int_equal(r.counts[1][0], cases[i].yes);
		assert_int_equal(r.counts[1][1], cases[i].no);
		assert_int_equal(result_check(&r, &m, &t, dp, 1, 1, 1, electorate, &e), 0);
		if (cases[i].counted == 0)
			continue;
		bad = r; /* a vote moved: c1 + c2 unchanged */
		if (bad.counts[1][0]) bad.counts[1][0]--, bad.counts[1][1]++;
		else bad.counts[1][0]++, bad.counts[1][1]--;
		assert_int_equal(result_check(&bad, &m, &t, dp, 1, 1, 1, electorate, &e), -1);
		assert_int_equal(e.code, URNA_E_MISMATCH);
		assert_non_null(strstr(e.msg, "question 2"));
		bad = r;
		bad.counts[0][1]++;
		assert_int_equal(result_check(&bad, &m, &t, dp, 1, 1, 1, electorate, &e), -1);
		assert_non_null(strstr(e.msg, "question 1 choice 2"));
		bad = r; /* c2 past the counted ballots: c1 + c2 M would pass 2^64 */
		bad.counts[1][1] = UINT64_MAX / 2;
		assert_int_equal(result_check(&bad, &m, &t, dp, 1, 1, 1, electorate, &e), -1);
		bad = r;
		bad.counted++;
		assert_int_equal(result_check(&bad, &m, &t, dp, 1, 1, 1, electorate, &e), -1);
	}
	/* no carry past the electorate: one ballot more than base 2^12 can count is refused by both */
	uint64_t over[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES] = {{0}, {M}};
	tally_of(&t, &d, &m, M, over);
	assert_int_equal(result_combine(&r, &m, &t, dp, 1, 1, 1, electorate, &e), -1);
	assert_int_equal(e.code, URNA_E_MISMATCH);
}

static void test_pct(void **st)
{
	(void)st;
	char b[16];
	results_pct(b, 1, 3);
	assert_string_equal(b, "33.3");
	results_pct(b, 2, 3);
	assert_string_equal(b, "66.7");
	results_pct(b, 1, 8);
	assert_string_equal(b, "12.5");
	results_pct(b, 1, 16);
	assert_string_equal(b, "6.3"); /* 6.25 rounds half up */
	results_pct(b, 5, 5);
	assert_string_equal(b, "100.0");
	results_pct(b, 0, 0);
	assert_string_equal(b, "0.0");
}

/* file_read: a regular file in one piece, an empty one, a pipe read to its
 * end, and the refusals: over max (file and pipe), missing, a folder. */
static void test_file_read(void **state)
{
	(void)state;
	char path[] = "/tmp/urna-file-test-XXXXXX", dir[] = "/tmp/urna-dir-test-XXXXXX", pipe_path[32];
	int fd = mkstemp(path), p[2];
	urna_err e;
	size_t len = 99;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello\n", 6), 6);
	close(fd);
	char *b = file_read(path, 6, &len, &e);
	assert_non_null(b);
	assert_int_equal(len, 6);
	assert_string_equal(b, "hello\n");
	free(b);
	assert_null(file_read(path, 5, &len, &e));
	assert_int_equal(e.code, URNA_E_TOO_LARGE);
	assert_int_equal(truncate(path, 0), 0);
	assert_non_null(b = file_read(path, 5, &len, &e));
	assert_int_equal(len, 0);
	assert_string_equal(b, "");
	free(b);
	unlink(path);
	assert_null(file_read(path, 5, &len, &e));
	assert_int_equal(e.code, URNA_E_IO);
	assert_non_null(mkdtemp(dir));
	assert_null(file_read(dir, 5, &len, &e));
	assert_int_equal(e.code, URNA_E_IO);
	/* A FIFO nobody writes to reads as empty, at once, instead of hanging. */
	char fifo[sizeof dir + 8];
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_non_null(b = file_read(fifo, 5, &len, &e));
	assert_int_equal(len, 0);
	free(b);
	unlink(fifo);
	rmdir(dir);
	/* A pipe of 10,000 bytes: grown past its first 4 KiB, or refused under max. */
	for (size_t max = 10000; max >= 9999; max--) {
		assert_int_equal(pipe(p), 0);
		char chunk[10000];
		memset(chunk, 'x', sizeof chunk);
		assert_int_equal(write(p[1], chunk, sizeof chunk), (ssize_t)sizeof chunk);
		close(p[1]);
		snprintf(pipe_path, sizeof pipe_path, "/dev/fd/%d", p[0]);
		b = file_read(pipe_path, max, &len, &e);
		if (max == 10000) {
			assert_non_null(b);
			assert_int_equal(len, 10000);
			assert_int_equal(strlen(b), 10000);
		} else {
			assert_null(b);
			assert_int_equal(e.code, URNA_E_TOO_LARGE);
		}
		free(b);
		close(p[0]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canon),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_time_dst),
		cmocka_unit_test(test_time_history),
		cmocka_unit_test(test_time_zones),
		cmocka_unit_test(test_time_round_trip),
		cmocka_unit_test(test_time_libc),
		cmocka_unit_test(test_time_threads),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_ballot),
		cmocka_unit_test(test_ballot_values),
		cmocka_unit_test(test_ballot_unallowed),
		cmocka_unit_test(test_tracker_unsigned),
		cmocka_unit_test(test_result_check),
		cmocka_unit_test(test_pct),
		cmocka_unit_test(test_file_read),
	};
	if (crypto_setup())
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
