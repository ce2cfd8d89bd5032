/* static.c: the web/ directory under / (GET and HEAD only). Paths with a
 * dot segment are refused, a directory answers its index.html, files over
 * 16 MiB are not served. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "server/http.h"

#define STATIC_MAX (16 * MiB)

static const struct { const char *ext, *type; } types[] = {
	{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
	{".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
	{".ico", "image/x-icon"}, {".wasm", "application/wasm"}, {".txt", "text/plain; charset=utf-8"},
	{".woff2", "font/woff2"},
};

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

/* Answers rq from dir. */
int static_serve(struct request *rq, const char *dir)
{
	char path[1024];
	struct stat sb;
	char *buf = NULL;
	int fd = -1;
	const char *u = rq->url;

	if (!dir || u[0] != '/' || strstr(u, "/.") || strchr(u, '\\') || strlen(u) > 512)
		return reply_errf(rq, URNA_E_UNKNOWN, "no such file: %s", u);
	snprintf(path, sizeof path, "%s%s%s", dir, u, u[strlen(u) - 1] == '/' ? "index.html" : "");
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		size_t n = strlen(path);
		snprintf(path + n, sizeof path - n, "/index.html");
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		reply_errf(rq, URNA_E_UNKNOWN, "no such file: %s", u);
		goto out;
	}
	if ((size_t)sb.st_size > STATIC_MAX) {
		reply_errf(rq, URNA_E_TOO_LARGE, "file too large to serve");
		goto out;
	}
	size_t n = (size_t)sb.st_size, got = 0;
	if (!(buf = malloc(n ? n : 1))) {
		reply_errf(rq, URNA_E_IO, "out of memory");
		goto out;
	}
	while (got < n) {
		ssize_t k = read(fd, buf + got, n - got);
		if (k <= 0) {
			reply_errf(rq, URNA_E_IO, "read failed: %s", strerror(errno));
			goto out;
		}
		got += (size_t)k;
	}
	reply_bytes(rq, 200, type_of(path), buf, n);
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return HANDLED;
}
