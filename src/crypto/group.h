/* group.h: ristretto255 (RFC 9496). Constant-time operations on secrets go
 * through libsodium on 32-byte encodings; variable-time work on public data
 * (verification) uses libdecaf points (vt_point). No I/O. */
#ifndef URNA_GROUP_H
#define URNA_GROUP_H
#include <stddef.h>
#include <stdint.h>

#define URNA_POINT_BYTES 32
#define URNA_SCALAR_BYTES 32
#define URNA_WUR __attribute__((warn_unused_result))

/* Must be called once before anything else in src/crypto (sodium_init). */
int crypto_setup(void) URNA_WUR;

/* Scalars (mod l), 32 bytes little-endian. */
int scalar_check(const uint8_t s[static 32]) URNA_WUR;     /* 0 iff s < l */
void scalar_random(uint8_t s[static 32]);                  /* uniform, non-zero */
void scalar_from_u64(uint8_t s[static 32], uint64_t v);
void scalar_add(uint8_t r[static 32], const uint8_t a[static 32], const uint8_t b[static 32]);
void scalar_sub(uint8_t r[static 32], const uint8_t a[static 32], const uint8_t b[static 32]);
void scalar_mul(uint8_t r[static 32], const uint8_t a[static 32], const uint8_t b[static 32]);
void scalar_neg(uint8_t r[static 32], const uint8_t a[static 32]);
int scalar_invert(uint8_t r[static 32], const uint8_t a[static 32]) URNA_WUR;
int scalar_is_zero(const uint8_t s[static 32]);

/* Points as canonical encodings (constant time, libsodium). Each returns 0,
 * or -1 on a bad input encoding (output zeroed). The identity (32 zero
 * bytes) is a valid input and a valid result (e.g. 0 G). */
int point_check(const uint8_t p[static 32]) URNA_WUR; /* canonical, on curve */
int point_check_nonzero(const uint8_t p[static 32]) URNA_WUR; /* and not identity */
int point_base_mul(uint8_t r[static 32], const uint8_t s[static 32]) URNA_WUR; /* sG */
int point_mul(uint8_t r[static 32], const uint8_t s[static 32], const uint8_t p[static 32]) URNA_WUR;
int point_add(uint8_t r[static 32], const uint8_t a[static 32], const uint8_t b[static 32]) URNA_WUR;
int point_sub(uint8_t r[static 32], const uint8_t a[static 32], const uint8_t b[static 32]) URNA_WUR;
void point_identity(uint8_t r[static 32]);
/* vG for small public v (table lookup for v <= 64, else multiplication). */
int point_small_base(uint8_t r[static 32], uint64_t v) URNA_WUR;

/* Variable-time points for verification (libdecaf), opaque to callers:
 * allocate vt_point_size() bytes per point. vt_decode accepts the identity;
 * on a bad encoding it returns -1 and sets p to the identity. */
typedef struct vt_point vt_point;
size_t vt_point_size(void);
int vt_decode(vt_point *p, const uint8_t enc[static 32]) URNA_WUR; /* -1 on bad encoding */
void vt_encode(uint8_t enc[static 32], const vt_point *p);
void vt_add(vt_point *r, const vt_point *a, const vt_point *b);

#endif
