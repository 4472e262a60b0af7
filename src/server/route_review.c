/*
 * route_review.c — the review pillar over HTTP (doge/review.h):
 *   GET  /api/review/queue?week=W[&department=D][&limit=N]
 *        the replies waiting for a human, highest priority first: the
 *        items of `doge --json review queue` (limit 1..1000, default 50)
 *   GET  /api/review/reply/<id>     one reply's review with the evidence per
 *        bullet, its cluster and its decisions (`doge --json review show`)
 *   POST /api/review/decide         {"reply": N, "outcome": "ok"|"follow-up"|
 *        "escalate", "reason": "..."}: a reviewer's decision into the ledger
 *        (token role reviewer or admin; "by" is the token's holder)
 *   GET  /api/pulse/report?week=W   the week's report as JSON (`doge --json
 *        pulse report`)
 *   GET  /pulse/report?week=W       the same as one self-contained HTML page
 * Reads are open unless [serve] read_token = required. Errors are the
 * uniform JSON errors, with the library's message.
 */
#include "server.h"

#include "doge/review.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define QUEUE_DEFAULT 50
#define QUEUE_MAX 1000

static const char *arg(const doge_srv_req *req, const char *key)
{
    return doge__srv_kv_get(req->args, req->nargs, key);
}

/* A positive decimal id (no sign, no spaces, no leading '+'); 0 if not. */
static int64_t parse_id(const char *s)
{
    if (!s || *s < '1' || *s > '9' || strlen(s) > 18)
        return 0;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}

static int add_item(void *ctx, const doge_review_item *it)
{
    json_t *j = doge_review_item_json(it);
    return j ? json_array_append_new(ctx, j) : DOGE_ENOMEM;
}

static int get_queue(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    const char *week = arg(req, "week"), *dept = arg(req, "department"), *lim = arg(req, "limit");
    if (!week || !*week)
        return doge__srv_error(resp, 400, "needs week=YYYY-Www");
    int64_t limit = lim ? parse_id(lim) : QUEUE_DEFAULT;
    if (limit < 1 || limit > QUEUE_MAX)
        return doge__srv_error(resp, 400, "limit must be 1 to %d", QUEUE_MAX);
    doge_workspace *ws;
    int rc = doge__srv_ws_acquire(srv, &ws);
    if (rc)
        return doge__srv_lib_error(resp, rc);
    json_t *arr = json_array();
    rc = doge_review_queue(ws, week, dept, (size_t)limit, add_item, arr);
    doge__srv_ws_release(srv, ws);
    if (rc) {
        json_decref(arr);
        return doge__srv_lib_error(resp, rc);
    }
    /* The object of `doge --json review queue`. */
    json_t *o = json_object();
    json_object_set_new(o, "week", json_string(week));
    json_object_set_new(o, "queue", arr);
    if (dept)
        json_object_set_new(o, "department", json_string(dept));
    return doge__srv_json(resp, 200, o);
}

static int get_reply(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    int64_t id = parse_id(req->rest);
    if (!id)
        return doge__srv_error(resp, 404, "not a reply id: /api/review/reply/<id>");
    doge_workspace *ws;
    int rc = doge__srv_ws_acquire(srv, &ws);
    if (rc)
        return doge__srv_lib_error(resp, rc);
    json_t *j = NULL;
    rc = doge_review_reply_evidence(ws, id, &j);
    doge__srv_ws_release(srv, ws);
    if (rc)
        return doge__srv_lib_error(resp, rc);
    return doge__srv_json(resp, 200, j);
}

/* The reply id of a decision body: a JSON integer, or a string of digits
 * (with an optional '#', as the CLI prints it). */
static int64_t reply_of(const json_t *v)
{
    if (json_is_integer(v))
        return json_integer_value(v) > 0 ? json_integer_value(v) : 0;
    const char *s = json_string_value(v);
    if (s && *s == '#')
        s++;
    return parse_id(s);
}

