/*
 * server.c — `doge serve` on libmicrohttpd: binds the listening socket
 * (HOST:PORT, port 0 for any free one; the bound URL is printed and written
 * to --port-file), runs a pool of worker threads each with its own epoll
 * loop, and turns each HTTP request into a doge_srv_req for the router:
 * the raw path and query as sent (not percent-decoded, so a tile path is
 * checked exactly as it came), the query decoded strictly, the body
 * collected up to the body limit (413 early from Content-Length, or as soon
 * as it passes), the per-client rate limit (429 with Retry-After) and the
 * bearer token's role. Header size, idle timeout (slow clients),
 * connections in all and per address are libmicrohttpd options. SIGINT or
 * SIGTERM stops accepting, lets the requests in flight finish (10 s at
 * most) and exits 0.
 */
#include "server.h"

#include "doge/common.h"
#include "internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define QUERY_MAX 4096
#define DRAIN_SECONDS 10

/* One request's state, from the URI callback to the completion callback. */
typedef struct conn_ctx {
    char *uri;           /* as sent: path and query */
    doge_buf body;
    int started;         /* the handler saw the first call */
    int too_large;       /* the body passed the limit */
    int counted;         /* counted in inflight */
    char client[INET6_ADDRSTRLEN + 1]; /* the peer's address */
} conn_ctx;

typedef struct run_state {
    doge_srv srv;
    atomic_int inflight;
} run_state;

static double now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* libmicrohttpd calls this first for every request, with the URI as sent;
 * its return value becomes the request's context. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    run_state *rs = cls;
    conn_ctx *cx = calloc(1, sizeof *cx);
    if (!cx)
        return NULL;
    cx->uri = strdup(uri ? uri : "");
    doge_buf_init(&cx->body, rs->srv.limits.body_max + 1);
    return cx;
}

/* Paths and queries are decoded by the router and the form parser, never
 * by libmicrohttpd. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s) { return strlen(s); }

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    run_state *rs = cls;
    conn_ctx *cx = *con_cls;
    if (!cx)
        return;
    if (cx->counted)
        atomic_fetch_sub(&rs->inflight, 1);
    doge_buf_dispose(&cx->body);
    free(cx->uri);
    free(cx);
    *con_cls = NULL;
}

static const char *header_of(void *cls, const char *name)
{
    return MHD_lookup_connection_value(cls, MHD_HEADER_KIND, name);
}

static void client_of(struct MHD_Connection *c, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, cap, "unknown");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)cap);
}

static enum MHD_Result send_resp(doge_srv *srv, struct MHD_Connection *c, const char *method,
                                 const char *path, doge_srv_resp *resp)
{
    struct MHD_Response *r;
    if (resp->fd >= 0) {
        r = MHD_create_response_from_fd64(resp->fd_size, resp->fd);
        if (r)
            resp->fd = -1; /* libmicrohttpd closes it */
    } else {
        char *data;
        size_t len;
        if (doge_buf_detach(&resp->body, &data, &len) != DOGE_OK)
            return MHD_NO;
        r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
        if (!r)
            free(data);
    }
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                            "base-uri 'none'");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    for (size_t i = 0; i < resp->nheaders; i++)
        MHD_add_response_header(r, resp->hname[i], resp->hvalue[i]);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    if (!srv->quiet)
        fprintf(stderr, "%s %s %d\n", method, path, resp->status);
    return ret;
}

