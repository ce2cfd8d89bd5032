/* receipt.c (client): a board held to a signed ballot receipt (receipt.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "client/receipt.h"
#include "crypto/encoding.h"
#include "record/board.h"
#include "record/election.h"
#include "record/file.h"

int receipt_read(receipt *r, const char *path, urna_err *e)
{
	size_t len;
	char *text = file_read(path, URNA_RECEIPT_MAX, &len, e);
	memset(r, 0, sizeof *r);
	if (!text)
		return -1;
	int rc = receipt_parse(r, text, len, e);
	free(text);
	return rc;
}

int receipt_of_answer(receipt *r, const json_t *ans, const uint8_t tracker[static 32],
                      const uint8_t *server_key, urna_err *e)
{
	const json_t *o = json_object_get(ans, "receipt");
	json_int_t seq = json_integer_value(json_object_get(ans, "seq"));

	memset(r, 0, sizeof *r);
	if (!o)
		return err_set(e, URNA_E_MALFORMED, "the server's answer carries no receipt");
	if (receipt_from_json(r, o, e) != 0)
		return -1;
	if (memcmp(r->tracker, tracker, 32) || (json_int_t)r->seq != seq)
		return err_set(e, URNA_E_MISMATCH, "the server's receipt is for another ballot or entry than its answer");
	if (server_key && memcmp(r->server_key, server_key, 32))
		return err_set(e, URNA_E_MISMATCH, "the server's receipt is signed by another key than the referendum's "
		               "server_key");
	return receipt_verify(r, r->server_key, e);
}

static int verdict(receipt_report *out, receipt_verdict v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int verdict(receipt_report *out, receipt_verdict v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->why, sizeof out->why, fmt, ap);
	va_end(ap);
	out->verdict = v;
	return 0;
}

/* Replays b into el as far as it holds; out->fault_* say where it stops.
 * at_hash gets hash32 of line seq when the replay reached it (*at 1). */
static void replay(election *el, const board_view *b, uint64_t seq, uint8_t at_hash[static 32], int *at,
                   receipt_report *out)
{
	urna_err fe = {0};
	*at = 0;
	for (size_t i = 0; i < b->n; i++) {
		const board_line *l = &b->v[i];
		if (election_apply(el, l->line, l->line_len, APPLY_TRUSTED, &fe) != 0) {
			out->fault_seq = (int64_t)i;
			snprintf(out->fault, sizeof out->fault, "%s: %.200s", err_name(fe.code), fe.msg);
			return;
		}
		if (i == seq) {
			line_hash(at_hash, l->line, l->line_len);
			*at = 1;
		}
	}
}

