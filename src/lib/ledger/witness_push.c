/*
 * witness_push.c — the log's side of c2sp.org/tlog-witness: POST the
 * current checkpoint with a consistency proof to a witness's
 * <prefix>/add-checkpoint (libcurl), starting from the size that witness
 * last cosigned (remembered per URL in the witness_peer table; 0 the first
 * time), following a 409's text/x.tlog.size answer to the witness's real
 * size (at most 3 tries), then checking the returned cosignature lines
 * against the witness keys in keys/ and attaching them to the checkpoint
 * (doge_ledger_cosign_add). The ledger is open writable (its lock held) for
 * the whole exchange, so the checkpoint cannot change underneath.
 */
#include "doge/keystore.h"
#include "doge/ledger.h"
#include "doge/witness.h"
#include "doge/workspace.h"
#include "internal.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RESPONSE_MAX (64u << 10)
#define TRIES 3

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

typedef struct {
    char data[RESPONSE_MAX + 1];
    size_t len;
    int overflow;
} reply;

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
    reply *r = ud;
    size_t n = size * nmemb;
    if (r->len + n > RESPONSE_MAX) {
        r->overflow = 1;
        return 0;
    }
    memcpy(r->data + r->len, p, n);
    r->len += n;
    r->data[r->len] = '\0';
    return n;
}

static int fail(doge_witness_push_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(doge_witness_push_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->message, sizeof res->message, fmt, ap);
    va_end(ap);
    return doge__error_set(DOGE_EVERIFY, "%s", res->message);
}

/* POSTs body; sets *status (0 when no HTTP answer) and the reply. */
static int post(const char *url, const char *body, size_t len, long timeout_s, int *status,
                reply *r, char *ctype, size_t ccap, char *err, size_t ecap)
{
    pthread_once(&curl_once, curl_init_once);
    CURL *c = curl_easy_init();
    if (!c)
        return doge__error_oom();
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: text/plain; charset=utf-8");
    h = curl_slist_append(h, "Expect:");
    char ebuf[CURL_ERROR_SIZE] = "";
    r->len = 0;
    r->overflow = 0;
    r->data[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s > 0 ? timeout_s : 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "doge/" DOGE_VERSION_STRING);
    CURLcode cc = curl_easy_perform(c);
    long code = 0;
    char *ct = NULL;
    *status = 0;
    ctype[0] = '\0';
    if (cc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
        *status = (int)code;
        snprintf(ctype, ccap, "%s", ct ? ct : "");
    } else {
        snprintf(err, ecap, "%s", r->overflow ? "the answer is larger than 64 KiB"
                                  : *ebuf     ? ebuf
                                              : curl_easy_strerror(cc));
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return DOGE_OK;
}

/* The cosignature keys in keys/, as verifiers. */
static int witness_keys(doge_workspace *ws, doge_verifier ***out, size_t *n)
{
    doge_key_info *keys;
    size_t nk;
    *out = NULL;
    *n = 0;
    int rc = doge_keystore_list(ws, &keys, &nk);
    if (rc)
        return rc;
    doge_verifier **v = calloc(nk ? nk : 1, sizeof *v);
    if (!v) {
        doge_keystore_list_free(keys, nk);
        return doge__error_oom();
    }
    size_t k = 0;
    for (size_t i = 0; i < nk; i++)
        if (keys[i].type == DOGE_KEY_COSIGNATURE_V1 &&
            doge_verifier_parse(&v[k], keys[i].vkey) == DOGE_OK)
            k++;
    doge_keystore_list_free(keys, nk);
    *out = v;
    *n = k;
    return DOGE_OK;
}

static int peer_size(doge_store *st, const char *url, int64_t *size)
{
    int rc = doge_store_query_int64(st, "SELECT size FROM witness_peer WHERE url = ?", url, size);
    if (rc == DOGE_ENOTFOUND) {
        *size = -1;
        return DOGE_OK;
    }
    return rc;
}

static int peer_set(doge_store *st, const char *url, int64_t size)
{
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "INSERT INTO witness_peer (url, size, updated_at) VALUES (?, ?, ?)"
                                " ON CONFLICT (url) DO UPDATE SET size = excluded.size,"
                                " updated_at = excluded.updated_at");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, url, -1);
    doge_stmt_bind_int64(s, 2, size);
    doge_stmt_bind_int64(s, 3, (int64_t)time(NULL));
    rc = doge_stmt_step(s);
    doge_stmt_free(s);
    return rc < 0 ? rc : DOGE_OK;
}

