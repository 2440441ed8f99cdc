/*
 * test_ini.c: the AWS config file dialect: sections, keys, comments,
 * sub-sections, continuations, every malformed-line message, and loading
 * files that are missing, unreadable or too big.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "ini.h"
#include "tap.h"

static char	 tmpdir[] = "/tmp/bs-test-ini-XXXXXX";

static struct ini *
parse(const char *text, struct err *e)
{
	err_clear(e);
	return ini_parse(text, strlen(text), "~/.aws/config", e);
}

static void
test_basic(void)
{
	struct err			 e;
	struct ini			*ini;
	const struct ini_section	*sec;
	const struct ini_entry		*en;

	ini = parse("\xef\xbb\xbf# a comment\n"
	    "; another comment\n"
	    "[default]\r\n"
	    "region = eu-west-1\r\n"
	    "Output=json\n"
	    "\n"
	    "   # an indented comment\n"
	    "[profile dev]\n"
	    "  aws_access_key_id   =   AKIDDEV  \n"
	    "sso_start_url: https://x.awsapps.com/start#/\n"
	    "empty =\n"
	    "[profile prod] ; comment after the header\n"
	    "region=us-east-2\n", &e);
	ok(ini != NULL, "a well-formed file parses");
	if (ini == NULL) {
		tap_diag(e.message);
		return;
	}
	is_int(ini->n, 3, "three sections");
	is_int(ini->nwarnings, 0, "no warnings");
	sec = ini_section(ini, "default");
	is_str(ini_get(sec, "region"), "eu-west-1", "CRLF stripped");
	is_str(ini_get(sec, "output"), "json", "key names are lower-cased");
	is_str(ini_get(sec, "OUTPUT"), "json", "look-ups ignore case");
	sec = ini_section(ini, "profile dev");
	ok(sec != NULL, "section [profile dev] found");
	is_str(ini_get(sec, "aws_access_key_id"), "AKIDDEV",
	    "indented first key is a key; value trimmed");
	is_str(ini_get(sec, "sso_start_url"), "https://x.awsapps.com/start#/",
	    "':' works as a delimiter and '#' inside a value is kept");
	is_str(ini_get(sec, "empty"), "", "empty value");
	en = ini_entry(sec, "sso_start_url");
	is_int(en != NULL ? en->line : 0, 10, "entry line numbers count "
	    "every line");
	ok(ini_section(ini, "profile prod") != NULL,
	    "a comment after ']' is allowed");
	ok(ini_section(ini, "profile nope") == NULL, "unknown section: NULL");
	ok(ini_get(NULL, "x") == NULL, "ini_get on NULL section");
	ini_free(ini);
}

static void
test_subsections(void)
{
	struct err			 e;
	struct ini			*ini;
	const struct ini_section	*sec;
	const struct ini_entry		*en;

	ini = parse("[services local]\n"
	    "bedrock_runtime =\n"
	    "  endpoint_url = http://localhost:4566\n"
	    "  # a comment inside\n"
	    "\n"
	    "  Signature_Version = v4\n"
	    "sts =\n"
	    "\tendpoint_url = http://localhost:4567\n"
	    "[default]\n"
	    "credential_process = /bin/get-creds\n"
	    "   --profile=x\n"
	    "region = us-east-1 # main\n", &e);
	ok(ini != NULL, "sub-sections parse");
	if (ini == NULL) {
		tap_diag(e.message);
		return;
	}
	sec = ini_section(ini, "services local");
	en = ini_entry(sec, "bedrock_runtime");
	ok(en != NULL && *en->value == '\0', "sub-section head has an empty "
	    "value");
	is_int(en != NULL ? en->nsub : 0, 2, "two keys under the head");
	is_str(ini_sub_get(en, "endpoint_url"), "http://localhost:4566",
	    "sub-section value");
	is_str(ini_sub_get(en, "signature_version"), "v4",
	    "sub-section survives blank and comment lines; keys any case");
	is_str(ini_sub_get(ini_entry(sec, "sts"), "endpoint_url"),
	    "http://localhost:4567", "tab indentation works too");
	sec = ini_section(ini, "default");
	is_str(ini_get(sec, "credential_process"),
	    "/bin/get-creds\n--profile=x",
	    "an indented line under a value continues it");
	is_str(ini_get(sec, "region"), "us-east-1 # main",
	    "text after a value is kept, as the AWS CLI keeps it");
	is_int(ini->nwarnings, 2, "two warnings: continuation, comment");
	if (ini->nwarnings == 2) {
		ok(strstr(ini->warnings[0], "~/.aws/config line 11") != NULL &&
		    strstr(ini->warnings[0], "continues") != NULL,
		    "continuation warning names file and line");
		ok(strstr(ini->warnings[1], "line 12") != NULL &&
		    strstr(ini->warnings[1], "'#'") != NULL,
		    "inline comment warning names the line");
	}
	ini_free(ini);
}

struct bad {
	const char	*text;
	int		 line;
	const char	*want;
};

static void
test_malformed(void)
{
	static const struct bad	 bad[] = {
		{ "[default]\nregion = x\nthis line is wrong\n", 3,
		  "expected 'key = value' or '[section]'; found 'this line "
		  "is wrong'" },
		{ "region = us-east-1\n", 1, "is outside any section" },
		{ "[profile dev\nregion = x\n", 1, "no closing ']'" },
		{ "[ ]\n", 1, "section name is empty" },
		{ "[a]\nx=1\n[b]\n[a]\n", 4, "[a] appears again (first at "
		  "line 1)" },
		{ "[a]\nregion=1\nRegion = 2\n", 3, "'region' is set again in "
		  "[a] (first at line 2)" },
		{ "[a]\n= value\n", 2, "expected a name before '='" },
		{ "[services x]\ns3 =\n  no equals sign here\n", 3,
		  "expected 'key = value' under 's3'" },
	};
	struct err	 e;
	struct ini	*ini;
	char		 where[64];
	size_t		 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ini = parse(bad[i].text, &e);
		ok(ini == NULL, "malformed input %zu is rejected", i);
		ini_free(ini);
		snprintf(where, sizeof where, "~/.aws/config line %d",
		    bad[i].line);
		is_str(e.where, where, "error %zu names file and line", i);
		ok(strncmp(e.message, where, strlen(where)) == 0 &&
		    strstr(e.message, bad[i].want) != NULL,
		    "error %zu says what is wrong", i);
		if (strstr(e.message, bad[i].want) == NULL)
			tap_diag(e.message);
		is_int(e.kind, ERR_CONFIG, "error %zu is a config error", i);
	}

	ini = ini_parse("[a]\nx=1\0\n", 9, "f", &e);
	ok(ini == NULL && strstr(e.message, "NUL byte") != NULL,
	    "a NUL byte is rejected");
	ini_free(ini);
}

static void
test_no_secret_echo(void)
{
	static const char	 secret[] =
	    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzz9EXAMPLEKEY";
	struct err		 e;
	struct ini		*ini;
	char			 text[256], ex[96];

	snprintf(text, sizeof text, "[dev]\naws_access_key_id = AKID\n%s\n",
	    secret);
	ini = parse(text, &e);
	ok(ini == NULL, "a pasted key on its own line is an error");
	ini_free(ini);
	ok(strstr(e.message, "wJalrXUtnFEMI") == NULL &&
	    strstr(e.message, "EXAMPLEKEY") == NULL &&
	    strstr(e.message, "****") != NULL,
	    "the message masks the pasted key");

	snprintf(text, sizeof text, "%s = 1\n", secret);
	ini = parse(text, &e);
	ok(ini == NULL && strstr(e.message, "outside any section") != NULL &&
	    strstr(e.message, "wJalrXUtnFEMI") == NULL,
	    "a key-like name outside a section is masked too");
	ini_free(ini);

	ini_excerpt("short words stay", 16, ex, sizeof ex);
	is_str(ex, "'short words stay'", "short text is shown as is");
	ini_excerpt("abc\tdef", 7, ex, sizeof ex);
	is_str(ex, "'abc?def'", "control characters become '?'");
	ini_excerpt("0123456789012345678", 19, ex, sizeof ex);
	is_str(ex, "'0123456789012345678'", "19 key characters are shown");
	ini_excerpt("01234567890123456789", 20, ex, sizeof ex);
	is_str(ex, "'****'", "20 key characters are masked");
	ini_excerpt("aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk "
	    "llll mmmm", 64, ex, sizeof ex);
	ok(strlen(ex) < 70 && strstr(ex, "...'") != NULL,
	    "long text is cut with '...'");
}

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE	*f = fopen(path, "w");

	if (f == NULL)
		return;
	fwrite(text, 1, len, f);
	fclose(f);
}

/*
 * ini_load(path) in a child that dropped to uid 65534: 0 when it failed
 * (its message in msg), 2 when it loaded, 3 when the child could not
 * drop its privileges.
 */
