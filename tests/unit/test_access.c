/*
 * test_access.c: a model's access state.  One case per row of the
 * classification table (access.c facts[] plus the granted and unknown
 * ends), the order between rows, the JSON ids, the findings doctor
 * reads and the gates they diagnose to, and access_check_many() against
 * the demo account through the real HTTP layer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "bedrock.h"
#include "catalog.h"
#include "creds.h"
#include "demo.h"
#include "diagnose.h"
#include "endpoint.h"
#include "err.h"
#include "http.h"
#include "tap.h"

#define HAIKU45		"anthropic.claude-haiku-4-5-20251001-v1:0"
#define MICRO		"amazon.nova-micro-v1:0"
#define EMBED		"cohere.embed-english-v3"
#define LARGE2407	"mistral.mistral-large-2407-v1:0"

/* An availability answer; NULL members are absent from it. */
static struct bedrock_availability
av(const char *region, const char *agreement, const char *entitlement,
    const char *authorization)
{
	struct bedrock_availability	 a;

	memset(&a, 0, sizeof a);
	a.model_id = (char *)"m";
	a.region = (char *)region;
	a.agreement = (char *)agreement;
	a.entitlement = (char *)entitlement;
	a.authorization = (char *)authorization;
	return a;
}

static const struct bedrock_availability ALL_GOOD_ = { (char *)"m",
    (char *)"AVAILABLE", NULL, (char *)"AUTHORIZED", (char *)"AVAILABLE",
    (char *)"AVAILABLE" };
#define ALL_GOOD	(&ALL_GOOD_)

struct row {
	const char		*name;
	int			 have_av;	/* 0: av NULL */
	const char		*region, *agreement, *entitlement, *auth;
	const char		*agreement_error;
	int			 form;
	int			 offered;
	enum access_state	 want;
	const char		*id;		/* its JSON id */
	const char		*detail_has;	/* in the detail */
};

#define OK_AV	1, "AVAILABLE", "AVAILABLE", "AVAILABLE", "AUTHORIZED"

