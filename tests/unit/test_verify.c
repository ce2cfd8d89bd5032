/* test_verify.c: the verifier end to end (docs/protocol.md s.9, s.15). A
 * generated record (2 regions, 3-of-5 trustees with a DKG complaint, re-votes,
 * a schedule extension, close, tally, 3 decryptions a region, results, a
 * checkpoint) verifies; every tampered copy of it in tests/tamper/cases.txt
 * does not, and the verifier names the expected entry and reason. Tampered
 * copies get their hash chain recomputed (unless the case says nochain), so
 * only the deeper checks can catch them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "crypto/encoding.h"
#include "crypto/group.h"
#include "crypto/hash.h"
#include "crypto/proof.h"
#include "record/board.h"
#include "record/entry.h"
#include "record/results.h"
#include "record/verifier.h"

typedef struct {
	char **l;
	size_t n;
} board;

#define BASE_ID "town-vote" /* the record every case starts from; its roles sign again */
static board base, other;

static void board_free(board *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->l[i]);
	free(b->l);
	b->l = NULL;
	b->n = 0;
}

static void board_from_text(board *b, const char *text, size_t len)
{
	b->n = 0;
	b->l = calloc(len / 10 + 2, sizeof *b->l);
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t l = nl ? (size_t)(nl - text - at) : len - at;
		b->l[b->n++] = strndup(text + at, l);
		at += l + 1;
	}
}

static char *board_text(const board *b, size_t *len)
{
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++)
		n += strlen(b->l[i]) + 1;
	char *s = malloc(n + 1), *p = s;
	for (size_t i = 0; i < b->n; i++) {
		size_t k = strlen(b->l[i]);
		memcpy(p, b->l[i], k);
		p[k] = '\n';
		p += k + 1;
	}
	*p = '\0';
	*len = n;
	return s;
}

static void board_copy(board *dst, const board *src)
{
	dst->n = src->n;
	dst->l = calloc(src->n + 4, sizeof *dst->l);
	for (size_t i = 0; i < src->n; i++)
		dst->l[i] = strdup(src->l[i]);
}

/* A synthetic record with every entry kind, as `urna bench record` writes
 * it (src/bench/sample.c: the builders of src/record and src/crypto): the
 * unit tests do not link the benchmarks, so they run the binary ($URNA,
 * which tests/run.sh sets; build/urna otherwise). */
static char *bench_record(const char *args, size_t *len)
{
	const char *urna = getenv("URNA") ? getenv("URNA") : "build/urna";
	char cmd[1024], *text = NULL;
	size_t n = 0;
	snprintf(cmd, sizeof cmd, "'%s' bench record %s", urna, args);
	FILE *p = popen(cmd, "r");
	if (!p)
		fail_msg("cannot run %s", cmd);
	FILE *m = open_memstream(&text, &n);
	char buf[65536];
	size_t k;
	while ((k = fread(buf, 1, sizeof buf, p)) > 0)
		fwrite(buf, 1, k, m);
	fclose(m);
	int st = pclose(p);
	if (st != 0 || n == 0)
		fail_msg("%s: exit status %d, %zu bytes", cmd, st, n);
	*len = n;
	return text;
}

static void make_record(board *b, const char *id)
{
	char args[256];
	size_t len;
	snprintf(args, sizeof args,
	         "--id %s --regions 2 --mixed --voters 12 --ballots 18 --trustees 5 --threshold 3 --bad-dealer 5 "
	         "--schedule-change --checkpoint", id);
	char *text = bench_record(args, &len);
	board_from_text(b, text, len);
	free(text);
}

static int run_verify(const board *b, urna_err *e, election **out)
{
	size_t len;
	char *text = board_text(b, &len);
	verify_opts o = {.threads = 2};
	election *el = NULL;
	int rc = verify_board(text, len, &o, &el, e);
	free(text);
	if (out)
		*out = el;
	else
		election_free(el);
	return rc;
}

/* ---- selectors: KIND[@REGION]:IDX (negative from the end) or seq:N ---- */

static long select_line(const board *b, const char *sel)
{
	char kind[32] = "", reg[64] = "";
	long idx, count = 0, total = 0;
	if (sscanf(sel, "seq:%ld", &idx) == 1)
		return idx >= 0 && (size_t)idx < b->n ? idx : -1;
	const char *colon = strrchr(sel, ':'), *at = strchr(sel, '@');
	if (!colon)
		return -1;
	idx = strtol(colon + 1, NULL, 10);
	snprintf(kind, sizeof kind, "%.*s", (int)((at && at < colon ? at : colon) - sel), sel);
	if (at && at < colon)
		snprintf(reg, sizeof reg, "%.*s", (int)(colon - at - 1), at + 1);
	for (int pass = 0; pass < 2; pass++) {
		count = 0;
		for (size_t i = 0; i < b->n; i++) {
			rec_line l;
			if (line_parse(&l, b->l[i], strlen(b->l[i]), NULL) || strcmp(kind_name(l.kind), kind) ||
			    (*reg && strcmp(l.region, reg)))
				continue;
			if (pass == 1 && count == (idx < 0 ? total + idx : idx))
				return (long)i;
			count++;
		}
		total = count;
	}
	return -1;
}

/* ---- line surgery ---- */

static char *rebuild(const char *line, uint64_t seq, const uint8_t prev[32], const char *kind, const char *region,
                     const char *body, int64_t *time)
{
	rec_line l;
	size_t len;
	urna_err e;
	assert_int_equal(line_parse(&l, line, strlen(line), &e), 0);
	int k = kind ? kind_from_name(kind) : (int)l.kind;
	const char *reg = region ? region : l.region;
	const char *bd = body ? body : l.body;
	size_t bl = body ? strlen(body) : l.body_len;
	rec_sig other = {.by = "organizer"}; /* a line made a signed kind keeps no valid signature */
	const rec_sig *by = (rec_kind)k == KIND_BALLOT ? NULL : l.signed_ ? &l.by : &other;
	char *out = line_make(&len, seq == UINT64_MAX ? l.seq : seq, prev ? prev : l.prev, time ? *time : l.time,
	                      (rec_kind)k, kind_has_region((rec_kind)k) ? reg : NULL, by, bd, bl, &e);
	if (!out)
		fail_msg("line_make: %s", e.msg);
	return out;
}

