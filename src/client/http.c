/* http.c: the client's HTTP transport on libcurl (http.h). One
 * easy handle a request, so any thread may call http_do; TLS, redirects
 * (none are followed), proxies from the environment and the wire format are
 * libcurl's. What Urna adds: a ceiling on every response body, an
 * inactivity timeout, a sink for streamed 2xx bodies, and the server's error
 * code read from its JSON answer. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <jansson.h>
#include "base/buf.h"
#include "client/http.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_ready = CURLE_FAILED_INIT;

static void curl_setup(void)
{
	curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int http_server_parse(http_server *s, const char *url, urna_err *e)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *query = NULL, *frag = NULL, *user = NULL;
	int rc = -1;

	memset(s, 0, sizeof *s);
	if (!u)
		return err_set(e, URNA_E_IO, "out of memory");
	if (!url || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		err_set(e, URNA_E_MALFORMED, "bad server URL '%s' (http://HOST[:PORT] or https://...)", url ? url : "");
		goto out;
	}
	if (strcmp(scheme, "http") && strcmp(scheme, "https")) {
		err_set(e, URNA_E_MALFORMED, "server URL must start with http:// or https:// (got '%s')", url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		err_set(e, URNA_E_MALFORMED, "server URL '%s': no user, query or fragment", url);
		goto out;
	}
	size_t n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	if (n >= sizeof s->base) {
		err_set(e, URNA_E_MALFORMED, "server URL too long");
		goto out;
	}
	memcpy(s->base, url, n);
	s->base[n] = '\0';
	s->tls = !strcmp(scheme, "https");
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(query);
	curl_free(frag);
	curl_free(user);
	curl_url_cleanup(u);
	return rc;
}

void http_resp_free(http_resp *r)
{
	if (!r)
		return;
	free(r->body);
	r->body = NULL;
	r->len = 0;
}

/* Where the body goes: body (up to max, then resp->body) or the request's
 * sink (a 2xx only, which is known once the headers are in). */
typedef struct {
	CURL *h;
	const http_req *req;
	buf body;
	size_t max, sunk;
	int over, sink_failed;
} body_out;

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	body_out *b = arg;
	size_t n = size * nmemb;
	long status = 0;
	curl_easy_getinfo(b->h, CURLINFO_RESPONSE_CODE, &status);
	if (b->req->sink && status >= 200 && status < 300) {
		if (n > b->max - b->sunk) {
			b->over = 1;
			return 0;
		}
		b->sunk += n;
		if (b->req->sink(b->req->sink_ctx, data, n) != 0) {
			b->sink_failed = 1;
			return 0;
		}
		return n;
	}
	if (buf_add(&b->body, data, n) != 0) {
		b->over = buf_full(&b->body, n);
		return 0;
	}
	return n;
}

int http_do(const http_server *s, const http_req *req, http_resp *resp, urna_err *e)
{
	char url[sizeof s->base + 1024], auth[600], ctype[120], errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdr = NULL;
	int timeout_ms = req->timeout_ms > 0 ? req->timeout_ms : HTTP_TIMEOUT_MS;
	body_out b = {.req = req, .max = req->max_body ? req->max_body : HTTP_MAX_BODY};
	int rc = -1;
	CURL *h = NULL;

	memset(resp, 0, sizeof *resp);
	buf_init(&b.body, b.max);
	pthread_once(&curl_once, curl_setup);
	if (curl_ready != CURLE_OK || !(h = curl_easy_init()))
		return err_set(e, URNA_E_IO, "cannot start libcurl");
	if ((size_t)snprintf(url, sizeof url, "%s%s", s->base, req->path) >= sizeof url) {
		err_set(e, URNA_E_MALFORMED, "request path too long");
		goto out;
	}
	b.h = h;
	if (req->token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", req->token);
		hdr = curl_slist_append(hdr, auth);
	}
	hdr = curl_slist_append(hdr, "Expect:"); /* no 100-continue round trip */
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "urna-cli");
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
	/* The timeout is for silence, not for the whole transfer (a board of a
	 * million ballots takes a while): under 1 byte/s for that long fails. */
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)((timeout_ms + 999) / 1000));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	/* URNA_CA_FILE: the only CAs trusted (a deployment's own, or a test's
	 * certificate), instead of the system's, not beside them. */
	const char *ca = getenv("URNA_CA_FILE");
	if (ca && *ca) {
		curl_easy_setopt(h, CURLOPT_CAINFO, ca);
		curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	}
	/* No proxy from the environment (http_proxy would see every bearer
	 * token); URNA_PROXY names one on purpose. */
	const char *proxy = getenv("URNA_PROXY");
	curl_easy_setopt(h, CURLOPT_PROXY, proxy ? proxy : "");
	if (!strcmp(req->method, "POST")) {
		snprintf(ctype, sizeof ctype, "Content-Type: %s", req->content_type ? req->content_type : "application/json");
		hdr = curl_slist_append(hdr, ctype);
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? (const char *)req->body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(req->body ? req->body_len : 0));
	} else if (!strcmp(req->method, "HEAD")) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (strcmp(req->method, "GET")) {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	CURLcode cc = curl_easy_perform(h);
	if (b.over) {
		err_set(e, URNA_E_TOO_LARGE, "response body from %s is over %zu bytes", url, b.max);
		goto out;
	}
	if (b.sink_failed) {
		err_set(e, URNA_E_IO, "%s: the response could not be stored", url);
		goto out;
	}
	if (cc != CURLE_OK) {
		err_set(e, URNA_E_IO, "%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(cc));
		goto out;
	}
	long status = 0;
	char *ct = NULL;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
	resp->status = (int)status;
	if (ct)
		snprintf(resp->content_type, sizeof resp->content_type, "%s", ct);
	if (!(resp->body = buf_take(&b.body, &resp->len))) { /* always a string */
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	rc = 0;
out:
	buf_free(&b.body);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	if (rc != 0) {
		http_resp_free(resp);
		resp->status = 0;
	}
	return rc;
}

urna_code http_code_from_name(const char *name)
{
	if (!name)
		return URNA_E__COUNT;
	for (int c = 0; c < URNA_E__COUNT; c++)
		if (!strcmp(err_name((urna_code)c), name))
			return (urna_code)c;
	return URNA_E__COUNT;
}

/* The server answers every error with {"error": CODE, "message": TEXT}
 * (docs/api.md); an answer without one (a proxy's page, a server of another
 * kind) is an I/O failure with its status and first bytes, not a guess at
 * which of Urna's codes the status might mean. */
int http_error(const http_resp *r, const char *what, urna_err *e)
{
	urna_code code = URNA_E__COUNT;
	char msg[200] = "";
	json_t *j = r->body && r->len ? json_loadb(r->body, r->len, 0, NULL) : NULL;
	if (json_is_object(j)) {
		code = http_code_from_name(json_string_value(json_object_get(j, "error")));
		const char *m = json_string_value(json_object_get(j, "message"));
		if (m)
			snprintf(msg, sizeof msg, "%s", m);
	}
	json_decref(j);
	if (code == URNA_E__COUNT || code == URNA_OK) {
		code = URNA_E_IO;
		if (!msg[0] && r->body && r->len)
			snprintf(msg, sizeof msg, "not an Urna error answer: %.120s", r->body);
	}
	return err_set(e, code, "%s: HTTP %d %s%s%s", what, r->status, err_name(code), msg[0] ? ": " : "", msg);
}
