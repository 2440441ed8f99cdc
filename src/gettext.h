/*
 * gettext.h: the program's translation macros (not for src/core/, which
 * only marks strings with N_() and translates through core_tr()).
 * Include <config.h> first.
 */
#ifndef BS_GETTEXT_H
#define BS_GETTEXT_H

#if ENABLE_NLS
#include <libintl.h>
#define _(s)	gettext(s)
#else
#define _(s)	((const char *)(s))
#define ngettext(a, b, n)	((n) == 1 ? (a) : (b))
#endif
#ifndef N_
#define N_(s)	(s)
#endif

#endif
