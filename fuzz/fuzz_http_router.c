/*
 * fuzz_http_router.c — libFuzzer target for doge serve's request handling
 * without sockets: the input is a request as text ("METHOD PATH[?QUERY]",
 * header lines "Name: value", an empty line, the body), decoded the way
 * server.c does (strict query parsing, the bearer token's role) and
 * dispatched through the real router and handlers against a small
 * workspace made once (a ledger with entries, a witness key following it,
 * a campaign). Properties: no crash or sanitizer report, no 5xx (malformed
 * input is always the client's fault), a 405 names what is allowed, and a
 * file response is only ever a regular file of the ledger.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "doge.h"
#include "doge/pulse.h"
#include "server.h"

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static doge_srv srv;
static char dir[PATH_MAX], top[PATH_MAX];

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

/* The temp workspace goes when the fuzzer exits. */
static void cleanup(void)
{
    doge__srv_dispose(&srv);
    nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

__attribute__((noreturn)) static void die(const char *what)
{
    fprintf(stderr, "fuzz_http_router setup: %s: %s\n", what, doge_error_last());
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    snprintf(dir, sizeof dir, "%s/doge-fuzz-http.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        abort();
    snprintf(top, sizeof top, "%s", dir);
    strcat(dir, "/w");
    doge_workspace *ws;
    doge_signer *log_key, *wit_key;
    doge_verifier *v;
    doge_ledger *l;
    if (doge_workspace_init(dir) || doge_workspace_open(&ws, dir))
        die("workspace");
    if (doge_signer_generate(&log_key, "fuzz.example/log", DOGE_KEY_ED25519) ||
        doge_keystore_save(ws, log_key) ||
        doge_signer_generate(&wit_key, "fuzz.example/witness", DOGE_KEY_COSIGNATURE_V1) ||
        doge_keystore_save(ws, wit_key))
        die("keys");
    if (doge_ledger_init_workspace(ws, "fuzz.example/log", NULL) ||
        doge_ledger_open_workspace(&l, ws, 1))
        die("ledger");
    for (int i = 0; i < 300; i++) {
        char e[32];
        int n = snprintf(e, sizeof e, "entry %d", i);
        if (doge_ledger_append(l, e, (size_t)n, NULL))
            die("append");
    }
    if (doge_ledger_commit(l))
        die("commit");
    doge_ledger_free(l);
    /* The witness follows its own log: add-checkpoint reaches the decision. */
    doge_stmt *s;
    char *vt;
    if (doge_signer_verifier(log_key, &v) || doge_verifier_format(v, &vt) ||
        doge_store_prepare(doge_workspace_store(ws), &s,
                           "INSERT INTO witness_trust (origin, vkey) VALUES (?, ?)"))
        die("trust");
    doge_stmt_bind_text(s, 1, "fuzz.example/log", -1);
    doge_stmt_bind_text(s, 2, vt, -1);
    if (doge_stmt_step(s) < 0)
        die("trust insert");
    doge_stmt_free(s);
    free(vt);
    doge_verifier_free(v);
    doge_signer_free(log_key);
    doge_signer_free(wit_key);
    doge_workspace_free(ws);
    if (doge__srv_setup(&srv, dir, 1))
        die("server");
    atexit(cleanup);
    return 0;
}

typedef struct {
    const char *names[16];
    const char *values[16];
    size_t n;
} headers;

static const char *header_of(void *cls, const char *name)
{
    const headers *h = cls;
    for (size_t i = 0; i < h->n; i++)
        if (strcasecmp(h->names[i], name) == 0)
            return h->values[i];
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    /* Request line. */
    char *p = buf, *end = buf + size;
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) {
        free(buf);
        return 0;
    }
    *nl = '\0';
    char *sp = strchr(p, ' ');
    if (!sp || strlen(p) == 0) {
        free(buf);
        return 0;
    }
    *sp = '\0';
    const char *method = p, *uri = sp + 1;
    p = nl + 1;
    /* Headers until an empty line. */
    headers h = {0};
    while (p < end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        char *line_end = nl ? nl : end;
        *line_end = '\0';
        if (*p == '\0') {
            p = nl ? nl + 1 : end;
            break;
        }
        char *colon = strchr(p, ':');
        if (colon && h.n < 16) {
            *colon = '\0';
            char *v = colon + 1;
            while (*v == ' ')
                v++;
            h.names[h.n] = p;
            h.values[h.n++] = v;
        }
        p = nl ? nl + 1 : end;
    }
    const char *body = p;
    size_t body_len = (size_t)(end - p);
    /* As server.c: the path as sent, the query decoded strictly. */
    char path[2048], query[4097];
    const char *q = strchr(uri, '?');
    size_t pl = q ? (size_t)(q - uri) : strlen(uri);
    if (pl >= sizeof path)
        pl = sizeof path - 1;
    memcpy(path, uri, pl);
    path[pl] = '\0';
    doge_srv_req req;
    memset(&req, 0, sizeof req);
    req.method = method;
    req.path = path;
    req.rest = "";
    req.body = body;
    req.body_len = body_len;
    req.client = "127.0.0.1";
    req.header = header_of;
    req.header_cls = &h;
    doge_srv_resp resp;
    doge__srv_resp_init(&resp);
    size_t ql = q ? strlen(q + 1) : 0;
    int ok = 1;
    if (ql > 4096) {
        ok = 0;
    } else if (ql) {
        memcpy(query, q + 1, ql + 1);
        int n = doge__srv_form_parse(query, ql, req.args, DOGE_SRV_MAX_ARGS);
        if (n < 0)
            ok = 0;
        else
            req.nargs = (size_t)n;
    }
    if (ok) {
        req.role = doge__srv_auth_role(&srv, &req);
        doge__srv_dispatch(&srv, &srv.router, &req, &resp);
        if (resp.status < 200 || resp.status >= 500) {
            fprintf(stderr, "status %d for %s %s: %.*s\n", resp.status, method, uri,
                    (int)resp.body.len, resp.body.data);
            abort();
        }
        if (resp.status == 405) {
            int allow = 0;
            for (size_t i = 0; i < resp.nheaders; i++)
                allow |= strcmp(resp.hname[i], "Allow") == 0 && resp.hvalue[i][0];
            if (!allow)
                abort();
        }
        if (resp.fd >= 0) {
            struct stat sb;
            char link[64], target[PATH_MAX];
            snprintf(link, sizeof link, "/proc/self/fd/%d", resp.fd);
            ssize_t tl = readlink(link, target, sizeof target - 1);
            if (fstat(resp.fd, &sb) != 0 || !S_ISREG(sb.st_mode) || tl < 0)
                abort();
            target[tl] = '\0';
            if (strncmp(target, srv.ledger_dir, strlen(srv.ledger_dir)) != 0 &&
                !strstr(target, "/w/ledger/"))
                abort();
            if (strstr(target, "/.doge/"))
                abort();
        }
    }
    doge__srv_resp_dispose(&resp);
    free(buf);
    return 0;
}
