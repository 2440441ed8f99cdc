/*
 * awsconfig.h: the AWS shared config and credentials files, the profile in
 * use, and the settings read from them (Region, CA bundle, endpoints).
 *
 * Environment variables are read through a struct awsconfig_env so that
 * tests need not change the process environment.  An empty variable counts
 * as unset.  Every setting comes back with its source in words, because the
 * wizard shows where each value came from.
 *
 * Profile choice: an explicit name (--profile, or the wizard's picker)
 * beats the environment.  With AWS_PROFILE and AWS_DEFAULT_PROFILE both set,
 * AWS_DEFAULT_PROFILE wins, as in the AWS CLI and boto3 (botocore reads it
 * first); when they differ, profile_note says so, since the other AWS SDKs
 * read only AWS_PROFILE.
 */
#ifndef BS_AWSCONFIG_H
#define BS_AWSCONFIG_H

#include <stddef.h>

struct err;
struct ini;
struct ini_section;

struct awsconfig_env {
	/* The value of name, or NULL.  The result may be used until the
	 * next call. */
	const char	*(*get)(void *arg, const char *name);
	void		*arg;
};

/* The process environment (getenv). */
const struct awsconfig_env *awsconfig_env_process(void);
/*
 * An environment made of "NAME=value" strings; vars is NULL-terminated and
 * must outlive env.
 */
void		 awsconfig_env_list(struct awsconfig_env *env,
		     const char *const *vars);
/* The value of a variable, NULL when unset or empty (env NULL: process). */
const char	*awsconfig_getenv(const struct awsconfig_env *,
		     const char *name);
/* Whether a variable is set to "true" in any case. */
int		 awsconfig_env_true(const struct awsconfig_env *,
		     const char *name);

enum awsconfig_file {
	AWSCONFIG_CONFIG,		/* ~/.aws/config */
	AWSCONFIG_CREDENTIALS		/* ~/.aws/credentials */
};

enum awsconfig_profile_from {
	AWSCONFIG_FROM_DEFAULT,		/* nothing chose one: "default" */
	AWSCONFIG_FROM_EXPLICIT,	/* --profile or the picker */
	AWSCONFIG_FROM_AWS_PROFILE,
	AWSCONFIG_FROM_AWS_DEFAULT_PROFILE
};

/* Read-only for callers; made by awsconfig_load(). */
struct awsconfig {
	struct awsconfig_env	 env;		/* a copy; arg must outlive */
	struct ini		*config;	/* never NULL (maybe missing) */
	struct ini		*credentials;	/* never NULL (maybe missing) */
	char			*config_path;	/* NULL when HOME is unknown */
	char			*credentials_path;
	char			*profile;	/* the profile in use */
	enum awsconfig_profile_from profile_from;
	char			*profile_note;	/* a warning, or NULL */
	char			**warnings;	/* about the files, for people */
	size_t			 nwarnings;
};

/*
 * Load both files (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else
 * $HOME/.aws/config and $HOME/.aws/credentials; a leading "~/" is expanded)
 * and choose the profile (explicit may be NULL).  Missing files are empty.
 * Returns 0, or -1 with e set when a file is unreadable or malformed.  The
 * profile is not checked for existence here: see awsconfig_check_profile().
 */
int		 awsconfig_load(struct awsconfig **out,
		     const struct awsconfig_env *env, const char *explicit,
		     struct err *e);
void		 awsconfig_free(struct awsconfig *);
/* Use another profile, as if given with --profile (the picker). */
void		 awsconfig_select_profile(struct awsconfig *,
		     const char *name);
/* How a file is called in messages: "~/.aws/config" or its path. */
const char	*awsconfig_file_name(const struct awsconfig *,
		     enum awsconfig_file);
/* Where the profile in use came from, in words ("AWS_PROFILE"). */
const char	*awsconfig_profile_from_name(enum awsconfig_profile_from);

/* Whether a profile exists in either file. */
int		 awsconfig_has_profile(const struct awsconfig *,
		     const char *name);
