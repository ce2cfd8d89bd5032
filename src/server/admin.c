/* admin.c: the entries of docs/api.md. Every role posts its own signed
 * entries (record/entry.h): the organizer creates a referendum with its
 * referendum and region entries (POST /api/referendums), and every later
 * entry of any role goes to POST /api/referendums/{id}/entries. The server
 * checks each by the record layer's rules, signature and author included
 * (a refusal is the client's 4xx in the verifier's own words), makes it
 * durable, then adds what falls to it, signed with its own key: each
 * region's tally after the organizer's close, each result after the
 * organizer's publish. No admin token: a signature is the authority. The
 * test clock, the one call that is the operator's, is at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "record/entry.h"
#include "record/identity.h"
#include "record/results.h"
#include "server/handlers.h"
#include "server/verdict.h"

/* Appends one entry (canonical body bytes, by its author's signature, or
 * NULL for the server's own, signed here) and waits until it is durable.
 * Call with r->lock held (kept throughout, so the entries of one call are
 * contiguous). */
static int append_durable(struct server *srv, struct referendum *r, rec_kind kind, const char *region,
                          const rec_sig *by, const char *bytes, size_t len, uint64_t *seq, urna_err *e)
{
	struct store_job job = {0};
	struct store_line sl = {0};
	char *line = NULL;
	rec_sig mine;
	uint8_t h[32];
	int rc = -1;

	if (!by) {
		ref_server_sig(r, srv->server_sk, kind, region, bytes, len, &mine);
		by = &mine;
	}
	if (ref_append(r, srv->writer, srv->clock->now(srv->clock), kind, region, by, bytes, len, APPLY_FULL, NULL, &job,
	               &sl, &line, e) != 0)
		goto out;
	uint64_t s = sl.seq;
	election_head(r->el, h);
	if (store_writer_wait(srv->writer, job.ticket, e) != 0) {
		ref_resync(r, srv->writer);
		goto out;
	}
	ref_durable(r, s, h);
	if (seq)
		*seq = s;
	rc = 0;
out:
	free(line);
	return rc;
}

/* The server's own entry (body: JSON) on r's board. */
static int append_own(struct server *srv, struct referendum *r, rec_kind kind, const char *region, const json_t *body,
                      urna_err *e)
{
	size_t len;
	char *bytes = body ? canon_encode(body, &len) : NULL;
	if (!bytes)
		return err_set(e, URNA_E_IO, "out of memory");
	int rc = append_durable(srv, r, kind, region, NULL, bytes, len, NULL, e);
	free(bytes);
	return rc;
}

/* What falls to the server once the organizer has asked for it: every
 * region's tally after the close, every result after the publish entry.
 * Idempotent (a region that has its entry is skipped), so a call that
 * failed half way is completed by the next: after each posted entry, and
 * on the checkpoint tick (server_duties_all), so that a failed write does
 * not wait for an entry nobody has left to post. Locked. */
static int server_duties(struct server *srv, struct referendum *r, urna_err *e)
{
	tally_body *t = NULL;
	region_info ri;
	int rc = -1;
	if (!election_closed(r->el))
		return 0;
	if (!(t = malloc(sizeof *t)))
		return err_set(e, URNA_E_IO, "out of memory");
	for (size_t i = 0; i < election_nregions(r->el); i++) {
		json_t *body = NULL;
		if (election_region(r->el, i, &ri) != 0 || ri.tally)
			continue;
		int bad = election_tally(r->el, i, t, 2, e) != 0 || !(body = tally_make(t)) ||
		          append_own(srv, r, KIND_TALLY, ri.id, body, e) != 0;
		json_decref(body);
		if (bad)
			goto out;
	}
	if (election_published(r->el)) {
		int added = 0;
		for (size_t i = 0; i < election_nregions(r->el); i++) {
			json_t *body = NULL;
			if (election_region(r->el, i, &ri) != 0 || ri.result)
				continue;
			int bad = election_result_body(r->el, i, &body, e) != 0 || append_own(srv, r, KIND_RESULT, ri.id, body, e) != 0;
			json_decref(body);
			if (bad)
				goto out;
			added = 1;
		}
		/* Every result is durable: the server's own `urna verify` of the
		 * stored board starts, in the background. */
		if (added)
			verdict_request(srv->verdicts, r);
	}
	rc = 0;
out:
	free(t);
	return rc;
}

void server_duties_all(struct server *srv)
{
	struct registry *reg = srv->reg;
	pthread_rwlock_rdlock(&reg->lock);
	size_t n = reg->n;
	pthread_rwlock_unlock(&reg->lock);
	for (size_t i = 0; i < n; i++) {
		urna_err e = {0};
		pthread_rwlock_rdlock(&reg->lock);
		struct referendum *r = reg->refs[i];
		pthread_rwlock_unlock(&reg->lock);
		pthread_mutex_lock(&r->lock);
		if (server_duties(srv, r, &e) != 0)
			fprintf(stderr, "urna: %s: the server's tally or result is not on the board yet: %s\n", r->id, e.msg);
		pthread_mutex_unlock(&r->lock);
	}
}

