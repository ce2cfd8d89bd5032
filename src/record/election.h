/* election.h: the referendum as its board says (docs/protocol.md s.7-s.10,
 * s.15). Lines are fed in order; each is checked against everything before
 * it (chain, order rules, ids, region membership, credentials, re-voting,
 * schedule rules, tally/decryption/result consistency) and the state kept.
 * Shared by the server (ballot intake, replay, queries), the CLI and
 * `urna verify`. Not thread-safe: callers serialise election_apply against
 * every other call on the same election (the server: its referendum lock). */
#ifndef URNA_ELECTION_H
#define URNA_ELECTION_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "record/ballot.h"
#include "record/board.h"
#include "record/body.h"
#include "record/error.h"
#include "record/tally_sum.h"

typedef struct election election;

typedef enum {
	APPLY_FULL,     /* check everything; a ballot is verified alone */
	APPLY_TRUSTED,  /* replay of one's own stored board: skip proofs and aggregates */
} apply_mode;

election *election_new(void);   /* NULL on allocation failure */
void election_free(election *el);

/* Applies the next line (bytes without newline). 0, or -1 with e set and
 * e->seq the line's position: chain_broken (seq or prev), malformed /
 * not_canonical / bad_encoding (shape), wrong_state (order rules), not_found
 * (unknown region), not_on_list, conflict (duplicate), bad_proof /
 * bad_signature, mismatch (a figure differs from the recomputed one). On
 * failure the election is unchanged (the line is not applied). */
int election_apply(election *el, const char *line, size_t len, apply_mode mode, urna_err *e);

/* What the caller already established about a ballot line (parsed,
 * canonical, shape checked, proofs verified or queued elsewhere: the
 * verifier's workers, the server's intake): applying it skips the parsing
 * and the proofs, not the state checks. line_hash is hash32 of the line. ct
 * has manifest_nct entries. */
typedef struct {
	uint8_t line_hash[32];
	uint8_t X[32], tracker[32];
	char referendum[URNA_ID_MAX], region[URNA_ID_MAX];
	const urna_ct *ct;
	uint32_t nct;
	int presummed;           /* ct is in the presum of region presum_region (election_add_presum) */
	uint32_t presum_region;
} ballot_facts;
int election_apply_facts(election *el, const char *line, size_t len, const ballot_facts *f, urna_err *e);

/* For `urna verify`: adds s, a sum its workers made of ballots of region i
 * they hold decoded (tally_sum.h), to the region's presum, so that its
 * tally decodes only the ballots where the presum and the counted ones
 * differ (re-votes, ballots applied otherwise). The presum is used only
 * when it holds exactly the ballots applied by facts presummed for region
 * i (their tags agree): a sum handed twice or not at all, a ballot not
 * applied, or one stored under another region leave it unused, and the
 * tally decodes every counted ballot as without one. 0, or -1 (no such
 * region, not its number of ciphertexts, out of memory): the presum is
 * then unused. */
int election_add_presum(election *el, size_t i, const tally_presum *s);

/* The state checks of a ballot b (ballot_parse'd) for region at time now,
 * the ones election_apply_facts makes again: not_found (referendum or
 * region), mismatch (b's region is not region), wrong_state (no election
 * key), closed / not_open (close entry, window s.10), not_on_list, conflict
 * (tracker on the board). The server asks this first, then checks shape and
 * proofs outside its lock (ballot.h, with h_E, the manifest and K copied
 * from election_region/election_key, which never change once set).
 * Read-only. */
int election_ballot_admissible(const election *el, const char *region, const ballot *b, int64_t now,
                               urna_err *e);

/* ---- queries ---- */

/* draft, scheduled, open, closed, tallied, published at now (docs/api.md). */
const char *election_status(const election *el, int64_t now);
/* Next seq (lines applied) and the head hash (hash32 of the last line, 32
 * zero bytes when empty). */
uint64_t election_next_seq(const election *el);
void election_head(const election *el, uint8_t head[static 32]);

/* The referendum entry (NULL before seq 0), its h_R, the election key (0
 * when the key entry is there, -1 otherwise), the verification key X_j. */
const referendum_body *election_referendum(const election *el);
const json_t *election_referendum_json(const election *el); /* its body */
void election_h_R(const election *el, uint8_t out[static 32]);
int election_key(const election *el, uint8_t K[static 32]);
int election_vkey(const election *el, uint32_t j, uint8_t X[static 32]);
int election_closed(const election *el); /* a close entry is on the board */
/* The schedule in force (the referendum entry's, or the last schedule
 * entry's); zeroed before seq 0. */
void election_schedule(const election *el, rtime *opens, rtime *closes, rtime *announce);
/* The latest schedule entry: its seq, time and reason (borrowed, may be
 * NULL). 0, or -1 when the schedule is the referendum entry's own. */
int election_schedule_change(const election *el, uint64_t *seq, int64_t *time, const json_t **reason);
/* Time of the last line applied (0 when empty): the next line's least time. */
int64_t election_last_time(const election *el);

/* Regions, in the referendum's order (only those whose manifest is on the
 * board are "present"). -1 when unknown. */
size_t election_nregions(const election *el);
int election_region_index(const election *el, const char *id);
typedef struct {
	const char *id;
	int present;                 /* its region entry is on the board */
	const manifest *m;
	const json_t *body;          /* the manifest JSON */
	const char *bytes;           /* the manifest bytes as on the board */
	size_t len;
	uint8_t h_E[32];
	uint64_t electorate, cast;   /* credentials listed, ballots on the board */
	int final;                   /* the authority's electorate entry is on the board */
	const tally_body *tally;     /* NULL before its tally entry */
	const result_body *result;   /* NULL before its result entry */
	uint32_t ndec;               /* decryptions on the board */
	int presum;                  /* its tally adds a presum (election_add_presum) */
} region_info;
int election_region(const election *el, size_t i, region_info *out);

/* Entries author by ("organizer", "trustee-2", ...) has on the board: the
 * n of its next signature (entry.h); -1 when the referendum names no such
 * role. */
int election_authored(const election *el, const char *by);
/* The organizer's publish entry is on the board. */
int election_published(const election *el);

/* Tracker lookup. counted: -1 before the region's tally, else 0/1. */
typedef struct {
	uint64_t seq;
	int64_t time;
	size_t region;
	int last_for_credential;
	int counted;
} tracker_info;
int election_tracker(const election *el, const uint8_t tracker[static 32], tracker_info *out);

/* ---- builders of entries computed from the state ---- */

/* The key entry body (from commits, shares and complaints on the board). */
int election_key_body(const election *el, json_t **body, urna_err *e);
/* Region i's tally over its counted ballots (threads: 1 or 2). */
int election_tally(const election *el, size_t region, tally_body *t, int threads, urna_err *e);
/* Region i's result entry body from its tally and its decryptions (the
 * first t of them by trustee index). */
int election_result_body(const election *el, size_t region, json_t **body, urna_err *e);

#endif
