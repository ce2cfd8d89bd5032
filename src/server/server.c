/* server.c: libmicrohttpd glue (server.h, http.h). A pool of HTTP threads
 * reads each request within its route's body ceiling, answers what can be
 * answered from the headers (404, 405, 429, 401, 415, 413), then calls the
 * route's handler. Handlers that wait for a durable commit suspend the
 * connection instead of blocking a pool thread; the writer resumes it. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "server/checkpoint.h"
#include "server/handlers.h"
#include "server/http.h"
#include "server/ratelimit.h"
#include "server/server.h"
#include "server/state.h"
#include "server/verdict.h"
#include "crypto/encoding.h"
#include "record/file.h"
#include "record/keyfile.h"

struct server_priv {
	struct server pub;        /* first: handlers see struct server */
	struct clock clock;
	uint16_t port;
	int listen_fd, lock_fd;   /* -1 when none */
	char *tls_cert, *tls_key; /* PEM, alive while the daemon runs; the key is wiped at stop */
	size_t tls_key_len;
	int inflight;             /* requests begun and not completed */
	unsigned checkpoint_every;
	pthread_t checkpointer;
	int has_checkpointer, stopping;
	pthread_mutex_t stop_lock;
	pthread_cond_t stop_cond;
};

static void *checkpointer_main(void *arg)
{
	struct server_priv *sp = arg;
	struct timespec ts;

	pthread_mutex_lock(&sp->stop_lock);
	while (!sp->stopping) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += sp->checkpoint_every;
		while (!sp->stopping && pthread_cond_timedwait(&sp->stop_cond, &sp->stop_lock, &ts) == 0)
			;
		if (sp->stopping)
			break;
		pthread_mutex_unlock(&sp->stop_lock);
		server_duties_all(&sp->pub);
		checkpoint_all(&sp->pub);
		pthread_mutex_lock(&sp->stop_lock);
	}
	pthread_mutex_unlock(&sp->stop_lock);
	return NULL;
}

/* The one table from error code to HTTP status (docs/api.md). */
static const int http_status[URNA_E__COUNT] = {
	[URNA_OK] = 200,
	[URNA_E_MALFORMED] = 400,
	[URNA_E_NOT_CANONICAL] = 400,
	[URNA_E_BAD_ENCODING] = 400,
	[URNA_E_AUTH] = 401,
	[URNA_E_NOT_ON_LIST] = 403,
	[URNA_E_NOT_OPEN] = 403,
	[URNA_E_CLOSED] = 403,
	[URNA_E_TOO_EARLY] = 403,
	[URNA_E_UNKNOWN] = 404,
	[URNA_E_METHOD] = 405,
	[URNA_E_CONFLICT] = 409,
	[URNA_E_STATE] = 409,
	[URNA_E_TOO_LARGE] = 413,
	[URNA_E_MEDIA] = 415,
	[URNA_E_BAD_PROOF] = 422,
	[URNA_E_BAD_SIGNATURE] = 422,
	[URNA_E_MISMATCH] = 422,
	[URNA_E_RATE] = 429,
	[URNA_E_IO] = 500,
	[URNA_E_CHAIN] = 500,
};

int err_http_status(urna_code code)
{
	return (unsigned)code < URNA_E__COUNT && http_status[code] ? http_status[code] : 500;
}

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* ---- answers ---- */

static int set_answer(struct request *rq, int status, const char *ctype, char *body, size_t len)
{
	free(rq->resp);
	rq->status = status;
	rq->ctype = ctype;
	rq->resp = body;
	rq->resp_len = len;
	return HANDLED;
}

/* json_dump_callback's sink. */
static int dump_add(const char *s, size_t n, void *b)
{
	return buf_add(b, s, n);
}