/* The synthetic record's key of author by (src/bench/sample.c derives
 * them from the record's id): 0, or -1 for a name no role has. */
static int role_sk(uint8_t sk[64], const char *id, const char *by)
{
	int slot;
	if (!strcmp(by, "organizer"))
		slot = 0;
	else if (!strcmp(by, "server"))
		slot = 1;
	else if (!strcmp(by, "authority-1"))
		slot = 2;
	else if (!strncmp(by, "trustee-", 8) && atoi(by + 8) >= 1 && atoi(by + 8) <= URNA_MAX_TRUSTEES)
		slot = 2 + atoi(by + 8);
	else
		return -1;
	urna_hash h;
	uint8_t seed[64], pk[32];
	hash_init(&h, "sample-role");
	hash_add_str(&h, id);
	hash_add_u32(&h, (uint32_t)slot);
	hash_final64(&h, seed);
	crypto_sign_seed_keypair(pk, sk, seed);
	return 0;
}

/* Every signed line signed again by its "by" as that author's entry n on
 * this board (the roles of record id): what the author itself could
 * write, so a case tests the rule it names, not the signature. */
static void resign_all(board *b, const char *id)
{
	char by[64][URNA_BY_MAX];
	uint32_t count[64];
	size_t nby = 0;
	uint8_t h_R[32] = {0};
	for (size_t i = 0; i < b->n; i++) {
		rec_line l;
		uint8_t sk[64];
		if (line_parse(&l, b->l[i], strlen(b->l[i]), NULL) || !l.signed_)
			continue;
		if (l.kind == KIND_REFERENDUM && i == 0)
			hash32(h_R, l.body, l.body_len);
		size_t k = 0;
		while (k < nby && strcmp(by[k], l.by.by))
			k++;
		if (k == nby && nby < 64) {
			snprintf(by[nby], URNA_BY_MAX, "%s", l.by.by);
			count[nby++] = 0;
		}
		if (k < nby && role_sk(sk, id, l.by.by) == 0) {
			entry_sign(&l.by, h_R, l.kind, l.region, count[k], l.body, l.body_len, sk);
			size_t len;
			urna_err e;
			char *nl = line_make(&len, l.seq, l.prev, l.time, l.kind, kind_has_region(l.kind) ? l.region : NULL, &l.by,
			                     l.body, l.body_len, &e);
			if (nl) {
				free(b->l[i]);
				b->l[i] = nl;
			}
		}
		if (k < nby)
			count[k]++;
	}
}

static void rechain(board *b)
{
	uint8_t prev[32] = {0};
	for (size_t i = 0; i < b->n; i++) {
		rec_line l;
		if (line_parse(&l, b->l[i], strlen(b->l[i]), NULL)) { /* a broken line stays as it is */
			line_hash(prev, b->l[i], strlen(b->l[i]));
			continue;
		}
		char *nl = rebuild(b->l[i], i, prev, NULL, NULL, NULL, NULL);
		free(b->l[i]);
		b->l[i] = nl;
		line_hash(prev, nl, strlen(nl));
	}
}

static json_t *macro_value(const char *v, json_t *old)
{
	uint8_t s[32], P[32];
	char buf[B64URL_LEN(64)];
	if (!strcmp(v, "%point")) {
		scalar_random(s);
		assert_int_equal(point_base_mul(P, s), 0);
		b64url_encode(buf, P, 32);
		return json_string(buf);
	}
	if (!strcmp(v, "%scalar")) {
		scalar_random(s);
		b64url_encode(buf, s, 32);
		return json_string(buf);
	}
	if (!strcmp(v, "%identity")) {
		memset(P, 0, 32);
		b64url_encode(buf, P, 32);
		return json_string(buf);
	}
	if (!strcmp(v, "%flip")) { /* another valid base64url text of the same length */
		assert_true(json_is_string(old));
		snprintf(buf, sizeof buf, "%s", json_string_value(old));
		buf[1] = buf[1] == 'A' ? 'B' : 'A';
		return json_string(buf);
	}
	if (!strcmp(v, "%inc") || !strcmp(v, "%dec")) {
		assert_true(json_is_integer(old));
		return json_integer(json_integer_value(old) + (v[1] == 'i' ? 1 : -1));
	}
	json_t *j = json_loads(v, JSON_DECODE_ANY, NULL);
	if (!j)
		fail_msg("bad value %s", v);
	return j;
}

/* Walks body along path "a.0.b"; *parent and *key give the last step. */
static json_t *walk(json_t *body, const char *path, json_t **parent, char *key, size_t cap)
{
	char buf[256], *save = NULL, *tok;
	json_t *cur = body;
	snprintf(buf, sizeof buf, "%s", path);
	*parent = NULL;
	for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
		*parent = cur;
		snprintf(key, cap, "%s", tok);
		cur = json_is_array(cur) ? json_array_get(cur, (size_t)strtoul(tok, NULL, 10)) : json_object_get(cur, tok);
	}
	return cur;
}

