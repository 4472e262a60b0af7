/*
 * ingest_form.c — replies typed into doge serve's web form: the reply
 * token names one employee's request for one week; the text is made into
 * the message the employee would have mailed (From the employee, To
 * pulse+TOKEN@domain, In-Reply-To the request, Cc the manager when asked,
 * a fresh Message-ID) and handed to the same ingest pipeline as mail
 * (doge__pulse_ingest_walk), so extraction, policy flags, on time or late,
 * superseding, the ledger record and the receipt are exactly the mail
 * path's. The result is read back from the stored row by its Message-ID;
 * the receipt carries the ledger entry and a tlog-proof.
 */
#include "doge/date.h"
#include "doge/ledger.h"
#include "internal.h"
#include "pulse_internal.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TEXT_MAX (64u << 10)

static int token_ok(const char *t)
{
    if (!t || strlen(t) != DOGE__PULSE_TOKEN_LEN)
        return 0;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '2' && *p <= '7')))
            return 0;
    return 1;
}

int doge_pulse_form_lookup(doge_workspace *ws, const char *token, doge_pulse_form_info *info)
{
    memset(info, 0, sizeof *info);
    if (!token_ok(token))
        return doge__error_set(DOGE_ENOTFOUND, "not a reply token");
    doge_stmt *s;
    int rc = doge_store_prepare(
        doge_workspace_store(ws), &s,
        "SELECT r.week, r.employee_id, e.name, r.email, r.department, COALESCE(m.name, ''),"
        " COALESCE(m.email, ''), c.deadline,"
        " EXISTS (SELECT 1 FROM pulse_reply p WHERE p.week = r.week"
        "  AND p.employee_id = r.employee_id AND p.kind = 'reply')"
        " FROM pulse_request r JOIN pulse_campaign c ON c.week = r.week"
        " JOIN roster e ON e.employee_id = r.employee_id"
        " LEFT JOIN roster m ON m.employee_id = r.manager_id WHERE r.token = ?");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, token, -1);
    rc = doge_stmt_step(s);
    if (rc == 1) {
        snprintf(info->week, sizeof info->week, "%s", doge_stmt_text(s, 0));
        snprintf(info->employee_id, sizeof info->employee_id, "%s", doge_stmt_text(s, 1));
        snprintf(info->name, sizeof info->name, "%s", doge_stmt_text(s, 2));
        snprintf(info->email, sizeof info->email, "%s", doge_stmt_text(s, 3));
        snprintf(info->department, sizeof info->department, "%s", doge_stmt_text(s, 4));
        snprintf(info->manager_name, sizeof info->manager_name, "%s", doge_stmt_text(s, 5));
        snprintf(info->manager_email, sizeof info->manager_email, "%s", doge_stmt_text(s, 6));
        info->deadline = doge_stmt_int64(s, 7);
        info->replied = doge_stmt_int64(s, 8) != 0;
        rc = DOGE_OK;
    } else if (rc == 0) {
        rc = doge__error_set(DOGE_ENOTFOUND, "no request has this reply token");
    }
    doge_stmt_free(s);
    return rc;
}

void doge_pulse_form_result_dispose(doge_pulse_form_result *res)
{
    if (!res)
        return;
    free(res->bullets_json);
    free(res->entry);
    free(res->proof);
    res->bullets_json = res->entry = res->proof = NULL;
}

/* Fills res from a pulse_reply row (kind, ledger_index, on_time,
 * manager_cc, bullet_count, flags, bullets) and, for a ledger entry, the
 * entry and its proof. */
static int fill(doge_workspace *ws, doge_stmt *s, doge_pulse_form_result *res)
{
    snprintf(res->kind, sizeof res->kind, "%s", doge_stmt_text(s, 0));
    res->ledger_index = doge_stmt_is_null(s, 1) ? -1 : doge_stmt_int64(s, 1);
    res->on_time = (int)doge_stmt_int64(s, 2);
    res->manager_cc = (int)doge_stmt_int64(s, 3);
    res->bullets = doge_stmt_int64(s, 4);
    res->reply_id = doge_stmt_int64(s, 7);
    snprintf(res->flags, sizeof res->flags, "%s", doge_stmt_text(s, 5));
    if (!(res->bullets_json = strdup(doge_stmt_text(s, 6))))
        return doge__error_oom();
    if (res->ledger_index < 0)
        return DOGE_OK;
    doge_ledger *l;
    int rc = doge_ledger_open_workspace(&l, ws, 0);
    if (rc)
        return rc;
    uint8_t *entry;
    if ((rc = doge_ledger_get(l, res->ledger_index, &entry, &res->entry_len)) == DOGE_OK) {
        res->entry = (char *)entry;
        rc = doge_ledger_tlog_proof(l, res->ledger_index, NULL, 0, &res->proof, &res->proof_len);
    }
    doge_ledger_free(l);
    return rc;
}

#define ROW_COLS                                                                                   \
    "SELECT kind, ledger_index, on_time, manager_cc, bullet_count, flags, bullets, id"

int doge_pulse_form_receipt(doge_workspace *ws, const char *token, doge_pulse_form_result *res)
{
    memset(res, 0, sizeof *res);
    res->ledger_index = -1;
    doge_pulse_form_info info;
    int rc = doge_pulse_form_lookup(ws, token, &info);
    if (rc)
        return rc;
    doge_stmt *s;
    if ((rc = doge_store_prepare(doge_workspace_store(ws), &s,
                                 ROW_COLS " FROM pulse_reply WHERE week = ? AND employee_id = ?"
                                          " AND kind = 'reply' AND superseded = 0"
                                          " ORDER BY sent_at DESC, id DESC LIMIT 1")))
        return rc;
    doge_stmt_bind_text(s, 1, info.week, -1);
    doge_stmt_bind_text(s, 2, info.employee_id, -1);
    rc = doge_stmt_step(s);
    if (rc == 1)
        rc = fill(ws, s, res);
    else if (rc == 0)
        rc = doge__error_set(DOGE_ENOTFOUND, "no reply recorded for %s yet", info.week);
    doge_stmt_free(s);
    if (rc)
        doge_pulse_form_result_dispose(res);
    return rc;
}

