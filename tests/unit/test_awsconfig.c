/*
 * test_awsconfig.c: loading the shared files, choosing the profile, the
 * profile list, merged settings, and Region / CA bundle / endpoint
 * resolution with their sources.  The environment is a list of strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "awsconfig.h"
#include "err.h"
#include "ini.h"
#include "tap.h"

static char	 home[] = "/tmp/bs-test-awsconfig-XXXXXX";
static char	 home_var[128];
static char	 cfgpath[400], credpath[400];

static void
write_file(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

static const char config_text[] =
    "[default]\n"
    "region = us-west-2\n"
    "\n"
    "[profile dev]\n"
    "region = eu-central-1\n"
    "output = json\n"
    "ca_bundle = /etc/dev-ca.pem\n"
    "services = local\n"
    "endpoint_url = http://profile-endpoint:1\n"
    "\n"
    "[profile \"with space\"]\n"
    "role_arn = arn:aws:iam::111122223333:role/R\n"
    "source_profile = dev\n"
    "\n"
    "[profile sso]\n"
    "sso_session = corp\n"
    "sso_account_id = 111122223333\n"
    "sso_role_name = Dev\n"
    "region = US-EAST-1\n"
    "\n"
    "[profile az]\n"
    "region = us-east-1a\n"
    "\n"
    "[sso-session corp]\n"
    "sso_start_url = https://corp.awsapps.com/start\n"
    "sso_region = eu-west-1\n"
    "\n"
    "[services local]\n"
    "bedrock_runtime =\n"
    "  endpoint_url = http://localhost:4566\n"
    "\n"
    "[oops]\n"
    "region = us-east-1\n";

static const char cred_text[] =
    "[default]\n"
    "aws_access_key_id = AKIDDEFAULT\n"
    "aws_secret_access_key = secretdefault\n"
    "\n"
    "[dev]\n"
    "aws_access_key_id = AKIDDEV\n"
    "aws_secret_access_key = secretdev\n"
    "region = ap-northeast-1\n"
    "\n"
    "[onlycreds]\n"
    "credential_process = /bin/true\n"
    "\n"
    "[profile mistake]\n"
    "aws_access_key_id = AKIDX\n";

static struct awsconfig *
load(const char *const *vars, const char *explicit, struct err *e)
{
	static struct awsconfig_env	 env;
	struct awsconfig		*cfg = NULL;

	awsconfig_env_list(&env, vars);
	err_clear(e);
	if (awsconfig_load(&cfg, &env, explicit, e) != 0)
		return NULL;
	return cfg;
}

static void
test_env(void)
{
	const char *const	 vars[] = { "A=1", "EMPTY=", "T=TrUe", NULL };
	struct awsconfig_env	 env;

	awsconfig_env_list(&env, vars);
	is_str(awsconfig_getenv(&env, "A"), "1", "list env reads a value");
	ok(awsconfig_getenv(&env, "EMPTY") == NULL, "empty counts as unset");
	ok(awsconfig_getenv(&env, "NOPE") == NULL, "unset is NULL");
	ok(awsconfig_getenv(&env, "AA") == NULL && awsconfig_getenv(&env,
	    "") == NULL, "no prefix matches");
	ok(awsconfig_env_true(&env, "T"), "\"TrUe\" is true");
	ok(!awsconfig_env_true(&env, "A"), "\"1\" is not true");
	setenv("BS_TEST_AWSCONFIG", "x", 1);
	is_str(awsconfig_getenv(NULL, "BS_TEST_AWSCONFIG"), "x",
	    "NULL env reads the process environment");
	is_str(awsconfig_getenv(awsconfig_env_process(), "BS_TEST_AWSCONFIG"),
	    "x", "awsconfig_env_process() too");
}

static void
test_load_and_profiles(void)
{
	const char *const		 vars[] = { home_var, NULL };
	struct err			 e;
	struct awsconfig		*cfg;
	struct awsconfig_profile	*pv;
	struct awsconfig_hit		 hit;
	size_t				 n, i;
	char				*names;
	int				 found;

	cfg = load(vars, NULL, &e);
	ok(cfg != NULL, "files under $HOME/.aws load");
	if (cfg == NULL) {
		tap_diag(e.message);
		return;
	}
	is_str(cfg->config_path, cfgpath, "config path from HOME");
	is_str(cfg->credentials_path, credpath, "credentials path from HOME");
	is_str(awsconfig_file_name(cfg, AWSCONFIG_CONFIG), "~/.aws/config",
	    "files under HOME are shown with ~");
	is_str(awsconfig_file_name(cfg, AWSCONFIG_CREDENTIALS),
	    "~/.aws/credentials", "the credentials file too");
	is_str(cfg->profile, "default", "no choice: profile default");
	is_int(cfg->profile_from, AWSCONFIG_FROM_DEFAULT, "from nothing");

	n = awsconfig_profiles(cfg, &pv);
	is_int(n, 7, "seven profiles in the two files");
	if (n == 7) {
		is_str(pv[0].name, "default", "default comes first");
		ok(pv[0].in_config && pv[0].in_credentials,
		    "default is in both files");
		is_str(pv[1].name, "az", "then by name: az");
		is_str(pv[2].name, "dev", "dev");
		is_str(pv[3].name, "onlycreds", "onlycreds");
		ok(!pv[3].in_config && pv[3].in_credentials,
		    "onlycreds is only in the credentials file");
		is_str(pv[3].kind, "credential_process", "its kind");
		is_str(pv[4].name, "profile mistake",
		    "[profile x] in the credentials file names 'profile x'");
		is_str(pv[5].name, "sso", "sso");
		is_str(pv[5].kind, "IAM Identity Center (SSO)", "SSO kind");
		is_str(pv[6].name, "with space", "a quoted profile name");
		is_str(pv[6].kind, "assume role", "assume role kind");
		is_str(pv[2].kind, "static keys", "static keys kind");
	}
	awsconfig_profiles_free(pv, n);
	names = awsconfig_profile_names(cfg, 0);
	is_str(names, "default, az, dev, onlycreds, profile mistake, sso, "
	    "with space", "profile names as text");
	free(names);
	names = awsconfig_profile_names(cfg, 3);
	is_str(names, "default, az, dev and 4 more", "a capped list");
	free(names);
	ok(awsconfig_has_profile(cfg, "oops") == 0,
	    "[oops] in the config file is not a profile");

	found = 0;
	for (i = 0; i < cfg->nwarnings; i++) {
		if (strstr(cfg->warnings[i], "~/.aws/config line 32") &&
		    strstr(cfg->warnings[i], "[profile oops]"))
			found |= 1;
		if (strstr(cfg->warnings[i], "~/.aws/credentials line 13") &&
		    strstr(cfg->warnings[i], "write [mistake]"))
			found |= 2;
	}
	is_int(found, 3, "warnings for both misplaced sections");

	is_str(awsconfig_get(cfg, "dev", "region", &hit), "ap-northeast-1",
	    "the credentials file wins for a key in both");
	is_int(hit.file, AWSCONFIG_CREDENTIALS, "hit says which file");
	is_str(hit.file_name, "~/.aws/credentials", "and its name");
	is_int(hit.line, 8, "and the line");
	is_str(awsconfig_get(cfg, "dev", "output", &hit), "json",
	    "the config file gives the rest");
	is_int(hit.line, 6, "config line of output");
	is_str(awsconfig_file_get(cfg, AWSCONFIG_CONFIG, "dev", "region",
	    NULL), "eu-central-1", "one file only: config");
	ok(awsconfig_get(cfg, "dev", "nothing", NULL) == NULL,
	    "unset key: NULL");
	ok(awsconfig_get(cfg, "nope", "region", NULL) == NULL,
	    "unknown profile: NULL");
	is_str(ini_get(awsconfig_sso_session(cfg, "corp"), "sso_region"),
	    "eu-west-1", "sso-session section");
	ok(awsconfig_sso_session(cfg, "nope") == NULL, "unknown sso-session");
	ok(awsconfig_services(cfg, "local") != NULL, "services section");

	is_int(awsconfig_check_profile(cfg, "default", &e), 0,
	    "default exists");
	err_clear(&e);
	is_int(awsconfig_check_profile(cfg, "ghost", &e), -1,
	    "a missing profile is an error");
	ok(strstr(e.message, "ghost") != NULL &&
	    strstr(e.message, "default, az, dev, onlycreds") != NULL,
	    "the message lists the profiles: %s", e.message);
	awsconfig_select_profile(cfg, "dev");
	is_str(cfg->profile, "dev", "select_profile switches");
	is_int(cfg->profile_from, AWSCONFIG_FROM_EXPLICIT,
	    "and counts as explicit");
	awsconfig_free(cfg);
}

static void
test_profile_choice(void)
{
	const char *const	 both[] = { home_var, "AWS_PROFILE=dev",
				    "AWS_DEFAULT_PROFILE=sso", NULL };
	const char *const	 same[] = { home_var, "AWS_PROFILE=dev",
				    "AWS_DEFAULT_PROFILE=dev", NULL };
	const char *const	 one[] = { home_var, "AWS_PROFILE=ghost",
				    NULL };
	const char *const	 none[] = { "HOME=/nonexistent-bs", NULL };
	struct err		 e;
	struct awsconfig	*cfg;

	cfg = load(both, NULL, &e);
	is_str(cfg->profile, "sso", "AWS_DEFAULT_PROFILE wins over "
	    "AWS_PROFILE (as in botocore)");
	is_int(cfg->profile_from, AWSCONFIG_FROM_AWS_DEFAULT_PROFILE,
	    "from AWS_DEFAULT_PROFILE");
	ok(cfg->profile_note != NULL &&
	    strstr(cfg->profile_note, "AWS_PROFILE=dev") != NULL &&
	    strstr(cfg->profile_note, "AWS_DEFAULT_PROFILE=sso") != NULL,
	    "the note shows which won and which lost");
	awsconfig_free(cfg);

	cfg = load(both, "dev", &e);
	is_str(cfg->profile, "dev", "an explicit profile beats both");
	is_str(awsconfig_profile_from_name(cfg->profile_from), "--profile",
	    "from --profile");
	ok(cfg->profile_note == NULL, "no note then");
	awsconfig_free(cfg);

	cfg = load(same, NULL, &e);
	ok(cfg->profile_note == NULL, "no note when the two agree");
	awsconfig_free(cfg);

	cfg = load(one, NULL, &e);
	is_str(cfg->profile, "ghost", "AWS_PROFILE alone");
	is_int(awsconfig_check_profile(cfg, cfg->profile, &e), -1,
	    "a missing profile from AWS_PROFILE fails the check");
	ok(strstr(e.message, "from AWS_PROFILE") != NULL,
	    "the message names AWS_PROFILE: %s", e.message);
	is_str(e.where, "AWS_PROFILE", "where is the variable");
	awsconfig_free(cfg);

	cfg = load(none, NULL, &e);
	ok(cfg != NULL && cfg->config->missing && cfg->credentials->missing,
	    "no files at all is fine");
	is_int(awsconfig_check_profile(cfg, "default", &e), 0,
	    "the implicit default need not exist");
	awsconfig_free(cfg);
	cfg = load(none, "default", &e);
	is_int(awsconfig_check_profile(cfg, "default", &e), -1,
	    "an explicit default must exist");
	ok(strstr(e.message, "define no profiles") != NULL &&
	    strstr(e.message, "aws configure") != NULL,
	    "and the message says how to make one: %s", e.message);
	awsconfig_free(cfg);
}

static void
test_paths(void)
{
	char		 p1[300], p2[300], v1[400], v2[400];
	const char	*vars[] = { home_var, v1, v2, NULL };
	struct err	 e;
	struct awsconfig	*cfg;

	snprintf(p1, sizeof p1, "%s/other-config", home);
	write_file(p1, "[profile elsewhere]\nregion = sa-east-1\n");
	snprintf(v1, sizeof v1, "AWS_CONFIG_FILE=~/other-config");
	snprintf(p2, sizeof p2, "/tmp/bs-not-there-%d/creds", (int)getpid());
	snprintf(v2, sizeof v2, "AWS_SHARED_CREDENTIALS_FILE=%s", p2);
	cfg = load(vars, "elsewhere", &e);
	ok(cfg != NULL, "overridden paths load");
	if (cfg == NULL)
		return;
	is_str(cfg->config_path, p1, "AWS_CONFIG_FILE with ~ expanded");
	is_str(awsconfig_file_name(cfg, AWSCONFIG_CONFIG), "~/other-config",
	    "shown under ~");
	is_str(awsconfig_file_name(cfg, AWSCONFIG_CREDENTIALS), p2,
	    "a path outside HOME is shown whole");
	ok(cfg->credentials->missing, "a missing credentials file is empty");
	ok(awsconfig_has_profile(cfg, "elsewhere"), "profile from the "
	    "other file");
	awsconfig_free(cfg);
	unlink(p1);

	write_file(p1, "[default]\nregion = x\n  oops\n[bad\n");
	snprintf(v1, sizeof v1, "AWS_CONFIG_FILE=%s", p1);
	cfg = load(vars, NULL, &e);
	ok(cfg == NULL, "a malformed config file fails the load");
	ok(strstr(e.message, "line 4") != NULL && strstr(e.where,
	    "other-config line 4") != NULL, "naming file and line: %s",
	    e.message);
	unlink(p1);
}

struct region_case {
	const char	*name;
	int		 valid;
	const char	*hint;
};

static void
test_region_names(void)
{
	static const struct region_case	 cases[] = {
		{ "us-east-1", 1, NULL },
		{ "eu-central-2", 1, NULL },
		{ "us-gov-west-1", 1, NULL },
		{ "ap-southeast-7", 1, NULL },
		{ "eusc-de-east-1", 1, NULL },
		{ "us-isob-east-1", 1, NULL },
		{ "cn-north-1", 1, NULL },
		{ "il-central-1", 1, NULL },
		{ "", 0, "empty" },
		{ "US-EAST-1", 0, "lower case: us-east-1" },
		{ "us-east-1a", 0, "Availability Zone, not a Region; use "
		  "us-east-1" },
		{ "us-east", 0, "look like us-east-1" },
		{ "useast1", 0, "look like" },
		{ "us east 1", 0, "look like" },
		{ "us-east-1 ", 0, "look like" },
		{ "-us-east-1", 0, "look like" },
		{ "us--east-1", 0, "look like" },
		{ "us-east-x", 0, "look like" },
		{ "global", 0, "look like" },
	};
	struct err	 e;
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		err_clear(&e);
		r = awsconfig_check_region(cases[i].name, "--region", &e);
		is_int(r, cases[i].valid ? 0 : -1, "region '%s' is %s",
		    cases[i].name, cases[i].valid ? "valid" : "rejected");
		if (!cases[i].valid)
			ok(strstr(e.message, cases[i].hint) != NULL &&
			    strstr(e.message, "--region") != NULL,
			    "its message helps: %s", e.message);
	}
}

static void
test_region_resolution(void)
{
	const char *const	 flag[] = { home_var, "AWS_REGION=eu-west-3",
				    NULL };
	const char *const	 onlynew[] = { home_var,
				    "AWS_REGION=eu-west-3", NULL };
	const char *const	 differ[] = { home_var,
				    "AWS_REGION=eu-west-3",
				    "AWS_DEFAULT_REGION=eu-north-1", NULL };
	const char *const	 old[] = { home_var,
				    "AWS_DEFAULT_REGION=eu-north-1", NULL };
	const char *const	 bad[] = { home_var, "AWS_REGION=Frankfurt",
				    NULL };
	const char *const	 plain[] = { home_var, NULL };
	struct awsconfig_setting s;
	struct err		 e;
	struct awsconfig	*cfg;

	cfg = load(flag, NULL, &e);
	is_int(awsconfig_region(cfg, "ap-south-1", &s, &e), 0, "flag region");
	is_str(s.value, "ap-south-1", "--region beats the environment");
	is_str(s.source, "--region", "source --region");
	awsconfig_setting_clear(&s);
	awsconfig_free(cfg);

	cfg = load(onlynew, NULL, &e);
	is_int(awsconfig_region(cfg, NULL, &s, &e), 0, "AWS_REGION");
	is_str(s.value, "eu-west-3", "AWS_REGION beats the profile");
	is_str(s.source, "environment variable AWS_REGION", "its source");
	ok(s.note != NULL && strstr(s.note, "AWS_DEFAULT_REGION") != NULL,
	    "note: Python tools read only AWS_DEFAULT_REGION");
	awsconfig_setting_clear(&s);
	awsconfig_free(cfg);

	cfg = load(differ, NULL, &e);
	awsconfig_region(cfg, NULL, &s, &e);
	is_str(s.value, "eu-west-3", "AWS_REGION beats AWS_DEFAULT_REGION");
	ok(s.note != NULL && strstr(s.note, "eu-north-1") != NULL,
	    "and the note names the other value");
	awsconfig_setting_clear(&s);
	awsconfig_free(cfg);

	cfg = load(old, NULL, &e);
	awsconfig_region(cfg, NULL, &s, &e);
	is_str(s.value, "eu-north-1", "AWS_DEFAULT_REGION alone");
	is_str(s.source, "environment variable AWS_DEFAULT_REGION", "source");
	ok(s.note == NULL, "no note");
	awsconfig_setting_clear(&s);
	awsconfig_free(cfg);

	cfg = load(plain, "dev", &e);
	awsconfig_region(cfg, NULL, &s, &e);
	is_str(s.value, "ap-northeast-1", "profile region (credentials file "
	    "wins, as in botocore)");
	is_str(s.source, "profile dev in ~/.aws/credentials", "source names "
	    "profile and file");
	awsconfig_setting_clear(&s);
	awsconfig_select_profile(cfg, "default");
	awsconfig_region(cfg, NULL, &s, &e);
	is_str(s.source, "profile default in ~/.aws/config", "config source");
	awsconfig_setting_clear(&s);
	awsconfig_select_profile(cfg, "onlycreds");
	is_int(awsconfig_region(cfg, NULL, &s, &e), 1, "no Region anywhere");
	ok(s.value == NULL && s.source == NULL, "nothing set");
	awsconfig_select_profile(cfg, "az");
	err_clear(&e);
	is_int(awsconfig_region(cfg, NULL, &s, &e), -1, "an AZ in the "
	    "profile is an error");
	is_str(e.where, "~/.aws/config line 22", "where: file and line");
	ok(strstr(e.message, "profile az in ~/.aws/config") != NULL &&
	    strstr(e.message, "use us-east-1") != NULL, "message: %s",
	    e.message);
	awsconfig_setting_clear(&s);
	awsconfig_free(cfg);

	cfg = load(bad, NULL, &e);
	err_clear(&e);
	is_int(awsconfig_region(cfg, NULL, &s, &e), -1, "a bad AWS_REGION");
	is_str(e.where, "AWS_REGION", "where: the variable");
	ok(strstr(e.message, "'Frankfurt'") != NULL, "quotes the value");
	awsconfig_setting_clear(&s);
	awsconfig_free(cfg);
}

static void
test_ca_and_endpoints(void)
{
	const char *const	 plain[] = { home_var, NULL };
	const char *const	 envca[] = { home_var, "AWS_CA_BUNDLE=/x.pem",
				    NULL };
	const char *const	 svc[] = { home_var,
				    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://a",
				    "AWS_ENDPOINT_URL=http://b", NULL };
	const char *const	 glob[] = { home_var,
				    "AWS_ENDPOINT_URL=http://b", NULL };
	const char *const	 ign[] = { home_var,
				    "AWS_ENDPOINT_URL=http://b",
				    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true",
				    NULL };
	struct awsconfig_setting s;
	struct err		 e;
	struct awsconfig	*cfg;

	cfg = load(plain, "dev", &e);
	is_int(awsconfig_ca_bundle(cfg, &s), 0, "profile ca_bundle");
	is_str(s.value, "/etc/dev-ca.pem", "value");
	is_str(s.source, "profile dev in ~/.aws/config", "source");
	awsconfig_setting_clear(&s);
	is_int(awsconfig_endpoint_url(cfg, "bedrock-runtime", &s), 0,
	    "services section endpoint");
	is_str(s.value, "http://localhost:4566", "bedrock_runtime under "
	    "[services local]");
	ok(s.source != NULL && strstr(s.source, "[services local]") != NULL,
	    "source names the section: %s", s.source);
	awsconfig_setting_clear(&s);
	is_int(awsconfig_endpoint_url(cfg, "sts", &s), 0, "sts falls back");
	is_str(s.value, "http://profile-endpoint:1", "to profile "
	    "endpoint_url");
	awsconfig_setting_clear(&s);
	awsconfig_select_profile(cfg, "default");
	is_int(awsconfig_ca_bundle(cfg, &s), 1, "no CA bundle for default");
	is_int(awsconfig_endpoint_url(cfg, "bedrock", &s), 1,
	    "no endpoint for default");
	awsconfig_setting_clear(&s);
	awsconfig_free(cfg);

	cfg = load(envca, "dev", &e);
	awsconfig_ca_bundle(cfg, &s);
	is_str(s.value, "/x.pem", "AWS_CA_BUNDLE beats the profile");
	is_str(s.source, "environment variable AWS_CA_BUNDLE", "source");
	awsconfig_setting_clear(&s);
	awsconfig_free(cfg);

	cfg = load(svc, "dev", &e);
	awsconfig_endpoint_url(cfg, "bedrock-runtime", &s);
	is_str(s.value, "http://a", "service variable first");
	is_str(s.source, "environment variable "
	    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "source");
	awsconfig_setting_clear(&s);
	awsconfig_free(cfg);

	cfg = load(glob, "dev", &e);
	awsconfig_endpoint_url(cfg, "bedrock-runtime", &s);
	is_str(s.value, "http://b", "then AWS_ENDPOINT_URL");
	awsconfig_setting_clear(&s);
	awsconfig_free(cfg);

	cfg = load(ign, "dev", &e);
	is_int(awsconfig_endpoint_url(cfg, "bedrock-runtime", &s), 1,
	    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns them off");
	awsconfig_setting_clear(&s);
	awsconfig_free(cfg);
}

int
main(void)
{
	char	 dir[300];

	if (mkdtemp(home) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(home_var, sizeof home_var, "HOME=%s", home);
	snprintf(dir, sizeof dir, "%s/.aws", home);
	mkdir(dir, 0700);
	snprintf(cfgpath, sizeof cfgpath, "%s/config", dir);
	snprintf(credpath, sizeof credpath, "%s/credentials", dir);
	write_file(cfgpath, config_text);
	write_file(credpath, cred_text);

	test_env();
	test_load_and_profiles();
	test_profile_choice();
	test_paths();
	test_region_names();
	test_region_resolution();
	test_ca_and_endpoints();

	unlink(cfgpath);
	unlink(credpath);
	rmdir(dir);
	rmdir(home);
	return tap_done();
}
