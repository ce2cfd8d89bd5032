/* board.h: board lines (docs/protocol.md s.15). A line is exactly
 * {"seq":N,"prev":HASH,"time":T,"kind":KIND[,"region":ID][,"by":AUTHOR,"sig":SIG],"body":BODY}
 * and line k's prev is hash32 of line k-1's bytes; every line but a
 * ballot carries its author and the author's signature (entry.h). No I/O. */
#ifndef URNA_BOARD_H
#define URNA_BOARD_H
#include <stddef.h>
#include <stdint.h>
#include "record/canon.h"
#include "record/error.h"

typedef enum {
	KIND_REFERENDUM, KIND_REGION, KIND_TRUSTEE, KIND_CREDENTIALS, KIND_SCHEDULE,
	KIND_BALLOT, KIND_CLOSE, KIND_TALLY, KIND_DECRYPTION, KIND_RESULT,
	KIND_CHECKPOINT, KIND_ELECTORATE, KIND_PUBLISH, KIND__COUNT
} rec_kind;

/* Name of a kind ("ballot"); kind_from_name returns -1 for unknown names. */
const char *kind_name(rec_kind k);
int kind_from_name(const char *name);
/* 1 when lines of this kind carry "region" (region, credentials, ballot,
 * tally, decryption, result), 0 when they must not. */
int kind_has_region(rec_kind k);

/* A line's author ("organizer", "server", "authority-K", "trustee-I") and
 * its Ed25519 signature (entry.h says over what). */
#define URNA_BY_MAX 24
typedef struct {
	char by[URNA_BY_MAX];
	uint8_t sig[64];
} rec_sig;

/* One parsed line. body points into the line's bytes (not NUL-terminated). */
typedef struct {
	uint64_t seq;
	uint8_t prev[32];
	int64_t time;
	rec_kind kind;
	char region[URNA_ID_MAX]; /* "" when the kind has none */
	int signed_;              /* "by" and "sig" present (every kind but ballot) */
	rec_sig by;
	const char *body;
	size_t body_len;
} rec_line;

/* Parses line[0..len) (without its newline) strictly: exact key order and
 * layout, known kind, region present exactly for region kinds, "by" and
 * "sig" exactly for kinds other than ballot, prev base64url of 32 bytes,
 * len <= URNA_LINE_MAX. The body is checked only as
 * far as its position (the substring between "body": and the final '}');
 * parse it with canon_parse. 0, or -1 with e set (malformed / too_large). */
int line_parse(rec_line *l, const char *line, size_t len, urna_err *e);

/* Builds a line (no newline): malloc'd, NUL-terminated, length in *len.
 * region is NULL or "" for kinds without one; by is NULL for a ballot and
 * the author's signature for every other kind. body must be canonical (not
 * re-checked). NULL with e set on a too large line or allocation failure. */
char *line_make(size_t *len, uint64_t seq, const uint8_t prev[static 32], int64_t time,
                rec_kind kind, const char *region, const rec_sig *by, const char *body, size_t body_len,
                urna_err *e);

/* hash32 of a line's bytes: the next line's prev and the head. */
void line_hash(uint8_t out[static 32], const char *line, size_t len);

#endif