static int post_decide(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    const char *ct = req->header ? req->header(req->header_cls, "Content-Type") : NULL;
    if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';'))
        return doge__srv_error(resp, 415, "the body must be application/json");
    json_error_t jerr;
    json_t *b = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(b)) {
        json_decref(b);
        return doge__srv_error(resp, 400, "the body must be a JSON object {reply, outcome, reason}");
    }
    int64_t reply = reply_of(json_object_get(b, "reply"));
    const char *outcome = json_string_value(json_object_get(b, "outcome"));
    const char *reason = json_string_value(json_object_get(b, "reason"));
    int rc;
    if (!reply) {
        rc = doge__srv_error(resp, 400, "\"reply\" must be a reply id");
    } else if (!outcome || !reason) {
        rc = doge__srv_error(resp, 400, "\"outcome\" and \"reason\" must be strings");
    } else {
        doge_workspace *ws;
        int64_t index = -1;
        if ((rc = doge__srv_ws_acquire(srv, &ws)) == DOGE_OK) {
            pthread_mutex_lock(&srv->write_mu);
            rc = doge_review_decide(ws, reply, outcome, reason, req->who, &index);
            pthread_mutex_unlock(&srv->write_mu);
            doge__srv_ws_release(srv, ws);
        }
        if (rc) {
            rc = doge__srv_lib_error(resp, rc);
        } else {
            json_t *o = json_object();
            json_object_set_new(o, "reply", json_integer(reply));
            json_object_set_new(o, "outcome", json_string(outcome));
            json_object_set_new(o, "reason", json_string(reason));
            json_object_set_new(o, "by", json_string(req->who));
            json_object_set_new(o, "ledger_index", json_integer(index));
            rc = doge__srv_json(resp, 200, o);
        }
    }
    json_decref(b);
    return rc;
}

static int report(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp, json_t **out)
{
    const char *week = arg(req, "week");
    *out = NULL;
    if (!week || !*week) {
        doge__srv_error(resp, 400, "needs week=YYYY-Www");
        return -1;
    }
    doge_workspace *ws;
    int rc = doge__srv_ws_acquire(srv, &ws);
    if (rc == DOGE_OK) {
        rc = doge_review_report(ws, week, 0, out);
        doge__srv_ws_release(srv, ws);
    }
    if (rc) {
        doge__srv_lib_error(resp, rc);
        return -1;
    }
    return 0;
}

static int get_report_json(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    json_t *j;
    if (report(srv, req, resp, &j))
        return 0;
    return doge__srv_json(resp, 200, j);
}

static int get_report_html(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    json_t *j;
    if (report(srv, req, resp, &j))
        return 0;
    char *html = NULL;
    size_t len = 0;
    int rc = doge_review_report_html(j, &html, &len);
    json_decref(j);
    if (rc)
        return doge__srv_lib_error(resp, rc);
    doge__srv_text(resp, 200, "text/html; charset=utf-8", html, len);
    free(html);
    /* The report is one file with its CSS inline and SVG charts: no script,
     * nothing fetched. */
    doge__srv_resp_header(resp, "Content-Security-Policy",
                          "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                          "frame-ancestors 'self'; form-action 'none'; base-uri 'none'");
    doge__srv_resp_header(resp, "Cache-Control", "no-cache");
    return 0;
}

static const doge_srv_route routes[] = {
    {"GET", "/api/review/queue", DOGE_SRV_READ, get_queue},
    {"GET", "/api/review/reply/*", DOGE_SRV_READ, get_reply},
    {"POST", "/api/review/decide", DOGE_SRV_ROLE_REVIEWER | DOGE_SRV_ROLE_ADMIN, post_decide},
    {"GET", "/api/pulse/report", DOGE_SRV_READ, get_report_json},
    {"GET", "/pulse/report", DOGE_SRV_READ, get_report_html},
};

int doge__srv_routes_review(doge_srv_router *r)
{
    return doge__srv_router_add(r, routes, sizeof routes / sizeof routes[0]);
}
