/* checkpoint.c: signed checkpoints of each board's head (docs/protocol.md
 * s.11, s.15). Every `--checkpoint-every` seconds, each board that grew
 * since its last checkpoint gets a `checkpoint` entry: {"seq","head",
 * "signature"}, the Ed25519 signature (server key, whose public half is the
 * referendum entry's server_key) over H("checkpoint", id, u32 seq, head). */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "server/checkpoint.h"
#include "server/state.h"

/* Checkpoints r's durable head if it moved. Takes r->lock. */
static void checkpoint_one(struct server *srv, struct referendum *r)
{
	uint8_t m[64], sig[64];
	char head[URNA_B64_32], sigt[B64URL_LEN(64)], *line = NULL, *body = NULL;
	struct store_job job = {0};
	struct store_line sl = {0};
	urna_err e = {0};
	urna_hash h;

	pthread_mutex_lock(&r->lock);
	uint64_t s = r->durable_seq;
	if (s == 0 || r->next_seq != s || (r->has_checkpoint && r->checkpoint_line + 1 == s))
		goto out; /* empty, lines in flight, or nothing since the last one */
	s--;
	hash_init(&h, "checkpoint");
	hash_add_str(&h, r->id);
	hash_add_u32(&h, (uint32_t)s);
	hash_add(&h, r->durable_head, 32);
	hash_final64(&h, m);
	crypto_sign_detached(sig, NULL, m, sizeof m, srv->server_sk);
	b64url_encode(head, r->durable_head, 32);
	b64url_encode(sigt, sig, sizeof sig);
	size_t n = strlen(head) + strlen(sigt) + 64;
	if (!(body = malloc(n)))
		goto out;
	n = (size_t)snprintf(body, n, "{\"head\":\"%s\",\"seq\":%llu,\"signature\":\"%s\"}", head, (unsigned long long)s, sigt);
	if (ref_append(r, srv->writer, srv->clock->now(srv->clock), "checkpoint", NULL, body, n, NULL, NULL, &job, &sl,
	               &line, &e) != 0)
		goto out;
	uint8_t lh[32];
	memcpy(lh, r->head, 32);
	if (store_writer_wait(srv->writer, job.ticket, &e) == 0) {
		ref_durable(r, sl.seq, lh);
		r->has_checkpoint = 1;
		r->checkpoint_line = sl.seq;
	}
out:
	pthread_mutex_unlock(&r->lock);
	free(line);
	free(body);
}

void checkpoint_all(struct server *srv)
{
	struct registry *reg = srv->reg;
	size_t n;

	pthread_rwlock_rdlock(&reg->lock);
	n = reg->n;
	pthread_rwlock_unlock(&reg->lock);
	for (size_t i = 0; i < n; i++) {
		pthread_rwlock_rdlock(&reg->lock);
		struct referendum *r = reg->refs[i];
		pthread_rwlock_unlock(&reg->lock);
		checkpoint_one(srv, r);
	}
}
