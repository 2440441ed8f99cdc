/*
 * access.c: a model's access state in a Region (see access.h).
 *
 * The knowledge is the facts[] table: each row is one blocking fact, in
 * the order a person fixes them, with the state it means, the diagnosis
 * code doctor reports it with, and the sentence for people.  The rest is
 * the matcher and the batch fetch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "bedrock.h"
#include "buf.h"
#include "catalog.h"
#include "diagnose.h"
#include "err.h"
#include "i18n.h"
#include "xalloc.h"

/* Which part of the answer a row reads. */
enum fact {
	FACT_OFFERED,		/* the offered argument */
	FACT_REGION,		/* regionAvailability */
	FACT_FORM,		/* the use-case form */
	FACT_AGREEMENT,		/* agreementAvailability.status */
	FACT_ENTITLEMENT,	/* entitlementAvailability */
	FACT_AUTHORIZATION	/* authorizationStatus */
};

struct fact_row {
	enum fact		 fact;
	/* For availability fields: the value that passes, and the one this
	 * row matches (NULL: any other value). */
	const char		*good;
	const char		*value;
	enum access_state	 state;
	const char		*code;		/* DIAGNOSE_CODE_* */
	/* N_() sentence; {v} stands for the value AWS gave. */
	const char		*detail;
};

/* The order a person fixes them in: first match wins. */
static const struct fact_row facts[] = {
	{ FACT_OFFERED, NULL, NULL, ACCESS_NOT_IN_REGION,
	  DIAGNOSE_CODE_REGION_UNAVAILABLE,
	  N_("Not offered in this Region, neither on demand nor through an "
	     "inference profile.") },
	{ FACT_REGION, "AVAILABLE", NULL, ACCESS_NOT_IN_REGION,
	  DIAGNOSE_CODE_REGION_UNAVAILABLE,
	  N_("AWS says the model is not available in this Region "
	     "(regionAvailability {v}).") },
	{ FACT_FORM, NULL, NULL, ACCESS_NEEDS_FORM,
	  DIAGNOSE_CODE_USE_CASE_MISSING,
	  N_("Anthropic's use-case form has not been submitted for this "
	     "account: submit it once (the wizard's Access step, or "
	     "PutUseCaseForModelAccess).") },
	{ FACT_AGREEMENT, "AVAILABLE", "PENDING", ACCESS_PENDING,
	  DIAGNOSE_CODE_AGREEMENT_PENDING,
	  N_("The Marketplace agreement is being processed: check again in a "
	     "few minutes.") },
	{ FACT_AGREEMENT, "AVAILABLE", "ERROR", ACCESS_NEEDS_AGREEMENT,
	  DIAGNOSE_CODE_AGREEMENT_MISSING,
	  N_("The Marketplace agreement failed ({v}): accept the offer again, "
	     "or call the model once with the Marketplace permissions.") },
	{ FACT_AGREEMENT, "AVAILABLE", NULL, ACCESS_NEEDS_AGREEMENT,
	  DIAGNOSE_CODE_AGREEMENT_MISSING,
	  N_("The model's agreement offer is not accepted yet: accept it (the "
	     "wizard's Access step), or call the model once with the "
	     "Marketplace permissions.") },
	{ FACT_ENTITLEMENT, "AVAILABLE", NULL, ACCESS_NEEDS_SUBSCRIPTION,
	  DIAGNOSE_CODE_NOT_ENTITLED,
	  N_("The account has no Marketplace entitlement for the model: its "
	     "subscription or a valid payment method is missing.") },
	{ FACT_AUTHORIZATION, "AUTHORIZED", NULL, ACCESS_DENIED,
	  DIAGNOSE_CODE_NOT_AUTHORIZED,
	  N_("AWS says this identity is not authorized to use the model "
	     "(authorizationStatus {v}).") },
};

#define NFACTS	(sizeof facts / sizeof facts[0])

