/* test_client.c: the client layer (src/client): ids and error names, server
 * URLs, the HTTP client against a scripted socket peer (Content-Length,
 * chunked, read-to-close, ceilings, errors), credentials (docs/protocol.md
 * s.12), and a ballot built by the booth checked as a Benaloh audit file
 * by the record layer's audit_check (s.14, s.16). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "client/board.h"
#include "client/booth.h"
#include "client/client.h"
#include "client/credentials.h"
#include "client/http.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "record/audit.h"
#include "record/ballot.h"

static int setup(void **state)
{
	(void)state;
	return crypto_setup();
}

static void test_ids(void **state)
{
	(void)state;
	assert_int_equal(http_code_from_name("not_on_list"), URNA_E_NOT_ON_LIST);
	assert_int_equal(http_code_from_name("bogus"), URNA_E__COUNT);
	urna_err e;
	assert_int_equal(client_check_id("region", "kuban-2", &e), 0);
	assert_int_equal(client_check_id("region", "-kuban", &e), -1);
	assert_int_equal(client_check_id("region", "Kuban", &e), -1);
	assert_int_equal(client_check_id("region", "", &e), -1);
}

static void test_urls(void **state)
{
	(void)state;
	http_server s;
	urna_err e;
	assert_int_equal(http_server_parse(&s, "http://127.0.0.1:8080", &e), 0);
	assert_string_equal(s.base, "http://127.0.0.1:8080");
	assert_int_equal(s.tls, 0);
	assert_int_equal(http_server_parse(&s, "http://example.org/urna/", &e), 0);
	assert_string_equal(s.base, "http://example.org/urna");
	assert_int_equal(http_server_parse(&s, "https://example.org", &e), 0);
	assert_int_equal(s.tls, 1);
	assert_int_equal(http_server_parse(&s, "ftp://example.org", &e), -1);
	assert_int_equal(http_server_parse(&s, "example.org", &e), -1);
	assert_int_equal(http_server_parse(&s, "http://:80", &e), -1);
	assert_int_equal(http_server_parse(&s, "http://h:99999", &e), -1);
	assert_int_equal(http_server_parse(&s, "http://h:80x", &e), -1);
	assert_int_equal(http_server_parse(&s, "http://h/?q=1", &e), -1);
	assert_int_equal(http_server_parse(&s, "http://u:p@h/", &e), -1);
}

/* A one-shot peer: accepts one connection, reads the request head, writes
 * the scripted answer, closes. */
typedef struct {
	int lfd;
	const char *answer;
	char request[4096];
} peer;

static void *peer_run(void *arg)
{
	peer *p = arg;
	int fd = accept(p->lfd, NULL, NULL);
	if (fd < 0)
		return NULL;
	size_t n = 0;
	while (n < sizeof p->request - 1) {
		ssize_t r = recv(fd, p->request + n, sizeof p->request - 1 - n, 0);
		if (r <= 0)
			break;
		n += (size_t)r;
		p->request[n] = 0;
		char *end = strstr(p->request, "\r\n\r\n");
		const char *cl = strstr(p->request, "Content-Length: ");
		if (end && (!cl || n >= (size_t)(end + 4 - p->request) + (size_t)atoi(cl + 16)))
			break;
	}
	if (send(fd, p->answer, strlen(p->answer), MSG_NOSIGNAL) < 0)
		perror("send");
	close(fd);
	return NULL;
}

static int run_peer(const char *answer, const http_req *req, http_resp *resp, urna_err *e, char *request)
{
	peer p = {.answer = answer};
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t l = sizeof a;
	p.lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(p.lfd >= 0);
	assert_int_equal(bind(p.lfd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(p.lfd, 1), 0);
	assert_int_equal(getsockname(p.lfd, (struct sockaddr *)&a, &l), 0);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(a.sin_port));
	http_server s;
	assert_int_equal(http_server_parse(&s, url, e), 0);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, peer_run, &p), 0);
	int rc = http_do(&s, req, resp, e);
	pthread_join(th, NULL);
	close(p.lfd);
	if (request)
		memcpy(request, p.request, sizeof p.request);
	return rc;
}

static int sink_count(void *ctx, const char *d, size_t n)
{
	(void)d;
	*(size_t *)ctx += n;
	return 0;
}

