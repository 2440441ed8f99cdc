/*
 * output.c: gate lines, JSON, and the debug trace (see output.h).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "cli/output.h"
#include "diagnose.h"
#include "err.h"
#include "gettext.h"
#include "json.h"

const char *
gate_status_id(enum gate_status s)
{
	switch (s) {
	case GATE_PASS: return "pass";
	case GATE_FAIL: return "fail";
	case GATE_WARN: return "warn";
	case GATE_SKIP: return "skip";
	}
	return "skip";
}

static const char *
status_tag(enum gate_status s)
{
	switch (s) {
	/* L10N: status tags in doctor's output; short, in capitals. */
	case GATE_PASS: return _("PASS");
	case GATE_FAIL: return _("FAIL");
	case GATE_WARN: return _("WARN");
	case GATE_SKIP: return _("SKIP");
	}
	return "";
}

static const char *
status_color(enum gate_status s)
{
	switch (s) {
	case GATE_PASS: return "\033[1;32m";
	case GATE_FAIL: return "\033[1;31m";
	case GATE_WARN: return "\033[1;33m";
	case GATE_SKIP: return "\033[2m";
	}
	return "";
}

/* The widest status tag, so that the gate ids line up in any language. */
static int
tag_width(void)
{
	static const enum gate_status all[] = {
		GATE_PASS, GATE_FAIL, GATE_WARN, GATE_SKIP
	};
	size_t	 i;
	int	 w = 0;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (out_width(status_tag(all[i])) > w)
			w = out_width(status_tag(all[i]));
	return w;
}

int
out_width(const char *s)
{
	wchar_t	 wc[512];
	size_t	 n = mbstowcs(wc, s, sizeof wc / sizeof wc[0]);
	int	 w;

	if (n == (size_t)-1 || n >= sizeof wc / sizeof wc[0])
		return (int)strlen(s);
	w = wcswidth(wc, n);
	return w < 0 ? (int)strlen(s) : w;
}

void
out_cell(FILE *f, const char *s, int width, int right, const char *color)
{
	int	 pad = width - out_width(s);

	if (pad < 0)
		pad = 0;
	if (right)
		fprintf(f, "%*s", pad, "");
	if (color != NULL)
		fprintf(f, "%s%s\033[0m", color, s);
	else
		fputs(s, f);
	if (!right)
		fprintf(f, "%*s", pad, "");
}

int
out_color(FILE *f, int wanted)
{
	const char	*term = getenv("TERM");

	return wanted && isatty(fileno(f)) && term != NULL &&
	    strcmp(term, "dumb") != 0;
}

/* Print text's lines, each indented by indent spaces after the first. */
static void
lines(FILE *f, const char *text, int indent, const char *first_prefix)
{
	const char	*p = text, *nl;
	int		 first = 1;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (first && first_prefix != NULL)
			fprintf(f, "%*s%s", indent, "", first_prefix);
		else
			fprintf(f, "%*s", indent + (first_prefix != NULL ?
			    out_width(first_prefix) : 0), "");
		fwrite(p, 1, nl != NULL ? (size_t)(nl - p) : strlen(p), f);
		fputc('\n', f);
		first = 0;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

void
out_lines(FILE *f, const char *text, int indent)
{
	lines(f, text, indent, NULL);
}

void
out_config_diagnosis(const struct err *e, const char *profile,
    struct diagnose_result *r)
{
	struct diagnose_ctx	 ctx;

	memset(&ctx, 0, sizeof ctx);
	ctx.op = DIAGNOSE_OP_CREDENTIALS;
	ctx.aws_profile = profile;
	diagnose_err(e, &ctx, r);
}

void
out_config_error(const struct err *e, const char *profile)
{
	struct diagnose_result	 r;

	out_config_diagnosis(e, profile, &r);
	fprintf(stderr, "%s: %s\n", PACKAGE, r.cause);
	lines(stderr, r.fix, 2, NULL);
}

void
gate_print(FILE *f, const struct gate *g, int color)
{
	const char	*tag = status_tag(g->status);
	int		 tw = tag_width();
	int		 indent = tw + 3 + 14;	/* "[TAG] ", "%-13s " */

	if (color)
		fprintf(f, "%s[%s]\033[0m%*s ", status_color(g->status), tag,
		    tw - out_width(tag), "");
	else
		fprintf(f, "[%s]%*s ", tag, tw - out_width(tag), "");
	fprintf(f, "%-13s %s\n", g->id, g->summary);
	if (g->detail[0] != '\0')
		lines(f, g->detail, indent, NULL);
	/* L10N: precedes the steps that fix a failing gate. */
	if (g->fix[0] != '\0')
		lines(f, g->fix, indent, _("Fix: "));
}

struct json *
gate_json(const struct gate *g)
{
	struct json	*o = json_new_object();

	json_set_str(o, "id", g->id);
	json_set_str(o, "status", gate_status_id(g->status));
	json_set_str(o, "summary", g->summary);
	json_set_str(o, "fix", g->fix);
	return o;
}

void
out_json(const struct json *j)
{
	char	*s = json_print_pretty(j, 2);

	fputs(s, stdout);
	free(s);
	fflush(stdout);
}

void
out_trace(void *arg, const char *line)
{
	(void)arg;
	/*
	 * One line, as session.h promises, and never more: after its first
	 * line an AWS error message may echo the signed request, and a
	 * signature mismatch's echo holds the session token.
	 */
	fprintf(stderr, "debug: %.*s\n", (int)strcspn(line, "\r\n"), line);
	fflush(stderr);
}