int reply_json(struct request *rq, int status, json_t *v)
{
	buf b = BUF_INIT(REPLY_MAX);
	int rc = v ? json_dump_callback(v, dump_add, &b, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : -1;
	json_decref(v);
	if (rc != 0 || buf_addc(&b, '\n') != 0) {
		buf_free(&b);
		return reply_errf(rq, URNA_E_IO, "out of memory");
	}
	size_t n;
	char *body = buf_take(&b, &n);
	return set_answer(rq, status, "application/json", body, n);
}

int reply_bytes(struct request *rq, int status, const char *ctype, const void *body, size_t len)
{
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return set_answer(rq, 500, "text/plain", NULL, 0);
	memcpy(copy, body, len);
	return set_answer(rq, status, ctype, copy, len);
}

int reply_err_extra(struct request *rq, const urna_err *e, json_t *extra)
{
	json_t *o = json_pack("{s:s, s:s}", "error", err_name(e->code), "message", e->msg);
	if (o && extra)
		json_object_update_missing(o, extra);
	json_decref(extra);
	if (o && e->has_seq)
		json_object_set_new(o, "seq", json_integer((json_int_t)e->seq));
	if (!o) {
		static const char oom[] = "{\"error\":\"io_error\",\"message\":\"out of memory\"}\n";
		return reply_bytes(rq, 500, "application/json", oom, sizeof oom - 1);
	}
	return reply_json(rq, err_http_status(e->code), o);
}

int reply_err(struct request *rq, const urna_err *e)
{
	return reply_err_extra(rq, e, NULL);
}

int reply_errf(struct request *rq, urna_code code, const char *fmt, ...)
{
	urna_err e = {.code = code};
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof e.msg, fmt, ap);
	va_end(ap);
	return reply_err(rq, &e);
}

int reply_stream(struct request *rq, const char *ctype, stream_fn fn, void *arg, void (*free_fn)(void *))
{
	set_answer(rq, 200, ctype, NULL, 0);
	rq->stream = fn;
	rq->stream_arg = arg;
	rq->stream_free = free_fn;
	return HANDLED;
}

void request_suspend(struct request *rq)
{
	rq->suspended = 1;
	MHD_suspend_connection(rq->conn);
}

void request_resume(struct request *rq)
{
	MHD_resume_connection(rq->conn);
}

const char *request_arg(struct request *rq, const char *key)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *request_header(struct request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

int request_json(struct request *rq, json_t **out, urna_err *e)
{
	json_error_t je;

	*out = NULL;
	if (rq->body.len == 0)
		return err_set(e, URNA_E_MALFORMED, "empty body: a JSON document is expected");
	*out = json_loadb(rq->body.p, rq->body.len, JSON_REJECT_DUPLICATES, &je);
	if (!*out)
		return err_set(e, URNA_E_MALFORMED, "malformed JSON at %d:%d: %s", je.line, je.column, je.text);
	if (!json_is_object(*out) && !json_is_array(*out)) {
		json_decref(*out);
		*out = NULL;
		return err_set(e, URNA_E_MALFORMED, "a JSON object is expected");
	}
	return 0;
}

/* ---- routing ---- */

/* Matches url against pattern; on success fills rq->param. 1 or 0. */
static int match(struct request *rq, const char *pattern, const char *url, int fill)
{
	const char *p = pattern, *u = url;
	int np = 0;

	while (*p && *u) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			size_t n = strcspn(u, "/");
			if (!pe || n == 0 || n > 256 || np >= ROUTE_MAX_PARAMS)
				return 0;
			if (fill && !(rq->param[np] = strndup(u, n)))
				return 0;
			np++;
			p = pe + 1;
			u += n;
		} else if (*p++ != *u++) {
			return 0;
		}
	}
	if (*p || *u)
		return 0;
	if (fill)
		rq->nparam = np;
	return 1;
}

/* Finds the route; NULL with *path_known 1 when only the method is wrong. */
static const struct route *route_find(struct request *rq, int *path_known)
{
	*path_known = 0;
	for (const struct route *r = routes; r->method; r++) {
		if (r->access == ROUTE_TEST && !rq->srv->test_clock)
			continue;
		if (!match(rq, r->pattern, rq->url, 0))
			continue;
		*path_known = 1;
		if (!strcmp(r->method, rq->method) ||
		    (!strcmp(r->method, "GET") && !strcmp(rq->method, "HEAD"))) {
			match(rq, r->pattern, rq->url, 1);
			return r;
		}
	}
	return NULL;
}

