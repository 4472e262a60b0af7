/*
 * receipts_verify.c — checks each savings claim against the award record
 * (the rules are listed with doge_spend_verification in doge/spend.h). The
 * award files are scanned once on all threads; a row is kept (copied into
 * its thread's arena) only when its PIID/FAIN, or its parent's PIID (an
 * order under a claimed vehicle), is one a claim names, so memory grows with
 * the claims, not the files. The kept actions are grouped by award key and
 * ordered by date and modification number; each claim then finds its award
 * (by every key part its link gives, else by PIID and, when the PIID repeats
 * across agencies, by the claim's agency and recipient), its cancelling
 * action, the latest modification before it, and the three tiers.
 */
#include "doge/money.h"
#include "internal.h"
#include "spend/spend_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct kept {
    doge_arena *arena;
    doge_spend_txn *v;
    size_t n, cap;
    int failed, errcode;
    char errmsg[300];
} kept;

typedef struct vctx {
    doge_map *wanted;
    kept *th;
    unsigned nth;
} vctx;

/* ---- collecting ---------------------------------------------------------------- */

static int filter(void *ctx, doge_spend_kind kind, const doge_spend_field *f)
{
    (void)kind;
    vctx *c = ctx;
    if (f[2].len && doge_map_get(c->wanted, f[2].data, f[2].len, NULL))
        return 1;
    return f[5].len && doge_map_get(c->wanted, f[5].data, f[5].len, NULL);
}

static int copy_view(doge_arena *a, doge_spend_field *f)
{
    if (f->len == 0) {
        f->data = "";
        return DOGE_OK;
    }
    char *p;
    int rc = doge_arena_strndup(a, f->data, f->len, &p);
    if (rc == DOGE_OK)
        f->data = p;
    return rc;
}

static int copy_txn(doge_arena *a, doge_spend_txn *t)
{
    doge_spend_field *views[] = {&t->txn_key,       &t->award_key,      &t->piid,
                                 &t->mod,           &t->parent_agency,  &t->parent_piid,
                                 &t->agency_code,   &t->agency_name,    &t->sub_agency_code,
                                 &t->office_code,   &t->recipient_uei,  &t->recipient_name,
                                 &t->description,   &t->competed,       &t->action_type,
                                 &t->idv_flag,      &t->multiple,       &t->parent_multiple,
                                 &t->solicitation};
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
        int rc = copy_view(a, views[i]);
        if (rc)
            return rc;
    }
    return DOGE_OK;
}

static int on_txn(void *ctx, unsigned thread, const doge_spend_txn *t)
{
    vctx *c = ctx;
    kept *k = &c->th[thread < c->nth ? thread : 0];
    if (k->failed)
        return k->errcode;
    if (k->n == k->cap) {
        size_t nc = k->cap ? k->cap * 2 : 256;
        doge_spend_txn *v = realloc(k->v, nc * sizeof *v);
        if (!v) {
            k->failed = 1;
            k->errcode = DOGE_ENOMEM;
            snprintf(k->errmsg, sizeof k->errmsg, "out of memory");
            return DOGE_ENOMEM;
        }
        k->v = v;
        k->cap = nc;
    }
    k->v[k->n] = *t;
    int rc = copy_txn(k->arena, &k->v[k->n]);
    if (rc) {
        k->failed = 1;
        k->errcode = rc;
        snprintf(k->errmsg, sizeof k->errmsg, "%s", doge_error_last());
        return rc;
    }
    k->n++;
    return DOGE_OK;
}

/* ---- the record ---------------------------------------------------------------- */

typedef struct award {
    const doge_spend_txn **t; /* ordered by date, then modification */
    size_t n;
    const char *key;
    int idv;
} award;

