/* test_crypto_group.c: the group wrapper (PROTOCOL.md s.2): RFC 9496
 * test vectors, rejection of bad encodings and scalars, libsodium and
 * libdecaf agreeing, scalar arithmetic, MSM against a plain sum. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "crypto/batch.h"
#include "crypto/group.h"

static void unhex32(uint8_t out[32], const char *hex)
{
	assert_int_equal(sodium_hex2bin(out, 32, hex, 64, NULL, NULL, NULL), 0);
}

/* RFC 9496 A.1: encodings of 0B..15B. */
static const char *multiples[16] = {
	"0000000000000000000000000000000000000000000000000000000000000000",
	"e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
	"6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
	"94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
	"da80862773358b466ffadfe0b3293ab3d9fd53c5ea6c955358f568322daf6a57",
	"e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e",
	"f64746d3c92b13050ed8d80236a7f0007c3b3f962f5ba793d19a601ebb1df403",
	"44f53520926ec81fbd5a387845beb7df85a96a24ece18738bdcfa6a7822a176d",
	"903293d8f2287ebe10e2374dc1a53e0bc887e592699f02d077d5263cdd55601c",
	"02622ace8f7303a31cafc63f8fc48fdc16e1c8c8d234b2f0d6685282a9076031",
	"20706fd788b2720a1ed2a5dad4952b01f413bcf0e7564de8cdc816689e2db95f",
	"bce83f8ba5dd2fa572864c24ba1810f9522bc6004afe95877ac73241cafdab42",
	"e4549ee16b9aa03099ca208c67adafcafa4c3f3e4e5303de6026e3ca8ff84460",
	"aa52e000df2e16f55fb1032fc33bc42742dad6bd5a8fc0be0167436c5948501f",
	"46376b80f409b29dc2b5f6f0c52591990896e5716f41477cd30085ab7f10301e",
	"e0c418f7c8d9c4cdd7395b93ea124f3ad99021bb681dfc3302a9d99a2e53e64e",
};

/* RFC 9496 A.2: encodings every decoder must reject. */
static const char *bad_encodings[] = {
	/* non-canonical field elements */
	"00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	/* negative field elements */
	"0100000000000000000000000000000000000000000000000000000000000000",
	"01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"ed57ffd8c914fb201471d1c3d245ce3c746fcbe63a3679d51b6a516ebebe0e20",
	"c34c4e1826e5d403b78e246e88aa051c36ccf0aafebffe137d148a2bf9104562",
	"c940e5a4404157cfb1628b108db051a8d439e1a421394ec4ebccb9ec92a8ac78",
	"47cfc5497c53dc8e61c91d17fd626ffb1c49e2bca94eed052281b510b1117a24",
	"f1c6165d33367351b0da8f6e4511010c68174a03b6581212c71c0e1d026c3c72",
	"87260f7a2f12495118360f02c26a470f450dadf34a413d21042b43b9d93e1309",
	/* non-square x^2 */
	"26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
	"4eac077a713c57b4f4397629a4145982c661f48044dd3f96427d40b147d9742f",
	"de6a7b00deadc788eb6b6c8d20c0ae96c2f2019078fa604fee5b87d6e989ad7b",
	"bcab477be20861e01e4a0e295284146a510150d9817763caf1a6f4b422d67042",
	"2a292df7e32cababbd9de088d1d1abec9fc0440f637ed2fba145094dc14bea08",
	"f4a9e534fc0d216c44b218fa0c42d99635a0127ee2e53c712f70609649fdff22",
	"8268436f8c4126196cf64b3c7ddbda90746a378625f9813dd9b8457077256731",
	"2810e5cbc2cc4d4eece54f61c6f69758e289aa7ab440b3cbeaa21995c2f4232b",
	/* negative xy value */
	"3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e",
	"a45fdc55c76448c049a1ab33f17023edfb2be3581e9c7aade8a6125215e04220",
	"d483fe813c6ba647ebbfd3ec41adca1c6130c2beeee9d9bf065c8d151c5f396e",
	"8a2e1d30050198c65a54483123960ccc38aef6848e1ec8f5f780e8523769ba32",
	"32888462f8b486c68ad7dd9610be5192bbeaf3b443951ac1a8118419d9fa097b",
	"227142501b9d4355ccba290404bde41575b037693cef1f438c47f8fbf35d1165",
	"5c37cc491da847cfeb9281d407efc41e15144c876e0170b499a96a22ed31e01e",
	"445425117cb8c90edcbc7c1cc0e74f747f2c1efa5630a967c64f287792a48a4b",
	/* s = -1, which causes y = 0 */
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
};

