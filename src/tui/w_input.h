/*
 * w_input.h: the one line editor: a UTF-8 line with a cursor, for the chat
 * prompt, the policy file name and the use-case form.  Keys insert or
 * edit; the widget never paints on its own (wizard convention).
 */
#ifndef BS_TUI_W_INPUT_H
#define BS_TUI_W_INPUT_H

#include <curses.h>
#include <stddef.h>

/* The longest line the widget holds, in bytes (the form's 8,192
 * characters of use cases fit when they are ASCII). */
#define WINPUT_MAX	8192

struct winput {
	char		 text[WINPUT_MAX + 1];	/* UTF-8, NUL-terminated */
	size_t		 len;			/* bytes */
	size_t		 cur;			/* cursor, in bytes */
	size_t		 max_chars;		/* 0: WINPUT_MAX bytes only */
};

/* Empty the line; max_chars 0 means "as many as fit". */
void	 winput_init(struct winput *, size_t max_chars);
/* Replace the text (cut at the limit); the cursor goes to the end. */
void	 winput_set(struct winput *, const char *text);
/*
 * Handle a key: printable characters (SCR_WCHAR ones included) are
 * inserted; Left, Right, Home, End, Ctrl-A, Ctrl-E, Backspace, Delete,
 * Ctrl-U (erase to start), Ctrl-K (erase to end) and Ctrl-W (erase a
 * word) edit.  Returns SCR_* flags; Enter, Esc and Tab are not handled.
 */
int	 winput_key(struct winput *, int key);
/* Characters in the line. */
size_t	 winput_chars(const struct winput *);
/*
 * Paint the line at (y, x) in w columns, scrolled so that the cursor
 * shows; the cursor cell is shown in reverse when focused.
 */
void	 winput_draw(const struct winput *, WINDOW *, int y, int x, int w,
	     int focused, attr_t);

#endif
