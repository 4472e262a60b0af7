/*
 * route_pulse_form.c — the employees' web form for the weekly check-in.
 * GET /pulse/reply?t=TOKEN (the link in the request mail) shows the form
 * for that employee's week; POST /pulse/reply records the reply through the
 * mail pipeline (doge_pulse_ingest_form) and shows the receipt: the ledger
 * entry, on time or late, the policy flags, the bullets as stored, and
 * downloads of the entry (/pulse/entry?t=) and its tlog-proof
 * (/pulse/proof?t=). The reply token is the credential (one employee, one
 * week); the POST is CSRF-checked (csrf.c). Pages use only the embedded
 * stylesheet, no script.
 */
#include "server.h"

#include "doge/date.h"
#include "doge/pulse.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void page_open(doge_buf *b, const char *title)
{
    doge_buf_append_str(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                           "<meta name=\"viewport\" content=\"width=device-width, "
                           "initial-scale=1\"><title>");
    doge__srv_html_escape(b, title);
    doge_buf_append_str(b, "</title><link rel=\"stylesheet\" href=\"/assets/style.css\">"
                           "<link rel=\"icon\" href=\"/assets/favicon.svg\"></head>"
                           "<body class=\"form-page\"><header><h1>doge pulse</h1></header><main>");
}

static int page_close(doge_srv_resp *resp, int status, doge_buf *b)
{
    doge_buf_append_str(b, "</main></body></html>\n");
    doge__srv_text(resp, status, "text/html; charset=utf-8", b->data, b->len);
    doge__srv_resp_header(resp, "Cache-Control", "no-store");
    doge_buf_dispose(b);
    return 0;
}

static int error_page(doge_srv_resp *resp, int status, const char *msg)
{
    doge_buf b;
    doge_buf_init(&b, 1u << 20);
    page_open(&b, doge__srv_reason(status));
    doge_buf_printf(&b, "<section class=\"error\" id=\"error\"><h2>%d %s</h2><p>", status,
                    doge__srv_reason(status));
    doge__srv_html_escape(&b, msg);
    doge_buf_append_str(&b, "</p></section>");
    return page_close(resp, status, &b);
}

static const char *arg(const doge_srv_req *req, const char *key)
{
    return doge__srv_kv_get(req->args, req->nargs, key);
}

static int get_form(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    const char *token = arg(req, "t");
    doge_workspace *ws;
    if (!token)
        return error_page(resp, 400, "This page needs the link from your request mail.");
    if (doge__srv_ws_acquire(srv, &ws) != DOGE_OK)
        return error_page(resp, 500, doge_error_last());
    doge_pulse_form_info info;
    int rc = doge_pulse_form_lookup(ws, token, &info);
    doge__srv_ws_release(srv, ws);
    if (rc == DOGE_ENOTFOUND)
        return error_page(resp, 404, "This link is not valid (check that it was copied whole).");
    if (rc)
        return error_page(resp, 500, doge_error_last());
    char nonce[33], field[65], deadline[40], cookie[160];
    if (doge__srv_csrf_make(srv, token, nonce, field) != 0)
        return error_page(resp, 500, "no random bytes");
    doge_date_timestamp_format(info.deadline, deadline, sizeof deadline);
    doge_buf b;
    doge_buf_init(&b, 1u << 20);
    char title[64];
    snprintf(title, sizeof title, "Weekly check-in %s", info.week);
    page_open(&b, title);
    doge_buf_append_str(&b, "<section class=\"card\"><h2>");
    doge__srv_html_escape(&b, title);
    doge_buf_append_str(&b, "</h2><p>Dear ");
    doge__srv_html_escape(&b, info.name);
    doge_buf_append_str(&b, ",</p><p>Please write about five bullets of what you accomplished "
                            "last week, one per line. Do not include classified or sensitive "
                            "information, links or attachments.</p><dl class=\"facts\"><dt>Week"
                            "</dt><dd id=\"week\">");
    doge__srv_html_escape(&b, info.week);
    doge_buf_append_str(&b, "</dd><dt>Department</dt><dd>");
    doge__srv_html_escape(&b, info.department);
    doge_buf_append_str(&b, "</dd><dt>Reply by</dt><dd>");
    doge__srv_html_escape(&b, deadline);
    doge_buf_append_str(&b, "</dd></dl>");
    if (info.replied)
        doge_buf_append_str(&b, "<p class=\"note\" id=\"already\">A reply is already recorded for "
                                "this week; sending again records a new one that replaces it."
                                "</p>");
    doge_buf_append_str(&b, "<form method=\"post\" action=\"/pulse/reply\" id=\"reply-form\">"
                            "<input type=\"hidden\" name=\"t\" value=\"");
    doge__srv_html_escape(&b, token);
    doge_buf_printf(&b, "\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                        "<label for=\"bullets\">What did you accomplish last week?</label>"
                        "<textarea id=\"bullets\" name=\"bullets\" rows=\"10\" required "
                        "maxlength=\"20000\" placeholder=\"- ...\"></textarea>",
                    field);
    if (info.manager_email[0]) {
        doge_buf_append_str(&b, "<label class=\"check\"><input type=\"checkbox\" name=\"cc\" "
                                "value=\"1\" id=\"cc\" checked> Copy my manager (");
        doge__srv_html_escape(&b, info.manager_name);
        doge_buf_append_str(&b, ")</label>");
    }
    doge_buf_append_str(&b, "<button type=\"submit\" id=\"submit\">Send my reply</button></form>"
                            "<p class=\"small\">You will get a signed receipt: the entry of the "
                            "public ledger that holds your reply, with a proof anyone can check."
                            "</p></section>");
    snprintf(cookie, sizeof cookie,
             "doge_csrf=%s; Path=/pulse; HttpOnly; SameSite=Strict; Max-Age=7200", nonce);
    page_close(resp, 200, &b);
    doge__srv_resp_header(resp, "Set-Cookie", cookie);
    return 0;
}

