/* demo.c: the demo as a table of phases (demo.h). Each round runs every
 * phase of PHASES in turn on its own state; a phase that fails ends the
 * round with its reason, a figure that differs from the plan is counted
 * (say.h) and fails the demo at the end. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "base/parallel.h"
#include "client/export.h"
#include "client/local_server.h"
#include "client/organizer.h"
#include "client/receipt.h"
#include "client/signer.h"
#include "client/results.h"
#include "client/trustee.h"
#include "crypto/encoding.h"
#include "demo/demo.h"
#include "record/file.h"
#include "record/keyfile.h"
#include "demo/say.h"
#include "demo/voters.h"

/* The people of the demo, each with its identity key file in the demo's
 * folder: the organizer, one credential authority for every region, the
 * trustees. */
typedef struct {
	const demo_opts *o;
	local_server srv;
	char org[4200], auth[4200];
	char trustee[NTRUSTEES][4200];
} demo;

/* What one round's phases hand each other. */
typedef struct {
	const round_spec *rs;
	region_run rr[NREG];
	int64_t opens, closes, announce; /* UTC, as the server fixed them */
	char record[4200];               /* the exported record folder */
} round_state;

typedef int (*phase_fn)(demo *d, round_state *r, urna_err *e);

static const char *utc_text(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, 32, "%Y-%m-%d %H:%M UTC", &tm);
	return buf;
}

static int64_t utc_of(json_t *ref, const char *key)
{
	return json_integer_value(json_object_get(json_object_get(ref, key), "utc"));
}

/* The referendum's times as the server has them now. */
static int read_times(demo *d, round_state *r, urna_err *e)
{
	json_t *ref = NULL;
	if (client_get_referendum(&d->srv.pub, r->rs->id, &ref, e) != 0)
		return -1;
	r->opens = utc_of(ref, "opens_at");
	r->closes = utc_of(ref, "closes_at");
	r->announce = utc_of(ref, "announce_at");
	json_decref(ref);
	if (r->opens <= 0 || r->closes <= r->opens || r->announce < r->closes)
		return err_set(e, URNA_E_MALFORMED, "the server's times for %s are not usable", r->rs->id);
	return 0;
}

/* ---- the phases ------------------------------------------------------------ */

