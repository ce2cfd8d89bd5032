/* routes.c: the HTTP API of docs/api.md. The table below is the server's
 * table of contents; each handler follows it in the same order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "server/http.h"
#include "server/state.h"

static int list_referendums(struct request *rq);
static int create_referendum(struct request *rq);
static int get_referendum(struct request *rq);
static int get_manifest(struct request *rq);
static int post_credentials(struct request *rq);
static int post_ballot(struct request *rq);
static int get_board(struct request *rq);
static int get_head(struct request *rq);
static int get_tracker(struct request *rq);
static int get_results(struct request *rq);
static int get_record_board(struct request *rq);
static int get_record_results(struct request *rq);
static int get_record_csv(struct request *rq);
static int post_trustee(struct request *rq);
static int post_key(struct request *rq);
static int post_schedule(struct request *rq);
static int post_tally(struct request *rq);
static int post_decryption(struct request *rq);
static int post_publish(struct request *rq);
static int post_clock(struct request *rq);

#define R "/api/referendums/{id}"
const struct route routes[] = {
	{"GET", "/api/referendums", list_referendums, ROUTE_PUBLIC, 0, "every referendum, summarised"},
	{"POST", "/api/referendums", create_referendum, ROUTE_ADMIN, 0, "create a referendum and its regions"},
	{"GET", R, get_referendum, ROUTE_PUBLIC, 0, "one referendum: schedule, status, head, turnout"},
	{"GET", R "/regions/{region}/manifest", get_manifest, ROUTE_PUBLIC, 0, "a region's manifest bytes"},
	{"POST", R "/regions/{region}/credentials", post_credentials, ROUTE_ADMIN, BODY_UPLOAD, "add public credentials"},
	{"POST", R "/regions/{region}/ballots", post_ballot, ROUTE_PUBLIC, BODY_BALLOT, "cast a ballot"},
	{"GET", R "/board", get_board, ROUTE_PUBLIC, 0, "board lines from ?from=SEQ, at most ?limit=N (ndjson)"},
	{"GET", R "/head", get_head, ROUTE_PUBLIC, 0, "seq and hash of the last durable line"},
	{"GET", R "/trackers/{tracker}", get_tracker, ROUTE_PUBLIC, 0, "where a ballot is on the board"},
	{"GET", R "/results", get_results, ROUTE_PUBLIC, 0, "results.json once published"},
	{"GET", R "/record/board.jsonl", get_record_board, ROUTE_PUBLIC, 0, "the record: the board"},
	{"GET", R "/record/results.json", get_record_results, ROUTE_PUBLIC, 0, "the record: results.json"},
	{"GET", R "/record/results.csv", get_record_csv, ROUTE_PUBLIC, 0, "the record: results as CSV"},
	{"POST", R "/trustees", post_trustee, ROUTE_ADMIN, BODY_UPLOAD, "a trustee entry (commit, shares, complaint)"},
	{"POST", R "/key", post_key, ROUTE_ADMIN, 0, "end the key ceremony: the key entry"},
	{"POST", R "/schedule", post_schedule, ROUTE_ADMIN, 0, "change the schedule (extensions only once open)"},
	{"POST", R "/tally", post_tally, ROUTE_ADMIN, 0, "close and tally every region"},
	{"POST", R "/decryptions", post_decryption, ROUTE_ADMIN, BODY_UPLOAD, "a trustee's partial decryption"},
	{"POST", R "/publish", post_publish, ROUTE_ADMIN, 0, "the result entries, at announce_at"},
	{"POST", "/api/clock", post_clock, ROUTE_TEST, 0, "set the test clock (--test-clock only)"},
	{NULL, NULL, NULL, 0, 0, NULL},
};
#undef R

static pthread_mutex_t create_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- shared pieces ---- */

static struct referendum *find_ref(struct request *rq)
{
	struct referendum *r = registry_find(rq->srv->reg, rq->param[0]);
	if (!r)
		reply_errf(rq, URNA_E_UNKNOWN, "no referendum %s", rq->param[0]);
	return r;
}

static int64_t now(struct request *rq)
{
	return rq->srv->clock->now(rq->srv->clock);
}

/* The time of a line appended to r now (locked): decisions use it. */
static int64_t rnow(struct request *rq, const struct referendum *r)
{
	return ref_time(r, now(rq));
}

static json_t *b64j(const uint8_t b[32])
{
	char t[URNA_B64_32];
	b64url_encode(t, b, 32);
	return json_string(t);
}

