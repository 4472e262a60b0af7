/*
 * run.c — doge_review_dedup_run, the steps of copy-paste clustering in
 * order: (1) in parallel, each text normalised, hashed whole and cut into
 * word-shingle hashes; (2) exact duplicates found by sorting the whole-text
 * hashes and confirmed byte for byte on the normalised texts; (3) in
 * parallel, MinHash band signatures and sketches for one document of each
 * exact group that has enough words; (4) candidate pairs from the sorted
 * bands (candidates.c); (5) the shingles of the documents in a pair sorted
 * (only they need it); (6) in parallel, each candidate confirmed by its
 * true Jaccard similarity; (7) union-find over confirmed pairs and exact
 * groups, then the clusters (clusters.c). Every step writes per document or
 * per fixed part, so the result is the same for any thread count.
 */
#include "cluster_internal.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t *v;
    size_t n, cap;
} u32vec;

typedef struct {
    doge_review_dedup *d;
    doge__review_work *w;
    uint64_t *texthash;
    u32vec *parts; /* step 1: each part's shingles */
    int *failed;   /* per part */
    /* step 3 */
    const doge__review_minhash *mh;
    const uint32_t *signed_docs;
    uint32_t *sig;
    uint8_t *sketch;
    /* steps 5 and 6 */
    const uint64_t *pairs;
    uint8_t *ok;
    uint8_t *paired;
} run_ctx;

/* Step 1 for documents [lo, hi). */
static void shingle_part(void *arg, unsigned t, size_t lo, size_t hi)
{
    run_ctx *c = arg;
    doge_review_dedup *d = c->d;
    doge__review_work *w = c->w;
    u32vec *sv = &c->parts[t];
    size_t *off = calloc(hi - lo + 1, sizeof *off);
    char *norm = NULL;
    uint64_t *bits = NULL;
    size_t norm_cap = 0;
    if (!off) {
        c->failed[t] = 1;
        return;
    }
    for (size_t i = lo; i < hi; i++) {
        const doge__review_doc *doc = &d->docs[i];
        off[i - lo] = sv->n;
        w->nsh[i] = 0;
        if (doc->len + 1 > norm_cap) {
            size_t cap = doc->len + 1 > 4096 ? doc->len + 1 : 4096;
            char *nn = realloc(norm, cap);
            uint64_t *nb = nn ? realloc(bits, (cap / 64 + 1) * sizeof *nb) : NULL;
            if (nn)
                norm = nn;
            if (nb)
                bits = nb;
            if (!nn || !nb) {
                c->failed[t] = 1;
                break;
            }
            norm_cap = cap;
        }
        if (sv->cap - sv->n < doc->len / 2 + 2) {
            size_t cap = sv->cap ? sv->cap : 1 << 16;
            while (cap - sv->n < doc->len / 2 + 2)
                cap *= 2;
            uint32_t *nv = realloc(sv->v, cap * sizeof *nv);
            if (!nv) {
                c->failed[t] = 1;
                break;
            }
            sv->v = nv;
            sv->cap = cap;
        }
        doge__review_text tx;
        doge__review_shingle_text(doc->text, doc->len, d->o.shingle, d->o.seed, norm, bits,
                                  sv->v + sv->n, &tx);
        w->words[i] = tx.words > UINT32_MAX ? UINT32_MAX : (uint32_t)tx.words;
        c->texthash[i] = tx.hash;
        if (tx.words < d->o.min_words)
            continue; /* exact matching only */
        w->nsh[i] = (uint32_t)tx.nsh;
        sv->n += tx.nsh;
    }
    if (!c->failed[t])
        for (size_t i = lo; i < hi; i++)
            w->sh[i] = w->nsh[i] ? sv->v + off[i - lo] : NULL;
    free(off);
    free(norm);
    free(bits);
}

/* Step 2: exact duplicates. A run of equal whole-text hashes is split by
 * comparing normalised texts, so a hash collision cannot join two texts. */
