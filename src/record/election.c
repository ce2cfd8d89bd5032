/* election.c: the referendum as its board says (docs/protocol.md s.7-s.10,
 * s.15). Each apply_* function checks everything first and only then
 * changes the state, so a refused line leaves the election as it was. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/table.h"
#include "crypto/hash.h"
#include "record/election.h"
#include "record/entry.h"
#include "record/tally_sum.h"

typedef struct {
	uint64_t seq;
	int64_t time;
} rballot;

typedef struct {
	uint32_t region, ballot;
} tracker_at;

typedef struct {
	char id[URNA_ID_MAX];
	int present;
	manifest m;
	uint32_t nct;
	json_t *body;
	char *bytes;
	size_t len;
	uint8_t h_E[32];
	/* the credential list, in the order of its entries */
	uint8_t (*X)[32];
	uint32_t *last;    /* per credential: its last ballot + 1 (0: none) */
	size_t ncred, capX, caplast;
	table creds;       /* credential by X */
	/* the ballots, in board order */
	rballot *b;
	uint8_t *counted;  /* per ballot: 1 while it is its credential's last */
	urna_ct *ct;       /* nct per ballot */
	uint8_t *pre;      /* per ballot: 1 when its ct is in presum */
	size_t nb, capb, capcounted, capct, cappre;
	tally_presum presum; /* the verifier's sums of ballots (p NULL: none) */
	tally_tag pre_tag;   /* the ballots stored as in presum */
	uint64_t voted;    /* credentials with at least one ballot */
	uint8_t (*lists)[32]; /* hash32 of each credentials entry's body, in board order */
	size_t nlists, caplists;
	int final;         /* its authority's electorate entry is on the board */
	int tallied;
	tally_body tally;
	decryption_body *dec[URNA_MAX_TRUSTEES + 1];
	uint32_t ndec;
	int has_result;
	result_body result;
} region;

struct election {
	uint64_t n;                  /* lines applied */
	uint8_t head[32];
	uint8_t (*hashes)[32];       /* of every line applied */
	size_t hcap;
	int64_t last_time;
	int has_ref;
	referendum_body ref;
	json_t *ref_json;
	uint8_t h_R[32];
	rtime opens, closes, announce;  /* the schedule in force */
	uint64_t sched_seq;             /* the latest schedule entry (0: none, seq 0 is the referendum) */
	int64_t sched_time;
	json_t *sched_reason;           /* its reason (NULL: none) */
	region *regions;
	/* trustees, indexed 1..n */
	int committed[URNA_MAX_TRUSTEES + 1], disq[URNA_MAX_TRUSTEES + 1];
	uint8_t C[URNA_MAX_TRUSTEES][URNA_MAX_TRUSTEES][32];
	uint8_t box[URNA_MAX_TRUSTEES + 1][32];
	tmsg *shares[URNA_MAX_TRUSTEES + 1];  /* each dealer's shares entry, NULL before it */
	uint8_t complained[URNA_MAX_TRUSTEES + 1][URNA_MAX_TRUSTEES + 1];
	int has_key;
	uint8_t K[32];
	uint8_t X[URNA_MAX_TRUSTEES + 1][32];
	int qualified[URNA_MAX_TRUSTEES + 1];
	int closed, published;
	/* entries each author has made: [0] organizer, [1] server, then
	 * trustees 1..n, then authorities 1..nauth */
	uint32_t *authored;
	/* every ballot's tracker, in board order, and where its ballot is */
	uint8_t (*trk)[32];
	tracker_at *trk_at;
	size_t ntrk, captrk, captrk_at;
	table trk_index;             /* tracker by its bytes */
	ballot *scratch;
};

/* ---- life ---- */

election *election_new(void)
{
	election *el = calloc(1, sizeof *el);
	if (!el)
		return NULL;
	if (!(el->scratch = ballot_new())) {
		election_free(el);
		return NULL;
	}
	return el;
}

void election_free(election *el)
{
	if (!el)
		return;
	json_decref(el->sched_reason);
	for (size_t i = 0; el->regions && i < el->ref.nregions; i++) {
		region *g = &el->regions[i];
		json_decref(g->body);
		free(g->bytes);
		free(g->X);
		free(g->last);
		table_free(&g->creds);
		free(g->b);
		free(g->counted);
		free(g->ct);
		free(g->pre);
		tally_presum_free(&g->presum);
		free(g->lists);
		for (int j = 0; j <= URNA_MAX_TRUSTEES; j++)
			free(g->dec[j]);
	}
	for (int i = 0; i <= URNA_MAX_TRUSTEES; i++)
		free(el->shares[i]);
	free(el->regions);
	free(el->authored);
	referendum_body_free(&el->ref);
	json_decref(el->ref_json);
	free(el->trk);
	free(el->trk_at);
	table_free(&el->trk_index);
	free(el->hashes);
	free(el->scratch);
	free(el);
}

static int find_region(const election *el, const char *id)
{
	for (size_t i = 0; el->has_ref && i < el->ref.nregions; i++)
		if (!strcmp(el->regions[i].id, id))
			return (int)i;
	return -1;
}

/* The region of line l once its manifest is on the board; else NULL and
 * not_found. */
static region *present_region(election *el, const rec_line *l, urna_err *e)
{
	int gi = find_region(el, l->region);
	if (gi < 0 || !el->regions[gi].present) {
		err_set(e, URNA_E_UNKNOWN, "no region %s", l->region);
		return NULL;
	}
	return &el->regions[gi];
}

static int same_time(const rtime *a, const rtime *b)
{
	return a->utc == b->utc && !strcmp(a->local, b->local);
}

/* The board's utc must be the conversion of its local time (s.10). */
static int time_matches(const election *el, const rtime *t, const char *what, urna_err *e)
{
	rtime c;
	if (rtime_make(&c, el->ref.timezone, t->local, e))
		return -1;
	if (c.utc != t->utc)
		return err_set(e, URNA_E_MISMATCH, "%s: %s in %s is %lld, not %lld", what, t->local, el->ref.timezone,
		               (long long)c.utc, (long long)t->utc);
	return 0;
}

/* ---- entries ---- */

