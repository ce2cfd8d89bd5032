/* signer.h: a role posting its own signed entries (docs/protocol.md
 * s.15.1, docs/api.md "Entries"): its key file, the referendum entry read
 * off the board's first line (so the h_R it signs under is the board's,
 * not whatever a server says), where it stands in that entry ("trustee-2"),
 * and the number of its next entry. */
#ifndef URNA_SIGNER_H
#define URNA_SIGNER_H
#include <stdint.h>
#include <jansson.h>
#include "client/client.h"
#include "record/board.h"
#include "record/body.h"
#include "record/keyfile.h"

typedef struct {
	identity_key id;
	char ref[URNA_ID_MAX];
	char by[URNA_BY_MAX];   /* "organizer", "authority-1", "trustee-2" */
	uint32_t index;         /* authority K or trustee I; 0 otherwise */
	uint8_t h_R[32];
	uint32_t n;             /* the number of its next entry on the board */
	referendum_body rb;     /* the referendum entry */
} signer;

/* Loads keyfile (a key of role want), reads referendum ref's first line
 * and finds the key in it. 0 or -1 (e: mismatch when the referendum does
 * not name this key as a want, and says whose keys it names). */
int signer_open(signer *s, const client_conn *c, const char *ref, const char *keyfile, urna_role want, urna_err *e);
/* A signer for a referendum not yet on the board (the organizer's
 * creation): h_R is the referendum body's, n 0. */
int signer_open_new(signer *s, const char *keyfile, const char *body, size_t body_len, urna_err *e);
void signer_close(signer *s);

/* The request for (kind, region, body) signed as s's next entry (n), or
 * NULL (e). s->n advances. */
json_t *signer_entry(signer *s, rec_kind kind, const char *region, const json_t *body, urna_err *e);
/* Signs and posts one entry to /api/referendums/REF/entries. 0 (*out, may
 * be NULL: the 201's body) or -1 (e). */
int signer_post(signer *s, const client_conn *c, rec_kind kind, const char *region, const json_t *body, json_t **out,
                const char *what, urna_err *e);

#endif
