/*
 * converse_stream.c: sort ConverseStream event-stream messages into events,
 * exceptions and errors (see converse_stream.h).
 */
#include <string.h>

#include "converse_stream.h"
#include "i18n.h"

static const char *const event_names[] = {
	[CONVERSE_STREAM_OTHER] = "",
	[CONVERSE_STREAM_MESSAGE_START] = "messageStart",
	[CONVERSE_STREAM_CONTENT_BLOCK_START] = "contentBlockStart",
	[CONVERSE_STREAM_CONTENT_BLOCK_DELTA] = "contentBlockDelta",
	[CONVERSE_STREAM_CONTENT_BLOCK_STOP] = "contentBlockStop",
	[CONVERSE_STREAM_MESSAGE_STOP] = "messageStop",
	[CONVERSE_STREAM_METADATA] = "metadata",
};
#define NEVENTS	(sizeof event_names / sizeof event_names[0])

const char *
converse_stream_event_name(enum converse_stream_event ev)
{
	if ((size_t)ev >= NEVENTS)
		return "";
	return event_names[ev];
}

static enum converse_stream_event
event_of(const char *name)
{
	size_t	 i;

	for (i = 1; i < NEVENTS; i++)
		if (strcmp(name, event_names[i]) == 0)
			return (enum converse_stream_event)i;
	return CONVERSE_STREAM_OTHER;
}

static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* The string header a frame of this kind cannot do without. */
static int
required(const struct es_message *m, const char *name, const char *mtype,
    const char **out, struct err *err)
{
	*out = es_header_str(m, name);
	if (*out != NULL)
		return 0;
	err_set(err, ERR_PROTOCOL,
	    N_("Event stream %s message has no %s string header"), mtype,
	    name);
	return -1;
}

int
converse_stream_classify(const struct es_message *m,
    struct converse_stream_frame *f, struct err *err)
{
	const char	*mtype;

	memset(f, 0, sizeof *f);
	f->payload = m->payload;
	f->payload_len = m->payload_len;
	f->content_type = es_header_str(m, ":content-type");
	mtype = es_header_str(m, ":message-type");
	if (mtype == NULL) {
		err_set(err, ERR_PROTOCOL,
		    N_("Event stream message has no :message-type string"
		    " header"));
		return -1;
	}
	if (strcmp(mtype, "event") == 0) {
		f->kind = CONVERSE_STREAM_EVENT;
		if (required(m, ":event-type", mtype, &f->type, err) != 0)
			return -1;
		f->event = event_of(f->type);
		return 0;
	}
	if (strcmp(mtype, "exception") == 0) {
		f->kind = CONVERSE_STREAM_EXCEPTION;
		return required(m, ":exception-type", mtype, &f->type, err);
	}
	if (strcmp(mtype, "error") == 0) {
		f->kind = CONVERSE_STREAM_ERROR;
		if (required(m, ":error-code", mtype, &f->type, err) != 0)
			return -1;
		f->error_message = es_header_str(m, ":error-message");
		if (f->error_message == NULL)
			f->error_message = "";
		return 0;
	}
	err_set(err, ERR_PROTOCOL,
	    N_("Event stream message has unknown :message-type \"%.64s\""),
	    printable(mtype) ? mtype : "?");
	return -1;
}
