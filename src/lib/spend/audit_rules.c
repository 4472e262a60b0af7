/*
 * audit_rules.c — the end of an audit, run on as many threads as the scan:
 * each award belongs to the first thread's table that holds it, and that
 * thread's worker merges the later tables' records of it into its own
 * (latest action by date then modification number, earliest base action,
 * sums of late and excluded actions); the duplicate candidates of every thread are bucket-sorted by
 * the top 16 bits of their hash, the buckets sorted on all threads, so
 * equal (recipient, amount, date, description) tuples sit together; each
 * partition then turns its awards into findings and collects the base
 * actions just under a threshold, which are grouped by office and
 * recipient and swept with a 30-day window; the agency counters are summed;
 * and every finding gets a one-line evidence text. Findings are sorted by
 * rule, agency and key, so the output does not depend on thread timing.
 */
#include "doge/money.h"
#include "internal.h"
#include "spend/spend_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int doge__spend_audit_add_finding(sp_part *p, int rule, const char *key, uint32_t agency,
                                  const char *recipient, int64_t amount, int64_t limit,
                                  double score, const char *evidence)
{
    if (p->nf == p->capf) {
        size_t nc = p->capf ? p->capf * 2 : 256;
        doge_spend_finding *f = realloc(p->f, nc * sizeof *f);
        if (!f)
            return doge__error_oom();
        p->f = f;
        p->capf = nc;
    }
    doge_spend_finding *f = &p->f[p->nf];
    memset(f, 0, sizeof *f);
    f->rule = rule;
    f->amount = amount;
    f->limit = limit;
    f->score = score;
    f->agency_code = p->a->agency_code[agency];
    f->agency_name = p->a->agency_name[agency];
    int rc;
    if ((rc = doge_arena_strdup(p->out, key, (char **)&f->key)) ||
        (rc = doge_arena_strdup(p->out, recipient ? recipient : "", (char **)&f->recipient)) ||
        (rc = doge_arena_strdup(p->out, evidence, (char **)&f->evidence)))
        return rc;
    p->nf++;
    return DOGE_OK;
}

const char *doge__spend_recipient_label(sp_part *p, const char *recipient)
{
    const char *uei = recipient, *name = recipient + strlen(recipient) + 1;
    char buf[600];
    if (*uei)
        snprintf(buf, sizeof buf, "%s (%s)", name, uei);
    else
        snprintf(buf, sizeof buf, "%s", name);
    char *out;
    if (doge_arena_strdup(p->out, buf, &out) != DOGE_OK)
        return "";
    return out;
}

void doge__spend_audit_parts_free(doge_spend_audit *a)
{
    for (unsigned i = 0; a->parts && i < a->nparts; i++) {
        doge_arena_free(a->parts[i].out);
        free(a->parts[i].f);
        free(a->parts[i].cand);
    }
    free(a->parts);
    a->parts = NULL;
    a->nparts = 0;
}

/* Runs fn on every partition, one thread each (the first on this one). */
static int run_parts(doge_spend_audit *a, void *(*fn)(void *))
{
    pthread_t tid[64];
    unsigned started = 0;
    for (unsigned i = 1; i < a->nparts; i++) {
        if (pthread_create(&tid[i], NULL, fn, &a->parts[i]) != 0)
            break;
        started = i;
    }
    fn(&a->parts[0]);
    for (unsigned i = started + 1; i < a->nparts; i++)
        fn(&a->parts[i]); /* threads that could not start */
    for (unsigned i = 1; i <= started; i++)
        pthread_join(tid[i], NULL);
    for (unsigned i = 0; i < a->nparts; i++)
        if (a->parts[i].rc)
            return doge__error_set(a->parts[i].rc, "%s", a->parts[i].err);
    return DOGE_OK;
}

static void part_fail(sp_part *p, int rc)
{
    p->rc = rc;
    snprintf(p->err, sizeof p->err, "%s", doge_error_last());
}

/* ---- merge ------------------------------------------------------------- */

