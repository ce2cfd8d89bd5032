/* store_sqlite.c: the SQLite backend of store.h. One table, the board:
 * WAL journal with synchronous=FULL, so a commit is on disk when append
 * returns. One writer connection (append, called by one thread at a time)
 * and a small pool of reader connections for concurrent scans. The SQL is
 * kept to what PostgreSQL accepts as well (TEXT, BIGINT, $N parameters,
 * standard LIMIT), so store_pg.c can use the same statements. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "store/store.h"

#define READER_POOL 16

static const char SCHEMA[] =
	"CREATE TABLE IF NOT EXISTS board ("
	" referendum TEXT NOT NULL,"
	" seq BIGINT NOT NULL,"
	" kind TEXT NOT NULL,"
	" line TEXT NOT NULL,"
	" PRIMARY KEY (referendum, seq));";

static const char SQL_INSERT[] =
	"INSERT INTO board (referendum, seq, kind, line) VALUES ($1, $2, $3, $4)";
static const char SQL_LAST[] =
	"SELECT MAX(seq) FROM board WHERE referendum = $1";
static const char SQL_SCAN[] =
	"SELECT seq, kind, line FROM board"
	" WHERE referendum = $1 AND seq >= $2 ORDER BY seq LIMIT $3";
static const char SQL_IDS[] =
	"SELECT referendum FROM board WHERE seq = 0 ORDER BY referendum";

struct store {
	char *path;
	sqlite3 *w;               /* writer connection */
	sqlite3_stmt *ins, *last;
	pthread_mutex_t lock;     /* guards the reader pool */
	sqlite3 *readers[READER_POOL];
	int nreaders;
};

static int db_err(urna_err *e, sqlite3 *db, const char *what)
{
	return err_set(e, URNA_E_IO, "sqlite: %s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

static int open_conn(sqlite3 **out, const char *path, int writer, urna_err *e)
{
	sqlite3 *db = NULL;
	int rc = -1;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (writer ? SQLITE_OPEN_CREATE : 0);

	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		db_err(e, db, path);
		goto out;
	}
	sqlite3_busy_timeout(db, 10000);
	if (writer) {
		char *msg = NULL;
		if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, SCHEMA, NULL, NULL, &msg) != SQLITE_OK) {
			err_set(e, URNA_E_IO, "sqlite: %s: %s", path, msg ? msg : "setup failed");
			sqlite3_free(msg);
			goto out;
		}
	}
	rc = 0;
out:
	if (rc != 0) {
		sqlite3_close(db);
		db = NULL;
	}
	*out = db;
	return rc;
}

static void sq_close(struct store *st)
{
	if (!st)
		return;
	sqlite3_finalize(st->ins);
	sqlite3_finalize(st->last);
	sqlite3_close(st->w);
	for (int i = 0; i < st->nreaders; i++)
		sqlite3_close(st->readers[i]);
	pthread_mutex_destroy(&st->lock);
	free(st->path);
	free(st);
}

