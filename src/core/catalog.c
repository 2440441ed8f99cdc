/*
 * catalog.c: load, validate and query the shipped catalog (see catalog.h).
 *
 * The parsed JSON tree stays alive for the catalog's lifetime and every
 * string handed out points into it; the typed arrays below only hold
 * pointers.  Validation runs once, at load, so look-ups can trust every
 * cross-reference.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "catalog.h"
#include "err.h"
#include "i18n.h"
#include "json.h"
#include "xalloc.h"

#define CATALOG_SCHEMA		1
#define CATALOG_FILE_MAX	(4u * 1024 * 1024)
#define CTX_MAX			160

/* Generated from data/catalog.json by tools/embed.sh. */
extern const unsigned char catalog_embedded[];
extern const size_t catalog_embedded_len;

struct catalog {
	struct json			*root;
	const char			*origin;	/* for error messages */
	char				*origin_buf;
	const char			*date;
	const char			*sources;

	struct catalog_partition	*partitions;
	size_t				 npartitions;
	struct catalog_geography	*geographies;
	size_t				 ngeographies;
	struct catalog_region		*regions;
	size_t				 nregions;
	struct catalog_prefix		*prefixes;
	size_t				 nprefixes;
	struct catalog_provider		*providers;
	size_t				 nproviders;
	struct catalog_model		*models;
	size_t				 nmodels;
	struct catalog_action		*actions;
	size_t				 nactions;
	struct catalog_resource_type	*rtypes;
	size_t				 nrtypes;
	struct catalog_condition_key	*ckeys;
	size_t				 nckeys;

	void				**allocs;	/* string-pointer arrays */
	size_t				 nallocs;
};

/* Loading context: the catalog being built and where errors go. */
struct ld {
	struct catalog	*cat;
	struct err	*err;
};

static void
cat_track(struct catalog *cat, void *p)
{
	cat->allocs = xreallocarray(cat->allocs, cat->nallocs + 1,
	    sizeof *cat->allocs);
	cat->allocs[cat->nallocs++] = p;
}

static void
ld_fail(struct ld *ld, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ld_fail(struct ld *ld, const char *fmt, ...)
{
	va_list	 ap;

	if (ld->err == NULL)
		return;
	va_start(ap, fmt);
	err_vset(ld->err, ERR_CONFIG, fmt, ap);
	va_end(ap);
	err_where(ld->err, "%s", ld->cat->origin);
}

/* A required string member; NULL (and the error set) if absent. */
static const char *
ld_str(struct ld *ld, const struct json *obj, const char *key,
    const char *ctx)
{
	const char	*s = json_get_str(obj, key);

	if (s == NULL || *s == '\0')
		ld_fail(ld, N_("catalog: %s: \"%s\" is missing or not a "
		    "non-empty string"), ctx, key);
	return s;
}

/* An optional string member: NULL when absent, -1 when of a wrong type. */
static int
ld_opt_str(struct ld *ld, const struct json *obj, const char *key,
    const char *ctx, const char **out)
{
	const struct json	*j = json_get(obj, key);

	*out = NULL;
	if (j == NULL || json_is_null(j))
		return 0;
	if (!json_is_string(j) || *json_str(j) == '\0') {
		ld_fail(ld, N_("catalog: %s: \"%s\" is not a non-empty "
		    "string"), ctx, key);
		return -1;
	}
	*out = json_str(j);
	return 0;
}

static int
ld_bool(struct ld *ld, const struct json *obj, const char *key,
    const char *ctx, int *out)
{
	const struct json	*j = json_get(obj, key);

	if (j == NULL || !json_is_bool(j)) {
		ld_fail(ld, N_("catalog: %s: \"%s\" is missing or not "
		    "true/false"), ctx, key);
		return -1;
	}
	*out = json_bool(j, 0);
	return 0;
}

/* A list of strings from an array node (may be empty). */
static int
ld_strs_node(struct ld *ld, const struct json *arr, const char *key,
    const char *ctx, struct catalog_strs *out)
{
	const char	**v;
	size_t		  i, n;

	out->v = NULL;
	out->n = 0;
	if (arr == NULL || !json_is_array(arr)) {
		ld_fail(ld, N_("catalog: %s: \"%s\" is missing or not a list "
		    "of strings"), ctx, key);
		return -1;
	}
	n = json_len(arr);
	if (n == 0)
		return 0;
	v = xreallocarray(NULL, n, sizeof *v);
	cat_track(ld->cat, v);
	for (i = 0; i < n; i++) {
		const char *s = json_str(json_at(arr, i));

		if (s == NULL || *s == '\0') {
			ld_fail(ld, N_("catalog: %s: \"%s\" item %zu is not a "
			    "non-empty string"), ctx, key, i);
			return -1;
		}
		v[i] = s;
	}
	out->v = v;
	out->n = n;
	return 0;
}

static int
ld_strs(struct ld *ld, const struct json *obj, const char *key,
    const char *ctx, struct catalog_strs *out)
{
	return ld_strs_node(ld, json_get(obj, key), key, ctx, out);
}

/* The array member key of the root, each item an object. */
static const struct json *
ld_array(struct ld *ld, const char *key, int nonempty)
{
	const struct json	*a = json_get(ld->cat->root, key);
	size_t			 i;

	if (a == NULL || !json_is_array(a) || (nonempty && json_len(a) == 0)) {
		ld_fail(ld, N_("catalog: \"%s\" is missing or not a list"),
		    key);
		return NULL;
	}
	for (i = 0; i < json_len(a); i++) {
		if (!json_is_object(json_at(a, i))) {
			ld_fail(ld, N_("catalog: %s[%zu] is not an object"),
			    key, i);
			return NULL;
		}
	}
	return a;
}

static int
strs_has(const struct catalog_strs *l, const char *s)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

static int
valid_date(const char *s)
{
	static const char	 shape[] = "dddd-dd-dd";
	size_t			 i;

	if (strlen(s) != sizeof shape - 1)
		return 0;
	for (i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != shape[i])
			return 0;
	}
	return 1;
}

