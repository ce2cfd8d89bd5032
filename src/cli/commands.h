/* commands.h: every `urna` subcommand. Each lives in src/cli/NAME.c, takes
 * the arguments after its name (argv[0] is the subcommand) and returns the
 * process exit code: 0 success, 1 verification or operation failed, 2 usage
 * or input error (see cli_exit in cli.h). Each file also holds its usage
 * text, next to the options it parses. */
#ifndef URNA_COMMANDS_H
#define URNA_COMMANDS_H

typedef int (*cmd_fn)(int argc, char **argv);
struct command {
	const char *name;
	cmd_fn run;
	const char *summary; /* one line for `urna help` */
	const char *usage;   /* `urna help NAME`, `urna NAME --help`, and after a parse error */
};
extern const struct command commands[]; /* main.c's table, terminated by a NULL name */

#define URNA_COMMAND(name) \
	int cmd_##name(int argc, char **argv); \
	extern const char name##_usage[]
URNA_COMMAND(serve);
URNA_COMMAND(verify);
URNA_COMMAND(export);
URNA_COMMAND(referendum);
URNA_COMMAND(credentials);
URNA_COMMAND(vote);
URNA_COMMAND(audit_ballot);
URNA_COMMAND(receipt);
URNA_COMMAND(trustee);
URNA_COMMAND(tally);
URNA_COMMAND(publish);
URNA_COMMAND(results);
URNA_COMMAND(demo);
URNA_COMMAND(bench);
URNA_COMMAND(clock);
URNA_COMMAND(keygen);
#undef URNA_COMMAND

#endif
