/* bench.h: the benchmarks behind `urna bench` (src/cli/bench.c parses
 * their options), each measuring one part of Urna on this machine and
 * printing its figures with the machine they ran on. Each returns 0, or -1
 * with e set. */
#ifndef URNA_BENCH_H
#define URNA_BENCH_H
#include <stddef.h>
#include "record/error.h"

/* Crypto core (src/crypto): ballot encryption, verification one by one and
 * batched, MSM, tally additions, discrete log; medians of reps runs.
 * crypto.c. */
int bench_crypto(unsigned reps, int json, urna_err *e);

/* The verifier over a generated board of ballots yes/no ballots in 5
 * regions (generated once, cached under build/bench-records/). verify.c. */
int bench_verify(unsigned long long ballots, int json, urna_err *e);

/* Ballot intake through a real server child. intake.c. */
typedef struct {
	unsigned long long clients, seconds;
	unsigned long long ballots; /* prepared before the clock starts; 0: 4000 a second */
	int json;
	int crash; /* SIGKILL the server halfway, restart it, check every 201 */
} bench_intake_opts;
int bench_intake(const bench_intake_opts *o, urna_err *e);

/* The machine a figure was measured on: the CPU's model name from
 * /proc/cpuinfo ("unknown" when it cannot be read). Every bench prints it
 * with nproc next to its figures. crypto.c. */
void bench_cpu_model(char *out, size_t cap);

/* One ristretto255 decode (libdecaf, variable time) now, in microseconds:
 * 4000 of 64 random points. bench crypto's point_decode_us, and the unit
 * of bench verify's floor. crypto.c. */
double bench_point_decode_us(void);
/* The median of v[0..n) (sorts v). crypto.c. */
double bench_median(double *v, int n);

#endif
