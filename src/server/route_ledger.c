/*
 * route_ledger.c — the ledger as C2SP tlog-tiles over HTTP, public and
 * static: GET /ledger/checkpoint (never cached) and
 * /ledger/tile/<L>/<N>[.p/<W>], /ledger/tile/entries/<N>[.p/<W>] byte for
 * byte as the files in the workspace's ledger/ folder, sent from the file
 * descriptor (sendfile). A tile path is accepted only in the canonical form
 * doge_tile_parse_path() checks, so "..", percent escapes, dot-files
 * (ledger/.doge/) or anything else outside the tlog-tiles grammar is 404 by
 * construction, and the file is opened with O_NOFOLLOW and must be a
 * regular file. Full tiles are immutable (cached for a year); partial ones
 * are replaced as the log grows (cached a minute). The responses are marked
 * for the server's response cache: full tiles as immutable, the checkpoint
 * and partial tiles with the file's stamp, re-checked on every use.
 */
#include "server.h"

#include "doge/tile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files up to this size (checkpoints, partial tiles) are read into memory;
 * larger ones (full tiles, entry bundles) go out by sendfile, unless the
 * server keeps a response cache: then full tiles up to CACHE_FILE_MAX are
 * read once and their prepared response is reused (respcache.c). */
#define SMALL_FILE 4096
#define CACHE_FILE_MAX (1u << 20)

/* Reads want bytes of fd into resp's body; 0 or -1. */
static int read_body(int fd, size_t want, doge_srv_resp *resp)
{
    char chunk[SMALL_FILE];
    size_t got = 0;
    while (got < want) {
        size_t n = want - got < sizeof chunk ? want - got : sizeof chunk;
        ssize_t r = read(fd, chunk, n);
        if (r <= 0 || doge_buf_append(&resp->body, chunk, (size_t)r) != DOGE_OK)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

static int send_file(doge_srv *srv, doge_srv_resp *resp, const char *rel, const char *type,
                     const char *cache, int immutable)
{
    char path[PATH_MAX];
    size_t dl = strlen(srv->ledger_dir), rl = strlen(rel);
    if (dl + 1 + rl >= sizeof path)
        return doge__srv_error(resp, 404, "no such tile");
    memcpy(path, srv->ledger_dir, dl);
    path[dl] = '/';
    memcpy(path + dl + 1, rel, rl + 1);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
            return doge__srv_error(resp, 404, "%s is not in the ledger",
                                   strcmp(rel, "checkpoint") == 0 ? "a checkpoint" : rel);
        return doge__srv_error(resp, 500, "cannot read the ledger: %s", strerror(errno));
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return doge__srv_error(resp, 404, "%s is not in the ledger", rel);
    }
    resp->status = 200;
    resp->content_type = type;
    size_t size = (size_t)sb.st_size;
    if (size <= SMALL_FILE || (srv->cache && immutable && size <= CACHE_FILE_MAX)) {
        /* Small files (checkpoints, hash tiles) go out from memory with the
         * headers in one write: as a header write followed by a tiny
         * sendfile they met Nagle's algorithm and delayed ACKs (a third of
         * the requests per second for the checkpoint, p99 40 ms). */
        int bad = read_body(fd, size, resp);
        close(fd);
        if (bad)
            return doge__srv_error(resp, 500, "cannot read %s", rel);
        if (immutable) {
            resp->cache = DOGE_SRV_CACHE_IMMUTABLE;
        } else if (dl + 1 + rl < sizeof resp->cache_path) {
            memcpy(resp->cache_path, path, dl + 1 + rl + 1);
            doge__srv_filestamp_of(&sb, &resp->cache_stamp);
            resp->cache = DOGE_SRV_CACHE_FILE;
        }
    } else {
        resp->fd = fd;
        resp->fd_size = (uint64_t)sb.st_size;
    }
    doge__srv_resp_header(resp, "Cache-Control", cache);
    doge__srv_resp_header(resp, "Access-Control-Allow-Origin", "*");
    return 0;
}

static int get_checkpoint(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    return send_file(srv, resp, "checkpoint", "text/plain; charset=utf-8", "no-cache", 0);
}

static int get_tile(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    /* req->rest follows "/ledger/tile/": parse "tile/" + rest. */
    char rel[DOGE_TILE_PATH_MAX + 8];
    size_t rl = strlen(req->rest);
    doge_tile t;
    if (rl > DOGE_TILE_PATH_MAX)
        return doge__srv_error(resp, 404, "not a tlog-tiles path");
    memcpy(rel, "tile/", 5);
    memcpy(rel + 5, req->rest, rl + 1);
    if (doge_tile_parse_path(rel, rl + 5, &t) != DOGE_OK)
        return doge__srv_error(resp, 404, "not a tlog-tiles path");
    int full = t.width == DOGE_TILE_WIDTH;
    return send_file(srv, resp, rel, "application/octet-stream",
                     full ? "public, max-age=31536000, immutable" : "public, max-age=60", full);
}

static const doge_srv_route routes[] = {
    {"GET", "/ledger/checkpoint", DOGE_SRV_PUBLIC, get_checkpoint},
    {"GET", "/ledger/tile/*", DOGE_SRV_PUBLIC, get_tile},
};

int doge__srv_routes_ledger(doge_srv_router *r)
{
    return doge__srv_router_add(r, routes, sizeof routes / sizeof routes[0]);
}
