/* handlers.c: what the route handlers share (handlers.h). */
#include "crypto/encoding.h"
#include "record/entry.h"
#include "record/identity.h"
#include "server/handlers.h"

struct referendum *find_ref(struct request *rq)
{
	struct referendum *r = registry_find(rq->srv->reg, rq->param[0]);
	if (!r)
		reply_errf(rq, URNA_E_UNKNOWN, "no referendum %s", rq->param[0]);
	return r;
}

int64_t server_now(struct request *rq)
{
	return rq->srv->clock->now(rq->srv->clock);
}

int64_t line_now(struct request *rq, const struct referendum *r)
{
	return ref_time(r, server_now(rq));
}

int region_of(struct referendum *r, const char *id, region_info *ri, urna_err *e)
{
	int gi = election_region_index(r->el, id ? id : "");
	if (gi < 0 || election_region(r->el, (size_t)gi, ri) != 0 || !ri->present)
		return err_set(e, URNA_E_UNKNOWN, "no region %s in %s", id ? id : "", r->id);
	return gi;
}

int find_region(struct request *rq, struct referendum *r, const char *id, region_info *ri)
{
	urna_err e = {0};
	int gi = region_of(r, id, ri, &e);
	if (gi < 0)
		reply_err(rq, &e);
	return gi;
}

struct sched ref_sched(const struct referendum *r)
{
	struct sched s;
	election_schedule(r->el, &s.opens, &s.closes, &s.announce);
	return s;
}

const char *ref_zone(const struct referendum *r)
{
	const referendum_body *rb = election_referendum(r->el);
	return rb ? rb->timezone : "";
}

json_t *b64_json(const uint8_t b[32])
{
	char t[URNA_B64_32];
	b64url_encode(t, b, 32);
	return json_string(t);
}

json_t *head_json(uint64_t next, const uint8_t h[32])
{
	if (next == 0)
		return json_pack("{s:n, s:n}", "seq", "hash");
	return json_pack("{s:I, s:o}", "seq", (json_int_t)(next - 1), "hash", b64_json(h));
}

/* {"id","name"} of each region, with its turnout when full. */
static json_t *regions_json(struct referendum *r, int full)
{
	json_t *regs = json_array();
	region_info ri;

	for (size_t i = 0; i < election_nregions(r->el); i++) {
		if (election_region(r->el, i, &ri) != 0)
			continue;
		json_t *name = ri.body ? json_object_get(ri.body, "name") : NULL;
		json_t *o = json_pack("{s:s, s:O}", "id", ri.id, "name", name ? name : json_null());
		if (full) {
			json_object_set_new(o, "electorate", json_integer((json_int_t)ri.electorate));
			json_object_set_new(o, "cast", json_integer((json_int_t)ri.cast));
			json_object_set_new(o, "electorate_final", json_boolean(ri.final));
		}
		json_array_append_new(regs, o);
	}
	return regs;
}

/* One role: how the board names it, who it is, its key and fingerprint,
 * and how many entries it has made (its next signature's n, s.15.1). */
static json_t *role_json(struct referendum *r, urna_role role, uint32_t i, const role_key *k)
{
	char by[URNA_BY_MAX], fp[URNA_FINGERPRINT_TEXT];
	author_name(by, role, i);
	key_fingerprint(fp, k->key);
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:i}", "by", by, "role", role_name(role), "name", k->name, "key",
	                 b64_json(k->key), "fingerprint", fp, "entries", election_authored(r->el, by));
}

static json_t *roles_json(struct referendum *r, const referendum_body *rb)
{
	json_t *a = json_array();
	json_array_append_new(a, role_json(r, ROLE_ORGANIZER, 0, &rb->organizer));
	for (size_t k = 0; k < rb->nauth; k++) {
		json_t *o = role_json(r, ROLE_AUTHORITY, (uint32_t)(k + 1), &rb->authorities[k]), *regs = json_array();
		for (size_t g = 0; g < rb->nregions; g++)
			if (rb->region_auth[g] == k + 1)
				json_array_append_new(regs, json_string(rb->regions[g]));
		json_object_set_new(o, "regions", regs);
		json_array_append_new(a, o);
	}
	for (uint32_t i = 1; i <= rb->n; i++)
		json_array_append_new(a, role_json(r, ROLE_TRUSTEE, i, &rb->trustees[i - 1]));
	json_array_append_new(a, role_json(r, ROLE_SERVER, 0, &rb->server));
	return a;
}

json_t *ref_json(struct referendum *r, int64_t t, int full)
{
	const referendum_body *rb = election_referendum(r->el);
	const json_t *rj = election_referendum_json(r->el);
	struct sched s = ref_sched(r);
	json_t *regs = regions_json(r, full);
	uint8_t K[32];

	json_t *title = rj ? json_object_get(rj, "title") : NULL;
	json_t *o = json_pack("{s:s, s:O, s:s, s:s, s:o, s:o, s:o, s:o}", "id", r->id, "title",
	                      title ? title : json_null(), "timezone", ref_zone(r), "status",
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
		json_object_set_new(o, "election_key", election_key(r->el, K) == 0 ? b64_json(K) : json_null());
		json_object_set_new(o, "head", head_json(r->durable_seq, r->durable_head));
		json_object_set_new(o, "server_key", b64_json(rb->server.key));
		election_h_R(r->el, K);
		json_object_set_new(o, "hash", b64_json(K));
		json_object_set_new(o, "roles", roles_json(r, rb));
	}
	return o;
}

int parse_body(struct request *rq, json_t **body)
{
	urna_err e = {0};
	if (request_json(rq, body, &e) != 0) {
		reply_err(rq, &e);
		return -1;
	}
	return 0;
}