/* One row per line of the classification table, then the order. */
static const struct row rows[] = {
	{ "not offered here (listing)", OK_AV, NULL, ACCESS_FORM_NOT_NEEDED,
	  0, ACCESS_NOT_IN_REGION, "not-in-region", "Not offered" },
	{ "regionAvailability NOT_AVAILABLE", 1, "NOT_AVAILABLE",
	  "AVAILABLE", "AVAILABLE", "AUTHORIZED", NULL,
	  ACCESS_FORM_NOT_NEEDED, 1, ACCESS_NOT_IN_REGION, "not-in-region",
	  "regionAvailability NOT_AVAILABLE" },
	{ "use-case form never submitted", OK_AV, NULL, ACCESS_FORM_NEVER, 1,
	  ACCESS_NEEDS_FORM, "needs-form", "use-case form" },
	{ "agreement PENDING", 1, "AVAILABLE", "PENDING", "AVAILABLE",
	  "AUTHORIZED", NULL, ACCESS_FORM_NOT_NEEDED, 1, ACCESS_PENDING,
	  "pending", "being processed" },
	{ "agreement ERROR", 1, "AVAILABLE", "ERROR", "AVAILABLE",
	  "AUTHORIZED", "Payment instrument declined",
	  ACCESS_FORM_NOT_NEEDED, 1, ACCESS_NEEDS_AGREEMENT, "pending",
	  "(Payment instrument declined)" },
	{ "agreement NOT_AVAILABLE", 1, "AVAILABLE", "NOT_AVAILABLE",
	  "AVAILABLE", "AUTHORIZED", NULL, ACCESS_FORM_NOT_NEEDED, 1,
	  ACCESS_NEEDS_AGREEMENT, "pending", "agreement offer" },
	{ "entitlement NOT_AVAILABLE", 1, "AVAILABLE", "AVAILABLE",
	  "NOT_AVAILABLE", "AUTHORIZED", NULL, ACCESS_FORM_NOT_NEEDED, 1,
	  ACCESS_NEEDS_SUBSCRIPTION, "needs-subscription", "payment method" },
	{ "authorization NOT_AUTHORIZED", 1, "AVAILABLE", "AVAILABLE",
	  "AVAILABLE", "NOT_AUTHORIZED", NULL, ACCESS_FORM_NOT_NEEDED, 1,
	  ACCESS_DENIED, "denied", "authorizationStatus NOT_AUTHORIZED" },
	{ "everything available, no form needed", OK_AV, NULL,
	  ACCESS_FORM_NOT_NEEDED, 1, ACCESS_GRANTED, "granted",
	  "Enabled for this account." },
	{ "everything available, form submitted", OK_AV, NULL,
	  ACCESS_FORM_SUBMITTED, -1, ACCESS_GRANTED, "granted",
	  "form is submitted" },
	{ "availability not known", 0, NULL, NULL, NULL, NULL, NULL,
	  ACCESS_FORM_NOT_NEEDED, 1, ACCESS_UNKNOWN, "unknown",
	  "GetFoundationModelAvailability" },
	{ "form state not known", OK_AV, NULL, ACCESS_FORM_UNKNOWN, 1,
	  ACCESS_UNKNOWN, "unknown", "could not be read" },
	{ "fields absent from the answer block nothing", 1, NULL, NULL, NULL,
	  NULL, NULL, ACCESS_FORM_NOT_NEEDED, -1, ACCESS_GRANTED, "granted",
	  NULL },

	/* Precedence: what a person fixes first wins. */
	{ "order: Region before the form", 1, "NOT_AVAILABLE", "AVAILABLE",
	  "AVAILABLE", "AUTHORIZED", NULL, ACCESS_FORM_NEVER, -1,
	  ACCESS_NOT_IN_REGION, "not-in-region", NULL },
	{ "order: not listed wins even with nothing else known", 0, NULL,
	  NULL, NULL, NULL, NULL, ACCESS_FORM_UNKNOWN, 0,
	  ACCESS_NOT_IN_REGION, "not-in-region", NULL },
	{ "order: the form before the agreement", 1, "AVAILABLE", "PENDING",
	  "NOT_AVAILABLE", "NOT_AUTHORIZED", NULL, ACCESS_FORM_NEVER, 1,
	  ACCESS_NEEDS_FORM, "needs-form", NULL },
	{ "order: the agreement before the entitlement", 1, "AVAILABLE",
	  "NOT_AVAILABLE", "NOT_AVAILABLE", "NOT_AUTHORIZED", NULL,
	  ACCESS_FORM_SUBMITTED, 1, ACCESS_NEEDS_AGREEMENT, "pending", NULL },
	{ "order: a pending agreement before the entitlement", 1, "AVAILABLE",
	  "PENDING", "NOT_AVAILABLE", "AUTHORIZED", NULL,
	  ACCESS_FORM_NOT_NEEDED, 1, ACCESS_PENDING, "pending", NULL },
	{ "order: the entitlement before the authorization", 1, "AVAILABLE",
	  "AVAILABLE", "NOT_AVAILABLE", "NOT_AUTHORIZED", NULL,
	  ACCESS_FORM_NOT_NEEDED, 1, ACCESS_NEEDS_SUBSCRIPTION,
	  "needs-subscription", NULL },
	{ "order: a known form beats an unknown availability", 0, NULL, NULL,
	  NULL, NULL, NULL, ACCESS_FORM_NEVER, 1, ACCESS_NEEDS_FORM,
	  "needs-form", NULL },
	{ "order: a known pending agreement beats an unknown form", 1,
	  "AVAILABLE", "PENDING", "AVAILABLE", "AUTHORIZED", NULL,
	  ACCESS_FORM_UNKNOWN, 1, ACCESS_PENDING, "pending", NULL },
};

