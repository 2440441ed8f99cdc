/*
 * i18n.c: the translator hook of the core (see i18n.h).
 */
#include <stddef.h>

#include "i18n.h"

static core_translator translator;

void
core_set_translator(core_translator tr)
{
	translator = tr;
}

const char *
core_tr(const char *msgid)
{
	if (msgid == NULL || translator == NULL || *msgid == '\0')
		return msgid;
	return translator(msgid);
}
