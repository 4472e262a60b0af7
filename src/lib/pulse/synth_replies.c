/*
 * synth_replies.c — `doge synth replies`: the mail a real workforce sends back
 * for a week's campaign, written as an mbox file or a Maildir, with a
 * ground-truth CSV. Outcomes per employee (on time, late, auto-reply only,
 * bounced, none), some who reply twice (the later reply counts), replies
 * from a personal address on the roster, with or without the manager in Cc,
 * in many real-world shapes: top-posted Gmail and Outlook quotes of the
 * request, HTML-only, multipart/alternative, base64, quoted-printable in
 * ISO-8859-1 and Windows-1252, format=flowed, one-liners, twelve numbered
 * bullets, links, a text attachment, and a department's pasted template.
 * Deterministic for a seed.
 */
#include "doge/buf.h"
#include "doge/date.h"
#include "doge/pulse.h"
#include "internal.h"
#include "pulse_internal.h"
#include "synth_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum { OUT_ONTIME, OUT_LATE, OUT_AUTO, OUT_BOUNCE, OUT_NONE };
static const char *const outcome_names[] = {"on_time", "late", "auto_reply_only", "bounced",
                                            "not_replied"};

enum {
    ST_GMAIL, ST_OUTLOOK, ST_HTML, ST_BASE64, ST_LATIN1, ST_CP1252, ST_FLOWED, ST_ALTERNATIVE,
    ST_ONELINER, ST_TWELVE, ST_LINK, ST_ATTACHMENT, ST_TEMPLATE, ST_COUNT
};
static const char *const style_names[] = {"gmail",   "outlook",  "html-only", "base64",
                                          "latin1",  "cp1252",   "flowed",    "alternative",
                                          "oneliner", "twelve",  "link",      "attachment",
                                          "template"};

typedef struct {
    FILE *mbox;          /* mbox output, or NULL for Maildir */
    char maildir[PATH_MAX];
    int64_t seq;
    doge_synth_rng rng;
    const char *week;
    const char *domain;
    int64_t opened, deadline;
    doge_buf msg, body;
} gen;

static void rfc5322_date(int64_t t, char *out, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, cap, "%a, %d %b %Y %H:%M:%S +0000", &tm);
}

static int emit(gen *g, const char *from_addr, int64_t when)
{
    int rc = DOGE_OK;
    g->seq++;
    if (g->mbox) {
        char d[64];
        time_t tt = (time_t)when;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(d, sizeof d, "%a %b %e %H:%M:%S %Y", &tm);
        fprintf(g->mbox, "From %s %s\n", from_addr, d);
        /* mboxrd: quote "From " lines (and already quoted ones) with '>'. */
        const char *p = g->msg.data, *end = p + g->msg.len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t ll = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
            size_t q = 0;
            while (q < ll && p[q] == '>')
                q++;
            if (ll - q >= 5 && memcmp(p + q, "From ", 5) == 0)
                fputc('>', g->mbox);
            fwrite(p, 1, ll, g->mbox);
            p += ll;
        }
        if (g->msg.len && g->msg.data[g->msg.len - 1] != '\n')
            fputc('\n', g->mbox);
        fputc('\n', g->mbox);
        if (ferror(g->mbox))
            rc = doge__error_set(DOGE_EIO, "writing the mbox failed");
    } else {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%.*s/new/%lld.%06lld.synth", PATH_MAX - 1, g->maildir,
                 (long long)when, (long long)g->seq);
        FILE *f = fopen(path, "wb");
        if (!f)
            return doge__error_set(DOGE_EIO, "%s: %s", path, strerror(errno));
        fwrite(g->msg.data, 1, g->msg.len, f);
        if (fclose(f) != 0)
            rc = doge__error_set(DOGE_EIO, "%s: write failed", path);
    }
    return rc;
}

/* Appends text converted from UTF-8 to Latin-1 / Windows-1252 (only the
 * characters this generator uses), quoted-printable encoded. */