static int exact_groups(doge_review_dedup *d, doge__review_work *w, const uint64_t *texthash)
{
    size_t n = d->n, m = 0;
    for (size_t i = 0; i < n; i++)
        w->primary[i] = (uint32_t)i;
    doge__kv *kv = malloc(n * sizeof *kv), *tmp = malloc(n * sizeof *tmp);
    int rc = DOGE_OK;
    if (!kv || !tmp) {
        free(kv);
        free(tmp);
        return doge__error_oom();
    }
    for (size_t i = 0; i < n; i++)
        if (w->words[i])
            kv[m++] = (doge__kv){texthash[i], i};
    doge__kv *k = kv, *t = tmp;
    doge__radix_kv(&k, &t, m);
    /* Normalised heads of the current run, kept in one buffer. */
    typedef struct {
        uint32_t doc;
        size_t off, len, members;
    } head;
    head *heads = NULL;
    size_t nheads = 0, heads_cap = 0;
    char *buf = NULL, *cur = NULL;
    size_t buf_len = 0, buf_cap = 0, cur_cap = 0;
    size_t groups = 0;
    for (size_t s = 0; s < m && rc == DOGE_OK;) {
        size_t e = s + 1;
        while (e < m && k[e].k == k[s].k)
            e++;
        if (e - s == 1) {
            s = e;
            continue;
        }
        nheads = 0;
        buf_len = 0;
        for (size_t x = s; x < e && rc == DOGE_OK; x++) {
            const doge__review_doc *doc = &d->docs[k[x].v];
            if (doc->len + 1 > cur_cap) {
                char *nc = realloc(cur, doc->len + 1);
                if (!nc) {
                    rc = doge__error_oom();
                    break;
                }
                cur = nc;
                cur_cap = doc->len + 1;
            }
            size_t words, len = doge__review_normalise(doc->text, doc->len, cur, &words);
            size_t h = 0;
            while (h < nheads &&
                   !(heads[h].len == len && memcmp(buf + heads[h].off, cur, len) == 0))
                h++;
            if (h < nheads) {
                w->primary[k[x].v] = heads[h].doc;
                heads[h].members++;
                continue;
            }
            if (nheads == heads_cap || buf_len + len > buf_cap) {
                size_t hc = heads_cap ? heads_cap * 2 : 8;
                size_t bc = buf_cap ? buf_cap : 4096;
                while (buf_len + len > bc)
                    bc *= 2;
                head *nh = nheads == heads_cap ? realloc(heads, hc * sizeof *nh) : heads;
                char *nb = bc > buf_cap ? realloc(buf, bc) : buf;
                if (nh)
                    heads = nh, heads_cap = nheads == heads_cap ? hc : heads_cap;
                if (nb)
                    buf = nb, buf_cap = bc;
                if (!nh || !nb) {
                    rc = doge__error_oom();
                    break;
                }
            }
            memcpy(buf + buf_len, cur, len);
            heads[nheads++] = (head){(uint32_t)k[x].v, buf_len, len, 1};
            buf_len += len;
        }
        for (size_t h = 0; h < nheads; h++)
            groups += heads[h].members >= 2;
        s = e;
    }
    d->stats.exact_groups = groups;
    free(heads);
    free(buf);
    free(cur);
    free(kv);
    free(tmp);
    return rc;
}

/* Step 3 for signed documents [lo, hi). */
static void sign_part(void *arg, unsigned t, size_t lo, size_t hi)
{
    run_ctx *c = arg;
    uint32_t *mins = malloc(c->mh->hashes * sizeof *mins);
    if (!mins) {
        c->failed[t] = 1;
        return;
    }
    for (size_t j = lo; j < hi; j++) {
        uint32_t i = c->signed_docs[j];
        doge__review_minhash_bands(c->mh, c->w->sh[i], c->w->nsh[i], mins, c->sig + i, c->d->n,
                                   c->sketch + (size_t)i * c->mh->hashes);
    }
    free(mins);
}

