/*
 * fuzz_eventstream.c: fuzz target for the event-stream decoder.
 *
 * The input is decoded in one push, in chunks of sizes picked from a hash
 * of it, and (when short) one byte at a time; every run must see the same
 * messages and end with the same error.  Every message must also
 * encode back to exactly the bytes it came from.  A broken invariant
 * aborts, which the fuzzer reports.
 *
 * With clang: clang -fsanitize=fuzzer,address,undefined ... (libFuzzer's
 * main).  Elsewhere build with -DBS_FUZZ_MAIN for a main that replays the
 * files named on the command line, e.g. the vectors as a regression test
 * (they are also a good seed corpus, as they are).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "converse_stream.h"
#include "err.h"
#include "eventstream.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct run {
	const uint8_t	*data;		/* the stream */
	size_t		 off;		/* where the next message starts */
	struct buf	 log;		/* what was decoded, as text */
	struct buf	 enc;
};

static void
log_message(struct buf *b, const struct es_message *m)
{
	size_t	 i, k;

	buf_printf(b, "%u/%u:", (unsigned)m->total_len,
	    (unsigned)m->headers_len);
	for (i = 0; i < m->nheaders; i++) {
		const struct es_header *h = &m->headers[i];

		buf_printf(b, " %zu:%d:%lld:", h->name_len, (int)h->type,
		    (long long)h->i);
		for (k = 0; h->data != NULL && k < h->len; k++)
			buf_printf(b, "%02x", h->data[k]);
	}
	buf_printf(b, " %zu\n", m->payload_len);
}

static int
on_message(const struct es_message *m, void *arg, struct err *err)
{
	struct run			*r = arg;
	struct converse_stream_frame	 f;
	struct err			 cerr;

	(void)err;
	log_message(&r->log, m);
	if (converse_stream_classify(m, &f, &cerr) == 0 &&
	    f.kind == CONVERSE_STREAM_EVENT && f.type == NULL)
		abort();
	buf_reset(&r->enc);
	if (es_encode(m->headers, m->nheaders, m->payload, m->payload_len,
	    &r->enc) != 0 || r->enc.len != m->total_len ||
	    memcmp(r->enc.data, r->data + r->off, r->enc.len) != 0)
		abort();
	r->off += m->total_len;
	return 0;
}

/*
 * Decode data in chunks: step 0 picks sizes from seed, SIZE_MAX is all at
 * once.  The log ends with the outcome.
 */
static void
run_decode(const uint8_t *data, size_t len, uint32_t seed, size_t step,
    struct run *r)
{
	static const struct es_limits lim = { 1024 * 1024, 0, 0 };
	struct es_decoder	*dec;
	struct err		 err;
	size_t			 off = 0, n;
	int			 rc = 0;

	r->data = data;
	r->off = 0;
	buf_init(&r->log, 0);
	buf_init(&r->enc, 0);
	err_clear(&err);
	dec = es_decoder_new(&lim, on_message, r);
	while (rc == 0 && off < len) {
		n = step;
		if (step == 0) {
			seed = seed * 1103515245u + 12345u;
			n = 1 + (seed >> 16) % 64;
		}
		if (n > len - off)
			n = len - off;
		rc = es_push(dec, data + off, n, &err);
		off += n;
	}
	if (rc == 0)
		rc = es_decoder_finish(dec, &err);
	buf_printf(&r->log, "rc %d: %s @ %s", rc, err.message, err.where);
	es_decoder_free(dec);
	buf_free(&r->enc);
}

static void
same_as(const struct run *a, const uint8_t *data, size_t size,
    uint32_t seed, size_t step)
{
	struct run	 b;

	run_decode(data, size, seed, step, &b);
	if (a->log.len != b.log.len ||
	    memcmp(buf_str(&a->log), buf_str(&b.log), a->log.len) != 0)
		abort();
	buf_free(&b.log);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run	 a;
	uint32_t	 seed = 2166136261u;
	size_t		 i;

	for (i = 0; i < size; i++)
		seed = (seed ^ data[i]) * 16777619u;
	run_decode(data, size, seed, SIZE_MAX, &a);
	same_as(&a, data, size, seed, 0);
	if (size <= 4096)
		same_as(&a, data, size, seed, 1);
	buf_free(&a.log);
	return 0;
}

#ifdef BS_FUZZ_MAIN
int
main(int argc, char **argv)
{
	struct buf	 in;
	char		 tmp[4096];
	size_t		 n;
	FILE		*f;
	int		 i, bad = 0;

	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL) {
			perror(argv[i]);
			bad++;
			continue;
		}
		buf_init(&in, 0);
		while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
			if (buf_add(&in, tmp, n) != 0)
				break;
		fclose(f);
		LLVMFuzzerTestOneInput((const uint8_t *)buf_str(&in), in.len);
		buf_free(&in);
	}
	printf("replayed %d input(s)\n", argc - 1 - bad);
	return bad != 0;
}
#endif
