/*
 * catalog.h: the shipped, dated catalog of Regions, providers, models,
 * inference-profile prefixes and IAM actions (data/catalog.json).
 *
 * The JSON is compiled into the program (tools/embed.sh) and can be
 * replaced by a file for tests or an override.  Loading validates every
 * cross-reference and fails with an error that names the bad entry.  A
 * loaded catalog is read-only: every pointer it hands out stays valid
 * until catalog_free() and must not be freed by the caller.
 *
 * The catalog is a hint for offline and demo use; live ListFoundationModels
 * and ListInferenceProfiles answers always win (see resolve.h).  Its user
 * text (residency and terms notes) is English and not marked for gettext.
 */
#ifndef BS_CATALOG_H
#define BS_CATALOG_H

#include <stddef.h>

struct err;
struct catalog;

/* A read-only list of strings. */
struct catalog_strs {
	const char *const	*v;
	size_t			 n;
};

struct catalog_partition {
	const char		*id;		/* "aws", "aws-us-gov", "aws-cn" */
	const char		*name;
	const char		*dns_suffix;
	const char		*dualstack_dns_suffix;	/* may be NULL */
	struct catalog_strs	 region_prefixes;	/* "us-gov-" */
	int			 is_default;	/* for Regions no prefix claims */
};

struct catalog_geography {
	const char		*name;		/* "Europe" */
	const char		*residency;	/* one line for people */
};

struct catalog_region {
	const char		*id;
	const char		*name;
	const char		*geography;
	const char		*partition;
	int			 opt_in;
	/* Profile prefixes this Region can be the source of, geographic first. */
	struct catalog_strs	 profile_prefixes;
	const char		*default_model;	/* may be NULL */
};

struct catalog_prefix {
	const char		*prefix;	/* "us", "eu", "global" */
	const char		*name;
	const char		*partition;
	struct catalog_strs	 destinations;	/* empty for global */
	int			 region_less;	/* global: no Region in FM ARN */
	int			 verified;	/* 0: seen only in third-party code */
	const char		*note;		/* may be NULL */
};

struct catalog_provider {
	const char		*name;		/* as ListFoundationModels says */
	const char		*id;		/* first part of model ids */
	int			 needs_marketplace;
	int			 needs_use_case_form;
	const char		*terms;		/* what enabling involves */
	const char		*terms_url;	/* may be NULL */
};

/* A profile prefix offering a model, and the source Regions it serves. */
struct catalog_model_profile {
	const char		*prefix;
	struct catalog_strs	 sources;
};

struct catalog_model {
	const char		*id;
	const char		*name;
	const char		*provider;
	const char		*family;
	const char		*tier;
	struct catalog_strs	 input;		/* "TEXT", "IMAGE", ... */
	struct catalog_strs	 output;
	int			 streaming;
	int			 text;		/* a chat model */
	struct catalog_strs	 inference_types;
	const char		*lifecycle;	/* "ACTIVE", "LEGACY" */
	const char		*eol;		/* "YYYY-MM-DD" or NULL */
	struct catalog_strs	 regions;	/* offered in-Region (ON_DEMAND) */
	const struct catalog_model_profile *profiles;
	size_t			 nprofiles;
	const char		*note;		/* may be NULL */
};

struct catalog_action {
	const char		*action;	/* "bedrock:InvokeModel" */
	struct catalog_strs	 resources;	/* empty: "Resource": "*" */
	const char		*use;		/* runtime, discovery, ... */
	const char		*note;		/* may be NULL */
};

struct catalog_resource_type {
	const char		*type;		/* "foundation-model" */
	const char		*service;	/* "bedrock", "iam" */
	const char		*arn;		/* with ${Partition} etc. */
};

struct catalog_condition_key {
	const char		*key;
	const char		*type;
	const char		*note;
};

/* Filters for catalog_models_in_region(). */
#define CATALOG_TEXT_ONLY	0x1	/* chat models only */
#define CATALOG_NO_LEGACY	0x2	/* skip models LEGACY there */

/*
 * Loading.  Each returns a new catalog, or NULL with err set (ERR_CONFIG
 * and the bad entry for invalid content, ERR_IO for an unreadable file).
 * catalog_load_buf copies nothing it does not need: text may be freed
 * after the call.  Free the result with catalog_free (NULL is fine).
 */
struct catalog	*catalog_load_embedded(struct err *);
struct catalog	*catalog_load_file(const char *path, struct err *);
struct catalog	*catalog_load_buf(const char *text, size_t len,
		    const char *origin, struct err *);
void		 catalog_free(struct catalog *);

const char	*catalog_date(const struct catalog *);
const char	*catalog_sources(const struct catalog *);

/* Partitions. */
size_t		 catalog_partition_count(const struct catalog *);
const struct catalog_partition *catalog_partition_at(const struct catalog *,
		    size_t);
const struct catalog_partition *catalog_partition(const struct catalog *,
		    const char *id);
