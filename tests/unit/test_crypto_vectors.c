/* test_crypto_vectors.c: known answers from tests/vectors/crypto.json (made
 * by tests/vectors/gen_crypto.py, independently of this C code) for H, Hs,
 * hash32 (PROTOCOL.md s.2, s.11), credential keys (s.5, s.12), trackers
 * (s.14) and base64url/base32 (s.2, s.12). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>
#include <string.h>
#include "crypto/encoding.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/proof.h"
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
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_decref(vectors);
	return rc;
}
