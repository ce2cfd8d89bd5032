/* store.h: durable storage of boards behind one table of function pointers.
 *
 * A store keeps, per referendum, the board lines exactly as appended: seq,
 * line bytes and kind. Nothing else: every other figure (status, electorates,
 * trackers and their last-for-credential flags, the head) is derived from the
 * lines when the server starts.
 *
 * Each backend is one file (store_sqlite.c; store_pg.c later) exporting one
 * `const struct store_ops`; store_backends[] lists them. Nothing outside
 * src/store includes a database header.
 *
 * Threads: append is called by one thread at a time (the writer, writer.h);
 * scan and referendums may run concurrently with it and with each
 * other (WAL readers in the SQLite backend). */
#ifndef URNA_STORE_H
#define URNA_STORE_H
#include <stddef.h>
#include <stdint.h>
#include "record/error.h"

#define STORE_MAX_LINE (16u << 20) /* docs/protocol.md s.15 */

struct store; /* one open database, backend-specific */

/* One board line. Pointers are borrowed: the store copies what it keeps. */
struct store_line {
	const char *referendum; /* id, NUL-terminated */
	uint64_t seq;
	const char *kind;       /* "ballot", "region", ... */
	const char *line;       /* the line bytes, without newline */
	size_t len;
};

/* Called once per line, in seq order. Return 0 to go on, non-zero to stop
 * (scan then returns that value). The line is valid during the call only. */
typedef int (*store_line_fn)(void *arg, const struct store_line *l);
typedef int (*store_id_fn)(void *arg, const char *referendum);

struct store_ops {
	const char *name;
	/* 1 when one server process at a time may serve the database (the
	 * server then holds PATH.lock while it runs, urna serve's check). */
	int one_server;
	/* Opens (creating when missing) the database at path. Returns 0 and
	 * *st, or -1 with e set (io_error). */
	int (*open)(struct store **st, const char *path, urna_err *e);
	/* Closes and frees; NULL is a no-op. */
	void (*close)(struct store *st);
	/* Appends n lines, possibly of several referendums, in ONE transaction
	 * that is durable (fsynced) when 0 is returned. Each referendum's lines
	 * must continue its board: the first has seq = last stored + 1 (0 for a
	 * new board) and the rest follow without gaps; otherwise nothing is
	 * written and -1 is returned with chain_broken. io_error on failure. */
	int (*append)(struct store *st, const struct store_line *lines, size_t n, urna_err *e);
	/* Calls fn for the lines of referendum with from <= seq, at most limit of
	 * them (0: all), in seq order. Returns 0, fn's non-zero value, or -1
	 * with e set. Sees only committed lines. */
	int (*scan)(struct store *st, const char *referendum, uint64_t from, uint64_t limit,
	            store_line_fn fn, void *arg, urna_err *e);
	/* Calls fn for each referendum id with at least one line, sorted. */
	int (*referendums)(struct store *st, store_id_fn fn, void *arg, urna_err *e);
};

extern const struct store_ops store_sqlite;
/* Every backend, NULL-terminated; the first is the default. */
extern const struct store_ops *const store_backends[];

/* The backend for a database argument: "sqlite:PATH" or a bare PATH picks
 * SQLite; *path is set to the part the backend opens. NULL if unknown. */
const struct store_ops *store_backend_for(const char *arg, const char **path);

#endif
