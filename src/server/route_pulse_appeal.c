/*
 * route_pulse_appeal.c — the respondent's appeal on the web. The reply form
 * (once a reply is recorded) and the receipt carry a small form that posts
 * to POST /pulse/appeal?t=TOKEN with a reason; the pulse token identifies
 * the employee and the week, the post is CSRF-checked exactly like the
 * reply form (csrf.c: the cookie, the HMAC-bound field, the origin), and
 * doge_review_appeal records the appeal of the employee's current reply of
 * that week in the ledger; the reply goes back to the review queue for a
 * person. Pages are HTML (page.c), errors too, with their HTTP status.
 */
#include "server.h"

#include "doge/pulse.h"
#include "doge/review.h"
#include "doge/store.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REASON_MAX 2000

void doge__srv_appeal_form(doge_buf *b, const char *token, const char *csrf_field)
{
    doge_buf_append_str(b, "<section class=\"card\" id=\"appeal\"><h3>Disagree with the review?"
                           "</h3><p class=\"small\">A person reviews flagged replies; nothing is "
                           "decided automatically. If you think your reply was misread, say why: "
                           "your appeal is recorded in the ledger and the reply goes back to a "
                           "reviewer.</p><form method=\"post\" id=\"appeal-form\" "
                           "action=\"/pulse/appeal?t=");
    doge__srv_html_escape(b, token);
    doge_buf_printf(b, "\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                       "<label for=\"reason\">Why?</label><textarea id=\"reason\" name=\"reason\" "
                       "rows=\"3\" required maxlength=\"%d\"></textarea>"
                       "<button type=\"submit\" id=\"appeal-submit\">Appeal</button></form>"
                       "</section>",
                    csrf_field, REASON_MAX);
}

/* The employee's current reply of the week (as the receipt), or 0. */
static int64_t current_reply(doge_workspace *ws, const doge_pulse_form_info *info, int *rc)
{
    doge_stmt *s;
    int64_t id = 0;
    *rc = doge_store_prepare(doge_workspace_store(ws), &s,
                             "SELECT id FROM pulse_reply WHERE week = ? AND employee_id = ?"
                             " AND kind = 'reply' AND superseded = 0"
                             " ORDER BY sent_at DESC, id DESC LIMIT 1");
    if (*rc)
        return 0;
    doge_stmt_bind_text(s, 1, info->week, -1);
    doge_stmt_bind_text(s, 2, info->employee_id, -1);
    if ((*rc = doge_stmt_step(s)) == 1)
        id = doge_stmt_int64(s, 0);
    *rc = *rc < 0 ? *rc : DOGE_OK;
    doge_stmt_free(s);
    return id;
}

static int blank(const char *s)
{
    while (s && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++;
    return !s || !*s;
}

static int appealed_page(doge_srv_resp *resp, const doge_pulse_form_info *info, int64_t reply,
                         int64_t index)
{
    doge_buf b;
    doge_buf_init(&b, 1u << 20);
    doge__srv_page_open(&b, "Appeal recorded");
    doge_buf_append_str(&b, "<section class=\"card\" id=\"appeal-recorded\"><h2>Your appeal is "
                            "recorded</h2><dl class=\"facts\"><dt>Week</dt><dd>");
    doge__srv_html_escape(&b, info->week);
    doge_buf_printf(&b, "</dd><dt>Reply</dt><dd id=\"appeal-reply\">%lld</dd><dt>Ledger entry</dt>"
                        "<dd id=\"appeal-index\">%lld</dd></dl><p>A reviewer will look at your "
                        "reply again.</p></section>",
                    (long long)reply, (long long)index);
    return doge__srv_page_close(resp, 200, &b);
}

static int post_appeal(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    const char *ct = req->header ? req->header(req->header_cls, "Content-Type") : NULL;
    if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
        return doge__srv_page_error(resp, 415,
                                    "The appeal must be sent as application/x-www-form-urlencoded.");
    char *body = malloc(req->body_len + 1);
    if (!body)
        return doge__srv_page_error(resp, 500, "out of memory");
    memcpy(body, req->body, req->body_len);
    body[req->body_len] = '\0';
    doge_srv_kv kv[8];
    int n = doge__srv_form_parse(body, req->body_len, kv, 8);
    const char *token = doge__srv_kv_get(req->args, req->nargs, "t");
    if (!token && n > 0)
        token = doge__srv_kv_get(kv, (size_t)n, "t");
    const char *reason = n > 0 ? doge__srv_kv_get(kv, (size_t)n, "reason") : NULL;
    const char *why;
    doge_workspace *ws = NULL;
    doge_pulse_form_info info;
    int rc;
    int64_t reply = 0, index = -1;
    if (n < 0 || !token) {
        doge__srv_page_error(resp, 400, "The appeal is malformed (it needs the link's token).");
    } else if (doge__srv_ws_acquire(srv, &ws) != DOGE_OK) {
        doge__srv_page_error(resp, 500, doge_error_last());
    } else if ((rc = doge_pulse_form_lookup(ws, token, &info)) != DOGE_OK) {
        doge__srv_page_error(resp, rc == DOGE_ENOTFOUND ? 404 : 500,
                             rc == DOGE_ENOTFOUND ? "This link is not valid." : doge_error_last());
    } else if ((why = doge__srv_csrf_check(srv, req, token,
                                           doge__srv_kv_get(kv, (size_t)n, "csrf")))) {
        doge__srv_page_error(resp, 403, why);
    } else if (blank(reason)) {
        doge__srv_page_error(resp, 400, "Say why you appeal.");
    } else if (strlen(reason) > REASON_MAX) {
        doge__srv_page_error(resp, 413, "The reason is too long.");
    } else if (!(reply = current_reply(ws, &info, &rc))) {
        doge__srv_page_error(resp, rc ? 500 : 404,
                             rc ? doge_error_last() : "No reply is recorded for this week yet.");
    } else {
        pthread_mutex_lock(&srv->write_mu);
        rc = doge_review_appeal(ws, reply, reason, info.employee_id, &index);
        pthread_mutex_unlock(&srv->write_mu);
        if (rc)
            doge__srv_page_error(resp, rc == DOGE_EINVAL ? 400 : rc == DOGE_ELIMIT ? 413 : 500,
                                 doge_error_last());
        else
            appealed_page(resp, &info, reply, index);
    }
    doge__srv_ws_release(srv, ws);
    free(body);
    return 0;
}

static const doge_srv_route routes[] = {
    {"POST", "/pulse/appeal", DOGE_SRV_PUBLIC, post_appeal},
};

int doge__srv_routes_pulse_appeal(doge_srv_router *r)
{
    return doge__srv_router_add(r, routes, sizeof routes / sizeof routes[0]);
}