/* Answers at once (before the body is read: the connection is then closed). */
static enum MHD_Result refuse(doge_srv *srv, struct MHD_Connection *c, const char *method,
                              const char *path, int status, const char *retry_after,
                              const char *msg)
{
    doge_srv_resp resp;
    doge__srv_resp_init(&resp);
    doge__srv_error(&resp, status, "%s", msg);
    if (retry_after)
        doge__srv_resp_header(&resp, "Retry-After", retry_after);
    enum MHD_Result r = send_resp(srv, c, method, path, &resp);
    doge__srv_resp_dispose(&resp);
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    run_state *rs = cls;
    doge_srv *srv = &rs->srv;
    conn_ctx *cx = *con_cls;
    if (!cx)
        return MHD_NO;
    /* The raw path and query. */
    char path[2048];
    const char *q = strchr(cx->uri, '?');
    size_t pl = q ? (size_t)(q - cx->uri) : strlen(cx->uri);
    if (pl >= sizeof path)
        pl = sizeof path - 1; /* longer than any route: stays unmatched */
    memcpy(path, cx->uri, pl);
    path[pl] = '\0';
    if (!cx->started) {
        cx->started = 1;
        atomic_fetch_add(&rs->inflight, 1);
        cx->counted = 1;
        char ra[16];
        unsigned retry;
        client_of(c, cx->client, sizeof cx->client);
        if (!doge__srv_rate_take(srv->rate, cx->client, now_mono(), &retry)) {
            snprintf(ra, sizeof ra, "%u", retry);
            return refuse(srv, c, method, path, 429, ra,
                          "too many requests from this address: slow down");
        }
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(cl, &end, 10);
            if (errno || end == cl || *end || v > srv->limits.body_max)
                return refuse(srv, c, method, path, 413, NULL,
                              "the request body is larger than this server accepts");
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!cx->too_large &&
            doge_buf_append(&cx->body, upload_data, *upload_data_size) != DOGE_OK)
            cx->too_large = 1;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (cx->too_large || cx->body.len > srv->limits.body_max)
        return refuse(srv, c, method, path, 413, NULL,
                      "the request body is larger than this server accepts");
    /* The whole request is here. */
    doge_srv_req req;
    req.nargs = 0;
    req.role = 0;
    char query[QUERY_MAX + 1];
    size_t ql = q ? strlen(q + 1) : 0;
    doge_srv_resp resp;
    doge__srv_resp_init(&resp);
    req.method = method;
    req.path = path;
    req.rest = "";
    req.body = doge_buf_cstr(&cx->body);
    req.body_len = cx->body.len;
    req.client = cx->client;
    req.header = header_of;
    req.header_cls = c;
    int bad_query = 0;
    if (ql > QUERY_MAX) {
        bad_query = 1;
    } else if (ql) {
        memcpy(query, q + 1, ql + 1);
        int n = doge__srv_form_parse(query, ql, req.args, DOGE_SRV_MAX_ARGS);
        if (n < 0)
            bad_query = 1;
        else
            req.nargs = (size_t)n;
    }
    if (bad_query)
        doge__srv_error(&resp, 400, "the query string is malformed or too long");
    else {
        req.role = doge__srv_auth_role(srv, &req);
        doge__srv_dispatch(srv, &srv->router, &req, &resp);
    }
    enum MHD_Result r = send_resp(srv, c, method, path, &resp);
    doge__srv_resp_dispose(&resp);
    return r;
}

/* ---- listening socket -------------------------------------------------- */