static void
test_rows(void)
{
	size_t	 i;
	char	 detail[ACCESS_DETAIL_MAX];

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		struct bedrock_availability a = av(r->region, r->agreement,
		    r->entitlement, r->auth);
		enum access_state st;

		a.agreement_error = (char *)r->agreement_error;
		detail[0] = '\0';
		st = access_classify(r->have_av ? &a : NULL, r->form,
		    r->offered, detail, sizeof detail);
		is_int(st, r->want, "classify: %s", r->name);
		is_str(access_state_id(st), r->id, "classify: %s: id %s",
		    r->name, r->id);
		ok(detail[0] != '\0' && strchr(detail, '\n') == NULL,
		    "classify: %s: one line of detail", r->name);
		if (r->detail_has != NULL && !ok(strstr(detail,
		    r->detail_has) != NULL, "classify: %s: detail says \"%s\"",
		    r->name, r->detail_has))
			printf("#   detail: %s\n", detail);
	}
	/* A NULL detail buffer is allowed. */
	is_int(access_classify(ALL_GOOD, ACCESS_FORM_NOT_NEEDED, 1, NULL, 0),
	    ACCESS_GRANTED, "classify: detail may be NULL");
	/* A long errorMessage from AWS is cut, not lost with the rest. */
	{
		char long_msg[2000];
		struct bedrock_availability a = av("AVAILABLE", "ERROR",
		    "AVAILABLE", "AUTHORIZED");

		memset(long_msg, 'x', sizeof long_msg - 1);
		long_msg[sizeof long_msg - 1] = '\0';
		a.agreement_error = long_msg;
		access_classify(&a, ACCESS_FORM_NOT_NEEDED, 1, detail,
		    sizeof detail);
		ok(strncmp(detail, "The Marketplace agreement failed (", 34)
		    == 0 && strlen(detail) < sizeof detail,
		    "classify: a long AWS message is cut to fit");
	}
}

static void
test_ids(void)
{
	static const struct { enum access_state s; const char *id; } m[] = {
		{ ACCESS_UNKNOWN, "unknown" },
		{ ACCESS_GRANTED, "granted" },
		{ ACCESS_PENDING, "pending" },
		{ ACCESS_NEEDS_FORM, "needs-form" },
		{ ACCESS_NEEDS_AGREEMENT, "pending" },
		{ ACCESS_NEEDS_SUBSCRIPTION, "needs-subscription" },
		{ ACCESS_NOT_IN_REGION, "not-in-region" },
		{ ACCESS_DENIED, "denied" },
	};
	size_t	 i;

	for (i = 0; i < sizeof m / sizeof m[0]; i++) {
		is_str(access_state_id(m[i].s), m[i].id, "id of state %d is %s",
		    (int)m[i].s, m[i].id);
		ok(access_state_name(m[i].s) != NULL &&
		    access_state_name(m[i].s)[0] != '\0',
		    "state %d has a name for people", (int)m[i].s);
	}
	is_int(ACCESS_UNKNOWN, 0, "a zeroed access_info is UNKNOWN");
	is_str(access_state_id((enum access_state)99), "unknown",
	    "an out-of-range state is unknown");
}

