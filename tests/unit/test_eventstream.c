/*
 * test_eventstream.c: unit tests for the event-stream codec (eventstream.c)
 * and the ConverseStream frame sorting (converse_stream.c).
 *
 * The two hex messages are test vectors 1 and 2 of bedrock-facts.md 3.3
 * (built and decoded with botocore).  Broken messages are made by encoding
 * a good one and patching bytes; CRCs are then recomputed with zlib here,
 * so that only the intended defect remains.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "buf.h"
#include "converse_stream.h"
#include "err.h"
#include "eventstream.h"
#include "tap.h"
#include "xalloc.h"

static const char vec1_hex[] =
    "0000009400000057b4ab9aee0b3a6576656e742d74797065070011636f6e74656e74"
    "426c6f636b44656c74610d3a636f6e74656e742d74797065"
    "0700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d7479706507"
    "00056576656e747b22636f6e74656e74426c6f636b496e64"
    "6578223a302c2264656c7461223a7b2274657874223a224869227d7d1f944657";

static const char vec2_hex[] =
    "000000b0000000614f5086b30f3a657863657074696f6e2d747970650700137468726f"
    "74746c696e67457863657074696f6e0d3a636f6e74656e74"
    "2d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d"
    "74797065070009657863657074696f6e7b226d657373616765"
    "223a22546f6f206d616e7920746f6b656e732c20706c656173652077616974206265"
    "666f726520747279696e6720616761696e2e227df70ae57f";

/* What the callback saw. */
struct seen {
	int		 calls;
	struct buf	 snap;		/* every message as one line of text */
	int		 stop_at;	/* return -1 on this call (1-based); 0 never */
	int		 set_err;	/* and fill in err when stopping */
	struct converse_stream_frame f;	/* of the last message */
	int		 classify_rc;
	struct err	 cerr;
	char		 type[64];
	char		 ctype[64];
	char		 payload[256];
};

static void
hex_decode(const char *hex, struct buf *out)
{
	size_t	 i, n = strlen(hex);

	buf_init(out, 0);
	for (i = 0; i + 1 < n; i += 2) {
		char		 t[3] = { hex[i], hex[i + 1], '\0' };
		unsigned char	 c = (unsigned char)strtoul(t, NULL, 16);

		buf_add(out, &c, 1);
	}
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t
zcrc(const void *p, size_t n)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)n);
}

/* Recompute both CRCs of the message at p, after patching it. */
static void
fix_crcs(unsigned char *p, size_t total)
{
	put32(p + 8, zcrc(p, 8));
	put32(p + total - 4, zcrc(p, total - 4));
}

/* A 12-byte prelude with a correct CRC. */
static void
make_prelude(unsigned char *p, uint32_t total, uint32_t hlen)
{
	put32(p, total);
	put32(p + 4, hlen);
	put32(p + 8, zcrc(p, 8));
}

static void
add_hex(struct buf *b, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t	 i;

	for (i = 0; i < n; i++) {
		char	 two[2] = { digits[p[i] >> 4], digits[p[i] & 15] };

		buf_add(b, two, 2);
	}
}

static void
snapshot(struct buf *b, const struct es_message *m)
{
	size_t	 i;

	buf_printf(b, "%" PRIu32 "/%" PRIu32 "/%08" PRIx32 "/%08" PRIx32,
	    m->total_len, m->headers_len, m->prelude_crc, m->message_crc);
	for (i = 0; i < m->nheaders; i++) {
		const struct es_header *h = &m->headers[i];

		buf_printf(b, " %.*s:%d:%" PRId64 ":", (int)h->name_len,
		    h->name, (int)h->type, h->i);
		if (h->data != NULL)
			add_hex(b, h->data, h->len);
	}
	buf_addc(b, ' ');
	buf_add(b, m->payload, m->payload_len);
	buf_addc(b, '\n');
}

static int
on_message(const struct es_message *m, void *arg, struct err *err)
{
	struct seen	*s = arg;

	s->calls++;
	snapshot(&s->snap, m);
	err_clear(&s->cerr);
	s->classify_rc = converse_stream_classify(m, &s->f, &s->cerr);
	snprintf(s->type, sizeof s->type, "%s",
	    s->f.type != NULL ? s->f.type : "(null)");
	snprintf(s->ctype, sizeof s->ctype, "%s",
	    s->f.content_type != NULL ? s->f.content_type : "(null)");
	snprintf(s->payload, sizeof s->payload, "%.*s",
	    (int)s->f.payload_len, (const char *)s->f.payload);
	if (s->stop_at != 0 && s->calls == s->stop_at) {
		if (s->set_err)
			err_set(err, ERR_AWS, "stopped at %d", s->calls);
		return -1;
	}
	return 0;
}

static void
seen_init(struct seen *s)
{
	memset(s, 0, sizeof *s);
	buf_init(&s->snap, 0);
}

/* Decode data whole; 0 or -1 from es_push/es_decoder_finish. */
static int
decode_all(const void *data, size_t len, const struct es_limits *lim,
    struct seen *s, struct err *err)
{
	struct es_decoder	*dec = es_decoder_new(lim, on_message, s);
	int			 rc;

	err_clear(err);
	rc = es_push(dec, data, len, err);
	if (rc == 0)
		rc = es_decoder_finish(dec, err);
	es_decoder_free(dec);
	return rc;
}