/* Lower-case letters, digits and dashes, ending in a digit: "eu-west-3". */
static int
valid_region_id(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n < 4 || n > 32 || !isdigit((unsigned char)s[n - 1]) ||
	    strchr(s, '-') == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '-')
			return 0;
	}
	return 1;
}

/* One segment of a model id: [a-z0-9-]{1,63}; returns its length or 0. */
static size_t
model_seg(const char *s)
{
	size_t	 n = 0;

	while (islower((unsigned char)s[n]) || isdigit((unsigned char)s[n]) ||
	    s[n] == '-')
		n++;
	return n <= 63 ? n : 0;
}

int
catalog_model_id_valid(const char *s)
{
	size_t	 n, dots = 0, colons = 0;

	if (s == NULL)
		return 0;
	/* 2 to 4 dot-separated segments, then up to 2 ":segment". */
	for (;;) {
		if ((n = model_seg(s)) == 0)
			return 0;
		s += n;
		if (*s != '.')
			break;
		if (++dots > 3)
			return 0;
		s++;
	}
	if (dots == 0)
		return 0;
	while (*s == ':') {
		if (++colons > 2 || (n = model_seg(s + 1)) == 0)
			return 0;
		s += n + 1;
	}
	return *s == '\0';
}

/* "service:Action" with letters, digits and dashes. */
static int
valid_iam_name(const char *s)
{
	const char	*c = strchr(s, ':');
	const char	*p;

	if (c == NULL || c == s || c[1] == '\0' || strchr(c + 1, ':') != NULL)
		return 0;
	for (p = s; *p != '\0'; p++) {
		if (p != c && !isalnum((unsigned char)*p) && *p != '-')
			return 0;
	}
	return 1;
}

/*
 * An ARN format: "arn:${Partition}:service:region:account:resource" with
 * balanced ${Name} placeholders and a non-empty resource part.
 */
static int
valid_arn_format(const char *s, const char *service)
{
	const char	*f[6], *p;
	size_t		 i, n = 0, slen = strlen(service);

	f[n++] = s;
	for (p = s; *p != '\0' && n < 6; p++) {
		if (*p == ':')
			f[n++] = p + 1;
	}
	if (n != 6 || strncmp(s, "arn:${Partition}:", 17) != 0 ||
	    strncmp(f[2], service, slen) != 0 || f[2][slen] != ':' ||
	    *f[5] == '\0')
		return 0;
	for (p = s; *p != '\0'; p++) {
		if (*p == '$') {
			if (p[1] != '{')
				return 0;
			for (i = 2; isalpha((unsigned char)p[i]); i++)
				;
			if (i == 2 || p[i] != '}')
				return 0;
			p += i;
		} else if (*p == '{' || *p == '}')
			return 0;
	}
	return 1;
}

static int
load_partitions(struct ld *ld)
{
	struct catalog		*cat = ld->cat;
	const struct json	*a;
	size_t			 i, j, ndefault = 0;
	char			 ctx[CTX_MAX];

	if ((a = ld_array(ld, "partitions", 1)) == NULL)
		return -1;
	cat->npartitions = json_len(a);
	cat->partitions = xcalloc(cat->npartitions, sizeof *cat->partitions);
	for (i = 0; i < cat->npartitions; i++) {
		const struct json	 *o = json_at(a, i);
		struct catalog_partition *p = &cat->partitions[i];

		snprintf(ctx, sizeof ctx, "partitions[%zu]", i);
		if ((p->id = ld_str(ld, o, "id", ctx)) == NULL)
			return -1;
		snprintf(ctx, sizeof ctx, "partition \"%s\"", p->id);
		if ((p->name = ld_str(ld, o, "name", ctx)) == NULL ||
		    (p->dns_suffix = ld_str(ld, o, "dns_suffix", ctx)) ==
		    NULL ||
		    ld_opt_str(ld, o, "dualstack_dns_suffix", ctx,
		    &p->dualstack_dns_suffix) == -1 ||
		    ld_strs(ld, o, "region_prefixes", ctx,
		    &p->region_prefixes) == -1 ||
		    ld_bool(ld, o, "default", ctx, &p->is_default) == -1)
			return -1;
		ndefault += p->is_default != 0;
		for (j = 0; j < i; j++) {
			if (strcmp(cat->partitions[j].id, p->id) == 0) {
				ld_fail(ld, N_("catalog: %s: duplicate entry"),
				    ctx);
				return -1;
			}
		}
	}
	if (ndefault != 1) {
		ld_fail(ld, N_("catalog: exactly one partition must be the "
		    "default, not %zu"), ndefault);
		return -1;
	}
	return 0;
}

static int
load_geographies(struct ld *ld)
{
	struct catalog		*cat = ld->cat;
	const struct json	*a;
	size_t			 i;
	char			 ctx[CTX_MAX];

	if ((a = ld_array(ld, "geographies", 1)) == NULL)
		return -1;
	cat->ngeographies = json_len(a);
	cat->geographies = xcalloc(cat->ngeographies,
	    sizeof *cat->geographies);
	for (i = 0; i < cat->ngeographies; i++) {
		struct catalog_geography *g = &cat->geographies[i];

		snprintf(ctx, sizeof ctx, "geographies[%zu]", i);
		if ((g->name = ld_str(ld, json_at(a, i), "name", ctx)) ==
		    NULL ||
		    (g->residency = ld_str(ld, json_at(a, i), "residency",
		    ctx)) == NULL)
			return -1;
		if (i > 0 && catalog_geography(cat, g->name) != g) {
			ld_fail(ld, N_("catalog: %s: duplicate entry"), ctx);
			return -1;
		}
	}
	return 0;
}

