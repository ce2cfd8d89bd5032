/* board.c: board lines (docs/protocol.md s.15), parsed byte by byte. */
#include <stdlib.h>
#include <string.h>
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "record/board.h"

static const char *const kinds[KIND__COUNT] = {
	[KIND_REFERENDUM] = "referendum", [KIND_REGION] = "region", [KIND_TRUSTEE] = "trustee",
	[KIND_CREDENTIALS] = "credentials", [KIND_SCHEDULE] = "schedule", [KIND_BALLOT] = "ballot",
	[KIND_CLOSE] = "close", [KIND_TALLY] = "tally", [KIND_DECRYPTION] = "decryption",
	[KIND_RESULT] = "result", [KIND_CHECKPOINT] = "checkpoint", [KIND_ELECTORATE] = "electorate",
	[KIND_PUBLISH] = "publish",
};

const char *kind_name(rec_kind k)
{
	return (unsigned)k < KIND__COUNT ? kinds[k] : "?";
}

int kind_from_name(const char *name)
{
	for (int k = 0; k < KIND__COUNT; k++)
		if (!strcmp(name, kinds[k]))
			return k;
	return -1;
}

int kind_has_region(rec_kind k)
{
	return k == KIND_REGION || k == KIND_CREDENTIALS || k == KIND_BALLOT || k == KIND_TALLY ||
	       k == KIND_DECRYPTION || k == KIND_RESULT || k == KIND_ELECTORATE;
}

/* A cursor over the line. */
typedef struct { const char *p, *end; } cur;

static int lit(cur *c, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return -1;
	c->p += n;
	return 0;
}

/* Decimal without leading zeros, fitting in u64 (and below 2^63). */
static int num(cur *c, uint64_t *out)
{
	uint64_t v = 0;
	const char *s = c->p;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		if (v > (UINT64_C(1) << 62) / 5)
			return -1;
		v = v * 10 + (uint64_t)(*c->p - '0');
		c->p++;
	}
	if (c->p == s || (c->p - s > 1 && *s == '0'))
		return -1;
	*out = v;
	return 0;
}

/* A JSON string of plain characters [a-z0-9A-Z_-] into out (cap). */
static int word(cur *c, char *out, size_t cap)
{
	size_t n = 0;
	if (lit(c, "\""))
		return -1;
	while (c->p < c->end && *c->p != '"') {
		char ch = *c->p;
		if (n + 1 >= cap || !((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		                      ch == '-' || ch == '_'))
			return -1;
		out[n++] = ch;
		c->p++;
	}
	out[n] = '\0';
	return lit(c, "\"");
}

int line_parse(rec_line *l, const char *line, size_t len, urna_err *e)
{
	cur c = {line, line + len};
	char prev[48], kind[24], sig[96];
	uint64_t t;
	int k;

	memset(l, 0, sizeof *l);
	if (len > URNA_LINE_MAX)
		return err_set(e, URNA_E_TOO_LARGE, "line of %zu bytes (at most %u)", len, URNA_LINE_MAX);
	if (lit(&c, "{\"seq\":") || num(&c, &l->seq))
		return err_set(e, URNA_E_MALFORMED, "line must begin {\"seq\":N");
	if (lit(&c, ",\"prev\":") || word(&c, prev, sizeof prev) ||
	    b64url_decode(l->prev, 32, prev, strlen(prev)) != 0)
		return err_set(e, URNA_E_MALFORMED, "\"prev\" must follow seq, base64url of 32 bytes");
	if (lit(&c, ",\"time\":") || num(&c, &t))
		return err_set(e, URNA_E_MALFORMED, "\"time\" must follow prev, Unix seconds");
	l->time = (int64_t)t;
	if (lit(&c, ",\"kind\":") || word(&c, kind, sizeof kind) || (k = kind_from_name(kind)) < 0)
		return err_set(e, URNA_E_MALFORMED, "\"kind\" must follow time, one of the kinds of s.15");
	l->kind = (rec_kind)k;
	if (kind_has_region(l->kind)) {
		if (lit(&c, ",\"region\":") || word(&c, l->region, sizeof l->region) || !canon_id_ok(l->region))
			return err_set(e, URNA_E_MALFORMED, "a %s line needs \"region\" (an id) after kind", kind);
	}
	if (l->kind != KIND_BALLOT) {
		if (lit(&c, ",\"by\":") || word(&c, l->by.by, sizeof l->by.by) || lit(&c, ",\"sig\":") ||
		    word(&c, sig, sizeof sig) || b64url_decode(l->by.sig, 64, sig, strlen(sig)) != 0)
			return err_set(e, URNA_E_MALFORMED, "a %s line needs \"by\" (its author) and \"sig\" (64 bytes) before body",
			               kind);
		l->signed_ = 1;
	}
	if (lit(&c, ",\"body\":"))
		return err_set(e, URNA_E_MALFORMED, "\"body\" expected after %s",
		               l->signed_ ? "sig" : kind_has_region(l->kind) ? "region" : "kind");
	if (c.end - c.p < 3 || c.p[0] != '{' || c.end[-1] != '}' || c.end[-2] != '}')
		return err_set(e, URNA_E_MALFORMED, "body must be an object and the line must end with }");
	l->body = c.p;
	l->body_len = (size_t)(c.end - c.p) - 1;
	return 0;
}

char *line_make(size_t *len, uint64_t seq, const uint8_t prev[static 32], int64_t time, rec_kind kind,
                const char *region, const rec_sig *by, const char *body, size_t body_len, urna_err *e)
{
	char p[URNA_B64_32], sig[B64URL_LEN(64)], *s;
	size_t cap = body_len + 384, n;
	int has = kind_has_region(kind);

	*len = 0;
	if ((has && (!region || !canon_id_ok(region))) || (!has && region && *region) || time < 0) {
		err_set(e, URNA_E_MALFORMED, "a %s line %s a region", kind_name(kind), has ? "needs" : "has no");
		return NULL;
	}
	if ((kind == KIND_BALLOT) != !by || (by && !by->by[0])) {
		err_set(e, URNA_E_MALFORMED, "a %s line %s an author's signature", kind_name(kind),
		        kind == KIND_BALLOT ? "has no" : "needs");
		return NULL;
	}
	if (body_len + 300 > URNA_LINE_MAX) {
		err_set(e, URNA_E_TOO_LARGE, "body of %zu bytes does not fit a line", body_len);
		return NULL;
	}
	if (!(s = malloc(cap))) {
		err_set(e, URNA_E_IO, "out of memory");
		return NULL;
	}
	b64url_encode(p, prev, 32);
	n = (size_t)snprintf(s, cap, "{\"seq\":%llu,\"prev\":\"%s\",\"time\":%lld,\"kind\":\"%s\"%s%s%s", (unsigned long long)seq,
	                     p, (long long)time, kind_name(kind), has ? ",\"region\":\"" : "", has ? region : "",
	                     has ? "\"" : "");
	if (by) {
		b64url_encode(sig, by->sig, 64);
		n += (size_t)snprintf(s + n, cap - n, ",\"by\":\"%s\",\"sig\":\"%s\"", by->by, sig);
	}
	n += (size_t)snprintf(s + n, cap - n, ",\"body\":");
	memcpy(s + n, body, body_len);
	n += body_len;
	s[n++] = '}';
	s[n] = '\0';
	*len = n;
	return s;
}

void line_hash(uint8_t out[static 32], const char *line, size_t len)
{
	hash32(out, line, len);
}