/* Decode data cut at the given offsets (sorted, inside data). */
static int
decode_cut(const struct buf *data, const size_t *cuts, size_t ncuts,
    struct seen *s, struct err *err)
{
	struct es_decoder	*dec = es_decoder_new(NULL, on_message, s);
	size_t			 i, from = 0;
	int			 rc = 0;

	err_clear(err);
	for (i = 0; i <= ncuts && rc == 0; i++) {
		size_t to = i < ncuts ? cuts[i] : data->len;

		rc = es_push(dec, data->data + from, to - from, err);
		from = to;
	}
	if (rc == 0)
		rc = es_decoder_finish(dec, err);
	es_decoder_free(dec);
	return rc;
}

static void
test_vector1(void)
{
	struct buf		 raw;
	struct seen		 s;
	struct err		 err;

	hex_decode(vec1_hex, &raw);
	seen_init(&s);
	is_int(decode_all(raw.data, raw.len, NULL, &s, &err), 0,
	    "vector 1 decodes");
	is_int(s.calls, 1, "vector 1: one message");
	is_str(buf_str(&s.snap),
	    "148/87/b4ab9aee/1f944657"
	    " :event-type:7:0:636f6e74656e74426c6f636b44656c7461"
	    " :content-type:7:0:6170706c69636174696f6e2f6a736f6e"
	    " :message-type:7:0:6576656e74"
	    " {\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}\n",
	    "vector 1: lengths, CRCs, headers, payload");
	is_int(s.classify_rc, 0, "vector 1: classified");
	is_int(s.f.kind, CONVERSE_STREAM_EVENT, "vector 1: an event");
	is_int(s.f.event, CONVERSE_STREAM_CONTENT_BLOCK_DELTA,
	    "vector 1: contentBlockDelta");
	is_str(s.type, "contentBlockDelta", "vector 1: type text");
	is_str(s.ctype, "application/json", "vector 1: content type");
	buf_free(&s.snap);
	buf_free(&raw);
}

static void
test_vector2(void)
{
	struct buf	 raw;
	struct seen	 s;
	struct err	 err;

	hex_decode(vec2_hex, &raw);
	seen_init(&s);
	is_int(decode_all(raw.data, raw.len, NULL, &s, &err), 0,
	    "vector 2 decodes");
	is_int(s.calls, 1, "vector 2: one message");
	is_int(raw.len, 176, "vector 2: 176 bytes");
	ok(strncmp(buf_str(&s.snap), "176/97/4f5086b3/f70ae57f ", 25) == 0,
	    "vector 2: lengths and CRCs");
	is_int(s.classify_rc, 0, "vector 2: classified");
	is_int(s.f.kind, CONVERSE_STREAM_EXCEPTION, "vector 2: an exception");
	is_int(s.f.event, CONVERSE_STREAM_OTHER, "vector 2: no event");
	is_str(s.type, "throttlingException", "vector 2: exception type");
	is_str(s.payload, "{\"message\":\"Too many tokens, please wait"
	    " before trying again.\"}", "vector 2: payload");
	buf_free(&s.snap);
	buf_free(&raw);
}

/* A stream of several messages, every type of header among them. */
static void
build_stream(struct buf *out, size_t *nmsg)
{
	static const unsigned char uuid[16] = {
		0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0xff
	};
	struct es_header	 h[10];
	struct buf		 v;
	char			 big[300];

	buf_init(out, 0);
	hex_decode(vec1_hex, &v);
	buf_add(out, v.data, v.len);
	buf_free(&v);
	hex_decode(vec2_hex, &v);
	buf_add(out, v.data, v.len);
	buf_free(&v);

	h[0] = es_hdr_bool("t", 1);
	h[1] = es_hdr_bool("f", 0);
	h[2] = es_hdr_int("byte", ES_BYTE, -128);
	h[3] = es_hdr_int("short", ES_SHORT, INT16_MIN);
	h[4] = es_hdr_int("int32", ES_INT32, INT32_MAX);
	h[5] = es_hdr_int("int64", ES_INT64, INT64_MIN);
	h[6] = es_hdr_bytes("bytes", ES_BYTES, "a\0b", 3);
	h[7] = es_hdr_string("string", "");
	h[8] = es_hdr_int("ts", ES_TIMESTAMP, -1);
	h[9] = es_hdr_bytes("uuid", ES_UUID, uuid, 16);
	es_encode(h, 10, "payload", 7, out);
	es_encode(NULL, 0, NULL, 0, out);
	memset(big, 'x', sizeof big);
	h[0] = es_hdr_string(":message-type", "event");
	h[1] = es_hdr_string(":event-type", "metadata");
	es_encode(h, 2, big, sizeof big, out);
	*nmsg = 5;
}

