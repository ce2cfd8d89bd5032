/* test_crypto_vectors.c: known answers from tests/vectors/crypto.json (made
 * by tests/vectors/gen_crypto.py, independently of this C code) for H, Hs,
 * hash32 (PROTOCOL.md s.2, s.11), credential keys (s.5, s.12), trackers
 * (s.14) and base64url/base32 (s.2, s.12), and protocol 2's challenges
 * (docs/protocol.md s.11): each kind's challenge computed here equals
 * Python's, its proof verifies (one by one and in a batch where there is
 * one), and fails under every altered statement. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "crypto/batch.h"
#include "crypto/encoding.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/proof.h"
#include "record/ballot.h"
#include "unit/vectors.h"

static json_t *vectors;

static size_t unhex(uint8_t *out, size_t cap, const char *hex)
{
	size_t n = 0;
	assert_int_equal(sodium_hex2bin(out, cap, hex, strlen(hex), NULL, &n, NULL), 0);
	return n;
}

static void expect_hex(const uint8_t *got, size_t n, const char *hex)
{
	char h[1024];
	sodium_bin2hex(h, sizeof h, got, n);
	assert_string_equal(h, hex);
}

static json_t *section(const char *name)
{
	json_t *a = json_object_get(vectors, name);
	assert_true(json_is_array(a) && json_array_size(a) > 0);
	return a;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	assert_non_null(s);
	return s;
}

/* s.2: hash32(bytes) = first 32 bytes of H("bytes", bytes). */
static void test_hash32(void **state)
{
	(void)state;
	size_t i;
	json_t *v;
	json_array_foreach(section("hash32"), i, v) {
		uint8_t in[512], out[32];
		size_t n = unhex(in, sizeof in, str(v, "input"));
		hash32(out, in, n);
		expect_hex(out, 32, str(v, "output"));
	}
}

static void hash_items(urna_hash *h, json_t *v)
{
	size_t j;
	json_t *it;
	hash_init(h, str(v, "tag"));
	json_array_foreach(json_object_get(v, "items"), j, it) {
		uint8_t b[256];
		size_t n = unhex(b, sizeof b, json_string_value(it));
		hash_add(h, b, n);
	}
}

/* s.2, s.11: H and Hs with tags and length-prefixed items. */
static void test_H_Hs(void **state)
{
	(void)state;
	size_t i;
	json_t *v;
	urna_hash h;
	json_array_foreach(section("H"), i, v) {
		uint8_t out[64];
		hash_items(&h, v);
		hash_final64(&h, out);
		expect_hex(out, 64, str(v, "output"));
	}
	json_array_foreach(section("Hs"), i, v) {
		uint8_t out[32];
		hash_items(&h, v);
		hash_final_scalar(&h, out);
		expect_hex(out, 32, str(v, "output"));
		assert_int_equal(scalar_check(out), 0);
	}
}

/* s.5, s.12: x = Hs("credential", referendum, region, normalised), X = xG;
 * the displayed and typed forms decode to the same 20 bytes. */
static void test_credential(void **state)
{
	(void)state;
	size_t i;
	json_t *v;
	json_array_foreach(section("credential"), i, v) {
		uint8_t x[32], X[32], raw[20], want[20];
		char b64[URNA_B64_32];
		assert_int_equal(credential_keys(x, X, str(v, "referendum"), str(v, "region"), str(v, "normalised")), 0);
		expect_hex(x, 32, str(v, "x"));
		expect_hex(X, 32, str(v, "X"));
		b64url_encode(b64, X, 32);
		assert_string_equal(b64, str(v, "X_b64"));
		unhex(want, sizeof want, str(v, "bytes"));
		assert_int_equal(b32_decode(raw, 20, str(v, "display")), 0);
		assert_memory_equal(raw, want, 20);
		assert_int_equal(b32_decode(raw, 20, str(v, "typed")), 0);
		assert_memory_equal(raw, want, 20);
		char norm[40];
		b32_encode(norm, sizeof norm, raw, 20, 0);
		assert_string_equal(norm, str(v, "normalised"));
		/* The check bytes: first 4 bytes of H("credential-check", 16 bytes). */
		urna_hash h;
		uint8_t d[64];
		hash_init(&h, "credential-check");
		hash_add(&h, raw, 16);
		hash_final64(&h, d);
		assert_memory_equal(d, raw + 16, 4);
	}
}

