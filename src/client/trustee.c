/* trustee.c: a trustee's steps: its key file, the DKG, its decryption (trustee.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "client/board.h"
#include "client/trustee.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/proof.h"
#include "crypto/threshold.h"
#include "record/file.h"
#include "record/verifier.h"

#define POLL_MS 150
#define KEYFILE_MAX (1u << 20) /* a key file is a few KiB */

/* ---- key file ------------------------------------------------------------ */

typedef struct {
	uint32_t index, n, t;
	char referendum[64];
	uint8_t box_pk[32], box_sk[32];
	int has_poly, has_share;
	urna_poly poly;
	uint8_t share[32], vk[32], K[32];
} keyfile;

static void kf_wipe(keyfile *k)
{
	sodium_memzero(k, sizeof *k);
}

static json_t *b64j(const uint8_t *p)
{
	char t[URNA_B64_32];
	b64url_encode(t, p, 32);
	return json_string(t);
}

static int get32(uint8_t out[32], json_t *o, const char *key)
{
	const char *s = json_string_value(key ? json_object_get(o, key) : o);
	return s && b64url_decode(out, 32, s, strlen(s)) == 0 ? 0 : -1;
}

static int kf_save(const char *path, const keyfile *k, urna_err *e)
{
	json_t *j = json_pack("{s:i,s:i,s:o,s:o}", "version", 1, "index", (json_int_t)k->index, "box_pk", b64j(k->box_pk),
	                      "box_sk", b64j(k->box_sk));
	if (!j)
		return err_set(e, URNA_E_IO, "out of memory");
	if (k->referendum[0]) {
		json_object_set_new(j, "referendum", json_string(k->referendum));
		json_object_set_new(j, "n", json_integer(k->n));
		json_object_set_new(j, "t", json_integer(k->t));
	}
	if (k->has_poly) {
		json_t *p = json_array();
		for (uint32_t i = 0; i < k->poly.t; i++)
			json_array_append_new(p, b64j(k->poly.a[i]));
		json_object_set_new(j, "poly", p);
	}
	if (k->has_share) {
		json_object_set_new(j, "share", b64j(k->share));
		json_object_set_new(j, "verification_key", b64j(k->vk));
		json_object_set_new(j, "election_key", b64j(k->K));
	}
	char *txt = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(j);
	if (!txt)
		return err_set(e, URNA_E_IO, "out of memory");
	size_t n = strlen(txt);
	txt[n] = '\n';
	int rc = file_write(path, txt, n + 1, 0600, e);
	sodium_memzero(txt, n);
	free(txt);
	return rc;
}

static int kf_load(const char *path, keyfile *k, urna_err *e)
{
	memset(k, 0, sizeof *k);
	json_t *j = file_read_json(path, KEYFILE_MAX, 0, e);
	if (!j)
		return -1;
	int rc = -1;
	json_t *ix = json_object_get(j, "index"), *poly = json_object_get(j, "poly");
	if (!json_is_integer(ix) || json_integer_value(ix) < 1 || json_integer_value(ix) > URNA_MAX_TRUSTEES ||
	    get32(k->box_pk, j, "box_pk") || get32(k->box_sk, j, "box_sk"))
		goto bad;
	k->index = (uint32_t)json_integer_value(ix);
	const char *ref = json_string_value(json_object_get(j, "referendum"));
	if (ref) {
		snprintf(k->referendum, sizeof k->referendum, "%s", ref);
		k->n = (uint32_t)json_integer_value(json_object_get(j, "n"));
		k->t = (uint32_t)json_integer_value(json_object_get(j, "t"));
	}
	if (poly) {
		size_t t = json_array_size(poly);
		if (t == 0 || t > URNA_MAX_TRUSTEES)
			goto bad;
		k->poly.t = (uint32_t)t;
		for (size_t i = 0; i < t; i++)
			if (get32(k->poly.a[i], json_array_get(poly, i), NULL) || scalar_check(k->poly.a[i]))
				goto bad;
		k->has_poly = 1;
	}
	if (json_object_get(j, "share")) {
		if (get32(k->share, j, "share") || get32(k->vk, j, "verification_key") || get32(k->K, j, "election_key"))
			goto bad;
		k->has_share = 1;
	}
	rc = 0;
	goto out;
bad:
	kf_wipe(k);
	err_set(e, URNA_E_MALFORMED, "key file %s is damaged or not a trustee key file", path);
out:
	json_decref(j);
	return rc;
}

