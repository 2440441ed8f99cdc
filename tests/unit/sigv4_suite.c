/*
 * sigv4_suite.c: run the AWS SigV4 test suite against the signer.
 *
 * Usage: sigv4-suite [DIR]	(default: $srcdir/tests/vectors/sigv4)
 *
 * Every folder in DIR with a request.txt and a context.json is a case (see
 * DIR/README.md).  The case is signed in the Authorization header and in the
 * query string, and each expected file present (canonical request, string
 * to sign, signature, signed request) is one TAP check.  A case with no
 * expected files checks that signing succeeds and gives the same result
 * twice.  Prints TAP.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cJSON.h>

#include "buf.h"
#include "creds.h"
#include "err.h"
#include "hdr.h"
#include "sigv4.h"
#include "tap.h"
#include "xalloc.h"

#define FILE_MAX	(4u * 1024 * 1024)

struct vcase {
	char		*name;
	char		*dir;
	/* request.txt */
	char		*request_line;
	char		*method;
	char		*path;
	char		*query;		/* NULL when the target has no '?' */
	struct hdr_list	 headers;	/* values as written, after the ':' */
	char		*body;
	size_t		 body_len;
	int		 has_blank;	/* a blank line ended the headers */
	/* context.json */
	struct creds	*creds;
	char		*region;
	char		*service;
	time_t		 now;
	unsigned	 flags;
	long		 expires;
};

/* Read path into b; 0 if read, 1 if it does not exist, -1 on error. */
static int
read_file(const char *path, struct buf *b)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;
	int	 r = 0;

	buf_init(b, FILE_MAX);
	if ((f = fopen(path, "rb")) == NULL)
		return errno == ENOENT ? 1 : -1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_add(b, chunk, n) != 0) {
			r = -1;
			break;
		}
	if (ferror(f))
		r = -1;
	fclose(f);
	return r;
}

static char *
path_join(const char *dir, const char *name)
{
	struct buf	 b = BUF_INIT;

	buf_printf(&b, "%s/%s", dir, name);
	return buf_take(&b, NULL);
}

static void
flush_header(struct vcase *c, char **name, struct buf *value)
{
	if (*name == NULL)
		return;
	hdr_list_add(&c->headers, *name, buf_str(value));
	free(*name);
	*name = NULL;
	buf_reset(value);
}

/*
 * Parse request.txt as the suite's README describes it.  Header values are
 * kept as written after the ':'; an obs-fold continuation line is kept after
 * a line break in the value (the signer folds it to one space).
 */
static int
parse_request(struct vcase *c, const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *eol, *sp1, *sp2, *colon;
	const char	*target, *q;
	char		*name = NULL;
	struct buf	 value;
	int		 r = -1;

	if ((eol = memchr(p, '\n', len)) == NULL)
		return -1;
	c->request_line = xstrndup(p, (size_t)(eol - p));
	sp1 = strchr(c->request_line, ' ');
	sp2 = strrchr(c->request_line, ' ');
	if (sp1 == NULL || sp2 == sp1)
		return -1;
	c->method = xstrndup(c->request_line, (size_t)(sp1 - c->request_line));
	target = sp1 + 1;
	q = memchr(target, '?', (size_t)(sp2 - target));
	if (q != NULL) {
		c->path = xstrndup(target, (size_t)(q - target));
		c->query = xstrndup(q + 1, (size_t)(sp2 - q - 1));
	} else
		c->path = xstrndup(target, (size_t)(sp2 - target));

	hdr_list_init(&c->headers);
	buf_init(&value, FILE_MAX);
	for (p = eol + 1; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (eol == p) {
			c->has_blank = 1;
			p = eol + 1;
			break;
		}
		if (*p == ' ' || *p == '\t') {
			if (name == NULL)
				goto out;
			buf_addc(&value, '\n');
			buf_add(&value, p, (size_t)(eol - p));
			continue;
		}
		flush_header(c, &name, &value);
		if ((colon = memchr(p, ':', (size_t)(eol - p))) == NULL)
			goto out;
		name = xstrndup(p, (size_t)(colon - p));
		buf_add(&value, colon + 1, (size_t)(eol - colon - 1));
	}
	flush_header(c, &name, &value);
	if (p > end)
		p = end;
	c->body_len = (size_t)(end - p);
	c->body = xmalloc(c->body_len + 1);
	memcpy(c->body, p, c->body_len);
	c->body[c->body_len] = '\0';
	r = 0;
out:
	free(name);
	buf_free(&value);
	return r;
}

