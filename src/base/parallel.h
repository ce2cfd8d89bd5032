/* parallel.h: running a few jobs side by side, the one way (the tally sum,
 * the synthetic record, the demo's trustees, the benchmarks' ballots). */
#ifndef URNA_PARALLEL_H
#define URNA_PARALLEL_H
#include <stddef.h>

#define PARALLEL_MAX 64

/* Runs fn on each of n jobs (at most PARALLEL_MAX, job_size bytes apart
 * from jobs): jobs 1..n-1 on threads of their own, job 0 on the calling
 * thread, and any job whose thread cannot start on the calling thread too.
 * Returns when every job is done; results go through the jobs. */
void parallel_run(void *(*fn)(void *), void *jobs, size_t job_size, int n);

#endif
