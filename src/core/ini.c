/*
 * ini.c: parser for the AWS shared config and credentials files (see ini.h).
 *
 * One pass over the lines.  The current section and the last key seen in it
 * decide what an indented line means: a sub-section line when that key has
 * an empty value, otherwise more of its value.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "ini.h"
#include "xalloc.h"

#define EXCERPT_SIZE	96

struct parser {
	struct ini	*ini;
	const char	*name;
	int		 line;
	long		 sec;		/* index of the current section, or -1 */
	long		 ent;		/* index of its last entry, or -1 */
	size_t		 ent_indent;
	struct err	*e;
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_keyish(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '/' || c == '+' || c == '=';
}

char *
ini_excerpt(const char *s, size_t len, char *out, size_t outsz)
{
	struct buf	 b;
	size_t		 i, run, shown = 0;
	int		 cut = 0;
	char		*text;

	buf_init(&b, 0);
	buf_addc(&b, '\'');
	for (i = 0; i < len; i += run) {
		for (run = 0; i + run < len &&
		    is_keyish((unsigned char)s[i + run]); run++)
			;
		if (run >= 20) {
			buf_addstr(&b, "****");
			shown += 4;
			continue;
		}
		if (run == 0)
			run = 1;
		if (shown + run > 60) {
			cut = 1;
			break;
		}
		for (size_t k = 0; k < run; k++) {
			unsigned char c = (unsigned char)s[i + k];
			buf_addc(&b, c < 0x20 || c >= 0x7f ? '?' : (char)c);
		}
		shown += run;
	}
	if (cut)
		buf_addstr(&b, "...");
	buf_addc(&b, '\'');
	text = buf_take(&b, NULL);
	snprintf(out, outsz, "%s", text);
	free(text);
	return out;
}

/* ini_excerpt() without the quotes, for a name shown inside brackets. */
static char *
bare_excerpt(const char *s, char *out, size_t outsz)
{
	size_t	 len;

	ini_excerpt(s, strlen(s), out, outsz);
	len = strlen(out);
	if (len >= 2) {
		memmove(out, out + 1, len - 2);
		out[len - 2] = '\0';
	}
	return out;
}

static char *
trimmed_dup(const char *s, size_t len)
{
	while (len > 0 && is_blank(*s)) {
		s++;
		len--;
	}
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	return xstrndup(s, len);
}

