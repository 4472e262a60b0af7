/*
 * json.c — doge's jansson helpers: bounded file loading with located parse
 * errors, the canonical pretty dump, and required-field getters whose errors
 * quote the offending value (compact JSON, shortened) next to the file and
 * field names.
 */
#include "doge/json.h"
#include "internal.h"
#include "util/snippet.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int doge_json_load(const char *path, size_t max, json_t **out)
{
    char *text;
    size_t len;
    *out = NULL;
    int rc = doge__file_read(path, max ? max : DOGE_JSON_DEFAULT_MAX, &text, &len);
    if (rc < 0)
        return rc;
    json_error_t err;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    free(text);
    if (!j)
        return doge__error_set(DOGE_EINVAL, "%s:%d:%d: %s", path, err.line, err.column,
                               err.text);
    *out = j;
    return DOGE_OK;
}

int doge_json_dump(FILE *f, const json_t *j)
{
    errno = 0;
    if (json_dumpf(j, f, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_ENCODE_ANY) != 0 ||
        fputc('\n', f) == EOF || fflush(f) != 0)
        return doge__error_set(DOGE_EIO, "json: write failed: %s",
                               errno ? strerror(errno) : "stream error");
    return DOGE_OK;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a JSON value";
}

/* Compact, shortened text of v for a message. */
static const char *show(char *dst, size_t cap, const json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
    if (!text)
        return doge__util_snippet(dst, cap, type_name(v), strlen(type_name(v)));
    doge__util_snippet(dst, cap, text, strlen(text));
    free(text);
    return dst;
}

/* Finds field in obj or sets the error. */
static int get_field(const json_t *obj, const char **file, const char *field, json_t **v)
{
    char q[DOGE__SNIPPET_SIZE];
    if (!*file)
        *file = "<json>";
    if (!field)
        return doge__error_set(DOGE_EINVAL, "%s: NULL field name", *file);
    if (!obj || !json_is_object(obj))
        return doge__error_set(DOGE_EINVAL, "%s: expected an object holding field '%s', got %s",
                               *file, field, obj ? show(q, sizeof q, obj) : "nothing");
    *v = json_object_get(obj, field);
    if (!*v)
        return doge__error_set(DOGE_ENOTFOUND, "%s: missing required field '%s'", *file, field);
    return DOGE_OK;
}

int doge_json_get_string(const json_t *obj, const char *file, const char *field,
                         const char **out)
{
    json_t *v;
    int rc = get_field(obj, &file, field, &v);
    if (rc < 0)
        return rc;
    if (!json_is_string(v)) {
        char q[DOGE__SNIPPET_SIZE];
        return doge__error_set(DOGE_EINVAL, "%s: field '%s': expected a string, got %s", file,
                               field, show(q, sizeof q, v));
    }
    *out = json_string_value(v);
    return DOGE_OK;
}

int doge_json_get_int(const json_t *obj, const char *file, const char *field, int64_t *out)
{
    json_t *v;
    int rc = get_field(obj, &file, field, &v);
    if (rc < 0)
        return rc;
    if (!json_is_integer(v)) {
        char q[DOGE__SNIPPET_SIZE];
        return doge__error_set(DOGE_EINVAL, "%s: field '%s': expected an integer, got %s", file,
                               field, show(q, sizeof q, v));
    }
    *out = (int64_t)json_integer_value(v);
    return DOGE_OK;
}
