/*
 * ini.c — the doge.conf reader. The text is walked line by line; each line
 * is a blank, a comment, a [section] header or a key = value pair, and
 * anything else stops the parse with an error naming file:line and quoting
 * the line. Names and decoded values live in an arena; a doge_map keyed by
 * "section\0key" finds entries (and catches duplicates) in O(1). Each entry
 * remembers its line so typed getters can blame the right place.
 */
#include "doge/ini.h"
#include "doge/arena.h"
#include "doge/map.h"
#include "internal.h"
#include "util/snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DOGE__STR2(x) #x
#define DOGE__STR(x) DOGE__STR2(x)

/* Worst-case memory for DOGE_INI_MAX_BYTES of text: names and values are
 * never longer than their lines, plus per-entry overhead. */
#define INI_ARENA_MAX ((size_t)8 << 20)
#define INI_MAP_KEY_MAX ((size_t)DOGE_INI_MAX_KEYS * (2 * DOGE_INI_MAX_NAME + 1))

struct entry {
    const char *section; /* "" for the global section */
    const char *key;
    const char *value;
    size_t line;
};

struct doge_ini {
    char *name;
    doge_arena *arena;
    doge_map *map;
};

/* Parser state for one input. */
struct parse {
    doge_ini *ini;
    const char *section;
    size_t lineno;
    const char *line; /* the current line without its line end */
    size_t len;
};

static int is_ws(char c) { return c == ' ' || c == '\t'; }

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-' || c == '_';
}

static int valid_name(const char *s, size_t n)
{
    if (n == 0 || n > DOGE_INI_MAX_NAME)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_name_char(s[i]))
            return 0;
    return 1;
}

/* "name:line: <why> '<line>'" with the given code. */
static int line_error_code(const struct parse *p, int code, const char *why)
{
    char q[DOGE__SNIPPET_SIZE];
    return doge__error_set(code, "%s:%zu: %s '%s'", p->ini->name, p->lineno, why,
                           doge__util_snippet(q, sizeof q, p->line, p->len));
}

static int line_error(const struct parse *p, const char *why)
{
    return line_error_code(p, DOGE_EINVAL, why);
}

/* Map key "section\0key" in dst (cap bytes); 0 when it does not fit. */
static size_t map_key(char *dst, size_t cap, const char *section, size_t slen, const char *key,
                      size_t klen)
{
    if (slen + 1 + klen > cap)
        return 0;
    memcpy(dst, section, slen);
    dst[slen] = '\0';
    memcpy(dst + slen + 1, key, klen);
    return slen + 1 + klen;
}

/* After a closing quote only spaces and a comment may follow. */
static int rest_is_comment(const char *s, size_t i, size_t e)
{
    while (i < e && is_ws(s[i]))
        i++;
    return i == e || s[i] == '#' || s[i] == ';';
}

static int parse_value(struct parse *p, size_t v, size_t e, char **out)
{
    const char *s = p->line;
    char *val;
    int rc;
    if (v < e && (s[v] == '"' || s[v] == '\'')) {
        char quote = s[v];
        /* Decoded text is never longer than the quoted text. */
        if ((rc = doge_arena_alloc(p->ini->arena, e - v, 1, (void **)&val)) < 0)
            return rc;
        size_t o = 0, i = v + 1;
        for (;; i++) {
            if (i >= e)
                return line_error(p, "unterminated quoted value in");
            char c = s[i];
            if (c == quote)
                break;
            if (c == '\\' && quote == '"') {
                char n = i + 1 < e ? s[i + 1] : '\0';
                switch (n) {
                case '"': c = '"'; break;
                case '\\': c = '\\'; break;
                case 'n': c = '\n'; break;
                case 't': c = '\t'; break;
                case 'r': c = '\r'; break;
                default: return line_error(p, "unknown escape after '\\' in");
                }
                i++;
            }
            val[o++] = c;
        }
        val[o] = '\0';
        if (!rest_is_comment(s, i + 1, e))
            return line_error(p, "unexpected text after the closing quote in");
    } else {
        size_t end = v;
        while (end < e && !((s[end] == '#' || s[end] == ';') && is_ws(s[end - 1])))
            end++;
        while (end > v && is_ws(s[end - 1]))
            end--;
        if ((rc = doge_arena_strndup(p->ini->arena, s + v, end - v, &val)) < 0)
            return rc;
    }
    *out = val;
    return DOGE_OK;
}

