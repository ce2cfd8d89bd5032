/* cli.c: shared pieces of the client subcommands (cli.h). */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "record/canon.h"
#include "record/file.h"

/* The one table from error codes to exit codes. */
static const unsigned char exit_codes[URNA_E__COUNT] = {
	[URNA_OK] = CLI_OK,
	[URNA_E_MALFORMED] = CLI_USAGE,
	[URNA_E_NOT_CANONICAL] = CLI_USAGE,
	[URNA_E_TOO_LARGE] = CLI_USAGE,
	[URNA_E_BAD_ENCODING] = CLI_USAGE,
	[URNA_E_UNKNOWN] = CLI_USAGE,
	[URNA_E_CONFLICT] = CLI_FAIL,
	[URNA_E_NOT_ON_LIST] = CLI_FAIL,
	[URNA_E_NOT_OPEN] = CLI_FAIL,
	[URNA_E_CLOSED] = CLI_FAIL,
	[URNA_E_TOO_EARLY] = CLI_FAIL,
	[URNA_E_STATE] = CLI_FAIL,
	[URNA_E_BAD_PROOF] = CLI_FAIL,
	[URNA_E_BAD_SIGNATURE] = CLI_FAIL,
	[URNA_E_MISMATCH] = CLI_FAIL,
	[URNA_E_CHAIN] = CLI_FAIL,
	[URNA_E_AUTH] = CLI_USAGE,
	[URNA_E_RATE] = CLI_FAIL,
	[URNA_E_METHOD] = CLI_FAIL,
	[URNA_E_MEDIA] = CLI_FAIL,
	[URNA_E_IO] = CLI_FAIL,
};

int cli_exit(urna_code code)
{
	return (unsigned)code < URNA_E__COUNT ? exit_codes[code] : CLI_FAIL;
}

int cli_fail(const char *cmd, const urna_err *e)
{
	fprintf(stderr, "urna %s: %s\n", cmd, e->msg[0] ? e->msg : err_name(e->code));
	int rc = cli_exit(e->code);
	return rc ? rc : CLI_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "urna %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_USAGE;
}

int cli_parse(const char *cmd, int argc, char **argv, const cli_opt *opts,
              const char **pos, int max_pos, int *npos)
{
	int np = 0, only_pos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only_pos && !strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (!only_pos && a[0] == '-' && a[1] == '-' && a[2]) {
			const char *eq = strchr(a, '=');
			size_t nl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			const cli_opt *o = opts;
			for (; o && o->name; o++)
				if (strlen(o->name) == nl && !strncmp(o->name, a + 2, nl))
					break;
			if (!o || !o->name) {
				cli_usage_error(cmd, "unknown option '%s' (see urna help %.*s)", a, (int)strcspn(cmd, " "), cmd);
				return -1;
			}
			if (o->has_arg) {
				if (eq)
					*o->val = eq + 1;
				else if (i + 1 < argc)
					*o->val = argv[++i];
				else {
					cli_usage_error(cmd, "option --%s needs a value", o->name);
					return -1;
				}
			} else {
				if (eq) {
					cli_usage_error(cmd, "option --%s takes no value", o->name);
					return -1;
				}
				*o->flag = 1;
			}
			continue;
		}
		if (!only_pos && a[0] == '-' && a[1] && a[1] != '-') {
			cli_usage_error(cmd, "unknown option '%s'", a);
			return -1;
		}
		if (np >= max_pos) {
			cli_usage_error(cmd, "unexpected argument '%s'", a);
			return -1;
		}
		pos[np++] = a;
	}
	if (npos)
		*npos = np;
	return 0;
}

