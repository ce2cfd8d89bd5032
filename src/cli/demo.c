/* demo.c: `urna demo [--voters N] [--dir D]`: two referendums end to end
 * against a real `urna serve` child on 127.0.0.1 with a SQLite file and a
 * driven clock. Round 1: five regions, exact intended percentages, re-votes
 * (some changing their mind), abstentions, rejected ballots. Round 2: five
 * other regions, postponed once before opening, open 1-15 July (Moscow),
 * results at the end of the month. 3-of-5 trustees with DKG, one absent at
 * decryption. Both records exported and verified; exits non-zero when any
 * figure differs from the plan. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "cli/booth.h"
#include "cli/commands.h"
#include "cli/credentials.h"
#include "cli/demo_plan.h"
#include "cli/export.h"
#include "cli/results.h"
#include "cli/trustee.h"
#include "crypto/encoding.h"

#define NREG 5
#define NTRUSTEES 5
#define THRESHOLD 3
#define ABSENT 4 /* the trustee who does not come to decrypt */
#define DEFAULT_VOTERS 2000 /* a demo within two minutes on 2 cores; it prints its own time */

typedef struct {
	const char *id, *en, *ru, *q_en, *q_ru;
	uint32_t target;  /* in-favour share, tenths of a percent */
	uint32_t turnout; /* per mille, roughly */
} region_spec;

typedef struct {
	const char *id, *title_en, *title_ru;
	const char *opens, *closes, *announce;          /* as created */
	const char *new_opens, *new_closes, *new_announce, *reason, *reason_ru; /* postponement, or NULL */
	region_spec regions[NREG];
} round_spec;

static const round_spec rounds[2] = {
	{"spring-2026", "Regional self-government referendum", "Референдум о региональном самоуправлении",
	 "2026-05-17T08:00", "2026-05-17T20:00", "2026-05-18T12:00", NULL, NULL, NULL, NULL, NULL,
	 {{"kaliningrad", "Kaliningrad", "Калининград",
	   "Do you approve the Kaliningrad charter of regional self-government?",
	   "Одобряете ли вы Устав регионального самоуправления Калининграда?", 721, 780},
	  {"ingria", "Ingria", "Ингрия",
	   "Do you approve the Ingria charter of regional self-government, with St Petersburg's districts?",
	   "Одобряете ли вы Устав регионального самоуправления Ингрии вместе с районами Санкт-Петербурга?", 662, 640},
	  {"kuban", "Kuban", "Кубань",
	   "Do you approve the Kuban charter of regional self-government and its land code?",
	   "Одобряете ли вы Устав регионального самоуправления Кубани и её земельный кодекс?", 557, 710},
	  {"siberia", "Siberia", "Сибирь",
	   "Do you approve the Siberian charter of regional self-government and its resource fund?",
	   "Одобряете ли вы Сибирский устав регионального самоуправления и его ресурсный фонд?", 639, 590},
	  {"urals", "Urals", "Урал",
	   "Do you approve the Urals charter of regional self-government?",
	   "Одобряете ли вы Уральский устав регионального самоуправления?", 682, 830}}},
	{"july-2026", "Regional budgets referendum", "Референдум о региональных бюджетах",
	 "2026-06-01T00:00", "2026-06-15T23:59", "2026-06-30T12:00",
	 "2026-07-01T00:00", "2026-07-15T23:59", "2026-07-31T12:00",
	 "Postponed to July so that every region's voter roll can be checked",
	 "Перенесён на июль, чтобы проверить списки избирателей каждого региона",
	 {{"chuvashia", "Chuvashia", "Чувашия",
	   "Should Chuvashia spend its development fund on rural roads?",
	   "Должна ли Чувашия направить фонд развития на сельские дороги?", 584, 690},
	  {"karelia", "Karelia", "Карелия",
	   "Should Karelia create a protected forest zone along Lake Onega?",
	   "Должна ли Карелия создать заповедную лесную зону вдоль Онежского озера?", 713, 620},
	  {"belgorod", "Belgorod", "Белгород",
	   "Should Belgorod rebuild its border villages before new roads?",
	   "Должен ли Белгород восстанавливать приграничные сёла раньше новых дорог?", 806, 750},
	  {"novgorod", "Novgorod", "Новгород",
	   "Should Novgorod restore the Yaroslav's Court ensemble from the regional budget?",
	   "Должен ли Новгород восстановить Ярославово дворище за счёт областного бюджета?", 476, 560},
	  {"voronezh", "Voronezh", "Воронеж",
	   "Should Voronezh open a second river port on the Don?",
	   "Должен ли Воронеж открыть второй речной порт на Дону?", 529, 670}}},
};

/* ---- output -------------------------------------------------------------- */

static int tty;
static double demo_t0;
static double now_s(void);