/* Step 5 for documents [lo, hi): the shingles of documents in a candidate
 * pair sorted and made distinct for the Jaccard merge. */
static void sort_part(void *arg, unsigned t, size_t lo, size_t hi)
{
    run_ctx *c = arg;
    for (size_t i = lo; i < hi; i++)
        if (c->paired[i])
            c->w->nsh[i] = (uint32_t)doge__review_sort_unique(c->w->sh[i], c->w->nsh[i]);
}

/* Step 6 for candidate pairs [lo, hi). */
static void confirm_part(void *arg, unsigned t, size_t lo, size_t hi)
{
    run_ctx *c = arg;
    const doge__review_work *w = c->w;
    double th = c->d->o.threshold;
    (void)t;
    for (size_t p = lo; p < hi; p++) {
        uint32_t a = (uint32_t)(c->pairs[p] >> 32), b = (uint32_t)c->pairs[p];
        size_t na = w->nsh[a], nb = w->nsh[b];
        size_t lo_n = na < nb ? na : nb, hi_n = na < nb ? nb : na;
        /* Jaccard is at most the ratio of the sizes. */
        if ((double)lo_n < th * (double)hi_n - 1e-9) {
            c->ok[p] = 0;
            continue;
        }
        double j = doge__review_jaccard(w->sh[a], na, w->sh[b], nb);
        c->ok[p] = j >= th - 1e-12;
    }
}

/* The fewest agreeing sketch bytes worth a true Jaccard check: the expected
 * agreement at the threshold (t + (1 - t) / 256 of the hashes, one byte
 * matching by chance one time in 256) less six standard deviations of the
 * MinHash estimate, and never less than 0.2 below the threshold. */
static unsigned sketch_lower(const doge_review_dedup_opts *o)
{
    double t = o->threshold, h = o->hashes;
    double sd = sqrt(t * (1 - t) / h), margin = 6 * sd > 0.2 ? 6 * sd : 0.2;
    double lower = (t - margin) * h;
    return lower <= 0 ? 0 : (unsigned)floor(lower);
}

static void free_work(doge__review_work *w)
{
    free(w->words);
    free(w->primary);
    free(w->sh);
    free(w->nsh);
    free(w->parent);
}

