/* file.c: file_read and file_write (file.h). */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "record/file.h"

char *file_read(const char *path, size_t max, size_t *len, urna_err *e)
{
	struct stat sb;
	/* O_NONBLOCK: a FIFO without a writer must not hang the open (it then
	 * reads as empty); reads block again once it is open. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	char *buf = NULL;
	size_t n = 0, cap;
	int over = 0;

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
	if (regular && (uint64_t)sb.st_size > max) {
		err_set(e, URNA_E_TOO_LARGE, "%s is over %zu bytes", path, max);
		goto fail;
	}
	/* Its size and one more byte, to see the end (and the NUL) at once. */
	cap = regular ? (size_t)sb.st_size + 1 : 4096;
	if (!(buf = malloc(cap)))
		goto oom;
	for (;;) {
		char one, *into = buf + n;
		size_t room = cap - n - 1;
		if (room == 0) { /* full: grow only if there is more (a file read to its size is not copied) */
			into = &one;
			room = 1;
		}
		ssize_t r = read(fd, into, room);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err_set(e, URNA_E_IO, "cannot read %s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		if (into == &one) {
			if (n >= max) {
				over = 1;
				break;
			}
			size_t nc = cap > (SIZE_MAX - 1) / 2 ? SIZE_MAX : cap * 2;
			char *nb = malloc(nc);
			if (!nb)
				goto oom;
			memcpy(nb, buf, n);
			sodium_memzero(buf, cap);
			free(buf);
			buf = nb, cap = nc;
			buf[n] = one;
		}
		n += (size_t)r;
	}
	if (over || n > max) {
		err_set(e, URNA_E_TOO_LARGE, "%s is over %zu bytes", path, max);
		goto fail;
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
oom:
	err_set(e, URNA_E_IO, "out of memory reading %s", path);
fail:
	if (buf)
		sodium_memzero(buf, n);
	free(buf);
	close(fd);
	return NULL;
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
