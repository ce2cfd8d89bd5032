/* receipt.c: signed ballot receipts (receipt.h, docs/protocol.md s.18). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "crypto/hash.h"
#include "record/receipt.h"

#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

void receipt_message(uint8_t m[static 64], const receipt *r)
{
	urna_hash h;
	hash_init(&h, "receipt");
	hash_add_str(&h, r->referendum);
	hash_add(&h, r->h_R, 32);
	hash_add_u32(&h, (uint32_t)r->seq);
	hash_add(&h, r->tracker, 32);
	hash_add(&h, r->head, 32);
	hash_final64(&h, m);
}

int receipt_sign(receipt *r, const char *referendum, const uint8_t h_R[static 32], uint64_t seq,
                 const uint8_t tracker[static 32], const uint8_t head[static 32], const uint8_t pk[static 32],
                 const uint8_t sk[static 64], urna_err *e)
{
	uint8_t m[64];

	memset(r, 0, sizeof *r);
	if (!canon_id_ok(referendum))
		return err_set(e, URNA_E_MALFORMED, "receipt: bad referendum id");
	if (seq > UINT32_MAX)
		return err_set(e, URNA_E_MALFORMED, "receipt: seq %llu is over a u32", (unsigned long long)seq);
	snprintf(r->referendum, sizeof r->referendum, "%s", referendum);
	memcpy(r->h_R, h_R, 32);
	r->seq = seq;
	memcpy(r->tracker, tracker, 32);
	memcpy(r->head, head, 32);
	memcpy(r->server_key, pk, 32);
	receipt_message(m, r);
	crypto_sign_detached(r->sig, NULL, m, sizeof m, sk);
	return 0;
}

int receipt_verify(const receipt *r, const uint8_t pk[static 32], urna_err *e)
{
	uint8_t m[64];
	receipt_message(m, r);
	if (crypto_sign_verify_detached(r->sig, m, sizeof m, pk) != 0)
		return err_set(e, URNA_E_BAD_SIGNATURE, "the receipt's Ed25519 signature does not verify under that key");
	return 0;
}

json_t *receipt_json(const receipt *r)
{
	return json_pack("{s:o, s:o, s:s, s:I, s:o, s:o, s:o}", "h_R", canon_b64(r->h_R, 32), "head",
	                 canon_b64(r->head, 32), "referendum", r->referendum, "seq", (json_int_t)r->seq, "server_key",
	                 canon_b64(r->server_key, 32), "signature", canon_b64(r->sig, 64), "tracker",
	                 canon_b64(r->tracker, 32));
}

int receipt_from_json(receipt *r, const json_t *o, urna_err *e)
{
	memset(r, 0, sizeof *r);
	if (!json_is_object(o))
		return err_set(e, URNA_E_MALFORMED, "a receipt is a JSON object");
	if (canon_keys(o, KEYS("h_R", "head", "referendum", "seq", "server_key", "signature", "tracker"), "receipt",
	               e) != 0)
		return -1; /* canon_keys names the receipt and the key */
	if (canon_get_id(r->referendum, o, "referendum", e) != 0 || canon_get_u64(&r->seq, o, "seq", e) != 0 ||
	    canon_get_b64(r->h_R, 32, o, "h_R", e) != 0 || canon_get_b64(r->tracker, 32, o, "tracker", e) != 0 ||
	    canon_get_b64(r->head, 32, o, "head", e) != 0 ||
	    canon_get_b64(r->server_key, 32, o, "server_key", e) != 0 ||
	    canon_get_b64(r->sig, 64, o, "signature", e) != 0)
		goto fail;
	if (r->seq > UINT32_MAX) {
		err_set(e, URNA_E_MALFORMED, "\"seq\" is over a u32");
		goto fail;
	}
	return 0;
fail:
	err_prefix(e, "receipt");
	memset(r, 0, sizeof *r);
	return -1;
}

int receipt_parse(receipt *r, const char *text, size_t len, urna_err *e)
{
	json_error_t je;
	json_t *o;
	int rc;

	memset(r, 0, sizeof *r);
	if (len > URNA_RECEIPT_MAX)
		return err_set(e, URNA_E_TOO_LARGE, "a receipt is at most %u bytes, this is %zu", URNA_RECEIPT_MAX, len);
	if (!(o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je)))
		return err_set(e, URNA_E_MALFORMED, "JSON error at line %d: %s", je.line, je.text);
	rc = receipt_from_json(r, o, e);
	json_decref(o);
	return rc;
}
