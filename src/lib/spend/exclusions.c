/*
 * exclusions.c — the SAM.gov public exclusions extract (columns
 * "Classification", "Name", "First", "Middle", "Last", "Unique Entity ID",
 * "Exclusion Program", "Excluding Agency", "Exclusion Type", "Active Date",
 * "Termination Date", ...; dates MM/DD/YYYY, "Indefinite" for no end) read
 * with the streaming CSV reader into a table with two indexes: by UEI and
 * by normalised name (doge_spend_name_normalize). A record matches an action
 * when the action is dated within [Active Date, Termination Date] and either
 * both sides carry a UEI and they are equal, or one side lacks a UEI and the
 * normalised names are equal. The maps are only read after loading, so the
 * scanning threads share them without a lock.
 */
#include "doge/csvread.h"
#include "doge/date.h"
#include "internal.h"
#include "spend/spend_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_EXCLUSIONS 5000000

/* "MM/DD/YYYY", "YYYY-MM-DD"; "" or "Indefinite" gives def. */
static int excl_date(const char *s, size_t n, int32_t def, int32_t *out)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    if (n == 0 || (n == 10 && strncasecmp(s, "Indefinite", 10) == 0)) {
        *out = def;
        return DOGE_OK;
    }
    if (n == 10 && s[2] == '/' && s[5] == '/') {
        int ok = 1;
        for (int i = 0; i < 10; i++)
            if (i != 2 && i != 5 && !isdigit((unsigned char)s[i]))
                ok = 0;
        if (ok) {
            int m = (s[0] - '0') * 10 + (s[1] - '0'), d = (s[3] - '0') * 10 + (s[4] - '0');
            int y = atoi(s + 6);
            return doge_date_from_ymd(y, m, d, out);
        }
    }
    return doge_date_parse(s, n, out);
}

/* A hash of the first four letters or digits of a name as normalisation
 * sees them (upper case, '.' and '\'' skipped, a leading "THE " dropped), so
 * that most names are ruled out before being normalised. */
static unsigned prefix_hash(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (n - i > 4 && strncasecmp(s + i, "THE ", 4) == 0)
        i += 4;
    uint32_t h = 0;
    int k = 0;
    for (; i < n && k < 4; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.' || c == '\'')
            continue;
        if (c < 0x80 && !isalnum(c) && c != '&')
            break;
        h = h * 131 + (uint32_t)(c < 0x80 ? toupper(c) : c);
        k++;
    }
    return (h ^ (h >> 15)) & 65535u;
}

void doge__spend_exclusions_free(doge__spend_exclusions *x)
{
    if (!x)
        return;
    free(x->rec);
    free(x->next_name);
    doge_map_free(x->by_uei);
    doge_map_free(x->by_name);
    doge_arena_free(x->arena);
    free(x);
}

static int grow(doge__spend_exclusions *x, size_t *cap)
{
    if (x->n < *cap)
        return DOGE_OK;
    size_t nc = *cap ? *cap * 2 : 256;
    doge__spend_excl *r = realloc(x->rec, nc * sizeof *r);
    if (!r)
        return doge__error_oom();
    x->rec = r;
    int32_t *nn = realloc(x->next_name, nc * sizeof *nn);
    if (!nn)
        return doge__error_oom();
    x->next_name = nn;
    *cap = nc;
    return DOGE_OK;
}

static int field_dup(doge__spend_exclusions *x, doge_csvread *r, int col, const char **out)
{
    if (col < 0) {
        *out = "";
        return DOGE_OK;
    }
    doge_csvread_field f = doge_csvread_get(r, (size_t)col);
    /* Trim spaces. */
    while (f.len && (f.data[f.len - 1] == ' ' || f.data[f.len - 1] == '\t'))
        f.len--;
    while (f.len && (*f.data == ' ' || *f.data == '\t')) {
        f.data++;
        f.len--;
    }
    return doge_arena_strndup(x->arena, f.data, f.len, (char **)out);
}