int trustee_keygen(const char *path, uint32_t index, urna_err *e)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return err_set(e, URNA_E_CONFLICT, "%s exists already; a trustee key is made once", path);
	keyfile k;
	memset(&k, 0, sizeof k);
	k.index = index;
	box_keypair(k.box_pk, k.box_sk);
	int rc = kf_save(path, &k, e);
	kf_wipe(&k);
	return rc;
}

/* ---- the board's trustee messages ---------------------------------------- */

typedef struct {
	uint32_t n, t;
	uint8_t h_R[32];
	const board_line *commit[URNA_MAX_TRUSTEES + 1];
	const board_line *shares[URNA_MAX_TRUSTEES + 1];
	int complained[URNA_MAX_TRUSTEES + 1][URNA_MAX_TRUSTEES + 1]; /* [by][against] */
	const board_line *key;
	uint8_t C[URNA_MAX_TRUSTEES][URNA_MAX_TRUSTEES][32]; /* [dealer-1][k] */
	uint8_t box[URNA_MAX_TRUSTEES + 1][32];
} ceremony;

static int ceremony_read(ceremony *cr, const board_view *b, urna_err *e)
{
	memset(cr, 0, sizeof *cr);
	if (b->n == 0 || strcmp(b->v[0].kind, "referendum"))
		return err_set(e, URNA_E_MALFORMED, "the board does not start with the referendum entry");
	board_body_hash(cr->h_R, &b->v[0]);
	json_t *tr = json_object_get(b->v[0].j, "trustees");
	json_int_t n = json_integer_value(json_object_get(tr, "n")), t = json_integer_value(json_object_get(tr, "t"));
	if (n < 1 || n > URNA_MAX_TRUSTEES || t < 1 || t > n)
		return err_set(e, URNA_E_MALFORMED, "the referendum's trustees n/t are out of range");
	cr->n = (uint32_t)n;
	cr->t = (uint32_t)t;
	for (size_t i = 0; i < b->n; i++) {
		const board_line *l = &b->v[i];
		if (strcmp(l->kind, "trustee"))
			continue;
		const char *type = json_string_value(json_object_get(l->j, "type"));
		json_int_t ix = json_integer_value(json_object_get(l->j, "index"));
		if (!type)
			continue;
		if (!strcmp(type, "key")) {
			cr->key = l;
			continue;
		}
		if (ix < 1 || ix > n)
			continue;
		if (!strcmp(type, "commit") && !cr->commit[ix]) {
			json_t *cs = json_object_get(l->j, "commitments");
			if (json_array_size(cs) != (cr->t == cr->n ? 1 : cr->t) || get32(cr->box[ix], l->j, "box_key"))
				return err_set_seq(e, URNA_E_MALFORMED, l->seq, "trustee %d's commitment is malformed", (int)ix);
			for (size_t k = 0; k < json_array_size(cs); k++)
				if (get32(cr->C[ix - 1][k], json_array_get(cs, k), NULL))
					return err_set_seq(e, URNA_E_MALFORMED, l->seq, "trustee %d's commitment is malformed", (int)ix);
			cr->commit[ix] = l;
		} else if (!strcmp(type, "shares") && !cr->shares[ix]) {
			cr->shares[ix] = l;
		} else if (!strcmp(type, "complaint")) {
			json_int_t against = json_integer_value(json_object_get(l->j, "against"));
			if (against >= 1 && against <= n)
				cr->complained[ix][against] = 1;
		}
	}
	return 0;
}

