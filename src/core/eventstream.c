/*
 * eventstream.c: push decoder and encoder for application/vnd.amazon.eventstream
 * (see eventstream.h).
 *
 * A message is checked in two steps: the 12-byte prelude (its CRC first,
 * then the lengths against the caps) as soon as it is in, so that a broken
 * or hostile length never makes us wait for or buffer bytes; then, once
 * total_length bytes are in, the message CRC and the headers.  When a whole
 * message sits in the caller's chunk it is decoded in place; otherwise its
 * bytes are gathered in a buffer capped at max_message.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "eventstream.h"
#include "i18n.h"
#include "xalloc.h"

/* Gathering buffers bigger than this are given back between messages. */
#define KEEP_PENDING	(1024u * 1024)

struct es_decoder {
	struct es_limits	 lim;
	es_message_cb		 cb;
	void			*arg;

	struct buf		 pending;	/* the message being gathered */
	uint32_t		 total;		/* its total_length; 0 before its prelude is checked */
	uint32_t		 hlen;
	uint64_t		 offset;	/* stream offset of its first byte */
	uint64_t		 count;

	int			 failed;
	struct err		 err;		/* the first failure, repeated */

	struct es_header	*hdrs;
	size_t			 hdrs_cap;
	unsigned char		*arena;		/* NUL-terminated names and values */
	size_t			 arena_cap;
	const struct es_header	**sorted;	/* for the duplicate check */
	size_t			 sorted_cap;
};

