/*
 * output.h: what the subcommands print: gate lines for people, the same
 * as JSON, and the --debug trace on stderr.
 */
#ifndef BS_CLI_OUTPUT_H
#define BS_CLI_OUTPUT_H

#include <stdio.h>

struct diagnose_result;
struct err;
struct json;

enum gate_status { GATE_PASS, GATE_FAIL, GATE_WARN, GATE_SKIP };

struct gate {
	const char		*id;		/* "credentials", ... */
	enum gate_status	 status;
	char			 summary[1024];
	char			 fix[4096];	/* lines; "" when none */
	char			 detail[2048];	/* more lines for people */
};

/* "pass", "fail", "warn", "skip". */
const char	*gate_status_id(enum gate_status);
/* Print a gate for people: a status tag, the summary, details, the fix. */
void		 gate_print(FILE *, const struct gate *, int color);
/* The gate as a JSON object {id, status, summary, fix}. */
struct json	*gate_json(const struct gate *);
/* Print a JSON document on stdout, pretty, 2-space indent. */
void		 out_json(const struct json *);
/* The --debug sink: one line on stderr, prefixed; a line is cut at its
 * first newline. */
void		 out_trace(void *arg, const char *line);
/* Whether colours may be used on this stream. */
int		 out_color(FILE *, int wanted);
/* Display columns taken by a string in the locale's encoding. */
int		 out_width(const char *);
/*
 * s in a table column width display columns wide, padded with spaces on
 * the right (or, with right, on the left), in colour (an SGR sequence,
 * reset after s) or plain (color NULL).
 */
void		 out_cell(FILE *, const char *s, int width, int right,
		     const char *color);
/* Print text's lines (a fix, ...), each indented by indent spaces. */
void		 out_lines(FILE *, const char *text, int indent);
/*
 * Why the AWS configuration cannot be used (session_open() or
 * session_endpoint() failed; profile as named, or NULL): the cause and
 * the fix, as doctor's credentials gate gives them (diagnose.h).
 */
void		 out_config_diagnosis(const struct err *, const char *profile,
		     struct diagnose_result *);
/* The same on stderr: one line saying what, then the fix, indented. */
void		 out_config_error(const struct err *, const char *profile);

#endif