static void
test_splits(void)
{
	struct buf	 stream, want;
	struct seen	 s;
	struct err	 err;
	size_t		 nmsg, i, j, cuts[2], bad2 = 0, bad3 = 0, n3 = 0;
	int		 rc;

	build_stream(&stream, &nmsg);
	seen_init(&s);
	rc = decode_all(stream.data, stream.len, NULL, &s, &err);
	is_int(rc, 0, "stream of %zu messages decodes", nmsg);
	is_int(s.calls, (int)nmsg, "stream: every message delivered");
	ok(strstr(buf_str(&s.snap), " t:0:1: f:1:0: byte:2:-128: short:3:"
	    "-32768: int32:4:2147483647: int64:5:-9223372036854775808: bytes:"
	    "6:0:610062 string:7:0: ts:8:-1: uuid:9:0:deadbeef000102030405060"
	    "708090aff payload\n") != NULL,
	    "stream: all ten header types, extreme values, round trip");
	want = s.snap;

	for (i = 1; i < stream.len; i++) {
		seen_init(&s);
		cuts[0] = i;
		if (decode_cut(&stream, cuts, 1, &s, &err) != 0 ||
		    strcmp(buf_str(&s.snap), buf_str(&want)) != 0)
			bad2++;
		buf_free(&s.snap);
	}
	is_int(bad2, 0, "stream split in two at each of %zu offsets",
	    stream.len - 1);

	/* Three pieces: every pair of cuts in the first 176 bytes (the first
	 * message and the start of the second). */
	for (i = 1; i < 176; i++)
		for (j = i; j < 176; j++) {
			seen_init(&s);
			cuts[0] = i;
			cuts[1] = j;
			n3++;
			if (decode_cut(&stream, cuts, 2, &s, &err) != 0 ||
			    strcmp(buf_str(&s.snap), buf_str(&want)) != 0)
				bad3++;
			buf_free(&s.snap);
		}
	is_int(bad3, 0, "stream split in three, %zu ways", n3);

	/* One byte at a time. */
	{
		struct es_decoder *dec = es_decoder_new(NULL, on_message, &s);

		seen_init(&s);
		rc = 0;
		for (i = 0; i < stream.len && rc == 0; i++)
			rc = es_push(dec, stream.data + i, 1, &err);
		is_int(rc, 0, "one byte at a time");
		is_int(es_decoder_finish(dec, &err), 0, "clean end");
		is_int(es_decoder_count(dec), nmsg, "count");
		is_str(buf_str(&s.snap), buf_str(&want), "same messages");
		is_int(es_push(dec, NULL, 0, &err), 0, "empty push is fine");
		es_decoder_free(dec);
		buf_free(&s.snap);
	}
	buf_free(&want);
	buf_free(&stream);
}

/* Expect data to be rejected with kind and text (and no message). */
static void
rejects(const void *data, size_t len, const struct es_limits *lim,
    enum err_kind kind, const char *text, const char *what)
{
	struct seen	 s;
	struct err	 err;

	seen_init(&s);
	is_int(decode_all(data, len, lim, &s, &err), -1, "%s: rejected",
	    what);
	is_str(err.message, text, "%s: message", what);
	is_int(err.kind, kind, "%s: kind %s", what, err_kind_name(kind));
	is_int(s.calls, 0, "%s: nothing delivered", what);
	buf_free(&s.snap);
}

static void
test_limits(void)
{
	struct es_limits	 lim;
	struct es_header	 h[1];
	struct buf		 m;
	unsigned char		 pre[12];
	char			 payload[64];
	struct seen		 s;
	struct err		 err;

	make_prelude(pre, 15, 0);
	rejects(pre, sizeof pre, NULL, ERR_PROTOCOL, "Event stream message"
	    " length 15 is below the minimum of 16 bytes", "total 15");
	make_prelude(pre, 0, 0);
	rejects(pre, sizeof pre, NULL, ERR_PROTOCOL, "Event stream message"
	    " length 0 is below the minimum of 16 bytes", "total 0");
	make_prelude(pre, 20, 5);
	rejects(pre, sizeof pre, NULL, ERR_PROTOCOL, "Event stream headers"
	    " length 5 does not fit in a message of 20 bytes",
	    "headers longer than the message");
	make_prelude(pre, 0xffffffffu, 0);
	rejects(pre, sizeof pre, NULL, ERR_LIMIT, "Event stream message"
	    " length 4294967295 is over the limit of 25296912 bytes",
	    "total 4 GiB");
	make_prelude(pre, 16 + 131073, 131073);
	rejects(pre, sizeof pre, NULL, ERR_LIMIT, "Event stream headers"
	    " length 131073 is over the limit of 131072 bytes",
	    "headers 128 KiB + 1");
	make_prelude(pre, 16 + 25165825, 0);
	rejects(pre, sizeof pre, NULL, ERR_LIMIT, "Event stream payload"
	    " length 25165825 is over the limit of 25165824 bytes",
	    "payload 24 MiB + 1");
	memset(&lim, 0, sizeof lim);
	lim.max_payload = 100u * 1024 * 1024;
	rejects(pre, sizeof pre, &lim, ERR_LIMIT, "Event stream payload"
	    " length 25165825 is over the limit of 25165824 bytes",
	    "a cap above the default is lowered to it");

	/* Lower caps, at and past the boundary. */
	memset(payload, 'p', sizeof payload);
	h[0] = es_hdr_string("k", "vvvvvvvvvvvv");	/* 1+1+1+2+12 = 17 */
	buf_init(&m, 0);
	es_encode(h, 1, payload, 10, &m);		/* 43 bytes */
	is_int(m.len, 43, "test message is 43 bytes");
	memset(&lim, 0, sizeof lim);
	lim.max_message = 43;
	lim.max_headers = 17;
	lim.max_payload = 10;
	seen_init(&s);
	is_int(decode_all(m.data, m.len, &lim, &s, &err), 0,
	    "exactly at every cap: accepted");
	buf_free(&s.snap);
	lim.max_message = 42;
	rejects(m.data, m.len, &lim, ERR_LIMIT, "Event stream message length"
	    " 43 is over the limit of 42 bytes", "max_message 42");
	lim.max_message = 0;
	lim.max_headers = 16;
	rejects(m.data, m.len, &lim, ERR_LIMIT, "Event stream headers length"
	    " 17 is over the limit of 16 bytes", "max_headers 16");
	lim.max_headers = 0;
	lim.max_payload = 9;
	rejects(m.data, m.len, &lim, ERR_LIMIT, "Event stream payload length"
	    " 10 is over the limit of 9 bytes", "max_payload 9");
	/* The cap is enforced on the prelude alone. */
	rejects(m.data, 12, &lim, ERR_LIMIT, "Event stream payload length"
	    " 10 is over the limit of 9 bytes", "max_payload 9, prelude only");
	buf_free(&m);
}

