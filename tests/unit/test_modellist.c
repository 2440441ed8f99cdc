/*
 * test_modellist.c: the models a Region offers, as the models command and
 * the wizard list them.  From the catalog: what is listed (all models, or
 * chat models only), the order, how each row is resolved, the keep
 * callback, an unknown Region.  Live against the demo account through the
 * real HTTP layer: the same, the access fetched at once or in the
 * wizard's steps (with the list freed in between), and which call a
 * failed listing names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "access.h"
#include "bedrock.h"
#include "catalog.h"
#include "demo.h"
#include "diagnose.h"
#include "endpoint.h"
#include "err.h"
#include "hdr.h"
#include "http.h"
#include "modellist.h"
#include "resolve.h"
#include "session.h"
#include "tap.h"

#define REGION		"us-east-1"
#define MICRO		"amazon.nova-micro-v1:0"
#define LITE		"amazon.nova-lite-v1:0"
#define EMBED		"cohere.embed-english-v3"
#define SONNET45	"anthropic.claude-sonnet-4-5-20250929-v1:0"

static const struct modellist_row *
find(const struct modellist *ml, const char *id)
{
	size_t	 i;

	for (i = 0; i < ml->n; i++)
		if (strcmp(ml->rows[i].id, id) == 0)
			return &ml->rows[i];
	return NULL;
}

static int
strv_is(const struct bedrock_strv *sv, const char *const *want, size_t n)
{
	size_t	 i;

	if (sv->n != n)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(sv->v[i], want[i]) != 0)
			return 0;
	return 1;
}

/* The place of a provider the catalog knows in its order. */
static size_t
order_of(const struct catalog *cat, const struct catalog_provider *p)
{
	size_t	 i;

	for (i = 0; i < catalog_provider_count(cat); i++)
		if (catalog_provider_at(cat, i) == p)
			break;
	return i;
}

/*
 * The order both callers show: the catalog's provider order, active
 * before legacy within a provider, then name and id.  0, or the index of
 * the first row out of place.
 */
static size_t
out_of_order(const struct catalog *cat, const struct modellist *ml)
{
	size_t	 i;

	for (i = 1; i < ml->n; i++) {
		const struct modellist_row *a = &ml->rows[i - 1];
		const struct modellist_row *b = &ml->rows[i];
		const struct catalog_provider *pa = catalog_provider(cat,
		    a->provider);
		int c;

		if (a->provider_order > b->provider_order)
			return i;
		if (pa != NULL && a->provider_order != order_of(cat, pa))
			return i;
		if (a->provider_order < b->provider_order)
			continue;
		if ((c = strcasecmp(a->provider, b->provider)) != 0) {
			if (c > 0)
				return i;
			continue;
		}
		if (a->legacy != b->legacy) {
			if (a->legacy)
				return i;
			continue;
		}
		if ((c = strcasecmp(a->name, b->name)) > 0 ||
		    (c == 0 && strcmp(a->id, b->id) > 0))
			return i;
	}
	return 0;
}

/* Every row as resolve_model() says, not-callable ones known at once. */
static void
check_rows(const struct catalog *cat, const struct modellist *ml,
    const char *what)
{
	size_t	 i, bad_resolve = 0, bad_access = 0, bad_legacy = 0;

	for (i = 0; i < ml->n; i++) {
		const struct modellist_row *r = &ml->rows[i];
		struct resolve_result how;
		struct err e;
		int rc;

		err_clear(&e);
		rc = resolve_model(&ml->view, cat, r->id, &how, &e);
		if (r->callable != (rc == 0 && how.kind != RESOLVE_NONE) ||
		    (r->callable && (r->how.kind != how.kind ||
		    strcmp(r->how.invoke_id, how.invoke_id) != 0)))
			bad_resolve++;
		resolve_result_free(&how);
		if (r->callable ? r->access_known != 0 :
		    r->access_known != 1 ||
		    r->access.state != ACCESS_NOT_IN_REGION ||
		    strstr(r->access.detail, "Not offered") == NULL)
			bad_access++;
		if (r->legacy != (r->lifecycle != NULL &&
		    strcmp(r->lifecycle, "LEGACY") == 0))
			bad_legacy++;
	}
	is_int(bad_resolve, 0, "%s: each row is called as resolve_model() "
	    "says", what);
	is_int(bad_access, 0, "%s: access unknown until fetched; rows not "
	    "callable are not-in-region at once", what);
	is_int(bad_legacy, 0, "%s: legacy follows the lifecycle", what);
	is_int(out_of_order(cat, ml), 0, "%s: sorted: catalog's provider "
	    "order, active before legacy, then name", what);
}