static int
load_prefixes(struct ld *ld)
{
	struct catalog		*cat = ld->cat;
	const struct json	*a;
	size_t			 i;
	char			 ctx[CTX_MAX];

	if ((a = ld_array(ld, "profile_prefixes", 1)) == NULL)
		return -1;
	cat->nprefixes = json_len(a);
	cat->prefixes = xcalloc(cat->nprefixes, sizeof *cat->prefixes);
	for (i = 0; i < cat->nprefixes; i++) {
		const struct json	*o = json_at(a, i);
		struct catalog_prefix	*p = &cat->prefixes[i];

		snprintf(ctx, sizeof ctx, "profile_prefixes[%zu]", i);
		if ((p->prefix = ld_str(ld, o, "prefix", ctx)) == NULL)
			return -1;
		snprintf(ctx, sizeof ctx, "profile prefix \"%s\"", p->prefix);
		if ((p->name = ld_str(ld, o, "name", ctx)) == NULL ||
		    (p->partition = ld_str(ld, o, "partition", ctx)) == NULL ||
		    ld_strs(ld, o, "destinations", ctx, &p->destinations) ==
		    -1 ||
		    ld_bool(ld, o, "region_less", ctx, &p->region_less) ==
		    -1 ||
		    ld_bool(ld, o, "verified", ctx, &p->verified) == -1 ||
		    ld_opt_str(ld, o, "note", ctx, &p->note) == -1)
			return -1;
		if (strchr(p->prefix, '.') != NULL) {
			ld_fail(ld, N_("catalog: %s: a prefix cannot contain "
			    "a dot"), ctx);
			return -1;
		}
		if (catalog_partition(cat, p->partition) == NULL) {
			ld_fail(ld, N_("catalog: %s: unknown partition "
			    "\"%s\""), ctx, p->partition);
			return -1;
		}
		if (p->region_less != (p->destinations.n == 0)) {
			ld_fail(ld, N_("catalog: %s: a prefix lists "
			    "destinations exactly when it is not "
			    "Region-less"), ctx);
			return -1;
		}
		if (i > 0 && catalog_prefix(cat, p->prefix) != p) {
			ld_fail(ld, N_("catalog: %s: duplicate entry"), ctx);
			return -1;
		}
	}
	return 0;
}

static int
load_regions(struct ld *ld)
{
	struct catalog		*cat = ld->cat;
	const struct json	*a;
	size_t			 i, j;
	char			 ctx[CTX_MAX];

	if ((a = ld_array(ld, "regions", 1)) == NULL)
		return -1;
	cat->nregions = json_len(a);
	cat->regions = xcalloc(cat->nregions, sizeof *cat->regions);
	for (i = 0; i < cat->nregions; i++) {
		const struct json	*o = json_at(a, i);
		struct catalog_region	*r = &cat->regions[i];

		snprintf(ctx, sizeof ctx, "regions[%zu]", i);
		if ((r->id = ld_str(ld, o, "id", ctx)) == NULL)
			return -1;
		snprintf(ctx, sizeof ctx, "region \"%s\"", r->id);
		if ((r->name = ld_str(ld, o, "name", ctx)) == NULL ||
		    (r->geography = ld_str(ld, o, "geography", ctx)) == NULL ||
		    (r->partition = ld_str(ld, o, "partition", ctx)) == NULL ||
		    ld_bool(ld, o, "opt_in", ctx, &r->opt_in) == -1 ||
		    ld_strs(ld, o, "profile_prefixes", ctx,
		    &r->profile_prefixes) == -1 ||
		    ld_opt_str(ld, o, "default_model", ctx,
		    &r->default_model) == -1)
			return -1;
		if (!valid_region_id(r->id)) {
			ld_fail(ld, N_("catalog: %s: not a Region id"), ctx);
			return -1;
		}
		if (i > 0 && catalog_region(cat, r->id) != r) {
			ld_fail(ld, N_("catalog: %s: duplicate entry"), ctx);
			return -1;
		}
		if (catalog_geography(cat, r->geography) == NULL) {
			ld_fail(ld, N_("catalog: %s: unknown geography "
			    "\"%s\""), ctx, r->geography);
			return -1;
		}
		if (strcmp(catalog_partition_of(cat, r->id),
		    r->partition) != 0) {
			ld_fail(ld, N_("catalog: %s: partition \"%s\" does "
			    "not match its prefix (\"%s\")"), ctx,
			    r->partition, catalog_partition_of(cat, r->id));
			return -1;
		}
		for (j = 0; j < r->profile_prefixes.n; j++) {
			const struct catalog_prefix *p = catalog_prefix(cat,
			    r->profile_prefixes.v[j]);

			if (p == NULL) {
				ld_fail(ld, N_("catalog: %s: unknown profile "
				    "prefix \"%s\""), ctx,
				    r->profile_prefixes.v[j]);
				return -1;
			}
			if (strcmp(p->partition, r->partition) != 0) {
				ld_fail(ld, N_("catalog: %s: profile prefix "
				    "\"%s\" belongs to another partition"),
				    ctx, p->prefix);
				return -1;
			}
		}
	}
	/* Now that Regions are known, check the prefixes' destinations. */
	for (i = 0; i < cat->nprefixes; i++) {
		const struct catalog_prefix *p = &cat->prefixes[i];

		for (j = 0; j < p->destinations.n; j++) {
			const struct catalog_region *r = catalog_region(cat,
			    p->destinations.v[j]);

			if (r == NULL || strcmp(r->partition,
			    p->partition) != 0) {
				ld_fail(ld, N_("catalog: profile prefix "
				    "\"%s\": unknown destination Region "
				    "\"%s\""), p->prefix,
				    p->destinations.v[j]);
				return -1;
			}
		}
	}
	return 0;
}

