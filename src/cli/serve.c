/* serve.c: `urna serve`, the referendum server (src/server, docs/api.md). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "record/file.h"
#include "server/server.h"

const char serve_usage[] =
	"urna serve --db FILE [--key KEYFILE] [--organizer KEY[,KEY...]] [--listen ADDR:PORT]\n"
	"           [--web DIR] [--admin-token-file F]\n"
	"           [--test-clock [--clock-start UNIX]] [--rate N] [--burst N] [--threads N]\n"
	"           [--port-file F] [--checkpoint-every SECONDS] [--quiet | --log-requests]\n"
	"           [--tls-cert FILE --tls-key FILE]\n"
	"\n"
	"The referendum server: the API (docs/api.md), the board, the site. It\n"
	"stops on SIGINT or SIGTERM once queued commits are done.\n"
	"\n"
	"  --key         the server's identity key (urna keygen --role server), which signs\n"
	"                checkpoints, receipts, tallies and results; default FILE.key, made\n"
	"                on first start. GET /api/server shows it and its fingerprint\n"
	"  --organizer   the public keys of the organizers whose referendums it takes\n"
	"                (without one it hosts none); every other role is checked by\n"
	"                the referendum's own entry, not by the server\n"
	"  --admin-token-file F  the operator's bearer token, for POST /api/clock only\n"
	"  --listen      default 127.0.0.1:8080; port 0 picks a free port (see --port-file)\n"
	"  --web         the site's folder (default ./web, else the checkout's web/ this binary was built from)\n"
	"  --test-clock  the clock moves only by POST /api/clock (tests, demo)\n"
	"  --rate        requests a second per client address (default 5000, 0 = no limit)\n"
	"  --checkpoint-every  a signed checkpoint of each board that grew, this often\n"
	"                (default 5 seconds; 0 turns them off)\n"
	"  --tls-cert, --tls-key  serve HTTPS with this PEM certificate (chain) and key\n"
	"  a line per request goes to stderr when it is a file or pipe, not to a terminal\n"
	"  (--log-requests: always; --quiet: never)\n";

#ifndef URNA_WEB_DIR
#define URNA_WEB_DIR "" /* the Makefile names the checkout's web/ */
#endif

/* The site's folder: --web, else ./web, else URNA_WEB_DIR (the checkout
 * this binary was built from, so the README's steps work from any folder).
 * NULL when there is none. */
static const char *site_dir(const char *web)
{
	struct stat sb;
	if (web)
		return web;
	if (stat("web", &sb) == 0 && S_ISDIR(sb.st_mode))
		return "web";
	return *URNA_WEB_DIR && stat(URNA_WEB_DIR, &sb) == 0 && S_ISDIR(sb.st_mode) ? URNA_WEB_DIR : NULL;
}

/* Says loudly when the pages cannot work: no site, or a site whose npm
 * packages (libsodium, which the booth and the public pages load) are
 * missing, as after a clone without scripts/deps.sh site. */
static void site_check(const char *dir)
{
	char path[4200];
	struct stat sb;
	if (!dir) {
		fputs("urna serve: no site folder (no --web DIR, no ./web): only the API is served\n", stderr);
		return;
	}
	snprintf(path, sizeof path, "%s/node_modules/libsodium-wrappers-sumo/package.json", dir);
	if (stat(path, &sb) != 0)
		fprintf(stderr, "urna serve: WARNING: %s/node_modules is missing: the booth, tracker, board and audit pages\n"
		                "  cannot load libsodium and will say so; install the site's packages with scripts/deps.sh site\n"
		                "  (or npm ci in %s), no restart needed\n", dir, dir);
}

