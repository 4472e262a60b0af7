/*
 * doge/json.h — the few helpers doge needs on top of jansson: load a JSON
 * file with errors that say file:line:column, dump a value in doge's one
 * canonical pretty form (sorted keys, 2-space indent, trailing newline, so
 * outputs diff cleanly and are reproducible), and read required string and
 * integer fields with errors that name the field and the file.
 *
 * Values are jansson's json_t; this header only forward-declares it so that
 * doge.h does not pull in <jansson.h>; include <jansson.h> to build or walk
 * values.
 *
 * Ownership: doge_json_load() hands the caller a new reference (release with
 * json_decref()). Nothing else here takes or gives references: a string from
 * doge_json_get_string() is borrowed from the object and lives as long as the
 * object holds that field.
 */
#ifndef DOGE_JSON_H
#define DOGE_JSON_H

#include "doge/common.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct json_t;

/* Input size cap used by doge_json_load() when max is 0: 64 MiB. */
#define DOGE_JSON_DEFAULT_MAX ((size_t)64 << 20)

/* Reads and parses the JSON file at path (at most max bytes; 0: the
 * default). Duplicate object keys are rejected. DOGE_ENOTFOUND, DOGE_EIO,
 * DOGE_ELIMIT, or DOGE_EINVAL as "path:line:column: reason". */
DOGE_EXTERN int doge_json_load(const char *path, size_t max, struct json_t **out);

/* Writes j (any JSON value) to f with sorted keys, 2-space indent and a
 * trailing newline. DOGE_EIO when writing fails. */
DOGE_EXTERN int doge_json_dump(FILE *f, const struct json_t *j);

/* The string field `field` of object obj. file names the source in errors
 * (NULL: "<json>"): DOGE_ENOTFOUND "file: missing required field 'x'",
 * DOGE_EINVAL "file: field 'x': expected a string, got 12" or when obj is
 * not an object. */
DOGE_EXTERN int doge_json_get_string(const struct json_t *obj, const char *file,
                                     const char *field, const char **out);

/* The integer field `field` of object obj (a JSON integer: 12.0 and "12"
 * are rejected). Errors as for doge_json_get_string(). */
DOGE_EXTERN int doge_json_get_int(const struct json_t *obj, const char *file, const char *field,
                                  int64_t *out);

#ifdef __cplusplus
}
#endif
#endif
