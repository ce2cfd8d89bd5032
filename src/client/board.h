/* board.h: a board as the client tools read it: the lines of
 * GET /api/referendums/ID/board, each with its kind,
 * region, parsed body and the exact body bytes (docs/protocol.md s.15),
 * each line read by the record layer's line_parse. The chain is not checked
 * here (urna verify does). */
#ifndef URNA_BOARD_CLIENT_H
#define URNA_BOARD_CLIENT_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "client/client.h"
#include "record/board.h"

typedef struct {
	uint64_t seq;
	int64_t time;
	char kind[24];
	char region[64];  /* "" when not a region entry */
	char by[URNA_BY_MAX]; /* its author ("" for a ballot) */
	const char *line; /* the whole line inside the board's text (no newline, not NUL-ended) */
	size_t line_len;
	const char *body; /* body bytes inside the board's text (not NUL-ended) */
	size_t body_len;
	json_t *j;        /* parsed body (owned by the board); NULL for ballots */
} board_line;

typedef struct {
	char *text;       /* all lines, owned */
	size_t text_len;
	board_line *v;
	size_t n;
} board_view;

/* Downloads referendum's board (every line) and parses it. 0 or -1 (e). */
int board_fetch(board_view *b, const client_conn *c, const char *referendum, urna_err *e);
/* Parses text (takes ownership, malloc'd) of len bytes. 0 or -1 (e). */
int board_parse(board_view *b, char *text, size_t len, urna_err *e);
void board_free(board_view *b);

/* hash32 of a line's body bytes (h_R of the referendum, h_E of a region). */
void board_body_hash(uint8_t out[static 32], const board_line *l);
/* The region entry for id, or NULL. */
const board_line *board_region(const board_view *b, const char *id);

#endif