static int apply_referendum(election *el, const rec_line *l, json_t *b, apply_mode mode, urna_err *e)
{
	referendum_body r;
	if (l->seq != 0)
		return err_set(e, URNA_E_STATE, "a referendum entry only at seq 0");
	if (referendum_parse(&r, b, e))
		return -1;
	el->ref = r;
	el->has_ref = 1;
	hash32(el->h_R, l->body, l->body_len);
	if ((strcmp(l->by.by, "organizer") &&
	     err_set(e, URNA_E_AUTH, "the referendum entry is the organizer's, not %s's", l->by.by)) ||
	    (mode != APPLY_TRUSTED &&
	     entry_verify(&l->by, el->h_R, l->kind, "", 0, l->body, l->body_len, r.organizer.key, e)) ||
	    time_matches(el, &r.opens, "opens_at", e) || time_matches(el, &r.closes, "closes_at", e) ||
	    time_matches(el, &r.announce, "announce_at", e) ||
	    (!(el->regions = calloc(r.nregions, sizeof *el->regions)) && err_set(e, URNA_E_IO, "out of memory")) ||
	    (!(el->authored = calloc(2 + r.n + r.nauth, sizeof *el->authored)) && err_set(e, URNA_E_IO, "out of memory"))) {
		free(el->regions);
		el->regions = NULL;
		referendum_body_free(&el->ref);
		el->has_ref = 0;
		return -1;
	}
	for (size_t i = 0; i < r.nregions; i++)
		strcpy(el->regions[i].id, r.regions[i]);
	el->ref_json = json_incref(b);
	el->opens = r.opens, el->closes = r.closes, el->announce = r.announce;
	return 0;
}

static int apply_region(election *el, const rec_line *l, json_t *b, urna_err *e)
{
	manifest m;
	int gi = find_region(el, l->region);
	region *g;
	if (gi < 0)
		return err_set(e, URNA_E_UNKNOWN, "region %s is not listed in the referendum", l->region);
	g = &el->regions[gi];
	if (g->present)
		return err_set(e, URNA_E_CONFLICT, "region %s already has its manifest", l->region);
	if (el->closed)
		return err_set(e, URNA_E_STATE, "no region after the close");
	if (manifest_parse(&m, b, e))
		return -1;
	if (strcmp(m.id, l->region))
		return err_set(e, URNA_E_MISMATCH, "manifest id %s on a line of region %s", m.id, l->region);
	if (!(g->bytes = malloc(l->body_len + 1)))
		return err_set(e, URNA_E_IO, "out of memory");
	memcpy(g->bytes, l->body, l->body_len);
	g->bytes[l->body_len] = '\0';
	g->len = l->body_len;
	memcpy(m.h_R, el->h_R, 32); /* the region's ballots are bound to its referendum */
	g->m = m;
	g->nct = manifest_nct(&m);
	g->body = json_incref(b);
	hash32(g->h_E, l->body, l->body_len);
	g->present = 1;
	return 0;
}

static uint32_t ncommit(const election *el)
{
	return el->ref.t == el->ref.n ? 1 : el->ref.t;
}

/* Qualified dealers, K and X_1..X_n as the key entry must state them. */
static int compute_key(const election *el, int *qual, uint32_t *nq, uint8_t K[32], uint8_t (*X)[32], urna_err *e)
{
	uint32_t n = el->ref.n, t = el->ref.t;
	*nq = 0;
	for (uint32_t i = 1; i <= n; i++) {
		if (!el->committed[i])
			return err_set(e, URNA_E_STATE, "trustee %u has not committed", i);
		qual[i - 1] = !el->disq[i] && (t == n || el->shares[i]);
		*nq += (uint32_t)qual[i - 1];
	}
	if (*nq < t || (t == n && *nq < n))
		return err_set(e, URNA_E_STATE, "only %u qualified trustees, %u needed", *nq, t);
	point_identity(K);
	for (uint32_t i = 1; i <= n; i++) {
		if (qual[i - 1] && point_add(K, K, el->C[i - 1][0]))
			return err_set(e, URNA_E_BAD_ENCODING, "commitment of trustee %u", i);
		if (t == n)
			memcpy(X[i - 1], el->C[i - 1][0], 32);
		else if (verification_key(X[i - 1], i, (const uint8_t(*)[URNA_MAX_TRUSTEES][32])el->C, qual, n, t))
			return err_set(e, URNA_E_BAD_ENCODING, "verification key of trustee %u", i);
	}
	return 0;
}

static int trustee_commit(election *el, const tmsg *m, apply_mode mode, urna_err *e)
{
	if (el->committed[m->index])
		return err_set(e, URNA_E_CONFLICT, "trustee %u has already committed", m->index);
	if (m->ncommit != ncommit(el))
		return err_set(e, URNA_E_MALFORMED, "commit: %u commitments, %u expected", m->ncommit, ncommit(el));
	if (mode != APPLY_TRUSTED &&
	    pok_verify(&m->pok, el->h_R, m->index, (const uint8_t(*)[32])m->C, m->ncommit, m->box_key))
		return err_set(e, URNA_E_BAD_PROOF, "trustee %u: proof of knowledge fails", m->index);
	memcpy(el->C[m->index - 1], m->C, sizeof m->C);
	memcpy(el->box[m->index], m->box_key, 32);
	el->committed[m->index] = 1;
	return 0;
}

/* Keeps *m (the entry holds the sealed shares a complaint opens) and sets
 * it NULL on success. */
static int trustee_shares(election *el, tmsg **mp, urna_err *e)
{
	const tmsg *m = *mp;
	uint32_t n = el->ref.n, want = 1;
	if (el->ref.t == n)
		return err_set(e, URNA_E_STATE, "no shares when t = n");
	for (uint32_t i = 1; i <= n; i++)
		if (!el->committed[i])
			return err_set(e, URNA_E_STATE, "shares before trustee %u's commitments", i);
	if (el->shares[m->index])
		return err_set(e, URNA_E_CONFLICT, "trustee %u has already dealt", m->index);
	if (m->nshares != n - 1)
		return err_set(e, URNA_E_MALFORMED, "shares: %u expected", n - 1);
	for (uint32_t k = 0; k < m->nshares; k++, want++) {
		if (want == m->index)
			want++;
		if (m->shares[k].to != want)
			return err_set(e, URNA_E_MALFORMED, "shares: share %u must go to trustee %u", k, want);
	}
	el->shares[m->index] = *mp;
	*mp = NULL;
	return 0;
}

/* A complaint holds when the box opens to the shown share and the share
 * fails the dealer's commitments: the dealer is disqualified. */
