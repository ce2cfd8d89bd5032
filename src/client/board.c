/* board.c: the client tools' board reader (board.h). */
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "client/board.h"
#include "crypto/hash.h"
#include "record/board.h"

void board_free(board_view *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		json_decref(b->v[i].j);
	free(b->v);
	free(b->text);
	memset(b, 0, sizeof *b);
}

int board_parse(board_view *b, char *text, size_t len, urna_err *e)
{
	memset(b, 0, sizeof *b);
	b->text = text;
	b->text_len = len;
	size_t cap = 0;
	for (size_t off = 0; off < len;) {
		char *line = text + off;
		char *nl = memchr(line, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - line) : len - off;
		off += ll + 1;
		if (ll == 0)
			continue;
		if (array_grow(&b->v, &cap, b->n + 1, sizeof *b->v, SIZE_MAX / sizeof *b->v) != 0)
			goto oom;
		board_line *l = &b->v[b->n];
		rec_line rl;
		memset(l, 0, sizeof *l);
		if (line_parse(&rl, line, ll, NULL) != 0)
			return err_set(e, URNA_E_MALFORMED, "board line %zu is malformed", b->n), board_free(b), -1;
		l->seq = rl.seq;
		l->time = rl.time;
		l->line = line;
		l->line_len = ll;
		snprintf(l->kind, sizeof l->kind, "%s", kind_name(rl.kind));
		snprintf(l->region, sizeof l->region, "%s", rl.region);
		snprintf(l->by, sizeof l->by, "%s", rl.signed_ ? rl.by.by : "");
		l->body = rl.body;
		l->body_len = rl.body_len;
		/* Ballots are most of a board and the tools need only their bytes. */
		if (rl.kind != KIND_BALLOT && !(l->j = json_loadb(rl.body, rl.body_len, 0, NULL)))
			return err_set(e, URNA_E_MALFORMED, "board line %zu: the body is not JSON", b->n), board_free(b), -1;
		b->n++;
	}
	return 0;
oom:
	board_free(b);
	return err_set(e, URNA_E_IO, "out of memory reading the board");
}

int board_fetch(board_view *b, const client_conn *c, const char *referendum, urna_err *e)
{
	char path[160];
	http_resp r;
	memset(b, 0, sizeof *b);
	if (client_check_id("referendum", referendum, e) != 0)
		return -1;
	snprintf(path, sizeof path, "/api/referendums/%s/board", referendum);
	http_req req = {.method = "GET", .path = path, .max_body = CLIENT_BOARD_MAX, .timeout_ms = c->timeout_ms};
	if (http_do(&c->srv, &req, &r, e) != 0)
		return -1;
	if (r.status != 200) {
		http_error(&r, "get board", e);
		http_resp_free(&r);
		return -1;
	}
	return board_parse(b, r.body, r.len, e);
}

void board_body_hash(uint8_t out[static 32], const board_line *l)
{
	hash32(out, l->body, l->body_len);
}

const board_line *board_region(const board_view *b, const char *id)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->v[i].kind, "region") && !strcmp(json_string_value(json_object_get(b->v[i].j, "id")) ?
		                                                   json_string_value(json_object_get(b->v[i].j, "id")) : "", id))
			return &b->v[i];
	return NULL;
}
