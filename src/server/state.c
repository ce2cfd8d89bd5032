/* state.c: referendum state derived from the board (state.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "crypto/batch.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "server/state.h"

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- small helpers ---- */

char *canon_dump(const json_t *v, size_t *len)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (s && len)
		*len = strlen(s);
	return s;
}

static int is_id(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 63 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return 0;
	return 1;
}

static int get_b64(json_t *o, const char *key, uint8_t out[32])
{
	json_t *v = json_object_get(o, key);
	const char *s = json_string_value(v);
	return s && b64url_decode(out, 32, s, json_string_length(v)) == 0 ? 0 : -1;
}

static int get_uint(json_t *o, const char *key, uint64_t max, uint64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max)
		return -1;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static json_t *b64_json(const uint8_t b[32])
{
	char t[URNA_B64_32];
	b64url_encode(t, b, 32);
	return json_string(t);
}

/* A text (s.10): an object of language -> non-empty string, or a string. */
static int is_text(json_t *v)
{
	const char *k;
	json_t *x;
	if (json_is_string(v))
		return json_string_length(v) > 0 && json_string_length(v) <= 4096;
	if (!json_is_object(v) || json_object_size(v) == 0 || json_object_size(v) > 32)
		return 0;
	json_object_foreach(v, k, x)
		if (!json_is_string(x) || json_string_length(x) > 4096 || strlen(k) > 16)
			return 0;
	return 1;
}

/* ---- times (s.10) ---- */

