/* receipt.h: the server's signed receipt of a ballot (docs/protocol.md
 * s.18). The ballot intake's answer carries one for every ballot durably on
 * the board; `urna vote` and the booth keep it; `urna receipt check`
 * (client/receipt.h) holds a board to it. Shared by the server (it signs)
 * and the client (it checks). No I/O. */
#ifndef URNA_RECEIPT_H
#define URNA_RECEIPT_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "record/canon.h"
#include "record/error.h"

#define URNA_RECEIPT_MAX (16u * 1024u) /* a receipt document's ceiling (one is about 400 bytes) */

/* {"h_R","head","referendum","seq","server_key","signature","tracker"}:
 * the server with key server_key says that line seq of referendum
 * `referendum` (whose seq-0 body hashes to h_R) is the ballot with this
 * tracker, and that the board's head after that line is head (hash32 of
 * the line). */
typedef struct {
	char referendum[URNA_ID_MAX];
	uint8_t h_R[32];
	uint64_t seq;            /* at most UINT32_MAX: it is signed as a u32 */
	uint8_t tracker[32];
	uint8_t head[32];
	uint8_t server_key[32];  /* Ed25519 public key of the signer */
	uint8_t sig[64];
} receipt;

/* The 64 signed bytes: H("receipt", referendum id, h_R, u32 seq, tracker,
 * head). The id is signed too, so that a receipt's "referendum" cannot be
 * changed to hold it to another board of the same server. */
void receipt_message(uint8_t m[static 64], const receipt *r);

/* Fills r for (referendum, h_R, seq, tracker, head) and signs it with the
 * Ed25519 key pair (pk, sk). 0, or -1 with e set (malformed: a bad id or a
 * seq over UINT32_MAX); r is zeroed on failure. */
int receipt_sign(receipt *r, const char *referendum, const uint8_t h_R[static 32], uint64_t seq,
                 const uint8_t tracker[static 32], const uint8_t head[static 32], const uint8_t pk[static 32],
                 const uint8_t sk[static 64], urna_err *e);

/* 0 when r's signature holds under pk (the board's server key, or r's
 * own), -1 with e set (bad_signature) otherwise. */
int receipt_verify(const receipt *r, const uint8_t pk[static 32], urna_err *e);

/* r as a JSON object (new reference; NULL when out of memory). Its
 * canonical bytes (canon_encode) are the receipt file. */
json_t *receipt_json(const receipt *r);

/* Reads a receipt object: exactly the keys above, an id, base64url of 32
 * bytes (64 for the signature), seq an integer up to UINT32_MAX. 0, or -1
 * with e set (malformed, bad_encoding) and r zeroed. The signature is not
 * checked here. */
int receipt_from_json(receipt *r, const json_t *o, urna_err *e);

/* Parses a receipt document text[0..len): one JSON object (any layout: a
 * person may have re-indented it; no duplicate key), at most
 * URNA_RECEIPT_MAX bytes, then receipt_from_json. 0 or -1 (e: too_large,
 * malformed, bad_encoding). */
int receipt_parse(receipt *r, const char *text, size_t len, urna_err *e);

#endif