static json_t *head_json(uint64_t next, const uint8_t h[32])
{
	if (next == 0)
		return json_pack("{s:n, s:n}", "seq", "hash");
	return json_pack("{s:I, s:o}", "seq", (json_int_t)(next - 1), "hash", b64j(h));
}

/* Summary of r (locked). full adds trustees, key, head and turnout. */
static json_t *ref_json(struct referendum *r, int64_t t, int full)
{
	json_t *regs = json_array();
	for (size_t i = 0; i < r->nregions; i++) {
		struct region *g = &r->regions[i];
		json_t *o = json_pack("{s:s, s:O}", "id", g->id, "name", g->name ? g->name : json_null());
		if (full) {
			json_object_set_new(o, "electorate", json_integer((json_int_t)g->creds.n));
			json_object_set_new(o, "cast", json_integer((json_int_t)g->cast));
		}
		json_array_append_new(regs, o);
	}
	json_t *o = json_pack("{s:s, s:O, s:s, s:s, s:o, s:o, s:o, s:o}", "id", r->id, "title",
	                      r->title ? r->title : json_null(), "timezone", r->timezone, "status",
	                      ref_status(r, t), "opens_at", utime_json(&r->opens), "closes_at",
	                      utime_json(&r->closes), "announce_at", utime_json(&r->announce), "regions", regs);
	if (full && o) {
		json_object_set_new(o, "trustees", json_pack("{s:i, s:i}", "n", (int)r->n, "t", (int)r->t));
		json_object_set_new(o, "election_key", r->has_key ? b64j(r->K) : json_null());
		json_object_set_new(o, "head", head_json(r->durable_seq, r->durable_head));
		json_object_set_new(o, "server_key", json_string(r->server_key));
	}
	return o;
}

/* Appends one entry and waits until it is durable. Call with r->lock held
 * (kept throughout, so entries of one admin call are contiguous). */
static int append_sync(struct request *rq, struct referendum *r, const char *kind, const char *region,
                       json_t *body, uint64_t *seq, urna_err *e)
{
	struct store_job job = {0};
	struct store_line sl = {0};
	char *line = NULL, *bytes;
	size_t len;
	uint8_t h[32];
	int rc = -1;

	if (!(bytes = canon_dump(body, &len)))
		return err_set(e, URNA_E_IO, "out of memory");
	if (ref_append(r, rq->srv->writer, now(rq), kind, region, bytes, len, NULL, NULL, &job, &sl, &line, e) != 0)
		goto out;
	uint64_t s = sl.seq;
	memcpy(h, r->head, 32);
	if (store_writer_wait(rq->srv->writer, job.ticket, e) != 0)
		goto out;
	ref_durable(r, s, h);
	if (seq)
		*seq = s;
	rc = 0;
out:
	free(line);
	free(bytes);
	return rc;
}

static int parse_body(struct request *rq, json_t **body)
{
	urna_err e = {0};
	if (request_json(rq, body, &e) != 0) {
		reply_err(rq, &e);
		return -1;
	}
	return 0;
}

/* ---- public ---- */

static int list_referendums(struct request *rq)
{
	struct registry *reg = rq->srv->reg;
	json_t *a = json_array();
	int64_t t = now(rq);

	pthread_rwlock_rdlock(&reg->lock);
	for (size_t i = 0; i < reg->n; i++) {
		struct referendum *r = reg->refs[i];
		pthread_mutex_lock(&r->lock);
		json_array_append_new(a, ref_json(r, t, 0));
		pthread_mutex_unlock(&r->lock);
	}
	pthread_rwlock_unlock(&reg->lock);
	return reply_json(rq, 200, a);
}

static int get_referendum(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	if (!r)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	json_t *o = ref_json(r, now(rq), 1);
	pthread_mutex_unlock(&r->lock);
	return reply_json(rq, 200, o);
}

static int get_manifest(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	struct region *g = r ? ref_region(r, rq->param[1], NULL) : NULL;
	if (!r)
		return HANDLED;
	if (!g || !g->manifest)
		return reply_errf(rq, URNA_E_UNKNOWN, "no region %s in %s", rq->param[1], r->id);
	return reply_bytes(rq, 200, "application/json", g->manifest, g->manifest_len);
}

struct ballot_ctx {
	struct referendum *r;
	struct request *rq;
	struct store_job job;
	struct store_line sl;
	char *line;
	char trk[URNA_B64_32];
	uint8_t tracker[32], head[32];
	uint64_t seq;
	urna_err err;
	int status;
};

static void ballot_ctx_free(void *p)
{
	struct ballot_ctx *c = p;
	if (c)
		free(c->line);
	free(c);
}