/* RFC 9496 A.3: the one-way map from 64 uniform bytes. */
static const char *hash_in[7][2] = {
	{"5d1be09e3d0c82fc538112490e35701979d99e06ca3e2b5b54bffe8b4dc772c1",
	 "4d98b696a1bbfb5ca32c436cc61c16563790306c79eaca7705668b47dffe5bb6"},
	{"f116b34b8f17ceb56e8732a60d913dd10cce47a6d53bee9204be8b44f6678b27",
	 "0102a56902e2488c46120e9276cfe54638286b9e4b3cdb470b542d46c2068d38"},
	{"8422e1bbdaab52938b81fd602effb6f89110e1e57208ad12d9ad767e2e25510c",
	 "27140775f9337088b982d83d7fcf0b2fa1edffe51952cbe7365e95c86eaf325c"},
	{"ac22415129b61427bf464e17baee8db65940c233b98afce8d17c57beeb7876c2",
	 "150d15af1cb1fb824bbd14955f2b57d08d388aab431a391cfc33d5bafb5dbbaf"},
	{"165d697a1ef3d5cf3c38565beefcf88c0f282b8e7dbd28544c483432f1cec767",
	 "5debea8ebb4e5fe7d6f6e5db15f15587ac4d4d4a1de7191e0c1ca6664abcc413"},
	{"a836e6c9a9ca9f1e8d486273ad56a78c70cf18f0ce10abb1c7172ddd605d7fd2",
	 "979854f47ae1ccf204a33102095b4200e5befc0465accc263175485f0e17ea5c"},
	{"2cdc11eaeb95daf01189417cdddbf95952993aa9cb9c640eb5058d09702c7462",
	 "2c9965a697a3b345ec24ee56335b556e677b30e6f90ac77d781064f866a3c982"},
};
static const char *hash_out[7] = {
	"3066f82a1a747d45120d1740f14358531a8f04bbffe6a819f86dfe50f44a0a46",
	"f26e5b6f7d362d2d2a94c5d0e7602cb4773c95a2e5c31a64f133189fa76ed61b",
	"006ccd2a9e6867e6a2c5cea83d3302cc9de128dd2a9a57dd8ee7b9d7ffe02826",
	"f8f0c87cf237953c5890aec3998169005dae3eca1fbb04548c635953c817f92a",
	"ae81e7dedf20a497e10c304a765c1767a42d6e06029758d2d7e8ef7cc4c41179",
	"e2705652ff9f5e44d3e841bf1c251cf7dddb77d140870d1ab2ed64f1a9ce8628",
	"80bd07262511cdde4863f8a7434cef696750681cb9510eea557088f76d9e5065",
};

static vt_point *vt_alloc(size_t n)
{
	vt_point *p = calloc(n, vt_point_size());
	assert_non_null(p);
	return p;
}

/* s.2: multiples of G, through libsodium and libdecaf. */
static void test_rfc9496_multiples(void **state)
{
	(void)state;
	uint8_t want[32], got[32], prev[32];
	vt_point *acc = vt_alloc(2), *g = (vt_point *)((char *)acc + vt_point_size());
	for (int i = 0; i < 16; i++) {
		unhex32(want, multiples[i]);
		assert_int_equal(point_small_base(got, (uint64_t)i), 0);
		assert_memory_equal(got, want, 32);
		uint8_t s[32];
		scalar_from_u64(s, (uint64_t)i);
		assert_int_equal(point_base_mul(got, s), 0);
		assert_memory_equal(got, want, 32);
		assert_int_equal(point_check(want), 0);
		assert_int_equal(point_check_nonzero(want), i == 0 ? -1 : 0);
		if (i >= 1) { /* libsodium addition: (i-1)G + G */
			uint8_t g[32];
			unhex32(g, multiples[1]);
			assert_int_equal(point_add(got, prev, g), 0);
			assert_memory_equal(got, want, 32);
		}
		memcpy(prev, want, 32);
	}
	/* libdecaf: decode G, add repeatedly, encode. */
	unhex32(want, multiples[0]);
	assert_int_equal(vt_decode(acc, want), 0);
	unhex32(want, multiples[1]);
	assert_int_equal(vt_decode(g, want), 0);
	for (int i = 1; i < 16; i++) {
		vt_add(acc, acc, g);
		vt_encode(got, acc);
		unhex32(want, multiples[i]);
		assert_memory_equal(got, want, 32);
	}
	free(acc);
}