static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static void
add_warning(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add_warning(struct parser *p, const char *fmt, ...)
{
	struct buf	 b;
	va_list		 ap;
	struct ini	*ini = p->ini;

	buf_init(&b, 4096);
	buf_printf(&b, "%s line %d: ", p->name, p->line);
	va_start(ap, fmt);
	buf_vprintf(&b, core_tr(fmt), ap);
	va_end(ap);
	ini->warnings = xreallocarray(ini->warnings, ini->nwarnings + 1,
	    sizeof *ini->warnings);
	ini->warnings[ini->nwarnings++] = buf_take(&b, NULL);
}

static void
entry_free(struct ini_entry *en)
{
	size_t	 i;

	for (i = 0; i < en->nsub; i++)
		entry_free(&en->sub[i]);
	free(en->sub);
	free(en->key);
	if (en->value != NULL) {
		explicit_bzero(en->value, strlen(en->value));
		free(en->value);
	}
}

void
ini_free(struct ini *ini)
{
	size_t	 i, j;

	if (ini == NULL)
		return;
	for (i = 0; i < ini->n; i++) {
		for (j = 0; j < ini->v[i].n; j++)
			entry_free(&ini->v[i].v[j]);
		free(ini->v[i].v);
		free(ini->v[i].name);
	}
	free(ini->v);
	for (i = 0; i < ini->nwarnings; i++)
		free(ini->warnings[i]);
	free(ini->warnings);
	free(ini->name);
	free(ini);
}

static struct ini_entry *
push_entry(struct ini_entry **v, size_t *n, char *key, char *value, int line)
{
	struct ini_entry	*en;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	en = &(*v)[(*n)++];
	memset(en, 0, sizeof *en);
	en->key = key;
	en->value = value;
	en->line = line;
	return en;
}

static void
check_inline_comment(struct parser *p, const char *key, const char *value)
{
	const char	*c;
	char		 ex[EXCERPT_SIZE];

	for (c = value; *c != '\0'; c++) {
		if ((*c == '#' || *c == ';') && c > value && is_blank(c[-1])) {
			add_warning(p, N_("the value of %s has '%c' after a "
			    "space; the AWS CLI keeps that text as part of the "
			    "value (put comments on their own line)"),
			    ini_excerpt(key, strlen(key), ex, sizeof ex), *c);
			return;
		}
	}
}

static int
parse_header(struct parser *p, const char *t, size_t len)
{
	struct ini		*ini = p->ini;
	struct ini_section	*sec;
	const char		*close = NULL, *c;
	char			*name;
	char			 ex[EXCERPT_SIZE];
	size_t			 i;

	for (c = t; c < t + len; c++)
		if (*c == ']')
			close = c;
	if (close == NULL) {
		err_set(p->e, ERR_CONFIG, N_("%s line %d: the section header "
		    "has no closing ']'; found %s"), p->name, p->line,
		    ini_excerpt(t, len, ex, sizeof ex));
		return -1;
	}
	name = trimmed_dup(t + 1, (size_t)(close - t - 1));
	if (*name == '\0') {
		free(name);
		err_set(p->e, ERR_CONFIG, N_("%s line %d: the section name is "
		    "empty; write a name, as in [default]"), p->name, p->line);
		return -1;
	}
	for (c = close + 1; c < t + len && is_blank(*c); c++)
		;
	if (c < t + len && *c != '#' && *c != ';')
		add_warning(p, N_("the text after ']' is ignored"));
	for (i = 0; i < ini->n; i++) {
		if (strcmp(ini->v[i].name, name) == 0) {
			err_set(p->e, ERR_CONFIG, N_("%s line %d: [%s] appears "
			    "again (first at line %d); merge the two sections "
			    "into one"), p->name, p->line,
			    bare_excerpt(name, ex, sizeof ex), ini->v[i].line);
			free(name);
			return -1;
		}
	}
	ini->v = xreallocarray(ini->v, ini->n + 1, sizeof *ini->v);
	sec = &ini->v[ini->n];
	memset(sec, 0, sizeof *sec);
	sec->name = name;
	sec->line = p->line;
	p->sec = (long)ini->n++;
	p->ent = -1;
	return 0;
}

/* An indented "key = value" under a sub-section head. */
static int
parse_sub(struct parser *p, struct ini_entry *head, const char *t,
    size_t len)
{
	const char	*eq = memchr(t, '=', len);
	char		*key;
	char		 ex[EXCERPT_SIZE], ex2[EXCERPT_SIZE];

	if (eq == NULL) {
		err_set(p->e, ERR_CONFIG, N_("%s line %d: expected 'key = "
		    "value' under %s; found %s"), p->name, p->line,
		    ini_excerpt(head->key, strlen(head->key), ex, sizeof ex),
		    ini_excerpt(t, len, ex2, sizeof ex2));
		return -1;
	}
	key = trimmed_dup(t, (size_t)(eq - t));
	if (*key == '\0') {
		free(key);
		err_set(p->e, ERR_CONFIG, N_("%s line %d: expected a name "
		    "before '='; found %s"), p->name, p->line,
		    ini_excerpt(t, len, ex, sizeof ex));
		return -1;
	}
	lower(key);
	push_entry(&head->sub, &head->nsub, key,
	    trimmed_dup(eq + 1, len - (size_t)(eq + 1 - t)), p->line);
	return 0;
}

static void
continue_value(struct parser *p, struct ini_entry *en, const char *t,
    size_t len)
{
	struct buf	 b;
	char		 ex[EXCERPT_SIZE];

	add_warning(p, N_("this indented line continues the value of %s "
	    "from line %d; remove the indentation if it is a setting of its "
	    "own"), ini_excerpt(en->key, strlen(en->key), ex, sizeof ex),
	    en->line);
	buf_init(&b, 0);
	buf_addstr(&b, en->value);
	buf_addc(&b, '\n');
	buf_add(&b, t, len);
	explicit_bzero(en->value, strlen(en->value));
	free(en->value);
	en->value = buf_take(&b, NULL);
}

static int
parse_key(struct parser *p, const char *t, size_t len, size_t indent)
{
	struct ini_section	*sec;
	const char		*d;
	char			*key, *value;
	char			 ex[EXCERPT_SIZE], ex2[EXCERPT_SIZE];
	size_t			 i;

	for (d = t; d < t + len && *d != '=' && *d != ':'; d++)
		;
	if (d == t + len) {
		err_set(p->e, ERR_CONFIG, N_("%s line %d: expected 'key = "
		    "value' or '[section]'; found %s"), p->name, p->line,
		    ini_excerpt(t, len, ex, sizeof ex));
		return -1;
	}
	key = trimmed_dup(t, (size_t)(d - t));
	if (*key == '\0') {
		free(key);
		err_set(p->e, ERR_CONFIG, N_("%s line %d: expected a name "
		    "before '%c'; found %s"), p->name, p->line, *d,
		    ini_excerpt(t, len, ex, sizeof ex));
		return -1;
	}
	lower(key);
	if (p->sec < 0) {
		err_set(p->e, ERR_CONFIG, N_("%s line %d: %s is outside any "
		    "section; put it below a header such as [default]"),
		    p->name, p->line, ini_excerpt(key, strlen(key), ex,
		    sizeof ex));
		free(key);
		return -1;
	}
	sec = &p->ini->v[p->sec];
	for (i = 0; i < sec->n; i++) {
		if (strcmp(sec->v[i].key, key) == 0) {
			err_set(p->e, ERR_CONFIG, N_("%s line %d: %s is set "
			    "again in [%s] (first at line %d); keep only one"),
			    p->name, p->line,
			    ini_excerpt(key, strlen(key), ex, sizeof ex),
			    bare_excerpt(sec->name, ex2, sizeof ex2),
			    sec->v[i].line);
			free(key);
			return -1;
		}
	}
	value = trimmed_dup(d + 1, len - (size_t)(d + 1 - t));
	check_inline_comment(p, key, value);
	push_entry(&sec->v, &sec->n, key, value, p->line);
	p->ent = (long)sec->n - 1;
	p->ent_indent = indent;
	return 0;
}

static int
parse_line(struct parser *p, const char *s, size_t len)
{
	struct ini_entry	*en;
	size_t			 indent = 0;
	const char		*t;

	if (memchr(s, '\0', len) != NULL) {
		err_set(p->e, ERR_CONFIG, N_("%s line %d: the line contains a "
		    "NUL byte; is this a text file?"), p->name, p->line);
		return -1;
	}
	if (len > 0 && s[len - 1] == '\r')
		len--;
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	while (indent < len && is_blank(s[indent]))
		indent++;
	t = s + indent;
	len -= indent;
	if (len == 0 || *t == '#' || *t == ';')
		return 0;
	if (p->sec >= 0 && p->ent >= 0 && indent > p->ent_indent) {
		en = &p->ini->v[p->sec].v[p->ent];
		if (*en->value == '\0' || en->nsub > 0)
			return parse_sub(p, en, t, len);
		continue_value(p, en, t, len);
		return 0;
	}
	if (*t == '[')
		return parse_header(p, t, len);
	return parse_key(p, t, len, indent);
}

struct ini *
ini_parse(const char *text, size_t len, const char *name, struct err *e)
{
	struct parser	 p;
	const char	*s, *end, *nl;

	memset(&p, 0, sizeof p);
	p.ini = xcalloc(1, sizeof *p.ini);
	p.ini->name = xstrdup(name);
	p.name = p.ini->name;
	p.sec = p.ent = -1;
	p.e = e;
	s = text;
	end = text + len;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		p.line++;
		if (parse_line(&p, s, (size_t)(nl - s)) != 0) {
			err_where(e, "%s line %d", p.name, p.line);
			ini_free(p.ini);
			return NULL;
		}
		s = nl + 1;
	}
	return p.ini;
}