struct keep_log {
	size_t		 calls;
	size_t		 unresolved;	/* rows seen with access known */
	const char	*provider;	/* keep only this one; NULL all */
};

static int
keep_one(const struct modellist_row *r, void *arg)
{
	struct keep_log	*k = arg;

	k->calls++;
	if (r->callable && r->access_known)
		k->unresolved++;
	return k->provider == NULL || strcmp(r->provider, k->provider) == 0;
}

static void
test_catalog(const struct catalog *cat)
{
	struct modellist	 ml, chat;
	struct modellist_opts	 o;
	struct keep_log		 k;
	struct err		 e;
	const struct modellist_row *r;
	size_t			 want, i, legacy = 0;
	static const char *const lite_in[] = { "TEXT", "IMAGE", "VIDEO" };
	static const char *const text[] = { "TEXT" };

	is_int(modellist_from_catalog(cat, REGION, NULL, &ml, &e), 0,
	    "catalog: us-east-1 lists");
	want = catalog_models_in_region(cat, REGION, 0, NULL, 0);
	is_int(ml.n, want, "catalog: every model the catalog says us-east-1 "
	    "can call");
	is_int(ml.live, 0, "catalog: not live");
	is_str(ml.region, REGION, "catalog: the Region");
	is_str(ml.view.origin, "catalog", "catalog: the catalog's view");
	check_rows(cat, &ml, "catalog");
	is_str(ml.n > 0 ? ml.rows[0].provider : NULL,
	    catalog_provider_at(cat, 0)->name,
	    "catalog: the catalog's first provider first");
	r = find(&ml, LITE);
	ok(r != NULL && strcmp(r->name, "Nova Lite") == 0 &&
	    strcmp(r->provider, "Amazon") == 0 && r->streaming == 1 &&
	    strv_is(&r->input, lite_in, 3) && strv_is(&r->output, text, 1),
	    "catalog: Nova Lite's name, provider, streaming, modalities");
	ok(r != NULL && r->callable && r->how.kind == RESOLVE_ON_DEMAND &&
	    strcmp(r->how.invoke_id, LITE) == 0,
	    "catalog: Nova Lite on demand");
	ok(find(&ml, EMBED) != NULL, "catalog: an embedding model is listed "
	    "without MODELLIST_CHAT_ONLY");
	for (i = 0; i < ml.n; i++)
		legacy += ml.rows[i].legacy;
	ok(legacy > 0, "catalog: legacy models are listed too (%zu)", legacy);

	/* Chat models only: the wizard's list. */
	memset(&o, 0, sizeof o);
	o.flags = MODELLIST_CHAT_ONLY;
	o.account = DEMO_ACCOUNT;
	is_int(modellist_from_catalog(cat, REGION, &o, &chat, &e), 0,
	    "chat only: lists");
	is_int(chat.n, catalog_models_in_region(cat, REGION,
	    CATALOG_TEXT_ONLY, NULL, 0), "chat only: the catalog's text "
	    "models");
	ok(find(&chat, EMBED) == NULL && find(&chat, MICRO) != NULL,
	    "chat only: no embedding model, Nova Micro kept");
	check_rows(cat, &chat, "chat only");
	r = NULL;
	for (i = 0; i < chat.n && r == NULL; i++)
		if (chat.rows[i].callable && chat.rows[i].how.arn != NULL)
			r = &chat.rows[i];
	ok(r != NULL && strstr(r->how.arn, DEMO_ACCOUNT) != NULL,
	    "chat only: profile ARNs carry the account given");
	modellist_free(&chat);

	/* The keep callback sees every model, resolved, before access. */
	memset(&k, 0, sizeof k);
	k.provider = "Amazon";
	memset(&o, 0, sizeof o);
	o.keep = keep_one;
	o.keep_arg = &k;
	is_int(modellist_from_catalog(cat, REGION, &o, &chat, &e), 0,
	    "keep: lists");
	is_int(k.calls, want, "keep: asked about every model once");
	is_int(k.unresolved, 0, "keep: a callable row's access is not known "
	    "yet");
	for (i = 0; i < chat.n; i++)
		if (strcmp(chat.rows[i].provider, "Amazon") != 0)
			break;
	ok(chat.n > 0 && i == chat.n, "keep: only what it kept (%zu rows)",
	    chat.n);
	modellist_free(&chat);

	/* Without asking AWS: callable rows unknown because of e. */
	err_clear(&e);
	err_set(&e, ERR_CREDENTIALS, "no credentials");
	want = 0;
	for (i = 0; i < ml.n; i++)
		want += ml.rows[i].callable;
	is_int(modellist_unknown_access(&ml, &e, DIAGNOSE_OP_CREDENTIALS),
	    want, "unknown access: every callable row");
	for (i = 0; i < ml.n; i++)
		if (!ml.rows[i].access_known || (ml.rows[i].callable ?
		    ml.rows[i].access.state != ACCESS_UNKNOWN ||
		    ml.rows[i].access.err.kind != ERR_CREDENTIALS :
		    ml.rows[i].access.state != ACCESS_NOT_IN_REGION))
			break;
	ok(ml.n > 0 && i == ml.n, "unknown access: callable rows unknown "
	    "with the reason, the rest still not-in-region");
	modellist_free(&ml);
	ok(ml.rows == NULL && ml.n == 0 && ml.region == NULL,
	    "free: leaves the list empty");
	modellist_free(&ml);
	modellist_free(NULL);

	/* A Region the catalog does not know. */
	err_clear(&e);
	is_int(modellist_from_catalog(cat, "xx-nowhere-1", NULL, &ml, &e), -1,
	    "unknown Region: -1");
	ok(e.kind != ERR_NONE && ml.n == 0 && ml.rows == NULL,
	    "unknown Region: an error, no rows");
	modellist_free(&ml);
}

