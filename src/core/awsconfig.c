/*
 * awsconfig.c: the shared AWS files, the chosen profile and the settings
 * resolved from files and environment (see awsconfig.h).
 *
 * Section names follow botocore: in the config file "[default]",
 * "[profile NAME]", "[sso-session NAME]" and "[services NAME]", where NAME
 * may be quoted; in the credentials file every section is a profile.  When
 * one file has two sections for the same profile, the later one is used.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "awsconfig.h"
#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "ini.h"
#include "xalloc.h"

#define EXCERPT_SIZE	96
#define AWSCONFIG_NAMES_MAX	20	/* profile names in one message */

static const char *
process_get(void *arg, const char *name)
{
	(void)arg;
	return getenv(name);
}

static const struct awsconfig_env process_env = { process_get, NULL };

const struct awsconfig_env *
awsconfig_env_process(void)
{
	return &process_env;
}

static const char *
list_get(void *arg, const char *name)
{
	const char *const	*v;
	size_t			 len = strlen(name);

	for (v = arg; v != NULL && *v != NULL; v++)
		if (strncmp(*v, name, len) == 0 && (*v)[len] == '=')
			return *v + len + 1;
	return NULL;
}

void
awsconfig_env_list(struct awsconfig_env *env, const char *const *vars)
{
	env->get = list_get;
	env->arg = (void *)(uintptr_t)vars;
}

const char *
awsconfig_getenv(const struct awsconfig_env *env, const char *name)
{
	const char	*v;

	if (env == NULL)
		env = &process_env;
	v = env->get(env->arg, name);
	return v == NULL || *v == '\0' ? NULL : v;
}

int
awsconfig_env_true(const struct awsconfig_env *env, const char *name)
{
	const char	*v = awsconfig_getenv(env, name);

	return v != NULL && strcasecmp(v, "true") == 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Whether a section name is kw, white space, then one word (maybe quoted)
 * and nothing else; *word gets a copy of the word.
 */
static int
split_section(const char *name, const char *kw, char **word)
{
	size_t		 kwlen = strlen(kw);
	const char	*s, *end;
	char		 q;

	if (strncmp(name, kw, kwlen) != 0 || !is_blank(name[kwlen]))
		return 0;
	for (s = name + kwlen; is_blank(*s); s++)
		;
	if (*s == '"' || *s == '\'') {
		q = *s++;
		end = strchr(s, q);
		if (end == NULL)
			return 0;
		if (end[1] != '\0')
			return 0;
	} else {
		for (end = s; *end != '\0' && !is_blank(*end); end++)
			;
		if (*end != '\0' || end == s)
			return 0;
	}
	*word = xstrndup(s, (size_t)(end - s));
	return 1;
}

/* The profile a config-file section defines, or NULL.  Caller frees. */
static char *
config_profile_name(const char *section)
{
	char	*word;

	if (strcmp(section, "default") == 0)
		return xstrdup("default");
	if (split_section(section, "profile", &word))
		return word;
	return NULL;
}

static const struct ini_section *
find_named(const struct ini *ini, const char *kw, const char *name)
{
	const struct ini_section	*found = NULL;
	size_t				 i;
	char				*word;

	for (i = 0; i < ini->n; i++) {
		if (!split_section(ini->v[i].name, kw, &word))
			continue;
		if (strcmp(word, name) == 0)
			found = &ini->v[i];
		free(word);
	}
	return found;
}

const struct ini_section *
awsconfig_profile_section(const struct awsconfig *cfg,
    enum awsconfig_file which, const char *profile)
{
	const struct ini_section	*found = NULL;
	const struct ini		*ini;
	size_t				 i;
	char				*name;

	if (profile == NULL)
		return NULL;
	if (which == AWSCONFIG_CREDENTIALS)
		return ini_section(cfg->credentials, profile);
	ini = cfg->config;
	for (i = 0; i < ini->n; i++) {
		name = config_profile_name(ini->v[i].name);
		if (name != NULL && strcmp(name, profile) == 0)
			found = &ini->v[i];
		free(name);
	}
	return found;
}

const struct ini_section *
awsconfig_sso_session(const struct awsconfig *cfg, const char *name)
{
	return name == NULL ? NULL : find_named(cfg->config, "sso-session",
	    name);
}

const struct ini_section *
awsconfig_services(const struct awsconfig *cfg, const char *name)
{
	return name == NULL ? NULL : find_named(cfg->config, "services",
	    name);
}

const char *
awsconfig_file_name(const struct awsconfig *cfg, enum awsconfig_file which)
{
	return which == AWSCONFIG_CONFIG ? cfg->config->name :
	    cfg->credentials->name;
}

const char *
awsconfig_file_get(const struct awsconfig *cfg, enum awsconfig_file which,
    const char *profile, const char *key, struct awsconfig_hit *hit)
{
	const struct ini_entry	*en;

	en = ini_entry(awsconfig_profile_section(cfg, which, profile), key);
	if (en == NULL)
		return NULL;
	if (hit != NULL) {
		hit->value = en->value;
		hit->file = which;
		hit->file_name = awsconfig_file_name(cfg, which);
		hit->line = en->line;
	}
	return en->value;
}

const char *
awsconfig_get(const struct awsconfig *cfg, const char *profile,
    const char *key, struct awsconfig_hit *hit)
{
	const char	*v;

	v = awsconfig_file_get(cfg, AWSCONFIG_CREDENTIALS, profile, key, hit);
	if (v == NULL)
		v = awsconfig_file_get(cfg, AWSCONFIG_CONFIG, profile, key,
		    hit);
	return v;
}

int
awsconfig_has_profile(const struct awsconfig *cfg, const char *name)
{
	return awsconfig_profile_section(cfg, AWSCONFIG_CONFIG, name) !=
	    NULL || awsconfig_profile_section(cfg, AWSCONFIG_CREDENTIALS,
	    name) != NULL;
}

static const char *
profile_kind(const struct awsconfig *cfg, const char *name)
{
	if (awsconfig_get(cfg, name, "web_identity_token_file", NULL) != NULL)
		return N_("web identity");
	if (awsconfig_get(cfg, name, "role_arn", NULL) != NULL)
		return N_("assume role");
	if (awsconfig_get(cfg, name, "sso_account_id", NULL) != NULL ||
	    awsconfig_get(cfg, name, "sso_role_name", NULL) != NULL)
		return N_("IAM Identity Center (SSO)");
	if (awsconfig_get(cfg, name, "aws_access_key_id", NULL) != NULL)
		return N_("static keys");
	if (awsconfig_get(cfg, name, "login_session", NULL) != NULL)
		return N_("console login");
	if (awsconfig_get(cfg, name, "credential_process", NULL) != NULL)
		return N_("credential_process");
	return N_("settings only");
}

static struct awsconfig_profile *
add_profile(struct awsconfig_profile **v, size_t *n, const char *name)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].name, name) == 0)
			return &(*v)[i];
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	(*v)[*n].name = xstrdup(name);
	return &(*v)[(*n)++];
}

