/* board_stream.c: GET .../board and .../record/board.jsonl, the board as
 * ndjson, read from the store a page at a time as the client reads (only
 * committed lines: the store's scan sees no other). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "server/handlers.h"

#define PAGE 512 /* lines read from the store at a time */

struct board_stream {
	const struct store_ops *ops;
	struct store *st;
	char id[ID_MAX];
	uint64_t next, left;  /* left: lines still wanted, UINT64_MAX all */
	buf page;             /* the page being sent, each line with its \n */
	size_t off;           /* bytes of it sent */
	int done;
};

static int page_line(void *arg, const struct store_line *l)
{
	struct board_stream *b = arg;
	if (buf_reserve(&b->page, l->len + 1) != 0)
		return -1;
	buf_add(&b->page, l->line, l->len); /* room reserved: cannot fail */
	buf_addc(&b->page, '\n');
	b->next = l->seq + 1;
	if (b->left != UINT64_MAX)
		b->left--;
	return 0;
}

static long board_read(void *arg, uint64_t pos, char *out, size_t max)
{
	struct board_stream *b = arg;
	urna_err e;
	(void)pos;
	if (b->off == b->page.len) {
		b->off = 0;
		buf_reset(&b->page);
		if (b->done || b->left == 0)
			return 0;
		uint64_t want = b->left < PAGE ? b->left : PAGE, before = b->next;
		if (b->ops->scan(b->st, b->id, b->next, want, page_line, b, &e) != 0)
			return -1;
		if (b->next - before < want)
			b->done = 1;
		if (b->page.len == 0)
			return 0;
	}
	size_t n = b->page.len - b->off < max ? b->page.len - b->off : max;
	memcpy(out, b->page.p + b->off, n);
	b->off += n;
	return (long)n;
}

static void board_free(void *arg)
{
	struct board_stream *b = arg;
	if (b)
		buf_free(&b->page);
	free(b);
}

static int stream_board(struct request *rq, uint64_t from, uint64_t limit)
{
	struct referendum *r = find_ref(rq);
	struct board_stream *b;
	if (!r)
		return HANDLED;
	if (!(b = calloc(1, sizeof *b)))
		return reply_errf(rq, URNA_E_IO, "out of memory");
	b->ops = rq->srv->ops;
	b->st = rq->srv->st;
	snprintf(b->id, sizeof b->id, "%s", r->id);
	b->next = from;
	b->left = limit ? limit : UINT64_MAX;
	/* A page of the longest lines the store holds: never reached. */
	buf_init(&b->page, PAGE * ((size_t)STORE_MAX_LINE + 1));
	return reply_stream(rq, "application/x-ndjson", board_read, b, board_free);
}

static int query_uint(struct request *rq, const char *key, uint64_t *out)
{
	const char *s = request_arg(rq, key);
	char *end;
	*out = 0;
	if (!s)
		return 0;
	if (!*s || *s == '-' || (*out = strtoull(s, &end, 10), *end)) {
		reply_errf(rq, URNA_E_MALFORMED, "?%s must be a non-negative integer", key);
		return -1;
	}
	return 0;
}

int get_board(struct request *rq)
{
	uint64_t from, limit;
	if (query_uint(rq, "from", &from) || query_uint(rq, "limit", &limit))
		return HANDLED;
	return stream_board(rq, from, limit);
}

int get_record_board(struct request *rq)
{
	return stream_board(rq, 0, 0);
}
