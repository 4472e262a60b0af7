/*
 * server.h — what the files of `doge serve` (src/server/) share: the
 * server's settings and state, the request and response a handler sees
 * (plain structs, independent of libmicrohttpd, so the router and the
 * handlers run the same under the fuzzers), the route table each route file
 * registers into, the workspace pool, the per-client rate limiter and the
 * helpers that build uniform JSON errors. Never installed.
 *
 * Ownership: a request and everything it points to are borrowed by the
 * handler for the call; a response's body buffer, file descriptor and extra
 * headers belong to the response until the server sends or disposes it
 * (doge__srv_resp_dispose). The server owns its router, pool and limiter.
 */
#ifndef DOGE_SERVER_H
#define DOGE_SERVER_H

#include "doge/buf.h"
#include "doge/token.h"
#include "doge/workspace.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

/* ---- settings ------------------------------------------------------------- */

typedef struct doge_server_opts {
    const char *dir;         /* the workspace folder */
    const char *listen;      /* HOST:PORT ("127.0.0.1:8080"; port 0: any free port) */
    const char *port_file;   /* NULL, or a file to write the bound port into */
    int threads;             /* worker threads (>= 1) */
    FILE *out;               /* where the bound URL is printed (stdout) */
    int quiet;               /* no request log on stderr */
} doge_server_opts;

/* Limits, from doge.conf [serve] (defaults in limits.c). */
typedef struct doge_srv_limits {
    size_t body_max;         /* bytes of a request body (413 above) */
    size_t header_max;       /* bytes of the request line and headers (MHD memory limit) */
    unsigned timeout_s;      /* idle seconds before a connection is closed */
    unsigned connections;    /* connections at once */
    unsigned per_ip;         /* connections at once from one address */
    double rate;             /* requests per second per client address (0: no limit) */
    double burst;            /* bucket size */
} doge_srv_limits;

/* Roles of bearer tokens (bit flags, so a route can allow several). */
enum {
    DOGE_SRV_ROLE_ADMIN = DOGE_TOKEN_ADMIN,
    DOGE_SRV_ROLE_REVIEWER = DOGE_TOKEN_REVIEWER,
    DOGE_SRV_ROLE_DEPARTMENT = DOGE_TOKEN_DEPARTMENT
};

/* Who may call a route. */
enum {
    DOGE_SRV_PUBLIC = 0, /* anyone, always (ledger, witness, form, dashboard) */
    DOGE_SRV_READ = -1   /* open, or any valid token when [serve] read_token = required */
    /* > 0: a write; a valid token whose role is in the mask */
};

/* ---- requests and responses ----------------------------------------------- */

#define DOGE_SRV_MAX_ARGS 32
#define DOGE_SRV_MAX_HEADERS 8

typedef struct doge_srv_kv {
    const char *key;   /* decoded, NUL-terminated */
    const char *value; /* decoded, NUL-terminated */
} doge_srv_kv;

typedef struct doge_srv_req {
    const char *method;  /* "GET", "HEAD", "POST", ... */
    const char *path;    /* as sent, not percent-decoded, without the query */
    const char *rest;    /* for a prefix route: the path after the prefix */
    doge_srv_kv args[DOGE_SRV_MAX_ARGS]; /* the query, decoded */
    size_t nargs;
    const char *body;    /* NUL-terminated (the NUL is not counted) */
    size_t body_len;
    const char *client;  /* the peer's address, text */
    /* Request headers (case-insensitive name); NULL when absent. */
    const char *(*header)(void *cls, const char *name);
    void *header_cls;
    int role;            /* DOGE_SRV_ROLE_* of a valid bearer token, 0 without */
} doge_srv_req;

typedef struct doge_srv_resp {
    int status;
    const char *content_type; /* static string */
    doge_buf body;
    int fd;                   /* >= 0: send fd_size bytes of this file instead of body */
    uint64_t fd_size;
    size_t nheaders;
    char hname[DOGE_SRV_MAX_HEADERS][48];
    char hvalue[DOGE_SRV_MAX_HEADERS][512];
} doge_srv_resp;

typedef struct doge_srv doge_srv;

/* A handler fills resp (status 200 and an empty body to begin with) and
 * returns 0. It never fails the connection: every problem is a status. */
typedef int (*doge_srv_handler)(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp);

typedef struct doge_srv_route {
    const char *method;  /* "GET" (HEAD too), "POST", ... */
    const char *pattern; /* "/exact/path", or "/prefix/" + "*" (req->rest gets the tail) */
    int access;          /* DOGE_SRV_PUBLIC, DOGE_SRV_READ, or a role mask */
    doge_srv_handler fn;
} doge_srv_route;

/* ---- the router ----------------------------------------------------------- */

#define DOGE_SRV_MAX_ROUTES 128

typedef struct doge_srv_router {
    const doge_srv_route *routes[DOGE_SRV_MAX_ROUTES];
    size_t n;
} doge_srv_router;

/* Adds n routes (borrowed: static tables). DOGE_ELIMIT past the cap. */
int doge__srv_router_add(doge_srv_router *r, const doge_srv_route *routes, size_t n);

/* Each route file's registration; server.c calls every one of them. A new
 * route file (say /api/review/...) adds its function here and to the list
 * in doge__srv_register_all(). */
int doge__srv_routes_ledger(doge_srv_router *r);
int doge__srv_routes_witness(doge_srv_router *r);
int doge__srv_routes_pulse_form(doge_srv_router *r);
int doge__srv_routes_api(doge_srv_router *r);
int doge__srv_routes_assets(doge_srv_router *r);
int doge__srv_register_all(doge_srv_router *r);

