/* routes.c: the HTTP API of docs/api.md. The table below is the server's
 * table of contents; each handler follows it in the same order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "crypto/encoding.h"
#include "server/http.h"
#include "record/results.h"
#include "server/state.h"
#include "server/verdict.h"

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
static int get_verification(struct request *rq);
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
static int get_clock(struct request *rq);

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
	{"GET", R "/results", get_results, ROUTE_PUBLIC, 0, "results.json once published, with the verdict"},
	{"GET", R "/verification", get_verification, ROUTE_PUBLIC, 0, "the server's urna verify of the published board"},
	{"GET", R "/record/board.jsonl", get_record_board, ROUTE_PUBLIC, 0, "the record: the board"},
	{"GET", R "/record/results.json", get_record_results, ROUTE_PUBLIC, 0, "the record: results.json"},
	{"GET", R "/record/results.csv", get_record_csv, ROUTE_PUBLIC, 0, "the record: results as CSV"},
	{"POST", R "/trustees", post_trustee, ROUTE_ADMIN, BODY_UPLOAD, "a trustee entry (commit, shares, complaint)"},
	{"POST", R "/key", post_key, ROUTE_ADMIN, 0, "end the key ceremony: the key entry"},
	{"POST", R "/schedule", post_schedule, ROUTE_ADMIN, 0, "change the schedule (extensions only once open)"},
	{"POST", R "/tally", post_tally, ROUTE_ADMIN, 0, "close and tally every region"},
	{"POST", R "/decryptions", post_decryption, ROUTE_ADMIN, BODY_UPLOAD, "a trustee's partial decryption"},
	{"POST", R "/publish", post_publish, ROUTE_ADMIN, 0, "the result entries, at announce_at"},
	{"GET", "/api/clock", get_clock, ROUTE_PUBLIC, 0, "the server's clock, and whether it is a test clock"},
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

/* The schedule in force (locked). */
struct sched { rtime opens, closes, announce; };

static struct sched schedule(const struct referendum *r)
{
	struct sched s;
	election_schedule(r->el, &s.opens, &s.closes, &s.announce);
	return s;
}

static const char *tz(const struct referendum *r)
{
	const referendum_body *rb = election_referendum(r->el);
	return rb ? rb->timezone : "";
}

/* Region id of r's election by URL id (locked): its index, or -1 (with
 * not_found answered) when absent or without its manifest. */
static int find_region(struct request *rq, struct referendum *r, const char *id, region_info *ri)
{
	int gi = election_region_index(r->el, id ? id : "");
	if (gi < 0 || election_region(r->el, (size_t)gi, ri) != 0 || !ri->present) {
		reply_errf(rq, URNA_E_UNKNOWN, "no region %s in %s", id ? id : "", r->id);
		return -1;
	}
	return gi;
}

/* Summary of r (locked). full adds trustees, key, head and turnout. */
static json_t *ref_json(struct referendum *r, int64_t t, int full)
{
	const referendum_body *rb = election_referendum(r->el);
	const json_t *rj = election_referendum_json(r->el);
	struct sched s = schedule(r);
	json_t *regs = json_array();
	uint8_t K[32];
	region_info ri;

	for (size_t i = 0; i < election_nregions(r->el); i++) {
		if (election_region(r->el, i, &ri) != 0)
			continue;
		json_t *name = ri.body ? json_object_get(ri.body, "name") : NULL;
		json_t *o = json_pack("{s:s, s:O}", "id", ri.id, "name", name ? name : json_null());
		if (full) {
			json_object_set_new(o, "electorate", json_integer((json_int_t)ri.electorate));
			json_object_set_new(o, "cast", json_integer((json_int_t)ri.cast));
		}
		json_array_append_new(regs, o);
	}
	json_t *title = rj ? json_object_get(rj, "title") : NULL;
	json_t *o = json_pack("{s:s, s:O, s:s, s:s, s:o, s:o, s:o, s:o}", "id", r->id, "title",
	                      title ? title : json_null(), "timezone", tz(r), "status",
	                      election_status(r->el, t), "opens_at", rtime_json(&s.opens), "closes_at",
	                      rtime_json(&s.closes), "announce_at", rtime_json(&s.announce), "regions", regs);
	uint64_t cseq;
	int64_t ctime;
	const json_t *reason;
	if (o && election_schedule_change(r->el, &cseq, &ctime, &reason) == 0)
		json_object_set_new(o, "schedule_change", json_pack("{s:I, s:I, s:O}", "seq", (json_int_t)cseq, "time",
		                                                    (json_int_t)ctime, "reason", reason ? (json_t *)reason : json_null()));
	else if (o)
		json_object_set_new(o, "schedule_change", json_null());
	if (full && o && rb) {
		json_object_set_new(o, "trustees", json_pack("{s:i, s:i}", "n", (int)rb->n, "t", (int)rb->t));
		json_object_set_new(o, "election_key", election_key(r->el, K) == 0 ? b64j(K) : json_null());
		json_object_set_new(o, "head", head_json(r->durable_seq, r->durable_head));
		json_object_set_new(o, "server_key", b64j(rb->server_key));
	}
	return o;
}