static void receipt_body(doge_buf *b, const char *token, const doge_pulse_form_result *r)
{
    doge_buf_append_str(b, "<section class=\"card\" id=\"receipt\"><h2>Your reply is recorded"
                           "</h2>");
    if (r->ledger_index >= 0)
        doge_buf_printf(b,
                        "<p>It is entry <strong id=\"ledger-index\">%lld</strong> of the "
                        "ledger, a transparency log that department witnesses cosign.</p>",
                        (long long)r->ledger_index);
    doge_buf_printf(b, "<dl class=\"facts\"><dt>Received</dt><dd id=\"on-time\">%s</dd>"
                       "<dt>Manager copied</dt><dd>%s</dd><dt>Bullets</dt><dd id=\"bullet-count\">"
                       "%lld</dd><dt>Policy flags</dt><dd id=\"flags\">",
                    r->on_time ? "on time" : "late", r->manager_cc ? "yes" : "no",
                    (long long)r->bullets);
    doge__srv_html_escape(b, r->flags[0] ? r->flags : "none");
    doge_buf_append_str(b, "</dd></dl><h3>As stored (flagged text is redacted)</h3>"
                           "<ul id=\"stored-bullets\">");
    json_t *arr = r->bullets_json ? json_loads(r->bullets_json, 0, NULL) : NULL;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        doge_buf_append_str(b, "<li>");
        doge__srv_html_escape(b, json_string_value(v) ? json_string_value(v) : "");
        doge_buf_append_str(b, "</li>");
    }
    json_decref(arr);
    doge_buf_append_str(b, "</ul>");
    if (r->proof) {
        doge_buf_append_str(b, "<h3>Receipt</h3><p><a id=\"download-proof\" download "
                               "href=\"/pulse/proof?t=");
        doge__srv_html_escape(b, token);
        doge_buf_append_str(b, "\">Download the proof (reply.tlog-proof)</a> &middot; "
                               "<a id=\"download-entry\" download href=\"/pulse/entry?t=");
        doge__srv_html_escape(b, token);
        doge_buf_append_str(b, "\">the entry (reply.json)</a></p><p class=\"small\">Check them "
                               "offline: <code>doge ledger verify-proof reply.tlog-proof "
                               "reply.json --policy POLICY</code></p><pre id=\"proof\">");
        char *p = strndup(r->proof, r->proof_len);
        if (p)
            doge__srv_html_escape(b, p);
        free(p);
        doge_buf_append_str(b, "</pre>");
    }
    doge_buf_append_str(b, "</section>");
}

