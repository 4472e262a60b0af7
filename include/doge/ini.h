/*
 * doge/ini.h — the INI reader behind doge.conf: named sections, key = value
 * pairs and typed lookups with defaults.
 *
 * Syntax, line by line (a UTF-8 byte-order mark at the start is skipped,
 * CRLF line ends are accepted, spaces and tabs around names and values are
 * trimmed):
 *   # comment            ; comment          (whole-line comments)
 *   [section]            names: letters, digits, '.', '-', '_'
 *   key = value          keys: the same characters; case-sensitive
 *   key = "a \"quoted\" value"   escapes \" \\ \n \t \r
 *   key = 'literal'      no escapes
 *   key = value # note   '#' or ';' after a space or tab starts a comment in
 *                        an unquoted value; quote a value to keep " #"
 * Keys before the first [section] belong to the global section, named by
 * NULL or "" in lookups. A section may appear more than once (its keys
 * merge) but a key set twice in the same section is an error. Every error
 * names the file and line and quotes the line, e.g.
 *   doge.conf:7: expected 'key = value', got 'foo'
 *
 * Ownership: the caller owns the doge_ini made by doge_ini_new() or
 * doge_ini_new_file() and releases it with doge_ini_free(). The text passed
 * in is copied as needed and may be released right after parsing. Strings
 * returned by doge_ini_get() belong to the doge_ini and live until
 * doge_ini_free(); the default passed to it is returned as is.
 */
#ifndef DOGE_INI_H
#define DOGE_INI_H

#include "doge/common.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest accepted input: 1 MiB (DOGE_ELIMIT beyond). */
#define DOGE_INI_MAX_BYTES ((size_t)1 << 20)
/* Most keys in one input (DOGE_ELIMIT beyond). */
#define DOGE_INI_MAX_KEYS 10000
/* Longest section or key name, in bytes. */
#define DOGE_INI_MAX_NAME 128

typedef struct doge_ini doge_ini;

/* Parses len bytes of text; name (e.g. "doge.conf"; NULL: "<string>") is
 * what error messages call the input. */
DOGE_EXTERN int doge_ini_new(doge_ini **out, const char *name, const char *text, size_t len);

/* Reads and parses the file at path (DOGE_ENOTFOUND when it is missing,
 * DOGE_EIO when unreadable). */
DOGE_EXTERN int doge_ini_new_file(doge_ini **out, const char *path);

/* Releases the doge_ini and every string it handed out. ini may be NULL. */
DOGE_EXTERN void doge_ini_free(doge_ini *ini);

/* 1 when section/key is set (to anything, even ""), else 0. */
DOGE_EXTERN int doge_ini_has(const doge_ini *ini, const char *section, const char *key);

/* The value of section/key, or def when it is not set. */
DOGE_EXTERN const char *doge_ini_get(const doge_ini *ini, const char *section, const char *key,
                                     const char *def);

/* The value as a decimal integer ("-12", "+7"), or def when not set.
 * DOGE_EINVAL naming file:line, the key and the value when it is not an
 * integer; DOGE_ERANGE beyond int64_t. */
DOGE_EXTERN int doge_ini_get_int(const doge_ini *ini, const char *section, const char *key,
                                 int64_t def, int64_t *out);

/* The value as a boolean (true/false, yes/no, on/off, 1/0, any case) as 1
 * or 0, or def when not set. DOGE_EINVAL naming file:line, key and value. */
DOGE_EXTERN int doge_ini_get_bool(const doge_ini *ini, const char *section, const char *key,
                                  int def, int *out);

#ifdef __cplusplus
}
#endif
#endif