typedef struct rset {
    doge_spend_receipts *r;
    const doge_spend_txn **order;
    award *aw;
    size_t naw;
    doge_map *by_piid;    /* piid -> first award + 1 */
    size_t *next_piid;
    doge_map *by_parent;  /* "agency|piid" of a vehicle -> first order + 1 */
    size_t *next_parent;
    doge_map *claimed;    /* award key -> claim index + 1 */
    doge_map *ceilings;   /* shared ceiling key -> claim index + 1 */
} rset;

static int fcmp(const doge_spend_field *a, const doge_spend_field *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->data, b->data, n);
    if (c)
        return c;
    return a->len < b->len ? -1 : a->len > b->len;
}

static int feq(const doge_spend_field *a, const char *s)
{
    return a->len == strlen(s) && memcmp(a->data, s, a->len) == 0;
}

static int txn_cmp(const void *pa, const void *pb)
{
    const doge_spend_txn *a = *(const doge_spend_txn *const *)pa,
                         *b = *(const doge_spend_txn *const *)pb;
    int c = fcmp(&a->award_key, &b->award_key);
    if (c)
        return c;
    if (a->action_date != b->action_date)
        return a->action_date < b->action_date ? -1 : 1;
    c = doge__spend_mod_cmp(a->mod.data, a->mod.len, b->mod.data, b->mod.len);
    if (c)
        return c;
    return a->offset < b->offset ? -1 : a->offset > b->offset;
}

static int index_awards(rset *s, const doge_spend_txn *txns, size_t n)
{
    s->order = malloc((n ? n : 1) * sizeof *s->order);
    s->aw = malloc((n ? n : 1) * sizeof *s->aw);
    s->next_piid = malloc((n ? n : 1) * sizeof *s->next_piid);
    s->next_parent = malloc((n ? n : 1) * sizeof *s->next_parent);
    if (!s->order || !s->aw || !s->next_piid || !s->next_parent)
        return doge__error_oom();
    int rc;
    if ((rc = doge_map_new(&s->by_piid, 0, 0)) || (rc = doge_map_new(&s->by_parent, 0, 0)) ||
        (rc = doge_map_new(&s->claimed, 0, 0)) || (rc = doge_map_new(&s->ceilings, 0, 0)))
        return rc;
    for (size_t i = 0; i < n; i++)
        s->order[i] = &txns[i];
    if (n > 1)
        qsort(s->order, n, sizeof *s->order, txn_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && fcmp(&s->order[j]->award_key, &s->order[i]->award_key) == 0)
            j++;
        award *a = &s->aw[s->naw];
        a->t = &s->order[i];
        a->n = j - i;
        const doge_spend_txn *f = a->t[0];
        char *key;
        if ((rc = doge_arena_strndup(s->r->arena, f->award_key.data, f->award_key.len, &key)))
            return rc;
        a->key = key;
        a->idv = 0;
        for (size_t k = 0; k < a->n; k++)
            if (feq(&a->t[k]->idv_flag, "IDV"))
                a->idv = 1;
        size_t idx = s->naw++;
        doge_map_value *slot;
        if ((rc = doge_map_upsert(s->by_piid, f->piid.data, f->piid.len, &slot, NULL)))
            return rc;
        s->next_piid[idx] = slot->u64 ? slot->u64 - 1 : SIZE_MAX;
        slot->u64 = idx + 1;
        s->next_parent[idx] = SIZE_MAX;
        if (f->parent_piid.len) {
            char pk[200];
            int pl = snprintf(pk, sizeof pk, "%.*s|%.*s", (int)f->parent_agency.len,
                              f->parent_agency.data, (int)f->parent_piid.len, f->parent_piid.data);
            if ((rc = doge_map_upsert(s->by_parent, pk, (size_t)pl, &slot, NULL)))
                return rc;
            s->next_parent[idx] = slot->u64 ? slot->u64 - 1 : SIZE_MAX;
            slot->u64 = idx + 1;
        }
        i = j;
    }
    return DOGE_OK;
}

