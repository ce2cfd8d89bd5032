/* buf.c: the growable buffer and array (buf.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "base/buf.h"

void buf_init(buf *b, size_t max)
{
	*b = (buf)BUF_INIT(max);
}

int buf_full(const buf *b, size_t n)
{
	return n > b->max || b->len > b->max - n;
}

int buf_reserve(buf *b, size_t n)
{
	if (buf_full(b, n))
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	/* The first allocation is what is asked (so a file of known size is
	 * read in one), at least 64; then doubling. */
	size_t cap = b->cap ? b->cap : n + 1 > 64 ? n + 1 : 64;
	while (cap < b->len + n + 1)
		cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	char *p;
	if (b->wipe) { /* no realloc: the old copy must be wiped */
		if (!(p = malloc(cap)))
			return -1;
		if (b->p) {
			memcpy(p, b->p, b->len + 1);
			sodium_memzero(b->p, b->cap);
			free(b->p);
		}
	} else if (!(p = realloc(b->p, cap))) {
		return -1;
	}
	if (!b->p)
		p[0] = 0;
	b->p = p;
	b->cap = cap;
	return 0;
}

int buf_add(buf *b, const void *data, size_t n)
{
	if (buf_reserve(b, n) != 0)
		return -1;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

int buf_addc(buf *b, char c)
{
	return buf_add(b, &c, 1);
}

static int buf_vaddf(buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || buf_reserve(b, (size_t)n) != 0)
		return -1;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_addf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void buf_reset(buf *b)
{
	if (b->p) {
		if (b->wipe)
			sodium_memzero(b->p, b->len);
		b->p[0] = 0;
	}
	b->len = 0;
}

char *buf_take(buf *b, size_t *len)
{
	char *p = b->p ? b->p : calloc(1, 1);
	if (len)
		*len = b->p ? b->len : 0;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_free(buf *b)
{
	if (b->p && b->wipe)
		sodium_memzero(b->p, b->cap);
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int array_grow(void *arr, size_t *cap, size_t need, size_t size, size_t max)
{
	void **p = arr;
	if (need <= *cap)
		return 0;
	if (need > max || size == 0 || need > SIZE_MAX / size)
		return -1;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n = n > max / 2 ? max : n * 2;
	void *q = realloc(*p, n * size);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}
