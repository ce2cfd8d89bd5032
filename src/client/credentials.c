/* credentials.c: the credential authority's steps (docs/protocol.md s.5,
 * s.12): credentials made, their public list shuffled, written and
 * uploaded (credentials.h). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>
#include "record/file.h"
#include "client/board.h"
#include "client/credentials.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/proof.h"

#define UPLOAD_CHUNK 10000

static void check_bytes(uint8_t out[4], const uint8_t rnd[16])
{
	urna_hash h;
	uint8_t d[64];
	hash_init(&h, "credential-check");
	hash_add(&h, rnd, 16);
	hash_final64(&h, d);
	memcpy(out, d, 4);
	sodium_memzero(d, sizeof d);
}

void credential_new(char text[static CRED_TEXT])
{
	uint8_t raw[20];
	randombytes_buf(raw, 16);
	check_bytes(raw + 16, raw);
	b32_encode(text, CRED_TEXT, raw, sizeof raw, 4);
	sodium_memzero(raw, sizeof raw);
}

int credential_normalise(char norm[static CRED_NORM], const char *text, urna_err *e)
{
	size_t n = 0;
	memset(norm, 0, CRED_NORM);
	for (const char *p = text; p && *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		if (n >= CRED_NORM - 1)
			goto bad;
		norm[n++] = (char)toupper((unsigned char)*p);
	}
	if (n != CRED_NORM - 1)
		goto bad;
	uint8_t raw[20], chk[4];
	if (b32_decode(raw, sizeof raw, norm) != 0)
		goto bad;
	check_bytes(chk, raw);
	int ok = sodium_memcmp(chk, raw + 16, 4) == 0;
	sodium_memzero(raw, sizeof raw);
	if (ok)
		return 0;
bad:
	sodium_memzero(norm, CRED_NORM);
	return err_set(e, URNA_E_MALFORMED,
	               "malformed credential (expected 32 base32 characters in groups of four, check failed: a typo?)");
}

int credential_derive(uint8_t x[static 32], uint8_t X[static 32], const char *referendum,
                      const char *region, const char *text, urna_err *e)
{
	char norm[CRED_NORM];
	memset(x, 0, 32);
	memset(X, 0, 32);
	if (credential_normalise(norm, text, e) != 0)
		return -1;
	int rc = credential_keys(x, X, referendum, region, norm);
	sodium_memzero(norm, sizeof norm);
	if (rc != 0) {
		memset(x, 0, 32);
		memset(X, 0, 32);
		return err_set(e, URNA_E_BAD_ENCODING, "cannot derive the credential key");
	}
	return 0;
}

/* ---- generate ------------------------------------------------------------ */

