/*
 * xml.h: a small read-only tree of an XML document, for the answers of the
 * query-protocol APIs (STS, IAM).  xml.c is the core's only expat user.
 *
 * Element names are kept without their namespace prefix.  Documents with a
 * DTD are refused (no entity expansion), and size and depth are capped.
 * Nodes belong to their document: free only the document.
 */
#ifndef BS_XML_H
#define BS_XML_H

#include <stddef.h>

struct err;
struct xml_doc;
struct xml_node;

struct xml_doc		*xml_parse(const char *text, size_t len, struct err *);
void			 xml_free(struct xml_doc *);
const struct xml_node	*xml_root(const struct xml_doc *);
/* The text of the first element called name, anywhere (depth first). */
const char		*xml_find_text(const struct xml_doc *, const char *name);
/* The first element called name anywhere below node (or node itself). */
const struct xml_node	*xml_find(const struct xml_node *, const char *name);
/* The first child element called name (NULL name: any). */
const struct xml_node	*xml_child(const struct xml_node *, const char *name);
/* The next sibling element called name (NULL name: any). */
const struct xml_node	*xml_next(const struct xml_node *, const char *name);
/* Follow child names separated by '/': "GetCallerIdentityResult/Arn". */
const struct xml_node	*xml_path(const struct xml_node *, const char *path);
/* An element's own text (trimmed of surrounding white space), or "". */
const char		*xml_text(const struct xml_node *);
const char		*xml_name(const struct xml_node *);
/* The text of the child found by xml_path, or NULL. */
const char		*xml_path_text(const struct xml_node *, const char *path);

#endif