static void merge_award(sp_award *g, const sp_award *w)
{
    if (w->has_latest &&
        (!g->has_latest || w->latest_date > g->latest_date ||
         (w->latest_date == g->latest_date &&
          doge__spend_mod_cmp(w->latest_mod, strlen(w->latest_mod), g->latest_mod,
                              strlen(g->latest_mod)) > 0))) {
        g->has_latest = 1;
        g->latest_date = w->latest_date;
        memcpy(g->latest_mod, w->latest_mod, sizeof g->latest_mod);
        g->latest_mod_len = w->latest_mod_len;
        g->total_obligated = w->total_obligated;
        g->potential = w->potential;
        g->latest_pop_end = w->latest_pop_end;
    }
    if (w->has_base && (!g->has_base || w->base_date < g->base_date ||
                        (w->base_date == g->base_date && w->base_amount > g->base_amount))) {
        g->has_base = 1;
        g->base_date = w->base_date;
        g->base_amount = w->base_amount;
    }
    if (w->late_count) {
        if (!g->late_count || w->late_first < g->late_first) {
            g->late_first = w->late_first;
            g->late_end = w->late_end;
        }
        g->late_count += w->late_count;
        g->late_sum += w->late_sum;
    }
    if (w->excl_count) {
        if (!g->excl_count || w->excl_first < g->excl_first)
            g->excl_first = w->excl_first;
        if (g->excl_rec < 0 || (w->excl_rec >= 0 && w->excl_rec < g->excl_rec))
            g->excl_rec = w->excl_rec;
        g->excl_count += w->excl_count;
        g->excl_sum += w->excl_sum;
    }
    g->rows += w->rows;
    g->idv |= w->idv;
}

static const int64_t thresholds[2] = {DOGE_SPEND_MICRO_PURCHASE, DOGE_SPEND_SIMPLIFIED};
static const char *const threshold_names[2] = {"micro-purchase", "simplified acquisition"};

typedef struct sp_cand {
    sp_award *w;
    int t;
} cand;

static int push_cand(sp_part *p, sp_award *w, int t)
{
    if (p->ncand == p->capcand) {
        size_t nc = p->capcand ? p->capcand * 2 : 1024;
        cand *c = realloc(p->cand, nc * sizeof *c);
        if (!c)
            return doge__error_oom();
        p->cand = c;
        p->capcand = nc;
    }
    p->cand[p->ncand].w = w;
    p->cand[p->ncand].t = t;
    p->ncand++;
    return DOGE_OK;
}

/* A partition's worker: partition i is the awards whose first appearance
 * (lowest thread number) is in thread i's table. Each worker walks its own
 * table, skips keys an earlier table holds, and merges the later tables'
 * records of the others into its own; it writes only records it owns and
 * the merged pointers of later tables' records, which no other worker
 * reads, so the workers need no lock. */
static void *merge_part(void *arg)
{
    sp_part *p = arg;
    doge_spend_audit *a = p->a;
    doge_map_iter it;
    doge_map_iter_init(&it, a->threads[p->id].awards);
    const void *key;
    size_t klen;
    doge_map_value *v;
    while (doge_map_iter_next(&it, &key, &klen, &v)) {
        sp_award *w = v->ptr;
        int owner = 1;
        for (unsigned u = 0; u < p->id && owner; u++)
            if (doge_map_get(a->threads[u].awards, key, klen, NULL))
                owner = 0;
        if (!owner)
            continue;
        w->merged = w;
        w->key = key;
        p->owned++;
        for (unsigned u = p->id + 1; u < a->nthreads; u++) {
            void *o;
            if (doge_map_get(a->threads[u].awards, key, klen, &o)) {
                merge_award(w, o);
                ((sp_award *)o)->merged = w;
            }
        }
        /* Now whole: a base action just under a threshold is a split
         * candidate. */
        if (w->kind != DOGE_SPEND_CONTRACTS || !w->has_base || w->idv)
            continue;
        for (int t = 0; t < 2; t++) {
            int64_t lo = thresholds[t] / 100 * (int64_t)(DOGE_SPEND_SPLIT_BAND * 100 + 0.5);
            if (w->base_amount < lo || w->base_amount >= thresholds[t])
                continue;
            int rc = push_cand(p, w, t);
            if (rc) {
                part_fail(p, rc);
                return NULL;
            }
        }
    }
    return NULL;
}

