/*
 * audit.c — the audit's per-row path: one accumulator per scanning thread
 * (an award table keyed by the award's unique key in a doge_map, records
 * and interned strings in the thread's arena, counters per agency indexed
 * by a global agency number, a growable vector of duplicate candidates) so
 * threads never share a lock on the hot path; only the first sight of an
 * agency code takes the global agency lock. A row costs a map lookup for
 * its award, a few comparisons, the first-digit count, the exclusion-list
 * lookups when a list was given, and one hash of (recipient, amount, date,
 * normalised description) appended to the duplicate vector. The rules run
 * on the merged state in audit_rules.c.
 */
#include "doge/progress.h"
#include "internal.h"
#include "spend/spend_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define THREAD_ARENA_MAX ((size_t)16 << 30)

/* memcpy for field views, which may be (NULL, 0) in records built by hand. */
static void copy(void *dst, const void *src, size_t n)
{
    if (n)
        memcpy(dst, src, n);
}

static int thread_init(sp_thread *t)
{
    int rc;
    if ((rc = doge_arena_new(&t->arena, (size_t)1 << 20, THREAD_ARENA_MAX)) ||
        (rc = doge_map_new(&t->awards, (size_t)1 << 28, THREAD_ARENA_MAX)) ||
        (rc = doge_map_new(&t->strings, (size_t)1 << 26, THREAD_ARENA_MAX)) ||
        (rc = doge_map_new(&t->agency_idx, SP_MAX_AGENCIES, 0)))
        return rc;
    t->agencies = calloc(SP_MAX_AGENCIES, sizeof *t->agencies);
    if (!t->agencies)
        return doge__error_oom();
    return DOGE_OK;
}

static void thread_free(sp_thread *t)
{
    doge_arena_free(t->arena);
    doge_map_free(t->awards);
    doge_map_free(t->strings);
    doge_map_free(t->agency_idx);
    free(t->agencies);
    free(t->dups);
}

void doge_spend_audit_free(doge_spend_audit *a)
{
    if (!a)
        return;
    for (unsigned i = 0; a->threads && i < a->nthreads; i++)
        thread_free(&a->threads[i]);
    free(a->threads);
    doge__spend_exclusions_free(a->excl);
    doge_map_free(a->agency_map);
    for (uint32_t i = 0; i < a->nagencies; i++) {
        free(a->agency_code[i]);
        free(a->agency_name[i]);
    }
    pthread_mutex_destroy(&a->agency_lock);
    doge__spend_audit_parts_free(a);
    doge_arena_free(a->out);
    free(a->findings);
    free(a->agencies);
    free(a);
}

int doge_spend_audit_new(doge_spend_audit **out, const doge_spend_audit_opts *o)
{
    *out = NULL;
    doge_spend_audit *a = calloc(1, sizeof *a);
    if (!a)
        return doge__error_oom();
    pthread_mutex_init(&a->agency_lock, NULL);
    if (o)
        a->opts = *o;
    a->opts.exclusions = NULL;
    a->nthreads = a->opts.threads ? a->opts.threads : 1;
    if (a->nthreads > 64)
        a->nthreads = 64;
    a->opts.threads = a->nthreads;
    int rc;
    a->threads = calloc(a->nthreads, sizeof *a->threads);
    if (!a->threads) {
        rc = doge__error_oom();
        goto fail;
    }
    for (unsigned i = 0; i < a->nthreads; i++)
        if ((rc = thread_init(&a->threads[i])))
            goto fail;
    if ((rc = doge_map_new(&a->agency_map, SP_MAX_AGENCIES, 0)) ||
        (rc = doge_arena_new(&a->out, 0, 0)))
        goto fail;
    if (o && o->exclusions) {
        if ((rc = doge__spend_exclusions_load(&a->excl, o->exclusions)))
            goto fail;
        a->totals.exclusion_records = a->excl->n;
    }
    *out = a;
    return DOGE_OK;
fail:
    doge_spend_audit_free(a);
    return rc;
}