static void rset_free(rset *s)
{
    free(s->order);
    free(s->aw);
    free(s->next_piid);
    free(s->next_parent);
    doge_map_free(s->by_piid);
    doge_map_free(s->by_parent);
    doge_map_free(s->claimed);
    doge_map_free(s->ceilings);
}

/* ---- one claim ---------------------------------------------------------------- */

static int is_cancel(const doge_spend_txn *t)
{
    if (t->kind == DOGE_SPEND_ASSISTANCE) {
        if (feq(&t->action_type, "D"))
            return 1;
        if (feq(&t->action_type, "C")) {
            for (size_t i = 0; i + 8 <= t->description.len; i++)
                if (strncasecmp(t->description.data + i, "TERMINAT", 8) == 0)
                    return 1;
        }
        return 0;
    }
    return feq(&t->action_type, "E") || feq(&t->action_type, "F") ||
           feq(&t->action_type, "X") || feq(&t->action_type, "N") || feq(&t->action_type, "K");
}

static int same_text(const char *a, const doge_spend_field *b)
{
    char na[256], nb[256];
    size_t la = doge_spend_name_normalize(a, strlen(a), na, sizeof na);
    size_t lb = doge_spend_name_normalize(b->data, b->len, nb, sizeof nb);
    return la && la == lb && memcmp(na, nb, la) == 0;
}

/* The latest value of an award (its last action's current value). */
static int64_t award_value(const award *a) { return a->t[a->n - 1]->current_value; }

static int64_t vehicle_orders(const rset *s, const award *idv)
{
    const doge_spend_txn *f = idv->t[0];
    char pk[200];
    int pl = snprintf(pk, sizeof pk, "%.*s|%.*s", (int)f->sub_agency_code.len,
                      f->sub_agency_code.data, (int)f->piid.len, f->piid.data);
    uint64_t head;
    int64_t sum = 0;
    if (!doge_map_get_u64(s->by_parent, pk, (size_t)pl, &head))
        return 0;
    for (size_t i = head - 1; i != SIZE_MAX; i = s->next_parent[i])
        sum += award_value(&s->aw[i]);
    return sum;
}

static int set_text(doge_spend_receipts *r, const char *s, const char **out)
{
    return doge_arena_strdup(r->arena, s, (char **)out);
}

static int unverifiable(doge_spend_receipts *r, doge_spend_verification *v, unsigned flag,
                        const char *why)
{
    v->status = DOGE_SPEND_UNVERIFIABLE;
    v->flags |= flag;
    return set_text(r, why, &v->evidence);
}

