/*
 * runtime.h: Bedrock Converse and ConverseStream, text only.
 *
 * A request names the model (a model id, inference-profile id or any ARN
 * Converse takes; it goes into the path percent-encoded once), the
 * conversation so far, an optional system prompt and inference settings.
 *
 * Converse waits for the whole answer.  ConverseStream hands each piece
 * of text to a callback as soon as its contentBlockDelta frame is decoded,
 * and works two ways: blocking (runtime_converse_stream()), or driven by
 * the caller's loop (runtime_stream_begin(), then http_perform() and
 * http_take_done() in the loop, then runtime_stream_end()).
 *
 * An exception or error frame inside the HTTP 200 stream makes the call
 * fail with ERR_AWS and the exception's name as the non-stream code
 * (throttlingException → ThrottlingException; err->http_status is the
 * stream's own, 200); a stream that ends before
 * messageStop and metadata, or a frame with a bad CRC, fails with
 * ERR_PROTOCOL.  The text received before a failure is kept in the reply.
 *
 * The equivalent AWS CLI command and boto3 code for a request can be
 * produced for the wizard's chat pane.
 */
#ifndef BS_RUNTIME_H
#define BS_RUNTIME_H

#include <stddef.h>

struct creds;
struct endpoint;
struct err;
struct http_client;
struct secret;

/* Where and as whom to call (EP_BEDROCK_RUNTIME); nothing is copied. */
struct runtime_ctx {
	struct http_client	*http;
	const struct endpoint	*ep;
	const struct creds	*creds;		/* SigV4; NULL with bearer */
	const struct secret	*bearer;	/* or NULL */
};

struct runtime_message {
	const char	*role;		/* "user" or "assistant" */
	const char	*text;
};

/*
 * A request; the caller owns every string.  Set it up with
 * runtime_request_init() so that the optional members start unset.
 */
struct runtime_request {
	const char			*model_id;
	const struct runtime_message	*messages;
	size_t				 nmessages;
	const char			*system;	/* NULL: none */
	long				 max_tokens;	/* 0: unset */
	double				 temperature;	/* < 0: unset */
	double				 top_p;		/* < 0: unset */
	const char *const		*stop_sequences;
	size_t				 nstop_sequences;
};

/* What came back.  Numbers are -1 when the answer did not say. */
struct runtime_reply {
	char		*text;		/* every text block joined; never NULL */
	size_t		 text_len;
	char		*stop_reason;	/* as AWS wrote it, or NULL */
	long		 input_tokens;
	long		 output_tokens;
	long		 total_tokens;
	long		 latency_ms;	/* metrics.latencyMs */
	double		 first_text_ms;	/* stream: time to the first text */
	double		 total_ms;	/* from sending to the end */
	int		 cancelled;	/* stopped by the caller */
	char		 request_id[96];
};

/*
 * Called with each piece of text as it arrives (not NUL-terminated).
 * Return 0 to go on, non-zero to stop the reply (as a cancel).
 */
typedef int (*runtime_text_cb)(void *arg, const char *text, size_t len);

void	 runtime_request_init(struct runtime_request *);
void	 runtime_reply_init(struct runtime_reply *);
void	 runtime_reply_free(struct runtime_reply *);

/*
 * The JSON body for a request (unset members left out), or NULL with
 * ERR_USAGE for a request without a model id or messages, or with a role
 * other than user/assistant.  Caller frees.
 */
char	*runtime_request_body(const struct runtime_request *, struct err *);
/* "/model/<id, percent-encoded once>/converse" (or "/converse-stream"). */
char	*runtime_request_path(const char *model_id, int stream);

/*
 * Converse.  0 with *reply filled, or -1 with err set.  *reply is always
 * initialised and must be freed.
 */
int	 runtime_converse(const struct runtime_ctx *,
	     const struct runtime_request *, struct runtime_reply *,
	     struct err *);
/* Read a Converse answer into *reply (initialised here). */
int	 runtime_parse_reply(const char *json, size_t len,
	     struct runtime_reply *, struct err *);

/*
 * ConverseStream, blocking: on_text (may be NULL) gets the text as it
 * comes.  0 on a complete answer; -1 with err set otherwise: ERR_CANCELLED
 * (reply->cancelled set) when on_text asked to stop.  *reply is always
 * filled as far as the answer went, and must be freed.
 */
int	 runtime_converse_stream(const struct runtime_ctx *,
	     const struct runtime_request *, runtime_text_cb on_text,
	     void *arg, struct runtime_reply *, struct err *);

/*
 * ConverseStream, driven.  runtime_stream_begin() starts the transfer
 * (http_start) and returns a handle, or NULL with err set.  The caller's
 * loop runs http_perform(); when http_take_done() returns
 * runtime_stream_id(), pass its status to runtime_stream_end(), which
 * gives the outcome as runtime_converse_stream() does and frees the
 * handle.  runtime_stream_cancel() stops the transfer; the handle must
 * still be ended (the reply then keeps the text so far, marked
 * cancelled).  ctx->http must outlive the handle.
 */
struct runtime_stream;

struct runtime_stream	*runtime_stream_begin(const struct runtime_ctx *,
			    const struct runtime_request *,
			    runtime_text_cb on_text, void *arg, struct err *);
int			 runtime_stream_id(const struct runtime_stream *);
void			 runtime_stream_cancel(struct runtime_stream *);
int			 runtime_stream_end(struct runtime_stream *,
			    int http_status, struct runtime_reply *,
			    struct err *);

/*
 * The stream decoder without a transfer, for tests and the demo: push
 * body bytes as they arrive, then end with the transfer's status (0 when
 * the body ended normally).  runtime_stream_push() returns 0, or -1 once
 * the stream has failed (the error is given by runtime_stream_end()).
 */
struct runtime_stream	*runtime_stream_new(runtime_text_cb on_text,
			    void *arg);
int			 runtime_stream_push(struct runtime_stream *,
			    const void *, size_t);

/*
 * The code a stream exception is known by outside streams: the first
 * letter made upper case ("throttlingException" → "ThrottlingException").
 * Writes at most size bytes.
 */
void	 runtime_exception_code(const char *stream_name, char *out,
	     size_t size);

/*
 * The same request as an "aws bedrock-runtime converse" command line
 * (one line, every argument shell-quoted) and as a small boto3 program.
 * region and profile may be NULL.  Caller frees.
 */
char	*runtime_cli_command(const struct runtime_request *,
	     const char *region, const char *profile);
char	*runtime_boto3_snippet(const struct runtime_request *,
	     const char *region, const char *profile);
/* s quoted for a POSIX shell ('...' with '\'' for quotes).  Caller frees. */
char	*runtime_shell_quote(const char *s);

#endif