/* Appends one entry (canonical bytes of body, checked by the election in
 * mode) and waits until it is durable. Call with r->lock held (kept
 * throughout, so entries of one admin call are contiguous). */
static int append_sync(struct request *rq, struct referendum *r, rec_kind kind, const char *region,
                       const json_t *body, apply_mode mode, uint64_t *seq, urna_err *e)
{
	struct store_job job = {0};
	struct store_line sl = {0};
	char *line = NULL, *bytes;
	size_t len;
	uint8_t h[32];
	int rc = -1;

	if (!body || !(bytes = canon_encode(body, &len)))
		return err_set(e, URNA_E_IO, "out of memory");
	if (ref_append(r, rq->srv->writer, now(rq), kind, region, bytes, len, mode, NULL, &job, &sl, &line, e) != 0)
		goto out;
	uint64_t s = sl.seq;
	election_head(r->el, h);
	if (store_writer_wait(rq->srv->writer, job.ticket, e) != 0) {
		ref_resync(r, rq->srv->writer);
		goto out;
	}
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
	region_info ri;
	if (!r)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	if (find_region(rq, r, rq->param[1], &ri) >= 0)
		reply_bytes(rq, 200, "application/json", ri.bytes, ri.len);
	pthread_mutex_unlock(&r->lock);
	return HANDLED;
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
	ballot_facts facts;
	urna_ct ct[URNA_MAX_QUESTIONS * URNA_MAX_CHOICES];
};

static void ballot_ctx_free(void *p)
{
	struct ballot_ctx *c = p;
	if (c)
		free(c->line);
	free(c);
}

/* The ballot at c->seq, with the head of lines 0..head_next-1, c->head. */
static int ballot_answer(struct request *rq, struct ballot_ctx *c, int status, uint64_t head_next)
{
	char text[URNA_TRACKER_TEXT];
	tracker_text(text, c->tracker);
	return reply_json(rq, status, json_pack("{s:s, s:s, s:I, s:o}", "tracker", c->trk, "tracker_text", text, "seq",
	                                        (json_int_t)c->seq, "head", head_json(head_next, c->head)));
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
		if (c->status == 0) {
			pthread_mutex_lock(&c->r->lock);
			ref_resync(c->r, rq->srv->writer);
			pthread_mutex_unlock(&c->r->lock);
		}
		reply_err(rq, c->status != 0 ? &c->err : &c->job.err);
		return;
	}
	pthread_mutex_lock(&c->r->lock);
	ref_durable(c->r, c->seq, c->head);
	pthread_mutex_unlock(&c->r->lock);
	ballot_answer(rq, c, 201, c->seq + 1); /* the head is the ballot's own line */
}

/* Answers 200 for bytes already on the board at seq (locked on entry,
 * unlocked on return), once that line is durable: every job queued so far
 * (tickets increase in chain order) covers it. */
static int ballot_again(struct request *rq, struct referendum *r, struct ballot_ctx *c, uint64_t seq)
{
	urna_err e = {0};
	uint64_t ticket = seq >= r->durable_seq ? r->last_ticket : 0, hs;

	c->seq = seq;
	pthread_mutex_unlock(&r->lock);
	if (ticket && store_writer_wait(rq->srv->writer, ticket, &e) != 0)
		return reply_err(rq, &e);
	pthread_mutex_lock(&r->lock);
	memcpy(c->head, r->durable_head, 32);
	hs = r->durable_seq;
	pthread_mutex_unlock(&r->lock);
	return ballot_answer(rq, c, 200, hs);
}