/* Re-signs ballot body v (in board b) with its voter's credential. */
static void resign(const board *b, json_t *v)
{
	const char *ref = json_string_value(json_object_get(v, "referendum"));
	const char *reg = json_string_value(json_object_get(v, "region"));
	uint8_t x[32], X[32], have[32], h_E[32], msg[32];
	char cred[32], sel[80];
	urna_schnorr sig;
	rec_line l;
	int found = 0;
	assert_int_equal(b64url_decode(have, 32, json_string_value(json_object_get(v, "credential")), 43), 0);
	for (int k = 0; k < 12 && !found; k++) {
		snprintf(cred, sizeof cred, "VOTER%d", k);
		assert_int_equal(credential_keys(x, X, ref, reg, cred), 0);
		found = !memcmp(X, have, 32);
	}
	assert_true(found);
	snprintf(sel, sizeof sel, "region@%s:0", reg);
	long ri = select_line(b, sel);
	assert_true(ri >= 0);
	assert_int_equal(line_parse(&l, b->l[ri], strlen(b->l[ri]), NULL), 0);
	hash32(h_E, l.body, l.body_len);
	/* The signature is bound to h_R and K too (s.11): the referendum entry
	 * and the key entry (the last trustee line) of this board. */
	urna_bind bd;
	memcpy(bd.h_E, h_E, 32);
	memcpy(bd.X, X, 32);
	long rr = select_line(b, "referendum:0"), kr = select_line(b, "trustee:-1");
	assert_true(rr >= 0 && kr >= 0);
	assert_int_equal(line_parse(&l, b->l[rr], strlen(b->l[rr]), NULL), 0);
	hash32(bd.h_R, l.body, l.body_len);
	assert_int_equal(line_parse(&l, b->l[kr], strlen(b->l[kr]), NULL), 0);
	json_t *kb = json_loadb(l.body, l.body_len, 0, NULL);
	const char *Ks = json_string_value(json_object_get(kb, "key"));
	assert_non_null(Ks);
	assert_int_equal(b64url_decode(bd.K, 32, Ks, strlen(Ks)), 0);
	json_decref(kb);
	json_object_del(v, "signature");
	size_t n;
	char *uns = canon_encode(v, &n);
	hash32(msg, uns, n);
	free(uns);
	assert_int_equal(sig_sign(&sig, &bd, msg, x), 0);
	json_object_set_new(v, "signature", json_pack("{s:o,s:o}", "A", canon_b64(sig.A, 32), "z", canon_b64(sig.z, 32)));
}

static void body_edit(board *b, long i, const char *op, const char *path, const char *val, int sign)
{
	rec_line l;
	char key[64];
	json_t *parent;
	assert_int_equal(line_parse(&l, b->l[i], strlen(b->l[i]), NULL), 0);
	json_t *body = json_loadb(l.body, l.body_len, 0, NULL);
	assert_non_null(body);
	json_t *old = walk(body, path, &parent, key, sizeof key);
	if (!parent)
		fail_msg("empty path");
	if (!strcmp(op, "set")) {
		json_t *nv = macro_value(val, old);
		if (json_is_array(parent))
			json_array_set_new(parent, strtoul(key, NULL, 10), nv);
		else
			json_object_set_new(parent, key, nv);
	} else if (!strcmp(op, "del")) {
		if (json_is_array(parent))
			json_array_remove(parent, strtoul(key, NULL, 10));
		else
			json_object_del(parent, key);
	} else if (!strcmp(op, "append")) {
		assert_true(json_is_array(old));
		json_array_append_new(old, macro_value(val, json_array_get(old, 0)));
	} else {
		fail_msg("unknown op %s", op);
	}
	if (sign)
		resign(b, body);
	char *nb = canon_encode(body, NULL);
	char *nl = rebuild(b->l[i], UINT64_MAX, NULL, NULL, NULL, nb, NULL);
	free(nb);
	json_decref(body);
	free(b->l[i]);
	b->l[i] = nl;
}

static void insert_at(board *b, size_t at, char *line)
{
	b->l = realloc(b->l, (b->n + 1) * sizeof *b->l);
	memmove(b->l + at + 1, b->l + at, (b->n - at) * sizeof *b->l);
	b->l[at] = line;
	b->n++;
}

static char *remove_at(board *b, size_t at)
{
	char *l = b->l[at];
	memmove(b->l + at, b->l + at + 1, (b->n - at - 1) * sizeof *b->l);
	b->n--;
	return l;
}