static int trustee_complaint(election *el, const tmsg *m, urna_err *e)
{
	uint32_t j = m->index, i = m->against, t = el->ref.t;
	const tmsg *s = el->shares[i];
	uint8_t opened[32];
	if (t == el->ref.n || i == j || !el->committed[j] || !s)
		return err_set(e, URNA_E_STATE, "complaint of %u against %u: no such shares", j, i);
	if (el->complained[j][i])
		return err_set(e, URNA_E_CONFLICT, "trustee %u already complained against %u", j, i);
	const tmsg_share *sh = &s->shares[j < i ? j - 1 : j - 2];
	if (share_open_with_key(opened, sh->box, sh->nonce, m->shared_key) || sodium_memcmp(opened, m->share, 32))
		return err_set(e, URNA_E_BAD_PROOF, "complaint of %u against %u: the box does not open to the shown share",
		               j, i);
	if (share_check(m->share, j, (const uint8_t(*)[32])el->C[i - 1], t) == 0)
		return err_set(e, URNA_E_BAD_PROOF, "complaint of %u against %u: the share matches the commitments", j, i);
	el->complained[j][i] = 1;
	el->disq[i] = 1;
	return 0;
}

/* The key entry must state what compute_key derives from the board. */
static int trustee_key(election *el, const tmsg *m, urna_err *e)
{
	int qual[URNA_MAX_TRUSTEES];
	uint32_t n = el->ref.n, nq, k = 0;
	uint8_t K[32], X[URNA_MAX_TRUSTEES][32];
	if (compute_key(el, qual, &nq, K, X, e))
		return -1;
	if (m->nqual != nq || m->nvk != n)
		return err_set(e, URNA_E_MISMATCH, "key: %u qualified and %u verification keys expected", nq, n);
	for (uint32_t i = 1; i <= n; i++)
		if (qual[i - 1] && m->qualified[k++] != i)
			return err_set(e, URNA_E_MISMATCH, "key: qualified trustees differ from the board's (%u)", i);
	if (memcmp(K, m->key, 32))
		return err_set(e, URNA_E_MISMATCH, "key: the election key is not the sum of the qualified commitments");
	for (uint32_t i = 0; i < n; i++)
		if (memcmp(X[i], m->vk[i], 32))
			return err_set(e, URNA_E_MISMATCH, "key: verification key of trustee %u differs", i + 1);
	memcpy(el->K, K, 32);
	for (uint32_t i = 1; i <= n; i++) {
		memcpy(el->X[i], X[i - 1], 32);
		el->qualified[i] = qual[i - 1];
	}
	el->has_key = 1;
	return 0;
}

static int apply_trustee(election *el, json_t *b, apply_mode mode, urna_err *e)
{
	tmsg *m = malloc(sizeof *m);
	int rc = -1;
	if (!m)
		return err_set(e, URNA_E_IO, "out of memory");
	if (tmsg_parse(m, b, e))
		goto out;
	if (el->has_key) {
		err_set(e, URNA_E_STATE, "the key ceremony is over");
		goto out;
	}
	if (m->index > el->ref.n || m->against > el->ref.n) {
		err_set(e, URNA_E_MALFORMED, "trustee index above n = %u", el->ref.n);
		goto out;
	}
	switch (m->type) {
	case TMSG_COMMIT: rc = trustee_commit(el, m, mode, e); break;
	case TMSG_SHARES: rc = trustee_shares(el, &m, e); break;
	case TMSG_COMPLAINT: rc = trustee_complaint(el, m, e); break;
	case TMSG_KEY: rc = trustee_key(el, m, e); break;
	}
out:
	free(m);
	return rc;
}

/* Credential i of region g (X[i] = X), or -1. */
static long find_cred(const region *g, const uint8_t X[32])
{
	return table_find(&g->creds, (const uint8_t(*)[32])g->X, X);
}

/* The ballot of tracker t: its index in el->trk and el->trk_at, or -1. */
static long find_tracker(const election *el, const uint8_t t[32])
{
	return table_find(&el->trk_index, (const uint8_t(*)[32])el->trk, t);
}

/* Room for n credentials in all. */
static int creds_reserve(region *g, size_t n)
{
	return array_grow(&g->X, &g->capX, n, 32, TABLE_MAX) ||
	       array_grow(&g->last, &g->caplast, n, sizeof *g->last, TABLE_MAX) || table_reserve(&g->creds, n);
}

static int apply_credentials(election *el, const rec_line *l, json_t *b, urna_err *e)
{
	cred_body c;
	int gi = find_region(el, l->region);
	region *g;
	int rc = -1;
	if (gi < 0 || !el->regions[gi].present)
		return err_set(e, URNA_E_UNKNOWN, "credentials of region %s before its manifest", l->region);
	g = &el->regions[gi];
	if (l->time >= el->opens.utc || el->closed)
		return err_set(e, URNA_E_STATE, "credentials only before the opening");
	if (g->final)
		return err_set(e, URNA_E_STATE, "region %s's electorate is final: no list after its electorate entry", l->region);
	if (cred_parse(&c, b, e))
		return -1;
	if (array_grow(&g->lists, &g->caplists, g->nlists + 1, 32, URNA_MAX_LISTS)) {
		err_set(e, g->nlists >= URNA_MAX_LISTS ? URNA_E_TOO_LARGE : URNA_E_IO, "region %s: no room for another list",
		        l->region);
		goto out;
	}
	for (size_t i = 0; i < c.n; i++) {
		if (find_cred(g, c.X[i]) >= 0) {
			err_set(e, URNA_E_CONFLICT, "credential %zu is already on region %s's list", i, l->region);
			goto out;
		}
	}
	if (creds_reserve(g, g->ncred + c.n)) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < c.n; i++, g->ncred++) {
		memcpy(g->X[g->ncred], c.X[i], 32);
		g->last[g->ncred] = 0;
		table_add(&g->creds, c.X[i], (uint32_t)g->ncred);
	}
	hash32(g->lists[g->nlists++], l->body, l->body_len);
	rc = 0;
out:
	cred_body_free(&c);
	return rc;
}

/* The authority's statement that region l->region's lists are complete:
 * exactly the lists on the board, in order, and their number of
 * credentials. A list the operator left out (or added) makes it fail. */
