/*
 * roster.c — importing, diffing and querying the workforce roster (see
 * doge/roster.h for the rules). An import runs in two halves. Reading:
 * every row is validated as it streams out of the CSV reader, its strings
 * copied into one arena, its id and lowercased addresses put in hash maps
 * (duplicates found on the spot), and its errors kept in a list bounded to
 * the first DOGE_ROSTER_LISTED by line while all are counted; then managers
 * are resolved by id and the manager graph is walked once, which finds
 * cycles and every employee's depth, and the new roster's figures are
 * summarized for stats. Storing (only for a file without errors): in one
 * transaction the current roster is loaded as hashes, each row classified
 * (joined, moved, updated, unchanged; absent ones left), the addresses of
 * those who left or changed addresses deleted, then rows upserted in
 * employee_id order, left ones marked inactive, addresses inserted in
 * address order, and the import recorded with its figures.
 */
#include "doge/roster.h"
#include "doge/arena.h"
#include "doge/buf.h"
#include "doge/map.h"
#include "doge/progress.h"
#include "id/id_internal.h"
#include "internal.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define NONE UINT32_MAX
/* Rows and addresses an import accepts (indexes are 32-bit). */
#define MAX_ROWS ((size_t)50000000)
/* How many employees of a cycle its message names. */
#define CYCLE_SHOWN 8

enum { K_JOINED = 1, K_MOVED, K_UPDATED, K_UNCHANGED };
enum { C_ID, C_NAME, C_EMAIL, C_DEPT, C_MGR, C_NREQ };

static const char *const required[C_NREQ] = {"employee_id", "name", "email", "department",
                                             "manager_id"};

struct rec {
    const char *id, *name, *email, *dept, *mgr, *aliases, *extra; /* arena */
    uint64_t line;
    uint32_t mgr_idx, old_idx;
    uint8_t kind, addr_changed;
};

struct old {
    const char *id, *dept, *mgr; /* arena; mgr NULL at the top */
    uint64_t h_content, h_addr, h_place;
    uint8_t active, seen;
};

struct err {
    uint64_t line;
    char *msg;
};

typedef struct imp {
    doge_store *st;
    doge_csvread *r;
    const char *src;
    int64_t now;
    doge_arena *arena;
    doge_map *ids, *addrs, *depts, *oldids;
    struct rec *recs;
    size_t nrec, caprec;
    struct old *olds;
    size_t nold, capold;
    struct err errs[DOGE_ROSTER_LISTED];
    size_t nlisted, nerr;
    int col[C_NREQ];
    int alias_col;
    doge_buf tmp, json;
    unsigned pflags;
    int progress;
    /* Figures of the new roster (summarize()). */
    int64_t max_depth, managers, max_span, tops, with_aliases, addresses, inactive;
    char *departments; /* JSON text, malloc'd */
} imp;

/* ---- small helpers ------------------------------------------------------ */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static void trim(const char **p, size_t *n)
{
    while (*n && (**p == ' ' || **p == '\t'))
        (*p)++, (*n)--;
    while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
        (*n)--;
}

static int has_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 1;
    return 0;
}

