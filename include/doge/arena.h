/*
 * doge/arena.h — doge_arena, a bump allocator: memory is carved from large
 * chunks and released all at once (doge_arena_reset or doge_arena_free), so
 * hot paths such as per-row CSV parsing and map keys cost no malloc per item.
 * The arena never lets the memory it takes from the system pass a hard cap
 * chosen at creation; a request that would fails with DOGE_ELIMIT.
 *
 * Ownership: the caller owns the doge_arena made by doge_arena_new() and
 * releases it with doge_arena_free(). Every pointer handed out belongs to the
 * arena: it stays valid until doge_arena_reset() or doge_arena_free() and
 * must never be passed to free().
 */
#ifndef DOGE_ARENA_H
#define DOGE_ARENA_H

#include "doge/common.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Chunk size used when doge_arena_new() is given 0: 64 KiB. */
#define DOGE_ARENA_DEFAULT_CHUNK ((size_t)64 << 10)
/* Cap used when doge_arena_new() is given 0: 1 GiB. */
#define DOGE_ARENA_DEFAULT_MAX ((size_t)1 << 30)
/* The largest alignment doge_arena_alloc() accepts. */
#define DOGE_ARENA_MAX_ALIGN 4096

typedef struct doge_arena doge_arena;

/* Creates an arena that takes memory in chunks of chunk_size bytes (0: the
 * default) and never more than max_total bytes in all, chunk headers
 * included (0: the default). Nothing is allocated until the first use. */
DOGE_EXTERN int doge_arena_new(doge_arena **out, size_t chunk_size, size_t max_total);

/* Releases the arena and everything allocated from it. a may be NULL. */
DOGE_EXTERN void doge_arena_free(doge_arena *a);

/* Allocates size bytes aligned to align (a power of two up to
 * DOGE_ARENA_MAX_ALIGN; 0 means the alignment of max_align_t). The memory is
 * not cleared. size 0 gives a non-NULL pointer that must not be read.
 * DOGE_EINVAL for a bad alignment, DOGE_ELIMIT past the cap, DOGE_ENOMEM. */
DOGE_EXTERN int doge_arena_alloc(doge_arena *a, size_t size, size_t align, void **out);

/* Copies n bytes of p into the arena (aligned as for max_align_t). */
DOGE_EXTERN int doge_arena_memdup(doge_arena *a, const void *p, size_t n, void **out);

/* Copies the C string s (DOGE_EINVAL for NULL) into the arena. */
DOGE_EXTERN int doge_arena_strdup(doge_arena *a, const char *s, char **out);

/* Copies at most n bytes of s, stopping at a NUL, and NUL-terminates the
 * copy; s need not be NUL-terminated (a field view into a larger text). */
DOGE_EXTERN int doge_arena_strndup(doge_arena *a, const char *s, size_t n, char **out);

/* Invalidates every allocation and makes the memory reusable; keeps one
 * chunk of the configured size (if there is one) and frees the rest. */
DOGE_EXTERN void doge_arena_reset(doge_arena *a);

/* Bytes handed out since creation or the last reset, alignment padding
 * included. */
DOGE_EXTERN size_t doge_arena_used(const doge_arena *a);

/* Bytes currently taken from the system (what the cap limits). */
DOGE_EXTERN size_t doge_arena_reserved(const doge_arena *a);

#ifdef __cplusplus
}
#endif
#endif
