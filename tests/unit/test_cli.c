/* test_cli.c: the commands' shared parsing (src/cli/cli.c): options and
 * positional arguments, numbers, the exit code table, and the usage that a
 * parse error prints. Linked with cli.o alone, over this test's own table
 * of commands. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"

static int run_t(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

const struct command commands[] = {
	{"t", run_t, "a test command", "urna t [--alpha A] [--flag] P...\n"},
	{NULL, NULL, NULL, NULL},
};

static void test_parse(void **state)
{
	(void)state;
	const char *a = NULL, *pos[2] = {0};
	int f = 0, np = 0;
	cli_opt opts[] = {{"alpha", 1, &a, NULL}, {"flag", 0, NULL, &f}, {NULL, 0, NULL, NULL}};
	char *argv1[] = {"x", "--alpha", "1", "p", "--flag", "--", "--q", NULL};
	assert_int_equal(cli_parse("t", 7, argv1, opts, pos, 2, &np), 0);
	assert_string_equal(a, "1");
	assert_int_equal(f, 1);
	assert_int_equal(np, 2);
	assert_string_equal(pos[1], "--q");
	char *argv2[] = {"x", "--alpha=2", NULL};
	assert_int_equal(cli_parse("t", 2, argv2, opts, pos, 2, &np), 0);
	assert_string_equal(a, "2");
	char *bad1[] = {"x", "--nope", NULL}, *bad2[] = {"x", "--alpha", NULL}, *bad3[] = {"x", "a", "b", "c", NULL};
	char *bad4[] = {"x", "--flag=1", NULL}, *bad5[] = {"x", "-a", NULL};
	assert_int_equal(cli_parse("t", 2, bad1, opts, pos, 2, &np), -1);
	assert_int_equal(cli_parse("t", 2, bad2, opts, pos, 2, &np), -1);
	assert_int_equal(cli_parse("t", 4, bad3, opts, pos, 2, &np), -1);
	assert_int_equal(cli_parse("t", 2, bad4, opts, pos, 2, &np), -1);
	assert_int_equal(cli_parse("t", 2, bad5, opts, pos, 2, &np), -1);
	unsigned long long v;
	assert_int_equal(cli_uint("42", 1, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cli_uint("-1", 0, 100, &v), -1);
	assert_int_equal(cli_uint("101", 0, 100, &v), -1);
	assert_int_equal(cli_uint("4x", 0, 100, &v), -1);
	assert_int_equal(cli_uint("", 0, 100, &v), -1);
}

static void test_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(cli_exit(URNA_OK), 0);
	assert_int_equal(cli_exit(URNA_E_MALFORMED), 2);
	assert_int_equal(cli_exit(URNA_E_AUTH), 2);
	assert_int_equal(cli_exit(URNA_E_BAD_PROOF), 1);
	assert_int_equal(cli_exit(URNA_E_CLOSED), 1);
	assert_int_equal(cli_exit(URNA_E_IO), 1);
	for (int c = 1; c < URNA_E__COUNT; c++)
		assert_true(cli_exit((urna_code)c) == 1 || cli_exit((urna_code)c) == 2);
	assert_int_equal(cli_exit((urna_code)999), 1);
}

/* A parse error names the problem, then prints the command's usage. */
static void test_usage_on_error(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	assert_non_null(mem);
	FILE *saved = stderr;
	stderr = mem;
	int f = 0;
	cli_opt opts[] = {{"flag", 0, NULL, &f}, {NULL, 0, NULL, NULL}};
	char *bad[] = {"t", "--nope", NULL};
	int rc = cli_parse("t", 2, bad, opts, NULL, 0, NULL);
	int urc = cli_usage("t sub");
	stderr = saved;
	fclose(mem);
	assert_int_equal(rc, -1);
	assert_int_equal(urc, CLI_USAGE);
	assert_non_null(strstr(buf, "urna t: unknown option '--nope'\nusage: urna t [--alpha A]"));
	assert_non_null(strstr(strstr(buf, "usage:") + 1, "usage: urna t [--alpha A]")); /* cli_usage's */
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_usage_on_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