static int parse_line(struct parse *p)
{
    const char *s = p->line;
    size_t b = 0, e = p->len;
    int rc;
    if (memchr(s, '\0', e))
        return line_error(p, "NUL byte in");
    while (b < e && is_ws(s[b]))
        b++;
    while (e > b && is_ws(s[e - 1]))
        e--;
    if (b == e || s[b] == '#' || s[b] == ';')
        return DOGE_OK;

    if (s[b] == '[') {
        const char *close = memchr(s + b, ']', e - b);
        if (!close || !rest_is_comment(s, (size_t)(close - s) + 1, e))
            return line_error(p, "expected '[section]', got");
        size_t nb = b + 1, ne = (size_t)(close - s);
        while (nb < ne && is_ws(s[nb]))
            nb++;
        while (ne > nb && is_ws(s[ne - 1]))
            ne--;
        if (!valid_name(s + nb, ne - nb))
            return line_error(p, "bad section name (letters, digits, '.', '-', '_'; "
                                 "at most 128) in");
        char *name;
        if ((rc = doge_arena_strndup(p->ini->arena, s + nb, ne - nb, &name)) < 0)
            return rc;
        p->section = name;
        return DOGE_OK;
    }

    const char *eq = memchr(s + b, '=', e - b);
    if (!eq)
        return line_error(p, "expected 'key = value', got");
    size_t ke = (size_t)(eq - s);
    while (ke > b && is_ws(s[ke - 1]))
        ke--;
    if (ke == b)
        return line_error(p, "missing key before '=' in");
    if (!valid_name(s + b, ke - b))
        return line_error(p, "bad key (letters, digits, '.', '-', '_'; at most 128) in");
    size_t v = (size_t)(eq - s) + 1;
    while (v < e && is_ws(s[v]))
        v++;

    char mk[2 * DOGE_INI_MAX_NAME + 1];
    size_t mlen = map_key(mk, sizeof mk, p->section, strlen(p->section), s + b, ke - b);
    void *found;
    if (doge_map_get(p->ini->map, mk, mlen, &found)) {
        const struct entry *old = found;
        char q[DOGE__SNIPPET_SIZE], why[DOGE_INI_MAX_NAME * 2 + 96];
        if (*p->section)
            snprintf(why, sizeof why, "duplicate key '%s' in [%s] (first set on line %zu):",
                     old->key, p->section, old->line);
        else
            snprintf(why, sizeof why,
                     "duplicate key '%s' in the global section (first set on line %zu):",
                     old->key, old->line);
        return doge__error_set(DOGE_EINVAL, "%s:%zu: %s '%s'", p->ini->name, p->lineno, why,
                               doge__util_snippet(q, sizeof q, p->line, p->len));
    }

    if (doge_map_count(p->ini->map) >= DOGE_INI_MAX_KEYS)
        return line_error_code(p, DOGE_ELIMIT, "more than " DOGE__STR(DOGE_INI_MAX_KEYS)
                                               " keys at");

    struct entry *en = NULL;
    char *key = NULL, *val = NULL;
    if ((rc = parse_value(p, v, e, &val)) < 0 ||
        (rc = doge_arena_strndup(p->ini->arena, s + b, ke - b, &key)) < 0 ||
        (rc = doge_arena_alloc(p->ini->arena, sizeof *en, 0, (void **)&en)) < 0)
        return rc;
    en->section = p->section;
    en->key = key;
    en->value = val;
    en->line = p->lineno;
    return doge_map_put(p->ini->map, mk, mlen, en);
}

