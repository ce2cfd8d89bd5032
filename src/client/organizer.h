/* organizer.h: the organizer's steps (docs/api.md, admin part): a
 * referendum created from a spec file, its schedule changed with a reason.
 * `urna referendum` runs them; ending the key ceremony, the tally and the
 * publication are one client_post each. */
#ifndef URNA_ORGANIZER_H
#define URNA_ORGANIZER_H
#include <stddef.h>
#include "client/client.h"

#define ORGANIZER_SPEC_MAX (4u << 20) /* a spec file as people indent it; the server takes its compact form up to 256 KiB */

/* Creates the referendum of the spec file spec_path (its "id" and
 * "regions" checked here, the rest by the server). *id gets its id,
 * *nregions its number of regions. 0 or -1 (e: malformed for a bad file,
 * else the server's refusal). */
int organizer_create(const client_conn *c, const char *spec_path, char id[static 64], size_t *nregions, urna_err *e);

/* A schedule change of referendum id: the times given (local, in its zone;
 * NULL: unchanged, restated as they are so the entry is complete) and the
 * reason, in English and optionally Russian. On success *done holds the
 * entry as sent plus "seq" (its place on the board) and "timezone" (caller
 * json_decref's). 0 or -1 (e). */
int organizer_schedule(const client_conn *c, const char *id, const char *opens, const char *closes,
                       const char *announce, const char *reason, const char *reason_ru, json_t **done, urna_err *e);

#endif