/* Ballot intake: parsed once outside any lock (the record layer's strict
 * reader); under the referendum's lock, an identical resubmission is
 * answered from the election's tracker index and a ballot the state would
 * refuse (window, list, binding) is refused before anything is verified;
 * then every proof and the signature in this request thread, in parallel
 * with the others and outside the lock; then under the lock again the
 * state half (election_ballot_admissible, through the election's apply of
 * the line's facts), the numbering and the queueing. The answer waits for
 * the commit with the connection suspended. */
static int post_ballot(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	struct ballot_ctx *c;
	tracker_info ti;
	region_info ri;
	manifest m;
	uint8_t K[32], h_E[32];
	urna_err e = {0};
	ballot *b = ballot_scratch();
	const char *body = rq->body ? rq->body : "";
	int gi;

	if (!r)
		return HANDLED;
	if (!(c = calloc(1, sizeof *c)) || !b) {
		free(c);
		return reply_errf(rq, URNA_E_IO, "out of memory");
	}
	rq->ctx = c;
	rq->ctx_free = ballot_ctx_free;
	c->r = r;
	c->rq = rq;

	pthread_mutex_lock(&r->lock);
	gi = find_region(rq, r, rq->param[1], &ri);
	pthread_mutex_unlock(&r->lock);
	if (gi < 0)
		return HANDLED;

	if (ballot_parse(b, body, rq->len, &e) != 0)
		return reply_err(rq, &e);
	memcpy(c->tracker, b->tracker, 32); /* hash32 of the bytes, by the parse */
	b64url_encode(c->trk, c->tracker, 32);

	pthread_mutex_lock(&r->lock);
	if (election_tracker(r->el, c->tracker, &ti) == 0 && ti.region == (size_t)gi)
		return ballot_again(rq, r, c, ti.seq);
	if (election_ballot_admissible(r->el, rq->param[1], b, rnow(rq, r), &e) != 0 ||
	    election_key(r->el, K) != 0 || election_region(r->el, (size_t)gi, &ri) != 0) {
		pthread_mutex_unlock(&r->lock);
		return reply_err(rq, &e);
	}
	m = *ri.m; /* h_E, the manifest and K never change once set */
	memcpy(h_E, ri.h_E, 32);
	pthread_mutex_unlock(&r->lock);

	/* The expensive part. */
	if (ballot_shape_ok(b, &m, &e) != 0 || ballot_verify(b, h_E, K, &e) != 0)
		return reply_err(rq, &e);
	uint32_t k = 0;
	for (uint32_t q = 0; q < b->nq; q++)
		for (uint32_t ch = 0; ch < b->m[q]; ch++)
			c->ct[k++] = b->ct[q][ch];
	c->facts = (ballot_facts){.ct = c->ct, .nct = k};
	memcpy(c->facts.X, b->X, 32);
	memcpy(c->facts.tracker, b->tracker, 32);
	snprintf(c->facts.referendum, sizeof c->facts.referendum, "%s", b->referendum);
	snprintf(c->facts.region, sizeof c->facts.region, "%s", b->region);

	pthread_mutex_lock(&r->lock);
	if (election_tracker(r->el, c->tracker, &ti) == 0)
		return ballot_again(rq, r, c, ti.seq); /* the same bytes, concurrently */
	request_suspend(rq);
	rq->resume = ballot_resume;
	c->job.done = ballot_done;
	c->job.arg = c;
	if (ref_append(r, rq->srv->writer, now(rq), KIND_BALLOT, c->facts.region, body, rq->len, APPLY_FULL,
	               &c->facts, &c->job, &c->sl, &c->line, &c->err) != 0) {
		c->status = -1;
		pthread_mutex_unlock(&r->lock);
		request_resume(rq);
		return SUSPENDED;
	}
	c->seq = c->sl.seq;
	election_head(r->el, c->head);
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
	tracker_info ti;
	region_info ri;
	const char *s = rq->param[1];
	if (!r)
		return HANDLED;
	if (b64url_decode(t, 32, s, strlen(s)) != 0 && b32_decode(t, 32, s) != 0)
		return reply_errf(rq, URNA_E_BAD_ENCODING, "a tracker is base64url or base32 text of 32 bytes");
	pthread_mutex_lock(&r->lock);
	if (election_tracker(r->el, t, &ti) != 0 || ti.seq >= r->durable_seq ||
	    election_region(r->el, ti.region, &ri) != 0) {
		pthread_mutex_unlock(&r->lock);
		return reply_errf(rq, URNA_E_UNKNOWN, "no ballot with this tracker on the board");
	}
	char trk[URNA_B64_32], text[URNA_TRACKER_TEXT];
	b64url_encode(trk, t, 32);
	tracker_text(text, t);
	json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:I, s:b, s:o}", "tracker", trk, "tracker_text", text, "seq",
	                      (json_int_t)ti.seq, "region", ri.id, "time", (json_int_t)ti.time, "last_for_credential",
	                      ti.last_for_credential, "counted", ti.counted < 0 ? json_null() : json_boolean(ti.counted));
	pthread_mutex_unlock(&r->lock);
	return reply_json(rq, 200, o);
}