static int apply_electorate(election *el, const rec_line *l, json_t *b, urna_err *e)
{
	electorate_body eb;
	region *g;
	int rc = -1;
	if (!(g = present_region(el, l, e)))
		return -1;
	if (l->time >= el->opens.utc || el->closed)
		return err_set(e, URNA_E_STATE, "the electorate only before the opening");
	if (g->final)
		return err_set(e, URNA_E_CONFLICT, "region %s's electorate is already on the board", l->region);
	if (electorate_parse(&eb, b, e))
		return -1;
	if (eb.nlists != g->nlists)
		err_set(e, URNA_E_MISMATCH, "electorate of %s names %u lists, the board has %zu", l->region, eb.nlists, g->nlists);
	else if (eb.nlists && memcmp(eb.lists, g->lists, 32 * (size_t)eb.nlists))
		err_set(e, URNA_E_MISMATCH, "electorate of %s: its lists are not the board's lists of the region", l->region);
	else if (eb.electorate != g->ncred)
		err_set(e, URNA_E_MISMATCH, "electorate of %s says %llu credentials, its lists hold %zu", l->region,
		        (unsigned long long)eb.electorate, g->ncred);
	else {
		g->final = 1;
		rc = 0;
	}
	electorate_body_free(&eb);
	return rc;
}

static int apply_schedule(election *el, const rec_line *l, json_t *b, urna_err *e)
{
	schedule_body s;
	if (schedule_parse(&s, b, e) || time_matches(el, &s.opens, "opens_at", e) ||
	    time_matches(el, &s.closes, "closes_at", e) || time_matches(el, &s.announce, "announce_at", e))
		return -1;
	if (el->closed)
		return err_set(e, URNA_E_STATE, "no schedule change after the close");
	/* The window ends at closes.utc + grace (s.10): "23:59" -> "23:59:01"
	 * would end it 58 s earlier, so windows are compared by their ends. */
	if (l->time >= el->opens.utc &&
	    (!same_time(&s.opens, &el->opens) || s.closes.utc + s.closes.grace < el->closes.utc + el->closes.grace ||
	     s.announce.utc < el->announce.utc))
		return err_set(e, URNA_E_STATE, "after the opening a schedule change may only extend closes_at and announce_at");
	/* The window in force, not the new one: a vote that has ended is not
	 * reopened by extending it afterwards. */
	if (l->time >= el->opens.utc && l->time >= el->closes.utc + el->closes.grace)
		return err_set(e, URNA_E_STATE, "schedule change after the voting window ended");
	el->opens = s.opens, el->closes = s.closes, el->announce = s.announce;
	json_decref(el->sched_reason);
	el->sched_reason = json_incref(json_object_get(b, "reason"));
	el->sched_seq = l->seq, el->sched_time = l->time;
	return 0;
}

/* Room for one more ballot of region g and its tracker. */
static int ballot_reserve(election *el, region *g)
{
	size_t n = g->nb + 1, nt = el->ntrk + 1;
	return array_grow(&g->b, &g->capb, n, sizeof *g->b, TABLE_MAX) ||
	       array_grow(&g->counted, &g->capcounted, n, 1, TABLE_MAX) ||
	       array_grow(&g->pre, &g->cappre, n, 1, TABLE_MAX) ||
	       array_grow(&g->ct, &g->capct, n, g->nct * sizeof *g->ct, TABLE_MAX) ||
	       array_grow(&el->trk, &el->captrk, nt, 32, TABLE_MAX) ||
	       array_grow(&el->trk_at, &el->captrk_at, nt, sizeof *el->trk_at, TABLE_MAX) ||
	       table_reserve(&el->trk_index, nt);
}

/* The checks of a ballot against the state that need no crypto. Sets *gi
 * and *cred (its credential). */
static int ballot_state_ok(const election *el, const char *line_region, const char *ref, const char *reg,
                           const uint8_t X[32], const uint8_t tracker[32], int64_t now, int *gi, long *cred,
                           urna_err *e)
{
	if (!el->has_ref || strcmp(ref, el->ref.id))
		return err_set(e, URNA_E_UNKNOWN, "ballot for referendum %s, this is %s", ref, el->has_ref ? el->ref.id : "none");
	if (strcmp(reg, line_region))
		return err_set(e, URNA_E_MISMATCH, "ballot for region %s, line of region %s", reg, line_region);
	if ((*gi = find_region(el, reg)) < 0 || !el->regions[*gi].present)
		return err_set(e, URNA_E_UNKNOWN, "no region %s", reg);
	if (!el->has_key)
		return err_set(e, URNA_E_STATE, "no election key yet");
	if (el->closed)
		return err_set(e, URNA_E_CLOSED, "voting is closed");
	if (now < el->opens.utc)
		return err_set(e, URNA_E_NOT_OPEN, "voting opens at %s %s", el->opens.local, el->ref.timezone);
	if (!rtime_in_window(&el->opens, &el->closes, now)) /* a time to the minute runs through its :59 (s.10) */
		return err_set(e, URNA_E_CLOSED, "voting closed: it ran until %s%s %s", el->closes.local,
		               el->closes.grace == 60 ? ":59" : "", el->ref.timezone);
	const region *g = &el->regions[*gi];
	if (!g->final)
		return err_set(e, URNA_E_STATE, "region %s's electorate is not final (its credential authority's electorate entry)",
		               reg);
	if ((*cred = find_cred(g, X)) < 0)
		return err_set(e, URNA_E_NOT_ON_LIST, "the credential is not on region %s's list", reg);
	if (find_tracker(el, tracker) >= 0)
		return err_set(e, URNA_E_CONFLICT, "this ballot is already on the board");
	return 0;
}

/* Adds the ballot: it is counted now, its credential's previous one no more.
 * presum_hash: its line's hash when ct is in the region's presum, else NULL. */
static int store_ballot(election *el, int gi, long cred, uint64_t seq, int64_t time, const uint8_t tracker[32],
                        const urna_ct *ct, const uint8_t *presum_hash, urna_err *e)
{
	region *g = &el->regions[gi];
	if (ballot_reserve(el, g))
		return err_set(e, URNA_E_IO, "out of memory");
	g->b[g->nb] = (rballot){seq, time};
	memcpy(&g->ct[g->nb * g->nct], ct, g->nct * sizeof *ct);
	g->counted[g->nb] = 1;
	g->pre[g->nb] = presum_hash != NULL;
	if (presum_hash)
		tally_tag_add(&g->pre_tag, presum_hash);
	if (g->last[cred])
		g->counted[g->last[cred] - 1] = 0;
	else
		g->voted++;
	g->last[cred] = (uint32_t)(g->nb + 1);
	memcpy(el->trk[el->ntrk], tracker, 32);
	el->trk_at[el->ntrk] = (tracker_at){(uint32_t)gi, (uint32_t)g->nb};
	table_add(&el->trk_index, tracker, (uint32_t)el->ntrk);
	el->ntrk++;
	g->nb++;
	return 0;
}