static int
profile_cmp(const void *a, const void *b)
{
	const struct awsconfig_profile	*pa = a, *pb = b;

	if (strcmp(pa->name, "default") == 0)
		return strcmp(pb->name, "default") == 0 ? 0 : -1;
	if (strcmp(pb->name, "default") == 0)
		return 1;
	return strcmp(pa->name, pb->name);
}

size_t
awsconfig_profiles(const struct awsconfig *cfg, struct awsconfig_profile **out)
{
	struct awsconfig_profile	*v = NULL;
	size_t				 n = 0, i;
	char				*name;

	for (i = 0; i < cfg->config->n; i++) {
		name = config_profile_name(cfg->config->v[i].name);
		if (name != NULL)
			add_profile(&v, &n, name)->in_config = 1;
		free(name);
	}
	for (i = 0; i < cfg->credentials->n; i++)
		add_profile(&v, &n, cfg->credentials->v[i].name)->
		    in_credentials = 1;
	if (n > 1)
		qsort(v, n, sizeof *v, profile_cmp);
	for (i = 0; i < n; i++)
		v[i].kind = profile_kind(cfg, v[i].name);
	*out = v;
	return n;
}

void
awsconfig_profiles_free(struct awsconfig_profile *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

char *
awsconfig_profile_names(const struct awsconfig *cfg, size_t max)
{
	struct awsconfig_profile	*v;
	struct buf			 b;
	size_t				 n, i;

	buf_init(&b, 0);
	n = awsconfig_profiles(cfg, &v);
	for (i = 0; i < n; i++) {
		if (max > 0 && i == max) {
			buf_printf(&b, core_tr(N_(" and %zu more")), n - i);
			break;
		}
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", v[i].name);
	}
	awsconfig_profiles_free(v, n);
	return buf_take(&b, NULL);
}

const char *
awsconfig_profile_from_name(enum awsconfig_profile_from from)
{
	switch (from) {
	case AWSCONFIG_FROM_EXPLICIT:
		return "--profile";
	case AWSCONFIG_FROM_AWS_PROFILE:
		return "AWS_PROFILE";
	case AWSCONFIG_FROM_AWS_DEFAULT_PROFILE:
		return "AWS_DEFAULT_PROFILE";
	case AWSCONFIG_FROM_DEFAULT:
		break;
	}
	return "default";
}

int
awsconfig_check_profile(const struct awsconfig *cfg, const char *name,
    struct err *e)
{
	char	*names;

	if (awsconfig_has_profile(cfg, name))
		return 0;
	if (strcmp(name, cfg->profile) == 0 &&
	    cfg->profile_from == AWSCONFIG_FROM_DEFAULT)
		return 0;
	names = awsconfig_profile_names(cfg, AWSCONFIG_NAMES_MAX);
	if (*names == '\0')
		err_set(e, ERR_CONFIG, N_("profile %s (from %s) was not found: "
		    "%s and %s define no profiles; create one with `aws "
		    "configure --profile %s` or `aws configure sso`"), name,
		    strcmp(name, cfg->profile) == 0 ?
		    awsconfig_profile_from_name(cfg->profile_from) :
		    "source_profile", awsconfig_file_name(cfg, AWSCONFIG_CONFIG),
		    awsconfig_file_name(cfg, AWSCONFIG_CREDENTIALS), name);
	else
		err_set(e, ERR_CONFIG, N_("profile %s (from %s) was not found "
		    "in %s or %s; the profiles there are: %s"), name,
		    strcmp(name, cfg->profile) == 0 ?
		    awsconfig_profile_from_name(cfg->profile_from) :
		    "source_profile", awsconfig_file_name(cfg, AWSCONFIG_CONFIG),
		    awsconfig_file_name(cfg, AWSCONFIG_CREDENTIALS), names);
	if (strcmp(name, cfg->profile) == 0 &&
	    cfg->profile_from != AWSCONFIG_FROM_DEFAULT)
		err_where(e, "%s", awsconfig_profile_from_name(
		    cfg->profile_from));
	free(names);
	return -1;
}

static void
choose_profile(struct awsconfig *cfg, const char *explicit)
{
	const char	*p = awsconfig_getenv(&cfg->env, "AWS_PROFILE");
	const char	*dp = awsconfig_getenv(&cfg->env, "AWS_DEFAULT_PROFILE");
	struct buf	 b;

	free(cfg->profile);
	free(cfg->profile_note);
	cfg->profile_note = NULL;
	if (explicit != NULL && *explicit != '\0') {
		cfg->profile = xstrdup(explicit);
		cfg->profile_from = AWSCONFIG_FROM_EXPLICIT;
	} else if (dp != NULL) {
		cfg->profile = xstrdup(dp);
		cfg->profile_from = AWSCONFIG_FROM_AWS_DEFAULT_PROFILE;
		if (p != NULL && strcmp(p, dp) != 0) {
			buf_init(&b, 4096);
			buf_printf(&b, core_tr(N_("AWS_DEFAULT_PROFILE=%s is "
			    "used, as the AWS CLI and boto3 do; AWS_PROFILE=%s "
			    "is what other AWS SDKs use: unset one of them")),
			    dp, p);
			cfg->profile_note = buf_take(&b, NULL);
		}
	} else if (p != NULL) {
		cfg->profile = xstrdup(p);
		cfg->profile_from = AWSCONFIG_FROM_AWS_PROFILE;
	} else {
		cfg->profile = xstrdup("default");
		cfg->profile_from = AWSCONFIG_FROM_DEFAULT;
	}
}

void
awsconfig_select_profile(struct awsconfig *cfg, const char *name)
{
	choose_profile(cfg, name);
}

/* path with a leading "~/" expanded; NULL when HOME is needed but unset. */
static char *
expand_home(const char *path, const char *home)
{
	struct buf	 b;

	if (path[0] != '~' || (path[1] != '/' && path[1] != '\0'))
		return xstrdup(path);
	if (home == NULL)
		return NULL;
	buf_init(&b, 0);
	buf_printf(&b, "%s%s", home, path + 1);
	return buf_take(&b, NULL);
}

/* "~/.aws/config" for a path under HOME, else the path. */
static char *
display_name(const char *path, const char *home)
{
	struct buf	 b;
	size_t		 hl;

	if (home == NULL)
		return xstrdup(path);
	hl = strlen(home);
	while (hl > 1 && home[hl - 1] == '/')
		hl--;
	if (hl > 1 && strncmp(path, home, hl) == 0 && path[hl] == '/') {
		buf_init(&b, 0);
		buf_printf(&b, "~%s", path + hl);
		return buf_take(&b, NULL);
	}
	return xstrdup(path);
}

static void
add_warning(struct awsconfig *cfg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add_warning(struct awsconfig *cfg, const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;

	buf_init(&b, 4096);
	va_start(ap, fmt);
	buf_vprintf(&b, core_tr(fmt), ap);
	va_end(ap);
	cfg->warnings = xreallocarray(cfg->warnings, cfg->nwarnings + 1,
	    sizeof *cfg->warnings);
	cfg->warnings[cfg->nwarnings++] = buf_take(&b, NULL);
}

static struct ini *
load_file(const char *path, const char *dflt, const char *home,
    struct err *e)
{
	struct ini	*ini;
	char		*name;

	if (path == NULL) {
		ini = ini_parse("", 0, dflt, e);
		ini->missing = 1;
		return ini;
	}
	name = display_name(path, home);
	ini = ini_load(path, name, e);
	free(name);
	return ini;
}

/* Warn about sections that look like profiles but are not read as such. */
static void
check_sections(struct awsconfig *cfg)
{
	const struct ini	*ini = cfg->config;
	const char		*n;
	char			*word;
	char			 ex[EXCERPT_SIZE];
	size_t			 i;

	for (i = 0; i < ini->n; i++) {
		n = ini->v[i].name;
		if (strcmp(n, "default") == 0 ||
		    split_section(n, "profile", &word) ||
		    split_section(n, "sso-session", &word) ||
		    split_section(n, "services", &word)) {
			if (strcmp(n, "default") != 0)
				free(word);
			continue;
		}
		if (strcmp(n, "plugins") == 0 || strcmp(n, "preview") == 0 ||
		    strcmp(n, "cli") == 0)
			continue;
		add_warning(cfg, N_("%s line %d: [%s] is not a profile; in "
		    "this file write [profile %s] (only [default] goes "
		    "without \"profile\")"), ini->name, ini->v[i].line,
		    n, n);
	}
	ini = cfg->credentials;
	for (i = 0; i < ini->n; i++) {
		if (!split_section(ini->v[i].name, "profile", &word))
			continue;
		add_warning(cfg, N_("%s line %d: this section defines a "
		    "profile called %s; in the credentials file write [%s], "
		    "without \"profile\""), ini->name, ini->v[i].line,
		    ini_excerpt(ini->v[i].name, strlen(ini->v[i].name), ex,
		    sizeof ex), word);
		free(word);
	}
}

int
awsconfig_load(struct awsconfig **out, const struct awsconfig_env *env,
    const char *explicit, struct err *e)
{
	struct awsconfig	*cfg;
	const char		*home, *p;
	size_t			 i;

	*out = NULL;
	cfg = xcalloc(1, sizeof *cfg);
	cfg->env = env != NULL ? *env : process_env;
	home = awsconfig_getenv(&cfg->env, "HOME");
	p = awsconfig_getenv(&cfg->env, "AWS_CONFIG_FILE");
	cfg->config_path = expand_home(p != NULL ? p : "~/.aws/config", home);
	p = awsconfig_getenv(&cfg->env, "AWS_SHARED_CREDENTIALS_FILE");
	cfg->credentials_path = expand_home(p != NULL ? p :
	    "~/.aws/credentials", home);
	cfg->config = load_file(cfg->config_path, "~/.aws/config", home, e);
	if (cfg->config == NULL)
		goto fail;
	cfg->credentials = load_file(cfg->credentials_path,
	    "~/.aws/credentials", home, e);
	if (cfg->credentials == NULL)
		goto fail;
	for (i = 0; i < cfg->config->nwarnings; i++)
		add_warning(cfg, "%s", cfg->config->warnings[i]);
	for (i = 0; i < cfg->credentials->nwarnings; i++)
		add_warning(cfg, "%s", cfg->credentials->warnings[i]);
	check_sections(cfg);
	choose_profile(cfg, explicit);
	*out = cfg;
	return 0;
fail:
	awsconfig_free(cfg);
	return -1;
}

void
awsconfig_free(struct awsconfig *cfg)
{
	size_t	 i;

	if (cfg == NULL)
		return;
	ini_free(cfg->config);
	ini_free(cfg->credentials);
	free(cfg->config_path);
	free(cfg->credentials_path);
	free(cfg->profile);
	free(cfg->profile_note);
	for (i = 0; i < cfg->nwarnings; i++)
		free(cfg->warnings[i]);
	free(cfg->warnings);
	free(cfg);
}

void
awsconfig_setting_clear(struct awsconfig_setting *s)
{
	free(s->value);
	free(s->source);
	free(s->note);
	s->value = s->source = s->note = NULL;
}

static char *
fmt_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt_text(const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;

	buf_init(&b, 8192);
	va_start(ap, fmt);
	buf_vprintf(&b, core_tr(fmt), ap);
	va_end(ap);
	return buf_take(&b, NULL);
}

static void
set_from_env(struct awsconfig_setting *out, const char *value,
    const char *var)
{
	out->value = xstrdup(value);
	out->source = fmt_text(N_("environment variable %s"), var);
}

static void
set_from_profile(const struct awsconfig *cfg, struct awsconfig_setting *out,
    const struct awsconfig_hit *hit)
{
	out->value = xstrdup(hit->value);
	out->source = fmt_text(N_("profile %s in %s"), cfg->profile,
	    hit->file_name);
}

static int
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether s is letters-groups then a number: "us-gov-west-1". */
static int
region_shape(const char *s)
{
	int	 groups = 0;

	for (;;) {
		if (!is_lower(*s))
			break;
		while (is_lower(*s))
			s++;
		if (*s++ != '-')
			return 0;
		groups++;
	}
	if (groups < 2 || !is_digit(*s))
		return 0;
	while (is_digit(*s))
		s++;
	return *s == '\0';
}

int
awsconfig_check_region(const char *name, const char *source, struct err *e)
{
	char	 ex[EXCERPT_SIZE], fix[64];
	size_t	 len = strlen(name), i;

	if (len > 0 && len < 40 && region_shape(name))
		return 0;
	ini_excerpt(name, len, ex, sizeof ex);
	if (len == 0) {
		err_set(e, ERR_CONFIG, N_("the Region from %s is empty; "
		    "Region names look like us-east-1 or eu-central-1"),
		    source);
	} else if (len < sizeof fix) {
		for (i = 0; i <= len; i++)
			fix[i] = name[i] >= 'A' && name[i] <= 'Z' ?
			    (char)(name[i] - 'A' + 'a') : name[i];
		if (region_shape(fix)) {
			err_set(e, ERR_CONFIG, N_("the Region %s from %s must "
			    "be written in lower case: %s"), ex, source, fix);
		} else if (len > 1 && is_lower(fix[len - 1]) &&
		    is_digit(fix[len - 2]) && (fix[len - 1] = '\0',
		    region_shape(fix))) {
			err_set(e, ERR_CONFIG, N_("%s from %s is an "
			    "Availability Zone, not a Region; use %s"), ex,
			    source, fix);
		} else {
			err_set(e, ERR_CONFIG, N_("%s from %s is not a Region "
			    "name; Region names look like us-east-1 or "
			    "eu-central-1"), ex, source);
		}
	} else {
		err_set(e, ERR_CONFIG, N_("%s from %s is not a Region name; "
		    "Region names look like us-east-1 or eu-central-1"), ex,
		    source);
	}
	return -1;
}

int
awsconfig_region(const struct awsconfig *cfg, const char *flag,
    struct awsconfig_setting *out, struct err *e)
{
	const char		*r = awsconfig_getenv(&cfg->env, "AWS_REGION");
	const char		*dr = awsconfig_getenv(&cfg->env,
				    "AWS_DEFAULT_REGION");
	struct awsconfig_hit	 hit;
	char			 where[600];

	memset(out, 0, sizeof *out);
	where[0] = '\0';
	if (flag != NULL && *flag != '\0') {
		out->value = xstrdup(flag);
		out->source = xstrdup("--region");
		snprintf(where, sizeof where, "--region");
	} else if (r != NULL) {
		set_from_env(out, r, "AWS_REGION");
		snprintf(where, sizeof where, "AWS_REGION");
		if (dr == NULL)
			out->note = fmt_text(N_("boto3 and the AWS CLI v1 read "
			    "only AWS_DEFAULT_REGION; set it to %s too if you "
			    "use them"), r);
		else if (strcmp(r, dr) != 0)
			out->note = fmt_text(N_("AWS_DEFAULT_REGION=%s is "
			    "ignored here, but boto3 and the AWS CLI v1 use it; "
			    "make the two agree"), dr);
	} else if (dr != NULL) {
		set_from_env(out, dr, "AWS_DEFAULT_REGION");
		snprintf(where, sizeof where, "AWS_DEFAULT_REGION");
	} else if (awsconfig_get(cfg, cfg->profile, "region", &hit) != NULL) {
		set_from_profile(cfg, out, &hit);
		snprintf(where, sizeof where, "%s line %d", hit.file_name,
		    hit.line);
	} else {
		return 1;
	}
	if (awsconfig_check_region(out->value, out->source, e) != 0) {
		err_where(e, "%s", where);
		return -1;
	}
	return 0;
}

int
awsconfig_ca_bundle(const struct awsconfig *cfg,
    struct awsconfig_setting *out)
{
	const char		*v = awsconfig_getenv(&cfg->env,
				    "AWS_CA_BUNDLE");
	struct awsconfig_hit	 hit;

	memset(out, 0, sizeof *out);
	if (v != NULL)
		set_from_env(out, v, "AWS_CA_BUNDLE");
	else if (awsconfig_get(cfg, cfg->profile, "ca_bundle", &hit) != NULL)
		set_from_profile(cfg, out, &hit);
	else
		return 1;
	return 0;
}

/* "bedrock-runtime" → AWS_ENDPOINT_URL_BEDROCK_RUNTIME and bedrock_runtime. */
static void
service_names(const char *service, char *envname, size_t envsize,
    char *key, size_t keysize)
{
	static const char	 prefix[] = "AWS_ENDPOINT_URL_";
	size_t			 i, n = sizeof prefix - 1;
	char			 c;

	memcpy(envname, prefix, n);
	for (i = 0; service[i] != '\0' && i + 1 < keysize &&
	    n + 1 < envsize; i++) {
		c = service[i] == '-' || service[i] == ' ' ? '_' : service[i];
		key[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		envname[n++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') :
		    c;
	}
	key[i] = '\0';
	envname[n] = '\0';
}

int
awsconfig_endpoint_url(const struct awsconfig *cfg, const char *service,
    struct awsconfig_setting *out)
{
	const struct ini_section	*svc;
	const struct ini_entry		*en;
	struct awsconfig_hit		 hit;
	const char			*v, *ign, *name;
	char				 envname[96], key[64];

	memset(out, 0, sizeof *out);
	service_names(service, envname, sizeof envname, key, sizeof key);
	ign = awsconfig_getenv(&cfg->env,
	    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	if (ign == NULL)
		ign = awsconfig_get(cfg, cfg->profile,
		    "ignore_configured_endpoint_urls", NULL);
	if (ign != NULL && strcasecmp(ign, "true") == 0)
		return 1;
	if ((v = awsconfig_getenv(&cfg->env, envname)) != NULL) {
		set_from_env(out, v, envname);
		return 0;
	}
	if ((v = awsconfig_getenv(&cfg->env, "AWS_ENDPOINT_URL")) != NULL) {
		set_from_env(out, v, "AWS_ENDPOINT_URL");
		return 0;
	}
	name = awsconfig_get(cfg, cfg->profile, "services", NULL);
	if (name != NULL) {
		svc = awsconfig_services(cfg, name);
		en = ini_entry(svc, key);
		v = ini_sub_get(en, "endpoint_url");
		if (v != NULL) {
			out->value = xstrdup(v);
			out->source = fmt_text(N_("[services %s] in %s line %d, "
			    "named by profile %s"), name, cfg->config->name,
			    en->line, cfg->profile);
			return 0;
		}
		if (svc == NULL)
			out->note = fmt_text(N_("profile %s names services %s, "
			    "but %s has no [services %s] section"),
			    cfg->profile, name, cfg->config->name, name);
	}
	if (awsconfig_get(cfg, cfg->profile, "endpoint_url", &hit) != NULL) {
		set_from_profile(cfg, out, &hit);
		return 0;
	}
	return 1;
}