int credentials_generate(const char *ref, const char *region, unsigned long long count, const char *dir, int force,
                         char **priv_out, char **pub_out, urna_err *e)
{
	int rc = -1;
	*priv_out = *pub_out = NULL;
	if (client_check_id("referendum", ref, e) != 0 || client_check_id("region", region, e) != 0)
		return -1;
	if (count < 1 || count > CRED_MAX_COUNT)
		return err_set(e, URNA_E_MALFORMED, "the count must be 1..%llu", CRED_MAX_COUNT);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return err_set(e, URNA_E_IO, "cannot create %s: %s", dir, strerror(errno));

	size_t dl = strlen(dir) + strlen(region) + 32;
	char *priv_path = malloc(dl), *pub_path = malloc(dl);
	char *priv = malloc((size_t)count * CRED_TEXT + 1);
	char (*pub)[URNA_B64_32] = malloc((size_t)count * sizeof *pub);
	json_t *list = json_array(), *doc = NULL;
	char *txt = NULL;
	if (!priv_path || !pub_path || !priv || !pub || !list) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	snprintf(priv_path, dl, "%s/%s.private", dir, region);
	snprintf(pub_path, dl, "%s/%s.public.json", dir, region);
	struct stat st;
	if (!force && (stat(priv_path, &st) == 0 || stat(pub_path, &st) == 0)) {
		err_set(e, URNA_E_CONFLICT, "%s or %s exists already (use --force to replace)", priv_path, pub_path);
		goto out;
	}
	size_t plen = 0;
	for (unsigned long long i = 0; i < count; i++) {
		char text[CRED_TEXT];
		uint8_t x[32], X[32];
		credential_new(text);
		if (credential_derive(x, X, ref, region, text, e) != 0)
			goto out;
		sodium_memzero(x, sizeof x);
		memcpy(priv + plen, text, CRED_TEXT - 1);
		plen += CRED_TEXT - 1;
		priv[plen++] = '\n';
		b64url_encode(pub[i], X, 32);
		sodium_memzero(text, sizeof text);
	}
	/* The public list is shuffled (Fisher-Yates) so its order says nothing
	 * about the order in which credentials were handed out. */
	for (unsigned long long i = count - 1; i > 0; i--) {
		uint32_t j = randombytes_uniform((uint32_t)(i + 1));
		char tmp[URNA_B64_32];
		memcpy(tmp, pub[i], sizeof tmp);
		memcpy(pub[i], pub[j], sizeof tmp);
		memcpy(pub[j], tmp, sizeof tmp);
	}
	for (unsigned long long i = 0; i < count; i++)
		if (json_array_append_new(list, json_string(pub[i])) != 0) {
			err_set(e, URNA_E_IO, "out of memory");
			goto out;
		}
	doc = json_pack("{s:s,s:s,s:O}", "referendum", ref, "region", region, "credentials", list);
	txt = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if (!txt) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	size_t tl = strlen(txt);
	txt[tl] = '\n'; /* json_dumps leaves room for its NUL: write it as newline */
	if (file_write(priv_path, priv, plen, 0600, e) != 0 || file_write(pub_path, txt, tl + 1, 0644, e) != 0)
		goto out;
	*priv_out = priv_path;
	*pub_out = pub_path;
	priv_path = pub_path = NULL;
	rc = 0;
out:
	if (priv)
		sodium_memzero(priv, (size_t)count * CRED_TEXT + 1);
	free(priv);
	free(pub);
	free(priv_path);
	free(pub_path);
	free(txt);
	json_decref(doc);
	json_decref(list);
	return rc;
}

/* ---- upload -------------------------------------------------------------- */

/* The lists of a region on the board: hash32 of each credentials entry's
 * body in board order, and the electorate entry (NULL: none yet). */
typedef struct {
	uint8_t (*h)[32];
	size_t n;
	const board_line *final;
} board_lists;

static int lists_read(board_lists *bl, const board_view *b, const char *region, urna_err *e)
{
	memset(bl, 0, sizeof *bl);
	if (!(bl->h = calloc(b->n ? b->n : 1, 32)))
		return err_set(e, URNA_E_IO, "out of memory");
	for (size_t i = 0; i < b->n; i++) {
		if (strcmp(b->v[i].region, region))
			continue;
		if (!strcmp(b->v[i].kind, "credentials"))
			board_body_hash(bl->h[bl->n++], &b->v[i]);
		else if (!strcmp(b->v[i].kind, "electorate"))
			bl->final = &b->v[i];
	}
	return 0;
}

/* Chunk k of list (its UPLOAD_CHUNK credentials from k * UPLOAD_CHUNK): the
 * body of one credentials entry and its hash. */
static json_t *chunk_body(const json_t *list, size_t k, uint8_t h[32])
{
	size_t n = json_array_size(list), from = k * UPLOAD_CHUNK, len;
	json_t *chunk = json_array();
	for (size_t i = from; i < n && i < from + UPLOAD_CHUNK; i++)
		json_array_append(chunk, json_array_get(list, i));
	json_t *body = json_pack("{s:o}", "credentials", chunk);
	char *bytes = body ? canon_encode(body, &len) : NULL;
	if (!bytes) {
		json_decref(body);
		return NULL;
	}
	hash32(h, bytes, len);
	free(bytes);
	return body;
}

static size_t nchunks(const json_t *list)
{
	return (json_array_size(list) + UPLOAD_CHUNK - 1) / UPLOAD_CHUNK;
}

/* The region's electorate entry (bl->final) names exactly these n lists
 * and count credentials: 0 with sent->final and sent->electorate, else -1
 * (mismatch, what differs). */
static int final_is_ours(const board_lists *bl, size_t count, const uint8_t (*hs)[32], size_t n, const char *region,
                         credentials_sent *sent, urna_err *e)
{
	electorate_body eb = {0};
	int rc = -1;
	if (electorate_parse(&eb, bl->final->j, e) != 0)
		return -1;
	if (eb.electorate != count || eb.nlists != n || bl->n != n || (n && (memcmp(eb.lists, hs, 32 * n) ||
	                                                                      memcmp(bl->h, hs, 32 * n))))
		err_set_seq(e, URNA_E_MISMATCH, bl->final->seq, "region %s's electorate is already final (entry %llu): %llu "
		            "credentials in %u lists, not this file's %zu in %zu (urna credentials check says more)", region,
		            (unsigned long long)bl->final->seq, (unsigned long long)eb.electorate, eb.nlists, count, n);
	else {
		sent->final = 1;
		sent->electorate = (long long)eb.electorate;
		rc = 0;
	}
	electorate_body_free(&eb);
	return rc;
}