int doge_review_dedup_run(doge_review_dedup *d)
{
    if (d->ran)
        return doge__error_set(DOGE_EINVAL, "review dedup: run was already called");
    d->ran = 1;
    memset(&d->stats, 0, sizeof d->stats);
    size_t n = d->n;
    d->stats.documents = n;
    unsigned threads = d->o.threads;
    if (n < 2 * (size_t)threads)
        threads = 1;
    doge__review_work w = {0};
    run_ctx c = {.d = d, .w = &w};
    uint64_t *texthash = NULL, *pairs = NULL;
    uint32_t *signed_docs = NULL;
    size_t npairs = 0;
    int rc = DOGE_OK;
    w.words = malloc((n + 1) * sizeof *w.words);
    w.primary = malloc((n + 1) * sizeof *w.primary);
    w.sh = calloc(n + 1, sizeof *w.sh);
    w.nsh = calloc(n + 1, sizeof *w.nsh);
    w.parent = malloc((n + 1) * sizeof *w.parent);
    texthash = malloc((n + 1) * sizeof *texthash);
    c.parts = calloc(threads, sizeof *c.parts);
    c.failed = calloc(threads, sizeof *c.failed);
    if (!w.words || !w.primary || !w.sh || !w.nsh || !w.parent || !texthash || !c.parts ||
        !c.failed)
        rc = doge__error_oom();
    c.texthash = texthash;
    /* 1: normalise, hash, shingle. */
    if (rc == DOGE_OK) {
        doge__review_parallel(threads, n, shingle_part, &c);
        for (unsigned t = 0; t < threads; t++)
            if (c.failed[t])
                rc = doge__error_oom();
    }
    /* 2: exact duplicates. */
    if (rc == DOGE_OK)
        rc = exact_groups(d, &w, texthash);
    free(texthash);
    texthash = NULL;
    /* 3: signatures of the heads with enough words. */
    doge__review_minhash mh = {0};
    size_t nsigned = 0;
    if (rc == DOGE_OK)
        rc = doge__review_minhash_init(&mh, d->o.hashes, d->o.bands, d->o.seed);
    if (rc == DOGE_OK && !(signed_docs = malloc((n + 1) * sizeof *signed_docs)))
        rc = doge__error_oom();
    if (rc == DOGE_OK) {
        for (size_t i = 0; i < n; i++)
            if (w.primary[i] == i && w.nsh[i])
                signed_docs[nsigned++] = (uint32_t)i;
    }
    if (rc == DOGE_OK && nsigned >= 2) {
        c.sig = malloc((size_t)d->o.bands * n * sizeof *c.sig);
        /* Cache-line aligned, so a sketch's first 32 bytes are in one line. */
        c.sketch = aligned_alloc(64, ((size_t)d->o.hashes * n + 63) / 64 * 64);
        if (!c.sig || !c.sketch)
            rc = doge__error_oom();
        if (rc == DOGE_OK) {
            c.mh = &mh;
            c.signed_docs = signed_docs;
            memset(c.failed, 0, threads * sizeof *c.failed);
            doge__review_parallel(threads, nsigned, sign_part, &c);
            for (unsigned t = 0; t < threads; t++)
                if (c.failed[t])
                    rc = doge__error_oom();
        }
        /* 4: candidates. */
        if (rc == DOGE_OK) {
            doge__review_candidate_in in = {c.sig,     n, d->o.bands, c.sketch, d->o.hashes,
                                            sketch_lower(&d->o), signed_docs, nsigned};
            rc = doge__review_candidates(&in, d->o.threads, &pairs, &npairs);
        }
        free(c.sig);
        free(c.sketch);
        c.sig = NULL;
        c.sketch = NULL;
    }
    doge__review_minhash_dispose(&mh);
    free(signed_docs);
    d->stats.candidate_pairs = npairs;
    /* 5: sort the shingles of the documents to compare; 6: confirm. */
    if (rc == DOGE_OK && npairs) {
        c.pairs = pairs;
        c.ok = malloc(npairs);
        c.paired = calloc(n, 1);
        if (!c.ok || !c.paired)
            rc = doge__error_oom();
    }
    if (rc == DOGE_OK && npairs) {
        for (size_t p = 0; p < npairs; p++) {
            c.paired[pairs[p] >> 32] = 1;
            c.paired[(uint32_t)pairs[p]] = 1;
        }
        doge__review_parallel(threads, n, sort_part, &c);
        doge__review_parallel(npairs < 1024 ? 1 : d->o.threads, npairs, confirm_part, &c);
    }
    /* 7: union-find, then the clusters. */
    if (rc == DOGE_OK) {
        for (size_t i = 0; i < n; i++)
            w.parent[i] = (uint32_t)i;
        size_t confirmed = 0;
        for (size_t p = 0; p < npairs; p++) {
            if (!c.ok[p])
                continue;
            confirmed++;
            doge__review_union(w.parent, (uint32_t)(pairs[p] >> 32), (uint32_t)pairs[p]);
        }
        d->stats.confirmed_pairs = confirmed;
        for (size_t i = 0; i < n; i++)
            if (w.primary[i] != i)
                doge__review_union(w.parent, (uint32_t)i, w.primary[i]);
        rc = doge__review_build_clusters(d, &w);
    }
    free(c.ok);
    free(c.paired);
    free(pairs);
    if (c.parts)
        for (unsigned t = 0; t < threads; t++)
            free(c.parts[t].v);
    free(c.parts);
    free(c.failed);
    free(texthash);
    free_work(&w);
    return rc;
}