static int merge_awards(doge_spend_audit *a)
{
    a->nparts = a->nthreads;
    a->parts = calloc(a->nparts, sizeof *a->parts);
    if (!a->parts)
        return doge__error_oom();
    for (unsigned i = 0; i < a->nparts; i++) {
        sp_part *p = &a->parts[i];
        p->a = a;
        p->id = i;
        int rc = doge_arena_new(&p->out, 0, 0);
        if (rc)
            return rc;
    }
    int rc = run_parts(a, merge_part);
    for (unsigned i = 0; i < a->nparts; i++)
        a->totals.awards += a->parts[i].owned;
    return rc;
}

/* ---- duplicates -------------------------------------------------------- */

static int dup_cmp(const void *pa, const void *pb)
{
    const sp_dup *x = pa, *y = pb;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    if (x->award != y->award)
        return (uintptr_t)x->award < (uintptr_t)y->award ? -1 : 1;
    return 0;
}

/* Duplicates on all threads: each job counts its thread's candidates per
 * bucket (the hash's top 16 bits), the offsets are summed bucket by bucket
 * and thread by thread, each job scatters its own candidates (with their
 * awards' merged records) to its slots, then sorts a share of the buckets
 * and lists the groups of one (recipient, amount, date, description) tuple
 * in two or more awards; the hits are applied to the awards afterwards, in
 * bucket order, on one thread. */
typedef struct dup_hit {
    sp_award *w, *other;
    int64_t amount;
    int32_t date;
} dup_hit;

typedef struct dup_job {
    doge_spend_audit *a;
    unsigned id;
    size_t *cursor;     /* 65536: counts, then write positions */
    sp_dup *all;
    const size_t *end;  /* 65536 bucket ends */
    size_t from, to;    /* buckets to sort and group */
    dup_hit *hits;
    size_t nhits, caphits;
    int rc;
} dup_job;

static void *dup_count(void *arg)
{
    dup_job *j = arg;
    const sp_thread *t = &j->a->threads[j->id];
    for (size_t i = 0; i < t->ndups; i++)
        j->cursor[t->dups[i].hash >> 48]++;
    return NULL;
}

static void *dup_scatter(void *arg)
{
    dup_job *j = arg;
    sp_thread *t = &j->a->threads[j->id];
    for (size_t i = 0; i < t->ndups; i++) {
        sp_dup d = t->dups[i];
        d.award = d.award->merged;
        j->all[j->cursor[d.hash >> 48]++] = d;
    }
    free(t->dups);
    t->dups = NULL;
    t->ndups = t->capdups = 0;
    return NULL;
}

static void *dup_group(void *arg)
{
    dup_job *j = arg;
    size_t start = j->from ? j->end[j->from - 1] : 0, stop = j->to ? j->end[j->to - 1] : 0;
    for (size_t b = j->from; b < j->to; b++) {
        size_t e = j->end[b];
        if (e - start > 1)
            qsort(j->all + start, e - start, sizeof *j->all, dup_cmp);
        start = e;
    }
    sp_dup *all = j->all;
    size_t i = j->from ? j->end[j->from - 1] : 0;
    while (i < stop) {
        size_t k = i + 1;
        int distinct = 0;
        while (k < stop && all[k].hash == all[i].hash) {
            if (all[k].award != all[k - 1].award)
                distinct = 1;
            k++;
        }
        if (distinct) {
            /* The two awards of the group with the smallest keys. */
            sp_award *min1 = NULL, *min2 = NULL;
            for (size_t m = i; m < k; m++) {
                sp_award *x = all[m].award;
                if (x == min1 || x == min2)
                    continue;
                if (!min1 || strcmp(x->key, min1->key) < 0) {
                    min2 = min1;
                    min1 = x;
                } else if (!min2 || strcmp(x->key, min2->key) < 0) {
                    min2 = x;
                }
            }
            for (size_t m = i; m < k; m++) {
                if (j->nhits == j->caphits) {
                    size_t nc = j->caphits ? j->caphits * 2 : 64;
                    dup_hit *h = realloc(j->hits, nc * sizeof *h);
                    if (!h) {
                        j->rc = DOGE_ENOMEM;
                        return NULL;
                    }
                    j->hits = h;
                    j->caphits = nc;
                }
                dup_hit *h = &j->hits[j->nhits++];
                h->w = all[m].award;
                h->other = h->w == min1 ? min2 : min1;
                h->amount = all[m].amount;
                h->date = all[m].date;
            }
        }
        i = k;
    }
    return NULL;
}

