/*
 * clusters.c — from pairs to clusters: a union-find forest over document
 * indices (the lower index always becomes the root, so the forest does not
 * depend on the order of unions), then each set of two or more documents
 * becomes a cluster: members sorted by id, the member with the lowest id as
 * representative, how many are exact copies of it, the distinct groups
 * (sorted), and the lowest true Jaccard similarity between a member and the
 * representative. Clusters are ordered largest first, then by the
 * representative's id.
 */
#include "cluster_internal.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

uint32_t doge__review_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

void doge__review_union(uint32_t *parent, uint32_t x, uint32_t y)
{
    x = doge__review_find(parent, x);
    y = doge__review_find(parent, y);
    if (x < y)
        parent[y] = x;
    else if (y < x)
        parent[x] = y;
}

/* qsort contexts are not reentrant in C11: members are sorted as (id, index)
 * records instead. */
typedef struct {
    int64_t id;
    uint32_t doc;
} member;

static int cmp_member(const void *a, const void *b)
{
    const member *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->doc < y->doc ? -1 : x->doc > y->doc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct {
    doge_review_cluster c;
    uint32_t rep_doc;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->c.size != y->c.size)
        return x->c.size > y->c.size ? -1 : 1;
    if (x->c.representative != y->c.representative)
        return x->c.representative < y->c.representative ? -1 : 1;
    return x->rep_doc < y->rep_doc ? -1 : x->rep_doc > y->rep_doc;
}

int doge__review_build_clusters(doge_review_dedup *d, doge__review_work *w)
{
    size_t n = d->n;
    int rc = DOGE_OK;
    /* Set sizes at the roots; then a cluster number per root of a set of two
     * or more. */
    uint32_t *count = calloc(n + 1, sizeof *count);
    if (!count)
        return doge__error_oom();
    for (size_t i = 0; i < n; i++)
        if (w->words[i])
            count[doge__review_find(w->parent, (uint32_t)i)]++;
    size_t nc = 0, clustered = 0;
    for (size_t i = 0; i < n; i++)
        if (count[i] >= 2) {
            nc++;
            clustered += count[i];
        }
    size_t *start = calloc(nc + 1, sizeof *start);
    uint32_t *slot = malloc((n + 1) * sizeof *slot); /* root -> cluster number */
    member *mem = malloc((clustered + 1) * sizeof *mem);
    ranked *rk = calloc(nc + 1, sizeof *rk);
    const char **gbuf = malloc((d->ngroups + 1) * sizeof *gbuf);
    uint8_t *gseen = calloc(d->ngroups + 1, 1);
    if (!start || !slot || !mem || !rk || !gbuf || !gseen) {
        rc = doge__error_oom();
        goto done;
    }
    size_t k = 0, pos = 0;
    for (size_t i = 0; i < n; i++)
        if (count[i] >= 2) {
            slot[i] = (uint32_t)k;
            start[k++] = pos;
            pos += count[i];
        }
    start[nc] = pos;
    /* Fill members in index order. */
    size_t *fill = calloc(nc + 1, sizeof *fill);
    if (!fill) {
        rc = doge__error_oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (!w->words[i])
            continue;
        uint32_t r = doge__review_find(w->parent, (uint32_t)i);
        if (count[r] < 2)
            continue;
        uint32_t s = slot[r];
        mem[start[s] + fill[s]++] = (member){d->docs[i].id, (uint32_t)i};
    }
    free(fill);
    for (size_t s = 0; s < nc && rc == DOGE_OK; s++) {
        member *m = mem + start[s];
        size_t size = start[s + 1] - start[s];
        qsort(m, size, sizeof *m, cmp_member);
        uint32_t rep = m[0].doc, rp = w->primary[rep];
        int64_t *ids;
        void *p;
        if ((rc = doge_arena_alloc(d->mem, size * sizeof *ids, 0, &p)))
            break;
        ids = p;
        size_t exact = 0, ng = 0;
        double minj = 1.0;
        for (size_t x = 0; x < size; x++) {
            uint32_t doc = m[x].doc, pr = w->primary[doc];
            ids[x] = m[x].id;
            if (pr == rp) {
                exact++;
            } else {
                double j = doge__review_jaccard(w->sh[pr], w->nsh[pr], w->sh[rp], w->nsh[rp]);
                if (j < minj)
                    minj = j;
            }
            uint32_t g = d->docs[doc].group;
            if (!gseen[g]) {
                gseen[g] = 1;
                gbuf[ng++] = d->group_names[g];
            }
        }
        qsort(gbuf, ng, sizeof *gbuf, cmp_str);
        if ((rc = doge_arena_alloc(d->mem, ng * sizeof *gbuf, 0, &p)))
            break;
        memcpy(p, gbuf, ng * sizeof *gbuf);
        for (size_t x = 0; x < size; x++)
            gseen[d->docs[m[x].doc].group] = 0;
        rk[s].rep_doc = rep;
        rk[s].c = (doge_review_cluster){.size = size,
                                        .ids = ids,
                                        .exact = exact,
                                        .ngroups = ng,
                                        .groups = (const char *const *)p,
                                        .min_jaccard = minj,
                                        .representative = m[0].id,
                                        .text = d->docs[rep].text};
    }
    if (rc == DOGE_OK) {
        qsort(rk, nc, sizeof *rk, cmp_ranked);
        d->clusters = malloc((nc + 1) * sizeof *d->clusters);
        if (!d->clusters) {
            rc = doge__error_oom();
        } else {
            for (size_t s = 0; s < nc; s++)
                d->clusters[s] = rk[s].c;
            d->nclusters = nc;
            d->stats.clusters = nc;
            d->stats.clustered_documents = clustered;
        }
    }
done:
    free(count);
    free(start);
    free(slot);
    free(mem);
    free(rk);
    free(gbuf);
    free(gseen);
    return rc;
}