static int verify_one(rset *s, const doge_spend_claim *c, doge_spend_verification *v)
{
    doge_spend_receipts *r = s->r;
    char ev[1200];
    memset(v, 0, sizeof *v);
    v->claim = c;
    v->cancel_date = v->end_date = DOGE_SPEND_NO_DATE;
    /* What the claim names. */
    int have = 0;
    char why[400] = "";
    if (c->link && *c->link) {
        if (doge_spend_link_parse(c->link, &v->ref) == DOGE_OK)
            have = 1;
        else
            snprintf(why, sizeof why, "the link cannot be read: %s", doge_error_last());
    }
    if (!have && c->award_id && *c->award_id &&
        !doge_spend_award_id_placeholder(c->award_id, c->recipient)) {
        memset(&v->ref, 0, sizeof v->ref);
        snprintf(v->ref.piid, sizeof v->ref.piid, "%s", c->award_id);
        v->ref.assistance = c->type == DOGE_SPEND_CLAIM_GRANT;
        have = 1;
    }
    if (have && doge_spend_award_id_placeholder(v->ref.piid, c->recipient)) {
        snprintf(why, sizeof why, "the award id '%s' is a placeholder", v->ref.piid);
        have = 0;
    }
    if (!have) {
        if (!*why)
            snprintf(why, sizeof why, "the award id '%.60s' is a placeholder or malformed",
                     c->award_id ? c->award_id : "");
        return unverifiable(r, v, DOGE_SPEND_F_PLACEHOLDER, why);
    }
    if (c->type == DOGE_SPEND_CLAIM_GRANT)
        v->ref.assistance = 1;
    /* Candidates: awards with that PIID, matching every key part given. */
    size_t cand[64], nc = 0;
    uint64_t head;
    if (doge_map_get_u64(s->by_piid, v->ref.piid, strlen(v->ref.piid), &head)) {
        for (size_t i = head - 1; i != SIZE_MAX && nc < 64; i = s->next_piid[i]) {
            const doge_spend_txn *f = s->aw[i].t[0];
            if ((f->kind == DOGE_SPEND_ASSISTANCE) != (v->ref.assistance != 0))
                continue;
            if (v->ref.agency[0]) {
                if (!feq(&f->sub_agency_code, v->ref.agency))
                    continue;
                if (!feq(&f->parent_piid, v->ref.parent_piid) ||
                    !feq(&f->parent_agency, v->ref.parent_agency))
                    continue;
            }
            cand[nc++] = i;
        }
    }
    if (nc == 0) {
        v->status = DOGE_SPEND_NOT_FOUND;
        v->flags |= DOGE_SPEND_F_NOT_FOUND;
        snprintf(ev, sizeof ev, "no %s award %s%s%s in the award files",
                 v->ref.assistance ? "assistance" : "contract", v->ref.piid,
                 v->ref.agency[0] ? " of agency " : "", v->ref.agency);
        return set_text(r, ev, &v->evidence);
    }
    if (nc > 1) {
        /* A PIID in several agencies: the claim's agency, then recipient. */
        size_t keep[64], nk = 0;
        for (size_t i = 0; i < nc; i++)
            if (c->agency && *c->agency && same_text(c->agency, &s->aw[cand[i]].t[0]->agency_name))
                keep[nk++] = cand[i];
        if (nk != 1) {
            size_t from = nk ? nk : nc;
            size_t *src = nk ? keep : cand;
            size_t nk2 = 0;
            for (size_t i = 0; i < from; i++)
                if (c->recipient && *c->recipient &&
                    same_text(c->recipient, &s->aw[src[i]].t[0]->recipient_name))
                    keep[nk2++] = src[i];
            nk = nk2;
        }
        if (nk != 1) {
            int n = snprintf(ev, sizeof ev, "PIID %s names %zu awards (", v->ref.piid, nc);
            for (size_t i = 0; i < nc && i < 4 && n < (int)sizeof ev - 200; i++)
                n += snprintf(ev + n, sizeof ev - (size_t)n, "%s%s", i ? ", " : "",
                              s->aw[cand[i]].key);
            snprintf(ev + n, sizeof ev - (size_t)n,
                     ") and the claim's agency and recipient do not single one out");
            return unverifiable(r, v, DOGE_SPEND_F_AMBIGUOUS, ev);
        }
        cand[0] = keep[0];
    }
    const award *a = &s->aw[cand[0]];
    v->award_key = a->key;
    const doge_spend_txn *first = a->t[0], *last = a->t[a->n - 1];
    char *an;
    int rc;
    if ((rc = doge_arena_strndup(r->arena, first->agency_name.data, first->agency_name.len, &an)))
        return rc;
    v->record_agency = an;
    /* Claimed before? */
    doge_map_value *slot;
    int inserted;
    if ((rc = doge_map_upsert(s->claimed, a->key, strlen(a->key), &slot, &inserted)))
        return rc;
    size_t first_claim = inserted ? c->index : (size_t)slot->u64 - 1;
    if (inserted)
        slot->u64 = c->index + 1;
    else
        v->flags |= DOGE_SPEND_F_DUPLICATE;
    /* The cancelling action and the latest modification before it. */
    size_t ci = a->n;
    for (size_t i = 0; i < a->n; i++)
        if (is_cancel(a->t[i])) {
            ci = i;
            break;
        }
    const doge_spend_txn *pre = ci == a->n ? last : ci > 0 ? a->t[ci - 1] : a->t[ci];
    int64_t after = 0, deob = 0;
    for (size_t i = ci; i < a->n; i++) {
        after += a->t[i]->obligation;
        if (a->t[i]->obligation < 0)
            deob -= a->t[i]->obligation;
    }
    int64_t total = last->total_obligated;
    v->obligated = ci == a->n ? total : total - after;
    if (ci == a->n)
        deob = 0;
    v->deobligated = deob;
    if (first->kind == DOGE_SPEND_CONTRACTS) {
        v->value = pre->current_value;
        v->potential = pre->potential_value;
    } else {
        /* A grant's value: the most it had obligated before the
         * cancellation (its prior years' obligations included). */
        int64_t sum = 0;
        for (size_t i = 0; i < a->n; i++)
            sum += a->t[i]->obligation;
        int64_t run = total - sum, peak = run;
        for (size_t i = 0; i < ci; i++) {
            run += a->t[i]->obligation;
            peak = run > peak ? run : peak;
        }
        v->value = peak;
        v->potential = peak;
    }
    if (ci < a->n)
        v->cancel_date = a->t[ci]->action_date;
    v->end_date = pre->pop_end;
    v->unexercised = v->potential > v->value ? v->potential - v->value : 0;
    if (a->idv) {
        v->flags |= DOGE_SPEND_F_VEHICLE;
        int64_t orders = vehicle_orders(s, a);
        int shared_first = 1;
        if (feq(&first->multiple, "M") && first->solicitation.len) {
            char sk[300];
            int sl = snprintf(sk, sizeof sk, "%.*s|%.*s|%lld", (int)first->sub_agency_code.len,
                              first->sub_agency_code.data, (int)first->solicitation.len,
                              first->solicitation.data, (long long)v->potential);
            if ((rc = doge_map_upsert(s->ceilings, sk, (size_t)sl, &slot, &inserted)))
                return rc;
            if (inserted) {
                slot->u64 = c->index + 1;
                /* Orders under every award of the shared vehicle. */
                orders = 0;
                for (size_t i = 0; i < s->naw; i++) {
                    const doge_spend_txn *g = s->aw[i].t[0];
                    if (s->aw[i].idv && feq(&g->multiple, "M") &&
                        fcmp(&g->solicitation, &first->solicitation) == 0 &&
                        fcmp(&g->sub_agency_code, &first->sub_agency_code) == 0 &&
                        s->aw[i].t[s->aw[i].n - 1]->potential_value == v->potential)
                        orders += vehicle_orders(s, &s->aw[i]);
                }
            } else {
                shared_first = 0;
                v->flags |= DOGE_SPEND_F_SHARED_CEILING;
            }
        }
        v->never_ordered = shared_first && v->potential > orders ? v->potential - orders : 0;
        v->unexercised = 0;
    } else {
        v->never_ordered = v->value > v->obligated ? v->value - v->obligated : 0;
    }
    int64_t kept_obligated = v->obligated - deob;
    v->left = v->value > kept_obligated ? v->value - kept_obligated : 0;
    int32_t when = c->date != DOGE_SPEND_NO_DATE ? c->date : v->cancel_date;
    int64_t cap = deob;
    int64_t compare_value = v->value;
    if (c->type == DOGE_SPEND_CLAIM_LEASE) {
        int32_t term = pre->pop_end != DOGE_SPEND_NO_DATE && first->pop_start != DOGE_SPEND_NO_DATE
                           ? pre->pop_end - first->pop_start
                           : 0;
        v->annual = term > 0 ? v->value * 365 / term : v->value;
        int32_t days = pre->pop_end != DOGE_SPEND_NO_DATE && when != DOGE_SPEND_NO_DATE
                           ? pre->pop_end - when
                           : 0;
        if (days < 0)
            days = 0;
        v->left = v->annual * days / 365;
        cap = v->left;
        compare_value = v->annual;
        if (c->savings > v->left)
            v->flags |= DOGE_SPEND_F_LEASE_TERM;
    }
    if (ci == a->n)
        v->flags |= DOGE_SPEND_F_NOT_CANCELLED;
    if (v->end_date != DOGE_SPEND_NO_DATE && when != DOGE_SPEND_NO_DATE && v->end_date < when)
        v->flags |= DOGE_SPEND_F_ENDED_BEFORE;
    if (c->savings > v->value)
        v->flags |= DOGE_SPEND_F_ABOVE_VALUE;
    if (c->savings > v->left)
        v->flags |= DOGE_SPEND_F_ABOVE_REMAINING;
    if (c->value > 0 && compare_value > 0) {
        double ratio = (double)c->value / (double)compare_value;
        if ((ratio >= 500 && ratio <= 2000) || (ratio <= 1.0 / 500 && ratio >= 1.0 / 2000))
            v->flags |= DOGE_SPEND_F_OFF_BY_1000;
    }
    int64_t verified = c->savings < cap ? c->savings : cap;
    if (v->flags & (DOGE_SPEND_F_NOT_CANCELLED | DOGE_SPEND_F_ENDED_BEFORE | DOGE_SPEND_F_DUPLICATE))
        verified = 0;
    if (verified > v->value)
        verified = v->value;
    if (verified < 0)
        verified = 0;
    v->verified = verified;
    v->status = verified > 0 && verified == c->savings ? DOGE_SPEND_VERIFIED
                : verified > 0                         ? DOGE_SPEND_OVERSTATED
                                                       : DOGE_SPEND_UNSUPPORTED;
    /* The evidence line. */
    char m[6][DOGE_MONEY_STRLEN], d1[16], d2[16];
    int n = 0;
    if (v->flags & DOGE_SPEND_F_DUPLICATE)
        n += snprintf(ev + n, sizeof ev - (size_t)n, "already claimed by %s; ",
                      r->claims[first_claim].id);
    if (ci < a->n)
        n += snprintf(ev + n, sizeof ev - (size_t)n, "%s (action %.*s, modification %.*s) on %s",
                      a->t[ci]->kind == DOGE_SPEND_CONTRACTS && feq(&a->t[ci]->action_type, "K")
                          ? "closed out"
                          : "terminated",
                      (int)a->t[ci]->action_type.len, a->t[ci]->action_type.data,
                      (int)a->t[ci]->mod.len, a->t[ci]->mod.data,
                      doge__spend_day(v->cancel_date, d1));
    else
        n += snprintf(ev + n, sizeof ev - (size_t)n,
                      "no termination or close-out on the record (latest action %s)",
                      doge__spend_day(last->action_date, d1));
    n += snprintf(ev + n, sizeof ev - (size_t)n, "; period of performance ends %s",
                  doge__spend_day(v->end_date, d2));
    if (c->type == DOGE_SPEND_CLAIM_LEASE)
        n += snprintf(ev + n, sizeof ev - (size_t)n, "; annual rent %s, rent left %s",
                      doge__spend_usd(v->annual, m[0]), doge__spend_usd(v->left, m[1]));
    n += snprintf(ev + n, sizeof ev - (size_t)n,
                  "; value %s (modification %.*s), de-obligated %s, unexercised options %s, "
                  "never ordered or obligated %s; claimed %s, verified %s",
                  doge__spend_usd(v->value, m[0]), (int)pre->mod.len, pre->mod.data,
                  doge__spend_usd(v->deobligated, m[1]), doge__spend_usd(v->unexercised, m[2]),
                  doge__spend_usd(v->never_ordered, m[3]), doge__spend_usd(c->savings, m[4]),
                  doge__spend_usd(v->verified, m[5]));
    return set_text(r, ev, &v->evidence);
}

