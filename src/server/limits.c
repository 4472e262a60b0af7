/*
 * limits.c — the protective limits of `doge serve`: their defaults and
 * their [serve] settings in doge.conf (body size, header size, idle timeout
 * against slow clients, connections in all and per address, request rate),
 * and the per-client rate limiter: a token bucket per peer address in a
 * fixed table (4096 slots, probed 8 at a time, the least recently seen
 * bucket of the window evicted), so a flood of distinct addresses costs
 * bounded memory and at worst resets some buckets.
 */
#include "server.h"

#include "doge/common.h"
#include "doge/map.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void doge__srv_limits_default(doge_srv_limits *l)
{
    l->body_max = 1u << 20;
    l->header_max = 16u << 10; /* libmicrohttpd clears it for every request */
    l->timeout_s = 30;
    l->connections = 1024;
    l->per_ip = 64;
    l->rate = 200;
    l->burst = 400;
}

static int conf_num(doge_workspace *ws, const char *key, double min, double max, double *v)
{
    const char *s = doge_workspace_config(ws, "serve", key, NULL);
    if (!s)
        return DOGE_OK;
    char *end;
    double d = strtod(s, &end);
    if (end == s || *end || !(d >= min && d <= max))
        return doge__error_set(DOGE_EINVAL, "doge.conf [serve] %s = '%s': not a number from %g to %g",
                               key, s, min, max);
    *v = d;
    return DOGE_OK;
}

int doge__srv_config(doge_srv *srv, doge_workspace *ws)
{
    doge_srv_limits *l = &srv->limits;
    doge__srv_limits_default(l);
    double body = (double)l->body_max, header = (double)l->header_max, timeout = l->timeout_s,
           conns = l->connections, per_ip = l->per_ip;
    int rc;
    if ((rc = conf_num(ws, "body_max", 1024, 64 << 20, &body)) ||
        (rc = conf_num(ws, "header_max", 1024, 1 << 20, &header)) ||
        (rc = conf_num(ws, "timeout", 1, 3600, &timeout)) ||
        (rc = conf_num(ws, "connections", 1, 100000, &conns)) ||
        (rc = conf_num(ws, "connections_per_ip", 1, 100000, &per_ip)) ||
        (rc = conf_num(ws, "rate", 0, 1e9, &l->rate)) ||
        (rc = conf_num(ws, "burst", 1, 1e9, &l->burst)))
        return rc;
    l->body_max = (size_t)body;
    l->header_max = (size_t)header;
    l->timeout_s = (unsigned)timeout;
    l->connections = (unsigned)conns;
    l->per_ip = (unsigned)per_ip;
    const char *rt = doge_workspace_config(ws, "serve", "read_token", "open");
    if (strcmp(rt, "open") == 0)
        srv->read_token = 0;
    else if (strcmp(rt, "required") == 0)
        srv->read_token = 1;
    else
        return doge__error_set(DOGE_EINVAL,
                               "doge.conf [serve] read_token = '%s': expected open or required", rt);
    const char *pu = doge_workspace_config(ws, "serve", "public_url", NULL);
    if (pu && *pu && !(srv->public_url = strdup(pu)))
        return doge__error_oom();
    return DOGE_OK;
}

/* ---- token buckets ------------------------------------------------------- */

#define SLOTS 4096
#define WINDOW 8

typedef struct {
    char addr[64]; /* "" when free */
    double tokens;
    double last;
} bucket;

struct doge_srv_ratelimit {
    pthread_mutex_t mu;
    double rate, burst;
    bucket slots[SLOTS];
};

int doge__srv_rate_new(doge_srv_ratelimit **out, double rate, double burst)
{
    doge_srv_ratelimit *r = calloc(1, sizeof *r);
    if (!r)
        return doge__error_oom();
    pthread_mutex_init(&r->mu, NULL);
    r->rate = rate;
    r->burst = burst < 1 ? 1 : burst;
    *out = r;
    return DOGE_OK;
}

void doge__srv_rate_free(doge_srv_ratelimit *r)
{
    if (!r)
        return;
    pthread_mutex_destroy(&r->mu);
    free(r);
}

int doge__srv_rate_take(doge_srv_ratelimit *r, const char *client, double now,
                        unsigned *retry_after)
{
    *retry_after = 0;
    if (!r || r->rate <= 0)
        return 1;
    char key[64];
    snprintf(key, sizeof key, "%s", client ? client : "");
    size_t h = (size_t)doge_map_hash(key, strlen(key), 0x7261746573u) % SLOTS;
    pthread_mutex_lock(&r->mu);
    bucket *b = NULL, *victim = NULL;
    for (size_t i = 0; i < WINDOW; i++) {
        bucket *c = &r->slots[(h + i) % SLOTS];
        if (strcmp(c->addr, key) == 0) {
            b = c;
            break;
        }
        if (!victim || !c->addr[0] || (victim->addr[0] && c->last < victim->last))
            victim = c;
    }
    if (!b) {
        b = victim;
        memcpy(b->addr, key, sizeof b->addr);
        b->tokens = r->burst;
        b->last = now;
    }
    double t = b->tokens + (now - b->last) * r->rate;
    b->tokens = t > r->burst ? r->burst : t;
    b->last = now;
    int ok = b->tokens >= 1.0;
    if (ok)
        b->tokens -= 1.0;
    else
        *retry_after = (unsigned)((1.0 - b->tokens) / r->rate) + 1;
    pthread_mutex_unlock(&r->mu);
    return ok;
}