/* s.2: decoding rejects every bad encoding, in both libraries; every
 * operation taking a point refuses them and zeroes its output. */
static void test_rfc9496_bad_encodings(void **state)
{
	(void)state;
	vt_point *p = vt_alloc(1);
	uint8_t bad[32], ok[32], out[32], s[32];
	unhex32(ok, multiples[3]);
	scalar_from_u64(s, 5);
	for (size_t i = 0; i < sizeof bad_encodings / sizeof *bad_encodings; i++) {
		unhex32(bad, bad_encodings[i]);
		assert_int_equal(point_check(bad), -1);
		assert_int_equal(point_check_nonzero(bad), -1);
		assert_int_equal(vt_decode(p, bad), -1);
		memset(out, 0xaa, 32);
		assert_int_equal(point_add(out, ok, bad), -1);
		assert_true(sodium_is_zero(out, 32));
		memset(out, 0xaa, 32);
		assert_int_equal(point_sub(out, bad, ok), -1);
		assert_true(sodium_is_zero(out, 32));
		memset(out, 0xaa, 32);
		assert_int_equal(point_mul(out, s, bad), -1);
		assert_true(sodium_is_zero(out, 32));
	}
	free(p);
}

/* RFC 9496 A.3 through libsodium's crypto_core_ristretto255_from_hash,
 * cross-checked by decoding in libdecaf. */
static void test_rfc9496_from_hash(void **state)
{
	(void)state;
	vt_point *p = vt_alloc(1);
	for (int i = 0; i < 7; i++) {
		uint8_t in[64], got[32], want[32], again[32];
		char hex[129];
		snprintf(hex, sizeof hex, "%s%s", hash_in[i][0], hash_in[i][1]);
		assert_int_equal(sodium_hex2bin(in, 64, hex, 128, NULL, NULL, NULL), 0);
		assert_int_equal(crypto_core_ristretto255_from_hash(got, in), 0);
		unhex32(want, hash_out[i]);
		assert_memory_equal(got, want, 32);
		assert_int_equal(vt_decode(p, got), 0);
		vt_encode(again, p);
		assert_memory_equal(again, want, 32);
	}
	free(p);
}

/* s.2: libsodium and libdecaf agree on random points and sums. */
static void test_sodium_decaf_agree(void **state)
{
	(void)state;
	vt_point *a = vt_alloc(3), *b = (vt_point *)((char *)a + vt_point_size()),
	         *c = (vt_point *)((char *)a + 2 * vt_point_size());
	for (int i = 0; i < 200; i++) {
		uint8_t x[32], y[32], X[32], Y[32], sum[32], diff[32], enc[32];
		scalar_random(x);
		scalar_random(y);
		assert_int_equal(point_base_mul(X, x), 0);
		crypto_core_ristretto255_random(Y);
		assert_int_equal(point_add(sum, X, Y), 0);
		assert_int_equal(point_sub(diff, X, Y), 0);
		assert_int_equal(vt_decode(a, X), 0);
		assert_int_equal(vt_decode(b, Y), 0);
		vt_encode(enc, a);
		assert_memory_equal(enc, X, 32);
		vt_add(c, a, b);
		vt_encode(enc, c);
		assert_memory_equal(enc, sum, 32);
		/* x G + y G = (x + y) G */
		uint8_t s[32], P[32], Q[32];
		scalar_add(s, x, y);
		assert_int_equal(point_base_mul(P, y), 0);
		assert_int_equal(point_add(P, X, P), 0);
		assert_int_equal(point_base_mul(Q, s), 0);
		assert_memory_equal(P, Q, 32);
		/* x (y G) = (x y) G */
		scalar_mul(s, x, y);
		assert_int_equal(point_base_mul(P, y), 0);
		assert_int_equal(point_mul(P, x, P), 0);
		assert_int_equal(point_base_mul(Q, s), 0);
		assert_memory_equal(P, Q, 32);
	}
	free(a);
}

