/* hash.c: H, Hs and hash32 (PROTOCOL.md s.2, s.11). */
#include <string.h>
#include "crypto/hash.h"

void hash_init(urna_hash *h, const char *tag)
{
	static const uint8_t prefix[] = "urna/v1/";
	crypto_hash_sha512_init(&h->st);
	crypto_hash_sha512_update(&h->st, prefix, sizeof prefix - 1);
	/* The tag and its terminating NUL. */
	crypto_hash_sha512_update(&h->st, (const uint8_t *)tag, strlen(tag) + 1);
}

void hash_add(urna_hash *h, const void *data, size_t len)
{
	uint8_t n[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24)};
	crypto_hash_sha512_update(&h->st, n, 4);
	if (len)
		crypto_hash_sha512_update(&h->st, data, len);
}

void hash_add_u32(urna_hash *h, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	hash_add(h, b, 4);
}

void hash_add_u64(urna_hash *h, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	hash_add(h, b, 8);
}

void hash_add_str(urna_hash *h, const char *s)
{
	hash_add(h, s, strlen(s));
}

void hash_final64(urna_hash *h, uint8_t out[static 64])
{
	crypto_hash_sha512_final(&h->st, out);
	sodium_memzero(h, sizeof *h);
}

void hash_final_scalar(urna_hash *h, uint8_t out[static 32])
{
	uint8_t d[64];
	hash_final64(h, d);
	crypto_core_ristretto255_scalar_reduce(out, d);
	sodium_memzero(d, sizeof d);
}

void hash32(uint8_t out[static 32], const void *data, size_t len)
{
	urna_hash h;
	uint8_t d[64];
	hash_init(&h, "bytes");
	hash_add(&h, data, len);
	hash_final64(&h, d);
	memcpy(out, d, 32);
}