int doge__spend_exclusions_load(doge__spend_exclusions **out, const char *path)
{
    *out = NULL;
    doge__spend_exclusions *x = calloc(1, sizeof *x);
    if (!x)
        return doge__error_oom();
    doge_csvread *r = NULL;
    int rc;
    if ((rc = doge_arena_new(&x->arena, 0, 0)) || (rc = doge_map_new(&x->by_uei, 0, 0)) ||
        (rc = doge_map_new(&x->by_name, 0, 0)) || (rc = doge_csvread_open(&r, path, 0)) ||
        (rc = doge_csvread_read_header(r)))
        goto fail;
    static const char *const required[] = {"Unique Entity ID", "Active Date", "Termination Date"};
    int req[3];
    if ((rc = doge_csvread_require(r, required, 3, req)))
        goto fail;
    int c_name = doge_csvread_column(r, "Name"), c_first = doge_csvread_column(r, "First"),
        c_middle = doge_csvread_column(r, "Middle"), c_last = doge_csvread_column(r, "Last"),
        c_prog = doge_csvread_column(r, "Exclusion Program"),
        c_agency = doge_csvread_column(r, "Excluding Agency"),
        c_type = doge_csvread_column(r, "Exclusion Type");
    if (c_name < 0 && c_last < 0) {
        rc = doge__error_set(DOGE_EINVAL, "%s:%llu: missing required column 'Name'", path,
                             (unsigned long long)doge_csvread_line(r));
        goto fail;
    }
    size_t cap = 0;
    char norm[256];
    while ((rc = doge_csvread_next(r)) == 1) {
        if (x->n >= MAX_EXCLUSIONS) {
            rc = doge__error_set(DOGE_ELIMIT, "%s: more than %d exclusion records", path,
                                 MAX_EXCLUSIONS);
            goto fail;
        }
        if ((rc = grow(x, &cap)))
            goto fail;
        doge__spend_excl *e = &x->rec[x->n];
        memset(e, 0, sizeof *e);
        e->next = -1;
        x->next_name[x->n] = -1;
        const char *first, *middle, *last;
        if ((rc = field_dup(x, r, c_name, &e->name)) || (rc = field_dup(x, r, req[0], &e->uei)) ||
            (rc = field_dup(x, r, c_prog, &e->program)) ||
            (rc = field_dup(x, r, c_agency, &e->agency)) ||
            (rc = field_dup(x, r, c_type, &e->type)) || (rc = field_dup(x, r, c_first, &first)) ||
            (rc = field_dup(x, r, c_middle, &middle)) || (rc = field_dup(x, r, c_last, &last)))
            goto fail;
        if (!*e->name && *last) {
            /* An individual: "First Middle Last". */
            size_t n = strlen(first) + strlen(middle) + strlen(last) + 3;
            char *full;
            if ((rc = doge_arena_alloc(x->arena, n, 1, (void **)&full)))
                goto fail;
            snprintf(full, n, "%s%s%s%s%s", first, *first ? " " : "", middle, *middle ? " " : "",
                     last);
            e->name = full;
        }
        doge_csvread_field fa = doge_csvread_get(r, (size_t)req[1]),
                           ft = doge_csvread_get(r, (size_t)req[2]);
        int bad = excl_date(fa.data, fa.len, INT32_MIN, &e->active) != DOGE_OK   ? 1
                  : excl_date(ft.data, ft.len, INT32_MAX, &e->end) != DOGE_OK ? 2
                                                                               : 0;
        if (bad) {
            rc = doge__error_set(DOGE_EINVAL, "%s:%llu: column '%s': %s", path,
                                 (unsigned long long)doge_csvread_line(r),
                                 bad == 1 ? "Active Date" : "Termination Date",
                                 doge_error_last());
            goto fail;
        }
        if (!*e->name && !*e->uei)
            continue; /* nothing to match on */
        doge_map_value *slot;
        int32_t idx = (int32_t)x->n;
        if (*e->uei) {
            if ((rc = doge_map_upsert(x->by_uei, e->uei, strlen(e->uei), &slot, NULL)))
                goto fail;
            e->next = slot->u64 ? (int32_t)(slot->u64 - 1) : -1;
            slot->u64 = (uint64_t)idx + 1;
        }
        size_t nl = doge_spend_name_normalize(e->name, strlen(e->name), norm, sizeof norm);
        if (nl) {
            unsigned ph = prefix_hash(norm, nl);
            x->prefixes[ph >> 6] |= (uint64_t)1 << (ph & 63);
            if ((rc = doge_map_upsert(x->by_name, norm, nl, &slot, NULL)))
                goto fail;
            x->next_name[idx] = slot->u64 ? (int32_t)(slot->u64 - 1) : -1;
            slot->u64 = (uint64_t)idx + 1;
        }
        x->n++;
    }
    if (rc < 0)
        goto fail;
    doge_csvread_free(r);
    *out = x;
    return DOGE_OK;
fail:
    doge_csvread_free(r);
    doge__spend_exclusions_free(x);
    return rc < 0 ? rc : DOGE_ERROR;
}

static int active(const doge__spend_excl *e, int32_t day)
{
    if (day == DOGE_SPEND_NO_DATE)
        return 1; /* undated: the record cannot be ruled out */
    return day >= e->active && day <= e->end;
}

const doge__spend_excl *doge__spend_exclusions_match(const doge__spend_exclusions *x,
                                                     const doge_spend_field *uei,
                                                     const doge_spend_field *name, int32_t day,
                                                     char *norm)
{
    if (!x || x->n == 0)
        return NULL;
    uint64_t v;
    if (uei->len && doge_map_get_u64(x->by_uei, uei->data, uei->len, &v)) {
        for (int32_t i = (int32_t)v - 1; i >= 0; i = x->rec[i].next)
            if (active(&x->rec[i], day))
                return &x->rec[i];
    }
    unsigned ph = prefix_hash(name->data, name->len);
    if (!(x->prefixes[ph >> 6] & ((uint64_t)1 << (ph & 63))))
        return NULL;
    size_t nl = doge_spend_name_normalize(name->data, name->len, norm, 256);
    if (nl && doge_map_get_u64(x->by_name, norm, nl, &v)) {
        for (int32_t i = (int32_t)v - 1; i >= 0; i = x->next_name[i]) {
            const doge__spend_excl *e = &x->rec[i];
            if ((uei->len == 0 || e->uei[0] == '\0') && active(e, day))
                return e;
        }
    }
    return NULL;
}
