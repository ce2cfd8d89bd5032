/* reads.c: the public reads of docs/api.md: referendums, manifests, the
 * head, trackers, the published results and their verdict, the clock. Each
 * takes the referendum's lock only to copy what it answers. */
#include <stdlib.h>
#include <string.h>
#include "crypto/encoding.h"
#include "record/results.h"
#include "server/handlers.h"
#include "record/identity.h"
#include "server/verdict.h"

int list_referendums(struct request *rq)
{
	struct registry *reg = rq->srv->reg;
	json_t *a = json_array();
	int64_t t = server_now(rq);

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

int get_referendum(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	if (!r)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	json_t *o = ref_json(r, server_now(rq), 1);
	pthread_mutex_unlock(&r->lock);
	return reply_json(rq, 200, o);
}

int get_manifest(struct request *rq)
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

int get_head(struct request *rq)
{
	struct referendum *r = find_ref(rq);
	if (!r)
		return HANDLED;
	pthread_mutex_lock(&r->lock);
	json_t *h = head_json(r->durable_seq, r->durable_head);
	pthread_mutex_unlock(&r->lock);
	return reply_json(rq, 200, h);
}

int get_tracker(struct request *rq)
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
	int64_t t = server_now(rq);
	struct sched s = ref_sched(r);
	region_info ri;
	if (!strcmp(election_status(r->el, t), "published") && t >= s.announce.utc)
		return 0;
	json_t *turnout = json_array();
	for (size_t i = 0; i < election_nregions(r->el); i++)
		if (election_region(r->el, i, &ri) == 0)
			json_array_append_new(turnout, json_pack("{s:s, s:I, s:I}", "region", ri.id, "cast",
			                      (json_int_t)ri.cast, "electorate", (json_int_t)ri.electorate));
	urna_err e = {0};
	err_set(&e, URNA_E_TOO_EARLY, "results are published at %s (%s)", s.announce.local, ref_zone(r));
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

int get_results(struct request *rq)
{
	return answer_published(rq, RESULTS);
}

int get_verification(struct request *rq)
{
	return answer_published(rq, VERIFICATION);
}

int get_record_results(struct request *rq)
{
	return answer_published(rq, RESULTS_RECORD);
}

int get_record_csv(struct request *rq)
{
	return answer_published(rq, RESULTS_CSV);
}

int get_clock(struct request *rq)
{
	return reply_json(rq, 200, json_pack("{s:I, s:b}", "now", (json_int_t)server_now(rq), "test_clock",
	                                     rq->srv->test_clock));
}

int get_server(struct request *rq)
{
	const struct server *srv = rq->srv;
	char fp[URNA_FINGERPRINT_TEXT];
	json_t *orgs = json_array();
	for (size_t i = 0; i < srv->norganizers; i++) {
		key_fingerprint(fp, srv->organizers[i]);
		json_array_append_new(orgs, json_pack("{s:o, s:s}", "key", b64_json(srv->organizers[i]), "fingerprint", fp));
	}
	key_fingerprint(fp, srv->server_pk);
	return reply_json(rq, 200, json_pack("{s:s, s:o, s:s, s:o}", "name", srv->server_name, "key",
	                                     b64_json(srv->server_pk), "fingerprint", fp, "organizers", orgs));
}
