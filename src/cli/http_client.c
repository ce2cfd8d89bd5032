/* http_client.c: HTTP/1.1 over plain sockets (http_client.h). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include <jansson.h>
#include "cli/http_client.h"

#define HEADER_MAX 16384

int http_server_parse(http_server *s, const char *url, urna_err *e)
{
	memset(s, 0, sizeof *s);
	if (!url || strncmp(url, "http://", 7) != 0)
		return err_set(e, URNA_E_MALFORMED, "server URL must start with http:// (got '%s')", url ? url : "");
	const char *h = url + 7;
	size_t hl = strcspn(h, ":/");
	if (hl == 0 || hl >= sizeof s->host)
		return err_set(e, URNA_E_MALFORMED, "bad host in server URL '%s'", url);
	memcpy(s->host, h, hl);
	const char *p = h + hl;
	strcpy(s->port, "80");
	if (*p == ':') {
		p++;
		size_t pl = strspn(p, "0123456789");
		if (pl == 0 || pl > 5 || atoi(p) < 1 || atoi(p) > 65535)
			return err_set(e, URNA_E_MALFORMED, "bad port in server URL '%s'", url);
		memcpy(s->port, p, pl);
		s->port[pl] = 0;
		p += pl;
	}
	if (*p && *p != '/')
		return err_set(e, URNA_E_MALFORMED, "bad server URL '%s'", url);
	size_t rl = strlen(p);
	while (rl > 0 && p[rl - 1] == '/')
		rl--;
	if (rl >= sizeof s->prefix)
		return err_set(e, URNA_E_MALFORMED, "server URL path too long");
	memcpy(s->prefix, p, rl);
	s->prefix[rl] = 0;
	return 0;
}

void http_resp_free(http_resp *r)
{
	if (!r)
		return;
	free(r->body);
	r->body = NULL;
	r->len = 0;
}

/* ---- connection ---------------------------------------------------------- */

typedef struct {
	int fd;
	int timeout_ms;
	char buf[16384];
	size_t off, len; /* unread bytes buf[off..len) */
} conn;

static int wait_fd(int fd, short ev, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = ev};
	for (;;) {
		int r = poll(&p, 1, timeout_ms);
		if (r > 0)
			return 0;
		if (r == 0)
			return -2;
		if (errno != EINTR)
			return -1;
	}
}

static int dial(const http_server *s, int timeout_ms, urna_err *e)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
	int rc = getaddrinfo(s->host, s->port, &hints, &res);
	if (rc != 0)
		return err_set(e, URNA_E_IO, "cannot resolve %s: %s", s->host, gai_strerror(rc));
	int fd = -1, last = 0;
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
		if (fd < 0) {
			last = errno;
			continue;
		}
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS && wait_fd(fd, POLLOUT, timeout_ms) == 0) {
			int err = 0;
			socklen_t el = sizeof err;
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0)
				break;
			last = err;
		} else {
			last = errno == EINPROGRESS ? ETIMEDOUT : errno;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return err_set(e, URNA_E_IO, "cannot connect to http://%s:%s: %s", s->host, s->port, strerror(last));
	return fd;
}

static int send_all(conn *c, const void *data, size_t n, urna_err *e)
{
	const char *p = data;
	while (n > 0) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			int r = wait_fd(c->fd, POLLOUT, c->timeout_ms);
			if (r == 0)
				continue;
			return err_set(e, URNA_E_IO, r == -2 ? "timed out sending the request" : "send: %s", strerror(errno));
		}
		return err_set(e, URNA_E_IO, "send: %s", strerror(errno));
	}
	return 0;
}

/* Refills c->buf. Returns bytes read, 0 at end of stream, -1 on error. */
static ssize_t fill(conn *c, urna_err *e)
{
	if (c->off < c->len)
		return (ssize_t)(c->len - c->off);
	c->off = c->len = 0;
	for (;;) {
		ssize_t r = recv(c->fd, c->buf, sizeof c->buf, 0);
		if (r >= 0) {
			c->len = (size_t)r;
			return r;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			int w = wait_fd(c->fd, POLLIN, c->timeout_ms);
			if (w == 0)
				continue;
			return err_set(e, URNA_E_IO, w == -2 ? "timed out waiting for the server" : "recv: %s",
			               strerror(errno));
		}
		return err_set(e, URNA_E_IO, "recv: %s", strerror(errno));
	}
}

