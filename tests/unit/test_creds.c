/*
 * test_creds.c: the credential chain.  Every source, their precedence, the
 * failures and their messages, with temporary config files, a list for the
 * environment and fake network callbacks that record what they were asked.
 * After every walk, all text the report and error hold is scanned for the
 * secrets the test planted: none may appear.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "awsconfig.h"
#include "creds.h"
#include "err.h"
#include "i18n.h"
#include "secret.h"
#include "tap.h"

#define NOW		((time_t)1764000000)	/* 2025-11-24 16:00:00 UTC */
#define FUTURE		"2030-01-01T00:00:00Z"
#define PAST		"2020-01-01T00:00:00Z"

#define ENV_SECRET	"envSecretKEY/0123456789abcdefghijklmnopq"
#define ENV_TOKEN	"envSessionTOKEN+abcdefghijklmnopqrstuvwx"
#define DEF_SECRET	"fileSecretDEFAULT/0123456789abcdefghij"
#define DEV_SECRET	"fileSecretDEV/0123456789abcdefghijklm"
#define DEV_TOKEN	"fileTokenDEV+0123456789abcdefghijklmnop"
#define BASE_SECRET	"fileSecretBASE/0123456789abcdefghijkl"
#define SELF_SECRET	"fileSecretSELF/0123456789abcdefghijkl"
#define CONF_SECRET	"confSecret/0123456789abcdefghijklmnopq"
#define DEVCONF_SECRET	"confSecretDEV/0123456789abcdefghijklm"
#define STS_SECRET	"stsSECRET/0123456789abcdefghijklmnopqr"
#define STS_TOKEN	"stsTOKEN+0123456789abcdefghijklmnopqrs"
#define SSO_TOKEN	"ssoACCESStoken-abcdefghijklmnopqrstuv"
#define SSO_SECRET	"ssoRoleSECRET/0123456789abcdefghijklm"
#define BEARER		"ABSKbedrockAPIkeyValue0123456789abcd"
#define WEB_TOKEN	"eyJwebIdentityJWT.payload.signature-xyz"
#define CONT_AUTH	"containerAUTHtoken0123456789abcdefgh"
#define CONT_FILEAUTH	"containerFILEtoken0123456789abcdefgh"
#define PROC_SECRET	"procSECRET/0123456789abcdefghijklmnopq"
#define PROC_TOKEN	"procTOKEN+0123456789abcdefghijklmnopq"
#define STDERR_SECRET	"wJalrXUtnFEMI/K7MDENG+bPxRfiCYzz9EXAMPLEKEY"

static const char *const secrets[] = {
	ENV_SECRET, ENV_TOKEN, DEF_SECRET, DEV_SECRET, DEV_TOKEN, BASE_SECRET,
	SELF_SECRET, CONF_SECRET, DEVCONF_SECRET, STS_SECRET, STS_TOKEN,
	SSO_TOKEN, SSO_SECRET, BEARER, WEB_TOKEN, CONT_AUTH, CONT_FILEAUTH,
	PROC_SECRET, PROC_TOKEN, STDERR_SECRET,
};

static char	 home[] = "/tmp/bs-test-creds-XXXXXX";
static char	 home_var[128];

struct fake {
	int	 assume, web, sso, container, imds, mfa;
	int	 fail;			/* calls fail */
	int	 imds_rc;		/* 1: no metadata service */
	time_t	 exp;			/* expiration of results */
	char	 roles[4][128];		/* role_arn per assume call */
	char	 src_akid[4][64];	/* source key id per assume call */
	char	 session[128], external_id[64], region[64], mfa_code[16];
	char	 mfa_serial[128];
	int	 duration;
	char	 sso_region[32], sso_account[32], sso_role[64];
	int	 sso_token_ok;
	char	 web_role[128], web_session[128], web_file[256];
	int	 web_token_ok;
	char	 url[256], auth[128];
	int	 has_auth;
	char	 imds_ep[128];
};

static void
copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src == NULL ? "(null)" : src);
}

static int
fake_result(struct fake *f, const char *akid, struct creds **out,
    struct err *e)
{
	if (f->fail) {
		err_set_aws(e, 403, "AccessDenied", "User is not authorized "
		    "to perform sts:AssumeRole", "req-1");
		return -1;
	}
	*out = creds_new(akid, STS_SECRET, STS_TOKEN, "callback text");
	(*out)->expiration = f->exp;
	return 0;
}

static int
fake_assume(void *arg, const struct creds *src,
    const struct creds_assume_params *p, struct creds **out, struct err *e)
{
	struct fake	*f = arg;
	char		 akid[32];
	int		 i = f->assume++;

	if (i < 4) {
		copy(f->roles[i], sizeof f->roles[i], p->role_arn);
		copy(f->src_akid[i], sizeof f->src_akid[i],
		    src->access_key_id);
	}
	copy(f->session, sizeof f->session, p->role_session_name);
	copy(f->external_id, sizeof f->external_id, p->external_id);
	copy(f->region, sizeof f->region, p->region);
	copy(f->mfa_code, sizeof f->mfa_code, p->mfa_code);
	copy(f->mfa_serial, sizeof f->mfa_serial, p->mfa_serial);
	f->duration = p->duration_seconds;
	snprintf(akid, sizeof akid, "ASIAFAKE%d", i + 1);
	return fake_result(f, akid, out, e);
}

static int
fake_web(void *arg, const struct creds_web_identity_params *p,
    struct creds **out, struct err *e)
{
	struct fake	*f = arg;

	f->web++;
	copy(f->web_role, sizeof f->web_role, p->role_arn);
	copy(f->web_session, sizeof f->web_session, p->role_session_name);
	copy(f->web_file, sizeof f->web_file, p->token_file);
	f->web_token_ok = strcmp(secret_reveal(p->token), WEB_TOKEN) == 0;
	return fake_result(f, "ASIAWEB", out, e);
}

static int
fake_sso(void *arg, const char *region, const struct secret *tok,
    const char *account, const char *role, struct creds **out, struct err *e)
{
	struct fake	*f = arg;

	f->sso++;
	copy(f->sso_region, sizeof f->sso_region, region);
	copy(f->sso_account, sizeof f->sso_account, account);
	copy(f->sso_role, sizeof f->sso_role, role);
	f->sso_token_ok = strcmp(secret_reveal(tok), SSO_TOKEN) == 0;
	if (f->fail)
		return fake_result(f, NULL, out, e);
	*out = creds_new("ASIASSO", SSO_SECRET, STS_TOKEN, NULL);
	(*out)->expiration = f->exp;
	return 0;
}

static int
fake_container(void *arg, const char *url, const struct secret *auth,
    struct creds **out, struct err *e)
{
	struct fake	*f = arg;

	f->container++;
	copy(f->url, sizeof f->url, url);
	f->has_auth = auth != NULL;
	copy(f->auth, sizeof f->auth, auth != NULL ? secret_reveal(auth) :
	    NULL);
	return fake_result(f, "ASIACONTAINER", out, e);
}

static int
fake_imds(void *arg, const char *endpoint, struct creds **out, struct err *e)
{
	struct fake	*f = arg;

	f->imds++;
	copy(f->imds_ep, sizeof f->imds_ep, endpoint);
	if (f->imds_rc == 1)
		return 1;
	return fake_result(f, "ASIAIMDS", out, e);
}

static int
fake_mfa(void *arg, const char *serial, const char *profile, char *code,
    size_t size, struct err *e)
{
	struct fake	*f = arg;

	(void)serial;
	(void)profile;
	(void)e;
	f->mfa++;
	snprintf(code, size, "123456");
	return 0;
}

