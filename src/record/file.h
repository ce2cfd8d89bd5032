/* file.h: the one whole-file reader and an atomic writer, for every layer
 * above this one: board and record files, specs, credential lists, trustee
 * key files, tokens, the server's key and TLS files. (The static file
 * server streams its files instead.) */
#ifndef URNA_FILE_H
#define URNA_FILE_H
#include <stddef.h>
#include <jansson.h>
#include "record/error.h"

/* Reads all of path (a regular file in one allocation of its size, or a
 * pipe) into a NUL-terminated buffer of at most max bytes, *len (may be
 * NULL) its length. A buffer outgrown is wiped before it is freed, so a
 * secret leaves no copy behind; wipe the result of one with sodium_memzero.
 * The buffer (caller frees), or NULL with e set: io_error (cannot open or
 * read: the reason), too_large (over max). */
char *file_read(const char *path, size_t max, size_t *len, urna_err *e);

/* file_read of at most max bytes, parsed as one JSON value (flags for
 * json_loadb, e.g. JSON_REJECT_DUPLICATES). The value (caller
 * json_decref's), or NULL with e set: as file_read, or malformed with
 * "PATH: what (line N)". The bytes read are wiped, as a key file's are
 * secret. */
json_t *file_read_json(const char *path, size_t max, size_t flags, urna_err *e);

/* Writes data to path atomically (a temporary file beside it, synced, then
 * renamed over it) with mode. 0, or -1 with e set (io_error). */
int file_write(const char *path, const void *data, size_t len, int mode, urna_err *e);

#endif
