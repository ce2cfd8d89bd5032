/* export.h: a referendum's record folder (`urna export`), from a server
 * or straight from a database through the store interface. */
#ifndef URNA_CLIENT_EXPORT_H
#define URNA_CLIENT_EXPORT_H
#include "client/client.h"

/* Downloads dir/board.jsonl and, when it holds results, writes
 * dir/results.json and dir/results.csv from it (*have_results, may be NULL,
 * says so). Creates dir. 0 or -1 (e). */
int export_from_server(const client_conn *c, const char *ref, const char *dir, int *have_results, urna_err *e);

/* The same from the database db (a path, or a store URL: store.h) rather
 * than a server; a running server's database may be read (a WAL reader). */
int export_from_db(const char *db, const char *ref, const char *dir, int *have_results, urna_err *e);

#endif
