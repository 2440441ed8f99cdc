/*
 * eventstream.h: the application/vnd.amazon.eventstream framing.
 *
 * A push decoder without I/O: feed it bytes as they arrive, in chunks of
 * any size, and it calls back once per whole, checked message.  Also an
 * encoder, with which the demo account and the tests build streams.  What
 * the headers mean to ConverseStream is in converse_stream.h.
 *
 * Wire format, big-endian: total length u32, headers length u32, CRC-32 of
 * those 8 bytes, headers, payload, CRC-32 of everything before it.
 */
#ifndef BS_EVENTSTREAM_H
#define BS_EVENTSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define ES_PRELUDE_LEN		12
#define ES_MIN_MESSAGE		16
#define ES_MAX_HEADERS		(128u * 1024)
#define ES_MAX_PAYLOAD		(24u * 1024 * 1024)
#define ES_MAX_MESSAGE		(ES_MIN_MESSAGE + ES_MAX_HEADERS + ES_MAX_PAYLOAD)

/* Header value types; the numbers are the wire codes. */
enum es_type {
	ES_BOOL_TRUE = 0,
	ES_BOOL_FALSE = 1,
	ES_BYTE = 2,
	ES_SHORT = 3,
	ES_INT32 = 4,
	ES_INT64 = 5,
	ES_BYTES = 6,
	ES_STRING = 7,
	ES_TIMESTAMP = 8,	/* milliseconds since the epoch */
	ES_UUID = 9
};

/*
 * One header.  Numbers (and bools, as 1 or 0) are in i; byte arrays,
 * strings and UUIDs (16 bytes) in data/len.  In decoded headers, name and
 * data are each followed by a NUL that len does not count.
 */
struct es_header {
	const char		*name;
	size_t			 name_len;
	enum es_type		 type;
	int64_t			 i;
	const unsigned char	*data;
	size_t			 len;
};

/* A decoded message.  Every pointer is valid only during the callback. */
struct es_message {
	uint32_t		 total_len;
	uint32_t		 headers_len;
	uint32_t		 prelude_crc;
	uint32_t		 message_crc;
	const struct es_header	*headers;	/* in wire order */
	size_t			 nheaders;
	const unsigned char	*payload;
	size_t			 payload_len;
};

/*
 * Caps.  A field of 0 means the default above; a value above the default
 * is lowered to it.  max_message bounds total_length, and so the memory one
 * partly received message may take.
 */
struct es_limits {
	size_t	 max_message;
	size_t	 max_headers;
	size_t	 max_payload;
};

/*
 * Called once per message.  Return 0 to go on; anything else stops the
 * decoder for good, and es_push() returns -1 with the err the callback
 * filled in (or a generic one if it left it empty).  The callback must not
 * call es_push() or es_decoder_free() on its own decoder.
 */
typedef int (*es_message_cb)(const struct es_message *, void *arg,
    struct err *);

struct es_decoder;

/* A new decoder; limits may be NULL for the defaults. */
struct es_decoder	*es_decoder_new(const struct es_limits *,
			    es_message_cb, void *arg);
/* NULL is allowed. */
void			 es_decoder_free(struct es_decoder *);
/*
 * Decode len more bytes.  0 when all of them were taken (a message may be
 * left incomplete, waiting for more); -1 on the first malformed message, a
 * passed cap, or a callback that said stop.  Once failed, a decoder fails
 * every later call with the same error.  Kinds: ERR_PROTOCOL for a broken
 * frame, ERR_LIMIT for a cap; err->where says which message and offset.
 */
int			 es_push(struct es_decoder *, const void *buf,
			    size_t len, struct err *);
/*
 * The stream has ended.  0 if it ended between messages; -1 if the decoder
 * had failed or a message was cut short.
 */
int			 es_decoder_finish(struct es_decoder *, struct err *);
/* Messages handed to the callback so far. */
uint64_t		 es_decoder_count(const struct es_decoder *);

/* The first header called name (exact bytes), or NULL. */
const struct es_header	*es_header_find(const struct es_message *,
			    const char *name);
/*
 * The value of the string header called name, or NULL if there is none, it
 * is not a string, or it holds a NUL byte.
 */
const char		*es_header_str(const struct es_message *,
			    const char *name);

/* Headers to encode.  The structures point at the caller's strings. */
struct es_header	 es_hdr_string(const char *name, const char *value);
struct es_header	 es_hdr_bool(const char *name, int value);
/* type is ES_BYTE, ES_SHORT, ES_INT32, ES_INT64 or ES_TIMESTAMP. */
struct es_header	 es_hdr_int(const char *name, enum es_type type,
			    int64_t value);
/* type is ES_BYTES, ES_STRING or ES_UUID (len must then be 16). */
struct es_header	 es_hdr_bytes(const char *name, enum es_type type,
			    const void *data, size_t len);

/*
 * Append one message to out.  Uses name_len, type, i, data and len of each
 * header.  0 on success; -1, with out unchanged, if a header cannot be
 * encoded (name over 255 bytes, value over 65535 bytes or out of range for
 * its type, unknown type, UUID not 16 bytes, repeated name), the headers or
 * payload pass the default caps, or out's cap would be passed.
 */
int			 es_encode(const struct es_header *, size_t n,
			    const void *payload, size_t len, struct buf *out);

#endif