/* The findings doctor reads, and the gates they diagnose to. */
static void
test_findings(void)
{
	struct bedrock_availability	 a = av("NOT_AVAILABLE", "PENDING",
	    "NOT_AVAILABLE", "NOT_AUTHORIZED");
	struct access_finding		 f[8];
	static const struct {
		enum access_state	 s;
		const char		*gate;
	} want[] = {
		{ ACCESS_NOT_IN_REGION, "region" },
		{ ACCESS_NEEDS_FORM, "terms" },
		{ ACCESS_PENDING, "terms" },
		{ ACCESS_NEEDS_SUBSCRIPTION, "model_access" },
		{ ACCESS_DENIED, "model_access" },
	};
	size_t				 n, i;

	n = access_findings(&a, ACCESS_FORM_NEVER, 0, f, 8);
	is_int(n, 5, "findings: every blocking fact once, Region once");
	for (i = 0; i < n && i < 5; i++) {
		struct err		 e;
		struct diagnose_result	 r;
		struct diagnose_ctx	 ctx;

		is_int(f[i].state, want[i].s, "findings: #%zu is %s", i,
		    access_state_id(want[i].s));
		err_clear(&e);
		err_set_aws(&e, 0, f[i].code, f[i].code, NULL);
		memset(&ctx, 0, sizeof ctx);
		ctx.op = DIAGNOSE_OP_AVAILABILITY;
		diagnose_err(&e, &ctx, &r);
		is_str(r.gate_id, want[i].gate,
		    "findings: %s is reported on doctor's %s gate", f[i].code,
		    want[i].gate);
	}
	a = av("AVAILABLE", "NOT_AVAILABLE", "AVAILABLE", "AUTHORIZED");
	n = access_findings(&a, ACCESS_FORM_NOT_NEEDED, -1, f, 8);
	is_int(n, 1, "findings: one agreement fact");
	is_str(n > 0 ? f[0].code : NULL, DIAGNOSE_CODE_AGREEMENT_MISSING,
	    "findings: a missing agreement is AgreementNotAvailable");
	a = av("AVAILABLE", "ERROR", "AVAILABLE", "AUTHORIZED");
	n = access_findings(&a, ACCESS_FORM_NOT_NEEDED, -1, f, 8);
	is_str(n > 0 ? f[0].code : NULL, DIAGNOSE_CODE_AGREEMENT_MISSING,
	    "findings: a failed agreement is AgreementNotAvailable too");
	a = av("NOT_AVAILABLE", "PENDING", "NOT_AVAILABLE", "NOT_AUTHORIZED");
	is_int(access_findings(&a, ACCESS_FORM_NEVER, 1, f, 2), 5,
	    "findings: the count goes on past max");
	is_int(access_findings(ALL_GOOD, ACCESS_FORM_SUBMITTED, 1, f, 8), 0,
	    "findings: none when everything is in place");
	is_int(access_findings(NULL, ACCESS_FORM_UNKNOWN, -1, f, 8), 0,
	    "findings: none when nothing is known");
	/* The first finding is what access_classify says. */
	a = av("AVAILABLE", "PENDING", "NOT_AVAILABLE", "AUTHORIZED");
	n = access_findings(&a, ACCESS_FORM_NOT_NEEDED, 1, f, 8);
	is_int(n > 0 ? (int)f[0].state : -1, access_classify(&a,
	    ACCESS_FORM_NOT_NEEDED, 1, NULL, 0),
	    "findings: the first is the classification");
}

static void
test_needs_form(const struct catalog *cat)
{
	is_int(access_needs_form(cat, HAIKU45), 1, "form: Anthropic model");
	is_int(access_needs_form(cat, "us." HAIKU45), 1,
	    "form: Anthropic through a profile id");
	is_int(access_needs_form(cat, "arn:aws:bedrock:us-east-1:111122223333:"
	    "inference-profile/global." HAIKU45), 1,
	    "form: Anthropic through a profile ARN");
	is_int(access_needs_form(NULL, "anthropic.claude-future-v9"), 1,
	    "form: the anthropic. prefix without a catalog");
	is_int(access_needs_form(cat, MICRO), 0, "form: not for Amazon");
	is_int(access_needs_form(cat, EMBED), 0, "form: not for Cohere");
	is_int(access_needs_form(cat, "unknownco.model-v1"), 0,
	    "form: not for an unknown provider");
	is_int(access_needs_form(cat, NULL), 0, "form: NULL id");
}

static const char *
no_env(void *arg, const char *name)
{
	(void)arg;
	(void)name;
	return NULL;
}

/* The demo account, counting what it is asked. */
struct counted {
	struct demo	*d;
	size_t		 availability;	/* GetFoundationModelAvailability */
	size_t		 use_case;	/* GetUseCaseForModelAccess */
};

static void
count_sim(void *arg, const struct http_sim_request *rq,
    struct http_sim_reply *rp)
{
	struct counted	*c = arg;

	if (rq->op != NULL &&
	    strcmp(rq->op, "GetFoundationModelAvailability") == 0)
		c->availability++;
	if (rq->op != NULL && strcmp(rq->op, "GetUseCaseForModelAccess") == 0)
		c->use_case++;
	demo_simulate(c->d, rq, rp);
}

/*
 * access_check_many against a demo scenario in us-east-1; calls (may be
 * NULL) gets what AWS was asked.  A scenario that does not open fails.
 */
