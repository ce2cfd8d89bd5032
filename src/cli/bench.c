/* bench.c: `urna bench crypto|verify|intake|record` (src/bench). */
#include <stdio.h>
#include <string.h>
#include "bench/bench.h"
#include "bench/sample.h"
#include "cli/cli.h"
#include "cli/commands.h"

const char bench_usage[] =
	"urna bench crypto [--reps N] [--json]\n"
	"urna bench verify [--ballots N] [--json]\n"
	"urna bench intake [--clients N] [--seconds S] [--ballots N] [--crash] [--json]\n"
	"urna bench record [--regions N] [--voters N] [--ballots N] [--trustees N] [--threshold T]\n"
	"                  [--mixed] [--bad-dealer J] [--schedule-change] [--checkpoint] [--id ID]\n"
	"                  [--choose K]\n"
	"\n"
	"Measures speed on this machine and prints the figures with the machine.\n"
	"crypto: the crypto core on a yes/no ballot, medians of N runs (default 5).\n"
	"verify: the verifier on a generated record of N ballots (default 100000,\n"
	"cached under build/bench-records/). intake: ballots cast through a real\n"
	"server child by N clients (default 32) for S seconds (default 10); every\n"
	"ballot answered 201 must be on the board, after a SIGKILL too (--crash).\n"
	"record: writes a synthetic record's board.jsonl to stdout, every entry\n"
	"kind made with the real builders (for the verifier's tests): per region\n"
	"N voters (default 12) and N ballots (default as many), t of n trustees\n"
	"(default 2 of 3), region 2 with a blank and a second question (--mixed),\n"
	"dealer J dealing trustee 1 a bad share (--bad-dealer), every ballot for\n"
	"choice K (1 or 2) of the yes/no question (--choose).\n";

static int fail(const char *cmd, int rc, urna_err *e)
{
	return rc == 0 ? CLI_OK : cli_fail(cmd, e);
}

static int crypto(int argc, char **argv)
{
	const char *reps = NULL;
	int json = 0;
	unsigned long long n = 5;
	cli_opt opts[] = {{"json", 0, NULL, &json}, {"reps", 1, &reps, NULL}, {NULL, 0, NULL, NULL}};
	if (cli_parse("bench crypto", argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (reps && cli_uint(reps, 1, 1000, &n) != 0)
		return cli_usage_error("bench crypto", "--reps wants an integer in 1..1000");
	urna_err e = {0};
	return fail("bench crypto", bench_crypto((unsigned)n, json, &e), &e);
}

static int verify(int argc, char **argv)
{
	const char *nb = NULL;
	int json = 0;
	unsigned long long n = 100000;
	cli_opt opts[] = {{"ballots", 1, &nb, NULL}, {"json", 0, NULL, &json}, {NULL, 0, NULL, NULL}};
	if (cli_parse("bench verify", argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (nb && cli_uint(nb, 5, 100000000, &n) != 0)
		return cli_usage_error("bench verify", "--ballots wants 5..100000000");
	urna_err e = {0};
	return fail("bench verify", bench_verify(n, json, &e), &e);
}

static int intake(int argc, char **argv)
{
	const char *clients = "32", *seconds = "10", *ballots = NULL;
	bench_intake_opts o = {0};
	cli_opt opts[] = {
		{"clients", 1, &clients, NULL}, {"seconds", 1, &seconds, NULL}, {"ballots", 1, &ballots, NULL},
		{"json", 0, NULL, &o.json},     {"crash", 0, NULL, &o.crash},   {NULL, 0, NULL, NULL},
	};
	if (cli_parse("bench intake", argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (cli_uint(clients, 1, 1024, &o.clients) != 0 || cli_uint(seconds, 1, 3600, &o.seconds) != 0 ||
	    (ballots && cli_uint(ballots, 1, 10000000, &o.ballots) != 0))
		return cli_usage_error("bench intake", "--clients 1..1024, --seconds 1..3600, --ballots 1..10000000");
	urna_err e = {0};
	return fail("bench intake", bench_intake(&o, &e), &e);
}

static int record(int argc, char **argv)
{
	const char *id = "sample", *regions = "1", *voters = "12", *ballots = NULL, *n = "3", *t = "2", *bad = NULL;
	const char *choose = NULL;
	sample_spec s = {.threads = 2};
	cli_opt opts[] = {
		{"id", 1, &id, NULL},           {"regions", 1, &regions, NULL},     {"voters", 1, &voters, NULL},
		{"ballots", 1, &ballots, NULL}, {"trustees", 1, &n, NULL},          {"threshold", 1, &t, NULL},
		{"bad-dealer", 1, &bad, NULL},  {"mixed", 0, NULL, &s.mixed},       {"checkpoint", 0, NULL, &s.checkpoint},
		{"schedule-change", 0, NULL, &s.schedule_change},                   {"choose", 1, &choose, NULL},
		{NULL, 0, NULL, NULL},
	};
	unsigned long long r, v, b, nn, tt, bd = 0, ch = 0;
	if (cli_parse("bench record", argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (cli_uint(regions, 1, 20, &r) || cli_uint(voters, 1, 10000000, &v) ||
	    (ballots && cli_uint(ballots, 1, 100000000, &b)) || cli_uint(n, 1, URNA_MAX_TRUSTEES, &nn) ||
	    cli_uint(t, 1, nn, &tt) || (bad && cli_uint(bad, 2, nn, &bd)) || (choose && cli_uint(choose, 1, 2, &ch)))
		return cli_usage_error("bench record", "--regions 1..20, --voters and --ballots from 1, "
		                                       "--threshold 1..trustees, --bad-dealer 2..trustees, --choose 1..2");
	s.id = id;
	s.nregions = (uint32_t)r;
	s.voters = v;
	s.ballots = ballots ? b : v;
	s.n = (uint32_t)nn;
	s.t = (uint32_t)tt;
	s.bad_dealer = (int)bd;
	s.choose = (int)ch;
	urna_err e = {0};
	if (sample_record(&s, stdout, 0, &e) != 0 || fflush(stdout) != 0)
		return cli_fail("bench record", &e);
	return CLI_OK;
}

int cmd_bench(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} subs[] = {{"crypto", crypto}, {"verify", verify}, {"intake", intake}, {"record", record}};
	if (argc >= 2)
		for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
			if (!strcmp(argv[1], subs[i].name))
				return subs[i].run(argc - 1, argv + 1);
	return cli_usage("bench");
}
