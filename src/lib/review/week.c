/*
 * week.c — reviews one week: loads every accepted reply (the latest of each
 * employee) with its department and policy flags, classifies each bullet on
 * several threads, finds the week's copy-paste clusters, scores each reply
 * (vague, priority, note: score.c) and replaces the week's rows in
 * review_reply and review_cluster in one transaction. Decisions and appeals
 * are not touched: they refer to reply ids, which never change.
 */
#include "internal.h"
#include "pipeline.h"
#include "doge/arena.h"
#include "doge/buf.h"
#include "doge/review_cluster.h"
#include "doge/store.h"

#include <jansson.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct item {
    int64_t id;
    const char *employee;
    const char *dept;
    const char *flags;
    char *text;        /* bullets joined by '\n' (arena) */
    size_t len;
    doge__review_reply r;
    char *bullets;     /* [[category, confidence, specificity, features]...] (malloc) */
    int64_t cluster_id; /* 0: in no cluster */
} item;

typedef struct week_job {
    const doge_review_model *model;
    item *items;
    size_t n;
    size_t next;       /* next chunk to take */
    pthread_mutex_t mu;
    int rc;
    char err[256];
} week_job;

static int classify_one(const doge_review_model *m, item *it)
{
    doge_buf b;
    doge_buf_init(&b, (size_t)1 << 20);
    int rc = doge_buf_append_str(&b, "[");
    double spec = 0;
    const char *p = it->text, *end = it->text + it->len;
    int nb = 0;
    while (rc == DOGE_OK && p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            e = end;
        doge_review_result res;
        if ((rc = doge_review_classify(m, p, (size_t)(e - p), &res)))
            break;
        it->r.cat_count[res.category]++;
        if (res.specificity < DOGE__REVIEW_VAGUE_SPEC || res.category == DOGE_REVIEW_UNSPECIFIED)
            it->r.vague_bullets++;
        spec += res.specificity;
        char one[96];
        snprintf(one, sizeof one, "%s[%d,%d,%d,%u]", nb ? "," : "", res.category,
                 (int)(res.confidence * 1000 + 0.5f), (int)(res.specificity * 1000 + 0.5f),
                 (unsigned)res.spec_features);
        rc = doge_buf_append_str(&b, one);
        nb++;
        p = e + 1;
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append_char(&b, ']');
    if (rc == DOGE_OK)
        rc = doge_buf_detach(&b, &it->bullets, NULL);
    doge_buf_dispose(&b);
    if (rc)
        return rc;
    it->r.bullet_count = nb;
    it->r.specificity = nb ? spec / nb : 0;
    return DOGE_OK;
}

static void *classify_main(void *arg)
{
    week_job *j = arg;
    for (;;) {
        pthread_mutex_lock(&j->mu);
        size_t from = j->next, stop = j->rc != DOGE_OK;
        j->next += 1024;
        pthread_mutex_unlock(&j->mu);
        if (stop || from >= j->n)
            return NULL;
        size_t to = from + 1024 < j->n ? from + 1024 : j->n;
        for (size_t i = from; i < to; i++) {
            int rc = classify_one(j->model, &j->items[i]);
            if (rc) {
                pthread_mutex_lock(&j->mu);
                if (j->rc == DOGE_OK) {
                    j->rc = rc;
                    snprintf(j->err, sizeof j->err, "%s", doge_error_last());
                }
                pthread_mutex_unlock(&j->mu);
                return NULL;
            }
        }
    }
}

static int classify_all(const doge_review_model *m, item *items, size_t n, unsigned threads)
{
    week_job j = {.model = m, .items = items, .n = n};
    pthread_mutex_init(&j.mu, NULL);
    pthread_t tid[64];
    unsigned started = 0;
    for (unsigned t = 1; t < threads && t < 64; t++)
        if (pthread_create(&tid[started], NULL, classify_main, &j) == 0)
            started++;
    classify_main(&j);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&j.mu);
    if (j.rc)
        return doge__error_set(j.rc, "%s", j.err);
    return DOGE_OK;
}