static int
json_bool(const cJSON *o, const char *key, int dflt)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	return dflt;
}

static const char *
json_str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
parse_context(struct vcase *c, const char *text)
{
	cJSON		*root, *cr, *exp;
	const char	*ts, *akid, *secret;
	struct tm	 tm;
	int		 r = -1;

	if ((root = cJSON_Parse(text)) == NULL)
		return -1;
	cr = cJSON_GetObjectItemCaseSensitive(root, "credentials");
	akid = json_str(cr, "access_key_id");
	secret = json_str(cr, "secret_access_key");
	ts = json_str(root, "timestamp");
	if (akid == NULL || secret == NULL || ts == NULL ||
	    json_str(root, "region") == NULL ||
	    json_str(root, "service") == NULL)
		goto out;
	c->creds = creds_new(akid, secret, json_str(cr, "token"),
	    "test vector");
	c->region = xstrdup(json_str(root, "region"));
	c->service = xstrdup(json_str(root, "service"));
	memset(&tm, 0, sizeof tm);
	if (sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		goto out;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	c->now = timegm(&tm);
	c->flags = SIGV4_SIGN_ALL_HEADERS | SIGV4_KEEP_CANONICAL;
	if (!json_bool(root, "normalize", 1))
		c->flags |= SIGV4_NO_NORMALIZE;
	if (!json_bool(root, "double_uri_encode", 1))
		c->flags |= SIGV4_NO_DOUBLE_ENCODE;
	if (json_bool(root, "sign_body", 0))
		c->flags |= SIGV4_SIGN_BODY;
	if (json_bool(root, "omit_session_token", 0))
		c->flags |= SIGV4_OMIT_SESSION_TOKEN;
	exp = cJSON_GetObjectItemCaseSensitive(root, "expiration_in_seconds");
	c->expires = cJSON_IsNumber(exp) ? (long)exp->valuedouble : 0;
	r = 0;
out:
	cJSON_Delete(root);
	return r;
}

static void
vcase_free(struct vcase *c)
{
	free(c->name);
	free(c->dir);
	free(c->request_line);
	free(c->method);
	free(c->path);
	free(c->query);
	hdr_list_free(&c->headers);
	free(c->body);
	creds_free(c->creds);
	free(c->region);
	free(c->service);
}

/* Print s as TAP diagnostics, one "# " line per line. */
static void
diag_text(const char *label, const char *s)
{
	const char	*eol;

	printf("#   %s:\n", label);
	for (;;) {
		eol = strchr(s, '\n');
		printf("#     |%.*s\n", eol ? (int)(eol - s) : (int)strlen(s),
		    s);
		if (eol == NULL)
			break;
		s = eol + 1;
	}
}

/* One check: got equals the file want_file in the case folder. */
static void
check_file(const struct vcase *c, const char *file, const char *what,
    const char *got, size_t got_len)
{
	struct buf	 want;
	char		*path = path_join(c->dir, file);
	int		 r = read_file(path, &want);

	free(path);
	if (r == 1) {
		buf_free(&want);
		return;
	}
	if (!ok(r == 0 && want.len == got_len &&
	    memcmp(buf_str(&want), got, got_len) == 0, "%s: %s", c->name,
	    what)) {
		diag_text("got", got);
		diag_text("want", buf_str(&want));
	}
	buf_free(&want);
}

static void
put_headers(struct buf *b, const struct hdr_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		buf_printf(b, "%s:%s\n", l->v[i].name, l->v[i].value);
}

static int
sign_case(struct sigv4_signer *s, const struct vcase *c, int presign,
    struct sigv4_out *out, struct err *err)
{
	struct sigv4_request	 req;
	struct sigv4_params	 p;

	memset(&req, 0, sizeof req);
	req.method = c->method;
	req.path = c->path;
	req.query = c->query;
	req.headers = &c->headers;
	req.body = c->body;
	req.body_len = c->body_len;
	memset(&p, 0, sizeof p);
	p.region = c->region;
	p.service = c->service;
	p.creds = c->creds;
	p.now = c->now;
	p.flags = c->flags;
	p.expires = c->expires;
	return presign ? sigv4_presign(s, &req, &p, out, err) :
	    sigv4_sign(s, &req, &p, out, err);
}

static void
run_header(struct sigv4_signer *s, const struct vcase *c)
{
	struct sigv4_out	 out;
	struct hdr_list		 all = HDR_LIST_INIT;
	struct buf		 b = BUF_INIT;
	struct err		 err;

	err_clear(&err);
	sigv4_out_init(&out);
	if (!ok(sign_case(s, c, 0, &out, &err) == 0, "%s: header signing",
	    c->name)) {
		printf("#   error: %s\n", err.message);
		sigv4_out_free(&out);
		return;
	}
	check_file(c, "header-canonical-request.txt", "header canonical "
	    "request", buf_str(&out.canonical_request),
	    out.canonical_request.len);
	check_file(c, "header-string-to-sign.txt", "header string to sign",
	    buf_str(&out.string_to_sign), out.string_to_sign.len);
	check_file(c, "header-signature.txt", "header signature",
	    out.signature, strlen(out.signature));

	hdr_list_copy(&all, &c->headers);
	sigv4_out_headers(&out, &all);
	buf_printf(&b, "%s\n", c->request_line);
	put_headers(&b, &all);
	buf_addc(&b, '\n');
	buf_add(&b, c->body, c->body_len);
	check_file(c, "header-signed-request.txt", "header signed request",
	    buf_str(&b), b.len);
	buf_free(&b);
	hdr_list_free(&all);
	sigv4_out_free(&out);
}

static void
run_query(struct sigv4_signer *s, const struct vcase *c)
{
	struct sigv4_out	 out;
	struct buf		 b = BUF_INIT;
	struct err		 err;

	err_clear(&err);
	sigv4_out_init(&out);
	if (!ok(sign_case(s, c, 1, &out, &err) == 0, "%s: query signing",
	    c->name)) {
		printf("#   error: %s\n", err.message);
		sigv4_out_free(&out);
		return;
	}
	check_file(c, "query-canonical-request.txt", "query canonical request",
	    buf_str(&out.canonical_request), out.canonical_request.len);
	check_file(c, "query-string-to-sign.txt", "query string to sign",
	    buf_str(&out.string_to_sign), out.string_to_sign.len);
	check_file(c, "query-signature.txt", "query signature",
	    out.signature, strlen(out.signature));

	buf_printf(&b, "%s %s?", c->method, c->path);
	if (c->query != NULL && c->query[0] != '\0')
		buf_printf(&b, "%s&", c->query);
	buf_printf(&b, "%s%s\n", buf_str(&out.query), strrchr(c->request_line,
	    ' '));
	put_headers(&b, &c->headers);
	buf_addc(&b, '\n');
	buf_add(&b, c->body, c->body_len);
	check_file(c, "query-signed-request.txt", "query signed request",
	    buf_str(&b), b.len);
	buf_free(&b);
	sigv4_out_free(&out);
}

/* No expected values: signing must work and give the same answer twice. */
static void
run_stable(struct sigv4_signer *s, const struct vcase *c, int presign)
{
	struct sigv4_out	 a, b;
	struct err		 err;
	int			 ra, rb;

	err_clear(&err);
	sigv4_out_init(&a);
	sigv4_out_init(&b);
	ra = sign_case(s, c, presign, &a, &err);
	rb = sign_case(s, c, presign, &b, &err);
	if (!ok(ra == 0 && rb == 0 && strlen(a.signature) == 64 &&
	    strcmp(a.signature, b.signature) == 0 &&
	    strcmp(buf_str(&a.canonical_request),
	    buf_str(&b.canonical_request)) == 0,
	    "%s: %s signing succeeds and is stable", c->name,
	    presign ? "query" : "header"))
		printf("#   error: %s\n", err.message);
	else
		diag_text("canonical request", buf_str(&a.canonical_request));
	sigv4_out_free(&a);
	sigv4_out_free(&b);
}

static int
has_expected(const struct vcase *c)
{
	static const char *const files[] = {
		"header-canonical-request.txt", "header-string-to-sign.txt",
		"header-signature.txt", "header-signed-request.txt",
		"query-canonical-request.txt", "query-string-to-sign.txt",
		"query-signature.txt", "query-signed-request.txt",
	};
	struct stat	 st;
	char		*p;
	size_t		 i;
	int		 found = 0;

	for (i = 0; i < sizeof files / sizeof *files; i++) {
		p = path_join(c->dir, files[i]);
		if (stat(p, &st) == 0)
			found = 1;
		free(p);
	}
	return found;
}

static void
run_case(struct sigv4_signer *s, const char *dir, const char *name)
{
	struct vcase	 c;
	struct buf	 req, ctx;
	char		*p;
	int		 r1, r2;

	memset(&c, 0, sizeof c);
	c.name = xstrdup(name);
	c.dir = path_join(dir, name);
	p = path_join(c.dir, "request.txt");
	r1 = read_file(p, &req);
	free(p);
	p = path_join(c.dir, "context.json");
	r2 = read_file(p, &ctx);
	free(p);
	if (r1 == 1 && r2 == 1)
		goto out;	/* not a case folder */
	if (!ok(r1 == 0 && r2 == 0 && parse_request(&c, req.data,
	    req.len) == 0 && parse_context(&c, buf_str(&ctx)) == 0,
	    "%s: request.txt and context.json parse", name))
		goto out;
	if (has_expected(&c)) {
		run_header(s, &c);
		run_query(s, &c);
	} else {
		run_stable(s, &c, 0);
		run_stable(s, &c, 1);
	}
out:
	buf_free(&req);
	buf_free(&ctx);
	vcase_free(&c);
}

static int
is_dir(const char *dir, const char *name)
{
	struct stat	 st;
	char		*p = path_join(dir, name);
	int		 r = stat(p, &st) == 0 && S_ISDIR(st.st_mode);

	free(p);
	return r;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	struct sigv4_signer	*s;
	struct buf		 dflt = BUF_INIT;
	struct dirent		*de;
	const char		*dir, *srcdir;
	char			**names = NULL;
	size_t			 n = 0, i;
	DIR			*d;

	if (argc > 1)
		dir = argv[1];
	else {
		srcdir = getenv("srcdir");
		buf_printf(&dflt, "%s/tests/vectors/sigv4",
		    srcdir != NULL ? srcdir : ".");
		dir = buf_str(&dflt);
	}
	if ((d = opendir(dir)) == NULL) {
		printf("Bail out! cannot open %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !is_dir(dir, de->d_name))
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, name_cmp);

	s = sigv4_signer_new();
	for (i = 0; i < n; i++) {
		run_case(s, dir, names[i]);
		free(names[i]);
	}
	free(names);
	ok(tap_n > 30, "the suite in %s has cases (%d checks)", dir, tap_n);
	sigv4_signer_free(s);
	buf_free(&dflt);
	return tap_done();
}
