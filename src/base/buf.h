/* buf.h: the one growable buffer, with a ceiling (curl's dynbuf is the
 * model), and the one growable array. src/base includes nothing of Urna's
 * and every layer may include it. */
#ifndef URNA_BUF_H
#define URNA_BUF_H
#include <stddef.h>

/* Bytes, always NUL-terminated once anything was added (p[len] == 0), of
 * at most max bytes. Grown by doubling; with wipe, every outgrown copy is
 * zeroed before it is freed (for secrets), and so is the last at buf_free. */
typedef struct {
	char *p;    /* NULL until the first byte */
	size_t len; /* bytes held, not counting the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* ceiling on len */
	int wipe;
} buf;

#define BUF_INIT(max_) {NULL, 0, 0, (max_), 0}

void buf_init(buf *b, size_t max);
/* Appends n bytes. 0, or -1 when len would pass max or memory ran out
 * (buf_full says which); b is unchanged then. */
int buf_add(buf *b, const void *data, size_t n);
int buf_addc(buf *b, char c);
int buf_addf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Room for n more bytes without another allocation. 0 or -1 as buf_add. */
int buf_reserve(buf *b, size_t n);
/* 1 when the last failure was the ceiling, 0 when it was memory. */
int buf_full(const buf *b, size_t n);
/* Empties b, keeping its memory. */
void buf_reset(buf *b);
/* The bytes (caller frees; "" allocated when empty, NULL when out of
 * memory), *len (may be NULL) their length; b is empty again. */
char *buf_take(buf *b, size_t *len);
void buf_free(buf *b);

/* Makes *arr (of elements of size bytes, *cap of them) hold at least need
 * elements, doubling from 16, never past max elements. 0 or -1. */
int array_grow(void *arr, size_t *cap, size_t need, size_t size, size_t max);

#endif
