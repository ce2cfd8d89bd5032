/* keygen.c: `urna keygen`: a role's identity key file (src/record/keyfile.c). */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "record/keyfile.h"

const char keygen_usage[] =
	"urna keygen --role organizer|authority|trustee|server --name NAME --out KEYFILE\n"
	"urna keygen --show KEYFILE\n"
	"\n"
	"Makes a role's Ed25519 identity key (protocol 2, docs/protocol.md s.17)\n"
	"in KEYFILE, mode 0600, never replacing a file; keep it yourself. Its\n"
	"public half goes to KEYFILE without .key, plus .pub: hand that file to\n"
	"the organizer, whose spec names it. Prints the public key and its\n"
	"fingerprint, which you read aloud or on paper to whoever checks that the\n"
	"spec and the pages name your key. --show prints them again from the file.\n";

static void show(const identity_key *id)
{
	char pk[URNA_B64_32], fp[URNA_FINGERPRINT_TEXT];
	b64url_encode(pk, id->pk, 32);
	key_fingerprint(fp, id->pk);
	printf("%s \"%s\"\n  public key:  %s\n  fingerprint: %s\n", role_name(id->role), id->name, pk, fp);
}

int cmd_keygen(int argc, char **argv)
{
	const char *role = NULL, *name = NULL, *out = NULL, *file = NULL;
	cli_opt opts[] = {{"role", 1, &role, NULL}, {"name", 1, &name, NULL}, {"out", 1, &out, NULL},
	                  {"show", 1, &file, NULL}, {NULL, 0, NULL, NULL}};
	if (cli_parse("keygen", argc, argv, opts, NULL, 0, NULL) != 0)
		return CLI_USAGE;
	if (!file == !(role || name || out) || (!file && (!role || !name || !out)))
		return cli_usage("keygen");
	int r = file ? 0 : role_parse(role);
	if (r < 0)
		return cli_usage_error("keygen", "--role is organizer, authority, trustee or server");
	urna_err e = {0};
	identity_key id;
	if (file ? identity_load(file, &id, &e) : identity_keygen(out, (urna_role)r, name, &id, &e))
		return cli_fail("keygen", &e);
	char pub[4096];
	if (!file && identity_pub_path(pub, sizeof pub, out) == 0)
		printf("key file %s (keep it secret), public key file %s (hand it to the organizer):\n", out, pub);
	show(&id);
	identity_wipe(&id);
	return CLI_OK;
}