int cmd_serve(int argc, char **argv)
{
	const char *db = NULL, *listen = "127.0.0.1:8080", *token = NULL, *web = NULL, *rate = "5000",
	           *burst = NULL, *threads = NULL, *port_file = NULL, *clock_start = NULL, *every = "5",
	           *tls_cert = NULL, *tls_key = NULL, *key = NULL, *orgs = NULL;
	int test_clock = 0, quiet = 0, log_requests = 0, npos = 0;
	const char *pos[1];
	unsigned long long v;
	urna_err e = {0};
	sigset_t set;
	int sig, rc = CLI_USAGE;
	const cli_opt opts[] = {
		{"db", 1, &db, NULL}, {"listen", 1, &listen, NULL}, {"admin-token-file", 1, &token, NULL},
		{"web", 1, &web, NULL}, {"test-clock", 0, NULL, &test_clock}, {"clock-start", 1, &clock_start, NULL},
		{"rate", 1, &rate, NULL}, {"burst", 1, &burst, NULL}, {"threads", 1, &threads, NULL},
		{"port-file", 1, &port_file, NULL}, {"checkpoint-every", 1, &every, NULL}, {"quiet", 0, NULL, &quiet},
		{"log-requests", 0, NULL, &log_requests}, {"tls-cert", 1, &tls_cert, NULL}, {"tls-key", 1, &tls_key, NULL},
		{"key", 1, &key, NULL}, {"organizer", 1, &orgs, NULL}, {NULL, 0, NULL, NULL},
	};

	if (cli_parse("serve", argc, argv, opts, pos, 0, &npos) != 0)
		return CLI_USAGE;
	if (!db)
		return cli_usage_error("serve", "--db FILE is required");
	if (quiet && log_requests)
		return cli_usage_error("serve", "--quiet and --log-requests exclude each other");
	struct server_config cfg = {.db = db, .listen = listen, .token_file = token, .test_clock = test_clock,
	                            .quiet = quiet || (!log_requests && isatty(STDERR_FILENO)),
	                            .tls_cert = tls_cert, .tls_key = tls_key, .key_file = key};
	if (!tls_cert != !tls_key)
		return cli_usage_error("serve", "--tls-cert and --tls-key go together");
	if (cli_uint(rate, 0, 10000000, &v) != 0)
		return cli_usage_error("serve", "--rate: a number of requests a second expected");
	cfg.rate = (double)v;
	if (burst) {
		if (cli_uint(burst, 1, 10000000, &v) != 0)
			return cli_usage_error("serve", "--burst: a positive number expected");
		cfg.burst = (double)v;
	}
	if (threads) {
		if (cli_uint(threads, 1, 256, &v) != 0)
			return cli_usage_error("serve", "--threads: 1 to 256");
		cfg.threads = (unsigned)v;
	}
	if (clock_start) {
		if (!test_clock || cli_uint(clock_start, 1, 1ull << 40, &v) != 0)
			return cli_usage_error("serve", "--clock-start UNIX goes with --test-clock");
		cfg.clock_start = (int64_t)v;
	}
	/* Checkpoints are on by default (docs/protocol.md s.15): a board's
	 * head is signed at most a few seconds after it moved, at the cost of
	 * one line and one shared commit per board and period while it grows. */
	if (cli_uint(every, 0, 86400 * 7, &v) != 0)
		return cli_usage_error("serve", "--checkpoint-every SECONDS (0: none)");
	cfg.checkpoint_every = (unsigned)v;
	struct stat sb;
	if (web && (stat(web, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		return cli_usage_error("serve", "--web %s: no such folder", web);
	cfg.web_dir = site_dir(web);

	/* --organizer A,B,C: the keys, split in place (they are not secret). */
	char *olist = orgs ? strdup(orgs) : NULL;
	const char *okeys[64];
	size_t nk = 0;
	for (char *sv = NULL, *k = olist ? strtok_r(olist, ",", &sv) : NULL; k; k = strtok_r(NULL, ",", &sv)) {
		if (nk == sizeof okeys / sizeof *okeys) {
			free(olist);
			return cli_usage_error("serve", "--organizer: at most %zu keys", sizeof okeys / sizeof *okeys);
		}
		okeys[nk++] = k;
	}
	cfg.organizers = okeys;
	cfg.norganizers = nk;

	/* Signals are taken by this thread only: block them before any other
	 * thread starts, then wait for one. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct server *srv = server_start(&cfg, &e);
	free(olist);
	if (!srv)
		return cli_fail("serve", &e);
	char addr[300];
	snprintf(addr, sizeof addr, "%.*s:%u", (int)(strrchr(listen, ':') - listen), listen, server_port(srv));
	fprintf(stderr, "urna serve: listening on %s://%s (db %s%s)\n", tls_cert ? "https" : "http", addr, db, test_clock ? ", test clock" : "");
	if (cfg.web_dir)
		fprintf(stderr, "urna serve: the site from %s\n", cfg.web_dir);
	site_check(cfg.web_dir);
	if (port_file) {
		char num[16];
		int n = snprintf(num, sizeof num, "%u\n", server_port(srv));
		if (file_write(port_file, num, (size_t)n, 0644, &e) != 0) {
			rc = cli_fail("serve", &e);
			goto out;
		}
	}
	sigwait(&set, &sig);
	fprintf(stderr, "urna serve: %s, finishing queued commits\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	rc = CLI_OK;
out:
	server_stop(srv);
	return rc;
}