/* s.14: tracker = hash32(ballot bytes) in base32 groups of four, base64url. */
static void test_tracker(void **state)
{
	(void)state;
	size_t i;
	json_t *v;
	json_array_foreach(section("tracker"), i, v) {
		uint8_t t[32], back[32];
		char b32[URNA_TRACKER_TEXT], b64[URNA_B64_32];
		const char *ballot = str(v, "ballot");
		hash32(t, ballot, strlen(ballot));
		expect_hex(t, 32, str(v, "hash"));
		tracker_text(b32, t); /* what every command and answer shows */
		assert_string_equal(b32, str(v, "base32"));
		b64url_encode(b64, t, 32);
		assert_string_equal(b64, str(v, "b64url"));
		assert_int_equal(b32_decode(back, 32, b32), 0);
		assert_memory_equal(back, t, 32);
		assert_int_equal(b64url_decode(back, 32, b64, strlen(b64)), 0);
		assert_memory_equal(back, t, 32);
	}
}

/* s.2: base64url without padding, canonical only. */
static void test_b64url(void **state)
{
	(void)state;
	size_t i;
	json_t *v;
	json_array_foreach(section("b64url"), i, v) {
		uint8_t b[64], back[64];
		char text[128];
		size_t n = unhex(b, sizeof b, str(v, "hex"));
		b64url_encode(text, b, n);
		assert_string_equal(text, str(v, "text"));
		assert_int_equal(b64url_decode(back, n, text, strlen(text)), 0);
		assert_memory_equal(back, b, n);
	}
	json_array_foreach(section("b64url_reject"), i, v) {
		uint8_t b[64];
		const char *t = str(v, "text");
		size_t n = (size_t)json_integer_value(json_object_get(v, "bytes"));
		memset(b, 0xaa, sizeof b);
		assert_int_equal(b64url_decode(b, n, t, strlen(t)), -1);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(b[k], 0); /* zeroed on failure */
	}
}

/* s.12: base32 (RFC 4648 s.6) without padding, canonical only. */
static void test_b32(void **state)
{
	(void)state;
	size_t i;
	json_t *v;
	json_array_foreach(section("b32"), i, v) {
		uint8_t b[64], back[64];
		char text[128];
		size_t n = unhex(b, sizeof b, str(v, "hex"));
		b32_encode(text, sizeof text, b, n, 0);
		assert_string_equal(text, str(v, "text"));
		assert_int_equal(b32_decode(back, n, text), 0);
		assert_memory_equal(back, b, n);
	}
	json_array_foreach(section("b32_reject"), i, v) {
		uint8_t b[64];
		size_t n = (size_t)json_integer_value(json_object_get(v, "bytes"));
		assert_int_equal(b32_decode(b, n, str(v, "text")), -1);
	}
}

/* ---- s.11 (protocol 2): the challenges and their proofs ---- */

static void hexf(uint8_t *out, size_t n, json_t *o, const char *k)
{
	assert_int_equal(unhex(out, n, str(o, k)), n);
}

static uint32_t u32f(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	assert_true(json_is_integer(v));
	return (uint32_t)json_integer_value(v);
}

static json_t *proofs(const char *kind)
{
	json_t *a = json_object_get(json_object_get(vectors, "proofs"), kind);
	assert_true(json_is_array(a) && json_array_size(a) > 0);
	return a;
}

/* st with "altered" entry alt applied: FIELD or FIELD.INDEX replaced. */
static json_t *alter(json_t *st, json_t *alt)
{
	json_t *t = json_deep_copy(st);
	char field[64];
	snprintf(field, sizeof field, "%s", str(alt, "field"));
	json_t *val = json_object_get(alt, "value");
	char *dot = strchr(field, '.');
	if (dot) {
		*dot = 0;
		assert_int_equal(json_array_set(json_object_get(t, field), strtoul(dot + 1, NULL, 10), val), 0);
	} else {
		assert_true(json_object_get(t, field) != NULL);
		assert_int_equal(json_object_set(t, field, val), 0);
	}
	return t;
}

typedef int (*check_fn)(json_t *st, json_t *pf, uint8_t c[32]);