/* The 201 of an entry: its seq, and what its kind changed. */
static json_t *entry_answer(struct referendum *r, const entry_req *q, uint64_t seq)
{
	json_t *o = json_pack("{s:I}", "seq", (json_int_t)seq);
	region_info ri;
	uint8_t K[32];
	if (!o)
		return NULL;
	switch (q->kind) {
	case KIND_CREDENTIALS:
	case KIND_ELECTORATE:
		if (election_region(r->el, (size_t)election_region_index(r->el, q->region), &ri) == 0)
			json_object_set_new(o, "electorate", json_integer((json_int_t)ri.electorate));
		break;
	case KIND_TRUSTEE:
		if (election_key(r->el, K) == 0)
			json_object_set_new(o, "election_key", b64_json(K));
		break;
	case KIND_CLOSE: {
		json_t *regs = json_array();
		for (size_t i = 0; i < election_nregions(r->el); i++)
			if (election_region(r->el, i, &ri) == 0 && ri.tally)
				json_array_append_new(regs, json_pack("{s:s, s:I, s:I}", "region", ri.id, "cast",
				                                      (json_int_t)ri.tally->cast, "counted", (json_int_t)ri.tally->counted));
		json_object_set_new(o, "regions", regs);
		json_object_set_new(o, "t", json_integer(election_referendum(r->el)->t));
		break;
	}
	case KIND_PUBLISH: json_object_set_new(o, "results", results_json(r->el)); break;
	default: break;
	}
	return o;
}

int post_entry(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	json_t *req = NULL;
	entry_req q = {0};
	urna_err e = {0};
	uint64_t seq = 0;

	if (!r || parse_body(rq, &req) != 0)
		goto done;
	if (entry_req_parse(&q, req, &e) != 0) {
		reply_err(rq, &e);
		goto done;
	}
	switch (q.kind) {
	case KIND_REFERENDUM:
	case KIND_REGION: reply_errf(rq, URNA_E_STATE, "a %s entry comes with the creation (POST /api/referendums)", kind_name(q.kind)); goto done;
	case KIND_BALLOT: reply_errf(rq, URNA_E_STATE, "ballots go to /api/referendums/{id}/regions/{region}/ballots"); goto done;
	case KIND_TALLY:
	case KIND_RESULT:
	case KIND_CHECKPOINT:
		reply_errf(rq, URNA_E_AUTH, "the server makes %s entries itself (after the organizer's close or publish)",
		           kind_name(q.kind));
		goto done;
	default: break;
	}
	pthread_mutex_lock(&r->lock);
	if (append_durable(rq->srv, r, q.kind, q.region, &q.by, q.body, q.body_len, &seq, &e) != 0 ||
	    server_duties(rq->srv, r, &e) != 0)
		reply_err(rq, &e);
	else
		reply_json(rq, 201, entry_answer(r, &q, seq));
	pthread_mutex_unlock(&r->lock);
done:
	entry_req_free(&q);
	json_decref(req);
	return HANDLED;
}

/* ---- a new referendum ---- */

static pthread_mutex_t create_lock = PTHREAD_MUTEX_INITIALIZER;

/* Applies each entry of qs to r's (empty) election, at time 0: every rule
 * of s.15 and every signature once, in the record layer. 0 or -1 (e). */
static int dry_run(const entry_req *qs, size_t n, struct referendum *r, urna_err *e)
{
	for (size_t i = 0; i < n; i++) {
		size_t ll;
		uint8_t prev[32];
		char *line;
		election_head(r->el, prev);
		int bad = !(line = line_make(&ll, i, prev, 0, qs[i].kind, qs[i].region, &qs[i].by, qs[i].body,
		                             qs[i].body_len, e)) ||
		          election_apply(r->el, line, ll, APPLY_FULL, e) != 0;
		free(line);
		if (bad) {
			if (e->has_seq && i > 0)
				err_prefix(e, "entry %zu (region %s)", i, qs[i].region);
			e->has_seq = 0;
			return -1;
		}
	}
	return 0;
}

/* The checks a creation needs beyond the record's rules: the referendum
 * entry first, then one region entry per region in its order; the server
 * named is this one; the organizer is one this server hosts; voting opens
 * after now (a referendum that is over before it starts could never be
 * mended). r's election has applied them (dry_run). */