/* Applies one case; returns the focus line (for the expectation "here"). */
static long mutate(board *b, char **tok, int ntok, int *nochain)
{
	long i = select_line(b, tok[0]), j;
	const char *op = tok[1];
	*nochain = ntok > 0 && !strcmp(tok[ntok - 1], "nochain");
	int sign = ntok > 0 && !strcmp(tok[ntok - 1], "resign");
	if (i < 0)
		fail_msg("selector %s matches nothing", tok[0]);
	if (!strcmp(op, "set") || !strcmp(op, "append")) {
		body_edit(b, i, op, tok[2], tok[3], sign);
	} else if (!strcmp(op, "del")) {
		body_edit(b, i, op, tok[2], NULL, sign);
	} else if (!strcmp(op, "env")) {
		rec_line l;
		assert_int_equal(line_parse(&l, b->l[i], strlen(b->l[i]), NULL), 0);
		int64_t t = l.time;
		char *nl = NULL;
		if (!strcmp(tok[2], "time")) {
			t = !strcmp(tok[3], "%inc") ? t + 1 : !strcmp(tok[3], "%dec") ? t - 1 : strtoll(tok[3], NULL, 10);
			nl = rebuild(b->l[i], UINT64_MAX, NULL, NULL, NULL, NULL, &t);
		} else if (!strcmp(tok[2], "region")) {
			nl = rebuild(b->l[i], UINT64_MAX, NULL, NULL, tok[3], NULL, NULL);
		} else if (!strcmp(tok[2], "kind")) {
			nl = rebuild(b->l[i], UINT64_MAX, NULL, tok[3], "r1", NULL, NULL);
		} else if (!strcmp(tok[2], "seq")) {
			nl = rebuild(b->l[i], strtoull(tok[3], NULL, 10), NULL, NULL, NULL, NULL, NULL);
		} else if (!strcmp(tok[2], "prev")) {
			uint8_t p[32];
			randombytes_buf(p, 32);
			nl = rebuild(b->l[i], UINT64_MAX, p, NULL, NULL, NULL, NULL);
		} else if (!strcmp(tok[2], "raw")) { /* replace the whole line text */
			nl = strdup(tok[3]);
		} else if (!strcmp(tok[2], "space")) { /* a space after the first colon */
			size_t n = strlen(b->l[i]);
			nl = malloc(n + 2);
			memcpy(nl, b->l[i], 7);
			nl[7] = ' ';
			memcpy(nl + 8, b->l[i] + 7, n - 6);
		} else {
			fail_msg("unknown env field %s", tok[2]);
		}
		free(b->l[i]);
		b->l[i] = nl;
	} else if (!strcmp(op, "remove")) {
		free(remove_at(b, (size_t)i));
	} else if (!strcmp(op, "dup")) {
		insert_at(b, (size_t)i + 1, strdup(b->l[i]));
		i++;
	} else if (!strcmp(op, "swap")) {
		if ((j = select_line(b, tok[2])) < 0)
			fail_msg("selector %s matches nothing", tok[2]);
		rec_line li, lj;
		assert_int_equal(line_parse(&li, b->l[i], strlen(b->l[i]), NULL), 0);
		assert_int_equal(line_parse(&lj, b->l[j], strlen(b->l[j]), NULL), 0);
		char *ni = rebuild(b->l[j], UINT64_MAX, NULL, NULL, NULL, NULL, &li.time); /* times stay in place */
		char *nj = rebuild(b->l[i], UINT64_MAX, NULL, NULL, NULL, NULL, &lj.time);
		free(b->l[i]), free(b->l[j]);
		b->l[i] = ni, b->l[j] = nj;
		i = i < j ? i : j;
	} else if (!strcmp(op, "moveafter")) {
		char *l = remove_at(b, (size_t)i);
		if ((j = select_line(b, tok[2])) < 0)
			fail_msg("selector %s matches nothing", tok[2]);
		rec_line lj;
		assert_int_equal(line_parse(&lj, b->l[j], strlen(b->l[j]), NULL), 0);
		char *nl = rebuild(l, UINT64_MAX, NULL, NULL, NULL, NULL, &lj.time); /* time stays monotonic */
		free(l);
		insert_at(b, (size_t)j + 1, nl);
		i = j + 1;
	} else if (!strcmp(op, "copybody")) {
		rec_line l;
		if ((j = select_line(b, tok[2])) < 0)
			fail_msg("selector %s matches nothing", tok[2]);
		assert_int_equal(line_parse(&l, b->l[j], strlen(b->l[j]), NULL), 0);
		char *body = strndup(l.body, l.body_len);
		char *nl = rebuild(b->l[i], UINT64_MAX, NULL, NULL, NULL, body, NULL);
		free(body);
		free(b->l[i]);
		b->l[i] = nl;
	} else if (!strcmp(op, "other") || !strcmp(op, "otherinsert")) {
		rec_line l, here;
		if ((j = select_line(&other, tok[2])) < 0)
			fail_msg("selector %s matches nothing in the other record", tok[2]);
		assert_int_equal(line_parse(&l, other.l[j], strlen(other.l[j]), NULL), 0);
		assert_int_equal(line_parse(&here, b->l[i], strlen(b->l[i]), NULL), 0);
		char *nl = rebuild(other.l[j], UINT64_MAX, NULL, NULL, NULL, NULL, &here.time);
		if (!strcmp(op, "other"))
			free(b->l[i]), b->l[i] = nl;
		else
			insert_at(b, (size_t)i, nl);
	} else {
		fail_msg("unknown op %s", op);
	}
	return i;
}

/* Splits s at " | " into fields, and field 2 at spaces (quoted JSON may hold
 * no spaces). */
static int split(char *s, const char *sep, char **out, int max)
{
	int n = 0;
	char *p = s;
	while (n < max) {
		char *q = strstr(p, sep);
		out[n++] = p;
		if (!q)
			break;
		*q = '\0';
		p = q + strlen(sep);
	}
	return n;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* s.9, s.15: the untouched record verifies, with the expected figures. */
static void test_record_verifies(void **st)
{
	(void)st;
	urna_err e = {0};
	election *el = NULL;
	region_info ri;
	if (run_verify(&base, &e, &el))
		fail_msg("the generated record does not verify: entry %llu: %s: %s", (unsigned long long)e.seq,
		         err_name(e.code), e.msg);
	assert_int_equal(election_nregions(el), 2);
	assert_int_equal(election_region(el, 0, &ri), 0);
	assert_int_equal(ri.cast, 18);
	assert_int_equal(ri.electorate, 12);
	assert_non_null(ri.result);
	assert_int_equal(ri.result->counted, 12);
	/* voters 0..11 voted again as 0..5 (round 1): last ballots are round 1 for
	 * voters 0..5 and round 0 for 6..11; yes unless (v + round) % 3 == 0 */
	uint64_t no = 0;
	for (uint64_t v = 0; v < 12; v++)
		no += ((v + (v < 6 ? 1 : 0)) % 3 == 0);
	assert_int_equal(ri.result->counts[0][1], no);
	assert_int_equal(ri.result->counts[0][0], 12 - no);
	assert_string_equal(election_status(el, INT64_MAX / 2), "published");
	/* the results files carry those counts */
	json_t *rj = results_json(el);
	json_t *r1 = json_array_get(json_object_get(rj, "regions"), 0);
	json_t *q1 = json_array_get(json_object_get(r1, "questions"), 0);
	assert_int_equal(json_array_size(json_object_get(rj, "regions")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(q1, "choices"), 1), "count")), no);
	size_t cl;
	char *csv = results_csv(el, &cl), row[64];
	assert_non_null(csv);
	snprintf(row, sizeof row, "\nr1,1,2,%llu,", (unsigned long long)no);
	assert_non_null(strstr(csv, row));
	free(csv);
	json_decref(rj);
	election_free(el);
}

/* t = n: the trustees' keys add up to K, so their decryptions add up too
 * (no Lagrange); the counts come out right and every trustee is needed. */
