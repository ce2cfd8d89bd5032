/* test_receipt.c: signed ballot receipts (docs/protocol.md s.18): the
 * signed bytes against a known answer computed in Python from the text of
 * s.18 (tests/vectors/urnaref.py: H, then Ed25519 from a fixed seed), the
 * document's strict reading, every signed field bound, the check of a
 * server's answer, and the verdicts of receipt_check_board that need no
 * ballot (the ones with ballots: tests/integration/receipt.sh). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "client/board.h"
#include "client/receipt.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "record/body.h"
#include "record/board.h"
#include "record/receipt.h"
#include "record/entry.h"

/* python3: H('receipt', b'demo-2027', bytes(range(32)), u32(7),
 * bytes(range(32, 64)), bytes(range(64, 96))); the key from the seed
 * bytes(range(96, 128)). */
static const char KAT_MSG[] =
	"70de8ce97d099d7fb9b4d5d0ae186f23f1c2060d4e7fea7dc1f61ae1bea88608"
	"012625d2c602e6f7a894f1ea3c5314dedd4845180aa466a87f49d0273839bce4";
static const char KAT_RECEIPT[] =
	"{\"h_R\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\",\"head\":\"QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8\","
	"\"referendum\":\"demo-2027\",\"seq\":7,\"server_key\":\"F0VTtFbd38aQjsqxwQH-arIeK6oGF3lbfUOmNIKZP9U\","
	"\"signature\":\"DVvZFFmqO531qDOH-m1D92FY_rK8aJyDDIPnHnj5_rRhtu3ejIIT-XdCseyamobxa1NJDrrTZ6p7opVpdQuVBw\","
	"\"tracker\":\"ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8\"}";

static uint8_t pk[32], sk[64];

static int setup(void **state)
{
	uint8_t seed[32];
	(void)state;
	if (crypto_setup() != 0)
		return -1;
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)(96 + i);
	return crypto_sign_seed_keypair(pk, sk, seed);
}

static void kat_fields(uint8_t h_R[32], uint8_t tracker[32], uint8_t head[32])
{
	for (int i = 0; i < 32; i++) {
		h_R[i] = (uint8_t)i;
		tracker[i] = (uint8_t)(32 + i);
		head[i] = (uint8_t)(64 + i);
	}
}

static char *encode(const receipt *r)
{
	json_t *j = receipt_json(r);
	char *s = canon_encode(j, NULL);
	json_decref(j);
	assert_non_null(s);
	return s;
}

/* s.18: the signed message and the document, byte for byte. */
static void test_known_answer(void **state)
{
	uint8_t h_R[32], tracker[32], head[32], m[64];
	char hex[129];
	receipt r, back;
	urna_err e = {0};
	(void)state;
	kat_fields(h_R, tracker, head);
	assert_int_equal(receipt_sign(&r, "demo-2027", h_R, 7, tracker, head, pk, sk, &e), 0);
	receipt_message(m, &r);
	sodium_bin2hex(hex, sizeof hex, m, sizeof m);
	assert_string_equal(hex, KAT_MSG);
	char *s = encode(&r);
	assert_string_equal(s, KAT_RECEIPT);
	assert_int_equal(receipt_parse(&back, s, strlen(s), &e), 0);
	assert_memory_equal(&back, &r, sizeof r);
	assert_int_equal(receipt_verify(&back, pk, &e), 0);
	free(s);
	/* Any layout a person may give it reads the same. */
	json_t *j = json_loads(KAT_RECEIPT, 0, NULL);
	char *pretty = json_dumps(j, JSON_INDENT(3));
	assert_int_equal(receipt_parse(&back, pretty, strlen(pretty), &e), 0);
	assert_memory_equal(&back, &r, sizeof r);
	free(pretty);
	json_decref(j);
}

