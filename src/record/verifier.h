/* verifier.h: `urna verify`'s engine (docs/protocol.md s.9). Replays a whole
 * board with every check of election.h; ballot proofs and signatures are
 * parsed and batch-verified on worker threads (a batch per at most
 * VERIFY_CHUNK lines, bisecting to name a bad ballot), while the main thread applies
 * the lines in order. The workers also sum, per region, the ciphertexts of
 * the ballots that passed, from the points the batch decoded; the tally
 * takes those sums (election_add_presum) instead of decoding every ballot
 * again. The first entry at fault is reported, exactly as a line-by-line
 * replay in APPLY_FULL mode would report it. */
#ifndef URNA_VERIFIER_H
#define URNA_VERIFIER_H
#include <stddef.h>
#include <stdint.h>
#include "record/election.h"
#include "record/error.h"

#define VERIFY_CHUNK 10000
#define VERIFY_BOARD_MAX ((size_t)64 << 30) /* the largest board read into memory */

/* Where the time goes (`urna bench verify --json`), in seconds. The
 * workers' phases are summed over the worker threads (CPU-bound, so about
 * their CPU time): parse (the line and the ballot's JSON, base64url, its
 * shape), hash (the line's hash, every Fiat-Shamir challenge and the
 * equations' scalars: the ballot's batch additions but its decodes), decode
 * (the ballot's points), msm (the batched equations). The main thread's
 * are wall time: ceremony (every line before the first ballot), apply (the
 * ballots' facts in order: the chain, the credential, the counted ballot),
 * apply_other (the lines after, the tally's threaded sums among them),
 * wait (for the workers). */
typedef struct {
	double parse_s, hash_s, decode_s, msm_s;
	double ceremony_s, apply_s, apply_other_s, wait_s;
	uint64_t ballots, decodes;
} verify_stats;

typedef struct {
	int threads;      /* worker threads (1..8; 2 on a 2-core machine) */
	int progress;     /* print progress to stderr */
	verify_stats *stats; /* NULL, or filled in (the workers' phases timed) */
} verify_opts;

/* Verifies the board text[0..len) (JSON Lines, each line ended by '\n').
 * Returns 0 with *out (the final state; caller election_free's) when every
 * check holds, or -1 with e set (e->has_seq and e->seq naming the first
 * line at fault, e->code and e->msg the reason) and *out NULL. */
int verify_board(const char *text, size_t len, const verify_opts *o, election **out, urna_err *e);

/* verify_board that gives up when *stop (read atomically; NULL: never)
 * becomes non-zero, for a caller that must not wait for a long board to
 * end (the server shutting down): checked before each line of the
 * ceremony and each batch of ballots; -1 with io_error when it gives up. */
int verify_board_until(const char *text, size_t len, const verify_opts *o, const int *stop, election **out,
                       urna_err *e);

/* The kind of line seq of text ("ballot"), "missing" past its end or
 * "unparseable": the entry at fault of a report. Static strings. */
const char *verify_kind_at(const char *text, size_t len, uint64_t seq);


#endif
