/* verify.c: `urna bench verify --ballots N [--json]`: generates (once,
 * cached under build/bench-records/p2p-N/, p2p for protocol 2 with packed
 * answers and unsigned trackers: a record of another version, the first
 * protocol-2 code's p2-N among them, does not verify) a record of N yes/no
 * ballots over 5
 * regions with 3-of-5 trustees, made on both cores, then times the verifier
 * on it in-process (src/record/verifier.c, every check of `urna verify`). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "bench/bench.h"
#include "bench/sample.h"
#include "record/file.h"
#include "record/verifier.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int mkdirs(const char *path)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

/* bench_point_decode_us, the median of 5 (the floor's unit). */
static double decode_us(void)
{
	double runs[5];
	for (int r = 0; r < 5; r++)
		runs[r] = bench_point_decode_us();
	return bench_median(runs, 5);
}

int bench_verify(unsigned long long n, int as_json, urna_err *e)
{
	int rc = -1;
	char dir[512], path[600], tmp[640], cpu[256];
	char *text = NULL;
	size_t len = 0;
	election *el = NULL;
	double gen_s = 0, t0;

	n -= n % 5;
	snprintf(dir, sizeof dir, "build/bench-records/p2p-%llu", n);
	snprintf(path, sizeof path, "%s/board.jsonl", dir);
	if (access(path, R_OK) != 0) {
		sample_spec s = {.id = "bench", .nregions = 5, .voters = n / 5, .ballots = n / 5, .n = 5, .t = 3, .checkpoint = 1, .threads = 2};
		FILE *f;
		if (mkdirs(dir))
			return err_set(e, URNA_E_IO, "cannot create %s", dir);
		snprintf(tmp, sizeof tmp, "%s.tmp", path);
		if (!(f = fopen(tmp, "wb")))
			return err_set(e, URNA_E_IO, "cannot write %s", tmp);
		fprintf(stderr, "generating %llu ballots into %s (once)...\n", n, dir);
		t0 = now_s();
		int bad = sample_record(&s, f, isatty(2), e);
		if (fclose(f) || bad || rename(tmp, path)) {
			if (!bad)
				err_set(e, URNA_E_IO, "cannot write %s", path);
			unlink(tmp);
			return -1;
		}
		gen_s = now_s() - t0;
	}
	if (!(text = file_read(path, (size_t)64 << 30, &len, e)))
		return -1;
	long nproc = sysconf(_SC_NPROCESSORS_ONLN);
	verify_stats st;
	verify_opts vo = {.threads = nproc >= 2 ? (int)(nproc > 8 ? 8 : nproc) : 1, .stats = &st};
	t0 = now_s();
	int bad = verify_board(text, len, &vo, &el, e);
	double vs = now_s() - t0;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double rss_mib = (double)ru.ru_maxrss / 1024, dec_us = decode_us();
	int cores = nproc < vo.threads ? (int)nproc : vo.threads;
	/* the decodes alone, spread over the cores: no verifier of this format goes faster */
	double floor_s = (double)st.decodes * dec_us / 1e6 / cores;
	bench_cpu_model(cpu, sizeof cpu);
	if (bad) {
		char m[sizeof e->msg];
		snprintf(m, sizeof m, "%s", e->msg);
		err_set(e, e->code, "the record does not verify: entry %llu: %.200s", (unsigned long long)e->seq, m);
		goto out;
	}
	if (as_json)
		printf("{\"ballots\":%llu,\"board_bytes\":%zu,\"verify_s\":%.3f,\"per_ballot_us\":%.2f,\"generate_s\":%.1f,"
		       "\"threads\":%d,\"cpu\":\"%s\",\"nproc\":%ld,\"peak_rss_mib\":%.0f,"
		       "\"workers_s\":{\"parse\":%.3f,\"hash\":%.3f,\"decode\":%.3f,\"msm\":%.3f},"
		       "\"main_s\":{\"ceremony\":%.3f,\"apply\":%.3f,\"apply_other\":%.3f,\"wait\":%.3f},"
		       "\"decodes\":%llu,\"point_decode_us\":%.3f,\"decode_floor_s\":%.3f}\n",
		       n, len, vs, vs * 1e6 / (double)n, gen_s, vo.threads, cpu, nproc, rss_mib, st.parse_s, st.hash_s,
		       st.decode_s, st.msm_s, st.ceremony_s, st.apply_s, st.apply_other_s, st.wait_s,
		       (unsigned long long)st.decodes, dec_us, floor_s);
	else {
		printf("verifier on %s (%ld cpus), %d threads\n"
		       "  ballots                 %llu\n  board_bytes             %zu\n  verify_s                %.3f\n"
		       "  per_ballot_us           %.2f (wall)\n  peak_rss_mib            %.0f%s\n%s",
		       cpu, nproc, vo.threads, n, len, vs, vs * 1e6 / (double)n, rss_mib,
		       gen_s > 0 ? " (the generation's too)" : "", gen_s > 0 ? "" : "  (record from cache)\n");
		printf("  where the time goes (s; workers' summed over %d threads, the main thread's wall)\n"
		       "    parse                 %.3f\n    hash and scalars      %.3f\n    decode                %.3f\n"
		       "    msm                   %.3f\n    main: ceremony        %.3f\n    main: apply ballots   %.3f\n"
		       "    main: apply the rest  %.3f\n    main: wait            %.3f\n"
		       "  decodes                 %llu (x point_decode_us %.3f / %d cores = floor %.3f s)\n",
		       vo.threads, st.parse_s, st.hash_s, st.decode_s, st.msm_s, st.ceremony_s, st.apply_s, st.apply_other_s,
		       st.wait_s, (unsigned long long)st.decodes, dec_us, cores, floor_s);
	}
	if (gen_s > 0 && !as_json)
		printf("  generate_s              %.1f\n", gen_s);
	rc = 0;
out:
	election_free(el);
	free(text);
	return rc;
}