static int sq_open(struct store **out, const char *path, urna_err *e)
{
	struct store *st = calloc(1, sizeof *st);
	int rc = -1;

	*out = NULL;
	if (!st || !(st->path = strdup(path))) {
		err_set(e, URNA_E_IO, "out of memory");
		free(st);
		return -1;
	}
	pthread_mutex_init(&st->lock, NULL);
	if (open_conn(&st->w, path, 1, e) != 0)
		goto out;
	if (sqlite3_prepare_v2(st->w, SQL_INSERT, -1, &st->ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->w, SQL_LAST, -1, &st->last, NULL) != SQLITE_OK) {
		db_err(e, st->w, "prepare");
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		sq_close(st);
	else
		*out = st;
	return rc;
}

static int reader_get(struct store *st, sqlite3 **db, urna_err *e)
{
	pthread_mutex_lock(&st->lock);
	*db = st->nreaders > 0 ? st->readers[--st->nreaders] : NULL;
	pthread_mutex_unlock(&st->lock);
	return *db ? 0 : open_conn(db, st->path, 0, e);
}

static void reader_put(struct store *st, sqlite3 *db)
{
	pthread_mutex_lock(&st->lock);
	if (st->nreaders < READER_POOL) {
		st->readers[st->nreaders++] = db;
		db = NULL;
	}
	pthread_mutex_unlock(&st->lock);
	sqlite3_close(db);
}

/* Next seq expected for referendum (last stored + 1, 0 for none). */
static int next_seq(struct store *st, const char *ref, uint64_t *next, urna_err *e)
{
	int rc = -1;

	sqlite3_reset(st->last);
	sqlite3_bind_text(st->last, 1, ref, -1, SQLITE_STATIC);
	if (sqlite3_step(st->last) != SQLITE_ROW) {
		db_err(e, st->w, "last seq");
		goto out;
	}
	*next = sqlite3_column_type(st->last, 0) == SQLITE_NULL
	        ? 0 : (uint64_t)sqlite3_column_int64(st->last, 0) + 1;
	rc = 0;
out:
	sqlite3_reset(st->last);
	return rc;
}

struct expect { const char *ref; uint64_t next; };

static int sq_append(struct store *st, const struct store_line *lines, size_t n, urna_err *e)
{
	struct expect *exp = NULL;
	size_t nexp = 0;
	int rc = -1, began = 0;

	if (n == 0)
		return 0;
	if (!(exp = calloc(n, sizeof *exp))) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	if (sqlite3_exec(st->w, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		db_err(e, st->w, "begin");
		goto out;
	}
	began = 1;
	for (size_t i = 0; i < n; i++) {
		const struct store_line *l = &lines[i];
		struct expect *x = NULL;
		for (size_t k = 0; k < nexp && !x; k++)
			if (!strcmp(exp[k].ref, l->referendum))
				x = &exp[k];
		if (!x) {
			x = &exp[nexp++];
			x->ref = l->referendum;
			if (next_seq(st, l->referendum, &x->next, e) != 0)
				goto out;
		}
		if (l->seq != x->next || l->seq > INT64_MAX || l->len > STORE_MAX_LINE) {
			err_set_seq(e, URNA_E_CHAIN, l->seq, "%s: line %llu does not continue the board (next is %llu)",
			            l->referendum, (unsigned long long)l->seq, (unsigned long long)x->next);
			goto out;
		}
		x->next++;
		sqlite3_stmt *s = st->ins;
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, l->referendum, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)l->seq);
		sqlite3_bind_text(s, 3, l->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, l->line, (int)l->len, SQLITE_STATIC);
		int r = sqlite3_step(s);
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		if (r != SQLITE_DONE) {
			db_err(e, st->w, "insert");
			goto out;
		}
	}
	if (sqlite3_exec(st->w, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_err(e, st->w, "commit");
		goto out;
	}
	began = 0;
	rc = 0;
out:
	if (began)
		sqlite3_exec(st->w, "ROLLBACK", NULL, NULL, NULL);
	free(exp);
	return rc;
}

/* How a loop of sqlite3_step ended: the callback's stop value, else 0 when
 * every row was read, else -1 (e). */
static int steps_end(int stop, int r, sqlite3 *db, const char *what, urna_err *e)
{
	if (stop)
		return stop;
	return r == SQLITE_DONE ? 0 : db_err(e, db, what);
}

static int sq_scan(struct store *st, const char *ref, uint64_t from, uint64_t limit,
                   store_line_fn fn, void *arg, urna_err *e)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rc = -1, r, stop = 0;

	if (reader_get(st, &db, e) != 0)
		return -1;
	if (sqlite3_prepare_v2(db, SQL_SCAN, -1, &s, NULL) != SQLITE_OK) {
		db_err(e, db, "prepare scan");
		goto out;
	}
	if (from > INT64_MAX)
		from = INT64_MAX;
	sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)from);
	sqlite3_bind_int64(s, 3, limit == 0 || limit > INT64_MAX ? INT64_MAX : (sqlite3_int64)limit);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_line l = {
			.referendum = ref,
			.seq = (uint64_t)sqlite3_column_int64(s, 0),
			.kind = (const char *)sqlite3_column_text(s, 1),
			.line = (const char *)sqlite3_column_text(s, 2),
			.len = (size_t)sqlite3_column_bytes(s, 2),
		};
		if (!l.kind || !l.line) {
			db_err(e, db, "read");
			goto out;
		}
		if ((stop = fn(arg, &l)) != 0)
			break;
	}
	rc = steps_end(stop, r, db, "scan", e);
out:
	sqlite3_finalize(s);
	reader_put(st, db);
	return rc;
}

static int sq_referendums(struct store *st, store_id_fn fn, void *arg, urna_err *e)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rc = -1, r, stop = 0;

	if (reader_get(st, &db, e) != 0)
		return -1;
	if (sqlite3_prepare_v2(db, SQL_IDS, -1, &s, NULL) != SQLITE_OK) {
		db_err(e, db, "prepare ids");
		goto out;
	}
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(s, 0);
		if (id && (stop = fn(arg, id)) != 0)
			break;
	}
	rc = steps_end(stop, r, db, "list", e);
out:
	sqlite3_finalize(s);
	reader_put(st, db);
	return rc;
}

const struct store_ops store_sqlite = {
	.name = "sqlite",
	.one_server = 1, /* the board's next seq and state live in the server's memory */
	.open = sq_open,
	.close = sq_close,
	.append = sq_append,
	.scan = sq_scan,
	.referendums = sq_referendums,
};