static int
demo_check(const char *scenario, const struct catalog *cat,
    const char *const *ids, const int *offered, size_t n,
    struct access_info *out, size_t *unknown, struct counted *calls)
{
	struct counted		 cnt;
	struct http_config	 cfg;
	struct http_client	*hc;
	struct endpoint_sources	 src;
	struct endpoint		 ep;
	struct bedrock_ctx	 bc;
	struct creds		*cr = NULL;
	struct creds_report	*rep = NULL;
	struct demo		*d;
	struct err		 e;

	if (!ok((d = demo_new(scenario, &e)) != NULL, "demo %s opens",
	    scenario)) {
		printf("#   %s\n", e.message);
		return -1;
	}
	demo_set_pace(d, 0.05);
	memset(&cnt, 0, sizeof cnt);
	cnt.d = d;
	memset(&cfg, 0, sizeof cfg);
	cfg.simulate = count_sim;
	cfg.simulate_arg = &cnt;
	hc = http_client_new(&cfg);
	demo_credentials(d, time(NULL), &cr, &rep, &e);
	memset(&src, 0, sizeof src);
	src.getenv = no_env;
	endpoint_resolve(EP_BEDROCK, "us-east-1", &src, &ep, &e);
	memset(&bc, 0, sizeof bc);
	bc.http = hc;
	bc.ep = &ep;
	bc.creds = cr;
	bc.region = "us-east-1";
	*unknown = access_check_many(&bc, cat, ids, offered, n, out);
	if (calls != NULL)
		*calls = cnt;
	http_client_free(hc);
	creds_free(cr);
	creds_report_free(rep);
	demo_free(d);
	return 0;
}

static void
test_check_many(const struct catalog *cat)
{
	const char	*ids[] = { MICRO, HAIKU45, EMBED, LARGE2407,
	    "us." HAIKU45 };
	int		 offered[] = { 1, 1, 1, -1, 1 };
	struct access_info out[5];
	struct counted	 calls;
	size_t		 unknown = 99, i;

	if (demo_check("happy", cat, ids, offered, 5, out, &unknown,
	    &calls) == 0) {
		is_int(unknown, 0, "demo happy: nothing unknown");
		is_int(calls.use_case, 1, "demo happy: the form asked once for "
		    "the account");
		is_int(calls.availability, 5, "demo happy: availability asked "
		    "for each model");
		for (i = 0; i < 5; i++)
			is_str(out[i].model_id, ids[i],
			    "demo happy: entry %zu names its model", i);
		is_str(access_state_id(out[0].state), "granted",
		    "demo happy: Nova Micro granted");
		is_str(access_state_id(out[1].state), "granted",
		    "demo happy: Claude Haiku 4.5 granted (form submitted)");
		ok(strstr(out[1].detail, "form is submitted") != NULL,
		    "demo happy: the detail says the form is in");
		is_str(access_state_id(out[2].state), "granted",
		    "demo happy: Cohere granted (agreement in place)");
		is_str(access_state_id(out[3].state), "not-in-region",
		    "demo happy: a model us-east-1 lacks is not-in-region "
		    "(from regionAvailability)");
		is_str(access_state_id(out[4].state), "granted",
		    "demo happy: a profile id is asked about its model");
	}
	if (demo_check("terms-pending", cat, ids, offered, 5, out,
	    &unknown, NULL) == 0) {
		is_int(unknown, 0, "demo terms-pending: nothing unknown");
		is_str(access_state_id(out[0].state), "granted",
		    "demo terms-pending: Nova Micro still granted");
		is_int(out[1].state, ACCESS_NEEDS_FORM,
		    "demo terms-pending: Claude Haiku 4.5 needs the form");
		is_int(out[4].state, ACCESS_NEEDS_FORM,
		    "demo terms-pending: so does its profile");
		is_int(out[2].state, ACCESS_NEEDS_AGREEMENT,
		    "demo terms-pending: Cohere needs its agreement");
		is_str(access_state_id(out[2].state), "pending",
		    "demo terms-pending: reported as pending terms");
	}
	/* offered 0: no call needed, and none is made for it. */
	offered[0] = 0;
	if (demo_check("happy", cat, ids, offered, 1, out, &unknown,
	    &calls) == 0) {
		is_int(out[0].state, ACCESS_NOT_IN_REGION,
		    "offered 0: not-in-region");
		is_int(calls.availability + calls.use_case, 0,
		    "offered 0: without asking AWS");
	}
	/* No credentials: every asked model is unknown, saying why. */
	if (demo_check("no-credentials", cat, ids, NULL, 2, out,
	    &unknown, NULL) == 0) {
		is_int(unknown, 2, "demo no-credentials: both unknown");
		ok(out[0].err.kind != ERR_NONE && out[0].detail[0] != '\0',
		    "demo no-credentials: the failure and a detail are kept");
	}
}