static const char *const state_ids[ACCESS_STATE_COUNT] = {
	[ACCESS_UNKNOWN] = "unknown",
	[ACCESS_GRANTED] = "granted",
	[ACCESS_PENDING] = "pending",
	[ACCESS_NEEDS_FORM] = "needs-form",
	[ACCESS_NEEDS_AGREEMENT] = "pending",
	[ACCESS_NEEDS_SUBSCRIPTION] = "needs-subscription",
	[ACCESS_NOT_IN_REGION] = "not-in-region",
	[ACCESS_DENIED] = "denied",
};

static const char *const state_names[ACCESS_STATE_COUNT] = {
	[ACCESS_UNKNOWN] = N_("could not tell"),
	[ACCESS_GRANTED] = N_("enabled for this account"),
	[ACCESS_PENDING] = N_("agreement being processed"),
	[ACCESS_NEEDS_FORM] = N_("needs Anthropic's use-case form"),
	[ACCESS_NEEDS_AGREEMENT] = N_("needs its agreement offer accepted"),
	[ACCESS_NEEDS_SUBSCRIPTION] = N_("needs a Marketplace subscription"),
	[ACCESS_NOT_IN_REGION] = N_("not offered in this Region"),
	[ACCESS_DENIED] = N_("not authorized for this identity"),
};

const char *
access_state_id(enum access_state s)
{
	if ((unsigned)s >= ACCESS_STATE_COUNT)
		s = ACCESS_UNKNOWN;
	return state_ids[s];
}

const char *
access_state_name(enum access_state s)
{
	if ((unsigned)s >= ACCESS_STATE_COUNT)
		s = ACCESS_UNKNOWN;
	return state_names[s];
}

/* The value a row reads: NULL when not known. */
static const char *
fact_value(const struct fact_row *row, const struct bedrock_availability *av)
{
	if (av == NULL)
		return NULL;
	switch (row->fact) {
	case FACT_REGION:
		return av->region;
	case FACT_AGREEMENT:
		return av->agreement;
	case FACT_ENTITLEMENT:
		return av->entitlement;
	case FACT_AUTHORIZATION:
		return av->authorization;
	default:
		return NULL;
	}
}

/* Whether the row's fact is there: the model is blocked by it. */
static int
row_matches(const struct fact_row *row, const struct bedrock_availability *av,
    int form, int offered)
{
	const char	*v;

	switch (row->fact) {
	case FACT_OFFERED:
		return offered == 0;
	case FACT_FORM:
		return form == ACCESS_FORM_NEVER;
	default:
		/* Absent fields (AWS requires them all) block nothing. */
		if ((v = fact_value(row, av)) == NULL ||
		    strcmp(v, row->good) == 0)
			return 0;
		return row->value == NULL || strcmp(v, row->value) == 0;
	}
}

