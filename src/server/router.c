/*
 * router.c — the route table of `doge serve`: each route file adds a static
 * table of (method, path pattern, access, handler); a request is matched
 * against exact paths first, then against prefix patterns (ending in a "/" and "*", longest
 * first), HEAD going to GET routes. An unknown path is 404 and a known path
 * with another method 405 (with Allow), both as uniform JSON errors; access
 * (bearer-token roles, the read_token policy) is checked before the handler
 * runs, 401 without a valid token and 403 with one whose role is not allowed.
 */
#include "server.h"

#include "doge/common.h"

#include <string.h>

int doge__srv_router_add(doge_srv_router *r, const doge_srv_route *routes, size_t n)
{
    if (r->n + n > DOGE_SRV_MAX_ROUTES)
        return DOGE_ELIMIT;
    for (size_t i = 0; i < n; i++)
        r->routes[r->n++] = &routes[i];
    return DOGE_OK;
}

int doge__srv_register_all(doge_srv_router *r)
{
    int (*const all[])(doge_srv_router *) = {
        doge__srv_routes_ledger, doge__srv_routes_witness, doge__srv_routes_pulse_form,
        doge__srv_routes_api,    doge__srv_routes_assets,
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        int rc = all[i](r);
        if (rc)
            return rc;
    }
    return DOGE_OK;
}

/* How well pattern matches path: 0 no match, else a score (exact beats any
 * prefix, longer prefixes beat shorter ones). *rest gets a prefix's tail. */
static size_t match(const char *pattern, const char *path, const char **rest)
{
    size_t pl = strlen(pattern);
    if (pl >= 2 && pattern[pl - 1] == '*' && pattern[pl - 2] == '/') {
        if (strncmp(path, pattern, pl - 1) != 0)
            return 0;
        *rest = path + pl - 1;
        return pl;
    }
    if (strcmp(pattern, path) != 0)
        return 0;
    *rest = "";
    return (size_t)-1;
}

static int method_is(const char *route, const char *req)
{
    return strcmp(route, req) == 0 || (strcmp(req, "HEAD") == 0 && strcmp(route, "GET") == 0);
}

static int check_access(doge_srv *srv, const doge_srv_route *rt, doge_srv_req *req,
                        doge_srv_resp *resp)
{
    if (rt->access == DOGE_SRV_PUBLIC)
        return 1;
    int has_auth = req->header && req->header(req->header_cls, "Authorization") != NULL;
    if (rt->access == DOGE_SRV_READ && !srv->read_token)
        return 1;
    if (!req->role) {
        doge__srv_resp_header(resp, "WWW-Authenticate", "Bearer realm=\"doge\"");
        doge__srv_error(resp, 401,
                        has_auth ? "the bearer token is not valid (revoked, or never issued)"
                                 : "this needs a bearer token (doge token new --role ROLE)");
        return 0;
    }
    if (rt->access == DOGE_SRV_READ || (req->role & rt->access))
        return 1;
    doge__srv_error(resp, 403, "the token's role may not do this");
    return 0;
}

int doge__srv_dispatch(doge_srv *srv, const doge_srv_router *r, doge_srv_req *req,
                       doge_srv_resp *resp)
{
    const doge_srv_route *best = NULL;
    const char *best_rest = "";
    size_t best_score = 0, path_known = 0;
    char allow[128] = "";
    for (size_t i = 0; i < r->n; i++) {
        const char *rest;
        size_t sc = match(r->routes[i]->pattern, req->path, &rest);
        if (!sc)
            continue;
        path_known = 1;
        if (!method_is(r->routes[i]->method, req->method)) {
            if (!strstr(allow, r->routes[i]->method)) {
                size_t l = strlen(allow);
                snprintf(allow + l, sizeof allow - l, "%s%s%s", l ? ", " : "",
                         r->routes[i]->method,
                         strcmp(r->routes[i]->method, "GET") == 0 ? ", HEAD" : "");
            }
            continue;
        }
        if (sc > best_score) {
            best = r->routes[i];
            best_score = sc;
            best_rest = rest;
        }
    }
    if (!best) {
        if (path_known) {
            doge__srv_resp_header(resp, "Allow", allow);
            return doge__srv_error(resp, 405, "%s is not allowed here (allowed: %s)",
                                   req->method, allow);
        }
        return doge__srv_error(resp, 404, "no such resource");
    }
    req->rest = best_rest;
    if (!check_access(srv, best, req, resp))
        return 0;
    return best->fn(srv, req, resp);
}
