/* admin.c: the admin calls of docs/api.md. Every call that appends to an
 * existing board runs one skeleton, admin_run: find the referendum, parse
 * the body, take its lock, build and append the entries (each durable
 * before the next is built), answer 201. A call supplies only what differs
 * (struct admin_op). Creating a referendum (no board yet) and setting the
 * test clock (no board at all) are their own handlers, at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "record/results.h"
#include "server/handlers.h"
#include "server/verdict.h"

/* ---- the skeleton ---- */

/* One admin call on r's board, under r's lock from build to answer. */
struct admin_call {
	struct request *rq;
	struct referendum *r;
	json_t *req;      /* the request's body (prepare may replace it), or NULL */
	json_t *kept;     /* what build keeps for answer; freed by admin_run */
	uint64_t seq;     /* the last entry appended */
	int gi;           /* the region's index, for an answer that needs it */
};

struct admin_op {
	int body; /* the call takes a JSON body (c->req) */
	/* Optional, before the lock: checks that need no board. 0 or -1 with e. */
	int (*prepare)(struct admin_call *c, urna_err *e);
	/* Locked: checks the request against the board, builds its entries and
	 * appends each with admin_put. 0, or -1 with e set. */
	int (*build)(struct admin_call *c, urna_err *e);
	/* Optional, locked, every entry durable: the 201 body (NULL: out of
	 * memory). Without one: {"seq"} of the last entry. */
	json_t *(*answer)(struct admin_call *c);
};

/* Appends one entry (canonical bytes of body, checked by the election
 * with every rule) and waits until it is durable. Call with r->lock held
 * (kept throughout, so entries of one admin call are contiguous). */