/* Loads the week's current replies into items (arena strings), by id. */
static int load(doge_store *st, const char *week, doge_arena *a, item **out, size_t *n)
{
    doge_stmt *s;
    int rc = doge_store_prepare(
        st, &s,
        "SELECT r.id, r.employee_id, COALESCE(q.department, ''), r.flags, r.bullets"
        " FROM pulse_reply r LEFT JOIN pulse_request q"
        " ON q.week = r.week AND q.employee_id = r.employee_id"
        " WHERE r.week = ? AND r.kind = 'reply' AND r.superseded = 0 ORDER BY r.id");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, week, -1);
    item *items = NULL;
    size_t cap = 0, len = 0;
    doge_buf text;
    doge_buf_init(&text, (size_t)1 << 24);
    while ((rc = doge_stmt_step(s)) == 1) {
        if (len == cap) {
            size_t nc = cap ? cap * 2 : 4096;
            item *ni = realloc(items, nc * sizeof *ni);
            if (!ni) {
                rc = doge__error_oom();
                break;
            }
            items = ni;
            cap = nc;
        }
        item *it = &items[len];
        memset(it, 0, sizeof *it);
        it->id = doge_stmt_int64(s, 0);
        char *emp, *dept, *flags;
        if ((rc = doge_arena_strdup(a, doge_stmt_text(s, 1), &emp)) ||
            (rc = doge_arena_strdup(a, doge_stmt_text(s, 2), &dept)) ||
            (rc = doge_arena_strdup(a, doge_stmt_text(s, 3), &flags)))
            break;
        it->employee = emp;
        it->dept = dept;
        it->flags = flags;
        it->r.id = it->id;
        it->r.flags = flags;
        json_error_t jerr;
        json_t *arr = json_loads(doge_stmt_text(s, 4), 0, &jerr);
        if (!json_is_array(arr)) {
            json_decref(arr);
            rc = doge__error_set(DOGE_EINVAL, "reply %lld: its stored bullets are not a JSON array",
                                 (long long)it->id);
            break;
        }
        doge_buf_reset(&text);
        size_t k;
        json_t *v;
        json_array_foreach(arr, k, v) {
            const char *t = json_string_value(v);
            if (!t)
                continue;
            if (text.len)
                rc = doge_buf_append(&text, "\n", 1);
            size_t at = text.len;
            if (rc == DOGE_OK)
                rc = doge_buf_append_str(&text, t);
            for (size_t c = at; rc == DOGE_OK && c < text.len; c++)
                if (text.data[c] == '\n' || text.data[c] == '\r')
                    text.data[c] = ' ';
            if (rc)
                break;
        }
        json_decref(arr);
        if (rc)
            break;
        char *copy;
        if ((rc = doge_arena_strndup(a, text.len ? (const char *)text.data : "", text.len, &copy)))
            break;
        it->text = copy;
        it->len = text.len;
        len++;
    }
    doge_buf_dispose(&text);
    doge_stmt_free(s);
    if (rc < 0) {
        free(items);
        return rc;
    }
    *out = items;
    *n = len;
    return DOGE_OK;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = ((const item *)b)->id;
    return x < y ? -1 : x > y;
}

static int model_id(doge_workspace *ws, char out[17])
{
    char path[4096];
    char *data;
    size_t len;
    int rc = doge__review_model_path(ws, path, sizeof path);
    if (rc || (rc = doge__file_read(path, (size_t)64 << 20, &data, &len)))
        return rc;
    unsigned char h[32];
    SHA256((const unsigned char *)data, len, h);
    free(data);
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
    return DOGE_OK;
}