/*
 * 0 when the profile exists or is the implicit "default"; else -1 with e
 * set (ERR_CONFIG), naming where the name came from and listing the
 * profiles that exist.
 */
int		 awsconfig_check_profile(const struct awsconfig *,
		     const char *name, struct err *e);
/*
 * The profile names, "default, dev, prod", or "" when none; past max names
 * (0: no limit) it ends with "and N more".  Caller frees.
 */
char		*awsconfig_profile_names(const struct awsconfig *, size_t max);

struct awsconfig_profile {
	char		*name;
	int		 in_config;
	int		 in_credentials;
	const char	*kind;		/* N_()-marked: "SSO", "static keys" */
};

/*
 * Every profile in either file, "default" first, then by name.  Returns the
 * count; *out is an array to free with awsconfig_profiles_free().
 */
size_t		 awsconfig_profiles(const struct awsconfig *,
		     struct awsconfig_profile **out);
void		 awsconfig_profiles_free(struct awsconfig_profile *, size_t);

/* Where a value was found; pointers live as long as the awsconfig. */
struct awsconfig_hit {
	const char		*value;
	enum awsconfig_file	 file;
	const char		*file_name;	/* "~/.aws/config" */
	int			 line;
};

/*
 * A profile's setting, merged as the SDKs do: the credentials file wins,
 * then the config file.  NULL when unset; hit may be NULL.
 */
const char	*awsconfig_get(const struct awsconfig *, const char *profile,
		     const char *key, struct awsconfig_hit *hit);
/* A profile's setting in one file only. */
const char	*awsconfig_file_get(const struct awsconfig *,
		     enum awsconfig_file, const char *profile,
		     const char *key, struct awsconfig_hit *hit);
/*
 * The section of a profile in one file ([profile NAME] or [default] in the
 * config file, [NAME] in the credentials file), or NULL.
 */
const struct ini_section *awsconfig_profile_section(const struct awsconfig *,
		     enum awsconfig_file, const char *profile);
/* The [sso-session NAME] section of the config file, or NULL. */
const struct ini_section *awsconfig_sso_session(const struct awsconfig *,
		     const char *name);
/* The [services NAME] section of the config file, or NULL. */
const struct ini_section *awsconfig_services(const struct awsconfig *,
		     const char *name);

/* A resolved setting.  Clear with awsconfig_setting_clear(). */
struct awsconfig_setting {
	char	*value;		/* NULL: not set anywhere */
	char	*source;	/* "environment variable AWS_REGION" */
	char	*note;		/* a warning for people, or NULL */
};

void		 awsconfig_setting_clear(struct awsconfig_setting *);

/*
 * The Region: flag (--region, may be NULL), AWS_REGION, AWS_DEFAULT_REGION,
 * then the profile's region ("profile dev in ~/.aws/config").  Returns 0
 * when found, 1 when none is set (out->value NULL), -1 when the winning
 * value is not a Region name (e says why and where).
 */
int		 awsconfig_region(const struct awsconfig *, const char *flag,
		     struct awsconfig_setting *out, struct err *e);
/*
 * 0 if name looks like a Region ("eu-west-1", "us-gov-west-1"); else -1 with
 * e set, saying what is wrong with it and where it came from (source).
 */
int		 awsconfig_check_region(const char *name, const char *source,
		     struct err *e);
/* The CA bundle: AWS_CA_BUNDLE, then the profile's ca_bundle.  0 / 1. */
int		 awsconfig_ca_bundle(const struct awsconfig *,
		     struct awsconfig_setting *out);
/*
 * A configured endpoint URL for a service ("bedrock-runtime", "sts"):
 * AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's [services]
 * section entry, then the profile's endpoint_url; none at all when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's
 * ignore_configured_endpoint_urls is true.  0 when found, 1 when none.
 */
int		 awsconfig_endpoint_url(const struct awsconfig *,
		     const char *service, struct awsconfig_setting *out);

#endif
