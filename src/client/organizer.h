/* organizer.h: the organizer's steps (docs/api.md "Entries"), each an
 * entry signed with the organizer's key file (signer.h): the creation (the
 * referendum entry, naming every role's key, and each region's entry), a
 * schedule change, the end of the key ceremony, the close (which asks the
 * server for the tallies) and the publish entry (for the results). */
#ifndef URNA_ORGANIZER_H
#define URNA_ORGANIZER_H
#include <stddef.h>
#include "client/client.h"

#define ORGANIZER_SPEC_MAX (4u << 20) /* a spec file as people indent it; the server takes its compact form up to 256 KiB */

/* Creates the referendum of the spec file spec_path (docs/api.md: its
 * roles are public key files, relative to the spec's folder, or
 * {"name","key"}; the server's is GET /api/server's when the spec names
 * none), signed with keyfile. id and *nregions say what was made; *made
 * (may be NULL) gets the server's answer (the referendum object, its
 * roles with their fingerprints). 0 or -1 (e). */
int organizer_create(const client_conn *c, const char *spec_path, const char *keyfile, char id[static 64],
                     size_t *nregions, json_t **made, urna_err *e);

/* A schedule change of referendum id: the times given (local, in its zone;
 * NULL keeps the one in force) and the reason (English, and Russian when
 * reason_ru is not NULL). *done: the change as posted, with its seq. */
int organizer_schedule(const client_conn *c, const char *keyfile, const char *id, const char *opens,
                       const char *closes, const char *announce, const char *reason, const char *reason_ru,
                       json_t **done, urna_err *e);

/* The key entry: computed from the trustees' entries on the board, which
 * the organizer verifies first (every proof of knowledge). *ans: the 201. */
int organizer_key(const client_conn *c, const char *keyfile, const char *id, json_t **ans, urna_err *e);

/* The close entry (the schedule's closes_at) and the publish entry (its
 * announce_at); the server answers with the tallies or the results. */
int organizer_close(const client_conn *c, const char *keyfile, const char *id, json_t **ans, urna_err *e);
int organizer_publish(const client_conn *c, const char *keyfile, const char *id, json_t **ans, urna_err *e);

#endif
