/*
 * es_suite.c: run the event-stream decoder over a folder of AWS test vectors.
 *
 * Usage: es-suite [DIR], where DIR holds encoded/{positive,negative}/NAME (raw
 * messages) and decoded/{positive,negative}/NAME (the JSON expectation, or
 * the expected error text), as in tests/vectors/eventstream.  Each positive
 * message is checked field by field, decoded again one byte at a time and
 * in random chunks with the same result, and re-encoded to the same bytes.
 * Each negative message must be rejected with the expected text, however it
 * is split.  Prints TAP.  ES_SUITE_SEED picks the random chunkings.
 * Without DIR, $srcdir/tests/vectors/eventstream (automake's test harness
 * sets srcdir; "." when unset).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "buf.h"
#include "err.h"
#include "eventstream.h"
#include "tap.h"
#include "xalloc.h"

#define MAX_FILE	(1024u * 1024)
#define RANDOM_SPLITS	25

struct names {
	char	**v;
	size_t	  n;
};

/* What one decode of one message produced. */
struct run {
	const char	*name;
	const cJSON	*want;		/* checked field by field when set */
	int		 calls;
	struct buf	 snap;		/* every message, as text */
	struct buf	 reenc;		/* every message, encoded again */
};

static uint64_t rng_state;

static uint32_t
rng(void)
{
	/* xorshift64*: enough to pick chunk sizes reproducibly. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static int
read_file(const char *path, struct buf *out)
{
	FILE	*f;
	char	 tmp[4096];
	size_t	 n;
	int	 r = 0;

	buf_init(out, MAX_FILE);
	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		if (buf_add(out, tmp, n) != 0) {
			r = -1;
			break;
		}
	if (ferror(f))
		r = -1;
	fclose(f);
	return r;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The file names in dir, sorted; dot files left out. */
static int
list_dir(const char *dir, struct names *out)
{
	DIR		*d;
	struct dirent	*e;

	out->v = NULL;
	out->n = 0;
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
		out->v[out->n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (out->n > 0)
		qsort(out->v, out->n, sizeof *out->v, cmp_str);
	return 0;
}

static void
free_names(struct names *nm)
{
	size_t	 i;

	for (i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
}

static int
b64_val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode padded standard base64 into out; -1 if s is not that. */
static int
b64_decode(const char *s, struct buf *out)
{
	size_t	 n = strlen(s), i, pad = 0;

	buf_init(out, MAX_FILE);
	if (n % 4 != 0)
		return -1;
	if (n > 0 && s[n - 1] == '=')
		pad++;
	if (n > 1 && s[n - 2] == '=')
		pad++;
	for (i = 0; i < n; i += 4) {
		int		 v[4], k;
		unsigned char	 o[3];
		size_t		 take = 3;

		for (k = 0; k < 4; k++) {
			if (i + 4 == n && k >= 4 - (int)pad) {
				v[k] = 0;
				continue;
			}
			if ((v[k] = b64_val((unsigned char)s[i + k])) < 0)
				return -1;
		}
		if (i + 4 == n)
			take -= pad;
		o[0] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		o[1] = (unsigned char)((v[1] & 0xf) << 4 | v[2] >> 2);
		o[2] = (unsigned char)((v[2] & 0x3) << 6 | v[3]);
		buf_add(out, o, take);
	}
	return 0;
}

static void
snap_hex(struct buf *b, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t	 i;

	for (i = 0; i < n; i++) {
		char	 two[2] = { digits[p[i] >> 4], digits[p[i] & 15] };

		buf_add(b, two, 2);
	}
}

/* One line of text that holds everything decoded from m. */
static void
snapshot(struct buf *b, const struct es_message *m)
{
	size_t	 i;

	buf_printf(b, "%" PRIu32 "/%" PRIu32 "/%08" PRIx32 "/%08" PRIx32,
	    m->total_len, m->headers_len, m->prelude_crc, m->message_crc);
	for (i = 0; i < m->nheaders; i++) {
		const struct es_header *h = &m->headers[i];

		buf_addc(b, ' ');
		snap_hex(b, (const unsigned char *)h->name, h->name_len);
		buf_printf(b, ":%d:%" PRId64 ":", (int)h->type, h->i);
		if (h->data != NULL)
			snap_hex(b, h->data, h->len);
	}
	buf_addc(b, ' ');
	snap_hex(b, m->payload, m->payload_len);
	buf_addc(b, '\n');
}

static int64_t
json_int(const cJSON *o, const char *key, int *okp)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || v->valuedouble != (double)(int64_t)v->valuedouble) {
		*okp = 0;
		return 0;
	}
	return (int64_t)v->valuedouble;
}

static void
check_bytes(const char *what, const char *name, const unsigned char *got,
    size_t gotlen, const cJSON *b64)
{
	struct buf	 want;

	if (!cJSON_IsString(b64) || b64_decode(b64->valuestring, &want) != 0) {
		ok(0, "%s: %s: expectation is base64", what, name);
		return;
	}
	ok(gotlen == want.len && (want.len == 0 ||
	    memcmp(got, want.data, want.len) == 0),
	    "%s: %s: %zu bytes as expected", what, name, want.len);
	buf_free(&want);
}

static void
check_header(const char *vec, size_t i, const struct es_header *h,
    const cJSON *w)
{
	const cJSON	*name = cJSON_GetObjectItemCaseSensitive(w, "name");
	const cJSON	*value = cJSON_GetObjectItemCaseSensitive(w, "value");
	char		 what[160];
	int		 good = 1;
	int64_t		 type;

	type = json_int(w, "type", &good);
	snprintf(what, sizeof what, "%s: header %zu", vec, i + 1);
	if (!ok(good && cJSON_IsString(name) && value != NULL,
	    "%s: expectation has name, type, value", what))
		return;
	ok(h->name_len == strlen(name->valuestring) &&
	    memcmp(h->name, name->valuestring, h->name_len) == 0,
	    "%s: name \"%s\"", what, name->valuestring);
	is_int(h->type, type, "%s: type", what);
	switch (type) {
	case ES_BOOL_TRUE:
	case ES_BOOL_FALSE:
		ok(cJSON_IsBool(value) && h->i == (cJSON_IsTrue(value) ? 1 : 0),
		    "%s: bool value", what);
		break;
	case ES_BYTE:
	case ES_SHORT:
	case ES_INT32:
	case ES_INT64:
	case ES_TIMESTAMP:
		good = cJSON_IsNumber(value);
		if (ok(good, "%s: number expected", what))
			is_int(h->i, (int64_t)value->valuedouble,
			    "%s: value", what);
		break;
	default:
		check_bytes(what, "value", h->data, h->len, value);
		if (h->data != NULL)
			ok(h->data[h->len] == '\0', "%s: value NUL-terminated",
			    what);
		break;
	}
}

/* Compare one decoded message with its JSON expectation. */
static void
check_message(const char *vec, const struct es_message *m, const cJSON *want)
{
	const cJSON	*hdrs = cJSON_GetObjectItemCaseSensitive(want, "headers");
	const cJSON	*h;
	int		 good = 1;
	size_t		 i = 0;

	is_int(m->total_len, json_int(want, "total_length", &good),
	    "%s: total_length", vec);
	is_int(m->headers_len, json_int(want, "headers_length", &good),
	    "%s: headers_length", vec);
	is_int((int32_t)m->prelude_crc, json_int(want, "prelude_crc", &good),
	    "%s: prelude_crc", vec);
	is_int((int32_t)m->message_crc, json_int(want, "message_crc", &good),
	    "%s: message_crc", vec);
	ok(good, "%s: expectation has all four numbers", vec);
	if (!ok(cJSON_IsArray(hdrs), "%s: expectation has headers", vec))
		return;
	is_int(m->nheaders, cJSON_GetArraySize(hdrs), "%s: header count", vec);
	cJSON_ArrayForEach(h, hdrs) {
		if (i >= m->nheaders)
			break;
		check_header(vec, i, &m->headers[i], h);
		i++;
	}
	check_bytes(vec, "payload", m->payload, m->payload_len,
	    cJSON_GetObjectItemCaseSensitive(want, "payload"));
}

static int
on_message(const struct es_message *m, void *arg, struct err *err)
{
	struct run	*r = arg;

	(void)err;
	r->calls++;
	snapshot(&r->snap, m);
	if (es_encode(m->headers, m->nheaders, m->payload, m->payload_len,
	    &r->reenc) != 0)
		buf_addstr(&r->reenc, "(es_encode failed)");
	if (r->want != NULL)
		check_message(r->name, m, r->want);
	return 0;
}

static void
run_init(struct run *r, const char *name, const cJSON *want)
{
	r->name = name;
	r->want = want;
	r->calls = 0;
	buf_init(&r->snap, 0);
	buf_init(&r->reenc, 0);
}

static void
run_free(struct run *r)
{
	buf_free(&r->snap);
	buf_free(&r->reenc);
}

/*
 * Decode data in chunks: step 0 means random sizes, else that size.
 * Returns the es_push/es_decoder_finish status; err says why.
 */
static int
decode(const struct buf *data, size_t step, struct run *r, struct err *err)
{
	struct es_decoder	*dec;
	size_t			 off = 0, n;
	int			 rc = 0;

	err_clear(err);
	dec = es_decoder_new(NULL, on_message, r);
	while (rc == 0 && off < data->len) {
		n = step != 0 ? step : 1 + rng() % (data->len - off);
		if (step == 0 && rng() % 4 == 0)
			n = 1 + rng() % 13;	/* often cut inside a prelude */
		if (n > data->len - off)
			n = data->len - off;
		rc = es_push(dec, data->data + off, n, err);
		off += n;
	}
	if (rc == 0)
		rc = es_decoder_finish(dec, err);
	es_decoder_free(dec);
	return rc;
}

static char *
path3(const char *dir, const char *mid, const char *name)
{
	struct buf	 b;

	buf_init(&b, 0);
	buf_printf(&b, "%s/%s/%s", dir, mid, name);
	return buf_take(&b, NULL);
}

/* Check one positive vector; add it to the stream of them all. */
static void
positive(const char *dir, const char *name, struct buf *stream,
    struct buf *all_snaps)
{
	char		*epath = path3(dir, "encoded/positive", name);
	char		*dpath = path3(dir, "decoded/positive", name);
	struct buf	 raw, js;
	struct run	 whole, other;
	struct err	 err;
	cJSON		*want = NULL;
	size_t		 step;
	int		 i, same;

	if (!ok(read_file(epath, &raw) == 0, "%s: read %s", name, epath) ||
	    !ok(read_file(dpath, &js) == 0, "%s: read %s", name, dpath))
		goto out;
	want = cJSON_Parse(buf_str(&js));
	if (!ok(want != NULL, "%s: expectation is JSON", name))
		goto out;

	run_init(&whole, name, want);
	is_int(decode(&raw, raw.len, &whole, &err), 0,
	    "%s: decodes in one push", name);
	if (err.kind != ERR_NONE)
		printf("#   error: %s\n", err.message);
	is_int(whole.calls, 1, "%s: one message", name);
	ok(whole.reenc.len == raw.len &&
	    memcmp(whole.reenc.data, raw.data, raw.len) == 0,
	    "%s: es_encode gives back the same %zu bytes", name, raw.len);

	for (step = 1; step <= 2; step++) {
		run_init(&other, name, NULL);
		is_int(decode(&raw, step, &other, &err), 0,
		    "%s: decodes %zu byte(s) at a time", name, step);
		is_str(buf_str(&other.snap), buf_str(&whole.snap),
		    "%s: same message %zu byte(s) at a time", name, step);
		run_free(&other);
	}
	same = 1;
	for (i = 0; i < RANDOM_SPLITS; i++) {
		run_init(&other, name, NULL);
		if (decode(&raw, 0, &other, &err) != 0 ||
		    strcmp(buf_str(&other.snap), buf_str(&whole.snap)) != 0)
			same = 0;
		run_free(&other);
	}
	ok(same, "%s: same message in %d random chunkings", name,
	    RANDOM_SPLITS);

	buf_add(stream, raw.data, raw.len);
	buf_addstr(all_snaps, buf_str(&whole.snap));
	run_free(&whole);
out:
	cJSON_Delete(want);
	buf_free(&raw);
	buf_free(&js);
	free(epath);
	free(dpath);
}

static void
negative(const char *dir, const char *name)
{
	char		*epath = path3(dir, "encoded/negative", name);
	char		*dpath = path3(dir, "decoded/negative", name);
	struct buf	 raw, txt;
	struct run	 r;
	struct err	 err;
	size_t		 step;

	if (!ok(read_file(epath, &raw) == 0, "%s: read %s", name, epath) ||
	    !ok(read_file(dpath, &txt) == 0, "%s: read %s", name, dpath))
		goto out;
	while (txt.len > 0 && (txt.data[txt.len - 1] == '\n' ||
	    txt.data[txt.len - 1] == '\r' || txt.data[txt.len - 1] == ' '))
		txt.data[--txt.len] = '\0';
	for (step = 0; step <= 2; step++) {
		size_t s = step == 0 ? raw.len : step;

		run_init(&r, name, NULL);
		is_int(decode(&raw, s, &r, &err), -1,
		    "%s: rejected, %zu byte(s) at a time", name, s);
		is_str(err.message, buf_str(&txt), "%s: error text", name);
		is_int(err.kind, ERR_PROTOCOL, "%s: protocol error", name);
		is_int(r.calls, 0, "%s: no message delivered", name);
		run_free(&r);
	}
out:
	buf_free(&raw);
	buf_free(&txt);
	free(epath);
	free(dpath);
}

int
main(int argc, char **argv)
{
	struct names	 pos, neg, dpos;
	struct buf	 stream, snaps;
	struct run	 r;
	struct err	 err;
	char		*p;
	const char	*seed, *dir, *srcdir;
	char		*defdir = NULL;
	size_t		 i;
	int		 same;

	if (argc > 2) {
		fprintf(stderr, "usage: es-suite [DIR]\n");
		return 2;
	}
	if (argc == 2)
		dir = argv[1];
	else {
		if ((srcdir = getenv("srcdir")) == NULL || *srcdir == '\0')
			srcdir = ".";
		defdir = path3(srcdir, "tests/vectors", "eventstream");
		dir = defdir;
	}
	rng_state = 0x9e3779b97f4a7c15ULL;
	if ((seed = getenv("ES_SUITE_SEED")) != NULL && *seed != '\0') {
		char *end;

		errno = 0;
		rng_state = strtoull(seed, &end, 0);
		if (errno != 0 || *end != '\0' || rng_state == 0) {
			fprintf(stderr, "es-suite: bad ES_SUITE_SEED\n");
			return 2;
		}
	}
	printf("# seed %" PRIu64 "\n", rng_state);

	p = path3(dir, "encoded", "positive");
	ok(list_dir(p, &pos) == 0 && pos.n > 0, "positive vectors in %s", p);
	free(p);
	p = path3(dir, "decoded", "positive");
	ok(list_dir(p, &dpos) == 0 && dpos.n == pos.n,
	    "one expectation per positive vector in %s", p);
	free(p);
	p = path3(dir, "encoded", "negative");
	ok(list_dir(p, &neg) == 0 && neg.n > 0, "negative vectors in %s", p);
	free(p);

	buf_init(&stream, 0);
	buf_init(&snaps, 0);
	for (i = 0; i < pos.n; i++)
		positive(dir, pos.v[i], &stream, &snaps);
	for (i = 0; i < neg.n; i++)
		negative(dir, neg.v[i]);

	/* All positive messages back to back, as one stream. */
	same = 1;
	for (i = 0; i < RANDOM_SPLITS; i++) {
		run_init(&r, "stream", NULL);
		if (decode(&stream, i == 0 ? 1 : 0, &r, &err) != 0 ||
		    (size_t)r.calls != pos.n ||
		    strcmp(buf_str(&r.snap), buf_str(&snaps)) != 0)
			same = 0;
		run_free(&r);
	}
	ok(same && pos.n > 0, "all %zu positive vectors as one stream, byte by"
	    " byte and in %d random chunkings", pos.n, RANDOM_SPLITS - 1);

	buf_free(&stream);
	buf_free(&snaps);
	free_names(&pos);
	free_names(&dpos);
	free_names(&neg);
	free(defdir);
	return tap_done();
}