static int apply_ballot(election *el, const rec_line *l, apply_mode mode, urna_err *e)
{
	ballot *b = el->scratch;
	urna_ct flat[URNA_MAX_QUESTIONS * URNA_MAX_CHOICES];
	int gi;
	long cred;
	uint32_t k = 0;
	if (ballot_parse(b, l->body, l->body_len, e) ||
	    ballot_state_ok(el, l->region, b->referendum, b->region, b->X, b->tracker, l->time, &gi, &cred, e))
		return -1;
	region *g = &el->regions[gi];
	if (ballot_shape_ok(b, &g->m, g->ncred, e)) /* g->ncred is its electorate entry's figure, final before any ballot */
		return -1;
	if (mode == APPLY_FULL && ballot_verify(b, g->h_E, el->K, e))
		return -1;
	for (uint32_t q = 0; q < b->nq; q++)
		for (uint32_t c = 0; c < b->m[q]; c++)
			flat[k++] = b->ct[q][c];
	return store_ballot(el, gi, cred, l->seq, l->time, b->tracker, flat, NULL, e);
}

static int apply_close(election *el, const rec_line *l, json_t *b, urna_err *e)
{
	rtime c;
	if (close_parse(&c, b, e))
		return -1;
	if (el->closed)
		return err_set(e, URNA_E_CONFLICT, "already closed");
	if (!el->has_key)
		return err_set(e, URNA_E_STATE, "close before the election key");
	if (!same_time(&c, &el->closes))
		return err_set(e, URNA_E_MISMATCH, "close names %s, the schedule says %s", c.local, el->closes.local);
	if (l->time < el->closes.utc + el->closes.grace)
		return err_set(e, URNA_E_TOO_EARLY, "close before the end of the voting window: voting closes at %s%s (%s)",
		               el->closes.local, el->closes.grace == 60 ? ":59" : "", el->ref.timezone);
	el->closed = 1;
	return 0;
}

/* Region g has k decryptions, fewer than t: the error names the
 * qualified trustees still to decrypt. */
static int too_few_decryptions(const election *el, const region *g, uint32_t k, urna_err *e)
{
	char missing[URNA_MAX_TRUSTEES * 4 + 1] = "";
	size_t o = 0;
	for (uint32_t j = 1; j <= el->ref.n && o < sizeof missing; j++)
		if (!g->dec[j] && el->qualified[j])
			o += (size_t)snprintf(missing + o, sizeof missing - o, "%s%u", o ? ", " : "", j);
	return err_set(e, URNA_E_STATE, "region %s: %u trustees' decryptions, %u needed (not yet decrypted: trustee %s)",
	               g->id, k, el->ref.t, missing);
}

/* The organizer's request to publish: every region tallied and decrypted
 * by enough trustees, at announce_at or later. The server's result
 * entries follow it. */
static int apply_publish(election *el, const rec_line *l, json_t *b, urna_err *e)
{
	rtime a;
	if (publish_parse(&a, b, e))
		return -1;
	if (el->published)
		return err_set(e, URNA_E_CONFLICT, "already published");
	if (!same_time(&a, &el->announce))
		return err_set(e, URNA_E_MISMATCH, "publish names %s, the schedule says %s", a.local, el->announce.local);
	if (l->time < el->announce.utc)
		return err_set(e, URNA_E_TOO_EARLY, "results may be published from %s (%s)", el->announce.local,
		               el->ref.timezone);
	for (size_t i = 0; i < el->ref.nregions; i++) {
		const region *g = &el->regions[i];
		if (!g->tallied)
			return err_set(e, URNA_E_STATE, "region %s is not tallied", g->id);
		if (g->ndec < el->ref.t)
			return too_few_decryptions(el, g, g->ndec, e);
	}
	el->published = 1;
	return 0;
}

/* ---- tally ---- */

/* The presum holds exactly the ballots stored as in it. */
static int presum_usable(const region *g)
{
	return g->presum.p && tally_tag_eq(&g->presum.tag, &g->pre_tag);
}

int election_tally(const election *el, size_t gi, tally_body *t, int threads, urna_err *e)
{
	urna_ct sum[URNA_MAX_QUESTIONS * URNA_MAX_CHOICES];
	memset(t, 0, sizeof *t);
	if (!el->has_ref || gi >= el->ref.nregions || !el->regions[gi].present)
		return err_set(e, URNA_E_UNKNOWN, "no such region");
	const region *g = &el->regions[gi];
	if (presum_usable(g) ? tally_sum_presum(sum, &g->presum, g->ct, g->counted, g->pre, g->nb, g->nct, threads, e)
	                     : tally_sum(sum, g->ct, g->counted, g->nb, g->nct, threads, e))
		return -1;
	t->cast = g->nb;
	t->counted = g->voted;
	t->nq = g->m.nq;
	for (uint32_t q = 0, c = 0; q < g->m.nq; q++) {
		t->m[q] = manifest_q_nct(&g->m, q); /* one sum for a packed question */
		for (uint32_t k = 0; k < t->m[q]; k++, c++)
			t->ct[q][k] = sum[c];
	}
	return 0;
}

static int apply_tally(election *el, const rec_line *l, json_t *b, apply_mode mode, urna_err *e)
{
	tally_body t, want;
	region *g;
	if (tally_parse(&t, b, e) || !(g = present_region(el, l, e)))
		return -1;
	if (!el->closed)
		return err_set(e, URNA_E_STATE, "tally before the close");
	if (g->tallied)
		return err_set(e, URNA_E_CONFLICT, "region %s is already tallied", l->region);
	if (t.nq != g->m.nq)
		return err_set(e, URNA_E_MISMATCH, "tally does not have the manifest's questions and choices");
	for (uint32_t q = 0; q < t.nq; q++)
		if (t.m[q] != manifest_q_nct(&g->m, q))
			return err_set(e, URNA_E_MISMATCH, "tally of question %u: %u sums, the manifest's question has %u "
			               "ciphertexts (one when packed)", q + 1, t.m[q], manifest_q_nct(&g->m, q));
	if (t.cast != g->nb || t.counted != g->voted)
		return err_set(e, URNA_E_MISMATCH, "tally says cast %llu counted %llu, the board has %llu and %llu",
		               (unsigned long long)t.cast, (unsigned long long)t.counted, (unsigned long long)g->nb,
		               (unsigned long long)g->voted);
	if (mode != APPLY_TRUSTED) {
		if (election_tally(el, (size_t)(g - el->regions), &want, 2, e))
			return -1;
		for (uint32_t q = 0; q < t.nq; q++)
			for (uint32_t k = 0; k < t.m[q]; k++) {
				if (!memcmp(&t.ct[q][k], &want.ct[q][k], sizeof(urna_ct)))
					continue;
				if (manifest_packed(&g->m, q))
					return err_set(e, URNA_E_MISMATCH, "tally of question %u (packed) is not the sum of the counted "
					               "ballots", q + 1);
				return err_set(e, URNA_E_MISMATCH, "tally of question %u choice %u is not the sum of the counted ballots",
				               q + 1, k + 1);
			}
	}
	g->tally = t;
	g->tallied = 1;
	return 0;
}

