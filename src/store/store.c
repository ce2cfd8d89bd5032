/* store.c: the list of storage backends (store.h). */
#include <string.h>
#include "store/store.h"

const struct store_ops *const store_backends[] = {
	&store_sqlite,
	NULL,
};

const struct store_ops *store_backend_for(const char *arg, const char **path)
{
	const char *colon = strchr(arg, ':');

	for (const struct store_ops *const *b = store_backends; colon && *b; b++) {
		size_t n = strlen((*b)->name);
		if ((size_t)(colon - arg) == n && !strncmp(arg, (*b)->name, n)) {
			*path = colon + 1;
			return *b;
		}
	}
	*path = arg;
	return store_backends[0];
}
