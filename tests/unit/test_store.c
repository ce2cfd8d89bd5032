/* test_store.c: the storage interface (src/store/store.h) and group commit
 * (src/store/writer.h) on the SQLite backend: lines come back exactly as
 * appended, a line that does not continue the board is refused and nothing
 * of its transaction is written, and concurrent appends through the writer
 * are all durable, in order, when they are reported; after a failed
 * commit, a waiter returns only once its own job is reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "store/store.h"
#include "store/writer.h"

static char dbpath[256];

static int setup(void **state)
{
	(void)state;
	snprintf(dbpath, sizeof dbpath, "/tmp/urna-test-store-%d.db", (int)getpid());
	unlink(dbpath);
	return 0;
}

static int teardown(void **state)
{
	char p[300];
	(void)state;
	unlink(dbpath);
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
	return 0;
}

static struct store_line mk(const char *ref, uint64_t seq, const char *kind, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "{\"seq\":%llu,\"kind\":\"%s\"}", (unsigned long long)seq, kind);
	return (struct store_line){.referendum = ref, .seq = seq, .kind = kind, .line = buf, .len = (size_t)n};
}

struct collect { uint64_t n, next; int bad; };

static int collect_fn(void *arg, const struct store_line *l)
{
	struct collect *c = arg;
	char want[128];
	int n = snprintf(want, sizeof want, "{\"seq\":%llu,\"kind\":\"%s\"}", (unsigned long long)l->seq, l->kind);
	if (l->seq != c->next || l->len != (size_t)n || memcmp(l->line, want, l->len))
		c->bad = 1;
	c->next++;
	c->n++;
	return 0;
}

static int ids_fn(void *arg, const char *id)
{
	char *s = arg;
	strcat(s, id);
	strcat(s, ",");
	return 0;
}

static void test_append_scan(void **state)
{
	(void)state;
	struct store *st = NULL;
	urna_err e = {0};
	char b[4][64];
	const char *path;
	const struct store_ops *ops = store_backend_for(dbpath, &path);

	assert_ptr_equal(ops, &store_sqlite);
	assert_int_equal(ops->open(&st, path, &e), 0);
	struct store_line l[3] = {
		mk("r1", 0, "referendum", b[0], 64),
		mk("r1", 1, "region", b[1], 64),
		mk("r2", 0, "referendum", b[2], 64),
	};
	assert_int_equal(ops->append(st, l, 3, &e), 0);

	/* A gap, a repeat and a wrong start are refused, whole transaction. */
	struct store_line gap[2] = {mk("r1", 2, "ballot", b[0], 64), mk("r1", 4, "ballot", b[1], 64)};
	assert_int_equal(ops->append(st, gap, 2, &e), -1);
	assert_int_equal(e.code, URNA_E_CHAIN);
	struct store_line rep = mk("r2", 0, "referendum", b[3], 64);
	assert_int_equal(ops->append(st, &rep, 1, &e), -1);
	struct store_line fresh = mk("r3", 1, "referendum", b[3], 64);
	assert_int_equal(ops->append(st, &fresh, 1, &e), -1);

	struct collect c = {0};
	assert_int_equal(ops->scan(st, "r1", 0, 0, collect_fn, &c, &e), 0);
	assert_int_equal(c.n, 2);
	assert_false(c.bad);
	ops->close(st);

	/* Reopened: the same lines, scan from/limit, the list of ids. */
	assert_int_equal(ops->open(&st, path, &e), 0);
	struct store_line more = mk("r1", 2, "ballot", b[0], 64);
	assert_int_equal(ops->append(st, &more, 1, &e), 0);
	c = (struct collect){.next = 1};
	assert_int_equal(ops->scan(st, "r1", 1, 1, collect_fn, &c, &e), 0);
	assert_int_equal(c.n, 1);
	assert_false(c.bad);
	char ids[64] = "";
	assert_int_equal(ops->referendums(st, ids_fn, ids, &e), 0);
	assert_string_equal(ids, "r1,r2,");
	ops->close(st);
}

/* Threads number their lines under one lock, submit under it, wait outside. */
struct chain { pthread_mutex_t lock; uint64_t next; struct store_writer *w; int fails; };

#define THREADS 8
#define PER_THREAD 300

