/* hash.h: the protocol's hash H, Hs and hash32 (PROTOCOL.md s.2, s.11).
 * H(tag, x1..xk) = SHA-512("urna/v1/" || tag || 0x00 || u32le(len x1) || x1 ...) */
#ifndef URNA_HASH_H
#define URNA_HASH_H
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

typedef struct { crypto_hash_sha512_state st; } urna_hash;

/* Starts H with tag (a NUL-terminated ASCII string). */
void hash_init(urna_hash *h, const char *tag);
/* Appends one item: its u32le length, then its bytes. */
void hash_add(urna_hash *h, const void *data, size_t len);
void hash_add_u32(urna_hash *h, uint32_t v);   /* item of 4 bytes, u32le */
void hash_add_u64(urna_hash *h, uint64_t v);   /* item of 8 bytes, u64le */
void hash_add_str(urna_hash *h, const char *s); /* item of strlen(s) bytes */
void hash_final64(urna_hash *h, uint8_t out[static 64]);       /* H */
void hash_final_scalar(urna_hash *h, uint8_t out[static 32]);  /* Hs */
/* hash32(bytes) = first 32 bytes of H("bytes", bytes). */
void hash32(uint8_t out[static 32], const void *data, size_t len);

#endif