static void run_jobs(dup_job *jobs, unsigned n, void *(*fn)(void *))
{
    pthread_t tid[64];
    unsigned started = 0;
    for (unsigned i = 1; i < n; i++) {
        if (pthread_create(&tid[i], NULL, fn, &jobs[i]) != 0)
            break;
        started = i;
    }
    fn(&jobs[0]);
    for (unsigned i = started + 1; i < n; i++)
        fn(&jobs[i]);
    for (unsigned i = 1; i <= started; i++)
        pthread_join(tid[i], NULL);
}

static int duplicates(doge_spend_audit *a)
{
    unsigned n = a->nthreads;
    size_t total = 0;
    for (unsigned t = 0; t < n; t++)
        total += a->threads[t].ndups;
    if (total == 0)
        return DOGE_OK;
    dup_job jobs[64];
    memset(jobs, 0, sizeof jobs);
    size_t *end = calloc(65536, sizeof *end);
    sp_dup *all = malloc(total * sizeof *all);
    int rc = end && all ? DOGE_OK : DOGE_ENOMEM;
    for (unsigned t = 0; t < n && rc == DOGE_OK; t++) {
        jobs[t].a = a;
        jobs[t].id = t;
        jobs[t].all = all;
        jobs[t].end = end;
        jobs[t].cursor = calloc(65536, sizeof *jobs[t].cursor);
        if (!jobs[t].cursor)
            rc = DOGE_ENOMEM;
    }
    if (rc == DOGE_OK) {
        run_jobs(jobs, n, dup_count);
        size_t pos = 0;
        for (size_t b = 0; b < 65536; b++) {
            for (unsigned t = 0; t < n; t++) {
                size_t c = jobs[t].cursor[b];
                jobs[t].cursor[b] = pos;
                pos += c;
            }
            end[b] = pos;
        }
        run_jobs(jobs, n, dup_scatter);
        /* Equal shares of the entries per job, whole buckets each. */
        size_t b0 = 0;
        for (unsigned t = 0; t < n; t++) {
            size_t target = total / n * (t + 1), b1 = b0;
            while (b1 < 65536 && (t == n - 1 || end[b1] <= target))
                b1++;
            jobs[t].from = b0;
            jobs[t].to = b1;
            b0 = b1;
        }
        run_jobs(jobs, n, dup_group);
        for (unsigned t = 0; t < n; t++)
            if (jobs[t].rc)
                rc = jobs[t].rc;
    }
    for (unsigned t = 0; t < n && rc == DOGE_OK; t++)
        for (size_t i = 0; i < jobs[t].nhits; i++) {
            const dup_hit *h = &jobs[t].hits[i];
            sp_award *w = h->w;
            if (!w->dup_other || strcmp(h->other->key, w->dup_other->key) < 0 ||
                (h->other == w->dup_other && h->date < w->dup_date)) {
                w->dup_other = h->other;
                w->dup_date = h->date;
            }
            w->dup_count++;
            w->dup_sum += h->amount;
        }
    for (unsigned t = 0; t < n; t++) {
        free(jobs[t].cursor);
        free(jobs[t].hits);
    }
    free(end);
    free(all);
    return rc == DOGE_ENOMEM ? doge__error_oom() : rc;
}

/* ---- splitting ---------------------------------------------------------- */

static int cand_cmp(const void *pa, const void *pb)
{
    const cand *x = pa, *y = pb;
    if (x->t != y->t)
        return x->t - y->t;
    if (x->w->agency != y->w->agency)
        return x->w->agency < y->w->agency ? -1 : 1;
    int c = strcmp(x->w->office, y->w->office);
    if (c)
        return c;
    /* recipient: "UEI\0NAME" */
    c = strcmp(x->w->recipient, y->w->recipient);
    if (c)
        return c;
    c = strcmp(x->w->recipient + strlen(x->w->recipient) + 1,
               y->w->recipient + strlen(y->w->recipient) + 1);
    if (c)
        return c;
    if (x->w->base_date != y->w->base_date)
        return x->w->base_date < y->w->base_date ? -1 : 1;
    return strcmp(x->w->key, y->w->key);
}