static void step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void step(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf(tty ? "\033[1m==> [%5.1fs] " : "==> [%5.1fs] ", now_s() - demo_t0);
	vprintf(fmt, ap);
	printf(tty ? "\033[0m\n" : "\n");
	va_end(ap);
	fflush(stdout);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the server child ------------------------------------------------------ */

typedef struct {
	pid_t pid;
	char url[64];
	char token_file[4096];
	char db[4096];
	cli_conn admin, pub;
} demo_server;

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t l = sizeof a;
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &l) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static void server_stop_child(demo_server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		int st;
		for (int i = 0; i < 100; i++) {
			if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
				s->pid = 0;
				return;
			}
			usleep(50000);
		}
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &st, 0);
		s->pid = 0;
	}
}

static int server_start_child(demo_server *s, const char *self, const char *dir, urna_err *e)
{
	snprintf(s->db, sizeof s->db, "%s/urna.db", dir);
	snprintf(s->token_file, sizeof s->token_file, "%s/admin.token", dir);
	uint8_t tok[24];
	char tt[B64URL_LEN(24) + 1];
	randombytes_buf(tok, sizeof tok);
	b64url_encode(tt, tok, sizeof tok);
	strcat(tt, "\n");
	if (cli_write_file(s->token_file, tt, strlen(tt), 0600, e) != 0)
		return -1;
	char log[4200];
	snprintf(log, sizeof log, "%s/server.log", dir);
	for (int attempt = 0; attempt < 5; attempt++) {
		int port = free_port();
		if (port <= 0)
			return err_set(e, URNA_E_IO, "no free port on 127.0.0.1");
		char listen[32];
		snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
		snprintf(s->url, sizeof s->url, "http://%s", listen);
		fflush(NULL);
		pid_t pid = fork();
		if (pid < 0)
			return err_set(e, URNA_E_IO, "fork: %s", strerror(errno));
		if (pid == 0) {
			int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
				close(fd);
			}
			char *args[] = {(char *)self, "serve", "--db", s->db, "--listen", listen, "--admin-token-file",
			                s->token_file, "--test-clock", NULL};
			execv(self, args);
			_exit(127);
		}
		s->pid = pid;
		if (cli_conn_init(&s->admin, s->url, s->token_file, e) != 0 || cli_conn_init(&s->pub, s->url, NULL, e) != 0)
			return -1;
		for (int i = 0; i < 200; i++) {
			int st;
			if (waitpid(pid, &st, WNOHANG) == pid) {
				s->pid = 0;
				break; /* died: port taken or worse; try again */
			}
			json_t *r = NULL;
			urna_err ig;
			if (cli_call(&s->pub, "GET", "/api/referendums", NULL, &r, NULL, "ping", &ig) == 0) {
				json_decref(r);
				return 0;
			}
			usleep(50000);
		}
		server_stop_child(s);
	}
	return err_set(e, URNA_E_IO, "the server did not start (see %s)", log);
}

static int set_clock(const demo_server *s, int64_t t, urna_err *e)
{
	json_t *b = json_pack("{s:I}", "now", (json_int_t)t);
	int rc = cli_call(&s->admin, "POST", "/api/clock", b, NULL, NULL, "set clock", e);
	json_decref(b);
	return rc;
}

static const char *utc_text(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, 32, "%Y-%m-%d %H:%M UTC", &tm);
	return buf;
}

/* ---- voters ----------------------------------------------------------------- */

enum { V_BLANK = 0, V_YES = 1, V_NO = 2 };

typedef struct {
	char cred[CRED_TEXT];
	uint8_t x[32], X[32];
	uint8_t final, first; /* choices; first only for re-voters */
	uint8_t revote, votes;
	uint8_t trk_first[32], trk_last[32]; /* trackers of the ballots cast */
} voter;

typedef struct {
	const region_spec *spec;
	demo_plan plan;
	booth_ctx ctx;
	voter *v;
	uint32_t n;
	int64_t expected_cast;
} region_run;

typedef struct {
	uint16_t region;
	uint32_t voter;
	uint8_t choice;
} task;

typedef struct {
	const demo_server *srv;
	region_run *regions;
	task *tasks;
	size_t ntasks;
	atomic_size_t next, done, failed;
	char first_error[256];
	pthread_mutex_t mu;
} vote_pool;

static int cast_one(const cli_conn *c, region_run *r, voter *v, uint8_t choice, int *status, json_t **ans,
                    urna_err *e)
{
	booth_answers a;
	memset(&a, 0, sizeof a);
	a.nq = 1;
	if (choice != V_BLANK)
		a.sel[0][choice - 1] = 1;
	char *ballot = NULL;
	size_t len;
	uint8_t trk[32];
	if (booth_build(&ballot, &len, trk, NULL, &r->ctx, &a, v->x, v->X, e) != 0)
		return -1;
	int rc = booth_cast(c, &r->ctx, ballot, len, ans, status, e);
	free(ballot);
	if (rc == 0) {
		memcpy(v->votes ? v->trk_last : v->trk_first, trk, 32);
		if (!v->votes)
			memcpy(v->trk_last, trk, 32);
		v->votes++;
	}
	return rc;
}