/* The one message the form makes. */
typedef struct {
    const char *raw;
    size_t len;
} one_message;

static int walk_one(void *ctx, doge_mailsource_fn fn, void *fn_ctx)
{
    const one_message *m = ctx;
    return fn(fn_ctx, m->raw, m->len, "web form");
}

static int domain_of(doge_workspace *ws, const char *week, char *out, size_t cap)
{
    doge_stmt *s;
    int rc = doge_store_prepare(doge_workspace_store(ws), &s,
                                "SELECT domain FROM pulse_campaign WHERE week = ?");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, week, -1);
    rc = doge_stmt_step(s);
    if (rc == 1)
        snprintf(out, cap, "%s", doge_stmt_text(s, 0));
    doge_stmt_free(s);
    return rc == 1 ? DOGE_OK : rc < 0 ? rc : doge__error_set(DOGE_ENOTFOUND, "no campaign");
}

static int build_message(doge_buf *b, const doge_pulse_form_info *info, const char *token,
                         const char *domain, const char *mid, const char *text, size_t len,
                         int manager_cc)
{
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    int rc = doge_buf_printf(b,
                             "From: <%s>\r\nTo: <pulse+%s@%s>\r\n", info->email, token, domain);
    if (rc == DOGE_OK && manager_cc && info->manager_email[0])
        rc = doge_buf_printf(b, "Cc: <%s>\r\n", info->manager_email);
    if (rc == DOGE_OK)
        rc = doge_buf_printf(b,
                             "Subject: Re: %s: what did you accomplish last week?\r\n"
                             "Date: %s\r\nMessage-ID: <%s>\r\nIn-Reply-To: <%s.%s@%s>\r\n"
                             "X-Doge-Source: web-form\r\nMIME-Version: 1.0\r\n"
                             "Content-Type: text/plain; charset=utf-8\r\n"
                             "Content-Transfer-Encoding: 8bit\r\n\r\n",
                             info->week, date, mid, token, info->week, domain);
    /* The body with CRLF line ends (a lone CR or LF becomes CRLF). */
    for (size_t i = 0; rc == DOGE_OK && i < len; i++) {
        if (text[i] == '\r') {
            rc = doge_buf_append(b, "\r\n", 2);
            if (i + 1 < len && text[i + 1] == '\n')
                i++;
        } else if (text[i] == '\n') {
            rc = doge_buf_append(b, "\r\n", 2);
        } else {
            rc = doge_buf_append_char(b, text[i]);
        }
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append(b, "\r\n", 2);
    return rc;
}

static int text_ok(const char *t, size_t len)
{
    int visible = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t'))
            return 0;
        if (c > 0x20)
            visible = 1;
    }
    return visible;
}

int doge_pulse_ingest_form(doge_workspace *ws, const char *token, const char *text, size_t len,
                           int manager_cc, doge_pulse_form_result *res)
{
    memset(res, 0, sizeof *res);
    res->ledger_index = -1;
    if (len > TEXT_MAX)
        return doge__error_set(DOGE_EINVAL, "the reply is longer than %u bytes", TEXT_MAX);
    if (!text_ok(text, len))
        return doge__error_set(DOGE_EINVAL, "the reply is empty or holds control characters");
    doge_pulse_form_info info;
    char domain[256], mid[320];
    uint8_t rnd[16];
    char rhex[33];
    int rc = doge_pulse_form_lookup(ws, token, &info);
    if (rc || (rc = domain_of(ws, info.week, domain, sizeof domain)))
        return rc;
    if (RAND_bytes(rnd, sizeof rnd) != 1)
        return doge__error_set(DOGE_ECRYPTO, "form: no random bytes");
    doge__hex(rnd, sizeof rnd, rhex);
    snprintf(mid, sizeof mid, "web.%s@%s", rhex, domain);
    doge_buf b;
    doge_buf_init(&b, TEXT_MAX * 2 + 4096);
    if ((rc = build_message(&b, &info, token, domain, mid, text, len, manager_cc))) {
        doge_buf_dispose(&b);
        return rc;
    }
    one_message m = {b.data, b.len};
    doge_pulse_ingest_opts opts = {.receipts = 1, .quiet = 1, .threads = -1};
    doge_pulse_ingest_stats stats;
    rc = doge__pulse_ingest_walk(ws, walk_one, &m, &opts, &stats);
    doge_buf_dispose(&b);
    if (rc)
        return rc;
    doge_stmt *s;
    if ((rc = doge_store_prepare(doge_workspace_store(ws), &s,
                                 ROW_COLS " FROM pulse_reply WHERE week = ? AND employee_id = ?"
                                          " AND message_id = ?")))
        return rc;
    doge_stmt_bind_text(s, 1, info.week, -1);
    doge_stmt_bind_text(s, 2, info.employee_id, -1);
    doge_stmt_bind_text(s, 3, mid, -1);
    rc = doge_stmt_step(s);
    if (rc == 1)
        rc = fill(ws, s, res);
    else if (rc == 0)
        rc = doge__error_set(DOGE_ERROR, "form: the reply was not stored");
    doge_stmt_free(s);
    if (rc)
        doge_pulse_form_result_dispose(res);
    return rc;
}