/* s into dst (size > 0), cut on a UTF-8 character boundary. */
static void
copy_cut(char *dst, size_t size, const char *s)
{
	size_t	 n = strlen(s);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The template with {v} replaced by value, into dst. */
static void
fill(char *dst, size_t size, const char *tmpl, const char *value)
{
	struct buf	 b;
	const char	*p, *at;

	if (dst == NULL || size == 0)
		return;
	buf_init(&b, 0);
	for (p = tmpl; (at = strstr(p, "{v}")) != NULL; p = at + 3) {
		buf_add(&b, p, (size_t)(at - p));
		/* AWS's words: keep the sentence readable. */
		buf_printf(&b, "%.200s", value != NULL ? value : "?");
	}
	buf_addstr(&b, p);
	copy_cut(dst, size, buf_str(&b));
	buf_free(&b);
}

size_t
access_findings(const struct bedrock_availability *av, int form,
    int offered, struct access_finding *out, size_t max)
{
	size_t	 i, n = 0;
	int	 region_said = 0;

	for (i = 0; i < NFACTS; i++) {
		const struct fact_row *row = &facts[i];

		if (!row_matches(row, av, form, offered))
			continue;
		/* One fact per field: the agreement rows exclude each other,
		 * and the Region is said once whoever said it. */
		if (row->state == ACCESS_NOT_IN_REGION) {
			if (region_said)
				continue;
			region_said = 1;
		}
		if (n < max) {
			out[n].state = row->state;
			out[n].code = row->code;
		}
		n++;
		if (row->fact == FACT_AGREEMENT)
			while (i + 1 < NFACTS &&
			    facts[i + 1].fact == FACT_AGREEMENT)
				i++;
	}
	return n;
}

enum access_state
access_classify(const struct bedrock_availability *av, int form,
    int offered, char *detail, size_t size)
{
	size_t	 i;

	for (i = 0; i < NFACTS; i++) {
		const struct fact_row *row = &facts[i];
		const char *v;

		if (!row_matches(row, av, form, offered))
			continue;
		v = fact_value(row, av);
		if (row->fact == FACT_AGREEMENT && av->agreement_error != NULL)
			v = av->agreement_error;
		fill(detail, size, core_tr(row->detail), v);
		return row->state;
	}
	if (av == NULL || form == ACCESS_FORM_UNKNOWN) {
		fill(detail, size, av == NULL ?
		    core_tr(N_("The access state could not be read "
		    "(GetFoundationModelAvailability).")) :
		    core_tr(N_("Whether Anthropic's use-case form was "
		    "submitted could not be read.")), NULL);
		return ACCESS_UNKNOWN;
	}
	fill(detail, size, form == ACCESS_FORM_SUBMITTED ?
	    core_tr(N_("Enabled for this account; Anthropic's use-case form "
	    "is submitted.")) :
	    core_tr(N_("Enabled for this account.")), NULL);
	return ACCESS_GRANTED;
}

int
access_needs_form(const struct catalog *cat, const char *model_id)
{
	const struct catalog_provider	*p = NULL;
	char				*bare, *dot;
	int				 r;

	if (model_id == NULL)
		return 0;
	bare = bedrock_bare_model_id(model_id);
	if (bare == NULL)
		return 0;
	r = strncmp(bare, "anthropic.", 10) == 0;
	if (!r && cat != NULL) {
		const struct catalog_model *m = catalog_model(cat, bare);

		if (m != NULL)
			p = catalog_provider(cat, m->provider);
		else if ((dot = strchr(bare, '.')) != NULL) {
			*dot = '\0';
			p = catalog_provider(cat, bare);
		}
		r = p != NULL && p->needs_use_case_form;
	}
	free(bare);
	return r;
}

/* An UNKNOWN entry: e's diagnosis for op as the detail. */
static void
set_unknown(struct access_info *ai, const struct err *e, int op,
    const char *region)
{
	struct diagnose_ctx	 ctx;
	struct diagnose_result	 r;

	ai->state = ACCESS_UNKNOWN;
	err_copy(&ai->err, e);
	memset(&ctx, 0, sizeof ctx);
	ctx.op = (enum diagnose_op)op;
	ctx.region = region;
	ctx.model_id = ai->model_id;
	if (diagnose_err(e, &ctx, &r) == 0)
		copy_cut(ai->detail, sizeof ai->detail, r.cause);
	else
		access_classify(NULL, ACCESS_FORM_NOT_NEEDED, -1, ai->detail,
		    sizeof ai->detail);
}

static void
info_init(struct access_info *ai, const char *model_id)
{
	memset(ai, 0, sizeof *ai);
	snprintf(ai->model_id, sizeof ai->model_id, "%s",
	    model_id != NULL ? model_id : "");
	err_clear(&ai->err);
}

size_t
access_unknown_many(const struct err *e, int op, const char *region,
    const char *const *model_ids, const int *offered, size_t n,
    struct access_info *out)
{
	size_t	 i, unknown = 0;

	for (i = 0; i < n; i++) {
		info_init(&out[i], model_ids[i]);
		if (offered != NULL && offered[i] == 0) {
			out[i].state = access_classify(NULL,
			    ACCESS_FORM_NOT_NEEDED, 0, out[i].detail,
			    sizeof out[i].detail);
			continue;
		}
		set_unknown(&out[i], e, op, region);
		unknown++;
	}
	return unknown;
}

static int
is_not_found(const struct err *e)
{
	return e->kind == ERR_AWS && (e->http_status == 404 ||
	    strcmp(e->code, "ResourceNotFoundException") == 0);
}

size_t
access_check_many(const struct bedrock_ctx *bc, const struct catalog *cat,
    const char *const *model_ids, const int *offered, size_t n,
    struct access_info *out)
{
	struct bedrock_availability	*avs;
	struct bedrock_use_case		 uc;
	struct err			*errs, form_err;
	const char			**ask, *region;
	size_t				*slot, i, k = 0, unknown = 0;
	char				*need;
	int				 form = ACCESS_FORM_NOT_NEEDED;
	int				 any = 0;

	if (n == 0)
		return 0;
	region = bedrock_ctx_region(bc);
	need = xcalloc(n, 1);
	slot = xcalloc(n, sizeof *slot);
	ask = xcalloc(n, sizeof *ask);
	for (i = 0; i < n; i++) {
		info_init(&out[i], model_ids[i]);
		slot[i] = (size_t)-1;
		if (offered != NULL && offered[i] == 0)
			continue;
		need[i] = (char)access_needs_form(cat, model_ids[i]);
		any |= need[i];
		slot[i] = k;
		ask[k++] = model_ids[i] != NULL ? model_ids[i] : "";
	}
	/* The form is the account's: one call answers for every model. */
	err_clear(&form_err);
	if (any) {
		memset(&uc, 0, sizeof uc);
		switch (bedrock_get_use_case(bc, &uc, &form_err)) {
		case BEDROCK_USE_CASE_SUBMITTED:
			form = ACCESS_FORM_SUBMITTED;
			break;
		case BEDROCK_USE_CASE_NEVER:
			form = ACCESS_FORM_NEVER;
			break;
		default:
			form = ACCESS_FORM_UNKNOWN;
		}
		bedrock_use_case_free(&uc);
	}
	avs = xcalloc(k == 0 ? 1 : k, sizeof *avs);
	errs = xcalloc(k == 0 ? 1 : k, sizeof *errs);
	if (k > 0)
		bedrock_get_availability_many(bc, ask, k, avs, errs);
	for (i = 0; i < n; i++) {
		const struct bedrock_availability *av = NULL;
		const struct err *ae = NULL;
		int off = offered != NULL ? offered[i] : -1;
		int f = need[i] ? form : ACCESS_FORM_NOT_NEEDED;

		if (slot[i] != (size_t)-1) {
			ae = &errs[slot[i]];
			if (ae->kind == ERR_NONE)
				av = &avs[slot[i]];
			else if (is_not_found(ae) && off != 1)
				off = 0;
		}
		out[i].state = access_classify(av, f, off, out[i].detail,
		    sizeof out[i].detail);
		if (out[i].state != ACCESS_UNKNOWN)
			continue;
		unknown++;
		if (ae != NULL && ae->kind != ERR_NONE)
			set_unknown(&out[i], ae, DIAGNOSE_OP_AVAILABILITY,
			    region);
		else if (f == ACCESS_FORM_UNKNOWN)
			set_unknown(&out[i], &form_err,
			    DIAGNOSE_OP_USE_CASE_GET, region);
	}
	for (i = 0; i < k; i++)
		bedrock_availability_free(&avs[i]);
	free(avs);
	free(errs);
	free(ask);
	free(slot);
	free(need);
	return unknown;
}
