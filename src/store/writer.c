/* writer.c: group commit of board lines (writer.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "store/writer.h"

#define BATCH_LINES 8192
#define BATCH_BYTES (64u << 20)

struct store_writer {
	const struct store_ops *ops;
	struct store *st;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work;     /* queue not empty, or stopping */
	pthread_cond_t durable;  /* settled_ticket moved */
	struct store_job *head, *tail;
	uint64_t next_ticket;    /* last ticket handed out */
	uint64_t durable_ticket; /* every job <= this is committed */
	uint64_t settled_ticket; /* every job <= this was reported (committed or failed) */
	int stopping, failed, joined;
	urna_err fail_err;
	uint64_t commits, lines;
	struct store_line *buf;  /* flat copy of a batch's line descriptors */
	size_t bufcap;
};

/* Takes jobs off the queue while they fit one batch. Called locked. */
static struct store_job *take_batch(struct store_writer *w, size_t *nlines)
{
	struct store_job *first = w->head, *last = NULL;
	size_t n = 0, bytes = 0;

	for (struct store_job *j = w->head; j; j = j->next) {
		size_t jb = 0;
		for (size_t i = 0; i < j->n; i++)
			jb += j->lines[i].len;
		if (last && (n + j->n > BATCH_LINES || bytes + jb > BATCH_BYTES))
			break;
		n += j->n;
		bytes += jb;
		last = j;
	}
	w->head = last->next;
	if (!w->head)
		w->tail = NULL;
	last->next = NULL;
	*nlines = n;
	return first;
}

static int flatten(struct store_writer *w, struct store_job *jobs, size_t n, urna_err *e)
{
	size_t k = 0;

	if (array_grow(&w->buf, &w->bufcap, n, sizeof *w->buf, SIZE_MAX / sizeof *w->buf) != 0)
		return err_set(e, URNA_E_IO, "out of memory");
	for (struct store_job *j = jobs; j; j = j->next)
		for (size_t i = 0; i < j->n; i++)
			w->buf[k++] = j->lines[i];
	return 0;
}

static void finish(struct store_job *jobs, int status, const urna_err *e)
{
	struct store_job *next;

	for (struct store_job *j = jobs; j; j = next) {
		next = j->next; /* done may free j */
		j->status = status;
		if (status != 0)
			j->err = *e;
		if (j->done)
			j->done(j, status);
	}
}

static void *writer_main(void *arg)
{
	struct store_writer *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->work, &w->lock);
		if (!w->head)
			break; /* stopping and drained */
		size_t n = 0;
		struct store_job *jobs = take_batch(w, &n);
		uint64_t upto = jobs->ticket;
		for (struct store_job *j = jobs; j; j = j->next)
			upto = j->ticket;
		int failed = w->failed;
		urna_err e = w->fail_err;
		pthread_mutex_unlock(&w->lock);

		int status = -1;
		if (!failed && flatten(w, jobs, n, &e) == 0)
			status = w->ops->append(w->st, w->buf, n, &e);

		/* Report the jobs first: a job without a done callback belongs to
		 * a thread in store_writer_wait, whose stack frame must outlive
		 * this use of it, so waiters are released only afterwards. */
		finish(jobs, status, &e);
		pthread_mutex_lock(&w->lock);
		if (status == 0) {
			w->durable_ticket = upto;
			w->commits++;
			w->lines += n;
		} else if (!w->failed) {
			w->failed = 1;
			w->fail_err = e;
			fprintf(stderr, "urna: store: commit failed, refusing further appends: %s\n", e.msg);
		}
		w->settled_ticket = upto;
		pthread_cond_broadcast(&w->durable);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct store_writer *store_writer_start(const struct store_ops *ops, struct store *st)
{
	struct store_writer *w = calloc(1, sizeof *w);

	if (!w)
		return NULL;
	w->ops = ops;
	w->st = st;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->durable, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->work);
		pthread_cond_destroy(&w->durable);
		free(w);
		return NULL;
	}
	return w;
}

int store_writer_submit(struct store_writer *w, struct store_job *job)
{
	int rc = -1;

	pthread_mutex_lock(&w->lock);
	if (w->failed) {
		job->err = w->fail_err;
		goto out;
	}
	if (w->stopping) {
		err_set(&job->err, URNA_E_IO, "server is shutting down");
		goto out;
	}
	job->ticket = ++w->next_ticket;
	job->status = 1; /* pending */
	job->next = NULL;
	if (w->tail)
		w->tail->next = job;
	else
		w->head = job;
	w->tail = job;
	pthread_cond_signal(&w->work);
	rc = 0;
out:
	pthread_mutex_unlock(&w->lock);
	return rc;
}

int store_writer_wait(struct store_writer *w, uint64_t ticket, urna_err *e)
{
	int rc = 0;

	/* Not before the job is reported, even once an earlier one failed: the
	 * job may be the caller's (on its stack) and still queued. */
	pthread_mutex_lock(&w->lock);
	while (w->settled_ticket < ticket)
		pthread_cond_wait(&w->durable, &w->lock);
	if (w->durable_ticket < ticket) {
		if (e)
			*e = w->fail_err;
		rc = -1;
	}
	pthread_mutex_unlock(&w->lock);
	return rc;
}

int store_writer_append(struct store_writer *w, const struct store_line *lines, size_t n, urna_err *e)
{
	struct store_job job = {.lines = lines, .n = n};

	if (store_writer_submit(w, &job) != 0) {
		if (e)
			*e = job.err;
		return -1;
	}
	return store_writer_wait(w, job.ticket, e);
}

void store_writer_stats(struct store_writer *w, uint64_t *commits, uint64_t *lines)
{
	pthread_mutex_lock(&w->lock);
	*commits = w->commits;
	*lines = w->lines;
	pthread_mutex_unlock(&w->lock);
}

void store_writer_stop(struct store_writer *w)
{
	int join;

	pthread_mutex_lock(&w->lock);
	join = !w->joined;
	w->stopping = 1;
	w->joined = 1;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	if (join)
		pthread_join(w->thread, NULL);
}

void store_writer_free(struct store_writer *w)
{
	if (!w)
		return;
	store_writer_stop(w);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->durable);
	free(w->buf);
	free(w);
}