int cli_uint(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *out)
{
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int cli_write_file(const char *path, const void *data, size_t len, int mode, urna_err *e)
{
	size_t pl = strlen(path);
	char *tmp = malloc(pl + 16);
	if (!tmp)
		return err_set(e, URNA_E_IO, "out of memory");
	snprintf(tmp, pl + 16, "%s.tmp%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		err_set(e, URNA_E_IO, "cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	const char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err_set(e, URNA_E_IO, "cannot write %s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			free(tmp);
			return -1;
		}
		p += w;
		left -= (size_t)w;
	}
	if (fchmod(fd, (mode_t)mode) != 0 || fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		err_set(e, URNA_E_IO, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

election *cli_board_replay(const char *path, urna_err *e)
{
	size_t len;
	char *text = file_read(path, CLI_BOARD_MAX, &len, e);
	election *el = text ? election_new() : NULL;
	if (text && !el)
		err_set(e, URNA_E_IO, "out of memory");
	for (size_t off = 0; el && off < len;) {
		char *nl = memchr(text + off, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - text - off) : len - off;
		if (ll && election_apply(el, text + off, ll, APPLY_TRUSTED, e) != 0) {
			election_free(el);
			el = NULL;
		}
		off += ll + 1;
	}
	free(text);
	return el;
}

int cli_check_id(const char *what, const char *id, urna_err *e)
{
	if (!id || !canon_id_ok(id))
		return err_set(e, URNA_E_MALFORMED, "bad %s id '%s' (1 to 63 lower-case letters, digits, '-')", what,
		               id ? id : "");
	return 0;
}

int cli_conn_init(cli_conn *c, const char *server, const char *token_file, urna_err *e)
{
	memset(c, 0, sizeof *c);
	if (!server)
		server = getenv("URNA_SERVER");
	if (!server || !*server)
		server = HTTP_DEFAULT_SERVER;
	if (http_server_parse(&c->srv, server, e) != 0)
		return -1;
	if (!token_file)
		token_file = getenv("URNA_TOKEN_FILE");
	if (token_file && *token_file) {
		size_t n;
		char *t = file_read(token_file, sizeof c->token - 1, &n, e);
		if (!t) {
			e->code = URNA_E_AUTH;
			return -1;
		}
		char *s = t;
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		size_t l = strlen(s);
		while (l > 0 && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\n' || s[l - 1] == '\r'))
			l--;
		for (size_t i = 0; i < l; i++)
			if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e) {
				sodium_memzero(t, n);
				free(t);
				return err_set(e, URNA_E_AUTH, "token file %s holds characters not allowed in a token",
				               token_file);
			}
		if (l == 0) {
			sodium_memzero(t, n);
			free(t);
			return err_set(e, URNA_E_AUTH, "token file %s is empty", token_file);
		}
		memcpy(c->token, s, l);
		c->token[l] = 0;
		sodium_memzero(t, n);
		free(t);
	}
	return 0;
}

int cli_call_raw(const cli_conn *c, const char *method, const char *path, const void *body,
                 size_t len, http_resp *resp, int *status, const char *what, urna_err *e)
{
	http_req req = {.method = method, .path = path, .token = c->token[0] ? c->token : NULL,
	                .body = body, .body_len = len, .timeout_ms = c->timeout_ms};
	if (status)
		*status = 0;
	if (http_do(&c->srv, &req, resp, e) != 0) {
		char m[sizeof e->msg];
		memcpy(m, e->msg, sizeof m);
		m[sizeof m - 1] = 0;
		err_set(e, e->code, "%s: %.200s", what, m);
		return -1;
	}
	if (status)
		*status = resp->status;
	if (resp->status < 200 || resp->status >= 300) {
		http_error(resp, what, e);
		http_resp_free(resp);
		return -1;
	}
	return 0;
}

int cli_call(const cli_conn *c, const char *method, const char *path, json_t *body,
             json_t **out, int *status, const char *what, urna_err *e)
{
	char *txt = NULL;
	if (out)
		*out = NULL;
	if (body) {
		txt = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
		if (!txt)
			return err_set(e, URNA_E_IO, "%s: cannot encode the request", what);
	}
	http_resp r;
	int rc = cli_call_raw(c, method, path, txt, txt ? strlen(txt) : 0, &r, status, what, e);
	free(txt);
	if (rc != 0)
		return -1;
	if (out && r.len > 0) {
		json_error_t je;
		*out = json_loadb(r.body, r.len, 0, &je);
		if (!*out) {
			http_resp_free(&r);
			return err_set(e, URNA_E_IO, "%s: server answered with bad JSON: %s", what, je.text);
		}
	}
	http_resp_free(&r);
	return 0;
}