/* Reads one CRLF- (or LF-) terminated line into out (without the line end). */
static int read_line(conn *c, char *out, size_t cap, urna_err *e)
{
	size_t n = 0;
	for (;;) {
		ssize_t r = fill(c, e);
		if (r < 0)
			return -1;
		if (r == 0)
			return err_set(e, URNA_E_IO, "connection closed in the middle of a response");
		char ch = c->buf[c->off++];
		if (ch == '\n') {
			if (n > 0 && out[n - 1] == '\r')
				n--;
			out[n] = 0;
			return 0;
		}
		if (n + 1 >= cap)
			return err_set(e, URNA_E_IO, "response header line too long");
		out[n++] = ch;
	}
}

/* ---- body assembly ------------------------------------------------------- */

typedef struct {
	const http_req *req;
	http_resp *resp;
	size_t cap, max;
	int sinking;
} body_out;

static int put(body_out *b, const char *data, size_t n, urna_err *e)
{
	if (n == 0)
		return 0;
	if (b->sinking) {
		if (b->req->sink(b->req->sink_ctx, data, n) != 0)
			return err_set(e, URNA_E_IO, "response body rejected by its consumer");
		return 0;
	}
	http_resp *r = b->resp;
	if (r->len + n > b->max)
		return err_set(e, URNA_E_TOO_LARGE, "response body over %zu bytes", b->max);
	if (r->len + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 4096;
		while (nc < r->len + n + 1)
			nc *= 2;
		char *nb = realloc(r->body, nc);
		if (!nb)
			return err_set(e, URNA_E_IO, "out of memory");
		r->body = nb;
		b->cap = nc;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = 0;
	return 0;
}

/* Copies exactly n bytes (or until close when n == SIZE_MAX) to b. */
static int copy_body(conn *c, body_out *b, size_t n, urna_err *e)
{
	while (n > 0) {
		ssize_t r = fill(c, e);
		if (r < 0)
			return -1;
		if (r == 0) {
			if (n == SIZE_MAX)
				return 0;
			return err_set(e, URNA_E_IO, "connection closed before the end of the body");
		}
		size_t take = (size_t)r < n ? (size_t)r : n;
		if (put(b, c->buf + c->off, take, e) != 0)
			return -1;
		c->off += take;
		if (n != SIZE_MAX)
			n -= take;
	}
	return 0;
}

static int copy_chunked(conn *c, body_out *b, urna_err *e)
{
	char line[256];
	for (;;) {
		if (read_line(c, line, sizeof line, e) != 0)
			return -1;
		char *end;
		errno = 0;
		unsigned long long sz = strtoull(line, &end, 16);
		if (end == line || errno || (*end && *end != ';' && *end != ' '))
			return err_set(e, URNA_E_IO, "bad chunk size line in response");
		if (sz == 0)
			break;
		if (sz > b->max && !b->sinking)
			return err_set(e, URNA_E_TOO_LARGE, "response chunk over %zu bytes", b->max);
		if (copy_body(c, b, (size_t)sz, e) != 0)
			return -1;
		if (read_line(c, line, sizeof line, e) != 0)
			return -1;
		if (line[0])
			return err_set(e, URNA_E_IO, "missing CRLF after a chunk");
	}
	do { /* trailers, up to the empty line */
		if (read_line(c, line, sizeof line, e) != 0)
			return -1;
	} while (line[0]);
	return 0;
}

static int header_is(const char *line, const char *name, const char **value)
{
	size_t n = strlen(name);
	if (strncasecmp(line, name, n) != 0 || line[n] != ':')
		return 0;
	const char *v = line + n + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	*value = v;
	return 1;
}

int http_do(const http_server *s, const http_req *req, http_resp *resp, urna_err *e)
{
	memset(resp, 0, sizeof *resp);
	conn *c = malloc(sizeof *c);
	char *head = NULL;
	int rc = -1;
	if (!c)
		return err_set(e, URNA_E_IO, "out of memory");
	c->off = c->len = 0;
	c->timeout_ms = req->timeout_ms > 0 ? req->timeout_ms : HTTP_TIMEOUT_MS;
	c->fd = dial(s, c->timeout_ms, e);
	if (c->fd < 0)
		goto out;

	size_t hcap = 1024 + strlen(s->prefix) + strlen(req->path) + (req->token ? strlen(req->token) : 0);
	head = malloc(hcap);
	if (!head) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	int hl = snprintf(head, hcap,
	                  "%s %s%s HTTP/1.1\r\nHost: %s:%s\r\nUser-Agent: urna-cli\r\n"
	                  "Accept: */*\r\nConnection: close\r\n",
	                  req->method, s->prefix, req->path, s->host, s->port);
	if (req->token)
		hl += snprintf(head + hl, hcap - (size_t)hl, "Authorization: Bearer %s\r\n", req->token);
	if (req->body || !strcmp(req->method, "POST") || !strcmp(req->method, "PUT"))
		hl += snprintf(head + hl, hcap - (size_t)hl, "Content-Type: %s\r\nContent-Length: %zu\r\n",
		               req->content_type ? req->content_type : "application/json", req->body_len);
	hl += snprintf(head + hl, hcap - (size_t)hl, "\r\n");
	if (send_all(c, head, (size_t)hl, e) != 0)
		goto out;
	if (req->body_len && send_all(c, req->body, req->body_len, e) != 0)
		goto out;

	char line[HEADER_MAX];
	int status = 0;
	do { /* skip 1xx interim responses */
		if (read_line(c, line, sizeof line, e) != 0)
			goto out;
		if (strncmp(line, "HTTP/1.", 7) != 0 || strlen(line) < 12 || !isdigit((unsigned char)line[9])) {
			err_set(e, URNA_E_IO, "not an HTTP response from %s:%s", s->host, s->port);
			goto out;
		}
		status = atoi(line + 9);
		size_t total = 0;
		int chunked = 0;
		long long clen = -1;
		for (;;) {
			if (read_line(c, line, sizeof line, e) != 0)
				goto out;
			if (!line[0])
				break;
			if ((total += strlen(line)) > 65536) {
				err_set(e, URNA_E_IO, "response headers too long");
				goto out;
			}
			const char *v;
			if (header_is(line, "Content-Length", &v)) {
				char *end;
				clen = strtoll(v, &end, 10);
				if (end == v || clen < 0) {
					err_set(e, URNA_E_IO, "bad Content-Length in response");
					goto out;
				}
			} else if (header_is(line, "Transfer-Encoding", &v)) {
				chunked = strcasestr(v, "chunked") != NULL;
			} else if (header_is(line, "Content-Type", &v)) {
				snprintf(resp->content_type, sizeof resp->content_type, "%s", v);
			}
		}
		if (status >= 100 && status < 200)
			continue;
		resp->status = status;
		body_out b = {.req = req, .resp = resp, .max = req->max_body ? req->max_body : HTTP_MAX_BODY,
		              .sinking = req->sink && status >= 200 && status < 300};
		if (!b.sinking && clen > (long long)b.max) {
			err_set(e, URNA_E_TOO_LARGE, "response body of %lld bytes is over %zu", clen, b.max);
			goto out;
		}
		if (!strcmp(req->method, "HEAD") || status == 204 || status == 304)
			rc = 0;
		else if (chunked)
			rc = copy_chunked(c, &b, e);
		else if (clen >= 0)
			rc = copy_body(c, &b, (size_t)clen, e);
		else
			rc = copy_body(c, &b, SIZE_MAX, e);
		if (rc == 0 && !resp->body) { /* always a string */
			resp->body = calloc(1, 1);
			if (!resp->body)
				rc = err_set(e, URNA_E_IO, "out of memory");
		}
	} while (status >= 100 && status < 200);
out:
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	free(head);
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

static urna_code code_from_status(int status)
{
	switch (status) {
	case 400: return URNA_E_MALFORMED;
	case 401: return URNA_E_AUTH;
	case 403: return URNA_E_STATE;
	case 404: return URNA_E_UNKNOWN;
	case 405: return URNA_E_METHOD;
	case 409: return URNA_E_CONFLICT;
	case 413: return URNA_E_TOO_LARGE;
	case 415: return URNA_E_MEDIA;
	case 422: return URNA_E_BAD_PROOF;
	case 429: return URNA_E_RATE;
	default: return URNA_E_IO;
	}
}

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
	if (code == URNA_E__COUNT || code == URNA_OK)
		code = code_from_status(r->status);
	if (!msg[0] && r->body && r->len)
		snprintf(msg, sizeof msg, "%.160s", r->body);
	return err_set(e, code, "%s: HTTP %d %s%s%s", what, r->status, err_name(code), msg[0] ? ": " : "", msg);
}