static void qp_8bit(doge_buf *b, const char *s, int cp1252)
{
    int col = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned c = *p;
        if (c == 0xC3 && p[1]) { /* é, è, ü ... in Latin-1 */
            c = 0x40u + p[1];
            p++;
        } else if (c == 0xE2 && p[1] == 0x80 && p[2]) {
            unsigned t = p[2];
            p += 2;
            c = t == 0x99 ? (cp1252 ? 0x92u : '\'') : t == 0x93 ? (cp1252 ? 0x96u : '-')
              : t == 0x9C ? (cp1252 ? 0x93u : '"') : t == 0x9D ? (cp1252 ? 0x94u : '"') : '?';
        }
        if (c == '\n') {
            doge_buf_append_str(b, "\n");
            col = 0;
            continue;
        }
        if (col > 70) {
            doge_buf_append_str(b, "=\n");
            col = 0;
        }
        if (c >= 0x80 || c == '=') {
            doge_buf_printf(b, "=%02X", c);
            col += 3;
        } else {
            doge_buf_append_char(b, (char)c);
            col++;
        }
    }
}


typedef struct {
    const char *id, *name, *email, *dept, *manager_email, *token, *alias;
} person;

static void headers(gen *g, const person *p, const char *from, int cc_manager, int64_t when,
                    const char *subject_prefix, int with_token)
{
    char date[64];
    rfc5322_date(when, date, sizeof date);
    doge_buf_reset(&g->msg);
    doge_buf_printf(&g->msg, "From: %s <%s>\n", p->name, from);
    if (with_token)
        doge_buf_printf(&g->msg, "To: doge pulse <pulse+%s@%s>\n", p->token, g->domain);
    else
        doge_buf_printf(&g->msg, "To: doge pulse <pulse@%s>\n", g->domain);
    if (cc_manager && p->manager_email[0])
        doge_buf_printf(&g->msg, "Cc: %s\n", p->manager_email);
    doge_buf_printf(&g->msg, "Subject: %s%s: what did you accomplish last week?\n",
                    subject_prefix, g->week);
    doge_buf_printf(&g->msg, "Date: %s\nMessage-ID: <synth.%lld.%s@mail.example.gov>\n", date,
                    (long long)g->seq + 1, g->week);
    if (with_token)
        doge_buf_printf(&g->msg, "In-Reply-To: <%s.%s@%s>\nReferences: <%s.%s@%s>\n", p->token,
                        g->week, g->domain, p->token, g->week, g->domain);
    doge_buf_append_str(&g->msg, "MIME-Version: 1.0\n");
}

static void quoted_request(gen *g, const person *p, int outlook)
{
    char date[64];
    rfc5322_date(g->opened, date, sizeof date);
    if (outlook) {
        doge_buf_printf(&g->body,
                        "\n________________________________\nFrom: doge pulse <pulse@%s>\nSent: "
                        "%s\nTo: %s <%s>\nSubject: %s: what did you accomplish last week?\n\n"
                        "Dear %s,\n\nPlease reply to this message with approximately five "
                        "bullets of what you\naccomplished last week (%s), and cc your "
                        "manager.\n",
                        g->domain, date, p->name, p->email, g->week, p->name, g->week);
    } else {
        doge_buf_printf(&g->body,
                        "\nOn %s, doge pulse <pulse@%s> wrote:\n> Dear %s,\n>\n> Please reply to "
                        "this message with approximately five bullets of what you\n> "
                        "accomplished last week (%s), and cc your manager (%s).\n",
                        date, g->domain, p->name, g->week, p->manager_email);
    }
}

/* Makes nb bullets into bullets[] (each up to 300 bytes). */
static void make_bullets(gen *g, char bullets[][300], int nb, int link)
{
    for (int i = 0; i < nb; i++) {
        doge__synth_bullet(&g->rng, bullets[i], 300);
        if (link && i == 1)
            snprintf(bullets[i] + strlen(bullets[i]), 300 - strlen(bullets[i]),
                     " (tracker: https://tracker.example.gov/item/%u)",
                     (uint32_t)doge_synth_rng_below(&g->rng, 99999));
    }
}

