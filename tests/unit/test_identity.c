/* test_identity.c: roles and their key files (src/record/identity.c,
 * src/client/identity.c): a fingerprint's form and a known answer (from
 * tests/vectors/urnaref.py: H("fingerprint", pk), 10 bytes, base32 in
 * groups of four), a key file made, read back, never replaced, and
 * refused when it is not a key file or its halves disagree. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "record/keyfile.h"
#include "record/file.h"

static void test_fingerprint(void **state)
{
	(void)state;
	uint8_t pk[32];
	char fp[URNA_FINGERPRINT_TEXT], fp2[URNA_FINGERPRINT_TEXT];
	for (int i = 0; i < 32; i++)
		pk[i] = (uint8_t)i;
	key_fingerprint(fp, pk);
	assert_string_equal(fp, "QQLQ-QA7S-45DU-RVAJ");
	assert_int_equal(strlen(fp), URNA_FINGERPRINT_TEXT - 1);
	pk[31] ^= 1;
	key_fingerprint(fp2, pk);
	assert_string_not_equal(fp, fp2);
	assert_int_equal(role_parse("trustee"), ROLE_TRUSTEE);
	assert_int_equal(role_parse("admin"), -1);
	assert_int_equal(role_parse(NULL), -1);
	assert_string_equal(role_name(ROLE_AUTHORITY), "authority");
}

static void test_key_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/urna-id-XXXXXX", path[64], bad[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/org.key", dir);
	snprintf(bad, sizeof bad, "%s/bad.key", dir);
	urna_err e = {0};
	identity_key a, b;
	assert_int_equal(identity_keygen(path, ROLE_ORGANIZER, "Central commission", &a, &e), 0);
	assert_int_equal(identity_load(path, &b, &e), 0);
	assert_int_equal(b.role, ROLE_ORGANIZER);
	assert_string_equal(b.name, "Central commission");
	assert_memory_equal(a.pk, b.pk, 32);
	assert_memory_equal(a.sk, b.sk, 64);
	/* the key signs, and its public half checks it */
	uint8_t sig[64];
	crypto_sign_detached(sig, NULL, (const uint8_t *)"m", 1, b.sk);
	assert_int_equal(crypto_sign_verify_detached(sig, (const uint8_t *)"m", 1, a.pk), 0);
	/* never replaced */
	assert_int_equal(identity_keygen(path, ROLE_SERVER, "x", NULL, &e), -1);
	assert_int_equal(e.code, URNA_E_CONFLICT);
	assert_int_equal(identity_load(path, &b, &e), 0);
	assert_int_equal(b.role, ROLE_ORGANIZER);
	/* a name is required */
	assert_int_equal(identity_keygen(bad, ROLE_SERVER, "", NULL, &e), -1);
	/* halves that disagree: another key's public half */
	size_t n;
	char *text = file_read(path, 4096, &n, &e);
	assert_non_null(text);
	char pk[URNA_B64_32], other[URNA_B64_32];
	uint8_t opk[32], osk[64];
	b64url_encode(pk, a.pk, 32);
	crypto_sign_keypair(opk, osk);
	b64url_encode(other, opk, 32);
	char *at = strstr(text, pk);
	assert_non_null(at);
	memcpy(at, other, strlen(other));
	assert_int_equal(file_write(bad, text, n, 0600, &e), 0);
	assert_int_equal(identity_load(bad, &b, &e), -1);
	assert_int_equal(e.code, URNA_E_MISMATCH);
	/* not a key file */
	assert_int_equal(file_write(bad, "{\"version\":1}", 13, 0600, &e), 0);
	assert_int_equal(identity_load(bad, &b, &e), -1);
	assert_int_equal(e.code, URNA_E_MALFORMED);
	sodium_memzero(text, n);
	free(text);
	identity_wipe(&a);
	identity_wipe(&b);
	unlink(path);
	unlink(bad);
	rmdir(dir);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_key_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