static int atext(int c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

int doge_roster_valid_address(const char *a, ptrdiff_t len)
{
    if (!a)
        return 0;
    size_t n = len < 0 ? strlen(a) : (size_t)len;
    if (n < 3 || n > 254)
        return 0;
    const char *at = memchr(a, '@', n);
    if (!at || memchr(at + 1, '@', n - (size_t)(at + 1 - a)))
        return 0;
    size_t ln = (size_t)(at - a), dn = n - ln - 1;
    if (ln == 0 || ln > 64 || dn == 0)
        return 0;
    for (size_t i = 0; i < ln; i++) {
        if (a[i] == '.') {
            if (i == 0 || i == ln - 1 || a[i - 1] == '.')
                return 0;
        } else if (!atext((unsigned char)a[i])) {
            return 0;
        }
    }
    const char *d = at + 1;
    size_t labels = 0, lab = 0;
    for (size_t i = 0; i <= dn; i++) {
        if (i == dn || d[i] == '.') {
            if (lab == 0 || lab > 63 || d[i - 1] == '-' || d[i - lab] == '-')
                return 0;
            labels++;
            lab = 0;
            continue;
        }
        int c = (unsigned char)d[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return 0;
        lab++;
    }
    return labels >= 2;
}

static int valid_id(const char *s, size_t n)
{
    if (n == 0 || n > DOGE_ROSTER_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f || s[i] == '@')
            return 0;
    return 1;
}

/* Copies at most 80 bytes of s for a message, control bytes as '?', cut on
 * a UTF-8 boundary with "..." when longer. */
static const char *shown(char *dst, size_t cap, const char *s, size_t n)
{
    size_t lim = cap - 4 < 80 ? cap - 4 : 80, k = n < lim ? n : lim;
    if (k < n)
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
    for (size_t i = 0; i < k; i++)
        dst[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    if (k < n) {
        memcpy(dst + k, "...", 3);
        k += 3;
    }
    dst[k] = '\0';
    return dst;
}

/* ---- errors ------------------------------------------------------------- */

/* 1 when an error on line would be among the first DOGE_ROSTER_LISTED by
 * line (ties keep the order in which they were found). */
static int would_keep(const imp *m, uint64_t line)
{
    return m->nlisted < DOGE_ROSTER_LISTED || line < m->errs[DOGE_ROSTER_LISTED - 1].line;
}

/* Puts msg (malloc'd; taken over) into the sorted list of kept errors. */
static void keep_error(imp *m, uint64_t line, char *msg)
{
    if (!msg)
        return;
    if (!would_keep(m, line)) {
        free(msg);
        return;
    }
    size_t at = m->nlisted;
    while (at > 0 && m->errs[at - 1].line > line)
        at--;
    if (m->nlisted == DOGE_ROSTER_LISTED) {
        free(m->errs[DOGE_ROSTER_LISTED - 1].msg);
        m->nlisted--;
    }
    memmove(&m->errs[at + 1], &m->errs[at], (m->nlisted - at) * sizeof m->errs[0]);
    m->errs[at].line = line;
    m->errs[at].msg = msg;
    m->nlisted++;
}

static void add_error(imp *m, uint64_t line, const char *fmt, ...) DOGE__PRINTF(3, 4);
static void add_error(imp *m, uint64_t line, const char *fmt, ...)
{
    m->nerr++;
    if (!would_keep(m, line))
        return;
    char body[768], *msg;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    size_t need = strlen(m->src) + strlen(body) + 32;
    if ((msg = malloc(need))) {
        if (line)
            snprintf(msg, need, "%s:%" PRIu64 ": %s", m->src, line, body);
        else
            snprintf(msg, need, "%s: %s", m->src, body);
    }
    keep_error(m, line, msg);
}

/* ---- reading and validating --------------------------------------------- */

static int arena_str(imp *m, const char *s, size_t n, const char **out)
{
    char *p;
    int rc = doge_arena_strndup(m->arena, s, n, &p);
    *out = p;
    return rc;
}

static int json_quote(doge_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    int rc = doge_buf_append_char(b, '"');
    size_t from = 0;
    for (size_t i = 0; rc == DOGE_OK && i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        rc = doge_buf_append(b, s + from, i - from);
        if (rc == DOGE_OK) {
            char esc[7] = {'\\', (char)c, 0, 0, 0, 0, 0};
            size_t el = 2;
            if (c == '\n')
                esc[1] = 'n';
            else if (c == '\r')
                esc[1] = 'r';
            else if (c == '\t')
                esc[1] = 't';
            else if (c < 0x20) {
                memcpy(esc + 1, "u00", 3);
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
                el = 6;
            }
            rc = doge_buf_append(b, esc, el);
        }
        from = i + 1;
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append(b, s + from, n - from);
    if (rc == DOGE_OK)
        rc = doge_buf_append_char(b, '"');
    return rc;
}

/* Records address a (trimmed, valid) of row idx in the address map; returns
 * 1 when it is new for this row, 0 when the row already had it, or -1 when
 * another row has it (the error is added). */
static int claim_address(imp *m, uint32_t idx, const char *a, size_t n, const char *field,
                         int *fatal)
{
    char low[256], show[96];
    for (size_t i = 0; i < n; i++)
        low[i] = (char)ascii_lower((unsigned char)a[i]);
    doge_map_value *slot;
    int inserted, rc = doge_map_upsert(m->addrs, low, n, &slot, &inserted);
    if (rc) {
        *fatal = rc;
        return -1;
    }
    if (inserted) {
        slot->u64 = idx;
        return 1;
    }
    if (slot->u64 == idx)
        return 0;
    add_error(m, m->recs[idx].line, "field '%s': '%s' is already used on line %" PRIu64, field,
              shown(show, sizeof show, a, n), m->recs[slot->u64].line);
    return -1;
}

static int take_row(imp *m)
{
    doge_csvread *r = m->r;
    uint64_t line = doge_csvread_line(r);
    size_t nf = doge_csvread_count(r), ncols = doge_csvread_columns(r);
    char show[96];
    int rc;
    if (m->nrec == MAX_ROWS)
        return doge__error_set(DOGE_ELIMIT, "%s:%" PRIu64 ": more than %zu rows", m->src, line,
                               MAX_ROWS);
    if (m->nrec == m->caprec) {
        size_t ncap = m->caprec ? m->caprec * 2 : 4096;
        struct rec *nr = realloc(m->recs, ncap * sizeof *nr);
        if (!nr)
            return doge__error_oom();
        m->recs = nr;
        m->caprec = ncap;
    }
    uint32_t idx = (uint32_t)m->nrec++;
    struct rec *x = &m->recs[idx];
    memset(x, 0, sizeof *x);
    x->line = line;
    x->mgr_idx = NONE;
    x->old_idx = NONE;
    x->id = x->name = x->email = x->dept = x->aliases = "";
    if (nf != ncols) {
        add_error(m, line, "has %zu field%s, the header has %zu", nf, nf == 1 ? "" : "s", ncols);
        return DOGE_OK;
    }
    const char *v[C_NREQ];
    size_t vn[C_NREQ];
    for (int c = 0; c < C_NREQ; c++) {
        doge_csvread_field f = doge_csvread_get(r, (size_t)m->col[c]);
        v[c] = f.data;
        vn[c] = f.len;
        trim(&v[c], &vn[c]);
        if (vn[c] == 0 && c != C_MGR)
            add_error(m, line, "field '%s': is empty", required[c]);
    }
    /* employee_id */
    if (vn[C_ID]) {
        if (!valid_id(v[C_ID], vn[C_ID])) {
            add_error(m, line,
                      "field 'employee_id': '%s' is not an id (1-%d visible ASCII characters, "
                      "no '@')",
                      shown(show, sizeof show, v[C_ID], vn[C_ID]), DOGE_ROSTER_ID_MAX);
        } else {
            doge_map_value *slot;
            int inserted;
            if ((rc = doge_map_upsert(m->ids, v[C_ID], vn[C_ID], &slot, &inserted)))
                return rc;
            if (inserted)
                slot->u64 = idx;
            else
                add_error(m, line, "field 'employee_id': '%s' is a duplicate of line %" PRIu64,
                          shown(show, sizeof show, v[C_ID], vn[C_ID]), m->recs[slot->u64].line);
            if ((rc = arena_str(m, v[C_ID], vn[C_ID], &x->id)))
                return rc;
        }
    }
    /* name and department: UTF-8 text without control characters */
    static const int texts[] = {C_NAME, C_DEPT};
    for (size_t t = 0; t < 2; t++) {
        int c = texts[t];
        if (!vn[c])
            continue;
        if (!doge__utf8_valid(v[c], vn[c]))
            add_error(m, line, "field '%s': is not valid UTF-8", required[c]);
        else if (has_control(v[c], vn[c]))
            add_error(m, line, "field '%s': '%s' contains a control character", required[c],
                      shown(show, sizeof show, v[c], vn[c]));
    }
    if (vn[C_NAME] && (rc = arena_str(m, v[C_NAME], vn[C_NAME], &x->name)))
        return rc;
    if (vn[C_DEPT]) {
        doge_map_value *slot;
        int inserted;
        if ((rc = doge_map_upsert(m->depts, v[C_DEPT], vn[C_DEPT], &slot, &inserted)))
            return rc;
        if (inserted) {
            const char *d;
            if ((rc = arena_str(m, v[C_DEPT], vn[C_DEPT], &d)))
                return rc;
            slot->ptr = (void *)(uintptr_t)d;
        }
        x->dept = (const char *)slot->ptr;
    }
    /* email and aliases */
    int fatal = 0;
    if (vn[C_EMAIL]) {
        if (!doge_roster_valid_address(v[C_EMAIL], (ptrdiff_t)vn[C_EMAIL]))
            add_error(m, line, "field 'email': '%s' is not an e-mail address",
                      shown(show, sizeof show, v[C_EMAIL], vn[C_EMAIL]));
        else
            claim_address(m, idx, v[C_EMAIL], vn[C_EMAIL], "email", &fatal);
        if (fatal)
            return fatal;
        if ((rc = arena_str(m, v[C_EMAIL], vn[C_EMAIL], &x->email)))
            return rc;
    }
    if (m->alias_col >= 0) {
        doge_csvread_field f = doge_csvread_get(r, (size_t)m->alias_col);
        const char *p = f.data, *e = f.data + f.len;
        doge_buf_reset(&m->tmp);
        while (p <= e) {
            const char *q = memchr(p, ';', (size_t)(e - p));
            if (!q)
                q = e;
            const char *a = p;
            size_t an = (size_t)(q - p);
            trim(&a, &an);
            p = q + 1;
            if (!an)
                continue;
            if (!doge_roster_valid_address(a, (ptrdiff_t)an)) {
                add_error(m, line, "field 'aliases': '%s' is not an e-mail address",
                          shown(show, sizeof show, a, an));
                continue;
            }
            int k = claim_address(m, idx, a, an, "aliases", &fatal);
            if (fatal)
                return fatal;
            if (k != 1)
                continue;
            if ((m->tmp.len && (rc = doge_buf_append_char(&m->tmp, ';'))))
                return rc;
            for (size_t i = 0; i < an; i++)
                if ((rc = doge_buf_append_char(&m->tmp, (char)ascii_lower((unsigned char)a[i]))))
                    return rc;
        }
        if (m->tmp.len && (rc = arena_str(m, m->tmp.data, m->tmp.len, &x->aliases)))
            return rc;
    }
    /* manager_id, resolved once all ids are known */
    if (vn[C_MGR] && (rc = arena_str(m, v[C_MGR], vn[C_MGR], &x->mgr)))
        return rc;
    /* extra columns, as a JSON object in header order */
    if (ncols > (size_t)C_NREQ + (m->alias_col >= 0)) {
        doge_buf_reset(&m->json);
        rc = doge_buf_append_char(&m->json, '{');
        for (size_t c = 0; rc == DOGE_OK && c < ncols; c++) {
            int std = (int)c == m->alias_col;
            for (int k = 0; k < C_NREQ; k++)
                std |= (int)c == m->col[k];
            if (std)
                continue;
            doge_csvread_field f = doge_csvread_get(r, c);
            const char *cn = doge_csvread_column_name(r, c);
            if (!doge__utf8_valid(f.data, f.len)) {
                add_error(m, line, "field '%s': is not valid UTF-8", cn);
                continue;
            }
            if (m->json.len > 1)
                rc = doge_buf_append_char(&m->json, ',');
            if (rc == DOGE_OK)
                rc = json_quote(&m->json, cn, strlen(cn));
            if (rc == DOGE_OK)
                rc = doge_buf_append_char(&m->json, ':');
            if (rc == DOGE_OK)
                rc = json_quote(&m->json, f.data, f.len);
        }
        if (rc == DOGE_OK)
            rc = doge_buf_append_char(&m->json, '}');
        if (rc == DOGE_OK)
            rc = arena_str(m, m->json.data, m->json.len, &x->extra);
        if (rc)
            return rc;
    }
    return DOGE_OK;
}

static void resolve_managers(imp *m)
{
    char show[96];
    for (size_t i = 0; i < m->nrec; i++) {
        struct rec *x = &m->recs[i];
        if (!x->mgr)
            continue;
        uint64_t j;
        if (doge_map_get_u64(m->ids, x->mgr, strlen(x->mgr), &j))
            x->mgr_idx = (uint32_t)j;
        else
            add_error(m, x->line,
                      "field 'manager_id': '%s' is not the employee_id of anyone in this file",
                      shown(show, sizeof show, x->mgr, strlen(x->mgr)));
    }
}

/* Walks every manager chain once, giving each employee its depth (a top is
 * 1; 0 is unvisited, ON_WALK on the current walk); a chain that reaches a
 * node of its own walk is a cycle. Records the deepest chain. */
#define ON_WALK UINT32_MAX
static int find_cycles(imp *m)
{
    uint32_t *depth = calloc(m->nrec ? m->nrec : 1, sizeof *depth);
    uint32_t *path = malloc((m->nrec ? m->nrec : 1) * sizeof *path);
    if (!depth || !path) {
        free(depth);
        free(path);
        return doge__error_oom();
    }
    for (size_t i = 0; i < m->nrec; i++) {
        if (depth[i])
            continue;
        size_t n = 0;
        uint32_t j = (uint32_t)i, base;
        while (j != NONE && depth[j] == 0) {
            depth[j] = ON_WALK;
            path[n++] = j;
            j = m->recs[j].mgr_idx;
        }
        base = j == NONE || depth[j] == ON_WALK ? 0 : depth[j];
        if (j != NONE && depth[j] == ON_WALK) {
            size_t from = n;
            while (path[from - 1] != j)
                from--;
            from--;
            size_t len = n - from, first = from;
            for (size_t k = from; k < n; k++)
                if (m->recs[path[k]].line < m->recs[path[first]].line)
                    first = k;
            char text[640];
            size_t tl = 0;
            for (size_t k = 0; k <= len && k <= CYCLE_SHOWN; k++) {
                const struct rec *x = &m->recs[path[from + (first - from + k) % len]];
                int w;
                if (k == len)
                    w = snprintf(text + tl, sizeof text - tl, "%s", x->id);
                else if (k == CYCLE_SHOWN)
                    w = snprintf(text + tl, sizeof text - tl, "... (%zu employees)", len);
                else
                    w = snprintf(text + tl, sizeof text - tl, "%s (line %" PRIu64 ") -> ", x->id,
                                 x->line);
                if (w < 0 || (size_t)w >= sizeof text - tl)
                    break;
                tl += (size_t)w;
            }
            const struct rec *head = &m->recs[path[first]];
            add_error(m, head->line, "field 'manager_id': the manager chain forms a cycle: %s",
                      text);
        }
        for (size_t k = n; k-- > 0;)
            depth[path[k]] = ++base;
        if ((int64_t)base > m->max_depth)
            m->max_depth = base;
    }
    free(depth);
    free(path);
    return DOGE_OK;
}

struct dept_count {
    const char *name;
    int64_t n;
};

static int cmp_dept_count(const void *a, const void *b)
{
    const struct dept_count *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The figures of a valid new roster: managers and spans, tops, addresses
 * and employees per department (as JSON, largest first). */
static int summarize(imp *m)
{
    uint32_t *reports = calloc(m->nrec ? m->nrec : 1, sizeof *reports);
    doge_map *counts = NULL;
    struct dept_count *dc = NULL;
    int rc = reports ? doge_map_new(&counts, 0, 0) : doge__error_oom();
    for (size_t i = 0; rc == DOGE_OK && i < m->nrec; i++) {
        const struct rec *x = &m->recs[i];
        if (x->mgr_idx == NONE)
            m->tops++;
        else
            reports[x->mgr_idx]++;
        if (*x->aliases)
            m->with_aliases++;
        doge_map_value *slot;
        if ((rc = doge_map_upsert(counts, x->dept, strlen(x->dept), &slot, NULL)) == DOGE_OK)
            slot->u64++;
    }
    for (size_t i = 0; rc == DOGE_OK && i < m->nrec; i++) {
        if (!reports[i])
            continue;
        m->managers++;
        if (reports[i] > m->max_span)
            m->max_span = reports[i];
    }
    m->addresses = (int64_t)doge_map_count(m->addrs);
    size_t nd = rc == DOGE_OK ? doge_map_count(counts) : 0, k = 0;
    if (rc == DOGE_OK && !(dc = malloc((nd ? nd : 1) * sizeof *dc)))
        rc = doge__error_oom();
    if (rc == DOGE_OK) {
        doge_map_iter it;
        const void *key;
        size_t klen;
        doge_map_value *val;
        doge_map_iter_init(&it, counts);
        while (doge_map_iter_next(&it, &key, &klen, &val)) {
            void *interned = NULL;
            doge_map_get(m->depts, key, klen, &interned);
            dc[k].name = interned;
            dc[k].n = (int64_t)val->u64;
            k++;
        }
        qsort(dc, nd, sizeof *dc, cmp_dept_count);
        doge_buf_reset(&m->json);
        rc = doge_buf_append_char(&m->json, '[');
        for (size_t i = 0; rc == DOGE_OK && i < nd; i++) {
            if (i)
                rc = doge_buf_append_char(&m->json, ',');
            if (rc == DOGE_OK)
                rc = doge_buf_append_char(&m->json, '[');
            if (rc == DOGE_OK)
                rc = json_quote(&m->json, dc[i].name, strlen(dc[i].name));
            if (rc == DOGE_OK)
                rc = doge_buf_printf(&m->json, ",%" PRId64 "]", dc[i].n);
        }
        if (rc == DOGE_OK)
            rc = doge_buf_append_char(&m->json, ']');
        if (rc == DOGE_OK && !(m->departments = strdup(m->json.data)))
            rc = doge__error_oom();
    }
    free(dc);
    doge_map_free(counts);
    free(reports);
    return rc;
}

/* ---- storing ------------------------------------------------------------ */

static uint64_t hash_fields(doge_buf *b, const char *a, const char *c, const char *d, int lower_a)
{
    doge_buf_reset(b);
    size_t al = a ? strlen(a) : 0;
    if (doge_buf_reserve(b, al + (c ? strlen(c) : 0) + (d ? strlen(d) : 0) + 3) != DOGE_OK)
        return 0;
    for (size_t i = 0; i < al; i++)
        doge_buf_append_char(b, lower_a ? (char)ascii_lower((unsigned char)a[i]) : a[i]);
    doge_buf_append_char(b, '\x1f');
    if (c)
        doge_buf_append_str(b, c);
    doge_buf_append_char(b, '\x1f');
    if (d)
        doge_buf_append_str(b, d);
    return doge_map_hash(b->data, b->len, 0x726f73746572ULL);
}

static uint64_t h_content(doge_buf *b, const char *name, const char *email, const char *extra)
{
    return hash_fields(b, name, email, extra, 0);
}
static uint64_t h_addr(doge_buf *b, const char *email, const char *aliases)
{
    return hash_fields(b, email, aliases, NULL, 1);
}
static uint64_t h_place(doge_buf *b, const char *dept, const char *mgr)
{
    return hash_fields(b, dept, mgr, NULL, 0);
}

static int load_old(imp *m)
{
    doge_stmt *s;
    int rc = doge_store_prepare(m->st, &s,
                                "SELECT employee_id, name, email, department, manager_id, aliases,"
                                " extra, active FROM roster");
    if (rc)
        return rc;
    while ((rc = doge_stmt_step(s)) == 1) {
        if (m->nold == m->capold) {
            size_t ncap = m->capold ? m->capold * 2 : 4096;
            struct old *no = realloc(m->olds, ncap * sizeof *no);
            if (!no) {
                rc = doge__error_oom();
                break;
            }
            m->olds = no;
            m->capold = ncap;
        }
        struct old *o = &m->olds[m->nold];
        const char *id = doge_stmt_text(s, 0), *dept = doge_stmt_text(s, 3);
        const char *mgr = doge_stmt_is_null(s, 4) ? NULL : doge_stmt_text(s, 4);
        const char *extra = doge_stmt_is_null(s, 6) ? NULL : doge_stmt_text(s, 6);
        memset(o, 0, sizeof *o);
        o->active = doge_stmt_int64(s, 7) != 0;
        o->h_content = h_content(&m->tmp, doge_stmt_text(s, 1), doge_stmt_text(s, 2), extra);
        o->h_addr = h_addr(&m->tmp, doge_stmt_text(s, 2), doge_stmt_text(s, 5));
        o->h_place = h_place(&m->tmp, dept, mgr);
        if ((rc = arena_str(m, id, strlen(id), &o->id)))
            break;
        if (mgr && (rc = arena_str(m, mgr, strlen(mgr), &o->mgr)))
            break;
        doge_map_value *slot;
        int inserted;
        if ((rc = doge_map_upsert(m->depts, dept, strlen(dept), &slot, &inserted)))
            break;
        if (inserted) {
            const char *d;
            if ((rc = arena_str(m, dept, strlen(dept), &d)))
                break;
            slot->ptr = (void *)(uintptr_t)d;
        }
        o->dept = (const char *)slot->ptr;
        if ((rc = doge_map_put_u64(m->oldids, id, strlen(id), m->nold)))
            break;
        m->nold++;
    }
    doge_stmt_free(s);
    return rc < 0 ? rc : DOGE_OK;
}

static void classify(imp *m, doge_roster_import_result *res)
{
    for (size_t i = 0; i < m->nrec; i++) {
        struct rec *x = &m->recs[i];
        uint64_t oi;
        if (!doge_map_get_u64(m->oldids, x->id, strlen(x->id), &oi)) {
            x->kind = K_JOINED;
            x->addr_changed = 1;
            res->joined++;
            continue;
        }
        struct old *o = &m->olds[oi];
        o->seen = 1;
        x->old_idx = (uint32_t)oi;
        if (!o->active) {
            x->kind = K_JOINED;
            x->addr_changed = 1;
            res->joined++;
            continue;
        }
        x->addr_changed = h_addr(&m->tmp, x->email, x->aliases) != o->h_addr;
        if (h_place(&m->tmp, x->dept, x->mgr) != o->h_place) {
            x->kind = K_MOVED;
            res->moved++;
        } else if (x->addr_changed ||
                   h_content(&m->tmp, x->name, x->email, x->extra) != o->h_content) {
            x->kind = K_UPDATED;
            res->updated++;
        } else {
            x->kind = K_UNCHANGED;
            res->unchanged++;
        }
    }
    for (size_t i = 0; i < m->nold; i++)
        if (m->olds[i].active && !m->olds[i].seen)
            res->left++;
}

static int step_done(doge_stmt *s)
{
    int rc = doge_stmt_step(s);
    doge_stmt_reset(s);
    return rc < 0 ? rc : DOGE_OK;
}

static int bind_opt(doge_stmt *s, int idx, const char *t)
{
    return t ? doge_stmt_bind_text(s, idx, t, -1) : doge_stmt_bind_null(s, idx);
}

/* Deletes the stored addresses of employee id. */
static int drop_addresses(imp *m, doge_stmt *sel, doge_stmt *del, const char *id)
{
    int rc = doge_stmt_bind_text(sel, 1, id, -1);
    if (rc)
        return rc;
    rc = doge_stmt_step(sel);
    if (rc <= 0) {
        doge_stmt_reset(sel);
        return rc;
    }
    doge_buf_reset(&m->tmp);
    rc = doge_buf_append_str(&m->tmp, doge_stmt_text(sel, 0));
    if (rc == DOGE_OK && *doge_stmt_text(sel, 1))
        rc = doge_buf_printf(&m->tmp, ";%s", doge_stmt_text(sel, 1));
    doge_stmt_reset(sel);
    if (rc)
        return rc;
    for (char *p = m->tmp.data; rc == DOGE_OK && p && *p;) {
        char *q = strchr(p, ';');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        for (size_t i = 0; i < n; i++)
            p[i] = (char)ascii_lower((unsigned char)p[i]);
        if ((rc = doge_stmt_bind_text(del, 1, p, (ptrdiff_t)n)) == DOGE_OK)
            rc = step_done(del);
        p = q ? q + 1 : NULL;
    }
    return rc;
}

struct idref {
    const char *id;
    uint32_t idx;
};

static int cmp_idref(const void *a, const void *b)
{
    return strcmp(((const struct idref *)a)->id, ((const struct idref *)b)->id);
}

/* An address to insert; prefix holds its first eight bytes big-endian
 * (zero-padded; addresses hold no NUL), so most comparisons in the sort
 * never leave the array. */
struct addr {
    uint64_t prefix;
    const char *key;
    uint32_t len, idx;
};

static int cmp_addr(const void *pa, const void *pb)
{
    const struct addr *a = pa, *b = pb;
    if (a->prefix != b->prefix)
        return a->prefix < b->prefix ? -1 : 1;
    if (a->len <= 8 || b->len <= 8)
        return (a->len > b->len) - (a->len < b->len);
    size_t n = (a->len < b->len ? a->len : b->len) - 8;
    int c = memcmp(a->key + 8, b->key + 8, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

struct stmts {
    doge_stmt *insert, *upsert, *change, *leave, *sel_addr, *del_addr, *ins_addr, *ins_import;
};

static void stmts_free(struct stmts *s)
{
    doge_stmt_free(s->insert);
    doge_stmt_free(s->upsert);
    doge_stmt_free(s->change);
    doge_stmt_free(s->leave);
    doge_stmt_free(s->sel_addr);
    doge_stmt_free(s->del_addr);
    doge_stmt_free(s->ins_addr);
    doge_stmt_free(s->ins_import);
}

static int stmts_prepare(doge_store *st, struct stmts *s)
{
    int rc;
    memset(s, 0, sizeof *s);
    if ((rc = doge_store_prepare(
             st, &s->insert,
             "INSERT INTO roster (employee_id, name, email, department, manager_id, aliases,"
             " extra, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)")) ||
        (rc = doge_store_prepare(
             st, &s->upsert,
             "INSERT INTO roster (employee_id, name, email, department, manager_id, aliases,"
             " extra, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)"
             " ON CONFLICT (employee_id) DO UPDATE SET name = excluded.name,"
             " email = excluded.email, department = excluded.department,"
             " manager_id = excluded.manager_id, aliases = excluded.aliases,"
             " extra = excluded.extra, active = 1, updated_at = excluded.updated_at")) ||
        (rc = doge_store_prepare(
             st, &s->change,
             "INSERT INTO roster_change (import_id, employee_id, kind, changed_at,"
             " old_department, new_department, old_manager_id, new_manager_id)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) ||
        (rc = doge_store_prepare(st, &s->leave,
                                 "UPDATE roster SET active = 0, updated_at = ?"
                                 " WHERE employee_id = ?")) ||
        (rc = doge_store_prepare(st, &s->sel_addr,
                                 "SELECT email, aliases FROM roster WHERE employee_id = ?")) ||
        (rc = doge_store_prepare(st, &s->del_addr, "DELETE FROM roster_alias WHERE email = ?")) ||
        (rc = doge_store_prepare(st, &s->ins_addr,
                                 "INSERT INTO roster_alias (email, employee_id) VALUES (?, ?)")) ||
        (rc = doge_store_prepare(
             st, &s->ins_import,
             "INSERT INTO roster_import (id, imported_at, source, rows_read, n_joined, n_left,"
             " n_moved, n_updated, n_unchanged, n_active, n_inactive, n_addresses,"
             " n_with_aliases, n_managers, n_tops, max_span, max_depth, departments)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
        stmts_free(s);
    return rc;
}

static int add_change(struct stmts *s, int64_t import_id, int64_t at, const char *id,
                      const char *kind, const char *od, const char *nd, const char *om,
                      const char *nm)
{
    int rc;
    if ((rc = doge_stmt_bind_int64(s->change, 1, import_id)) ||
        (rc = doge_stmt_bind_text(s->change, 2, id, -1)) ||
        (rc = doge_stmt_bind_text(s->change, 3, kind, -1)) ||
        (rc = doge_stmt_bind_int64(s->change, 4, at)) || (rc = bind_opt(s->change, 5, od)) ||
        (rc = bind_opt(s->change, 6, nd)) || (rc = bind_opt(s->change, 7, om)) ||
        (rc = bind_opt(s->change, 8, nm)))
        return rc;
    return step_done(s->change);
}

static void progress_new(imp *m, doge_progress **p, const char *label, uint64_t total)
{
    *p = NULL;
    if (m->progress)
        doge_progress_new(p, label, total, m->pflags);
}

static int write_all(imp *m, doge_roster_import_result *res)
{
    struct stmts s;
    int rc;
    struct idref *order = NULL;
    struct addr *addrs = NULL;
    doge_progress *bar = NULL;
    if ((rc = doge_store_begin(m->st)))
        return rc;
    if ((rc = stmts_prepare(m->st, &s))) {
        doge_store_rollback(m->st);
        return rc;
    }
    int64_t import_id = 0;
    if ((rc = load_old(m)) ||
        (rc = doge_store_query_int64(m->st, "SELECT COALESCE(MAX(id), 0) + 1 FROM roster_import",
                                     NULL, &import_id)))
        goto done;
    classify(m, res);
    res->import_id = import_id;
    res->active = (int64_t)m->nrec;
    m->inactive = (int64_t)m->nold;
    for (size_t i = 0; i < m->nrec; i++)
        if (m->recs[i].old_idx != NONE)
            m->inactive--; /* an old row that is active again or still */
    /* The addresses to insert (of those who joined or changed addresses),
     * sorted now so the bar can count them. */
    size_t na = 0, cap = doge_map_count(m->addrs);
    if (!(addrs = malloc((cap ? cap : 1) * sizeof *addrs))) {
        rc = doge__error_oom();
        goto done;
    }
    doge_map_iter it;
    const void *key;
    size_t klen;
    doge_map_value *val;
    doge_map_iter_init(&it, m->addrs);
    while (doge_map_iter_next(&it, &key, &klen, &val))
        if (m->recs[val->u64].addr_changed) {
            const unsigned char *k = key;
            uint64_t pre = 0;
            for (size_t i = 0; i < 8; i++)
                pre = (pre << 8) | (i < klen ? k[i] : 0);
            addrs[na].prefix = pre;
            addrs[na].key = key;
            addrs[na].len = (uint32_t)klen;
            addrs[na].idx = (uint32_t)val->u64;
            na++;
        }
    qsort(addrs, na, sizeof *addrs, cmp_addr);
    uint64_t work = (uint64_t)(res->joined + res->moved + res->updated + res->left) + na;
    uint64_t done_n = 0;
    progress_new(m, &bar, "roster store", work);
    /* 1. Addresses of those who left or changed addresses go first, so that
     * an address passed from one employee to another can be inserted. */
    for (size_t i = 0; i < m->nrec && rc == DOGE_OK; i++) {
        const struct rec *x = &m->recs[i];
        if (x->old_idx != NONE && m->olds[x->old_idx].active && x->addr_changed)
            rc = drop_addresses(m, s.sel_addr, s.del_addr, x->id);
    }
    for (size_t i = 0; i < m->nold && rc == DOGE_OK; i++)
        if (m->olds[i].active && !m->olds[i].seen)
            rc = drop_addresses(m, s.sel_addr, s.del_addr, m->olds[i].id);
    if (rc)
        goto done;
    /* 2. Rows in employee_id order. */
    if (!(order = malloc((m->nrec ? m->nrec : 1) * sizeof *order))) {
        rc = doge__error_oom();
        goto done;
    }
    int sorted = 1;
    for (size_t i = 0; i < m->nrec; i++) {
        order[i].id = m->recs[i].id;
        order[i].idx = (uint32_t)i;
        if (i && sorted && strcmp(m->recs[i - 1].id, m->recs[i].id) > 0)
            sorted = 0;
    }
    if (!sorted)
        qsort(order, m->nrec, sizeof *order, cmp_idref);
    int64_t now = m->now;
    for (size_t k = 0; k < m->nrec && rc == DOGE_OK; k++) {
        const struct rec *x = &m->recs[order[k].idx];
        if (x->kind == K_UNCHANGED)
            continue;
        doge_stmt *u = m->nold ? s.upsert : s.insert;
        if ((rc = doge_stmt_bind_text(u, 1, x->id, -1)) ||
            (rc = doge_stmt_bind_text(u, 2, x->name, -1)) ||
            (rc = doge_stmt_bind_text(u, 3, x->email, -1)) ||
            (rc = doge_stmt_bind_text(u, 4, x->dept, -1)) || (rc = bind_opt(u, 5, x->mgr)) ||
            (rc = doge_stmt_bind_text(u, 6, x->aliases, -1)) || (rc = bind_opt(u, 7, x->extra)) ||
            (rc = doge_stmt_bind_int64(u, 8, now)) || (rc = step_done(u)))
            break;
        const struct old *o = x->old_idx != NONE ? &m->olds[x->old_idx] : NULL;
        if (x->kind == K_JOINED && m->nold > 0)
            rc = add_change(&s, import_id, now, x->id, "joined", NULL, x->dept, NULL, x->mgr);
        else if (x->kind == K_MOVED)
            rc = add_change(&s, import_id, now, x->id, "moved", o->dept, x->dept, o->mgr, x->mgr);
        if ((++done_n & 1023) == 0 && bar)
            doge_progress_update(bar, done_n);
    }
    for (size_t i = 0; i < m->nold && rc == DOGE_OK; i++) {
        const struct old *o = &m->olds[i];
        if (!o->active || o->seen)
            continue;
        if ((rc = doge_stmt_bind_int64(s.leave, 1, now)) ||
            (rc = doge_stmt_bind_text(s.leave, 2, o->id, -1)) || (rc = step_done(s.leave)))
            break;
        rc = add_change(&s, import_id, now, o->id, "left", o->dept, NULL, o->mgr, NULL);
        if ((++done_n & 1023) == 0 && bar)
            doge_progress_update(bar, done_n);
    }
    if (rc)
        goto done;
    /* 3. Addresses of those who joined or changed addresses, in order. */
    for (size_t i = 0; i < na && rc == DOGE_OK; i++) {
        if ((rc = doge_stmt_bind_text(s.ins_addr, 1, addrs[i].key, (ptrdiff_t)addrs[i].len)) ||
            (rc = doge_stmt_bind_text(s.ins_addr, 2, m->recs[addrs[i].idx].id, -1)))
            break;
        rc = step_done(s.ins_addr);
        if ((++done_n & 1023) == 0 && bar)
            doge_progress_update(bar, done_n);
    }
    if (rc)
        goto done;
    /* 4. The import itself. */
    doge_stmt *im = s.ins_import;
    if ((rc = doge_stmt_bind_int64(im, 1, import_id)) || (rc = doge_stmt_bind_int64(im, 2, now)) ||
        (rc = doge_stmt_bind_text(im, 3, m->src, -1)) ||
        (rc = doge_stmt_bind_int64(im, 4, res->rows)) ||
        (rc = doge_stmt_bind_int64(im, 5, res->joined)) ||
        (rc = doge_stmt_bind_int64(im, 6, res->left)) ||
        (rc = doge_stmt_bind_int64(im, 7, res->moved)) ||
        (rc = doge_stmt_bind_int64(im, 8, res->updated)) ||
        (rc = doge_stmt_bind_int64(im, 9, res->unchanged)) ||
        (rc = doge_stmt_bind_int64(im, 10, res->active)) ||
        (rc = doge_stmt_bind_int64(im, 11, m->inactive)) ||
        (rc = doge_stmt_bind_int64(im, 12, m->addresses)) ||
        (rc = doge_stmt_bind_int64(im, 13, m->with_aliases)) ||
        (rc = doge_stmt_bind_int64(im, 14, m->managers)) ||
        (rc = doge_stmt_bind_int64(im, 15, m->tops)) ||
        (rc = doge_stmt_bind_int64(im, 16, m->max_span)) ||
        (rc = doge_stmt_bind_int64(im, 17, m->max_depth)) ||
        (rc = doge_stmt_bind_text(im, 18, m->departments, -1)) || (rc = step_done(im)))
        goto done;
    stmts_free(&s);
    memset(&s, 0, sizeof s);
    rc = doge_store_commit(m->st);
    if (bar)
        doge_progress_finish(bar);
done:
    doge_progress_free(bar);
    stmts_free(&s);
    free(order);
    free(addrs);
    if (rc) {
        doge__error_prefix("%s: import", m->src);
        doge_store_rollback(m->st);
        res->import_id = 0;
    }
    return rc;
}

/* ---- import entry points ------------------------------------------------ */

static void imp_free(imp *m)
{
    doge_arena_free(m->arena);
    doge_map_free(m->ids);
    doge_map_free(m->addrs);
    doge_map_free(m->depts);
    doge_map_free(m->oldids);
    free(m->recs);
    free(m->olds);
    for (size_t i = 0; i < m->nlisted; i++)
        free(m->errs[i].msg);
    doge_buf_dispose(&m->tmp);
    doge_buf_dispose(&m->json);
    free(m->departments);
}

static int import_run(doge_store *st, doge_csvread *r, const doge_roster_import_opts *opts,
                      uint64_t size_hint, doge_roster_import_result *res)
{
    doge_roster_import_opts none;
    memset(&none, 0, sizeof none);
    if (!opts)
        opts = &none;
    memset(res, 0, sizeof *res);
    imp m;
    memset(&m, 0, sizeof m);
    m.st = st;
    m.r = r;
    m.src = opts->source ? opts->source : doge_csvread_name(r);
    m.now = opts->now ? opts->now : (int64_t)time(NULL);
    m.progress = !opts->no_progress;
    m.pflags = opts->progress;
    res->imported_at = m.now;
    doge_buf_init(&m.tmp, 0);
    doge_buf_init(&m.json, 0);
    double t0 = now_seconds();
    doge_progress *bar = NULL;
    int rc, stopped = 0;
    if ((rc = doge_arena_new(&m.arena, (size_t)1 << 20, (size_t)16 << 30)) ||
        (rc = doge_map_new(&m.ids, MAX_ROWS, 0)) ||
        (rc = doge_map_new(&m.addrs, MAX_ROWS, (size_t)16 << 30)) ||
        (rc = doge_map_new(&m.depts, 0, 0)) || (rc = doge_map_new(&m.oldids, MAX_ROWS, 0)))
        goto out;
    if ((rc = doge_csvread_read_header(r)) ||
        (rc = doge_csvread_require(r, required, C_NREQ, m.col)))
        goto out;
    m.alias_col = doge_csvread_column(r, "aliases");
    progress_new(&m, &bar, "roster read", size_hint);
    for (;;) {
        rc = doge_csvread_next(r);
        if (rc == 0)
            break;
        if (rc < 0) {
            if (rc != DOGE_EINVAL && rc != DOGE_ELIMIT)
                goto out;
            /* A syntax error ends the reading; it joins the list. */
            const char *msg = doge_error_last();
            size_t need = strlen(msg) + 32;
            char *copy = malloc(need);
            if (copy)
                snprintf(copy, need, "%s (reading stopped here)", msg);
            m.nerr++;
            keep_error(&m, doge_csvread_line(r), copy);
            stopped = 1;
            rc = DOGE_OK;
            break;
        }
        if ((rc = take_row(&m)))
            goto out;
        res->rows++;
        if ((res->rows & 4095) == 0 && bar)
            doge_progress_update(bar, size_hint ? doge_csvread_consumed(r) : (uint64_t)res->rows);
    }
    if (bar) {
        doge_progress_update(bar, size_hint ? size_hint : (uint64_t)res->rows);
        doge_progress_finish(bar);
    }
    if (res->rows == 0 && m.nerr == 0)
        add_error(&m, 0, "has a header but no employees (importing it would mark everyone as "
                         "having left)");
    /* After a syntax error the rest of the file is unknown, so managers
     * defined there would be reported missing: chains are checked only for
     * a file read to the end. */
    if (!stopped) {
        resolve_managers(&m);
        if ((rc = find_cycles(&m)))
            goto out;
    }
    res->read_seconds = now_seconds() - t0;
    if (m.nerr) {
        res->errors = m.nerr;
        res->listed = m.nlisted;
        res->error_list = calloc(m.nlisted ? m.nlisted : 1, sizeof *res->error_list);
        if (!res->error_list) {
            rc = doge__error_oom();
            goto out;
        }
        for (size_t i = 0; i < m.nlisted; i++) {
            res->error_list[i] = m.errs[i].msg;
            m.errs[i].msg = NULL;
        }
        m.nlisted = 0;
        if (m.nerr == 1)
            rc = doge__error_set(DOGE_EINVAL, "%s; nothing was imported", res->error_list[0]);
        else
            rc = doge__error_set(DOGE_EINVAL, "%s (and %zu more error%s); nothing was imported",
                                 res->listed ? res->error_list[0] : m.src, m.nerr - 1,
                                 m.nerr == 2 ? "" : "s");
        goto out;
    }
    if ((rc = summarize(&m)))
        goto out;
    res->read_seconds = now_seconds() - t0;
    double t1 = now_seconds();
    rc = write_all(&m, res);
    res->store_seconds = now_seconds() - t1;
out:
    doge_progress_free(bar);
    imp_free(&m);
    return rc;
}

int doge_roster_import_reader(doge_store *st, doge_csvread *r,
                              const doge_roster_import_opts *opts, doge_roster_import_result *res)
{
    return import_run(st, r, opts, 0, res);
}

int doge_roster_import(doge_store *st, const char *path, const doge_roster_import_opts *opts,
                       doge_roster_import_result *res)
{
    memset(res, 0, sizeof *res);
    doge_csvread *r;
    int rc = doge_csvread_open(&r, path, 0);
    if (rc)
        return rc;
    struct stat sb;
    uint64_t size = 0;
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
        size = (uint64_t)sb.st_size;
    rc = import_run(st, r, opts, size, res);
    doge_csvread_free(r);
    return rc;
}

void doge_roster_import_result_dispose(doge_roster_import_result *res)
{
    if (!res)
        return;
    if (res->error_list)
        for (size_t i = 0; i < res->listed; i++)
            free(res->error_list[i]);
    free(res->error_list);
    memset(res, 0, sizeof *res);
}

/* ---- queries ------------------------------------------------------------ */

#define PERSON_COLS                                                                                \
    "r.employee_id, r.name, r.email, r.department, r.manager_id, r.aliases, r.extra, r.active,"   \
    " r.updated_at"

/* Points p's strings at the current row of s (borrowed). */
static void person_from(doge_stmt *s, doge_roster_person *p)
{
    memset(p, 0, sizeof *p);
    p->employee_id = doge_stmt_text(s, 0);
    p->name = doge_stmt_text(s, 1);
    p->email = doge_stmt_text(s, 2);
    p->department = doge_stmt_text(s, 3);
    p->manager_id = doge_stmt_is_null(s, 4) ? NULL : doge_stmt_text(s, 4);
    p->aliases = doge_stmt_text(s, 5);
    p->extra = doge_stmt_is_null(s, 6) ? NULL : doge_stmt_text(s, 6);
    p->active = doge_stmt_int64(s, 7) != 0;
    p->updated_at = doge_stmt_int64(s, 8);
}

/* Copies the borrowed strings of p into one block owned by p. */
static int person_own(doge_roster_person *p)
{
    const char **f[] = {&p->employee_id, &p->name,    &p->email, &p->department,
                        &p->manager_id,  &p->aliases, &p->extra};
    size_t total = 0;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (*f[i])
            total += strlen(*f[i]) + 1;
    char *mem = malloc(total ? total : 1), *w = mem;
    if (!mem)
        return doge__error_oom();
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (!*f[i])
            continue;
        size_t n = strlen(*f[i]) + 1;
        memcpy(w, *f[i], n);
        *f[i] = w;
        w += n;
    }
    p->mem_ = mem;
    return DOGE_OK;
}

int doge_roster_find(doge_store *st, const char *key, doge_roster_person *out)
{
    memset(out, 0, sizeof *out);
    if (!key || !*key)
        return doge__error_set(DOGE_EINVAL, "roster: empty employee id or address");
    char low[256];
    int by_addr = strchr(key, '@') != NULL;
    if (by_addr) {
        size_t n = strlen(key);
        if (n >= sizeof low)
            return doge__error_set(DOGE_ENOTFOUND, "roster: no employee with address '%.80s...'",
                                   key);
        for (size_t i = 0; i <= n; i++)
            low[i] = (char)ascii_lower((unsigned char)key[i]);
    }
    doge_stmt *s;
    int rc = doge_store_prepare(
        st, &s,
        by_addr ? "SELECT " PERSON_COLS " FROM roster_alias a JOIN roster r"
                  " ON r.employee_id = a.employee_id WHERE a.email = ?"
                : "SELECT " PERSON_COLS " FROM roster r WHERE r.employee_id = ?");
    if (rc)
        return rc;
    if ((rc = doge_stmt_bind_text(s, 1, by_addr ? low : key, -1)) == DOGE_OK) {
        rc = doge_stmt_step(s);
        if (rc == 1) {
            person_from(s, out);
            rc = person_own(out);
        } else if (rc == 0) {
            rc = doge__error_set(DOGE_ENOTFOUND, "roster: no employee %s '%.200s'",
                                 by_addr ? "with address" : "with id", key);
        }
    }
    doge_stmt_free(s);
    if (rc) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    doge_stmt *c;
    if ((rc = doge_store_prepare(st, &c,
                                 "SELECT COUNT(*) FROM roster WHERE manager_id = ? AND active = 1")))
        goto fail;
    if ((rc = doge_stmt_bind_text(c, 1, out->employee_id, -1)) == DOGE_OK &&
        (rc = doge_stmt_step(c)) == 1) {
        out->direct_reports = doge_stmt_int64(c, 0);
        rc = DOGE_OK;
    }
    doge_stmt_free(c);
    if (rc == DOGE_OK)
        return DOGE_OK;
fail:
    doge_roster_person_dispose(out);
    return rc;
}

void doge_roster_person_dispose(doge_roster_person *p)
{
    if (!p)
        return;
    free(p->mem_);
    memset(p, 0, sizeof *p);
}

int doge_roster_lookup_address(doge_store *st, const char *address, char *id, size_t cap)
{
    char low[256];
    size_t n = address ? strlen(address) : 0;
    if (n == 0 || n >= sizeof low)
        return doge__error_set(DOGE_ENOTFOUND, "roster: no employee with address '%.80s'",
                               address ? address : "");
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)ascii_lower((unsigned char)address[i]);
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s, "SELECT employee_id FROM roster_alias WHERE email = ?");
    if (rc)
        return rc;
    if ((rc = doge_stmt_bind_text(s, 1, low, -1)) == DOGE_OK) {
        rc = doge_stmt_step(s);
        if (rc == 1) {
            const char *t = doge_stmt_text(s, 0);
            size_t tl = strlen(t);
            if (tl >= cap)
                rc = doge__error_set(DOGE_ELIMIT, "roster: id '%s' does not fit %zu bytes", t, cap);
            else {
                memcpy(id, t, tl + 1);
                rc = DOGE_OK;
            }
        } else if (rc == 0) {
            rc = doge__error_set(DOGE_ENOTFOUND, "roster: no employee with address '%s'", address);
        }
    }
    doge_stmt_free(s);
    return rc;
}

int doge_roster_each(doge_store *st, const doge_roster_filter *f, doge_roster_each_fn fn,
                     void *ctx)
{
    char sql[512];
    int n = 1;
    snprintf(sql, sizeof sql, "SELECT " PERSON_COLS " FROM roster r WHERE %s%s%s ORDER BY r.employee_id",
             f && f->include_inactive ? "1 = 1" : "r.active = 1",
             f && f->department ? " AND r.department = ?" : "",
             f && f->manager_id ? " AND r.manager_id = ?" : "");
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s, sql);
    if (rc)
        return rc;
    if (f && f->department)
        rc = doge_stmt_bind_text(s, n++, f->department, -1);
    if (rc == DOGE_OK && f && f->manager_id)
        rc = doge_stmt_bind_text(s, n++, f->manager_id, -1);
    while (rc == DOGE_OK && (rc = doge_stmt_step(s)) == 1) {
        doge_roster_person p;
        person_from(s, &p);
        p.direct_reports = -1;
        rc = fn(ctx, &p);
    }
    doge_stmt_free(s);
    return rc;
}

int doge_roster_changes(doge_store *st, const char *employee_id, int64_t import_id,
                        doge_roster_change_fn fn, void *ctx)
{
    const char *sql =
        employee_id ? "SELECT import_id, changed_at, employee_id, kind, old_department,"
                      " new_department, old_manager_id, new_manager_id FROM roster_change"
                      " WHERE employee_id = ? ORDER BY import_id"
        : import_id ? "SELECT import_id, changed_at, employee_id, kind, old_department,"
                      " new_department, old_manager_id, new_manager_id FROM roster_change"
                      " WHERE import_id = ? ORDER BY employee_id"
                    : "SELECT import_id, changed_at, employee_id, kind, old_department,"
                      " new_department, old_manager_id, new_manager_id FROM roster_change"
                      " ORDER BY import_id, employee_id";
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s, sql);
    if (rc)
        return rc;
    if (employee_id)
        rc = doge_stmt_bind_text(s, 1, employee_id, -1);
    else if (import_id)
        rc = doge_stmt_bind_int64(s, 1, import_id);
    while (rc == DOGE_OK && (rc = doge_stmt_step(s)) == 1) {
        doge_roster_change c;
        c.import_id = doge_stmt_int64(s, 0);
        c.changed_at = doge_stmt_int64(s, 1);
        c.employee_id = doge_stmt_text(s, 2);
        c.kind = doge_stmt_text(s, 3);
        c.old_department = doge_stmt_is_null(s, 4) ? NULL : doge_stmt_text(s, 4);
        c.new_department = doge_stmt_is_null(s, 5) ? NULL : doge_stmt_text(s, 5);
        c.old_manager_id = doge_stmt_is_null(s, 6) ? NULL : doge_stmt_text(s, 6);
        c.new_manager_id = doge_stmt_is_null(s, 7) ? NULL : doge_stmt_text(s, 7);
        rc = fn(ctx, &c);
    }
    doge_stmt_free(s);
    return rc;
}

static int count_q(doge_store *st, const char *sql, int64_t *out)
{
    return doge_store_query_int64(st, sql, NULL, out);
}

/* Fills s->by_department from the JSON array of [name, employees] pairs. */
static int parse_departments(doge_roster_stats *s, const char *text)
{
    json_error_t jerr;
    json_t *arr = json_loads(text, 0, &jerr);
    if (!json_is_array(arr)) {
        json_decref(arr);
        return doge__error_set(DOGE_EDB, "roster: import %" PRId64 ": bad departments summary",
                               s->last_import_id);
    }
    size_t n = json_array_size(arr);
    int rc = DOGE_OK;
    s->by_department = calloc(n ? n : 1, sizeof *s->by_department);
    if (!s->by_department)
        rc = doge__error_oom();
    for (size_t i = 0; rc == DOGE_OK && i < n; i++) {
        json_t *pair = json_array_get(arr, i);
        const char *name = json_string_value(json_array_get(pair, 0));
        json_t *cnt = json_array_get(pair, 1);
        if (!name || !json_is_integer(cnt)) {
            rc = doge__error_set(DOGE_EDB, "roster: import %" PRId64 ": bad departments summary",
                                 s->last_import_id);
            break;
        }
        if (!(s->by_department[i].name = strdup(name))) {
            rc = doge__error_oom();
            break;
        }
        s->by_department[i].employees = json_integer_value(cnt);
        s->departments++;
    }
    json_decref(arr);
    return rc;
}

int doge_roster_stats_get(doge_store *st, doge_roster_stats *out)
{
    memset(out, 0, sizeof *out);
    doge_stmt *s;
    int rc;
    if ((rc = count_q(st, "SELECT COUNT(*) FROM roster_import", &out->imports)) ||
        (rc = doge_store_prepare(st, &s,
                                 "SELECT id, imported_at, rows_read, n_joined, n_left, n_moved,"
                                 " n_updated, source, n_active, n_inactive, n_addresses,"
                                 " n_with_aliases, n_managers, n_tops, max_span, max_depth,"
                                 " departments FROM roster_import ORDER BY id DESC")))
        goto fail;
    rc = doge_stmt_step(s);
    if (rc == 1) {
        out->last_import_id = doge_stmt_int64(s, 0);
        out->last_imported_at = doge_stmt_int64(s, 1);
        out->last_rows = doge_stmt_int64(s, 2);
        out->last_joined = doge_stmt_int64(s, 3);
        out->last_left = doge_stmt_int64(s, 4);
        out->last_moved = doge_stmt_int64(s, 5);
        out->last_updated = doge_stmt_int64(s, 6);
        out->active = doge_stmt_int64(s, 8);
        out->inactive = doge_stmt_int64(s, 9);
        out->addresses = doge_stmt_int64(s, 10);
        out->with_aliases = doge_stmt_int64(s, 11);
        out->managers = doge_stmt_int64(s, 12);
        out->tops = doge_stmt_int64(s, 13);
        out->max_span = doge_stmt_int64(s, 14);
        out->max_depth = doge_stmt_int64(s, 15);
        int64_t reports = out->active - out->tops;
        out->mean_span = out->managers ? (double)reports / (double)out->managers : 0.0;
        rc = (out->last_source = strdup(doge_stmt_text(s, 7))) ? DOGE_OK : doge__error_oom();
        if (rc == DOGE_OK)
            rc = parse_departments(out, doge_stmt_text(s, 16));
    }
    doge_stmt_free(s);
    if (rc < 0)
        goto fail;
    return DOGE_OK;
fail:
    doge_roster_stats_dispose(out);
    return rc;
}

void doge_roster_stats_dispose(doge_roster_stats *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->departments; i++)
        free(s->by_department[i].name);
    free(s->by_department);
    free(s->last_source);
    memset(s, 0, sizeof *s);
}
