/*
 * query.c: the AWS query protocol (see query.h).
 */
#include <ctype.h>
#include <string.h>

#include "buf.h"
#include "endpoint.h"
#include "err.h"
#include "hdr.h"
#include "http.h"
#include "i18n.h"
#include "query.h"
#include "xml.h"

void
query_form_add(struct buf *b, const char *key, const char *val)
{
	const unsigned char	*p;

	if (b->len > 0)
		buf_addc(b, '&');
	buf_addstr(b, key);
	buf_addc(b, '=');
	for (p = (const unsigned char *)val; *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' ||
		    *p == '~')
			buf_addc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

int
query_call(struct http_client *c, const struct endpoint *ep,
    const struct creds *creds, const char *service, const char *op,
    const struct buf *form, struct xml_doc **docp, struct err *e)
{
	struct hdr_list		 h = HDR_LIST_INIT;
	struct http_request	 req;
	struct http_response	 resp;
	struct buf		 url = BUF_INIT;
	int			 r;

	*docp = NULL;
	hdr_list_add(&h, "Content-Type",
	    "application/x-www-form-urlencoded; charset=utf-8");
	buf_printf(&url, "%s/", ep->url);
	memset(&req, 0, sizeof req);
	req.op = op;
	req.method = "POST";
	req.url = buf_str(&url);
	req.headers = &h;
	req.body = form->data;
	req.body_len = form->len;
	if (creds != NULL) {
		req.auth.kind = HTTP_AUTH_SIGV4;
		req.auth.creds = creds;
		req.auth.region = ep->signing_region;
		req.auth.service = service;
	}
	http_response_init(&resp);
	r = http_do(c, &req, &resp, e);
	if (r == 0) {
		*docp = xml_parse(resp.body.data, resp.body.len, e);
		if (*docp == NULL) {
			err_set(e, ERR_PROTOCOL, N_("%s answered with XML that "
			    "could not be read"), op);
			r = -1;
		}
	}
	http_response_free(&resp);
	hdr_list_free(&h);
	buf_free(&url);
	return r;
}
