/*
 * modellist.c: the models a Region offers, resolved, sorted, and their
 * access (see modellist.h).
 *
 * Both sources give the same facts about a model (name, provider,
 * modalities, streaming, lifecycle); add_row() takes them from there on:
 * it resolves the model against the list's view, names its provider, and
 * asks the caller whether to keep it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "access.h"
#include "bedrock.h"
#include "catalog.h"
#include "diagnose.h"
#include "err.h"
#include "modellist.h"
#include "resolve.h"
#include "xalloc.h"

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
row_free(struct modellist_row *r)
{
	free(r->id);
	free(r->name);
	free(r->provider);
	bedrock_strv_free(&r->input);
	bedrock_strv_free(&r->output);
	free(r->lifecycle);
	resolve_result_free(&r->how);
}

/* The catalog's entry for a provider name, or for a model id's prefix. */
static const struct catalog_provider *
cat_provider(const struct catalog *cat, const char *name, const char *id)
{
	const struct catalog_provider	*p = NULL;
	char				 prefix[64];
	size_t				 n;

	if (name != NULL)
		p = catalog_provider(cat, name);
	if (p == NULL && (n = strcspn(id, ".")) < sizeof prefix &&
	    id[n] == '.') {
		memcpy(prefix, id, n);
		prefix[n] = '\0';
		p = catalog_provider(cat, prefix);
	}
	return p;
}

/* A provider's place in the catalog's order; unknown ones go last. */
static size_t
provider_order(const struct catalog *cat, const struct catalog_provider *p)
{
	size_t	 i, n = catalog_provider_count(cat);

	for (i = 0; p != NULL && i < n; i++)
		if (catalog_provider_at(cat, i) == p)
			return i;
	return n;
}

/*
 * Take a row whose source facts are filled in (its strings are the
 * list's to own or free): resolve it, name its provider, and keep it
 * unless the caller leaves it out.
 */
static void
add_row(struct modellist *ml, const struct catalog *cat,
    const struct modellist_opts *opts, struct modellist_row *r)
{
	const struct catalog_provider	*cp;
	struct err			 e;

	cp = cat_provider(cat, r->provider, r->id);
	if (r->provider == NULL)
		r->provider = xstrdup(cp != NULL ? cp->name : r->id);
	r->provider_order = provider_order(cat, cp);
	if (r->name == NULL)
		r->name = xstrdup(r->id);
	r->legacy = r->lifecycle != NULL &&
	    strcasecmp(r->lifecycle, "LEGACY") == 0;
	err_clear(&e);
	r->callable = resolve_model(&ml->view, cat, r->id, &r->how, &e) == 0 &&
	    r->how.kind != RESOLVE_NONE && r->how.invoke_id != NULL;
	if (r->streaming < 0)
		r->streaming = r->how.streaming;
	/* As access_check_many() says of a model known to be absent. */
	err_clear(&r->access.err);
	snprintf(r->access.model_id, sizeof r->access.model_id, "%s", r->id);
	if (!r->callable) {
		r->access.state = access_classify(NULL,
		    ACCESS_FORM_NOT_NEEDED, 0, r->access.detail,
		    sizeof r->access.detail);
		r->access_known = 1;
	}
	if (ml->n >= MODELLIST_MAX_ROWS || (opts->keep != NULL &&
	    !opts->keep(r, opts->keep_arg))) {
		row_free(r);
		return;
	}
	ml->rows = xreallocarray(ml->rows, ml->n + 1, sizeof *ml->rows);
	ml->rows[ml->n++] = *r;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct modellist_row	*x = a, *y = b;
	int				 c;

	if (x->provider_order != y->provider_order)
		return x->provider_order < y->provider_order ? -1 : 1;
	if ((c = strcasecmp(x->provider, y->provider)) != 0)
		return c;
	if (x->legacy != y->legacy)
		return x->legacy - y->legacy;
	if ((c = strcasecmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->id, y->id);
}

static void
list_start(struct modellist *ml, const char *region)
{
	memset(ml, 0, sizeof *ml);
	ml->region = xstrdup(region != NULL ? region : "");
}

static void
list_sort(struct modellist *ml)
{
	if (ml->n > 1)
		qsort(ml->rows, ml->n, sizeof *ml->rows, row_cmp);
}

int
modellist_live(const struct bedrock_ctx *bc, const struct catalog *cat,
    const struct modellist_opts *opts, struct modellist *ml, struct err *e)
{
	static const struct modellist_opts none;
	struct bedrock_model_list	 models;
	struct modellist_row		 r;
	size_t				 i;
	int				 op, rc = -1;

	if (opts == NULL)
		opts = &none;
	list_start(ml, bedrock_ctx_region(bc));
	op = DIAGNOSE_OP_LIST_MODELS;
	if (bedrock_list_foundation_models(bc, NULL, &models, e) != 0)
		goto done;
	/* The view as bedrock_live_view() makes it, the models kept. */
	op = DIAGNOSE_OP_LIST_PROFILES;
	resolve_view_init(&ml->view, ml->region, opts->account, "live");
	if (bedrock_fill_view_live(bc, &models, &ml->view, e) != 0)
		goto done;
	ml->live = 1;
	for (i = 0; i < models.n; i++) {
		const struct bedrock_model *bm = &models.v[i];

		if ((opts->flags & MODELLIST_CHAT_ONLY) &&
		    (!bedrock_strv_has(&bm->input_modalities, "TEXT") ||
		    !bedrock_strv_has(&bm->output_modalities, "TEXT")))
			continue;
		memset(&r, 0, sizeof r);
		r.id = xstrdup(bm->id);
		r.name = dup_or_null(bm->name);
		r.provider = dup_or_null(bm->provider);
		bedrock_strv_copy(&r.input, (const char *const *)
		    bm->input_modalities.v, bm->input_modalities.n);
		bedrock_strv_copy(&r.output, (const char *const *)
		    bm->output_modalities.v, bm->output_modalities.n);
		r.streaming = bm->streaming;
		r.lifecycle = dup_or_null(bm->lifecycle.status);
		add_row(ml, cat, opts, &r);
	}
	list_sort(ml);
	rc = 0;
done:
	bedrock_model_list_free(&models);
	if (rc != 0) {
		modellist_free(ml);
		ml->failed_op = op;
	}
	return rc;
}

int
modellist_from_catalog(const struct catalog *cat, const char *region,
    const struct modellist_opts *opts, struct modellist *ml, struct err *e)
{
	static const struct modellist_opts none;
	const struct catalog_model	**v;
	struct modellist_row		 r;
	size_t				 n, i;
	int				 flags;

	if (opts == NULL)
		opts = &none;
	list_start(ml, region);
	if (resolve_view_from_catalog(&ml->view, cat, ml->region,
	    opts->account, e) != 0) {
		modellist_free(ml);
		return -1;
	}
	flags = (opts->flags & MODELLIST_CHAT_ONLY) ? CATALOG_TEXT_ONLY : 0;
	n = catalog_models_in_region(cat, ml->region, flags, NULL, 0);
	v = xcalloc(n > 0 ? n : 1, sizeof *v);
	n = catalog_models_in_region(cat, ml->region, flags, v, n);
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof r);
		r.id = xstrdup(v[i]->id);
		r.name = dup_or_null(v[i]->name);
		r.provider = dup_or_null(v[i]->provider);
		bedrock_strv_copy(&r.input, v[i]->input.v, v[i]->input.n);
		bedrock_strv_copy(&r.output, v[i]->output.v, v[i]->output.n);
		r.streaming = v[i]->streaming;
		r.lifecycle = dup_or_null(v[i]->lifecycle);
		add_row(ml, cat, opts, &r);
	}
	free(v);
	list_sort(ml);
	return 0;
}