static int post_trustee(const client_conn *c, const char *ref, json_t *body, const char *what, urna_err *e)
{
	int rc = client_post(c, ref, "trustees", body, NULL, what, e);
	json_decref(body);
	return rc;
}

static void say(FILE *log, uint32_t i, const char *fmt, const char *arg)
{
	if (log) {
		fprintf(log, "  trustee %u: ", i);
		fprintf(log, fmt, arg);
		fputc('\n', log);
		fflush(log);
	}
}

static void nap(void)
{
	struct timespec ts = {0, POLL_MS * 1000000L};
	nanosleep(&ts, NULL);
}

/* Posts trustee me's commitment (drawing and saving its polynomial first). */
static int do_commit(const client_conn *c, const char *ref, const char *path, keyfile *k, const ceremony *cr, urna_err *e)
{
	uint32_t deg = cr->t == cr->n ? 1 : cr->t; /* t = n: one secret s_i */
	if (!k->has_poly || k->poly.t != deg) {
		poly_random(&k->poly, deg);
		k->has_poly = 1;
		if (kf_save(path, k, e) != 0) /* saved before it is published */
			return -1;
	}
	uint8_t C[URNA_MAX_TRUSTEES][32];
	urna_schnorr pok;
	if (poly_commit(C, &k->poly) != 0 ||
	    pok_prove(&pok, cr->h_R, k->index, (const uint8_t(*)[32])C, deg, k->box_pk, k->poly.a[0]) != 0)
		return err_set(e, URNA_E_IO, "cannot commit to the polynomial");
	json_t *cs = json_array();
	for (uint32_t i = 0; i < deg; i++)
		json_array_append_new(cs, b64j(C[i]));
	json_t *body = json_pack("{s:s,s:i,s:o,s:{s:o,s:o},s:o}", "type", "commit", "index", (json_int_t)k->index,
	                         "commitments", cs, "pok", "A", b64j(pok.A), "z", b64j(pok.z), "box_key", b64j(k->box_pk));
	return post_trustee(c, ref, body, "post commitment", e);
}

static int do_shares(const client_conn *c, const char *ref, const keyfile *k, const ceremony *cr, uint32_t bad_to,
                     urna_err *e)
{
	json_t *list = json_array();
	for (uint32_t j = 1; j <= cr->n; j++) {
		if (j == k->index)
			continue;
		uint8_t s[32], box[URNA_SEALED_SHARE], nonce[24];
		char bt[B64URL_LEN(URNA_SEALED_SHARE)], nt[B64URL_LEN(24)];
		poly_eval(s, &k->poly, j);
		if (j == bad_to) { /* tests: a cheating dealer */
			uint8_t one[32];
			scalar_from_u64(one, 1);
			scalar_add(s, s, one);
		}
		int rc = share_seal(box, nonce, s, cr->box[j], k->box_sk);
		sodium_memzero(s, sizeof s);
		if (rc != 0) {
			json_decref(list);
			return err_set(e, URNA_E_BAD_ENCODING, "cannot seal a share to trustee %u (bad box key?)", j);
		}
		b64url_encode(bt, box, sizeof box);
		b64url_encode(nt, nonce, sizeof nonce);
		json_array_append_new(list, json_pack("{s:i,s:s,s:s}", "to", (json_int_t)j, "nonce", nt, "box", bt));
	}
	json_t *body = json_pack("{s:s,s:i,s:o}", "type", "shares", "index", (json_int_t)k->index, "shares", list);
	return post_trustee(c, ref, body, "post sealed shares", e);
}

/* Opens dealer's share to me: 0 valid (share set), 1 bad (complaint made in
 * *complaint), -1 error. */
