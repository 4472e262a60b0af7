/*
 * ingest_ledger.c — the ledger side of `doge pulse ingest` on a thread of its
 * own: the ingest queues each accepted reply's record and goes on with the
 * next message, while this thread appends the records to the ledger (leaf
 * and tree hashing) and commits them every few thousand (tiles, one
 * syncfs, the signed checkpoint), so that the disk's flushes overlap the
 * ingest's work instead of stopping it. Measured reason: on the 2-core bench
 * machine a ledger commit of a 64,000-reply batch blocked the ingest's
 * writing thread for 0.7-1.8 s, about 10 s of a 440,000-message run. The
 * record indices are known when queued (the ledger's size plus the records
 * queued before), and doge__ledger_writer_sync() waits until everything
 * queued is durable: the ingest calls it before committing the store, so a
 * reply is still recorded only once its ledger entry is acknowledged.
 *
 * The thread's commits do not archive their checkpoints into the store
 * (the store belongs to the ingest's thread): each signed checkpoint is
 * kept until doge__ledger_writer_archive() stores it from that thread.
 *
 * Ownership: the writer borrows the ledger; between a sync() and the next
 * append() the caller may use the ledger itself (for proofs), since the
 * thread only touches it when there is something queued or a sync is asked
 * for. Records are copied when queued.
 */
#include "internal.h"
#include "pulse_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Records are committed once this many wait (and on every sync). */
#define COMMIT_EVERY 16384
/* The most queued bytes before append() waits for the thread. */
#define QUEUE_MAX ((size_t)64 << 20)

struct doge__ledger_writer {
    doge_ledger *ledger;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake, progress;
    doge_buf queue, spare;  /* [2-byte length][record] each; the thread swaps them */
    int64_t next;           /* the index the next queued record gets */
    int64_t durable;        /* the ledger's committed size */
    int64_t sync_to;        /* a sync asks for durable >= sync_to */
    doge_buf signed_;       /* checkpoints signed, not yet archived: [size][len][text] */
    int stop, rc;
    char err[512];
};

static void fail(doge__ledger_writer *w, int rc)
{
    if (w->rc)
        return;
    w->rc = rc;
    snprintf(w->err, sizeof w->err, "%s", doge_error_last());
}

static void *run(void *arg)
{
    doge__ledger_writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->stop && !w->rc && w->queue.len == 0 && w->sync_to <= w->durable)
            pthread_cond_wait(&w->wake, &w->mu);
        if (w->stop || w->rc)
            break; /* stop: what was not synced is dropped, as an uncommitted batch */
        /* take the queue, leave an empty buffer */
        doge_buf taken = w->queue;
        w->queue = w->spare; /* the spare's bytes now belong to the queue */
        doge_buf_init(&w->spare, 0);
        pthread_cond_broadcast(&w->progress); /* room for append() */
        pthread_mutex_unlock(&w->mu);
        int rc = DOGE_OK;
        for (size_t off = 0; rc == DOGE_OK && off + 2 <= taken.len;) {
            size_t len = (size_t)(unsigned char)taken.data[off] << 8 |
                         (unsigned char)taken.data[off + 1];
            rc = doge_ledger_append(w->ledger, taken.data + off + 2, len, NULL);
            off += 2 + len;
        }
        pthread_mutex_lock(&w->mu);
        int64_t want = w->sync_to, pending = doge_ledger_pending(w->ledger);
        pthread_mutex_unlock(&w->mu);
        char *cp = NULL;
        size_t cplen = 0;
        if (rc == DOGE_OK &&
            (pending >= COMMIT_EVERY || (pending > 0 && want > doge_ledger_size(w->ledger))) &&
            (rc = doge_ledger_commit(w->ledger)) == DOGE_OK)
            rc = doge_ledger_checkpoint(w->ledger, &cp, &cplen);
        pthread_mutex_lock(&w->mu);
        if (cp) {
            int64_t size = doge_ledger_size(w->ledger);
            uint64_t len64 = cplen;
            if (rc == DOGE_OK)
                rc = doge_buf_append(&w->signed_, &size, sizeof size);
            if (rc == DOGE_OK)
                rc = doge_buf_append(&w->signed_, &len64, sizeof len64);
            if (rc == DOGE_OK)
                rc = doge_buf_append(&w->signed_, cp, cplen);
            free(cp);
        }
        doge_buf_reset(&taken);
        w->spare = taken;
        if (rc)
            fail(w, rc);
        w->durable = doge_ledger_size(w->ledger);
        pthread_cond_broadcast(&w->progress);
    }
    pthread_cond_broadcast(&w->progress);
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int doge__ledger_writer_start(doge__ledger_writer **out, doge_ledger *l)
{
    *out = NULL;
    doge__ledger_writer *w = calloc(1, sizeof *w);
    if (!w)
        return doge__error_oom();
    w->ledger = l;
    doge_ledger_set_archive(l, NULL); /* see doge__ledger_writer_archive() */
    w->next = w->durable = w->sync_to = doge_ledger_size(l) + doge_ledger_pending(l);
    doge_buf_init(&w->queue, QUEUE_MAX + 2 + DOGE_LEDGER_ENTRY_MAX);
    doge_buf_init(&w->spare, QUEUE_MAX + 2 + DOGE_LEDGER_ENTRY_MAX);
    doge_buf_init(&w->signed_, 0);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->wake, NULL);
    pthread_cond_init(&w->progress, NULL);
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        pthread_cond_destroy(&w->progress);
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return doge__error_set(DOGE_ERROR, "ingest: cannot start the ledger thread");
    }
    *out = w;
    return DOGE_OK;
}