void
modellist_free(struct modellist *ml)
{
	size_t	 i;

	if (ml == NULL)
		return;
	for (i = 0; i < ml->n; i++)
		row_free(&ml->rows[i]);
	free(ml->rows);
	resolve_view_free(&ml->view);
	free(ml->region);
	memset(ml, 0, sizeof *ml);
}

/* ---- access ---- */

void
modellist_access_init(struct modellist_access *a, const struct modellist *ml)
{
	size_t	 i;

	memset(a, 0, sizeof *a);
	a->ids = xcalloc(ml->n > 0 ? ml->n : 1, sizeof *a->ids);
	for (i = 0; i < ml->n; i++)
		if (ml->rows[i].callable)
			a->ids[a->n++] = xstrdup(ml->rows[i].id);
	a->info = xcalloc(a->n > 0 ? a->n : 1, sizeof *a->info);
}

/* Every id is offered in the Region: the rows asked about are callable. */
static int *
all_offered(size_t n)
{
	int	*offered = xcalloc(n > 0 ? n : 1, sizeof *offered);
	size_t	 i;

	for (i = 0; i < n; i++)
		offered[i] = 1;
	return offered;
}

size_t
modellist_access_fetch(const struct bedrock_ctx *bc,
    const struct catalog *cat, struct modellist_access *a)
{
	int	*offered = all_offered(a->n);
	size_t	 unknown;

	unknown = access_check_many(bc, cat, (const char *const *)a->ids,
	    offered, a->n, a->info);
	free(offered);
	a->fetched = 1;
	return unknown;
}

void
modellist_access_apply(struct modellist *ml, const struct modellist_access *a)
{
	size_t	 i, j;

	for (i = 0; a->fetched && i < a->n; i++)
		for (j = 0; j < ml->n; j++)
			if (ml->rows[j].callable &&
			    strcmp(ml->rows[j].id, a->ids[i]) == 0) {
				ml->rows[j].access = a->info[i];
				ml->rows[j].access_known = 1;
			}
}

void
modellist_access_free(struct modellist_access *a)
{
	size_t	 i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++)
		free(a->ids[i]);
	free(a->ids);
	free(a->info);
	memset(a, 0, sizeof *a);
}

size_t
modellist_check_access(const struct bedrock_ctx *bc,
    const struct catalog *cat, struct modellist *ml)
{
	struct modellist_access	 a;
	size_t			 unknown;

	modellist_access_init(&a, ml);
	unknown = modellist_access_fetch(bc, cat, &a);
	modellist_access_apply(ml, &a);
	modellist_access_free(&a);
	return unknown;
}

size_t
modellist_unknown_access(struct modellist *ml, const struct err *e, int op)
{
	struct modellist_access	 a;
	size_t			 unknown;

	/* Only callable rows are asked about: none is known to be absent. */
	modellist_access_init(&a, ml);
	unknown = access_unknown_many(e, op, ml->region,
	    (const char *const *)a.ids, NULL, a.n, a.info);
	a.fetched = 1;
	modellist_access_apply(ml, &a);
	modellist_access_free(&a);
	return unknown;
}