static const char *const type_names[] = {
	[ES_BOOL_TRUE] = "bool true",
	[ES_BOOL_FALSE] = "bool false",
	[ES_BYTE] = "byte",
	[ES_SHORT] = "short",
	[ES_INT32] = "int32",
	[ES_INT64] = "int64",
	[ES_BYTES] = "byte array",
	[ES_STRING] = "string",
	[ES_TIMESTAMP] = "timestamp",
	[ES_UUID] = "uuid",
};
#define NTYPES	(sizeof type_names / sizeof type_names[0])

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t
get64(const unsigned char *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static void
put_be(unsigned char *p, uint64_t v, size_t n)
{
	while (n-- > 0) {
		p[n] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static uint32_t
crc(const unsigned char *p, size_t n)
{
	/* n is at most ES_MAX_MESSAGE, well inside uInt. */
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)n);
}

/* A header name made safe and short for an error message. */
static const char *
printable(const char *name, size_t n, char *out, size_t size)
{
	size_t	 i, j = 0;

	for (i = 0; i < n && j + 4 < size; i++) {
		unsigned char c = (unsigned char)name[i];
		out[j++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (i < n) {
		out[j++] = '.';
		out[j++] = '.';
		out[j++] = '.';
	}
	out[j] = '\0';
	return out;
}

static size_t
clamp(size_t want, size_t dflt)
{
	return want == 0 || want > dflt ? dflt : want;
}

struct es_decoder *
es_decoder_new(const struct es_limits *lim, es_message_cb cb, void *arg)
{
	struct es_decoder	*dec;

	dec = xcalloc(1, sizeof *dec);
	if (lim != NULL)
		dec->lim = *lim;
	dec->lim.max_message = clamp(dec->lim.max_message, ES_MAX_MESSAGE);
	dec->lim.max_headers = clamp(dec->lim.max_headers, ES_MAX_HEADERS);
	dec->lim.max_payload = clamp(dec->lim.max_payload, ES_MAX_PAYLOAD);
	if (dec->lim.max_message < ES_MIN_MESSAGE)
		dec->lim.max_message = ES_MIN_MESSAGE;
	dec->cb = cb;
	dec->arg = arg;
	buf_init(&dec->pending, dec->lim.max_message);
	return dec;
}

void
es_decoder_free(struct es_decoder *dec)
{
	if (dec == NULL)
		return;
	buf_free(&dec->pending);
	free(dec->hdrs);
	free(dec->arena);
	free(dec->sorted);
	free(dec);
}

uint64_t
es_decoder_count(const struct es_decoder *dec)
{
	return dec->count;
}

static void
mark_where(struct es_decoder *dec)
{
	err_where(&dec->err, "event stream message %" PRIu64
	    ", byte offset %" PRIu64, dec->count + 1, dec->offset);
}

/* Make the decoder failed with this error, and hand it to the caller. */
static int
dec_fail(struct es_decoder *dec, struct err *err, enum err_kind kind,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
dec_fail(struct es_decoder *dec, struct err *err, enum err_kind kind,
    const char *fmt, ...)
{
	va_list	 ap;

	err_clear(&dec->err);
	va_start(ap, fmt);
	err_vset(&dec->err, kind, fmt, ap);
	va_end(ap);
	mark_where(dec);
	dec->failed = 1;
	err_copy(err, &dec->err);
	return -1;
}

static int
check_prelude(struct es_decoder *dec, const unsigned char *p,
    struct err *err)
{
	uint32_t	 total, hlen;
	size_t		 plen;

	if (crc(p, 8) != get32(p + 8))
		return dec_fail(dec, err, ERR_PROTOCOL,
		    N_("Prelude checksum mismatch"));
	total = get32(p);
	hlen = get32(p + 4);
	if (total < ES_MIN_MESSAGE)
		return dec_fail(dec, err, ERR_PROTOCOL,
		    N_("Event stream message length %" PRIu32
		    " is below the minimum of %u bytes"),
		    total, (unsigned)ES_MIN_MESSAGE);
	if (total > dec->lim.max_message)
		return dec_fail(dec, err, ERR_LIMIT,
		    N_("Event stream message length %" PRIu32
		    " is over the limit of %zu bytes"),
		    total, dec->lim.max_message);
	if (hlen > total - ES_MIN_MESSAGE)
		return dec_fail(dec, err, ERR_PROTOCOL,
		    N_("Event stream headers length %" PRIu32
		    " does not fit in a message of %" PRIu32 " bytes"),
		    hlen, total);
	if (hlen > dec->lim.max_headers)
		return dec_fail(dec, err, ERR_LIMIT,
		    N_("Event stream headers length %" PRIu32
		    " is over the limit of %zu bytes"),
		    hlen, dec->lim.max_headers);
	plen = total - hlen - ES_MIN_MESSAGE;
	if (plen > dec->lim.max_payload)
		return dec_fail(dec, err, ERR_LIMIT,
		    N_("Event stream payload length %zu is over the limit of"
		    " %zu bytes"), plen, dec->lim.max_payload);
	dec->total = total;
	dec->hlen = hlen;
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	const struct es_header	*x = *(const struct es_header *const *)a;
	const struct es_header	*y = *(const struct es_header *const *)b;
	size_t			 n;
	int			 r;

	n = x->name_len < y->name_len ? x->name_len : y->name_len;
	r = n == 0 ? 0 : memcmp(x->name, y->name, n);
	if (r != 0)
		return r;
	if (x->name_len != y->name_len)
		return x->name_len < y->name_len ? -1 : 1;
	return x < y ? -1 : x > y;	/* keeps wire order among equals */
}

/*
 * The first header (in wire order) whose name came earlier, or NULL.
 * Sorting keeps this O(n log n): a 128 KiB block can hold 65536 headers.
 */
static const struct es_header *
first_duplicate(const struct es_header *h, size_t n,
    const struct es_header ***sorted, size_t *cap)
{
	const struct es_header	*dup = NULL;
	size_t			 i;

	if (n < 2)
		return NULL;
	if (*cap < n) {
		*sorted = xreallocarray(*sorted, n, sizeof **sorted);
		*cap = n;
	}
	for (i = 0; i < n; i++)
		(*sorted)[i] = &h[i];
	qsort(*sorted, n, sizeof **sorted, cmp_name);
	for (i = 1; i < n; i++) {
		const struct es_header *a = (*sorted)[i - 1], *b = (*sorted)[i];

		if (a->name_len == b->name_len && (a->name_len == 0 ||
		    memcmp(a->name, b->name, a->name_len) == 0) &&
		    (dup == NULL || b < dup))
			dup = b;
	}
	return dup;
}

/* Bytes the value of a header of this type takes after its type byte. */
static size_t
fixed_size(enum es_type t)
{
	switch (t) {
	case ES_BYTE:
		return 1;
	case ES_SHORT:
		return 2;
	case ES_INT32:
		return 4;
	case ES_INT64:
	case ES_TIMESTAMP:
		return 8;
	case ES_UUID:
		return 16;
	default:
		return 0;
	}
}

static unsigned char *
arena_put(unsigned char **at, const unsigned char *p, size_t n)
{
	unsigned char	*start = *at;

	if (n > 0)
		memcpy(start, p, n);
	start[n] = '\0';
	*at += n + 1;
	return start;
}

/* Parse the headers block of the message at p into dec->hdrs. */
static int
parse_headers(struct es_decoder *dec, const unsigned char *p,
    size_t *np, struct err *err)
{
	const unsigned char	*h = p + ES_PRELUDE_LEN;
	const unsigned char	*end = h + dec->hlen;
	const struct es_header	*dup;
	unsigned char		*at;
	size_t			 n = 0, need;
	char			 nm[80];

	/*
	 * Each copied name or value, plus its NUL, is no longer than the wire
	 * bytes it came from with their length or type byte: hlen + 1 is room.
	 */
	need = (size_t)dec->hlen + 1;
	if (dec->arena_cap < need) {
		dec->arena = xrealloc(dec->arena, need);
		dec->arena_cap = need;
	}
	at = dec->arena;
	while (h < end) {
		struct es_header	*hd;
		size_t			 nlen, vlen, left;
		unsigned		 t;

		if (n == dec->hdrs_cap) {
			dec->hdrs_cap = dec->hdrs_cap == 0 ? 8 : dec->hdrs_cap * 2;
			dec->hdrs = xreallocarray(dec->hdrs, dec->hdrs_cap,
			    sizeof *dec->hdrs);
		}
		hd = &dec->hdrs[n];
		memset(hd, 0, sizeof *hd);
		nlen = *h++;
		left = (size_t)(end - h);
		if (nlen > left)
			return dec_fail(dec, err, ERR_PROTOCOL,
			    N_("Event stream header %zu is truncated: its name"
			    " needs %zu bytes and has %zu"), n + 1, nlen, left);
		hd->name = (const char *)arena_put(&at, h, nlen);
		hd->name_len = nlen;
		h += nlen;
		printable(hd->name, nlen, nm, sizeof nm);
		if (h == end)
			return dec_fail(dec, err, ERR_PROTOCOL,
			    N_("Event stream header \"%s\" is truncated: its"
			    " type byte is missing"), nm);
		t = *h++;
		if (t >= NTYPES)
			return dec_fail(dec, err, ERR_PROTOCOL,
			    N_("Event stream header \"%s\" has unknown type"
			    " %u"), nm, t);
		hd->type = (enum es_type)t;
		left = (size_t)(end - h);
		if (hd->type == ES_BYTES || hd->type == ES_STRING) {
			if (left < 2)
				return dec_fail(dec, err, ERR_PROTOCOL,
				    N_("Event stream header \"%s\" (%s) is"
				    " truncated: its length needs 2 bytes and"
				    " has %zu"), nm, type_names[t], left);
			vlen = get16(h);
			h += 2;
			left -= 2;
		} else
			vlen = fixed_size(hd->type);
		if (vlen > left)
			return dec_fail(dec, err, ERR_PROTOCOL,
			    N_("Event stream header \"%s\" (%s) is truncated:"
			    " its value needs %zu bytes and has %zu"),
			    nm, type_names[t], vlen, left);
		switch (hd->type) {
		case ES_BOOL_TRUE:
			hd->i = 1;
			break;
		case ES_BOOL_FALSE:
			hd->i = 0;
			break;
		case ES_BYTE:
			hd->i = (int8_t)h[0];
			break;
		case ES_SHORT:
			hd->i = (int16_t)get16(h);
			break;
		case ES_INT32:
			hd->i = (int32_t)get32(h);
			break;
		case ES_INT64:
		case ES_TIMESTAMP:
			hd->i = (int64_t)get64(h);
			break;
		case ES_BYTES:
		case ES_STRING:
		case ES_UUID:
			hd->data = arena_put(&at, h, vlen);
			hd->len = vlen;
			break;
		}
		h += vlen;
		n++;
	}
	dup = first_duplicate(dec->hdrs, n, &dec->sorted, &dec->sorted_cap);
	if (dup != NULL)
		return dec_fail(dec, err, ERR_PROTOCOL,
		    N_("Event stream header \"%s\" appears more than once"),
		    printable(dup->name, dup->name_len, nm, sizeof nm));
	*np = n;
	return 0;
}

/* Check and hand over the whole message at p (dec->total bytes). */
static int
deliver(struct es_decoder *dec, const unsigned char *p, struct err *err)
{
	struct es_message	 m;
	struct err		 cberr;

	memset(&m, 0, sizeof m);
	m.total_len = dec->total;
	m.headers_len = dec->hlen;
	m.prelude_crc = get32(p + 8);
	m.message_crc = get32(p + dec->total - 4);
	if (crc(p, dec->total - 4) != m.message_crc)
		return dec_fail(dec, err, ERR_PROTOCOL,
		    N_("Message checksum mismatch"));
	if (parse_headers(dec, p, &m.nheaders, err) != 0)
		return -1;
	m.headers = dec->hdrs;
	m.payload = p + ES_PRELUDE_LEN + dec->hlen;
	m.payload_len = dec->total - dec->hlen - ES_MIN_MESSAGE;

	err_clear(&cberr);
	if (dec->cb != NULL && dec->cb(&m, dec->arg, &cberr) != 0) {
		if (cberr.kind == ERR_NONE && cberr.message[0] == '\0')
			err_set(&cberr, ERR_CANCELLED,
			    N_("The event stream was stopped by its reader"));
		err_copy(&dec->err, &cberr);
		if (dec->err.where[0] == '\0')
			mark_where(dec);
		dec->failed = 1;
		err_copy(err, &dec->err);
		return -1;
	}
	dec->count++;
	dec->offset += dec->total;
	dec->total = 0;
	return 0;
}

static int
gather(struct es_decoder *dec, const unsigned char *p, size_t n,
    struct err *err)
{
	if (buf_add(&dec->pending, p, n) != 0)
		return dec_fail(dec, err, ERR_INTERNAL,
		    N_("Event stream buffer overflow"));
	return 0;
}

int
es_push(struct es_decoder *dec, const void *buf, size_t len,
    struct err *err)
{
	const unsigned char	*p = buf;
	const unsigned char	*q;
	size_t			 n;

	if (dec->failed) {
		err_copy(err, &dec->err);
		return -1;
	}
	while (len > 0) {
		if (dec->total == 0 && dec->pending.len == 0 &&
		    len >= ES_PRELUDE_LEN) {
			if (check_prelude(dec, p, err) != 0)
				return -1;
			if (len >= dec->total) {
				n = dec->total;
				if (deliver(dec, p, err) != 0)
					return -1;
				p += n;
				len -= n;
				continue;
			}
		}
		if (dec->total == 0) {
			n = ES_PRELUDE_LEN - dec->pending.len;
			if (n > len)
				n = len;
			if (gather(dec, p, n, err) != 0)
				return -1;
			p += n;
			len -= n;
			if (dec->pending.len < ES_PRELUDE_LEN)
				break;
			q = (const unsigned char *)dec->pending.data;
			if (check_prelude(dec, q, err) != 0)
				return -1;
			continue;
		}
		n = dec->total - dec->pending.len;
		if (n > len)
			n = len;
		if (gather(dec, p, n, err) != 0)
			return -1;
		p += n;
		len -= n;
		if (dec->pending.len < dec->total)
			break;
		q = (const unsigned char *)dec->pending.data;
		if (deliver(dec, q, err) != 0)
			return -1;
		if (dec->pending.cap > KEEP_PENDING)
			buf_free(&dec->pending);
		else
			buf_reset(&dec->pending);
	}
	return 0;
}

int
es_decoder_finish(struct es_decoder *dec, struct err *err)
{
	if (dec->failed) {
		err_copy(err, &dec->err);
		return -1;
	}
	if (dec->pending.len == 0)
		return 0;
	if (dec->total == 0)
		return dec_fail(dec, err, ERR_PROTOCOL,
		    N_("The event stream ended in the middle of a message:"
		    " %zu of the %u prelude bytes arrived"),
		    dec->pending.len, (unsigned)ES_PRELUDE_LEN);
	return dec_fail(dec, err, ERR_PROTOCOL,
	    N_("The event stream ended in the middle of a message:"
	    " %zu of %" PRIu32 " bytes arrived"), dec->pending.len,
	    dec->total);
}

const struct es_header *
es_header_find(const struct es_message *m, const char *name)
{
	size_t	 i, n = strlen(name);

	for (i = 0; i < m->nheaders; i++) {
		const struct es_header *h = &m->headers[i];

		if (h->name_len == n && memcmp(h->name, name, n) == 0)
			return h;
	}
	return NULL;
}

const char *
es_header_str(const struct es_message *m, const char *name)
{
	const struct es_header	*h = es_header_find(m, name);

	if (h == NULL || h->type != ES_STRING || h->data == NULL ||
	    memchr(h->data, '\0', h->len) != NULL)
		return NULL;
	return (const char *)h->data;
}

struct es_header
es_hdr_string(const char *name, const char *value)
{
	return es_hdr_bytes(name, ES_STRING, value, strlen(value));
}

struct es_header
es_hdr_bool(const char *name, int value)
{
	struct es_header	 h;

	memset(&h, 0, sizeof h);
	h.name = name;
	h.name_len = strlen(name);
	h.type = value ? ES_BOOL_TRUE : ES_BOOL_FALSE;
	h.i = value != 0;
	return h;
}

struct es_header
es_hdr_int(const char *name, enum es_type type, int64_t value)
{
	struct es_header	 h;

	memset(&h, 0, sizeof h);
	h.name = name;
	h.name_len = strlen(name);
	h.type = type;
	h.i = value;
	return h;
}

struct es_header
es_hdr_bytes(const char *name, enum es_type type, const void *data,
    size_t len)
{
	struct es_header	 h;

	memset(&h, 0, sizeof h);
	h.name = name;
	h.name_len = strlen(name);
	h.type = type;
	h.data = data;
	h.len = len;
	return h;
}

/* Bytes one header takes on the wire, or 0 if it cannot be encoded. */
static size_t
header_size(const struct es_header *h)
{
	size_t	 base;

	if (h->name_len > 255 || (h->name == NULL && h->name_len > 0))
		return 0;
	base = 1 + h->name_len + 1;
	switch (h->type) {
	case ES_BOOL_TRUE:
	case ES_BOOL_FALSE:
		return base;
	case ES_BYTE:
		return h->i < INT8_MIN || h->i > INT8_MAX ? 0 : base + 1;
	case ES_SHORT:
		return h->i < INT16_MIN || h->i > INT16_MAX ? 0 : base + 2;
	case ES_INT32:
		return h->i < INT32_MIN || h->i > INT32_MAX ? 0 : base + 4;
	case ES_INT64:
	case ES_TIMESTAMP:
		return base + 8;
	case ES_UUID:
		return h->len != 16 || h->data == NULL ? 0 : base + 16;
	case ES_BYTES:
	case ES_STRING:
		if (h->len > UINT16_MAX || (h->data == NULL && h->len > 0))
			return 0;
		return base + 2 + h->len;
	}
	return 0;
}

static void
put_header(struct buf *out, const struct es_header *h)
{
	unsigned char	 b[8];
	size_t		 n;

	b[0] = (unsigned char)h->name_len;
	buf_add(out, b, 1);
	buf_add(out, h->name, h->name_len);
	b[0] = (unsigned char)h->type;
	buf_add(out, b, 1);
	switch (h->type) {
	case ES_BOOL_TRUE:
	case ES_BOOL_FALSE:
		return;
	case ES_BYTES:
	case ES_STRING:
		put_be(b, h->len, 2);
		buf_add(out, b, 2);
		buf_add(out, h->data, h->len);
		return;
	case ES_UUID:
		buf_add(out, h->data, 16);
		return;
	default:
		n = fixed_size(h->type);
		put_be(b, (uint64_t)h->i, n);
		buf_add(out, b, n);
		return;
	}
}

int
es_encode(const struct es_header *hdrs, size_t n, const void *payload,
    size_t len, struct buf *out)
{
	const struct es_header	**sorted = NULL;
	const struct es_header	*dup;
	unsigned char		 pre[ES_PRELUDE_LEN];
	size_t			 i, hlen = 0, total, start, cap = 0, sz;

	for (i = 0; i < n; i++) {
		if ((sz = header_size(&hdrs[i])) == 0)
			return -1;
		hlen += sz;
		if (hlen > ES_MAX_HEADERS)
			return -1;
	}
	if (len > ES_MAX_PAYLOAD || (payload == NULL && len > 0))
		return -1;
	dup = first_duplicate(hdrs, n, &sorted, &cap);
	free(sorted);
	if (dup != NULL)
		return -1;
	total = ES_MIN_MESSAGE + hlen + len;
	if (out->len > out->max || total > out->max - out->len)
		return -1;

	start = out->len;
	put_be(pre, total, 4);
	put_be(pre + 4, hlen, 4);
	put_be(pre + 8, crc(pre, 8), 4);
	buf_add(out, pre, sizeof pre);
	for (i = 0; i < n; i++)
		put_header(out, &hdrs[i]);
	buf_add(out, payload, len);
	put_be(pre, crc((const unsigned char *)out->data + start, total - 4),
	    4);
	buf_add(out, pre, 4);
	return 0;
}
