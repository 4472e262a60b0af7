/*
 * receipts_load.c — savings claims in the doge.gov receipts layout. JSON as
 * api.doge.gov/savings/{contracts,grants,leases} serve it — {"result":
 * {"contracts": [{"piid", "agency", "vendor", "value", "description",
 * "fpds_status", "fpds_link", "deleted_date", "savings"}], "grants":
 * [{"date", "agency", "recipient", "value", "savings", "link",
 * "description"}], "leases": [{"date", "location", "sq_ft", "description",
 * "value", "savings", "agency"}]}} — or those arrays at the top level, or
 * one bare array whose items say their "type"; leases may carry a
 * "lease_number" (or "piid"/"award_id") naming the lease contract. CSV with
 * a header of the same names (plus "type") is read with the streaming CSV
 * reader. Amounts are JSON numbers or money text, dates "YYYY-MM-DD" or
 * "M/D/YYYY". A claim's id is its "id" field, else "<type>-<n>" counting
 * claims of that type in file order.
 */
#include "doge/csvread.h"
#include "doge/date.h"
#include "doge/json.h"
#include "doge/money.h"
#include "internal.h"
#include "spend/spend_internal.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const type_names[] = {NULL, "contract", "grant", "lease"};

int doge_spend_receipts_new(doge_spend_receipts **out)
{
    *out = NULL;
    doge_spend_receipts *r = calloc(1, sizeof *r);
    if (!r)
        return doge__error_oom();
    int rc = doge_arena_new(&r->arena, 0, 0);
    if (rc) {
        free(r);
        return rc;
    }
    *out = r;
    return DOGE_OK;
}

void doge_spend_receipts_free(doge_spend_receipts *r)
{
    if (!r)
        return;
    doge_arena_free(r->arena);
    free(r->claims);
    free(r->results);
    free(r->agencies);
    free(r);
}

size_t doge_spend_receipts_claims(const doge_spend_receipts *r, const doge_spend_claim **out)
{
    *out = r->claims;
    return r->n;
}

static int dup(doge_spend_receipts *r, const char *s, const char **out)
{
    return doge_arena_strdup(r->arena, s ? s : "", (char **)out);
}

int doge_spend_receipts_add(doge_spend_receipts *r, const doge_spend_claim *c)
{
    if (c->type < DOGE_SPEND_CLAIM_CONTRACT || c->type > DOGE_SPEND_CLAIM_LEASE)
        return doge__error_set(DOGE_EINVAL, "receipts: claim type %d", (int)c->type);
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 64;
        doge_spend_claim *x = realloc(r->claims, nc * sizeof *x);
        if (!x)
            return doge__error_oom();
        r->claims = x;
        r->cap = nc;
    }
    doge_spend_claim *d = &r->claims[r->n];
    *d = *c;
    d->index = r->n;
    r->per_type[c->type]++;
    char id[64];
    if (!c->id || !*c->id)
        snprintf(id, sizeof id, "%s-%zu", type_names[c->type], r->per_type[c->type]);
    int rc;
    if ((rc = dup(r, c->id && *c->id ? c->id : id, &d->id)) ||
        (rc = dup(r, c->agency, &d->agency)) || (rc = dup(r, c->description, &d->description)) ||
        (rc = dup(r, c->recipient, &d->recipient)) || (rc = dup(r, c->award_id, &d->award_id)) ||
        (rc = dup(r, c->link, &d->link)))
        return rc;
    r->n++;
    return DOGE_OK;
}

/* "YYYY-MM-DD[...]" or "M/D/YYYY"; "" is no date. */
static int claim_date(const char *s, int32_t *out)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    if (n == 0) {
        *out = DOGE_SPEND_NO_DATE;
        return DOGE_OK;
    }
    if (n >= 10 && s[4] == '-')
        return doge_date_parse(s, 10, out);
    int m, d, y;
    char tail;
    if (sscanf(s, "%d/%d/%d%c", &m, &d, &y, &tail) == 3 && y >= 1000)
        return doge_date_from_ymd(y, m, d, out);
    return doge__error_set(DOGE_EINVAL, "'%.40s' is not a date (YYYY-MM-DD or M/D/YYYY)", s);
}

static int money_text(const char *s, int64_t *out)
{
    if (!s || !*s) {
        *out = 0;
        return DOGE_OK;
    }
    return doge_money_parse(s, strlen(s), out);
}

/* ---- JSON -------------------------------------------------------------------- */

static const char *jstr(json_t *o, const char *k, char *buf, size_t cap)
{
    json_t *v = json_object_get(o, k);
    if (!v)
        return NULL;
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    return NULL;
}