static void test_threshold_equals_trustees(void **st)
{
	(void)st;
	for (uint32_t n = 1; n <= 3; n++) {
		char args[128];
		size_t len = 0;
		urna_err e = {0};
		election *el = NULL;
		region_info ri;
		snprintf(args, sizeof args, "--id tn --voters 9 --trustees %u --threshold %u", n, n);
		char *text = bench_record(args, &len);
		verify_opts o = {.threads = 1};
		if (verify_board(text, len, &o, &el, &e))
			fail_msg("t = n = %u: entry %llu: %s: %s", n, (unsigned long long)e.seq, err_name(e.code), e.msg);
		assert_int_equal(election_region(el, 0, &ri), 0);
		assert_non_null(ri.result);
		assert_int_equal(ri.result->ntrustees, n);
		assert_int_equal(ri.result->counts[0][1], 3); /* voters 0, 3, 6 */
		assert_int_equal(ri.result->counts[0][0], 6);
		election_free(el);
		free(text);
	}
}

static election *verified(const char *args)
{
	size_t len = 0;
	urna_err e = {0};
	election *el = NULL;
	char *text = bench_record(args, &len);
	verify_opts o = {.threads = 2};
	if (verify_board(text, len, &o, &el, &e))
		fail_msg("%s: entry %llu: %s: %s", args, (unsigned long long)e.seq, err_name(e.code), e.msg);
	free(text);
	return el;
}

/* s.6, s.8: a packed question's counts at the edge of M. An electorate of
 * 15 = M - 1 (M = 16): every counted ballot for choice 1 (s = 15, all in the
 * low digit), every one for choice 2 (s = 15 M), and split, with a blank
 * vote counted right after a re-vote (voter 5 votes choice 1, then blank). */
static void test_packed_edges(void **st)
{
	(void)st;
	region_info ri;
	for (int choose = 1; choose <= 2; choose++) {
		char args[128];
		snprintf(args, sizeof args, "--id edge --voters 15 --choose %d", choose);
		election *el = verified(args);
		assert_int_equal(election_region(el, 0, &ri), 0);
		assert_int_equal(ri.electorate, 15);
		assert_int_equal(ri.tally->m[0], 1); /* one sum: packed */
		assert_int_equal(ri.result->counted, 15);
		assert_int_equal(ri.result->counts[0][choose - 1], 15);
		assert_int_equal(ri.result->counts[0][2 - choose], 0);
		assert_int_equal(ri.result->blank[0], 0);
		election_free(el);
	}
	/* 22 ballots of 15 voters: voters 0..6 vote twice (round 1 counts) */
	election *el = verified("--id edge --regions 2 --mixed --voters 15 --ballots 22");
	for (size_t g = 0; g < 2; g++) {
		uint64_t want[2] = {0, 0}, blank = 0, revoted_blank = 0;
		for (uint64_t v = 0; v < 15; v++) {
			uint64_t w = v + (v < 7 ? 1 : 0);
			if (g == 1 && w % 7 == 6) {
				blank++;
				revoted_blank += v < 7 && (w - 1) % 7 != 6;
			} else {
				want[w % 3 == 0 ? 1 : 0]++;
			}
		}
		assert_int_equal(election_region(el, g, &ri), 0);
		assert_int_equal(ri.electorate, 15);
		assert_int_equal(ri.cast, 22);
		assert_non_null(ri.result);
		assert_int_equal(ri.result->counts[0][0], want[0]);
		assert_int_equal(ri.result->counts[0][1], want[1]);
		assert_int_equal(ri.result->blank[0], blank);
		if (g == 1) {
			assert_true(revoted_blank >= 1 && want[0] && want[1]);
			assert_int_equal(ri.tally->m[1], 3); /* max 2 of 3: one sum per choice, unchanged */
		}
	}
	election_free(el);
}

/* Every case of tests/tamper/cases.txt fails at the expected entry. */
static void test_tamper_cases(void **st)
{
	(void)st;
	const char *path = getenv("URNA_TAMPER_CASES") ? getenv("URNA_TAMPER_CASES") : "tests/tamper/cases.txt";
	FILE *f = fopen(path, "r");
	char line[4096];
	int ncases = 0, nfail = 0;
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		char *fld[6], *tok[8], *s = trim(line);
		int ntok, nochain;
		if (!*s || *s == '#')
			continue;
		char copy[4096];
		snprintf(copy, sizeof copy, "%s", s);
		if (split(s, " | ", fld, 6) != 6)
			fail_msg("bad case line: %s", copy);
		for (int k = 0; k < 6; k++)
			fld[k] = trim(fld[k]);
		char what[1024];
		snprintf(what, sizeof what, "%s %s", fld[1], fld[2]);
		ntok = 1;
		tok[0] = what;
		for (char *p = what; *p && ntok < 8; p++)
			if (*p == ' ') {
				*p = '\0';
				tok[ntok++] = p + 1;
			}
		board b;
		if (getenv("URNA_TAMPER_VERBOSE"))
			print_message("case %s\n", fld[0]);
		board_copy(&b, &base);
		int nosign = ntok > 0 && !strcmp(tok[ntok - 1], "nosign");
		if (nosign)
			ntok--;
		long focus = mutate(&b, tok, ntok, &nochain);
		if (!nochain && !nosign)
			resign_all(&b, BASE_ID);
		if (!nochain)
			rechain(&b);
		long want = !strcmp(fld[3], "here") ? focus : !strcmp(fld[3], "next") ? focus + 1 : select_line(&b, fld[3]);
		urna_err e = {0};
		int rc = run_verify(&b, &e, NULL);
		ncases++;
		if (rc == 0) {
			print_error("case %s (%s): verified, must not\n", fld[0], fld[5]);
			nfail++;
		} else if (!e.has_seq || (long)e.seq != want || strcmp(err_name(e.code), fld[4])) {
			print_error("case %s (%s): expected entry %ld %s, got entry %lld %s: %s\n", fld[0], fld[5], want, fld[4],
			            e.has_seq ? (long long)e.seq : -1LL, err_name(e.code), e.msg);
			nfail++;
		}
		board_free(&b);
	}
	fclose(f);
	print_message("%d tamper cases, %d wrong\n", ncases, nfail);
	assert_true(ncases >= 50);
	assert_int_equal(nfail, 0);
}