static int
contains_secret(const char *s)
{
	size_t	 i;

	if (s == NULL)
		return 0;
	for (i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if (strstr(s, secrets[i]) != NULL)
			return 1;
	return 0;
}

static int
report_leaks(const struct creds_report *r, const struct err *e)
{
	size_t	 i;
	int	 n = 0;

	n += contains_secret(e->message) + contains_secret(e->where) +
	    contains_secret(e->code);
	for (i = 0; i < CREDS_SRC_COUNT; i++)
		n += contains_secret(r->rows[i].detail) +
		    contains_secret(r->rows[i].label);
	for (i = 0; i < r->nwarnings; i++)
		n += contains_secret(r->warnings[i]);
	if (r->creds != NULL)
		n += contains_secret(r->creds->source) +
		    contains_secret(r->creds->access_key_id) +
		    contains_secret(r->creds->account_id);
	n += contains_secret(r->profile);
	return n;
}

struct run {
	const char *const	*vars;		/* besides HOME */
	const char		*explicit;
	int			 offline;
	int			 timeout_ms;
	struct fake		 f;
	struct creds_report	*r;
	struct err		 e;
	int			 rc;
};

static void
resolve(struct run *run, const char *name)
{
	const char		*vars[24];
	struct awsconfig_env	 env;
	struct awsconfig	*cfg;
	struct creds_net	 net;
	struct creds_opts	 o;
	size_t			 n = 0, i;

	vars[n++] = home_var;
	for (i = 0; run->vars != NULL && run->vars[i] != NULL && n < 23; i++)
		vars[n++] = run->vars[i];
	vars[n] = NULL;
	awsconfig_env_list(&env, vars);
	err_clear(&run->e);
	if (awsconfig_load(&cfg, &env, run->explicit, &run->e) != 0) {
		run->r = NULL;
		run->rc = -2;
		ok(0, "%s: config loads: %s", name, run->e.message);
		return;
	}
	memset(&net, 0, sizeof net);
	net.assume_role = fake_assume;
	net.assume_role_web_identity = fake_web;
	net.sso_get_role_credentials = fake_sso;
	net.container = fake_container;
	net.imds = fake_imds;
	net.mfa_code = fake_mfa;
	net.arg = &run->f;
	if (run->f.exp == 0)
		run->f.exp = NOW + 3600;
	memset(&o, 0, sizeof o);
	o.cfg = cfg;
	o.net = run->offline ? NULL : &net;
	o.now = NOW;
	o.region = "eu-west-1";
	o.process_timeout_ms = run->timeout_ms > 0 ? run->timeout_ms : 10000;
	run->rc = creds_resolve(&o, &run->r, &run->e);
	awsconfig_free(cfg);
	is_int(report_leaks(run->r, &run->e), 0, "%s: no secret in any "
	    "message, detail or source", name);
}

static void
done(struct run *run)
{
	creds_report_free(run->r);
	run->r = NULL;
}

static const char *
detail(const struct run *run, enum creds_source s)
{
	const char	*d = run->r->rows[s].detail;

	return d == NULL ? "" : d;
}

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

static char	 webtok[300], pidfile[300], pidfile2[300];

static void
setup(void)
{
	char	 path[400], dir[300];
	FILE	*f;

	snprintf(home_var, sizeof home_var, "HOME=%s", home);
	snprintf(dir, sizeof dir, "%s/.aws", home);
	mkdir(dir, 0700);
	snprintf(dir, sizeof dir, "%s/.aws/sso", home);
	mkdir(dir, 0700);
	snprintf(dir, sizeof dir, "%s/.aws/sso/cache", home);
	mkdir(dir, 0700);
	snprintf(webtok, sizeof webtok, "%s/webtoken", home);
	write_file(webtok, WEB_TOKEN);
	snprintf(pidfile, sizeof pidfile, "%s/pid1", home);
	snprintf(pidfile2, sizeof pidfile2, "%s/pid2", home);

	snprintf(path, sizeof path, "%s/.aws/credentials", home);
	write_file(path,
	    "[default]\n"
	    "aws_access_key_id = AKIDDEFAULT\n"
	    "aws_secret_access_key = " DEF_SECRET "\n"
	    "[dev]\n"
	    "aws_access_key_id = AKIDDEV\n"
	    "aws_secret_access_key = " DEV_SECRET "\n"
	    "aws_session_token = " DEV_TOKEN "\n"
	    "[base]\n"
	    "aws_access_key_id = AKIDBASE\n"
	    "aws_secret_access_key = " BASE_SECRET "\n"
	    "[half]\n"
	    "aws_access_key_id = AKIDHALF\n"
	    "[selfref]\n"
	    "aws_access_key_id = AKIDSELF\n"
	    "aws_secret_access_key = " SELF_SECRET "\n");

	snprintf(path, sizeof path, "%s/.aws/config", home);
	f = fopen(path, "w");
	fprintf(f,
	    "[default]\nregion = eu-west-1\n"
	    "[profile dev]\nregion = eu-central-1\n"
	    "aws_access_key_id = AKIDDEVCONF\n"
	    "aws_secret_access_key = " DEVCONF_SECRET "\n"
	    "credential_process = echo never run\n"
	    "[profile empty]\nregion = us-east-1\n"
	    "[profile confkeys]\naws_access_key_id = AKIDCONF\n"
	    "aws_secret_access_key = " CONF_SECRET "\n"
	    "aws_account_id = 999988887777\n"
	    "[profile role]\nrole_arn = arn:aws:iam::111122223333:role/R\n"
	    "source_profile = base\nexternal_id = ext-123\n"
	    "duration_seconds = 1800\nrole_session_name = my-session\n"
	    "[profile role2]\nrole_arn = arn:aws:iam::111122223333:role/R2\n"
	    "source_profile = base\n"
	    "[profile mid]\nrole_arn = arn:aws:iam::111122223333:role/Mid\n"
	    "source_profile = base\n"
	    "[profile top]\nrole_arn = arn:aws:iam::111122223333:role/Top\n"
	    "source_profile = mid\n"
	    "[profile loopa]\nrole_arn = arn:aws:iam::1:role/A\n"
	    "source_profile = loopb\n"
	    "[profile loopb]\nrole_arn = arn:aws:iam::1:role/B\n"
	    "source_profile = loopc\n"
	    "[profile loopc]\nrole_arn = arn:aws:iam::1:role/C\n"
	    "source_profile = loopa\n"
	    "[profile selfref]\nrole_arn = arn:aws:iam::1:role/Self\n"
	    "source_profile = selfref\n"
	    "[profile selfnokeys]\nrole_arn = arn:aws:iam::1:role/X\n"
	    "source_profile = selfnokeys\n"
	    "[profile envsrc]\nrole_arn = arn:aws:iam::1:role/FromEnv\n"
	    "credential_source = Environment\n"
	    "[profile ecssrc]\nrole_arn = arn:aws:iam::1:role/FromEcs\n"
	    "credential_source = EcsContainer\n"
	    "[profile imdssrc]\nrole_arn = arn:aws:iam::1:role/FromImds\n"
	    "credential_source = Ec2InstanceMetadata\n"
	    "[profile badsrc]\nrole_arn = arn:aws:iam::1:role/Bad\n"
	    "credential_source = Laptop\n"
	    "[profile bothsrc]\nrole_arn = arn:aws:iam::1:role/Both\n"
	    "source_profile = base\ncredential_source = Environment\n"
	    "[profile nosrc]\nrole_arn = arn:aws:iam::1:role/None\n"
	    "[profile ghostsrc]\nrole_arn = arn:aws:iam::1:role/G\n"
	    "source_profile = ghost\n"
	    "[profile emptysrc]\nrole_arn = arn:aws:iam::1:role/E\n"
	    "source_profile = empty\n"
	    "[profile baddur]\nrole_arn = arn:aws:iam::1:role/D\n"
	    "source_profile = base\nduration_seconds = 12x\n"
	    "[profile mfa]\nrole_arn = arn:aws:iam::1:role/Mfa\n"
	    "source_profile = base\nmfa_serial = arn:aws:iam::1:mfa/me\n"
	    "[profile web]\nrole_arn = arn:aws:iam::1:role/Web\n"
	    "web_identity_token_file = %s\n"
	    "[profile websrc]\nrole_arn = arn:aws:iam::1:role/Outer\n"
	    "source_profile = web\n"
	    "[profile webnorole]\nweb_identity_token_file = %s\n"
	    "[profile webmissing]\nrole_arn = arn:aws:iam::1:role/Web\n"
	    "web_identity_token_file = %s/nope\n"
	    "[profile sso]\nsso_session = corp\n"
	    "sso_account_id = 111122223333\nsso_role_name = Dev\n"
	    "[sso-session corp]\n"
	    "sso_start_url = https://corp.awsapps.com/start\n"
	    "sso_region = eu-west-1\n"
	    "sso_registration_scopes = sso:account:access\n"
	    "[profile ssoexp]\nsso_session = old\n"
	    "sso_account_id = 1\nsso_role_name = R\n"
	    "credential_process = echo never run\n"
	    "[sso-session old]\nsso_start_url = https://old.awsapps.com/start\n"
	    "sso_region = us-east-1\n"
	    "[profile ssonone]\nsso_session = never\n"
	    "sso_account_id = 1\nsso_role_name = R\n"
	    "[sso-session never]\n"
	    "sso_start_url = https://never.awsapps.com/start\n"
	    "sso_region = us-east-1\n"
	    "[profile ssodamaged]\nsso_session = dmg\n"
	    "sso_account_id = 1\nsso_role_name = R\n"
	    "[sso-session dmg]\nsso_start_url = https://dmg.awsapps.com/start\n"
	    "sso_region = us-east-1\n"
	    "[profile ssolegacy]\n"
	    "sso_start_url = https://example.awsapps.com/start\n"
	    "sso_region = us-east-2\nsso_account_id = 444455556666\n"
	    "sso_role_name = Legacy\n"
	    "[profile ssomissing]\nsso_account_id = 1\n"
	    "[profile ssonosess]\nsso_session = nothere\n"
	    "sso_account_id = 1\nsso_role_name = R\n"
	    "[profile ssoconflict]\nsso_session = corp\n"
	    "sso_start_url = https://different.awsapps.com/start\n"
	    "sso_account_id = 1\nsso_role_name = R\n"
	    "[profile ssosrc]\nrole_arn = arn:aws:iam::1:role/ViaSso\n"
	    "source_profile = ssoexp\n"
	    "[profile proc]\ncredential_process = printf '%%s' "
	    "'{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
	    "\"SecretAccessKey\": \"" PROC_SECRET "\", \"SessionToken\": \""
	    PROC_TOKEN "\", \"Expiration\": \"" FUTURE "\", "
	    "\"AccountId\": \"123456789012\"}'\n"
	    "[profile procfail]\ncredential_process = echo 'first line' >&2; "
	    "echo 'denied for " STDERR_SECRET "' >&2; exit 3\n"
	    "[profile procsilent]\ncredential_process = exit 4\n"
	    "[profile procgarbage]\ncredential_process = echo '"
	    PROC_SECRET " is not json'\n"
	    "[profile procempty]\ncredential_process = true\n"
	    "[profile procv2]\ncredential_process = echo '{\"Version\": 2, "
	    "\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" PROC_SECRET
	    "\"}'\n"
	    "[profile procvstr]\ncredential_process = echo '{\"Version\": "
	    "\"1\", \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"B\"}'\n"
	    "[profile procmissing]\ncredential_process = echo "
	    "'{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\"}'\n"
	    "[profile procexpired]\ncredential_process = echo "
	    "'{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
	    "\"SecretAccessKey\": \"" PROC_SECRET "\", \"Expiration\": \""
	    PAST "\"}'\n"
	    "[profile procbadtime]\ncredential_process = echo "
	    "'{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
	    "\"SecretAccessKey\": \"" PROC_SECRET "\", \"Expiration\": "
	    "\"tomorrow\"}'\n"
	    "[profile prochang]\ncredential_process = echo $$ > %s; "
	    "sleep 30 & echo $! > %s; wait\n"
	    "[profile procbig]\ncredential_process = yes "
	    "0123456789abcdef0123456789abcdef\n"
	    "[profile procsignal]\ncredential_process = kill -9 $$\n"
	    "[profile procsrc]\nrole_arn = arn:aws:iam::1:role/ViaProc\n"
	    "source_profile = proc\n"
	    "[profile login]\nlogin_session = arn:aws:iam::1:user/me\n",
	    webtok, webtok, home, pidfile, pidfile2);
	fclose(f);
}

static void
write_sso_cache(const char *key, const char *text)
{
	struct awsconfig_env	 env;
	struct awsconfig	*cfg;
	struct err		 e;
	const char		*vars[] = { home_var, NULL };
	char			*path;

	awsconfig_env_list(&env, vars);
	if (awsconfig_load(&cfg, &env, NULL, &e) != 0)
		return;
	path = creds_sso_cache_file(cfg, key);
	write_file(path, text);
	free(path);
	awsconfig_free(cfg);
}

static void
test_parse_time(void)
{
	time_t	 t;

	is_int(creds_parse_time("2025-11-24T16:00:00Z", &t), 0, "Z time");
	is_int(t, NOW, "parses to the epoch");
	creds_parse_time("2025-11-24T16:00:00.123456Z", &t);
	is_int(t, NOW, "fractions are dropped");
	creds_parse_time("2025-11-24T18:00:00+02:00", &t);
	is_int(t, NOW, "+hh:mm offsets");
	creds_parse_time("2025-11-24T15:30:00-0030", &t);
	is_int(t, NOW, "-hhmm offsets");
	creds_parse_time("2025-11-24T16:00:00UTC", &t);
	is_int(t, NOW, "the SSO cache's UTC suffix");
	creds_parse_time("2025-11-24 16:00:00", &t);
	is_int(t, NOW, "a space and no zone: UTC");
	is_int(creds_parse_time("2025-13-01T00:00:00Z", &t), -1, "month 13");
	is_int(creds_parse_time("tomorrow", &t), -1, "words");
	is_int(creds_parse_time("2025-11-24T16:00:00Zjunk", &t), -1,
	    "trailing junk");
	is_int(creds_parse_time("2025-11-24", &t), -1, "a date alone");
	is_int(creds_parse_time(NULL, &t), -1, "NULL");
}

static void
test_env_keys(void)
{
	const char *const	 full[] = { "AWS_ACCESS_KEY_ID=AKIDENV",
				    "AWS_SECRET_ACCESS_KEY=" ENV_SECRET,
				    "AWS_SESSION_TOKEN=" ENV_TOKEN,
				    "AWS_CREDENTIAL_EXPIRATION=" FUTURE,
				    "AWS_ACCOUNT_ID=111122223333", NULL };
	const char *const	 legacy[] = { "AWS_ACCESS_KEY_ID=AKIDENV",
				    "AWS_SECRET_ACCESS_KEY=" ENV_SECRET,
				    "AWS_SECURITY_TOKEN=" ENV_TOKEN, NULL };
	const char *const	 both[] = { "AWS_ACCESS_KEY_ID=AKIDENV",
				    "AWS_SECRET_ACCESS_KEY=" ENV_SECRET,
				    "AWS_SESSION_TOKEN=" ENV_TOKEN,
				    "AWS_SECURITY_TOKEN=other" ENV_TOKEN,
				    NULL };
	const char *const	 akid_only[] = { "AWS_ACCESS_KEY_ID=AKIDENV",
				    NULL };
	const char *const	 secret_only[] = {
				    "AWS_SECRET_ACCESS_KEY=" ENV_SECRET, NULL };
	const char *const	 expired[] = { "AWS_ACCESS_KEY_ID=AKIDENV",
				    "AWS_SECRET_ACCESS_KEY=" ENV_SECRET,
				    "AWS_CREDENTIAL_EXPIRATION=" PAST, NULL };
	const char *const	 badtime[] = { "AWS_ACCESS_KEY_ID=AKIDENV",
				    "AWS_SECRET_ACCESS_KEY=" ENV_SECRET,
				    "AWS_CREDENTIAL_EXPIRATION=soon", NULL };
	const char *const	 withprof[] = { "AWS_ACCESS_KEY_ID=AKIDENV",
				    "AWS_SECRET_ACCESS_KEY=" ENV_SECRET,
				    "AWS_PROFILE=dev", NULL };
	struct run		 run;
	time_t			 t;

	memset(&run, 0, sizeof run);
	run.vars = full;
	resolve(&run, "env keys");
	is_int(run.rc, 0, "environment keys are found");
	is_str(run.r->creds->access_key_id, "AKIDENV", "their key id");
	is_str(secret_reveal(run.r->creds->secret_access_key), ENV_SECRET,
	    "their secret");
	is_str(secret_reveal(run.r->creds->session_token), ENV_TOKEN,
	    "AWS_SESSION_TOKEN");
	creds_parse_time(FUTURE, &t);
	is_int(run.r->creds->expiration, t, "AWS_CREDENTIAL_EXPIRATION");
	is_str(run.r->creds->account_id, "111122223333", "AWS_ACCOUNT_ID");
	is_str(run.r->creds->source, "environment", "source: environment");
	is_int(run.r->used, CREDS_SRC_ENV, "the report marks env as used");
	is_int(run.r->rows[CREDS_SRC_ENV].state, CREDS_USED, "row: used");
	is_int(run.r->rows[CREDS_SRC_CREDENTIALS_FILE].state, CREDS_SKIPPED,
	    "the default profile's keys are set up but skipped");
	ok(strstr(detail(&run, CREDS_SRC_CREDENTIALS_FILE), "not reached") !=
	    NULL, "not reached: %s", detail(&run, CREDS_SRC_CREDENTIALS_FILE));
	is_int(run.r->rows[CREDS_SRC_SSO].state, CREDS_NOT_CONFIGURED,
	    "SSO is not set up for default");
	is_int(run.r->rows[CREDS_SRC_BEARER].state, CREDS_NOT_CONFIGURED,
	    "no bearer token");
	ok(run.r->bearer == NULL, "bearer NULL");
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = legacy;
	resolve(&run, "legacy token");
	is_str(secret_reveal(run.r->creds->session_token), ENV_TOKEN,
	    "AWS_SECURITY_TOKEN is read too");
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = both;
	resolve(&run, "two tokens");
	is_str(secret_reveal(run.r->creds->session_token), ENV_TOKEN,
	    "AWS_SESSION_TOKEN wins over AWS_SECURITY_TOKEN");
	ok(run.r->nwarnings == 1 && strstr(run.r->warnings[0],
	    "AWS_SECURITY_TOKEN differs") != NULL, "with a warning");
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = akid_only;
	resolve(&run, "akid only");
	is_int(run.rc, -1, "AWS_ACCESS_KEY_ID alone is an error");
	ok(strstr(run.e.message, "AWS_SECRET_ACCESS_KEY is not") != NULL,
	    "naming the missing variable: %s", run.e.message);
	is_str(run.e.where, "AWS_SECRET_ACCESS_KEY", "where: the variable");
	is_int(run.r->rows[CREDS_SRC_ENV].state, CREDS_FAILED, "row failed");
	is_int(run.r->rows[CREDS_SRC_CREDENTIALS_FILE].state, CREDS_SKIPPED,
	    "the chain stops there");
	ok(strstr(detail(&run, CREDS_SRC_CREDENTIALS_FILE), "not tried") !=
	    NULL, "later sources say why: %s",
	    detail(&run, CREDS_SRC_CREDENTIALS_FILE));
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = secret_only;
	resolve(&run, "secret only");
	is_int(run.rc, -1, "AWS_SECRET_ACCESS_KEY alone is an error");
	ok(strstr(run.e.message, "AWS_ACCESS_KEY_ID is not") != NULL,
	    "naming AWS_ACCESS_KEY_ID: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = expired;
	resolve(&run, "expired env");
	is_int(run.rc, -1, "expired environment credentials fail");
	ok(strstr(run.e.message, "expired at 2020-01-01 00:00:00 UTC") !=
	    NULL, "saying when: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = badtime;
	resolve(&run, "bad expiration");
	ok(run.rc == -1 && strstr(run.e.message, "'soon'") != NULL,
	    "a bad AWS_CREDENTIAL_EXPIRATION is named: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = withprof;
	resolve(&run, "env + AWS_PROFILE");
	is_str(run.r->creds != NULL ? run.r->creds->access_key_id : NULL,
	    "AKIDENV", "AWS_PROFILE does not beat environment keys");
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = withprof;
	run.explicit = "dev";
	resolve(&run, "env + --profile");
	is_int(run.rc, 0, "an explicit profile resolves");
	is_str(run.r->creds->access_key_id, "AKIDDEV", "--profile beats "
	    "environment keys");
	is_str(run.r->creds->source, "profile dev in ~/.aws/credentials",
	    "source names profile and file");
	is_str(secret_reveal(run.r->creds->session_token), DEV_TOKEN,
	    "aws_session_token from the file");
	is_int(run.r->rows[CREDS_SRC_ENV].state, CREDS_SKIPPED,
	    "env row skipped");
	ok(strstr(detail(&run, CREDS_SRC_ENV), "--profile") != NULL,
	    "and says why: %s", detail(&run, CREDS_SRC_ENV));
	is_int(run.r->rows[CREDS_SRC_PROCESS].state, CREDS_SKIPPED,
	    "dev's credential_process is shadowed");
	is_int(run.r->rows[CREDS_SRC_CONFIG_FILE].state, CREDS_SKIPPED,
	    "and so are its config-file keys");
	done(&run);
}

static void
test_files(void)
{
	const char *const	 half[] = { "AWS_PROFILE=half", NULL };
	struct run		 run;

	memset(&run, 0, sizeof run);
	run.explicit = "confkeys";
	resolve(&run, "config keys");
	is_int(run.rc, 0, "keys in the config file work");
	is_str(run.r->creds->source, "profile confkeys in ~/.aws/config",
	    "source names the config file");
	is_str(run.r->creds->account_id, "999988887777", "aws_account_id");
	ok(run.r->creds->session_token == NULL, "no token");
	is_int(run.r->used, CREDS_SRC_CONFIG_FILE, "config-file row used");
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = half;
	resolve(&run, "half file keys");
	is_int(run.rc, -1, "a key id without a secret in a file fails");
	ok(strstr(run.e.message, "profile half in ~/.aws/credentials") !=
	    NULL && strstr(run.e.message, "aws_secret_access_key") != NULL,
	    "naming profile, file and key: %s", run.e.message);
	is_str(run.e.where, "~/.aws/credentials line 12", "where: the line");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "login";
	resolve(&run, "login_session");
	ok(run.rc == -1 && strstr(run.e.message, "login_session") != NULL,
	    "login_session is reported as unsupported: %s", run.e.message);
	is_int(run.r->rows[CREDS_SRC_LOGIN].state, CREDS_FAILED, "row failed");
	done(&run);
}

static void
test_missing_profile(void)
{
	const char *const	 vars[] = { "AWS_PROFILE=nosuch", NULL };
	struct run		 run;

	memset(&run, 0, sizeof run);
	run.vars = vars;
	resolve(&run, "missing profile");
	is_int(run.rc, -1, "a missing profile fails");
	ok(strstr(run.e.message, "profile nosuch (from AWS_PROFILE)") !=
	    NULL && strstr(run.e.message, "default, baddur, badsrc, base,") != NULL,
	    "the message lists the profiles that exist: %s", run.e.message);
	ok(strstr(run.e.message, "and 33 more") != NULL,
	    "at most 20 of the 53 profiles are named");
	ok(run.r->creds == NULL, "no credentials");
	done(&run);
}

static void
test_assume_role(void)
{
	const char *const	 envkeys[] = { "AWS_ACCESS_KEY_ID=AKIDENV",
				    "AWS_SECRET_ACCESS_KEY=" ENV_SECRET, NULL };
	struct run		 run;
	char			 want[64];

	memset(&run, 0, sizeof run);
	run.explicit = "role";
	resolve(&run, "assume role");
	is_int(run.rc, 0, "assume role with source_profile");
	is_int(run.f.assume, 1, "one AssumeRole call");
	is_str(run.f.roles[0], "arn:aws:iam::111122223333:role/R", "role");
	is_str(run.f.src_akid[0], "AKIDBASE", "signed with base's keys");
	is_str(run.f.session, "my-session", "role_session_name");
	is_str(run.f.external_id, "ext-123", "external_id");
	is_int(run.f.duration, 1800, "duration_seconds");
	is_str(run.f.region, "eu-west-1", "the STS Region is passed");
	is_str(run.r->creds->source, "assumed role "
	    "arn:aws:iam::111122223333:role/R via profile base",
	    "source names role and source profile");
	is_str(secret_reveal(run.r->creds->session_token), STS_TOKEN,
	    "the callback's credentials are used");
	is_int(run.r->used, CREDS_SRC_ASSUME_ROLE, "assume-role row used");
	ok(strstr(detail(&run, CREDS_SRC_ASSUME_ROLE),
	    "source: profile base in ~/.aws/credentials") != NULL,
	    "detail shows the source: %s", detail(&run,
	    CREDS_SRC_ASSUME_ROLE));
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "role2";
	resolve(&run, "default session name");
	snprintf(want, sizeof want, "bedrock-setup-%lld", (long long)NOW);
	is_str(run.f.session, want, "default role_session_name uses now");
	is_str(run.f.external_id, "(null)", "no external_id");
	is_int(run.f.duration, 0, "no duration");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "top";
	resolve(&run, "role chain");
	is_int(run.rc, 0, "a two-hop chain resolves");
	is_int(run.f.assume, 2, "two AssumeRole calls");
	is_str(run.f.roles[0], "arn:aws:iam::111122223333:role/Mid",
	    "the inner role first");
	is_str(run.f.src_akid[0], "AKIDBASE", "with base's keys");
	is_str(run.f.roles[1], "arn:aws:iam::111122223333:role/Top",
	    "then the outer role");
	is_str(run.f.src_akid[1], "ASIAFAKE1", "with the inner result");
	is_str(run.r->creds->source, "assumed role "
	    "arn:aws:iam::111122223333:role/Top via profile mid", "source");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "loopa";
	resolve(&run, "loop");
	is_int(run.rc, -1, "a source_profile loop fails");
	ok(strstr(run.e.message, "loopa → loopb → loopc → loopa") != NULL,
	    "naming the cycle: %s", run.e.message);
	is_int(run.f.assume, 0, "without calling STS");
	is_int(run.e.kind, ERR_CONFIG, "a config error");
	is_str(run.e.where, "~/.aws/config line 37",
	    "where: the source_profile line that closes the loop");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "selfref";
	resolve(&run, "self reference");
	is_int(run.rc, 0, "a profile may source its own static keys");
	is_str(run.f.src_akid[0], "AKIDSELF", "its own keys sign");
	is_int(run.r->rows[CREDS_SRC_CREDENTIALS_FILE].state, CREDS_SKIPPED,
	    "its keys row is shadowed by the role");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "selfnokeys";
	resolve(&run, "self loop");
	ok(run.rc == -1 && strstr(run.e.message, "selfnokeys → selfnokeys")
	    != NULL, "self reference without keys is a loop: %s",
	    run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "envsrc";
	run.vars = envkeys;
	resolve(&run, "credential_source Environment");
	is_int(run.rc, 0, "credential_source Environment");
	is_str(run.f.src_akid[0], "AKIDENV", "uses env keys even with "
	    "--profile");
	is_str(run.r->creds->source, "assumed role arn:aws:iam::1:role/FromEnv "
	    "via credential_source Environment", "source");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "envsrc";
	resolve(&run, "credential_source Environment, empty");
	ok(run.rc == -1 && strstr(run.e.message, "credential_source "
	    "Environment, which has none") != NULL, "empty env source: %s",
	    run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "badsrc";
	resolve(&run, "bad credential_source");
	ok(run.rc == -1 && strstr(run.e.message, "Laptop") != NULL &&
	    strstr(run.e.message, "EcsContainer") != NULL,
	    "an unknown credential_source lists the valid ones: %s",
	    run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "bothsrc";
	resolve(&run, "both sources");
	ok(run.rc == -1 && strstr(run.e.message, "both source_profile and "
	    "credential_source") != NULL, "both set: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "nosrc";
	resolve(&run, "no source");
	ok(run.rc == -1 && strstr(run.e.message, "add source_profile") !=
	    NULL, "neither set: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "ghostsrc";
	resolve(&run, "ghost source");
	ok(run.rc == -1 && strstr(run.e.message, "source_profile ghost") !=
	    NULL && strstr(run.e.message, "default, baddur, badsrc") != NULL,
	    "a missing source_profile lists the profiles: %s",
	    run.e.message);
	is_str(run.e.where, "~/.aws/config line 64",
	    "where: the source_profile line");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "emptysrc";
	resolve(&run, "empty source");
	ok(run.rc == -1 && strstr(run.e.message, "profile empty, used as "
	    "source_profile, has no credentials") != NULL,
	    "a source profile without credentials: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "baddur";
	resolve(&run, "bad duration");
	ok(run.rc == -1 && strstr(run.e.message, "duration_seconds") != NULL,
	    "a bad duration_seconds: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "mfa";
	resolve(&run, "mfa");
	is_int(run.rc, 0, "mfa_serial with a code callback");
	is_int(run.f.mfa, 1, "the code was asked for");
	is_str(run.f.mfa_code, "123456", "and passed to AssumeRole");
	is_str(run.f.mfa_serial, "arn:aws:iam::1:mfa/me", "with the serial");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "role";
	run.f.fail = 1;
	resolve(&run, "sts failure");
	is_int(run.rc, -1, "a failing AssumeRole fails the chain");
	is_int(run.e.kind, ERR_AWS, "the callback's error kind is kept");
	is_str(run.e.code, "AccessDenied", "and its code");
	ok(strstr(run.e.message, "getting credentials from assumed role "
	    "arn:aws:iam::111122223333:role/R via profile base failed: User "
	    "is not authorized") != NULL, "message says what failed: %s",
	    run.e.message);
	is_int(run.r->rows[CREDS_SRC_ASSUME_ROLE].state, CREDS_FAILED,
	    "row failed");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "role";
	run.f.exp = NOW - 60;
	resolve(&run, "expired sts result");
	ok(run.rc == -1 && strstr(run.e.message, "expired") != NULL &&
	    strstr(run.e.message, "clock") != NULL,
	    "an expired result points at the clock: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "procsrc";
	resolve(&run, "process as source");
	is_int(run.rc, 0, "a source profile with credential_process");
	is_str(run.f.src_akid[0], "AKIDPROC", "its keys sign");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "ssosrc";
	resolve(&run, "expired sso as source");
	ok(run.rc == -1 && strstr(run.e.message, "aws sso login --profile "
	    "ssoexp") != NULL, "an expired SSO source names its profile: %s",
	    run.e.message);
	done(&run);
}

static void
test_web_identity(void)
{
	char			 v1[400];
	const char *const	 envweb[] = { v1,
				    "AWS_ROLE_ARN=arn:aws:iam::1:role/EnvWeb",
				    "AWS_ROLE_SESSION_NAME=envsess", NULL };
	struct run		 run;

	memset(&run, 0, sizeof run);
	run.explicit = "web";
	resolve(&run, "web identity profile");
	is_int(run.rc, 0, "web identity from the profile");
	is_int(run.f.web, 1, "one AssumeRoleWithWebIdentity call");
	ok(run.f.web_token_ok, "the token file's bytes are passed");
	is_str(run.f.web_role, "arn:aws:iam::1:role/Web", "the role");
	is_str(run.f.web_file, webtok, "the token file name");
	is_int(run.f.assume, 0, "not plain AssumeRole");
	is_int(run.r->used, CREDS_SRC_WEB_IDENTITY, "web identity row used");
	is_int(run.r->rows[CREDS_SRC_ASSUME_ROLE].state, CREDS_NOT_CONFIGURED,
	    "role_arn with a token file is not the assume-role source");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "websrc";
	resolve(&run, "web identity as source");
	is_int(run.rc, 0, "a web identity profile as source_profile");
	is_int(run.f.web, 1, "is resolved with web identity");
	is_str(run.f.src_akid[0], "ASIAWEB", "whose result signs AssumeRole");
	is_str(run.f.roles[0], "arn:aws:iam::1:role/Outer", "for the outer "
	    "role only");
	done(&run);

	snprintf(v1, sizeof v1, "AWS_WEB_IDENTITY_TOKEN_FILE=%s", webtok);
	memset(&run, 0, sizeof run);
	run.vars = envweb;
	resolve(&run, "web identity env");
	is_int(run.rc, 0, "web identity from the environment");
	is_str(run.f.web_role, "arn:aws:iam::1:role/EnvWeb", "AWS_ROLE_ARN");
	is_str(run.f.web_session, "envsess", "AWS_ROLE_SESSION_NAME");
	ok(strstr(run.r->creds->source, "web identity role "
	    "arn:aws:iam::1:role/EnvWeb") != NULL, "source: %s",
	    run.r->creds->source);
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = envweb;
	run.explicit = "dev";
	resolve(&run, "web env + --profile");
	is_int(run.f.web, 0, "an explicit profile ignores the web identity "
	    "variables");
	is_str(run.r->creds->access_key_id, "AKIDDEV", "and uses the profile");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "webnorole";
	resolve(&run, "web no role");
	ok(run.rc == -1 && strstr(run.e.message, "AWS_ROLE_ARN") != NULL,
	    "a token file without a role: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "webmissing";
	resolve(&run, "web missing file");
	ok(run.rc == -1 && strstr(run.e.message, "/nope does not exist") !=
	    NULL, "a missing token file is named: %s", run.e.message);
	done(&run);
}

static void
test_sso(void)
{
	struct awsconfig_env	 env;
	struct awsconfig	*cfg;
	struct err		 e;
	const char		*vars[] = { home_var, NULL };
	char			 want[400], *path;
	struct run		 run;

	awsconfig_env_list(&env, vars);
	awsconfig_load(&cfg, &env, NULL, &e);
	path = creds_sso_cache_file(cfg, "corp");
	snprintf(want, sizeof want, "%s/.aws/sso/cache/"
	    "ee0bfd2552fbd840c02cc48b6e823320543c450f.json", home);
	is_str(path, want, "cache file: sha1 of the session name");
	free(path);
	path = creds_sso_cache_file(cfg, "https://example.awsapps.com/start");
	snprintf(want, sizeof want, "%s/.aws/sso/cache/"
	    "e8be5486177c5b5392bd9aa76563515b29358e6e.json", home);
	is_str(path, want, "legacy: sha1 of the start URL");
	free(path);
	awsconfig_free(cfg);

	snprintf(want, sizeof want, "%s/.aws/sso/cache/"
	    "ee0bfd2552fbd840c02cc48b6e823320543c450f.json", home);
	write_file(want, "{\"startUrl\": \"https://corp.awsapps.com/start\", "
	    "\"region\": \"eu-west-1\", \"accessToken\": \"" SSO_TOKEN "\", "
	    "\"expiresAt\": \"" FUTURE "\", \"refreshToken\": \"r\"}");
	snprintf(want, sizeof want, "%s/.aws/sso/cache/"
	    "e8be5486177c5b5392bd9aa76563515b29358e6e.json", home);
	write_file(want, "{\"accessToken\": \"" SSO_TOKEN "\", "
	    "\"expiresAt\": \"2030-01-01T00:00:00UTC\"}");
	write_sso_cache("old", "{\"accessToken\": \"" SSO_TOKEN "\", "
	    "\"expiresAt\": \"" PAST "\"}");
	write_sso_cache("dmg", "{not json");

	memset(&run, 0, sizeof run);
	run.explicit = "sso";
	resolve(&run, "sso session");
	is_int(run.rc, 0, "SSO with sso_session");
	is_int(run.f.sso, 1, "one GetRoleCredentials call");
	ok(run.f.sso_token_ok, "with the cached access token");
	is_str(run.f.sso_region, "eu-west-1", "in the session's sso_region");
	is_str(run.f.sso_account, "111122223333", "account");
	is_str(run.f.sso_role, "Dev", "role");
	is_str(run.r->creds->source, "SSO session corp (account "
	    "111122223333, role Dev)", "source");
	is_str(run.r->creds->account_id, "111122223333", "account id kept");
	is_int(run.r->used, CREDS_SRC_SSO, "SSO row used");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "ssolegacy";
	resolve(&run, "sso legacy");
	is_int(run.rc, 0, "legacy SSO profile");
	is_str(run.f.sso_region, "us-east-2", "legacy sso_region");
	is_str(run.r->creds->source, "SSO start URL "
	    "https://example.awsapps.com/start (account 444455556666, role "
	    "Legacy)", "legacy source");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "ssoexp";
	resolve(&run, "sso expired");
	is_int(run.rc, -1, "an expired SSO token fails");
	ok(strstr(run.e.message, "expired at 2020-01-01 00:00:00 UTC") !=
	    NULL && strstr(run.e.message, "`aws sso login --profile "
	    "ssoexp`") != NULL, "telling the user to log in: %s",
	    run.e.message);
	is_int(run.f.sso, 0, "without a network call");
	is_int(run.r->rows[CREDS_SRC_PROCESS].state, CREDS_SKIPPED,
	    "the chain stops: credential_process is not run");
	ok(strstr(detail(&run, CREDS_SRC_PROCESS), "not tried") != NULL,
	    "and says so");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "ssonone";
	resolve(&run, "sso no token");
	ok(run.rc == -1 && strstr(run.e.message, "no SSO login found") !=
	    NULL && strstr(run.e.message, "aws sso login --profile ssonone")
	    != NULL, "a missing token: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "ssodamaged";
	resolve(&run, "sso damaged");
	ok(run.rc == -1 && strstr(run.e.message, "damaged") != NULL &&
	    strstr(run.e.message, "aws sso login --profile ssodamaged") !=
	    NULL, "a damaged cache file: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "ssomissing";
	resolve(&run, "sso incomplete");
	ok(run.rc == -1 && strstr(run.e.message, "lacks sso_start_url, "
	    "sso_region, sso_role_name") != NULL, "missing settings listed: "
	    "%s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "ssonosess";
	resolve(&run, "sso no session");
	ok(run.rc == -1 && strstr(run.e.message, "no [sso-session "
	    "nothere]") != NULL, "a missing sso-session section: %s",
	    run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "ssoconflict";
	resolve(&run, "sso conflict");
	ok(run.rc == -1 && strstr(run.e.message, "sso_start_url differs") !=
	    NULL, "profile and session disagree: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "sso";
	run.offline = 1;
	resolve(&run, "sso offline");
	is_int(run.rc, -1, "offline, SSO cannot finish");
	is_int(run.r->rows[CREDS_SRC_SSO].state, CREDS_SKIPPED, "row skipped");
	ok(strstr(detail(&run, CREDS_SRC_SSO), "needs the network") != NULL,
	    "because it needs the network: %s", detail(&run, CREDS_SRC_SSO));
	is_int(run.e.kind, ERR_CREDENTIALS, "a credentials error");
	done(&run);
}

/* A killed orphan stays a zombie until PID 1 reaps it (not every PID 1
 * does, in containers): dead all the same. */
static int
is_zombie(long pid)
{
	char	 path[64], buf[256], *p;
	FILE	*f;
	size_t	 n;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' && p[2] == 'Z';
}

static int
pid_gone(const char *file)
{
	FILE	*f = fopen(file, "r");
	long	 pid = 0;
	int	 i;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	if (pid <= 0)
		return -1;
	for (i = 0; i < 100; i++) {
		if ((kill((pid_t)pid, 0) != 0 && errno == ESRCH) ||
		    is_zombie(pid))
			return 1;
		usleep(10000);
	}
	return 0;
}

static void
test_process(void)
{
	struct run	 run;
	struct timespec	 t0, t1;
	long		 ms;
	time_t		 t;

	memset(&run, 0, sizeof run);
	run.explicit = "proc";
	resolve(&run, "process");
	is_int(run.rc, 0, "credential_process output is used");
	is_str(run.r->creds->access_key_id, "AKIDPROC", "AccessKeyId");
	is_str(secret_reveal(run.r->creds->secret_access_key), PROC_SECRET,
	    "SecretAccessKey");
	is_str(secret_reveal(run.r->creds->session_token), PROC_TOKEN,
	    "SessionToken");
	creds_parse_time(FUTURE, &t);
	is_int(run.r->creds->expiration, t, "Expiration");
	is_str(run.r->creds->account_id, "123456789012", "AccountId");
	is_str(run.r->creds->source, "credential_process of profile proc",
	    "source");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "procfail";
	resolve(&run, "process fails");
	is_int(run.rc, -1, "a failing command fails the chain");
	ok(strstr(run.e.message, "exit status 3") != NULL &&
	    strstr(run.e.message, "'denied for ****'") != NULL,
	    "the message has the status and the last stderr line, masked: %s",
	    run.e.message);
	ok(strstr(run.e.where, "~/.aws/config line") != NULL,
	    "where: the config line");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "procsilent";
	resolve(&run, "process silent failure");
	ok(run.rc == -1 && strstr(run.e.message, "exit status 4 and printed "
	    "no message") != NULL, "%s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "procsignal";
	resolve(&run, "process killed");
	ok(run.rc == -1 && strstr(run.e.message, "signal 9") != NULL,
	    "a command killed by a signal: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "procgarbage";
	resolve(&run, "process garbage");
	ok(run.rc == -1 && strstr(run.e.message, "not a JSON object") !=
	    NULL, "garbage output: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "procempty";
	resolve(&run, "process empty");
	ok(run.rc == -1 && strstr(run.e.message, "printed nothing") != NULL,
	    "empty output: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "procv2";
	resolve(&run, "process version 2");
	ok(run.rc == -1 && strstr(run.e.message, "Version 2; only Version 1")
	    != NULL, "wrong version: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "procvstr";
	resolve(&run, "process version string");
	ok(run.rc == -1 && strstr(run.e.message, "not the number 1") != NULL,
	    "Version \"1\" (a string) is wrong, as in botocore: %s",
	    run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "procmissing";
	resolve(&run, "process missing field");
	ok(run.rc == -1 && strstr(run.e.message, "printed no "
	    "SecretAccessKey") != NULL, "missing field: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "procexpired";
	resolve(&run, "process expired");
	ok(run.rc == -1 && strstr(run.e.message, "expired at 2020-01-01") !=
	    NULL, "expired output: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "procbadtime";
	resolve(&run, "process bad time");
	ok(run.rc == -1 && strstr(run.e.message, "'tomorrow'") != NULL,
	    "a bad Expiration: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "procbig";
	resolve(&run, "process flood");
	ok(run.rc == -1 && run.e.kind == ERR_LIMIT, "endless output is cut "
	    "off: %s", run.e.message);
	done(&run);

	unlink(pidfile);
	unlink(pidfile2);
	memset(&run, 0, sizeof run);
	run.explicit = "prochang";
	run.timeout_ms = 400;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	resolve(&run, "process hangs");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (long)(t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	is_int(run.rc, -1, "a hanging command fails");
	is_int(run.e.kind, ERR_TIMEOUT, "with a timeout");
	ok(ms >= 350 && ms < 3000, "after about the timeout (%ld ms)", ms);
	ok(strstr(run.e.message, "did not finish within 0.4 seconds") != NULL,
	    "the message says so: %s", run.e.message);
	is_int(pid_gone(pidfile), 1, "the shell was killed");
	is_int(pid_gone(pidfile2), 1, "and its child in the same group");
	done(&run);
}

static void
test_container(void)
{
	char			 tf[400], v[500];
	const char *const	 rel[] = {
				    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI="
				    "/v2/credentials/abc",
				    "AWS_CONTAINER_AUTHORIZATION_TOKEN="
				    CONT_AUTH, NULL };
	const char *const	 filetok[] = {
				    "AWS_CONTAINER_CREDENTIALS_FULL_URI="
				    "http://169.254.170.23/v1/credentials",
				    "AWS_CONTAINER_AUTHORIZATION_TOKEN="
				    CONT_AUTH, v, NULL };
	static const struct {
		const char	*uri;
		int		 allowed;
	} uris[] = {
		{ "http://127.0.0.1:8080/creds", 1 },
		{ "http://127.1.2.3/creds", 1 },
		{ "http://localhost/creds", 1 },
		{ "http://[::1]:9/x", 1 },
		{ "http://169.254.170.2/x", 1 },
		{ "http://[fd00:ec2::23]/x", 1 },
		{ "https://creds.example.com/x", 1 },
		{ "http://creds.example.com/x", 0 },
		{ "http://user@creds.example.com/x", 0 },
		{ "http://169.254.170.3/x", 0 },
		{ "ftp://localhost/x", 0 },
	};
	const char	*vars[3];
	char		 full[300];
	struct run	 run;
	size_t		 i;

	memset(&run, 0, sizeof run);
	run.vars = rel;
	run.explicit = "empty";
	resolve(&run, "container relative");
	is_int(run.rc, 0, "container credentials");
	is_str(run.f.url, "http://169.254.170.2/v2/credentials/abc",
	    "relative URI on 169.254.170.2");
	is_str(run.f.auth, CONT_AUTH, "authorization token passed");
	is_str(run.r->creds->source, "container credentials", "source");
	is_int(run.r->used, CREDS_SRC_CONTAINER, "container row used");
	is_int(run.r->rows[CREDS_SRC_IMDS].state, CREDS_SKIPPED,
	    "IMDS not reached");
	done(&run);

	for (i = 0; i < sizeof uris / sizeof uris[0]; i++) {
		snprintf(full, sizeof full,
		    "AWS_CONTAINER_CREDENTIALS_FULL_URI=%s", uris[i].uri);
		vars[0] = full;
		vars[1] = NULL;
		memset(&run, 0, sizeof run);
		run.vars = vars;
		run.explicit = "empty";
		resolve(&run, uris[i].uri);
		is_int(run.rc, uris[i].allowed ? 0 : -1, "%s is %s",
		    uris[i].uri, uris[i].allowed ? "allowed" : "refused");
		if (uris[i].allowed)
			ok(!run.f.has_auth, "no authorization header unset");
		else
			ok(run.f.container == 0 && run.e.kind == ERR_CONFIG,
			    "refused before any request: %s", run.e.message);
		done(&run);
	}

	snprintf(tf, sizeof tf, "%s/cont-token", home);
	write_file(tf, CONT_FILEAUTH);
	snprintf(v, sizeof v, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=%s", tf);
	memset(&run, 0, sizeof run);
	run.vars = filetok;
	run.explicit = "empty";
	resolve(&run, "container token file");
	is_str(run.f.auth, CONT_FILEAUTH, "the token file wins over the "
	    "variable");
	done(&run);

	write_file(tf, CONT_FILEAUTH "\n");
	memset(&run, 0, sizeof run);
	run.vars = filetok;
	run.explicit = "empty";
	resolve(&run, "container token newline");
	ok(run.rc == -1 && strstr(run.e.message, "line break") != NULL &&
	    run.f.container == 0, "a token with a line break is refused: %s",
	    run.e.message);
	done(&run);

	unlink(tf);
	memset(&run, 0, sizeof run);
	run.vars = filetok;
	run.explicit = "empty";
	resolve(&run, "container token file missing");
	ok(run.rc == -1 && strstr(run.e.message, tf) != NULL,
	    "a missing token file is named: %s", run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = rel;
	run.explicit = "ecssrc";
	resolve(&run, "credential_source EcsContainer");
	is_int(run.rc, 0, "credential_source EcsContainer");
	is_str(run.f.src_akid[0], "ASIACONTAINER", "container creds sign "
	    "AssumeRole");
	done(&run);
}

static void
test_imds(void)
{
	const char *const	 off[] = { "AWS_EC2_METADATA_DISABLED=TRUE",
				    NULL };
	const char *const	 ep[] = { "AWS_EC2_METADATA_SERVICE_ENDPOINT="
				    "http://[fd00:ec2::254]/", NULL };
	const char *const	 v6[] = {
				    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE="
				    "IPv6", NULL };
	struct run		 run;

	memset(&run, 0, sizeof run);
	run.explicit = "empty";
	resolve(&run, "imds");
	is_int(run.rc, 0, "instance metadata is the last resort");
	is_str(run.f.imds_ep, "http://169.254.169.254", "default endpoint");
	is_str(run.r->creds->source, "EC2 instance metadata", "source");
	is_int(run.r->used, CREDS_SRC_IMDS, "IMDS row used");
	is_int(run.r->rows[CREDS_SRC_ENV].state, CREDS_NOT_CONFIGURED,
	    "env not configured");
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = ep;
	run.explicit = "empty";
	resolve(&run, "imds endpoint");
	is_str(run.f.imds_ep, "http://[fd00:ec2::254]", "endpoint from "
	    "AWS_EC2_METADATA_SERVICE_ENDPOINT, no trailing slash");
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = v6;
	run.explicit = "empty";
	resolve(&run, "imds v6");
	is_str(run.f.imds_ep, "http://[fd00:ec2::254]", "IPv6 mode");
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = off;
	run.explicit = "empty";
	resolve(&run, "imds disabled");
	is_int(run.rc, -1, "nothing left when IMDS is off");
	is_int(run.f.imds, 0, "IMDS not asked");
	is_int(run.r->rows[CREDS_SRC_IMDS].state, CREDS_SKIPPED, "row skipped");
	ok(strstr(detail(&run, CREDS_SRC_IMDS), "AWS_EC2_METADATA_DISABLED") !=
	    NULL, "and says why");
	ok(strstr(run.e.message, "no AWS credentials found for profile "
	    "empty") != NULL && strstr(run.e.message, "aws configure") !=
	    NULL, "the final message says how to set some up: %s",
	    run.e.message);
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "empty";
	run.f.imds_rc = 1;
	resolve(&run, "no imds");
	is_int(run.rc, -1, "no metadata service: no credentials");
	is_int(run.r->rows[CREDS_SRC_IMDS].state, CREDS_NOT_CONFIGURED,
	    "IMDS row: not configured");
	is_int(run.e.kind, ERR_CREDENTIALS, "a credentials error");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "imdssrc";
	resolve(&run, "credential_source Ec2InstanceMetadata");
	is_str(run.f.src_akid[0], "ASIAIMDS", "IMDS creds sign AssumeRole");
	done(&run);

	memset(&run, 0, sizeof run);
	run.explicit = "empty";
	run.offline = 1;
	resolve(&run, "imds offline");
	is_int(run.rc, -1, "offline: nothing");
	ok(strstr(detail(&run, CREDS_SRC_IMDS), "not checked") != NULL,
	    "IMDS not checked: %s", detail(&run, CREDS_SRC_IMDS));
	done(&run);
}

static void
test_bearer(void)
{
	const char *const	 vars[] = { "AWS_BEARER_TOKEN_BEDROCK=" BEARER,
				    NULL };
	const char *const	 bad[] = { "AWS_BEARER_TOKEN_BEDROCK=abc\ndef",
				    NULL };
	struct run		 run;

	memset(&run, 0, sizeof run);
	run.vars = vars;
	run.explicit = "dev";
	resolve(&run, "bearer");
	ok(run.r->bearer != NULL, "AWS_BEARER_TOKEN_BEDROCK is detected");
	is_str(secret_reveal(run.r->bearer), BEARER, "kept as a secret");
	is_int(run.r->rows[CREDS_SRC_BEARER].state, CREDS_USED,
	    "reported as the credential in use for Bedrock");
	ok(strstr(detail(&run, CREDS_SRC_BEARER), "instead of signing them "
	    "with profile dev") != NULL, "warning that it replaces the "
	    "profile: %s", detail(&run, CREDS_SRC_BEARER));
	ok(run.r->nwarnings >= 1, "and listed as a warning");
	is_int(run.rc, 0, "SigV4 credentials are still resolved");
	is_str(run.r->creds->access_key_id, "AKIDDEV", "for STS and IAM");
	done(&run);

	memset(&run, 0, sizeof run);
	run.vars = bad;
	run.explicit = "dev";
	resolve(&run, "bad bearer");
	ok(run.r->bearer == NULL && run.r->rows[CREDS_SRC_BEARER].state ==
	    CREDS_FAILED, "a token with a line break is refused");
	done(&run);
}

static int
rm_tree(const char *dir)
{
	char	 cmd[512];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

int
main(void)
{
	if (mkdtemp(home) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	setup();
	test_parse_time();
	test_env_keys();
	test_files();
	test_missing_profile();
	test_assume_role();
	test_web_identity();
	test_sso();
	test_process();
	test_container();
	test_imds();
	test_bearer();
	if (rm_tree(home) != 0)
		tap_diag("could not remove the temporary directory");
	return tap_done();
}