static int bind_listen(const char *listen_at, int *fd_out, char *url, size_t cap)
{
    char host[256];
    const char *colon = strrchr(listen_at, ':');
    if (!colon || colon == listen_at || !colon[1])
        return doge__error_set(DOGE_EINVAL, "--listen '%s': expected HOST:PORT", listen_at);
    size_t hl = (size_t)(colon - listen_at);
    const char *h = listen_at;
    if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl >= sizeof host)
        return doge__error_set(DOGE_EINVAL, "--listen '%s': host too long", listen_at);
    memcpy(host, h, hl);
    host[hl] = '\0';
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int gai = getaddrinfo(host, colon + 1, &hints, &ai);
    if (gai != 0)
        return doge__error_set(DOGE_EINVAL, "--listen '%s': %s", listen_at, gai_strerror(gai));
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return doge__error_set(DOGE_EIO, "cannot listen on %s: %s", listen_at, strerror(e));
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    char addr[INET6_ADDRSTRLEN];
    int port = 0;
    if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &s6->sin6_addr, addr, sizeof addr);
        port = ntohs(s6->sin6_port);
        snprintf(url, cap, "http://[%s]:%d/", addr, port);
    } else {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &s4->sin_addr, addr, sizeof addr);
        port = ntohs(s4->sin_port);
        snprintf(url, cap, "http://%s:%d/", addr, port);
    }
    freeaddrinfo(ai);
    *fd_out = fd;
    return port;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    const doge_srv *srv = cls;
    if (srv->quiet)
        return;
    fputs("doge serve: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ---- run ------------------------------------------------------------------ */

void doge__srv_dispose(doge_srv *srv)
{
    doge__srv_wspool_free(srv->pool);
    doge__srv_rate_free(srv->rate);
    pthread_mutex_destroy(&srv->write_mu);
    free(srv->dir);
    free(srv->ledger_dir);
    free(srv->public_url);
}

int doge__srv_setup(doge_srv *srv, const char *dir, int quiet)
{
    memset(srv, 0, sizeof *srv);
    pthread_mutex_init(&srv->write_mu, NULL);
    srv->quiet = quiet;
    char ld[PATH_MAX];
    snprintf(ld, sizeof ld, "%s/ledger", dir);
    if (!(srv->dir = strdup(dir)) || !(srv->ledger_dir = strdup(ld)))
        return doge__error_oom();
    doge_workspace *ws;
    int rc = doge_workspace_open(&ws, dir);
    if (rc)
        return rc;
    rc = doge__srv_config(srv, ws);
    if (rc == DOGE_OK)
        rc = doge__srv_csrf_load(srv, ws);
    doge_workspace_free(ws);
    if (rc || (rc = doge__srv_wspool_new(&srv->pool, dir)) ||
        (rc = doge__srv_rate_new(&srv->rate, srv->limits.rate, srv->limits.burst)))
        return rc;
    if ((rc = doge__srv_register_all(&srv->router)))
        return doge__error_set(rc, "too many routes");
    return DOGE_OK;
}

int doge_server_run(const doge_server_opts *o)
{
    run_state *rs = calloc(1, sizeof *rs);
    if (!rs)
        return doge__error_oom();
    atomic_init(&rs->inflight, 0);
    doge_srv *srv = &rs->srv;
    int lfd = -1, rc = doge__srv_setup(srv, o->dir, o->quiet);
    char url[128];
    if (rc == DOGE_OK) {
        int port = bind_listen(o->listen, &lfd, url, sizeof url);
        rc = port < 0 ? port : DOGE_OK;
    }
    if (rc) {
        doge__srv_dispose(srv);
        free(rs);
        return rc;
    }
    /* SIGINT and SIGTERM are taken by sigwait below: blocked in every
     * thread, which inherit this mask. */
    sigset_t sigs, old;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);
    signal(SIGPIPE, SIG_IGN);
    unsigned threads = o->threads > 0 ? (unsigned)o->threads : 1;
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                         MHD_USE_ERROR_LOG | MHD_USE_TURBO;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, rs, MHD_OPTION_LISTEN_SOCKET, lfd,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_URI_LOG_CALLBACK, on_uri, rs,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, rs, MHD_OPTION_UNESCAPE_CALLBACK,
        no_unescape, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT, srv->limits.header_max,
        MHD_OPTION_CONNECTION_TIMEOUT, srv->limits.timeout_s, MHD_OPTION_CONNECTION_LIMIT,
        srv->limits.connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT, srv->limits.per_ip,
        MHD_OPTION_STRICT_FOR_CLIENT, (int)1, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, srv,
        MHD_OPTION_END);
    if (!d) {
        close(lfd);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        doge__srv_dispose(srv);
        free(rs);
        return doge__error_set(DOGE_EIO, "cannot start the HTTP server on %s", o->listen);
    }
    if (o->port_file) {
        char p[16];
        const char *colon = strrchr(url, ':');
        int n = snprintf(p, sizeof p, "%d\n", atoi(colon + 1));
        if (doge__file_write_atomic(o->port_file, p, (size_t)n, 0644) != DOGE_OK)
            fprintf(stderr, "doge serve: %s\n", doge_error_last());
    }
    fprintf(o->out, "%s\n", url);
    fflush(o->out);
    if (!o->quiet)
        fprintf(stderr, "doge serve: %s on %s with %u thread(s)\n", o->dir, url, threads);
    int sig = 0;
    sigwait(&sigs, &sig);
    if (!o->quiet)
        fprintf(stderr, "doge serve: %s: finishing the requests in flight\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM");
    /* Stop accepting, let the requests in flight end, then stop. */
    int qfd = MHD_quiesce_daemon(d);
    if (qfd >= 0)
        close(qfd);
    double until = now_mono() + DRAIN_SECONDS;
    while (atomic_load(&rs->inflight) > 0 && now_mono() < until) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    doge__srv_dispose(srv);
    free(rs);
    return DOGE_OK;
}
