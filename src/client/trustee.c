/* trustee.c: a trustee's steps: its state file, the DKG, its decryption and
 * the check of its own part of a board (trustee.h). */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sodium.h>
#include "client/board.h"
#include "client/signer.h"
#include "client/trustee.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/proof.h"
#include "crypto/threshold.h"
#include "record/body.h"
#include "record/entry.h"
#include "record/file.h"
#include "record/keyfile.h"
#include "record/verifier.h"

#define POLL_MS 150
#define STATE_MAX (1u << 20) /* a state file is a few KiB (~150 KiB with a decryption in every region) */
#define POSTED_MAX (2 + URNA_MAX_TRUSTEES + URNA_MAX_REGIONS) /* commit, shares, complaints, decryptions */
#define PATH_CAP 4096

static void say(FILE *log, uint32_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(FILE *log, uint32_t i, const char *fmt, ...)
{
	va_list ap;
	if (!log)
		return;
	fprintf(log, "  trustee %u: ", i);
	va_start(ap, fmt);
	vfprintf(log, fmt, ap);
	va_end(ap);
	fputc('\n', log);
	fflush(log);
}

/* "a, b, c" of at most a line, "..." when more did not fit. */
typedef struct {
	char s[400];
	size_t n;
	int full;
} listbuf;

static void lb_add(listbuf *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lb_add(listbuf *l, const char *fmt, ...)
{
	char item[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(item, sizeof item, fmt, ap);
	va_end(ap);
	if (l->full)
		return;
	size_t need = strlen(item) + (l->n ? 2 : 0);
	if (l->n + need + 5 >= sizeof l->s) { /* l->n stays below sizeof l->s - 5 */
		memcpy(l->s + l->n, ", ...", 6);
		l->n += 5;
		l->full = 1;
		return;
	}
	l->n += (size_t)snprintf(l->s + l->n, sizeof l->s - l->n, "%s%s", l->n ? ", " : "", item);
}

static json_t *b64j(const uint8_t *p)
{
	return canon_b64(p, 32);
}

static int get32(uint8_t out[32], const json_t *o, const char *key)
{
	const char *s = json_string_value(key ? json_object_get(o, key) : o);
	return s && b64url_decode(out, 32, s, strlen(s)) == 0 ? 0 : -1;
}

static uint32_t degree(uint32_t n, uint32_t t)
{
	return t == n ? 1 : t; /* t = n: one secret s_i */
}

/* ---- the state file (trustee.h) ------------------------------------------ */

typedef struct {
	rec_kind kind;
	char type[12];            /* a trustee entry's "type"; "" for a decryption */
	char region[URNA_ID_MAX]; /* "" when the kind has none */
	uint8_t hash[32];         /* hash32 of the body bytes it signed */
} posted_entry;

typedef struct {
	char path[PATH_CAP];
	char referendum[URNA_ID_MAX];
	uint8_t h_R[32];
	uint32_t index, n, t;
	int has_poly, has_share, has_pending;
	urna_poly poly;
	uint8_t share[32], vk[32], K[32];
	size_t nposted;
	posted_entry posted[POSTED_MAX];
	posted_entry pending; /* being posted: saved before the post */
} dkg_state;

static void state_free(dkg_state *st)
{
	if (st) {
		sodium_memzero(st, sizeof *st);
		free(st);
	}
}

/* KEYFILE without ".key", then ".REF.dkg". */
static int state_path(char out[static PATH_CAP], const char *keyfile, const char *ref, urna_err *e)
{
	size_t n = strlen(keyfile);
	if (n >= 4 && !strcmp(keyfile + n - 4, ".key"))
		n -= 4;
	if ((size_t)snprintf(out, PATH_CAP, "%.*s.%s.dkg", (int)n, keyfile, ref) >= PATH_CAP)
		return err_set(e, URNA_E_MALFORMED, "the key file's path is too long");
	return 0;
}

static json_t *posted_json(const posted_entry *p)
{
	json_t *o = json_pack("{s:s,s:o}", "kind", kind_name(p->kind), "hash", b64j(p->hash));
	if (o && p->type[0])
		json_object_set_new(o, "type", json_string(p->type));
	if (o && p->region[0])
		json_object_set_new(o, "region", json_string(p->region));
	return o;
}

static int posted_parse(posted_entry *p, const json_t *o)
{
	const char *kind = json_string_value(json_object_get(o, "kind"));
	const char *type = json_string_value(json_object_get(o, "type"));
	const char *region = json_string_value(json_object_get(o, "region"));
	int k = kind ? kind_from_name(kind) : -1;
	memset(p, 0, sizeof *p);
	if ((k != KIND_TRUSTEE && k != KIND_DECRYPTION) || get32(p->hash, o, "hash") ||
	    (k == KIND_TRUSTEE) != (type != NULL) || (k == KIND_DECRYPTION) != (region != NULL) ||
	    (type && strlen(type) >= sizeof p->type) || (region && !canon_id_ok(region)))
		return -1;
	p->kind = (rec_kind)k;
	snprintf(p->type, sizeof p->type, "%s", type ? type : "");
	snprintf(p->region, sizeof p->region, "%s", region ? region : "");
	return 0;
}

static int state_save(const dkg_state *st, urna_err *e)
{
	json_t *j = json_pack("{s:i,s:s,s:o,s:i,s:i,s:i}", "version", 1, "referendum", st->referendum, "referendum_hash",
	                      b64j(st->h_R), "trustee", (int)st->index, "n", (int)st->n, "t", (int)st->t);
	json_t *posted = json_array();
	if (!j || !posted) {
		json_decref(j);
		json_decref(posted);
		return err_set(e, URNA_E_IO, "out of memory");
	}
	if (st->has_poly) {
		json_t *p = json_array();
		for (uint32_t i = 0; i < st->poly.t; i++)
			json_array_append_new(p, b64j(st->poly.a[i]));
		json_object_set_new(j, "poly", p);
	}
	if (st->has_share) {
		json_object_set_new(j, "share", b64j(st->share));
		json_object_set_new(j, "verification_key", b64j(st->vk));
		json_object_set_new(j, "election_key", b64j(st->K));
	}
	for (size_t i = 0; i < st->nposted; i++)
		json_array_append_new(posted, posted_json(&st->posted[i]));
	json_object_set_new(j, "posted", posted);
	if (st->has_pending)
		json_object_set_new(j, "pending", posted_json(&st->pending));
	char *txt = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(j); /* jansson's copies of the secret texts are freed unwiped: they are in this process only */
	if (!txt)
		return err_set(e, URNA_E_IO, "out of memory");
	size_t n = strlen(txt);
	txt[n] = '\n';
	int rc = file_write(st->path, txt, n + 1, 0600, e);
	sodium_memzero(txt, n + 1);
	free(txt);
	return rc;
}

static int state_load(dkg_state *st, urna_err *e)
{
	json_t *j = file_read_json(st->path, STATE_MAX, JSON_REJECT_DUPLICATES, e);
	if (!j)
		return -1;
	const char *ref = json_string_value(json_object_get(j, "referendum"));
	json_int_t ix = json_integer_value(json_object_get(j, "trustee"));
	json_int_t n = json_integer_value(json_object_get(j, "n")), t = json_integer_value(json_object_get(j, "t"));
	json_t *poly = json_object_get(j, "poly"), *posted = json_object_get(j, "posted");
	json_t *pending = json_object_get(j, "pending");
	if (json_integer_value(json_object_get(j, "version")) != 1 || !ref || !canon_id_ok(ref) ||
	    get32(st->h_R, j, "referendum_hash") || n < 1 || n > URNA_MAX_TRUSTEES || t < 1 || t > n || ix < 1 || ix > n ||
	    !json_is_array(posted) || json_array_size(posted) > POSTED_MAX)
		goto bad;
	snprintf(st->referendum, sizeof st->referendum, "%s", ref);
	st->index = (uint32_t)ix;
	st->n = (uint32_t)n;
	st->t = (uint32_t)t;
	if (poly) {
		if (json_array_size(poly) != degree(st->n, st->t))
			goto bad;
		st->poly.t = (uint32_t)json_array_size(poly);
		for (size_t i = 0; i < st->poly.t; i++)
			if (get32(st->poly.a[i], json_array_get(poly, i), NULL) || scalar_check(st->poly.a[i]))
				goto bad;
		st->has_poly = 1;
	}
	if (json_object_get(j, "share")) {
		if (!st->has_poly || get32(st->share, j, "share") || scalar_check(st->share) ||
		    get32(st->vk, j, "verification_key") || get32(st->K, j, "election_key"))
			goto bad;
		st->has_share = 1;
	}
	for (size_t i = 0; i < json_array_size(posted); i++)
		if (posted_parse(&st->posted[st->nposted++], json_array_get(posted, i)))
			goto bad;
	if (pending) {
		if (posted_parse(&st->pending, pending))
			goto bad;
		st->has_pending = 1;
	}
	json_decref(j);
	return 0;
bad:
	json_decref(j);
	char path[PATH_CAP];
	memcpy(path, st->path, sizeof path);
	sodium_memzero(st, sizeof *st);
	memcpy(st->path, path, sizeof path);
	return err_set(e, URNA_E_MALFORMED, "%s is damaged or not a trustee's DKG state file", path);
}

/* s's state for its referendum (malloc'd: state_free): loaded from its file,
 * or new and empty when there is none and create is set. NULL (e) when
 * there is none and create is not set, when it is damaged, or when it is
 * another referendum entry's or another trustee's. */
static dkg_state *state_open(const char *keyfile, const signer *s, int create, urna_err *e)
{
	struct stat sb;
	dkg_state *st = calloc(1, sizeof *st);
	if (!st) {
		err_set(e, URNA_E_IO, "out of memory");
		return NULL;
	}
	if (state_path(st->path, keyfile, s->ref, e) != 0)
		goto fail;
	if (stat(st->path, &sb) != 0) {
		if (errno != ENOENT) {
			err_set(e, URNA_E_IO, "%s: %s", st->path, strerror(errno));
			goto fail;
		}
		if (!create) {
			err_set(e, URNA_E_STATE, "there is no DKG state of %s at %s (run `urna trustee dkg` with this key first)",
			        s->ref, st->path);
			goto fail;
		}
		snprintf(st->referendum, sizeof st->referendum, "%s", s->ref);
		memcpy(st->h_R, s->h_R, 32);
		st->index = s->index;
		st->n = s->rb.n;
		st->t = s->rb.t;
		return st;
	}
	if (state_load(st, e) != 0)
		goto fail;
	if (strcmp(st->referendum, s->ref)) {
		err_set(e, URNA_E_MISMATCH, "%s is the DKG state of referendum %s, not of %s", st->path, st->referendum, s->ref);
		goto fail;
	}
	if (memcmp(st->h_R, s->h_R, 32)) {
		err_set(e, URNA_E_MISMATCH,
		        "%s was made for another referendum entry named %s (its hash is not that of the board's first line)",
		        st->path, s->ref);
		goto fail;
	}
	if (st->index != s->index || st->n != s->rb.n || st->t != s->rb.t) {
		err_set(e, URNA_E_MISMATCH, "%s is trustee %u's state (n = %u, t = %u); this key is trustee %u of %u (t = %u)",
		        st->path, st->index, st->n, st->t, s->index, s->rb.n, s->rb.t);
		goto fail;
	}
	return st;
fail:
	state_free(st);
	return NULL;
}

/* What a board line is as a posted entry: kind, type, region, body hash. */
static void entry_of(posted_entry *p, const board_line *l)
{
	int k = kind_from_name(l->kind);
	const char *type = k == KIND_TRUSTEE ? json_string_value(json_object_get(l->j, "type")) : NULL;
	memset(p, 0, sizeof *p);
	p->kind = k < 0 ? KIND__COUNT : (rec_kind)k;
	snprintf(p->type, sizeof p->type, "%s", type ? type : "");
	snprintf(p->region, sizeof p->region, "%s", l->region);
	board_body_hash(p->hash, l);
}

static int same_entry(const posted_entry *a, const posted_entry *b)
{
	return a->kind == b->kind && !strcmp(a->region, b->region) && !memcmp(a->hash, b->hash, 32);
}

static long posted_find(const dkg_state *st, const posted_entry *p)
{
	for (size_t i = 0; i < st->nposted; i++)
		if (same_entry(&st->posted[i], p))
			return (long)i;
	return -1;
}

/* "shares", "decryption of karelia": what a posted entry is, for messages. */
static const char *posted_what(char out[static 96], const posted_entry *p)
{
	if (p->kind == KIND_TRUSTEE)
		snprintf(out, 96, "%s", !strcmp(p->type, "commit") ? "commitment" : p->type);
	else
		snprintf(out, 96, "%s of %s", kind_name(p->kind), p->region);
	return out;
}

/* Signs and posts body (taken) as s's next entry and records it in st: as
 * "pending" before the post, in "posted" after it, saved each time. *seq
 * (may be NULL) gets its seq. 0 or -1 (e). */
static int post_one(signer *s, const client_conn *c, dkg_state *st, rec_kind kind, const char *region, json_t *body,
                    const char *what, uint64_t *seq, urna_err *e)
{
	posted_entry p = {.kind = kind};
	json_t *ans = NULL;
	size_t len;
	char *bytes = body ? canon_encode(body, &len) : NULL;
	int rc = -1;
	if (!bytes) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	hash32(p.hash, bytes, len); /* the bytes signer_post signs and the board will hold */
	free(bytes);
	if (st->nposted >= POSTED_MAX) {
		err_set(e, URNA_E_TOO_LARGE, "%s records %d entries already", st->path, POSTED_MAX);
		goto out;
	}
	const char *type = kind == KIND_TRUSTEE ? json_string_value(json_object_get(body, "type")) : NULL;
	snprintf(p.type, sizeof p.type, "%s", type ? type : "");
	snprintf(p.region, sizeof p.region, "%s", region ? region : "");
	st->pending = p;
	st->has_pending = 1;
	if (state_save(st, e) != 0 || signer_post(s, c, kind, region, body, &ans, what, e) != 0)
		goto out; /* a pending entry that never reached the board is harmless: the next post replaces it */
	if (seq)
		*seq = (uint64_t)json_integer_value(json_object_get(ans, "seq"));
	st->posted[st->nposted++] = p;
	st->has_pending = 0;
	rc = state_save(st, e);
out:
	json_decref(ans);
	json_decref(body);
	return rc;
}

/* ---- the board's trustee entries ----------------------------------------- */

typedef struct {
	uint32_t n, t;
	const board_line *commit[URNA_MAX_TRUSTEES + 1];
	const board_line *shares[URNA_MAX_TRUSTEES + 1];
	const board_line *complaint[URNA_MAX_TRUSTEES + 1][URNA_MAX_TRUSTEES + 1]; /* [by][against] */
	const board_line *key;
	uint32_t ncommit[URNA_MAX_TRUSTEES + 1];
	uint8_t C[URNA_MAX_TRUSTEES][URNA_MAX_TRUSTEES][32]; /* [dealer-1][k] */
	uint8_t box[URNA_MAX_TRUSTEES + 1][32];
	/* the key entry's */
	uint8_t K[32];
	uint32_t nqual, qualified[URNA_MAX_TRUSTEES];
	uint8_t X[URNA_MAX_TRUSTEES][32]; /* X_j at [j-1] */
} ceremony;

/* e's message as that of entry l. Returns -1. */
static int at_entry(urna_err *e, const board_line *l)
{
	err_prefix(e, "entry %llu", (unsigned long long)l->seq);
	if (e) {
		e->seq = l->seq;
		e->has_seq = 1;
	}
	return -1;
}

/* Reads the trustee entries of b (the first of each kind for each trustee,
 * the first key entry), each parsed by the record layer and signed as its
 * due author ("trustee-I" for trustee I's, "organizer" for the key), n and
 * t from the referendum entry s read, whose hash must be b's first line's.
 * The signatures themselves are the verifier's. 0 or -1 (e). */
static int ceremony_read(ceremony *cr, const board_view *b, const signer *s, urna_err *e)
{
	tmsg *m = malloc(sizeof *m);
	uint8_t h[32];
	int rc = -1;
	memset(cr, 0, sizeof *cr);
	cr->n = s->rb.n;
	cr->t = s->rb.t;
	if (!m)
		return err_set(e, URNA_E_IO, "out of memory");
	if (b->n == 0 || strcmp(b->v[0].kind, "referendum") || (board_body_hash(h, &b->v[0]), memcmp(h, s->h_R, 32))) {
		err_set(e, URNA_E_MISMATCH, "the board of %s does not begin with the referendum entry read before", s->ref);
		goto out;
	}
	for (size_t i = 1; i < b->n; i++) {
		const board_line *l = &b->v[i];
		char due[URNA_BY_MAX];
		if (strcmp(l->kind, "trustee"))
			continue;
		if (tmsg_parse(m, l->j, e) != 0) {
			at_entry(e, l);
			goto out;
		}
		if (m->index > cr->n || m->against > cr->n) {
			err_set_seq(e, URNA_E_MALFORMED, l->seq, "entry %llu names a trustee above n = %u",
			            (unsigned long long)l->seq, cr->n);
			goto out;
		}
		if (m->type == TMSG_KEY)
			author_name(due, ROLE_ORGANIZER, 0);
		else
			author_name(due, ROLE_TRUSTEE, m->index);
		if (strcmp(due, l->by)) {
			err_set_seq(e, URNA_E_MISMATCH, l->seq, "entry %llu, a trustee entry, is %s's to make but is signed as \"%s\"",
			            (unsigned long long)l->seq, due, l->by);
			goto out;
		}
		uint32_t ix = m->index;
		switch (m->type) {
		case TMSG_COMMIT:
			if (cr->commit[ix])
				break;
			if (m->ncommit != degree(cr->n, cr->t)) {
				err_set_seq(e, URNA_E_MALFORMED, l->seq, "trustee %u's commitment at seq %llu has %u commitments, not %u",
				            ix, (unsigned long long)l->seq, m->ncommit, degree(cr->n, cr->t));
				goto out;
			}
			cr->commit[ix] = l;
			cr->ncommit[ix] = m->ncommit;
			memcpy(cr->C[ix - 1], m->C, sizeof cr->C[ix - 1]);
			memcpy(cr->box[ix], m->box_key, 32);
			break;
		case TMSG_SHARES:
			if (!cr->shares[ix])
				cr->shares[ix] = l;
			break;
		case TMSG_COMPLAINT:
			if (!cr->complaint[ix][m->against])
				cr->complaint[ix][m->against] = l;
			break;
		case TMSG_KEY:
			if (cr->key)
				break;
			if (m->nvk != cr->n) {
				err_set_seq(e, URNA_E_MALFORMED, l->seq, "the key entry at seq %llu lists %u verification keys, not n = %u",
				            (unsigned long long)l->seq, m->nvk, cr->n);
				goto out;
			}
			cr->key = l;
			memcpy(cr->K, m->key, 32);
			cr->nqual = m->nqual;
			memcpy(cr->qualified, m->qualified, sizeof cr->qualified);
			memcpy(cr->X, m->vk, sizeof cr->X);
			break;
		}
	}
	rc = 0;
out:
	free(m);
	return rc;
}

static int is_qualified(const ceremony *cr, uint32_t i)
{
	for (uint32_t k = 0; k < cr->nqual; k++)
		if (cr->qualified[k] == i)
			return 1;
	return 0;
}

/* The stop when the key entry leaves trustee me out. Returns -1. */
static int left_out(const ceremony *cr, uint32_t me, urna_err *e)
{
	listbuf q = {0};
	char why[96] = "";
	for (uint32_t k = 0; k < cr->nqual; k++)
		lb_add(&q, "%u", cr->qualified[k]);
	for (uint32_t j = 1; j <= cr->n && !why[0]; j++)
		if (cr->complaint[j][me])
			snprintf(why, sizeof why, " (trustee %u's complaint against it at seq %llu)", j,
			         (unsigned long long)cr->complaint[j][me]->seq);
	if (!why[0] && cr->t < cr->n && !cr->shares[me])
		snprintf(why, sizeof why, " (its shares are not on the board)");
	return err_set_seq(e, URNA_E_STATE, cr->key->seq, "left out of qualified: the key entry at seq %llu names trustees %s, not %u%s",
	                   (unsigned long long)cr->key->seq, q.n ? q.s : "none", me, why);
}

/* The entries signed as s's trustee, and the commitment for its index,
 * against its state st: the commitment must carry its box key and its
 * polynomial's commitments; its shares entry must be the one it posted,
 * byte for byte; every other entry signed as it must be one it posted (or
 * the pending one, whose answer was lost: recorded now, st saved); and
 * every entry it posted must be on the board. 0 or -1 (e, naming the seq). */
static int own_entries(dkg_state *st, const board_view *b, const ceremony *cr, const signer *s,
                       const uint8_t box_pk[static 32], FILE *log, urna_err *e)
{
	uint32_t me = st->index;
	const board_line *cl = cr->commit[me], *sl = cr->shares[me];
	unsigned char seen[POSTED_MAX] = {0};
	char what[96];
	if (cl) {
		uint8_t C[URNA_MAX_TRUSTEES][32];
		if (memcmp(cr->box[me], box_pk, 32))
			return err_set_seq(e, URNA_E_MISMATCH, cl->seq,
			                   "the commitment for trustee %u at seq %llu does not carry its box key: an entry for its "
			                   "index that it did not make",
			                   me, (unsigned long long)cl->seq);
		if (!st->has_poly || poly_commit(C, &st->poly) != 0 || cr->ncommit[me] != st->poly.t ||
		    memcmp(C, cr->C[me - 1], 32 * (size_t)st->poly.t))
			return err_set_seq(e, URNA_E_MISMATCH, cl->seq,
			                   "the commitment for trustee %u at seq %llu does not carry its commitments (%s %s): an "
			                   "entry for its index that it did not make",
			                   me, (unsigned long long)cl->seq,
			                   st->has_poly ? "they are not those of the polynomial in" : "there is no polynomial in",
			                   st->path);
	}
	for (size_t i = 1; i < b->n; i++) {
		const board_line *l = &b->v[i];
		posted_entry p;
		if (strcmp(l->by, s->by))
			continue;
		entry_of(&p, l);
		long k = posted_find(st, &p);
		if (k >= 0) {
			seen[k] = 1;
			continue;
		}
		if (st->has_pending && same_entry(&p, &st->pending) && st->nposted < POSTED_MAX) {
			st->posted[st->nposted] = st->pending;
			seen[st->nposted++] = 1;
			st->has_pending = 0;
			if (state_save(st, e) != 0)
				return -1;
			say(log, me, "found its %s on the board at seq %llu (the answer to its post was lost): recorded in %s",
			    posted_what(what, &p), (unsigned long long)l->seq, st->path);
			continue;
		}
		if (l == sl)
			return err_set_seq(e, URNA_E_MISMATCH, l->seq,
			                   "its shares entry on the board (seq %llu) is not byte for byte the one it posted (the "
			                   "hash32 of its body is not in %s)",
			                   (unsigned long long)l->seq, st->path);
		if (l == cl)
			return err_set_seq(e, URNA_E_MISMATCH, l->seq,
			                   "the commitment for trustee %u at seq %llu carries its commitments but is not the entry it "
			                   "posted (not in %s): another copy of this state file at work?",
			                   me, (unsigned long long)l->seq, st->path);
		return err_set_seq(e, URNA_E_MISMATCH, l->seq,
		                   "entry %llu (a %s) is signed as %s but is not one it posted (not in %s)",
		                   (unsigned long long)l->seq, posted_what(what, &p), s->by, st->path);
	}
	for (size_t k = 0; k < st->nposted; k++)
		if (!seen[k])
			return err_set(e, URNA_E_MISMATCH, "what it posted as its %s (recorded in %s) is not on the board",
			               posted_what(what, &st->posted[k]), st->path);
	return 0;
}

static void nap(void)
{
	struct timespec ts = {0, POLL_MS * 1000000L};
	nanosleep(&ts, NULL);
}

/* ---- the DKG ------------------------------------------------------------- */

/* Posts st's commitment (drawing and saving its polynomial first). */
static int do_commit(signer *s, const client_conn *c, dkg_state *st, const uint8_t box_pk[static 32], urna_err *e)
{
	if (!st->has_poly) {
		poly_random(&st->poly, degree(st->n, st->t));
		st->has_poly = 1;
		if (state_save(st, e) != 0) /* saved before it is published */
			return -1;
	}
	/* The PoK binds h_R, i, every C_k and the box key (s.11.1). */
	json_t *body = tmsg_commit_make(s->h_R, st->index, &st->poly, box_pk, e);
	return body ? post_one(s, c, st, KIND_TRUSTEE, NULL, body, "post commitment", NULL, e) : -1;
}

static int do_shares(signer *s, const client_conn *c, dkg_state *st, const ceremony *cr,
                     const uint8_t box_sk[static 32], uint32_t bad_to, urna_err *e)
{
	json_t *body = tmsg_shares_make(st->index, cr->n, &st->poly, box_sk, (const uint8_t(*)[32])&cr->box[1], e);
	if (!body)
		return -1;
	if (bad_to && bad_to != st->index && bad_to <= cr->n) { /* tests: a cheating dealer reseals one share */
		json_t *sh = json_array_get(json_object_get(body, "shares"), bad_to < st->index ? bad_to - 1 : bad_to - 2);
		uint8_t v[32], one[32], box[URNA_SEALED_SHARE], nonce[URNA_BOX_NONCE];
		poly_eval(v, &st->poly, bad_to);
		scalar_from_u64(one, 1);
		scalar_add(v, v, one);
		int rc = share_seal(box, nonce, v, cr->box[bad_to], box_sk);
		sodium_memzero(v, sizeof v);
		if (rc != 0) {
			json_decref(body);
			return err_set(e, URNA_E_BAD_ENCODING, "cannot seal a share to trustee %u (bad box key?)", bad_to);
		}
		json_object_set_new(sh, "nonce", canon_b64(nonce, sizeof nonce));
		json_object_set_new(sh, "box", canon_b64(box, sizeof box));
	}
	return post_one(s, c, st, KIND_TRUSTEE, NULL, body, "post sealed shares", NULL, e);
}

/* Opens dealer's share to st's trustee: 0 valid (share set), 1 bad (the
 * complaint body in *complaint), -1 error. */
static int open_share(uint8_t share[static 32], json_t **complaint, const dkg_state *st, const ceremony *cr,
                      const uint8_t box_sk[static 32], uint32_t dealer)
{
	json_t *list = json_object_get(cr->shares[dealer]->j, "shares");
	uint8_t key[32];
	size_t i;
	json_t *s;
	*complaint = NULL;
	memset(share, 0, 32);
	json_array_foreach(list, i, s) {
		if (json_integer_value(json_object_get(s, "to")) != st->index)
			continue;
		uint8_t box[URNA_SEALED_SHARE], nonce[URNA_BOX_NONCE];
		const char *bt = json_string_value(json_object_get(s, "box"));
		const char *nt = json_string_value(json_object_get(s, "nonce"));
		int bad = !bt || !nt || b64url_decode(box, sizeof box, bt, strlen(bt)) ||
		          b64url_decode(nonce, sizeof nonce, nt, strlen(nt)) ||
		          share_open(share, box, nonce, cr->box[dealer], box_sk) ||
		          share_check(share, st->index, (const uint8_t(*)[32])cr->C[dealer - 1], cr->t) != 0;
		if (!bad)
			return 0;
		break;
	}
	/* A bad share, or none for it at all (an empty one shown). */
	if (share_shared_key(key, cr->box[dealer], box_sk) != 0)
		return -1;
	*complaint = tmsg_complaint_make(st->index, dealer, share, key);
	sodium_memzero(key, sizeof key);
	return *complaint ? 1 : -1;
}

/* x_j from the key entry's qualified dealers, checked against its X_j,
 * stored in st with X_j and K. */
static int finish(dkg_state *st, const ceremony *cr, const uint8_t box_sk[static 32], FILE *log, urna_err *e)
{
	const board_line *kl = cr->key;
	uint32_t me = st->index;
	uint8_t x[32] = {0}, f[32], Y[32];
	int rc = -1;
	if (!is_qualified(cr, me))
		return left_out(cr, me, e);
	for (uint32_t k = 0; k < cr->nqual; k++) {
		uint32_t dealer = cr->qualified[k];
		if (dealer < 1 || dealer > cr->n) {
			err_set_seq(e, URNA_E_MALFORMED, kl->seq, "the key entry at seq %llu names trustee %u",
			            (unsigned long long)kl->seq, dealer);
			goto out;
		}
		if (dealer == me) {
			if (cr->t == cr->n)
				memcpy(f, st->poly.a[0], 32);
			else
				poly_eval(f, &st->poly, me);
		} else if (cr->t == cr->n) {
			continue; /* t = n: x_i = s_i alone */
		} else {
			json_t *complaint = NULL;
			int r = cr->shares[dealer] ? open_share(f, &complaint, st, cr, box_sk, dealer) : -1;
			json_decref(complaint);
			if (r != 0) {
				err_set_seq(e, URNA_E_BAD_PROOF, kl->seq,
				            "the key entry at seq %llu qualifies trustee %u, but its share to this trustee is bad",
				            (unsigned long long)kl->seq, dealer);
				goto out;
			}
		}
		scalar_add(x, x, f);
	}
	if (point_base_mul(Y, x) != 0 || sodium_memcmp(Y, cr->X[me - 1], 32) != 0) {
		err_set_seq(e, URNA_E_MISMATCH, kl->seq, "its share does not match its verification key X_%u in the key entry at seq %llu",
		            me, (unsigned long long)kl->seq);
		goto out;
	}
	memcpy(st->share, x, 32);
	memcpy(st->vk, Y, 32);
	memcpy(st->K, cr->K, 32);
	st->has_share = 1;
	if (state_save(st, e) != 0)
		goto out;
	say(log, me, "share stored in %s; it matches its public share on the board (X_j)", st->path);
	rc = 0;
out:
	sodium_memzero(x, sizeof x);
	sodium_memzero(f, sizeof f);
	return rc;
}

/* "waiting for the WHAT of trustees 2, 3 (...)" into out: the trustees
 * 1..n whose entry in have[] is NULL. */
static void awaited(char *out, size_t cap, const char *what, const board_line *const *have, uint32_t n,
                    int timeout_s)
{
	listbuf list = {0};
	uint32_t count = 0;
	for (uint32_t i = 1; i <= n; i++)
		if (!have[i]) {
			lb_add(&list, "%u", i);
			count++;
		}
	snprintf(out, cap, "waiting for the %s of trustee%s %s (each runs urna trustee dkg; up to %d s, see --timeout)",
	         what, count > 1 ? "s" : "", list.s, timeout_s);
}

/* Opens and checks the shares dealt to st's trustee, posting a complaint
 * against each bad one not already complained about. 0 or -1 (e). */
static int check_shares(signer *s, const client_conn *c, dkg_state *st, const ceremony *cr,
                        const uint8_t box_sk[static 32], FILE *log, urna_err *e)
{
	for (uint32_t i = 1; i <= cr->n; i++) {
		if (i == st->index || cr->complaint[st->index][i])
			continue;
		uint8_t v[32];
		json_t *complaint = NULL;
		int r = open_share(v, &complaint, st, cr, box_sk, i);
		sodium_memzero(v, sizeof v);
		if (r < 0)
			return err_set_seq(e, URNA_E_BAD_ENCODING, cr->commit[i]->seq, "trustee %u's box key (seq %llu) is bad", i,
			                   (unsigned long long)cr->commit[i]->seq);
		if (r == 1) {
			if (post_one(s, c, st, KIND_TRUSTEE, NULL, complaint, "post complaint", NULL, e) != 0)
				return -1;
			say(log, st->index, "share from trustee %u is BAD: complaint posted", i);
		}
	}
	say(log, st->index, "%s", "opened and checked its shares");
	return 0;
}

int trustee_dkg(const client_conn *c, const char *ref, const char *keyfile, int wait_key, int timeout_s,
                uint32_t bad_share_to, FILE *log, urna_err *e)
{
	signer s;
	dkg_state *st = NULL;
	ceremony *cr = malloc(sizeof *cr);
	board_view b = {0};
	uint8_t box_pk[32], box_sk[32];
	int rc = -1, checked = 0, said_wait = 0;
	char wait_for[640] = "", said[640] = "";
	time_t deadline = time(NULL) + timeout_s;
	if (!cr)
		return err_set(e, URNA_E_IO, "out of memory");
	if (signer_open(&s, c, ref, keyfile, ROLE_TRUSTEE, e) != 0) {
		free(cr);
		return -1;
	}
	uint32_t me = s.index;
	identity_box_keypair(&s.id, box_pk, box_sk);
	if (!(st = state_open(keyfile, &s, 1, e)))
		goto out;
	if (st->has_share) {
		say(log, me, "share already stored in %s", st->path);
		rc = 0;
		goto out;
	}
	for (;;) {
		board_free(&b);
		if (board_fetch(&b, c, ref, e) != 0 || ceremony_read(cr, &b, &s, e) != 0 ||
		    own_entries(st, &b, cr, &s, box_pk, log, e) != 0)
			goto out;
		if (!cr->commit[me]) {
			if (cr->key) {
				err_set_seq(e, URNA_E_STATE, cr->key->seq, "the key ceremony of %s is over (key entry at seq %llu) without trustee %u",
				            ref, (unsigned long long)cr->key->seq, me);
				goto out;
			}
			if (do_commit(&s, c, st, box_pk, e) != 0)
				goto out;
			say(log, me, "%s", "posted its commitments and proof of knowledge");
			continue;
		}
		int waiting = 0;
		if (cr->t < cr->n && !cr->key) {
			uint32_t have = 0;
			for (uint32_t i = 1; i <= cr->n; i++)
				have += cr->commit[i] != NULL;
			if (have < cr->n) {
				waiting = 1;
				awaited(wait_for, sizeof wait_for, "commitments", cr->commit, cr->n, timeout_s);
			} else if (!cr->shares[me]) {
				if (do_shares(&s, c, st, cr, box_sk, bad_share_to, e) != 0)
					goto out;
				say(log, me, "%s", "posted its sealed shares for the others");
				continue;
			} else {
				have = 0;
				for (uint32_t i = 1; i <= cr->n; i++)
					have += cr->shares[i] != NULL;
				if (have < cr->n) {
					waiting = 1;
					awaited(wait_for, sizeof wait_for, "sealed shares", cr->shares, cr->n, timeout_s);
				} else if (!checked) {
					if (check_shares(&s, c, st, cr, box_sk, log, e) != 0)
						goto out;
					checked = 1;
					continue; /* its complaints are on the board now: read them back */
				}
			}
		} else {
			checked = 1;
		}
		if (!waiting && cr->key) {
			rc = finish(st, cr, box_sk, log, e);
			goto out;
		}
		if (!waiting && checked && !wait_key) {
			rc = 1;
			goto out;
		}
		if (time(NULL) >= deadline) {
			err_set(e, URNA_E_STATE, "timed out %s", waiting ? wait_for : "waiting for the key entry (urna referendum key)");
			goto out;
		}
		if (!said_wait && !waiting) {
			say(log, me, "%s", "waiting for the organizer to end the ceremony (urna referendum key)");
			said_wait = 1;
		}
		if (waiting && strcmp(said, wait_for)) { /* once each time the set changes */
			say(log, me, "%s", wait_for);
			memcpy(said, wait_for, sizeof said);
		}
		nap();
	}
out:
	sodium_memzero(box_sk, sizeof box_sk);
	board_free(&b);
	free(cr);
	state_free(st);
	signer_close(&s);
	return rc;
}

/* ---- decrypt ------------------------------------------------------------- */

/* verify_board of all of b, its failure worded for a trustee. 0 or -1 (e). */
static int verify_whole(const board_view *b, int threads, election **el, urna_err *e)
{
	verify_opts vo = {.threads = threads < 1 ? 1 : threads > 8 ? 8 : threads};
	if (verify_board(b->text, b->text_len, &vo, el, e) == 0)
		return 0;
	char m[sizeof e->msg];
	memcpy(m, e->msg, sizeof m);
	m[sizeof m - 1] = 0;
	if (e->has_seq)
		return err_set_seq(e, e->code, e->seq, "the board fails verification at entry %llu: %.180s",
		                   (unsigned long long)e->seq, m);
	return err_set(e, e->code, "the board fails verification: %.200s", m);
}

/* The decryption of region by s's trustee on b after line from, or NULL. */
static const board_line *own_decryption(const board_view *b, size_t from, const char *region, const signer *s)
{
	for (size_t j = from; j < b->n; j++) {
		const board_line *l = &b->v[j];
		if (!strcmp(l->kind, "decryption") && !strcmp(l->region, region) &&
		    (!strcmp(l->by, s->by) || json_integer_value(json_object_get(l->j, "trustee")) == s->index))
			return l;
	}
	return NULL;
}

int trustee_decrypt(const client_conn *c, const char *ref, const char *keyfile, int bad_proof, int verify_threads,
                    FILE *log, urna_err *e)
{
	signer s;
	dkg_state *st = NULL;
	ceremony *cr = malloc(sizeof *cr);
	tally_body *tb = malloc(sizeof *tb);
	decryption_body *d = malloc(sizeof *d);
	board_view b = {0};
	election *el = NULL;
	uint8_t box_pk[32], box_sk[32];
	int rc = -1;
	if (!cr || !tb || !d) {
		err_set(e, URNA_E_IO, "out of memory");
		goto early;
	}
	if (signer_open(&s, c, ref, keyfile, ROLE_TRUSTEE, e) != 0)
		goto early;
	uint32_t me = s.index;
	identity_box_keypair(&s.id, box_pk, box_sk);
	sodium_memzero(box_sk, sizeof box_sk); /* only the public half is needed here */
	if (!(st = state_open(keyfile, &s, 0, e)))
		goto out;
	if (!st->has_share) {
		err_set(e, URNA_E_STATE, "%s holds no key share for %s (run `urna trustee dkg` until it stores one)", st->path,
		        ref);
		goto out;
	}
	if (board_fetch(&b, c, ref, e) != 0)
		goto out;
	/* The whole board first: a trustee decrypts nothing the verifier rejects. */
	if (verify_whole(&b, verify_threads, &el, e) != 0 || ceremony_read(cr, &b, &s, e) != 0 ||
	    own_entries(st, &b, cr, &s, box_pk, log, e) != 0)
		goto out;
	/* What every decryption proof is bound to besides the region (s.11). */
	urna_dec_bind db = {.j = me};
	election_h_R(el, db.h_R);
	if (election_key(el, db.K) != 0 || election_vkey(el, me, db.X_j) != 0) {
		err_set(e, URNA_E_STATE, "the board has no election key or no verification key for trustee %u", me);
		goto out;
	}
	if (sodium_memcmp(db.X_j, st->vk, 32) != 0 || sodium_memcmp(db.K, st->K, 32) != 0) {
		err_set_seq(e, URNA_E_MISMATCH, cr->key ? cr->key->seq : 0,
		            "the board's election key or X_%u is not the one stored in %s", me, st->path);
		goto out;
	}
	int tallies = 0;
	for (size_t i = 0; i < b.n; i++)
		tallies += !strcmp(b.v[i].kind, "tally");
	say(log, me, "verified the board (%s)",
	    tallies ? "every signature, every ballot's proofs, the chain, each tally the sum of the counted ballots"
	            : "every signature, every ballot's proofs and the chain; there is no tally yet: the organizer runs "
	              "urna tally");
	for (size_t i = 0; i < b.n; i++) {
		const board_line *l = &b.v[i], *rl;
		uint64_t seq = 0;
		if (strcmp(l->kind, "tally"))
			continue;
		if (own_decryption(&b, i + 1, l->region, &s)) {
			say(log, me, "region %s already decrypted", l->region);
			continue;
		}
		if (!(rl = board_region(&b, l->region))) {
			err_set_seq(e, URNA_E_MALFORMED, l->seq, "tally of unknown region %s", l->region);
			goto out;
		}
		board_body_hash(db.h_E, rl);
		if (tally_parse(tb, l->j, e) != 0 || decryption_make(d, &db, tb, st->share, e) != 0) {
			at_entry(e, l);
			goto out;
		}
		if (bad_proof) /* tests: a cheating trustee */
			d->pf[0][0].z[0] ^= 1;
		json_t *body = decryption_json(d);
		if (post_one(&s, c, st, KIND_DECRYPTION, l->region, body, "post partial decryption", &seq, e) != 0)
			goto out;
		say(log, me, "posted its partial decryption of %s (seq %llu)", l->region, (unsigned long long)seq);
	}
	if (tallies == 0) {
		err_set(e, URNA_E_STATE, "no tally on the board yet (run `urna tally` after the close)");
		goto out;
	}
	rc = 0;
out:
	election_free(el);
	board_free(&b);
	state_free(st);
	signer_close(&s);
early:
	free(cr);
	free(tb);
	free(d);
	return rc;
}

/* ---- check --------------------------------------------------------------- */

typedef struct {
	FILE *log;
	uint32_t me;
	int checks, failed;
	urna_err first;
} checker;

/* One check's line: ok with text, or FAIL with why (the first kept). */
static void check_ok(checker *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check_ok(checker *k, const char *fmt, ...)
{
	char m[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	k->checks++;
	say(k->log, k->me, "ok    %s", m);
}

static void check_fail(checker *k, const urna_err *why)
{
	k->checks++;
	if (!k->failed++)
		k->first = *why;
	say(k->log, k->me, "FAIL  %s", why->msg);
}

/* Every entry signed as the trustee is one it posted (or its pending one). */
static void check_signed(checker *k, const board_view *b, const dkg_state *st, const signer *s, unsigned char *seen)
{
	listbuf ok = {0};
	char what[96];
	urna_err why = {0};
	for (size_t i = 1; i < b->n; i++) {
		const board_line *l = &b->v[i];
		posted_entry p;
		if (strcmp(l->by, s->by))
			continue;
		entry_of(&p, l);
		long at = posted_find(st, &p);
		if (at >= 0)
			seen[at] = 1;
		else if (!(st->has_pending && same_entry(&p, &st->pending))) {
			err_set_seq(&why, URNA_E_MISMATCH, l->seq, "entry %llu (a %s) is signed as %s but is not one it posted (not in %s)",
			            (unsigned long long)l->seq, posted_what(what, &p), s->by, st->path);
			check_fail(k, &why);
			return;
		}
		lb_add(&ok, "%s at seq %llu", posted_what(what, &p), (unsigned long long)l->seq);
	}
	check_ok(k, "every entry signed as %s is one it posted: %s", s->by, ok.n ? ok.s : "there is none");
}

/* Every entry it posted is on the board, byte for byte. */
static void check_posted(checker *k, const dkg_state *st, const unsigned char *seen)
{
	char what[96];
	urna_err why = {0};
	for (size_t i = 0; i < st->nposted; i++)
		if (!seen[i]) {
			err_set(&why, URNA_E_MISMATCH, "what it posted as its %s (recorded in %s) is not on the board",
			        posted_what(what, &st->posted[i]), st->path);
			check_fail(k, &why);
			return;
		}
	check_ok(k, "every entry it posted is on the board, byte for byte (%zu of %zu)", st->nposted, st->nposted);
}

static void check_key(checker *k, const ceremony *cr, const dkg_state *st)
{
	urna_err why = {0};
	uint8_t Y[32];
	uint32_t me = st->index;
	if (!cr->key) {
		err_set(&why, URNA_E_STATE, "there is no key entry on the board yet (the organizer's urna referendum key): "
		        "neither \"qualified\" nor X_%u can be checked", me);
		check_fail(k, &why);
		return;
	}
	unsigned long long seq = cr->key->seq;
	if (is_qualified(cr, me)) {
		listbuf q = {0};
		for (uint32_t i = 0; i < cr->nqual; i++)
			lb_add(&q, "%u", cr->qualified[i]);
		check_ok(k, "the key entry (seq %llu) names it in \"qualified\": trustees %s", seq, q.s);
	} else {
		left_out(cr, me, &why);
		check_fail(k, &why);
	}
	if (!st->has_share)
		err_set_seq(&why, URNA_E_STATE, seq, "%s holds no key share to compare with X_%u of the key entry at seq %llu "
		            "(run `urna trustee dkg` until it stores one)", st->path, me, seq);
	else if (memcmp(cr->X[me - 1], st->vk, 32))
		err_set_seq(&why, URNA_E_MISMATCH, seq, "X_%u in the key entry at seq %llu is not the verification key stored in %s",
		            me, seq, st->path);
	else if (point_base_mul(Y, st->share) != 0 || sodium_memcmp(Y, st->vk, 32) != 0)
		err_set(&why, URNA_E_MISMATCH, "the share stored in %s does not give its verification key (x_%u G is not X_%u)",
		        st->path, me, me);
	else if (memcmp(cr->K, st->K, 32))
		err_set_seq(&why, URNA_E_MISMATCH, seq, "the election key in the key entry at seq %llu is not the one stored in %s",
		            seq, st->path);
	else {
		check_ok(k, "X_%u in the key entry (seq %llu) is its stored verification key, and x_%u G", me, seq, me);
		return;
	}
	check_fail(k, &why);
}

/* Its decryptions on the board: posted by it, and D_j = x_j A of the
 * region's tally for every choice. */
static void check_decryptions(checker *k, const board_view *b, const dkg_state *st, const signer *s)
{
	tally_body *tb = malloc(sizeof *tb);
	decryption_body *d = malloc(sizeof *d);
	listbuf ok = {0};
	urna_err why = {0};
	uint32_t me = st->index;
	if (!tb || !d) {
		err_set(&why, URNA_E_IO, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < b->n; i++) {
		const board_line *l = &b->v[i], *tl = NULL;
		posted_entry p;
		if (strcmp(l->kind, "decryption") ||
		    (strcmp(l->by, s->by) && json_integer_value(json_object_get(l->j, "trustee")) != me))
			continue;
		entry_of(&p, l);
		if (posted_find(st, &p) < 0 && !(st->has_pending && same_entry(&p, &st->pending))) {
			err_set_seq(&why, URNA_E_MISMATCH, l->seq, "the decryption of %s at seq %llu is trustee %u's but not one it posted (not in %s)",
			            l->region, (unsigned long long)l->seq, me, st->path);
			goto fail;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(b->v[j].kind, "tally") && !strcmp(b->v[j].region, l->region))
				tl = &b->v[j];
		if (!tl || tally_parse(tb, tl->j, &why) != 0 || decryption_parse(d, l->j, &why) != 0 || d->nq != tb->nq ||
		    memcmp(d->m, tb->m, sizeof d->m)) {
			err_set_seq(&why, URNA_E_MALFORMED, l->seq, "the decryption of %s at seq %llu does not fit a tally before it",
			            l->region, (unsigned long long)l->seq);
			goto fail;
		}
		if (st->has_share)
			for (uint32_t q = 0; q < tb->nq; q++)
				for (uint32_t ch = 0; ch < tb->m[q]; ch++) {
					uint8_t D[32];
					if (point_mul(D, st->share, tb->ct[q][ch].alpha) != 0 || memcmp(D, d->D[q][ch], 32)) {
						err_set_seq(&why, URNA_E_MISMATCH, l->seq,
						            "the decryption of %s at seq %llu is not D_%u = x_%u A of the tally at seq %llu "
						            "(question %u, choice %u)",
						            l->region, (unsigned long long)l->seq, me, me, (unsigned long long)tl->seq, q + 1,
						            ch + 1);
						goto fail;
					}
				}
		lb_add(&ok, "%s at seq %llu", l->region, (unsigned long long)l->seq);
	}
	check_ok(k, "its decryptions are its own (D_%u = x_%u A): %s", me, me, ok.n ? ok.s : "there is none on the board yet");
	goto out;
fail:
	check_fail(k, &why);
out:
	free(tb);
	free(d);
}

int trustee_check(const client_conn *c, const char *ref, const char *keyfile, int verify_threads, FILE *log,
                  urna_err *e)
{
	signer s;
	dkg_state *st = NULL;
	ceremony *cr = malloc(sizeof *cr);
	board_view b = {0};
	election *el = NULL;
	unsigned char *seen = calloc(POSTED_MAX, 1);
	urna_err why = {0};
	int rc = -1;
	if (!cr || !seen) {
		free(cr);
		free(seen);
		return err_set(e, URNA_E_IO, "out of memory");
	}
	if (signer_open(&s, c, ref, keyfile, ROLE_TRUSTEE, e) != 0) {
		free(cr);
		free(seen);
		return -1;
	}
	checker k = {.log = log, .me = s.index};
	if (!(st = state_open(keyfile, &s, 0, e)) || board_fetch(&b, c, ref, e) != 0)
		goto out;
	if (verify_whole(&b, verify_threads, &el, &why) == 0)
		check_ok(&k, "the board verifies: entries 0 to %llu (every signature, proof and figure)",
		         (unsigned long long)(b.n ? b.v[b.n - 1].seq : 0));
	else
		check_fail(&k, &why);
	check_signed(&k, &b, st, &s, seen);
	check_posted(&k, st, seen);
	if (ceremony_read(cr, &b, &s, &why) == 0) {
		check_key(&k, cr, st);
	} else {
		check_fail(&k, &why);
	}
	check_decryptions(&k, &b, st, &s);
	if (k.failed) {
		say(log, k.me, "%d of %d checks fail", k.failed, k.checks);
		*e = k.first;
		rc = 1;
	} else {
		say(log, k.me, "all %d checks hold", k.checks);
		rc = 0;
	}
out:
	election_free(el);
	board_free(&b);
	state_free(st);
	signer_close(&s);
	free(cr);
	free(seen);
	return rc;
}

/* ---- which referendum ---------------------------------------------------- */

int trustee_pick_referendum(char out[64], const client_conn *c, const char *keyfile, urna_err *e)
{
	char dir[PATH_CAP], base[PATH_CAP];
	const char *slash = strrchr(keyfile, '/'), *name = slash ? slash + 1 : keyfile;
	size_t bl = strlen(name);
	int found = 0;
	listbuf names = {0};
	if (bl >= 4 && !strcmp(name + bl - 4, ".key"))
		bl -= 4;
	if (strlen(keyfile) >= sizeof dir)
		return err_set(e, URNA_E_MALFORMED, "the key file's path is too long");
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - keyfile) + 1 : 1, slash ? keyfile : ".");
	snprintf(base, sizeof base, "%.*s.", (int)bl, name);
	bl++;
	out[0] = 0;
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char id[URNA_ID_MAX];
		if (n <= bl + 4 || strncmp(de->d_name, base, bl) || strcmp(de->d_name + n - 4, ".dkg") ||
		    n - bl - 4 >= sizeof id)
			continue;
		snprintf(id, sizeof id, "%.*s", (int)(n - bl - 4), de->d_name + bl);
		if (!canon_id_ok(id))
			continue;
		if (!found++)
			snprintf(out, 64, "%s", id);
		lb_add(&names, "%s", id);
	}
	if (d)
		closedir(d);
	if (found == 1)
		return 0;
	if (found > 1)
		return err_set(e, URNA_E_MALFORMED, "%s has DKG state files for several referendums (%s): give --referendum ID",
		               keyfile, names.s);
	json_t *all = NULL;
	if (client_call(c, "GET", "/api/referendums", NULL, &all, NULL, "list referendums", e) != 0)
		return -1;
	const char *id = json_array_size(all) == 1 ? json_string_value(json_object_get(json_array_get(all, 0), "id")) : NULL;
	if (id)
		snprintf(out, 64, "%s", id);
	json_decref(all);
	return id ? 0 : err_set(e, URNA_E_MALFORMED, "the server has several referendums: give --referendum ID");
}
