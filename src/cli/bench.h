/* bench.h: `urna bench` subcommands, each measuring one part of Urna on this
 * machine. Each takes the arguments after "bench" (argv[0] is its own name)
 * and returns an exit code like every command (cli.h). */
#ifndef URNA_BENCH_H
#define URNA_BENCH_H

/* Crypto core (src/crypto): ballot encryption, verification one by one and
 * batched, MSM, tally additions, discrete log. bench.c. */
int bench_crypto(int argc, char **argv);
/* The verifier over a generated board. bench_verify.c. */
int bench_verify(int argc, char **argv);
/* Ballot intake through the server. bench_intake.c. */
int bench_intake(int argc, char **argv);

/* The machine a figure was measured on: the CPU's model name from
 * /proc/cpuinfo ("unknown" when it cannot be read). Every bench prints it
 * with nproc next to its figures. bench.c. */
void bench_cpu_model(char *out, size_t cap);

#endif
