/* results.c: results.json and results.csv of a record folder (results.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "crypto/encoding.h"
#include "record/file.h"
#include "record/results.h"

void results_pct(char out[static 16], uint64_t num, uint64_t den)
{
	if (den == 0) {
		snprintf(out, 16, "0.0");
		return;
	}
	unsigned __int128 t = ((unsigned __int128)num * 2000 + den) / (2 * (unsigned __int128)den);
	snprintf(out, 16, "%llu.%llu", (unsigned long long)(t / 10), (unsigned long long)(t % 10));
}

static json_t *str_pct(uint64_t num, uint64_t den)
{
	char b[16];
	results_pct(b, num, den);
	return json_string(b);
}

json_t *results_json(const election *el)
{
	const referendum_body *rb = election_referendum(el);
	json_t *regs = json_array(), *out = NULL;
	uint8_t head[32];
	char hb[URNA_B64_32];
	size_t any = 0;
	if (!rb || !regs)
		goto out;
	for (size_t i = 0; i < election_nregions(el); i++) {
		region_info ri;
		if (election_region(el, i, &ri) || !ri.result)
			continue;
		const result_body *r = ri.result;
		json_t *qs = json_array(), *tr = json_array();
		json_t *mq = json_object_get(ri.body, "questions");
		for (uint32_t j = 0; j < r->ntrustees; j++)
			json_array_append_new(tr, json_integer(r->trustees[j]));
		for (uint32_t q = 0; q < r->nq; q++) {
			json_t *chs = json_array(), *mqq = json_array_get(mq, q);
			uint64_t valid = 0;
			for (uint32_t k = 0; k < r->m[q]; k++)
				valid += r->counts[q][k];
			for (uint32_t k = 0; k < r->m[q]; k++)
				json_array_append_new(chs, json_pack("{s:O,s:I,s:o}", "text",
				                                     json_array_get(json_object_get(mqq, "choices"), k), "count",
				                                     (json_int_t)r->counts[q][k], "percent",
				                                     str_pct(r->counts[q][k], valid)));
			json_array_append_new(qs, json_pack("{s:O,s:I,s:I,s:o}", "text", json_object_get(mqq, "text"), "blank",
			                                    (json_int_t)r->blank[q], "valid", (json_int_t)valid, "choices", chs));
		}
		json_array_append_new(regs, json_pack("{s:s,s:O,s:I,s:I,s:I,s:o,s:o,s:o}", "id", ri.id, "name",
		                                      json_object_get(ri.body, "name"), "electorate",
		                                      (json_int_t)r->electorate, "cast", (json_int_t)r->cast, "counted",
		                                      (json_int_t)r->counted, "trustees", tr, "turnout",
		                                      str_pct(r->counted, r->electorate), "questions", qs));
		any++;
	}
	if (!any)
		goto out;
	election_head(el, head);
	b64url_encode(hb, head, 32);
	const json_t *rj = election_referendum_json(el);
	out = json_pack("{s:s,s:O,s:s,s:O,s:{s:I,s:s},s:O}", "referendum", rb->id, "title", json_object_get(rj, "title"),
	                "timezone", rb->timezone, "announce_at", json_object_get(rj, "announce_at"), "head", "seq",
	                (json_int_t)election_next_seq(el) - 1, "hash", hb, "regions", regs);
out:
	json_decref(regs);
	return out;
}

char *results_csv(const election *el, size_t *len)
{
	buf s = BUF_INIT(SIZE_MAX - 1);
	char pc[16], tn[16];
	size_t any = 0;
	int bad = buf_addf(&s, "region,question,choice,count,percent,counted,cast,electorate,turnout\n");
	*len = 0;
	for (size_t i = 0; i < election_nregions(el); i++) {
		region_info ri;
		if (election_region(el, i, &ri) || !ri.result)
			continue;
		const result_body *r = ri.result;
		any++;
		results_pct(tn, r->counted, r->electorate);
		for (uint32_t q = 0; q < r->nq; q++) {
			uint64_t valid = 0;
			for (uint32_t k = 0; k < r->m[q]; k++)
				valid += r->counts[q][k];
			for (uint32_t k = 0; k <= r->m[q]; k++) {
				char choice[16];
				snprintf(choice, sizeof choice, k < r->m[q] ? "%u" : "blank", k + 1);
				if (k < r->m[q])
					results_pct(pc, r->counts[q][k], valid);
				else
					pc[0] = '\0';
				bad |= buf_addf(&s, "%s,%u,%s,%llu,%s,%llu,%llu,%llu,%s\n", ri.id, q + 1, choice,
				                      (unsigned long long)(k < r->m[q] ? r->counts[q][k] : r->blank[q]), pc,
				                      (unsigned long long)r->counted, (unsigned long long)r->cast,
				                      (unsigned long long)r->electorate, tn);
			}
		}
	}
	if (!any || bad) {
		buf_free(&s);
		return NULL;
	}
	return buf_take(&s, len);
}

/* Writes dir/name with exactly these bytes (file_write: atomically). */
static int write_in(const char *dir, const char *name, const char *data, size_t len, urna_err *e)
{
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return err_set(e, URNA_E_IO, "the path %s/%s is too long", dir, name);
	return file_write(path, data, len, 0644, e);
}

int results_write(const election *el, const char *dir, urna_err *e)
{
	json_t *j = results_json(el);
	size_t jl = 0, cl = 0;
	char *js = j ? canon_encode(j, &jl) : NULL, *cs = results_csv(el, &cl);
	buf line = BUF_INIT(SIZE_MAX - 1); /* results.json: the canonical object and a newline */
	int rc = -1;
	if (!js || !cs)
		err_set(e, URNA_E_STATE, "no results to write");
	else if (buf_add(&line, js, jl) != 0 || buf_addc(&line, '\n') != 0)
		err_set(e, URNA_E_IO, "out of memory");
	else if (write_in(dir, "results.json", line.p, line.len, e) == 0 && write_in(dir, "results.csv", cs, cl, e) == 0)
		rc = 0;
	buf_free(&line);
	json_decref(j);
	free(js);
	free(cs);
	return rc;
}
