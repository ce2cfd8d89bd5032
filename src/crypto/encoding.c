/* encoding.c: base64url and base32 without padding (RFC 4648 s.5, s.6),
 * strict: one text per byte string (PROTOCOL.md s.2, s.12). */
#include <sodium.h>
#include <string.h>
#include "crypto/encoding.h"

#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

void b64url_encode(char *out, const uint8_t *in, size_t n)
{
	sodium_bin2base64(out, sodium_base64_ENCODED_LEN(n, B64_VARIANT), in, n, B64_VARIANT);
}

/* A decoder's refusal: nothing of a half-decoded value is left in out. */
static int refuse(uint8_t *out, size_t outlen)
{
	if (outlen)
		memset(out, 0, outlen);
	return -1;
}

int b64url_decode(uint8_t *out, size_t outlen, const char *text, size_t textlen)
{
	size_t got = 0;
	const char *end = NULL;
	/* Exactly the length of the canonical text: rejects padding and extra
	 * bytes before libsodium sees them. */
	if (textlen != B64URL_LEN(outlen) - 1)
		goto fail;
	if (sodium_base642bin(out, outlen, text, textlen, NULL, &got, &end, B64_VARIANT) != 0 ||
	    got != outlen || end != text + textlen)
		goto fail;
	/* Non-zero trailing bits: the last character must be the one the
	 * encoder would write. */
	if (outlen % 3) {
		static const char alphabet[] =
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		const char *p = strchr(alphabet, text[textlen - 1]);
		int unused = outlen % 3 == 1 ? 4 : 2;
		if (!p || ((p - alphabet) & ((1 << unused) - 1)))
			goto fail;
	}
	return 0;
fail:
	return refuse(out, outlen);
}

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void b32_encode(char *out, size_t outcap, const uint8_t *in, size_t n, int group)
{
	size_t o = 0, chars = 0;
	uint32_t acc = 0;
	int bits = 0;
	if (outcap == 0)
		return;
	for (size_t i = 0; i <= n; i++) {
		if (i < n) {
			acc = (acc << 8) | in[i];
			bits += 8;
		} else if (bits > 0) {
			acc <<= 5 - bits; /* pad the last group with zero bits */
			bits = 5;
		}
		while (bits >= 5) {
			if (group > 0 && chars > 0 && chars % (size_t)group == 0 && o + 1 < outcap)
				out[o++] = '-';
			if (o + 1 < outcap)
				out[o++] = b32_alphabet[(acc >> (bits - 5)) & 31];
			chars++;
			bits -= 5;
		}
	}
	out[o] = '\0';
}

int b32_decode(uint8_t *out, size_t outlen, const char *text)
{
	size_t o = 0, chars = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (const char *p = text; *p; p++) {
		char ch = *p;
		int v;
		if (ch == '-' || ch == ' ')
			continue;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (ch >= 'A' && ch <= 'Z')
			v = ch - 'A';
		else if (ch >= '2' && ch <= '7')
			v = ch - '2' + 26;
		else
			goto fail;
		if (++chars > (8 * outlen + 4) / 5)
			goto fail;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			out[o++] = (uint8_t)(acc >> (bits - 8));
			bits -= 8;
		}
		acc &= (1u << bits) - 1;
	}
	/* Exactly outlen bytes and zero padding bits. */
	if (o != outlen || chars != (8 * outlen + 4) / 5 || acc != 0)
		goto fail;
	return 0;
fail:
	return refuse(out, outlen);
}

void tracker_text(char out[static URNA_TRACKER_TEXT], const uint8_t tracker[static 32])
{
	b32_encode(out, URNA_TRACKER_TEXT, tracker, 32, 4);
}