static int reply_mail(gen *g, const person *p, int style, int cc_manager, int64_t when,
                      const char *from, int with_token, char templ[][300], int *nbullets)
{
    char bullets[12][300];
    int nb = 3 + (int)(uint32_t)doge_synth_rng_below(&g->rng, 4);
    if (style == ST_ONELINER)
        nb = 1;
    if (style == ST_TWELVE)
        nb = 12;
    if (style == ST_TEMPLATE) {
        nb = 5;
        memcpy(bullets, templ, 5 * sizeof bullets[0]);
    } else {
        make_bullets(g, bullets, nb, style == ST_LINK);
    }
    if (style == ST_LATIN1 || style == ST_CP1252)
        snprintf(bullets[0], sizeof bullets[0], "Reviewed the r\xc3\xa9sum\xc3\xa9s for the "
                                                "analyst vacancy \xe2\x80\x93 %d candidates",
                 2 + (int)(uint32_t)doge_synth_rng_below(&g->rng, 30));
    if (style == ST_CP1252)
        snprintf(bullets[1], sizeof bullets[1],
                 "Answered the director\xe2\x80\x99s questions on the \xe2\x80\x9cQ3\xe2\x80\x9d "
                 "budget");
    *nbullets = nb;
    headers(g, p, from, cc_manager, when, "RE: ", with_token);
    doge_buf_reset(&g->body);
    const char *greeting = (uint32_t)doge_synth_rng_below(&g->rng, 2) ? "Hi,\n\n" : "";
    switch (style) {
    case ST_HTML: {
        doge_buf_append_str(&g->msg, "Content-Type: text/html; charset=utf-8\n"
                                     "Content-Transfer-Encoding: 8bit\n\n");
        doge_buf_append_str(&g->msg, "<html><body><p>Here is my list:</p><ul>\n");
        for (int i = 0; i < nb; i++)
            doge_buf_printf(&g->msg, "<li>%s</li>\n", bullets[i]);
        doge_buf_printf(&g->msg, "</ul><p>Thanks,<br>%s</p></body></html>\n", p->name);
        return DOGE_OK;
    }
    case ST_ALTERNATIVE: {
        doge_buf_printf(&g->msg, "Content-Type: multipart/alternative; boundary=\"alt-%lld\"\n\n",
                        (long long)g->seq);
        doge_buf_printf(&g->msg, "--alt-%lld\nContent-Type: text/plain; charset=utf-8\n\n",
                        (long long)g->seq);
        for (int i = 0; i < nb; i++)
            doge_buf_printf(&g->msg, "* %s\n", bullets[i]);
        doge_buf_printf(&g->msg, "\n--alt-%lld\nContent-Type: text/html; charset=utf-8\n\n<ul>",
                        (long long)g->seq);
        for (int i = 0; i < nb; i++)
            doge_buf_printf(&g->msg, "<li>%s</li>", bullets[i]);
        doge_buf_printf(&g->msg, "</ul>\n--alt-%lld--\n", (long long)g->seq);
        return DOGE_OK;
    }
    case ST_ATTACHMENT: {
        doge_buf_printf(&g->msg, "Content-Type: multipart/mixed; boundary=\"mix-%lld\"\n\n",
                        (long long)g->seq);
        doge_buf_printf(&g->msg,
                        "--mix-%lld\nContent-Type: text/plain; charset=utf-8\n\n%sMy bullets "
                        "are in the attached file.\n\n%s\n",
                        (long long)g->seq, greeting, p->name);
        doge_buf_printf(&g->msg,
                        "--mix-%lld\nContent-Type: text/plain; charset=utf-8; name=\"week.txt\"\n"
                        "Content-Disposition: attachment; filename=\"week.txt\"\n\n",
                        (long long)g->seq);
        for (int i = 0; i < nb; i++)
            doge_buf_printf(&g->msg, "- %s\n", bullets[i]);
        doge_buf_printf(&g->msg, "--mix-%lld--\n", (long long)g->seq);
        return DOGE_OK;
    }
    default:
        break;
    }
    doge_buf_append_str(&g->body, greeting);
    for (int i = 0; i < nb; i++) {
        if (style == ST_TWELVE)
            doge_buf_printf(&g->body, "%d. %s\n", i + 1, bullets[i]);
        else if (style == ST_ONELINER)
            doge_buf_printf(&g->body, "%s\n", bullets[i]);
        else if (style == ST_FLOWED) {
            /* Wrap at ~60 columns with trailing spaces (RFC 3676). */
            const char *s = bullets[i];
            doge_buf_append_str(&g->body, "- ");
            size_t col = 2, len = strlen(s);
            for (size_t k = 0; k < len; k++) {
                doge_buf_append_char(&g->body, s[k]);
                col++;
                if (s[k] == ' ' && col > 55 && k + 1 < len) {
                    doge_buf_append_str(&g->body, "\n");
                    col = 0;
                }
            }
            doge_buf_append_str(&g->body, "\n");
        } else
            doge_buf_printf(&g->body, "%s %s\n", style == ST_OUTLOOK ? "\xe2\x80\xa2" : "-",
                            bullets[i]);
    }
    doge_buf_printf(&g->body, "\nThanks,\n%s\n", p->name);
    if (style == ST_GMAIL || style == ST_BASE64 || style == ST_FLOWED)
        quoted_request(g, p, 0);
    else if (style == ST_OUTLOOK)
        quoted_request(g, p, 1);
    switch (style) {
    case ST_BASE64:
        doge_buf_append_str(&g->msg, "Content-Type: text/plain; charset=utf-8\n"
                                     "Content-Transfer-Encoding: base64\n\n");
        doge__pulse_b64_lines(&g->msg, g->body.data, g->body.len, "\n");
        break;
    case ST_LATIN1:
    case ST_CP1252:
        doge_buf_printf(&g->msg,
                        "Content-Type: text/plain; charset=%s\n"
                        "Content-Transfer-Encoding: quoted-printable\n\n",
                        style == ST_LATIN1 ? "iso-8859-1" : "windows-1252");
        doge_buf_append_char(&g->body, '\0');
        qp_8bit(&g->msg, g->body.data, style == ST_CP1252);
        break;
    case ST_FLOWED:
        doge_buf_append_str(&g->msg, "Content-Type: text/plain; charset=utf-8; format=flowed\n"
                                     "Content-Transfer-Encoding: 8bit\n\n");
        doge_buf_append(&g->msg, g->body.data, g->body.len);
        break;
    default:
        doge_buf_append_str(&g->msg, "Content-Type: text/plain; charset=utf-8\n"
                                     "Content-Transfer-Encoding: 8bit\n\n");
        doge_buf_append(&g->msg, g->body.data, g->body.len);
    }
    return DOGE_OK;
}