static int jmoney(json_t *o, const char *k, const char *file, const char *id, int64_t *out)
{
    json_t *v = json_object_get(o, k);
    *out = 0;
    if (!v || json_is_null(v))
        return DOGE_OK;
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        if (x > INT64_MAX / 100 || x < INT64_MIN / 100)
            return doge__error_set(DOGE_ERANGE, "%s: claim %s: field '%s' is too large", file, id, k);
        *out = (int64_t)x * 100;
        return DOGE_OK;
    }
    if (json_is_real(v)) {
        char buf[64];
        double x = json_real_value(v);
        if (!(x < 9e16 && x > -9e16))
            return doge__error_set(DOGE_ERANGE, "%s: claim %s: field '%s' is out of range", file,
                                   id, k);
        snprintf(buf, sizeof buf, "%.2f", x);
        return doge_money_parse(buf, strlen(buf), out);
    }
    if (json_is_string(v)) {
        if (money_text(json_string_value(v), out) != DOGE_OK)
            return doge__error_prefix("%s: claim %s: field '%s'", file, id, k);
        return DOGE_OK;
    }
    return doge__error_set(DOGE_EINVAL, "%s: claim %s: field '%s' is not an amount", file, id, k);
}

static int json_item(doge_spend_receipts *r, json_t *it, doge_spend_claim_type type,
                     const char *file)
{
    char b1[32], b2[32], b3[32], b4[32], idbuf[64];
    if (!json_is_object(it))
        return doge__error_set(DOGE_EINVAL, "%s: claim %zu is not an object", file, r->n + 1);
    if (type == 0) {
        const char *t = jstr(it, "type", b1, sizeof b1);
        type = !t                                 ? 0
               : strncasecmp(t, "contract", 8) == 0 ? DOGE_SPEND_CLAIM_CONTRACT
               : strncasecmp(t, "grant", 5) == 0    ? DOGE_SPEND_CLAIM_GRANT
               : strncasecmp(t, "lease", 5) == 0    ? DOGE_SPEND_CLAIM_LEASE
                                                    : 0;
        if (!type)
            return doge__error_set(DOGE_EINVAL,
                                   "%s: claim %zu: field 'type' must be contract, grant or lease",
                                   file, r->n + 1);
    }
    doge_spend_claim c;
    memset(&c, 0, sizeof c);
    c.type = type;
    c.id = jstr(it, "id", idbuf, sizeof idbuf);
    snprintf(b3, sizeof b3, "%s-%zu", type_names[type], r->per_type[type] + 1);
    const char *label = c.id ? c.id : b3;
    c.agency = jstr(it, "agency", b2, sizeof b2);
    c.description = jstr(it, "description", b2, sizeof b2);
    c.recipient = jstr(it, type == DOGE_SPEND_CLAIM_CONTRACT ? "vendor" : "recipient", b2, sizeof b2);
    if (!c.recipient)
        c.recipient = jstr(it, "vendor", b2, sizeof b2);
    /* The first non-empty id and link. */
    const char *ids[] = {"piid", "fain", "award_id", "lease_number"};
    for (int i = 0; i < 4 && (!c.award_id || !*c.award_id); i++) {
        const char *x = jstr(it, ids[i], b1, sizeof b1);
        if (x)
            c.award_id = x;
    }
    const char *links[] = {"fpds_link", "link", "url"};
    for (int i = 0; i < 3 && (!c.link || !*c.link); i++) {
        const char *x = jstr(it, links[i], b4, sizeof b4);
        if (x)
            c.link = x;
    }
    const char *date = jstr(it, "deleted_date", b2, sizeof b2);
    if (!date)
        date = jstr(it, "date", b2, sizeof b2);
    int rc;
    if (claim_date(date ? date : "", &c.date) != DOGE_OK)
        return doge__error_prefix("%s: claim %s: date", file, label);
    if ((rc = jmoney(it, "value", file, label, &c.value)) ||
        (rc = jmoney(it, "savings", file, label, &c.savings)))
        return rc;
    if (!json_object_get(it, "savings"))
        return doge__error_set(DOGE_EINVAL, "%s: claim %s: missing required field 'savings'", file,
                               label);
    return doge_spend_receipts_add(r, &c);
}

static int items_array(doge_spend_receipts *r, json_t *a, doge_spend_claim_type type,
                      const char *file)
{
    size_t i;
    json_t *it;
    json_array_foreach(a, i, it)
    {
        int rc = json_item(r, it, type, file);
        if (rc)
            return rc;
    }
    return DOGE_OK;
}

static int load_json(doge_spend_receipts *r, const char *path)
{
    json_t *root;
    int rc = doge_json_load(path, (size_t)1 << 30, &root);
    if (rc)
        return rc;
    if (json_is_array(root)) {
        rc = items_array(r, root, 0, path);
    } else if (json_is_object(root)) {
        json_t *res = json_object_get(root, "result");
        json_t *o = res && json_is_object(res) ? res : root;
        static const char *const keys[] = {NULL, "contracts", "grants", "leases"};
        int found = 0;
        for (int t = 1; t <= 3 && rc == DOGE_OK; t++) {
            json_t *a = json_object_get(o, keys[t]);
            if (!a)
                continue;
            if (!json_is_array(a)) {
                rc = doge__error_set(DOGE_EINVAL, "%s: '%s' is not an array", path, keys[t]);
                break;
            }
            found = 1;
            rc = items_array(r, a, (doge_spend_claim_type)t, path);
        }
        if (rc == DOGE_OK && !found)
            rc = doge__error_set(DOGE_EINVAL,
                                 "%s: no \"contracts\", \"grants\" or \"leases\" array (the "
                                 "doge.gov receipts layout)",
                                 path);
    } else {
        rc = doge__error_set(DOGE_EINVAL, "%s: expected a JSON object or array", path);
    }
    json_decref(root);
    return rc;
}