/* Locked; 0 when published, else answers too_early (or wrong_state). */
static int results_ready(struct request *rq, struct referendum *r)
{
	int64_t t = now(rq);
	struct sched s = schedule(r);
	region_info ri;
	if (!strcmp(election_status(r->el, t), "published") && t >= s.announce.utc)
		return 0;
	json_t *turnout = json_array();
	for (size_t i = 0; i < election_nregions(r->el); i++)
		if (election_region(r->el, i, &ri) == 0)
			json_array_append_new(turnout, json_pack("{s:s, s:I, s:I}", "region", ri.id, "cast",
			                      (json_int_t)ri.cast, "electorate", (json_int_t)ri.electorate));
	urna_err e = {0};
	err_set(&e, URNA_E_TOO_EARLY, "results are published at %s (%s)", s.announce.local, tz(r));
	reply_err_extra(rq, &e, json_pack("{s:o, s:o}", "announce_at", rtime_json(&s.announce), "turnout", turnout));
	return -1;
}

/* r's verdict (locked, published). A board published with no run asked
 * for (its publish request failed after the last result reached the
 * board, e.g. on a failed commit) gets one now. */
static json_t *verification_json(struct request *rq, struct referendum *r)
{
	if (r->verdict.status == VERDICT_NONE)
		verdict_request(rq->srv->verdicts, r);
	return verdict_json(&r->verdict);
}

/* What the published board answers; before the publication (results_ready)
 * every one of them is too_early. results.json is the record layer's
 * (results.h): what `urna export` writes and `urna verify` accepts; the
 * API's answer adds the verdict (verdict.h), the record's file must not. */
enum published { RESULTS, RESULTS_RECORD, RESULTS_CSV, VERIFICATION };

static int answer_published(struct request *rq, enum published what)
{
	struct referendum *r = find_ref(rq);
	if (!r)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	if (results_ready(rq, r) != 0) {
		/* answered */
	} else if (what == VERIFICATION) {
		reply_json(rq, 200, verification_json(rq, r));
	} else if (what == RESULTS_CSV) {
		size_t n = 0;
		char *s = results_csv(r->el, &n);
		if (s)
			reply_bytes(rq, 200, "text/csv", s, n);
		else
			reply_errf(rq, URNA_E_IO, "out of memory");
		free(s);
	} else {
		json_t *j = results_json(r->el);
		if (j && what == RESULTS)
			json_object_set_new(j, "verification", verification_json(rq, r));
		reply_json(rq, 200, j); /* NULL: out of memory */
	}
	pthread_mutex_unlock(&r->lock);
	return HANDLED;
}

static int get_results(struct request *rq)
{
	return answer_published(rq, RESULTS);
}

static int get_verification(struct request *rq)
{
	return answer_published(rq, VERIFICATION);
}

static int get_record_results(struct request *rq)
{
	return answer_published(rq, RESULTS_RECORD);
}

static int get_record_csv(struct request *rq)
{
	return answer_published(rq, RESULTS_CSV);
}

/* ---- admin ---- */

/* A time of the spec, named in any error: missing, malformed, or not in the
 * zone. */
static int spec_time(rtime *t, const char *zone, const json_t *req, const char *key, urna_err *e)
{
	const char *s = json_string_value(json_object_get(req, key));
	if (!s)
		return err_set(e, URNA_E_MALFORMED, "\"%s\" missing: a local time YYYY-MM-DDTHH:MM in \"timezone\"", key);
	return rtime_make(t, zone, s, e) ? err_prefix(e, "\"%s\"", key) : 0;
}

/* The referendum and region lines of a creation request, each built by the
 * record layer and applied to r's (empty) election: a request that breaks
 * a rule is refused before anything is written. Voting must open after now
 * (a referendum that is over before it starts could never be mended). */
