/* client.c: the connection to a server and the JSON calls (client.h). */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "client/client.h"
#include "record/canon.h"
#include "record/file.h"

election *client_board_replay(const char *path, urna_err *e)
{
	size_t len;
	char *text = file_read(path, CLIENT_BOARD_MAX, &len, e);
	election *el = text ? election_new() : NULL;
	if (text && !el)
		err_set(e, URNA_E_IO, "out of memory");
	for (size_t off = 0; el && off < len;) {
		char *nl = memchr(text + off, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - text - off) : len - off;
		if (ll && election_apply(el, text + off, ll, APPLY_TRUSTED, e) != 0) {
			election_free(el);
			el = NULL;
		}
		off += ll + 1;
	}
	free(text);
	return el;
}

int client_check_id(const char *what, const char *id, urna_err *e)
{
	if (!id || !canon_id_ok(id))
		return err_set(e, URNA_E_MALFORMED, "bad %s id '%s' (1 to 63 lower-case letters, digits, '-')", what,
		               id ? id : "");
	return 0;
}

int client_conn_init(client_conn *c, const char *server, const char *token_file, urna_err *e)
{
	memset(c, 0, sizeof *c);
	if (!server)
		server = getenv("URNA_SERVER");
	if (!server || !*server)
		server = HTTP_DEFAULT_SERVER;
	if (http_server_parse(&c->srv, server, e) != 0)
		return -1;
	if (!token_file)
		token_file = getenv("URNA_TOKEN_FILE");
	if (token_file && *token_file) {
		size_t n;
		char *t = file_read(token_file, sizeof c->token - 1, &n, e);
		if (!t) {
			e->code = URNA_E_AUTH;
			return -1;
		}
		char *s = t;
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		size_t l = strlen(s);
		while (l > 0 && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\n' || s[l - 1] == '\r'))
			l--;
		for (size_t i = 0; i < l; i++)
			if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e) {
				sodium_memzero(t, n);
				free(t);
				return err_set(e, URNA_E_AUTH, "token file %s holds characters not allowed in a token",
				               token_file);
			}
		if (l == 0) {
			sodium_memzero(t, n);
			free(t);
			return err_set(e, URNA_E_AUTH, "token file %s is empty", token_file);
		}
		memcpy(c->token, s, l);
		c->token[l] = 0;
		sodium_memzero(t, n);
		free(t);
	}
	return 0;
}

int client_call_raw(const client_conn *c, const char *method, const char *path, const void *body,
                 size_t len, http_resp *resp, int *status, const char *what, urna_err *e)
{
	http_req req = {.method = method, .path = path, .token = c->token[0] ? c->token : NULL,
	                .body = body, .body_len = len, .timeout_ms = c->timeout_ms};
	if (status)
		*status = 0;
	if (http_do(&c->srv, &req, resp, e) != 0) {
		char m[sizeof e->msg];
		memcpy(m, e->msg, sizeof m);
		m[sizeof m - 1] = 0;
		err_set(e, e->code, "%s: %.200s", what, m);
		return -1;
	}
	if (status)
		*status = resp->status;
	if (resp->status < 200 || resp->status >= 300) {
		http_error(resp, what, e);
		http_resp_free(resp);
		return -1;
	}
	return 0;
}

int client_call(const client_conn *c, const char *method, const char *path, json_t *body,
             json_t **out, int *status, const char *what, urna_err *e)
{
	char *txt = NULL;
	if (out)
		*out = NULL;
	if (body) {
		txt = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
		if (!txt)
			return err_set(e, URNA_E_IO, "%s: cannot encode the request", what);
	}
	http_resp r;
	int rc = client_call_raw(c, method, path, txt, txt ? strlen(txt) : 0, &r, status, what, e);
	free(txt);
	if (rc != 0)
		return -1;
	if (out && r.len > 0) {
		json_error_t je;
		*out = json_loadb(r.body, r.len, 0, &je);
		if (!*out) {
			http_resp_free(&r);
			return err_set(e, URNA_E_IO, "%s: server answered with bad JSON: %s", what, je.text);
		}
	}
	http_resp_free(&r);
	return 0;
}

int client_post(const client_conn *c, const char *ref, const char *action, json_t *body, json_t **out,
                const char *what, urna_err *e)
{
	char path[256];
	if (client_check_id("referendum", ref, e) != 0)
		return -1;
	if ((size_t)snprintf(path, sizeof path, "/api/referendums/%s/%s", ref, action) >= sizeof path)
		return err_set(e, URNA_E_MALFORMED, "%s: the path is too long", what);
	return client_call(c, "POST", path, body, out, NULL, what, e);
}

int client_get_referendum(const client_conn *c, const char *ref, json_t **out, urna_err *e)
{
	char path[128];
	*out = NULL;
	if (client_check_id("referendum", ref, e) != 0)
		return -1;
	snprintf(path, sizeof path, "/api/referendums/%s", ref);
	return client_call(c, "GET", path, NULL, out, NULL, "get referendum", e);
}