/* The global index of the row's agency (cached per thread). */
static int agency_index(doge_spend_audit *a, sp_thread *t, const doge_spend_txn *x, uint32_t *idx)
{
    doge_spend_field code = x->agency_code;
    if (code.len == 0) {
        code.data = "(none)";
        code.len = 6;
    }
    if (code.len == t->last_code_len && memcmp(code.data, t->last_code, code.len) == 0) {
        *idx = t->last_agency;
        return DOGE_OK;
    }
    uint64_t v;
    int rc;
    if (!doge_map_get_u64(t->agency_idx, code.data, code.len, &v)) {
        pthread_mutex_lock(&a->agency_lock);
        if (!doge_map_get_u64(a->agency_map, code.data, code.len, &v)) {
            if (a->nagencies >= SP_MAX_AGENCIES) {
                pthread_mutex_unlock(&a->agency_lock);
                return doge__error_set(DOGE_ELIMIT, "more than %d agencies", SP_MAX_AGENCIES);
            }
            uint32_t i = a->nagencies;
            a->agency_code[i] = strndup(code.data, code.len);
            a->agency_name[i] = strndup(x->agency_name.data ? x->agency_name.data : "",
                                        x->agency_name.len);
            if (!a->agency_code[i] || !a->agency_name[i]) {
                free(a->agency_code[i]);
                free(a->agency_name[i]);
                pthread_mutex_unlock(&a->agency_lock);
                return doge__error_oom();
            }
            rc = doge_map_put_u64(a->agency_map, code.data, code.len, (uint64_t)i + 1);
            if (rc) {
                free(a->agency_code[i]);
                free(a->agency_name[i]);
                pthread_mutex_unlock(&a->agency_lock);
                return rc;
            }
            a->nagencies++;
            v = (uint64_t)i + 1;
        }
        pthread_mutex_unlock(&a->agency_lock);
        if ((rc = doge_map_put_u64(t->agency_idx, code.data, code.len, v)))
            return rc;
    }
    *idx = (uint32_t)(v - 1);
    if (code.len < sizeof t->last_code) {
        copy(t->last_code, code.data, code.len);
        t->last_code_len = code.len;
        t->last_agency = *idx;
    }
    return DOGE_OK;
}

static int intern(sp_thread *t, const char *s, size_t n, const char **out)
{
    doge_map_value *slot;
    int inserted, rc = doge_map_upsert(t->strings, s, n, &slot, &inserted);
    if (rc)
        return rc;
    if (inserted) {
        /* One byte before the string is the caller's (0 at first). */
        char *p;
        if ((rc = doge_arena_alloc(t->arena, n + 2, 1, (void **)&p))) {
            doge_map_delete(t->strings, s, n);
            return rc;
        }
        *p++ = 0;
        memcpy(p, s, n);
        p[n] = '\0';
        slot->ptr = p;
    }
    *out = slot->ptr;
    return DOGE_OK;
}

/* Interns "UEI\0NAME". */
static int intern_recipient(sp_thread *t, const doge_spend_txn *x, const char **out)
{
    char buf[512];
    size_t ul = x->recipient_uei.len < 64 ? x->recipient_uei.len : 64;
    size_t nl = x->recipient_name.len < 400 ? x->recipient_name.len : 400;
    copy(buf, x->recipient_uei.data, ul);
    buf[ul] = '\0';
    copy(buf + ul + 1, x->recipient_name.data, nl);
    return intern(t, buf, ul + 1 + nl, out);
}

/* 1 when the row names the recipient the award was first seen with. */
static int same_recipient(const sp_award *w, const doge_spend_txn *x)
{
    const char *uei = w->recipient, *name = uei + w->uei_len + 1;
    if (x->recipient_uei.len)
        return w->uei_len == x->recipient_uei.len &&
               memcmp(uei, x->recipient_uei.data, x->recipient_uei.len) == 0;
    return w->uei_len == 0 && w->name_len == x->recipient_name.len &&
           (w->name_len == 0 || memcmp(name, x->recipient_name.data, x->recipient_name.len) == 0);
}