static int open_share(uint8_t share[32], json_t **complaint, const keyfile *k, const ceremony *cr, uint32_t dealer)
{
	json_t *list = json_object_get(cr->shares[dealer]->j, "shares");
	size_t i;
	json_t *s;
	*complaint = NULL;
	json_array_foreach(list, i, s) {
		if (json_integer_value(json_object_get(s, "to")) != k->index)
			continue;
		const char *bt = json_string_value(json_object_get(s, "box"));
		const char *nt = json_string_value(json_object_get(s, "nonce"));
		uint8_t box[URNA_SEALED_SHARE], nonce[24], key[32];
		int bad = !bt || !nt || b64url_decode(box, sizeof box, bt, strlen(bt)) ||
		          b64url_decode(nonce, sizeof nonce, nt, strlen(nt)) ||
		          share_open(share, box, nonce, cr->box[dealer], k->box_sk) ||
		          share_check(share, k->index, (const uint8_t(*)[32])cr->C[dealer - 1], cr->t) != 0;
		if (!bad)
			return 0;
		if (share_shared_key(key, cr->box[dealer], k->box_sk) != 0)
			return -1;
		*complaint = json_pack("{s:s,s:i,s:i,s:o,s:o}", "type", "complaint", "index", (json_int_t)k->index, "against",
		                       (json_int_t)dealer, "share", b64j(share), "shared_key", b64j(key));
		sodium_memzero(key, sizeof key);
		return 1;
	}
	/* No share for me at all: complain with an empty share. */
	uint8_t zero[32] = {0}, key[32];
	if (share_shared_key(key, cr->box[dealer], k->box_sk) != 0)
		return -1;
	*complaint = json_pack("{s:s,s:i,s:i,s:o,s:o}", "type", "complaint", "index", (json_int_t)k->index, "against",
	                       (json_int_t)dealer, "share", b64j(zero), "shared_key", b64j(key));
	return 1;
}

/* x_j from the key entry's qualified dealers; checked against X_j. */
static int finish(const char *path, keyfile *k, const ceremony *cr, FILE *log, urna_err *e)
{
	json_t *kj = cr->key->j, *q = json_object_get(kj, "qualified");
	uint8_t X[32], mine[32], share[32], K[32];
	if (get32(K, kj, "key") || get32(X, json_array_get(json_object_get(kj, "verification_keys"), k->index - 1), NULL))
		return err_set_seq(e, URNA_E_MALFORMED, cr->key->seq, "the key entry is malformed");
	memset(mine, 0, 32);
	size_t i;
	json_t *d;
	int me_qualified = 0;
	json_array_foreach(q, i, d) {
		json_int_t dealer = json_integer_value(d);
		if (dealer < 1 || dealer > cr->n)
			return err_set_seq(e, URNA_E_MALFORMED, cr->key->seq, "the key entry names trustee %d", (int)dealer);
		if ((uint32_t)dealer == k->index) {
			me_qualified = 1;
			if (cr->t == cr->n)
				memcpy(share, k->poly.a[0], 32);
			else
				poly_eval(share, &k->poly, k->index);
		} else if (cr->t == cr->n) {
			continue; /* t = n: x_i = s_i alone */
		} else {
			json_t *complaint = NULL;
			int r = open_share(share, &complaint, k, cr, (uint32_t)dealer);
			json_decref(complaint);
			if (r != 0) {
				sodium_memzero(mine, 32);
				return err_set(e, URNA_E_BAD_PROOF, "dealer %d is qualified but its share to me is bad",
				               (int)dealer);
			}
		}
		scalar_add(mine, mine, share);
	}
	sodium_memzero(share, 32);
	uint8_t Y[32];
	if (!me_qualified && cr->t == cr->n)
		return err_set(e, URNA_E_STATE, "this trustee was disqualified");
	if (point_base_mul(Y, mine) != 0 || sodium_memcmp(Y, X, 32) != 0) {
		sodium_memzero(mine, 32);
		return err_set_seq(e, URNA_E_MISMATCH, cr->key->seq,
		                   "my share does not match my verification key X_%u on the board", k->index);
	}
	memcpy(k->share, mine, 32);
	memcpy(k->vk, X, 32);
	memcpy(k->K, K, 32);
	k->has_share = 1;
	sodium_memzero(mine, 32);
	if (kf_save(path, k, e) != 0)
		return -1;
	say(log, k->index, "share stored in %s; it matches its public share on the board (X_j)", path);
	return 0;
}