static int apply_decryption(election *el, const rec_line *l, json_t *b, apply_mode mode, urna_err *e)
{
	decryption_body *d = malloc(sizeof *d);
	region *g;
	int rc = -1;
	if (!d)
		return err_set(e, URNA_E_IO, "out of memory");
	if (decryption_parse(d, b, e) || !(g = present_region(el, l, e)))
		goto out;
	if (!g->tallied || g->has_result) {
		err_set(e, URNA_E_STATE, "decryptions only between the region's tally and its result");
		goto out;
	}
	if (d->trustee > el->ref.n || !el->qualified[d->trustee]) {
		err_set(e, URNA_E_STATE, "trustee %u is not a qualified trustee", d->trustee);
		goto out;
	}
	if (g->dec[d->trustee]) {
		err_set(e, URNA_E_CONFLICT, "trustee %u already decrypted region %s", d->trustee, l->region);
		goto out;
	}
	if (d->nq != g->tally.nq || memcmp(d->m, g->tally.m, sizeof d->m)) {
		err_set(e, URNA_E_MISMATCH, "decryption does not have the tally's questions and choices");
		goto out;
	}
	if (mode != APPLY_TRUSTED) {
		urna_dec_bind db = {.j = d->trustee};
		memcpy(db.h_R, el->h_R, 32);
		memcpy(db.h_E, g->h_E, 32);
		memcpy(db.K, el->K, 32);
		memcpy(db.X_j, el->X[d->trustee], 32);
		if (decryption_verify(d, &db, &g->tally, e))
			goto out;
	}
	g->dec[d->trustee] = d;
	g->ndec++;
	d = NULL;
	rc = 0;
out:
	free(d);
	return rc;
}

static void blanks(result_body *r, const manifest *m)
{
	for (uint32_t q = 0; q < m->nq; q++) {
		uint64_t sum = 0;
		for (uint32_t k = 0; k < m->m[q]; k++)
			sum += r->counts[q][k];
		r->blank[q] = m->min[q] >= 1 ? 0 : m->max[q] == 1 && sum <= r->counted ? r->counted - sum : 0;
	}
}

/* The decryptions of region g by trustees idx[0..k), at least t of them. */
static int region_decryptions(const election *el, const region *g, const uint32_t *idx, uint32_t k,
                              const decryption_body **d, urna_err *e)
{
	for (uint32_t i = 0; i < k; i++)
		if (!(d[i] = g->dec[idx[i]]))
			return err_set(e, URNA_E_STATE, "trustee %u has not decrypted region %s", idx[i], g->id);
	if (k < el->ref.t)
		return too_few_decryptions(el, g, k, e);
	return 0;
}

static int region_result(const election *el, const region *g, const uint32_t *idx, uint32_t k, result_body *r,
                         urna_err *e)
{
	const decryption_body *d[URNA_MAX_TRUSTEES];
	if (region_decryptions(el, g, idx, k, d, e) ||
	    result_combine(r, &g->m, &g->tally, d, k, el->ref.t, el->ref.n, g->ncred, e))
		return -1;
	blanks(r, &g->m);
	return 0;
}

static int apply_result(election *el, const rec_line *l, json_t *b, apply_mode mode, urna_err *e)
{
	const decryption_body *d[URNA_MAX_TRUSTEES];
	result_body r, want;
	region *g;
	if (result_parse(&r, b, e) || !(g = present_region(el, l, e)))
		return -1;
	if (!g->tallied || !el->published)
		return err_set(e, URNA_E_STATE, "result before the tally and the organizer's publish entry");
	if (g->has_result)
		return err_set(e, URNA_E_CONFLICT, "region %s already has its result", l->region);
	if (l->time < el->announce.utc)
		return err_set(e, URNA_E_STATE, "result before announce_at (%s)", el->announce.local);
	if (mode != APPLY_TRUSTED) {
		/* the published counts checked against the decryptions, with no
		 * search (s.8): the server searched, the verifier multiplies */
		if (region_decryptions(el, g, r.trustees, r.ntrustees, d, e) ||
		    result_check(&r, &g->m, &g->tally, d, r.ntrustees, el->ref.t, el->ref.n, g->ncred, e))
			return -1;
		want = r;
		blanks(&want, &g->m);
		for (uint32_t q = 0; q < r.nq; q++)
			if (r.blank[q] != want.blank[q])
				return err_set(e, URNA_E_MISMATCH, "question %u: blank published %llu, derived %llu", q + 1,
				               (unsigned long long)r.blank[q], (unsigned long long)want.blank[q]);
	}
	g->result = r;
	g->has_result = 1;
	return 0;
}

static int apply_checkpoint(election *el, json_t *b, urna_err *e)
{
	checkpoint_body c;
	if (checkpoint_parse(&c, b, e))
		return -1;
	if (c.seq >= el->n)
		return err_set(e, URNA_E_STATE, "checkpoint of seq %llu, not yet on the board", (unsigned long long)c.seq);
	if (memcmp(c.head, el->hashes[c.seq], 32))
		return err_set(e, URNA_E_MISMATCH, "checkpoint head is not the hash of line %llu", (unsigned long long)c.seq);
	return checkpoint_verify(&c, el->ref.id, el->ref.server.key, e);
}

/* ---- the dispatcher ---- */

static int envelope(election *el, rec_line *l, const char *line, size_t len, urna_err *e)
{
	if (line_parse(l, line, len, e))
		return -1;
	if (l->seq != el->n)
		return err_set(e, URNA_E_CHAIN, "seq %llu where %llu was due", (unsigned long long)l->seq,
		               (unsigned long long)el->n);
	if (memcmp(l->prev, el->head, 32))
		return err_set(e, URNA_E_CHAIN, "prev is not the hash of line %lld", (long long)el->n - 1);
	if (l->time < el->last_time)
		return err_set(e, URNA_E_CHAIN, "time goes backwards (%lld after %lld)", (long long)l->time,
		               (long long)el->last_time);
	if (el->n == 0 && l->kind != KIND_REFERENDUM)
		return err_set(e, URNA_E_STATE, "the board must begin with the referendum entry");
	if (array_grow(&el->hashes, &el->hcap, el->n + 1, 32, SIZE_MAX / 32))
		return err_set(e, URNA_E_IO, "out of memory");
	return 0;
}