static void *appender(void *arg)
{
	struct chain *ch = arg;
	char buf[64];
	for (int i = 0; i < PER_THREAD; i++) {
		struct store_job job = {0};
		struct store_line l;
		pthread_mutex_lock(&ch->lock);
		l = mk("load", ch->next, "ballot", buf, sizeof buf);
		job.lines = &l;
		job.n = 1;
		if (store_writer_submit(ch->w, &job) == 0)
			ch->next++;
		pthread_mutex_unlock(&ch->lock);
		urna_err e;
		if (store_writer_wait(ch->w, job.ticket, &e) != 0)
			__atomic_add_fetch(&ch->fails, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void test_group_commit(void **state)
{
	(void)state;
	struct store *st = NULL;
	urna_err e = {0};
	struct chain ch = {.lock = PTHREAD_MUTEX_INITIALIZER};
	pthread_t t[THREADS];

	assert_int_equal(store_sqlite.open(&st, dbpath, &e), 0);
	ch.w = store_writer_start(&store_sqlite, st);
	assert_non_null(ch.w);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, appender, &ch);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	uint64_t commits, lines;
	store_writer_stats(ch.w, &commits, &lines);
	assert_int_equal(ch.fails, 0);
	assert_int_equal(lines, THREADS * PER_THREAD);
	assert_true(commits <= lines);
	print_message("group commit: %llu lines in %llu transactions\n",
	              (unsigned long long)lines, (unsigned long long)commits);

	/* A job that breaks the chain fails, and so does every later one. */
	char buf[64];
	struct store_line bad = mk("load", 99999, "ballot", buf, sizeof buf);
	assert_int_equal(store_writer_append(ch.w, &bad, 1, &e), -1);
	assert_int_equal(e.code, URNA_E_CHAIN);
	struct store_line ok = mk("load", THREADS * PER_THREAD, "ballot", buf, sizeof buf);
	assert_int_equal(store_writer_append(ch.w, &ok, 1, &e), -1);
	store_writer_free(ch.w);

	struct collect c = {0};
	assert_int_equal(store_sqlite.scan(st, "load", 0, 0, collect_fn, &c, &e), 0);
	assert_int_equal(c.n, THREADS * PER_THREAD);
	assert_false(c.bad);
	store_sqlite.close(st);
}

/* A failed commit with jobs queued behind it: a waiter returns only once
 * its own job is reported (its job may live on its stack), failed with
 * the first error. The store's append holds the first job until the others
 * are queued, then fails; a done callback slows the report of the second
 * batch, the waited job coming last in it. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	int started, go;
} gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static int gated_append(struct store *st, const struct store_line *lines, size_t n, urna_err *e)
{
	(void)st, (void)lines, (void)n;
	pthread_mutex_lock(&gate.lock);
	gate.started = 1;
	pthread_cond_broadcast(&gate.cv);
	while (!gate.go)
		pthread_cond_wait(&gate.cv, &gate.lock);
	pthread_mutex_unlock(&gate.lock);
	return err_set(e, URNA_E_IO, "disk full");
}

static void slow_done(struct store_job *job, int status)
{
	(void)job, (void)status;
	usleep(200 * 1000);
}

static void test_wait_after_failure(void **state)
{
	(void)state;
	static const struct store_ops gated = {.name = "gated", .append = gated_append};
	char buf[3][64];
	struct store_line l[3] = {mk("f", 0, "referendum", buf[0], 64), mk("f", 1, "ballot", buf[1], 64),
	                          mk("f", 2, "ballot", buf[2], 64)};
	struct store_job first = {.lines = &l[0], .n = 1}, slow = {.lines = &l[1], .n = 1, .done = slow_done};
	struct store_job mine = {.lines = &l[2], .n = 1};
	struct store_writer *w = store_writer_start(&gated, NULL);
	urna_err e = {0};

	assert_non_null(w);
	assert_int_equal(store_writer_submit(w, &first), 0);
	pthread_mutex_lock(&gate.lock);
	while (!gate.started)
		pthread_cond_wait(&gate.cv, &gate.lock);
	pthread_mutex_unlock(&gate.lock);
	assert_int_equal(store_writer_submit(w, &slow), 0);
	assert_int_equal(store_writer_submit(w, &mine), 0);
	pthread_mutex_lock(&gate.lock);
	gate.go = 1;
	pthread_cond_broadcast(&gate.cv);
	pthread_mutex_unlock(&gate.lock);

	assert_int_equal(store_writer_wait(w, mine.ticket, &e), -1);
	assert_int_equal(mine.status, -1); /* reported, not still queued */
	assert_int_equal(mine.err.code, URNA_E_IO);
	assert_string_equal(e.msg, "disk full");
	assert_int_equal(slow.status, -1);
	store_writer_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_append_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit, setup, teardown),
		cmocka_unit_test(test_wait_after_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
