/* state.h: the server's view of each referendum, derived from its board and
 * nothing else (rebuilt line by line at startup), and the one way to append
 * to a board: number and chain the line under the referendum's lock, apply
 * it, queue it to the writer. Private to src/server.
 *
 * Stand-in: the parsing and checks of entry bodies here are the server's own
 * until src/record provides them (see the report of the server work); they
 * follow docs/protocol.md part 2. */
#ifndef URNA_STATE_H
#define URNA_STATE_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "crypto/proof.h"
#include "crypto/threshold.h"
#include "record/error.h"
#include "store/store.h"
#include "store/writer.h"

#define ID_MAX 64

struct utime {
	char local[24];   /* "2026-07-01T00:00" or with ":SS" */
	int64_t utc;
	int grace;        /* 60 when stated to the minute, 1 to the second */
};

/* Credential set of a region: open addressing on the 32-byte points. */
struct credset {
	uint8_t (*key)[32];
	uint64_t *last;   /* seq + 1 of the last ballot of the credential, 0: none */
	size_t cap, n;
};

struct region {
	char id[ID_MAX];
	char *manifest;           /* region entry body bytes */
	size_t manifest_len;
	uint8_t h_E[32];
	uint32_t nq, m[URNA_MAX_QUESTIONS], min[URNA_MAX_QUESTIONS], max[URNA_MAX_QUESTIONS];
	json_t *name;
	struct credset creds;
	uint64_t cast;            /* ballots on the board */
	int tallied, published;
	json_t *tally;            /* tally body once there */
	json_t *result;           /* result body once there */
	int have_dec[URNA_MAX_TRUSTEES + 1];
	json_t *dec[URNA_MAX_TRUSTEES + 1]; /* decryption bodies by trustee */
};

struct tracker {
	uint8_t t[32];
	uint64_t seq, ticket;     /* ticket: writer job holding the line */
	int64_t time;
	uint32_t region;
	uint8_t X[32];
};

struct referendum {
	char id[ID_MAX];
	pthread_mutex_t lock;
	/* chain */
	uint64_t next_seq;
	uint8_t head[32];
	uint64_t last_ticket;     /* writer ticket of the last line queued */
	int64_t last_time;        /* time of the last line: lines never go back */
	uint64_t durable_seq;     /* lines 0..durable_seq-1 are on disk */
	uint8_t durable_head[32];
	/* referendum entry */
	json_t *title;
	char timezone[64];
	struct utime opens, closes, announce;
	uint32_t n, t;
	uint8_t h_R[32];
	char server_key[48];
	struct region *regions;
	size_t nregions;
	/* trustees */
	int committed[URNA_MAX_TRUSTEES + 1], shared[URNA_MAX_TRUSTEES + 1], disq[URNA_MAX_TRUSTEES + 1];
	uint8_t C[URNA_MAX_TRUSTEES][URNA_MAX_TRUSTEES][32];
	uint8_t box_key[URNA_MAX_TRUSTEES + 1][32];
	json_t *shares[URNA_MAX_TRUSTEES + 1]; /* each dealer's shares body */
	int has_key;
	uint8_t K[32];
	uint8_t X[URNA_MAX_TRUSTEES + 1][32]; /* verification keys */
	int qualified[URNA_MAX_TRUSTEES + 1];
	/* lifecycle */
	int closed;               /* a close entry is on the board */
	int has_checkpoint;
	uint64_t checkpoint_line; /* seq of the last checkpoint entry */
	uint64_t ballots;
	/* trackers */
	struct tracker *trk;
	size_t trk_cap, trk_n;
};

struct registry {
	pthread_rwlock_t lock;    /* guards the array, not the referendums */
	struct referendum **refs;
	size_t n, cap;
	uint8_t server_pk[32];
};

/* Reads every board of the store, checks each chain and rebuilds the state.
 * NULL with e set (chain_broken naming the line) on failure. */