/* Who must have written line l (body b): the role its kind and body
 * name (s.15.1), into want. */
static int author_due(const election *el, const rec_line *l, const json_t *b, char want[static URNA_BY_MAX],
                      urna_err *e)
{
	int gi;
	json_int_t i;
	const char *type;
	switch (l->kind) {
	case KIND_TRUSTEE:
		type = json_string_value(json_object_get(b, "type"));
		if (type && !strcmp(type, "key")) {
			author_name(want, ROLE_ORGANIZER, 0);
			return 0;
		}
		i = json_integer_value(json_object_get(b, "index"));
		goto trustee;
	case KIND_DECRYPTION:
		i = json_integer_value(json_object_get(b, "trustee"));
	trustee:
		if (i < 1 || i > el->ref.n)
			return err_set(e, URNA_E_MALFORMED, "a %s entry names no trustee 1..%u", kind_name(l->kind), el->ref.n);
		author_name(want, ROLE_TRUSTEE, (uint32_t)i);
		return 0;
	case KIND_CREDENTIALS:
	case KIND_ELECTORATE:
		if ((gi = find_region(el, l->region)) < 0)
			return err_set(e, URNA_E_UNKNOWN, "region %s is not listed in the referendum", l->region);
		author_name(want, ROLE_AUTHORITY, el->ref.region_auth[gi]);
		return 0;
	case KIND_TALLY:
	case KIND_RESULT:
	case KIND_CHECKPOINT: author_name(want, ROLE_SERVER, 0); return 0;
	default: author_name(want, ROLE_ORGANIZER, 0); return 0;
	}
}

/* The slot of author by in el->authored. */
static size_t author_slot(const election *el, const char *by)
{
	urna_role role;
	uint32_t i;
	if (author_parse(by, &role, &i) != 0)
		return SIZE_MAX;
	switch (role) {
	case ROLE_ORGANIZER: return 0;
	case ROLE_SERVER: return 1;
	case ROLE_TRUSTEE: return i >= 1 && i <= el->ref.n ? 1 + i : SIZE_MAX;
	case ROLE_AUTHORITY: return i >= 1 && i <= el->ref.nauth ? 1 + el->ref.n + i : SIZE_MAX;
	default: return SIZE_MAX;
	}
}

/* Line l (not seq 0, not a ballot) is its due author's, signed as that
 * author's next entry. */
static int check_author(const election *el, const rec_line *l, const json_t *b, apply_mode mode, urna_err *e)
{
	char want[URNA_BY_MAX];
	if (author_due(el, l, b, want, e))
		return -1;
	if (strcmp(want, l->by.by))
		return err_set(e, URNA_E_AUTH, "this %s entry is %s's to make, not %s's", kind_name(l->kind), want, l->by.by);
	if (mode == APPLY_TRUSTED)
		return 0;
	size_t slot = author_slot(el, want);
	return entry_verify(&l->by, el->h_R, l->kind, l->region, el->authored[slot], l->body, l->body_len,
	                    referendum_author_key(&el->ref, want), e);
}

static void advance(election *el, const rec_line *l, const uint8_t hash[32])
{
	memcpy(el->hashes[el->n], hash, 32);
	memcpy(el->head, hash, 32);
	el->last_time = l->time;
	el->n++;
	if (l->signed_)
		el->authored[author_slot(el, l->by.by)]++;
}

int election_apply(election *el, const char *line, size_t len, apply_mode mode, urna_err *e)
{
	rec_line l;
	json_t *b = NULL;
	uint8_t h[32];
	int rc = -1;

	if (envelope(el, &l, line, len, e))
		goto out;
	if (l.kind != KIND_BALLOT && !(b = canon_parse(l.body, l.body_len, URNA_LINE_MAX, e)))
		goto out;
	if (l.kind != KIND_BALLOT && l.kind != KIND_REFERENDUM && check_author(el, &l, b, mode, e))
		goto out;
	switch (l.kind) {
	case KIND_REFERENDUM: rc = apply_referendum(el, &l, b, mode, e); break;
	case KIND_REGION: rc = apply_region(el, &l, b, e); break;
	case KIND_TRUSTEE: rc = apply_trustee(el, b, mode, e); break;
	case KIND_CREDENTIALS: rc = apply_credentials(el, &l, b, e); break;
	case KIND_SCHEDULE: rc = apply_schedule(el, &l, b, e); break;
	case KIND_BALLOT: rc = apply_ballot(el, &l, mode, e); break;
	case KIND_CLOSE: rc = apply_close(el, &l, b, e); break;
	case KIND_TALLY: rc = apply_tally(el, &l, b, mode, e); break;
	case KIND_DECRYPTION: rc = apply_decryption(el, &l, b, mode, e); break;
	case KIND_RESULT: rc = apply_result(el, &l, b, mode, e); break;
	case KIND_CHECKPOINT: rc = apply_checkpoint(el, b, e); break;
	case KIND_ELECTORATE: rc = apply_electorate(el, &l, b, e); break;
	case KIND_PUBLISH: rc = apply_publish(el, &l, b, e); break;
	default: rc = err_set(e, URNA_E_MALFORMED, "unknown kind"); break;
	}
	if (rc == 0) {
		line_hash(h, line, len);
		advance(el, &l, h);
	}
out:
	if (rc && e) {
		e->has_seq = 1;
		e->seq = el->n;
	}
	json_decref(b);
	return rc;
}

int election_apply_facts(election *el, const char *line, size_t len, const ballot_facts *f, urna_err *e)
{
	rec_line l;
	int gi, rc = -1;
	long cred;
	if (envelope(el, &l, line, len, e))
		goto out;
	if (l.kind != KIND_BALLOT) {
		err_set(e, URNA_E_MALFORMED, "not a ballot line");
		goto out;
	}
	if (ballot_state_ok(el, l.region, f->referendum, f->region, f->X, f->tracker, l.time, &gi, &cred, e))
		goto out;
	if (f->nct != el->regions[gi].nct) {
		err_set(e, URNA_E_MALFORMED, "ballot does not have the manifest's choices");
		goto out;
	}
	/* in the presum only under the region it is stored under */
	if (store_ballot(el, gi, cred, l.seq, l.time, f->tracker, f->ct,
	                 f->presummed && f->presum_region == (uint32_t)gi ? f->line_hash : NULL, e))
		goto out;
	advance(el, &l, f->line_hash);
	rc = 0;
out:
	if (rc && e) {
		e->has_seq = 1;
		e->seq = el->n;
	}
	return rc;
}

