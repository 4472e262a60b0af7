/*
 * respcache.c — the response cache of `doge serve`: prepared responses
 * (server.c stores libmicrohttpd response objects, which are reference
 * counted and may be queued on any number of connections at once) kept by
 * request path, least recently used first out, within a byte budget
 * ([serve] cache_mb). An entry is either immutable (a full ledger tile,
 * which never changes) or tied to a file's stamp (device, inode, size,
 * modification time): the checkpoint and partial tiles are replaced by
 * rename as the log grows, so each use re-stats the file and drops the
 * entry when it changed or went away. The cache never builds a response
 * itself and knows nothing of HTTP; the object is used (queued) under the
 * cache's lock, so eviction cannot release it in between.
 */
#include "server.h"

#include "doge/common.h"
#include "doge/map.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BUCKETS 4096u  /* a power of two */
#define KEY_MAX 255
#define OVERHEAD 512   /* bytes counted per entry beyond its body: headers, bookkeeping */

typedef struct entry {
    struct entry *chain;       /* the next entry of its bucket */
    struct entry *newer, *older;
    uint64_t hash;
    size_t size;
    void *obj;
    char *path;                /* NULL: immutable */
    doge_srv_filestamp stamp;
    size_t klen;
    char key[];
} entry;

struct doge_srv_cache {
    pthread_mutex_t mu;
    size_t max_bytes, bytes;
    void (*release)(void *obj);
    entry *buckets[BUCKETS];
    entry *newest, *oldest;
};

void doge__srv_filestamp_of(const struct stat *sb, doge_srv_filestamp *out)
{
    out->dev = (uint64_t)sb->st_dev;
    out->ino = (uint64_t)sb->st_ino;
    out->size = (uint64_t)sb->st_size;
    out->mtime_s = (int64_t)sb->st_mtim.tv_sec;
    out->mtime_ns = (int64_t)sb->st_mtim.tv_nsec;
}

int doge__srv_cache_new(doge_srv_cache **out, size_t max_bytes, void (*release)(void *obj))
{
    doge_srv_cache *c = calloc(1, sizeof *c);
    if (!c)
        return doge__error_oom();
    pthread_mutex_init(&c->mu, NULL);
    c->max_bytes = max_bytes;
    c->release = release;
    *out = c;
    return DOGE_OK;
}

static void list_unlink(doge_srv_cache *c, entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
}

static void unlink_entry(doge_srv_cache *c, entry *e)
{
    entry **p = &c->buckets[e->hash & (BUCKETS - 1)];
    while (*p != e)
        p = &(*p)->chain;
    *p = e->chain;
    list_unlink(c, e);
    c->bytes -= e->size;
}

static void drop(doge_srv_cache *c, entry *e)
{
    unlink_entry(c, e);
    c->release(e->obj);
    free(e->path);
    free(e);
}

void doge__srv_cache_free(doge_srv_cache *c)
{
    if (!c)
        return;
    while (c->oldest)
        drop(c, c->oldest);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static entry *find(doge_srv_cache *c, const char *key, size_t klen, uint64_t h)
{
    for (entry *e = c->buckets[h & (BUCKETS - 1)]; e; e = e->chain)
        if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0)
            return e;
    return NULL;
}

static void make_newest(doge_srv_cache *c, entry *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest)
        c->newest->newer = e;
    c->newest = e;
    if (!c->oldest)
        c->oldest = e;
}

static int same_stamp(const char *path, const doge_srv_filestamp *want)
{
    struct stat sb;
    doge_srv_filestamp now;
    if (stat(path, &sb) != 0)
        return 0;
    doge__srv_filestamp_of(&sb, &now);
    return memcmp(&now, want, sizeof now) == 0;
}

int doge__srv_cache_use(doge_srv_cache *c, const char *key, int (*use)(void *ctx, void *obj),
                        void *ctx)
{
    size_t klen = strlen(key);
    if (!c || klen > KEY_MAX)
        return 0;
    uint64_t h = doge_map_hash(key, klen, 0x63616368u);
    pthread_mutex_lock(&c->mu);
    entry *e = find(c, key, klen, h);
    int rc = 0;
    if (e && e->path && !same_stamp(e->path, &e->stamp)) {
        drop(c, e);
        e = NULL;
    }
    if (e) {
        if (c->newest != e) {
            list_unlink(c, e);
            make_newest(c, e);
        }
        rc = use(ctx, e->obj) == 0 ? 1 : -1;
    }
    pthread_mutex_unlock(&c->mu);
    return rc;
}

int doge__srv_cache_put(doge_srv_cache *c, const char *key, void *obj, size_t body_len,
                        const char *path, const doge_srv_filestamp *stamp)
{
    size_t klen = strlen(key), size = body_len + klen + OVERHEAD;
    if (!c || klen > KEY_MAX || size > c->max_bytes / 8)
        return -1;
    entry *e = calloc(1, sizeof *e + klen + 1);
    if (!e || (path && !(e->path = strdup(path)))) {
        free(e);
        return -1;
    }
    memcpy(e->key, key, klen + 1);
    e->klen = klen;
    e->hash = doge_map_hash(key, klen, 0x63616368u);
    e->size = size;
    e->obj = obj;
    if (path)
        e->stamp = *stamp;
    pthread_mutex_lock(&c->mu);
    entry *old = find(c, key, klen, e->hash);
    if (old)
        drop(c, old);
    while (c->oldest && c->bytes + size > c->max_bytes)
        drop(c, c->oldest);
    e->chain = c->buckets[e->hash & (BUCKETS - 1)];
    c->buckets[e->hash & (BUCKETS - 1)] = e;
    make_newest(c, e);
    c->bytes += size;
    pthread_mutex_unlock(&c->mu);
    return 0;
}