int utime_parse(struct utime *t, const char *local, const char *tz, urna_err *e)
{
	struct tm tm = {0}, back;
	int y, mo, d, h, mi, s = 0, n = 0;
	size_t len = local ? strlen(local) : 0;
	char old[256] = "", *had;
	int rc = -1;

	memset(t, 0, sizeof *t);
	if (len == 16 ? sscanf(local, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5
	    : len == 19 ? sscanf(local, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6 : 1)
		return err_set(e, URNA_E_MALFORMED, "time '%s': YYYY-MM-DDTHH:MM[:SS] expected", local ? local : "");
	if ((size_t)n != len || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || y < 1970)
		return err_set(e, URNA_E_MALFORMED, "time '%s' is not a valid local time", local);
	if (!tz || !*tz || strlen(tz) > 60 || strstr(tz, "..") || tz[0] == '/')
		return err_set(e, URNA_E_MALFORMED, "timezone must be an IANA zone name");
	char zpath[128];
	snprintf(zpath, sizeof zpath, "/usr/share/zoneinfo/%s", tz);
	FILE *zf = fopen(zpath, "rb");
	if (!zf)
		return err_set(e, URNA_E_MALFORMED, "unknown timezone '%s'", tz);
	fclose(zf);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	pthread_mutex_lock(&tz_lock);
	had = getenv("TZ");
	if (had)
		snprintf(old, sizeof old, "%s", had);
	setenv("TZ", tz, 1);
	tzset();
	time_t u = mktime(&tm);
	localtime_r(&u, &back);
	if (had)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	pthread_mutex_unlock(&tz_lock);
	if (u == (time_t)-1 || back.tm_year != y - 1900 || back.tm_mon != mo - 1 || back.tm_mday != d ||
	    back.tm_hour != h || back.tm_min != mi || back.tm_sec != s) {
		err_set(e, URNA_E_MALFORMED, "time '%s' does not exist in %s", local, tz);
		goto out;
	}
	snprintf(t->local, sizeof t->local, "%s", local);
	t->utc = (int64_t)u;
	t->grace = len == 16 ? 60 : 1;
	rc = 0;
out:
	return rc;
}

json_t *utime_json(const struct utime *t)
{
	return json_pack("{s:s, s:I}", "local", t->local, "utc", (json_int_t)t->utc);
}

static int utime_from_json(struct utime *t, json_t *v)
{
	const char *l = json_string_value(json_object_get(v, "local"));
	json_t *u = json_object_get(v, "utc");
	if (!l || strlen(l) >= sizeof t->local || !json_is_integer(u))
		return -1;
	snprintf(t->local, sizeof t->local, "%s", l);
	t->utc = json_integer_value(u);
	t->grace = strlen(l) == 16 ? 60 : 1;
	return 0;
}

/* ---- credential sets ---- */

static uint64_t key_hash(const uint8_t k[32])
{
	uint64_t h;
	memcpy(&h, k, 8);
	return h;
}

static int credset_grow(struct credset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024;
	struct credset n = {.cap = cap};
	n.key = calloc(cap, 32);
	n.last = calloc(cap, sizeof *n.last);
	if (!n.key || !n.last) {
		free(n.key);
		free(n.last);
		return -1;
	}
	static const uint8_t zero[32];
	for (size_t i = 0; i < s->cap; i++) {
		if (!memcmp(s->key[i], zero, 32))
			continue;
		size_t j = key_hash(s->key[i]) & (cap - 1);
		while (memcmp(n.key[j], zero, 32))
			j = (j + 1) & (cap - 1);
		memcpy(n.key[j], s->key[i], 32);
		n.last[j] = s->last[i];
	}
	n.n = s->n;
	free(s->key);
	free(s->last);
	*s = n;
	return 0;
}

/* Slot of X, or of the free place for it. */
static size_t credset_slot(const struct credset *s, const uint8_t X[32], int *found)
{
	static const uint8_t zero[32];
	size_t j = key_hash(X) & (s->cap - 1);
	while (memcmp(s->key[j], zero, 32)) {
		if (!memcmp(s->key[j], X, 32)) {
			*found = 1;
			return j;
		}
		j = (j + 1) & (s->cap - 1);
	}
	*found = 0;
	return j;
}

int credset_find(const struct credset *s, const uint8_t X[static 32], uint64_t *last)
{
	int found = 0;
	if (!s->cap)
		return 0;
	size_t j = credset_slot(s, X, &found);
	if (found && last)
		*last = s->last[j];
	return found;
}

static int credset_add(struct credset *s, const uint8_t X[32])
{
	int found;
	if ((s->n + 1) * 2 > s->cap && credset_grow(s) != 0)
		return -1;
	size_t j = credset_slot(s, X, &found);
	if (found)
		return 1;
	memcpy(s->key[j], X, 32);
	s->last[j] = 0;
	s->n++;
	return 0;
}

static void credset_set_last(struct credset *s, const uint8_t X[32], uint64_t last)
{
	int found = 0;
	if (!s->cap)
		return;
	size_t j = credset_slot(s, X, &found);
	if (found)
		s->last[j] = last;
}

/* ---- trackers ---- */

struct tracker *ref_tracker(struct referendum *r, const uint8_t t[static 32])
{
	static const uint8_t zero[32];
	if (!r->trk_cap)
		return NULL;
	size_t j = key_hash(t) & (r->trk_cap - 1);
	while (memcmp(r->trk[j].t, zero, 32)) {
		if (!memcmp(r->trk[j].t, t, 32))
			return &r->trk[j];
		j = (j + 1) & (r->trk_cap - 1);
	}
	return NULL;
}

static int tracker_add(struct referendum *r, const struct tracker *t)
{
	static const uint8_t zero[32];
	if ((r->trk_n + 1) * 2 > r->trk_cap) {
		size_t cap = r->trk_cap ? r->trk_cap * 2 : 4096;
		struct tracker *n = calloc(cap, sizeof *n);
		if (!n)
			return -1;
		for (size_t i = 0; i < r->trk_cap; i++) {
			if (!memcmp(r->trk[i].t, zero, 32))
				continue;
			size_t j = key_hash(r->trk[i].t) & (cap - 1);
			while (memcmp(n[j].t, zero, 32))
				j = (j + 1) & (cap - 1);
			n[j] = r->trk[i];
		}
		free(r->trk);
		r->trk = n;
		r->trk_cap = cap;
	}
	size_t j = key_hash(t->t) & (r->trk_cap - 1);
	while (memcmp(r->trk[j].t, zero, 32))
		j = (j + 1) & (r->trk_cap - 1);
	r->trk[j] = *t;
	r->trk_n++;
	return 0;
}

/* ---- referendums ---- */

struct referendum *referendum_new(const char *id)
{
	struct referendum *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	snprintf(r->id, sizeof r->id, "%s", id);
	pthread_mutex_init(&r->lock, NULL);
	return r;
}

void referendum_free(struct referendum *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nregions; i++) {
		struct region *g = &r->regions[i];
		free(g->manifest);
		json_decref(g->name);
		free(g->creds.key);
		free(g->creds.last);
		json_decref(g->tally);
		json_decref(g->result);
		for (int j = 0; j <= URNA_MAX_TRUSTEES; j++)
			json_decref(g->dec[j]);
	}
	free(r->regions);
	for (int i = 0; i <= URNA_MAX_TRUSTEES; i++)
		json_decref(r->shares[i]);
	json_decref(r->title);
	free(r->trk);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

struct region *ref_region(struct referendum *r, const char *id, uint32_t *index)
{
	for (size_t i = 0; id && i < r->nregions; i++)
		if (!strcmp(r->regions[i].id, id)) {
			if (index)
				*index = (uint32_t)i;
			return &r->regions[i];
		}
	return NULL;
}

const char *ref_status(const struct referendum *r, int64_t now)
{
	int published = r->nregions > 0, tallied = r->nregions > 0;
	for (size_t i = 0; i < r->nregions; i++) {
		published &= r->regions[i].published;
		tallied &= r->regions[i].tallied;
	}
	if (published)
		return "published";
	if (tallied)
		return "tallied";
	if (r->closed || now >= r->closes.utc + r->closes.grace)
		return "closed";
	if (!r->has_key)
		return "draft";
	return now < r->opens.utc ? "scheduled" : "open";
}

int ref_voting_open(const struct referendum *r, int64_t now, urna_err *e)
{
	if (r->closed || now >= r->closes.utc + r->closes.grace)
		return err_set(e, URNA_E_CLOSED, "voting closed at %s (%s)", r->closes.local, r->timezone);
	if (now < r->opens.utc)
		return err_set(e, URNA_E_NOT_OPEN, "voting opens at %s (%s)", r->opens.local, r->timezone);
	if (!r->has_key)
		return err_set(e, URNA_E_STATE, "the trustees' election key is not on the board yet");
	return 0;
}

/* Question shapes of a manifest (s.3, s.15). */
static int manifest_shape(struct region *g, json_t *m, urna_err *e)
{
	json_t *qs = json_object_get(m, "questions"), *q;
	size_t i;
	if (!json_is_array(qs) || json_array_size(qs) == 0 || json_array_size(qs) > URNA_MAX_QUESTIONS)
		return err_set(e, URNA_E_MALFORMED, "region %s: 1 to %d questions expected", g->id, URNA_MAX_QUESTIONS);
	g->nq = (uint32_t)json_array_size(qs);
	json_array_foreach(qs, i, q) {
		json_t *ch = json_object_get(q, "choices"), *c;
		uint64_t mn, mx;
		size_t k;
		if (!json_is_array(ch) || json_array_size(ch) == 0 || json_array_size(ch) > URNA_MAX_CHOICES ||
		    get_uint(q, "min", URNA_MAX_CHOICES, &mn) || get_uint(q, "max", URNA_MAX_CHOICES, &mx) ||
		    mn > mx || mx > json_array_size(ch) || mx - mn + 1 > URNA_MAX_RANGE || !is_text(json_object_get(q, "text")))
			return err_set(e, URNA_E_MALFORMED, "region %s: question %zu: text, 1..%d choices and 0 <= min <= max <= choices expected",
			               g->id, i + 1, URNA_MAX_CHOICES);
		json_array_foreach(ch, k, c)
			if (!is_text(c))
				return err_set(e, URNA_E_MALFORMED, "region %s: question %zu: choice %zu is not a text", g->id, i + 1, k + 1);
		g->m[i] = (uint32_t)json_array_size(ch);
		g->min[i] = (uint32_t)mn;
		g->max[i] = (uint32_t)mx;
	}
	return 0;
}

/* Applies the referendum entry body. */
static int apply_referendum(struct referendum *r, json_t *b, const char *bytes, size_t len, urna_err *e)
{
	json_t *regs = json_object_get(b, "regions"), *x, *tr = json_object_get(b, "trustees");
	const char *tz = json_string_value(json_object_get(b, "timezone"));
	uint64_t n, t;
	size_t i;

	if (!json_is_array(regs) || !tz || strlen(tz) >= sizeof r->timezone ||
	    utime_from_json(&r->opens, json_object_get(b, "opens_at")) ||
	    utime_from_json(&r->closes, json_object_get(b, "closes_at")) ||
	    utime_from_json(&r->announce, json_object_get(b, "announce_at")) ||
	    get_uint(tr, "n", URNA_MAX_TRUSTEES, &n) || get_uint(tr, "t", n, &t) || t == 0)
		return err_set(e, URNA_E_MALFORMED, "referendum entry malformed");
	snprintf(r->timezone, sizeof r->timezone, "%s", tz);
	r->n = (uint32_t)n;
	r->t = (uint32_t)t;
	r->title = json_incref(json_object_get(b, "title"));
	snprintf(r->server_key, sizeof r->server_key, "%s", json_string_value(json_object_get(b, "server_key")) ?: "");
	hash32(r->h_R, bytes, len);
	if (!(r->regions = calloc(json_array_size(regs) + 1, sizeof *r->regions)))
		return err_set(e, URNA_E_IO, "out of memory");
	json_array_foreach(regs, i, x) {
		if (!is_id(json_string_value(x)))
			return err_set(e, URNA_E_MALFORMED, "bad region id");
		snprintf(r->regions[i].id, ID_MAX, "%s", json_string_value(x));
	}
	r->nregions = json_array_size(regs);
	return 0;
}

static int apply_trustee(struct referendum *r, json_t *b)
{
	const char *type = json_string_value(json_object_get(b, "type"));
	uint64_t i;
	if (!type)
		return -1;
	if (!strcmp(type, "key")) {
		json_t *vk = json_object_get(b, "verification_keys"), *q = json_object_get(b, "qualified"), *x;
		size_t k;
		if (get_b64(b, "key", r->K) != 0)
			return -1;
		json_array_foreach(vk, k, x)
			if (k < URNA_MAX_TRUSTEES &&
			    b64url_decode(r->X[k + 1], 32, json_string_value(x) ?: "", json_string_length(x)) != 0)
				return -1;
		json_array_foreach(q, k, x)
			if (json_integer_value(x) >= 1 && json_integer_value(x) <= URNA_MAX_TRUSTEES)
				r->qualified[json_integer_value(x)] = 1;
		r->has_key = 1;
		return 0;
	}
	if (get_uint(b, "index", r->n, &i) || i == 0)
		return -1;
	if (!strcmp(type, "commit")) {
		json_t *cs = json_object_get(b, "commitments"), *x;
		size_t k;
		json_array_foreach(cs, k, x)
			if (k < URNA_MAX_TRUSTEES &&
			    b64url_decode(r->C[i - 1][k], 32, json_string_value(x) ?: "", json_string_length(x)) != 0)
				return -1;
		get_b64(b, "box_key", r->box_key[i]);
		r->committed[i] = 1;
	} else if (!strcmp(type, "shares")) {
		r->shared[i] = 1;
		json_decref(r->shares[i]);
		r->shares[i] = json_incref(b);
	} else if (!strcmp(type, "complaint")) {
		uint64_t against;
		if (get_uint(b, "against", r->n, &against) == 0 && against > 0)
			r->disq[against] = 1;
	}
	return 0;
}

/* Applies one line to r's state. X: credential of a ballot (NULL: read it
 * from b). Returns 0 or -1 with e set. */
static int apply(struct referendum *r, uint64_t seq, int64_t time, const char *kind, const char *region,
                 json_t *b, const char *bytes, size_t len, const uint8_t *X, const uint8_t *trk,
                 uint64_t ticket, urna_err *e)
{
	uint32_t gi = 0;
	struct region *g = region ? ref_region(r, region, &gi) : NULL;

	if (!strcmp(kind, "ballot")) {
		struct tracker t = {.seq = seq, .ticket = ticket, .time = time, .region = gi};
		if (!g)
			return err_set_seq(e, URNA_E_CHAIN, seq, "ballot of an unknown region");
		if (X)
			memcpy(t.X, X, 32);
		else if (get_b64(b, "credential", t.X) != 0)
			return err_set_seq(e, URNA_E_CHAIN, seq, "ballot without credential");
		if (trk)
			memcpy(t.t, trk, 32);
		else
			hash32(t.t, bytes, len);
		if (tracker_add(r, &t) != 0)
			return err_set(e, URNA_E_IO, "out of memory");
		credset_set_last(&g->creds, t.X, seq + 1);
		g->cast++;
		r->ballots++;
		return 0;
	}
	if (!strcmp(kind, "referendum"))
		return apply_referendum(r, b, bytes, len, e);
	if (!strcmp(kind, "region")) {
		g = ref_region(r, json_string_value(json_object_get(b, "id")), NULL);
		if (!g || g->manifest)
			return err_set_seq(e, URNA_E_CHAIN, seq, "region entry not listed by the referendum");
		if (!(g->manifest = malloc(len + 1)))
			return err_set(e, URNA_E_IO, "out of memory");
		memcpy(g->manifest, bytes, len);
		g->manifest[len] = 0;
		g->manifest_len = len;
		hash32(g->h_E, bytes, len);
		g->name = json_incref(json_object_get(b, "name"));
		return manifest_shape(g, b, e);
	}
	if (!strcmp(kind, "credentials")) {
		json_t *cs = json_object_get(b, "credentials"), *x;
		size_t k;
		uint8_t P[32];
		if (!g)
			return err_set_seq(e, URNA_E_CHAIN, seq, "credentials of an unknown region");
		json_array_foreach(cs, k, x) {
			if (b64url_decode(P, 32, json_string_value(x) ?: "", json_string_length(x)) != 0 ||
			    credset_add(&g->creds, P) < 0)
				return err_set_seq(e, URNA_E_CHAIN, seq, "bad credential");
		}
		return 0;
	}
	if (!strcmp(kind, "trustee"))
		return apply_trustee(r, b) == 0 ? 0 : err_set_seq(e, URNA_E_CHAIN, seq, "bad trustee entry");
	if (!strcmp(kind, "schedule")) {
		if (utime_from_json(&r->opens, json_object_get(b, "opens_at")) ||
		    utime_from_json(&r->closes, json_object_get(b, "closes_at")) ||
		    utime_from_json(&r->announce, json_object_get(b, "announce_at")))
			return err_set_seq(e, URNA_E_CHAIN, seq, "bad schedule entry");
		return 0;
	}
	if (!strcmp(kind, "close")) {
		r->closed = 1;
		return 0;
	}
	if (!strcmp(kind, "checkpoint")) {
		r->has_checkpoint = 1;
		r->checkpoint_line = seq;
		return 0;
	}
	if (!g)
		return err_set_seq(e, URNA_E_CHAIN, seq, "unknown entry kind %s or region missing", kind);
	if (!strcmp(kind, "tally")) {
		json_decref(g->tally);
		g->tally = json_incref(b);
		g->tallied = 1;
	} else if (!strcmp(kind, "decryption")) {
		uint64_t j;
		if (get_uint(b, "trustee", URNA_MAX_TRUSTEES, &j) || j == 0)
			return err_set_seq(e, URNA_E_CHAIN, seq, "bad decryption entry");
		json_decref(g->dec[j]);
		g->dec[j] = json_incref(b);
		g->have_dec[j] = 1;
	} else if (!strcmp(kind, "result")) {
		json_decref(g->result);
		g->result = json_incref(b);
		g->published = 1;
	}
	return 0;
}

/* ---- lines ---- */

static char *line_build(uint64_t seq, const uint8_t prev[32], int64_t time, const char *kind,
                        const char *region, const char *body, size_t blen, size_t *len)
{
	char p[URNA_B64_32];
	size_t cap = blen + 256 + (region ? strlen(region) : 0) + strlen(kind);
	char *s = malloc(cap);
	if (!s)
		return NULL;
	b64url_encode(p, prev, 32);
	int n = region
	        ? snprintf(s, cap, "{\"seq\":%llu,\"prev\":\"%s\",\"time\":%lld,\"kind\":\"%s\",\"region\":\"%s\",\"body\":",
	                   (unsigned long long)seq, p, (long long)time, kind, region)
	        : snprintf(s, cap, "{\"seq\":%llu,\"prev\":\"%s\",\"time\":%lld,\"kind\":\"%s\",\"body\":",
	                   (unsigned long long)seq, p, (long long)time, kind);
	memcpy(s + n, body, blen);
	s[n + blen] = '}';
	s[n + blen + 1] = 0;
	*len = (size_t)n + blen + 1;
	return s;
}

int64_t ref_time(const struct referendum *r, int64_t now)
{
	return now > r->last_time ? now : r->last_time;
}

int ref_append(struct referendum *r, struct store_writer *w, int64_t now, const char *kind,
               const char *region, const char *body, size_t body_len, const uint8_t *X,
               const uint8_t *trk, struct store_job *job, struct store_line *sl, char **line, urna_err *e)
{
	json_t *b = NULL;
	size_t len;
	int rc = -1;
	uint8_t h[32];
	const char *kind_s = kind, *region_s = NULL;

	*line = NULL;
	now = ref_time(r, now);
	if (region) {
		struct region *g = ref_region(r, region, NULL);
		if (!g) {
			err_set(e, URNA_E_UNKNOWN, "no region %s", region);
			goto out;
		}
		region_s = g->id; /* stable storage for the writer */
	}
	if (!X && !(b = json_loadb(body, body_len, 0, NULL))) {
		err_set(e, URNA_E_MALFORMED, "entry body is not JSON");
		goto out;
	}
	if (!(*line = line_build(r->next_seq, r->head, now, kind, region_s, body, body_len, &len))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	static const char *const kinds[] = {"referendum", "region", "trustee", "credentials", "schedule",
	                                    "ballot", "close", "tally", "decryption", "result", "checkpoint", NULL};
	for (int i = 0; kinds[i]; i++)
		if (!strcmp(kinds[i], kind))
			kind_s = kinds[i];
	*sl = (struct store_line){.referendum = r->id, .seq = r->next_seq, .kind = kind_s, .region = region_s,
	                          .tracker = sl->tracker, .line = *line, .len = len};
	job->lines = sl;
	job->n = 1;
	if (store_writer_submit(w, job) != 0) {
		*e = job->err;
		goto out;
	}
	if (apply(r, r->next_seq, now, kind, region_s, b, body, body_len, X, trk, job->ticket, e) != 0) {
		/* The line is queued; the state would now lag the board. */
		fprintf(stderr, "urna: %s: state not updated for line %llu: %s\n", r->id,
		        (unsigned long long)r->next_seq, e->msg);
	}
	hash32(h, *line, len);
	memcpy(r->head, h, 32);
	r->next_seq++;
	r->last_ticket = job->ticket;
	r->last_time = now;
	rc = 0;
out:
	if (rc != 0) {
		free(*line);
		*line = NULL;
	}
	json_decref(b);
	return rc;
}

void ref_durable(struct referendum *r, uint64_t seq, const uint8_t hash[static 32])
{
	if (seq + 1 > r->durable_seq) {
		r->durable_seq = seq + 1;
		memcpy(r->durable_head, hash, 32);
	}
}

/* ---- loading ---- */

struct load { struct referendum *r; urna_err *e; };

static int load_line(void *arg, const struct store_line *l)
{
	struct load *ld = arg;
	struct referendum *r = ld->r;
	json_error_t je;
	json_t *j = json_loadb(l->line, l->len, 0, &je), *b;
	uint8_t prev[32], h[32];
	int rc = -1;
	const char *mark = ",\"body\":";
	const char *body = j ? strstr(l->line, mark) : NULL;

	if (!j || !body || l->seq != r->next_seq || get_b64(j, "prev", prev) != 0 ||
	    sodium_memcmp(prev, r->head, 32) != 0 ||
	    (uint64_t)json_integer_value(json_object_get(j, "seq")) != l->seq) {
		err_set_seq(ld->e, URNA_E_CHAIN, l->seq, "%s: line %llu does not continue the chain", r->id,
		            (unsigned long long)l->seq);
		goto out;
	}
	body += strlen(mark);
	b = json_object_get(j, "body");
	r->last_time = json_integer_value(json_object_get(j, "time"));
	if (apply(r, l->seq, json_integer_value(json_object_get(j, "time")), l->kind, l->region, b, body,
	          (size_t)(l->line + l->len - 1 - body), NULL, NULL, 0, ld->e) != 0)
		goto out;
	hash32(h, l->line, l->len);
	memcpy(r->head, h, 32);
	memcpy(r->durable_head, h, 32);
	r->next_seq++;
	r->durable_seq = r->next_seq;
	rc = 0;
out:
	json_decref(j);
	return rc;
}

struct load_all { struct registry *reg; const struct store_ops *ops; struct store *st; urna_err *e; };

static int load_ref(void *arg, const char *id)
{
	struct load_all *la = arg;
	struct referendum *r = referendum_new(id);
	struct load ld = {r, la->e};
	if (!r)
		return err_set(la->e, URNA_E_IO, "out of memory");
	if (la->ops->scan(la->st, id, 0, 0, load_line, &ld, la->e) != 0 || registry_add(la->reg, r, la->e) != 0) {
		referendum_free(r);
		return -1;
	}
	return 0;
}

struct registry *registry_load(const struct store_ops *ops, struct store *st, urna_err *e)
{
	struct registry *reg = calloc(1, sizeof *reg);
	struct load_all la = {reg, ops, st, e};

	if (!reg) {
		err_set(e, URNA_E_IO, "out of memory");
		return NULL;
	}
	pthread_rwlock_init(&reg->lock, NULL);
	if (ops->referendums(st, load_ref, &la, e) != 0) {
		registry_free(reg);
		return NULL;
	}
	return reg;
}

void registry_free(struct registry *reg)
{
	if (!reg)
		return;
	for (size_t i = 0; i < reg->n; i++)
		referendum_free(reg->refs[i]);
	free(reg->refs);
	pthread_rwlock_destroy(&reg->lock);
	free(reg);
}

struct referendum *registry_find(struct registry *reg, const char *id)
{
	struct referendum *r = NULL;
	pthread_rwlock_rdlock(&reg->lock);
	for (size_t i = 0; id && i < reg->n && !r; i++)
		if (!strcmp(reg->refs[i]->id, id))
			r = reg->refs[i];
	pthread_rwlock_unlock(&reg->lock);
	return r;
}

int registry_add(struct registry *reg, struct referendum *r, urna_err *e)
{
	int rc = -1;
	pthread_rwlock_wrlock(&reg->lock);
	for (size_t i = 0; i < reg->n; i++)
		if (!strcmp(reg->refs[i]->id, r->id)) {
			err_set(e, URNA_E_CONFLICT, "referendum %s already exists", r->id);
			goto out;
		}
	if (reg->n == reg->cap) {
		size_t cap = reg->cap ? reg->cap * 2 : 16;
		struct referendum **n = realloc(reg->refs, cap * sizeof *n);
		if (!n) {
			err_set(e, URNA_E_IO, "out of memory");
			goto out;
		}
		reg->refs = n;
		reg->cap = cap;
	}
	reg->refs[reg->n++] = r;
	rc = 0;
out:
	pthread_rwlock_unlock(&reg->lock);
	return rc;
}

/* ---- creation ---- */

int referendum_plan(json_t *req, const uint8_t server_pk[static 32], json_t **bodies, urna_err *e)
{
	const char *id = json_string_value(json_object_get(req, "id"));
	const char *tz = json_string_value(json_object_get(req, "timezone"));
	json_t *regs = json_object_get(req, "regions"), *tr = json_object_get(req, "trustees"), *m;
	struct utime o, c, a;
	uint64_t n, t;
	size_t i;
	json_t *ids = NULL, *ref = NULL, *out = NULL;
	int rc = -1;

	*bodies = NULL;
	if (!json_is_object(req) || !is_id(id)) {
		err_set(e, URNA_E_MALFORMED, "\"id\" must match [a-z0-9][a-z0-9-]{0,62}");
		goto out;
	}
	if (!is_text(json_object_get(req, "title"))) {
		err_set(e, URNA_E_MALFORMED, "\"title\" must be a text ({\"en\": ...})");
		goto out;
	}
	if (utime_parse(&o, json_string_value(json_object_get(req, "opens_at")), tz, e) ||
	    utime_parse(&c, json_string_value(json_object_get(req, "closes_at")), tz, e) ||
	    utime_parse(&a, json_string_value(json_object_get(req, "announce_at")), tz, e))
		goto out;
	if (o.utc >= c.utc + c.grace || a.utc < c.utc) {
		err_set(e, URNA_E_MALFORMED, "opens_at < closes_at <= announce_at expected");
		goto out;
	}
	if (get_uint(tr, "n", URNA_MAX_TRUSTEES, &n) || n == 0 || get_uint(tr, "t", n, &t) || t == 0) {
		err_set(e, URNA_E_MALFORMED, "\"trustees\": {\"n\", \"t\"} with 1 <= t <= n <= %d expected", URNA_MAX_TRUSTEES);
		goto out;
	}
	if (!json_is_array(regs) || json_array_size(regs) == 0 || json_array_size(regs) > 256) {
		err_set(e, URNA_E_MALFORMED, "\"regions\": 1 to 256 manifests expected");
		goto out;
	}
	ids = json_array();
	out = json_array();
	json_array_foreach(regs, i, m) {
		const char *rid = json_string_value(json_object_get(m, "id"));
		struct region g = {0};
		if (!json_is_object(m) || !is_id(rid)) {
			err_set(e, URNA_E_MALFORMED, "region %zu: bad \"id\"", i + 1);
			goto out;
		}
		for (size_t k = 0; k < json_array_size(ids); k++)
			if (!strcmp(json_string_value(json_array_get(ids, k)), rid)) {
				err_set(e, URNA_E_MALFORMED, "region %s listed twice", rid);
				goto out;
			}
		snprintf(g.id, sizeof g.id, "%s", rid);
		if (!is_text(json_object_get(m, "name"))) {
			err_set(e, URNA_E_MALFORMED, "region %s: \"name\" must be a text", rid);
			goto out;
		}
		if (manifest_shape(&g, m, e) != 0)
			goto out;
		json_array_append_new(ids, json_string(rid));
		json_array_append_new(out, json_pack("[s, s, O]", "region", rid, m));
	}
	ref = json_pack("{s:s, s:O, s:s, s:o, s:o, s:o, s:O, s:{s:I, s:I}, s:o}", "id", id, "title",
	                json_object_get(req, "title"), "timezone", tz, "opens_at", utime_json(&o), "closes_at",
	                utime_json(&c), "announce_at", utime_json(&a), "regions", ids, "trustees", "n",
	                (json_int_t)n, "t", (json_int_t)t, "server_key", b64_json(server_pk));
	if (!ref || json_array_insert_new(out, 0, json_pack("[s, n, o]", "referendum", ref)) != 0) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	*bodies = out;
	out = NULL;
	rc = 0;
out:
	json_decref(ids);
	json_decref(out);
	return rc;
}

/* ---- ballots (s.6, s.14) ---- */

static int parse_branches(json_t *arr, urna_range *pf, uint32_t lo, uint32_t hi)
{
	json_t *x;
	size_t j;
	if (!json_is_array(arr) || json_array_size(arr) != hi - lo + 1)
		return -1;
	pf->lo = lo;
	pf->hi = hi;
	json_array_foreach(arr, j, x) {
		if (json_object_size(x) != 4 || get_b64(x, "A", pf->br[j].A) || get_b64(x, "B", pf->br[j].B) ||
		    get_b64(x, "c", pf->br[j].c) || get_b64(x, "z", pf->br[j].z))
			return -1;
	}
	return 0;
}

int ballot_check(struct referendum *r, const char *region, const char *bytes, size_t len,
                 uint8_t X[static 32], uint8_t tracker[static 32], uint32_t *ridx, urna_err *e)
{
	json_error_t je;
	json_t *b = NULL, *ans;
	char *again = NULL, *unsig = NULL;
	urna_batch *bt = NULL;
	struct region *g;
	uint8_t K[32], h_E[32], msg[32];
	urna_schnorr sig;
	size_t n, i;
	int rc = -1, has_key;

	pthread_mutex_lock(&r->lock);
	g = ref_region(r, region, ridx);
	has_key = r->has_key;
	memcpy(K, r->K, 32);
	pthread_mutex_unlock(&r->lock);
	if (!g) {
		err_set(e, URNA_E_UNKNOWN, "no region %s in %s", region, r->id);
		goto out;
	}
	memcpy(h_E, g->h_E, 32);
	if (!(b = json_loadb(bytes, len, JSON_REJECT_DUPLICATES, &je)) || !json_is_object(b)) {
		err_set(e, URNA_E_MALFORMED, "ballot is not a JSON object: %s", b ? "" : je.text);
		goto out;
	}
	if (!(again = canon_dump(b, &n)) || n != len || memcmp(again, bytes, len) != 0) {
		err_set(e, URNA_E_NOT_CANONICAL, "ballot is not canonical JSON (docs/protocol.md s.13)");
		goto out;
	}
	const char *rf = json_string_value(json_object_get(b, "referendum"));
	const char *rg = json_string_value(json_object_get(b, "region"));
	ans = json_object_get(b, "answers");
	if (json_object_size(b) != 5 || !rf || !rg || !json_is_array(ans) || !json_is_object(json_object_get(b, "signature"))) {
		err_set(e, URNA_E_MALFORMED, "ballot must have answers, credential, referendum, region, signature");
		goto out;
	}
	if (strcmp(rf, r->id) || strcmp(rg, g->id)) {
		err_set(e, URNA_E_MISMATCH, "ballot is for %s/%s, posted to %s/%s", rf, rg, r->id, g->id);
		goto out;
	}
	if (get_b64(b, "credential", X) != 0 || point_check_nonzero(X) != 0 ||
	    get_b64(json_object_get(b, "signature"), "A", sig.A) != 0 ||
	    get_b64(json_object_get(b, "signature"), "z", sig.z) != 0 || scalar_check(sig.z) != 0) {
		err_set(e, URNA_E_BAD_ENCODING, "credential or signature is not a valid encoding");
		goto out;
	}
	if (!has_key) {
		err_set(e, URNA_E_STATE, "no election key yet");
		goto out;
	}
	if (json_array_size(ans) != g->nq) {
		err_set(e, URNA_E_MALFORMED, "ballot answers %zu questions, the region has %u", json_array_size(ans), g->nq);
		goto out;
	}
	if (!(bt = batch_new(K))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	for (uint32_t q = 0; q < g->nq; q++) {
		json_t *a = json_array_get(ans, q), *chs = json_object_get(a, "choices");
		urna_ct cts[URNA_MAX_CHOICES];
		urna_range pf;
		if (json_object_size(a) != 2 || !json_is_array(chs) || json_array_size(chs) != g->m[q]) {
			err_set(e, URNA_E_MALFORMED, "question %u: %u choices expected", q + 1, g->m[q]);
			goto out;
		}
		for (uint32_t k = 0; k < g->m[q]; k++) {
			json_t *c = json_array_get(chs, k);
			urna_bind bind = {.question = q, .choice = k};
			if (json_object_size(c) != 3 || get_b64(c, "alpha", cts[k].alpha) || get_b64(c, "beta", cts[k].beta) ||
			    parse_branches(json_object_get(c, "proof"), &pf, 0, 1) != 0) {
				err_set(e, URNA_E_MALFORMED, "question %u choice %u: alpha, beta, proof (2 branches) expected", q + 1, k + 1);
				goto out;
			}
			memcpy(bind.h_E, h_E, 32);
			memcpy(bind.X, X, 32);
			if (range_batch_add(bt, 0, &pf, &bind, K, &cts[k], 0, 1) != 0) {
				err_set(e, URNA_E_BAD_PROOF, "question %u choice %u: proof fails", q + 1, k + 1);
				goto out;
			}
		}
		urna_bind bind = {.question = q, .choice = URNA_SUM_CHOICE};
		memcpy(bind.h_E, h_E, 32);
		memcpy(bind.X, X, 32);
		if (parse_branches(json_object_get(a, "proof"), &pf, g->min[q], g->max[q]) != 0) {
			err_set(e, URNA_E_MALFORMED, "question %u: sum proof of %u branches expected", q + 1, g->max[q] - g->min[q] + 1);
			goto out;
		}
		if (range_batch_add_sum(bt, 0, &pf, &bind, K, cts, g->m[q], g->min[q], g->max[q]) != 0) {
			err_set(e, URNA_E_BAD_PROOF, "question %u: sum proof fails", q + 1);
			goto out;
		}
	}
	json_object_del(b, "signature");
	if (!(unsig = canon_dump(b, &n))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	hash32(msg, unsig, n);
	if (sig_batch_add(bt, 1, &sig, h_E, X, msg) != 0) {
		err_set(e, URNA_E_BAD_SIGNATURE, "signature fails");
		goto out;
	}
	uint64_t bad[2];
	size_t nbad = 0;
	if (batch_verify(bt, bad, 2, &nbad) != 0) {
		if (nbad == 0)
			err_set(e, URNA_E_IO, "cannot verify now (out of memory)");
		else if (bad[0] == 0)
			err_set(e, URNA_E_BAD_PROOF, "a proof of the ballot fails");
		else
			err_set(e, URNA_E_BAD_SIGNATURE, "the ballot's signature fails");
		goto out;
	}
	hash32(tracker, bytes, len);
	rc = 0;
out:
	(void)i;
	batch_free(bt);
	free(again);
	free(unsig);
	json_decref(b);
	return rc;
}