/* The thread's failure as this thread's error. */
static int failed(doge__ledger_writer *w)
{
    return doge__error_set(w->rc, "%s", w->err);
}

int doge__ledger_writer_append(doge__ledger_writer *w, const void *rec, size_t len,
                               int64_t *index)
{
    if (len > DOGE_LEDGER_ENTRY_MAX)
        return doge__error_set(DOGE_ELIMIT,
                               "ledger entry of %zu bytes is larger than the %d-byte limit", len,
                               DOGE_LEDGER_ENTRY_MAX);
    pthread_mutex_lock(&w->mu);
    while (!w->rc && w->queue.len >= QUEUE_MAX)
        pthread_cond_wait(&w->progress, &w->mu);
    int rc = w->rc ? failed(w) : DOGE_OK;
    unsigned char hdr[2] = {(unsigned char)(len >> 8), (unsigned char)len};
    if (rc == DOGE_OK && (rc = doge_buf_append(&w->queue, hdr, 2)) == DOGE_OK &&
        (rc = doge_buf_append(&w->queue, rec, len)) == DOGE_OK) {
        *index = w->next++;
        if (w->queue.len >= 256 << 10) /* wake the thread for a good chunk */
            pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int doge__ledger_writer_sync(doge__ledger_writer *w)
{
    pthread_mutex_lock(&w->mu);
    w->sync_to = w->next;
    pthread_cond_signal(&w->wake);
    while (!w->rc && w->durable < w->sync_to)
        pthread_cond_wait(&w->progress, &w->mu);
    int rc = w->rc ? failed(w) : DOGE_OK;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int doge__ledger_writer_archive(doge__ledger_writer *w, doge_store *st)
{
    pthread_mutex_lock(&w->mu);
    doge_buf list = w->signed_;
    doge_buf_init(&w->signed_, 0);
    pthread_mutex_unlock(&w->mu);
    int rc = DOGE_OK;
    for (size_t off = 0; rc == DOGE_OK && off + 16 <= list.len;) {
        int64_t size;
        uint64_t len;
        memcpy(&size, list.data + off, sizeof size);
        memcpy(&len, list.data + off + 8, sizeof len);
        rc = doge_ledger_archive_checkpoint(st, size, list.data + off + 16, (size_t)len);
        off += 16 + (size_t)len;
    }
    doge_buf_dispose(&list);
    return rc;
}

int doge__ledger_writer_stop(doge__ledger_writer *w)
{
    if (!w)
        return DOGE_OK;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    int rc = w->rc ? failed(w) : DOGE_OK;
    doge_buf_dispose(&w->queue);
    doge_buf_dispose(&w->spare);
    doge_buf_dispose(&w->signed_);
    pthread_cond_destroy(&w->progress);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->mu);
    free(w);
    return rc;
}