/* s.2: scalars must be < l; arithmetic mod l. */
static void test_scalars(void **state)
{
	(void)state;
	static const uint8_t l[32] = {
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	};
	uint8_t s[32], t[32], u[32], one[32], P[32];
	memcpy(s, l, 32);
	assert_int_equal(scalar_check(s), -1); /* l */
	s[0]--;
	assert_int_equal(scalar_check(s), 0); /* l - 1 */
	memset(t, 0xff, 32);
	assert_int_equal(scalar_check(t), -1);
	scalar_from_u64(one, 1);
	scalar_add(u, s, one);
	assert_true(scalar_is_zero(u)); /* (l - 1) + 1 = 0 */
	scalar_neg(u, one);
	assert_memory_equal(u, s, 32);
	scalar_random(t);
	assert_int_equal(scalar_check(t), 0);
	assert_false(scalar_is_zero(t));
	assert_int_equal(scalar_invert(u, t), 0);
	scalar_mul(u, u, t);
	assert_memory_equal(u, one, 32);
	memset(t, 0, 32);
	assert_int_equal(scalar_invert(u, t), -1);
	scalar_sub(u, one, one);
	assert_true(scalar_is_zero(u));
	/* 0 G is the identity, a valid result. */
	assert_int_equal(point_base_mul(P, u), 0);
	assert_true(sodium_is_zero(P, 32));
	point_identity(P);
	assert_int_equal(point_check(P), 0);
	assert_int_equal(point_check_nonzero(P), -1);
	assert_int_equal(point_small_base(P, 1000), 0);
	scalar_from_u64(s, 1000);
	assert_int_equal(point_base_mul(t, s), 0);
	assert_memory_equal(P, t, 32);
}

/* s.9: msm equals the plain sum, for sizes that take Straus and Pippenger,
 * with short, full, zero and repeated scalars. */
static void test_msm(void **state)
{
	(void)state;
	static const size_t sizes[] = {0, 1, 2, 7, 33, 150, 700};
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		size_t n = sizes[k];
		uint8_t (*s)[32] = calloc(n + 1, 32);
		vt_point *pts = vt_alloc(n + 2);
		const vt_point **pp = calloc(n + 1, sizeof *pp);
		vt_point *out = (vt_point *)((char *)pts + (n + 1) * vt_point_size());
		uint8_t want[32], got[32], tmp[32];
		assert_non_null(s);
		assert_non_null(pp);
		point_identity(want);
		for (size_t i = 0; i < n; i++) {
			uint8_t P[32];
			crypto_core_ristretto255_random(P);
			scalar_random(s[i]);
			if (i % 3 == 1)
				memset(s[i] + 16, 0, 16); /* 128-bit weights */
			if (i % 11 == 5)
				memset(s[i], 0, 32);
			vt_point *p = (vt_point *)((char *)pts + i * vt_point_size());
			assert_int_equal(vt_decode(p, P), 0);
			pp[i] = p;
			assert_int_equal(point_mul(tmp, s[i], P), 0);
			assert_int_equal(point_add(want, want, tmp), 0);
		}
		msm(out, (const uint8_t (*)[32])s, pp, n);
		vt_encode(got, out);
		assert_memory_equal(got, want, 32);
		free(s);
		free(pts);
		free(pp);
	}
}

int main(void)
{
	if (crypto_setup() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9496_multiples),
		cmocka_unit_test(test_rfc9496_bad_encodings),
		cmocka_unit_test(test_rfc9496_from_hash),
		cmocka_unit_test(test_sodium_decaf_agree),
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_msm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