/*
 * The partition of any Region id, listed or not, by its prefix
 * ("us-gov-*" aws-us-gov, "cn-*" aws-cn, else aws).  Never NULL.
 */
const char	*catalog_partition_of(const struct catalog *, const char *region);

/* Geographies. */
size_t		 catalog_geography_count(const struct catalog *);
const struct catalog_geography *catalog_geography_at(const struct catalog *,
		    size_t);
const struct catalog_geography *catalog_geography(const struct catalog *,
		    const char *name);

/* Regions, in file order. */
size_t		 catalog_region_count(const struct catalog *);
const struct catalog_region *catalog_region_at(const struct catalog *,
		    size_t);
const struct catalog_region *catalog_region(const struct catalog *,
		    const char *id);
/*
 * Collecting look-ups fill out[0..max) and return how many matched in
 * total (more than max means out was too small), like snprintf.
 */
size_t		 catalog_regions_in_geography(const struct catalog *,
		    const char *geography, const struct catalog_region **out,
		    size_t max);

/* Profile prefixes. */
size_t		 catalog_prefix_count(const struct catalog *);
const struct catalog_prefix *catalog_prefix_at(const struct catalog *, size_t);
const struct catalog_prefix *catalog_prefix(const struct catalog *,
		    const char *prefix);
/*
 * The prefix that starts a profile id ("us" for "us.amazon.nova-lite-v1:0"),
 * or NULL when the id does not start with a known prefix and a dot.
 */
const struct catalog_prefix *catalog_prefix_of_profile(const struct catalog *,
		    const char *profile_id);

/* Providers (matched on name or id, ignoring case). */
size_t		 catalog_provider_count(const struct catalog *);
const struct catalog_provider *catalog_provider_at(const struct catalog *,
		    size_t);
const struct catalog_provider *catalog_provider(const struct catalog *,
		    const char *name);

/* Models. */
size_t		 catalog_model_count(const struct catalog *);
const struct catalog_model *catalog_model_at(const struct catalog *, size_t);
const struct catalog_model *catalog_model(const struct catalog *,
		    const char *id);
size_t		 catalog_models_by_provider(const struct catalog *,
		    const char *provider, const struct catalog_model **out,
		    size_t max);
/* Models callable from a Region (in-Region or as a profile source). */
size_t		 catalog_models_in_region(const struct catalog *,
		    const char *region, int flags,
		    const struct catalog_model **out, size_t max);
/* Whether the model is offered in-Region there (ON_DEMAND). */
int		 catalog_model_in_region(const struct catalog_model *,
		    const char *region);
/* The model's profile entry for a prefix, or NULL. */
const struct catalog_model_profile *catalog_model_profile(
		    const struct catalog_model *, const char *prefix);
/* Whether the model's lifecycle is LEGACY. */
int		 catalog_model_is_legacy(const struct catalog_model *);
/* Whether s matches AWS's foundation-model id pattern. */
int		 catalog_model_id_valid(const char *s);
/*
 * The prefixes through which a Region can call a model, best first:
 * geographic ones in the Region's order, then global.
 */
size_t		 catalog_model_profiles_for(const struct catalog *,
		    const char *region, const char *model_id,
		    const struct catalog_prefix **out, size_t max);
/* All Regions that can call the model at all, in catalog order. */
size_t		 catalog_model_regions(const struct catalog *,
		    const char *model_id, const struct catalog_region **out,
		    size_t max);
/*
 * "<prefix>.<model_id>" into buf.  Returns the length it needs (not
 * counting the NUL), like snprintf; -1 when an argument is NULL.
 */
int		 catalog_profile_id(const char *prefix, const char *model_id,
		    char *buf, size_t len);
/* The recommended low-cost text model of a Region, or NULL. */
const struct catalog_model *catalog_default_model(const struct catalog *,
		    const char *region);

/* IAM. */
size_t		 catalog_action_count(const struct catalog *);
const struct catalog_action *catalog_action_at(const struct catalog *, size_t);
/* Matched ignoring case, as IAM does. */
const struct catalog_action *catalog_action(const struct catalog *,
		    const char *action);
/* Whether the action accepts the resource type ("*" only: none do). */
int		 catalog_action_accepts(const struct catalog *,
		    const char *action, const char *resource_type);
size_t		 catalog_resource_type_count(const struct catalog *);
const struct catalog_resource_type *catalog_resource_type_at(
		    const struct catalog *, size_t);
const struct catalog_resource_type *catalog_resource_type(
		    const struct catalog *, const char *type);
/* The ARN format of a resource type, or NULL. */
const char	*catalog_arn_format(const struct catalog *, const char *type);
size_t		 catalog_condition_key_count(const struct catalog *);
const struct catalog_condition_key *catalog_condition_key_at(
		    const struct catalog *, size_t);
const struct catalog_condition_key *catalog_condition_key(
		    const struct catalog *, const char *key);

#endif