static int
load_providers(struct ld *ld)
{
	struct catalog		*cat = ld->cat;
	const struct json	*a;
	size_t			 i, j;
	char			 ctx[CTX_MAX];

	if ((a = ld_array(ld, "providers", 1)) == NULL)
		return -1;
	cat->nproviders = json_len(a);
	cat->providers = xcalloc(cat->nproviders, sizeof *cat->providers);
	for (i = 0; i < cat->nproviders; i++) {
		const struct json	*o = json_at(a, i);
		struct catalog_provider	*p = &cat->providers[i];

		snprintf(ctx, sizeof ctx, "providers[%zu]", i);
		if ((p->name = ld_str(ld, o, "name", ctx)) == NULL)
			return -1;
		snprintf(ctx, sizeof ctx, "provider \"%s\"", p->name);
		if ((p->id = ld_str(ld, o, "id", ctx)) == NULL ||
		    ld_bool(ld, o, "needs_marketplace", ctx,
		    &p->needs_marketplace) == -1 ||
		    ld_bool(ld, o, "needs_use_case_form", ctx,
		    &p->needs_use_case_form) == -1 ||
		    (p->terms = ld_str(ld, o, "terms", ctx)) == NULL ||
		    ld_opt_str(ld, o, "terms_url", ctx, &p->terms_url) == -1)
			return -1;
		for (j = 0; j < i; j++) {
			if (strcasecmp(cat->providers[j].name, p->name) == 0 ||
			    strcasecmp(cat->providers[j].id, p->id) == 0) {
				ld_fail(ld, N_("catalog: %s: duplicate entry"),
				    ctx);
				return -1;
			}
		}
	}
	return 0;
}

static int
load_model_profiles(struct ld *ld, const struct json *obj,
    struct catalog_model *m, const char *ctx)
{
	struct catalog			*cat = ld->cat;
	const struct json		*o = json_get(obj, "profiles");
	struct catalog_model_profile	*mp;
	size_t				 i, j;

	if (o == NULL || !json_is_object(o)) {
		ld_fail(ld, N_("catalog: %s: \"%s\" is missing or not an "
		    "object"), ctx, "profiles");
		return -1;
	}
	m->nprofiles = json_len(o);
	if (m->nprofiles == 0)
		return 0;
	mp = xcalloc(m->nprofiles, sizeof *mp);
	cat_track(cat, mp);
	m->profiles = mp;
	for (i = 0; i < m->nprofiles; i++) {
		const struct json *s = json_at(o, i);

		mp[i].prefix = json_key(s);
		if (catalog_prefix(cat, mp[i].prefix) == NULL) {
			ld_fail(ld, N_("catalog: %s: unknown profile prefix "
			    "\"%s\""), ctx, mp[i].prefix);
			return -1;
		}
		if (ld_strs_node(ld, s, mp[i].prefix, ctx,
		    &mp[i].sources) == -1)
			return -1;
		if (mp[i].sources.n == 0) {
			ld_fail(ld, N_("catalog: %s: profile \"%s\" has no "
			    "source Region"), ctx, mp[i].prefix);
			return -1;
		}
		for (j = 0; j < mp[i].sources.n; j++) {
			const struct catalog_region *r = catalog_region(cat,
			    mp[i].sources.v[j]);

			if (r == NULL) {
				ld_fail(ld, N_("catalog: %s: profile \"%s\": "
				    "unknown Region \"%s\""), ctx,
				    mp[i].prefix, mp[i].sources.v[j]);
				return -1;
			}
			if (!strs_has(&r->profile_prefixes, mp[i].prefix)) {
				ld_fail(ld, N_("catalog: %s: profile \"%s\": "
				    "Region \"%s\" is not a source of that "
				    "prefix"), ctx, mp[i].prefix, r->id);
				return -1;
			}
		}
	}
	return 0;
}

static int
load_model(struct ld *ld, const struct json *o, struct catalog_model *m,
    size_t idx)
{
	struct catalog			*cat = ld->cat;
	const struct catalog_provider	*pv;
	size_t				 j, plen;
	char				 ctx[CTX_MAX];

	snprintf(ctx, sizeof ctx, "models[%zu]", idx);
	if ((m->id = ld_str(ld, o, "id", ctx)) == NULL)
		return -1;
	snprintf(ctx, sizeof ctx, "model \"%s\"", m->id);
	if ((m->name = ld_str(ld, o, "name", ctx)) == NULL ||
	    (m->provider = ld_str(ld, o, "provider", ctx)) == NULL ||
	    (m->family = ld_str(ld, o, "family", ctx)) == NULL ||
	    (m->tier = ld_str(ld, o, "tier", ctx)) == NULL ||
	    ld_strs(ld, o, "input", ctx, &m->input) == -1 ||
	    ld_strs(ld, o, "output", ctx, &m->output) == -1 ||
	    ld_bool(ld, o, "streaming", ctx, &m->streaming) == -1 ||
	    ld_bool(ld, o, "text", ctx, &m->text) == -1 ||
	    ld_strs(ld, o, "inference_types", ctx, &m->inference_types) ==
	    -1 ||
	    (m->lifecycle = ld_str(ld, o, "lifecycle", ctx)) == NULL ||
	    ld_opt_str(ld, o, "eol", ctx, &m->eol) == -1 ||
	    ld_strs(ld, o, "regions", ctx, &m->regions) == -1 ||
	    ld_opt_str(ld, o, "note", ctx, &m->note) == -1 ||
	    load_model_profiles(ld, o, m, ctx) == -1)
		return -1;
	if (!catalog_model_id_valid(m->id)) {
		ld_fail(ld, N_("catalog: %s: not a foundation-model id"), ctx);
		return -1;
	}
	if ((pv = catalog_provider(cat, m->provider)) == NULL ||
	    strcmp(pv->name, m->provider) != 0) {
		ld_fail(ld, N_("catalog: %s: unknown provider \"%s\""), ctx,
		    m->provider);
		return -1;
	}
	plen = strlen(pv->id);
	if (strncmp(m->id, pv->id, plen) != 0 || m->id[plen] != '.') {
		ld_fail(ld, N_("catalog: %s: the id does not start with "
		    "\"%s.\""), ctx, pv->id);
		return -1;
	}
	if (strcmp(m->lifecycle, "ACTIVE") != 0 &&
	    strcmp(m->lifecycle, "LEGACY") != 0) {
		ld_fail(ld, N_("catalog: %s: lifecycle \"%s\" is neither "
		    "ACTIVE nor LEGACY"), ctx, m->lifecycle);
		return -1;
	}
	if (m->eol != NULL && !valid_date(m->eol)) {
		ld_fail(ld, N_("catalog: %s: \"%s\" is not a date "
		    "(YYYY-MM-DD)"), ctx, m->eol);
		return -1;
	}
	for (j = 0; j < m->regions.n; j++) {
		if (catalog_region(cat, m->regions.v[j]) == NULL) {
			ld_fail(ld, N_("catalog: %s: unknown Region \"%s\""),
			    ctx, m->regions.v[j]);
			return -1;
		}
	}
	if ((m->regions.n > 0) !=
	    strs_has(&m->inference_types, "ON_DEMAND") ||
	    (m->nprofiles > 0) !=
	    strs_has(&m->inference_types, "INFERENCE_PROFILE")) {
		ld_fail(ld, N_("catalog: %s: inference_types must list "
		    "ON_DEMAND exactly when it has Regions and "
		    "INFERENCE_PROFILE exactly when it has profiles"), ctx);
		return -1;
	}
	if (m->regions.n == 0 && m->nprofiles == 0) {
		ld_fail(ld, N_("catalog: %s: offered nowhere"), ctx);
		return -1;
	}
	return 0;
}

