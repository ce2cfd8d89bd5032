/* trustee.h: the trustee tool's steps (docs/protocol.md s.4, s.8, s.15), as
 * `urna trustee` runs them and as the demo drives them. A trustee's key file
 * is its identity key (`urna keygen --role trustee`); its index I is where
 * that key stands in the referendum entry, and its X25519 box key is derived
 * from it (identity_box_keypair). Every message is an entry it signs as
 * "trustee-I" (client/signer.h).
 *
 * What a trustee keeps of one referendum is a state file beside its key
 * file, mode 0600: KEYFILE without ".key", then ".REFERENDUM.dkg"
 * ("t1.key" -> "t1.demo-2027.dkg"), so one identity key serves many
 * referendums. It holds the secret polynomial (saved before its commitment
 * is posted), later the share x_j with X_j and K, and, for each entry the
 * trustee posted, its kind, region and the hash32 of its body bytes:
 *   {"version":1,"referendum":ID,"referendum_hash":B64,"trustee":I,"n","t",
 *    "poly":[B64...]?,"share":B64?,"verification_key":B64?,"election_key":B64?,
 *    "posted":[{"kind","type"?,"region"?,"hash":B64}...],"pending":{...}?}
 * "pending" is the entry being posted (saved before the post, moved to
 * "posted" after it), so an entry whose answer was lost is still known as
 * this trustee's own when it is found on the board. */
#ifndef URNA_CLIENT_TRUSTEE_H
#define URNA_CLIENT_TRUSTEE_H
#include <stdint.h>
#include <stdio.h>
#include "client/client.h"

/* Runs the trustee of keyfile's part of referendum's key ceremony until its
 * share is stored in its state file: posts its commitments with a proof of
 * knowledge; when t < n and every commitment is on the board, its sealed
 * shares; when every dealer's shares are on the board, opens and checks its
 * own, posting a complaint against each bad one. With wait_key it then
 * waits for the key entry (the organizer's `urna referendum key`) and stores
 * x_j, checked against the board's X_j; without, it returns 1 once its
 * checks are done and the key entry is not there yet. Waits at most
 * timeout_s seconds for the other trustees. Stops (-1, e naming the entry's
 * seq) when the board holds an entry for its index that it did not post
 * (a commitment without its box key or its polynomial's commitments, a
 * shares entry not byte for byte its own, any other), when an entry it
 * posted is not on the board, and when the key entry leaves it out of
 * "qualified". Progress goes to log (may be NULL). bad_share_to (tests
 * only, 0 otherwise) makes this dealer send a wrong share to that trustee,
 * who must complain. Returns 0 when the share is stored, 1 as said, -1 on
 * error (e). */
int trustee_dkg(const client_conn *c, const char *referendum, const char *keyfile, int wait_key, int timeout_s,
                uint32_t bad_share_to, FILE *log, urna_err *e);

/* The trustee's partial decryption of every tallied region it has not
 * decrypted yet: downloads the board, verifies all of it with the record
 * layer's verifier (every signature and proof, the chain, each tally entry
 * the sum of the counted ballots; verify_threads workers), checks that the
 * entries signed as this trustee are its own, then posts for each region a
 * decryption entry {"questions","trustee"} (D_j = x_j A with its proofs).
 * Nothing is decrypted from a board that fails. bad_proof (tests only)
 * corrupts one proof so the server must refuse it. 0 or -1 (e). */
int trustee_decrypt(const client_conn *c, const char *referendum, const char *keyfile, int bad_proof,
                    int verify_threads, FILE *log, urna_err *e);

/* Checks the board and this trustee's own part of it, one line per check
 * to log (may be NULL), with the entries' seqs: the whole board verifies
 * (verify_threads workers); every entry signed as this trustee is one it
 * posted and every entry it posted is on the board (by hash32 of the body);
 * the key entry names it in "qualified"; its X_j there is its stored
 * verification key and x_j G; its decryptions on the board are its own
 * (D_j = x_j A). Reads, never writes, its state file. Returns 0 when every
 * check holds, 1 when one fails (e: the first failing check), -1 when it
 * cannot check (no state file, no board: e). */
int trustee_check(const client_conn *c, const char *referendum, const char *keyfile, int verify_threads, FILE *log,
                  urna_err *e);

/* The referendum a trustee command is about when none is named: the one a
 * state file of keyfile exists for, else the only referendum on the server.
 * 0 (id copied to out) or -1 (e: several state files, or several
 * referendums). */
int trustee_pick_referendum(char out[64], const client_conn *c, const char *keyfile, urna_err *e);

#endif
