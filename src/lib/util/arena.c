/*
 * arena.c — doge_arena, the chunked bump allocator. Each chunk is one
 * malloc'd block with a small header; allocations bump a cursor in the newest
 * chunk. A request that does not fit opens a new chunk (of the configured
 * size, or bigger for a big request, or smaller to stay under the cap); a
 * chunk that would leave less free space than the current one is slotted in
 * behind it so the current chunk's tail is not wasted. Reset keeps one chunk
 * of the configured size for reuse and frees the rest.
 */
#include "doge/arena.h"
#include "internal.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
    struct chunk *next;
    size_t size; /* usable bytes in data */
    size_t used; /* bytes of data handed out */
    max_align_t data[];
};

struct doge_arena {
    struct chunk *head;
    size_t chunk_size;
    size_t max_total;
    size_t reserved; /* bytes malloc'd, headers included */
    size_t used;     /* bytes handed out, padding included */
};

#define HDR sizeof(struct chunk)

int doge_arena_new(doge_arena **out, size_t chunk_size, size_t max_total)
{
    *out = NULL;
    if (!max_total)
        max_total = DOGE_ARENA_DEFAULT_MAX;
    if (!chunk_size)
        chunk_size = DOGE_ARENA_DEFAULT_CHUNK;
    if (max_total <= HDR)
        return doge__error_set(DOGE_EINVAL, "arena: cap of %zu bytes is too small", max_total);
    if (chunk_size > max_total - HDR)
        chunk_size = max_total - HDR;
    doge_arena *a = calloc(1, sizeof *a);
    if (!a)
        return doge__error_oom();
    a->chunk_size = chunk_size;
    a->max_total = max_total;
    *out = a;
    return DOGE_OK;
}

void doge_arena_free(doge_arena *a)
{
    if (!a)
        return;
    struct chunk *c = a->head;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

/* Padding needed to align the free space of c to align, or SIZE_MAX. */
static size_t fit(const struct chunk *c, size_t size, size_t align)
{
    uintptr_t p = (uintptr_t)((const char *)c->data + c->used);
    size_t pad = (size_t)((align - (p & (align - 1))) & (align - 1));
    size_t room = c->size - c->used;
    if (pad > room || size > room - pad)
        return SIZE_MAX;
    return pad;
}

int doge_arena_alloc(doge_arena *a, size_t size, size_t align, void **out)
{
    *out = NULL;
    if (align == 0)
        align = alignof(max_align_t);
    if ((align & (align - 1)) != 0 || align > DOGE_ARENA_MAX_ALIGN)
        return doge__error_set(DOGE_EINVAL,
                               "arena: alignment %zu is not a power of two up to %d", align,
                               DOGE_ARENA_MAX_ALIGN);
    struct chunk *c = a->head;
    size_t pad = c ? fit(c, size, align) : SIZE_MAX;
    if (pad == SIZE_MAX) {
        /* Worst-case padding in a fresh chunk, whose data is max_align_t
         * aligned. */
        size_t slack = align > alignof(max_align_t) ? align - 1 : 0;
        size_t left = a->max_total - a->reserved;
        if (left < HDR || size > left - HDR || slack > left - HDR - size)
            return doge__error_set(DOGE_ELIMIT,
                                   "arena: allocating %zu bytes would pass the cap of %zu bytes "
                                   "(%zu taken)",
                                   size, a->max_total, a->reserved);
        size_t need = size + slack;
        size_t csize = need > a->chunk_size ? need : a->chunk_size;
        if (csize > left - HDR)
            csize = left - HDR; /* a smaller last chunk, still >= need */
        struct chunk *n = malloc(HDR + csize);
        if (!n)
            return doge__error_oom();
        n->size = csize;
        n->used = 0;
        a->reserved += HDR + csize;
        pad = fit(n, size, align);
        /* Keep the chunk with the most free space in front. */
        if (c && csize - need < c->size - c->used) {
            n->next = c->next;
            c->next = n;
        } else {
            n->next = c;
            a->head = n;
        }
        c = n;
    }
    c->used += pad;
    *out = (char *)c->data + c->used;
    c->used += size;
    a->used += pad + size;
    return DOGE_OK;
}

int doge_arena_memdup(doge_arena *a, const void *p, size_t n, void **out)
{
    int rc = doge_arena_alloc(a, n, 0, out);
    if (rc == DOGE_OK && n)
        memcpy(*out, p, n);
    return rc;
}

int doge_arena_strndup(doge_arena *a, const char *s, size_t n, char **out)
{
    *out = NULL;
    if (!s && n)
        return doge__error_set(DOGE_EINVAL, "arena: NULL string of %zu bytes", n);
    size_t len = s ? strnlen(s, n) : 0;
    if (len == SIZE_MAX)
        return doge__error_set(DOGE_ELIMIT, "arena: string of %zu bytes is too long", len);
    void *p;
    int rc = doge_arena_alloc(a, len + 1, 1, &p);
    if (rc < 0)
        return rc;
    if (len)
        memcpy(p, s, len);
    ((char *)p)[len] = '\0';
    *out = p;
    return DOGE_OK;
}

int doge_arena_strdup(doge_arena *a, const char *s, char **out)
{
    if (!s) {
        *out = NULL;
        return doge__error_set(DOGE_EINVAL, "arena: NULL string");
    }
    return doge_arena_strndup(a, s, strlen(s), out);
}

void doge_arena_reset(doge_arena *a)
{
    struct chunk *keep = NULL, *c = a->head;
    while (c) {
        struct chunk *next = c->next;
        if (!keep && c->size == a->chunk_size) {
            keep = c;
        } else {
            free(c);
        }
        c = next;
    }
    a->head = keep;
    a->reserved = 0;
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
        a->reserved = HDR + keep->size;
    }
    a->used = 0;
}

size_t doge_arena_used(const doge_arena *a) { return a->used; }

size_t doge_arena_reserved(const doge_arena *a) { return a->reserved; }