/* ---- totals ---------------------------------------------------------------------- */

static int agency_cmp(const void *pa, const void *pb)
{
    const doge_spend_receipt_agency *a = pa, *b = pb;
    return strcmp(a->agency, b->agency);
}

static int totals(doge_spend_receipts *r)
{
    free(r->agencies);
    r->agencies = calloc(r->n ? r->n : 1, sizeof *r->agencies);
    r->nagencies = 0;
    if (!r->agencies)
        return doge__error_oom();
    doge_map *idx;
    int rc = doge_map_new(&idx, 0, 0);
    if (rc)
        return rc;
    for (size_t i = 0; i < r->nresults && rc == DOGE_OK; i++) {
        const doge_spend_verification *v = &r->results[i];
        const char *ag = v->claim->agency && *v->claim->agency ? v->claim->agency : "(none)";
        doge_map_value *slot;
        int inserted;
        if ((rc = doge_map_upsert(idx, ag, strlen(ag), &slot, &inserted)))
            break;
        if (inserted) {
            slot->u64 = r->nagencies++;
            r->agencies[slot->u64].agency = ag;
        }
        doge_spend_receipt_agency *t = &r->agencies[slot->u64];
        t->claims++;
        t->claimed += v->claim->savings;
        t->verified += v->verified;
        t->verified_claims += v->status == DOGE_SPEND_VERIFIED;
        t->deobligated += v->deobligated;
        t->unexercised += v->unexercised;
        t->never_ordered += v->never_ordered;
    }
    doge_map_free(idx);
    if (rc == DOGE_OK && r->nagencies > 1)
        qsort(r->agencies, r->nagencies, sizeof *r->agencies, agency_cmp);
    return rc;
}

