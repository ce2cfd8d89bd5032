/* commands.h: every `urna` subcommand. Each lives in src/cli/NAME.c, takes
 * the arguments after its name (argv[0] is the subcommand) and returns the
 * process exit code: 0 success, 1 verification or operation failed, 2 usage
 * or input error (see cli_exit in cli.h). */
#ifndef URNA_COMMANDS_H
#define URNA_COMMANDS_H

typedef int (*cmd_fn)(int argc, char **argv);
struct command {
	const char *name;
	cmd_fn run;
	const char *help;  /* its usage in one line */
	int own_help;      /* 1: the command answers --help with its full usage itself */
};
extern const struct command commands[]; /* terminated by a NULL name */

int cmd_serve(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_referendum(int argc, char **argv);
int cmd_credentials(int argc, char **argv);
int cmd_vote(int argc, char **argv);
int cmd_audit_ballot(int argc, char **argv);
int cmd_trustee(int argc, char **argv);
int cmd_tally(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_results(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_clock(int argc, char **argv);

#endif