static int create_plan(json_t *req, const uint8_t server_pk[static 32], int64_t now, struct referendum *r,
                       json_t **bodies, urna_err *e)
{
	static const char *const keys[] = {"id", "title", "timezone", "opens_at", "closes_at",
	                                   "announce_at", "trustees", "regions", NULL};
	const char *id = json_string_value(json_object_get(req, "id"));
	const char *zone = json_string_value(json_object_get(req, "timezone"));
	json_t *regs = json_object_get(req, "regions"), *tr = json_object_get(req, "trustees"), *m;
	const char *ids[URNA_MAX_REGIONS];
	uint32_t n = 0, t = 0;
	rtime o, c, a;
	size_t i;
	json_t *out = json_array(), *ref = NULL;
	int rc = -1;

	*bodies = NULL;
	if (canon_known_keys(req, keys, "the spec", e) != 0)
		goto out;
	if (!canon_id_ok(id)) {
		err_set(e, URNA_E_MALFORMED, "\"id\" must match [a-z0-9][a-z0-9-]{0,62}");
		goto out;
	}
	if (!zone || !rtime_zone_ok(zone)) {
		err_set(e, URNA_E_MALFORMED, "\"timezone\": unknown zone '%s' (an IANA name: Europe/Moscow)", zone ? zone : "");
		goto out;
	}
	if (spec_time(&o, zone, req, "opens_at", e) || spec_time(&c, zone, req, "closes_at", e) ||
	    spec_time(&a, zone, req, "announce_at", e))
		goto out;
	if (o.utc <= now) {
		char at[20];
		if (rtime_local(at, now, zone) != 0)
			at[0] = '\0';
		err_set(e, URNA_E_MALFORMED, "\"opens_at\" %s is past: the server's clock reads %s %s", o.local, at, zone);
		goto out;
	}
	if (!json_is_object(tr)) {
		err_set(e, URNA_E_MALFORMED, "\"trustees\" missing: {\"n\": trustees, \"t\": how many decrypt}");
		goto out;
	}
	if (canon_get_u32(&n, tr, "n", e) || canon_get_u32(&t, tr, "t", e)) {
		err_prefix(e, "\"trustees\"");
		goto out;
	}
	if (!json_is_array(regs) || json_array_size(regs) == 0 || json_array_size(regs) > URNA_MAX_REGIONS) {
		err_set(e, URNA_E_MALFORMED, "\"regions\": 1 to %d manifests expected", URNA_MAX_REGIONS);
		goto out;
	}
	json_array_foreach(regs, i, m) {
		if (!(ids[i] = json_string_value(json_object_get(m, "id")))) {
			err_set(e, URNA_E_MALFORMED, "region %zu: \"id\" missing", i + 1);
			goto out;
		}
	}
	if (!(ref = referendum_make(id, json_object_get(req, "title"), zone, &o, &c, &a, ids, json_array_size(regs), n, t,
	                            server_pk, e)))
		goto out;
	json_array_append_new(out, json_pack("[i, n, o]", (int)KIND_REFERENDUM, ref));
	json_array_foreach(regs, i, m)
		json_array_append_new(out, json_pack("[i, s, O]", (int)KIND_REGION, ids[i], m));
	/* Dry run on r's election: every rule of s.15 once, in the record layer. */
	json_t *x;
	json_array_foreach(out, i, x) {
		size_t bl, ll;
		uint8_t prev[32];
		const char *rg = json_string_value(json_array_get(x, 1));
		char *bb = canon_encode(json_array_get(x, 2), &bl), *line = NULL;
		election_head(r->el, prev);
		int bad = !bb || !(line = line_make(&ll, i, prev, 0, (rec_kind)json_integer_value(json_array_get(x, 0)), rg,
		                                    bb, bl, e)) ||
		          election_apply(r->el, line, ll, APPLY_FULL, e) != 0;
		if (!bb && e)
			err_set(e, URNA_E_IO, "out of memory");
		free(bb);
		free(line);
		if (bad) {
			e->has_seq = 0;
			goto out;
		}
	}
	*bodies = out;
	out = NULL;
	rc = 0;
out:
	json_decref(out);
	return rc;
}