static int ballot_answer(struct request *rq, struct ballot_ctx *c, int status)
{
	char text[64];
	b32_encode(text, sizeof text, c->tracker, 32, 4);
	return reply_json(rq, status, json_pack("{s:s, s:s, s:I, s:{s:I, s:o}}", "tracker", c->trk,
	                                        "tracker_text", text, "seq", (json_int_t)c->seq, "head", "seq",
	                                        (json_int_t)c->seq, "hash", b64j(c->head)));
}

static void ballot_done(struct store_job *job, int status)
{
	struct ballot_ctx *c = job->arg;
	(void)status;
	request_resume(c->rq);
}

static void ballot_resume(struct request *rq)
{
	struct ballot_ctx *c = rq->ctx;
	if (c->status != 0 || c->job.status != 0) {
		reply_err(rq, c->status != 0 ? &c->err : &c->job.err);
		return;
	}
	pthread_mutex_lock(&c->r->lock);
	ref_durable(c->r, c->seq, c->head);
	pthread_mutex_unlock(&c->r->lock);
	ballot_answer(rq, c, 201);
}

/* Answers 200 for bytes already on the board as tracker t (locked on entry,
 * unlocked on return). */
static int ballot_again(struct request *rq, struct referendum *r, struct ballot_ctx *c, const struct tracker *old)
{
	urna_err e = {0};
	uint64_t ticket = old->ticket, hs;
	char text[64];

	c->seq = old->seq;
	pthread_mutex_unlock(&r->lock);
	if (ticket && store_writer_wait(rq->srv->writer, ticket, &e) != 0)
		return reply_err(rq, &e);
	pthread_mutex_lock(&r->lock);
	memcpy(c->head, r->durable_head, 32);
	hs = r->durable_seq;
	pthread_mutex_unlock(&r->lock);
	b32_encode(text, sizeof text, c->tracker, 32, 4);
	return reply_json(rq, 200, json_pack("{s:s, s:s, s:I, s:o}", "tracker", c->trk, "tracker_text", text, "seq",
	                                     (json_int_t)c->seq, "head", head_json(hs, c->head)));
}

/* Ballot intake: the cheap refusals first (an identical resubmission is
 * answered from the tracker index; outside the window nothing is
 * verified), then every proof and the signature in this request thread, in
 * parallel with the others and outside any lock, then under the
 * referendum's lock only the checks that depend on the state, the
 * numbering and the queueing. The answer waits for the commit with the
 * connection suspended. */
static int post_ballot(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	struct ballot_ctx *c;
	const struct tracker *old;
	uint8_t X[32];
	uint32_t gi;
	urna_err e = {0};
	uint64_t last;
	const char *body = rq->body ? rq->body : "";

	if (!r)
		return HANDLED;
	if (!(c = calloc(1, sizeof *c)))
		return reply_errf(rq, URNA_E_IO, "out of memory");
	rq->ctx = c;
	rq->ctx_free = ballot_ctx_free;
	c->r = r;
	c->rq = rq;
	hash32(c->tracker, body, rq->len);
	b64url_encode(c->trk, c->tracker, 32);

	pthread_mutex_lock(&r->lock);
	struct region *g = ref_region(r, rq->param[1], &gi);
	if (g && (old = ref_tracker(r, c->tracker)) && old->region == gi)
		return ballot_again(rq, r, c, old);
	if (ref_voting_open(r, rnow(rq, r), &e) != 0) {
		pthread_mutex_unlock(&r->lock);
		return reply_err(rq, &e);
	}
	pthread_mutex_unlock(&r->lock);

	/* The expensive part. */
	if (ballot_check(r, rq->param[1], body, rq->len, X, c->tracker, &gi, &e) != 0)
		return reply_err(rq, &e);

	pthread_mutex_lock(&r->lock);
	if ((old = ref_tracker(r, c->tracker)))
		return ballot_again(rq, r, c, old); /* the same bytes, concurrently */
	if (ref_voting_open(r, rnow(rq, r), &e) != 0 ||
	    (!credset_find(&r->regions[gi].creds, X, &last) &&
	     err_set(&e, URNA_E_NOT_ON_LIST, "this credential is not on the list of region %s", r->regions[gi].id))) {
		pthread_mutex_unlock(&r->lock);
		return reply_err(rq, &e);
	}
	request_suspend(rq);
	rq->resume = ballot_resume;
	c->job.done = ballot_done;
	c->job.arg = c;
	c->sl.tracker = c->trk;
	if (ref_append(r, rq->srv->writer, now(rq), "ballot", r->regions[gi].id, body, rq->len, X, c->tracker,
	               &c->job, &c->sl, &c->line, &c->err) != 0) {
		c->status = -1;
		pthread_mutex_unlock(&r->lock);
		request_resume(rq);
		return SUSPENDED;
	}
	c->seq = c->sl.seq;
	memcpy(c->head, r->head, 32);
	pthread_mutex_unlock(&r->lock);
	return SUSPENDED;
}

