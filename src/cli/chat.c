/*
 * chat.c: "bedrock-setup chat": send one prompt to a model and write the
 * answer to standard output as it streams.
 *
 * The steps: the prompt (the arguments, or standard input, capped); the
 * session (profile, Region, credentials); the model, resolved against
 * the Region's live model and profile lists (or the catalog when listing
 * is refused), so that a bare id that works here only through an
 * inference profile is sent as that profile, which is said on stderr;
 * then one ConverseStream call (Converse with --no-stream).
 *
 * Each piece of text is written with write(2) as soon as its frame is
 * decoded: nothing waits in a stdio buffer.  Token usage, the stop
 * reason and the latency go to stderr as one line; --json prints one
 * object at the end on stdout instead, and nothing else there.
 *
 * A failure is diagnosed as doctor does (gate, cause, fix; the same gate
 * ids) and printed on stderr, or as the "error" object with --json; text
 * that arrived before a failure stays printed.  Ctrl-C stops the call
 * cleanly (exit 130).  The HTTP layer never retries a stream once bytes
 * of it were delivered, so text is never printed twice.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bedrock.h"
#include "buf.h"
#include "catalog.h"
#include "cli/chat.h"
#include "cli/cli.h"
#include "cli/output.h"
#include "creds.h"
#include "demo.h"
#include "diagnose.h"
#include "endpoint.h"
#include "err.h"
#include "gettext.h"
#include "http.h"
#include "json.h"
#include "resolve.h"
#include "runtime.h"
#include "secret.h"
#include "session.h"
#include "xalloc.h"

#define PROMPT_MAX	(1024u * 1024)	/* bytes of a prompt on stdin */

enum {
	OPT_MODEL = OPT_FIRST_LOCAL,
	OPT_SYSTEM,
	OPT_MAX_TOKENS,
	OPT_TEMPERATURE,
	OPT_NO_STREAM,
	OPT_JSON
};

/*
 * The one global: what the SIGINT handler may touch.  It is read by the
 * HTTP layer's cancel poll and by the text callback.
 */
static volatile sig_atomic_t interrupted;

struct chat {
	struct global_opts	*g;
	const char		*model;		/* as named; NULL: the demo's */
	const char		*system;
	long			 max_tokens;	/* 0: unset */
	double			 temperature;	/* < 0: unset */
	int			 stream;
	int			 json;
	int			 color;		/* on stderr */
	char			*prompt;
	struct catalog		*cat;
	struct session		*s;
	struct endpoint		 cep, rep;	/* control plane, runtime */
	struct resolve_result	 how;
	int			 have_how;
	const char		*invoke_id;	/* what is sent */
	struct runtime_reply	 reply;
	/* Standard output in text mode. */
	size_t			 written;
	char			 last;
	int			 out_errno;
};

static void
chat_usage(FILE *f)
{
	fprintf(f, _("Usage: %s chat [--model ID] [OPTION]... [PROMPT]\n"),
	    PACKAGE);
	fputs(_(
"Send PROMPT (or standard input, when PROMPT is absent or '-') to a model\n"
"with ConverseStream, and write the answer to standard output as it\n"
"arrives.  Token usage, the stop reason and the latency go to standard\n"
"error as one line.\n"
"\n"
"  --model ID         the model: a model id, an inference profile id such\n"
"                     as us.X, or an ARN.  A model id that this Region\n"
"                     serves only through an inference profile is sent as\n"
"                     that profile, which is said on standard error.\n"
"                     Required, except with --demo (the demo's model).\n"
"  --system TEXT      a system prompt\n"
"  --max-tokens N     at most N tokens in the answer (a positive integer)\n"
"  --temperature T    the sampling temperature, from 0 to 1\n"
"  --no-stream        use Converse: the answer comes whole, at the end\n"
"  --json             print one JSON object at the end instead (text,\n"
"                     stopReason, usage, latency_ms, first_token_ms,\n"
"                     model, invoke_id, region; or error)\n"
"  -h, --help         show this help\n"
"\n"
"Global options (--profile, --region, --endpoint-url, --demo, --debug,\n"
"--no-color) work here too.\n"
"\n"
"Exit status: 0 answered, 1 the call was refused (the failing gate is\n"
"named, with the fix), 2 usage error, 3 could not run (network,\n"
"configuration), 130 interrupted by Ctrl-C (the text so far stays).\n"),
	    f);
}

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* The HTTP layer's cancel poll. */
static int
is_interrupted(void *arg)
{
	(void)arg;
	return interrupted != 0;
}