static void *vote_worker(void *arg)
{
	vote_pool *p = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->ntasks)
			break;
		task *t = &p->tasks[i];
		region_run *r = &p->regions[t->region];
		urna_err e = {0};
		int status = 0;
		json_t *ans = NULL;
		if (cast_one(&p->srv->pub, r, &r->v[t->voter], t->choice, &status, &ans, &e) != 0 || status != 201) {
			atomic_fetch_add(&p->failed, 1);
			pthread_mutex_lock(&p->mu);
			if (!p->first_error[0])
				snprintf(p->first_error, sizeof p->first_error, "%s/%u: %.200s", r->spec->id, t->voter,
				         e.msg[0] ? e.msg : "unexpected status");
			pthread_mutex_unlock(&p->mu);
		}
		json_decref(ans);
		atomic_fetch_add(&p->done, 1);
	}
	return NULL;
}

static void progress(size_t done, size_t total, double t0, int final)
{
	if (!tty && !final)
		return;
	int w = 40, k = total ? (int)((double)done / (double)total * w) : w;
	double dt = now_s() - t0;
	if (tty)
		printf("\r    [%.*s%*s] %zu/%zu ballots, %.0f/s ", k, "########################################", w - k, "", done,
		       total, dt > 0 ? (double)done / dt : 0.0);
	else
		printf("    %zu/%zu ballots in %.1f s, %.0f/s", done, total, dt, dt > 0 ? (double)done / dt : 0.0);
	if (final)
		putchar('\n');
	fflush(stdout);
}

/* Casts every task with nthreads client threads. Returns failures. */
static size_t cast_all(const demo_server *srv, region_run *regions, task *tasks, size_t n, int nthreads, char *err,
                       size_t errcap)
{
	vote_pool p = {.srv = srv, .regions = regions, .tasks = tasks, .ntasks = n};
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	atomic_init(&p.failed, 0);
	pthread_mutex_init(&p.mu, NULL);
	pthread_t th[64];
	int started = 0;
	double t0 = now_s();
	for (int i = 0; i < nthreads && i < 64; i++)
		if (pthread_create(&th[i], NULL, vote_worker, &p) == 0)
			started++;
	if (started == 0)
		vote_worker(&p);
	while (atomic_load(&p.done) < n && started) {
		progress(atomic_load(&p.done), n, t0, 0);
		usleep(100000);
	}
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	progress(n, n, t0, 1);
	pthread_mutex_destroy(&p.mu);
	snprintf(err, errcap, "%s", p.first_error);
	return atomic_load(&p.failed);
}

static void shuffle(task *t, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = randombytes_uniform((uint32_t)i);
		task x = t[i - 1];
		t[i - 1] = t[j];
		t[j] = x;
	}
}

/* ---- trustees ------------------------------------------------------------------ */

typedef struct {
	const cli_conn *c;
	const char *ref;
	char key[4200];
	uint32_t index;
	int mode; /* 0 dkg until shares checked, 1 decrypt */
	int rc;
	urna_err e;
} trustee_job;

static void *trustee_worker(void *arg)
{
	trustee_job *j = arg;
	if (j->mode == 0)
		j->rc = trustee_dkg(j->c, j->ref, j->key, j->index, 0, 120, 0, stdout, &j->e);
	else
		j->rc = trustee_decrypt(j->c, j->ref, j->key, j->index, 0, 1, stdout, &j->e); /* trustees run side by side */
	return NULL;
}