static int check_token(struct server *srv, const char *auth)
{
	uint8_t h[32];
	static const char bearer[] = "Bearer ";

	if (!srv->has_token || !auth || strncasecmp(auth, bearer, sizeof bearer - 1))
		return -1;
	auth += sizeof bearer - 1;
	crypto_generichash(h, sizeof h, (const uint8_t *)auth, strlen(auth), NULL, 0);
	int ok = sodium_memcmp(h, srv->token_hash, sizeof h) == 0;
	sodium_memzero(h, sizeof h);
	return ok ? 0 : -1;
}

static int json_media(const char *ct)
{
	static const char want[] = "application/json";
	size_t n = sizeof want - 1;
	return ct && !strncasecmp(ct, want, n) && (ct[n] == 0 || ct[n] == ';' || ct[n] == ' ');
}

/* Checks made once the headers are in. Returns 0 to go on reading the
 * body, or answers and returns -1. */
static int admit(struct request *rq)
{
	struct server *srv = rq->srv;
	int api = !strncmp(rq->url, "/api/", 5) || !strcmp(rq->url, "/api");
	int path_known;

	if (api && !ratelimit_allow(srv->rl, rq->ip, rq->iplen)) {
		reply_errf(rq, URNA_E_RATE, "too many requests from this address; slow down");
		return -1;
	}
	rq->route = route_find(rq, &path_known);
	if (!rq->route) {
		if (!api && srv->web_dir && (!strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD")))
			return 0; /* static file */
		if (path_known)
			reply_errf(rq, URNA_E_METHOD, "%s is not allowed on %s", rq->method, rq->url);
		else
			reply_errf(rq, URNA_E_UNKNOWN, "no such route: %s %s", rq->method, rq->url);
		return -1;
	}
	if (rq->route->access != ROUTE_PUBLIC && check_token(srv, request_header(rq, MHD_HTTP_HEADER_AUTHORIZATION)) != 0) {
		reply_errf(rq, URNA_E_AUTH, srv->has_token ? "admin bearer token missing or wrong"
		                                           : "admin routes are disabled (no --admin-token-file)");
		return -1;
	}
	buf_init(&rq->body, rq->route->max_body ? rq->route->max_body : BODY_DEFAULT);
	const char *cl = request_header(rq, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *te = request_header(rq, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	int has_body = (cl && strtoull(cl, NULL, 10) > 0) || te;
	if (has_body && !json_media(request_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE))) {
		reply_errf(rq, URNA_E_MEDIA, "request bodies must be application/json");
		return -1;
	}
	if (cl) {
		errno = 0;
		unsigned long long n = strtoull(cl, NULL, 10);
		if (errno || n > rq->body.max) {
			reply_errf(rq, URNA_E_TOO_LARGE, "body of %s bytes is over this route's %zu", cl, rq->body.max);
			return -1;
		}
	}
	return 0;
}

static int take_body(struct request *rq, const char *data, size_t n)
{
	if (rq->discarding)
		return 0;
	if (buf_add(&rq->body, data, n) == 0)
		return 0;
	if (buf_full(&rq->body, n)) { /* over the ceiling: 413 once the rest is read and dropped */
		rq->discarding = 1;
		buf_free(&rq->body);
	}
	return -1;
}

static ssize_t stream_cb(void *cls, uint64_t pos, char *out, size_t max)
{
	struct request *rq = cls;
	long n = rq->stream(rq->stream_arg, pos, out, max);
	if (n == 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (n < 0)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	return (ssize_t)n;
}

static enum MHD_Result send_answer(struct request *rq)
{
	struct MHD_Response *r;

	if (rq->status == 0)
		reply_errf(rq, URNA_E_IO, "no answer");
	if (rq->stream) {
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_cb, rq, NULL);
	} else {
		r = MHD_create_response_from_buffer(rq->resp_len, rq->resp, MHD_RESPMEM_MUST_FREE);
		if (r)
			rq->resp = NULL;
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rq->ctype ? rq->ctype : "application/json");
	if (!strncmp(rq->url, "/api/", 5))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (rq->status == 405 && rq->route == NULL) {
		/* Allow: the methods of the path */
		char allow[64] = "";
		for (const struct route *rt = routes; rt->method; rt++)
			if (match(rq, rt->pattern, rq->url, 0) && !strstr(allow, rt->method) &&
			    strlen(allow) + strlen(rt->method) + 3 < sizeof allow) {
				if (*allow)
					strcat(allow, ", ");
				strcat(allow, rt->method);
			}
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	}
	enum MHD_Result ret = MHD_queue_response(rq->conn, (unsigned)rq->status, r);
	MHD_destroy_response(r);
	rq->answered = 1;
	return ret;
}

int static_serve(struct request *rq, const char *dir); /* static.c */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
	struct server_priv *sp = cls;
	struct request *rq = *con_cls;
	(void)version;

	if (!rq) {
		if (!(rq = calloc(1, sizeof *rq)))
			return MHD_NO;
		*con_cls = rq;
		__atomic_add_fetch(&sp->inflight, 1, __ATOMIC_SEQ_CST);
		rq->srv = &sp->pub;
		rq->conn = conn;
		rq->url = url;
		rq->method = method;
		rq->t0 = mono_ms();
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		const struct sockaddr *sa = ci ? ci->client_addr : NULL;
		if (sa && sa->sa_family == AF_INET) {
			memcpy(rq->ip, &((const struct sockaddr_in *)sa)->sin_addr, 4);
			rq->iplen = 4;
		} else if (sa && sa->sa_family == AF_INET6) {
			memcpy(rq->ip, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
			rq->iplen = 16;
		}
		if (admit(rq) != 0)
			return send_answer(rq);
		return MHD_YES;
	}
	if (rq->answered) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (take_body(rq, upload, *upload_size) != 0 && !rq->discarding)
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->suspended) {
		rq->suspended = 0;
		rq->resume(rq);
		return send_answer(rq);
	}
	if (rq->discarding) {
		reply_errf(rq, URNA_E_TOO_LARGE, "body is over this route's %zu bytes", rq->body.max);
		return send_answer(rq);
	}
	if (!rq->route) {
		static_serve(rq, rq->srv->web_dir);
		return send_answer(rq);
	}
	if (rq->route->handler(rq) == SUSPENDED)
		return MHD_YES;
	return send_answer(rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct server_priv *sp = cls;
	struct request *rq = *con_cls;
	(void)conn;

	if (!rq)
		return;
	if (!sp->pub.quiet)
		fprintf(stderr, "%s %s %d %.1fms%s\n", rq->method, rq->url, rq->status,
		        mono_ms() - rq->t0, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	for (int i = 0; i < rq->nparam; i++)
		free(rq->param[i]);
	if (rq->stream_free)
		rq->stream_free(rq->stream_arg);
	if (rq->ctx_free)
		rq->ctx_free(rq->ctx);
	buf_free(&rq->body);
	free(rq->resp);
	free(rq);
	*con_cls = NULL;
	__atomic_sub_fetch(&sp->inflight, 1, __ATOMIC_SEQ_CST);
}

static int parse_listen(const char *s, struct sockaddr_storage *ss, urna_err *e)
{
	char host[128];
	const char *colon = strrchr(s, ':');
	char *end;

	memset(ss, 0, sizeof *ss);
	if (!colon || (size_t)(colon - s) >= sizeof host)
		return err_set(e, URNA_E_MALFORMED, "--listen: ADDR:PORT expected, got '%s'", s);
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (*end || colon[1] == 0 || port > 65535)
		return err_set(e, URNA_E_MALFORMED, "--listen: bad port in '%s'", s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		host[strlen(host) - 1] = 0;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			return err_set(e, URNA_E_MALFORMED, "--listen: bad address in '%s'", s);
		return 0;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
		return err_set(e, URNA_E_MALFORMED, "--listen: bad address in '%s'", s);
	return 0;
}

static int load_token(struct server *srv, const char *path, urna_err *e)
{
	size_t n, size;
	char *buf = file_read(path, 1024, &size, e);
	int rc = -1;

	if (!buf)
		return -1;
	n = size;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		buf[--n] = 0;
	if (n < 16) {
		err_set(e, URNA_E_MALFORMED, "%s: the admin token must be at least 16 characters", path);
		goto out;
	}
	crypto_generichash(srv->token_hash, 32, (const uint8_t *)buf, n, NULL, 0);
	srv->has_token = 1;
	rc = 0;
out:
	sodium_memzero(buf, size);
	free(buf);
	return rc;
}

/* A listening TCP socket on ss, made here rather than by libmicrohttpd so
 * that a port in use is a clear error: SO_REUSEADDR (a restart binds at
 * once after the old server's connections), never SO_REUSEPORT (two servers
 * on one port would share its connections). fd, or -1 with e set. */
static int listen_on(const struct sockaddr_storage *ss, const char *listen_arg, urna_err *e)
{
	socklen_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	/* Non-blocking: the pool's threads all watch it, and the ones that lose
	 * the race for a connection must not block in accept(). */
	int one = 1, fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return err_set(e, URNA_E_IO, "cannot listen on %s: %s", listen_arg, strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, 1024) != 0) {
		int err = errno;
		close(fd);
		return err_set(e, URNA_E_IO, "cannot listen on %s: %s%s", listen_arg, strerror(err),
		               err == EADDRINUSE ? " (another server is on that port: stop it or pick another --listen)" : "");
	}
	return fd;
}

/* One server per database for a one_server backend: an exclusive flock on
 * PATH.lock, held until the process ends (the kernel drops it on a crash
 * too), with the holder's pid in the file for the message. fd, or -1 with
 * e set. */
static int lock_database(const char *db, urna_err *e)
{
	char path[1024], pid[32];
	if ((size_t)snprintf(path, sizeof path, "%s.lock", db) >= sizeof path)
		return err_set(e, URNA_E_MALFORMED, "database path too long: %.60s...", db);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_set(e, URNA_E_IO, "%s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int err = errno;
		ssize_t n = err == EWOULDBLOCK ? pread(fd, pid, sizeof pid - 1, 0) : -1;
		close(fd);
		if (err != EWOULDBLOCK)
			return err_set(e, URNA_E_IO, "%s: %s", path, strerror(err));
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		return err_set(e, URNA_E_IO, "database %s is in use by pid %s (another urna serve): stop it first", db,
		               *pid ? pid : "unknown");
	}
	int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		int err = errno;
		close(fd);
		return err_set(e, URNA_E_IO, "%s: %s", path, strerror(err));
	}
	return fd;
}

/* A PEM file, whole and NUL-terminated (libmicrohttpd takes PEM text). */
static char *read_pem(const char *path, size_t *len, urna_err *e)
{
	char *buf = file_read(path, 1 << 20, len, e);
	if (buf && !strstr(buf, "-----BEGIN ")) {
		sodium_memzero(buf, *len);
		free(buf);
		err_set(e, URNA_E_MALFORMED, "%s: not a PEM file", path);
		return NULL;
	}
	return buf;
}

/* The server's identity key (s.17): the key file named, or PATH.key next
 * to the database, made on first start (role server). The organizer names
 * its public half in each referendum entry. */
static int server_key(struct server *srv, const char *file, const char *db, urna_err *e)
{
	char path[1024];
	identity_key id;
	if (!file) {
		if ((size_t)snprintf(path, sizeof path, "%s.key", db) >= sizeof path)
			return err_set(e, URNA_E_MALFORMED, "database path too long: %.60s...", db);
		file = path;
		if (access(path, F_OK) != 0 && identity_keygen(path, ROLE_SERVER, "urna serve", NULL, e) != 0)
			return -1;
	}
	if (identity_load(file, &id, e) != 0)
		return -1;
	int rc = 0;
	if (id.role != ROLE_SERVER)
		rc = err_set(e, URNA_E_MALFORMED, "%s is a%s %s key, not a server's", file,
		             id.role == ROLE_ORGANIZER || id.role == ROLE_AUTHORITY ? "n" : "", role_name(id.role));
	memcpy(srv->server_pk, id.pk, 32);
	memcpy(srv->server_sk, id.sk, 64);
	snprintf(srv->server_name, sizeof srv->server_name, "%s", id.name);
	identity_wipe(&id);
	return rc;
}

/* The organizers' public keys (base64url) whose referendums it hosts. */
static int load_organizers(struct server *srv, const struct server_config *cfg, urna_err *e)
{
	if (!cfg->norganizers)
		return 0;
	if (!(srv->organizers = calloc(cfg->norganizers, 32)))
		return err_set(e, URNA_E_IO, "out of memory");
	for (size_t i = 0; i < cfg->norganizers; i++) {
		const char *k = cfg->organizers[i];
		if (b64url_decode(srv->organizers[i], 32, k, strlen(k)) != 0 ||
		    !crypto_core_ed25519_is_valid_point(srv->organizers[i]))
			return err_set(e, URNA_E_MALFORMED, "--organizer %.60s: not an Ed25519 public key (base64url, as urna keygen prints)", k);
	}
	srv->norganizers = cfg->norganizers;
	return 0;
}

struct server *server_start(const struct server_config *cfg, urna_err *e)
{
	struct server_priv *sp = calloc(1, sizeof *sp);
	struct server *srv = sp ? &sp->pub : NULL;
	struct sockaddr_storage ss;
	const char *path;
	int ok = 0;

	if (!sp) {
		err_set(e, URNA_E_IO, "out of memory");
		return NULL;
	}
	sp->listen_fd = sp->lock_fd = -1;
	pthread_mutex_init(&sp->stop_lock, NULL);
	pthread_cond_init(&sp->stop_cond, NULL);
	const char *listen_arg = cfg->listen ? cfg->listen : "127.0.0.1:8080";
	if (parse_listen(listen_arg, &ss, e) != 0 || (sp->listen_fd = listen_on(&ss, listen_arg, e)) < 0)
		goto out;
	if (cfg->token_file && load_token(srv, cfg->token_file, e) != 0)
		goto out;
	if (!cfg->tls_cert != !cfg->tls_key) {
		err_set(e, URNA_E_MALFORMED, "HTTPS needs both a certificate and its key");
		goto out;
	}
	if (cfg->tls_cert) {
		size_t n;
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			err_set(e, URNA_E_IO, "this libmicrohttpd has no TLS support");
			goto out;
		}
		if (!(sp->tls_cert = read_pem(cfg->tls_cert, &n, e)) ||
		    !(sp->tls_key = read_pem(cfg->tls_key, &sp->tls_key_len, e)))
			goto out;
	}
	sp->clock = !cfg->test_clock ? clock_real()
	                             : clock_test(cfg->clock_start ? cfg->clock_start : (int64_t)time(NULL));
	srv->clock = &sp->clock;
	srv->test_clock = cfg->test_clock;
	srv->quiet = cfg->quiet;
	srv->web_dir = cfg->web_dir;
	double burst = cfg->burst > 0 ? cfg->burst : (cfg->rate > 1 ? cfg->rate : 1);
	if (!(srv->rl = ratelimit_new(cfg->rate, burst))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	srv->ops = store_backend_for(cfg->db, &path);
	if (!srv->ops) {
		err_set(e, URNA_E_MALFORMED, "unknown database '%s'", cfg->db);
		goto out;
	}
	if (srv->ops->one_server && (sp->lock_fd = lock_database(path, e)) < 0)
		goto out;
	if (srv->ops->open(&srv->st, path, e) != 0)
		goto out;
	if (!(srv->reg = registry_load(srv->ops, srv->st, e)))
		goto out;
	if (server_key(srv, cfg->key_file, path, e) != 0 || load_organizers(srv, cfg, e) != 0)
		goto out;
	if (!(srv->writer = store_writer_start(srv->ops, srv->st))) {
		err_set(e, URNA_E_IO, "cannot start the writer thread");
		goto out;
	}
	if (!(srv->verdicts = verdict_runner_start(srv))) {
		err_set(e, URNA_E_IO, "cannot start the verifier thread");
		goto out;
	}
	server_duties_all(srv); /* a tally or result whose write failed before a restart */
	verdict_request_published(srv->verdicts, srv->reg);
	unsigned threads = cfg->threads;
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 2 ? (unsigned)n : 2;
	}
	struct MHD_OptionItem tls[] = {
		{MHD_OPTION_HTTPS_MEM_CERT, 0, sp->tls_cert},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, sp->tls_key},
		{MHD_OPTION_END, 0, NULL},
	};
	srv->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
		    (sp->tls_cert ? MHD_USE_TLS : 0),
		0, NULL, NULL, on_request, sp,
		MHD_OPTION_ARRAY, sp->tls_cert ? tls : tls + 2,
		MHD_OPTION_LISTEN_SOCKET, sp->listen_fd,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, sp,
		MHD_OPTION_CONNECTION_TIMEOUT, 60u,
		MHD_OPTION_CONNECTION_LIMIT, 4096u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
		MHD_OPTION_END);
	if (!srv->daemon) {
		sp->listen_fd = -1; /* libmicrohttpd may have closed it: not ours to close twice */
		err_set(e, URNA_E_IO, "cannot start the HTTP server on %s%s", listen_arg,
		        sp->tls_cert ? " (is the key the certificate's? see the line above)" : "");
		goto out;
	}
	struct sockaddr_storage bound;
	socklen_t blen = sizeof bound;
	if (getsockname(sp->listen_fd, (struct sockaddr *)&bound, &blen) == 0)
		sp->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
		                                             : ((struct sockaddr_in *)&bound)->sin_port);
	sp->checkpoint_every = cfg->checkpoint_every;
	if (sp->checkpoint_every && pthread_create(&sp->checkpointer, NULL, checkpointer_main, sp) == 0)
		sp->has_checkpointer = 1;
	ok = 1;
