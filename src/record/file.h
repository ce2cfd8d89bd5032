/* file.h: a whole-file reader and an atomic writer for every layer above this one: board and
 * record files, tokens, the server's TLS files. (Specs, trustee key files
 * and credential lists are still read by jansson's json_load_file; the
 * static file server and the server key have their own reads.) */
#ifndef URNA_FILE_H
#define URNA_FILE_H
#include <stddef.h>
#include "record/error.h"

/* Reads all of path (a regular file in one allocation of its size, or a
 * pipe) into a NUL-terminated buffer of at most max bytes, *len (may be
 * NULL) its length. A buffer outgrown is wiped before it is freed, so a
 * secret leaves no copy behind; wipe the result of one with sodium_memzero.
 * The buffer (caller frees), or NULL with e set: io_error (cannot open or
 * read: the reason), too_large (over max). */
char *file_read(const char *path, size_t max, size_t *len, urna_err *e);

/* Writes data to path atomically (a temporary file beside it, synced, then
 * renamed over it) with mode. 0, or -1 with e set (io_error). */
int file_write(const char *path, const void *data, size_t len, int mode, urna_err *e);

#endif