static int same_group(const cand *x, const cand *y)
{
    return x->t == y->t && x->w->agency == y->w->agency && strcmp(x->w->office, y->w->office) == 0 &&
           strcmp(x->w->recipient, y->w->recipient) == 0 &&
           strcmp(x->w->recipient + strlen(x->w->recipient) + 1,
                  y->w->recipient + strlen(y->w->recipient) + 1) == 0;
}

static int splits(doge_spend_audit *a)
{
    size_t n = 0;
    for (unsigned i = 0; i < a->nparts; i++)
        n += a->parts[i].ncand;
    cand *c = malloc((n ? n : 1) * sizeof *c);
    if (!c)
        return doge__error_oom();
    n = 0;
    for (unsigned i = 0; i < a->nparts; i++) {
        if (a->parts[i].ncand)
            memcpy(c + n, a->parts[i].cand, a->parts[i].ncand * sizeof *c);
        n += a->parts[i].ncand;
    }
    if (n > 1)
        qsort(c, n, sizeof *c, cand_cmp);
    for (size_t g = 0; g < n;) {
        size_t ge = g + 1;
        while (ge < n && same_group(&c[g], &c[ge]))
            ge++;
        int64_t limit = thresholds[c[g].t];
        for (size_t i = g; i < ge; i++) {
            int64_t sum = 0;
            size_t j = i;
            while (j < ge && c[j].w->base_date - c[i].w->base_date <= DOGE_SPEND_SPLIT_WINDOW) {
                sum += c[j].w->base_amount;
                j++;
            }
            if (j - i < 2 || sum <= limit)
                continue;
            for (size_t k = i; k < j; k++) {
                sp_award *w = c[k].w;
                if ((uint32_t)(j - i) > w->split_n) {
                    w->split_n = (uint32_t)(j - i);
                    w->split_first = c[i].w->base_date;
                    w->split_last = c[j - 1].w->base_date;
                    w->split_sum = sum;
                    w->split_limit = limit;
                }
            }
        }
        g = ge;
    }
    free(c);
    return DOGE_OK;
}

/* ---- the award rules ------------------------------------------------------ */

