/* writer.h: group commit. One writer thread owns a store's appends: request
 * threads queue jobs (lines already numbered and chained), the writer takes
 * everything queued, commits it in ONE durable transaction and then reports
 * each job. Under load many ballots share one fsync; alone, a job waits for
 * nothing but its own commit.
 *
 * Order: jobs are committed in the order they were submitted. Callers that
 * number lines (seq, prev) must submit them under the same lock that
 * numbered them, so queue order is chain order.
 *
 * Failure: if a transaction fails, its jobs and every later one fail with
 * that error and the writer refuses new jobs (the in-memory chain of the
 * caller is then ahead of the disk; restarting rebuilds it from the store).
 * Nothing that was reported committed is ever undone. */
#ifndef URNA_WRITER_H
#define URNA_WRITER_H
#include <stddef.h>
#include <stdint.h>
#include "store/store.h"

struct store_job {
	/* In: lines to append, borrowed until done is called. */
	const struct store_line *lines;
	size_t n;
	/* In, optional: called once by the writer thread when the job is
	 * committed (status 0) or failed (-1, err set). The writer does not
	 * touch the job afterwards, so done may free it. */
	void (*done)(struct store_job *job, int status);
	void *arg;
	/* Out. */
	uint64_t ticket;   /* set by submit; increases with each job */
	int status;
	urna_err err;
	struct store_job *next; /* private */
};

struct store_writer;

/* Starts the writer thread over an open store (not owned). NULL on failure. */
struct store_writer *store_writer_start(const struct store_ops *ops, struct store *st);

/* Queues job and sets job->ticket. Returns 0, or -1 (job->err set, done not
 * called) when the writer has failed or is stopping. */
int store_writer_submit(struct store_writer *w, struct store_job *job);

/* Blocks until the job with ticket (and every earlier one) is reported: 0
 * when durable, or -1 with e set if it failed. */
int store_writer_wait(struct store_writer *w, uint64_t ticket, urna_err *e);

/* Submit and wait: returns once lines[0..n) are durable (0) or failed (-1). */
int store_writer_append(struct store_writer *w, const struct store_line *lines, size_t n, urna_err *e);

/* Number of transactions and lines committed so far (for logs, benches). */
void store_writer_stats(struct store_writer *w, uint64_t *commits, uint64_t *lines);

/* Refuses new jobs (submit then fails), commits everything queued and joins
 * the thread. w stays valid until store_writer_free. */
void store_writer_stop(struct store_writer *w);
/* Stops w if needed and frees it. NULL is a no-op. */
void store_writer_free(struct store_writer *w);

#endif