/* s.15: a ballot of the record taken in as the server takes it
 * (src/server/intake.c, post_ballot): parsed, the state checks, shape and
 * proofs, then the line applied by its facts. */
static void test_server_ballot_path(void **st)
{
	(void)st;
	urna_err e = {0};
	election *el = election_new();
	ballot *b = ballot_new();
	long first = select_line(&base, "ballot:0");
	const char *line = base.l[first];
	for (long i = 0; i < first; i++)
		assert_int_equal(election_apply(el, base.l[i], strlen(base.l[i]), APPLY_TRUSTED, &e), 0);
	rec_line l;
	assert_int_equal(line_parse(&l, line, strlen(line), NULL), 0);
	int64_t t = l.time;
	assert_int_equal(ballot_parse(b, l.body, l.body_len, &e), 0);
	assert_int_equal(election_ballot_admissible(el, "r1", b, t, &e), 0);
	assert_int_equal(election_ballot_admissible(el, "r1", b, t - 86400 * 3, &e), -1);
	assert_int_equal(e.code, URNA_E_NOT_OPEN);
	assert_int_equal(election_ballot_admissible(el, "r2", b, t, &e), -1);
	assert_int_equal(e.code, URNA_E_MISMATCH);
	region_info ri;
	uint8_t K[32];
	assert_int_equal(election_key(el, K), 0);
	assert_int_equal(election_region(el, (size_t)election_region_index(el, "r1"), &ri), 0);
	assert_int_equal(ballot_shape_ok(b, ri.m, ri.electorate, &e), 0);
	assert_int_equal(ballot_verify(b, ri.h_E, K, &e), 0);
	urna_ct ct[URNA_MAX_QUESTIONS * URNA_MAX_CHOICES];
	uint32_t k = 0;
	for (uint32_t q = 0; q < b->nq; q++)
		for (uint32_t c = 0; c < b->m[q]; c++)
			ct[k++] = b->ct[q][c];
	ballot_facts f = {.ct = ct, .nct = k};
	line_hash(f.line_hash, line, strlen(line));
	memcpy(f.X, b->X, 32);
	memcpy(f.tracker, b->tracker, 32);
	strcpy(f.referendum, b->referendum);
	strcpy(f.region, b->region);
	assert_int_equal(election_apply_facts(el, line, strlen(line), &f, &e), 0);
	assert_int_equal(election_ballot_admissible(el, "r1", b, t, &e), -1);
	assert_int_equal(e.code, URNA_E_CONFLICT);
	tracker_info ti;
	assert_int_equal(election_tracker(el, b->tracker, &ti), 0);
	assert_int_equal(ti.seq, (uint64_t)first);
	assert_int_equal(ti.counted, -1);
	assert_string_equal(election_status(el, t), "open");
	/* the next line of the record continues the chain the facts left */
	assert_int_equal(election_apply(el, base.l[first + 1], strlen(base.l[first + 1]), APPLY_FULL, &e), 0);
	free(b);
	election_free(el);
}

/* ---- the tally's presums (verifier.c: the workers sum what they decoded) ---- */

/* Every line of b applied alone in APPLY_FULL mode, as a one-thread replay
 * without presums: the reference a verifier's state must match. */
static election *replay(const board *b)
{
	urna_err e = {0};
	election *el = election_new();
	for (size_t i = 0; i < b->n; i++)
		if (election_apply(el, b->l[i], strlen(b->l[i]), APPLY_FULL, &e))
			fail_msg("replay: entry %zu: %s: %s", i, err_name(e.code), e.msg);
	return el;
}

/* a's tallies (threads 2, any presum) are bit for bit ref's (threads 1). */
static void same_tallies(const election *a, const election *ref)
{
	assert_int_equal(election_nregions(a), election_nregions(ref));
	for (size_t g = 0; g < election_nregions(a); g++) {
		tally_body ta, tr;
		urna_err e = {0};
		assert_int_equal(election_tally(a, g, &ta, 2, &e), 0);
		assert_int_equal(election_tally(ref, g, &tr, 1, &e), 0);
		assert_int_equal(ta.cast, tr.cast);
		assert_int_equal(ta.counted, tr.counted);
		assert_int_equal(ta.nq, tr.nq);
		for (uint32_t q = 0; q < ta.nq; q++) {
			assert_int_equal(ta.m[q], tr.m[q]);
			for (uint32_t k = 0; k < ta.m[q]; k++)
				assert_memory_equal(&ta.ct[q][k], &tr.ct[q][k], sizeof(urna_ct));
		}
	}
}

/* Ballots of region reg in b whose credential voted before (re-votes). */
static size_t revotes(const board *b, const char *reg)
{
	char seen[64][64];
	size_t n = 0, again = 0;
	for (size_t i = 0; i < b->n; i++) {
		rec_line l;
		if (line_parse(&l, b->l[i], strlen(b->l[i]), NULL) || l.kind != KIND_BALLOT || strcmp(l.region, reg))
			continue;
		json_t *body = json_loadb(l.body, l.body_len, 0, NULL);
		const char *X = json_string_value(json_object_get(body, "credential"));
		assert_non_null(X);
		size_t k = 0;
		while (k < n && strcmp(seen[k], X))
			k++;
		if (k < n)
			again++;
		else if (n < 64)
			snprintf(seen[n++], sizeof seen[0], "%s", X);
		json_decref(body);
	}
	return again;
}

/* s.7, s.8: with re-votes (6 a region: the presummed ballots they replace
 * come out of the sum), the verifier's tallies are a one-thread replay's
 * without presums, on 2 threads and on 1; the presums were used. */
