/* demo.c: `urna demo`: two referendums end to end on a local server
 * (src/demo). This file picks the folder and says where things are. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "demo/demo.h"

const char demo_usage[] =
	"urna demo [--voters N] [--threads N] [--dir DIR] [--lang en|ru]\n"
	"\n"
	"Runs two referendums end to end on a real `urna serve` on 127.0.0.1\n"
	"(SQLite, test clock): five regions each, exact intended percentages,\n"
	"re-votes, refused ballots, a postponement, a 3-of-5 key ceremony with\n"
	"one trustee absent at decryption; exports and verifies both records.\n"
	"Exits 1 when any figure differs from the plan.\n"
	"\n"
	"  --voters N          credentials per region, 100..1000000 (default 2000)\n"
	"  --threads N         client threads casting ballots (default two a core)\n"
	"  --dir DIR           work and keep everything in DIR (an empty or new folder);\n"
	"                      without it, a temporary folder removed after a success\n"
	"  --lang en|ru        the language of the results tables\n";

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
	const char *voters = NULL, *dir = NULL, *threads = NULL;
	demo_opts o = {.voters = DEMO_DEFAULT_VOTERS, .lang = "en"};
	cli_opt opts[] = {{"voters", 1, &voters, NULL}, {"dir", 1, &dir, NULL}, {"threads", 1, &threads, NULL},
	                  {"lang", 1, &o.lang, NULL}, {NULL, 0, NULL, NULL}};
	unsigned long long v;
	if (cli_parse("demo", argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (strcmp(o.lang, "en") && strcmp(o.lang, "ru"))
		return cli_usage_error("demo", "--lang is en or ru");
	if (voters && cli_uint(voters, 100, 1000000, &v) != 0)
		return cli_usage_error("demo", "--voters must be 100..1000000 (voters per region)");
	o.voters = voters ? (uint32_t)v : o.voters;
	if (threads && cli_uint(threads, 1, 64, &v) != 0)
		return cli_usage_error("demo", "--threads must be 1..64");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	o.threads = threads ? (int)v : cpus > 1 ? 2 * (int)cpus : 2; /* latency hides behind a second thread a core */
	char tmp[] = "/tmp/urna-demo-XXXXXX", db[4200];
	struct stat st;
	if (dir) {
		snprintf(db, sizeof db, "%s/urna.db", dir);
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return cli_usage_error("demo", "cannot create %s: %s", dir, strerror(errno));
		if (stat(db, &st) == 0)
			return cli_usage_error("demo", "%s already holds a demo database; give an empty --dir", dir);
	} else if (!mkdtemp(tmp)) {
		return cli_usage_error("demo", "cannot create a temporary directory");
	}
	o.dir = dir ? dir : tmp;
	urna_err e = {0};
	int rc = demo_run(&o, &e) == 0 ? CLI_OK : CLI_FAIL;
	if (dir) {
		printf("records: %s/spring-2026/record and %s/july-2026/record\n", dir, dir);
		printf("After the demo the server can be started on that database to browse it:\n"
		       "    urna serve --db %s/urna.db --listen 127.0.0.1:8080 --admin-token-file %s/admin.token\n",
		       dir, dir);
	} else if (rc == CLI_OK) {
		rm_tree(tmp);
		printf("removed %s, and with it the paths printed above; to keep the records and browse the site\n"
		       "after the demo: urna demo --dir DIR (make demo DEMO_ARGS='--dir DIR')\n", tmp);
	} else {
		printf("kept %s for inspection (server.log, records)\n", tmp);
	}
	return rc;
}
