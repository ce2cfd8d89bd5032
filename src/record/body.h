/* body.h: typed parsing and building of every board entry body except the
 * ballot (ballot.h), as docs/protocol.md s.15 defines them. Parsers check
 * shape and encodings only (exact key sets, types, limits, points decode);
 * checks against earlier entries are the election's (election.h). Builders
 * return new JSON objects (canon_encode gives the body bytes). */
#ifndef URNA_BODY_H
#define URNA_BODY_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "crypto/proof.h"
#include "crypto/threshold.h"
#include "record/canon.h"
#include "record/error.h"
#include "record/rtime.h"

#define URNA_MAX_REGIONS 1024
#define URNA_MAX_CREDENTIALS_ENTRY 10000

/* A role named in the referendum entry: how people know it, and its
 * Ed25519 identity key (s.17). */
#define URNA_NAME_MAX 128
typedef struct {
	char name[URNA_NAME_MAX];
	uint8_t key[32];
} role_key;

/* referendum (seq 0), protocol 2: besides id, title, zone, schedule and
 * regions, every role and its key: the organizer, the server, trustees
 * 1..n (trustee i is members[i-1]; n is their number) with threshold t,
 * and the credential authorities, each for some regions, every region
 * exactly one's. regions, authorities and region_auth are malloc'd: free
 * with referendum_body_free. */
typedef struct {
	char id[URNA_ID_MAX];
	char timezone[64];
	rtime opens, closes, announce;
	char (*regions)[URNA_ID_MAX];
	size_t nregions;
	uint32_t n, t;
	role_key organizer, server;
	role_key trustees[URNA_MAX_TRUSTEES];
	role_key *authorities;
	size_t nauth;
	uint32_t *region_auth; /* per region: its authority, 1..nauth */
} referendum_body;
/* Checks everything above: exact keys, 1 <= t <= n <= 32, names of 1..127
 * bytes without control characters, keys valid Ed25519 points and all
 * distinct (one key, one role), authorities' regions listed and covering
 * every region once. */
int referendum_parse(referendum_body *r, const json_t *body, urna_err *e);
void referendum_body_free(referendum_body *r);
/* The body for id, title (a text, borrowed), times already converted,
 * regions (ids) and roles: {"authorities":[{"key","name","regions"}],
 * "organizer":{"key","name"},"server":{"key","name"},
 * "trustees":{"members":[{"key","name"}],"t"}} (borrowed). NULL with e set
 * when anything breaks the rules above. */
json_t *referendum_make(const char *id, json_t *title, const char *tz, const rtime *opens,
                        const rtime *closes, const rtime *announce, const char *const *regions,
                        size_t nregions, const json_t *roles, urna_err *e);
/* The key of the author by ("organizer", "trustee-2", ...), or NULL when
 * the referendum names no such role. */
const uint8_t *referendum_author_key(const referendum_body *r, const char *by);

/* region manifest: the shape of its questions (texts stay in the JSON), and
 * the referendum the region belongs to, h_R: every proof of the region's
 * ballots is bound to it (s.11), so a ballot checked against this manifest
 * is checked under this h_R (ballot_shape_ok). manifest_parse leaves h_R
 * zero; whoever knows the referendum sets it (the election from its seq-0
 * entry, an audit file's "referendum_hash", the booth from the board). */
typedef struct {
	char id[URNA_ID_MAX];
	uint32_t nq;
	uint32_t m[URNA_MAX_QUESTIONS];              /* choices of question q */
	uint32_t min[URNA_MAX_QUESTIONS], max[URNA_MAX_QUESTIONS];
	uint8_t h_R[32];
} manifest;
/* Checks {"id","name":TEXT,"questions":[{"text","choices":[TEXT..],"min","max"}]}:
 * 1..16 questions, 1..16 choices, min <= max <= m. */
int manifest_parse(manifest *m, const json_t *body, urna_err *e);
/* Question q is packed (docs/protocol.md s.6): max = 1 and at most two
 * choices, so its answer is one ciphertext of 0 (blank), 1 (choice 1) or M
 * (choice 2). Every other question has one ciphertext per choice. */
int manifest_packed(const manifest *m, uint32_t q);
/* Ciphertexts of question q (1 when packed, else its choices), and of a
 * whole ballot (also the entries of the region's tally and decryptions). */