out:
	if (!ok) {
		server_stop(srv);
		return NULL;
	}
	return srv;
}

uint16_t server_port(const struct server *s)
{
	return ((const struct server_priv *)s)->port;
}

void server_stop(struct server *srv)
{
	struct server_priv *sp = (struct server_priv *)srv;

	if (!srv)
		return;
	pthread_mutex_lock(&sp->stop_lock);
	sp->stopping = 1;
	pthread_cond_broadcast(&sp->stop_cond);
	pthread_mutex_unlock(&sp->stop_lock);
	if (sp->has_checkpointer)
		pthread_join(sp->checkpointer, NULL);
	if (srv->daemon) {
		/* No new connections; the socket stays ours, unless quiescing
		 * failed, when libmicrohttpd closes it at stop. */
		if (MHD_quiesce_daemon(srv->daemon) == MHD_INVALID_SOCKET)
			sp->listen_fd = -1;
		/* Let requests in flight finish (their commits included). */
		for (int i = 0; i < 500 && __atomic_load_n(&sp->inflight, __ATOMIC_SEQ_CST) > 0; i++)
			usleep(10000);
	}
	if (srv->writer)
		store_writer_stop(srv->writer);
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	verdict_runner_stop(srv->verdicts); /* no handler left to ask for a run */
	store_writer_free(srv->writer);
	registry_free(srv->reg);
	if (srv->ops)
		srv->ops->close(srv->st);
	if (sp->listen_fd >= 0)
		close(sp->listen_fd);
	if (sp->lock_fd >= 0)
		close(sp->lock_fd); /* after the store is closed: the next server may start */
	free(sp->tls_cert);
	if (sp->tls_key)
		sodium_memzero(sp->tls_key, sp->tls_key_len);
	free(sp->tls_key);
	ratelimit_free(srv->rl);
	sodium_memzero(srv->server_sk, sizeof srv->server_sk);
	free(srv->organizers);
	pthread_mutex_destroy(&sp->stop_lock);
	pthread_cond_destroy(&sp->stop_cond);
	free(sp);
}
