/*
 * err.h: recoverable errors, as one structure filled in by the callee.
 *
 * Every core function that can fail takes a struct err * (which may be NULL
 * when the caller does not care) and returns a status.  The structure keeps
 * what the diagnosis needs: the kind of failure, the HTTP status and AWS
 * error code and request id when AWS answered, and a message for people.
 * Messages are formatted from N_()-marked templates through core_tr().
 */
#ifndef BS_ERR_H
#define BS_ERR_H

#include <stdarg.h>

enum err_kind {
	ERR_NONE = 0,
	ERR_USAGE,		/* the caller asked for something malformed */
	ERR_CONFIG,		/* a file or variable is wrong: see where */
	ERR_CREDENTIALS,	/* no usable credentials */
	ERR_NETWORK,		/* could not connect: DNS, refused, reset */
	ERR_TIMEOUT,		/* no answer in time */
	ERR_TLS,		/* certificate or handshake failure */
	ERR_AWS,		/* AWS answered with an error: see code */
	ERR_PROTOCOL,		/* the answer could not be understood */
	ERR_LIMIT,		/* a size cap was passed */
	ERR_IO,			/* a local file could not be read or written */
	ERR_CANCELLED,		/* the user stopped it */
	ERR_INTERNAL		/* a bug */
};

struct err {
	enum err_kind	 kind;
	long		 http_status;		/* 0 when none */
	char		 code[128];		/* AWS error code, or "" */
	char		 message[1024];		/* for people */
	char		 request_id[96];	/* AWS request id, or "" */
	char		 where[512];		/* file:line, variable, or "" */
	/*
	 * The untranslated template of message when we wrote it (err_set),
	 * NULL for AWS's text: what the diagnosis rules match, whatever the
	 * user's language.  Points to static text.
	 */
	const char	*msgid;
};

void	 err_clear(struct err *);
/* Set kind and message; fmt is an N_()-marked template. */
void	 err_set(struct err *, enum err_kind, const char *fmt, ...)
	     __attribute__((format(printf, 3, 4)));
void	 err_vset(struct err *, enum err_kind, const char *fmt, va_list)
	     __attribute__((format(printf, 3, 0)));
/* Record where the problem is ("~/.aws/config line 12", "AWS_REGION"). */
void	 err_where(struct err *, const char *fmt, ...)
	     __attribute__((format(printf, 2, 3)));
/* Fill in an answer from AWS; any argument may be NULL. */
void	 err_set_aws(struct err *, long status, const char *code,
	     const char *message, const char *request_id);
/* Copy src into dst (dst may be NULL). */
void	 err_copy(struct err *dst, const struct err *src);
/* A stable lower-case name for the kind, for JSON output ("network"). */
const char *err_kind_name(enum err_kind);

#endif
