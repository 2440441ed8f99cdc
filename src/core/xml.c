/*
 * xml.c: parse XML into a small tree with expat (see xml.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "xalloc.h"
#include "xml.h"

#define XML_MAX_DEPTH	64
#define XML_MAX_NODES	200000
#define XML_MAX_TEXT	(8u * 1024 * 1024)

struct xml_node {
	char		*name;
	char		*text;
	struct buf	 tb;		/* text while parsing */
	struct xml_node	*parent;
	struct xml_node	*child;		/* first child */
	struct xml_node	*last;		/* last child */
	struct xml_node	*next;		/* next sibling */
};

struct xml_doc {
	struct xml_node	*root;
};

struct parse_state {
	XML_Parser	 p;
	struct xml_node	*root;
	struct xml_node	*cur;
	int		 depth;
	size_t		 nodes;
	size_t		 text;
	const char	*why;		/* N_() reason to stop */
};

static void
stop(struct parse_state *ps, const char *why)
{
	if (ps->why == NULL)
		ps->why = why;
	XML_StopParser(ps->p, XML_FALSE);
}

static void XMLCALL
on_start(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct parse_state	*ps = arg;
	struct xml_node		*n;
	const char		*colon = strrchr(name, ':');

	(void)attrs;
	if (++ps->depth > XML_MAX_DEPTH) {
		stop(ps, N_("XML nested too deeply"));
		return;
	}
	if (++ps->nodes > XML_MAX_NODES) {
		stop(ps, N_("XML has too many elements"));
		return;
	}
	n = xcalloc(1, sizeof *n);
	n->name = xstrdup(colon != NULL ? colon + 1 : name);
	buf_init(&n->tb, XML_MAX_TEXT);
	n->parent = ps->cur;
	if (ps->cur == NULL) {
		if (ps->root != NULL) {
			free(n->name);
			free(n);
			stop(ps, N_("XML has more than one root element"));
			return;
		}
		ps->root = n;
	} else {
		if (ps->cur->last != NULL)
			ps->cur->last->next = n;
		else
			ps->cur->child = n;
		ps->cur->last = n;
	}
	ps->cur = n;
}

static char *
trimmed(const struct buf *b)
{
	const char	*s = buf_str(b);
	size_t		 len = b->len;

	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

static void XMLCALL
on_end(void *arg, const XML_Char *name)
{
	struct parse_state	*ps = arg;

	(void)name;
	if (ps->cur == NULL)
		return;
	ps->cur->text = trimmed(&ps->cur->tb);
	buf_free(&ps->cur->tb);
	ps->cur = ps->cur->parent;
	ps->depth--;
}

static void XMLCALL
on_text(void *arg, const XML_Char *s, int len)
{
	struct parse_state	*ps = arg;

	if (ps->cur == NULL || len <= 0)
		return;
	ps->text += (size_t)len;
	if (ps->text > XML_MAX_TEXT ||
	    buf_add(&ps->cur->tb, s, (size_t)len) != 0)
		stop(ps, N_("XML text is too large"));
}

static void XMLCALL
on_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	stop(arg, N_("XML with a DTD is not accepted"));
}

static void
node_free(struct xml_node *n)
{
	struct xml_node	*c, *next;

	if (n == NULL)
		return;
	for (c = n->child; c != NULL; c = next) {
		next = c->next;
		node_free(c);
	}
	free(n->name);
	/* STS answers carry secret keys and tokens: wipe every text. */
	if (n->text != NULL)
		explicit_bzero(n->text, strlen(n->text));
	free(n->text);
	buf_wipe_free(&n->tb);
	free(n);
}

struct xml_doc *
xml_parse(const char *text, size_t len, struct err *e)
{
	struct parse_state	 ps;
	struct xml_doc		*d;
	enum XML_Status		 st;

	memset(&ps, 0, sizeof ps);
	ps.p = XML_ParserCreate("UTF-8");
	if (ps.p == NULL)
		abort();
	XML_SetUserData(ps.p, &ps);
	XML_SetElementHandler(ps.p, on_start, on_end);
	XML_SetCharacterDataHandler(ps.p, on_text);
	XML_SetStartDoctypeDeclHandler(ps.p, on_doctype);
	st = XML_Parse(ps.p, text, (int)(len > (size_t)0x7fffffff ?
	    0x7fffffff : len), XML_TRUE);
	if (st != XML_STATUS_OK || ps.why != NULL || ps.root == NULL ||
	    ps.cur != NULL) {
		if (ps.why != NULL)
			err_set(e, ERR_PROTOCOL, "%s", core_tr(ps.why));
		else
			err_set(e, ERR_PROTOCOL, N_("malformed XML at line "
			    "%lu: %s"),
			    (unsigned long)XML_GetCurrentLineNumber(ps.p),
			    XML_ErrorString(XML_GetErrorCode(ps.p)));
		node_free(ps.root);
		XML_ParserFree(ps.p);
		return NULL;
	}
	XML_ParserFree(ps.p);
	d = xcalloc(1, sizeof *d);
	d->root = ps.root;
	return d;
}

void
xml_free(struct xml_doc *d)
{
	if (d == NULL)
		return;
	node_free(d->root);
	free(d);
}

const struct xml_node *
xml_root(const struct xml_doc *d)
{
	return d == NULL ? NULL : d->root;
}

const struct xml_node *
xml_find(const struct xml_node *n, const char *name)
{
	const struct xml_node	*c, *f;

	if (n == NULL)
		return NULL;
	if (strcmp(n->name, name) == 0)
		return n;
	for (c = n->child; c != NULL; c = c->next)
		if ((f = xml_find(c, name)) != NULL)
			return f;
	return NULL;
}

const char *
xml_find_text(const struct xml_doc *d, const char *name)
{
	const struct xml_node	*n = xml_find(xml_root(d), name);

	return n == NULL ? NULL : xml_text(n);
}

const struct xml_node *
xml_child(const struct xml_node *n, const char *name)
{
	const struct xml_node	*c;

	if (n == NULL)
		return NULL;
	for (c = n->child; c != NULL; c = c->next)
		if (name == NULL || strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

const struct xml_node *
xml_next(const struct xml_node *n, const char *name)
{
	const struct xml_node	*c;

	if (n == NULL)
		return NULL;
	for (c = n->next; c != NULL; c = c->next)
		if (name == NULL || strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

const struct xml_node *
xml_path(const struct xml_node *n, const char *path)
{
	char	*copy = xstrdup(path), *p = copy, *slash;

	while (n != NULL && p != NULL && *p != '\0') {
		slash = strchr(p, '/');
		if (slash != NULL)
			*slash = '\0';
		n = xml_child(n, p);
		p = slash != NULL ? slash + 1 : NULL;
	}
	free(copy);
	return n;
}

const char *
xml_text(const struct xml_node *n)
{
	return n == NULL || n->text == NULL ? "" : n->text;
}

const char *
xml_name(const struct xml_node *n)
{
	return n == NULL ? NULL : n->name;
}

const char *
xml_path_text(const struct xml_node *n, const char *path)
{
	const struct xml_node	*f = xml_path(n, path);

	return f == NULL ? NULL : xml_text(f);
}