static void test_presum_revotes(void **st)
{
	(void)st;
	election *ref = replay(&base);
	assert_int_equal(revotes(&base, "r1"), 6);
	assert_int_equal(revotes(&base, "r2"), 6);
	for (int threads = 1; threads <= 2; threads++) {
		size_t len;
		char *text = board_text(&base, &len);
		verify_opts o = {.threads = threads};
		election *el = NULL;
		urna_err e = {0};
		if (verify_board(text, len, &o, &el, &e))
			fail_msg("entry %llu: %s: %s", (unsigned long long)e.seq, err_name(e.code), e.msg);
		free(text);
		for (size_t g = 0; g < 2; g++) {
			region_info ri;
			assert_int_equal(election_region(el, g, &ri), 0);
			assert_int_equal(ri.presum, 1);
			assert_int_equal(ri.cast, 18);
			assert_int_equal(ri.tally->counted, 12);
		}
		same_tallies(el, ref);
		election_free(el);
	}
	election_free(ref);
}

/* The facts of ballot line (as the verifier's workers make them) into f
 * and ct. */
static void facts_of(const char *line, ballot *b, urna_ct *ct, ballot_facts *f)
{
	rec_line l;
	uint32_t k = 0;
	urna_err e = {0};
	assert_int_equal(line_parse(&l, line, strlen(line), NULL), 0);
	assert_int_equal(ballot_parse(b, l.body, l.body_len, &e), 0);
	for (uint32_t q = 0; q < b->nq; q++)
		for (uint32_t c = 0; c < b->m[q]; c++)
			ct[k++] = b->ct[q][c];
	*f = (ballot_facts){.ct = ct, .nct = k};
	line_hash(f->line_hash, line, strlen(line));
	memcpy(f->X, b->X, 32);
	memcpy(f->tracker, b->tracker, 32);
	strcpy(f->referendum, b->referendum);
	strcpy(f->region, b->region);
}

/* Adds ballot f's ciphertexts, decoded here, to s (times times). */
static void presum_add(tally_presum *s, const ballot_facts *f, int times)
{
	vt_point *pt[2 * URNA_MAX_QUESTIONS * URNA_MAX_CHOICES];
	assert_int_equal(f->nct, s->nct);
	for (uint32_t c = 0; c < f->nct; c++) {
		pt[2 * c] = malloc(vt_point_size());
		pt[2 * c + 1] = malloc(vt_point_size());
		assert_int_equal(vt_decode(pt[2 * c], f->ct[c].alpha), 0);
		assert_int_equal(vt_decode(pt[2 * c + 1], f->ct[c].beta), 0);
	}
	for (int t = 0; t < times; t++)
		tally_presum_add(s, (const vt_point *const *)pt, f->line_hash);
	for (uint32_t c = 0; c < 2 * f->nct; c++)
		free(pt[c]);
}

enum {
	PRE_SOME,       /* every third ballot applied by election_apply: not in the sum, decoded */
	PRE_TWICE,      /* region 1's sum handed over twice */
	PRE_NOT_SUMMED, /* a counted ballot's facts say presummed, no sum holds it */
	PRE_SUMMED_TWICE, /* a ballot in its region's sum twice */
	PRE_REGION,     /* a ballot in its region's sum, its facts name the other region */
	PRE_LATE,       /* the sums handed over after the tally entries (tallied without) */
	PRE_CASES
};

/* The board's lines applied one by one, ballots by their facts with
 * presums as the verifier hands them over, then broken as case says: the
 * election uses a presum only when it holds exactly the ballots applied
 * as in it, so every tally entry still checks and every tally is the
 * replay's. */
static void test_presum_guards(void **st)
{
	(void)st;
	election *ref = replay(&base);
	ballot *b = ballot_new();
	for (int cs = 0; cs < PRE_CASES; cs++) {
		election *el = election_new();
		tally_presum sum[2];
		urna_err e = {0};
		size_t nballots = 0;
		int used[2] = {1, 1};
		memset(sum, 0, sizeof sum);
		for (size_t i = 0; i < base.n; i++) {
			const char *line = base.l[i];
			rec_line l;
			assert_int_equal(line_parse(&l, line, strlen(line), NULL), 0);
			if ((l.kind == KIND_CLOSE && cs != PRE_LATE) ||
			    (l.kind == KIND_PUBLISH && cs == PRE_LATE)) {
				for (size_t g = 0; g < 2; g++) {
					(void)election_add_presum(el, g, &sum[g]);
					if (cs == PRE_TWICE && g == 0)
						(void)election_add_presum(el, g, &sum[g]);
				}
			}
			if (l.kind != KIND_BALLOT || (cs == PRE_SOME && nballots % 3 == 2)) {
				nballots += l.kind == KIND_BALLOT;
				if (election_apply(el, line, strlen(line), APPLY_FULL, &e))
					fail_msg("case %d: entry %zu: %s: %s", cs, i, err_name(e.code), e.msg);
				continue;
			}
			urna_ct ct[URNA_MAX_QUESTIONS * URNA_MAX_CHOICES];
			ballot_facts f;
			facts_of(line, b, ct, &f);
			int g = election_region_index(el, f.region);
			region_info ri;
			assert_true(g >= 0 && g < 2);
			assert_int_equal(election_region(el, (size_t)g, &ri), 0);
			if (!sum[g].p)
				assert_int_equal(tally_presum_init(&sum[g], manifest_nct(ri.m)), 0);
			f.presummed = 1;
			f.presum_region = (uint32_t)g;
			int last = nballots == 17 || nballots == 35; /* each region's last ballot (r1's 0..17): counted */
			if (!(cs == PRE_NOT_SUMMED && last))
				presum_add(&sum[g], &f, cs == PRE_SUMMED_TWICE && nballots == 3 ? 2 : 1);
			if (cs == PRE_REGION && nballots == 20)
				f.presum_region = (uint32_t)(1 - g);
			if (election_apply_facts(el, line, strlen(line), &f, &e))
				fail_msg("case %d: entry %zu: %s: %s", cs, i, err_name(e.code), e.msg);
			nballots++;
		}
		assert_int_equal(nballots, 36);
		switch (cs) {
		case PRE_TWICE: used[0] = 0; break;
		case PRE_NOT_SUMMED: used[0] = used[1] = 0; break;
		case PRE_SUMMED_TWICE: used[0] = 0; break;
		case PRE_REGION: used[1] = 0; break; /* ballot 20 is region 2's */
		}
		for (size_t g = 0; g < 2; g++) {
			region_info ri;
			assert_int_equal(election_region(el, g, &ri), 0);
			if (ri.presum != used[g])
				fail_msg("case %d: region %zu: presum used %d, expected %d", cs, g, ri.presum, used[g]);
			tally_presum_free(&sum[g]);
		}
		same_tallies(el, ref);
		election_free(el);
	}
	free(b);
	election_free(ref);
}