/* Every vector of kind: the challenge is Python's, the proof holds, it
 * fails under each altered statement (whose challenge differs too), and the
 * same statement's proof made under the version-1 transcript fails. */
static void check_kind(const char *kind, check_fn check)
{
	size_t i, k;
	json_t *v, *alt;
	json_array_foreach(proofs(kind), i, v) {
		json_t *st = json_object_get(v, "statement"), *pf = json_object_get(v, "proof");
		uint8_t c[32], c2[32];
		assert_int_equal(check(st, pf, c), 0);
		expect_hex(c, 32, str(v, "challenge"));
		json_t *v1 = json_object_get(v, "version_1_proof");
		assert_true(v1 || !strcmp(kind, "packed")); /* packed questions are new in version 2 */
		if (v1 && check(st, v1, c2) != -1)
			fail_msg("%s vector %zu: a version-1 proof holds under version 2", kind, i);
		assert_true(json_array_size(json_object_get(v, "altered")) > 0);
		json_array_foreach(json_object_get(v, "altered"), k, alt) {
			json_t *t = alter(st, alt);
			if (check(t, pf, c2) != -1)
				fail_msg("%s vector %zu holds with %s altered (%s)", kind, i, str(alt, "field"), str(alt, "description"));
			assert_memory_not_equal(c, c2, 32);
			json_decref(t);
		}
	}
}

static void bind_of(urna_bind *b, json_t *st)
{
	hexf(b->K, 32, st, "K");
	hexf(b->h_R, 32, st, "h_R");
	hexf(b->h_E, 32, st, "h_E");
	hexf(b->X, 32, st, "X");
}

/* A range proof: range_verify and a batch of one must agree. */
static int check_range(json_t *st, json_t *pf, uint8_t c[32])
{
	urna_bind b;
	urna_ct ct;
	urna_range r;
	size_t j;
	json_t *br;
	bind_of(&b, st);
	hexf(ct.alpha, 32, st, "alpha");
	hexf(ct.beta, 32, st, "beta");
	uint32_t q = u32f(st, "question"), ch = u32f(st, "choice"), lo = u32f(st, "lo"), hi = u32f(st, "hi");
	memset(&r, 0, sizeof r);
	r.lo = lo;
	r.hi = hi;
	assert_int_equal(json_array_size(pf), hi - lo + 1);
	json_array_foreach(pf, j, br) {
		hexf(r.br[j].A, 32, br, "A");
		hexf(r.br[j].B, 32, br, "B");
		hexf(r.br[j].c, 32, br, "c");
		hexf(r.br[j].z, 32, br, "z");
	}
	range_challenge(c, &b, q, ch, &ct, r.br, lo, hi);
	int rc = range_verify(&r, &b, q, ch, &ct, lo, hi);
	urna_batch *bt = batch_new(b.K);
	uint64_t bad[1];
	size_t nbad;
	assert_non_null(bt);
	int brc = range_batch_add(bt, 5, &r, &b, q, ch, &ct, lo, hi);
	brc = batch_verify(bt, bad, 1, &nbad) || brc ? -1 : 0;
	batch_free(bt);
	assert_int_equal(rc, brc);
	return rc;
}

/* A packed proof over the statement's values: packed_verify and a batch of
 * one must agree. */
static int check_packed(json_t *st, json_t *pf, uint8_t c[32])
{
	urna_bind b;
	urna_ct ct;
	urna_range r;
	uint64_t vals[URNA_MAX_PACKED + 1];
	size_t j, n;
	json_t *br, *vj;
	bind_of(&b, st);
	hexf(ct.alpha, 32, st, "alpha");
	hexf(ct.beta, 32, st, "beta");
	uint32_t q = u32f(st, "question");
	n = json_array_size(json_object_get(st, "values"));
	assert_true(n >= 1 && n <= URNA_MAX_PACKED);
	json_array_foreach(json_object_get(st, "values"), j, vj)
		vals[j] = (uint64_t)json_integer_value(vj);
	memset(&r, 0, sizeof r);
	r.lo = 0;
	r.hi = (uint32_t)json_array_size(pf) - 1;
	json_array_foreach(pf, j, br) {
		hexf(r.br[j].A, 32, br, "A");
		hexf(r.br[j].B, 32, br, "B");
		hexf(r.br[j].c, 32, br, "c");
		hexf(r.br[j].z, 32, br, "z");
	}
	packed_challenge(c, &b, q, &ct, r.br, vals, (uint32_t)n);
	int rc = packed_verify(&r, &b, q, &ct, vals, (uint32_t)n);
	urna_batch *bt = batch_new(b.K);
	uint64_t bad[1];
	size_t nbad;
	assert_non_null(bt);
	int brc = packed_batch_add(bt, 5, &r, &b, q, &ct, vals, (uint32_t)n);
	brc = batch_verify(bt, bad, 1, &nbad) || brc ? -1 : 0;
	batch_free(bt);
	assert_int_equal(rc, brc);
	return rc;
}