/* Encode one message, let patch() break it, fix the CRCs, expect text. */
static void
broken(const struct es_header *h, size_t n, void (*patch)(unsigned char *),
    const char *text, const char *what)
{
	struct buf	 m;

	buf_init(&m, 0);
	if (!ok(es_encode(h, n, "{}", 2, &m) == 0, "%s: encoded", what))
		return;
	patch((unsigned char *)m.data);
	fix_crcs((unsigned char *)m.data, m.len);
	rejects(m.data, m.len, NULL, ERR_PROTOCOL, text, what);
	buf_free(&m);
}

/* Message layout: prelude 12, then header 1 at 12, name at 13. */
static void
patch_dup(unsigned char *p)
{
	/* "ab" string "x" is 1+2+1+2+1 = 7 bytes; the next name is at 20. */
	p[21] = 'b';
}

/* Header "x": its type byte is at 14. */
/* Bool headers "b" "a" "c" "d" (3 bytes each) become "b" "a" "a" "b". */
static void
patch_dup_order(unsigned char *p)
{
	p[19] = 'a';
	p[22] = 'b';
}

static void
patch_type10(unsigned char *p)
{
	p[14] = 10;
}

static void
patch_type255(unsigned char *p)
{
	p[14] = 255;
}

static void
set_hlen(unsigned char *p, uint32_t hlen)
{
	put32(p + 4, hlen);
}

static void
patch_hlen3(unsigned char *p)
{
	set_hlen(p, 3);
}

static void
patch_hlen5(unsigned char *p)
{
	set_hlen(p, 5);
}

static void
patch_hlen7(unsigned char *p)
{
	set_hlen(p, 7);
}

static void
patch_hlen10(unsigned char *p)
{
	set_hlen(p, 10);
}

static void
patch_strlen(unsigned char *p)
{
	/* Header "name" string "value": its length is at 18. */
	p[19] = 6;
}

static void
patch_int_hlen(unsigned char *p)
{
	/* "n" int32: 1+1+1+4 = 7 bytes; keep 5 of them. */
	set_hlen(p, 5);
}

static void
patch_hlen_long(unsigned char *p)
{
	set_hlen(p, 1 + 255);
}

static void
test_headers(void)
{
	static const unsigned char u[16];
	struct es_header	 h[4];
	char			 nm[300];

	h[0] = es_hdr_string("ab", "x");
	h[1] = es_hdr_string("ac", "y");
	broken(h, 2, patch_dup, "Event stream header \"ab\" appears more than"
	    " once", "duplicate names");
	h[2] = es_hdr_bool("ad", 1);
	broken(h, 3, patch_dup, "Event stream header \"ab\" appears more than"
	    " once", "duplicate names among three");

	h[0] = es_hdr_bool("b", 1);
	h[1] = es_hdr_bool("a", 1);
	h[2] = es_hdr_bool("c", 0);
	h[3] = es_hdr_bool("d", 1);
	broken(h, 4, patch_dup_order, "Event stream header \"a\" appears more"
	    " than once", "the first repeat in wire order is named");

	h[0] = es_hdr_string("x", "v");
	broken(h, 1, patch_type10, "Event stream header \"x\" has unknown type"
	    " 10", "type 10");
	broken(h, 1, patch_type255, "Event stream header \"x\" has unknown type"
	    " 255", "type 255");

	h[0] = es_hdr_string("name", "value");
	broken(h, 1, patch_hlen3, "Event stream header 1 is truncated: its"
	    " name needs 4 bytes and has 2", "name cut short");
	broken(h, 1, patch_hlen5, "Event stream header \"name\" is truncated:"
	    " its type byte is missing", "type byte missing");
	broken(h, 1, patch_hlen7, "Event stream header \"name\" (string) is"
	    " truncated: its length needs 2 bytes and has 1",
	    "string length cut short");
	broken(h, 1, patch_hlen10, "Event stream header \"name\" (string) is"
	    " truncated: its value needs 5 bytes and has 2",
	    "string value cut short");
	broken(h, 1, patch_strlen, "Event stream header \"name\" (string) is"
	    " truncated: its value needs 6 bytes and has 5",
	    "string length past the headers");
	h[0] = es_hdr_int("n", ES_INT32, 7);
	broken(h, 1, patch_int_hlen, "Event stream header \"n\" (int32) is"
	    " truncated: its value needs 4 bytes and has 2",
	    "int32 value cut short");
	h[0] = es_hdr_bytes("n", ES_UUID, u, 16);
	broken(h, 1, patch_int_hlen, "Event stream header \"n\" (uuid) is"
	    " truncated: its value needs 16 bytes and has 2",
	    "uuid value cut short");

	/* Odd names are shown safely and cut short in messages. */
	memset(nm, 'n', sizeof nm);
	nm[0] = '\n';
	nm[255] = '\0';
	h[0] = es_hdr_string(nm, "v");
	{
		struct buf	 m;
		struct seen	 s;
		struct err	 err;

		buf_init(&m, 0);
		es_encode(h, 1, NULL, 0, &m);
		patch_hlen_long((unsigned char *)m.data);
		fix_crcs((unsigned char *)m.data, m.len);
		seen_init(&s);
		is_int(decode_all(m.data, m.len, NULL, &s, &err), -1,
		    "255-byte name with a control byte: rejected");
		ok(strncmp(err.message, "Event stream header \"?nnnnnnnnnn",
		    32) == 0 && strstr(err.message, "nnn...\" is truncated:"
		    " its type byte is missing") != NULL &&
		    strlen(err.message) < 160,
		    "255-byte name with a control byte: shown safely, cut short");
		printf("# %s\n", err.message);
		buf_free(&m);
		buf_free(&s.snap);
	}
}

