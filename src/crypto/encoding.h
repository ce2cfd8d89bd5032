/* encoding.h: base64url (RFC 4648 s.5, no padding) and base32 (RFC 4648 s.6,
 * no padding) for keys, trackers and credentials. Pure functions, no I/O. */
#ifndef URNA_ENCODING_H
#define URNA_ENCODING_H
#include <stddef.h>
#include <stdint.h>

/* Characters needed for the base64url text of n bytes, with its NUL. */
#define B64URL_LEN(n) ((((n) * 4) + 2) / 3 + 1)
#define URNA_B64_32 B64URL_LEN(32) /* 44: a point, scalar or hash */

/* Writes the base64url text of in[0..n) and a NUL to out (B64URL_LEN(n)). */
void b64url_encode(char *out, const uint8_t *in, size_t n);

/* Decodes exactly outlen bytes from text[0..textlen). Returns 0, or -1 when
 * the text is not canonical base64url of exactly outlen bytes (padding, bad
 * characters, wrong length, non-zero trailing bits); out is zeroed then. */
int b64url_decode(uint8_t *out, size_t outlen, const char *text, size_t textlen)
    __attribute__((warn_unused_result));

/* Characters of the base32 text of n bytes, in dash-joined groups of g (g > 0)
 * characters, with its NUL: c = (8n+4)/5 characters and (c-1)/g dashes. */
#define B32_LEN(n, g) (((n) * 8 + 4) / 5 + (((n) * 8 + 4) / 5 - 1) / (g) + 1)
/* A tracker as people read it: 52 characters in groups of four, 65 with
 * the dashes and NUL. Every buffer that holds one is this size. */
#define URNA_TRACKER_TEXT B32_LEN(32, 4)

/* Base32 (A-Z2-7) of in[0..n) with a NUL; out holds (8n+4)/5+1 chars. With
 * group > 0 a '-' is put between groups of group characters (trackers: 4),
 * B32_LEN(n, group) in all. Output that does not fit outcap is cut short
 * (still NUL-terminated): size the buffer with B32_LEN. */
void b32_encode(char *out, size_t outcap, const uint8_t *in, size_t n, int group);

/* Decodes base32 text of exactly outlen bytes, ignoring '-' and spaces and
 * letter case. Returns 0, or -1 (out zeroed) on anything else. */
int b32_decode(uint8_t *out, size_t outlen, const char *text)
    __attribute__((warn_unused_result));

/* The tracker's text as the booth, board and CLI show it (B32_LEN(32, 4)). */
void tracker_text(char out[static URNA_TRACKER_TEXT], const uint8_t tracker[static 32]);

#endif