static int check_signature(json_t *st, json_t *pf, uint8_t c[32])
{
	urna_bind b;
	urna_schnorr sig;
	uint8_t msg[32];
	bind_of(&b, st);
	hexf(msg, 32, st, "msg");
	hexf(sig.A, 32, pf, "A");
	hexf(sig.z, 32, pf, "z");
	sig_challenge(c, &b, msg, sig.A);
	int rc = sig_verify(&sig, &b, msg);
	urna_batch *bt = batch_new(b.K);
	uint64_t bad[1];
	size_t nbad;
	assert_non_null(bt);
	int brc = sig_batch_add(bt, 5, &sig, &b, msg);
	brc = batch_verify(bt, bad, 1, &nbad) || brc ? -1 : 0;
	batch_free(bt);
	assert_int_equal(rc, brc);
	return rc;
}

static int check_pok(json_t *st, json_t *pf, uint8_t c[32])
{
	uint8_t h_R[32], C[URNA_MAX_COMMIT][32], box[32];
	urna_schnorr p;
	size_t k;
	json_t *cv;
	hexf(h_R, 32, st, "h_R");
	hexf(box, 32, st, "box_key");
	json_t *cs = json_object_get(st, "commitments");
	assert_true(json_array_size(cs) >= 1 && json_array_size(cs) <= URNA_MAX_COMMIT);
	json_array_foreach(cs, k, cv)
		assert_int_equal(unhex(C[k], 32, json_string_value(cv)), 32);
	hexf(p.A, 32, pf, "A");
	hexf(p.z, 32, pf, "z");
	uint32_t i = u32f(st, "i"), n = (uint32_t)json_array_size(cs);
	pok_challenge(c, h_R, i, (const uint8_t(*)[32])C, n, box, p.A);
	return pok_verify(&p, h_R, i, (const uint8_t(*)[32])C, n, box);
}

static int check_decrypt(json_t *st, json_t *pf, uint8_t c[32])
{
	urna_dec_bind b;
	urna_ct ct;
	urna_cp p;
	uint8_t D[32];
	hexf(b.K, 32, st, "K");
	hexf(b.h_R, 32, st, "h_R");
	hexf(b.h_E, 32, st, "h_E");
	b.j = u32f(st, "j");
	hexf(b.X_j, 32, st, "X_j");
	hexf(ct.alpha, 32, st, "A");
	hexf(ct.beta, 32, st, "B");
	hexf(D, 32, st, "D");
	hexf(p.U, 32, pf, "U");
	hexf(p.V, 32, pf, "V");
	hexf(p.z, 32, pf, "z");
	cp_challenge(c, &b, &ct, D, p.U, p.V);
	return cp_verify(&p, &b, &ct, D);
}

static void test_range_proofs(void **state)
{
	(void)state;
	check_kind("range", check_range);
}

static void test_packed_proofs(void **state)
{
	(void)state;
	check_kind("packed", check_packed);
}

/* s.6: a ciphertext of 2, M + 1, M^2 or M - 1 has no proof over 0, 1, M:
 * its proof (made over a list holding the value) is refused, in a batch
 * too, and its challenge is not the statement's. */
static void test_packed_unallowed(void **state)
{
	(void)state;
	size_t i;
	json_t *v;
	json_t *vs = json_object_get(json_object_get(vectors, "packed_unallowed"), "vectors");
	assert_true(json_array_size(vs) >= 4);
	json_array_foreach(vs, i, v) {
		uint8_t c[32];
		if (check_packed(json_object_get(v, "statement"), json_object_get(v, "proof"), c) != -1)
			fail_msg("a packed ciphertext of %lld verifies", (long long)json_integer_value(json_object_get(v, "value")));
		expect_hex(c, 32, str(v, "challenge"));
	}
}