struct registry *registry_load(const struct store_ops *ops, struct store *st, urna_err *e);
void registry_free(struct registry *reg);
/* The referendum or NULL. The pointer stays valid until registry_free. */
struct referendum *registry_find(struct registry *reg, const char *id);

/* Status word at time now (docs/api.md): draft, scheduled, open, closed,
 * tallied, published. Call with r->lock held. */
const char *ref_status(const struct referendum *r, int64_t now);
/* Is voting open at now (s.10 window and no close entry)? Locked. */
int ref_voting_open(const struct referendum *r, int64_t now, urna_err *e);
struct region *ref_region(struct referendum *r, const char *id, uint32_t *index);

/* The time a line appended now would carry: the clock, but never before the
 * last line (a test clock may be moved back; s.15: time never decreases).
 * Decisions about an append use it. Locked. */
int64_t ref_time(const struct referendum *r, int64_t now);

/* Builds the board line for (kind, region, body) as the next line of r,
 * applies it to r's state and queues it to w. Call with r->lock held. On
 * success returns 0 with the job submitted (wait on job->ticket, or its
 * done callback) and *line (malloc'd, owned by the caller until the job is
 * done). ballot_X/tracker are set for ballots (already checked). */
int ref_append(struct referendum *r, struct store_writer *w, int64_t now, const char *kind,
               const char *region, const char *body, size_t body_len, const uint8_t *X,
               const uint8_t *trk, struct store_job *job, struct store_line *sl, char **line,
               urna_err *e);

/* Marks lines up to seq (with its line hash) durable. Locked. */
void ref_durable(struct referendum *r, uint64_t seq, const uint8_t hash[static 32]);

/* Tracker lookup (locked). NULL when absent. */
struct tracker *ref_tracker(struct referendum *r, const uint8_t t[static 32]);
/* Credential of a region: 1 and *last (seq+1 of its last ballot, 0 none). */
int credset_find(const struct credset *s, const uint8_t X[static 32], uint64_t *last);

/* Canonical JSON (s.13) of v: malloc'd, NUL-terminated, length in *len. */
char *canon_dump(const json_t *v, size_t *len);
/* JSON of a time: {"local","utc"}. */
json_t *utime_json(const struct utime *t);
/* Parses a local time string in zone tz (s.10). 0 or -1 (e set). */
int utime_parse(struct utime *t, const char *local, const char *tz, urna_err *e);

/* Checks the ballot bytes against r (shape, canonical form, every proof
 * and the signature); outside any lock. On success fills X (credential),
 * tracker and region index. Locks r->lock briefly to read the key and the
 * region. */
int ballot_check(struct referendum *r, const char *region, const char *bytes, size_t len,
                 uint8_t X[static 32], uint8_t tracker[static 32], uint32_t *ridx, urna_err *e);

/* Builds the referendum and region entry bodies from a creation request.
 * Returns 0 with *bodies (a JSON array of [kind, region|null, body] in board
 * order; caller decrefs) or -1 with e set. */
int referendum_plan(json_t *req, const uint8_t server_pk[static 32], json_t **bodies, urna_err *e);
/* Adds r (created from its first lines) to the registry. */
int registry_add(struct registry *reg, struct referendum *r, urna_err *e);
struct referendum *referendum_new(const char *id);
void referendum_free(struct referendum *r);

/* Checks a trustee entry body against r (locked). 0 or -1 (e set). */
int trustee_check(struct referendum *r, json_t *body, urna_err *e);
/* The key entry body from the trustee entries (locked). */
int key_build(struct referendum *r, json_t **body, urna_err *e);
/* Checks a decryption body (without "region") for region g (locked). */
int decryption_check(struct referendum *r, struct region *g, json_t *body, urna_err *e);
/* Tally bodies of every region, scanning the board (locked). */
int tally_build(struct referendum *r, const struct store_ops *ops, struct store *st,
                json_t **bodies, urna_err *e);
/* Result body of region g from its tally and t decryptions (locked). */
int result_build(struct referendum *r, struct region *g, json_t **body, urna_err *e);

#endif
