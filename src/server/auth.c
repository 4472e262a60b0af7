/*
 * auth.c — the bearer token of a request: "Authorization: Bearer doge_…"
 * checked against the hashes in the store (doge_token_check) to give the
 * request its role; the router then decides with the route's access. A
 * missing, malformed, unknown or revoked token gives no role.
 */
#include "server.h"

#include <string.h>
#include <strings.h>

int doge__srv_auth_role(doge_srv *srv, const doge_srv_req *req)
{
    const char *h = req->header ? req->header(req->header_cls, "Authorization") : NULL;
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return 0;
    const char *t = h + 7;
    while (*t == ' ')
        t++;
    size_t len = strlen(t);
    while (len && t[len - 1] == ' ')
        len--;
    if (len != DOGE_TOKEN_LEN)
        return 0;
    doge_workspace *ws;
    if (doge__srv_ws_acquire(srv, &ws) != DOGE_OK)
        return 0;
    int role = 0;
    if (doge_token_check(doge_workspace_store(ws), t, len, &role) != DOGE_OK)
        role = 0;
    doge__srv_ws_release(srv, ws);
    return role;
}