/* A text/x.tlog.size body: decimal digits and a newline. */
static int parse_size(const char *s, size_t len, int64_t *out)
{
    if (len < 2 || len > 20 || s[len - 1] != '\n' || (s[0] == '0' && len > 2))
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int doge_witness_push(doge_workspace *ws, const char *url, long timeout_s,
                      doge_witness_push_result *res)
{
    memset(res, 0, sizeof *res);
    char endpoint[2048];
    size_t ul = strlen(url);
    const char *suffix = "/add-checkpoint";
    if (ul >= 15 && strcmp(url + ul - 15, suffix) == 0)
        suffix = "";
    else if (ul && url[ul - 1] == '/')
        suffix = "add-checkpoint";
    if (snprintf(endpoint, sizeof endpoint, "%s%s", url, suffix) >= (int)sizeof endpoint)
        return doge__error_set(DOGE_EINVAL, "witness URL too long");
    doge_store *st = doge_workspace_store(ws);
    doge_ledger *l = NULL;
    doge_verifier **keys = NULL;
    size_t nkeys = 0;
    reply *r = malloc(sizeof *r);
    char *body = NULL;
    int64_t old;
    int rc;
    if (!r)
        return doge__error_oom();
    if ((rc = doge_ledger_open_workspace(&l, ws, 1)) || (rc = witness_keys(ws, &keys, &nkeys)) ||
        (rc = peer_size(st, url, &old)))
        goto done;
    int64_t size = doge_ledger_size(l);
    res->size = size;
    if (old == size) {
        res->status = 200;
        res->old_size = old;
        goto done; /* cosigned already: attached when it was */
    }
    if (old < 0 || old > size)
        old = 0;
    for (int attempt = 0;; attempt++) {
        size_t blen;
        free(body);
        body = NULL;
        if ((rc = doge_ledger_witness_request(l, old, NULL, 0, &body, &blen)))
            goto done;
        res->old_size = old;
        char ctype[128], err[CURL_ERROR_SIZE + 64] = "";
        int status = 0;
        if ((rc = post(endpoint, body, blen, timeout_s, &status, r, ctype, sizeof ctype, err,
                       sizeof err)))
            goto done;
        res->status = status;
        if (status == 0) {
            rc = fail(res, "%s: %s", endpoint, err);
            goto done;
        }
        if (status == 200) {
            rc = doge_ledger_cosign_add(l, r->data, r->len, (const doge_verifier *const *)keys,
                                        nkeys, &res->added);
            if (rc) {
                rc = fail(res, "%s: the witness's answer does not verify: %s (is its .pub in "
                               "keys/?)",
                          endpoint, doge_error_last());
                goto done;
            }
            rc = peer_set(st, url, size);
            goto done;
        }
        if (status == 409) {
            int64_t theirs;
            if (strncmp(ctype, "text/x.tlog.size", 16) != 0 || parse_size(r->data, r->len, &theirs))
                rc = fail(res, "%s: 409 without a text/x.tlog.size body", endpoint);
            else if (theirs > size)
                rc = fail(res,
                          "%s: the witness cosigned size %lld, beyond this log's %lld: a fork "
                          "or another log with this origin",
                          endpoint, (long long)theirs, (long long)size);
            else if (theirs == old || attempt + 1 >= TRIES)
                rc = fail(res, "%s: 409: the witness's size keeps changing (%lld)", endpoint,
                          (long long)theirs);
            else {
                old = theirs;
                res->retries++;
                continue;
            }
            goto done;
        }
        /* 400, 403, 404, 422 or anything else: refused. */
        size_t show = r->len > 300 ? 300 : r->len;
        while (show && (r->data[show - 1] == '\n' || r->data[show - 1] == '\r'))
            show--;
        rc = fail(res, "%s: refused with %d: %.*s", endpoint, status, (int)show, r->data);
        goto done;
    }
done:
    free(body);
    free(r);
    for (size_t i = 0; i < nkeys; i++)
        doge_verifier_free(keys[i]);
    free(keys);
    doge_ledger_free(l);
    return rc;
}
