/*
 * resolve.c: from a chosen (Region, model) to the modelId to send, the
 * kind of call, and the Regions a policy must cover (see resolve.h).
 *
 * Rules: a bare id works only when ON_DEMAND is supported; otherwise the
 * system-defined profile in that Region containing the model is used,
 * geographic first (the narrowest one), then global.  Destination Regions
 * come from the Region field of the profile's model ARNs; a Region-less
 * ARN means global routing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "catalog.h"
#include "err.h"
#include "i18n.h"
#include "resolve.h"
#include "xalloc.h"

#define LIST_MAX	1024	/* bytes of a Region list in a message */

/* The six fields of an ARN, as copies. */
struct arn {
	char	*partition;
	char	*service;
	char	*region;
	char	*account;
	char	*resource;	/* "inference-profile/us.x" */
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
strv_push(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

static void
strv_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
strv_has(char *const *v, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
arn_free(struct arn *a)
{
	free(a->partition);
	free(a->service);
	free(a->region);
	free(a->account);
	free(a->resource);
	memset(a, 0, sizeof *a);
}

/* Split "arn:p:s:r:a:resource"; -1 when s is not shaped like an ARN. */
static int
arn_parse(const char *s, struct arn *a)
{
	const char	*f[6], *p;
	size_t		 n = 0;

	memset(a, 0, sizeof *a);
	if (strncmp(s, "arn:", 4) != 0)
		return -1;
	f[n++] = s;
	for (p = s; *p != '\0' && n < 6; p++) {
		if (*p == ':')
			f[n++] = p + 1;
	}
	if (n != 6 || f[1] == f[2] - 1 || f[2] == f[3] - 1 || *f[5] == '\0')
		return -1;
	a->partition = xstrndup(f[1], (size_t)(f[2] - f[1] - 1));
	a->service = xstrndup(f[2], (size_t)(f[3] - f[2] - 1));
	a->region = xstrndup(f[3], (size_t)(f[4] - f[3] - 1));
	a->account = xstrndup(f[4], (size_t)(f[5] - f[4] - 1));
	a->resource = xstrdup(f[5]);
	return 0;
}

/* The model id of a foundation-model ARN, or NULL. */
static const char *
fm_arn_model(const char *arn)
{
	const char	*r;
	int		 colons = 0;

	if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
		return NULL;
	for (r = arn; *r != '\0' && colons < 5; r++)
		if (*r == ':')
			colons++;
	if (colons != 5 || strncmp(r, "foundation-model/", 17) != 0)
		return NULL;
	return r + 17;
}

/* The Region field of an ARN into buf ("" when empty); -1 if no ARN. */
static int
arn_region(const char *arn, char *buf, size_t len)
{
	const char	*p, *q;
	int		 colons = 0;

	if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
		return -1;
	for (p = arn; *p != '\0' && colons < 3; p++)
		if (*p == ':')
			colons++;
	if (colons != 3 || (q = strchr(p, ':')) == NULL ||
	    (size_t)(q - p) >= len)
		return -1;
	memcpy(buf, p, (size_t)(q - p));
	buf[q - p] = '\0';
	return 0;
}

void
resolve_view_init(struct resolve_view *v, const char *region,
    const char *account, const char *origin)
{
	memset(v, 0, sizeof *v);
	v->region = xstrdup(region != NULL ? region : "");
	v->partition = xstrdup(catalog_partition_of(NULL, v->region));
	v->account = dup_or_null(account);
	v->origin = xstrdup(origin != NULL ? origin : "");
}

void
resolve_view_free(struct resolve_view *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nfms; i++) {
		struct resolve_fm *fm = v->fms[i];

		free(fm->id);
		free(fm->arn);
		free(fm->provider);
		free(fm->lifecycle);
		strv_free(fm->types, fm->ntypes);
		free(fm);
	}
	free(v->fms);
	for (i = 0; i < v->nprofiles; i++) {
		struct resolve_profile *p = v->profiles[i];

		free(p->id);
		free(p->arn);
		free(p->type);
		strv_free(p->models, p->nmodels);
		free(p);
	}
	free(v->profiles);
	free(v->region);
	free(v->partition);
	free(v->account);
	free(v->origin);
	memset(v, 0, sizeof *v);
}

struct resolve_fm *
resolve_view_add_fm(struct resolve_view *v, const char *id, const char *arn,
    const char *provider, const char *lifecycle, int streaming)
{
	struct resolve_fm	*fm;

	if (id == NULL || v->nfms >= RESOLVE_MAX_FMS)
		return NULL;
	fm = xcalloc(1, sizeof *fm);
	fm->id = xstrdup(id);
	fm->arn = dup_or_null(arn);
	fm->provider = dup_or_null(provider);
	fm->lifecycle = dup_or_null(lifecycle);
	fm->streaming = streaming < 0 ? -1 : streaming != 0;
	v->fms = xreallocarray(v->fms, v->nfms + 1, sizeof *v->fms);
	v->fms[v->nfms++] = fm;
	return fm;
}

int
resolve_fm_add_type(struct resolve_fm *fm, const char *type)
{
	if (type == NULL || fm->ntypes >= RESOLVE_MAX_TYPES)
		return -1;
	strv_push(&fm->types, &fm->ntypes, type);
	return 0;
}

int
resolve_fm_has_type(const struct resolve_fm *fm, const char *type)
{
	return fm != NULL && type != NULL &&
	    strv_has(fm->types, fm->ntypes, type);
}

struct resolve_profile *
resolve_view_add_profile(struct resolve_view *v, const char *id,
    const char *arn, const char *type)
{
	struct resolve_profile	*p;

	if (id == NULL || v->nprofiles >= RESOLVE_MAX_PROFILES)
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->id = xstrdup(id);
	p->arn = dup_or_null(arn);
	p->type = dup_or_null(type);
	v->profiles = xreallocarray(v->profiles, v->nprofiles + 1,
	    sizeof *v->profiles);
	v->profiles[v->nprofiles++] = p;
	return p;
}

int
resolve_profile_add_model(struct resolve_profile *p, const char *model_arn)
{
	if (model_arn == NULL || p->nmodels >= RESOLVE_MAX_MODELS)
		return -1;
	strv_push(&p->models, &p->nmodels, model_arn);
	return 0;
}

const struct resolve_fm *
resolve_view_fm(const struct resolve_view *v, const char *id)
{
	size_t	 i;

	for (i = 0; id != NULL && i < v->nfms; i++)
		if (strcmp(v->fms[i]->id, id) == 0)
			return v->fms[i];
	return NULL;
}

const struct resolve_profile *
resolve_view_profile(const struct resolve_view *v, const char *key)
{
	size_t	 i;

	for (i = 0; key != NULL && i < v->nprofiles; i++) {
		const struct resolve_profile *p = v->profiles[i];

		if (strcmp(p->id, key) == 0 ||
		    (p->arn != NULL && strcmp(p->arn, key) == 0))
			return p;
	}
	return NULL;
}

static char *
fm_arn(const char *partition, const char *region, const char *model)
{
	struct buf	 b = BUF_INIT;

	buf_printf(&b, "arn:%s:bedrock:%s::foundation-model/%s", partition,
	    region, model);
	return buf_take(&b, NULL);
}

static char *
profile_arn(const struct resolve_view *v, const char *kind, const char *id)
{
	struct buf	 b = BUF_INIT;

	buf_printf(&b, "arn:%s:bedrock:%s:%s:%s/%s", v->partition, v->region,
	    v->account != NULL ? v->account : RESOLVE_ACCOUNT_PLACEHOLDER,
	    kind, id);
	return buf_take(&b, NULL);
}

int
resolve_view_from_catalog(struct resolve_view *v, const struct catalog *cat,
    const char *region, const char *account, struct err *e)
{
	size_t	 i, j, k;

	resolve_view_init(v, region, account, "catalog");
	if (cat == NULL || catalog_region(cat, region) == NULL) {
		err_set(e, ERR_USAGE, N_("the catalog does not know the "
		    "Region %s"), region != NULL ? region : "");
		return -1;
	}
	for (i = 0; i < catalog_model_count(cat); i++) {
		const struct catalog_model	*m = catalog_model_at(cat, i);
		const struct catalog_prefix	*pf[16];
		struct resolve_fm		*fm;
		size_t				 npf;
		int				 here;
		char				*a;

		here = catalog_model_in_region(m, region);
		npf = catalog_model_profiles_for(cat, region, m->id, pf,
		    sizeof pf / sizeof pf[0]);
		if (npf > sizeof pf / sizeof pf[0])
			npf = sizeof pf / sizeof pf[0];
		if (!here && npf == 0)
			continue;
		a = fm_arn(v->partition, v->region, m->id);
		fm = resolve_view_add_fm(v, m->id, a, m->provider,
		    m->lifecycle, m->streaming);
		free(a);
		if (fm == NULL)
			break;
		if (here)
			resolve_fm_add_type(fm, "ON_DEMAND");
		if (npf > 0)
			resolve_fm_add_type(fm, "INFERENCE_PROFILE");
		for (j = 0; j < npf; j++) {
			struct resolve_profile	*p;
			struct buf		 id = BUF_INIT;

			buf_printf(&id, "%s.%s", pf[j]->prefix, m->id);
			a = profile_arn(v, "inference-profile", buf_str(&id));
			p = resolve_view_add_profile(v, buf_str(&id), a,
			    "SYSTEM_DEFINED");
			free(a);
			buf_free(&id);
			if (p == NULL)
				break;
			if (pf[j]->region_less) {
				a = fm_arn(v->partition, "", m->id);
				resolve_profile_add_model(p, a);
				free(a);
			}
			for (k = 0; k < pf[j]->destinations.n; k++) {
				a = fm_arn(v->partition,
				    pf[j]->destinations.v[k], m->id);
				resolve_profile_add_model(p, a);
				free(a);
			}
		}
	}
	return 0;
}

void
resolve_result_free(struct resolve_result *r)
{
	if (r == NULL)
		return;
	free(r->invoke_id);
	free(r->model_id);
	free(r->profile_id);
	free(r->arn);
	free(r->region);
	free(r->partition);
	strv_free(r->destinations, r->ndestinations);
	strv_free(r->offered_in, r->noffered_in);
	memset(r, 0, sizeof *r);
}

const char *
resolve_kind_name(enum resolve_kind k)
{
	static const char *const names[] = {
		[RESOLVE_NONE] = "none",
		[RESOLVE_ON_DEMAND] = "on-demand",
		[RESOLVE_GEO_PROFILE] = "geo-profile",
		[RESOLVE_GLOBAL_PROFILE] = "global-profile",
		[RESOLVE_APP_PROFILE] = "application-profile",
		[RESOLVE_PROVISIONED] = "provisioned",
	};

	if ((size_t)k >= sizeof names / sizeof names[0])
		return "none";
	return names[k];
}

static void
add_destination(struct resolve_result *r, const char *region)
{
	if (*region == '\0')
		r->region_less = 1;
	else if (!strv_has(r->destinations, r->ndestinations, region))
		strv_push(&r->destinations, &r->ndestinations, region);
}

static void
sort_destinations(struct resolve_result *r)
{
	if (r->ndestinations > 1)
		qsort(r->destinations, r->ndestinations,
		    sizeof *r->destinations, cmp_str);
}

/* Fill offered_in from the catalog and format it as "a, b, c". */
static void
offered_in(struct resolve_result *r, const struct catalog *cat,
    const char *model_id, const char *prefix, struct buf *list)
{
	const struct catalog_model	*m;
	size_t				 i;

	if (cat == NULL || (m = catalog_model(cat, model_id)) == NULL)
		return;
	if (prefix != NULL) {
		const struct catalog_model_profile *mp =
		    catalog_model_profile(m, prefix);

		for (i = 0; mp != NULL && i < mp->sources.n; i++)
			strv_push(&r->offered_in, &r->noffered_in,
			    mp->sources.v[i]);
	} else {
		for (i = 0; i < catalog_region_count(cat); i++) {
			const struct catalog_region *reg =
			    catalog_region_at(cat, i);
			const struct catalog_prefix *p;

			if (catalog_model_in_region(m, reg->id) ||
			    catalog_model_profiles_for(cat, reg->id, m->id,
			    &p, 1) > 0)
				strv_push(&r->offered_in, &r->noffered_in,
				    reg->id);
		}
	}
	for (i = 0; i < r->noffered_in; i++)
		buf_printf(list, "%s%s", i > 0 ? ", " : "", r->offered_in[i]);
}

static int
not_offered(const struct resolve_view *v, const struct catalog *cat,
    const char *what, const char *model_id, const char *prefix,
    struct resolve_result *r, struct err *e)
{
	struct buf	 list;

	buf_init(&list, LIST_MAX);
	offered_in(r, cat, model_id, prefix, &list);
	if (r->noffered_in > 0)
		err_set(e, ERR_CONFIG, N_("%s is not offered in %s. Regions "
		    "that offer it: %s."), what, v->region, buf_str(&list));
	else
		err_set(e, ERR_CONFIG, N_("%s is not offered in %s, and the "
		    "catalog knows no Region that offers it."), what,
		    v->region);
	buf_free(&list);
	return -1;
}

/* Take FM facts (legacy, streaming) into the result when the view has them. */
static void
note_fm(const struct resolve_view *v, struct resolve_result *r)
{
	const struct resolve_fm *fm = resolve_view_fm(v, r->model_id);

	if (fm == NULL)
		return;
	r->legacy = fm->lifecycle != NULL &&
	    strcmp(fm->lifecycle, "LEGACY") == 0;
	r->streaming = fm->streaming;
}

static int
profile_is_global(const struct resolve_profile *p)
{
	char	 reg[64];
	size_t	 i;

	if (strncmp(p->id, "global.", 7) == 0)
		return 1;
	for (i = 0; i < p->nmodels; i++)
		if (arn_region(p->models[i], reg, sizeof reg) == 0 &&
		    reg[0] == '\0')
			return 1;
	return 0;
}

static int
profile_has_model(const struct resolve_profile *p, const char *model_id)
{
	size_t	 i;

	for (i = 0; i < p->nmodels; i++) {
		const char *m = fm_arn_model(p->models[i]);

		if (m != NULL && strcmp(m, model_id) == 0)
			return 1;
	}
	return 0;
}

/* Fill the result from a profile found in the view. */
static void
use_profile(const struct resolve_view *v, const struct resolve_profile *p,
    const char *invoke, struct resolve_result *r)
{
	char	 reg[64];
	size_t	 i;

	if (p->type != NULL && strcmp(p->type, "APPLICATION") == 0)
		r->kind = RESOLVE_APP_PROFILE;
	else if (profile_is_global(p))
		r->kind = RESOLVE_GLOBAL_PROFILE;
	else
		r->kind = RESOLVE_GEO_PROFILE;
	r->invoke_id = xstrdup(invoke);
	r->profile_id = xstrdup(p->id);
	r->arn = p->arn != NULL ? xstrdup(p->arn) :
	    profile_arn(v, r->kind == RESOLVE_APP_PROFILE ?
	    "application-inference-profile" : "inference-profile", p->id);
	for (i = 0; i < p->nmodels; i++) {
		const char *m = fm_arn_model(p->models[i]);

		if (m != NULL && r->model_id == NULL)
			r->model_id = xstrdup(m);
		if (arn_region(p->models[i], reg, sizeof reg) == 0)
			add_destination(r, reg);
	}
	r->destinations_known = p->nmodels > 0;
	if (r->kind == RESOLVE_GLOBAL_PROFILE)
		r->region_less = 1;
	sort_destinations(r);
	note_fm(v, r);
}

static int
resolve_bare(const struct resolve_view *v, const struct catalog *cat,
    const char *model_id, const char *invoke, struct resolve_result *r,
    struct err *e)
{
	const struct resolve_fm		*fm = resolve_view_fm(v, model_id);
	const struct resolve_profile	*best = NULL;
	size_t				 i;
	int				 pass;

	if (fm == NULL)
		return not_offered(v, cat, model_id, model_id, NULL, r, e);
	if (resolve_fm_has_type(fm, "ON_DEMAND")) {
		r->kind = RESOLVE_ON_DEMAND;
		r->invoke_id = xstrdup(invoke);
		r->model_id = xstrdup(model_id);
		add_destination(r, v->region);
		r->destinations_known = 1;
		note_fm(v, r);
		return 0;
	}
	/* Geographic profiles first (the narrowest wins), then global. */
	for (pass = 0; pass < 2 && best == NULL; pass++) {
		for (i = 0; i < v->nprofiles; i++) {
			const struct resolve_profile *p = v->profiles[i];

			if ((p->type != NULL &&
			    strcmp(p->type, "APPLICATION") == 0) ||
			    profile_is_global(p) != pass ||
			    !profile_has_model(p, model_id))
				continue;
			if (best == NULL || p->nmodels < best->nmodels)
				best = p;
		}
	}
	if (best != NULL) {
		use_profile(v, best, best->id, r);
		free(r->model_id);
		r->model_id = xstrdup(model_id);
		note_fm(v, r);
		return 0;
	}
	if (resolve_fm_has_type(fm, "PROVISIONED") && fm->ntypes == 1)
		err_set(e, ERR_CONFIG, N_("%s can be called in %s only with "
		    "Provisioned Throughput."), model_id, v->region);
	else
		err_set(e, ERR_CONFIG, N_("%s cannot be called on demand in "
		    "%s, and no inference profile there contains it."),
		    model_id, v->region);
	{
		struct buf list;

		buf_init(&list, LIST_MAX);
		offered_in(r, cat, model_id, NULL, &list);
		buf_free(&list);
	}
	return -1;
}

/* A profile id or a system-defined profile ARN. */
static int
resolve_profile_id(const struct resolve_view *v, const struct catalog *cat,
    const char *profile_id, const char *invoke, struct resolve_result *r,
    struct err *e)
{
	const struct resolve_profile	*p;
	const char			*dot = strchr(profile_id, '.');
	char				 prefix[32];

	p = resolve_view_profile(v, profile_id);
	if (p == NULL && invoke != profile_id)
		p = resolve_view_profile(v, invoke);
	if (p != NULL) {
		use_profile(v, p, invoke, r);
		return 0;
	}
	if (dot != NULL && (size_t)(dot - profile_id) < sizeof prefix) {
		memcpy(prefix, profile_id, (size_t)(dot - profile_id));
		prefix[dot - profile_id] = '\0';
		return not_offered(v, cat, profile_id, dot + 1, prefix, r, e);
	}
	return not_offered(v, cat, profile_id, profile_id, NULL, r, e);
}

static int
resolve_arn(const struct resolve_view *v, const struct catalog *cat,
    const char *input, struct resolve_result *r, struct err *e)
{
	struct arn	 a;
	const char	*slash, *id;
	int		 rc = -1;

	if (arn_parse(input, &a) == -1 || strcmp(a.service, "bedrock") != 0 ||
	    (slash = strchr(a.resource, '/')) == NULL || slash[1] == '\0') {
		err_set(e, ERR_USAGE, N_("%s is not a Bedrock model, profile "
		    "or provisioned-model ARN."), input);
		arn_free(&a);
		return -1;
	}
	id = slash + 1;
	if (a.region[0] != '\0' && strcmp(a.region, v->region) != 0) {
		err_set(e, ERR_CONFIG, N_("%s belongs to the Region %s and "
		    "cannot be called from %s."), input, a.region, v->region);
		arn_free(&a);
		return -1;
	}
	if (strncmp(a.resource, "foundation-model/", 17) == 0) {
		rc = resolve_bare(v, cat, id, input, r, e);
	} else if (strncmp(a.resource, "inference-profile/", 18) == 0) {
		rc = resolve_profile_id(v, cat, id, input, r, e);
	} else if (strncmp(a.resource, "application-inference-profile/",
	    30) == 0) {
		const struct resolve_profile *p = resolve_view_profile(v,
		    input);

		if (p != NULL) {
			use_profile(v, p, input, r);
		} else {
			/* Unknown here: callable, but the targets are not. */
			r->kind = RESOLVE_APP_PROFILE;
			r->invoke_id = xstrdup(input);
			r->profile_id = xstrdup(id);
			r->arn = xstrdup(input);
		}
		r->kind = RESOLVE_APP_PROFILE;
		rc = 0;
	} else if (strncmp(a.resource, "provisioned-model/", 18) == 0) {
		r->kind = RESOLVE_PROVISIONED;
		r->invoke_id = xstrdup(input);
		r->arn = xstrdup(input);
		add_destination(r, v->region);
		r->destinations_known = 1;
		rc = 0;
	} else {
		err_set(e, ERR_USAGE, N_("%s is not a Bedrock model, profile "
		    "or provisioned-model ARN."), input);
	}
	arn_free(&a);
	return rc;
}

/* Whether id reads as "<prefix>.<model id>" rather than a model id. */
static int
looks_like_profile(const struct catalog *cat, const char *id)
{
	const char	*dot = strchr(id, '.');
	char		 first[64];

	if (dot == NULL || (size_t)(dot - id) >= sizeof first)
		return 0;
	memcpy(first, id, (size_t)(dot - id));
	first[dot - id] = '\0';
	if (cat != NULL && catalog_prefix_of_profile(cat, id) != NULL)
		return 1;
	if (cat != NULL && catalog_provider(cat, first) != NULL)
		return 0;
	return strcmp(first, "global") == 0 || catalog_model_id_valid(dot + 1);
}

int
resolve_model(const struct resolve_view *v, const struct catalog *cat,
    const char *input, struct resolve_result *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	r->streaming = -1;
	r->region = xstrdup(v->region);
	r->partition = xstrdup(v->partition);
	if (input == NULL || *input == '\0') {
		err_set(e, ERR_USAGE, N_("no model given"));
		return -1;
	}
	if (strncmp(input, "arn:", 4) == 0)
		return resolve_arn(v, cat, input, r, e);
	if (resolve_view_fm(v, input) != NULL)
		return resolve_bare(v, cat, input, input, r, e);
	if (resolve_view_profile(v, input) != NULL ||
	    looks_like_profile(cat, input))
		return resolve_profile_id(v, cat, input, input, r, e);
	if (!catalog_model_id_valid(input)) {
		err_set(e, ERR_USAGE, N_("%s is neither a model id nor an "
		    "ARN."), input);
		return -1;
	}
	return resolve_bare(v, cat, input, input, r, e);
}

int
resolve_is_substitution(const struct resolve_result *r, const char *input)
{
	return r != NULL && input != NULL && r->model_id != NULL &&
	    strcmp(input, r->model_id) == 0 &&
	    (r->kind == RESOLVE_GEO_PROFILE ||
	    r->kind == RESOLVE_GLOBAL_PROFILE);
}