static int run_trustees(trustee_job *jobs, int n, urna_err *e)
{
	pthread_t th[NTRUSTEES];
	for (int i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, trustee_worker, &jobs[i]) != 0)
			return err_set(e, URNA_E_IO, "cannot start a thread");
	int bad = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		if (jobs[i].rc < 0 && !bad) {
			*e = jobs[i].e;
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

/* ---- one round ------------------------------------------------------------------ */

typedef struct {
	const char *self, *dir, *lang;
	uint32_t voters;
	int threads;
	demo_server srv;
	int mismatches;
} demo;

static json_t *text2(const char *en, const char *ru)
{
	return json_pack("{s:s,s:s}", "en", en, "ru", ru);
}

static json_t *spec_json(const round_spec *rs)
{
	json_t *regs = json_array();
	for (int i = 0; i < NREG; i++) {
		const region_spec *r = &rs->regions[i];
		json_t *q = json_pack("{s:o,s:[o,o],s:i,s:i}", "text", text2(r->q_en, r->q_ru), "choices", text2("Yes", "Да"),
		                      text2("No", "Нет"), "min", 0, "max", 1);
		json_array_append_new(regs, json_pack("{s:s,s:o,s:[o]}", "id", r->id, "name", text2(r->en, r->ru), "questions", q));
	}
	return json_pack("{s:s,s:o,s:s,s:s,s:s,s:s,s:{s:i,s:i},s:o}", "id", rs->id, "title", text2(rs->title_en, rs->title_ru),
	                 "timezone", "Europe/Moscow", "opens_at", rs->opens, "closes_at", rs->closes, "announce_at",
	                 rs->announce, "trustees", "n", NTRUSTEES, "t", THRESHOLD, "regions", regs);
}

static int64_t utc_of(json_t *ref, const char *key)
{
	return json_integer_value(json_object_get(json_object_get(ref, key), "utc"));
}

static int get_ref(const demo *d, const char *id, json_t **out, urna_err *e)
{
	char path[128];
	snprintf(path, sizeof path, "/api/referendums/%s", id);
	return cli_call(&d->srv.pub, "GET", path, NULL, out, NULL, "get referendum", e);
}

static void expect(demo *d, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void expect(demo *d, int ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf(ok ? "    ok: " : "    MISMATCH: ");
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	if (!ok)
		d->mismatches++;
}

/* Compares the record's results.json with the plan. */
static void check_results(demo *d, const json_t *results, region_run *rr, const round_spec *rs)
{
	for (int i = 0; i < NREG; i++) {
		const json_t *res = NULL, *g;
		size_t k;
		json_array_foreach(json_object_get(results, "regions"), k, g)
			if (!strcmp(json_string_value(json_object_get(g, "id")) ? json_string_value(json_object_get(g, "id")) : "",
			            rs->regions[i].id))
				res = g;
		const demo_plan *p = &rr[i].plan;
		if (!res) {
			expect(d, 0, "%s has no result", rs->regions[i].id);
			continue;
		}
		json_t *q = json_array_get(json_object_get(res, "questions"), 0), *c = json_object_get(q, "choices");
		uint64_t yes = (uint64_t)json_integer_value(json_object_get(json_array_get(c, 0), "count"));
		uint64_t no = (uint64_t)json_integer_value(json_object_get(json_array_get(c, 1), "count"));
		uint64_t blank = (uint64_t)json_integer_value(json_object_get(q, "blank"));
		uint64_t counted = (uint64_t)json_integer_value(json_object_get(res, "counted"));
		uint64_t cast = (uint64_t)json_integer_value(json_object_get(res, "cast"));
		uint64_t elect = (uint64_t)json_integer_value(json_object_get(res, "electorate"));
		uint32_t py = pct_tenths(yes, yes + no), pn = pct_tenths(no, yes + no);
		int ok = yes == p->yes && no == p->no && blank == p->blank && counted == p->yes + p->no + p->blank &&
		         cast == (uint64_t)rr[i].expected_cast && elect == p->electorate && py == rs->regions[i].target &&
		         pn == 1000 - rs->regions[i].target;
		expect(d, ok, "%-12s %u.%u%% / %u.%u%% (intended %u.%u / %u.%u), yes %llu no %llu blank %llu, counted %llu of %llu cast",
		       rs->regions[i].id, py / 10, py % 10, pn / 10, pn % 10, rs->regions[i].target / 10,
		       rs->regions[i].target % 10, (1000 - rs->regions[i].target) / 10, (1000 - rs->regions[i].target) % 10,
		       (unsigned long long)yes, (unsigned long long)no, (unsigned long long)blank,
		       (unsigned long long)counted, (unsigned long long)cast);
	}
}

static int run_verify(const demo *d, const char *record)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *args[] = {(char *)d->self, "verify", (char *)record, NULL};
		execv(d->self, args);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int round_run(demo *d, const round_spec *rs, int with_rejections, urna_err *e)
{
	region_run rr[NREG];
	memset(rr, 0, sizeof rr);
	json_t *ref = NULL, *spec = NULL, *ans = NULL;
	task *tasks = NULL;
	json_t *results = NULL;
	int rc = -1;
	char buf[32], path[4400], keys[NTRUSTEES][4200];
	const char *R = rs->id;

	/* The organizer defines the referendum. */
	step("%s: the organizer creates \"%s\" over %d regions, trustees %d-of-%d", R, rs->title_en, NREG, THRESHOLD,
	     NTRUSTEES);
	spec = spec_json(rs);
	if (!spec || cli_call(&d->srv.admin, "POST", "/api/referendums", spec, NULL, NULL, "create referendum", e) != 0 ||
	    get_ref(d, R, &ref, e) != 0)
		goto out;
	printf("    open %s to %s, results %s (Europe/Moscow)\n", rs->opens, rs->closes, rs->announce);

	/* Postponement before the opening: a schedule entry on the board. */
	if (rs->reason) {
		step("%s: postponed before opening", R);
		json_t *sb = json_pack("{s:s,s:s,s:s,s:o}", "opens_at", rs->new_opens, "closes_at", rs->new_closes, "announce_at",
		                       rs->new_announce, "reason", text2(rs->reason, rs->reason_ru));
		char p[160];
		snprintf(p, sizeof p, "/api/referendums/%s/schedule", R);
		int r = cli_call(&d->srv.admin, "POST", p, sb, &ans, NULL, "change schedule", e);
		json_decref(sb);
		if (r != 0)
			goto out;
		printf("    schedule entry %lld: now open %s to %s, results %s (\"%s\")\n",
		       (long long)json_integer_value(json_object_get(ans, "seq")), rs->new_opens, rs->new_closes,
		       rs->new_announce, rs->reason);
		json_decref(ans);
		ans = NULL;
		json_decref(ref);
		ref = NULL;
		if (get_ref(d, R, &ref, e) != 0)
			goto out;
	}
	int64_t opens = utc_of(ref, "opens_at"), closes = utc_of(ref, "closes_at"), announce = utc_of(ref, "announce_at");
	if (opens <= 0 || closes <= opens || announce < closes) {
		err_set(e, URNA_E_MALFORMED, "the server's times for %s are not usable", R);
		goto out;
	}
	printf("    in UTC: opens %s, ", utc_text(opens, buf));
	printf("closes %s, ", utc_text(closes, buf));
	printf("results %s\n", utc_text(announce, buf));

	/* Key ceremony. */
	step("%s: key ceremony: the trustees make the election key together, each keeping a share (Pedersen DKG; messages through the board)", R);
	trustee_job jobs[NTRUSTEES];
	memset(jobs, 0, sizeof jobs);
	snprintf(path, sizeof path, "%.4000s/%s", d->dir, R);
	mkdir(path, 0700);
	for (int i = 0; i < NTRUSTEES; i++) {
		snprintf(keys[i], sizeof keys[i], "%.4000s/%s/trustee%d.key", d->dir, R, i + 1);
		unlink(keys[i]);
		if (trustee_keygen(keys[i], (uint32_t)i + 1, e) != 0)
			goto out;
		jobs[i] = (trustee_job){.c = &d->srv.admin, .ref = R, .index = (uint32_t)i + 1, .mode = 0};
		memcpy(jobs[i].key, keys[i], sizeof jobs[i].key);
	}
	if (run_trustees(jobs, NTRUSTEES, e) != 0)
		goto out;
	char p[160];
	snprintf(p, sizeof p, "/api/referendums/%s/key", R);
	if (cli_call(&d->srv.admin, "POST", p, NULL, &ans, NULL, "end key ceremony", e) != 0)
		goto out;
	printf("    election key (K), which the booths encrypt to: %s\n", json_string_value(json_object_get(ans, "election_key")));
	json_decref(ans);
	ans = NULL;
	for (int i = 0; i < NTRUSTEES; i++)
		if (trustee_dkg(&d->srv.admin, R, keys[i], (uint32_t)i + 1, 1, 30, 0, stdout, e) != 0)
			goto out;

	/* Credentials. */
	step("%s: the credential authority makes %u credentials a region and publishes the public lists", R, d->voters);
	size_t ntasks = 0;
	for (int i = 0; i < NREG; i++) {
		region_run *r = &rr[i];
		r->spec = &rs->regions[i];
		r->n = d->voters;
		if (demo_plan_region(&r->plan, d->voters, r->spec->target, r->spec->turnout) != 0) {
			err_set(e, URNA_E_MALFORMED, "--voters %u is too few to reach %u.%u%% exactly", d->voters,
			        r->spec->target / 10, r->spec->target % 10);
			goto out;
		}
		r->v = calloc(r->n, sizeof *r->v);
		json_t *list = json_array();
		if (!r->v || !list) {
			json_decref(list);
			err_set(e, URNA_E_IO, "out of memory");
			goto out;
		}
		for (uint32_t k = 0; k < r->n; k++) {
			char X[URNA_B64_32];
			credential_new(r->v[k].cred);
			if (credential_derive(r->v[k].x, r->v[k].X, R, r->spec->id, r->v[k].cred, e) != 0) {
				json_decref(list);
				goto out;
			}
			b64url_encode(X, r->v[k].X, 32);
			json_array_append_new(list, json_string(X));
		}
		/* Public list in random order (the server sees no voter order). */
		for (size_t k = json_array_size(list); k > 1; k--) {
			size_t j = randombytes_uniform((uint32_t)k);
			json_t *a = json_incref(json_array_get(list, k - 1)), *bj = json_incref(json_array_get(list, j));
			json_array_set_new(list, k - 1, bj);
			json_array_set_new(list, j, a);
		}
		long long el = 0;
		for (size_t from = 0; from < r->n; from += 10000) {
			size_t k = r->n - from < 10000 ? r->n - from : 10000;
			if (credentials_post(&d->srv.admin, R, r->spec->id, list, from, k, &el, e) != 0) {
				json_decref(list);
				goto out;
			}
		}
		json_decref(list);
		/* The voters' intentions: the plan's counts, then shuffled. */
		const demo_plan *pl = &r->plan;
		uint32_t k = 0;
		for (uint32_t j = 0; j < pl->yes; j++)
			r->v[k++].final = V_YES;
		for (uint32_t j = 0; j < pl->no; j++)
			r->v[k++].final = V_NO;
		for (uint32_t j = 0; j < pl->blank; j++)
			r->v[k++].final = V_BLANK;
		uint32_t counted = k;
		/* Re-voters: spread over the counted voters; half changed their mind. */
		for (uint32_t j = 0; j < pl->revoters; j++) {
			uint32_t w = (uint32_t)((uint64_t)j * counted / pl->revoters);
			r->v[w].revote = 1;
			r->v[w].first = j < pl->changed ? (r->v[w].final == V_YES ? V_NO : V_YES) : r->v[w].final;
		}
		ntasks += counted + pl->revoters;
		r->expected_cast = counted + pl->revoters;
		printf("    %-12s electorate %u (server: %lld): %u for, %u against, %u blank, %u will not vote; "
		       "%u vote twice (%u change their mind)\n",
		       r->spec->id, r->n, el, pl->yes, pl->no, pl->blank, pl->abstain, pl->revoters, pl->changed);
	}
	tasks = malloc(ntasks * sizeof *tasks);
	if (!tasks) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}

	/* Opening. */
	if (set_clock(&d->srv, opens + 60, e) != 0)
		goto out;
	step("%s: voting opens (server clock set to %s)", R, utc_text(opens + 60, buf));
	for (int i = 0; i < NREG; i++)
		if (booth_fetch(&rr[i].ctx, &d->srv.pub, R, rr[i].spec->id, e) != 0)
			goto out;
	size_t n1 = 0;
	for (int i = 0; i < NREG; i++)
		for (uint32_t k = 0; k < rr[i].n; k++)
			if (rr[i].v[k].revote)
				tasks[n1++] = (task){(uint16_t)i, k, rr[i].v[k].first};
	size_t n2 = n1;
	for (int i = 0; i < NREG; i++)
		for (uint32_t k = 0; k < rr[i].plan.yes + rr[i].plan.no + rr[i].plan.blank; k++)
			tasks[n2++] = (task){(uint16_t)i, k, rr[i].v[k].final};
	shuffle(tasks, n1);
	shuffle(tasks + n1, n2 - n1);
	char err[256];
	double t0 = now_s();
	printf("    first ballots of the voters who will vote again (%zu), %d client threads\n", n1, d->threads);
	size_t bad = cast_all(&d->srv, rr, tasks, n1, d->threads, err, sizeof err);
	printf("    final ballots (%zu)\n", n2 - n1);
	bad += cast_all(&d->srv, rr, tasks + n1, n2 - n1, d->threads, err, sizeof err);
	double dt = now_s() - t0;
	printf("    %zu ballots accepted in %.1f s (%.0f a second)\n", n2 - bad, dt, dt > 0 ? (double)n2 / dt : 0.0);
	if (bad) {
		err_set(e, URNA_E_MISMATCH, "%zu ballots were refused: %s", bad, err);
		goto out;
	}

	/* A voter who changed their mind looks up both trackers. */
	for (uint32_t k = 0; k < rr[0].n; k++) {
		voter *vt = &rr[0].v[k];
		if (!vt->revote || vt->first == vt->final || vt->votes != 2)
			continue;
		step("%s: a voter of %s who changed their mind checks both trackers", R, rr[0].spec->id);
		for (int w = 0; w < 2; w++) {
			char tt[URNA_TRACKER_TEXT], tp[200];
			tracker_text(tt, w ? vt->trk_last : vt->trk_first); /* looked up as a voter types it */
			snprintf(tp, sizeof tp, "/api/referendums/%s/trackers/%s", R, tt);
			json_t *tj = NULL;
			if (cli_call(&d->srv.pub, "GET", tp, NULL, &tj, NULL, "tracker", e) != 0)
				goto out;
			json_t *last = json_object_get(tj, "last_for_credential");
			printf("    %s ballot (%s), tracker %.19s...: board entry %lld, last for its credential: %s\n",
			       w ? "second" : "first", (w ? vt->final : vt->first) == V_YES ? "yes" : (w ? vt->final : vt->first) == V_NO ? "no" : "blank",
			       tt, (long long)json_integer_value(json_object_get(tj, "seq")), json_is_true(last) ? "yes, it counts" : "no, replaced");
			expect(d, json_is_boolean(last) && json_is_true(last) == (w == 1), "only the later ballot is marked as counting");
			json_decref(tj);
		}
		break;
	}

	/* Ballots that must be refused. */
	if (with_rejections) {
		step("%s: ballots the server must refuse", R);
		region_run *r = &rr[0];
		voter stranger;
		memset(&stranger, 0, sizeof stranger);
		credential_new(stranger.cred);
		int status = 0;
		json_t *a2 = NULL;
		if (credential_derive(stranger.x, stranger.X, R, r->spec->id, stranger.cred, e) != 0)
			goto out;
		int r1 = cast_one(&d->srv.pub, r, &stranger, V_YES, &status, &a2, e);
		json_decref(a2);
		expect(d, r1 != 0 && status == 403, "a credential not on the list: refused (%s)", e->msg);
		/* A ballot whose signature was tampered with. */
		booth_answers a;
		memset(&a, 0, sizeof a);
		a.nq = 1;
		a.sel[0][0] = 1;
		char *ballot = NULL;
		size_t len;
		uint8_t trk[32];
		if (booth_build(&ballot, &len, trk, NULL, &r->ctx, &a, r->v[0].x, r->v[0].X, e) != 0)
			goto out;
		char *z = strstr(ballot, "\"z\":\"");
		char *last = z;
		while (z) { /* the signature's z is the last "z" */
			last = z;
			z = strstr(z + 1, "\"z\":\"");
		}
		if (last)
			last[5] = last[5] == 'A' ? 'B' : 'A';
		int r2 = booth_cast(&d->srv.pub, &r->ctx, ballot, len, NULL, &status, e);
		free(ballot);
		expect(d, r2 != 0 && (status == 422 || status == 400), "a ballot with a forged signature: refused (%s)", e->msg);
		char norm[CRED_NORM], typo[CRED_TEXT];
		snprintf(typo, sizeof typo, "%s", r->v[1].cred);
		typo[0] = typo[0] == 'A' ? 'B' : 'A';
		urna_err te = {0};
		expect(d, credential_normalise(norm, typo, &te) != 0, "a mistyped credential is caught by its check bytes: %s",
		       te.msg);
	}

	/* The close. */
	if (set_clock(&d->srv, closes + 120, e) != 0)
		goto out;
	step("%s: voting closes (server clock %s)", R, utc_text(closes + 120, buf));
	if (with_rejections) {
		int status = 0;
		region_run *r = &rr[1];
		uint32_t late = r->plan.yes + r->plan.no + r->plan.blank; /* an abstainer, too late */
		json_t *a2 = NULL;
		int r3 = cast_one(&d->srv.pub, r, &r->v[late], V_NO, &status, &a2, e);
		json_decref(a2);
		expect(d, r3 != 0 && status == 403, "a ballot after the close: refused (%s)", e->msg);
	}
	snprintf(p, sizeof p, "/api/referendums/%s/tally", R);
	if (cli_call(&d->srv.admin, "POST", p, NULL, &ans, NULL, "tally", e) != 0)
		goto out;
	json_decref(ans);
	ans = NULL;
	printf("    tally entries appended: the encrypted sums of the last ballot of each credential\n");

	/* Decryption: every trustee but one. */
	step("%s: trustees decrypt the tallies; trustee %d is absent, %d of %d suffice", R, ABSENT, THRESHOLD, NTRUSTEES);
	trustee_job dj[NTRUSTEES];
	int nd = 0;
	for (int i = 0; i < NTRUSTEES; i++) {
		if (i + 1 == ABSENT)
			continue;
		dj[nd] = (trustee_job){.c = &d->srv.admin, .ref = R, .index = (uint32_t)i + 1, .mode = 1};
		memcpy(dj[nd].key, keys[i], sizeof dj[nd].key);
		nd++;
	}
	if (run_trustees(dj, nd, e) != 0)
		goto out;

	/* Publication: refused before announce_at, then done. */
	snprintf(p, sizeof p, "/api/referendums/%s/publish", R);
	int status = 0;
	urna_err pe = {0};
	int r4 = cli_call(&d->srv.admin, "POST", p, NULL, NULL, &status, "publish", &pe);
	expect(d, r4 != 0 && status == 403, "publishing before %s is refused: %s", utc_text(announce, buf), pe.msg);
	if (set_clock(&d->srv, announce + 60, e) != 0)
		goto out;
	step("%s: results announced (server clock %s)", R, utc_text(announce + 60, buf));
	if (cli_call(&d->srv.admin, "POST", p, NULL, NULL, NULL, "publish", e) != 0)
		goto out;

	/* Export, table, check against the plan, verify. */
	char record[4200];
	snprintf(record, sizeof record, "%.4000s/%s/record", d->dir, R);
	int have = 0;
	if (export_from_server(&d->srv.pub, R, record, &have, e) != 0)
		goto out;
	snprintf(path, sizeof path, "%s/results.json", record);
	json_error_t je;
	if (!have || !(results = json_load_file(path, 0, &je))) {
		err_set(e, URNA_E_IO, "no results.json in %s", record);
		goto out;
	}
	printf("\n");
	results_print(stdout, results, d->lang);
	printf("\n");
	step("%s: the record (%s) against the intended result", R, record);
	check_results(d, results, rr, rs);
	step("%s: urna verify %s", R, record);
	double v0 = now_s();
	int vr = run_verify(d, record);
	expect(d, vr == 0, "urna verify: %s (exit %d, %.1f s)", vr == 0 ? "the record checks out" : "FAILED", vr,
	       now_s() - v0);
	rc = 0;
out:
	for (int i = 0; i < NREG; i++) {
		booth_ctx_free(&rr[i].ctx);
		if (rr[i].v)
			sodium_memzero(rr[i].v, rr[i].n * sizeof *rr[i].v);
		free(rr[i].v);
	}
	json_decref(results);
	free(tasks);
	json_decref(ref);
	json_decref(spec);
	json_decref(ans);
	return rc;
}

static int rm_tree(const char *dir)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		execlp("rm", "rm", "-rf", "--", dir, (char *)NULL);
		_exit(127);
	}
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int cmd_demo(int argc, char **argv)
{
	const char *voters_s = NULL, *dir = NULL, *threads_s = NULL, *lang = "en";
	cli_opt opts[] = {{"voters", 1, &voters_s, NULL}, {"dir", 1, &dir, NULL}, {"threads", 1, &threads_s, NULL},
	                  {"lang", 1, &lang, NULL}, {NULL, 0, NULL, NULL}};
	if (cli_parse("demo", argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (strcmp(lang, "en") && strcmp(lang, "ru"))
		return cli_usage_error("demo", "--lang is en or ru");
	demo d = {.voters = DEFAULT_VOTERS, .threads = 0, .lang = lang};
	unsigned long long v;
	if (voters_s) {
		if (cli_uint(voters_s, 100, 1000000, &v) != 0)
			return cli_usage_error("demo", "--voters must be 100..1000000 (voters per region)");
		d.voters = (uint32_t)v;
	}
	if (threads_s) {
		if (cli_uint(threads_s, 1, 64, &v) != 0)
			return cli_usage_error("demo", "--threads must be 1..64");
		d.threads = (int)v;
	}
	if (d.threads == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		d.threads = cpus > 1 ? 2 * (int)cpus : 2; /* latency hides behind a second thread a core */
	}
	tty = isatty(1);
	static char self[4096];
	ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
	if (sl <= 0)
		return cli_usage_error("demo", "cannot find my own executable");
	self[sl] = 0;
	d.self = self;
	char tmpdir[] = "/tmp/urna-demo-XXXXXX";
	int keep = dir != NULL;
	if (dir) {
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return cli_usage_error("demo", "cannot create %s: %s", dir, strerror(errno));
		struct stat st;
		char db[4200];
		snprintf(db, sizeof db, "%s/urna.db", dir);
		if (stat(db, &st) == 0)
			return cli_usage_error("demo", "%s already holds a demo database; give an empty --dir", dir);
	} else {
		if (!mkdtemp(tmpdir))
			return cli_usage_error("demo", "cannot create a temporary directory");
		dir = tmpdir;
	}
	d.dir = dir;
	signal(SIGPIPE, SIG_IGN);
	urna_err e = {0};
	double t0 = now_s();
	demo_t0 = t0;
	int rc = CLI_FAIL;
	step("starting `urna serve` on 127.0.0.1 (SQLite %s/urna.db, test clock)", dir);
	if (server_start_child(&d.srv, self, dir, &e) != 0)
		goto fail;
	printf("    %s, pid %d, log %s/server.log\n", d.srv.url, (int)d.srv.pid, dir);
	/* Round 1 is set up in April 2026, before its opening. */
	if (set_clock(&d.srv, 1776000000, &e) != 0) /* 2026-04-12 */
		goto fail;
	if (round_run(&d, &rounds[0], 1, &e) != 0)
		goto fail;
	if (round_run(&d, &rounds[1], 0, &e) != 0)
		goto fail;
	double dt = now_s() - t0;
	printf("\n");
	if (d.mismatches) {
		step("demo FAILED: %d figure(s) differ from the intended result (%.1f s)", d.mismatches, dt);
	} else {
		step("demo OK: both referendums published exactly the intended results and verify (%.1f s)", dt);
		rc = CLI_OK;
	}
	goto out;
fail:
	fprintf(stderr, "urna demo: %s\n", e.msg);
	step("demo FAILED (%.1f s)", now_s() - t0);
out:
	server_stop_child(&d.srv);
	if (keep) {
		printf("records: %s/spring-2026/record and %s/july-2026/record\n", dir, dir);
		printf("After the demo the server can be started on that database to browse it:\n"
		       "    %s serve --db %s/urna.db --listen 127.0.0.1:8080 --admin-token-file %s/admin.token\n",
		       self, dir, dir);
	} else if (rc == CLI_OK) {
		rm_tree(dir);
		printf("removed %s, and with it the paths printed above; to keep the records and browse the site\n"
		       "after the demo: urna demo --dir DIR (make demo DEMO_ARGS='--dir DIR')\n", dir);
	} else {
		printf("kept %s for inspection (server.log, records)\n", dir);
	}
	return rc;
}