/* s.14: ballot_make_from with Python's draws makes Python's bytes, unsigned
 * (an audit's) and signed, with the same tracker. */
static void test_ballots(void **state)
{
	(void)state;
	size_t i, j;
	json_t *v, *d;
	json_t *vs = json_object_get(json_object_get(vectors, "ballots"), "vectors");
	assert_true(json_array_size(vs) >= 3);
	json_array_foreach(vs, i, v) {
		manifest m;
		urna_err e = {0};
		uint8_t K[32], x[32], X[32], h_E[32], trk[32], trk2[32], (*draws)[32];
		uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES] = {{0}};
		const char *mt = str(v, "manifest");
		json_t *mj = json_loads(mt, 0, NULL);
		assert_int_equal(manifest_parse(&m, mj, &e), 0);
		json_decref(mj);
		hexf(m.h_R, 32, v, "h_R");
		hexf(K, 32, v, "K");
		hexf(x, 32, v, "x");
		hexf(X, 32, v, "X");
		hash32(h_E, mt, strlen(mt));
		json_t *sl = json_object_get(v, "selections");
		for (uint32_t q = 0; q < m.nq; q++)
			for (uint32_t k = 0; k < m.m[q]; k++)
				sel[q][k] = (uint8_t)json_integer_value(json_array_get(json_array_get(sl, q), k));
		json_t *dl = json_object_get(v, "draws");
		size_t n = json_array_size(dl);
		draws = malloc(n * 32);
		json_array_foreach(dl, j, d)
			assert_int_equal(unhex(draws[j], 32, json_string_value(d)), 32);
		uint64_t electorate = (uint64_t)json_integer_value(json_object_get(v, "electorate"));
		char *out;
		size_t len;
		assert_int_equal(ballot_make_from(&out, &len, trk, str(v, "referendum"), str(v, "region"), &m, electorate, h_E,
		                                  K, NULL, X, (const uint8_t(*)[URNA_MAX_CHOICES])sel,
		                                  (const uint8_t(*)[32])draws, n - 1, &e), 0);
		assert_string_equal(out, str(v, "unsigned"));
		free(out);
		assert_int_equal(ballot_make_from(&out, &len, trk2, str(v, "referendum"), str(v, "region"), &m, electorate, h_E,
		                                  K, x, X, (const uint8_t(*)[URNA_MAX_CHOICES])sel,
		                                  (const uint8_t(*)[32])draws, n, &e), 0);
		assert_string_equal(out, str(v, "signed"));
		expect_hex(trk, 32, str(v, "tracker"));
		expect_hex(trk2, 32, str(v, "tracker"));
		/* and it verifies as cast */
		ballot *b = ballot_new();
		assert_int_equal(ballot_parse(b, out, len, &e), 0);
		assert_int_equal(ballot_shape_ok(b, &m, electorate, &e), 0);
		assert_int_equal(ballot_verify(b, h_E, K, &e), 0);
		free(b);
		free(out);
		free(draws);
	}
}

static void test_signatures(void **state)
{
	(void)state;
	check_kind("signature", check_signature);
}

static void test_poks(void **state)
{
	(void)state;
	check_kind("pok", check_pok);
}

static void test_decryptions(void **state)
{
	(void)state;
	check_kind("decrypt", check_decrypt);
}

int main(void)
{
	if (crypto_setup() != 0 || !(vectors = vectors_load("crypto.json")))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash32),
		cmocka_unit_test(test_H_Hs),
		cmocka_unit_test(test_credential),
		cmocka_unit_test(test_tracker),
		cmocka_unit_test(test_b64url),
		cmocka_unit_test(test_b32),
		cmocka_unit_test(test_range_proofs),
		cmocka_unit_test(test_packed_proofs),
		cmocka_unit_test(test_packed_unallowed),
		cmocka_unit_test(test_ballots),
		cmocka_unit_test(test_signatures),
		cmocka_unit_test(test_poks),
		cmocka_unit_test(test_decryptions),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_decref(vectors);
	return rc;
}
