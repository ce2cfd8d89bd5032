/* checkpoint.h: signed checkpoints of board heads (checkpoint.c). */
#ifndef URNA_CHECKPOINT_H
#define URNA_CHECKPOINT_H
#include "server/http.h"

/* Appends a signed checkpoint entry to every board that has lines since
 * its last one (and none in flight). Waits for each to be durable. */
void checkpoint_all(struct server *srv);

#endif