static void
test_truncated_and_sticky(void)
{
	struct es_decoder	*dec;
	struct buf		 raw, two;
	struct seen		 s;
	struct err		 err;

	hex_decode(vec1_hex, &raw);
	seen_init(&s);
	dec = es_decoder_new(NULL, on_message, &s);
	is_int(es_push(dec, raw.data, raw.len - 1, &err), 0,
	    "147 of 148 bytes: waits for more");
	is_int(s.calls, 0, "nothing delivered yet");
	is_int(es_decoder_finish(dec, &err), -1, "end of stream: truncated");
	is_str(err.message, "The event stream ended in the middle of a"
	    " message: 147 of 148 bytes arrived", "truncated message text");
	is_str(err.where, "event stream message 1, byte offset 0",
	    "truncated message where");
	is_int(es_push(dec, raw.data + raw.len - 1, 1, &err), -1,
	    "after finish failed, the decoder stays failed");
	is_int(s.calls, 0, "and delivers nothing");
	es_decoder_free(dec);

	dec = es_decoder_new(NULL, on_message, &s);
	is_int(es_push(dec, raw.data, 5, &err), 0, "5 prelude bytes");
	is_int(es_decoder_finish(dec, &err), -1, "truncated prelude");
	is_str(err.message, "The event stream ended in the middle of a"
	    " message: 5 of the 12 prelude bytes arrived",
	    "truncated prelude text");
	es_decoder_free(dec);

	/* The second message is broken: where names it; later input fails. */
	buf_init(&two, 0);
	buf_add(&two, raw.data, raw.len);
	buf_add(&two, raw.data, raw.len);
	two.data[raw.len + 100] ^= 1;
	dec = es_decoder_new(NULL, on_message, &s);
	s.calls = 0;
	is_int(es_push(dec, two.data, two.len, &err), -1,
	    "second message corrupt");
	is_int(s.calls, 1, "the first was delivered");
	is_str(err.message, "Message checksum mismatch", "message CRC text");
	is_str(err.where, "event stream message 2, byte offset 148",
	    "message CRC where");
	err_clear(&err);
	is_int(es_push(dec, raw.data, raw.len, &err), -1,
	    "a good message after the failure is refused");
	is_str(err.message, "Message checksum mismatch",
	    "with the same error");
	is_int(es_decoder_finish(dec, &err), -1, "finish fails too");
	is_str(err.message, "Message checksum mismatch", "same error again");
	is_int(s.calls, 1, "nothing more delivered");
	es_decoder_free(dec);

	/* A flipped bit in the prelude. */
	two.data[raw.len + 100] ^= 1;
	two.data[raw.len + 3] ^= 0x40;
	dec = es_decoder_new(NULL, on_message, &s);
	s.calls = 0;
	is_int(es_push(dec, two.data, raw.len + 12, &err), -1,
	    "prelude corrupt: caught with only the prelude in");
	is_str(err.message, "Prelude checksum mismatch", "prelude CRC text");
	is_int(err.kind, ERR_PROTOCOL, "prelude CRC kind");
	is_int(s.calls, 1, "the first message was delivered");
	es_decoder_free(dec);

	/* A NULL err is allowed. */
	dec = es_decoder_new(NULL, NULL, NULL);
	is_int(es_push(dec, two.data, two.len, NULL), -1,
	    "NULL err and NULL callback");
	is_int(es_decoder_count(dec), 1, "first counted");
	es_decoder_free(dec);
	es_decoder_free(NULL);

	buf_free(&two);
	buf_free(&raw);
	buf_free(&s.snap);
}