static void auto_reply_mail(gen *g, const person *p, int64_t when, int with_headers)
{
    char until[32], text[400];
    doge_date_timestamp_format(g->deadline + 86400 * (1 + (uint32_t)doge_synth_rng_below(&g->rng, 14)), until,
                               sizeof until);
    until[10] = '\0';
    doge__synth_out_of_office(&g->rng, until, text, sizeof text);
    headers(g, p, p->email, 0, when, with_headers ? "Automatic reply: " : "Out of Office: ", 1);
    if (with_headers)
        doge_buf_append_str(&g->msg, "Auto-Submitted: auto-replied\nX-Autoreply: yes\n");
    doge_buf_printf(&g->msg, "Content-Type: text/plain; charset=utf-8\n\n%s\n", text);
}

static void bounce_mail(gen *g, const person *p, int64_t when)
{
    char date[64];
    rfc5322_date(when, date, sizeof date);
    doge_buf_reset(&g->msg);
    doge_buf_printf(&g->msg,
                    "From: Mail Delivery System <MAILER-DAEMON@mx.%s>\nTo: <pulse@%s>\n"
                    "Subject: Undelivered Mail Returned to Sender\nDate: %s\n"
                    "Message-ID: <bounce.%lld@mx.%s>\nAuto-Submitted: auto-replied\n"
                    "MIME-Version: 1.0\nContent-Type: multipart/report; "
                    "report-type=delivery-status; boundary=\"dsn-%lld\"\n\n",
                    g->domain, g->domain, date, (long long)g->seq + 1, g->domain,
                    (long long)g->seq);
    doge_buf_printf(&g->msg,
                    "--dsn-%lld\nContent-Type: text/plain\n\nYour message could not be delivered "
                    "to <%s>: the mailbox does not exist.\n\n",
                    (long long)g->seq, p->email);
    doge_buf_printf(&g->msg,
                    "--dsn-%lld\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; "
                    "mx.%s\n\nFinal-Recipient: rfc822; %s\nAction: failed\nStatus: 5.1.1\n"
                    "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n\n",
                    (long long)g->seq, g->domain, p->email);
    doge_buf_printf(&g->msg,
                    "--dsn-%lld\nContent-Type: text/rfc822-headers\n\nFrom: doge pulse "
                    "<pulse@%s>\nTo: %s <%s>\nSubject: %s: what did you accomplish last week?\n"
                    "Message-ID: <%s.%s@%s>\n\n--dsn-%lld--\n",
                    (long long)g->seq, g->domain, p->name, p->email, g->week, p->token, g->week,
                    g->domain, (long long)g->seq);
}