static int push_dup(sp_thread *t, const doge_spend_txn *x, sp_award *w)
{
    if (t->ndups == t->capdups) {
        size_t nc = t->capdups ? t->capdups * 2 : 4096;
        sp_dup *d = realloc(t->dups, nc * sizeof *d);
        if (!d)
            return doge__error_oom();
        t->dups = d;
        t->capdups = nc;
    }
    /* Hash of recipient, amount, date and the description in upper case
     * with runs of spaces collapsed. */
    char buf[1024];
    size_t n = 0;
    size_t ul = x->recipient_uei.len < 64 ? x->recipient_uei.len : 64;
    copy(buf, x->recipient_uei.data, ul);
    n = ul;
    buf[n++] = '|';
    if (ul == 0) {
        size_t nl = x->recipient_name.len < 300 ? x->recipient_name.len : 300;
        for (size_t i = 0; i < nl; i++)
            buf[n++] = (char)toupper((unsigned char)x->recipient_name.data[i]);
        buf[n++] = '|';
    }
    memcpy(buf + n, &x->obligation, 8);
    n += 8;
    memcpy(buf + n, &x->action_date, 4);
    n += 4;
    int space = 1;
    for (size_t i = 0; i < x->description.len && n < sizeof buf - 1; i++) {
        unsigned char c = (unsigned char)x->description.data[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (!space)
                buf[n++] = ' ';
            space = 1;
            continue;
        }
        buf[n++] = (char)toupper(c);
        space = 0;
    }
    if (n && buf[n - 1] == ' ')
        n--;
    sp_dup *d = &t->dups[t->ndups++];
    d->hash = doge_map_hash(buf, n, 0x7370656e64647570ULL);
    d->award = w;
    d->amount = x->obligation;
    d->date = x->action_date;
    return DOGE_OK;
}

static int fail(sp_thread *t, int rc)
{
    t->failed = 1;
    t->errcode = rc;
    snprintf(t->errmsg, sizeof t->errmsg, "%s", doge_error_last());
    return rc;
}

int doge_spend_audit_add(doge_spend_audit *a, unsigned thread, const doge_spend_txn *x)
{
    if (a->finished)
        return doge__error_set(DOGE_EINVAL, "spend audit: rows added after finish");
    if (thread >= a->nthreads)
        return doge__error_set(DOGE_EINVAL, "spend audit: thread %u of %u", thread, a->nthreads);
    sp_thread *t = &a->threads[thread];
    if (t->failed)
        return t->errcode;
    uint32_t ai = 0;
    int rc = agency_index(a, t, x, &ai);
    if (rc)
        return fail(t, rc);
    sp_agency_acc *acc = &t->agencies[ai];
    int64_t fao = x->obligation;
    acc->rows++;
    if (fao > 0) {
        acc->obligated += fao;
        int d = doge_spend_first_digit(fao);
        if (d)
            acc->digits[d]++;
        if (x->kind == DOGE_SPEND_CONTRACTS) {
            int nc = doge__spend_noncompeted(&x->competed);
            if (nc == 1)
                acc->noncompeted += fao;
            else if (nc == 0)
                acc->competed += fao;
        }
    } else {
        acc->deobligated += fao;
    }
    doge_map_value *slot;
    int inserted;
    /* Map keys carry their NUL so that merged records can use them as C
     * strings. */
    size_t kl = x->award_key.len;
    if (kl >= sizeof t->keybuf)
        return fail(t, doge__error_set(DOGE_ELIMIT, "an award key of %zu bytes", kl));
    sp_award *w;
    /* Rows of one award often come together: the previous row's award. */
    if (kl + 1 == t->last_klen && (kl == 0 || memcmp(x->award_key.data, t->keybuf, kl) == 0)) {
        w = t->last_award;
        inserted = 0;
    } else {
        copy(t->keybuf, x->award_key.data, kl);
        t->keybuf[kl++] = '\0';
        t->last_klen = 0;
        if ((rc = doge_map_upsert(t->awards, t->keybuf, kl, &slot, &inserted)))
            return fail(t, rc);
        w = slot->ptr;
    }
    if (inserted) {
        if ((rc = doge_arena_alloc(t->arena, sizeof *w, 0, (void **)&w))) {
            doge_map_delete(t->awards, t->keybuf, kl);
            return fail(t, rc);
        }
        memset(w, 0, sizeof *w);
        slot->ptr = w;
        w->agency = ai;
        w->kind = (uint8_t)x->kind;
        w->idv = doge__spend_is(&x->idv_flag, "IDV");
        w->excl_rec = -1;
        w->latest_date = INT32_MIN;
        size_t ol = x->office_code.len < sizeof w->office ? x->office_code.len
                                                            : sizeof w->office - 1;
        copy(w->office, x->office_code.data, ol);
        w->office[ol] = '\0';
        if ((rc = intern_recipient(t, x, &w->recipient)))
            return fail(t, rc);
        w->uei_len = (uint8_t)strlen(w->recipient);
        w->name_len = (uint16_t)strlen(w->recipient + w->uei_len + 1);
        /* Whether the list holds this recipient at all (whatever the
         * dates), found once per recipient and kept in the byte before its
         * interned name (1 no, 2 yes): most rows then skip the exclusion
         * lookups. */
        char *seen = (char *)w->recipient - 1;
        if (a->excl && !*seen)
            *seen = doge__spend_exclusions_match(a->excl, &x->recipient_uei, &x->recipient_name,
                                                 DOGE_SPEND_NO_DATE, t->norm)
                        ? 2
                        : 1;
        w->excl_maybe = *seen == 2;
    }
    if (!t->last_klen) {
        t->last_klen = kl;
        t->last_award = w;
    }
    w->rows++;
    if (!w->has_latest || x->action_date > w->latest_date ||
        (x->action_date == w->latest_date &&
         doge__spend_mod_cmp(x->mod.data, x->mod.len, w->latest_mod, w->latest_mod_len) > 0)) {
        w->has_latest = 1;
        w->latest_date = x->action_date;
        size_t ml = x->mod.len < sizeof w->latest_mod - 1 ? x->mod.len : sizeof w->latest_mod - 1;
        copy(w->latest_mod, x->mod.data, ml);
        w->latest_mod[ml] = '\0';
        w->latest_mod_len = (uint8_t)ml;
        w->total_obligated = x->total_obligated;
        w->potential = x->potential_value;
        w->latest_pop_end = x->pop_end;
    }
    if (doge__spend_is_base_mod(&x->mod) && x->action_date != DOGE_SPEND_NO_DATE &&
        (!w->has_base || x->action_date < w->base_date ||
         (x->action_date == w->base_date && fao > w->base_amount))) {
        w->has_base = 1;
        w->base_date = x->action_date;
        w->base_amount = fao;
    }
    if (fao > 0 && x->action_date != DOGE_SPEND_NO_DATE && x->pop_end != DOGE_SPEND_NO_DATE &&
        x->action_date > x->pop_end) {
        if (w->late_count == 0 || x->action_date < w->late_first) {
            w->late_first = x->action_date;
            w->late_end = x->pop_end;
        }
        w->late_count++;
        w->late_sum += fao;
    }
    if (a->excl && (w->excl_maybe || !same_recipient(w, x))) {
        const doge__spend_excl *e = doge__spend_exclusions_match(
            a->excl, &x->recipient_uei, &x->recipient_name, x->action_date, t->norm);
        if (e) {
            int32_t ri = (int32_t)(e - a->excl->rec);
            if (w->excl_count == 0 || x->action_date < w->excl_first)
                w->excl_first = x->action_date;
            if (w->excl_rec < 0 || ri < w->excl_rec)
                w->excl_rec = ri;
            w->excl_count++;
            w->excl_sum += fao;
        }
    }
    if (fao > 0 && x->description.len > 0 && x->action_date != DOGE_SPEND_NO_DATE &&
        (rc = push_dup(t, x, w)))
        return fail(t, rc);
    return DOGE_OK;
}

