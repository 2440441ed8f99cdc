/*
 * err.c: the recoverable error structure (see err.h).
 */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "i18n.h"

static void
copy_field(char *dst, size_t size, const char *src)
{
	if (src == NULL)
		src = "";
	snprintf(dst, size, "%s", src);
}

void
err_clear(struct err *e)
{
	if (e != NULL)
		memset(e, 0, sizeof *e);
}

void
err_vset(struct err *e, enum err_kind kind, const char *fmt, va_list ap)
{
	if (e == NULL)
		return;
	e->kind = kind;
	e->msgid = fmt;
	vsnprintf(e->message, sizeof e->message, core_tr(fmt), ap);
}

void
err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	err_vset(e, kind, fmt, ap);
	va_end(ap);
}

void
err_where(struct err *e, const char *fmt, ...)
{
	va_list	 ap;

	if (e == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(e->where, sizeof e->where, fmt, ap);
	va_end(ap);
}

void
err_set_aws(struct err *e, long status, const char *code,
    const char *message, const char *request_id)
{
	if (e == NULL)
		return;
	e->kind = ERR_AWS;
	e->msgid = NULL;
	e->http_status = status;
	copy_field(e->code, sizeof e->code, code);
	copy_field(e->message, sizeof e->message, message);
	copy_field(e->request_id, sizeof e->request_id, request_id);
}

void
err_copy(struct err *dst, const struct err *src)
{
	if (dst != NULL && src != NULL && dst != src)
		memcpy(dst, src, sizeof *dst);
}

static const char *const kind_names[] = {
	[ERR_NONE] = "none",
	[ERR_USAGE] = "usage",
	[ERR_CONFIG] = "config",
	[ERR_CREDENTIALS] = "credentials",
	[ERR_NETWORK] = "network",
	[ERR_TIMEOUT] = "timeout",
	[ERR_TLS] = "tls",
	[ERR_AWS] = "aws",
	[ERR_PROTOCOL] = "protocol",
	[ERR_LIMIT] = "limit",
	[ERR_IO] = "io",
	[ERR_CANCELLED] = "cancelled",
	[ERR_INTERNAL] = "internal",
};

const char *
err_kind_name(enum err_kind kind)
{
	if ((size_t)kind >= sizeof kind_names / sizeof kind_names[0])
		return "internal";
	return kind_names[kind];
}