/* Every field the signature covers is bound: changing one fails it. */
static void test_every_field_signed(void **state)
{
	uint8_t h_R[32], tracker[32], head[32], opk[32], osk[64];
	receipt r, x;
	urna_err e = {0};
	(void)state;
	kat_fields(h_R, tracker, head);
	assert_int_equal(receipt_sign(&r, "demo-2027", h_R, 7, tracker, head, pk, sk, &e), 0);
	x = r; x.h_R[0] ^= 1;       assert_int_equal(receipt_verify(&x, pk, &e), -1);
	assert_int_equal(e.code, URNA_E_BAD_SIGNATURE);
	x = r; x.seq = 8;           assert_int_equal(receipt_verify(&x, pk, &e), -1);
	x = r; x.tracker[31] ^= 1;  assert_int_equal(receipt_verify(&x, pk, &e), -1);
	x = r; x.head[5] ^= 0x80;   assert_int_equal(receipt_verify(&x, pk, &e), -1);
	x = r; x.sig[63] ^= 1;      assert_int_equal(receipt_verify(&x, pk, &e), -1);
	x = r; snprintf(x.referendum, sizeof x.referendum, "demo-2028");
	assert_int_equal(receipt_verify(&x, pk, &e), -1);
	crypto_sign_keypair(opk, osk);
	assert_int_equal(receipt_verify(&r, opk, &e), -1);
	/* A seq over a u32 cannot be signed (it would be signed truncated). */
	assert_int_equal(receipt_sign(&x, "demo-2027", h_R, (uint64_t)UINT32_MAX + 1, tracker, head, pk, sk, &e), -1);
	assert_int_equal(e.code, URNA_E_MALFORMED);
	assert_int_equal(receipt_sign(&x, "Demo", h_R, 1, tracker, head, pk, sk, &e), -1);
}

/* The document: exactly its keys, the right encodings, nothing else. */
static void test_parse_refusals(void **state)
{
	static const struct { const char *from, *to; urna_code code; } cases[] = {
		{"\"seq\":7", "\"seq\":-1", URNA_E_MALFORMED},
		{"\"seq\":7", "\"seq\":4294967296", URNA_E_MALFORMED},
		{"\"seq\":7", "\"seq\":\"7\"", URNA_E_MALFORMED},
		{"\"seq\":7", "\"seq\":7,\"extra\":1", URNA_E_MALFORMED},
		{"\"seq\":7,", "", URNA_E_MALFORMED},
		{"\"seq\":7", "\"seq\":7,\"seq\":8", URNA_E_MALFORMED},
		{"\"demo-2027\"", "\"Demo 2027\"", URNA_E_MALFORMED},
		{"Pj8\"", "Pj\"", URNA_E_BAD_ENCODING},          /* tracker: 31 bytes */
		{"QEFCQ0RF", "QEFCQ0R+", URNA_E_BAD_ENCODING},    /* head: not base64url */
		{"dQuVBw\"", "dQuV\"", URNA_E_BAD_ENCODING},      /* signature: short */
		{"{\"h_R\"", "[{\"h_R\"", URNA_E_MALFORMED},
	};
	receipt r;
	urna_err e = {0};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char doc[1024];
		const char *at = strstr(KAT_RECEIPT, cases[i].from);
		assert_non_null(at);
		snprintf(doc, sizeof doc, "%.*s%s%s", (int)(at - KAT_RECEIPT), KAT_RECEIPT, cases[i].to,
		         at + strlen(cases[i].from));
		assert_int_equal(receipt_parse(&r, doc, strlen(doc), &e), -1);
		if (e.code != cases[i].code)
			fail_msg("case %zu (%s): %s, want %s: %s", i, cases[i].to, err_name(e.code), err_name(cases[i].code),
			         e.msg);
		static const uint8_t zero[sizeof r];
		assert_memory_equal(&r, zero, sizeof r);
	}
	char *big = malloc(URNA_RECEIPT_MAX + 2);
	memset(big, ' ', URNA_RECEIPT_MAX + 1);
	big[URNA_RECEIPT_MAX + 1] = 0;
	assert_int_equal(receipt_parse(&r, big, URNA_RECEIPT_MAX + 1, &e), -1);
	assert_int_equal(e.code, URNA_E_TOO_LARGE);
	free(big);
	assert_int_equal(receipt_parse(&r, "", 0, &e), -1);
	assert_int_equal(e.code, URNA_E_MALFORMED);
}