static int
load_as_nobody(const char *path, char *msg, size_t size)
{
	struct err	 e;
	struct ini	*ini;
	int		 p[2], st;
	pid_t		 pid;
	ssize_t		 n;

	msg[0] = '\0';
	if (pipe(p) != 0)
		return 3;
	if ((pid = fork()) < 0)
		return 3;
	if (pid == 0) {
		close(p[0]);
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(3);
		err_clear(&e);
		if ((ini = ini_load(path, "~/.aws/config", &e)) != NULL)
			_exit(2);
		if (write(p[1], e.message, strlen(e.message)) < 0)
			_exit(4);
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], msg, size - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(p[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void
test_load(void)
{
	struct err	 e;
	struct ini	*ini;
	char		 path[256], msg[512], *big;
	size_t		 n;
	int		 rc;

	snprintf(path, sizeof path, "%s/none", tmpdir);
	err_clear(&e);
	ini = ini_load(path, "~/.aws/config", &e);
	ok(ini != NULL && ini->missing && ini->n == 0,
	    "a missing file is an empty ini, not an error");
	ini_free(ini);

	snprintf(path, sizeof path, "%s/config", tmpdir);
	write_file(path, "[default]\nregion = ap-south-2\n", 30);
	ini = ini_load(path, "~/.aws/config", &e);
	ok(ini != NULL && !ini->missing, "an existing file loads");
	is_str(ini_get(ini_section(ini, "default"), "region"), "ap-south-2",
	    "and holds its values");
	is_str(ini != NULL ? ini->name : NULL, "~/.aws/config",
	    "the ini keeps the name for messages");
	ini_free(ini);

	err_clear(&e);
	ini = ini_load(tmpdir, "~/.aws", &e);
	ok(ini == NULL, "a directory cannot be loaded");
	ok(strstr(e.message, "cannot read ~/.aws") != NULL &&
	    strstr(e.message, "directory") != NULL, "the message names it: %s",
	    e.message);
	is_int(e.kind, ERR_IO, "an I/O error");
	is_str(e.where, tmpdir, "where holds the full path");

	if (geteuid() == 0) {
		/* Root reads anything: a child that is uid 65534 cannot. */
		chmod(tmpdir, 0711);
		chmod(path, 0);
		rc = load_as_nobody(path, msg, sizeof msg);
		chmod(path, 0600);
		chmod(tmpdir, 0700);
		if (rc == 3) {
			tap_skip("could not become uid 65534 to make a file "
			    "unreadable");
			tap_skip("could not become uid 65534");
		} else {
			ok(rc == 0, "an unreadable file is an error (as uid "
			    "65534)");
			ok(strstr(msg, "~/.aws/config") != NULL &&
			    strstr(msg, strerror(EACCES)) != NULL,
			    "naming the file and the reason: %s", msg);
		}
	} else {
		chmod(path, 0);
		err_clear(&e);
		ini = ini_load(path, "~/.aws/config", &e);
		ok(ini == NULL, "an unreadable file is an error");
		ok(strstr(e.message, "~/.aws/config") != NULL &&
		    strstr(e.message, strerror(EACCES)) != NULL,
		    "naming the file and the reason: %s", e.message);
		chmod(path, 0600);
	}

	n = INI_MAX_FILE + 10;
	big = malloc(n);
	memset(big, '#', n);
	big[n - 1] = '\n';
	write_file(path, big, n);
	free(big);
	err_clear(&e);
	ini = ini_load(path, "~/.aws/config", &e);
	ok(ini == NULL && e.kind == ERR_LIMIT, "a file over the cap is "
	    "refused");
	ini_free(ini);
	unlink(path);
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_basic();
	test_subsections();
	test_malformed();
	test_no_secret_echo();
	test_load();
	rmdir(tmpdir);
	return tap_done();
}
