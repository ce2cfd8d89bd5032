/* entry.h: who wrote a board entry, and the author's signature over it
 * (docs/protocol.md s.15.1). Every line but a ballot names its author in
 * "by" and carries "sig", the author's Ed25519 signature over
 *   H("entry/2", h_R, kind, region, by, u32 n, hash32(body))
 * where n counts the author's earlier lines on the board (0 for its first):
 * a signed entry is valid in one referendum, at one place in its author's
 * sequence, once. The authors and their keys are the referendum entry's
 * (body.h, referendum_body). The same bytes travel as a request to the
 * server: {"body","by","kind","region"?,"sig"} (docs/api.md). */
#ifndef URNA_ENTRY_H
#define URNA_ENTRY_H
#include <stdint.h>
#include <jansson.h>
#include "record/board.h"
#include "record/error.h"
#include "record/identity.h"

/* "organizer", "server", "authority-K", "trustee-I" (K, I from 1) into by.
 * author_parse: 0 with *role and *index (0 for organizer and server), or
 * -1 when by names no role. */
void author_name(char by[static URNA_BY_MAX], urna_role role, uint32_t index);
int author_parse(const char *by, urna_role *role, uint32_t *index);

/* The 64 bytes an author signs. region: "" or NULL for kinds without one. */
void entry_msg(uint8_t out[static 64], const uint8_t h_R[static 32], rec_kind kind, const char *region,
               const char *by, uint32_t n, const char *body, size_t body_len);
/* Signs into s (s->by must be set) with the author's Ed25519 secret key. */
void entry_sign(rec_sig *s, const uint8_t h_R[static 32], rec_kind kind, const char *region, uint32_t n,
                const char *body, size_t body_len, const uint8_t sk[static 64]);
/* 0 when s->sig verifies under pk, -1 (bad_signature, naming the author
 * and n) otherwise. */
int entry_verify(const rec_sig *s, const uint8_t h_R[static 32], rec_kind kind, const char *region, uint32_t n,
                 const char *body, size_t body_len, const uint8_t pk[static 32], urna_err *e);

/* An entry as posted: its kind, region, author and signature, and its
 * body's canonical bytes (malloc'd). */
typedef struct {
	rec_kind kind;
	char region[URNA_ID_MAX];
	rec_sig by;
	char *body;
	size_t body_len;
} entry_req;
/* Reads {"body":OBJECT,"by","kind","region"?,"sig"}: exact keys, a known
 * kind, region exactly for region kinds. 0 or -1 (malformed, e). */
int entry_req_parse(entry_req *r, const json_t *j, urna_err *e);
void entry_req_free(entry_req *r);
/* The request object for a signed entry (body borrowed). NULL: out of memory. */
json_t *entry_req_json(rec_kind kind, const char *region, const rec_sig *by, const json_t *body);

#endif