int credentials_publish(const client_conn *c, signer *s, const char *region, const json_t *list,
                        credentials_sent *sent, urna_err *e)
{
	board_view b = {0};
	board_lists bl = {0};
	json_t *body = NULL, *ans = NULL;
	uint8_t (*hs)[32] = NULL;
	size_t k, n = nchunks(list);
	int rc = -1;
	sent->uploaded = 0;
	sent->electorate = -1;
	sent->final = 0;
	if (board_fetch(&b, c, s->ref, e) != 0 || lists_read(&bl, &b, region, e) != 0)
		goto out;
	if (!(hs = calloc(n ? n : 1, 32))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	/* Every list on the board must be one of ours, in our order: a list
	 * already there (an upload that stopped half way) is not sent again. */
	for (k = 0; k < n; k++) {
		if (!(body = chunk_body(list, k, hs[k]))) {
			err_set(e, URNA_E_IO, "out of memory");
			goto out;
		}
		if (k < bl.n && memcmp(bl.h[k], hs[k], 32)) {
			err_set(e, URNA_E_MISMATCH, "list %zu of region %s on the board is not this file's list %zu: "
			        "the region holds lists this upload did not make (urna credentials check says which)", k + 1, region, k + 1);
			goto out;
		}
		if (k >= bl.n && !bl.final &&
		    signer_post(s, c, KIND_CREDENTIALS, region, body, &ans, "upload credentials", e) != 0)
			goto out;
		json_decref(body);
		json_decref(ans);
		body = ans = NULL;
		if (!bl.final)
			sent->uploaded = (k + 1) * UPLOAD_CHUNK < json_array_size(list) ? (k + 1) * UPLOAD_CHUNK : json_array_size(list);
	}
	if (bl.final) { /* run again after it ended: done if the electorate is this file's */
		rc = final_is_ours(&bl, json_array_size(list), (const uint8_t(*)[32])hs, n, region, sent, e);
		goto out;
	}
	if (bl.n > n) {
		err_set(e, URNA_E_MISMATCH, "region %s holds %zu lists on the board, this file makes %zu", region, bl.n, n);
		goto out;
	}
	/* The statement that these lists are the region's, all of them. */
	if (!(body = electorate_make(json_array_size(list), (const uint8_t(*)[32])hs, (uint32_t)n)) ||
	    signer_post(s, c, KIND_ELECTORATE, region, body, &ans, "sign the electorate", e) != 0)
		goto out;
	json_t *el = json_object_get(ans, "electorate");
	sent->electorate = json_is_integer(el) ? json_integer_value(el) : -1;
	rc = 0;
out:
	json_decref(body);
	json_decref(ans);
	free(hs);
	free(bl.h);
	board_free(&b);
	return rc;
}

/* The file's list and where it is for (sent overrides). */
static json_t *read_list(const char *file, credentials_sent *sent, json_t **doc, urna_err *e)
{
	/* a list of 10 million keys is about 460 MB */
	if (!(*doc = file_read_json(file, (size_t)1 << 30, JSON_REJECT_DUPLICATES, e)))
		return e->code = URNA_E_MALFORMED, NULL; /* the file named is the caller's input */
	json_t *list = json_object_get(*doc, "credentials");
	const char *fref = json_string_value(json_object_get(*doc, "referendum"));
	const char *freg = json_string_value(json_object_get(*doc, "region"));
	const char *ref = sent->referendum[0] ? sent->referendum : fref;
	const char *region = sent->region[0] ? sent->region : freg;
	if (!json_is_array(list))
		err_set(e, URNA_E_MALFORMED, "%s has no \"credentials\" list", file);
	else if ((fref && ref && strcmp(ref, fref)) || (freg && region && strcmp(region, freg)))
		err_set(e, URNA_E_MALFORMED, "%s is for %s/%s, not %s/%s", file, fref ? fref : "?", freg ? freg : "?", ref,
		        region);
	else if (!ref || !region)
		err_set(e, URNA_E_MALFORMED, "give --referendum and --region");
	else if (client_check_id("referendum", ref, e) == 0 && client_check_id("region", region, e) == 0) {
		char r1[64], r2[64];
		snprintf(r1, sizeof r1, "%s", ref);
		snprintf(r2, sizeof r2, "%s", region);
		memcpy(sent->referendum, r1, sizeof r1);
		memcpy(sent->region, r2, sizeof r2);
		return list;
	}
	json_decref(*doc);
	*doc = NULL;
	return NULL;
}

int credentials_upload(const client_conn *c, const char *keyfile, const char *file, credentials_sent *sent, urna_err *e)
{
	json_t *doc = NULL, *list = read_list(file, sent, &doc, e);
	signer s;
	int rc = -1;
	sent->uploaded = 0;
	sent->electorate = -1;
	if (!list)
		return -1;
	if (signer_open(&s, c, sent->referendum, keyfile, ROLE_AUTHORITY, e) == 0) {
		rc = credentials_publish(c, &s, sent->region, list, sent, e);
		signer_close(&s);
	}
	json_decref(doc);
	return rc;
}

int credentials_check(const client_conn *c, const char *keyfile, const char *file, credentials_sent *sent, FILE *log,
                      urna_err *e)
{
	json_t *doc = NULL, *list = read_list(file, sent, &doc, e);
	board_view b = {0};
	board_lists bl = {0};
	electorate_body eb = {0};
	signer s;
	int rc = -1, have_s = 0;
	if (!list)
		return -1;
	if (signer_open(&s, c, sent->referendum, keyfile, ROLE_AUTHORITY, e) != 0)
		goto out;
	have_s = 1;
	if (board_fetch(&b, c, sent->referendum, e) != 0 || lists_read(&bl, &b, sent->region, e) != 0)
		goto out;
	size_t n = nchunks(list);
	for (size_t k = 0; k < n || k < bl.n; k++) {
		uint8_t h[32];
		json_t *body = k < n ? chunk_body(list, k, h) : NULL;
		json_decref(body);
		if (k >= bl.n) {
			err_set(e, URNA_E_MISMATCH, "list %zu of %s (this file's credentials %zu..) is not on the board", k + 1,
			        sent->region, k * UPLOAD_CHUNK + 1);
			goto out;
		}
		if (k >= n || memcmp(h, bl.h[k], 32)) {
			err_set(e, URNA_E_MISMATCH, "list %zu of %s on the board is not %s's list %zu", k + 1, sent->region, file,
			        k + 1);
			goto out;
		}
	}
	for (size_t i = 0; i < b.n; i++) /* every list of the region is its authority's (the verifier checks the signatures) */
		if (!strcmp(b.v[i].region, sent->region) &&
		    (!strcmp(b.v[i].kind, "credentials") || !strcmp(b.v[i].kind, "electorate")) && strcmp(b.v[i].by, s.by)) {
			err_set_seq(e, URNA_E_MISMATCH, b.v[i].seq, "entry %llu of %s is %s's, not this authority's (%s)",
			            (unsigned long long)b.v[i].seq, sent->region, b.v[i].by, s.by);
			goto out;
		}
	if (!bl.final) {
		err_set(e, URNA_E_STATE, "the board has no electorate entry for %s yet (urna credentials upload makes it)",
		        sent->region);
		goto out;
	}
	if (electorate_parse(&eb, bl.final->j, e) != 0)
		goto out;
	if (eb.electorate != json_array_size(list) || eb.nlists != n ||
	    (n && memcmp(eb.lists, bl.h, 32 * n))) {
		err_set_seq(e, URNA_E_MISMATCH, bl.final->seq, "the electorate entry of %s says %llu credentials in %u lists, the file %zu in %zu",
		            sent->region, (unsigned long long)eb.electorate, eb.nlists, json_array_size(list), n);
		goto out;
	}
	sent->uploaded = json_array_size(list);
	sent->electorate = (long long)eb.electorate;
	if (log)
		fprintf(log, "  %s: %zu lists on the board, byte for byte this file's, all by %s; electorate entry %llu: %llu credentials\n",
		        sent->region, n, s.by, (unsigned long long)bl.final->seq, (unsigned long long)eb.electorate);
	rc = 0;
out:
	electorate_body_free(&eb);
	free(bl.h);
	board_free(&b);
	if (have_s)
		signer_close(&s);
	json_decref(doc);
	return rc;
}
