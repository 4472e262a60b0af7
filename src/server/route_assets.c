/*
 * route_assets.c — the dashboard's static files, embedded into the binary
 * at build time from web/ (cmake/embed_web.cmake): GET / is web/index.html,
 * GET /assets/NAME any other file of web/ by its exact name (a name not in
 * the table is 404; there is no file system access at all). The page loads
 * nothing from the network: its script reads this server's /api/ routes.
 */
#include "server.h"

#include <string.h>

typedef struct doge_srv_asset {
    const char *name;
    const unsigned char *data;
    size_t len;
} doge_srv_asset;

extern const doge_srv_asset doge__srv_assets[];
extern const size_t doge__srv_nassets;

static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return "application/octet-stream";
    if (strcmp(dot, ".html") == 0)
        return "text/html; charset=utf-8";
    if (strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    if (strcmp(dot, ".js") == 0)
        return "text/javascript; charset=utf-8";
    if (strcmp(dot, ".svg") == 0)
        return "image/svg+xml";
    if (strcmp(dot, ".png") == 0)
        return "image/png";
    return "application/octet-stream";
}

static int send_asset(doge_srv_resp *resp, const char *name)
{
    for (size_t i = 0; i < doge__srv_nassets; i++)
        if (strcmp(doge__srv_assets[i].name, name) == 0) {
            doge__srv_text(resp, 200, type_of(name), (const char *)doge__srv_assets[i].data,
                           doge__srv_assets[i].len);
            doge__srv_resp_header(resp, "Cache-Control", "no-cache");
            return 0;
        }
    return doge__srv_error(resp, 404, "no such asset");
}

static int get_index(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    return send_asset(resp, "index.html");
}

static int get_asset(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    return send_asset(resp, req->rest);
}

static const doge_srv_route routes[] = {
    {"GET", "/", DOGE_SRV_PUBLIC, get_index},
    {"GET", "/assets/*", DOGE_SRV_PUBLIC, get_asset},
};

int doge__srv_routes_assets(doge_srv_router *r)
{
    return doge__srv_router_add(r, routes, sizeof routes / sizeof routes[0]);
}
