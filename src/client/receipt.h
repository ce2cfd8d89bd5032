/* receipt.h (client): `urna receipt check`: holds a board to a ballot
 * receipt the server signed (record/receipt.h, docs/protocol.md s.18).
 * The board comes from a record folder or a server and is read by the
 * record layer (client/board.h, then the election's replay: chain, order
 * and state, not the proofs, which are `urna verify`'s). Nothing here
 * prints. */
#ifndef URNA_CLIENT_RECEIPT_H
#define URNA_CLIENT_RECEIPT_H
#include <stdint.h>
#include "client/board.h"
#include "client/client.h"
#include "record/receipt.h"

typedef enum {
	RECEIPT_ON_BOARD = 0,     /* signed by the board's server; the ballot is its entry seq, the board as signed up to it */
	RECEIPT_NOT_ON_BOARD = 1, /* signed by the board's server, and the board disagrees: the receipt is the evidence */
	RECEIPT_REFUSED = 2,      /* not signed by the board's server key (forged or altered), or for another referendum */
} receipt_verdict;

typedef struct {
	receipt_verdict verdict;
	char why[384];            /* what was found, one sentence */
	/* the board */
	char referendum[URNA_ID_MAX];
	uint8_t board_key[32];    /* server_key of its referendum entry */
	uint8_t board_h_R[32];
	uint64_t lines;           /* lines on it */
	int key_differs;          /* the receipt names another server_key than the board's */
	int own_key_ok;           /* the signature holds under the receipt's own server_key */
	int64_t fault_seq;        /* the first line the board's replay refuses, -1 none */
	char fault[256];          /* why */
	/* the ballot, when its tracker is on the board */
	int64_t found_seq;        /* -1 when not */
	char region[URNA_ID_MAX];
	int last_for_credential;  /* 1, 0, -1 unknown (the board fails after it) */
	int counted;              /* -1 before the region's tally (or unknown), else 1 or 0 */
} receipt_report;

/* Reads and parses a receipt file (receipt_parse). 0 or -1 (e: io_error
 * when it cannot be read, else as receipt_parse). */
int receipt_read(receipt *r, const char *path, urna_err *e);

/* The receipt of a ballot intake answer ans (201 or 200: docs/api.md) for
 * the ballot with this tracker: present, well formed, for that tracker and
 * the answer's seq, signed by its server_key, and that key is server_key
 * (the referendum's, when not NULL). 0, or -1 with e set (malformed,
 * mismatch, bad_signature): the server's answer does not hold. */
int receipt_of_answer(receipt *r, const json_t *ans, const uint8_t tracker[static 32],
                      const uint8_t *server_key, urna_err *e);

/* Checks r against board b: the referendum, the signature under the
 * board's server key, h_R, then the tracker at r->seq with the board's
 * hash of that line equal to r->head, and whether it is its credential's
 * last ballot and counted. Fills out (every case is a verdict). -1 with e
 * set only when b has no referendum entry to check against. */
int receipt_check_board(receipt_report *out, const receipt *r, const board_view *b, urna_err *e);

/* The same against dir/board.jsonl (a record folder, `urna export`), or
 * the board of r->referendum on the server of c. -1 with e when the board
 * cannot be read (io_error, malformed, not_found). */
int receipt_check_dir(receipt_report *out, const receipt *r, const char *dir, urna_err *e);
int receipt_check_server(receipt_report *out, const receipt *r, const client_conn *c, urna_err *e);

#endif