/* ---- live, against the demo account ---- */

struct live {
	struct session		*s;		/* --demo=scenario */
	struct http_client	*hc;		/* through sim() */
	struct endpoint		 ep;
	struct bedrock_ctx	 bc;
	const char		*refuse;	/* an op answered 403 */
	int			 no_profiles;	/* ListInferenceProfiles: [] */
	size_t			 availability;	/* calls seen */
};

/* The demo account, but for what the test changes. */
static void
sim(void *arg, const struct http_sim_request *rq, struct http_sim_reply *rp)
{
	struct live	*l = arg;
	static const char body[] = "{\"message\":\"refused by the test\"}";
	static const char none[] = "{\"inferenceProfileSummaries\":[]}";

	if (rq->op != NULL &&
	    strcmp(rq->op, "GetFoundationModelAvailability") == 0)
		l->availability++;
	if (l->no_profiles && rq->op != NULL &&
	    strcmp(rq->op, "ListInferenceProfiles") == 0) {
		rp->status = 200;
		hdr_list_set(&rp->headers, "Content-Type", "application/json");
		http_sim_reply_add(rp, 0, none, sizeof none - 1);
		return;
	}
	if (l->refuse != NULL && rq->op != NULL &&
	    strcmp(rq->op, l->refuse) == 0) {
		rp->status = 403;
		hdr_list_set(&rp->headers, "Content-Type", "application/json");
		hdr_list_set(&rp->headers, "x-amzn-ErrorType",
		    "AccessDeniedException");
		http_sim_reply_add(rp, 0, body, sizeof body - 1);
		return;
	}
	demo_simulate(l->s->demo, rq, rp);
}