static int
load_models(struct ld *ld)
{
	struct catalog		*cat = ld->cat;
	const struct json	*a;
	size_t			 i;

	if ((a = ld_array(ld, "models", 1)) == NULL)
		return -1;
	cat->nmodels = json_len(a);
	cat->models = xcalloc(cat->nmodels, sizeof *cat->models);
	for (i = 0; i < cat->nmodels; i++) {
		if (load_model(ld, json_at(a, i), &cat->models[i], i) == -1)
			return -1;
		if (i > 0 && catalog_model(cat, cat->models[i].id) !=
		    &cat->models[i]) {
			ld_fail(ld, N_("catalog: model \"%s\": duplicate "
			    "entry"), cat->models[i].id);
			return -1;
		}
	}
	/* Default models must exist and be callable where recommended. */
	for (i = 0; i < cat->nregions; i++) {
		const struct catalog_region	*r = &cat->regions[i];
		const struct catalog_model	*m;
		const struct catalog_prefix	*p;

		if (r->default_model == NULL)
			continue;
		m = catalog_model(cat, r->default_model);
		if (m == NULL || !m->text || (!catalog_model_in_region(m,
		    r->id) && catalog_model_profiles_for(cat, r->id, m->id,
		    &p, 1) == 0)) {
			ld_fail(ld, N_("catalog: region \"%s\": default model "
			    "\"%s\" is unknown, not a text model or not "
			    "callable there"), r->id, r->default_model);
			return -1;
		}
	}
	return 0;
}

static int
load_iam(struct ld *ld)
{
	struct catalog		*cat = ld->cat;
	const struct json	*iam = json_get(cat->root, "iam");
	const struct json	*a;
	size_t			 i, j;
	char			 ctx[CTX_MAX];

	if (iam == NULL || !json_is_object(iam)) {
		ld_fail(ld, N_("catalog: \"%s\" is missing or not an object"),
		    "iam");
		return -1;
	}

	a = json_get(iam, "resource_types");
	cat->nrtypes = json_len(a);
	if (!json_is_array(a) || cat->nrtypes == 0) {
		ld_fail(ld, N_("catalog: \"%s\" is missing or not a list"),
		    "iam.resource_types");
		return -1;
	}
	cat->rtypes = xcalloc(cat->nrtypes, sizeof *cat->rtypes);
	for (i = 0; i < cat->nrtypes; i++) {
		const struct json		*o = json_at(a, i);
		struct catalog_resource_type	*t = &cat->rtypes[i];

		snprintf(ctx, sizeof ctx, "iam.resource_types[%zu]", i);
		if ((t->type = ld_str(ld, o, "type", ctx)) == NULL ||
		    (t->service = ld_str(ld, o, "service", ctx)) == NULL ||
		    (t->arn = ld_str(ld, o, "arn", ctx)) == NULL)
			return -1;
		if (!valid_arn_format(t->arn, t->service)) {
			ld_fail(ld, N_("catalog: %s: bad ARN format \"%s\""),
			    ctx, t->arn);
			return -1;
		}
		if (i > 0 && catalog_resource_type(cat, t->type) != t) {
			ld_fail(ld, N_("catalog: %s: duplicate entry"), ctx);
			return -1;
		}
	}

	a = json_get(iam, "actions");
	cat->nactions = json_len(a);
	if (!json_is_array(a) || cat->nactions == 0) {
		ld_fail(ld, N_("catalog: \"%s\" is missing or not a list"),
		    "iam.actions");
		return -1;
	}
	cat->actions = xcalloc(cat->nactions, sizeof *cat->actions);
	for (i = 0; i < cat->nactions; i++) {
		const struct json	*o = json_at(a, i);
		struct catalog_action	*act = &cat->actions[i];

		snprintf(ctx, sizeof ctx, "iam.actions[%zu]", i);
		if ((act->action = ld_str(ld, o, "action", ctx)) == NULL)
			return -1;
		snprintf(ctx, sizeof ctx, "action \"%s\"", act->action);
		if (ld_strs(ld, o, "resources", ctx, &act->resources) == -1 ||
		    (act->use = ld_str(ld, o, "use", ctx)) == NULL ||
		    ld_opt_str(ld, o, "note", ctx, &act->note) == -1)
			return -1;
		if (!valid_iam_name(act->action)) {
			ld_fail(ld, N_("catalog: %s: not \"service:Action\""),
			    ctx);
			return -1;
		}
		if (i > 0 && catalog_action(cat, act->action) != act) {
			ld_fail(ld, N_("catalog: %s: duplicate entry"), ctx);
			return -1;
		}
		for (j = 0; j < act->resources.n; j++) {
			if (catalog_resource_type(cat,
			    act->resources.v[j]) == NULL) {
				ld_fail(ld, N_("catalog: %s: unknown resource "
				    "type \"%s\""), ctx, act->resources.v[j]);
				return -1;
			}
		}
	}

	a = json_get(iam, "condition_keys");
	cat->nckeys = json_len(a);
	if (!json_is_array(a)) {
		ld_fail(ld, N_("catalog: \"%s\" is missing or not a list"),
		    "iam.condition_keys");
		return -1;
	}
	cat->ckeys = xcalloc(cat->nckeys + 1, sizeof *cat->ckeys);
	for (i = 0; i < cat->nckeys; i++) {
		const struct json		*o = json_at(a, i);
		struct catalog_condition_key	*k = &cat->ckeys[i];

		snprintf(ctx, sizeof ctx, "iam.condition_keys[%zu]", i);
		if ((k->key = ld_str(ld, o, "key", ctx)) == NULL ||
		    (k->type = ld_str(ld, o, "type", ctx)) == NULL ||
		    (k->note = ld_str(ld, o, "note", ctx)) == NULL)
			return -1;
		if (!valid_iam_name(k->key)) {
			ld_fail(ld, N_("catalog: %s: not \"service:Key\""),
			    ctx);
			return -1;
		}
	}
	return 0;
}