/* "waiting for the WHAT of trustees 2, 3 (...)" into out: the trustees
 * 1..n whose entry in have[] is NULL. */
static void awaited(char *out, size_t cap, const char *what, const board_line *const *have, uint32_t n,
                    int timeout_s)
{
	char list[URNA_MAX_TRUSTEES * 4 + 1] = "";
	size_t o = 0;
	uint32_t count = 0;
	for (uint32_t i = 1; i <= n; i++)
		if (!have[i] && o < sizeof list)
			o += (size_t)snprintf(list + o, sizeof list - o, "%s%u", count++ ? ", " : "", i);
	snprintf(out, cap, "waiting for the %s of trustee%s %s (each runs urna trustee dkg; up to %d s, see --timeout)",
	         what, count > 1 ? "s" : "", list, timeout_s);
}

int trustee_dkg(const client_conn *c, const char *ref, const char *path, uint32_t index, int wait_key, int timeout_s,
                uint32_t bad_share_to, FILE *log, urna_err *e)
{
	keyfile k;
	ceremony *cr = malloc(sizeof *cr);
	board_view b = {0};
	int rc = -1, checked = 0, said_wait = 0;
	char wait_for[300] = "", said[300] = "";
	time_t deadline = time(NULL) + timeout_s;
	if (!cr)
		return err_set(e, URNA_E_IO, "out of memory");
	if (kf_load(path, &k, e) != 0)
		goto out;
	if (k.index != index) {
		err_set(e, URNA_E_MALFORMED, "%s is trustee %u's key file, not %u's", path, k.index, index);
		goto out;
	}
	if (k.referendum[0] && strcmp(k.referendum, ref)) {
		err_set(e, URNA_E_CONFLICT, "%s is already used for referendum %s", path, k.referendum);
		goto out;
	}
	if (k.has_share) {
		say(log, index, "share already stored in %s", path);
		rc = 0;
		goto out;
	}
	for (;;) {
		board_free(&b);
		if (board_fetch(&b, c, ref, e) != 0 || ceremony_read(cr, &b, e) != 0)
			goto out;
		if (index > cr->n) {
			err_set(e, URNA_E_MALFORMED, "referendum %s has %u trustees, there is no trustee %u", ref, cr->n, index);
			goto out;
		}
		if (!k.referendum[0]) {
			snprintf(k.referendum, sizeof k.referendum, "%s", ref);
			k.n = cr->n;
			k.t = cr->t;
		}
		if (!cr->commit[index]) {
			if (cr->key) {
				err_set(e, URNA_E_STATE, "the key ceremony of %s is over without trustee %u", ref, index);
				goto out;
			}
			if (do_commit(c, ref, path, &k, cr, e) != 0)
				goto out;
			say(log, index, "%s", "posted its commitments and proof of knowledge");
			continue;
		}
		if (!k.has_poly || memcmp(cr->box[index], k.box_pk, 32) != 0) {
			err_set(e, URNA_E_CONFLICT, "trustee %u's commitment on the board was not made with %s", index, path);
			goto out;
		}
		int waiting = 0;
		if (cr->t < cr->n && !cr->key) {
			uint32_t have = 0;
			for (uint32_t i = 1; i <= cr->n; i++)
				have += cr->commit[i] != NULL;
			if (have < cr->n) {
				waiting = 1;
				awaited(wait_for, sizeof wait_for, "commitments", cr->commit, cr->n, timeout_s);
			} else if (!cr->shares[index]) {
				if (do_shares(c, ref, &k, cr, bad_share_to, e) != 0)
					goto out;
				say(log, index, "%s", "posted its sealed shares for the others");
				continue;
			} else {
				have = 0;
				for (uint32_t i = 1; i <= cr->n; i++)
					have += cr->shares[i] != NULL;
				if (have < cr->n) {
					waiting = 1;
					awaited(wait_for, sizeof wait_for, "sealed shares", cr->shares, cr->n, timeout_s);
				} else if (!checked) {
					for (uint32_t i = 1; i <= cr->n; i++) {
						if (i == index || cr->complained[index][i])
							continue;
						uint8_t s[32];
						json_t *complaint = NULL;
						int r = open_share(s, &complaint, &k, cr, i);
						sodium_memzero(s, 32);
						if (r < 0) {
							err_set(e, URNA_E_BAD_ENCODING, "trustee %u's box key is bad", i);
							goto out;
						}
						if (r == 1) {
							char who[16];
							snprintf(who, sizeof who, "%u", i);
							if (post_trustee(c, ref, complaint, "post complaint", e) != 0)
								goto out;
							say(log, index, "share from trustee %s is BAD: complaint posted", who);
						}
					}
					checked = 1;
					say(log, index, "%s", "opened and checked its shares");
				}
			}
		} else {
			checked = 1;
		}
		if (!waiting && cr->key) {
			rc = finish(path, &k, cr, log, e);
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
			say(log, index, "%s", "waiting for the organizer to end the ceremony (urna referendum key)");
			said_wait = 1;
		}
		if (waiting && strcmp(said, wait_for)) { /* once each time the set changes */
			say(log, index, "%s", wait_for);
			memcpy(said, wait_for, sizeof said);
		}
		nap();
	}
out:
	board_free(&b);
	free(cr);
	kf_wipe(&k);
	return rc;
}