/* s.9: ballots the workers' batch reports bad (a proof, a signature) are
 * summed by nobody: the verify fails at the first of them, a replaced
 * ballot (its tally would have taken it out) or a counted one alike. */
static void test_presum_bad_in_worker(void **st)
{
	(void)st;
	static const char *cases[][5] = {
		{"ballot@r1:0", "set", "answers.0.proof.1.z", "%scalar", "resign"},     /* replaced by a re-vote */
		{"ballot@r1:-1", "set", "answers.0.proof.0.A", "%point", "resign"},     /* counted */
		{"ballot@r2:-1", "set", "signature.z", "%scalar", NULL},               /* counted, its signature */
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		board b;
		char *tok[5];
		int ntok = 0, nochain;
		for (; ntok < 5 && cases[c][ntok]; ntok++)
			tok[ntok] = (char *)cases[c][ntok];
		board_copy(&b, &base);
		long at = mutate(&b, tok, ntok, &nochain);
		rechain(&b);
		/* and a second bad ballot after it: the first is the one named */
		long later = select_line(&b, "ballot@r2:-2");
		assert_true(later > at || c == 2);
		if (later > at)
			body_edit(&b, later, "set", "signature.z", "%scalar", 0), rechain(&b);
		urna_err e = {0};
		assert_int_equal(run_verify(&b, &e, NULL), -1);
		assert_true(e.has_seq);
		assert_int_equal(e.seq, (uint64_t)at);
		assert_string_equal(err_name(e.code), c == 2 ? "bad_signature" : "bad_proof");
		board_free(&b);
	}
}

/* Bad input never crashes (s.15): random bytes of random lines changed,
 * chain left as it is; the verifier must refuse every such board. */
static void test_random_damage(void **st)
{
	(void)st;
	int n = getenv("URNA_DAMAGE_ROUNDS") ? atoi(getenv("URNA_DAMAGE_ROUNDS")) : 60;
	for (int r = 0; r < n; r++) {
		board b;
		urna_err e = {0};
		board_copy(&b, &base);
		size_t i = randombytes_uniform((uint32_t)(b.n - 1)); /* not the last line: its change breaks no chain */
		size_t len = strlen(b.l[i]);
		size_t at = randombytes_uniform((uint32_t)len);
		char c = (char)(randombytes_uniform(95) + 32);
		if (b.l[i][at] == c)
			c = c == 'x' ? 'y' : 'x';
		b.l[i][at] = c;
		if (run_verify(&b, &e, NULL) == 0)
			fail_msg("line %zu byte %zu changed to '%c': still verifies", i, at, c);
		assert_true(e.has_seq);
		assert_true(e.seq <= i + 1);
		board_free(&b);
	}
}

/* The server's run (src/server/verdict.c): a stop asked for ends it early
 * with io_error and no state; never asked, it is verify_board. The entry at
 * fault is named by its kind, as `urna verify` and the server report it. */
static void test_stop_and_kind(void **st)
{
	(void)st;
	size_t len;
	char *text = board_text(&base, &len);
	verify_opts o = {.threads = 2};
	election *el = NULL;
	urna_err e = {0};
	int stop = 1, go = 0;

	assert_int_equal(verify_board_until(text, len, &o, &stop, &el, &e), -1);
	assert_null(el);
	assert_int_equal(e.code, URNA_E_IO);
	assert_int_equal(verify_board_until(text, len, &o, &go, &el, &e), 0);
	assert_non_null(el);
	election_free(el);
	/* timed (urna bench verify): every ballot line parsed and its points
	 * decoded by the workers, at least 8 a ballot (a yes/no one's X, A,
	 * alpha, beta and its two branches' A, B; the mixed region's more) */
	verify_stats vs;
	size_t nballots = 0;
	for (size_t i = 0; i < base.n; i++)
		nballots += strstr(base.l[i], "\"kind\":\"ballot\"") != NULL;
	o.stats = &vs;
	assert_int_equal(verify_board(text, len, &o, &el, &e), 0);
	election_free(el);
	assert_true(nballots > 0);
	assert_int_equal(vs.ballots, nballots);
	assert_true(vs.decodes >= 8 * nballots);
	assert_true(vs.parse_s > 0 && vs.hash_s > 0 && vs.decode_s > 0 && vs.msm_s > 0 && vs.apply_s > 0);
	assert_string_equal(verify_kind_at(text, len, 0), "referendum");
	assert_string_equal(verify_kind_at(text, len, base.n - 1), "checkpoint");
	assert_string_equal(verify_kind_at(text, len, base.n), "missing");
	assert_string_equal(verify_kind_at("{]\n", 3, 0), "unparseable");
	free(text);
}

static int setup(void **st)
{
	(void)st;
	if (crypto_setup())
		return -1;
	make_record(&base, BASE_ID);
	make_record(&other, "other-vote");
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	board_free(&base);
	board_free(&other);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_verifies),
		cmocka_unit_test(test_server_ballot_path),
		cmocka_unit_test(test_threshold_equals_trustees),
		cmocka_unit_test(test_packed_edges),
		cmocka_unit_test(test_tamper_cases),
		cmocka_unit_test(test_presum_revotes),
		cmocka_unit_test(test_presum_guards),
		cmocka_unit_test(test_presum_bad_in_worker),
		cmocka_unit_test(test_random_damage),
		cmocka_unit_test(test_stop_and_kind),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