static int create_ok(const struct server *srv, const entry_req *qs, size_t n, struct referendum *r, int64_t now,
                     urna_err *e)
{
	const referendum_body *rb = election_referendum(r->el);
	char fp[URNA_FINGERPRINT_TEXT], mine[URNA_FINGERPRINT_TEXT];
	region_info ri;
	if (n != 1 + election_nregions(r->el))
		return err_set(e, URNA_E_MALFORMED, "a creation holds the referendum entry and one region entry per region (%zu), not %zu entries",
		               election_nregions(r->el), n);
	for (size_t i = 0; i < election_nregions(r->el); i++)
		if (election_region(r->el, i, &ri) != 0 || !ri.present || strcmp(qs[i + 1].region, ri.id))
			return err_set(e, URNA_E_MALFORMED, "entry %zu must be region %s's (the referendum's order)", i + 1, ri.id);
	if (memcmp(rb->server.key, srv->server_pk, 32)) {
		key_fingerprint(fp, rb->server.key);
		key_fingerprint(mine, srv->server_pk);
		return err_set(e, URNA_E_MISMATCH, "the referendum names server key %s; this server's is %s (GET /api/server)", fp,
		               mine);
	}
	int hosted = 0;
	for (size_t i = 0; i < srv->norganizers; i++)
		hosted |= !memcmp(srv->organizers[i], rb->organizer.key, 32);
	if (!hosted) {
		key_fingerprint(fp, rb->organizer.key);
		return err_set(e, URNA_E_AUTH, "this server does not host organizer %s (%s): its operator starts it with --organizer KEY",
		               rb->organizer.name, fp);
	}
	if (rb->opens.utc <= now) {
		char at[20];
		if (rtime_local(at, now, rb->timezone) != 0)
			at[0] = '\0';
		return err_set(e, URNA_E_MALFORMED, "\"opens_at\" %s is past: the server's clock reads %s %s", rb->opens.local, at,
		               rb->timezone);
	}
	return 0;
}

int create_referendum(struct request *rq)
{
	json_t *req = NULL, *list;
	struct referendum *r = NULL;
	entry_req *qs = NULL;
	size_t n = 0;
	urna_err e = {0};

	if (parse_body(rq, &req) != 0)
		return HANDLED;
	list = json_object_get(req, "entries");
	if (json_object_size(req) != 1 || !json_is_array(list) || json_array_size(list) < 2 ||
	    json_array_size(list) > 1 + URNA_MAX_REGIONS) {
		reply_errf(rq, URNA_E_MALFORMED, "{\"entries\": [the referendum entry, its region entries]} expected, each signed by the organizer");
		goto out;
	}
	if (!(qs = calloc(json_array_size(list), sizeof *qs))) {
		reply_errf(rq, URNA_E_IO, "out of memory");
		goto out;
	}
	for (n = 0; n < json_array_size(list); n++)
		if (entry_req_parse(&qs[n], json_array_get(list, n), &e) != 0) {
			err_prefix(&e, "entry %zu", n);
			reply_err(rq, &e);
			n++;
			goto out;
		}
	if (qs[0].kind != KIND_REFERENDUM) {
		reply_errf(rq, URNA_E_MALFORMED, "entry 0 must be the referendum entry");
		goto out;
	}
	pthread_mutex_lock(&create_lock);
	json_t *body0 = json_object_get(json_array_get(list, 0), "body");
	const char *id = json_string_value(json_object_get(body0, "id"));
	if (!(r = referendum_new(id && canon_id_ok(id) ? id : "", rq->srv->ops, rq->srv->st)))
		reply_errf(rq, URNA_E_IO, "out of memory");
	else if (dry_run(qs, n, r, &e) != 0 || create_ok(rq->srv, qs, n, r, server_now(rq), &e) != 0)
		reply_err(rq, &e);
	else if (registry_find(rq->srv->reg, id))
		reply_errf(rq, URNA_E_CONFLICT, "referendum %s already exists", id);
	else {
		/* The dry run was at time 0; the real lines carry the clock. */
		election_free(r->el);
		if (!(r->el = election_new())) {
			reply_errf(rq, URNA_E_IO, "out of memory");
			goto unlock;
		}
		pthread_mutex_lock(&r->lock);
		for (size_t i = 0; i < n; i++)
			if (append_durable(rq->srv, r, qs[i].kind, qs[i].region, &qs[i].by, qs[i].body, qs[i].body_len, NULL, &e) != 0) {
				pthread_mutex_unlock(&r->lock);
				reply_err(rq, &e);
				goto unlock; /* the writer has failed: restart rebuilds from disk */
			}
		json_t *o = ref_json(r, server_now(rq), 1);
		pthread_mutex_unlock(&r->lock);
		if (registry_add(rq->srv->reg, r, &e) != 0) {
			json_decref(o);
			reply_err(rq, &e);
			goto unlock;
		}
		r = NULL;
		reply_json(rq, 201, o);
	}
unlock:
	pthread_mutex_unlock(&create_lock);
out:
	for (size_t i = 0; i < n; i++)
		entry_req_free(&qs[i]);
	free(qs);
	referendum_free(r);
	json_decref(req);
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
