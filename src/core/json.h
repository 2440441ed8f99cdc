/*
 * json.h: typed access to JSON, the only door to cJSON in the core.
 *
 * A struct json is a node of a parsed or built document.  Getters never
 * fail loudly: a missing key or a value of the wrong type gives NULL (or
 * the default), so callers treat AWS answers as open-ended and keep what
 * they do not know.  The root owns every node below it: free only roots.
 */
#ifndef BS_JSON_H
#define BS_JSON_H

#include <stddef.h>

struct err;
struct json;

/* Parse len bytes (len 0: strlen).  NULL and err set on bad input. */
struct json		*json_parse(const char *text, size_t len, struct err *);
void			 json_free(struct json *);

/* Member of an object (NULL when absent or obj is not an object). */
struct json		*json_get(const struct json *obj, const char *key);
/* Member as a string; NULL when absent or not a string. */
const char		*json_get_str(const struct json *obj, const char *key);
/* Member as a number; dflt when absent or not a number. */
double			 json_get_num(const struct json *obj, const char *key,
			     double dflt);
long long		 json_get_int(const struct json *obj, const char *key,
			     long long dflt);
/* Member as a boolean; dflt when absent or not a boolean. */
int			 json_get_bool(const struct json *obj, const char *key,
			     int dflt);
/* Follow a path of keys: json_path(root, "a", "b", NULL). */
struct json		*json_path(const struct json *root, ...)
			     __attribute__((sentinel));

/* Children of an array or object, in order. */
size_t			 json_len(const struct json *);
struct json		*json_at(const struct json *, size_t i);
/* The member name of a node inside an object, else NULL. */
const char		*json_key(const struct json *);

int			 json_is_object(const struct json *);
int			 json_is_array(const struct json *);
int			 json_is_string(const struct json *);
int			 json_is_number(const struct json *);
int			 json_is_bool(const struct json *);
int			 json_is_null(const struct json *);
/* The node's own value (NULL / dflt when of another type). */
const char		*json_str(const struct json *);
double			 json_num(const struct json *, double dflt);
int			 json_bool(const struct json *, int dflt);
/* Whether an array holds the string s. */
int			 json_array_has_str(const struct json *, const char *s);

/* Building.  Adders take ownership of child nodes. */
struct json		*json_new_object(void);
struct json		*json_new_array(void);
struct json		*json_new_str(const char *);	/* NULL → null */
struct json		*json_new_num(double);
struct json		*json_new_bool(int);
struct json		*json_new_null(void);
struct json		*json_dup(const struct json *);
void			 json_set(struct json *obj, const char *key,
			     struct json *child);
void			 json_set_str(struct json *obj, const char *key,
			     const char *val);
void			 json_set_num(struct json *obj, const char *key,
			     double val);
void			 json_set_bool(struct json *obj, const char *key,
			     int val);
void			 json_set_null(struct json *obj, const char *key);
void			 json_push(struct json *arr, struct json *child);
void			 json_push_str(struct json *arr, const char *);

/* Compact text, no white space.  Caller frees. */
char			*json_print(const struct json *);
/*
 * Pretty text: indent spaces per level, "key": value, members and
 * elements in stored order, a trailing newline.  Byte-stable for equal
 * trees.  Caller frees.
 */
char			*json_print_pretty(const struct json *, int indent);
/* s as a quoted JSON string literal.  Caller frees. */
char			*json_quote(const char *s);

#endif