static int create_referendum(struct request *rq)
{
	json_t *req = NULL, *plan = NULL, *x;
	struct referendum *r = NULL;
	urna_err e = {0};
	size_t i;

	if (parse_body(rq, &req) != 0)
		return HANDLED;
	pthread_mutex_lock(&create_lock);
	const char *id = json_string_value(json_object_get(req, "id"));
	if (!(r = referendum_new(id ? id : "", rq->srv->ops, rq->srv->st))) {
		reply_errf(rq, URNA_E_IO, "out of memory");
		goto out;
	}
	if (create_plan(req, rq->srv->server_pk, now(rq), r, &plan, &e) != 0) {
		reply_err(rq, &e);
		goto out;
	}
	if (registry_find(rq->srv->reg, id)) {
		reply_errf(rq, URNA_E_CONFLICT, "referendum %s already exists", id);
		goto out;
	}
	/* The dry run was at time 0; the real lines carry the clock. */
	election_free(r->el);
	if (!(r->el = election_new())) {
		reply_errf(rq, URNA_E_IO, "out of memory");
		goto out;
	}
	pthread_mutex_lock(&r->lock);
	json_array_foreach(plan, i, x) {
		if (append_sync(rq, r, (rec_kind)json_integer_value(json_array_get(x, 0)),
		                json_string_value(json_array_get(x, 1)), json_array_get(x, 2), APPLY_FULL, NULL, &e) != 0) {
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

static int post_credentials(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	json_t *body = NULL;
	urna_err e = {0};
	uint64_t seq;
	region_info ri;
	cred_body cb = {0};

	if (!r || parse_body(rq, &body) != 0)
		return HANDLED;
	/* Shape and every point, before the lock (record/body.h). */
	if (cred_parse(&cb, body, &e) != 0) {
		reply_err(rq, &e);
		json_decref(body);
		return HANDLED;
	}
	pthread_mutex_lock(&r->lock);
	int gi = find_region(rq, r, rq->param[1], &ri);
	if (gi < 0)
		goto out;
	/* Rebuilt from the parsed points: the line holds exactly the list. */
	json_t *clean = cred_make((const uint8_t(*)[32])cb.X, cb.n);
	int rc = append_sync(rq, r, KIND_CREDENTIALS, ri.id, clean, APPLY_FULL, &seq, &e);
	json_decref(clean);
	if (rc != 0) {
		reply_err(rq, &e);
		goto out;
	}
	election_region(r->el, (size_t)gi, &ri);
	reply_json(rq, 201, json_pack("{s:I, s:I}", "seq", (json_int_t)seq, "electorate", (json_int_t)ri.electorate));
out:
	pthread_mutex_unlock(&r->lock);
	cred_body_free(&cb);
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
	const char *type = json_string_value(json_object_get(body, "type"));
	pthread_mutex_lock(&r->lock);
	if (type && !strcmp(type, "key"))
		reply_errf(rq, URNA_E_MALFORMED, "the key entry comes from /key");
	else if (append_sync(rq, r, KIND_TRUSTEE, NULL, body, APPLY_FULL, &seq, &e) != 0)
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
	if (election_key_body(r->el, &body, &e) != 0 ||
	    append_sync(rq, r, KIND_TRUSTEE, NULL, body, APPLY_FULL, NULL, &e) != 0)
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
	rtime o, c, a;
	urna_err e = {0};
	uint64_t seq;

	if (!r || parse_body(rq, &req) != 0)
		return HANDLED;
	reason = json_object_get(req, "reason");
	pthread_mutex_lock(&r->lock);
	if (rtime_make(&o, tz(r), json_string_value(json_object_get(req, "opens_at")), &e) ||
	    rtime_make(&c, tz(r), json_string_value(json_object_get(req, "closes_at")), &e) ||
	    rtime_make(&a, tz(r), json_string_value(json_object_get(req, "announce_at")), &e)) {
		reply_err(rq, &e);
		goto out;
	}
	if (!reason) {
		reply_errf(rq, URNA_E_MALFORMED, "\"reason\" (a text) is required: every change is on the board");
		goto out;
	}
	body = schedule_make(&o, &c, &a, reason);
	if (append_sync(rq, r, KIND_SCHEDULE, NULL, body, APPLY_FULL, &seq, &e) != 0)
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
	json_t *regs = json_array(), *body = NULL;
	urna_err e = {0};
	tally_body *t = NULL;
	region_info ri;

	if (!r) {
		json_decref(regs);
		return HANDLED;
	}
	pthread_mutex_lock(&r->lock);
	struct sched s = schedule(r);
	if (rnow(rq, r) < s.closes.utc + s.closes.grace) {
		reply_errf(rq, URNA_E_TOO_EARLY, "voting closes at %s (%s)", s.closes.local, tz(r));
		goto out;
	}
	if (election_nregions(r->el) && election_region(r->el, 0, &ri) == 0 && ri.tally) {
		reply_errf(rq, URNA_E_STATE, "already tallied");
		goto out;
	}
	if (!election_closed(r->el)) {
		json_t *cb = close_make(&s.closes);
		int rc = append_sync(rq, r, KIND_CLOSE, NULL, cb, APPLY_FULL, NULL, &e);
		json_decref(cb);
		if (rc != 0) {
			reply_err(rq, &e);
			goto out;
		}
	}
	if (!(t = malloc(sizeof *t))) {
		reply_errf(rq, URNA_E_IO, "out of memory");
		goto out;
	}
	/* Each region's tally from the election's ballots, checked again by
	 * its apply (the aggregate recomputed) before it is written. */
	for (size_t i = 0; i < election_nregions(r->el); i++) {
		if (election_region(r->el, i, &ri) != 0 || election_tally(r->el, i, t, 2, &e) != 0 ||
		    !(body = tally_make(t)) || append_sync(rq, r, KIND_TALLY, ri.id, body, APPLY_FULL, NULL, &e) != 0) {
			if (!body)
				err_set(&e, e.code ? e.code : URNA_E_IO, "%s", e.code ? e.msg : "out of memory");
			reply_err(rq, &e);
			goto out;
		}
		json_decref(body);
		body = NULL;
		json_array_append_new(regs, json_pack("{s:s, s:I, s:I}", "region", ri.id, "cast", (json_int_t)t->cast,
		                                      "counted", (json_int_t)t->counted));
	}
	reply_json(rq, 201, json_pack("{s:O, s:i}", "regions", regs, "t", (int)election_referendum(r->el)->t));
out:
	pthread_mutex_unlock(&r->lock);
	free(t);
	json_decref(body);
	json_decref(regs);
	return HANDLED;
}

static int post_decryption(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	json_t *body = NULL;
	urna_err e = {0};
	uint64_t seq;
	region_info ri;

	if (!r || parse_body(rq, &body) != 0)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	const char *rid = json_string_value(json_object_get(body, "region"));
	char region[ID_MAX] = "";
	snprintf(region, sizeof region, "%s", rid ? rid : "");
	json_object_del(body, "region");
	if (find_region(rq, r, region, &ri) < 0)
		; /* answered */
	else if (append_sync(rq, r, KIND_DECRYPTION, ri.id, body, APPLY_FULL, &seq, &e) != 0)
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
	region_info ri;
	size_t n = 0;

	if (!r)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	struct sched s = schedule(r);
	n = election_nregions(r->el);
	if (rnow(rq, r) < s.announce.utc) {
		reply_errf(rq, URNA_E_TOO_EARLY, "results may be published from %s (%s)", s.announce.local, tz(r));
		goto out;
	}
	if (!(bodies = calloc(n + 1, sizeof *bodies))) {
		reply_errf(rq, URNA_E_IO, "out of memory");
		goto out;
	}
	/* Build every result first: all regions or none. */
	for (size_t i = 0; i < n; i++) {
		if (election_region(r->el, i, &ri) != 0 || ri.result)
			continue;
		if (election_result_body(r->el, i, &bodies[i], &e) != 0) {
			reply_err(rq, &e);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (bodies[i] && (election_region(r->el, i, &ri) != 0 ||
		                  append_sync(rq, r, KIND_RESULT, ri.id, bodies[i], APPLY_FULL, NULL, &e) != 0)) {
			reply_err(rq, &e);
			goto out;
		}
	}
	/* Every result is durable: the server's own `urna verify` of the
	 * stored board starts, in the background. */
	verdict_request(rq->srv->verdicts, r);
	reply_json(rq, 201, results_json(r->el)); /* NULL: out of memory */
out:
	pthread_mutex_unlock(&r->lock);
	for (size_t i = 0; bodies && i < n; i++)
		json_decref(bodies[i]);
	free(bodies);
	return HANDLED;
}

static int get_clock(struct request *rq)
{
	return reply_json(rq, 200, json_pack("{s:I, s:b}", "now", (json_int_t)now(rq), "test_clock", rq->srv->test_clock));
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
