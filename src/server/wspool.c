/*
 * wspool.c — the workspaces `doge serve` hands to request handlers: a store
 * is used by one thread at a time, so each handler that needs the store
 * takes an open workspace from this pool (or opens one when none is free)
 * and gives it back after; at most one per worker thread stays open, and
 * all are closed when the server stops.
 */
#include "server.h"

#include "doge/common.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define POOL_MAX 64

struct doge_srv_wspool {
    pthread_mutex_t mu;
    char *dir;
    doge_workspace *free[POOL_MAX];
    size_t nfree;
};

int doge__srv_wspool_new(doge_srv_wspool **out, const char *dir)
{
    doge_srv_wspool *p = calloc(1, sizeof *p);
    if (!p || !(p->dir = strdup(dir))) {
        free(p);
        return doge__error_oom();
    }
    pthread_mutex_init(&p->mu, NULL);
    *out = p;
    return DOGE_OK;
}

void doge__srv_wspool_free(doge_srv_wspool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nfree; i++)
        doge_workspace_free(p->free[i]);
    pthread_mutex_destroy(&p->mu);
    free(p->dir);
    free(p);
}

int doge__srv_ws_acquire(doge_srv *srv, doge_workspace **ws)
{
    doge_srv_wspool *p = srv->pool;
    *ws = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->nfree)
        *ws = p->free[--p->nfree];
    pthread_mutex_unlock(&p->mu);
    return *ws ? DOGE_OK : doge_workspace_open(ws, p->dir);
}

void doge__srv_ws_release(doge_srv *srv, doge_workspace *ws)
{
    if (!ws)
        return;
    doge_srv_wspool *p = srv->pool;
    pthread_mutex_lock(&p->mu);
    if (p->nfree < POOL_MAX) {
        p->free[p->nfree++] = ws;
        ws = NULL;
    }
    pthread_mutex_unlock(&p->mu);
    doge_workspace_free(ws);
}
