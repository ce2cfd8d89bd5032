/* intake.c: `urna bench intake`, ballot intake through a real server.
 * Starts `urna serve` as a child on 127.0.0.1 (temporary database, test
 * clock, default settings otherwise), sets up a one-region yes/no referendum
 * with one trustee, builds every ballot BEFORE the clock starts, then N
 * client threads cast them over keep-alive HTTP/1.1 connections for the
 * given seconds. Reports accepted ballots a second, latency percentiles,
 * refusals, the machine; then reads the board back and checks that every
 * ballot answered 201 is on it. The clients share the machine's cores with
 * the server: the figure is what this one machine does, load included.
 * With --crash the server is killed (SIGKILL) halfway and restarted on the
 * same database before the board is checked. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "base/buf.h"
#include "base/parallel.h"
#include "bench/bench.h"
#include "client/booth.h"
#include "client/credentials.h"
#include "client/local_server.h"
#include "client/organizer.h"
#include "client/signer.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/proof.h"
#include "crypto/threshold.h"
#include "record/ballot.h"
#include "record/file.h"
#include "record/keyfile.h"

#define REF "bench"
#define REGION "r1"
#define NCRED 2000

struct ballot {
	char *bytes;
	size_t len;
	uint8_t tracker[32];
	int status;        /* HTTP status answered, 0 not sent */
	double ms;
};

struct shared {
	struct ballot *b;
	size_t nb;
	size_t next;       /* atomic: next ballot to send */
	uint16_t port;
	double deadline;   /* monotonic seconds */
	int started;
	pthread_mutex_t lock;
	pthread_cond_t go;
	unsigned long io_errors;
};

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- setup over the API ---- */

/* client_call that takes ownership of body. */
static int call(const client_conn *c, const char *method, const char *path, json_t *body, json_t **out,
                const char *what, urna_err *e)
{
	int rc = client_call(c, method, path, body, out, NULL, what, e);
	json_decref(body);
	return rc;
}

/* The roles' key files in dir: [0] organizer, [1] authority, [2] trustee;
 * orgpk gets the organizer's public key. */
static int people(char keys[3][4200], const char *dir, char orgpk[URNA_B64_32], urna_err *e)
{
	static const urna_role roles[3] = {ROLE_ORGANIZER, ROLE_AUTHORITY, ROLE_TRUSTEE};
	identity_key id;
	for (int i = 0; i < 3; i++) {
		snprintf(keys[i], 4200, "%.4000s/%s.key", dir, role_name(roles[i]));
		if (identity_keygen(keys[i], roles[i], role_name(roles[i]), i == 0 ? &id : NULL, e) != 0)
			return -1;
	}
	b64url_encode(orgpk, id.pk, 32);
	identity_wipe(&id);
	return 0;
}