/* The demo account as the program opens it, its answers through sim(). */
static int
live_open(struct live *l, const char *scenario)
{
	struct session_opts	 so;
	struct http_config	 cfg;
	struct err		 e;

	memset(l, 0, sizeof *l);
	memset(&so, 0, sizeof so);
	so.demo = scenario;
	err_clear(&e);
	if (!ok(session_open(&so, &l->s, &e) == 0 &&
	    session_resolve_creds(l->s, time(NULL), &e) == 0 &&
	    session_endpoint(l->s, EP_BEDROCK, REGION, &l->ep, &e) == 0,
	    "demo %s: the account opens", scenario)) {
		printf("#   %s\n", e.message);
		session_close(l->s);
		return -1;
	}
	demo_set_pace(l->s->demo, 0.05);
	memset(&cfg, 0, sizeof cfg);
	cfg.simulate = sim;
	cfg.simulate_arg = l;
	cfg.max_attempts = 1;
	l->hc = http_client_new(&cfg);
	l->bc.http = l->hc;
	l->bc.ep = &l->ep;
	l->bc.creds = session_creds(l->s);
	l->bc.region = REGION;
	return 0;
}

static void
live_close(struct live *l)
{
	http_client_free(l->hc);
	session_close(l->s);
}

static void
test_live(const struct catalog *cat)
{
	struct live		 l;
	struct modellist	 ml, again;
	struct modellist_opts	 o;
	struct modellist_access	 a;
	struct err		 e;
	const struct modellist_row *r;
	size_t			 i, callable = 0, bad = 0, unknown;

	if (live_open(&l, "happy") != 0)
		return;
	err_clear(&e);
	is_int(modellist_live(&l.bc, cat, NULL, &ml, &e), 0,
	    "live: the demo account lists us-east-1");
	ok(ml.live == 1 && strcmp(ml.view.origin, "live") == 0 &&
	    strcmp(ml.region, REGION) == 0, "live: a live view of us-east-1");
	ok(ml.n > 10, "live: the Region's models (%zu)", ml.n);
	check_rows(cat, &ml, "live");
	ok(find(&ml, EMBED) != NULL, "live: an embedding model without "
	    "MODELLIST_CHAT_ONLY");
	r = find(&ml, MICRO);
	ok(r != NULL && strcmp(r->name, "Nova Micro") == 0 &&
	    strcmp(r->provider, "Amazon") == 0 && r->callable &&
	    r->how.kind == RESOLVE_ON_DEMAND, "live: Nova Micro, by AWS's "
	    "names, on demand");
	r = find(&ml, SONNET45);
	ok(r != NULL && r->callable && r->how.kind == RESOLVE_GEO_PROFILE &&
	    strcmp(r->how.invoke_id, "us." SONNET45) == 0,
	    "live: Claude Sonnet 4.5 through its us. profile");

	/* The access, at once. */
	for (i = 0; i < ml.n; i++)
		callable += ml.rows[i].callable;
	unknown = modellist_check_access(&l.bc, cat, &ml);
	is_int(unknown, 0, "live happy: no access unknown");
	for (i = 0; i < ml.n; i++)
		if (!ml.rows[i].access_known || (ml.rows[i].callable &&
		    ml.rows[i].access.state != ACCESS_GRANTED))
			bad++;
	is_int(bad, 0, "live happy: every callable row granted, every row "
	    "known (%zu callable)", callable);
	modellist_free(&ml);

	/* Chat only, and the access in the wizard's steps: the ids are
	 * copied, the list is gone while AWS is asked, the answers go to
	 * another list. */
	memset(&o, 0, sizeof o);
	o.flags = MODELLIST_CHAT_ONLY;
	is_int(modellist_live(&l.bc, cat, &o, &ml, &e), 0,
	    "live chat only: lists");
	for (i = 0, bad = 0; i < ml.n; i++)
		bad += !bedrock_strv_has(&ml.rows[i].input, "TEXT") ||
		    !bedrock_strv_has(&ml.rows[i].output, "TEXT");
	ok(ml.n > 0 && bad == 0 && find(&ml, EMBED) == NULL,
	    "live chat only: text in and text out, no embedding model");
	modellist_access_init(&a, &ml);
	for (i = 0, callable = 0; i < ml.n; i++)
		callable += ml.rows[i].callable;
	is_int(a.n, callable, "steps: the callable rows' ids are copied");
	modellist_free(&ml);
	is_int(modellist_live(&l.bc, cat, &o, &again, &e), 0,
	    "steps: a second list");
	modellist_access_apply(&again, &a);
	for (i = 0, bad = 0; i < again.n; i++)
		bad += again.rows[i].callable && again.rows[i].access_known;
	is_int(bad, 0, "steps: nothing applied before a fetch");
	is_int(modellist_access_fetch(&l.bc, cat, &a), 0,
	    "steps: fetched with no list around, nothing unknown");
	modellist_access_apply(&again, &a);
	for (i = 0, bad = 0; i < again.n; i++)
		bad += !again.rows[i].access_known ||
		    (again.rows[i].callable &&
		    again.rows[i].access.state != ACCESS_GRANTED);
	is_int(bad, 0, "steps: the answers reach the other list's rows");
	modellist_access_free(&a);
	modellist_free(&again);
	live_close(&l);

	if (live_open(&l, "terms-pending") == 0) {
		is_int(modellist_live(&l.bc, cat, NULL, &ml, &e), 0,
		    "terms-pending: lists");
		modellist_check_access(&l.bc, cat, &ml);
		for (i = 0, bad = 0, callable = 0; i < ml.n; i++)
			if (ml.rows[i].callable &&
			    strcmp(ml.rows[i].provider, "Anthropic") == 0) {
				callable++;
				bad += ml.rows[i].access.state !=
				    ACCESS_NEEDS_FORM;
			}
		ok(callable > 0 && bad == 0, "terms-pending: every Anthropic "
		    "model needs the form");
		r = find(&ml, MICRO);
		ok(r != NULL && r->access.state == ACCESS_GRANTED,
		    "terms-pending: Nova Micro granted");
		modellist_free(&ml);
		live_close(&l);
	}

	/*
	 * No inference profile in the Region: the profile-only models are
	 * listed but cannot be called, known at once, and not asked about.
	 */
	if (live_open(&l, "happy") == 0) {
		l.no_profiles = 1;
		is_int(modellist_live(&l.bc, cat, NULL, &ml, &e), 0,
		    "no profiles: lists");
		check_rows(cat, &ml, "no profiles");
		r = find(&ml, SONNET45);
		ok(r != NULL && !r->callable && r->access_known &&
		    r->access.state == ACCESS_NOT_IN_REGION,
		    "no profiles: Claude Sonnet 4.5 is not callable, and "
		    "not-in-region before any access call");
		for (i = 0, callable = 0; i < ml.n; i++)
			callable += ml.rows[i].callable;
		ok(callable > 0 && callable < ml.n, "no profiles: %zu of %zu "
		    "rows callable", callable, ml.n);
		l.availability = 0;
		modellist_check_access(&l.bc, cat, &ml);
		is_int(l.availability, callable, "no profiles: availability "
		    "asked for the callable rows only");
		ok(r != NULL && r->access.state == ACCESS_NOT_IN_REGION &&
		    strstr(r->access.detail, "Not offered") != NULL,
		    "no profiles: still not-in-region after the check");
		modellist_free(&ml);
		live_close(&l);
	}

	/* A refused listing names its call, and leaves nothing. */
	if (live_open(&l, "happy") == 0) {
		l.refuse = "ListFoundationModels";
		err_clear(&e);
		is_int(modellist_live(&l.bc, cat, NULL, &ml, &e), -1,
		    "ListFoundationModels refused: -1");
		ok(ml.failed_op == DIAGNOSE_OP_LIST_MODELS &&
		    strcmp(e.code, "AccessDeniedException") == 0 &&
		    ml.n == 0 && ml.rows == NULL,
		    "ListFoundationModels refused: named, the error kept, "
		    "no rows");
		modellist_free(&ml);
		l.refuse = "ListInferenceProfiles";
		err_clear(&e);
		is_int(modellist_live(&l.bc, cat, NULL, &ml, &e), -1,
		    "ListInferenceProfiles refused: -1");
		ok(ml.failed_op == DIAGNOSE_OP_LIST_PROFILES &&
		    strcmp(e.code, "AccessDeniedException") == 0 &&
		    ml.n == 0 && ml.view.nfms == 0,
		    "ListInferenceProfiles refused: named, no rows, no view");
		modellist_free(&ml);
		live_close(&l);
	}
}

int
main(void)
{
	struct catalog	*cat;
	struct err	 e;

	cat = catalog_load_embedded(&e);
	ok(cat != NULL, "the embedded catalog loads");
	if (cat != NULL) {
		test_catalog(cat);
		test_live(cat);
	}
	catalog_free(cat);
	return tap_done();
}