/* urna vote's check of the intake's answer (docs/api.md). */
static void test_answer(void **state)
{
	uint8_t h_R[32], tracker[32], head[32], other[32] = {1};
	receipt r, got;
	urna_err e = {0};
	(void)state;
	kat_fields(h_R, tracker, head);
	assert_int_equal(receipt_sign(&r, "demo-2027", h_R, 7, tracker, head, pk, sk, &e), 0);
	json_t *ans = json_pack("{s:I, s:o}", "seq", (json_int_t)7, "receipt", receipt_json(&r));
	assert_int_equal(receipt_of_answer(&got, ans, tracker, pk, &e), 0);
	assert_memory_equal(&got, &r, sizeof r);
	assert_int_equal(receipt_of_answer(&got, ans, tracker, NULL, &e), 0);
	assert_int_equal(receipt_of_answer(&got, ans, other, pk, &e), -1);  /* another ballot */
	assert_int_equal(e.code, URNA_E_MISMATCH);
	assert_int_equal(receipt_of_answer(&got, ans, tracker, other, &e), -1); /* another key */
	assert_int_equal(e.code, URNA_E_MISMATCH);
	json_object_set_new(ans, "seq", json_integer(8));
	assert_int_equal(receipt_of_answer(&got, ans, tracker, pk, &e), -1); /* another entry */
	json_object_set_new(ans, "seq", json_integer(7));
	json_object_set_new(json_object_get(ans, "receipt"), "head", json_string("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"));
	assert_int_equal(receipt_of_answer(&got, ans, tracker, pk, &e), -1);
	assert_int_equal(e.code, URNA_E_BAD_SIGNATURE);
	json_object_del(ans, "receipt");
	assert_int_equal(receipt_of_answer(&got, ans, tracker, pk, &e), -1);
	assert_int_equal(e.code, URNA_E_MALFORMED);
	json_decref(ans);
}

/* A board of one line, the referendum entry of "u" naming server key pk. */
static void one_line_board(board_view *b, uint8_t h_R[32])
{
	urna_err e = {0};
	rtime o, c, a;
	const char *regions[] = {"x"};
	uint8_t prev[32] = {0};
	size_t n, len;
	assert_int_equal(rtime_make(&o, "Europe/Moscow", "2026-07-01T00:00", &e), 0);
	assert_int_equal(rtime_make(&c, "Europe/Moscow", "2026-07-15T23:59", &e), 0);
	assert_int_equal(rtime_make(&a, "Europe/Moscow", "2026-07-16T12:00", &e), 0);
	json_t *title = json_pack("{s:s}", "en", "U");
	uint8_t opk[32], osk[64], apk[32], ask[64], tpk[32], tsk[64];
	crypto_sign_keypair(opk, osk);
	crypto_sign_keypair(apk, ask);
	crypto_sign_keypair(tpk, tsk);
	json_t *roles = json_pack("{s:{s:o,s:s},s:{s:o,s:s},s:[{s:o,s:s,s:[s]}],s:{s:i,s:[{s:o,s:s}]}}", "organizer", "key",
	                          canon_b64(opk, 32), "name", "O", "server", "key", canon_b64(pk, 32), "name", "S",
	                          "authorities", "key", canon_b64(apk, 32), "name", "A", "regions", "x", "trustees", "t", 1,
	                          "members", "key", canon_b64(tpk, 32), "name", "T");
	json_t *body = referendum_make("u", title, "Europe/Moscow", &o, &c, &a, regions, 1, roles, &e);
	json_decref(roles);
	assert_non_null(body);
	char *bytes = canon_encode(body, &n);
	rec_sig by = {.by = "organizer"};
	hash32(h_R, bytes, n);
	entry_sign(&by, h_R, KIND_REFERENDUM, NULL, 0, bytes, n, osk);
	char *line = line_make(&len, 0, prev, 1782000000, KIND_REFERENDUM, NULL, &by, bytes, n, &e);
	assert_non_null(line);
	hash32(h_R, bytes, n);
	char *text = malloc(len + 2);
	memcpy(text, line, len);
	text[len] = '\n';
	assert_int_equal(board_parse(b, text, len + 1, &e), 0);
	free(line);
	free(bytes);
	json_decref(body);
	json_decref(title);
}