/* A partition's award findings (rules 1 to 5). */
static void *findings_part(void *arg)
{
    sp_part *p = arg;
    doge_spend_audit *a = p->a;
    doge_map_iter it;
    doge_map_iter_init(&it, a->threads[p->id].awards);
    doge_map_value *v;
    char ev[1024], m1[DOGE_MONEY_STRLEN], m2[DOGE_MONEY_STRLEN], d1[16], d2[16];
    int rc = DOGE_OK;
    while (rc == DOGE_OK && doge_map_iter_next(&it, NULL, NULL, &v)) {
        sp_award *w = v->ptr;
        if (w->merged != w)
            continue;
        const char *who = NULL;
#define WHO (who ? who : (who = doge__spend_recipient_label(p, w->recipient)))
        if (w->kind == DOGE_SPEND_CONTRACTS && !w->idv && w->has_latest && w->potential > 0 &&
            w->total_obligated > w->potential) {
            snprintf(ev, sizeof ev,
                     "obligated %s, above the potential total value %s on the latest action "
                     "(%s, modification %s)",
                     doge__spend_usd(w->total_obligated, m1), doge__spend_usd(w->potential, m2),
                     doge__spend_day(w->latest_date, d1), *w->latest_mod ? w->latest_mod : "0");
            rc = doge__spend_audit_add_finding(p, DOGE_SPEND_RULE_OVER_POTENTIAL, w->key, w->agency,
                                               WHO, w->total_obligated, w->potential, 0, ev);
        }
        if (rc == DOGE_OK && w->late_count) {
            snprintf(ev, sizeof ev,
                     "%u action%s obligating %s after the period of performance ended %s "
                     "(first on %s)",
                     w->late_count, w->late_count == 1 ? "" : "s", doge__spend_usd(w->late_sum, m1),
                     doge__spend_day(w->late_end, d1), doge__spend_day(w->late_first, d2));
            rc = doge__spend_audit_add_finding(p, DOGE_SPEND_RULE_AFTER_END, w->key, w->agency,
                                               WHO, w->late_sum, 0, 0, ev);
        }
        if (rc == DOGE_OK && w->dup_count) {
            snprintf(ev, sizeof ev,
                     "%u action%s with the same recipient, amount, date (%s) and description as "
                     "award %s (%s)",
                     w->dup_count, w->dup_count == 1 ? "" : "s", doge__spend_day(w->dup_date, d1),
                     w->dup_other->key, a->agency_name[w->dup_other->agency]);
            rc = doge__spend_audit_add_finding(p, DOGE_SPEND_RULE_DUPLICATE, w->key, w->agency,
                                               WHO, w->dup_sum, 0, 0, ev);
        }
        if (rc == DOGE_OK && w->split_n) {
            snprintf(ev, sizeof ev,
                     "%u awards by office %s to this recipient within %d days (%s to %s), each "
                     "under the %s %s threshold, summing %s",
                     w->split_n, w->office, DOGE_SPEND_SPLIT_WINDOW,
                     doge__spend_day(w->split_first, d1), doge__spend_day(w->split_last, d2),
                     doge__spend_usd(w->split_limit, m1),
                     threshold_names[w->split_limit == DOGE_SPEND_MICRO_PURCHASE ? 0 : 1],
                     doge__spend_usd(w->split_sum, m2));
            rc = doge__spend_audit_add_finding(p, DOGE_SPEND_RULE_SPLIT, w->key, w->agency, WHO,
                                               w->base_amount, w->split_limit, 0, ev);
        }
        if (rc == DOGE_OK && w->excl_count) {
            const doge__spend_excl *e = &a->excl->rec[w->excl_rec];
            char until[16];
            snprintf(ev, sizeof ev,
                     "%u action%s (%s, first %s) while %s was on the SAM.gov exclusion list "
                     "(%s%s%s, active %s, until %s)",
                     w->excl_count, w->excl_count == 1 ? "" : "s", doge__spend_usd(w->excl_sum, m1),
                     doge__spend_day(w->excl_first, d1), *e->uei ? e->uei : e->name,
                     *e->type ? e->type : "exclusion", *e->agency ? " by " : "", e->agency,
                     e->active == INT32_MIN ? "always" : doge__spend_day(e->active, d2),
                     e->end == INT32_MAX ? "indefinite" : doge__spend_day(e->end, until));
            rc = doge__spend_audit_add_finding(p, DOGE_SPEND_RULE_EXCLUDED, w->key, w->agency, WHO,
                                               w->excl_sum, 0, 0, ev);
        }
#undef WHO
    }
    if (rc)
        part_fail(p, rc);
    return NULL;
}

/* ---- agencies ------------------------------------------------------------- */

static int agency_cmp(const void *pa, const void *pb)
{
    const doge_spend_agency *x = pa, *y = pb;
    return strcmp(x->code, y->code);
}

static int finding_cmp(const void *pa, const void *pb)
{
    const doge_spend_finding *x = pa, *y = pb;
    if (x->rule != y->rule)
        return x->rule - y->rule;
    int c = strcmp(x->agency_code, y->agency_code);
    if (c)
        return c;
    return strcmp(x->key, y->key);
}

