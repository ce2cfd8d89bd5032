/* local_server.h: an `urna serve` child on 127.0.0.1, for the demo and the
 * benchmarks (the integration tests start theirs the same way from shell,
 * tests/integration/lib.sh). It listens on port 0, so the kernel picks a
 * free port and no other process can race for it, and writes the port to a
 * file that the parent waits for (--listen 127.0.0.1:0 --port-file F). */
#ifndef URNA_LOCAL_SERVER_H
#define URNA_LOCAL_SERVER_H
#include <stdint.h>
#include <sys/types.h>
#include "client/client.h"

typedef struct {
	pid_t pid;              /* 0 when not running */
	uint16_t port;
	char url[64];           /* http://127.0.0.1:PORT */
	char db[4096];          /* DIR/urna.db */
	char token_file[4096];  /* DIR/admin.token (made once, 0600): the test clock's */
	char log[4096];         /* DIR/server.log: the child's stdout and stderr */
	client_conn admin, pub; /* with and without the token */
} local_server;

/* Starts this very binary (/proc/self/exe) as `urna serve --db DIR/urna.db
 * --listen 127.0.0.1:0 --port-file DIR/port --admin-token-file
 * DIR/admin.token --test-clock`, plus --organizer ORGANIZER (a public key,
 * base64url; NULL: none) and --quiet when quiet, making the token
 * file first if it is missing. Returns once the port is known and the
 * server answers, within 10 s. A second start on the same DIR reopens the
 * same database (a restart after local_server_kill). 0 or -1 (e). */
int local_server_start(local_server *s, const char *dir, const char *organizer, int quiet, urna_err *e);

/* SIGTERM (the server finishes its queued commits), then SIGKILL after
 * 5 s. Safe to call when not running. */
void local_server_stop(local_server *s);

/* SIGKILL at once: a crash, for the tests of durability. */
void local_server_kill(local_server *s);

/* POST /api/clock: the test clock to t (Unix seconds). 0 or -1 (e). */
int local_server_set_clock(const local_server *s, int64_t t, urna_err *e);

#endif