uint32_t manifest_q_nct(const manifest *m, uint32_t q);
uint32_t manifest_nct(const manifest *m);
/* M, the packing base of a region of electorate e (s.6): the smallest power
 * of two above e; 0 (no packed ballot can be made or checked) unless 1 <=
 * e <= URNA_MAX_ELECTORATE. */
#define URNA_MAX_ELECTORATE 0xffffffffu
uint64_t packed_base(uint64_t electorate);
/* The allowed values of packed question q under base M, ascending: 0 when
 * min = 0 (blank), 1, and M when it has two choices. Returns their number
 * (1..URNA_MAX_PACKED). */
uint32_t packed_values(const manifest *m, uint32_t q, uint64_t M, uint64_t vals[URNA_MAX_PACKED]);

/* trustee messages. */
typedef enum { TMSG_COMMIT, TMSG_SHARES, TMSG_COMPLAINT, TMSG_KEY } tmsg_type;
typedef struct {
	uint32_t to;
	uint8_t nonce[URNA_BOX_NONCE];
	uint8_t box[URNA_SEALED_SHARE];
} tmsg_share;
typedef struct {
	tmsg_type type;
	uint32_t index;                 /* commit, shares: dealer i; complaint: complainer j */
	uint32_t against;               /* complaint: dealer i */
	uint32_t ncommit;               /* commit: t commitments */
	uint8_t C[URNA_MAX_TRUSTEES][32];
	urna_schnorr pok;
	uint8_t box_key[32];
	uint32_t nshares;
	tmsg_share shares[URNA_MAX_TRUSTEES];
	uint8_t share[32], shared_key[32];  /* complaint */
	uint8_t key[32];                    /* key: K */
	uint32_t nqual, qualified[URNA_MAX_TRUSTEES];
	uint32_t nvk;
	uint8_t vk[URNA_MAX_TRUSTEES][32];  /* X_1..X_n */
} tmsg;
int tmsg_parse(tmsg *m, const json_t *body, urna_err *e);
/* Commit of dealer i: C_k = a_k G, its box key, and the PoK of a_0 bound to
 * h_R, i, every C_k and the box key (s.11). */
json_t *tmsg_commit_make(const uint8_t h_R[static 32], uint32_t i, const urna_poly *f,
                         const uint8_t box_pk[static 32], urna_err *e);
/* Shares of dealer i for every j != i in 1..n, sealed from box_sk to pk[j-1]. */
json_t *tmsg_shares_make(uint32_t i, uint32_t n, const urna_poly *f, const uint8_t box_sk[static 32],
                         const uint8_t (*pk)[32], urna_err *e);
/* Complaint of j against i: the opened share and the pair's beforenm key. */
json_t *tmsg_complaint_make(uint32_t j, uint32_t i, const uint8_t share[static 32],
                            const uint8_t shared_key[static 32]);
/* Key entry body from K, qualified dealers and X_1..X_n. */
json_t *tmsg_key_make(const uint8_t K[static 32], const uint32_t *qualified, uint32_t nqual,
                      const uint8_t (*vk)[32], uint32_t n);

/* credentials: X list (1..10,000 non-identity points). X is malloc'd. */
typedef struct { uint8_t (*X)[32]; size_t n; } cred_body;
int cred_parse(cred_body *c, const json_t *body, urna_err *e);
void cred_body_free(cred_body *c);
json_t *cred_make(const uint8_t (*X)[32], size_t n);

/* electorate: a credential authority's statement that a region's lists
 * are complete: their number of credentials and the hash32 of each list's
 * body, in board order. */
#define URNA_MAX_LISTS 4096
typedef struct {
	uint64_t electorate;
	uint32_t nlists;
	uint8_t (*lists)[32]; /* malloc'd: free with electorate_body_free */
} electorate_body;
int electorate_parse(electorate_body *b, const json_t *body, urna_err *e);
void electorate_body_free(electorate_body *b);
json_t *electorate_make(uint64_t electorate, const uint8_t (*lists)[32], uint32_t nlists);

/* schedule, close and publish (publish names announce_at as close names
 * closes_at). */