static int
load_top(struct ld *ld)
{
	struct catalog	*cat = ld->cat;
	long long	 schema;

	if (!json_is_object(cat->root)) {
		ld_fail(ld, N_("catalog: the document is not a JSON object"));
		return -1;
	}
	schema = json_get_int(cat->root, "schema", -1);
	if (schema != CATALOG_SCHEMA) {
		ld_fail(ld, N_("catalog: unsupported schema %lld (this "
		    "program reads schema %d)"), schema, CATALOG_SCHEMA);
		return -1;
	}
	if ((cat->date = ld_str(ld, cat->root, "date", "top level")) == NULL ||
	    (cat->sources = ld_str(ld, cat->root, "sources", "top level")) ==
	    NULL)
		return -1;
	if (!valid_date(cat->date)) {
		ld_fail(ld, N_("catalog: %s: \"%s\" is not a date "
		    "(YYYY-MM-DD)"), "top level", cat->date);
		return -1;
	}
	return 0;
}

struct catalog *
catalog_load_buf(const char *text, size_t len, const char *origin,
    struct err *e)
{
	struct catalog	*cat;
	struct ld	 ld;
	struct err	 perr;

	cat = xcalloc(1, sizeof *cat);
	cat->origin_buf = xstrdup(origin != NULL ? origin : "catalog");
	cat->origin = cat->origin_buf;
	ld.cat = cat;
	ld.err = e;

	if (text == NULL || len == 0) {
		ld_fail(&ld, N_("catalog: the document is empty"));
		catalog_free(cat);
		return NULL;
	}
	err_clear(&perr);
	if ((cat->root = json_parse(text, len, &perr)) == NULL) {
		ld_fail(&ld, N_("catalog: %s"), perr.message);
		catalog_free(cat);
		return NULL;
	}
	if (load_top(&ld) == -1 || load_partitions(&ld) == -1 ||
	    load_geographies(&ld) == -1 || load_prefixes(&ld) == -1 ||
	    load_regions(&ld) == -1 || load_providers(&ld) == -1 ||
	    load_models(&ld) == -1 || load_iam(&ld) == -1) {
		catalog_free(cat);
		return NULL;
	}
	return cat;
}

struct catalog *
catalog_load_embedded(struct err *e)
{
	return catalog_load_buf((const char *)catalog_embedded,
	    catalog_embedded_len, "embedded catalog", e);
}

struct catalog *
catalog_load_file(const char *path, struct err *e)
{
	struct catalog	*cat;
	struct buf	 b;
	FILE		*f;
	char		 chunk[8192];
	size_t		 n;
	int		 bad = 0;

	if (path == NULL) {
		err_set(e, ERR_USAGE, N_("catalog: no file name given"));
		return NULL;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		err_set(e, ERR_IO, N_("catalog: cannot open the file: %s"),
		    strerror(errno));
		err_where(e, "%s", path);
		return NULL;
	}
	buf_init(&b, CATALOG_FILE_MAX);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (buf_add(&b, chunk, n) == -1) {
			bad = 1;
			break;
		}
	}
	if (!bad && ferror(f))
		bad = 2;
	fclose(f);
	if (bad) {
		if (bad == 1)
			err_set(e, ERR_LIMIT, N_("catalog: the file is larger "
			    "than %u bytes"), CATALOG_FILE_MAX);
		else
			err_set(e, ERR_IO, N_("catalog: cannot read the "
			    "file"));
		err_where(e, "%s", path);
		buf_free(&b);
		return NULL;
	}
	cat = catalog_load_buf(b.data, b.len, path, e);
	buf_free(&b);
	return cat;
}

void
catalog_free(struct catalog *cat)
{
	size_t	 i;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->nallocs; i++)
		free(cat->allocs[i]);
	free(cat->allocs);
	free(cat->partitions);
	free(cat->geographies);
	free(cat->regions);
	free(cat->prefixes);
	free(cat->providers);
	free(cat->models);
	free(cat->actions);
	free(cat->rtypes);
	free(cat->ckeys);
	json_free(cat->root);
	free(cat->origin_buf);
	free(cat);
}

const char *
catalog_date(const struct catalog *cat)
{
	return cat->date;
}

const char *
catalog_sources(const struct catalog *cat)
{
	return cat->sources;
}

size_t
catalog_partition_count(const struct catalog *cat)
{
	return cat->npartitions;
}