int doge_spend_receipts_verify_txns(doge_spend_receipts *r, const doge_spend_txn *txns, size_t n)
{
    rset s;
    memset(&s, 0, sizeof s);
    s.r = r;
    free(r->results);
    r->nresults = 0;
    r->results = calloc(r->n ? r->n : 1, sizeof *r->results);
    int rc = r->results ? index_awards(&s, txns, n) : doge__error_oom();
    for (size_t i = 0; i < r->n && rc == DOGE_OK; i++) {
        rc = verify_one(&s, &r->claims[i], &r->results[i]);
        if (rc == DOGE_OK)
            r->nresults++;
    }
    rset_free(&s);
    if (rc == DOGE_OK)
        rc = totals(r);
    return rc;
}

int doge_spend_receipts_verify(doge_spend_receipts *r, const char *const *files, size_t nfiles,
                               const doge_spend_audit_opts *o)
{
    vctx c;
    memset(&c, 0, sizeof c);
    unsigned threads = o && o->threads ? o->threads : 1;
    if (threads > 64)
        threads = 64;
    c.nth = threads;
    c.th = calloc(threads, sizeof *c.th);
    int rc = c.th ? doge_map_new(&c.wanted, 0, 0) : doge__error_oom();
    for (unsigned i = 0; i < threads && rc == DOGE_OK; i++)
        rc = doge_arena_new(&c.th[i].arena, (size_t)1 << 20, 0);
    /* Every PIID or FAIN a claim names (the link's, else its id). */
    for (size_t i = 0; i < r->n && rc == DOGE_OK; i++) {
        const doge_spend_claim *cl = &r->claims[i];
        doge_spend_award_ref ref;
        if (cl->link && *cl->link && doge_spend_link_parse(cl->link, &ref) == DOGE_OK)
            rc = doge_map_put(c.wanted, ref.piid, strlen(ref.piid), NULL);
        if (rc == DOGE_OK && cl->award_id && *cl->award_id)
            rc = doge_map_put(c.wanted, cl->award_id, strlen(cl->award_id), NULL);
    }
    doge_error_clear();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t f = 0; f < nfiles && rc == DOGE_OK; f++) {
        doge__spend_scan sc;
        memset(&sc, 0, sizeof sc);
        sc.threads = threads;
        sc.strict = o ? o->strict : 0;
        sc.on_diag = o ? o->on_diag : NULL;
        sc.diag_ctx = o ? o->diag_ctx : NULL;
        sc.on_txn = on_txn;
        sc.filter = filter;
        sc.ctx = &c;
        sc.progress = o ? o->progress : 0;
        sc.no_progress = o ? o->no_progress : 1;
        sc.label = "receipts";
        /* Not read: transaction key, agency code, office, UEI, competition,
         * the parent's multiple-award code. */
        sc.skip = 1u << 0 | 1u << 13 | 1u << 16 | 1u << 17 | 1u << 20 | 1u << 24;
        doge__spend_scan_stats st;
        rc = doge__spend_scan_file(files[f], &sc, &st);
        r->files++;
        r->bytes += st.bytes;
        for (unsigned i = 0; rc && i < threads; i++)
            if (c.th[i].failed)
                rc = doge__error_set(c.th[i].errcode, "%s: %s", files[f], c.th[i].errmsg);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    doge_spend_txn *all = NULL;
    size_t total = 0;
    for (unsigned i = 0; i < threads && rc == DOGE_OK; i++)
        total += c.th[i].n;
    if (rc == DOGE_OK) {
        all = malloc((total ? total : 1) * sizeof *all);
        if (!all)
            rc = doge__error_oom();
    }
    size_t k = 0;
    for (unsigned i = 0; i < threads && rc == DOGE_OK; i++) {
        if (c.th[i].n)
            memcpy(all + k, c.th[i].v, c.th[i].n * sizeof *all);
        k += c.th[i].n;
    }
    r->rows_kept = total;
    if (rc == DOGE_OK)
        rc = doge_spend_receipts_verify_txns(r, all, total);
    free(all);
    /* The results point into the claims and the receipts arena only; the
     * kept rows can go (keys were copied). */
    for (unsigned i = 0; c.th && i < threads; i++) {
        doge_arena_free(c.th[i].arena);
        free(c.th[i].v);
    }
    free(c.th);
    doge_map_free(c.wanted);
    return rc;
}