static void
test_callback_stop(void)
{
	struct es_decoder	*dec;
	struct buf		 stream;
	struct seen		 s;
	struct err		 err;
	size_t			 nmsg;

	build_stream(&stream, &nmsg);
	seen_init(&s);
	s.stop_at = 2;
	s.set_err = 1;
	dec = es_decoder_new(NULL, on_message, &s);
	is_int(es_push(dec, stream.data, stream.len, &err), -1,
	    "callback stop: push fails");
	is_int(s.calls, 2, "callback stop: no message after the stop");
	is_str(err.message, "stopped at 2", "callback's own error kept");
	is_int(err.kind, ERR_AWS, "callback's own kind kept");
	is_str(err.where, "event stream message 2, byte offset 148",
	    "callback stop: where");
	is_int(es_push(dec, "x", 1, &err), -1, "stays stopped");
	is_str(err.message, "stopped at 2", "same error");
	es_decoder_free(dec);

	s.calls = 0;
	s.stop_at = 1;
	s.set_err = 0;
	dec = es_decoder_new(NULL, on_message, &s);
	is_int(es_push(dec, stream.data, stream.len, &err), -1,
	    "silent callback stop");
	is_str(err.message, "The event stream was stopped by its reader",
	    "silent stop text");
	is_int(err.kind, ERR_CANCELLED, "silent stop kind");
	es_decoder_free(dec);
	buf_free(&s.snap);
	buf_free(&stream);
}

static int
on_lookup(const struct es_message *m, void *arg, struct err *err)
{
	int			*n = arg;
	const struct es_header	*h;

	(void)err;
	is_str(es_header_str(m, "s"), "text", "es_header_str finds a string");
	is_str(es_header_str(m, "n"), NULL, "es_header_str: not a string");
	is_str(es_header_str(m, "b"), NULL, "es_header_str: a byte array");
	is_str(es_header_str(m, "z"), NULL, "es_header_str: NUL inside");
	is_str(es_header_str(m, "missing"), NULL, "es_header_str: missing");
	is_str(es_header_str(m, "S"), NULL, "es_header_str: names are exact");
	is_str(es_header_str(m, ""), "empty-name",
	    "es_header_str: empty name");
	h = es_header_find(m, "n");
	ok(h != NULL && h->type == ES_SHORT && h->i == -2,
	    "es_header_find: short -2");
	h = es_header_find(m, "b");
	ok(h != NULL && h->type == ES_BYTES && h->len == 3 &&
	    memcmp(h->data, "a\0b", 4) == 0, "byte array with NUL, NUL after");
	ok(es_header_find(m, "s") == &m->headers[0], "first header found");
	ok(es_header_find(m, "nope") == NULL, "es_header_find: missing");
	(*n)++;
	return 0;
}

static void
test_lookup(void)
{
	struct es_header	 h[5];
	struct es_decoder	*dec;
	struct buf		 m;
	struct err		 err;
	int			 n = 0;

	h[0] = es_hdr_string("s", "text");
	h[1] = es_hdr_int("n", ES_SHORT, -2);
	h[2] = es_hdr_bytes("z", ES_STRING, "a\0b", 3);
	h[3] = es_hdr_string("", "empty-name");
	h[4] = es_hdr_bytes("b", ES_BYTES, "a\0b", 3);
	buf_init(&m, 0);
	is_int(es_encode(h, 5, NULL, 0, &m), 0, "encode lookup message");
	dec = es_decoder_new(NULL, on_lookup, &n);
	is_int(es_push(dec, m.data, m.len, &err), 0, "lookup message decodes");
	is_int(n, 1, "lookup checks ran");
	es_decoder_free(dec);
	buf_free(&m);
}