static int setup(const client_conn *c, char keys[3][4200], const char *dir, uint8_t (*x)[32], urna_err *e)
{
	json_t *spec = NULL, *creds = NULL, *out = NULL, *body = NULL;
	char path[4300], id[64];
	size_t nreg;
	identity_key tk, ak;
	signer s;
	int rc = -1, have_s = 0;

	if (call(c, "POST", "/api/clock", json_pack("{s:I}", "now", (json_int_t)1782000000), NULL, "clock", e))
		goto out;
	if (identity_load(keys[1], &ak, e) != 0)
		goto out;
	if (identity_load(keys[2], &tk, e) != 0) {
		identity_wipe(&ak);
		goto out;
	}
	spec = json_loads("{\"id\":\"" REF "\",\"title\":{\"en\":\"Intake benchmark\"},\"timezone\":\"UTC\","
	                  "\"opens_at\":\"2026-07-01T00:00\",\"closes_at\":\"2026-07-15T23:59\","
	                  "\"announce_at\":\"2026-07-16T12:00\","
	                  "\"regions\":[{\"id\":\"" REGION "\",\"name\":{\"en\":\"Region\"},\"questions\":"
	                  "[{\"text\":{\"en\":\"Yes or no?\"},\"choices\":[{\"en\":\"Yes\"},{\"en\":\"No\"}],"
	                  "\"min\":1,\"max\":1}]}]}", 0, NULL);
	json_t *au = identity_role_json(&ak);
	json_object_set_new(au, "regions", json_pack("[s]", REGION));
	json_object_set_new(spec, "authorities", json_pack("[o]", au));
	json_object_set_new(spec, "trustees", json_pack("{s:i,s:[o]}", "t", 1, "members", identity_role_json(&tk)));
	identity_wipe(&ak);
	snprintf(path, sizeof path, "%.4000s/spec.json", dir);
	char *txt = json_dumps(spec, JSON_COMPACT);
	int w = txt ? file_write(path, txt, strlen(txt), 0644, e) : err_set(e, URNA_E_IO, "out of memory");
	free(txt);
	if (w != 0 || organizer_create(c, path, keys[0], id, &nreg, NULL, e) != 0) {
		identity_wipe(&tk);
		goto out;
	}
	creds = json_array();
	for (int i = 0; i < NCRED; i++) {
		char cs[32];
		uint8_t X[32];
		snprintf(cs, sizeof cs, "BENCH%08d", i);
		if (credential_keys(x[i], X, REF, REGION, cs) != 0) {
			err_set(e, URNA_E_IO, "credential keys");
			identity_wipe(&tk);
			goto out;
		}
		char t[URNA_B64_32];
		b64url_encode(t, X, 32);
		json_array_append_new(creds, json_string(t));
	}
	credentials_sent sent = {0};
	if (signer_open(&s, c, REF, keys[1], ROLE_AUTHORITY, e) != 0) {
		identity_wipe(&tk);
		goto out;
	}
	int up = credentials_publish(c, &s, REGION, creds, &sent, e);
	signer_close(&s);
	if (up != 0) {
		identity_wipe(&tk);
		goto out;
	}
	/* One trustee: its signed commit, then the organizer's key entry. */
	if (signer_open(&s, c, REF, keys[2], ROLE_TRUSTEE, e) != 0) {
		identity_wipe(&tk);
		goto out;
	}
	have_s = 1;
	urna_poly f;
	uint8_t bpk[32], bsk[32];
	identity_box_keypair(&tk, bpk, bsk);
	identity_wipe(&tk);
	poly_random(&f, 1);
	body = tmsg_commit_make(s.h_R, 1, &f, bpk, e);
	poly_wipe(&f);
	sodium_memzero(bsk, sizeof bsk);
	if (!body || signer_post(&s, c, KIND_TRUSTEE, NULL, body, NULL, "trustee commit", e) != 0 ||
	    organizer_key(c, keys[0], REF, &out, e) != 0)
		goto out;
	rc = 0;
out:
	if (have_s)
		signer_close(&s);
	json_decref(body);
	json_decref(spec);
	json_decref(creds);
	json_decref(out);
	return rc;
}

/* ---- building ballots (before the clock starts) ---- */

struct build {
	const booth_ctx *ctx;
	struct ballot *b;
	size_t from, to;
	const uint8_t (*x)[32];
	int failed;
};

static void *build_main(void *arg)
{
	struct build *w = arg;
	for (size_t i = w->from; i < w->to; i++) {
		booth_answers a = {.nq = 1};
		uint8_t X[32];
		urna_err e;
		const uint8_t *x = w->x[i % NCRED];
		a.sel[0][i % 2] = 1;
		if (point_base_mul(X, x) != 0 ||
		    booth_build(&w->b[i].bytes, &w->b[i].len, w->b[i].tracker, NULL, w->ctx, &a, x, X, &e) != 0) {
			w->failed = 1;
			break;
		}
	}
	return NULL;
}

/* ---- the clients ---- */