/* ---- decrypt ------------------------------------------------------------- */

int trustee_decrypt(const client_conn *c, const char *ref, const char *path, uint32_t index, int bad_proof,
                    int verify_threads, FILE *log, urna_err *e)
{
	keyfile k;
	board_view b = {0};
	int rc = -1, posted = 0;
	if (kf_load(path, &k, e) != 0)
		return -1;
	if (k.index != index) {
		err_set(e, URNA_E_MALFORMED, "%s is trustee %u's key file, not %u's", path, k.index, index);
		goto out;
	}
	if (!k.has_share || strcmp(k.referendum, ref)) {
		err_set(e, URNA_E_STATE, "%s holds no key share for %s (run `urna trustee dkg` first)", path, ref);
		goto out;
	}
	if (board_fetch(&b, c, ref, e) != 0)
		goto out;
	/* The whole board first: a trustee decrypts nothing the verifier rejects. */
	verify_opts vo = {.threads = verify_threads < 1 ? 1 : verify_threads > 8 ? 8 : verify_threads};
	election *el = NULL;
	if (verify_board(b.text, b.text_len, &vo, &el, e) != 0) {
		char m[sizeof e->msg];
		memcpy(m, e->msg, sizeof m);
		m[sizeof m - 1] = 0;
		if (e->has_seq)
			err_set_seq(e, e->code, e->seq, "the board fails verification at entry %llu: %.180s",
			            (unsigned long long)e->seq, m);
		else
			err_set(e, e->code, "the board fails verification: %.200s", m);
		goto out;
	}
	/* What every decryption proof is bound to besides the region (s.11). */
	urna_dec_bind db = {.j = index};
	election_h_R(el, db.h_R);
	if (election_key(el, db.K) != 0 || election_vkey(el, index, db.X_j) != 0) {
		election_free(el);
		err_set(e, URNA_E_STATE, "the board has no election key or no verification key for trustee %u", index);
		goto out;
	}
	election_free(el);
	int tallies = 0;
	for (size_t i = 0; i < b.n; i++)
		tallies += !strcmp(b.v[i].kind, "tally");
	say(log, index, "verified the board (%s)",
	    tallies ? "every ballot's proofs, the chain, each tally the sum of the counted ballots"
	            : "every ballot's proofs and the chain; there is no tally yet: the organizer runs urna tally");
	tallies = 0;
	for (size_t i = 0; i < b.n; i++) {
		const board_line *l = &b.v[i];
		if (strcmp(l->kind, "tally"))
			continue;
		tallies++;
		int done = 0;
		for (size_t j = i + 1; j < b.n; j++)
			if (!strcmp(b.v[j].kind, "decryption") && !strcmp(b.v[j].region, l->region) &&
			    json_integer_value(json_object_get(b.v[j].j, "trustee")) == index)
				done = 1;
		if (done) {
			say(log, index, "region %s already decrypted", l->region);
			continue;
		}
		const board_line *rl = board_region(&b, l->region);
		if (!rl) {
			err_set_seq(e, URNA_E_MALFORMED, l->seq, "tally of unknown region %s", l->region);
			goto out;
		}
		board_body_hash(db.h_E, rl);
		json_t *qs = json_array(), *body;
		size_t q;
		json_t *tq;
		json_array_foreach(json_object_get(l->j, "questions"), q, tq) {
			json_t *chs = json_array();
			size_t kk;
			json_t *ch;
			json_array_foreach(json_object_get(tq, "choices"), kk, ch) {
				urna_ct ct;
				uint8_t D[32];
				urna_cp pf;
				if (get32(ct.alpha, ch, "A") || get32(ct.beta, ch, "B") ||
				    cp_decrypt(D, &pf, &db, &ct, k.share) != 0) {
					json_decref(chs);
					json_decref(qs);
					err_set_seq(e, URNA_E_BAD_ENCODING, l->seq, "cannot decrypt the tally of %s", l->region);
					goto out;
				}
				if (bad_proof && q == 0 && kk == 0)
					pf.z[0] ^= 1;
				json_array_append_new(chs, json_pack("{s:o,s:o,s:o,s:o}", "D", b64j(D), "U", b64j(pf.U), "V",
				                                     b64j(pf.V), "z", b64j(pf.z)));
			}
			json_array_append_new(qs, json_pack("{s:o}", "choices", chs));
		}
		body = json_pack("{s:i,s:o,s:s}", "trustee", (json_int_t)index, "questions", qs, "region", l->region);
		char p[160];
		snprintf(p, sizeof p, "/api/referendums/%s/decryptions", ref);
		int r = client_call(c, "POST", p, body, NULL, NULL, "post partial decryption", e);
		json_decref(body);
		if (r != 0)
			goto out;
		posted++;
		say(log, index, "posted its partial decryption of %s", l->region);
	}
	if (tallies == 0) {
		err_set(e, URNA_E_STATE, "no tally on the board yet (run `urna tally` after the close)");
		goto out;
	}
	rc = 0;
out:
	board_free(&b);
	kf_wipe(&k);
	return rc;
}

int trustee_pick_referendum(char out[64], const client_conn *c, const char *path, urna_err *e)
{
	keyfile k;
	if (kf_load(path, &k, e) != 0)
		return -1;
	snprintf(out, 64, "%s", k.referendum);
	kf_wipe(&k);
	if (out[0])
		return 0;
	json_t *all = NULL;
	if (client_call(c, "GET", "/api/referendums", NULL, &all, NULL, "list referendums", e) != 0)
		return -1;
	const char *id = json_array_size(all) == 1 ? json_string_value(json_object_get(json_array_get(all, 0), "id")) : NULL;
	if (id)
		snprintf(out, 64, "%s", id);
	json_decref(all);
	return id ? 0 : err_set(e, URNA_E_MALFORMED, "the server has several referendums: give --referendum ID");
}