/* Board streaming: pages of lines read from the store as the client reads. */
struct board_stream {
	const struct store_ops *ops;
	struct store *st;
	char id[ID_MAX];
	uint64_t next, left;  /* left: lines still wanted, UINT64_MAX all */
	char *buf;
	size_t len, off, cap;
	int done;
};

#define PAGE 512

static int page_line(void *arg, const struct store_line *l)
{
	struct board_stream *b = arg;
	if (b->len + l->len + 1 > b->cap) {
		size_t cap = (b->cap ? b->cap : 65536);
		while (cap < b->len + l->len + 1)
			cap *= 2;
		char *n = realloc(b->buf, cap);
		if (!n)
			return -1;
		b->buf = n;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, l->line, l->len);
	b->buf[b->len + l->len] = '\n';
	b->len += l->len + 1;
	b->next = l->seq + 1;
	if (b->left != UINT64_MAX)
		b->left--;
	return 0;
}

static long board_read(void *arg, uint64_t pos, char *out, size_t max)
{
	struct board_stream *b = arg;
	urna_err e;
	(void)pos;
	if (b->off == b->len) {
		b->off = b->len = 0;
		if (b->done || b->left == 0)
			return 0;
		uint64_t want = b->left < PAGE ? b->left : PAGE, before = b->next;
		if (b->ops->scan(b->st, b->id, b->next, want, page_line, b, &e) != 0)
			return -1;
		if (b->next - before < want)
			b->done = 1;
		if (b->len == 0)
			return 0;
	}
	size_t n = b->len - b->off < max ? b->len - b->off : max;
	memcpy(out, b->buf + b->off, n);
	b->off += n;
	return (long)n;
}

static void board_free(void *arg)
{
	struct board_stream *b = arg;
	if (b)
		free(b->buf);
	free(b);
}

static int stream_board(struct request *rq, uint64_t from, uint64_t limit)
{
	struct referendum *r = find_ref(rq);
	struct board_stream *b;
	if (!r)
		return HANDLED;
	if (!(b = calloc(1, sizeof *b)))
		return reply_errf(rq, URNA_E_IO, "out of memory");
	b->ops = rq->srv->ops;
	b->st = rq->srv->st;
	snprintf(b->id, sizeof b->id, "%s", r->id);
	b->next = from;
	b->left = limit ? limit : UINT64_MAX;
	return reply_stream(rq, "application/x-ndjson", board_read, b, board_free);
}

static int query_uint(struct request *rq, const char *key, uint64_t *out)
{
	const char *s = request_arg(rq, key);
	char *end;
	*out = 0;
	if (!s)
		return 0;
	if (!*s || *s == '-' || (*out = strtoull(s, &end, 10), *end)) {
		reply_errf(rq, URNA_E_MALFORMED, "?%s must be a non-negative integer", key);
		return -1;
	}
	return 0;
}

static int get_board(struct request *rq)
{
	uint64_t from, limit;
	if (query_uint(rq, "from", &from) || query_uint(rq, "limit", &limit))
		return HANDLED;
	return stream_board(rq, from, limit);
}

static int get_record_board(struct request *rq)
{
	return stream_board(rq, 0, 0);
}

static int get_head(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	if (!r)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	json_t *h = head_json(r->durable_seq, r->durable_head);
	pthread_mutex_unlock(&r->lock);
	return reply_json(rq, 200, h);
}

static int get_tracker(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	uint8_t t[32];
	const char *s = rq->param[1];
	if (!r)
		return HANDLED;
	if (b64url_decode(t, 32, s, strlen(s)) != 0 && b32_decode(t, 32, s) != 0)
		return reply_errf(rq, URNA_E_BAD_ENCODING, "a tracker is base64url or base32 text of 32 bytes");
	pthread_mutex_lock(&r->lock);
	struct tracker *k = ref_tracker(r, t);
	if (!k || k->seq >= r->durable_seq) {
		pthread_mutex_unlock(&r->lock);
		return reply_errf(rq, URNA_E_UNKNOWN, "no ballot with this tracker on the board");
	}
	struct region *g = &r->regions[k->region];
	uint64_t last = 0;
	credset_find(&g->creds, k->X, &last);
	int is_last = last == k->seq + 1;
	char trk[URNA_B64_32], text[64];
	b64url_encode(trk, t, 32);
	b32_encode(text, sizeof text, t, 32, 4);
	json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:I, s:b, s:o}", "tracker", trk, "tracker_text", text, "seq",
	                      (json_int_t)k->seq, "region", g->id, "time", (json_int_t)k->time,
	                      "last_for_credential", is_last, "counted", g->tallied ? json_boolean(is_last) : json_null());
	pthread_mutex_unlock(&r->lock);
	return reply_json(rq, 200, o);
}