static int agency_rules(doge_spend_audit *a)
{
    uint32_t n = a->nagencies;
    a->agencies = calloc(n ? n : 1, sizeof *a->agencies);
    if (!a->agencies)
        return doge__error_oom();
    a->nagency_out = n;
    char ev[512], m1[DOGE_MONEY_STRLEN], m2[DOGE_MONEY_STRLEN];
    int rc = DOGE_OK;
    for (uint32_t i = 0; i < n && rc == DOGE_OK; i++) {
        doge_spend_agency *g = &a->agencies[i];
        g->code = a->agency_code[i];
        g->name = a->agency_name[i];
        for (unsigned t = 0; t < a->nthreads; t++) {
            const sp_agency_acc *s = &a->threads[t].agencies[i];
            g->rows += s->rows;
            g->obligated += s->obligated;
            g->deobligated += s->deobligated;
            for (int d = 1; d <= 9; d++)
                g->digits[d] += s->digits[d];
            g->competed += s->competed;
            g->noncompeted += s->noncompeted;
        }
        for (int d = 1; d <= 9; d++)
            g->benford_n += g->digits[d];
        if (g->benford_n >= DOGE_SPEND_BENFORD_MIN) {
            g->mad = doge_spend_benford_mad(g->digits);
            g->band = doge_spend_benford_band(g->mad);
        } else {
            g->mad = -1;
            g->band = "too few amounts";
        }
        int64_t known = g->competed + g->noncompeted;
        g->noncompeted_share = known > 0 ? (double)g->noncompeted / (double)known : -1;
        if (g->mad > 0.015) {
            snprintf(ev, sizeof ev,
                     "first-digit mean absolute deviation %.4f over %llu amounts of $10 or more: "
                     "%s (Nigrini: above 0.015)",
                     g->mad, (unsigned long long)g->benford_n, g->band);
            rc = doge__spend_audit_add_finding(&a->parts[0], DOGE_SPEND_RULE_BENFORD, g->code, i, "",
                                               g->obligated, 0, g->mad, ev);
        }
        if (rc == DOGE_OK && g->noncompeted_share > DOGE_SPEND_NONCOMPETED_MAX) {
            snprintf(ev, sizeof ev,
                     "%s of %s in contract obligations with a competition code were not "
                     "competed (%.1f%%, above %.0f%%)",
                     doge__spend_usd(g->noncompeted, m1), doge__spend_usd(known, m2),
                     100.0 * g->noncompeted_share, 100.0 * DOGE_SPEND_NONCOMPETED_MAX);
            rc = doge__spend_audit_add_finding(&a->parts[0], DOGE_SPEND_RULE_NONCOMPETED, g->code, i, "",
                                               g->noncompeted, known, g->noncompeted_share, ev);
        }
    }
    return rc;
}

int doge__spend_audit_rules(doge_spend_audit *a)
{
    int rc;
    if ((rc = merge_awards(a)) || (rc = duplicates(a)) || (rc = splits(a)) || (rc = run_parts(a, findings_part)) || (rc = agency_rules(a)))
        return rc;
    /* All findings in one array; per-agency and run totals. */
    size_t n = 0;
    for (unsigned i = 0; i < a->nparts; i++)
        n += a->parts[i].nf;
    a->findings = malloc((n ? n : 1) * sizeof *a->findings);
    if (!a->findings)
        return doge__error_oom();
    for (unsigned i = 0; i < a->nparts; i++) {
        if (a->parts[i].nf)
            memcpy(a->findings + a->nfindings, a->parts[i].f,
                   a->parts[i].nf * sizeof *a->findings);
        a->nfindings += a->parts[i].nf;
    }
    a->capfindings = n;
    for (size_t i = 0; i < a->nfindings; i++) {
        const doge_spend_finding *f = &a->findings[i];
        uint64_t v;
        if (doge_map_get_u64(a->agency_map, f->agency_code, strlen(f->agency_code), &v)) {
            a->agencies[v - 1].findings[f->rule]++;
            a->agencies[v - 1].finding_amount[f->rule] += f->amount;
        }
        a->totals.findings[f->rule]++;
        a->totals.finding_amount[f->rule] += f->amount;
    }
    if (a->nfindings > 1)
        qsort(a->findings, a->nfindings, sizeof *a->findings, finding_cmp);
    if (a->nagency_out > 1)
        qsort(a->agencies, a->nagency_out, sizeof *a->agencies, agency_cmp);
    return DOGE_OK;
}

int doge_spend_audit_finish(doge_spend_audit *a)
{
    if (a->finished)
        return doge__error_set(DOGE_EINVAL, "spend audit: finished twice");
    a->finished = 1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = doge__spend_audit_rules(a);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    a->totals.finish_seconds =
        (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    return rc;
}

size_t doge_spend_audit_findings(const doge_spend_audit *a, const doge_spend_finding **out)
{
    *out = a->findings;
    return a->nfindings;
}

size_t doge_spend_audit_agencies(const doge_spend_audit *a, const doge_spend_agency **out)
{
    *out = a->agencies;
    return a->nagency_out;
}

void doge_spend_audit_totals_get(const doge_spend_audit *a, doge_spend_audit_totals *t)
{
    *t = a->totals;
}