static void
test_encode_rejects(void)
{
	struct es_header	 h[3];
	struct buf		 out, small;
	char			*big;
	size_t			 biglen = 25165825;
	struct seen		 s;
	struct err		 err;

	big = xcalloc(1, biglen);
	memset(big, 'a', 65536);
	big[255] = '\0';
	buf_init(&out, 0);
	h[0] = es_hdr_string(big, "v");
	is_int(es_encode(h, 1, NULL, 0, &out), 0, "255-byte name encodes");
	big[255] = 'a';
	big[256] = '\0';
	h[0] = es_hdr_string(big, "v");
	is_int(es_encode(h, 1, NULL, 0, &out), -1, "256-byte name refused");
	h[0] = es_hdr_bytes("s", ES_STRING, big, 65535);
	is_int(es_encode(h, 1, NULL, 0, &out), 0, "65535-byte string encodes");
	h[0] = es_hdr_bytes("s", ES_STRING, big, 65536);
	is_int(es_encode(h, 1, NULL, 0, &out), -1, "65536-byte string refused");
	h[0] = es_hdr_bytes("a", ES_BYTES, big, 65535);
	h[1] = es_hdr_bytes("b", ES_BYTES, big, 65535);
	is_int(es_encode(h, 2, NULL, 0, &out), -1,
	    "headers over 128 KiB refused");
	h[0] = es_hdr_int("b", ES_BYTE, 128);
	is_int(es_encode(h, 1, NULL, 0, &out), -1, "byte 128 refused");
	h[0] = es_hdr_int("b", ES_BYTE, -129);
	is_int(es_encode(h, 1, NULL, 0, &out), -1, "byte -129 refused");
	h[0] = es_hdr_int("s", ES_SHORT, 32768);
	is_int(es_encode(h, 1, NULL, 0, &out), -1, "short 32768 refused");
	h[0] = es_hdr_int("i", ES_INT32, (int64_t)INT32_MAX + 1);
	is_int(es_encode(h, 1, NULL, 0, &out), -1, "int32 2^31 refused");
	h[0] = es_hdr_bytes("u", ES_UUID, big, 15);
	is_int(es_encode(h, 1, NULL, 0, &out), -1, "15-byte uuid refused");
	h[0] = es_hdr_int("t", (enum es_type)10, 0);
	is_int(es_encode(h, 1, NULL, 0, &out), -1, "type 10 refused");
	h[0] = es_hdr_string("same", "1");
	h[1] = es_hdr_bool("other", 0);
	h[2] = es_hdr_int("same", ES_INT64, 2);
	is_int(es_encode(h, 3, NULL, 0, &out), -1, "repeated name refused");
	h[0].name = NULL;
	is_int(es_encode(h, 1, NULL, 0, &out), -1, "NULL name refused");
	is_int(es_encode(NULL, 0, big, biglen - 1, &out), 0,
	    "24 MiB payload encodes");
	is_int(es_encode(NULL, 0, big, biglen, &out), -1,
	    "24 MiB + 1 payload refused");
	is_int(es_encode(NULL, 0, NULL, 1, &out), -1, "NULL payload refused");

	/* The accepted ones decode back, a 24 MiB payload included. */
	seen_init(&s);
	is_int(decode_all(out.data, out.len, NULL, &s, &err), 0,
	    "accepted encodings decode");
	is_int(s.calls, 3, "three messages");
	buf_free(&s.snap);
	{
		struct es_decoder	*dec;
		size_t			 off, n;
		int			 rc = 0;

		seen_init(&s);
		dec = es_decoder_new(NULL, on_message, &s);
		for (off = 0; off < out.len && rc == 0; off += n) {
			n = out.len - off < 1000003 ? out.len - off : 1000003;
			rc = es_push(dec, out.data + off, n, &err);
		}
		is_int(rc, 0, "24 MiB message gathered from 1 MB chunks");
		is_int(es_push(dec, out.data, out.len, &err), 0,
		    "and the decoder goes on after it");
		is_int(s.calls, 6, "six messages in all");
		es_decoder_free(dec);
		buf_free(&s.snap);
	}

	buf_init(&small, 40);
	buf_addstr(&small, "abc");
	is_int(es_encode(NULL, 0, "1234567890123456789012", 22, &small), -1,
	    "out's cap respected");
	is_int(small.len, 3, "out unchanged on failure");
	is_str(buf_str(&small), "abc", "out contents unchanged");
	is_int(es_encode(NULL, 0, "123456789012345678901", 21, &small), 0,
	    "exactly filling out's cap");
	is_int(small.len, 40, "appended after what was there");
	seen_init(&s);
	is_int(decode_all(small.data + 3, small.len - 3, NULL, &s, &err), 0,
	    "appended message decodes");
	is_int(s.calls, 1, "one appended message");
	buf_free(&s.snap);
	buf_free(&small);
	buf_free(&out);
	free(big);
}

/* Encode one message with these headers, decode it, classify it. */
static void
classify(const struct es_header *h, size_t n, const char *payload,
    struct seen *s)
{
	struct buf	 m;
	struct err	 err;

	buf_init(&m, 0);
	seen_init(s);
	es_encode(h, n, payload, strlen(payload), &m);
	if (decode_all(m.data, m.len, NULL, s, &err) != 0 || s->calls != 1)
		s->classify_rc = 99;
	buf_free(&m);
	buf_free(&s->snap);
}

