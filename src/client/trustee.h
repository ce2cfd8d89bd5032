/* trustee.h: the trustee tool's steps (docs/protocol.md s.4, s.8, s.15), as
 * `urna trustee` runs them and as the demo drives them. Each trustee works
 * from its own key file; every message goes through the server's board. */
#ifndef URNA_CLIENT_TRUSTEE_H
#define URNA_CLIENT_TRUSTEE_H
#include <stdint.h>
#include <stdio.h>
#include "client/client.h"

/* Writes a new key file for trustee index (X25519 box key pair), mode
 * 0600; refuses to overwrite. 0 or -1 (e). */
int trustee_keygen(const char *keyfile, uint32_t index, urna_err *e);

/* Runs trustee index's part of the key ceremony of referendum until its
 * final share is stored in keyfile: posts its commitments with a proof of
 * knowledge; when t < n and every commitment is on the board, its sealed
 * shares; when every dealer's shares are on the board, opens and checks its
 * own, posting a complaint against each bad one. With wait_key it then
 * waits for the key entry (the organizer's `urna referendum key`) and stores
 * x_j, checked against the board's X_j; without, it returns 1 once its
 * checks are done and the key entry is not there yet. Waits at most
 * timeout_s seconds for the other trustees. Progress goes to log (may be
 * NULL). bad_share_to (tests only, 0 otherwise) makes this dealer send a
 * wrong share to that trustee, who must complain. Returns 0 when the share
 * is stored, 1 as said, -1 on error (e). */
int trustee_dkg(const client_conn *c, const char *referendum, const char *keyfile, uint32_t index, int wait_key,
                int timeout_s, uint32_t bad_share_to, FILE *log, urna_err *e);

/* Trustee index's partial decryption of every tallied region it has not
 * decrypted yet: downloads the board, verifies all of it with the record
 * layer's verifier (every ballot's proofs, the chain, each tally entry
 * the sum of the counted ballots; verify_threads workers), then posts
 * D_j = x_j A with its proofs. Nothing is decrypted from a board
 * that fails. bad_proof (tests only) corrupts one proof so the server must
 * refuse it. 0 or -1 (e). */
int trustee_decrypt(const client_conn *c, const char *referendum, const char *keyfile, uint32_t index, int bad_proof,
                    int verify_threads, FILE *log, urna_err *e);

/* The referendum a trustee command is about when none is named: the one
 * the key file at keyfile was used for, else the only referendum on the
 * server. 0 (id copied to out) or -1 (e). */
int trustee_pick_referendum(char out[64], const client_conn *c, const char *keyfile, urna_err *e);

#endif