struct ini *
ini_load(const char *path, const char *name, struct err *e)
{
	struct buf	 b;
	struct stat	 st;
	struct ini	*ini;
	char		 chunk[4096], eb[128];
	ssize_t		 n;
	int		 fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		ini = xcalloc(1, sizeof *ini);
		ini->name = xstrdup(name);
		ini->missing = 1;
		return ini;
	}
	if (fd < 0) {
		err_set(e, ERR_IO, errno == EACCES ?
		    N_("cannot read %s: %s; check the file's owner and "
		    "permissions") : N_("cannot read %s: %s"), name,
		    strerror_r(errno, eb, sizeof eb));
		err_where(e, "%s", path);
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		err_set(e, ERR_IO, N_("cannot read %s: it is a directory, "
		    "not a file"), name);
		err_where(e, "%s", path);
		return NULL;
	}
	buf_init(&b, INI_MAX_FILE);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, ERR_IO, N_("cannot read %s: %s"), name,
			    strerror_r(errno, eb, sizeof eb));
			err_where(e, "%s", path);
			goto fail;
		}
		if (n == 0)
			break;
		if (buf_add(&b, chunk, (size_t)n) != 0) {
			err_set(e, ERR_LIMIT, N_("%s is larger than %u KiB; is "
			    "it really an AWS config file?"), name,
			    INI_MAX_FILE / 1024);
			err_where(e, "%s", path);
			goto fail;
		}
	}
	close(fd);
	explicit_bzero(chunk, sizeof chunk);
	ini = ini_parse(buf_str(&b), b.len, name, e);
	buf_wipe_free(&b);
	return ini;
fail:
	close(fd);
	explicit_bzero(chunk, sizeof chunk);
	buf_wipe_free(&b);
	return NULL;
}

const struct ini_section *
ini_section(const struct ini *ini, const char *name)
{
	size_t	 i;

	if (ini == NULL)
		return NULL;
	for (i = ini->n; i > 0; i--)
		if (strcmp(ini->v[i - 1].name, name) == 0)
			return &ini->v[i - 1];
	return NULL;
}

static const struct ini_entry *
find_entry(const struct ini_entry *v, size_t n, const char *key)
{
	size_t	 i;

	for (i = n; i > 0; i--)
		if (strcasecmp(v[i - 1].key, key) == 0)
			return &v[i - 1];
	return NULL;
}

const struct ini_entry *
ini_entry(const struct ini_section *sec, const char *key)
{
	return sec == NULL ? NULL : find_entry(sec->v, sec->n, key);
}

const char *
ini_get(const struct ini_section *sec, const char *key)
{
	const struct ini_entry	*en = ini_entry(sec, key);

	return en == NULL ? NULL : en->value;
}

const char *
ini_sub_get(const struct ini_entry *head, const char *key)
{
	const struct ini_entry	*en;

	if (head == NULL)
		return NULL;
	en = find_entry(head->sub, head->nsub, key);
	return en == NULL ? NULL : en->value;
}
