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
 * are replaced as the log grows (cached a minute).
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
 * larger ones (full tiles, entry bundles) go out by sendfile. */
#define SMALL_FILE 4096

static int send_file(doge_srv *srv, doge_srv_resp *resp, const char *rel, const char *type,
                     const char *cache)
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
    if (sb.st_size <= SMALL_FILE) {
        /* Small files (checkpoints, hash tiles) go out from memory with the
         * headers in one write: as a header write followed by a tiny
         * sendfile they met Nagle's algorithm and delayed ACKs (a third of
         * the requests per second for the checkpoint, p99 40 ms). */
        char small[SMALL_FILE];
        size_t want = (size_t)sb.st_size, got = 0;
        while (got < want) {
            ssize_t r = read(fd, small + got, want - got);
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        close(fd);
        if (got != want || doge_buf_append(&resp->body, small, got) != DOGE_OK)
            return doge__srv_error(resp, 500, "cannot read %s", rel);
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
    return send_file(srv, resp, "checkpoint", "text/plain; charset=utf-8", "no-cache");
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
    return send_file(srv, resp, rel, "application/octet-stream",
                     t.width == DOGE_TILE_WIDTH ? "public, max-age=31536000, immutable"
                                                : "public, max-age=60");
}

static const doge_srv_route routes[] = {
    {"GET", "/ledger/checkpoint", DOGE_SRV_PUBLIC, get_checkpoint},
    {"GET", "/ledger/tile/*", DOGE_SRV_PUBLIC, get_tile},
};

int doge__srv_routes_ledger(doge_srv_router *r)
{
    return doge__srv_router_add(r, routes, sizeof routes / sizeof routes[0]);
}
