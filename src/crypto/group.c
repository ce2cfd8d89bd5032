/* group.c: ristretto255 scalars and points (PROTOCOL.md s.2). Secrets go
 * through libsodium (constant time); vt_point wraps libdecaf for
 * variable-time verification on public data. */
#include <sodium.h>
#include <string.h>
#include "crypto/group_int.h"

uint8_t urna_small_base[URNA_SMALL_BASE + 1][32];

/* The group order l, little-endian. */
static const uint8_t group_order[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

int crypto_setup(void)
{
	if (sodium_init() < 0)
		return -1;
	/* Idempotent: the table is the same every time. */
	uint8_t one[32] = {1};
	memset(urna_small_base[0], 0, 32);
	if (crypto_scalarmult_ristretto255_base(urna_small_base[1], one) != 0)
		return -1;
	for (int v = 2; v <= URNA_SMALL_BASE; v++)
		if (crypto_core_ristretto255_add(urna_small_base[v], urna_small_base[v - 1], urna_small_base[1]) != 0)
			return -1;
	return 0;
}

int scalar_check(const uint8_t s[static 32])
{
	return sodium_compare(s, group_order, 32) < 0 ? 0 : -1;
}

void scalar_random(uint8_t s[static 32])
{
	crypto_core_ristretto255_scalar_random(s);
}

void scalars_random(uint8_t (*s)[32], size_t n)
{
	uint8_t wide[URNA_RANDOM_MAX * 64];
	if (n > URNA_RANDOM_MAX) {
		for (size_t i = 0; i < n; i++)
			scalar_random(s[i]);
		return;
	}
	/* getrandom() costs microseconds a call: draw once, reduce each. */
	randombytes_buf(wide, 64 * n);
	for (size_t i = 0; i < n; i++)
		crypto_core_ristretto255_scalar_reduce(s[i], wide + 64 * i);
	sodium_memzero(wide, 64 * n);
}

void scalar_from_u64(uint8_t s[static 32], uint64_t v)
{
	memset(s, 0, 32);
	for (int i = 0; i < 8; i++)
		s[i] = (uint8_t)(v >> (8 * i));
}

void scalar_add(uint8_t r[static 32], const uint8_t a[static 32], const uint8_t b[static 32])
{
	crypto_core_ristretto255_scalar_add(r, a, b);
}

void scalar_sub(uint8_t r[static 32], const uint8_t a[static 32], const uint8_t b[static 32])
{
	crypto_core_ristretto255_scalar_sub(r, a, b);
}

void scalar_mul(uint8_t r[static 32], const uint8_t a[static 32], const uint8_t b[static 32])
{
	crypto_core_ristretto255_scalar_mul(r, a, b);
}

void scalar_neg(uint8_t r[static 32], const uint8_t a[static 32])
{
	crypto_core_ristretto255_scalar_negate(r, a);
}

int scalar_invert(uint8_t r[static 32], const uint8_t a[static 32])
{
	if (crypto_core_ristretto255_scalar_invert(r, a) != 0) {
		memset(r, 0, 32);
		return -1;
	}
	return 0;
}

int scalar_is_zero(const uint8_t s[static 32])
{
	return sodium_is_zero(s, 32);
}

void scalar_cmov(uint8_t r[static 32], const uint8_t a[static 32], uint8_t mask)
{
	for (int i = 0; i < 32; i++)
		r[i] ^= mask & (r[i] ^ a[i]);
}

int point_check(const uint8_t p[static 32])
{
	return crypto_core_ristretto255_is_valid_point(p) == 1 ? 0 : -1;
}

int point_check_nonzero(const uint8_t p[static 32])
{
	return point_check(p) == 0 && !sodium_is_zero(p, 32) ? 0 : -1;
}

int point_base_mul(uint8_t r[static 32], const uint8_t s[static 32])
{
	/* libsodium reports an identity result (s = 0 mod l) as -1; for us
	 * that is a valid answer, and r already holds its encoding (zeros). */
	(void)crypto_scalarmult_ristretto255_base(r, s);
	return 0;
}

int point_mul(uint8_t r[static 32], const uint8_t s[static 32], const uint8_t p[static 32])
{
	if (crypto_scalarmult_ristretto255(r, s, p) != 0) {
		memset(r, 0, 32); /* the identity, or nothing on a bad p */
		return point_check(p);
	}
	return 0;
}

int point_add(uint8_t r[static 32], const uint8_t a[static 32], const uint8_t b[static 32])
{
	if (crypto_core_ristretto255_add(r, a, b) != 0) {
		memset(r, 0, 32);
		return -1;
	}
	return 0;
}

int point_sub(uint8_t r[static 32], const uint8_t a[static 32], const uint8_t b[static 32])
{
	if (crypto_core_ristretto255_sub(r, a, b) != 0) {
		memset(r, 0, 32);
		return -1;
	}
	return 0;
}

void point_identity(uint8_t r[static 32])
{
	memset(r, 0, 32);
}

int point_small_base(uint8_t r[static 32], uint64_t v)
{
	if (v <= URNA_SMALL_BASE) {
		memcpy(r, urna_small_base[v], 32);
		return 0;
	}
	uint8_t s[32];
	scalar_from_u64(s, v);
	return point_base_mul(r, s);
}

int point_small_base_ct(uint8_t r[static 32], uint32_t v)
{
	if (v > URNA_SMALL_BASE) { /* v's size is not the secret, its value is */
		uint8_t s[32];
		scalar_from_u64(s, v);
		int rc = point_base_mul(r, s);
		sodium_memzero(s, sizeof s);
		return rc;
	}
	memset(r, 0, 32);
	for (uint32_t k = 0; k <= URNA_SMALL_BASE; k++) {
		uint32_t x = k ^ v;
		uint8_t mask = (uint8_t)(((x | (0u - x)) >> 31) - 1); /* 0xff iff k == v */
		scalar_cmov(r, urna_small_base[k], mask);
	}
	return 0;
}

size_t vt_point_size(void)
{
	return sizeof(vt_point);
}

int vt_decode(vt_point *p, const uint8_t enc[static 32])
{
	if (decaf_255_point_decode(p->p, enc, DECAF_TRUE) != DECAF_SUCCESS) {
		decaf_255_point_copy(p->p, decaf_255_point_identity);
		return -1;
	}
	return 0;
}

void vt_encode(uint8_t enc[static 32], const vt_point *p)
{
	decaf_255_point_encode(enc, p->p);
}

void vt_add(vt_point *r, const vt_point *a, const vt_point *b)
{
	decaf_255_point_add(r->p, a->p, b->p);
}