const struct catalog_partition *
catalog_partition_at(const struct catalog *cat, size_t i)
{
	return i < cat->npartitions ? &cat->partitions[i] : NULL;
}

const struct catalog_partition *
catalog_partition(const struct catalog *cat, const char *id)
{
	size_t	 i;

	for (i = 0; id != NULL && i < cat->npartitions; i++)
		if (strcmp(cat->partitions[i].id, id) == 0)
			return &cat->partitions[i];
	return NULL;
}

const char *
catalog_partition_of(const struct catalog *cat, const char *region)
{
	const char	*best = NULL, *dflt = "aws";
	size_t		 i, j, bestlen = 0;

	if (region == NULL)
		region = "";
	if (cat == NULL) {
		if (strncmp(region, "us-gov-", 7) == 0)
			return "aws-us-gov";
		if (strncmp(region, "cn-", 3) == 0)
			return "aws-cn";
		return "aws";
	}
	for (i = 0; i < cat->npartitions; i++) {
		const struct catalog_partition *p = &cat->partitions[i];

		if (p->is_default)
			dflt = p->id;
		for (j = 0; j < p->region_prefixes.n; j++) {
			size_t n = strlen(p->region_prefixes.v[j]);

			if (n > bestlen && strncmp(region,
			    p->region_prefixes.v[j], n) == 0) {
				best = p->id;
				bestlen = n;
			}
		}
	}
	return best != NULL ? best : dflt;
}

size_t
catalog_geography_count(const struct catalog *cat)
{
	return cat->ngeographies;
}

const struct catalog_geography *
catalog_geography_at(const struct catalog *cat, size_t i)
{
	return i < cat->ngeographies ? &cat->geographies[i] : NULL;
}

const struct catalog_geography *
catalog_geography(const struct catalog *cat, const char *name)
{
	size_t	 i;

	for (i = 0; name != NULL && i < cat->ngeographies; i++)
		if (cat->geographies[i].name != NULL &&
		    strcmp(cat->geographies[i].name, name) == 0)
			return &cat->geographies[i];
	return NULL;
}

size_t
catalog_region_count(const struct catalog *cat)
{
	return cat->nregions;
}

const struct catalog_region *
catalog_region_at(const struct catalog *cat, size_t i)
{
	return i < cat->nregions ? &cat->regions[i] : NULL;
}

const struct catalog_region *
catalog_region(const struct catalog *cat, const char *id)
{
	size_t	 i;

	for (i = 0; id != NULL && i < cat->nregions; i++)
		if (cat->regions[i].id != NULL &&
		    strcmp(cat->regions[i].id, id) == 0)
			return &cat->regions[i];
	return NULL;
}

size_t
catalog_regions_in_geography(const struct catalog *cat, const char *geo,
    const struct catalog_region **out, size_t max)
{
	size_t	 i, n = 0;

	for (i = 0; geo != NULL && i < cat->nregions; i++) {
		if (strcmp(cat->regions[i].geography, geo) != 0)
			continue;
		if (n < max)
			out[n] = &cat->regions[i];
		n++;
	}
	return n;
}

size_t
catalog_prefix_count(const struct catalog *cat)
{
	return cat->nprefixes;
}

const struct catalog_prefix *
catalog_prefix_at(const struct catalog *cat, size_t i)
{
	return i < cat->nprefixes ? &cat->prefixes[i] : NULL;
}

const struct catalog_prefix *
catalog_prefix(const struct catalog *cat, const char *prefix)
{
	size_t	 i;

	for (i = 0; prefix != NULL && i < cat->nprefixes; i++)
		if (cat->prefixes[i].prefix != NULL &&
		    strcmp(cat->prefixes[i].prefix, prefix) == 0)
			return &cat->prefixes[i];
	return NULL;
}

const struct catalog_prefix *
catalog_prefix_of_profile(const struct catalog *cat, const char *id)
{
	const char	*dot;
	size_t		 i;

	if (id == NULL || (dot = strchr(id, '.')) == NULL)
		return NULL;
	for (i = 0; i < cat->nprefixes; i++) {
		const char *p = cat->prefixes[i].prefix;

		if (strlen(p) == (size_t)(dot - id) &&
		    strncmp(p, id, (size_t)(dot - id)) == 0)
			return &cat->prefixes[i];
	}
	return NULL;
}

size_t
catalog_provider_count(const struct catalog *cat)
{
	return cat->nproviders;
}

const struct catalog_provider *
catalog_provider_at(const struct catalog *cat, size_t i)
{
	return i < cat->nproviders ? &cat->providers[i] : NULL;
}

const struct catalog_provider *
catalog_provider(const struct catalog *cat, const char *name)
{
	size_t	 i;

	for (i = 0; name != NULL && i < cat->nproviders; i++) {
		const struct catalog_provider *p = &cat->providers[i];

		if ((p->name != NULL && strcasecmp(p->name, name) == 0) ||
		    (p->id != NULL && strcasecmp(p->id, name) == 0))
			return p;
	}
	return NULL;
}

size_t
catalog_model_count(const struct catalog *cat)
{
	return cat->nmodels;
}

const struct catalog_model *
catalog_model_at(const struct catalog *cat, size_t i)
{
	return i < cat->nmodels ? &cat->models[i] : NULL;
}

const struct catalog_model *
catalog_model(const struct catalog *cat, const char *id)
{
	size_t	 i;

	for (i = 0; id != NULL && i < cat->nmodels; i++)
		if (cat->models[i].id != NULL &&
		    strcmp(cat->models[i].id, id) == 0)
			return &cat->models[i];
	return NULL;
}

size_t
catalog_models_by_provider(const struct catalog *cat, const char *provider,
    const struct catalog_model **out, size_t max)
{
	const struct catalog_provider	*p = catalog_provider(cat, provider);
	size_t				 i, n = 0;

	for (i = 0; p != NULL && i < cat->nmodels; i++) {
		if (strcmp(cat->models[i].provider, p->name) != 0)
			continue;
		if (n < max)
			out[n] = &cat->models[i];
		n++;
	}
	return n;
}