static void test_http(void **state)
{
	(void)state;
	http_resp r;
	urna_err e;
	char request[4096];
	http_req get = {.method = "GET", .path = "/api/x", .token = "tok", .timeout_ms = 2000};
	assert_int_equal(run_peer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: application/json\r\n\r\nhello", &get,
	                          &r, &e, request),
	                 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "hello");
	assert_string_equal(r.content_type, "application/json");
	assert_non_null(strstr(request, "GET /api/x HTTP/1.1\r\n"));
	assert_non_null(strstr(request, "Authorization: Bearer tok\r\n"));
	http_resp_free(&r);

	http_req post = {.method = "POST", .path = "/p", .body = "{\"a\":1}", .body_len = 7, .timeout_ms = 2000};
	assert_int_equal(run_peer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
	                          "3\r\nabc\r\n10;ext=1\r\n0123456789abcdef\r\n0\r\nX-T: 1\r\n\r\n",
	                          &post, &r, &e, request),
	                 0);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.body, "abc0123456789abcdef");
	assert_non_null(strstr(request, "Content-Length: 7\r\n\r\n{\"a\":1}"));
	http_resp_free(&r);

	assert_int_equal(run_peer("HTTP/1.0 403 Forbidden\r\n\r\n{\"error\":\"closed\",\"message\":\"voting closed\"}", &get, &r,
	                          &e, NULL),
	                 0);
	assert_int_equal(r.status, 403);
	assert_int_equal(http_error(&r, "cast", &e), -1);
	assert_int_equal(e.code, URNA_E_CLOSED);
	assert_non_null(strstr(e.msg, "voting closed"));
	http_resp_free(&r);
	/* An answer that is not Urna's error JSON is not guessed from its status. */
	assert_int_equal(run_peer("HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\n<h1>no</h1>", &get, &r, &e, NULL), 0);
	assert_int_equal(http_error(&r, "cast", &e), -1);
	assert_int_equal(e.code, URNA_E_IO);
	assert_non_null(strstr(e.msg, "HTTP 403"));
	http_resp_free(&r);

	size_t got = 0;
	http_req sunk = {.method = "GET", .path = "/b", .timeout_ms = 2000, .sink = sink_count, .sink_ctx = &got};
	assert_int_equal(run_peer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nline\r\n0\r\n\r\n", &sunk, &r, &e,
	                          NULL),
	                 0);
	assert_int_equal(got, 4);
	assert_int_equal(r.len, 0);
	http_resp_free(&r);
	/* A sunk body has the ceiling too. */
	got = 0;
	sunk.max_body = 3;
	assert_int_equal(run_peer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nline\r\n0\r\n\r\n", &sunk, &r, &e,
	                          NULL),
	                 -1);
	assert_int_equal(e.code, URNA_E_TOO_LARGE);
	assert_int_equal(got, 0);

	http_req small = {.method = "GET", .path = "/", .max_body = 4, .timeout_ms = 2000};
	assert_int_equal(run_peer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", &small, &r, &e, NULL), -1);
	assert_int_equal(e.code, URNA_E_TOO_LARGE);
	assert_int_equal(run_peer("HTTP/1.1 200 OK\r\n\r\n0123456789", &small, &r, &e, NULL), -1);
	assert_int_equal(run_peer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234", &get, &r, &e, NULL), -1);
	assert_int_equal(e.code, URNA_E_IO);
	assert_int_equal(run_peer("garbage\r\n\r\n", &get, &r, &e, NULL), -1);
	assert_int_equal(run_peer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", &get, &r, &e, NULL), -1);
	assert_null(r.body);

	http_server s;
	assert_int_equal(http_server_parse(&s, "http://127.0.0.1:1", &e), 0);
	assert_int_equal(http_do(&s, &get, &r, &e), -1);
	assert_int_equal(e.code, URNA_E_IO);
}

static void test_credentials(void **state)
{
	(void)state;
	char text[CRED_TEXT], norm[CRED_NORM], low[CRED_TEXT];
	urna_err e;
	credential_new(text);
	assert_int_equal(strlen(text), 39);
	for (int g = 1; g < 8; g++)
		assert_int_equal(text[5 * g - 1], '-');
	assert_int_equal(credential_normalise(norm, text, &e), 0);
	assert_int_equal(strlen(norm), 32);
	for (size_t i = 0; i <= strlen(text); i++)
		low[i] = (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32 : text[i]);
	low[4] = ' ';
	char n2[CRED_NORM];
	assert_int_equal(credential_normalise(n2, low, &e), 0);
	assert_string_equal(norm, n2);
	/* A typo in the random part or the check part is caught. */
	char typo[CRED_TEXT];
	memcpy(typo, text, sizeof typo);
	typo[0] = typo[0] == 'A' ? 'B' : 'A';
	assert_int_equal(credential_normalise(n2, typo, &e), -1);
	assert_int_equal(e.code, URNA_E_MALFORMED);
	memcpy(typo, text, sizeof typo);
	typo[37] = typo[37] == 'A' ? 'B' : 'A';
	assert_int_equal(credential_normalise(n2, typo, &e), -1);
	assert_int_equal(credential_normalise(n2, "ABCD", &e), -1);
	assert_int_equal(credential_normalise(n2, "", &e), -1);
	/* Keys follow s.11: x = Hs("credential", ref, region, normalised). */
	uint8_t x[32], X[32], x2[32], X2[32], xG[32];
	assert_int_equal(credential_derive(x, X, "r", "kuban", text, &e), 0);
	assert_int_equal(credential_derive(x2, X2, "r", "kuban", low, &e), 0);
	assert_memory_equal(X, X2, 32);
	urna_hash h;
	uint8_t want[32];
	hash_init(&h, "credential");
	hash_add_str(&h, "r");
	hash_add_str(&h, "kuban");
	hash_add_str(&h, norm);
	hash_final_scalar(&h, want);
	assert_memory_equal(x, want, 32);
	assert_int_equal(point_base_mul(xG, x), 0);
	assert_memory_equal(xG, X, 32);
	assert_int_equal(credential_derive(x2, X2, "r", "urals", text, &e), 0);
	assert_memory_not_equal(X, X2, 32);
}

static const char manifest_text[] =
    "{\"id\":\"kuban\",\"name\":{\"en\":\"Kuban\"},\"questions\":[{\"choices\":[{\"en\":\"Yes\"},{\"en\":\"No\"}],"
    "\"max\":1,\"min\":0,\"text\":{\"en\":\"Q?\"}},{\"choices\":[{\"en\":\"a\"},{\"en\":\"b\"},{\"en\":\"c\"}],"
    "\"max\":2,\"min\":1,\"text\":{\"en\":\"Pick\"}}]}";

static void make_ctx(booth_ctx *ctx)
{
	memset(ctx, 0, sizeof *ctx);
	strcpy(ctx->referendum, "r");
	strcpy(ctx->region, "kuban");
	hash32(ctx->h_R, "the referendum entry", 20);
	urna_err e;
	assert_int_equal(booth_ctx_set_manifest(ctx, manifest_text, strlen(manifest_text), &e), 0);
	assert_memory_equal(ctx->rm.h_R, ctx->h_R, 32);
	uint8_t s[32];
	scalar_random(s);
	assert_int_equal(point_base_mul(ctx->K, s), 0);
	ctx->electorate = 1000; /* M = 1024 */
}

static void test_answers(void **state)
{
	(void)state;
	booth_ctx ctx;
	booth_answers a;
	urna_err e;
	make_ctx(&ctx);
	assert_int_equal(ctx.rm.nq, 2);
	assert_int_equal(booth_answers_parse(&a, &ctx.rm, "1;2,3", &e), 0);
	assert_int_equal(a.sel[0][0], 1);
	assert_int_equal(a.sel[1][1] + a.sel[1][2], 2);
	assert_int_equal(booth_answers_parse(&a, &ctx.rm, ";1", &e), 0); /* blank first */
	assert_int_equal(booth_answers_parse(&a, &ctx.rm, "1", &e), -1);  /* one answer, two questions */
	assert_int_equal(booth_answers_parse(&a, &ctx.rm, "1;", &e), -1); /* min 1 */
	assert_int_equal(booth_answers_parse(&a, &ctx.rm, "1,2;1", &e), -1);
	assert_int_equal(booth_answers_parse(&a, &ctx.rm, "3;1", &e), -1);
	assert_int_equal(booth_answers_parse(&a, &ctx.rm, "x;1", &e), -1);
	assert_int_equal(booth_answers_parse(&a, &ctx.rm, "1;1,1", &e), -1);
	assert_int_equal(booth_answers_parse(&a, &ctx.rm, "1;1;1", &e), -1);
	booth_ctx_free(&ctx);
}

/* The audit file built by the booth as `urna vote --audit` writes it (s.16)
 * holds under the record layer's audit_check; the tampered files of
 * tests/vectors/audit.json are test_audit's. */
static int audit_of(audit_result *r, const json_t *audit, size_t flags, urna_err *e)
{
	char *text = json_dumps(audit, flags);
	assert_non_null(text);
	int rc = audit_check(r, text, strlen(text), e);
	free(text);
	return rc;
}

static void test_ballot_audit(void **state)
{
	(void)state;
	booth_ctx ctx;
	booth_answers a;
	audit_result back;
	urna_err e;
	make_ctx(&ctx);
	char cred[CRED_TEXT];
	uint8_t x[32], X[32], trk[32];
	credential_new(cred);
	assert_int_equal(credential_derive(x, X, "r", "kuban", cred, &e), 0);
	assert_int_equal(booth_answers_parse(&a, &ctx.rm, "2;1,3", &e), 0);
	char *btxt;
	size_t len;
	json_t *audit;
	assert_int_equal(booth_build(&btxt, &len, trk, &audit, &ctx, &a, x, X, &e), 0);
	/* Canonical (s.13): re-serialising gives the same bytes; the audited
	 * ballot is unsigned (s.16), its tracker hash32 of those bytes. */
	json_t *j = json_loads(btxt, 0, NULL);
	char *again = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(again, btxt);
	uint8_t t2[32];
	hash32(t2, btxt, len);
	assert_memory_equal(t2, trk, 32);
	assert_null(json_object_get(j, "signature"));
	json_t *a0 = json_array_get(json_object_get(j, "answers"), 0), *a1 = json_array_get(json_object_get(j, "answers"), 1);
	assert_null(json_object_get(a0, "choices")); /* yes/no/blank: packed, three branches */
	assert_int_equal(json_array_size(json_object_get(a0, "proof")), 3);
	assert_int_equal(json_array_size(json_object_get(a1, "choices")), 3);
	assert_int_equal(json_array_size(json_object_get(a1, "proof")), 2);
	free(again);
	json_decref(j);
	/* Choice 2 of the packed question is v = M = 1024, one entry. */
	json_t *r0 = json_array_get(json_object_get(audit, "randomness"), 0);
	assert_int_equal(json_array_size(r0), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(r0, 0), "v")), 1024);
	assert_int_equal(json_integer_value(json_object_get(audit, "electorate")), 1000);
	/* As vote.c writes it (indented) and as the booth does (canonical). */
	for (int f = 0; f < 2; f++) {
		assert_int_equal(audit_of(&back, audit, f ? JSON_COMPACT | JSON_SORT_KEYS : JSON_INDENT(1) | JSON_SORT_KEYS, &e), 0);
		assert_int_equal(back.m.nq, 2);
		for (uint32_t q = 0; q < 2; q++)
			assert_memory_equal(back.sel[q], a.sel[q], URNA_MAX_CHOICES);
		assert_memory_equal(back.tracker, trk, 32);
		assert_string_equal(back.referendum, "r");
		assert_string_equal(back.region, "kuban");
		assert_memory_equal(back.m.h_R, ctx.h_R, 32);
		assert_non_null(json_object_get(back.manifest, "questions"));
		audit_result_free(&back);
	}
	assert_int_equal(json_integer_value(json_object_get(audit, "version")), 2);
	/* The file names the referendum its proofs are bound to (s.16): another
	 * h_R breaks the first proof. */
	json_t *other = json_deep_copy(audit);
	char hR[URNA_B64_32];
	uint8_t h2[32];
	hash32(h2, "another referendum", 18);
	b64url_encode(hR, h2, 32);
	json_object_set_new(other, "referendum_hash", json_string(hR));
	assert_int_equal(audit_of(&back, other, JSON_COMPACT, &e), -1);
	assert_int_equal(e.code, URNA_E_BAD_PROOF);
	assert_non_null(strstr(e.msg, "answer 1"));
	json_decref(other);
	/* Another electorate gives another M (2048): the packed proof fails. */
	other = json_deep_copy(audit);
	json_object_set_new(other, "electorate", json_integer(1024));
	assert_int_equal(audit_of(&back, other, JSON_COMPACT, &e), -1);
	json_decref(other);
	/* The audited ballot cannot be cast: it has no signature (s.16). */
	ballot *rb = ballot_new();
	assert_non_null(rb);
	assert_int_equal(ballot_parse(rb, btxt, len, &e), -1);
	assert_int_equal(e.code, URNA_E_MALFORMED);
	assert_non_null(strstr(e.msg, "no signature"));
	assert_int_equal(ballot_parse_unsigned(rb, btxt, len, &e), 0);
	assert_int_equal(ballot_shape_ok(rb, &ctx.rm, ctx.electorate, &e), 0);
	assert_int_equal(ballot_verify(rb, ctx.h_E, ctx.K, &e), 0);
	assert_memory_equal(rb->tracker, trk, 32);
	/* And a ballot to cast (record's ballot_make) the booth's checks accept;
	 * its tracker is its unsigned part's. */
	char *cast;
	size_t clen;
	uint8_t ctrk[32];
	assert_int_equal(booth_build(&cast, &clen, ctrk, NULL, &ctx, &a, x, X, &e), 0);
	assert_int_equal(ballot_parse(rb, cast, clen, &e), 0);
	assert_int_equal(ballot_shape_ok(rb, &ctx.rm, ctx.electorate, &e), 0);
	assert_int_equal(ballot_verify(rb, ctx.h_E, ctx.K, &e), 0);
	assert_memory_equal(rb->tracker, ctrk, 32);
	assert_memory_not_equal(ctrk, trk, 32); /* encrypted afresh */
	/* An audit file holding a signed ballot is refused as malformed. */
	json_t *signed_file = json_deep_copy(audit);
	json_object_set_new(signed_file, "ballot", json_loadb(cast, clen, 0, NULL));
	assert_int_equal(audit_of(&back, signed_file, JSON_COMPACT, &e), -1);
	assert_int_equal(e.code, URNA_E_MALFORMED);
	assert_non_null(strstr(e.msg, "signed"));
	json_decref(signed_file);
	free(cast);
	free(rb);

	/* A lie about a revealed value is caught on the booth's own file: v = 1
	 * (choice 1, allowed) where the ciphertext holds M. */
	json_t *bad = json_deep_copy(audit);
	json_t *rv = json_array_get(json_array_get(json_object_get(bad, "randomness"), 0), 0);
	json_object_set_new(rv, "v", json_integer(1));
	assert_int_equal(audit_of(&back, bad, JSON_COMPACT, &e), -1);
	assert_int_equal(e.code, URNA_E_MISMATCH);
	assert_null(back.manifest);
	/* and a value no packed question allows is malformed */
	json_object_set_new(rv, "v", json_integer(2));
	assert_int_equal(audit_of(&back, bad, JSON_COMPACT, &e), -1);
	assert_int_equal(e.code, URNA_E_MALFORMED);
	json_decref(bad);

	/* Answers that break the manifest's bounds are refused before building. */
	booth_answers wrong = a;
	wrong.sel[1][0] = wrong.sel[1][1] = wrong.sel[1][2] = 1;
	free(btxt);
	assert_int_equal(booth_build(&btxt, &len, trk, NULL, &ctx, &wrong, x, X, &e), -1);
	assert_null(btxt);
	json_decref(audit);
	booth_ctx_free(&ctx);
}

