/* test_audit.c: the Benaloh audit check (docs/protocol.md s.16,
 * src/record/audit.h) against the shared vectors of tests/vectors/audit.json
 * (made by tests/vectors/gen_audit.py, independently of this C code): every
 * file gets its verdict, "ok" with its selections or the class of the first
 * check that fails. The booth's JavaScript check reads the same file
 * (web/tests/audit.test.mjs). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "record/audit.h"
#include "unit/vectors.h"

static json_t *vectors;

/* The file of vector v: its "file" text or its "file_hex" bytes (malloc'd). */
static char *file_of(const json_t *v, size_t *len)
{
	const char *text = json_string_value(json_object_get(v, "file"));
	const char *hex = json_string_value(json_object_get(v, "file_hex"));
	char *out;
	if (text) {
		*len = json_string_length(json_object_get(v, "file"));
		out = malloc(*len + 1);
		assert_non_null(out);
		memcpy(out, text, *len + 1);
		return out;
	}
	assert_non_null(hex);
	out = malloc(strlen(hex) / 2 + 1);
	assert_non_null(out);
	assert_int_equal(sodium_hex2bin((unsigned char *)out, strlen(hex) / 2 + 1, hex, strlen(hex), NULL, len, NULL), 0);
	assert_int_equal(*len, strlen(hex) / 2);
	return out;
}

/* s.16: each vector's verdict, and an ok one's selections and tracker. */
static void test_vectors(void **state)
{
	(void)state;
	const json_t *vs = json_object_get(vectors, "vectors"), *v;
	size_t i, bad = 0, ok = 0;
	assert_true(json_array_size(vs) >= 40);
	json_array_foreach(vs, i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *want = json_string_value(json_object_get(v, "verdict"));
		size_t len;
		char *file = file_of(v, &len);
		audit_result r;
		urna_err e = {0};
		int rc = audit_check(&r, file, len, &e);
		const char *got = rc == 0 ? "ok" : err_name(e.code);
		if (strcmp(got, want)) {
			print_error("%s: want %s, got %s (%s)\n", name, want, got, rc ? e.msg : "audit OK");
			bad++;
		} else if (rc == 0) {
			/* The selections shown are the file's, and the tracker its ballot's. */
			const json_t *sel = json_object_get(v, "selections"), *qs;
			size_t q;
			ok++;
			assert_int_equal(r.m.nq, json_array_size(sel));
			json_array_foreach(sel, q, qs) {
				size_t k;
				const json_t *x;
				assert_int_equal(r.m.m[q], json_array_size(qs));
				json_array_foreach(qs, k, x)
					assert_int_equal(r.sel[q][k], json_integer_value(x));
			}
			assert_string_equal(r.referendum, json_string_value(json_object_get(vectors, "referendum")));
			assert_string_equal(r.region, json_string_value(json_object_get(vectors, "region")));
			assert_non_null(json_object_get(r.manifest, "questions"));
			audit_result_free(&r);
		} else {
			/* A failure names what failed and leaves nothing behind. */
			assert_true(e.msg[0] != '\0');
			assert_null(r.manifest);
			assert_int_equal(r.m.nq, 0);
		}
		free(file);
	}
	assert_true(ok >= 1);
	assert_int_equal(bad, 0);
}

/* The file's ceiling comes before anything is read; e may be NULL. */
static void test_limits(void **state)
{
	(void)state;
	audit_result r;
	urna_err e = {0};
	size_t n = URNA_AUDIT_MAX + 1;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, ' ', n);
	assert_int_equal(audit_check(&r, big, n, &e), -1);
	assert_int_equal(e.code, URNA_E_TOO_LARGE);
	free(big);
	assert_int_equal(audit_check(&r, "", 0, NULL), -1);
	assert_int_equal(audit_check(&r, "{}", 2, &e), -1);
	assert_int_equal(e.code, URNA_E_MALFORMED);
	audit_result_free(&r);
}

int main(void)
{
	if (crypto_setup() != 0 || !(vectors = vectors_load("audit.json")))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_limits),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_decref(vectors);
	return rc;
}