int
catalog_model_in_region(const struct catalog_model *m, const char *region)
{
	return m != NULL && region != NULL && strs_has(&m->regions, region);
}

const struct catalog_model_profile *
catalog_model_profile(const struct catalog_model *m, const char *prefix)
{
	size_t	 i;

	for (i = 0; m != NULL && prefix != NULL && i < m->nprofiles; i++)
		if (strcmp(m->profiles[i].prefix, prefix) == 0)
			return &m->profiles[i];
	return NULL;
}

static int
model_callable_from(const struct catalog_model *m, const char *region)
{
	size_t	 i;

	if (catalog_model_in_region(m, region))
		return 1;
	for (i = 0; i < m->nprofiles; i++)
		if (strs_has(&m->profiles[i].sources, region))
			return 1;
	return 0;
}

size_t
catalog_models_in_region(const struct catalog *cat, const char *region,
    int flags, const struct catalog_model **out, size_t max)
{
	size_t	 i, n = 0;

	for (i = 0; region != NULL && i < cat->nmodels; i++) {
		const struct catalog_model *m = &cat->models[i];

		if ((flags & CATALOG_TEXT_ONLY) && !m->text)
			continue;
		if ((flags & CATALOG_NO_LEGACY) && catalog_model_is_legacy(m))
			continue;
		if (!model_callable_from(m, region))
			continue;
		if (n < max)
			out[n] = m;
		n++;
	}
	return n;
}

int
catalog_model_is_legacy(const struct catalog_model *m)
{
	return m != NULL && strcmp(m->lifecycle, "LEGACY") == 0;
}

size_t
catalog_model_profiles_for(const struct catalog *cat, const char *region,
    const char *model_id, const struct catalog_prefix **out, size_t max)
{
	const struct catalog_region	*r = catalog_region(cat, region);
	const struct catalog_model	*m = catalog_model(cat, model_id);
	size_t				 i, pass, n = 0;

	if (r == NULL || m == NULL)
		return 0;
	/* Geographic prefixes first, then Region-less (global) ones. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < r->profile_prefixes.n; i++) {
			const struct catalog_prefix *p = catalog_prefix(cat,
			    r->profile_prefixes.v[i]);
			const struct catalog_model_profile *mp;

			if (p == NULL || (p->region_less != 0) != (pass == 1))
				continue;
			mp = catalog_model_profile(m, p->prefix);
			if (mp == NULL || !strs_has(&mp->sources, r->id))
				continue;
			if (n < max)
				out[n] = p;
			n++;
		}
	}
	return n;
}

size_t
catalog_model_regions(const struct catalog *cat, const char *model_id,
    const struct catalog_region **out, size_t max)
{
	const struct catalog_model	*m = catalog_model(cat, model_id);
	size_t				 i, n = 0;

	for (i = 0; m != NULL && i < cat->nregions; i++) {
		if (!model_callable_from(m, cat->regions[i].id))
			continue;
		if (n < max)
			out[n] = &cat->regions[i];
		n++;
	}
	return n;
}

int
catalog_profile_id(const char *prefix, const char *model_id, char *buf,
    size_t len)
{
	if (prefix == NULL || model_id == NULL)
		return -1;
	return snprintf(buf, len, "%s.%s", prefix, model_id);
}

const struct catalog_model *
catalog_default_model(const struct catalog *cat, const char *region)
{
	const struct catalog_region *r = catalog_region(cat, region);

	return r != NULL ? catalog_model(cat, r->default_model) : NULL;
}

size_t
catalog_action_count(const struct catalog *cat)
{
	return cat->nactions;
}

const struct catalog_action *
catalog_action_at(const struct catalog *cat, size_t i)
{
	return i < cat->nactions ? &cat->actions[i] : NULL;
}

const struct catalog_action *
catalog_action(const struct catalog *cat, const char *action)
{
	size_t	 i;

	for (i = 0; action != NULL && i < cat->nactions; i++)
		if (cat->actions[i].action != NULL &&
		    strcasecmp(cat->actions[i].action, action) == 0)
			return &cat->actions[i];
	return NULL;
}

int
catalog_action_accepts(const struct catalog *cat, const char *action,
    const char *resource_type)
{
	const struct catalog_action *a = catalog_action(cat, action);

	return a != NULL && resource_type != NULL &&
	    strs_has(&a->resources, resource_type);
}

size_t
catalog_resource_type_count(const struct catalog *cat)
{
	return cat->nrtypes;
}

const struct catalog_resource_type *
catalog_resource_type_at(const struct catalog *cat, size_t i)
{
	return i < cat->nrtypes ? &cat->rtypes[i] : NULL;
}

const struct catalog_resource_type *
catalog_resource_type(const struct catalog *cat, const char *type)
{
	size_t	 i;

	for (i = 0; type != NULL && i < cat->nrtypes; i++)
		if (cat->rtypes[i].type != NULL &&
		    strcmp(cat->rtypes[i].type, type) == 0)
			return &cat->rtypes[i];
	return NULL;
}

const char *
catalog_arn_format(const struct catalog *cat, const char *type)
{
	const struct catalog_resource_type *t = catalog_resource_type(cat,
	    type);

	return t != NULL ? t->arn : NULL;
}

size_t
catalog_condition_key_count(const struct catalog *cat)
{
	return cat->nckeys;
}

const struct catalog_condition_key *
catalog_condition_key_at(const struct catalog *cat, size_t i)
{
	return i < cat->nckeys ? &cat->ckeys[i] : NULL;
}

const struct catalog_condition_key *
catalog_condition_key(const struct catalog *cat, const char *key)
{
	size_t	 i;

	for (i = 0; key != NULL && i < cat->nckeys; i++)
		if (strcasecmp(cat->ckeys[i].key, key) == 0)
			return &cat->ckeys[i];
	return NULL;
}