/* ---- CSV -------------------------------------------------------------------- */

static int col(doge_csvread *c, const char *const *names)
{
    for (int i = 0; names[i]; i++) {
        int k = doge_csvread_column(c, names[i]);
        if (k >= 0)
            return k;
    }
    return -1;
}

static char *cell(doge_csvread *c, int k)
{
    if (k < 0)
        return NULL;
    doge_csvread_field f = doge_csvread_get(c, (size_t)k);
    return (char *)f.data; /* NUL-terminated in place */
}

static int load_csv(doge_spend_receipts *r, const char *path)
{
    doge_csvread *c;
    int rc = doge_csvread_open(&c, path, 0);
    if (rc)
        return rc;
    if ((rc = doge_csvread_read_header(c))) {
        doge_csvread_free(c);
        return rc;
    }
    static const char *const n_type[] = {"type", "kind", NULL};
    static const char *const n_id[] = {"id", "claim_id", NULL};
    static const char *const n_agency[] = {"agency", NULL};
    static const char *const n_desc[] = {"description", NULL};
    static const char *const n_value[] = {"value", NULL};
    static const char *const n_savings[] = {"savings", NULL};
    static const char *const n_award[] = {"piid", "fain", "award_id", "lease_number", NULL};
    static const char *const n_link[] = {"fpds_link", "link", "url", NULL};
    static const char *const n_date[] = {"deleted_date", "date", NULL};
    static const char *const n_recip[] = {"vendor", "recipient", NULL};
    int k_type = col(c, n_type), k_id = col(c, n_id), k_agency = col(c, n_agency),
        k_desc = col(c, n_desc), k_value = col(c, n_value), k_sav = col(c, n_savings),
        k_award = col(c, n_award), k_link = col(c, n_link), k_date = col(c, n_date),
        k_recip = col(c, n_recip);
    if (k_sav < 0) {
        rc = doge__error_set(DOGE_EINVAL, "%s:1: missing required column 'savings'", path);
        doge_csvread_free(c);
        return rc;
    }
    if (k_award < 0 && k_link < 0) {
        rc = doge__error_set(DOGE_EINVAL,
                             "%s:1: missing required column 'piid' (or award_id, fain, "
                             "lease_number, link)",
                             path);
        doge_csvread_free(c);
        return rc;
    }
    while ((rc = doge_csvread_next(c)) == 1) {
        doge_spend_claim cl;
        memset(&cl, 0, sizeof cl);
        const char *t = cell(c, k_type);
        const char *link = cell(c, k_link);
        cl.type = t && strncasecmp(t, "grant", 5) == 0   ? DOGE_SPEND_CLAIM_GRANT
                  : t && strncasecmp(t, "lease", 5) == 0 ? DOGE_SPEND_CLAIM_LEASE
                  : t && *t && strncasecmp(t, "contract", 8) != 0
                      ? 0
                  : !t && link && strstr(link, "ASST_") ? DOGE_SPEND_CLAIM_GRANT
                                                        : DOGE_SPEND_CLAIM_CONTRACT;
        if (!cl.type) {
            rc = doge__error_set(DOGE_EINVAL, "%s:%llu: column 'type': '%s' is not contract, "
                                              "grant or lease",
                                 path, (unsigned long long)doge_csvread_line(c), t);
            break;
        }
        cl.id = cell(c, k_id);
        cl.agency = cell(c, k_agency);
        cl.description = cell(c, k_desc);
        cl.recipient = cell(c, k_recip);
        cl.award_id = cell(c, k_award);
        cl.link = link;
        const char *d = cell(c, k_date);
        if (claim_date(d ? d : "", &cl.date) != DOGE_OK ||
            money_text(cell(c, k_value), &cl.value) != DOGE_OK ||
            money_text(cell(c, k_sav), &cl.savings) != DOGE_OK) {
            rc = doge__error_prefix("%s:%llu", path, (unsigned long long)doge_csvread_line(c));
            break;
        }
        if ((rc = doge_spend_receipts_add(r, &cl)))
            break;
    }
    doge_csvread_free(c);
    return rc < 0 ? rc : DOGE_OK;
}

int doge_spend_receipts_load(doge_spend_receipts **out, const char *path)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return doge__error_set(DOGE_ENOTFOUND, "%s: cannot open: no such file or not readable",
                               path);
    int c;
    do
        c = fgetc(f);
    while (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB || c == 0xBF);
    fclose(f);
    doge_spend_receipts *r;
    int rc = doge_spend_receipts_new(&r);
    if (rc)
        return rc;
    rc = c == '{' || c == '[' ? load_json(r, path) : load_csv(r, path);
    if (rc) {
        doge_spend_receipts_free(r);
        return rc;
    }
    *out = r;
    return DOGE_OK;
}