/* Finds the route for req (setting req->rest), checks access (role against
 * the route's mask, read_token policy) and runs it; unknown paths are 404,
 * known paths with another method 405 with Allow, all as JSON errors. */
int doge__srv_dispatch(doge_srv *srv, const doge_srv_router *r, doge_srv_req *req,
                       doge_srv_resp *resp);

/* ---- responses ------------------------------------------------------------- */

void doge__srv_resp_init(doge_srv_resp *resp);
void doge__srv_resp_dispose(doge_srv_resp *resp);

/* Adds a response header (copied; silently dropped past the cap). */
void doge__srv_resp_header(doge_srv_resp *resp, const char *name, const char *value);

/* A JSON error body {"error": {"status": N, "message": "..."}}; returns 0. */
int doge__srv_error(doge_srv_resp *resp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A text body of the given type; returns 0 (500 when out of memory). */
int doge__srv_text(doge_srv_resp *resp, int status, const char *content_type, const char *text,
                   size_t len);

struct json_t;
/* A compact JSON body from v (the reference is stolen); returns 0. */
int doge__srv_json(doge_srv_resp *resp, int status, struct json_t *v);

/* The reason phrase of a status ("Not Found"). */
const char *doge__srv_reason(int status);

/* ---- the running server ---------------------------------------------------- */

typedef struct doge_srv_wspool doge_srv_wspool;
typedef struct doge_srv_ratelimit doge_srv_ratelimit;

struct doge_srv {
    char *dir;             /* the workspace folder */
    char *ledger_dir;      /* DIR/ledger */
    doge_srv_limits limits;
    int read_token;        /* 1: reads need a token */
    char *public_url;      /* [serve] public_url, or NULL */
    doge_srv_router router;
    doge_srv_wspool *pool;
    doge_srv_ratelimit *rate;
    uint8_t csrf_key[32];  /* HMAC key of the form's CSRF tokens */
    pthread_mutex_t write_mu; /* one ledger writer at a time in this process */
    int quiet;
};

/* Reads [serve] from the workspace's doge.conf into srv (limits,
 * read_token, public_url) and loads the CSRF key; DOGE_EINVAL naming a bad
 * value. */
int doge__srv_config(doge_srv *srv, doge_workspace *ws);

/* The default limits. */
void doge__srv_limits_default(doge_srv_limits *l);

/* ---- workspace pool (a store is used by one thread at a time) ------------ */

int doge__srv_wspool_new(doge_srv_wspool **out, const char *dir);
void doge__srv_wspool_free(doge_srv_wspool *p);
/* A workspace for this request, opened or reused; release it after. */
int doge__srv_ws_acquire(doge_srv *srv, doge_workspace **ws);
void doge__srv_ws_release(doge_srv *srv, doge_workspace *ws);

/* ---- per-client rate limit (token bucket per address) ------------------- */

int doge__srv_rate_new(doge_srv_ratelimit **out, double rate, double burst);
void doge__srv_rate_free(doge_srv_ratelimit *r);
/* 1 when the client may go on (a token was taken), 0 when it must wait
 * (*retry_after gets whole seconds). now is monotonic seconds. */
int doge__srv_rate_take(doge_srv_ratelimit *r, const char *client, double now,
                        unsigned *retry_after);

/* ---- form and query decoding (form.c) ------------------------------------ */

/* Parses application/x-www-form-urlencoded text (len bytes, writable, with a
 * NUL at text[len]) into at most max pairs, decoding '+' and %XX in place:
 * the pairs point into text. Returns the pair count, or -1 for malformed
 * input (a bad escape, %00, a control byte other than CR LF TAB, invalid
 * UTF-8, more than max pairs). */
int doge__srv_form_parse(char *text, size_t len, doge_srv_kv *out, size_t max);

/* The value of key in pairs, or NULL. */
const char *doge__srv_kv_get(const doge_srv_kv *kv, size_t n, const char *key);

/* Appends s HTML-escaped (& < > " ') to b. */
int doge__srv_html_escape(doge_buf *b, const char *s);

/* ---- bearer tokens ---------------------------------------------------------- */

/* The role of the request's "Authorization: Bearer T" token (0 when none or
 * not valid). */
int doge__srv_auth_role(doge_srv *srv, const doge_srv_req *req);

/* ---- the reply form's CSRF protection (csrf.c) ----------------------------- */

/* Loads the workspace's CSRF key into srv (made and stored on first use). */
int doge__srv_csrf_load(doge_srv *srv, doge_workspace *ws);

/* A fresh nonce (the cookie) and the form field bound to token; 0 or -1. */
int doge__srv_csrf_make(const doge_srv *srv, const char *token, char nonce[33], char field[65]);

/* NULL when the POST carries a cookie and field that match token and comes
 * from this server (Origin, Sec-Fetch-Site); else why not. */
const char *doge__srv_csrf_check(const doge_srv *srv, const doge_srv_req *req, const char *token,
                                 const char *field);

/* ---- the server itself ------------------------------------------------------ */

/* Sets srv up for the workspace in dir (settings, CSRF key, pool, rate
 * limiter, routes) without any socket: doge_server_run() and the fuzzers
 * use it. doge__srv_dispose() releases what it made (also after a failure). */
int doge__srv_setup(doge_srv *srv, const char *dir, int quiet);
void doge__srv_dispose(doge_srv *srv);

/* Runs `doge serve` until SIGINT or SIGTERM, then stops accepting, lets the
 * requests in flight finish (up to 10 seconds) and returns 0, or a negative
 * code when it could not start (doge_error_last says why). */
int doge_server_run(const doge_server_opts *opts);

#endif
