/* sample.h: a complete synthetic referendum record (every entry kind, made
 * with the builders of src/record and src/crypto), for the verifier's tests
 * and `urna bench verify`. Not used by the server or the verifier. */
#ifndef URNA_SAMPLE_H
#define URNA_SAMPLE_H
#include <stdint.h>
#include <stdio.h>
#include "record/error.h"

typedef struct {
	const char *id;          /* referendum id */
	uint32_t nregions;       /* regions r1..rN, each one yes/no question */
	int mixed;               /* region 2 (if any): blank allowed and a second 3-choice question (max 2) */
	uint64_t voters;         /* credentials per region */
	uint64_t ballots;        /* ballots per region (voters vote in turn; beyond voters they re-vote) */
	uint32_t n, t;           /* trustees */
	int bad_dealer;          /* 0, or a dealer whose share to trustee 1 is wrong (complaint) */
	int schedule_change;     /* add a schedule extension after the opening */
	int checkpoint;          /* add a signed checkpoint at the end */
	int threads;             /* ballot generation threads (1 or 2) */
	int choose;              /* 0: the rule below; 1 or 2: every ballot takes that choice of question 1 */
} sample_spec;

/* Writes board.jsonl lines (each with its newline) to out, and stores the
 * server's Ed25519 public key in server_pk (may be NULL). Ballot i of voter
 * v (round = i / voters, w = v + round) selects on the yes/no question
 * nothing when it takes a blank vote (region 2 of --mixed) and w % 7 == 6,
 * else (w % 3 == 0) ? choice 2 : choice 1 (or always spec->choose); on the
 * second question of --mixed choice w % 3, and (w + 1) % 3 too when w is odd.
 * 0 or -1 (e). Progress on stderr when progress is non-zero. */
int sample_record(const sample_spec *s, FILE *out, int progress, urna_err *e);

#endif
