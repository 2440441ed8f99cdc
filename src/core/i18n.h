/*
 * i18n.h: how the core marks user text without calling gettext.
 *
 * The core never links against libintl.  Text it produces for people is
 * written in English and marked N_() so xgettext finds it; core_tr() turns
 * a marked string into the user's language through a translator that the
 * program installs at start-up (gettext in main.c).  Tests install none and
 * see the English text.
 */
#ifndef BS_I18N_H
#define BS_I18N_H

#ifndef N_
#define N_(s)	(s)
#endif

typedef const char *(*core_translator)(const char *);

void		 core_set_translator(core_translator);
/* The translation of msgid, or msgid itself. */
const char	*core_tr(const char *msgid) __attribute__((format_arg(1)));

#endif
