/* vectors.h: the unit tests' way to a shared vector file of tests/vectors
 * (crypto.json, audit.json): found from the repository root, build/tests
 * or build/asan/tests, so a test binary runs from any of them. */
#ifndef URNA_TEST_VECTORS_H
#define URNA_TEST_VECTORS_H
#include <stdio.h>
#include <jansson.h>

/* The parsed file tests/vectors/NAME, or NULL after saying why on stderr. */
static inline json_t *vectors_load(const char *name)
{
	static const char *up[] = {"", "../", "../../", "../../../"};
	char path[256];
	json_error_t err;
	for (size_t i = 0; i < sizeof up / sizeof up[0]; i++) {
		snprintf(path, sizeof path, "%stests/vectors/%s", up[i], name);
		json_t *v = json_load_file(path, 0, &err);
		if (v)
			return v;
	}
	fprintf(stderr, "cannot read tests/vectors/%s (run from the repository root)\n", name);
	return NULL;
}

#endif