/*
 * Ctrl-C stops the call; a second one kills the program as usual.  No
 * SA_RESTART: a blocked read or poll returns at once.
 */
static void
catch_sigint(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGINT, &sa, NULL);
}

/* Write all of p to standard output; 0, or -1 with c->out_errno set. */
static int
out_write(struct chat *c, const char *p, size_t len)
{
	ssize_t	 n;

	if (c->out_errno != 0)
		return -1;
	while (len > 0) {
		n = write(STDOUT_FILENO, p, len);
		if (n < 0 && errno == EINTR)
			continue;	/* the piece goes out whole */
		if (n <= 0) {
			c->out_errno = n < 0 ? errno : EIO;
			return -1;
		}
		c->written += (size_t)n;
		c->last = p[n - 1];
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The stream's text callback: write the piece now; stop on Ctrl-C. */
static int
on_text(void *arg, const char *text, size_t len)
{
	struct chat	*c = arg;

	if (c->json)
		return interrupted != 0;
	if (out_write(c, text, len) != 0)
		return 1;
	return interrupted != 0;
}

/* End the text with a newline, so that the shell prompt starts afresh. */
static void
out_end_line(struct chat *c)
{
	if (!c->json && c->written > 0 && c->last != '\n')
		out_write(c, "\n", 1);
}

/* Parse a positive integer for --max-tokens. */
static int
parse_max_tokens(const char *arg, long *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < 1 ||
	    v > INT_MAX) {
		cli_usage_error(_("--max-tokens needs a positive whole number, "
		    "not '%s'"), arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_temperature(const char *arg, double *out)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !isfinite(v) ||
	    v < 0 || v > 1) {
		cli_usage_error(_("--temperature needs a number from 0 to 1, "
		    "not '%s'"), arg);
		return -1;
	}
	*out = v;
	return 0;
}

/* The prompt from standard input, at most PROMPT_MAX bytes.  Exit status. */
static int
read_stdin(struct chat *c)
{
	struct buf	 b;
	char		 chunk[8192];
	ssize_t		 n;

	buf_init(&b, PROMPT_MAX);
	if (isatty(STDIN_FILENO))
		fprintf(stderr, _("%s: reading the prompt from standard input; "
		    "end it with Ctrl-D\n"), PACKAGE);
	for (;;) {
		n = read(STDIN_FILENO, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR && !interrupted)
			continue;
		if (n < 0 && interrupted) {
			buf_free(&b);
			fprintf(stderr, _("%s: interrupted\n"), PACKAGE);
			return CHAT_EXIT_INTERRUPTED;
		}
		if (n < 0) {
			fprintf(stderr, _("%s: cannot read the prompt from "
			    "standard input: %s\n"), PACKAGE, strerror(errno));
			buf_free(&b);
			return EXIT_CANNOT_RUN;
		}
		if (n == 0)
			break;
		if (memchr(chunk, '\0', (size_t)n) != NULL) {
			buf_free(&b);
			cli_usage_error(_("the prompt on standard input holds a "
			    "NUL byte; chat sends text"));
			return EXIT_USAGE;
		}
		if (buf_add(&b, chunk, (size_t)n) != 0) {
			buf_free(&b);
			cli_usage_error(_("the prompt on standard input is "
			    "longer than %u KiB; send a shorter one"),
			    PROMPT_MAX / 1024);
			return EXIT_USAGE;
		}
	}
	/* What echo and editors add at the end is not part of the prompt. */
	while (b.len > 0 && (b.data[b.len - 1] == '\n' ||
	    b.data[b.len - 1] == '\r'))
		b.data[--b.len] = '\0';
	c->prompt = buf_take(&b, NULL);
	return EXIT_PASS;
}

/* The prompt: the arguments joined by spaces, or standard input. */
static int
get_prompt(struct chat *c, int argc, char **argv)
{
	struct buf	 b = BUF_INIT;
	const char	*p;
	int		 i, r;

	if (argc == 0 || (argc == 1 && strcmp(argv[0], "-") == 0)) {
		if ((r = read_stdin(c)) != EXIT_PASS)
			return r;
	} else {
		for (i = 0; i < argc; i++)
			buf_printf(&b, "%s%s", i > 0 ? " " : "", argv[i]);
		c->prompt = buf_take(&b, NULL);
	}
	for (p = c->prompt; *p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r'; p++)
		;
	if (*p == '\0') {
		cli_usage_error(_("the prompt is empty; give it as an argument "
		    "or on standard input"));
		return EXIT_USAGE;
	}
	return EXIT_PASS;
}

/* The secrets the diagnosis must mask; n of them in out[0..3). */
static size_t
secrets_of(const struct chat *c, const struct secret **out)
{
	const struct creds	*cr = c->s != NULL ? session_creds(c->s) : NULL;
	size_t			 n = 0;

	if (cr != NULL && cr->secret_access_key != NULL)
		out[n++] = cr->secret_access_key;
	if (cr != NULL && cr->session_token != NULL)
		out[n++] = cr->session_token;
	if (c->s != NULL && c->s->report != NULL &&
	    c->s->report->bearer != NULL)
		out[n++] = c->s->report->bearer;
	return n;
}

/* What the diagnosis knows about this call. */
static void
diag_ctx(const struct chat *c, enum diagnose_op op, struct diagnose_ctx *ctx,
    const struct secret **secrets)
{
	long	 off;

	memset(ctx, 0, sizeof *ctx);
	ctx->op = op;
	ctx->nsecrets = secrets_of(c, secrets);
	ctx->secrets = secrets;
	if (c->s == NULL)
		return;
	ctx->region = c->s->region.value;
	ctx->aws_profile = c->s->cfg != NULL ? c->s->cfg->profile : NULL;
	ctx->model_id = c->invoke_id != NULL ? c->invoke_id : c->model;
	if (c->have_how) {
		ctx->profile_id = c->how.profile_id;
		ctx->regions = (const char *const *)c->how.offered_in;
		ctx->nregions = c->how.noffered_in;
	}
	ctx->bearer = c->s->report != NULL && c->s->report->bearer != NULL;
	ctx->sso = c->s->report != NULL &&
	    c->s->report->used == CREDS_SRC_SSO;
	if (c->s->http != NULL && http_client_clock_offset(c->s->http, &off)) {
		ctx->clock_known = 1;
		ctx->clock_offset = -off;	/* local minus AWS */
	}
}

/* The JSON object's members that say what was called. */
static void
json_call(const struct chat *c, struct json *o)
{
	json_set_str(o, "model", c->model);
	json_set_str(o, "invoke_id", c->invoke_id);
	json_set_str(o, "region", c->s != NULL ? c->s->region.value : NULL);
}

static void
json_count(struct json *o, const char *key, double v)
{
	if (v < 0)
		json_set_null(o, key);
	else
		json_set_num(o, key, floor(v + 0.5));
}

/*
 * Report a failure: the gate line on stderr (or the error object), and
 * the exit status.  gate_id may be NULL; code names the failure for
 * scripts; message is already safe to show.
 */
static int
report_failure(struct chat *c, const char *gate_id, const char *code,
    const char *message, const char *cause, const char *fix,
    const char *detail, int status)
{
	struct gate	 g;
	struct json	*o, *x;

	out_end_line(c);
	if (c->json) {
		o = json_new_object();
		x = json_new_object();
		json_set_str(x, "code", code);
		json_set_str(x, "message", message);
		json_set_str(x, "gate", gate_id);
		json_set_str(x, "cause", cause);
		json_set_str(x, "fix", fix != NULL && *fix != '\0' ? fix :
		    NULL);
		json_set(o, "error", x);
		json_call(c, o);
		if (c->reply.text != NULL && c->reply.text_len > 0)
			json_set_str(o, "text", c->reply.text);
		out_json(o);
		json_free(o);
		return status;
	}
	if (gate_id == NULL) {
		fprintf(stderr, "%s: %s\n", PACKAGE, cause);
		if (fix != NULL)
			out_lines(stderr, fix, 2);
		return status;
	}
	memset(&g, 0, sizeof g);
	g.id = gate_id;
	g.status = GATE_FAIL;
	snprintf(g.summary, sizeof g.summary, "%s", cause);
	snprintf(g.fix, sizeof g.fix, "%s", fix != NULL ? fix : "");
	snprintf(g.detail, sizeof g.detail, "%s", detail != NULL ? detail :
	    "");
	gate_print(stderr, &g, c->color);
	return status;
}

/* Diagnose e (what op revealed) and report it. */
static int
fail_diag(struct chat *c, const struct err *e, enum diagnose_op op)
{
	struct diagnose_ctx	 ctx;
	struct diagnose_result	 r;
	const struct secret	*secrets[3];
	char			 msg[1024];

	diag_ctx(c, op, &ctx, secrets);
	diagnose_err(e, &ctx, &r);
	if (e->kind == ERR_AWS && e->http_status == 0)
		/* Our own finding: its code says it all. */
		snprintf(msg, sizeof msg, "%s", r.cause);
	else
		diagnose_safe_message(e, &ctx, msg, sizeof msg);
	return report_failure(c, r.gate_id, e->code[0] != '\0' ? e->code :
	    err_kind_name(e->kind), msg, r.cause, r.fix,
	    r.network ? msg : NULL, r.network ? EXIT_CANNOT_RUN :
	    EXIT_CHECK_FAILED);
}

/* A local problem that is not a gate's (configuration). */
static int
fail_config(struct chat *c, const struct err *e)
{
	struct diagnose_result	 r;
	char			 msg[1024];

	out_config_diagnosis(e, c->g->profile, &r);
	diagnose_safe_message(e, NULL, msg, sizeof msg);
	if (e->where[0] != '\0') {
		size_t l = strlen(msg);

		/* L10N: where a configuration problem is. */
		snprintf(msg + l, sizeof msg - l, _(" (in %s)"), e->where);
	}
	return report_failure(c, NULL, err_kind_name(e->kind), msg, r.cause,
	    r.fix, NULL, EXIT_CANNOT_RUN);
}

static int
fail_interrupted(struct chat *c)
{
	/* L10N: Ctrl-C stopped chat; what was printed stays. */
	const char	*what = _("interrupted");

	if (!c->json) {
		out_end_line(c);
		fprintf(stderr, "%s: %s\n", PACKAGE, what);
		return CHAT_EXIT_INTERRUPTED;
	}
	return report_failure(c, NULL, "interrupted", what, what, NULL, NULL,
	    CHAT_EXIT_INTERRUPTED);
}

/* Whether AWS refused the listing for the credentials themselves. */
static int
refuses_credentials(const struct chat *c, const struct err *e)
{
	struct diagnose_ctx	 ctx;
	struct diagnose_result	 r;
	const struct secret	*secrets[3];

	diag_ctx(c, DIAGNOSE_OP_LIST_MODELS, &ctx, secrets);
	return diagnose_err(e, &ctx, &r) == 0 &&
	    r.gate == DIAGNOSE_GATE_CREDENTIALS;
}

/* "US", "EU", "APAC"; "global" for the Region-less kind. */
static void
profile_label(const char *profile_id, char *out, size_t size)
{
	size_t	 i, n = strcspn(profile_id, ".");

	if (n == 6 && strncmp(profile_id, "global", 6) == 0) {
		snprintf(out, size, "global");
		return;
	}
	for (i = 0; i < n && i + 1 < size; i++)
		out[i] = (char)(profile_id[i] >= 'a' && profile_id[i] <= 'z' ?
		    profile_id[i] - 'a' + 'A' : profile_id[i]);
	out[i] = '\0';
}

/*
 * Decide what to send as modelId.  Returns -1 when it is decided, or an
 * exit status after reporting why the call cannot be made.
 */
static int
resolve_step(struct chat *c)
{
	struct bedrock_ctx	 bc;
	struct resolve_view	 view;
	struct err		 e, re;
	char			 label[32];
	int			 r, rr;

	memset(&bc, 0, sizeof bc);
	bc.http = c->s->http;
	bc.ep = &c->cep;
	bc.creds = session_creds(c->s);
	bc.bearer = c->s->report != NULL ? c->s->report->bearer : NULL;
	bc.region = c->s->region.value;
	err_clear(&e);
	r = bedrock_region_view(&bc, c->cat, NULL, &view, &e);
	if (r < 0 || (r > 0 && refuses_credentials(c, &e))) {
		/* The call would fail the same way: say so without it. */
		resolve_view_free(&view);
		if (interrupted)
			return fail_interrupted(c);
		return fail_diag(c, &e, DIAGNOSE_OP_LIST_MODELS);
	}
	if (r > 0 && c->g->debug) {
		char	 line[300];

		snprintf(line, sizeof line, "ListFoundationModels failed "
		    "(%s): resolving %s with the built-in catalog",
		    e.code[0] != '\0' ? e.code : err_kind_name(e.kind),
		    c->model);
		out_trace(NULL, line);
	}
	err_clear(&re);
	rr = resolve_model(&view, c->cat, c->model, &c->how, &re);
	c->have_how = 1;
	resolve_view_free(&view);
	if (rr != 0 && re.kind == ERR_USAGE) {
		cli_usage_error(_("--model: %s"), re.message);
		return EXIT_USAGE;
	}
	if (rr != 0 || c->how.kind == RESOLVE_NONE) {
		if (r == 0) {
			/* The Region's own list lacks it: no call can work. */
			err_clear(&e);
			err_set_aws(&e, 0, DIAGNOSE_CODE_REGION_UNAVAILABLE,
			    DIAGNOSE_CODE_REGION_UNAVAILABLE, NULL);
			return fail_diag(c, &e, DIAGNOSE_OP_RESOLVE);
		}
		/* The catalog may be behind: let AWS decide. */
		c->invoke_id = c->model;
		return -1;
	}
	c->invoke_id = c->how.invoke_id;
	if (resolve_is_substitution(&c->how, c->model)) {
		profile_label(c->how.invoke_id, label, sizeof label);
		/* L10N: the model id named was swapped for a profile id:
		   profile id, model id, "US"/"EU"/"global", Region. */
		fprintf(stderr, _("using %s: model %s is called through the %s "
		    "cross-Region inference profile in %s\n"),
		    c->how.invoke_id, c->model, label, c->s->region.value);
	}
	if (c->stream && c->how.streaming == 0) {
		c->stream = 0;
		fprintf(stderr, _("%s: %s does not stream its answers; using "
		    "Converse\n"), PACKAGE, c->model);
	}
	return -1;
}

/* Token usage, the stop reason and the latency, as one line on stderr. */
static void
print_stats(const struct chat *c)
{
	const struct runtime_reply	*rr = &c->reply;
	char				 first[64] = "";

	if (c->stream && rr->first_text_ms >= 0)
		/* L10N: part of chat's statistics line. */
		snprintf(first, sizeof first, _("first token %.0f ms, "),
		    rr->first_text_ms);
	if (c->color)
		fputs("\033[2m", stderr);
	/* L10N: chat's statistics line: stop reason, tokens (input, output,
	   total; -1 when AWS did not say), then the latency. */
	fprintf(stderr, _("stop: %s; tokens: %ld in, %ld out, %ld total; "
	    "latency: %stotal %.0f ms"), rr->stop_reason != NULL ?
	    rr->stop_reason : "?", rr->input_tokens, rr->output_tokens,
	    rr->total_tokens, first, rr->total_ms);
	if (c->color)
		fputs("\033[0m", stderr);
	fputc('\n', stderr);
}

static void
print_json(const struct chat *c)
{
	const struct runtime_reply	*rr = &c->reply;
	struct json			*o = json_new_object(), *u;

	json_set_str(o, "text", rr->text);
	json_set_str(o, "stopReason", rr->stop_reason);
	u = json_new_object();
	json_count(u, "inputTokens", (double)rr->input_tokens);
	json_count(u, "outputTokens", (double)rr->output_tokens);
	json_count(u, "totalTokens", (double)rr->total_tokens);
	json_set(o, "usage", u);
	json_count(o, "latency_ms", rr->total_ms);
	if (c->stream)
		json_count(o, "first_token_ms", rr->first_text_ms);
	json_call(c, o);
	out_json(o);
	json_free(o);
}

/* The call itself.  Returns the exit status. */
static int
call_step(struct chat *c)
{
	struct runtime_ctx	 rc;
	struct runtime_request	 rq;
	struct runtime_message	 msg;
	struct err		 e;
	int			 r;

	memset(&rc, 0, sizeof rc);
	rc.http = c->s->http;
	rc.ep = &c->rep;
	rc.creds = session_creds(c->s);
	rc.bearer = c->s->report != NULL ? c->s->report->bearer : NULL;
	runtime_request_init(&rq);
	msg.role = "user";
	msg.text = c->prompt;
	rq.model_id = c->invoke_id;
	rq.messages = &msg;
	rq.nmessages = 1;
	rq.system = c->system;
	rq.max_tokens = c->max_tokens;
	rq.temperature = c->temperature;
	err_clear(&e);
	runtime_reply_free(&c->reply);
	if (c->stream)
		r = runtime_converse_stream(&rc, &rq, on_text, c, &c->reply,
		    &e);
	else {
		r = runtime_converse(&rc, &rq, &c->reply, &e);
		if (r == 0 && !c->json)
			out_write(c, c->reply.text, c->reply.text_len);
	}
	if (c->out_errno != 0) {
		fprintf(stderr, _("%s: cannot write the answer to standard "
		    "output: %s\n"), PACKAGE, strerror(c->out_errno));
		return EXIT_CANNOT_RUN;
	}
	if (r == 0) {
		out_end_line(c);
		if (c->json)
			print_json(c);
		else
			print_stats(c);
		return EXIT_PASS;
	}
	if (interrupted || e.kind == ERR_CANCELLED)
		return fail_interrupted(c);
	return fail_diag(c, &e, c->stream ? DIAGNOSE_OP_CONVERSE_STREAM :
	    DIAGNOSE_OP_CONVERSE);
}

/* Session, credentials, endpoints, model, call.  Returns the exit status. */
static int
run(struct chat *c)
{
	struct session_opts	 so;
	struct err		 e;
	int			 r;

	cli_session_opts(c->g, &so);
	so.cancelled = is_interrupted;
	err_clear(&e);
	if ((c->cat = catalog_load_embedded(&e)) == NULL) {
		fprintf(stderr, _("%s: the built-in catalog is damaged: %s\n"),
		    PACKAGE, e.message);
		return EXIT_CANNOT_RUN;
	}
	if (session_open(&so, &c->s, &e) != 0) {
		c->s = NULL;
		return fail_config(c, &e);
	}
	if (c->model == NULL)
		c->model = demo_model(c->s->demo);
	if (session_endpoint(c->s, EP_BEDROCK, NULL, &c->cep, &e) != 0 ||
	    session_endpoint(c->s, EP_BEDROCK_RUNTIME, NULL, &c->rep,
	    &e) != 0)
		return fail_config(c, &e);
	if (session_resolve_creds(c->s, time(NULL), &e) != 0 &&
	    (c->s->report == NULL || c->s->report->bearer == NULL)) {
		if (interrupted)
			return fail_interrupted(c);
		return fail_diag(c, &e, DIAGNOSE_OP_CREDENTIALS);
	}
	if ((r = resolve_step(c)) >= 0)
		return r;
	return call_step(c);
}

int
cmd_chat(struct global_opts *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_LONGOPTS,
		{ "model", required_argument, NULL, OPT_MODEL },
		{ "system", required_argument, NULL, OPT_SYSTEM },
		{ "max-tokens", required_argument, NULL, OPT_MAX_TOKENS },
		{ "temperature", required_argument, NULL, OPT_TEMPERATURE },
		{ "no-stream", no_argument, NULL, OPT_NO_STREAM },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct chat	 c;
	int		 ch, r;

	memset(&c, 0, sizeof c);
	c.g = g;
	c.temperature = -1;
	c.stream = 1;
	runtime_reply_init(&c.reply);
	opterr = 0;
	/* Options may follow the prompt; "--" ends them. */
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_MODEL:
			c.model = optarg;
			break;
		case OPT_SYSTEM:
			c.system = optarg;
			break;
		case OPT_MAX_TOKENS:
			if (parse_max_tokens(optarg, &c.max_tokens) != 0)
				goto usage;
			break;
		case OPT_TEMPERATURE:
			if (parse_temperature(optarg, &c.temperature) != 0)
				goto usage;
			break;
		case OPT_NO_STREAM:
			c.stream = 0;
			break;
		case OPT_JSON:
			c.json = 1;
			break;
		case 'h':
			chat_usage(stdout);
			runtime_reply_free(&c.reply);
			return EXIT_PASS;
		default:		/* '?', ':' and the global options */
			if ((r = cli_other_opt(g, argc, argv, ch,
			    optarg)) < 0)
				goto usage;
			if (r > 0) {		/* --demo=list */
				runtime_reply_free(&c.reply);
				return EXIT_PASS;
			}
		}
	}
	if (c.model != NULL && *c.model == '\0') {
		cli_usage_error(_("--model needs a model id"));
		goto usage;
	}
	if (c.model == NULL && g->demo == NULL) {
		cli_usage_error(_("chat needs --model ID (a model id, an "
		    "inference profile id or an ARN)"));
		goto usage;
	}
	c.color = out_color(stderr, g->color);
	catch_sigint();
	r = get_prompt(&c, argc - optind, argv + optind);
	if (r == EXIT_PASS)
		r = run(&c);
	if (c.have_how)
		resolve_result_free(&c.how);
	runtime_reply_free(&c.reply);
	session_close(c.s);
	catalog_free(c.cat);
	free(c.prompt);
	signal(SIGINT, SIG_DFL);
	return r;
usage:
	runtime_reply_free(&c.reply);
	return EXIT_USAGE;
}