static void
test_converse(void)
{
	static const char *const names[] = {
		"messageStart", "contentBlockStart", "contentBlockDelta",
		"contentBlockStop", "messageStop", "metadata"
	};
	static const enum converse_stream_event evs[] = {
		CONVERSE_STREAM_MESSAGE_START,
		CONVERSE_STREAM_CONTENT_BLOCK_START,
		CONVERSE_STREAM_CONTENT_BLOCK_DELTA,
		CONVERSE_STREAM_CONTENT_BLOCK_STOP,
		CONVERSE_STREAM_MESSAGE_STOP, CONVERSE_STREAM_METADATA
	};
	struct es_header	 h[3];
	struct seen		 s;
	size_t			 i;

	h[0] = es_hdr_string(":message-type", "event");
	for (i = 0; i < 6; i++) {
		h[1] = es_hdr_string(":event-type", names[i]);
		classify(h, 2, "{}", &s);
		ok(s.classify_rc == 0 && s.f.kind == CONVERSE_STREAM_EVENT &&
		    s.f.event == evs[i], "event %s", names[i]);
		is_str(converse_stream_event_name(evs[i]), names[i],
		    "name of event %s", names[i]);
	}
	is_str(converse_stream_event_name(CONVERSE_STREAM_OTHER), "",
	    "name of OTHER");
	is_str(converse_stream_event_name((enum converse_stream_event)99), "",
	    "name of a bad value");
	h[1] = es_hdr_string(":event-type", "futureEvent");
	classify(h, 2, "{}", &s);
	ok(s.classify_rc == 0 && s.f.kind == CONVERSE_STREAM_EVENT &&
	    s.f.event == CONVERSE_STREAM_OTHER, "unknown event: OTHER");
	is_str(s.type, "futureEvent", "unknown event keeps its name");
	is_str(s.ctype, "(null)", "no :content-type: NULL");

	classify(h, 1, "{}", &s);
	is_int(s.classify_rc, -1, "event without :event-type");
	is_str(s.cerr.message, "Event stream event message has no :event-type"
	    " string header", "event without :event-type: text");
	is_int(s.cerr.kind, ERR_PROTOCOL, "event without :event-type: kind");

	h[0] = es_hdr_string(":message-type", "exception");
	classify(h, 1, "{\"message\":\"x\"}", &s);
	is_int(s.classify_rc, -1, "exception without :exception-type");
	is_str(s.cerr.message, "Event stream exception message has no"
	    " :exception-type string header", "exception without type: text");
	h[1] = es_hdr_string(":exception-type", "validationException");
	h[2] = es_hdr_string(":content-type", "application/json");
	classify(h, 3, "{\"message\":\"bad\"}", &s);
	ok(s.classify_rc == 0 && s.f.kind == CONVERSE_STREAM_EXCEPTION,
	    "exception");
	is_str(s.type, "validationException", "exception type");
	is_str(s.payload, "{\"message\":\"bad\"}", "exception payload");
	is_str(s.ctype, "application/json", "exception content type");

	h[0] = es_hdr_string(":message-type", "error");
	h[1] = es_hdr_string(":error-code", "InternalFailure");
	h[2] = es_hdr_string(":error-message", "Something broke");
	classify(h, 3, "", &s);
	ok(s.classify_rc == 0 && s.f.kind == CONVERSE_STREAM_ERROR, "error");
	is_str(s.type, "InternalFailure", "error code");
	is_int(s.f.payload_len, 0, "error: empty payload");
	classify(h, 2, "", &s);
	ok(s.classify_rc == 0 && s.f.kind == CONVERSE_STREAM_ERROR,
	    "error without :error-message");
	classify(h, 1, "", &s);
	is_str(s.cerr.message, "Event stream error message has no :error-code"
	    " string header", "error without :error-code");

	h[0] = es_hdr_string(":message-type", "weird");
	classify(h, 1, "", &s);
	is_int(s.classify_rc, -1, "unknown :message-type");
	is_str(s.cerr.message, "Event stream message has unknown"
	    " :message-type \"weird\"", "unknown :message-type: text");
	h[0] = es_hdr_string(":message-type", "\033[2J");
	classify(h, 1, "", &s);
	is_str(s.cerr.message, "Event stream message has unknown"
	    " :message-type \"?\"", "control bytes are not echoed");
	h[0] = es_hdr_int(":message-type", ES_INT32, 1);
	classify(h, 1, "", &s);
	is_str(s.cerr.message, "Event stream message has no :message-type"
	    " string header", ":message-type not a string");
	classify(h, 0, "", &s);
	is_str(s.cerr.message, "Event stream message has no :message-type"
	    " string header", "no headers at all");
}

/* The error frame case needs the message text outside the callback. */
struct errframe {
	char	 msg[64];
};

static int
on_errframe(const struct es_message *m, void *arg, struct err *err)
{
	struct errframe			*e = arg;
	struct converse_stream_frame	 f;

	if (converse_stream_classify(m, &f, err) != 0)
		return -1;
	snprintf(e->msg, sizeof e->msg, "%s", f.error_message);
	return 0;
}

static void
test_errframe_message(void)
{
	struct es_header	 h[3];
	struct es_decoder	*dec;
	struct errframe		 e;
	struct buf		 m;
	struct err		 err;
	size_t			 len1, len2;
	char			 where[80];

	h[0] = es_hdr_string(":message-type", "error");
	h[1] = es_hdr_string(":error-code", "InternalFailure");
	h[2] = es_hdr_string(":error-message", "Something broke");
	buf_init(&m, 0);
	es_encode(h, 3, NULL, 0, &m);
	len1 = m.len;
	es_encode(h, 2, NULL, 0, &m);
	len2 = m.len - len1;
	es_encode(h, 1, NULL, 0, &m);
	dec = es_decoder_new(NULL, on_errframe, &e);
	memset(&e, 0, sizeof e);
	is_int(es_push(dec, m.data, len1, &err), 0, "first error frame");
	es_decoder_free(dec);
	is_str(e.msg, "Something broke", "error frame message");
	dec = es_decoder_new(NULL, on_errframe, &e);
	is_int(es_push(dec, m.data, m.len, &err), -1,
	    "classify failure stops the decoder");
	is_str(e.msg, "", "missing :error-message gives \"\"");
	is_str(err.message, "Event stream error message has no :error-code"
	    " string header", "classify's error comes back from es_push");
	snprintf(where, sizeof where, "event stream message 3, byte offset %zu",
	    len1 + len2);
	is_str(err.where, where, "and where says which message");
	es_decoder_free(dec);
	buf_free(&m);
}

int
main(void)
{
	test_vector1();
	test_vector2();
	test_splits();
	test_limits();
	test_headers();
	test_truncated_and_sticky();
	test_callback_stop();
	test_lookup();
	test_encode_rejects();
	test_converse();
	test_errframe_message();
	return tap_done();
}
