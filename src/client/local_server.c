/* local_server.c: an `urna serve` child on 127.0.0.1 (local_server.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sodium.h>
#include "client/local_server.h"
#include "crypto/encoding.h"
#include "record/file.h"

static int make_token(const char *path, urna_err *e)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return 0;
	uint8_t r[24];
	char t[B64URL_LEN(24) + 2];
	randombytes_buf(r, sizeof r);
	b64url_encode(t, r, sizeof r);
	sodium_memzero(r, sizeof r);
	strcat(t, "\n");
	int rc = file_write(path, t, strlen(t), 0600, e);
	sodium_memzero(t, sizeof t);
	return rc;
}

/* The port the child wrote, 0 while there is none. */
static unsigned read_port(const char *path)
{
	urna_err ig;
	char *t = file_read(path, 16, NULL, &ig), *end = NULL;
	unsigned long p = t ? strtoul(t, &end, 10) : 0;
	if (!t || end == t || p > 65535)
		p = 0; /* not there yet (the server writes it whole, by rename) */
	free(t);
	return (unsigned)p;
}

int local_server_start(local_server *s, const char *dir, const char *organizer, int quiet, urna_err *e)
{
	char exe[4096], pf[4200];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	memset(s, 0, sizeof *s);
	if (n <= 0)
		return err_set(e, URNA_E_IO, "cannot find the urna binary (/proc/self/exe)");
	exe[n] = 0;
	if ((size_t)snprintf(s->db, sizeof s->db, "%s/urna.db", dir) >= sizeof s->db ||
	    (size_t)snprintf(pf, sizeof pf, "%s/port", dir) >= sizeof pf)
		return err_set(e, URNA_E_MALFORMED, "the folder's path is too long: %s", dir);
	snprintf(s->token_file, sizeof s->token_file, "%s/admin.token", dir);
	snprintf(s->log, sizeof s->log, "%s/server.log", dir);
	if (make_token(s->token_file, e) != 0)
		return -1;
	unlink(pf);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return err_set(e, URNA_E_IO, "fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		char *args[16] = {exe, "serve", "--db", s->db, "--listen", "127.0.0.1:0", "--port-file", pf,
		                  "--admin-token-file", s->token_file, "--test-clock"};
		int k = 11;
		if (organizer) {
			args[k++] = "--organizer";
			args[k++] = (char *)organizer;
		}
		if (quiet)
			args[k++] = "--quiet";
		args[k] = NULL;
		execv(exe, args);
		_exit(127);
	}
	s->pid = pid;
	for (int i = 0; i < 500; i++) { /* 10 s */
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			s->pid = 0;
			return err_set(e, URNA_E_IO, "the server stopped at start (see %s)", s->log);
		}
		unsigned p = read_port(pf);
		if (p) {
			s->port = (uint16_t)p;
			snprintf(s->url, sizeof s->url, "http://127.0.0.1:%u", p);
			if (client_conn_init(&s->admin, s->url, s->token_file, e) != 0 ||
			    client_conn_init(&s->pub, s->url, NULL, e) != 0)
				break;
			json_t *r = NULL;
			if (client_call(&s->pub, "GET", "/api/clock", NULL, &r, NULL, "ping", e) == 0) {
				json_decref(r);
				return 0;
			}
		}
		usleep(20000);
	}
	local_server_kill(s);
	return err_set(e, URNA_E_IO, "the server did not start within 10 s (see %s)", s->log);
}

static void stop(local_server *s, int sig, int patience_ms)
{
	if (s->pid <= 0)
		return;
	kill(s->pid, sig);
	for (int waited = 0; waited < patience_ms; waited += 20) {
		int st;
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			s->pid = 0;
			return;
		}
		usleep(20000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	s->pid = 0;
}

void local_server_stop(local_server *s)
{
	stop(s, SIGTERM, 5000);
}

void local_server_kill(local_server *s)
{
	stop(s, SIGKILL, 5000);
}

int local_server_set_clock(const local_server *s, int64_t t, urna_err *e)
{
	json_t *b = json_pack("{s:I}", "now", (json_int_t)t);
	int rc = b ? client_call(&s->admin, "POST", "/api/clock", b, NULL, NULL, "set the clock", e)
	           : err_set(e, URNA_E_IO, "out of memory");
	json_decref(b);
	return rc;
}
