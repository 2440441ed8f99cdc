/*
 * query.h: the AWS query protocol (STS, IAM): a form-encoded POST, signed,
 * answered in XML.
 */
#ifndef BS_QUERY_H
#define BS_QUERY_H

struct buf;
struct creds;
struct endpoint;
struct err;
struct http_client;
struct xml_doc;

/* Append key=value to a form, percent-encoding the value. */
void	 query_form_add(struct buf *form, const char *key, const char *value);
/*
 * POST form to ep (signed for service with creds, unsigned when creds is
 * NULL).  On success *docp holds the parsed answer (xml_free it); -1 with
 * err set otherwise (the AWS error parsed from the XML).
 */
int	 query_call(struct http_client *, const struct endpoint *ep,
	     const struct creds *, const char *service, const char *op,
	     const struct buf *form, struct xml_doc **docp, struct err *);

#endif