typedef struct { rtime opens, closes, announce; } schedule_body;
int schedule_parse(schedule_body *s, const json_t *body, urna_err *e);
json_t *schedule_make(const rtime *opens, const rtime *closes, const rtime *announce, json_t *reason);
int close_parse(rtime *closes, const json_t *body, urna_err *e);
json_t *close_make(const rtime *closes);
int publish_parse(rtime *announce, const json_t *body, urna_err *e);
json_t *publish_make(const rtime *announce);

/* Ciphertexts/decryptions laid out [question][k] following a manifest: k
 * over the question's choices, or k = 0 alone for a packed question (its
 * one sum; m[q] = 1, manifest_q_nct). */
typedef struct {
	uint64_t cast, counted;
	uint32_t nq, m[URNA_MAX_QUESTIONS];
	urna_ct ct[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES];   /* (A, B) */
} tally_body;
int tally_parse(tally_body *t, const json_t *body, urna_err *e);
json_t *tally_make(const tally_body *t);

typedef struct {
	uint32_t trustee;
	uint32_t nq, m[URNA_MAX_QUESTIONS];
	uint8_t D[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES][32];
	urna_cp pf[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES];
} decryption_body;
int decryption_parse(decryption_body *d, const json_t *body, urna_err *e);
/* Trustee b->j's partial decryption of tally t with share x_j (b->X_j =
 * x_j G), every proof bound to b (h_R, h_E, K, j, X_j) and its ciphertext.
 * 0 with d filled (decryption_json gives the body) or -1 (e). */
int decryption_make(decryption_body *d, const urna_dec_bind *b, const tally_body *t,
                    const uint8_t x[static 32], urna_err *e);
json_t *decryption_json(const decryption_body *d);
/* Checks every proof of d against t under b, whose j must be d's trustee.
 * 0, or -1 (bad_proof; malformed when the shapes or trustees differ). */
int decryption_verify(const decryption_body *d, const urna_dec_bind *b, const tally_body *t, urna_err *e);

typedef struct {
	uint64_t cast, counted, electorate;
	uint32_t ntrustees, trustees[URNA_MAX_TRUSTEES];
	uint32_t nq, m[URNA_MAX_QUESTIONS];
	uint64_t counts[URNA_MAX_QUESTIONS][URNA_MAX_CHOICES];
	uint64_t blank[URNA_MAX_QUESTIONS];
} result_body;
int result_parse(result_body *r, const json_t *body, urna_err *e);
json_t *result_json(const result_body *r);
/* Combines the decryptions d[0..k) of tally t of a region with manifest m
 * (Lagrange at 0 when threshold < trustees; their plain sum when they are
 * equal), recovers every count up to t->counted (s.8: a choice's by BSGS; a
 * packed question's c1 + c2 M by dlog2.h, under M = packed_base(electorate)),
 * fills r (cast, counted, electorate, trustees ascending, counts per choice
 * of m; blank left to the caller). 0 or -1 (mismatch when a count is not
 * found, malformed when t does not have m's shape). The server's, to write
 * a result. */
int result_combine(result_body *r, const manifest *m, const tally_body *t, const decryption_body *const *d,
                   size_t k, uint32_t threshold, uint32_t trustees, uint64_t electorate, urna_err *e);
/* The verifier's: whether result r (its blank counts left to the caller)
 * is what result_combine would find, checked without a search: the same
 * combined plaintexts, each compared with the published counts' own, (c1 +
 * c2 M) G or c G, one fixed-base multiplication each. 0 or -1 (mismatch,
 * naming the question). */
int result_check(const result_body *r, const manifest *m, const tally_body *t, const decryption_body *const *d,
                 size_t k, uint32_t threshold, uint32_t trustees, uint64_t electorate, urna_err *e);

/* checkpoint: Ed25519 over H("checkpoint", referendum id, u32 seq, head). */
typedef struct { uint64_t seq; uint8_t head[32]; uint8_t sig[64]; } checkpoint_body;
int checkpoint_parse(checkpoint_body *c, const json_t *body, urna_err *e);
json_t *checkpoint_make(const char *referendum, uint64_t seq, const uint8_t head[static 32],
                        const uint8_t sk[static 64]);
/* 0 when the signature holds under pk, -1 (bad_signature) otherwise. */
int checkpoint_verify(const checkpoint_body *c, const char *referendum, const uint8_t pk[static 32],
                      urna_err *e);

#endif