static int append_durable(struct request *rq, struct referendum *r, rec_kind kind, const char *region,
                          const json_t *body, uint64_t *seq, urna_err *e)
{
	struct store_job job = {0};
	struct store_line sl = {0};
	char *line = NULL, *bytes;
	size_t len;
	uint8_t h[32];
	int rc = -1;

	if (!body || !(bytes = canon_encode(body, &len)))
		return err_set(e, URNA_E_IO, "out of memory");
	if (ref_append(r, rq->srv->writer, server_now(rq), kind, region, bytes, len, APPLY_FULL, NULL, &job, &sl, &line,
	               e) != 0)
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

/* append_durable on c's board; c->seq is the entry's. body is borrowed. */
static int admin_put(struct admin_call *c, rec_kind kind, const char *region, const json_t *body, urna_err *e)
{
	return append_durable(c->rq, c->r, kind, region, body, &c->seq, e);
}

static int admin_run(struct request *rq, const struct admin_op *op)
{
	struct admin_call c = {.rq = rq, .r = find_ref(rq), .gi = -1};
	urna_err e = {0};

	if (!c.r || (op->body && parse_body(rq, &c.req) != 0))
		return HANDLED;
	if (op->prepare && op->prepare(&c, &e) != 0) {
		reply_err(rq, &e);
		goto out;
	}
	pthread_mutex_lock(&c.r->lock);
	if (op->build(&c, &e) != 0)
		reply_err(rq, &e);
	else
		reply_json(rq, 201, op->answer ? op->answer(&c) : json_pack("{s:I}", "seq", (json_int_t)c.seq));
	pthread_mutex_unlock(&c.r->lock);
out:
	json_decref(c.req);
	json_decref(c.kept);
	return HANDLED;
}

/* ---- the calls on a board ---- */

/* Shape and every point, before the lock (record/body.h); the entry is
 * rebuilt from the parsed points, so the line holds exactly the list. */
static int credentials_prepare(struct admin_call *c, urna_err *e)
{
	cred_body cb = {0};
	if (cred_parse(&cb, c->req, e) != 0)
		return -1;
	json_decref(c->req);
	c->req = cred_make((const uint8_t(*)[32])cb.X, cb.n); /* NULL: admin_put says out of memory */
	cred_body_free(&cb);
	return 0;
}

static int credentials_build(struct admin_call *c, urna_err *e)
{
	region_info ri;
	if ((c->gi = region_of(c->r, c->rq->param[1], &ri, e)) < 0)
		return -1;
	return admin_put(c, KIND_CREDENTIALS, ri.id, c->req, e);
}

static json_t *credentials_answer(struct admin_call *c)
{
	region_info ri = {0};
	election_region(c->r->el, (size_t)c->gi, &ri);
	return json_pack("{s:I, s:I}", "seq", (json_int_t)c->seq, "electorate", (json_int_t)ri.electorate);
}

static int trustee_build(struct admin_call *c, urna_err *e)
{
	const char *type = json_string_value(json_object_get(c->req, "type"));
	if (type && !strcmp(type, "key"))
		return err_set(e, URNA_E_MALFORMED, "the key entry comes from /key");
	return admin_put(c, KIND_TRUSTEE, NULL, c->req, e);
}

/* The key entry, computed from the trustees' entries on the board. */
static int key_build(struct admin_call *c, urna_err *e)
{
	if (election_key_body(c->r->el, &c->kept, e) != 0)
		return -1;
	return admin_put(c, KIND_TRUSTEE, NULL, c->kept, e);
}

static json_t *key_answer(struct admin_call *c)
{
	return json_pack("{s:O}", "election_key", json_object_get(c->kept, "key"));
}

/* Local times in the referendum's zone; the election allows only
 * extensions once voting is open. */
static int schedule_build(struct admin_call *c, urna_err *e)
{
	const char *zone = ref_zone(c->r);
	json_t *req = c->req, *reason = json_object_get(req, "reason");
	rtime o, cl, a;

	if (rtime_make(&o, zone, json_string_value(json_object_get(req, "opens_at")), e) ||
	    rtime_make(&cl, zone, json_string_value(json_object_get(req, "closes_at")), e) ||
	    rtime_make(&a, zone, json_string_value(json_object_get(req, "announce_at")), e))
		return -1;
	if (!reason)
		return err_set(e, URNA_E_MALFORMED, "\"reason\" (a text) is required: every change is on the board");
	json_t *body = schedule_make(&o, &cl, &a, reason);
	int rc = admin_put(c, KIND_SCHEDULE, NULL, body, e);
	json_decref(body);
	return rc;
}

/* The close entry (if not there) and each region's tally from the
 * election's ballots, checked again by its apply (the aggregate
 * recomputed) before it is written. c->kept: the regions' figures. */
static int tally_build(struct admin_call *c, urna_err *e)
{
	struct referendum *r = c->r;
	struct sched s = ref_sched(r);
	json_t *body = NULL;
	tally_body *t = NULL;
	region_info ri;
	int rc = -1;

	c->kept = json_array();
	if (line_now(c->rq, r) < s.closes.utc + s.closes.grace)
		return err_set(e, URNA_E_TOO_EARLY, "voting closes at %s (%s)", s.closes.local, ref_zone(r));
	if (election_nregions(r->el) && election_region(r->el, 0, &ri) == 0 && ri.tally)
		return err_set(e, URNA_E_STATE, "already tallied");
	if (!election_closed(r->el)) {
		json_t *cb = close_make(&s.closes);
		int put = admin_put(c, KIND_CLOSE, NULL, cb, e);
		json_decref(cb);
		if (put != 0)
			return -1;
	}
	if (!(t = malloc(sizeof *t)))
		return err_set(e, URNA_E_IO, "out of memory");
	for (size_t i = 0; i < election_nregions(r->el); i++) {
		if (election_region(r->el, i, &ri) != 0 || election_tally(r->el, i, t, 2, e) != 0 ||
		    !(body = tally_make(t)) || admin_put(c, KIND_TALLY, ri.id, body, e) != 0) {
			if (!body && !e->code)
				err_set(e, URNA_E_IO, "out of memory");
			goto out;
		}
		json_decref(body);
		body = NULL;
		json_array_append_new(c->kept, json_pack("{s:s, s:I, s:I}", "region", ri.id, "cast", (json_int_t)t->cast,
		                                         "counted", (json_int_t)t->counted));
	}
	rc = 0;
out:
	json_decref(body);
	free(t);
	return rc;
}

static json_t *tally_answer(struct admin_call *c)
{
	return json_pack("{s:O, s:i}", "regions", c->kept, "t", (int)election_referendum(c->r->el)->t);
}

/* The body is the decryption entry's plus "region", which becomes the
 * line's region. */
static int decryption_build(struct admin_call *c, urna_err *e)
{
	const char *rid = json_string_value(json_object_get(c->req, "region"));
	char region[ID_MAX] = "";
	region_info ri;

	snprintf(region, sizeof region, "%s", rid ? rid : "");
	json_object_del(c->req, "region");
	if (region_of(c->r, region, &ri, e) < 0)
		return -1;
	return admin_put(c, KIND_DECRYPTION, ri.id, c->req, e);
}

/* One result entry a region still without one; every result is built
 * before the first is written: all regions or none. */
static int publish_build(struct admin_call *c, urna_err *e)
{
	struct referendum *r = c->r;
	struct sched s = ref_sched(r);
	size_t n = election_nregions(r->el);
	json_t **bodies;
	region_info ri;
	int rc = -1;

	if (line_now(c->rq, r) < s.announce.utc)
		return err_set(e, URNA_E_TOO_EARLY, "results may be published from %s (%s)", s.announce.local, ref_zone(r));
	if (!(bodies = calloc(n + 1, sizeof *bodies)))
		return err_set(e, URNA_E_IO, "out of memory");
	for (size_t i = 0; i < n; i++)
		if (election_region(r->el, i, &ri) == 0 && !ri.result && election_result_body(r->el, i, &bodies[i], e) != 0)
			goto out;
	for (size_t i = 0; i < n; i++)
		if (bodies[i] && (election_region(r->el, i, &ri) != 0 || admin_put(c, KIND_RESULT, ri.id, bodies[i], e) != 0))
			goto out;
	/* Every result is durable: the server's own `urna verify` of the
	 * stored board starts, in the background. */
	verdict_request(c->rq->srv->verdicts, r);
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		json_decref(bodies[i]);
	free(bodies);
	return rc;
}

static json_t *publish_answer(struct admin_call *c)
{
	return results_json(c->r->el);
}

static const struct admin_op credentials_op = {
	.body = 1, .prepare = credentials_prepare, .build = credentials_build, .answer = credentials_answer};
static const struct admin_op trustee_op = {.body = 1, .build = trustee_build};
static const struct admin_op key_op = {.build = key_build, .answer = key_answer};
static const struct admin_op schedule_op = {.body = 1, .build = schedule_build};
static const struct admin_op tally_op = {.build = tally_build, .answer = tally_answer};
static const struct admin_op decryption_op = {.body = 1, .build = decryption_build};
static const struct admin_op publish_op = {.build = publish_build, .answer = publish_answer};

int post_credentials(struct request *rq)
{
	return admin_run(rq, &credentials_op);
}

int post_trustee(struct request *rq)
{
	return admin_run(rq, &trustee_op);
}

int post_key(struct request *rq)
{
	return admin_run(rq, &key_op);
}

int post_schedule(struct request *rq)
{
	return admin_run(rq, &schedule_op);
}

int post_tally(struct request *rq)
{
	return admin_run(rq, &tally_op);
}

int post_decryption(struct request *rq)
{
	return admin_run(rq, &decryption_op);
}

int post_publish(struct request *rq)
{
	return admin_run(rq, &publish_op);
}

/* ---- a new referendum ---- */

static pthread_mutex_t create_lock = PTHREAD_MUTEX_INITIALIZER;

/* A time of the spec, named in any error: missing, malformed, or not in the
 * zone. */
static int spec_time(rtime *t, const char *zone, const json_t *req, const char *key, urna_err *e)
{
	const char *s = json_string_value(json_object_get(req, key));
	if (!s)
		return err_set(e, URNA_E_MALFORMED, "\"%s\" missing: a local time YYYY-MM-DDTHH:MM in \"timezone\"", key);
	return rtime_make(t, zone, s, e) ? err_prefix(e, "\"%s\"", key) : 0;
}

/* Applies each [kind, region, body] of plan to r's election, at time 0:
 * every rule of s.15 once, in the record layer. 0, or -1 with e set. */
static int dry_run(const json_t *plan, struct referendum *r, urna_err *e)
{
	size_t i;
	json_t *x;

	json_array_foreach(plan, i, x) {
		size_t bl, ll;
		uint8_t prev[32];
		const char *rg = json_string_value(json_array_get(x, 1));
		char *bb = canon_encode(json_array_get(x, 2), &bl), *line = NULL;
		election_head(r->el, prev);
		int bad = !bb || !(line = line_make(&ll, i, prev, 0, (rec_kind)json_integer_value(json_array_get(x, 0)), rg,
		                                    bb, bl, e)) ||
		          election_apply(r->el, line, ll, APPLY_FULL, e) != 0;
		if (!bb)
			err_set(e, URNA_E_IO, "out of memory");
		free(bb);
		free(line);
		if (bad) {
			e->has_seq = 0;
			return -1;
		}
	}
	return 0;
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
	if (dry_run(out, r, e) != 0)
		goto out;
	*bodies = out;
	out = NULL;
	rc = 0;
out:
	json_decref(out);
	return rc;
}

int create_referendum(struct request *rq)
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
	if (create_plan(req, rq->srv->server_pk, server_now(rq), r, &plan, &e) != 0) {
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
		if (append_durable(rq, r, (rec_kind)json_integer_value(json_array_get(x, 0)),
		                   json_string_value(json_array_get(x, 1)), json_array_get(x, 2), NULL, &e) != 0) {
			pthread_mutex_unlock(&r->lock);
			reply_err(rq, &e);
			goto out; /* the writer has failed: restart rebuilds from disk */
		}
	}
	json_t *o = ref_json(r, server_now(rq), 1);
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

/* ---- the test clock ---- */

int post_clock(struct request *rq)
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