static int on_txn(void *ctx, unsigned thread, const doge_spend_txn *t)
{
    return doge_spend_audit_add(ctx, thread, t);
}

int doge_spend_audit_file(doge_spend_audit *a, const char *path)
{
    if (a->finished)
        return doge__error_set(DOGE_EINVAL, "spend audit: a file added after finish");
    doge__spend_scan s;
    memset(&s, 0, sizeof s);
    s.threads = a->nthreads;
    s.strict = a->opts.strict;
    s.on_diag = a->opts.on_diag;
    s.diag_ctx = a->opts.diag_ctx;
    s.on_txn = on_txn;
    s.ctx = a;
    s.progress = a->opts.progress;
    s.no_progress = a->opts.no_progress;
    s.label = "audit";
    /* The rules read neither the transaction key, the PIID, the parent,
     * the current value, the start date, the sub-tier agency, the action
     * type nor the vehicle columns. */
    s.skip = 1u << 0 | 1u << 2 | 1u << 4 | 1u << 5 | 1u << 8 | 1u << 11 | 1u << 15 | 1u << 21 |
             1u << 23 | 1u << 24 | 1u << 25;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    doge__spend_scan_stats st;
    int rc = doge__spend_scan_file(path, &s, &st);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    a->totals.seconds += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    a->totals.files++;
    a->totals.bytes += st.bytes;
    a->totals.rows += st.rows;
    a->totals.bad_rows += st.bad_rows;
    if (rc) {
        for (unsigned i = 0; i < a->nthreads; i++)
            if (a->threads[i].failed)
                return doge__error_set(a->threads[i].errcode, "%s: %s", path,
                                       a->threads[i].errmsg);
    }
    return rc;
}