static int connect_to(uint16_t port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct timeval tv = {.tv_sec = 30};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* One request on a keep-alive connection: returns the status or -1. */
static int post(int fd, const struct ballot *b, char *buf, size_t cap)
{
	char head[256];
	int hn = snprintf(head, sizeof head,
	                  "POST /api/referendums/" REF "/regions/" REGION "/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	                  "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n", b->len);
	if (send_all(fd, head, (size_t)hn) || send_all(fd, b->bytes, b->len))
		return -1;
	size_t got = 0;
	char *eoh = NULL;
	while (!eoh) {
		if (got + 1 >= cap)
			return -1;
		ssize_t k = recv(fd, buf + got, cap - 1 - got, 0);
		if (k <= 0)
			return -1;
		got += (size_t)k;
		buf[got] = 0;
		eoh = strstr(buf, "\r\n\r\n");
	}
	int status = 0;
	if (sscanf(buf, "HTTP/1.1 %d", &status) != 1)
		return -1;
	const char *cl = strcasestr(buf, "\r\nContent-Length:");
	size_t clen = cl && cl < eoh ? strtoul(cl + 17, NULL, 10) : 0;
	size_t have = got - (size_t)(eoh + 4 - buf);
	while (have < clen) {
		char sink[4096];
		ssize_t k = recv(fd, sink, sizeof sink, 0);
		if (k <= 0)
			return -1;
		have += (size_t)k;
	}
	return status;
}

static void *client_main(void *arg)
{
	struct shared *sh = arg;
	char buf[8192];
	int fd = -1;

	pthread_mutex_lock(&sh->lock);
	while (!sh->started)
		pthread_cond_wait(&sh->go, &sh->lock);
	pthread_mutex_unlock(&sh->lock);
	while (mono() < sh->deadline) {
		size_t i = __atomic_fetch_add(&sh->next, 1, __ATOMIC_SEQ_CST);
		if (i >= sh->nb)
			break;
		if (fd < 0 && (fd = connect_to(sh->port)) < 0) {
			__atomic_add_fetch(&sh->io_errors, 1, __ATOMIC_SEQ_CST);
			break;
		}
		double t0 = mono();
		int st = post(fd, &sh->b[i], buf, sizeof buf);
		sh->b[i].ms = (mono() - t0) * 1e3;
		if (st < 0) {
			__atomic_add_fetch(&sh->io_errors, 1, __ATOMIC_SEQ_CST);
			close(fd);
			fd = -1;
			continue;
		}
		sh->b[i].status = st;
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* ---- checking the board ---- */

static int cmp32(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

struct board_scan {
	uint8_t (*t)[32];
	size_t n, cap;
	char *line;
	size_t len, linecap;
	int bad;
};

static void scan_line(struct board_scan *s)
{
	static const char mark[] = ",\"body\":";
	const char *b;
	if (!strstr(s->line, "\"kind\":\"ballot\"") || !(b = strstr(s->line, mark)))
		return;
	b += sizeof mark - 1;
	size_t bl = (size_t)(s->line + s->len - 1 - b);
	ballot *bb = ballot_scratch();
	if (array_grow(&s->t, &s->cap, s->n + 1, 32, SIZE_MAX / 32) != 0 || !bb || ballot_parse(bb, b, bl, NULL) != 0) {
		s->bad = 1;
		return;
	}
	memcpy(s->t[s->n++], bb->tracker, 32); /* hash32 of the unsigned ballot (s.14) */
}

static int board_sink(void *ctx, const char *data, size_t n)
{
	struct board_scan *s = ctx;
	for (size_t i = 0; i < n; i++) {
		if (data[i] == '\n') {
			s->line[s->len] = 0;
			scan_line(s);
			s->len = 0;
			continue;
		}
		if (s->len + 2 > s->linecap)
			return -1;
		s->line[s->len++] = data[i];
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int bench_intake(const bench_intake_opts *o, urna_err *e)
{
	unsigned long long clients = o->clients, seconds = o->seconds, nballots = o->ballots ? o->ballots : 4000 * o->seconds;
	int json = o->json, crash = o->crash;
	char dir[] = "/tmp/urna-bench-XXXXXX";
	local_server srv = {0};
	struct shared sh = {.lock = PTHREAD_MUTEX_INITIALIZER, .go = PTHREAD_COND_INITIALIZER};
	uint8_t (*x)[32] = NULL;
	booth_ctx ctx = {0};
	const client_conn *c = &srv.admin;
	pthread_t *th = NULL;
	double *lat = NULL;
	struct board_scan bs = {0};
	int rc = -1;

	char keys[3][4200], orgpk[URNA_B64_32];
	if (!mkdtemp(dir))
		return err_set(e, URNA_E_IO, "cannot make a temporary directory");
	if (people(keys, dir, orgpk, e) != 0 || local_server_start(&srv, dir, orgpk, 1, e) != 0)
		goto out;
	if (!(x = calloc(NCRED, 32)) || !(sh.b = calloc(nballots, sizeof *sh.b))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	sh.nb = nballots;
	sh.port = srv.port;
	if (setup(c, keys, dir, x, e) != 0 || booth_fetch(&ctx, c, REF, REGION, e) != 0 ||
	    local_server_set_clock(&srv, 1782950000, e) != 0)
		goto out;

	/* Build every ballot first, on every core. */
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		ncpu = 1;
	{
		double t0 = mono();
		struct build w[PARALLEL_MAX];
		size_t nt = ncpu > PARALLEL_MAX ? PARALLEL_MAX : (size_t)ncpu;
		for (size_t k = 0; k < nt; k++)
			w[k] = (struct build){&ctx, sh.b, nballots * k / nt, nballots * (k + 1) / nt, (const uint8_t(*)[32])x, 0};
		parallel_run(build_main, w, sizeof w[0], (int)nt);
		int failed = 0;
		for (size_t k = 0; k < nt; k++)
			failed |= w[k].failed;
		if (failed) {
			err_set(e, URNA_E_IO, "building ballots failed");
			goto out;
		}
		if (!json)
			fprintf(stderr, "bench intake: %llu ballots built in %.1f s; casting for %llu s with %llu clients\n",
			        nballots, mono() - t0, seconds, clients);
	}

	if (!(th = calloc(clients, sizeof *th)))
		goto out;
	for (size_t k = 0; k < clients; k++)
		pthread_create(&th[k], NULL, client_main, &sh);
	double t0 = mono();
	pthread_mutex_lock(&sh.lock);
	sh.deadline = t0 + (double)seconds;
	sh.started = 1;
	pthread_cond_broadcast(&sh.go);
	pthread_mutex_unlock(&sh.lock);
	if (crash) {
		/* --crash: SIGKILL the server halfway, then restart it on the
		 * same database: every ballot answered 201 must be there. */
		usleep((useconds_t)(seconds * 500000));
		local_server_kill(&srv);
	}
	for (size_t k = 0; k < clients; k++)
		pthread_join(th[k], NULL);
	double elapsed = mono() - t0;
	if (crash && local_server_start(&srv, dir, orgpk, 1, e) != 0)
		goto out;

	size_t accepted = 0, rejected = 0, sent = 0;
	lat = calloc(nballots, sizeof *lat);
	for (size_t i = 0; i < nballots && lat; i++) {
		if (!sh.b[i].status)
			continue;
		lat[sent++] = sh.b[i].ms;
		if (sh.b[i].status == 201)
			accepted++;
		else
			rejected++;
	}
	qsort(lat, sent, sizeof *lat, cmp_double);
	double p50 = sent ? lat[sent / 2] : 0, p99 = sent ? lat[(size_t)((double)sent * 0.99)] : 0;
	int ran_out = sh.next >= nballots && elapsed < (double)seconds - 0.05;

	/* Every 201 must be on the board. */
	bs.linecap = 1 << 20;
	bs.line = malloc(bs.linecap);
	size_t missing = 0;
	{
		http_req rq = {.method = "GET", .path = "/api/referendums/" REF "/board", .sink = board_sink,
		               .sink_ctx = &bs, .max_body = (size_t)1 << 40};
		http_resp br = {0};
		int r = !bs.line ? -1 : http_do(&c->srv, &rq, &br, e);
		int st = br.status;
		http_resp_free(&br);
		if (r != 0 || st != 200 || bs.bad) {
			if (r == 0)
				err_set(e, URNA_E_IO, "reading the board back: HTTP %d", st);
			goto out;
		}
		qsort(bs.t, bs.n, 32, cmp32);
		for (size_t i = 0; i < nballots; i++)
			if (sh.b[i].status == 201 && !bsearch(sh.b[i].tracker, bs.t, bs.n, 32, cmp32))
				missing++;
	}
	char cpu[256];
	bench_cpu_model(cpu, sizeof cpu);
	double rate = (double)accepted / elapsed;
	if (json)
		printf("{\"bench\":\"intake\",\"clients\":%llu,\"seconds\":%.2f,\"accepted\":%zu,\"accepted_per_s\":%.0f,"
		       "\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"rejected\":%zu,\"io_errors\":%lu,\"on_board\":%zu,"
		       "\"missing_from_board\":%zu,\"ran_out_of_ballots\":%s,\"crash\":%s,\"cpu\":\"%s\",\"nproc\":%ld}\n",
		       clients, elapsed, accepted, rate, p50, p99, rejected, sh.io_errors, bs.n, missing,
		       ran_out ? "true" : "false", crash ? "true" : "false", cpu, ncpu);
	else
		printf("intake: %zu ballots accepted in %.2f s by %llu clients: %.0f accepted/s\n"
		       "  latency p50 %.2f ms, p99 %.2f ms; rejected %zu, connection errors %lu%s\n"
		       "  board: %zu ballots, %zu accepted ballots missing\n"
		       "  machine: %s, %ld CPUs (clients and server share them)\n",
		       accepted, elapsed, clients, rate, p50, p99, rejected, sh.io_errors,
		       ran_out ? " (ran out of prepared ballots: use --ballots)" : "", bs.n, missing, cpu, ncpu);
	if (missing)
		err_set(e, URNA_E_MISMATCH, "%zu ballots answered 201 are not on the board", missing);
	else if (!crash && sh.io_errors)
		err_set(e, URNA_E_IO, "%lu connection errors", sh.io_errors);
	else if (accepted == 0)
		err_set(e, URNA_E_IO, "no ballot was accepted");
	else
		rc = 0;
out:
	local_server_stop(&srv);
	for (size_t i = 0; sh.b && i < sh.nb; i++)
		free(sh.b[i].bytes);
	free(sh.b);
	if (x)
		sodium_memzero(x, (size_t)NCRED * 32);
	free(x);
	free(th);
	free(lat);
	free(bs.t);
	free(bs.line);
	booth_ctx_free(&ctx);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench intake: could not remove %s\n", dir);
	return rc;
}
