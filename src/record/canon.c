/* canon.c: canonical JSON (docs/protocol.md s.13) and strict field readers. */
#include <stdlib.h>
#include <string.h>
#include "crypto/encoding.h"
#include "crypto/group.h"
#include "record/canon.h"

json_t *canon_parse(const char *bytes, size_t len, size_t max, urna_err *e)
{
	json_error_t je;
	json_t *v = NULL;
	char *again = NULL;

	if (len > max) {
		err_set(e, URNA_E_TOO_LARGE, "%zu bytes, at most %zu allowed", len, max);
		goto fail;
	}
	v = json_loadb(bytes, len, JSON_REJECT_DUPLICATES, &je);
	if (!v) {
		err_set(e, URNA_E_MALFORMED, "not JSON: %s (at byte %d)", je.text, je.position);
		goto fail;
	}
	again = malloc(len + 1);
	if (!again) {
		err_set(e, URNA_E_IO, "out of memory");
		goto fail;
	}
	size_t n = json_dumpb(v, again, len + 1, JSON_COMPACT | JSON_SORT_KEYS);
	if (n != len || memcmp(again, bytes, len) != 0) {
		err_set(e, URNA_E_NOT_CANONICAL, "JSON is not in canonical form (s.13: compact, keys sorted)");
		goto fail;
	}
	free(again);
	return v;
fail:
	free(again);
	json_decref(v);
	return NULL;
}

char *canon_encode(const json_t *v, size_t *len)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	if (s && len)
		*len = strlen(s);
	return s;
}

int canon_id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 63 || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

static int get_uint(json_int_t *out, const json_t *o, const char *key, json_int_t max, urna_err *e)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
		return err_set(e, URNA_E_MALFORMED, "\"%s\" must be an integer in 0..%lld", key, (long long)max);
	*out = json_integer_value(v);
	return 0;
}

int canon_get_u32(uint32_t *out, const json_t *o, const char *key, urna_err *e)
{
	json_int_t v = 0;
	*out = 0;
	if (get_uint(&v, o, key, UINT32_MAX, e))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int canon_get_u64(uint64_t *out, const json_t *o, const char *key, urna_err *e)
{
	json_int_t v = 0;
	*out = 0;
	if (get_uint(&v, o, key, INT64_MAX, e))
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int canon_get_b64(uint8_t *out, size_t n, const json_t *o, const char *key, urna_err *e)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		return err_set(e, URNA_E_MALFORMED, "\"%s\" must be a base64url string", key);
	if (b64url_decode(out, n, json_string_value(v), json_string_length(v)) != 0)
		return err_set(e, URNA_E_BAD_ENCODING, "\"%s\" is not base64url of %zu bytes", key, n);
	return 0;
}

int canon_get_point(uint8_t out[static 32], const json_t *o, const char *key, urna_err *e)
{
	if (canon_get_b64(out, 32, o, key, e))
		return -1;
	if (point_check(out) != 0)
		return err_set(e, URNA_E_BAD_ENCODING, "\"%s\" is not a canonical ristretto255 point", key);
	return 0;
}

int canon_get_point_nonzero(uint8_t out[static 32], const json_t *o, const char *key, urna_err *e)
{
	if (canon_get_b64(out, 32, o, key, e))
		return -1;
	if (point_check_nonzero(out) != 0)
		return err_set(e, URNA_E_BAD_ENCODING, "\"%s\" is not a canonical non-identity point", key);
	return 0;
}

int canon_get_scalar(uint8_t out[static 32], const json_t *o, const char *key, urna_err *e)
{
	if (canon_get_b64(out, 32, o, key, e))
		return -1;
	if (scalar_check(out) != 0)
		return err_set(e, URNA_E_BAD_ENCODING, "\"%s\" is not a scalar below l", key);
	return 0;
}

int canon_get_id(char out[static URNA_ID_MAX], const json_t *o, const char *key, urna_err *e)
{
	json_t *v = json_object_get(o, key);
	out[0] = '\0';
	if (!json_is_string(v) || json_string_length(v) >= URNA_ID_MAX || !canon_id_ok(json_string_value(v)))
		return err_set(e, URNA_E_MALFORMED, "\"%s\" must be an id [a-z0-9][a-z0-9-]{0,62}", key);
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

int canon_check_text(const json_t *v, const char *what, urna_err *e)
{
	const char *lang;
	json_t *s;
	if (!json_is_object(v) || json_object_size(v) == 0)
		return err_set(e, URNA_E_MALFORMED, "%s must be an object of language -> text", what);
	json_object_foreach((json_t *)v, lang, s) {
		size_t n = strlen(lang);
		if (n < 2 || n > 16 || !json_is_string(s) || json_string_length(s) == 0)
			return err_set(e, URNA_E_MALFORMED, "%s: each language must map to a non-empty text", what);
	}
	return 0;
}

int canon_known_keys(const json_t *o, const char *const *keys, const char *what, urna_err *e)
{
	const char *k;
	json_t *v;
	if (!json_is_object(o))
		return err_set(e, URNA_E_MALFORMED, "%s must be an object", what);
	json_object_foreach((json_t *)o, k, v) {
		size_t i = 0;
		while (keys[i] && strcmp(k, keys[i]))
			i++;
		if (!keys[i]) {
			char want[200];
			size_t w = 0;
			for (size_t j = 0; keys[j] && w < sizeof want; j++)
				w += (size_t)snprintf(want + w, sizeof want - w, "%s%s", j ? ", " : "", keys[j]);
			return err_set(e, URNA_E_MALFORMED, "%s: unknown key \"%.60s\" (its keys are %s)", what, k, want);
		}
	}
	return 0;
}

int canon_keys(const json_t *o, const char *const *keys, const char *what, urna_err *e)
{
	if (canon_known_keys(o, keys, what, e))
		return -1;
	for (size_t n = 0; keys[n]; n++)
		if (!json_object_get(o, keys[n]))
			return err_set(e, URNA_E_MALFORMED, "%s: \"%s\" missing", what, keys[n]);
	return 0; /* no unknown key and every key there: exactly these */
}

json_t *canon_b64(const uint8_t *bytes, size_t n)
{
	char buf[B64URL_LEN(64)];
	if (n > 64)
		return NULL;
	b64url_encode(buf, bytes, n);
	return json_string(buf);
}
