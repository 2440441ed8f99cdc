/*
 * ini.h: the INI dialect of ~/.aws/config and ~/.aws/credentials.
 *
 * It follows what the AWS CLI (botocore, through Python's configparser)
 * accepts: "[section]" headers, "key = value" or "key: value" lines, whole
 * line comments starting with '#' or ';', key names folded to lower case,
 * and a key with an empty value followed by indented "key = value" lines
 * forming a sub-section ("bedrock_runtime =" then "  endpoint_url = ...").
 * An indented line under a key with a value continues that value.  Like the
 * CLI it rejects a section or a key given twice in one file.  Text after a
 * value is kept as part of it, '#' included (a warning says so).
 *
 * Values can be secrets (aws_secret_access_key): they are wiped on free, and
 * no message ever quotes a value; quoted lines go through ini_excerpt().
 */
#ifndef BS_INI_H
#define BS_INI_H

#include <stddef.h>

struct err;

/* Largest file ini_load() reads. */
#define INI_MAX_FILE	(1024u * 1024)

struct ini_entry {
	char			*key;	/* lower case */
	char			*value;	/* "" for a sub-section head */
	int			 line;
	struct ini_entry	*sub;	/* indented lines under "key =" */
	size_t			 nsub;
};

struct ini_section {
	char			*name;	/* between the brackets, trimmed */
	int			 line;
	struct ini_entry	*v;
	size_t			 n;
};

/* A parsed file.  Everything in it belongs to it; read-only for callers. */
struct ini {
	char			*name;		/* for messages: "~/.aws/config" */
	int			 missing;	/* the file does not exist */
	struct ini_section	*v;
	size_t			 n;
	char			**warnings;	/* for people, "name line N: ..." */
	size_t			 nwarnings;
};

/*
 * Parse len bytes of text.  name is what messages call the file.  Returns
 * a new ini, or NULL with e set (ERR_CONFIG, e->where = "name line N").
 */
struct ini		*ini_parse(const char *text, size_t len,
			     const char *name, struct err *e);
/*
 * Read and parse the file at path.  A file that does not exist gives an
 * empty ini with missing set.  NULL with e set when the file cannot be read
 * (ERR_IO, naming it and the reason), is too big (ERR_LIMIT) or is
 * malformed (ERR_CONFIG).
 */
struct ini		*ini_load(const char *path, const char *name,
			     struct err *e);
/* Wipe and free; NULL is allowed. */
void			 ini_free(struct ini *);

/* The last section called exactly name, or NULL. */
const struct ini_section *ini_section(const struct ini *, const char *name);
/* The entry for key (any case) in a section, or NULL; sec may be NULL. */
const struct ini_entry	*ini_entry(const struct ini_section *,
			     const char *key);
/* The value of key in a section, or NULL. */
const char		*ini_get(const struct ini_section *, const char *key);
/* The value of key inside a sub-section head, or NULL. */
const char		*ini_sub_get(const struct ini_entry *, const char *key);

/*
 * A short quoted excerpt of len bytes of s for a message: at most about 60
 * characters, control characters shown as '?', and every run of 20 or more
 * key-like characters (letters, digits, '/', '+', '=') replaced by "****",
 * so that a pasted secret key or token is never echoed.  Writes a NUL
 * terminated string into out (size outsz) and returns out.
 */
char			*ini_excerpt(const char *s, size_t len, char *out,
			     size_t outsz);

#endif
