/* export.c: a referendum's record folder (export.h).
 * board.jsonl is downloaded from the server (or, with `--db FILE`, read
 * straight from a database through the store interface); results.json and
 * results.csv are then written from that board by the record layer's writer
 * (record/results.h), the same code `urna verify` compares them with. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdio.h>
#include "client/export.h"
#include "record/election.h"
#include "record/results.h"
#include "store/store.h"

typedef struct {
	FILE *f;
} sink_file;

static int to_file(void *ctx, const char *data, size_t n)
{
	return fwrite(data, 1, n, ((sink_file *)ctx)->f) == n ? 0 : -1;
}

/* Downloads one record file into dir/name; optional files may be missing. */
static int fetch_one(const client_conn *c, const char *ref, const char *dir, const char *name, int optional, urna_err *e)
{
	char path[256], out[4096], tmp[4200];
	snprintf(path, sizeof path, "/api/referendums/%s/record/%s", ref, name);
	snprintf(out, sizeof out, "%s/%s", dir, name);
	snprintf(tmp, sizeof tmp, "%s.part", out);
	sink_file s = {fopen(tmp, "wb")};
	if (!s.f)
		return err_set(e, URNA_E_IO, "cannot create %s: %s", tmp, strerror(errno));
	http_req req = {.method = "GET", .path = path, .max_body = CLIENT_BOARD_MAX, .timeout_ms = c->timeout_ms,
	                .sink = to_file, .sink_ctx = &s};
	http_resp r;
	int rc = http_do(&c->srv, &req, &r, e);
	int closed = fclose(s.f);
	if (rc == 0 && r.status != 200) {
		if (optional && (r.status == 404 || r.status == 403)) {
			http_resp_free(&r);
			remove(tmp);
			return 1;
		}
		rc = http_error(&r, name, e);
	}
	http_resp_free(&r);
	if (rc == 0 && (closed != 0 || rename(tmp, out) != 0))
		rc = err_set(e, URNA_E_IO, "cannot write %s", out);
	if (rc != 0)
		remove(tmp);
	return rc;
}

/* Writes dir's results files from dir/board.jsonl, replayed: the chain,
 * order and figures of our own download, the proofs being `urna verify`'s
 * to check. 0 written, 1 no results on the board yet, -1 error (e). */
static int write_results(const char *dir, urna_err *e)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/board.jsonl", dir);
	election *el = client_board_replay(path, e);
	if (!el)
		return -1;
	int rc = 1;
	for (size_t i = 0; i < election_nregions(el); i++) {
		region_info ri;
		if (election_region(el, i, &ri) == 0 && ri.result) {
			rc = results_write(el, dir, e);
			break;
		}
	}
	election_free(el);
	return rc;
}

int export_from_server(const client_conn *c, const char *ref, const char *dir, int *have_results, urna_err *e)
{
	if (have_results)
		*have_results = 0;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return err_set(e, URNA_E_IO, "cannot create %s: %s", dir, strerror(errno));
	if (fetch_one(c, ref, dir, "board.jsonl", 0, e) != 0)
		return -1;
	int r = write_results(dir, e);
	if (r < 0)
		return -1;
	if (have_results)
		*have_results = r == 0;
	return 0;
}

static long ftell_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static int put_line(void *arg, const struct store_line *l)
{
	FILE *f = arg;
	return fwrite(l->line, 1, l->len, f) == l->len && fputc('\n', f) != EOF ? 0 : 1;
}

static int board_from_db(const char *db, const char *ref, const char *dir, urna_err *e)
{
	const char *path;
	const struct store_ops *ops = store_backend_for(db, &path);
	struct store *st = NULL;
	if (!ops)
		return err_set(e, URNA_E_MALFORMED, "unknown database '%s'", db);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return err_set(e, URNA_E_IO, "cannot create %s: %s", dir, strerror(errno));
	struct stat sb;
	if (stat(path, &sb) != 0)
		return err_set(e, URNA_E_IO, "no database at %s", path);
	if (ops->open(&st, path, e) != 0)
		return -1;
	char out[4096];
	snprintf(out, sizeof out, "%s/board.jsonl", dir);
	FILE *f = fopen(out, "wb");
	int rc = -1;
	if (!f) {
		err_set(e, URNA_E_IO, "cannot create %s: %s", out, strerror(errno));
		goto done;
	}
	rc = ops->scan(st, ref, 0, 0, put_line, f, e);
	if (rc > 0)
		rc = err_set(e, URNA_E_IO, "cannot write %s", out);
	if (fclose(f) != 0 && rc == 0)
		rc = err_set(e, URNA_E_IO, "cannot write %s", out);
	if (rc == 0 && ftell_size(out) == 0)
		rc = err_set(e, URNA_E_UNKNOWN, "no referendum %s in %s", ref, path);
done:
	ops->close(st);
	return rc;
}

int export_from_db(const char *db, const char *ref, const char *dir, int *have_results, urna_err *e)
{
	int r;
	if (client_check_id("referendum", ref, e) != 0 || board_from_db(db, ref, dir, e) != 0 ||
	    (r = write_results(dir, e)) < 0)
		return -1;
	if (have_results)
		*have_results = r == 0;
	return 0;
}