int election_add_presum(election *el, size_t i, const tally_presum *s)
{
	if (!el->has_ref || i >= el->ref.nregions || !el->regions[i].present)
		return -1;
	region *g = &el->regions[i];
	if (s->nct != g->nct)
		return -1;
	if (!g->presum.p && tally_presum_init(&g->presum, g->nct))
		return -1;
	return tally_presum_merge(&g->presum, s);
}

int election_ballot_admissible(const election *el, const char *region, const ballot *b, int64_t now, urna_err *e)
{
	int gi;
	long cred;
	return ballot_state_ok(el, region, b->referendum, b->region, b->X, b->tracker, now, &gi, &cred, e);
}

/* ---- queries ---- */

const char *election_status(const election *el, int64_t now)
{
	size_t tallied = 0, published = 0;
	if (!el->has_ref || !el->has_key)
		return "draft";
	for (size_t i = 0; i < el->ref.nregions; i++) {
		tallied += (size_t)el->regions[i].tallied;
		published += (size_t)el->regions[i].has_result;
	}
	if (published == el->ref.nregions)
		return "published";
	if (tallied == el->ref.nregions)
		return "tallied";
	if (el->closed || now >= el->closes.utc + el->closes.grace)
		return "closed";
	return now >= el->opens.utc ? "open" : "scheduled";
}

uint64_t election_next_seq(const election *el)
{
	return el->n;
}

void election_head(const election *el, uint8_t head[static 32])
{
	memcpy(head, el->head, 32);
}

const referendum_body *election_referendum(const election *el)
{
	return el->has_ref ? &el->ref : NULL;
}

const json_t *election_referendum_json(const election *el)
{
	return el->ref_json;
}

void election_h_R(const election *el, uint8_t out[static 32])
{
	memcpy(out, el->h_R, 32);
}

int election_key(const election *el, uint8_t K[static 32])
{
	if (!el->has_key)
		return -1;
	memcpy(K, el->K, 32);
	return 0;
}

int election_vkey(const election *el, uint32_t j, uint8_t X[static 32])
{
	if (!el->has_key || j < 1 || j > el->ref.n)
		return -1;
	memcpy(X, el->X[j], 32);
	return 0;
}

int election_closed(const election *el)
{
	return el->closed;
}

void election_schedule(const election *el, rtime *opens, rtime *closes, rtime *announce)
{
	*opens = el->opens;
	*closes = el->closes;
	*announce = el->announce;
}

int election_schedule_change(const election *el, uint64_t *seq, int64_t *time, const json_t **reason)
{
	if (el->sched_seq == 0)
		return -1;
	*seq = el->sched_seq, *time = el->sched_time, *reason = el->sched_reason;
	return 0;
}

int64_t election_last_time(const election *el)
{
	return el->last_time;
}

size_t election_nregions(const election *el)
{
	return el->has_ref ? el->ref.nregions : 0;
}

int election_region_index(const election *el, const char *id)
{
	return find_region(el, id);
}

int election_region(const election *el, size_t i, region_info *out)
{
	memset(out, 0, sizeof *out);
	if (!el->has_ref || i >= el->ref.nregions)
		return -1;
	const region *g = &el->regions[i];
	out->id = g->id;
	out->present = g->present;
	out->m = &g->m;
	out->body = g->body;
	out->bytes = g->bytes;
	out->len = g->len;
	memcpy(out->h_E, g->h_E, 32);
	out->electorate = g->ncred;
	out->final = g->final;
	out->cast = g->nb;
	out->tally = g->tallied ? &g->tally : NULL;
	out->result = g->has_result ? &g->result : NULL;
	out->ndec = g->ndec;
	out->presum = presum_usable(g);
	return 0;
}

int election_authored(const election *el, const char *by)
{
	size_t slot = el->has_ref ? author_slot(el, by) : SIZE_MAX;
	return slot == SIZE_MAX ? -1 : (int)el->authored[slot];
}

int election_published(const election *el)
{
	return el->published;
}

int election_tracker(const election *el, const uint8_t tracker[static 32], tracker_info *out)
{
	long s = find_tracker(el, tracker);
	memset(out, 0, sizeof *out);
	if (s < 0)
		return -1;
	const tracker_at *at = &el->trk_at[s];
	const region *g = &el->regions[at->region];
	out->seq = g->b[at->ballot].seq;
	out->time = g->b[at->ballot].time;
	out->region = at->region;
	out->last_for_credential = g->counted[at->ballot];
	out->counted = g->tallied ? out->last_for_credential : -1;
	return 0;
}

/* ---- builders ---- */

int election_key_body(const election *el, json_t **body, urna_err *e)
{
	int qual[URNA_MAX_TRUSTEES];
	uint32_t nq, q[URNA_MAX_TRUSTEES], k = 0;
	uint8_t K[32], X[URNA_MAX_TRUSTEES][32];
	*body = NULL;
	if (!el->has_ref)
		return err_set(e, URNA_E_STATE, "no referendum");
	if (el->has_key)
		return err_set(e, URNA_E_CONFLICT, "the key entry is already on the board");
	if (compute_key(el, qual, &nq, K, X, e))
		return -1;
	for (uint32_t i = 1; i <= el->ref.n; i++)
		if (qual[i - 1])
			q[k++] = i;
	*body = tmsg_key_make(K, q, k, (const uint8_t(*)[32])X, el->ref.n);
	return *body ? 0 : err_set(e, URNA_E_IO, "out of memory");
}

int election_result_body(const election *el, size_t gi, json_t **body, urna_err *e)
{
	uint32_t idx[URNA_MAX_TRUSTEES], k = 0;
	result_body r;
	*body = NULL;
	if (!el->has_ref || gi >= el->ref.nregions)
		return err_set(e, URNA_E_UNKNOWN, "no such region");
	const region *g = &el->regions[gi];
	if (!g->tallied)
		return err_set(e, URNA_E_STATE, "region %s is not tallied", g->id);
	for (uint32_t j = 1; j <= el->ref.n && k < el->ref.t; j++)
		if (g->dec[j])
			idx[k++] = j;
	if (region_result(el, g, idx, k, &r, e))
		return -1;
	*body = result_json(&r);
	return *body ? 0 : err_set(e, URNA_E_IO, "out of memory");
}