/* results.json (locked): every region's result with its manifest's texts. */
static json_t *results_json(struct referendum *r)
{
	json_t *regs = json_array();
	for (size_t i = 0; i < r->nregions; i++) {
		struct region *g = &r->regions[i];
		json_t *m = json_loadb(g->manifest, g->manifest_len, 0, NULL), *qs = json_array();
		json_t *res = g->result;
		for (uint32_t q = 0; q < g->nq; q++) {
			json_t *mq = json_array_get(json_object_get(m, "questions"), q);
			json_t *rq_ = json_array_get(json_object_get(res, "questions"), q), *chs = json_array();
			for (uint32_t k = 0; k < g->m[q]; k++)
				json_array_append_new(chs, json_pack("{s:O, s:O}", "text",
				                      json_array_get(json_object_get(mq, "choices"), k), "count",
				                      json_array_get(json_object_get(rq_, "counts"), k)));
			json_array_append_new(qs, json_pack("{s:O, s:o, s:O}", "text", json_object_get(mq, "text"),
			                                    "choices", chs, "blank", json_object_get(rq_, "blank")));
		}
		json_array_append_new(regs, json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:o}", "id", g->id, "name",
		                      g->name, "electorate", json_object_get(res, "electorate"), "cast",
		                      json_object_get(res, "cast"), "counted", json_object_get(res, "counted"),
		                      "trustees", json_object_get(res, "trustees"), "questions", qs));
		json_decref(m);
	}
	return json_pack("{s:s, s:O, s:s, s:o, s:o, s:o}", "referendum", r->id, "title", r->title, "timezone",
	                 r->timezone, "announce_at", utime_json(&r->announce), "head",
	                 head_json(r->durable_seq, r->durable_head), "regions", regs);
}

/* Locked; 0 when published, else answers too_early (or wrong_state). */
static int results_ready(struct request *rq, struct referendum *r)
{
	int64_t t = now(rq);
	if (!strcmp(ref_status(r, t), "published") && t >= r->announce.utc)
		return 0;
	json_t *turnout = json_array();
	for (size_t i = 0; i < r->nregions; i++)
		json_array_append_new(turnout, json_pack("{s:s, s:I, s:I}", "region", r->regions[i].id, "cast",
		                      (json_int_t)r->regions[i].cast, "electorate", (json_int_t)r->regions[i].creds.n));
	urna_err e = {0};
	err_set(&e, URNA_E_TOO_EARLY, "results are published at %s (%s)", r->announce.local, r->timezone);
	reply_err_extra(rq, &e, json_pack("{s:o, s:o}", "announce_at", utime_json(&r->announce), "turnout", turnout));
	return -1;
}

static int get_results(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	if (!r)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	if (results_ready(rq, r) == 0)
		reply_json(rq, 200, results_json(r));
	pthread_mutex_unlock(&r->lock);
	return HANDLED;
}

static int get_record_results(struct request *rq)
{
	return get_results(rq);
}

static int get_record_csv(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	if (!r)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	if (results_ready(rq, r) == 0) {
		size_t cap = 1 << 20, n = 0;
		char *s = malloc(cap);
		if (s) {
			n += (size_t)snprintf(s, cap, "region,question,choice,count,counted,cast,electorate\n");
			for (size_t i = 0; i < r->nregions && n < cap; i++) {
				struct region *g = &r->regions[i];
				json_t *res = g->result;
				for (uint32_t q = 0; q < g->nq; q++) {
					json_t *qq = json_array_get(json_object_get(res, "questions"), q);
					for (uint32_t k = 0; k <= g->m[q] && n < cap; k++) {
						json_t *v = k < g->m[q] ? json_array_get(json_object_get(qq, "counts"), k)
						                        : json_object_get(qq, "blank");
						char choice[16];
						snprintf(choice, sizeof choice, k < g->m[q] ? "%u" : "blank", k + 1);
						n += (size_t)snprintf(s + n, cap - n, "%s,%u,%s,%lld,%lld,%lld,%lld\n", g->id, q + 1,
						                      choice, (long long)json_integer_value(v),
						                      (long long)json_integer_value(json_object_get(res, "counted")),
						                      (long long)json_integer_value(json_object_get(res, "cast")),
						                      (long long)json_integer_value(json_object_get(res, "electorate")));
					}
				}
			}
			reply_bytes(rq, 200, "text/csv", s, n < cap ? n : cap);
			free(s);
		} else {
			reply_errf(rq, URNA_E_IO, "out of memory");
		}
	}
	pthread_mutex_unlock(&r->lock);
	return HANDLED;
}