int receipt_check_board(receipt_report *out, const receipt *r, const board_view *b, urna_err *e)
{
	election *el = election_new();
	const referendum_body *rb;
	uint8_t at_hash[32];
	char k1[URNA_B64_32], k2[URNA_B64_32];
	tracker_info ti;
	int at = 0, rc = -1;

	memset(out, 0, sizeof *out);
	out->fault_seq = out->found_seq = -1;
	out->last_for_credential = out->counted = -1;
	out->lines = b->n;
	if (!el)
		return err_set(e, URNA_E_IO, "out of memory");
	replay(el, b, r->seq, at_hash, &at, out);
	if (!(rb = election_referendum(el))) {
		err_set(e, URNA_E_MALFORMED, "the board has no referendum entry to check the receipt against%s%s",
		        out->fault_seq == 0 ? ": " : "", out->fault_seq == 0 ? out->fault : "");
		goto out;
	}
	rc = 0;
	snprintf(out->referendum, sizeof out->referendum, "%s", rb->id);
	memcpy(out->board_key, rb->server.key, 32);
	election_h_R(el, out->board_h_R);
	out->key_differs = memcmp(r->server_key, rb->server.key, 32) != 0;
	out->own_key_ok = receipt_verify(r, r->server_key, NULL) == 0;
	b64url_encode(k1, r->server_key, 32);
	b64url_encode(k2, rb->server.key, 32);

	/* Whose receipt: this referendum's, signed by its server. */
	if (strcmp(r->referendum, rb->id)) {
		verdict(out, RECEIPT_REFUSED, "this receipt is for referendum %s, and this board is referendum %s's",
		        r->referendum, rb->id);
		goto out;
	}
	if (receipt_verify(r, rb->server.key, NULL) != 0) {
		if (out->key_differs && out->own_key_ok)
			verdict(out, RECEIPT_REFUSED,
			        "it is signed by key %s, not by the server key of this board's referendum entry, %s: a "
			        "receipt made with another key, or a board whose first entry names another server",
			        k1, k2);
		else
			verdict(out, RECEIPT_REFUSED, "its signature does not verify under %s key %s: the receipt was altered "
			        "or forged", out->key_differs ? "this board's server" : "its own and the board's", k2);
		goto out;
	}
	if (memcmp(r->h_R, out->board_h_R, 32)) {
		verdict(out, RECEIPT_NOT_ON_BOARD,
		        "the server signed it for a referendum entry (seq 0) that is not this board's: the board was "
		        "rewritten from its first line");
		goto out;
	}

	/* Where the ballot is. */
	if (election_tracker(el, r->tracker, &ti) != 0) {
		if (out->fault_seq >= 0 && (uint64_t)out->fault_seq <= r->seq)
			verdict(out, RECEIPT_NOT_ON_BOARD,
			        "the board breaks at entry %lld, before entry %llu of the receipt (%s): the ballot is not on a "
			        "valid board",
			        (long long)out->fault_seq, (unsigned long long)r->seq, out->fault);
		else
			verdict(out, RECEIPT_NOT_ON_BOARD, "no ballot with this tracker is on the board (%llu entries; the "
			        "receipt says entry %llu)", (unsigned long long)out->lines, (unsigned long long)r->seq);
		goto out;
	}
	region_info ri;
	out->found_seq = (int64_t)ti.seq;
	if (election_region(el, ti.region, &ri) == 0)
		snprintf(out->region, sizeof out->region, "%s", ri.id);
	out->counted = out->fault_seq >= 0 ? -1 : ti.counted;
	out->last_for_credential = out->fault_seq >= 0 ? -1 : ti.last_for_credential;
	if (ti.seq != r->seq) {
		verdict(out, RECEIPT_NOT_ON_BOARD, "the ballot is entry %llu of this board, not entry %llu as the server "
		        "signed: entries before it were removed, added or moved",
		        (unsigned long long)ti.seq, (unsigned long long)r->seq);
		goto out;
	}
	if (!at || memcmp(at_hash, r->head, 32)) {
		verdict(out, RECEIPT_NOT_ON_BOARD, "the ballot is entry %llu, but the board up to it is not the one the "
		        "server signed (its hash is not the receipt's head): an earlier entry was changed",
		        (unsigned long long)r->seq);
		goto out;
	}
	verdict(out, RECEIPT_ON_BOARD, "the ballot is entry %llu of the board%s%s%s, and the board up to it is the one "
	        "the server signed", (unsigned long long)r->seq, out->region[0] ? " (region " : "", out->region,
	        out->region[0] ? ")" : "");
out:
	election_free(el);
	return rc;
}

int receipt_check_dir(receipt_report *out, const receipt *r, const char *dir, urna_err *e)
{
	char path[4096];
	size_t len;
	board_view b;
	memset(out, 0, sizeof *out);
	if ((size_t)snprintf(path, sizeof path, "%s/board.jsonl", dir) >= sizeof path)
		return err_set(e, URNA_E_MALFORMED, "record folder path too long");
	char *text = file_read(path, CLIENT_BOARD_MAX, &len, e);
	if (!text || board_parse(&b, text, len, e) != 0) /* board_parse owns text, even on failure */
		return -1;
	int rc = receipt_check_board(out, r, &b, e);
	board_free(&b);
	return rc;
}

int receipt_check_server(receipt_report *out, const receipt *r, const client_conn *c, urna_err *e)
{
	board_view b;
	memset(out, 0, sizeof *out);
	if (board_fetch(&b, c, r->referendum, e) != 0)
		return -1;
	int rc = receipt_check_board(out, r, &b, e);
	board_free(&b);
	return rc;
}