int doge_ini_new(doge_ini **out, const char *name, const char *text, size_t len)
{
    *out = NULL;
    if (!name)
        name = "<string>";
    if (!text && len)
        return doge__error_set(DOGE_EINVAL, "%s: NULL text of %zu bytes", name, len);
    if (len > DOGE_INI_MAX_BYTES)
        return doge__error_set(DOGE_ELIMIT, "%s: %zu bytes is more than the limit of %zu", name,
                               len, DOGE_INI_MAX_BYTES);
    doge_ini *ini = calloc(1, sizeof *ini);
    if (!ini)
        return doge__error_oom();
    int rc;
    if (!(ini->name = strdup(name))) {
        rc = doge__error_oom();
        goto fail;
    }
    if ((rc = doge_arena_new(&ini->arena, 0, INI_ARENA_MAX)) < 0 ||
        (rc = doge_map_new(&ini->map, DOGE_INI_MAX_KEYS, INI_MAP_KEY_MAX + 4096)) < 0)
        goto fail;

    struct parse p = {ini, "", 0, NULL, 0};
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t next = nl ? (size_t)(nl - text) + 1 : len;
        size_t n = (nl ? (size_t)(nl - text) : len) - i;
        if (n > 0 && text[i + n - 1] == '\r')
            n--;
        p.lineno++;
        p.line = text + i;
        p.len = n;
        if ((rc = parse_line(&p)) < 0)
            goto fail;
        i = next;
    }
    *out = ini;
    return DOGE_OK;
fail:
    doge_ini_free(ini);
    return rc;
}

int doge_ini_new_file(doge_ini **out, const char *path)
{
    char *text;
    size_t len;
    *out = NULL;
    int rc = doge__file_read(path, DOGE_INI_MAX_BYTES, &text, &len);
    if (rc < 0)
        return rc;
    rc = doge_ini_new(out, path, text, len);
    free(text);
    return rc;
}

void doge_ini_free(doge_ini *ini)
{
    if (!ini)
        return;
    doge_map_free(ini->map);
    doge_arena_free(ini->arena);
    free(ini->name);
    free(ini);
}

static const struct entry *lookup(const doge_ini *ini, const char *section, const char *key)
{
    if (!key)
        return NULL;
    if (!section)
        section = "";
    char mk[2 * DOGE_INI_MAX_NAME + 1];
    size_t mlen = map_key(mk, sizeof mk, section, strlen(section), key, strlen(key));
    void *found;
    if (!mlen || !doge_map_get(ini->map, mk, mlen, &found))
        return NULL;
    return found;
}

int doge_ini_has(const doge_ini *ini, const char *section, const char *key)
{
    return lookup(ini, section, key) != NULL;
}

const char *doge_ini_get(const doge_ini *ini, const char *section, const char *key,
                         const char *def)
{
    const struct entry *e = lookup(ini, section, key);
    return e ? e->value : def;
}

/* "name:line: [section] key" (or "name:line: key" for the global section). */
static int value_error(const doge_ini *ini, const struct entry *e, int code, const char *why)
{
    char q[DOGE__SNIPPET_SIZE];
    doge__util_snippet(q, sizeof q, e->value, strlen(e->value));
    if (*e->section)
        return doge__error_set(code, "%s:%zu: [%s] %s: %s, got '%s'", ini->name, e->line,
                               e->section, e->key, why, q);
    return doge__error_set(code, "%s:%zu: %s: %s, got '%s'", ini->name, e->line, e->key, why, q);
}

int doge_ini_get_int(const doge_ini *ini, const char *section, const char *key, int64_t def,
                     int64_t *out)
{
    const struct entry *e = lookup(ini, section, key);
    if (!e) {
        *out = def;
        return DOGE_OK;
    }
    const char *s = e->value;
    int neg = 0;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    if (!*s)
        return value_error(ini, e, DOGE_EINVAL, "expected an integer");
    uint64_t mag = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return value_error(ini, e, DOGE_EINVAL, "expected an integer");
        uint64_t d = (uint64_t)(*s - '0');
        if (mag > (limit - d) / 10) {
            for (s++; *s; s++) /* report bad syntax before range */
                if (*s < '0' || *s > '9')
                    return value_error(ini, e, DOGE_EINVAL, "expected an integer");
            return value_error(ini, e, DOGE_ERANGE, "integer out of range for 64 bits");
        }
        mag = mag * 10 + d;
    }
    *out = !neg ? (int64_t)mag : mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
    return DOGE_OK;
}

int doge_ini_get_bool(const doge_ini *ini, const char *section, const char *key, int def,
                      int *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    const struct entry *e = lookup(ini, section, key);
    if (!e) {
        *out = def;
        return DOGE_OK;
    }
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(e->value, yes[i]) == 0) {
            *out = 1;
            return DOGE_OK;
        }
        if (strcasecmp(e->value, no[i]) == 0) {
            *out = 0;
            return DOGE_OK;
        }
    }
    return value_error(ini, e, DOGE_EINVAL, "expected true/false, yes/no, on/off or 1/0");
}
