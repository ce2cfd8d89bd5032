/* booth.h: the command-line booth. Fetches what a voter needs (h_R, the
 * manifest and h_E, the election key, the region's electorate), builds a
 * ballot (docs/protocol.md s.6, s.14) and either signs and casts it or,
 * unsigned, writes it into a Benaloh audit file (s.16; record/audit.h
 * checks them): both show the same tracker, the unsigned ballot's. Shared
 * by `urna vote` and `urna demo`. */
#ifndef URNA_BOOTH_H
#define URNA_BOOTH_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "client/client.h"
#include "crypto/proof.h"
#include "record/body.h"

/* What the booth needs about one region. */
typedef struct {
	char referendum[64], region[64];
	uint8_t h_R[32];    /* hash32 of the referendum entry's body (the board's seq 0) */
	char *manifest;     /* region entry body bytes, exactly (malloc'd) */
	size_t manifest_len;
	uint8_t h_E[32];    /* hash32(manifest) */
	uint8_t K[32];      /* election key */
	manifest rm;        /* the record layer's view of it: questions' shapes, and h_R */
	uint64_t electorate; /* the region's credentials (the status' figure): its packing base M (s.6) */
} booth_ctx;

/* A voter's selections: sel[q][k] is 1 when choice k (0-based) is chosen. */
typedef struct {
	uint32_t nq;
	uint8_t sel[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES];
} booth_answers;

/* Fills ctx for referendum/region from the server: h_R from the board's
 * first line (the referendum entry, its id checked), the manifest bytes (and
 * h_E), the election key (error wrong_state while there is none) and the
 * region's electorate from the referendum's status (credentials are only
 * added before the opening, so it is fixed while voting is open). 0 or -1
 * with e set. Release with booth_ctx_free. */
int booth_fetch(booth_ctx *ctx, const client_conn *c, const char *referendum, const char *region,
                urna_err *e);
void booth_ctx_free(booth_ctx *ctx);
/* Sets ctx's manifest from text (copied), h_E and rm (rm.h_R from ctx->h_R,
 * which is set first). 0 or -1 (e). */
int booth_ctx_set_manifest(booth_ctx *ctx, const char *text, size_t len, urna_err *e);

/* Parses "--choice"/"--answers" text against manifest m: "N" (one question,
 * 1-based choice, 0 = blank) or "1;2,3;" (per question, comma-separated
 * 1-based choices, empty = blank). Checks the question's min..max. */
int booth_answers_parse(booth_answers *a, const manifest *s, const char *text, urna_err *e);

/* Builds the canonical ballot for credential X: signed with x (X = xG) when
 * audit is NULL; else unsigned, and *audit receives the Benaloh audit
 * document (s.16: the unsigned ballot plus each ciphertext's value and
 * randomness; caller json_decref's), which cannot be cast. Returns 0 with
 * *ballot (malloc'd, NUL-terminated canonical JSON, length *len) and
 * tracker = hash32 of the unsigned ballot (the same signed or not). -1
 * with e set on bad answers. Both are made by the record layer's
 * ballot_make; secrets are wiped before returning. Thread-safe. */
int booth_build(char **ballot, size_t *len, uint8_t tracker[static 32], json_t **audit,
                const booth_ctx *ctx, const booth_answers *a, const uint8_t x[static 32],
                const uint8_t X[static 32], urna_err *e);

/* Casts ballot bytes. Returns 0 with the server's answer in *ans (tracker,
 * tracker_text, seq, head; caller json_decref's; may be NULL), or -1 with e
 * set from the server's refusal (*status = HTTP status, 0 if unreachable). */
int booth_cast(const client_conn *c, const booth_ctx *ctx, const char *ballot, size_t len,
               json_t **ans, int *status, urna_err *e);

#endif