/* The verdicts decided before any ballot is looked for. */
static void test_check_board(void **state)
{
	uint8_t h_R[32], tracker[32] = {7}, head[32] = {9}, opk[32], osk[64];
	board_view b;
	receipt r;
	receipt_report rep;
	urna_err e = {0};
	(void)state;
	one_line_board(&b, h_R);
	/* Signed by the board's server, for its referendum, a ballot it lacks: evidence. */
	assert_int_equal(receipt_sign(&r, "u", h_R, 1, tracker, head, pk, sk, &e), 0);
	assert_int_equal(receipt_check_board(&rep, &r, &b, &e), 0);
	assert_int_equal(rep.verdict, RECEIPT_NOT_ON_BOARD);
	assert_non_null(strstr(rep.why, "no ballot with this tracker"));
	assert_int_equal(rep.key_differs, 0);
	assert_int_equal(rep.found_seq, -1);
	/* Another referendum's (same server key): refused. */
	assert_int_equal(receipt_sign(&r, "v", h_R, 1, tracker, head, pk, sk, &e), 0);
	assert_int_equal(receipt_check_board(&rep, &r, &b, &e), 0);
	assert_int_equal(rep.verdict, RECEIPT_REFUSED);
	assert_non_null(strstr(rep.why, "for referendum v"));
	/* Signed for another seq-0 entry of "u": the board was rewritten. */
	uint8_t h2[32];
	memcpy(h2, h_R, 32);
	h2[0] ^= 1;
	assert_int_equal(receipt_sign(&r, "u", h2, 1, tracker, head, pk, sk, &e), 0);
	assert_int_equal(receipt_check_board(&rep, &r, &b, &e), 0);
	assert_int_equal(rep.verdict, RECEIPT_NOT_ON_BOARD);
	assert_non_null(strstr(rep.why, "rewritten from its first line"));
	/* One bit of the signature: refused, the keys the same. */
	assert_int_equal(receipt_sign(&r, "u", h_R, 1, tracker, head, pk, sk, &e), 0);
	r.sig[0] ^= 1;
	assert_int_equal(receipt_check_board(&rep, &r, &b, &e), 0);
	assert_int_equal(rep.verdict, RECEIPT_REFUSED);
	assert_int_equal(rep.key_differs, 0);
	assert_int_equal(rep.own_key_ok, 0);
	/* Re-signed with another key, naming it: refused, and the keys differ. */
	crypto_sign_keypair(opk, osk);
	assert_int_equal(receipt_sign(&r, "u", h_R, 1, tracker, head, opk, osk, &e), 0);
	assert_int_equal(receipt_check_board(&rep, &r, &b, &e), 0);
	assert_int_equal(rep.verdict, RECEIPT_REFUSED);
	assert_int_equal(rep.key_differs, 1);
	assert_int_equal(rep.own_key_ok, 1);
	assert_memory_equal(rep.board_key, pk, 32);
	board_free(&b);
	/* A board without its referendum entry: nothing to check against. */
	char *text = strdup("");
	assert_int_equal(board_parse(&b, text, 0, &e), 0);
	assert_int_equal(receipt_check_board(&rep, &r, &b, &e), -1);
	board_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answer), cmocka_unit_test(test_every_field_signed),
		cmocka_unit_test(test_parse_refusals), cmocka_unit_test(test_answer), cmocka_unit_test(test_check_board),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