/* s.15: the body bytes are the substring between "body": and the final }. */
static void test_board_lines(void **state)
{
	(void)state;
	const char text[] =
	    "{\"seq\":0,\"prev\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"time\":5,\"kind\":\"referendum\",\"by\":\"organizer\",\"sig\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"body\":{\"id\":\"r\",\"x\":\"\\\"body\\\":\"}}\n"
	    "{\"seq\":1,\"prev\":\"BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA\",\"time\":6,\"kind\":\"ballot\",\"region\":\"kuban\",\"body\":{\"credential\":\"XX\"}}\n";
	board_view b;
	urna_err e;
	char *copy = strdup(text);
	assert_int_equal(board_parse(&b, copy, strlen(copy), &e), 0);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.v[0].kind, "referendum");
	assert_string_equal(b.v[0].region, "");
	assert_int_equal(b.v[0].body_len, strlen("{\"id\":\"r\",\"x\":\"\\\"body\\\":\"}"));
	assert_memory_equal(b.v[0].body, "{\"id\":\"r\",", 10);
	uint8_t h[32], want[32];
	board_body_hash(h, &b.v[0]);
	hash32(want, b.v[0].body, b.v[0].body_len);
	assert_memory_equal(h, want, 32);
	assert_null(b.v[1].j); /* ballots stay bytes */
	assert_string_equal(b.v[1].region, "kuban");
	board_free(&b);
	char *bad = strdup("{\"seq\":0,\"kind\":\"x\"}\n");
	assert_int_equal(board_parse(&b, bad, strlen(bad), &e), -1);
	char *bad2 = strdup("not json\n");
	assert_int_equal(board_parse(&b, bad2, strlen(bad2), &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),         cmocka_unit_test(test_urls),
		cmocka_unit_test(test_http),        cmocka_unit_test(test_credentials),
		cmocka_unit_test(test_answers),     cmocka_unit_test(test_ballot_audit), cmocka_unit_test(test_board_lines),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