/* ---- admin ---- */

static int create_referendum(struct request *rq)
{
	json_t *req = NULL, *plan = NULL, *x;
	struct referendum *r = NULL;
	urna_err e = {0};
	size_t i;

	if (parse_body(rq, &req) != 0)
		return HANDLED;
	pthread_mutex_lock(&create_lock);
	if (referendum_plan(req, rq->srv->reg->server_pk, &plan, &e) != 0) {
		reply_err(rq, &e);
		goto out;
	}
	const char *id = json_string_value(json_object_get(req, "id"));
	if (registry_find(rq->srv->reg, id)) {
		reply_errf(rq, URNA_E_CONFLICT, "referendum %s already exists", id);
		goto out;
	}
	if (!(r = referendum_new(id))) {
		reply_errf(rq, URNA_E_IO, "out of memory");
		goto out;
	}
	pthread_mutex_lock(&r->lock);
	json_array_foreach(plan, i, x) {
		if (append_sync(rq, r, json_string_value(json_array_get(x, 0)), json_string_value(json_array_get(x, 1)),
		                json_array_get(x, 2), NULL, &e) != 0) {
			pthread_mutex_unlock(&r->lock);
			reply_err(rq, &e);
			goto out; /* the writer has failed: restart rebuilds from disk */
		}
	}
	json_t *o = ref_json(r, now(rq), 1);
	pthread_mutex_unlock(&r->lock);
	if (registry_add(rq->srv->reg, r, &e) != 0) {
		json_decref(o);
		reply_err(rq, &e);
		goto out;
	}
	r = NULL;
	reply_json(rq, 201, o);
out:
	pthread_mutex_unlock(&create_lock);
	referendum_free(r);
	json_decref(req);
	json_decref(plan);
	return HANDLED;
}