int doge_pulse_synth_replies(doge_workspace *ws, const char *week, uint64_t seed,
                             const char *out, int maildir, const char *truth_path,
                             doge_pulse_synth_stats *stats)
{
    doge_pulse_synth_stats unused;
    if (!stats)
        stats = &unused;
    memset(stats, 0, sizeof *stats);
    doge_store *st = doge_workspace_store(ws);
    doge_stmt *s;
    gen g;
    memset(&g, 0, sizeof g);
    g.week = week;
    doge_synth_rng_seed(&g.rng, seed ^ 0xD06E5EEDull);
    int rc = doge_store_prepare(st, &s,
                                "SELECT domain, opened_at, deadline FROM pulse_campaign"
                                " WHERE week = ?");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, week, -1);
    char domain[256] = "";
    if ((rc = doge_stmt_step(s)) == 1) {
        snprintf(domain, sizeof domain, "%s", doge_stmt_text(s, 0));
        g.opened = doge_stmt_int64(s, 1);
        g.deadline = doge_stmt_int64(s, 2);
    }
    doge_stmt_free(s);
    if (rc != 1)
        return rc < 0 ? rc : doge__error_set(DOGE_ENOTFOUND, "no campaign for %s", week);
    g.domain = domain;
    if (g.opened >= g.deadline)
        g.opened = g.deadline - 6 * 86400;
    FILE *truth = fopen(truth_path, "w");
    if (!truth)
        return doge__error_set(DOGE_EIO, "%s: %s", truth_path, strerror(errno));
    if (maildir) {
        snprintf(g.maildir, sizeof g.maildir, "%s", out);
        char sub[PATH_MAX + 8];
        for (int i = 0; i < 3 && rc >= 0; i++) {
            snprintf(sub, sizeof sub, "%.*s/%s", PATH_MAX - 1, out,
                     i == 0 ? "new" : i == 1 ? "cur" : "tmp");
            rc = doge__mkdirs(sub, 0755);
        }
    } else if (!(g.mbox = fopen(out, "w"))) {
        rc = doge__error_set(DOGE_EIO, "%s: %s", out, strerror(errno));
    }
    if (rc < 0) {
        fclose(truth);
        return rc;
    }
    doge_buf_init(&g.msg, 1u << 20);
    doge_buf_init(&g.body, 1u << 20);
    fprintf(truth, "employee_id,department,outcome,style,manager_cc,bullets,personal_address,"
                   "replies\n");
    rc = doge_store_prepare(st, &s,
                            "SELECT q.employee_id, e.name, q.email, q.department,"
                            " COALESCE(m.email, ''), q.token, COALESCE(e.aliases, '')"
                            " FROM pulse_request q JOIN roster e ON e.employee_id = q.employee_id"
                            " LEFT JOIN roster m ON m.employee_id = q.manager_id"
                            " WHERE q.week = ? ORDER BY q.employee_id");
    if (rc == DOGE_OK)
        doge_stmt_bind_text(s, 1, week, -1);
    char last_dept[256] = "";
    char templ[5][300];
    int64_t span = g.deadline - g.opened;
    int step = 0;
    while (rc == DOGE_OK && (step = doge_stmt_step(s)) == 1) {
        person p = {doge_stmt_text(s, 0), doge_stmt_text(s, 1), doge_stmt_text(s, 2),
                    doge_stmt_text(s, 3), doge_stmt_text(s, 4), doge_stmt_text(s, 5), NULL};
        char alias[320] = "";
        const char *al = doge_stmt_text(s, 6);
        if (*al) {
            size_t n = strcspn(al, ";");
            snprintf(alias, sizeof alias, "%.*s", (int)n, al);
            p.alias = alias;
        }
        if (strcmp(last_dept, p.dept) != 0) {
            /* Each department has its own pasted template. */
            snprintf(last_dept, sizeof last_dept, "%s", p.dept);
            make_bullets(&g, templ, 5, 0);
        }
        uint32_t r = (uint32_t)doge_synth_rng_below(&g.rng, 1000);
        int outcome = r < 660 ? OUT_ONTIME : r < 740 ? OUT_LATE : r < 770 ? OUT_AUTO
                    : r < 785 ? OUT_BOUNCE : OUT_NONE;
        int style = (int)(uint32_t)doge_synth_rng_below(&g.rng, ST_COUNT - 1);
        if ((uint32_t)doge_synth_rng_below(&g.rng, 100) < 4)
            style = ST_TEMPLATE;
        int cc = p.manager_email[0] && (uint32_t)doge_synth_rng_below(&g.rng, 100) < 80;
        int personal = p.alias && (uint32_t)doge_synth_rng_below(&g.rng, 100) < 30;
        int nb = 0, replies = 0;
        int64_t t0 = g.opened + 3600 + (int64_t)(uint32_t)doge_synth_rng_below(&g.rng, (uint32_t)(span - 7200));
        if (outcome == OUT_ONTIME || outcome == OUT_LATE) {
            if ((uint32_t)doge_synth_rng_below(&g.rng, 100) < 8) { /* an out-of-office first */
                auto_reply_mail(&g, &p, g.opened + 60, 1);
                rc = emit(&g, p.email, g.opened + 60);
            }
            int64_t when = outcome == OUT_LATE
                               ? g.deadline + 60 + (int64_t)(uint32_t)doge_synth_rng_below(&g.rng, 3 * 86400)
                               : t0;
            int twice = (uint32_t)doge_synth_rng_below(&g.rng, 100) < 5;
            if (twice && rc == DOGE_OK) {
                /* A first reply, superseded by a corrected one later the
                 * same day — both before the deadline when on time. */
                int64_t first = outcome == OUT_LATE ? when - 60 : t0 - 1800;
                if (first <= g.opened)
                    first = g.opened + 30;
                reply_mail(&g, &p, ST_ONELINER, cc, first, p.email, 1, templ, &nb);
                rc = emit(&g, p.email, first);
                replies++;
            }
            if (rc == DOGE_OK) {
                reply_mail(&g, &p, style, cc, when, personal ? p.alias : p.email, !personal,
                           templ, &nb);
                rc = emit(&g, personal ? p.alias : p.email, when);
                replies++;
            }
        } else if (outcome == OUT_AUTO) {
            auto_reply_mail(&g, &p, t0, (uint32_t)doge_synth_rng_below(&g.rng, 100) < 70);
            rc = emit(&g, p.email, t0);
        } else if (outcome == OUT_BOUNCE) {
            bounce_mail(&g, &p, g.opened + 120);
            rc = emit(&g, "MAILER-DAEMON", g.opened + 120);
        }
        stats->employees++;
        stats->messages += replies + (outcome == OUT_AUTO || outcome == OUT_BOUNCE);
        stats->by_outcome[outcome]++;
        fprintf(truth, "%s,\"%s\",%s,%s,%d,%d,%d,%d\n", p.id, p.dept, outcome_names[outcome],
                (outcome == OUT_ONTIME || outcome == OUT_LATE) ? style_names[style] : "",
                (outcome == OUT_ONTIME || outcome == OUT_LATE) ? cc : 0, nb, personal, replies);
    }
    if (rc == DOGE_OK && step < 0)
        rc = step;
    doge_stmt_free(s);
    stats->messages = g.seq;
    doge_buf_dispose(&g.msg);
    doge_buf_dispose(&g.body);
    if (g.mbox && fclose(g.mbox) != 0 && rc == DOGE_OK)
        rc = doge__error_set(DOGE_EIO, "%s: write failed", out);
    if (fclose(truth) != 0 && rc == DOGE_OK)
        rc = doge__error_set(DOGE_EIO, "%s: write failed", truth_path);
    return rc;
}