/* Whether s ends on a whole UTF-8 character. */
static int
utf8_whole(const char *s)
{
	size_t	 n = strlen(s), i = n, len;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0 || ((unsigned char)s[i - 1] & 0x80) == 0)
		return i == n;
	len = ((unsigned char)s[i - 1] & 0xe0) == 0xc0 ? 2 :
	    ((unsigned char)s[i - 1] & 0xf0) == 0xe0 ? 3 : 4;
	return n - (i - 1) == len;
}

static void
test_unknown_many(void)
{
	const char		*ids[] = { MICRO, LARGE2407 };
	int			 offered[] = { -1, 0 };
	struct access_info	 out[2];
	struct err		 e;

	err_clear(&e);
	err_set_aws(&e, 403, "AccessDeniedException", "User: arn:aws:iam::"
	    "111122223333:user/alice is not authorized to perform: "
	    "bedrock:GetFoundationModelAvailability", NULL);
	is_int(access_unknown_many(&e, DIAGNOSE_OP_AVAILABILITY, "us-east-1",
	    ids, offered, 2, out), 1, "unknown_many: one unknown");
	is_int(out[0].state, ACCESS_UNKNOWN,
	    "denied availability call: UNKNOWN, not DENIED");
	ok(strstr(out[0].detail, "bedrock:GetFoundationModelAvailability")
	    != NULL, "denied availability call: the detail names the "
	    "missing permission");
	is_str(out[0].err.code, "AccessDeniedException",
	    "denied availability call: the error is kept");
	is_int(out[1].state, ACCESS_NOT_IN_REGION,
	    "unknown_many: a model known absent stays not-in-region");

	/* A long diagnosis in a language of two-byte letters: whole. */
	{
		char			 msg[700];
		size_t			 i;
		struct diagnose_ctx	 ctx;
		struct diagnose_result	 r;

		msg[0] = 'x';
		for (i = 1; i + 2 < sizeof msg; i += 2)
			memcpy(msg + i, "\xc3\xa4", 2);	/* a-umlaut */
		msg[i] = '\0';
		err_clear(&e);
		err_set(&e, ERR_CREDENTIALS, "%s", msg);
		access_unknown_many(&e, DIAGNOSE_OP_CREDENTIALS, "us-east-1",
		    ids, NULL, 1, out);
		memset(&ctx, 0, sizeof ctx);
		ctx.op = DIAGNOSE_OP_CREDENTIALS;
		ctx.region = "us-east-1";
		ctx.model_id = ids[0];
		diagnose_err(&e, &ctx, &r);
		ok(strlen(r.cause) > 600, "long diagnosis: %zu bytes",
		    strlen(r.cause));
		ok(strncmp(out[0].detail, r.cause, strlen(out[0].detail)) ==
		    0 && strlen(out[0].detail) + 2 >= sizeof out[0].detail &&
		    utf8_whole(out[0].detail), "long diagnosis: the detail is "
		    "as much as fits, cut between characters");
	}
}

int
main(void)
{
	struct catalog	*cat;
	struct err	 e;

	cat = catalog_load_embedded(&e);
	ok(cat != NULL, "the embedded catalog loads");
	test_rows();
	test_ids();
	test_findings();
	if (cat != NULL) {
		test_needs_form(cat);
		test_check_many(cat);
	}
	test_unknown_many();
	catalog_free(cat);
	return tap_done();
}