static int post_form(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    const char *ct = req->header(req->header_cls, "Content-Type");
    if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
        return error_page(resp, 415, "The form must be sent as application/x-www-form-urlencoded.");
    /* A writable copy for the in-place decoder (the body may hold NULs:
     * copy by length, never as a string). */
    char *body = malloc(req->body_len + 1);
    if (!body)
        return error_page(resp, 500, "out of memory");
    memcpy(body, req->body, req->body_len);
    body[req->body_len] = '\0';
    doge_srv_kv kv[16];
    int n = doge__srv_form_parse(body, req->body_len, kv, 16);
    const char *token = n > 0 ? doge__srv_kv_get(kv, (size_t)n, "t") : NULL;
    const char *text = n > 0 ? doge__srv_kv_get(kv, (size_t)n, "bullets") : NULL;
    const char *cc = n > 0 ? doge__srv_kv_get(kv, (size_t)n, "cc") : NULL;
    const char *why;
    doge_workspace *ws = NULL;
    doge_pulse_form_info info;
    doge_pulse_form_result res;
    memset(&res, 0, sizeof res);
    int rc;
    if (n < 0 || !token) {
        error_page(resp, 400, "The form is malformed.");
    } else if (doge__srv_ws_acquire(srv, &ws) != DOGE_OK) {
        error_page(resp, 500, doge_error_last());
    } else if ((rc = doge_pulse_form_lookup(ws, token, &info)) != DOGE_OK) {
        error_page(resp, rc == DOGE_ENOTFOUND ? 404 : 500,
                   rc == DOGE_ENOTFOUND ? "This link is not valid." : doge_error_last());
    } else if ((why = doge__srv_csrf_check(srv, req, token, doge__srv_kv_get(kv, (size_t)n,
                                                                            "csrf")))) {
        error_page(resp, 403, why);
    } else if (!text || !*text) {
        error_page(resp, 400, "Write at least one bullet.");
    } else {
        pthread_mutex_lock(&srv->write_mu);
        rc = doge_pulse_ingest_form(ws, token, text, strlen(text), cc && strcmp(cc, "1") == 0,
                                    &res);
        pthread_mutex_unlock(&srv->write_mu);
        if (rc == DOGE_EINVAL) {
            error_page(resp, 400, doge_error_last());
        } else if (rc) {
            error_page(resp, 500, doge_error_last());
        } else {
            doge_buf b;
            doge_buf_init(&b, 4u << 20);
            page_open(&b, "Receipt");
            receipt_body(&b, token, &res);
            page_close(resp, 200, &b);
        }
    }
    doge_pulse_form_result_dispose(&res);
    doge__srv_ws_release(srv, ws);
    free(body);
    return 0;
}

/* GET /pulse/proof?t= and /pulse/entry?t=: the latest reply's receipt files. */
static int get_receipt_file(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp, int proof)
{
    const char *token = arg(req, "t");
    if (!token)
        return doge__srv_error(resp, 400, "needs t=TOKEN");
    doge_workspace *ws;
    if (doge__srv_ws_acquire(srv, &ws) != DOGE_OK)
        return doge__srv_error(resp, 500, "%s", doge_error_last());
    doge_pulse_form_result res;
    int rc = doge_pulse_form_receipt(ws, token, &res);
    doge__srv_ws_release(srv, ws);
    if (rc == DOGE_ENOTFOUND)
        return doge__srv_error(resp, 404, "%s", doge_error_last());
    if (rc)
        return doge__srv_error(resp, 500, "%s", doge_error_last());
    if (proof)
        doge__srv_text(resp, 200, "text/plain; charset=utf-8", res.proof, res.proof_len);
    else
        doge__srv_text(resp, 200, "application/json", res.entry, res.entry_len);
    doge__srv_resp_header(resp, "Content-Disposition",
                          proof ? "attachment; filename=\"reply.tlog-proof\""
                                : "attachment; filename=\"reply.json\"");
    doge__srv_resp_header(resp, "Cache-Control", "no-store");
    doge_pulse_form_result_dispose(&res);
    return 0;
}

static int get_proof(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    return get_receipt_file(srv, req, resp, 1);
}

static int get_entry(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    return get_receipt_file(srv, req, resp, 0);
}

static const doge_srv_route routes[] = {
    {"GET", "/pulse/reply", DOGE_SRV_PUBLIC, get_form},
    {"POST", "/pulse/reply", DOGE_SRV_PUBLIC, post_form},
    {"GET", "/pulse/proof", DOGE_SRV_PUBLIC, get_proof},
    {"GET", "/pulse/entry", DOGE_SRV_PUBLIC, get_entry},
};

int doge__srv_routes_pulse_form(doge_srv_router *r)
{
    return doge__srv_router_add(r, routes, sizeof routes / sizeof routes[0]);
}