size_t doge_spend_receipts_results(const doge_spend_receipts *r,
                                   const doge_spend_verification **out)
{
    *out = r->results;
    return r->nresults;
}

size_t doge_spend_receipts_agencies(const doge_spend_receipts *r,
                                    const doge_spend_receipt_agency **out)
{
    *out = r->agencies;
    return r->nagencies;
}

static const char *const status_names[] = {NULL, "verified", "overstated", "unsupported",
                                           "not_found", "unverifiable"};

const char *doge_spend_status_name(int status)
{
    return status >= 1 && status <= 5 ? status_names[status] : NULL;
}

static const char *const flag_names[DOGE_SPEND_FLAGS] = {
    "placeholder_id",   "ambiguous",      "not_found",     "above_remaining",
    "above_value",      "ended_before",   "duplicate",     "off_by_1000",
    "not_cancelled",    "lease_term",     "vehicle_ceiling", "shared_ceiling"};

const char *doge_spend_flag_name(unsigned bit)
{
    return bit < DOGE_SPEND_FLAGS ? flag_names[bit] : NULL;
}

void doge_spend_flags_format(unsigned flags, char *out, size_t cap)
{
    size_t n = 0;
    if (cap)
        out[0] = '\0';
    for (unsigned b = 0; b < DOGE_SPEND_FLAGS; b++)
        if (flags & (1u << b)) {
            int w = snprintf(out + n, cap > n ? cap - n : 0, "%s%s", n ? ";" : "", flag_names[b]);
            if (w > 0)
                n += (size_t)w;
            if (n >= cap)
                break;
        }
}
