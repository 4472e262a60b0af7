/*
 * campaign.c — opening a week's check-in campaign: one request per active
 * roster employee with an unguessable token (128 random bits, base32) that
 * forms the reply address pulse+TOKEN@domain and the Message-ID, and the
 * rendering of the request mail from the workspace template.
 */
#include "doge/date.h"
#include "doge/pulse.h"
#include "id/id_internal.h"
#include "internal.h"
#include "pulse_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static const char default_template[] =
    "Dear {{name}},\n"
    "\n"
    "Please reply to this message with approximately five bullets of what you\n"
    "accomplished last week ({{week}}), and cc your manager ({{manager}}).\n"
    "\n"
    "Reply by {{deadline}}. Write your bullets in the body of the mail, one per\n"
    "line. Do not include classified or sensitive information, links or\n"
    "attachments.\n"
    "\n"
    "You will receive a signed receipt that proves your reply was recorded.\n"
    "Your reply address is {{reply_to}}; it is personal to you for this week.\n"
    "\n"
    "-- \n"
    "doge pulse, {{department}}\n";

const char *doge_pulse_default_template(void) { return default_template; }

int doge__pulse_token(char out[DOGE__PULSE_TOKEN_LEN + 1])
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    uint8_t raw[16];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n < 0)
            return doge__error_set(DOGE_ECRYPTO, "getrandom failed");
        got += (size_t)n;
    }
    /* 128 bits in 26 base32 characters (the last holds 3 bits). */
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < sizeof raw; i++) {
        acc = acc << 8 | raw[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = alphabet[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[o++] = alphabet[(acc << (5 - bits)) & 31];
    out[o] = '\0';
    return DOGE_OK;
}

int doge_pulse_open(doge_workspace *ws, const char *week, int64_t deadline, const char *domain,
                    doge_pulse_open_result *res)
{
    int year, wk;
    memset(res, 0, sizeof *res);
    int rc = doge_date_week_parse(week, strlen(week), &year, &wk);
    if (rc)
        return rc;
    if (!domain || !*domain || strchr(domain, '@') || strchr(domain, ' '))
        return doge__error_set(DOGE_EINVAL, "reply domain '%s' is not a domain name",
                               domain ? domain : "");
    char canon[16];
    doge_date_week_format(year, wk, canon, sizeof canon);
    doge_store *st = doge_workspace_store(ws);
    int64_t n = 0;
    if ((rc = doge_store_query_int64(st, "SELECT COUNT(*) FROM pulse_campaign WHERE week = ?",
                                     canon, &n)))
        return rc;
    if (n)
        return doge__error_set(DOGE_EEXISTS, "the campaign for %s is already open", canon);
    char *template_text = NULL;
    if ((rc = doge__pulse_template(ws, &template_text)))
        return rc;
    doge_stmt *ins = NULL, *emp = NULL, *camp = NULL;
    if ((rc = doge_store_begin(st)))
        goto done;
    if ((rc = doge_store_prepare(st, &camp,
                                 "INSERT INTO pulse_campaign (week, deadline, domain, opened_at,"
                                 " template) VALUES (?, ?, ?, ?, ?)")))
        goto rollback;
    doge_stmt_bind_text(camp, 1, canon, -1);
    doge_stmt_bind_int64(camp, 2, deadline);
    doge_stmt_bind_text(camp, 3, domain, -1);
    doge_stmt_bind_int64(camp, 4, (int64_t)time(NULL));
    doge_stmt_bind_text(camp, 5, template_text, -1);
    if ((rc = doge_stmt_step(camp)) < 0)
        goto rollback;
    if ((rc = doge_store_prepare(st, &ins,
                                 "INSERT INTO pulse_request (week, employee_id, token, email,"
                                 " department, manager_id, state) VALUES (?, ?, ?, ?, ?, ?,"
                                 " 'pending')")) ||
        (rc = doge_store_prepare(st, &emp,
                                 "SELECT employee_id, email, department, manager_id, active"
                                 " FROM roster ORDER BY employee_id")))
        goto rollback;
    while ((rc = doge_stmt_step(emp)) == 1) {
        if (!doge_stmt_int64(emp, 4)) {
            res->skipped++;
            continue;
        }
        char token[DOGE__PULSE_TOKEN_LEN + 1];
        if ((rc = doge__pulse_token(token)))
            goto rollback;
        doge_stmt_reset(ins);
        doge_stmt_bind_text(ins, 1, canon, -1);
        doge_stmt_bind_text(ins, 2, doge_stmt_text(emp, 0), -1);
        doge_stmt_bind_text(ins, 3, token, -1);
        doge_stmt_bind_text(ins, 4, doge_stmt_text(emp, 1), -1);
        doge_stmt_bind_text(ins, 5, doge_stmt_text(emp, 2), -1);
        doge_stmt_bind_text(ins, 6, doge_stmt_text(emp, 3), -1);
        if ((rc = doge_stmt_step(ins)) < 0)
            goto rollback;
        res->requests++;
    }
    if (rc < 0)
        goto rollback;
    if (res->requests == 0) {
        rc = doge__error_set(DOGE_EINVAL,
                             "the roster has no active employee (import one with 'doge roster "
                             "import FILE.csv')");
        goto rollback;
    }
    doge_stmt_free(ins);
    doge_stmt_free(emp);
    doge_stmt_free(camp);
    ins = emp = camp = NULL;
    rc = doge_store_commit(st);
    goto done;
rollback:
    doge_stmt_free(ins);
    doge_stmt_free(emp);
    doge_stmt_free(camp);
    doge_store_rollback(st);
done:
    free(template_text);
    return rc;
}

int doge__pulse_template(doge_workspace *ws, char **out)
{
    char path[PATH_MAX];
    int rc = doge_workspace_path(ws, "templates/request.txt", path, sizeof path);
    if (rc)
        return rc;
    size_t len;
    rc = doge__file_read(path, 64 * 1024, out, &len);
    if (rc == DOGE_ENOTFOUND) {
        *out = strdup(default_template);
        return *out ? DOGE_OK : doge__error_oom();
    }
    return rc;
}

/* Appends s, RFC 2047-encoded (UTF-8, B) when it is not plain printable
 * ASCII without specials, as a display name. */
static int append_display_name(doge_buf *b, const char *s)
{
    int plain = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p > 0x7e || strchr("\"(),:;<>@[\\]", *p))
            plain = 0;
    if (plain)
        return doge_buf_append_str(b, s);
    size_t len = strlen(s);
    /* Encoded words of at most 45 input bytes, never splitting a UTF-8 sequence. */
    size_t i = 0;
    int rc = DOGE_OK;
    while (i < len && rc == DOGE_OK) {
        size_t n = len - i > 45 ? 45 : len - i;
        while (n > 0 && i + n < len && ((unsigned char)s[i + n] & 0xC0) == 0x80)
            n--;
        char enc[DOGE__B64_LEN(45) + 1];
        doge__b64_encode(enc, s + i, n);
        rc = doge_buf_printf(b, "%s=?UTF-8?B?%s?=", i ? " " : "", enc);
        i += n;
    }
    return rc;
}

static int fill(doge_buf *b, const char *tpl, const char *const *keys, const char *const *vals,
                size_t n)
{
    int rc = DOGE_OK;
    for (const char *p = tpl; *p && rc == DOGE_OK;) {
        const char *open = strstr(p, "{{");
        if (!open)
            return doge_buf_append_str(b, p);
        if ((rc = doge_buf_append(b, p, (size_t)(open - p))))
            return rc;
        const char *close = strstr(open + 2, "}}");
        size_t k = n;
        if (close)
            for (k = 0; k < n; k++)
                if (strlen(keys[k]) == (size_t)(close - open - 2) &&
                    memcmp(keys[k], open + 2, (size_t)(close - open - 2)) == 0)
                    break;
        if (k == n) {
            rc = doge_buf_append(b, "{{", 2);
            p = open + 2;
        } else {
            rc = doge_buf_append_str(b, vals[k]);
            p = close + 2;
        }
    }
    return rc;
}

int doge__pulse_render_prepare(doge_workspace *ws, doge_stmt **s)
{
    return doge_store_prepare(
        doge_workspace_store(ws), s,
        "SELECT r.week, r.email, e.name, r.department, COALESCE(m.name, ''),"
        " COALESCE(m.email, ''), c.deadline, c.domain, c.opened_at, c.template"
        " FROM pulse_request r JOIN pulse_campaign c ON c.week = r.week"
        " JOIN roster e ON e.employee_id = r.employee_id"
        " LEFT JOIN roster m ON m.employee_id = r.manager_id WHERE r.token = ?");
}

int doge_pulse_render_request(doge_workspace *ws, const char *token, char **out, size_t *len)
{
    *out = NULL;
    doge_stmt *s;
    int rc = doge__pulse_render_prepare(ws, &s);
    if (rc == DOGE_OK)
        rc = doge__pulse_render_with(ws, s, token, out, len);
    doge_stmt_free(s);
    return rc;
}

int doge__pulse_render_with(doge_workspace *ws, doge_stmt *s, const char *token, char **out,
                            size_t *len)
{
    *out = NULL;
    doge_stmt_reset(s);
    doge_stmt_bind_text(s, 1, token, -1);
    int rc;
    if ((rc = doge_stmt_step(s)) != 1) {
        doge_stmt_reset(s);
        return rc < 0 ? rc : doge__error_set(DOGE_ENOTFOUND, "no request with token '%s'", token);
    }
    const char *week = doge_stmt_text(s, 0), *email = doge_stmt_text(s, 1),
               *name = doge_stmt_text(s, 2), *dept = doge_stmt_text(s, 3),
               *mname = doge_stmt_text(s, 4), *memail = doge_stmt_text(s, 5),
               *domain = doge_stmt_text(s, 7), *tpl = doge_stmt_text(s, 9);
    int64_t deadline = doge_stmt_int64(s, 6), opened = doge_stmt_int64(s, 8);
    char deadline_text[40], reply_to[300], manager[400], date[64];
    doge_date_timestamp_format(deadline, deadline_text, sizeof deadline_text);
    snprintf(reply_to, sizeof reply_to, "pulse+%s@%s", token, domain);
    if (*memail)
        snprintf(manager, sizeof manager, "%s <%s>", mname, memail);
    else
        snprintf(manager, sizeof manager, "%s", "your manager");
    time_t t = (time_t)opened;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    doge_buf b;
    doge_buf_init(&b, 1u << 20);
    rc = doge_buf_append_str(&b, "From: doge pulse <pulse@");
    rc = rc ? rc : doge_buf_printf(&b, "%s>\r\nTo: ", domain);
    rc = rc ? rc : append_display_name(&b, name);
    rc = rc ? rc : doge_buf_printf(&b, " <%s>\r\nReply-To: <%s>\r\n", email, reply_to);
    rc = rc ? rc
            : doge_buf_printf(&b,
                              "Subject: %s: what did you accomplish last week?\r\n"
                              "Date: %s\r\nMessage-ID: <%s.%s@%s>\r\nX-Doge-Week: %s\r\n"
                              "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                              "Content-Transfer-Encoding: 8bit\r\n\r\n",
                              week, date, token, week, domain, week);
    /* With doge serve configured ([serve] public_url), the web form's link:
     * {{reply_url}} in the template, else a paragraph before the signature. */
    const char *public_url = doge_workspace_config(ws, "serve", "public_url", NULL);
    char reply_url[600] = "";
    if (public_url && *public_url)
        snprintf(reply_url, sizeof reply_url, "%.*s/pulse/reply?t=%s",
                 (int)(strlen(public_url) - (public_url[strlen(public_url) - 1] == '/')),
                 public_url, token);
    const char *keys[] = {"name",    "week",       "deadline", "reply_to",
                          "manager", "department", "reply_url"};
    const char *vals[] = {name, week, deadline_text, reply_to, manager, dept, reply_url};
    if (rc == DOGE_OK) {
        /* The body with CRLF line ends, as mail wants. */
        doge_buf body;
        doge_buf_init(&body, 1u << 20);
        rc = fill(&body, tpl, keys, vals, 7);
        if (rc == DOGE_OK && *reply_url && !strstr(tpl, "{{reply_url}}")) {
            char para[700];
            int pl = snprintf(para, sizeof para, "You can also reply on the web: %s\n\n",
                              reply_url);
            const char *sig = strstr(body.data, "\n-- \n");
            size_t at = sig ? (size_t)(sig - body.data) + 1 : body.len;
            if (!sig && body.len && body.data[body.len - 1] != '\n')
                rc = doge_buf_append_char(&body, '\n');
            if (rc == DOGE_OK && (rc = doge_buf_append(&body, para, (size_t)pl)) == DOGE_OK &&
                sig) {
                /* Move the paragraph before the signature. */
                size_t tail = body.len - (size_t)pl - at;
                char *moved = malloc(tail);
                if (!moved) {
                    rc = DOGE_ENOMEM;
                } else {
                    memcpy(moved, body.data + at, tail);
                    memmove(body.data + at, para, (size_t)pl);
                    memcpy(body.data + at + pl, moved, tail);
                    free(moved);
                }
            }
        }
        for (size_t i = 0; rc == DOGE_OK && i < body.len; i++)
            rc = body.data[i] == '\n' ? doge_buf_append(&b, "\r\n", 2)
                                      : doge_buf_append_char(&b, body.data[i]);
        doge_buf_dispose(&body);
    }
    doge_stmt_reset(s);
    if (rc == DOGE_OK)
        rc = doge_buf_detach(&b, out, len);
    if (rc)
        doge_buf_dispose(&b);
    return rc;
}