/* Clusters the week and writes them; marks each member item. */
static int cluster(doge_store *st, const char *week, item *items, size_t n, unsigned threads,
                   double threshold, doge_review_run_stats *stats)
{
    doge_review_dedup_opts o = {.threads = threads, .threshold = threshold};
    doge_review_dedup *d;
    int rc = doge_review_dedup_new(&d, &o);
    for (size_t i = 0; rc == DOGE_OK && i < n; i++)
        rc = doge_review_dedup_add(d, items[i].id, items[i].dept, items[i].text, items[i].len);
    if (rc == DOGE_OK)
        rc = doge_review_dedup_run(d);
    doge_stmt *ins = NULL;
    if (rc == DOGE_OK)
        rc = doge_store_prepare(st, &ins,
                                "INSERT INTO review_cluster (week, cluster_id, size, exact,"
                                " departments, min_jaccard, representative, text)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    size_t nc = rc == DOGE_OK ? doge_review_dedup_count(d) : 0;
    for (size_t c = 0; rc == DOGE_OK && c < nc; c++) {
        doge_review_cluster cl;
        if ((rc = doge_review_dedup_cluster(d, c, &cl)))
            break;
        json_t *deps = json_array();
        for (size_t g = 0; g < cl.ngroups; g++)
            json_array_append_new(deps, json_string(cl.groups[g]));
        char *dj = json_dumps(deps, JSON_COMPACT);
        json_decref(deps);
        if (!dj) {
            rc = doge__error_oom();
            break;
        }
        doge_stmt_reset(ins);
        doge_stmt_bind_text(ins, 1, week, -1);
        doge_stmt_bind_int64(ins, 2, (int64_t)c + 1);
        doge_stmt_bind_int64(ins, 3, (int64_t)cl.size);
        doge_stmt_bind_int64(ins, 4, (int64_t)cl.exact);
        doge_stmt_bind_text(ins, 5, dj, -1);
        doge_stmt_bind_int64(ins, 6, (int64_t)(cl.min_jaccard * 1000 + 0.5));
        doge_stmt_bind_int64(ins, 7, cl.representative);
        doge_stmt_bind_text(ins, 8, cl.text, -1);
        rc = doge_stmt_step(ins);
        free(dj);
        if (rc < 0)
            break;
        rc = DOGE_OK;
        for (size_t k = 0; k < cl.size; k++) {
            item *it = bsearch(&cl.ids[k], items, n, sizeof *items, cmp_id);
            if (!it)
                continue;
            it->cluster_id = (int64_t)c + 1;
            it->r.cluster_size = (int64_t)cl.size;
            it->r.cluster_groups = cl.ngroups;
            it->r.duplicate_of = cl.ids[k] == cl.representative ? 0 : cl.representative;
            stats->clustered++;
        }
        stats->clusters++;
    }
    doge_stmt_free(ins);
    doge_review_dedup_free(d);
    return rc;
}

static int write_replies(doge_store *st, const char *week, const item *items, size_t n,
                         const char *model, doge_review_run_stats *stats)
{
    doge_stmt *ins;
    int rc = doge_store_prepare(
        st, &ins,
        "INSERT INTO review_reply (reply_id, week, employee_id, department, bullet_count, vague,"
        " specificity, top_category, bullets, cluster_id, duplicate_of, flags, priority, note,"
        " model, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (rc)
        return rc;
    int64_t now = (int64_t)time(NULL);
    double spec_sum = 0;
    for (size_t i = 0; rc == DOGE_OK && i < n; i++) {
        const item *it = &items[i];
        const doge__review_reply *r = &it->r;
        int vague = doge__review_is_vague(r), prio = doge__review_priority(r);
        int top = DOGE_REVIEW_UNSPECIFIED;
        for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++) {
            stats->by_category[c] += r->cat_count[c];
            if (r->cat_count[c] > r->cat_count[top] ||
                (r->cat_count[c] == r->cat_count[top] && r->cat_count[c] && c < top))
                top = c;
        }
        char note[512];
        doge__review_note(r, note, sizeof note);
        doge_stmt_reset(ins);
        doge_stmt_bind_int64(ins, 1, it->id);
        doge_stmt_bind_text(ins, 2, week, -1);
        doge_stmt_bind_text(ins, 3, it->employee, -1);
        doge_stmt_bind_text(ins, 4, it->dept, -1);
        doge_stmt_bind_int64(ins, 5, r->bullet_count);
        doge_stmt_bind_int64(ins, 6, vague);
        doge_stmt_bind_int64(ins, 7, (int64_t)(r->specificity * 1000 + 0.5));
        doge_stmt_bind_text(ins, 8, doge_review_category_name(top), -1);
        doge_stmt_bind_text(ins, 9, it->bullets ? it->bullets : "[]", -1);
        if (it->cluster_id)
            doge_stmt_bind_int64(ins, 10, it->cluster_id);
        else
            doge_stmt_bind_null(ins, 10);
        if (r->duplicate_of)
            doge_stmt_bind_int64(ins, 11, r->duplicate_of);
        else
            doge_stmt_bind_null(ins, 11);
        doge_stmt_bind_text(ins, 12, it->flags, -1);
        doge_stmt_bind_int64(ins, 13, prio);
        doge_stmt_bind_text(ins, 14, note, -1);
        doge_stmt_bind_text(ins, 15, model, -1);
        doge_stmt_bind_int64(ins, 16, now);
        rc = doge_stmt_step(ins);
        if (rc >= 0)
            rc = DOGE_OK;
        stats->bullets += r->bullet_count;
        spec_sum += r->specificity * r->bullet_count;
        stats->vague += vague;
        stats->queued += prio > 0;
    }
    doge_stmt_free(ins);
    stats->replies = (int64_t)n;
    stats->specificity = stats->bullets ? spec_sum / (double)stats->bullets : 0;
    return rc;
}

int doge_review_week(doge_workspace *ws, const char *week, const doge_review_run_opts *opts,
                     doge_review_run_stats *stats)
{
    doge_review_run_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    doge_store *st = doge_workspace_store(ws);
    int64_t exists = 0;
    int rc = doge_store_query_int64(st, "SELECT COUNT(*) FROM pulse_campaign WHERE week = ?",
                                    week, &exists);
    if (rc)
        return rc;
    if (!exists)
        return doge__error_set(DOGE_ENOTFOUND, "no campaign for %s", week);
    unsigned threads = opts && opts->threads ? opts->threads : 0;
    if (!threads) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        threads = c > 0 ? (unsigned)c : 1;
    }
    double threshold = opts && opts->threshold > 0 ? opts->threshold : 0.8;

    doge_review_model *m = NULL;
    if ((rc = doge_review_workspace_model(ws, &m, &stats->model_trained)))
        return rc;
    char model[17];
    if ((rc = model_id(ws, model))) {
        doge_review_model_free(m);
        return rc;
    }
    doge_arena *a;
    if ((rc = doge_arena_new(&a, (size_t)1 << 20, 0))) {
        doge_review_model_free(m);
        return rc;
    }
    item *items = NULL;
    size_t n = 0;
    if ((rc = load(st, week, a, &items, &n)) == DOGE_OK &&
        (rc = classify_all(m, items, n, threads)) == DOGE_OK &&
        (rc = doge_store_begin(st)) == DOGE_OK) {
        doge_stmt *del;
        static const char *const dels[] = {"DELETE FROM review_reply WHERE week = ?",
                                           "DELETE FROM review_cluster WHERE week = ?"};
        for (size_t k = 0; rc == DOGE_OK && k < 2; k++) {
            if ((rc = doge_store_prepare(st, &del, dels[k])))
                break;
            doge_stmt_bind_text(del, 1, week, -1);
            rc = doge_stmt_step(del);
            rc = rc < 0 ? rc : DOGE_OK;
            doge_stmt_free(del);
        }
        if (rc == DOGE_OK)
            rc = cluster(st, week, items, n, threads, threshold, stats);
        if (rc == DOGE_OK)
            rc = write_replies(st, week, items, n, model, stats);
        if (rc == DOGE_OK)
            rc = doge_store_commit(st);
        else
            doge_store_rollback(st);
    }
    for (size_t i = 0; i < n; i++)
        free(items[i].bullets);
    free(items);
    doge_arena_free(a);
    doge_review_model_free(m);
    if (rc)
        doge__error_prefix("review of %s", week);
    return rc;
}
