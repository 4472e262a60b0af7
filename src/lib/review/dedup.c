/*
 * dedup.c — the doge_review_dedup object of doge/review_cluster.h: options
 * checked and defaulted, documents copied in as given (one arena for texts
 * and labels, group labels interned to small indices), and the read side
 * (clusters, statistics). The work itself is in run.c.
 */
#include "cluster_internal.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The longest text add accepts: far beyond any reply's bullets. */
#define MAX_TEXT ((size_t)16 << 20)
/* The most documents: indices are 32-bit. */
#define MAX_DOCS ((size_t)UINT32_MAX - 1)

static int check_opts(doge_review_dedup_opts *o)
{
    if (!o->hashes)
        o->hashes = 128;
    if (!o->bands)
        o->bands = o->hashes >= 32 ? 32 : o->hashes;
    if (!o->shingle)
        o->shingle = 3;
    if (o->threshold == 0)
        o->threshold = 0.8;
    if (!o->seed)
        o->seed = 1;
    if (!o->threads)
        o->threads = 1;
    if (!o->min_words)
        o->min_words = 6;
    if (o->hashes > 4096)
        return doge__error_set(DOGE_EINVAL, "review dedup: hashes %u is more than 4096", o->hashes);
    if (o->hashes % o->bands)
        return doge__error_set(DOGE_EINVAL,
                               "review dedup: hashes (%u) must be a multiple of bands (%u)",
                               o->hashes, o->bands);
    if (o->shingle > 16)
        return doge__error_set(DOGE_EINVAL, "review dedup: shingle %u is more than 16 words",
                               o->shingle);
    if (!(o->threshold > 0 && o->threshold <= 1) || isnan(o->threshold))
        return doge__error_set(DOGE_EINVAL, "review dedup: threshold %g is not in (0, 1]",
                               o->threshold);
    if (o->threads > 256)
        return doge__error_set(DOGE_EINVAL, "review dedup: threads %u is more than 256",
                               o->threads);
    return DOGE_OK;
}

int doge_review_dedup_new(doge_review_dedup **out, const doge_review_dedup_opts *opts)
{
    *out = NULL;
    doge_review_dedup_opts o;
    if (opts)
        o = *opts;
    else
        memset(&o, 0, sizeof o);
    int rc = check_opts(&o);
    if (rc)
        return rc;
    doge_review_dedup *d = calloc(1, sizeof *d);
    if (!d)
        return doge__error_oom();
    d->o = o;
    if ((rc = doge_arena_new(&d->mem, (size_t)4 << 20, SIZE_MAX / 2)) ||
        (rc = doge_map_new(&d->group_index, 0, 0))) {
        doge_review_dedup_free(d);
        return rc;
    }
    *out = d;
    return DOGE_OK;
}

void doge_review_dedup_free(doge_review_dedup *d)
{
    if (!d)
        return;
    doge_arena_free(d->mem);
    doge_map_free(d->group_index);
    free(d->group_names);
    free(d->docs);
    free(d->clusters);
    free(d);
}

static int intern_group(doge_review_dedup *d, const char *group, uint32_t *out)
{
    if (!group)
        group = "";
    size_t len = strlen(group);
    uint64_t v;
    if (doge_map_get_u64(d->group_index, group, len, &v)) {
        *out = (uint32_t)v;
        return DOGE_OK;
    }
    if (d->ngroups == d->group_cap) {
        size_t cap = d->group_cap ? d->group_cap * 2 : 64;
        const char **g = realloc(d->group_names, cap * sizeof *g);
        if (!g)
            return doge__error_oom();
        d->group_names = g;
        d->group_cap = cap;
    }
    char *copy;
    int rc = doge_arena_strdup(d->mem, group, &copy);
    if (rc == DOGE_OK)
        rc = doge_map_put_u64(d->group_index, group, len, d->ngroups);
    if (rc)
        return rc;
    d->group_names[d->ngroups] = copy;
    *out = (uint32_t)d->ngroups++;
    return DOGE_OK;
}

int doge_review_dedup_add(doge_review_dedup *d, int64_t id, const char *group, const char *text,
                          size_t len)
{
    if (d->ran)
        return doge__error_set(DOGE_EINVAL, "review dedup: add after run");
    if (!text && len)
        return doge__error_set(DOGE_EINVAL, "review dedup: document %lld has no text",
                               (long long)id);
    if (len > MAX_TEXT)
        return doge__error_set(DOGE_ELIMIT, "review dedup: document %lld is %zu bytes (at most %zu)",
                               (long long)id, len, MAX_TEXT);
    if (d->n >= MAX_DOCS)
        return doge__error_set(DOGE_ELIMIT, "review dedup: more than %zu documents", MAX_DOCS);
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 1024;
        doge__review_doc *nd = realloc(d->docs, cap * sizeof *nd);
        if (!nd)
            return doge__error_oom();
        d->docs = nd;
        d->cap = cap;
    }
    uint32_t g = 0;
    int rc = intern_group(d, group, &g);
    if (rc)
        return rc;
    void *copy;
    if ((rc = doge_arena_alloc(d->mem, len + 1, 1, &copy)))
        return rc;
    if (len)
        memcpy(copy, text, len);
    ((char *)copy)[len] = '\0';
    d->docs[d->n++] = (doge__review_doc){id, copy, (uint32_t)len, g};
    return DOGE_OK;
}

size_t doge_review_dedup_count(const doge_review_dedup *d)
{
    return d ? d->nclusters : 0;
}

int doge_review_dedup_cluster(const doge_review_dedup *d, size_t i, doge_review_cluster *out)
{
    if (!d->ran)
        return doge__error_set(DOGE_EINVAL, "review dedup: run has not been called");
    if (i >= d->nclusters)
        return doge__error_set(DOGE_ERANGE, "review dedup: no cluster %zu (there are %zu)", i,
                               d->nclusters);
    *out = d->clusters[i];
    return DOGE_OK;
}

void doge_review_dedup_get_stats(const doge_review_dedup *d, doge_review_dedup_stats *out)
{
    *out = d->stats;
}
