/*
 * output.c: gate lines, JSON, and the debug trace (see output.h).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/output.h"
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
	/* L10N: status tags in doctor's output; keep them 4 letters. */
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
			fprintf(f, "%*s%s", indent, "",
			    first_prefix != NULL ? "     " : "");
		fwrite(p, 1, nl != NULL ? (size_t)(nl - p) : strlen(p), f);
		fputc('\n', f);
		first = 0;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

void
gate_print(FILE *f, const struct gate *g, int color)
{
	if (color)
		fprintf(f, "%s[%s]\033[0m ", status_color(g->status),
		    status_tag(g->status));
	else
		fprintf(f, "[%s] ", status_tag(g->status));
	fprintf(f, "%-13s %s\n", g->id, g->summary);
	if (g->detail[0] != '\0')
		lines(f, g->detail, 21, NULL);
	/* L10N: precedes the steps that fix a failing gate. */
	if (g->fix[0] != '\0')
		lines(f, g->fix, 21, _("Fix: "));
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
	fprintf(stderr, "debug: %s\n", line);
	fflush(stderr);
}
