/*
 * converse_stream.h: what a Bedrock ConverseStream event-stream message is.
 *
 * Sorts a decoded message (eventstream.h) into an event, an exception or an
 * error by its :message-type header, and names the event.  Payloads stay
 * raw JSON: the caller parses them.  An exception or error frame arrives
 * inside an HTTP 200 and means the call failed, not that the answer ended.
 */
#ifndef BS_CONVERSE_STREAM_H
#define BS_CONVERSE_STREAM_H

#include <stddef.h>

#include "err.h"
#include "eventstream.h"

enum converse_stream_kind {
	CONVERSE_STREAM_EVENT,		/* :message-type event */
	CONVERSE_STREAM_EXCEPTION,	/* exception: payload {"message":...} */
	CONVERSE_STREAM_ERROR		/* error: :error-code, :error-message */
};

enum converse_stream_event {
	CONVERSE_STREAM_OTHER = 0,	/* not an event, or a name we do not know */
	CONVERSE_STREAM_MESSAGE_START,
	CONVERSE_STREAM_CONTENT_BLOCK_START,
	CONVERSE_STREAM_CONTENT_BLOCK_DELTA,
	CONVERSE_STREAM_CONTENT_BLOCK_STOP,
	CONVERSE_STREAM_MESSAGE_STOP,
	CONVERSE_STREAM_METADATA
};

/* Points into the message: valid as long as the message is. */
struct converse_stream_frame {
	enum converse_stream_kind	 kind;
	enum converse_stream_event	 event;
	/* :event-type, :exception-type (e.g. "throttlingException") or
	 * :error-code, by kind */
	const char			*type;
	const char			*error_message;	/* errors: "" if none */
	const char			*content_type;	/* NULL if none */
	const unsigned char		*payload;
	size_t				 payload_len;
};

/*
 * Fill in f from m.  0 on success; -1 (ERR_PROTOCOL) when :message-type is
 * missing or unknown, or the header its kind requires is missing.
 */
int		 converse_stream_classify(const struct es_message *m,
		     struct converse_stream_frame *f, struct err *);
/* The wire name of an event ("contentBlockDelta"); "" for OTHER. */
const char	*converse_stream_event_name(enum converse_stream_event);

#endif
