/*
 * json.c: the core's only user of cJSON (see json.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "json.h"
#include "xalloc.h"

#define C(j)	((cJSON *)(j))
#define J(c)	((struct json *)(c))

static void *
json_oom_malloc(size_t n)
{
	return xmalloc(n);
}

static void
json_init_hooks(void)
{
	static int	 done;
	cJSON_Hooks	 hooks = { json_oom_malloc, free };

	if (!done) {
		cJSON_InitHooks(&hooks);
		done = 1;
	}
}

struct json *
json_parse(const char *text, size_t len, struct err *e)
{
	cJSON		*c;
	const char	*end = NULL;

	json_init_hooks();
	if (text == NULL) {
		err_set(e, ERR_PROTOCOL, N_("empty JSON document"));
		return NULL;
	}
	if (len == 0)
		len = strlen(text);
	c = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (c == NULL) {
		size_t off = end != NULL && end >= text ?
		    (size_t)(end - text) : 0;
		err_set(e, ERR_PROTOCOL,
		    N_("malformed JSON near byte %zu of %zu"), off, len);
		return NULL;
	}
	return J(c);
}

void
json_free(struct json *j)
{
	cJSON_Delete(C(j));
}

struct json *
json_get(const struct json *obj, const char *key)
{
	if (obj == NULL || !cJSON_IsObject(C(obj)))
		return NULL;
	return J(cJSON_GetObjectItemCaseSensitive(C(obj), key));
}

const char *
json_get_str(const struct json *obj, const char *key)
{
	return json_str(json_get(obj, key));
}

double
json_get_num(const struct json *obj, const char *key, double dflt)
{
	return json_num(json_get(obj, key), dflt);
}

long long
json_get_int(const struct json *obj, const char *key, long long dflt)
{
	double	 d = json_num(json_get(obj, key), NAN);

	if (isnan(d) || d < -9.2e18 || d > 9.2e18)
		return dflt;
	return (long long)d;
}

int
json_get_bool(const struct json *obj, const char *key, int dflt)
{
	return json_bool(json_get(obj, key), dflt);
}

struct json *
json_path(const struct json *root, ...)
{
	va_list		 ap;
	const char	*key;
	const struct json *cur = root;

	va_start(ap, root);
	while (cur != NULL && (key = va_arg(ap, const char *)) != NULL)
		cur = json_get(cur, key);
	va_end(ap);
	return (struct json *)cur;
}

size_t
json_len(const struct json *j)
{
	if (j == NULL || !(cJSON_IsArray(C(j)) || cJSON_IsObject(C(j))))
		return 0;
	return (size_t)cJSON_GetArraySize(C(j));
}

struct json *
json_at(const struct json *j, size_t i)
{
	cJSON	*c;

	if (j == NULL || !(cJSON_IsArray(C(j)) || cJSON_IsObject(C(j))))
		return NULL;
	for (c = C(j)->child; c != NULL && i > 0; c = c->next)
		i--;
	return J(c);
}

const char *
json_key(const struct json *j)
{
	return j == NULL ? NULL : C(j)->string;
}

int json_is_object(const struct json *j) { return cJSON_IsObject(C(j)); }
int json_is_array(const struct json *j) { return cJSON_IsArray(C(j)); }
int json_is_string(const struct json *j) { return cJSON_IsString(C(j)); }
int json_is_number(const struct json *j) { return cJSON_IsNumber(C(j)); }
int json_is_bool(const struct json *j) { return cJSON_IsBool(C(j)); }
int json_is_null(const struct json *j) { return cJSON_IsNull(C(j)); }

const char *
json_str(const struct json *j)
{
	return cJSON_IsString(C(j)) ? C(j)->valuestring : NULL;
}

double
json_num(const struct json *j, double dflt)
{
	return cJSON_IsNumber(C(j)) ? C(j)->valuedouble : dflt;
}

int
json_bool(const struct json *j, int dflt)
{
	if (!cJSON_IsBool(C(j)))
		return dflt;
	return cJSON_IsTrue(C(j)) ? 1 : 0;
}

int
json_array_has_str(const struct json *arr, const char *s)
{
	cJSON	*c;

	if (arr == NULL || !cJSON_IsArray(C(arr)))
		return 0;
	cJSON_ArrayForEach(c, C(arr))
		if (cJSON_IsString(c) && strcmp(c->valuestring, s) == 0)
			return 1;
	return 0;
}

struct json *
json_new_object(void)
{
	json_init_hooks();
	return J(cJSON_CreateObject());
}

struct json *
json_new_array(void)
{
	json_init_hooks();
	return J(cJSON_CreateArray());
}

struct json *
json_new_str(const char *s)
{
	json_init_hooks();
	return s == NULL ? J(cJSON_CreateNull()) : J(cJSON_CreateString(s));
}

struct json *
json_new_num(double d)
{
	json_init_hooks();
	return J(cJSON_CreateNumber(d));
}

struct json *
json_new_bool(int b)
{
	json_init_hooks();
	return J(cJSON_CreateBool(b ? 1 : 0));
}

struct json *
json_new_null(void)
{
	json_init_hooks();
	return J(cJSON_CreateNull());
}

struct json *
json_dup(const struct json *j)
{
	json_init_hooks();
	return j == NULL ? NULL : J(cJSON_Duplicate(C(j), 1));
}

void
json_set(struct json *obj, const char *key, struct json *child)
{
	if (child == NULL)
		child = json_new_null();
	if (cJSON_GetObjectItemCaseSensitive(C(obj), key) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(C(obj), key, C(child));
	else
		cJSON_AddItemToObject(C(obj), key, C(child));
}

void
json_set_str(struct json *obj, const char *key, const char *val)
{
	json_set(obj, key, json_new_str(val));
}

void
json_set_num(struct json *obj, const char *key, double val)
{
	json_set(obj, key, json_new_num(val));
}

void
json_set_bool(struct json *obj, const char *key, int val)
{
	json_set(obj, key, json_new_bool(val));
}

void
json_set_null(struct json *obj, const char *key)
{
	json_set(obj, key, json_new_null());
}

void
json_push(struct json *arr, struct json *child)
{
	cJSON_AddItemToArray(C(arr), C(child));
}

void
json_push_str(struct json *arr, const char *s)
{
	json_push(arr, json_new_str(s));
}

char *
json_print(const struct json *j)
{
	char	*s, *out;

	json_init_hooks();
	s = cJSON_PrintUnformatted(C(j));
	out = xstrdup(s == NULL ? "null" : s);
	free(s);
	return out;
}

char *
json_quote(const char *str)
{
	cJSON	*c;
	char	*out;

	json_init_hooks();
	c = cJSON_CreateString(str == NULL ? "" : str);
	out = json_print(J(c));
	cJSON_Delete(c);
	return out;
}

static void
pretty(struct buf *b, const cJSON *c, int indent, int depth)
{
	const cJSON	*k;
	char		*leaf;
	int		 open = cJSON_IsArray(c) ? '[' : '{';
	int		 close = open == '[' ? ']' : '}';

	if (!cJSON_IsArray(c) && !cJSON_IsObject(c)) {
		leaf = json_print(J(c));
		buf_addstr(b, leaf);
		free(leaf);
		return;
	}
	if (c->child == NULL) {
		buf_addc(b, (char)open);
		buf_addc(b, (char)close);
		return;
	}
	buf_addc(b, (char)open);
	buf_addc(b, '\n');
	for (k = c->child; k != NULL; k = k->next) {
		buf_printf(b, "%*s", indent * (depth + 1), "");
		if (cJSON_IsObject(c)) {
			leaf = json_quote(k->string);
			buf_addstr(b, leaf);
			buf_addstr(b, ": ");
			free(leaf);
		}
		pretty(b, k, indent, depth + 1);
		if (k->next != NULL)
			buf_addc(b, ',');
		buf_addc(b, '\n');
	}
	buf_printf(b, "%*s%c", indent * depth, "", close);
}

char *
json_print_pretty(const struct json *j, int indent)
{
	struct buf	 b = BUF_INIT;

	pretty(&b, C(j), indent, 0);
	buf_addc(&b, '\n');
	return buf_take(&b, NULL);
}
