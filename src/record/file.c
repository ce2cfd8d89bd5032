/* file.c: file_read, file_read_json and file_write (file.h). */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/buf.h"
#include "record/file.h"

char *file_read(const char *path, size_t max, size_t *len, urna_err *e)
{
	struct stat sb;
	/* O_NONBLOCK: a FIFO without a writer must not hang the open (it then
	 * reads as empty); reads block again once it is open. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	buf b = BUF_INIT(max);
	b.wipe = 1; /* a token or a key may pass through */

	if (len)
		*len = 0;
	if (fd < 0) {
		err_set(e, URNA_E_IO, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	int regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
	if (regular && (uint64_t)sb.st_size > max)
		goto over;
	/* A regular file in one allocation of its size, one byte more to see
	 * its end at once, and the NUL; a pipe grown as it comes. */
	for (size_t want = regular ? (size_t)sb.st_size + 1 : 4096;; want = b.cap - b.len - 1) {
		if (want == 0)
			want = 4096; /* more than its size, or a pipe's outgrown buffer */
		if (buf_reserve(&b, want) != 0) {
			if (buf_full(&b, want) && b.len < max)
				want = max - b.len;
			if (buf_full(&b, want) || buf_reserve(&b, want) != 0)
				goto over_or_oom;
		}
		ssize_t r = read(fd, b.p + b.len, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err_set(e, URNA_E_IO, "cannot read %s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		b.len += (size_t)r;
		b.p[b.len] = 0;
	}
	close(fd);
	return buf_take(&b, len);
over_or_oom:
	if (b.len >= max) {
		/* full to the ceiling: over only if there is more to read */
		char one;
		ssize_t r;
		while ((r = read(fd, &one, 1)) < 0 && errno == EINTR)
			;
		if (r == 0) {
			close(fd);
			return buf_take(&b, len);
		}
		goto over;
	}
	err_set(e, URNA_E_IO, "out of memory reading %s", path);
	goto fail;
over:
	err_set(e, URNA_E_TOO_LARGE, "%s is over %zu bytes", path, max);
fail:
	buf_free(&b);
	close(fd);
	return NULL;
}

json_t *file_read_json(const char *path, size_t max, size_t flags, urna_err *e)
{
	size_t len;
	char *text = file_read(path, max, &len, e);
	if (!text)
		return NULL;
	json_error_t je;
	json_t *j = json_loadb(text, len, flags, &je);
	if (!j)
		err_set(e, URNA_E_MALFORMED, "%s: %s (line %d)", path, je.text, je.line);
	sodium_memzero(text, len);
	free(text);
	return j;
}

int file_write(const char *path, const void *data, size_t len, int mode, urna_err *e)
{
	size_t pl = strlen(path);
	char *tmp = malloc(pl + 16);
	if (!tmp)
		return err_set(e, URNA_E_IO, "out of memory");
	snprintf(tmp, pl + 16, "%s.tmp%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		err_set(e, URNA_E_IO, "cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	const char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err_set(e, URNA_E_IO, "cannot write %s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			free(tmp);
			return -1;
		}
		p += w;
		left -= (size_t)w;
	}
	if (fchmod(fd, (mode_t)mode) != 0 || fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		err_set(e, URNA_E_IO, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}