static int cmp32(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

/* Shape, encodings and duplicates within the upload: no lock needed. */
static int credentials_check(json_t *body, urna_err *e)
{
	json_t *cs = json_object_get(body, "credentials"), *x;
	uint8_t (*pts)[32] = NULL;
	size_t i, nc = json_array_size(cs);
	int rc = -1;

	if (json_object_size(body) != 1 || !json_is_array(cs) || nc == 0 || nc > 10000)
		return err_set(e, URNA_E_MALFORMED, "{\"credentials\": [X...]} with 1 to 10,000 public credentials expected");
	if (!(pts = malloc(nc * 32)))
		return err_set(e, URNA_E_IO, "out of memory");
	json_array_foreach(cs, i, x) {
		const char *s = json_string_value(x);
		if (!s || b64url_decode(pts[i], 32, s, json_string_length(x)) != 0 || point_check_nonzero(pts[i]) != 0) {
			err_set(e, URNA_E_BAD_ENCODING, "credential %zu is not a valid point", i + 1);
			goto out;
		}
	}
	qsort(pts, nc, 32, cmp32);
	for (i = 1; i < nc; i++)
		if (!memcmp(pts[i - 1], pts[i], 32)) {
			err_set(e, URNA_E_CONFLICT, "a credential is listed twice in this upload");
			goto out;
		}
	rc = 0;
out:
	free(pts);
	return rc;
}

static int post_credentials(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	json_t *body = NULL, *x;
	urna_err e = {0};
	uint64_t seq;
	size_t i;
	uint8_t P[32];

	if (!r || parse_body(rq, &body) != 0)
		return HANDLED;
	if (credentials_check(body, &e) != 0) {
		reply_err(rq, &e);
		json_decref(body);
		return HANDLED;
	}
	pthread_mutex_lock(&r->lock);
	struct region *g = ref_region(r, rq->param[1], NULL);
	if (!g) {
		reply_errf(rq, URNA_E_UNKNOWN, "no region %s in %s", rq->param[1], r->id);
		goto out;
	}
	if (r->closed || rnow(rq, r) >= r->opens.utc) {
		reply_errf(rq, URNA_E_STATE, "credentials can be added only before voting opens (%s)", r->opens.local);
		goto out;
	}
	json_array_foreach(json_object_get(body, "credentials"), i, x) {
		if (b64url_decode(P, 32, json_string_value(x), json_string_length(x)) == 0 && credset_find(&g->creds, P, NULL)) {
			reply_errf(rq, URNA_E_CONFLICT, "credential %zu is already on the list", i + 1);
			goto out;
		}
	}
	if (append_sync(rq, r, "credentials", g->id, body, &seq, &e) != 0) {
		reply_err(rq, &e);
		goto out;
	}
	reply_json(rq, 201, json_pack("{s:I, s:I}", "seq", (json_int_t)seq, "electorate", (json_int_t)g->creds.n));
out:
	pthread_mutex_unlock(&r->lock);
	json_decref(body);
	return HANDLED;
}

static int post_trustee(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	json_t *body = NULL;
	urna_err e = {0};
	uint64_t seq;

	if (!r || parse_body(rq, &body) != 0)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	if (trustee_check(r, body, &e) != 0 || append_sync(rq, r, "trustee", NULL, body, &seq, &e) != 0)
		reply_err(rq, &e);
	else
		reply_json(rq, 201, json_pack("{s:I}", "seq", (json_int_t)seq));
	pthread_mutex_unlock(&r->lock);
	json_decref(body);
	return HANDLED;
}

static int post_key(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	json_t *body = NULL;
	urna_err e = {0};

	if (!r)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	if (key_build(r, &body, &e) != 0 || append_sync(rq, r, "trustee", NULL, body, NULL, &e) != 0)
		reply_err(rq, &e);
	else
		reply_json(rq, 201, json_pack("{s:O}", "election_key", json_object_get(body, "key")));
	pthread_mutex_unlock(&r->lock);
	json_decref(body);
	return HANDLED;
}

static int post_schedule(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	json_t *req = NULL, *body = NULL, *reason;
	struct utime o, c, a;
	urna_err e = {0};
	uint64_t seq;

	if (!r || parse_body(rq, &req) != 0)
		return HANDLED;
	reason = json_object_get(req, "reason");
	pthread_mutex_lock(&r->lock);
	int64_t t = rnow(rq, r);
	if (utime_parse(&o, json_string_value(json_object_get(req, "opens_at")), r->timezone, &e) ||
	    utime_parse(&c, json_string_value(json_object_get(req, "closes_at")), r->timezone, &e) ||
	    utime_parse(&a, json_string_value(json_object_get(req, "announce_at")), r->timezone, &e)) {
		reply_err(rq, &e);
		goto out;
	}
	if (!json_is_string(reason) && !json_is_object(reason)) {
		reply_errf(rq, URNA_E_MALFORMED, "\"reason\" (a text) is required: every change is on the board");
		goto out;
	}
	if (o.utc >= c.utc + c.grace || a.utc < c.utc) {
		reply_errf(rq, URNA_E_MALFORMED, "opens_at < closes_at <= announce_at expected");
		goto out;
	}
	if (r->closed || r->regions[0].tallied || t >= r->closes.utc + r->closes.grace) {
		reply_errf(rq, URNA_E_STATE, "voting has closed: the schedule is final");
		goto out;
	}
	if (t >= r->opens.utc &&
	    (strcmp(o.local, r->opens.local) || c.utc + c.grace < r->closes.utc + r->closes.grace || a.utc < r->announce.utc)) {
		reply_errf(rq, URNA_E_STATE, "voting is open: only closes_at and announce_at may be extended");
		goto out;
	}
	body = json_pack("{s:o, s:o, s:o, s:O}", "opens_at", utime_json(&o), "closes_at", utime_json(&c),
	                 "announce_at", utime_json(&a), "reason", reason);
	if (append_sync(rq, r, "schedule", NULL, body, &seq, &e) != 0)
		reply_err(rq, &e);
	else
		reply_json(rq, 201, json_pack("{s:I}", "seq", (json_int_t)seq));
out:
	pthread_mutex_unlock(&r->lock);
	json_decref(req);
	json_decref(body);
	return HANDLED;
}

static int post_tally(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	json_t *bodies = NULL, *x, *regs = json_array();
	urna_err e = {0};
	size_t i;

	if (!r) {
		json_decref(regs);
		return HANDLED;
	}
	pthread_mutex_lock(&r->lock);
	if (rnow(rq, r) < r->closes.utc + r->closes.grace) {
		reply_errf(rq, URNA_E_TOO_EARLY, "voting closes at %s (%s)", r->closes.local, r->timezone);
		goto out;
	}
	if (r->nregions && r->regions[0].tallied) {
		reply_errf(rq, URNA_E_STATE, "already tallied");
		goto out;
	}
	if (!r->closed) {
		json_t *cb = json_pack("{s:o}", "closes_at", utime_json(&r->closes));
		int rc = append_sync(rq, r, "close", NULL, cb, NULL, &e);
		json_decref(cb);
		if (rc != 0) {
			reply_err(rq, &e);
			goto out;
		}
	}
	/* Every ballot is durable (queued before the close, committed in
	 * order), so the store's scan sees them all. */
	if (store_writer_wait(rq->srv->writer, r->last_ticket, &e) != 0 ||
	    tally_build(r, rq->srv->ops, rq->srv->st, &bodies, &e) != 0) {
		reply_err(rq, &e);
		goto out;
	}
	json_array_foreach(bodies, i, x) {
		if (append_sync(rq, r, "tally", r->regions[i].id, x, NULL, &e) != 0) {
			reply_err(rq, &e);
			goto out;
		}
		json_array_append_new(regs, json_pack("{s:s, s:O, s:O}", "region", r->regions[i].id, "cast",
		                      json_object_get(x, "cast"), "counted", json_object_get(x, "counted")));
	}
	reply_json(rq, 201, json_pack("{s:O}", "regions", regs));
out:
	pthread_mutex_unlock(&r->lock);
	json_decref(bodies);
	json_decref(regs);
	return HANDLED;
}

static int post_decryption(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	json_t *body = NULL;
	urna_err e = {0};
	uint64_t seq;

	if (!r || parse_body(rq, &body) != 0)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	const char *rid = json_string_value(json_object_get(body, "region"));
	char region[ID_MAX] = "";
	snprintf(region, sizeof region, "%s", rid ? rid : "");
	struct region *g = ref_region(r, region, NULL);
	json_object_del(body, "region");
	if (!g)
		reply_errf(rq, URNA_E_UNKNOWN, "\"region\": no region %s in %s", region, r->id);
	else if (decryption_check(r, g, body, &e) != 0 || append_sync(rq, r, "decryption", g->id, body, &seq, &e) != 0)
		reply_err(rq, &e);
	else
		reply_json(rq, 201, json_pack("{s:I}", "seq", (json_int_t)seq));
	pthread_mutex_unlock(&r->lock);
	json_decref(body);
	return HANDLED;
}

static int post_publish(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	json_t **bodies = NULL;
	urna_err e = {0};

	if (!r)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	if (rnow(rq, r) < r->announce.utc) {
		reply_errf(rq, URNA_E_TOO_EARLY, "results may be published from %s (%s)", r->announce.local, r->timezone);
		goto out;
	}
	if (!(bodies = calloc(r->nregions + 1, sizeof *bodies))) {
		reply_errf(rq, URNA_E_IO, "out of memory");
		goto out;
	}
	/* Build every result first: all regions or none. */
	for (size_t i = 0; i < r->nregions; i++) {
		if (r->regions[i].published)
			continue;
		if (result_build(r, &r->regions[i], &bodies[i], &e) != 0) {
			reply_err(rq, &e);
			goto out;
		}
	}
	for (size_t i = 0; i < r->nregions; i++) {
		if (bodies[i] && append_sync(rq, r, "result", r->regions[i].id, bodies[i], NULL, &e) != 0) {
			reply_err(rq, &e);
			goto out;
		}
	}
	reply_json(rq, 201, results_json(r));
out:
	pthread_mutex_unlock(&r->lock);
	for (size_t i = 0; bodies && i < r->nregions; i++)
		json_decref(bodies[i]);
	free(bodies);
	return HANDLED;
}

static int post_clock(struct request *rq)
{
	json_t *body = NULL;
	json_t *n;

	if (parse_body(rq, &body) != 0)
		return HANDLED;
	n = json_object_get(body, "now");
	if (!json_is_integer(n) || json_integer_value(n) < 0)
		reply_errf(rq, URNA_E_MALFORMED, "{\"now\": UNIX_SECONDS} expected");
	else if (rq->srv->clock->set(rq->srv->clock, json_integer_value(n)) != 0)
		reply_errf(rq, URNA_E_STATE, "this server runs on the real clock");
	else
		reply_json(rq, 200, json_pack("{s:I}", "now", (json_int_t)json_integer_value(n)));
	json_decref(body);
	return HANDLED;
}