static int create(demo *d, round_state *r, urna_err *e)
{
	const round_spec *rs = r->rs;
	demo_step("%s: the organizer creates \"%s\" over %d regions, trustees %d-of-%d", rs->id, rs->title_en, NREG,
	          THRESHOLD, NTRUSTEES);
	json_t *tr = json_array(), *au = json_array(), *regs = json_array(), *made = NULL;
	identity_key id;
	int rc = -1;
	for (int i = 0; i < NTRUSTEES; i++) {
		if (identity_load(d->trustee[i], &id, e) != 0)
			goto out;
		json_array_append_new(tr, identity_role_json(&id));
		identity_wipe(&id);
	}
	for (int i = 0; i < NREG; i++)
		json_array_append_new(regs, json_string(rs->regions[i].id));
	if (identity_load(d->auth, &id, e) != 0)
		goto out;
	json_t *a = identity_role_json(&id);
	identity_wipe(&id);
	json_object_set(a, "regions", regs);
	json_array_append_new(au, a);
	json_t *spec = demo_spec_json(rs, tr, au);
	char path[4300], rid[64];
	size_t nreg;
	snprintf(path, sizeof path, "%.4000s/%s.spec.json", d->o->dir, rs->id);
	char *txt = spec ? json_dumps(spec, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
	json_decref(spec);
	if (!txt || file_write(path, txt, strlen(txt), 0644, e) != 0 ||
	    organizer_create(&d->srv.pub, path, d->org, rid, &nreg, &made, e) != 0) {
		free(txt);
		goto out;
	}
	free(txt);
	printf("    open %s to %s, results %s (%s); each entry signed by its author, whose keys the referendum entry\n"
	       "    names (fingerprints, to compare out of band):\n", rs->opens, rs->closes, rs->announce, DEMO_ZONE);
	size_t i;
	json_t *ro;
	json_array_foreach(json_object_get(made, "roles"), i, ro)
		printf("      %-12s %s  %s\n", json_string_value(json_object_get(ro, "by")),
		       json_string_value(json_object_get(ro, "fingerprint")), json_string_value(json_object_get(ro, "name")));
	rc = 0;
out:
	json_decref(made);
	json_decref(regs);
	json_decref(tr);
	json_decref(au);
	return rc;
}

/* Postponement before the opening: a schedule entry on the board. */
static int postpone(demo *d, round_state *r, urna_err *e)
{
	const round_spec *rs = r->rs;
	json_t *ans = NULL;
	if (rs->reason) {
		demo_step("%s: postponed before opening (the organizer's signed schedule entry)", rs->id);
		if (organizer_schedule(&d->srv.pub, d->org, rs->id, rs->new_opens, rs->new_closes, rs->new_announce,
		                       rs->reason, rs->reason_ru, &ans, e) != 0)
			return -1;
		printf("    schedule entry %lld: now open %s to %s, results %s (\"%s\")\n",
		       (long long)json_integer_value(json_object_get(ans, "seq")), rs->new_opens, rs->new_closes,
		       rs->new_announce, rs->reason);
		json_decref(ans);
	}
	if (read_times(d, r, e) != 0)
		return -1;
	char b1[32], b2[32], b3[32];
	printf("    in UTC: opens %s, closes %s, results %s\n", utc_text(r->opens, b1), utc_text(r->closes, b2),
	       utc_text(r->announce, b3));
	return 0;
}

/* The trustees, side by side as separate people would be. */
typedef struct {
	const client_conn *c;
	const char *ref, *key;
	int decrypt; /* 0: the DKG until the shares are checked; 1: decrypt */
	int rc;
	urna_err e;
} trustee_job;

static void *trustee_worker(void *arg)
{
	trustee_job *j = arg;
	j->rc = j->decrypt ? trustee_decrypt(j->c, j->ref, j->key, 0, 1, stdout, &j->e)
	                   : trustee_dkg(j->c, j->ref, j->key, 0, 120, 0, stdout, &j->e);
	return NULL;
}

/* Runs trustees 1..NTRUSTEES but absent (0: none) at once. */
static int run_trustees(demo *d, round_state *r, int decrypt, int absent, urna_err *e)
{
	trustee_job jobs[NTRUSTEES];
	int n = 0;
	for (int i = 0; i < NTRUSTEES; i++)
		if (i + 1 != absent)
			jobs[n++] = (trustee_job){&d->srv.pub, r->rs->id, d->trustee[i], decrypt, 0, {0}};
	parallel_run(trustee_worker, jobs, sizeof jobs[0], n);
	for (int i = 0; i < n; i++)
		if (jobs[i].rc < 0) {
			*e = jobs[i].e;
			return -1;
		}
	return 0;
}

static int key_ceremony(demo *d, round_state *r, urna_err *e)
{
	const char *R = r->rs->id;
	json_t *ans = NULL;
	demo_step("%s: key ceremony: the trustees make the election key together, each keeping a share "
	          "(Pedersen DKG; messages through the board, each signed by its trustee)", R);
	if (run_trustees(d, r, 0, 0, e) != 0 || organizer_key(&d->srv.pub, d->org, R, &ans, e) != 0)
		return -1;
	printf("    election key (K), which the booths encrypt to: %s\n",
	       json_string_value(json_object_get(ans, "election_key")));
	json_decref(ans);
	for (int i = 0; i < NTRUSTEES; i++)
		if (trustee_dkg(&d->srv.pub, R, d->trustee[i], 1, 30, 0, stdout, e) != 0)
			return -1;
	demo_step("%s: each trustee checks its own part of the board (urna trustee check)", R);
	for (int i = 0; i < NTRUSTEES; i++)
		if (trustee_check(&d->srv.pub, R, d->trustee[i], 1, stdout, e) != 0)
			return -1;
	return 0;
}

/* One region's voters: credentials made and their public list uploaded,
 * then the plan's intentions dealt out. */
static int region_voters(demo *d, round_state *r, region_run *g, urna_err *e)
{
	const char *R = r->rs->id;
	g->n = d->o->voters;
	if (demo_plan_region(&g->plan, g->n, g->spec->target, g->spec->turnout) != 0)
		return err_set(e, URNA_E_MALFORMED, "--voters %u is too few to reach %u.%u%% exactly", g->n,
		               g->spec->target / 10, g->spec->target % 10);
	g->v = calloc(g->n, sizeof *g->v);
	json_t *list = json_array();
	int rc = -1;
	long long el = 0;
	if (!g->v || !list) {
		err_set(e, URNA_E_IO, "out of memory");
		goto out;
	}
	for (uint32_t k = 0; k < g->n; k++) {
		char X[URNA_B64_32];
		credential_new(g->v[k].cred);
		if (credential_derive(g->v[k].x, g->v[k].X, R, g->spec->id, g->v[k].cred, e) != 0)
			goto out;
		b64url_encode(X, g->v[k].X, 32);
		json_array_append_new(list, json_string(X));
	}
	/* The public list in random order (the server sees no voter order). */
	for (size_t k = json_array_size(list); k > 1; k--) {
		size_t j = randombytes_uniform((uint32_t)k);
		json_t *a = json_incref(json_array_get(list, k - 1)), *b = json_incref(json_array_get(list, j));
		json_array_set_new(list, k - 1, b);
		json_array_set_new(list, j, a);
	}
	signer s;
	credentials_sent sent = {0};
	if (signer_open(&s, &d->srv.pub, R, d->auth, ROLE_AUTHORITY, e) != 0)
		goto out;
	int posted = credentials_publish(&d->srv.pub, &s, g->spec->id, list, &sent, e);
	signer_close(&s);
	if (posted != 0)
		goto out;
	el = sent.electorate;
	/* The authority's own check, from the public list file it keeps. */
	snprintf(g->pub, sizeof g->pub, "%.4000s/%s-%s.public.json", d->o->dir, R, g->spec->id);
	json_t *doc = json_pack("{s:s,s:s,s:O}", "referendum", R, "region", g->spec->id, "credentials", list);
	char *txt = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	int w = txt ? file_write(g->pub, txt, strlen(txt), 0644, e) : err_set(e, URNA_E_IO, "out of memory");
	free(txt);
	if (w != 0)
		goto out;
	/* The voters' intentions: the plan's counts; re-voters spread over the
	 * counted voters, some of them changing their mind. */
	const demo_plan *p = &g->plan;
	uint32_t k = 0;
	for (uint32_t j = 0; j < p->yes; j++)
		g->v[k++].final = V_YES;
	for (uint32_t j = 0; j < p->no; j++)
		g->v[k++].final = V_NO;
	for (uint32_t j = 0; j < p->blank; j++)
		g->v[k++].final = V_BLANK;
	for (uint32_t j = 0; j < p->revoters; j++) {
		uint32_t w = (uint32_t)((uint64_t)j * k / p->revoters);
		g->v[w].revote = 1;
		g->v[w].first = j < p->changed ? (g->v[w].final == V_YES ? V_NO : V_YES) : g->v[w].final;
	}
	g->expected_cast = k + p->revoters;
	printf("    %-12s electorate %u (server: %lld): %u for, %u against, %u blank, %u will not vote; "
	       "%u vote twice (%u change their mind)\n",
	       g->spec->id, g->n, el, p->yes, p->no, p->blank, p->abstain, p->revoters, p->changed);
	rc = 0;
out:
	json_decref(list);
	return rc;
}

static int credentials(demo *d, round_state *r, urna_err *e)
{
	demo_step("%s: the credential authority makes %u credentials a region and publishes the public lists",
	          r->rs->id, d->o->voters);
	for (int i = 0; i < NREG; i++) {
		r->rr[i].spec = &r->rs->regions[i];
		if (region_voters(d, r, &r->rr[i], e) != 0)
			return -1;
	}
	demo_step("%s: the credential authority checks that the board holds exactly its lists (urna credentials check)",
	          r->rs->id);
	for (int i = 0; i < NREG; i++) {
		credentials_sent s = {0};
		if (credentials_check(&d->srv.pub, d->auth, r->rr[i].pub, &s, stdout, e) != 0)
			return -1;
	}
	return 0;
}

static int voting(demo *d, round_state *r, urna_err *e)
{
	const char *R = r->rs->id;
	char buf[32], err[256];
	size_t n = 0, n1 = 0;
	for (int i = 0; i < NREG; i++)
		n += (size_t)r->rr[i].expected_cast;
	task *t = malloc((n ? n : 1) * sizeof *t);
	if (!t)
		return err_set(e, URNA_E_IO, "out of memory");
	if (local_server_set_clock(&d->srv, r->opens + 60, e) != 0)
		goto fail;
	demo_step("%s: voting opens (server clock set to %s)", R, utc_text(r->opens + 60, buf));
	for (int i = 0; i < NREG; i++)
		if (booth_fetch(&r->rr[i].ctx, &d->srv.pub, R, r->rr[i].spec->id, e) != 0)
			goto fail;
	/* The re-voters' first ballots, then every counted voter's last. */
	for (int i = 0; i < NREG; i++)
		for (uint32_t k = 0; k < r->rr[i].n; k++)
			if (r->rr[i].v[k].revote)
				t[n1++] = (task){(uint16_t)i, k, r->rr[i].v[k].first};
	size_t n2 = n1;
	for (int i = 0; i < NREG; i++)
		for (uint32_t k = 0; k < r->rr[i].plan.yes + r->rr[i].plan.no + r->rr[i].plan.blank; k++)
			t[n2++] = (task){(uint16_t)i, k, r->rr[i].v[k].final};
	demo_shuffle(t, n1);
	demo_shuffle(t + n1, n2 - n1);
	double t0 = demo_now();
	int th = d->o->threads;
	printf("    first ballots of the voters who will vote again (%zu), %d client threads\n", n1, th);
	size_t bad = demo_cast_all(&d->srv.pub, r->rr, t, n1, th, err, sizeof err);
	printf("    final ballots (%zu)\n", n2 - n1);
	bad += demo_cast_all(&d->srv.pub, r->rr, t + n1, n2 - n1, th, err, sizeof err);
	double dt = demo_now() - t0;
	printf("    %zu ballots accepted in %.1f s (%.0f a second)\n", n2 - bad, dt, dt > 0 ? (double)n2 / dt : 0.0);
	free(t);
	return bad ? err_set(e, URNA_E_MISMATCH, "%zu ballots were refused: %s", bad, err) : 0;
fail:
	free(t);
	return -1;
}

/* A voter who changed their mind looks up both trackers. */
static int trackers(demo *d, round_state *r, urna_err *e)
{
	const char *R = r->rs->id;
	const region_run *g = &r->rr[0];
	for (uint32_t k = 0; k < g->n; k++) {
		const voter *v = &g->v[k];
		if (!v->revote || v->first == v->final || v->votes != 2)
			continue;
		demo_step("%s: a voter of %s who changed their mind checks both trackers", R, g->spec->id);
		for (int w = 0; w < 2; w++) {
			static const char *names[] = {"blank", "yes", "no"};
			char tt[URNA_TRACKER_TEXT], path[200];
			json_t *tj = NULL;
			tracker_text(tt, w ? v->trk_last : v->trk_first); /* looked up as a voter types it */
			snprintf(path, sizeof path, "/api/referendums/%s/trackers/%s", R, tt);
			if (client_call(&d->srv.pub, "GET", path, NULL, &tj, NULL, "tracker", e) != 0)
				return -1;
			json_t *last = json_object_get(tj, "last_for_credential");
			printf("    %s ballot (%s), tracker %.19s...: board entry %lld, last for its credential: %s\n",
			       w ? "second" : "first", names[w ? v->final : v->first], tt,
			       (long long)json_integer_value(json_object_get(tj, "seq")),
			       json_is_true(last) ? "yes, it counts" : "no, replaced");
			demo_expect(json_is_boolean(last) && json_is_true(last) == (w == 1),
			            "only the later ballot is marked as counting");
			json_decref(tj);
		}
		break;
	}
	return 0;
}

/* Ballots the server must refuse: a stranger's, a forged signature. */
static int refusals(demo *d, round_state *r, urna_err *e)
{
	if (!r->rs->with_refusals)
		return 0;
	demo_step("%s: ballots the server must refuse", r->rs->id);
	region_run *g = &r->rr[0];
	voter stranger = {0};
	int status = 0;
	credential_new(stranger.cred);
	if (credential_derive(stranger.x, stranger.X, r->rs->id, g->spec->id, stranger.cred, e) != 0)
		return -1;
	int r1 = demo_cast_one(&d->srv.pub, g, &stranger, V_YES, &status, NULL, e);
	demo_expect(r1 != 0 && status == 403, "a credential not on the list: refused (%s)", e->msg);
	booth_answers a = {.nq = 1, .sel = {{1}}};
	char *ballot = NULL, *z, *last = NULL;
	size_t len;
	uint8_t trk[32];
	if (booth_build(&ballot, &len, trk, NULL, &g->ctx, &a, g->v[0].x, g->v[0].X, e) != 0)
		return -1;
	for (z = strstr(ballot, "\"z\":\""); z; z = strstr(z + 1, "\"z\":\""))
		last = z; /* the signature's z is the last "z" */
	if (last)
		last[5] = last[5] == 'A' ? 'B' : 'A';
	int r2 = booth_cast(&d->srv.pub, &g->ctx, ballot, len, NULL, &status, e);
	free(ballot);
	demo_expect(r2 != 0 && (status == 422 || status == 400), "a ballot with a forged signature: refused (%s)",
	            e->msg);
	char norm[CRED_NORM], typo[CRED_TEXT];
	urna_err te = {0};
	snprintf(typo, sizeof typo, "%s", g->v[1].cred);
	typo[0] = typo[0] == 'A' ? 'B' : 'A';
	demo_expect(credential_normalise(norm, typo, &te) != 0, "a mistyped credential is caught by its check bytes: %s",
	            te.msg);
	return 0;
}

static int close_and_tally(demo *d, round_state *r, urna_err *e)
{
	char buf[32];
	json_t *ans = NULL;
	if (local_server_set_clock(&d->srv, r->closes + 120, e) != 0)
		return -1;
	demo_step("%s: voting closes (server clock %s)", r->rs->id, utc_text(r->closes + 120, buf));
	if (r->rs->with_refusals) {
		region_run *g = &r->rr[1];
		uint32_t late = g->plan.yes + g->plan.no + g->plan.blank; /* an abstainer, too late */
		int status = 0;
		int r3 = demo_cast_one(&d->srv.pub, g, &g->v[late], V_NO, &status, NULL, e);
		demo_expect(r3 != 0 && status == 403, "a ballot after the close: refused (%s)", e->msg);
	}
	if (organizer_close(&d->srv.pub, d->org, r->rs->id, &ans, e) != 0)
		return -1;
	json_decref(ans);
	printf("    the organizer's close entry; the server's tally entries: the encrypted sums of the last ballot of each credential\n");
	return 0;
}

static int decryption(demo *d, round_state *r, urna_err *e)
{
	demo_step("%s: trustees decrypt the tallies; trustee %d is absent, %d of %d suffice", r->rs->id, ABSENT,
	          THRESHOLD, NTRUSTEES);
	return run_trustees(d, r, 1, ABSENT, e);
}

/* Publication: refused before announce_at, then done. */
static int publication(demo *d, round_state *r, urna_err *e)
{
	char buf[32];
	urna_err pe = {0};
	json_t *ans = NULL;
	int r4 = organizer_publish(&d->srv.pub, d->org, r->rs->id, &ans, &pe);
	demo_expect(r4 != 0 && pe.code == URNA_E_TOO_EARLY, "publishing before %s is refused: %s",
	            utc_text(r->announce, buf), pe.msg);
	json_decref(ans);
	if (local_server_set_clock(&d->srv, r->announce + 60, e) != 0)
		return -1;
	demo_step("%s: results announced (server clock %s): the organizer's publish entry, the server's results", r->rs->id,
	          utc_text(r->announce + 60, buf));
	if (organizer_publish(&d->srv.pub, d->org, r->rs->id, &ans, e) != 0)
		return -1;
	json_decref(ans);
	return 0;
}

/* The record's results.json against the plan. */
static void check_results(const json_t *results, const round_state *r)
{
	for (int i = 0; i < NREG; i++) {
		const region_spec *rs = &r->rs->regions[i];
		const demo_plan *p = &r->rr[i].plan;
		const json_t *res = NULL, *g;
		size_t k;
		json_array_foreach(json_object_get(results, "regions"), k, g) {
			const char *id = json_string_value(json_object_get(g, "id"));
			if (id && !strcmp(id, rs->id))
				res = g;
		}
		if (!res) {
			demo_expect(0, "%s has no result", rs->id);
			continue;
		}
		json_t *q = json_array_get(json_object_get(res, "questions"), 0), *c = json_object_get(q, "choices");
		uint64_t yes = (uint64_t)json_integer_value(json_object_get(json_array_get(c, 0), "count"));
		uint64_t no = (uint64_t)json_integer_value(json_object_get(json_array_get(c, 1), "count"));
		uint64_t blank = (uint64_t)json_integer_value(json_object_get(q, "blank"));
		uint64_t counted = (uint64_t)json_integer_value(json_object_get(res, "counted"));
		uint64_t cast = (uint64_t)json_integer_value(json_object_get(res, "cast"));
		uint64_t elect = (uint64_t)json_integer_value(json_object_get(res, "electorate"));
		uint32_t py = pct_tenths(yes, yes + no), pn = pct_tenths(no, yes + no), want = rs->target;
		int ok = yes == p->yes && no == p->no && blank == p->blank && counted == p->yes + p->no + p->blank &&
		         cast == (uint64_t)r->rr[i].expected_cast && elect == p->electorate && py == want &&
		         pn == 1000 - want;
		demo_expect(ok, "%-12s %u.%u%% / %u.%u%% (intended %u.%u / %u.%u), yes %llu no %llu blank %llu, "
		                "counted %llu of %llu cast",
		            rs->id, py / 10, py % 10, pn / 10, pn % 10, want / 10, want % 10, (1000 - want) / 10,
		            (1000 - want) % 10, (unsigned long long)yes, (unsigned long long)no, (unsigned long long)blank,
		            (unsigned long long)counted, (unsigned long long)cast);
	}
}

/* `urna verify RECORD` as a separate process, as an auditor runs it. */
static int run_verify(const char *record)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return -1;
	self[n] = 0;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *args[] = {self, "verify", (char *)record, NULL};
		execv(self, args);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Export, the table, the check against the plan, verify. */
static int record(demo *d, round_state *r, urna_err *e)
{
	const char *R = r->rs->id;
	char path[4400];
	int have = 0;
	snprintf(path, sizeof path, "%.4000s/%s", d->o->dir, R);
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return err_set(e, URNA_E_IO, "cannot create %s: %s", path, strerror(errno));
	snprintf(r->record, sizeof r->record, "%.4000s/%s/record", d->o->dir, R);
	if (export_from_server(&d->srv.pub, R, r->record, &have, e) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/results.json", r->record);
	json_t *results = have ? file_read_json(path, (size_t)64 << 20, 0, e) : NULL;
	if (!results)
		return have ? -1 : err_set(e, URNA_E_IO, "no results.json in %s", r->record);
	printf("\n");
	results_print(stdout, results, d->o->lang);
	printf("\n");
	demo_step("%s: the record (%s) against the intended result", R, r->record);
	check_results(results, r);
	json_decref(results);
	demo_step("%s: a voter of %s checks the receipt the server signed for their ballot against the record", R,
	          r->rr[0].spec->id);
	receipt rc;
	receipt_report rep;
	if (!r->rr[0].kept || receipt_of_answer(&rc, r->rr[0].kept, r->rr[0].kept_trk, NULL, e) != 0 ||
	    receipt_check_dir(&rep, &rc, r->record, e) != 0)
		return -1;
	demo_expect(rep.verdict == RECEIPT_ON_BOARD, "the receipt's ballot is entry %llu of the record, as signed%s",
	            (unsigned long long)rc.seq, rep.counted == 1 ? ", and it is counted" : ", replaced by a later one");
	demo_step("%s: urna verify %s", R, r->record);
	double v0 = demo_now();
	int vr = run_verify(r->record);
	demo_expect(vr == 0, "urna verify: %s (exit %d, %.1f s)", vr == 0 ? "the record checks out" : "FAILED", vr,
	            demo_now() - v0);
	return 0;
}

/* Each person's key file, made afresh (a key file is never replaced:
 * the old one is removed first). */
static int make_people(demo *d, urna_err *e)
{
	char pub[4300];
	struct {
		char *path;
		urna_role role;
		char name[64];
	} who[2 + NTRUSTEES] = {{d->org, ROLE_ORGANIZER, "Central electoral commission"},
	                        {d->auth, ROLE_AUTHORITY, "Voter registry (credential authority)"}};
	for (int i = 0; i < NTRUSTEES; i++) {
		who[2 + i].path = d->trustee[i];
		who[2 + i].role = ROLE_TRUSTEE;
		snprintf(who[2 + i].name, sizeof who[2 + i].name, "Trustee %d", i + 1);
	}
	for (int i = 0; i < 2 + NTRUSTEES; i++) {
		if (i < 2)
			snprintf(who[i].path, 4200, "%.4000s/%s.key", d->o->dir, i ? "authority" : "organizer");
		else
			snprintf(who[i].path, 4200, "%.4000s/trustee%d.key", d->o->dir, i - 1);
		unlink(who[i].path);
		if (identity_pub_path(pub, sizeof pub, who[i].path) == 0)
			unlink(pub);
		if (identity_keygen(who[i].path, who[i].role, who[i].name, NULL, e) != 0)
			return -1;
	}
	return 0;
}

/* A round, phase by phase. */
static const struct {
	const char *name;
	phase_fn run;
} PHASES[] = {
	{"create", create},
	{"postpone", postpone},
	{"key ceremony", key_ceremony},
	{"credentials", credentials},
	{"voting", voting},
	{"trackers", trackers},
	{"refusals", refusals},
	{"close and tally", close_and_tally},
	{"decryption", decryption},
	{"publication", publication},
	{"record", record},
};

static int round_run(demo *d, const round_spec *rs, urna_err *e)
{
	round_state r = {.rs = rs};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof PHASES / sizeof PHASES[0]; i++)
		if ((rc = PHASES[i].run(d, &r, e)) != 0) {
			char m[sizeof e->msg];
			snprintf(m, sizeof m, "%s", e->msg);
			err_set(e, e->code, "%s, %s: %.300s", rs->id, PHASES[i].name, m);
		}
	for (int i = 0; i < NREG; i++) {
		booth_ctx_free(&r.rr[i].ctx);
		json_decref(r.rr[i].kept);
		if (r.rr[i].v)
			sodium_memzero(r.rr[i].v, r.rr[i].n * sizeof *r.rr[i].v);
		free(r.rr[i].v);
	}
	return rc;
}

int demo_run(const demo_opts *o, urna_err *e)
{
	demo d = {.o = o};
	demo_tty = isatty(1);
	demo_clock_start();
	double t0 = demo_now();
	int rc = -1;
	signal(SIGPIPE, SIG_IGN);
	demo_step("the organizer, the credential authority and %d trustees make their identity keys (urna keygen)",
	          NTRUSTEES);
	if (make_people(&d, e) != 0)
		goto fail;
	identity_key org;
	char orgpk[URNA_B64_32];
	if (identity_load(d.org, &org, e) != 0)
		goto fail;
	b64url_encode(orgpk, org.pk, 32);
	identity_wipe(&org);
	demo_step("starting `urna serve` on 127.0.0.1 (SQLite %s/urna.db, test clock), hosting the organizer's referendums",
	          o->dir);
	if (local_server_start(&d.srv, o->dir, orgpk, 0, e) != 0)
		goto fail;
	printf("    %s, pid %d, log %s\n", d.srv.url, (int)d.srv.pid, d.srv.log);
	if (local_server_set_clock(&d.srv, demo_setup_time, e) != 0)
		goto fail;
	for (int i = 0; i < 2; i++)
		if (round_run(&d, &demo_rounds[i], e) != 0)
			goto fail;
	printf("\n");
	if (demo_mismatches()) {
		demo_step("demo FAILED: %d figure(s) differ from the intended result (%.1f s)", demo_mismatches(),
		          demo_now() - t0);
		err_set(e, URNA_E_MISMATCH, "%d figure(s) differ from the intended result", demo_mismatches());
	} else {
		demo_step("demo OK: both referendums published exactly the intended results and verify (%.1f s)",
		          demo_now() - t0);
		rc = 0;
	}
	goto out;
fail:
	fprintf(stderr, "urna demo: %s\n", e->msg);
	demo_step("demo FAILED (%.1f s)", demo_now() - t0);
out:
	local_server_stop(&d.srv);
	return rc;
}
