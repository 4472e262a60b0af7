/*
 * ingest.c — the reply pipeline of the weekly check-in: for each message of
 * each source, skip what was seen (Message-ID, content hash), parse the MIME
 * (doge_mail), take bounces (DSNs) to their request, match replies to their
 * campaign and employee (token in the recipient addresses, then
 * In-Reply-To/References, then the sender's address or alias), tell
 * auto-replies apart, extract the bullets (doge_extract), check policy
 * (links, attachments, markings, SSN-like numbers: redacted in what is
 * stored), decide on time or late and whether the manager was copied, store
 * the reply (a later one supersedes an earlier one; both are kept), append
 * each accepted reply to the ledger as canonical JSON, and write receipts
 * with their tlog-proof once the batch is durable.
 */
#include "doge/date.h"
#include "doge/extract.h"
#include "doge/ledger.h"
#include "doge/mail.h"
#include "doge/mailsource.h"
#include "doge/map.h"
#include "doge/progress.h"
#include "internal.h"
#include "pulse_internal.h"

#include <ctype.h>
#include <jansson.h>
#include <openssl/sha.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 2000

typedef struct {
    char token[64];
    char week[16];
    char employee[128];
    char email[320];
    char department[256];
    char manager_email[320];
    int64_t deadline;
} match_t;

typedef struct {
    int64_t reply_id;
    int64_t ledger_index;
    char email[320];
    char name[256];
    char week[16];
    char *record; /* the ledger entry */
    size_t record_len;
} pending_receipt;

/* A campaign, for matching by sender. */
typedef struct {
    char week[16];
    int64_t opened_at;
} campaign_t;

typedef struct {
    doge_workspace *ws;
    doge_store *st;
    doge_ledger *ledger;
    doge_extract *x;
    const doge_pulse_ingest_opts *opts;
    doge_pulse_ingest_stats *stats;
    doge_progress *prog;
    int64_t next_id;
    int64_t in_batch;
    pending_receipt *receipts;
    size_t nreceipts, receipts_cap;
    doge_stmt *by_token, *by_request, *by_alias, *seen_hash, *seen_mid, *insert, *supersede,
        *later, *bounce_req, *set_index;
    campaign_t *campaigns; /* newest first */
    size_t ncampaigns;
    /* Addresses of employees who left (roster.email of inactive rows, which
     * roster_alias no longer holds): address -> offset in departed_ids of
     * their ids, each NUL-terminated, the list ended by an empty string. */
    doge_map *departed;
    doge_buf departed_ids;
} ingest;

static void hex(const uint8_t *h, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* ---- matching ----------------------------------------------------------- */

static int load_match(ingest *g, doge_stmt *s, match_t *m)
{
    int rc = doge_stmt_step(s);
    if (rc == 1) {
        snprintf(m->token, sizeof m->token, "%s", doge_stmt_text(s, 0));
        snprintf(m->week, sizeof m->week, "%s", doge_stmt_text(s, 1));
        snprintf(m->employee, sizeof m->employee, "%s", doge_stmt_text(s, 2));
        snprintf(m->email, sizeof m->email, "%s", doge_stmt_text(s, 3));
        snprintf(m->department, sizeof m->department, "%s", doge_stmt_text(s, 4));
        snprintf(m->manager_email, sizeof m->manager_email, "%s", doge_stmt_text(s, 5));
        m->deadline = doge_stmt_int64(s, 6);
    }
    doge_stmt_reset(s);
    (void)g;
    return rc;
}

static int match_token(ingest *g, const char *token, size_t len, match_t *m)
{
    if (len == 0 || len >= 64)
        return 0;
    char t[64];
    for (size_t i = 0; i < len; i++)
        t[i] = (char)tolower((unsigned char)token[i]);
    t[len] = '\0';
    doge_stmt_bind_text(g->by_token, 1, t, -1);
    return load_match(g, g->by_token, m);
}

/* pulse+TOKEN@domain in an address. */
static int match_address_token(ingest *g, const char *addr, match_t *m)
{
    const char *plus = strchr(addr, '+'), *at = strchr(addr, '@');
    if (!plus || !at || plus > at || (size_t)(plus - addr) != 5 || strncmp(addr, "pulse", 5) != 0)
        return 0;
    return match_token(g, plus + 1, (size_t)(at - plus - 1), m);
}

/* <TOKEN.WEEK@domain> as doge writes Message-IDs (brackets optional). */
static int match_message_id(ingest *g, const char *mid, match_t *m)
{
    if (!mid)
        return 0;
    if (*mid == '<')
        mid++;
    const char *dot = strchr(mid, '.');
    return dot ? match_token(g, mid, (size_t)(dot - mid), m) : 0;
}

/* By sender: the employees whose address (e-mail or alias; roster_alias
 * holds every address of an active employee, lowercased, and departed
 * employees are in g->departed) is addr; among their requests, the one of
 * the newest campaign opened before the mail was sent, else of the newest.
 * This was one SQL query whose IN (...) over pulse_request could not use the
 * (week, employee_id) key: it read the whole request table per message and
 * took 45% of ingest time at 20,000 employees (quadratic in the roster).
 * Now each step is a primary-key lookup. */
static int match_sender(ingest *g, const char *addr, int64_t when, match_t *m)
{
    char ids[2][128];
    size_t nids = 0;
    doge_stmt_bind_text(g->by_alias, 1, addr, -1);
    int rc = doge_stmt_step(g->by_alias);
    if (rc == 1)
        snprintf(ids[nids++], sizeof ids[0], "%s", doge_stmt_text(g->by_alias, 0));
    doge_stmt_reset(g->by_alias);
    if (rc < 0)
        return rc;
    uint64_t off;
    const char *more = NULL;
    if (doge_map_get_u64(g->departed, addr, strlen(addr), &off))
        more = g->departed_ids.data + off;
    for (int pass = 0; pass < 2; pass++)
        for (size_t c = 0; c < g->ncampaigns; c++) {
            if ((g->campaigns[c].opened_at <= when) != (pass == 0))
                continue;
            doge_stmt_bind_text(g->by_request, 1, g->campaigns[c].week, -1);
            for (size_t i = 0; i < nids; i++) {
                doge_stmt_bind_text(g->by_request, 2, ids[i], -1);
                if ((rc = load_match(g, g->by_request, m)) != 0)
                    return rc;
            }
            for (const char *id = more; id && *id; id += strlen(id) + 1) {
                doge_stmt_bind_text(g->by_request, 2, id, -1);
                if ((rc = load_match(g, g->by_request, m)) != 0)
                    return rc;
            }
        }
    return 0;
}

/* Loads the campaigns (newest first) and the addresses of departed
 * employees for match_sender(). */
static int load_sender_tables(ingest *g)
{
    doge_stmt *s;
    int rc = doge_store_prepare(g->st, &s,
                                "SELECT week, opened_at FROM pulse_campaign"
                                " ORDER BY opened_at DESC, week DESC");
    while (rc == DOGE_OK && (rc = doge_stmt_step(s)) == 1) {
        rc = DOGE_OK;
        if (g->ncampaigns % 16 == 0) {
            campaign_t *n = realloc(g->campaigns, (g->ncampaigns + 16) * sizeof *n);
            if (!n) {
                rc = doge__error_oom();
                break;
            }
            g->campaigns = n;
        }
        campaign_t *c = &g->campaigns[g->ncampaigns++];
        snprintf(c->week, sizeof c->week, "%s", doge_stmt_text(s, 0));
        c->opened_at = doge_stmt_int64(s, 1);
    }
    doge_stmt_free(s);
    if (rc < 0)
        return rc;
    if ((rc = doge_map_new(&g->departed, 0, 0)) ||
        (rc = doge_store_prepare(g->st, &s,
                                 "SELECT email, employee_id FROM roster WHERE active = 0"
                                 " ORDER BY email, employee_id")))
        return rc;
    doge_buf_init(&g->departed_ids, 0);
    char last[320] = "";
    int have = 0;
    while ((rc = doge_stmt_step(s)) == 1) {
        const char *email = doge_stmt_text(s, 0), *id = doge_stmt_text(s, 1);
        rc = DOGE_OK;
        if (!have || strcmp(email, last) != 0) {
            if (have)
                rc = doge_buf_append_char(&g->departed_ids, '\0');
            if (rc == DOGE_OK)
                rc = doge_map_put_u64(g->departed, email, strlen(email), g->departed_ids.len);
            snprintf(last, sizeof last, "%s", email);
            have = 1;
        }
        if (rc == DOGE_OK)
            rc = doge_buf_append(&g->departed_ids, id, strlen(id) + 1);
        if (rc)
            break;
    }
    if (rc == 0 && have)
        rc = doge_buf_append_char(&g->departed_ids, '\0');
    doge_stmt_free(s);
    return rc < 0 ? rc : DOGE_OK;
}

static int find_match(ingest *g, const doge_mail *mail, int64_t when, match_t *m,
                      const char **how)
{
    static const doge_mail_field fields[] = {DOGE_MAIL_TO, DOGE_MAIL_CC, DOGE_MAIL_DELIVERED_TO,
                                             DOGE_MAIL_X_ORIGINAL_TO};
    int rc;
    for (size_t f = 0; f < 4; f++) {
        size_t n;
        const doge_mail_address *a = doge_mail_addresses(mail, fields[f], &n);
        for (size_t i = 0; i < n; i++)
            if ((rc = match_address_token(g, a[i].addr, m)) != 0) {
                *how = "token";
                return rc;
            }
    }
    if ((rc = match_message_id(g, doge_mail_in_reply_to(mail), m)) != 0) {
        *how = "in-reply-to";
        return rc;
    }
    size_t nrefs;
    const char *const *refs = doge_mail_references(mail, &nrefs);
    for (size_t i = nrefs; i-- > 0;)
        if ((rc = match_message_id(g, refs[i], m)) != 0) {
            *how = "references";
            return rc;
        }
    const doge_mail_address *from = doge_mail_from(mail);
    if (from && (rc = match_sender(g, from->addr, when, m)) != 0) {
        *how = "sender";
        return rc;
    }
    return 0;
}

static int addressed_to(const doge_mail *mail, const char *email)
{
    if (!*email)
        return 0;
    for (doge_mail_field f = DOGE_MAIL_TO; f <= DOGE_MAIL_CC; f++) {
        size_t n;
        const doge_mail_address *a = doge_mail_addresses(mail, f, &n);
        for (size_t i = 0; i < n; i++)
            if (strcasecmp(a[i].addr, email) == 0)
                return 1;
    }
    return 0;
}

/* ---- storing ------------------------------------------------------------ */

static int store_row(ingest *g, const match_t *m, int matched, const char *kind, const char *how,
                     const char *mid, const char *hash, const char *label, int64_t when,
                     int on_time, int nbullets, int mcc, const char *flags, const char *bullets,
                     const char *note, int superseded)
{
    doge_stmt *s = g->insert;
    doge_stmt_reset(s);
    doge_stmt_bind_int64(s, 1, g->next_id);
    doge_stmt_bind_text(s, 2, matched ? m->week : NULL, -1);
    doge_stmt_bind_text(s, 3, matched ? m->employee : NULL, -1);
    doge_stmt_bind_text(s, 4, kind, -1);
    doge_stmt_bind_text(s, 5, how, -1);
    doge_stmt_bind_text(s, 6, mid && *mid ? mid : NULL, -1);
    doge_stmt_bind_text(s, 7, hash, -1);
    doge_stmt_bind_text(s, 8, label, -1);
    doge_stmt_bind_int64(s, 9, when);
    doge_stmt_bind_int64(s, 10, (int64_t)time(NULL));
    doge_stmt_bind_int64(s, 11, on_time);
    doge_stmt_bind_int64(s, 12, nbullets);
    doge_stmt_bind_int64(s, 13, mcc);
    doge_stmt_bind_text(s, 14, flags, -1);
    doge_stmt_bind_text(s, 15, bullets, -1);
    doge_stmt_bind_text(s, 16, note, -1);
    doge_stmt_bind_int64(s, 17, superseded);
    int rc = doge_stmt_step(s);
    if (rc < 0)
        return rc;
    g->next_id++;
    return DOGE_OK;
}

static int seen(ingest *g, const char *hash, const char *mid)
{
    doge_stmt_bind_text(g->seen_hash, 1, hash, -1);
    int rc = doge_stmt_step(g->seen_hash);
    doge_stmt_reset(g->seen_hash);
    if (rc != 0 || !mid || !*mid)
        return rc;
    doge_stmt_bind_text(g->seen_mid, 1, mid, -1);
    rc = doge_stmt_step(g->seen_mid);
    doge_stmt_reset(g->seen_mid);
    return rc;
}

static int handle_bounce(ingest *g, const doge_mail *mail, const char *hash, const char *label,
                         int64_t when)
{
    match_t m;
    int rc = match_message_id(g, doge_mail_dsn_original_id(mail), &m);
    size_t n;
    const doge_mail_dsn_recipient *r = doge_mail_dsn_recipients(mail, &n);
    char note[400] = "";
    for (size_t i = 0; i < n && rc == 0; i++)
        if (strcmp(r[i].action, "failed") == 0)
            rc = match_sender(g, r[i].recipient, when, &m);
    if (rc < 0)
        return rc;
    if (n)
        snprintf(note, sizeof note, "%s %s %s", r[0].recipient, r[0].status, r[0].diagnostic);
    if (rc == 1) {
        doge_stmt_bind_text(g->bounce_req, 1, note, -1);
        doge_stmt_bind_text(g->bounce_req, 2, m.token, -1);
        if ((rc = doge_stmt_step(g->bounce_req)) < 0)
            return rc;
        doge_stmt_reset(g->bounce_req);
    }
    g->stats->bounces++;
    return store_row(g, &m, rc == 1, "bounce", rc == 1 ? "dsn" : "none",
                     doge_mail_message_id(mail), hash, label, when, 0, 0, 0, "", "[]", note, 0);
}

static int add_flag(char *flags, size_t cap, const char *f)
{
    if (strstr(flags, f))
        return 0;
    size_t l = strlen(flags);
    snprintf(flags + l, cap - l, "%s%s", l ? "," : "", f);
    return 1;
}

/* The canonical ledger record of an accepted reply (sorted keys, compact). */
static char *ledger_record(const match_t *m, const char *hash, const char *mid, int64_t when,
                           int on_time, int mcc, const char *flags, json_t *bullets, size_t *len)
{
    json_t *o = json_object();
    char ts[40], midhash[65];
    uint8_t h[32];
    doge_date_timestamp_format(when, ts, sizeof ts);
    SHA256((const unsigned char *)(mid ? mid : ""), mid ? strlen(mid) : 0, h);
    hex(h, 32, midhash);
    json_object_set_new(o, "kind", json_string("pulse.reply"));
    json_object_set_new(o, "week", json_string(m->week));
    json_object_set_new(o, "employee_id", json_string(m->employee));
    json_object_set_new(o, "department", json_string(m->department));
    json_object_set_new(o, "sent", json_string(ts));
    json_object_set_new(o, "on_time", json_boolean(on_time));
    json_object_set_new(o, "manager_cc", json_boolean(mcc));
    json_object_set_new(o, "flags", json_string(flags));
    json_object_set_new(o, "content_sha256", json_string(hash));
    json_object_set_new(o, "message_id_sha256", json_string(midhash));
    json_object_set_new(o, "bullets", json_incref(bullets));
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    if (s && strlen(s) > DOGE_LEDGER_ENTRY_MAX) {
        /* Too long for one entry: keep a hash of the bullets instead. */
        uint8_t bh[32];
        char bhex[65];
        char *b = json_dumps(bullets, JSON_COMPACT);
        SHA256((const unsigned char *)(b ? b : ""), b ? strlen(b) : 0, bh);
        free(b);
        hex(bh, 32, bhex);
        json_object_del(o, "bullets");
        json_object_set_new(o, "bullets_sha256", json_string(bhex));
        free(s);
        s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    }
    json_decref(o);
    if (s)
        *len = strlen(s);
    return s;
}

static int one_message(void *ctx, const char *raw, size_t len, const char *label)
{
    ingest *g = ctx;
    g->stats->messages++;
    doge_progress_update(g->prog, (uint64_t)g->stats->messages);
    doge_mail *mail = NULL;
    int rc = doge_mail_parse(raw, len, &mail);
    if (rc) {
        fprintf(stderr, "doge: %s: %s (skipped)\n", label, doge_error_last());
        return DOGE_OK;
    }
    char hash[65];
    hex(doge_mail_hash(mail), 32, hash);
    const char *mid = doge_mail_message_id(mail);
    if ((rc = seen(g, hash, mid)) != 0) {
        doge_mail_free(mail);
        if (rc < 0)
            return rc;
        g->stats->duplicates++;
        return DOGE_OK;
    }
    int64_t when = doge_mail_date(mail);
    if (when == DOGE_MAIL_DATE_UNKNOWN)
        when = doge_mail_received(mail);
    if (when == DOGE_MAIL_DATE_UNKNOWN)
        when = (int64_t)time(NULL);
    unsigned mflags = doge_mail_flags(mail);
    if (mflags & DOGE_MAIL_DSN) {
        rc = handle_bounce(g, mail, hash, label, when);
        doge_mail_free(mail);
        return rc;
    }
    match_t m;
    memset(&m, 0, sizeof m);
    const char *how = "none";
    int matched = find_match(g, mail, when, &m, &how);
    if (matched < 0) {
        doge_mail_free(mail);
        return matched;
    }
    size_t blen;
    const char *body = doge_mail_body(mail, &blen);
    unsigned xflags = (mflags & DOGE_MAIL_FLOWED ? DOGE_EXTRACT_FLOWED : 0) |
                      (mflags & DOGE_MAIL_DELSP ? DOGE_EXTRACT_DELSP : 0);
    const doge_extract_result *res;
    if ((rc = doge_extract_run(g->x, body, blen, xflags, &res))) {
        doge_mail_free(mail);
        return rc;
    }
    const char *subject = doge_mail_subject(mail);
    int is_auto = (mflags & DOGE_MAIL_AUTO_REPLY) || (res->auto_reply && res->count == 0) ||
                  (res->count == 0 && (strncasecmp(subject, "Automatic reply", 15) == 0 ||
                                       strncasecmp(subject, "Out of Office", 13) == 0));
    if (!matched) {
        g->stats->unmatched++;
        rc = store_row(g, &m, 0, is_auto ? "auto-reply" : "unmatched", "none", mid, hash, label,
                       when, 0, 0, 0, "", "[]", "no campaign or employee found", 0);
        doge_mail_free(mail);
        return rc;
    }
    if (is_auto) {
        g->stats->auto_replies++;
        rc = store_row(g, &m, 1, "auto-reply", how, mid, hash, label, when, 0, 0, 0, "", "[]",
                       doge_mail_auto_reply(mail) ? doge_mail_auto_reply(mail) : "out-of-office text",
                       0);
        doge_mail_free(mail);
        return rc;
    }
    /* Bullets: from the body, else from text attachments. */
    char flags[200] = "", note[300] = "";
    size_t natt;
    const doge_mail_attachment *att = doge_mail_attachments(mail, &natt);
    json_t *bullets = json_array();
    unsigned bflags = res->flags;
    for (size_t i = 0; i < res->count; i++)
        json_array_append_new(bullets, json_stringn(res->bullets[i].redacted,
                                                    res->bullets[i].redacted_len));
    for (size_t i = 0; i < natt; i++) {
        if (att[i].flags & DOGE_MAIL_ATT_INLINE)
            continue;
        add_flag(flags, sizeof flags, "attachment");
        if (att[i].flags & DOGE_MAIL_ATT_TNEF)
            add_flag(flags, sizeof flags, "winmail.dat");
        if (att[i].flags & DOGE_MAIL_ATT_DOCX)
            add_flag(flags, sizeof flags, "docx");
        if ((att[i].flags & DOGE_MAIL_ATT_TEXT) && json_array_size(bullets) == 0 && att[i].text) {
            const doge_extract_result *ar;
            if ((rc = doge_extract_run(g->x, att[i].text, att[i].text_len, 0, &ar)) == DOGE_OK) {
                for (size_t k = 0; k < ar->count; k++)
                    json_array_append_new(bullets, json_stringn(ar->bullets[k].redacted,
                                                                ar->bullets[k].redacted_len));
                bflags |= ar->flags;
                snprintf(note, sizeof note, "bullets taken from the attachment '%s'",
                         att[i].filename);
            }
        }
    }
    if (bflags & DOGE_EXTRACT_FLAG_LINK)
        add_flag(flags, sizeof flags, "link");
    if (bflags & DOGE_EXTRACT_FLAG_CLASSIFICATION)
        add_flag(flags, sizeof flags, "classification");
    if (bflags & DOGE_EXTRACT_FLAG_SSN)
        add_flag(flags, sizeof flags, "ssn");
    int on_time = when <= m.deadline;
    int mcc = addressed_to(mail, m.manager_email);
    /* A later reply supersedes: this one is superseded when a later one is
     * already stored; earlier ones are superseded by this one. */
    doge_stmt_bind_text(g->later, 1, m.week, -1);
    doge_stmt_bind_text(g->later, 2, m.employee, -1);
    doge_stmt_bind_int64(g->later, 3, when);
    int has_later = doge_stmt_step(g->later);
    doge_stmt_reset(g->later);
    doge_stmt_bind_text(g->supersede, 1, m.week, -1);
    doge_stmt_bind_text(g->supersede, 2, m.employee, -1);
    doge_stmt_bind_int64(g->supersede, 3, when);
    if (has_later < 0 || (rc = doge_stmt_step(g->supersede)) < 0) {
        json_decref(bullets);
        doge_mail_free(mail);
        return has_later < 0 ? has_later : rc;
    }
    g->stats->superseded += doge_store_changes(g->st);
    doge_stmt_reset(g->supersede);
    char *bjson = json_dumps(bullets, JSON_COMPACT);
    size_t rlen = 0;
    char *record = ledger_record(&m, hash, mid, when, on_time, mcc, flags, bullets, &rlen);
    int64_t index = -1;
    if (!bjson || !record)
        rc = doge__error_oom();
    if (rc == DOGE_OK)
        rc = doge_ledger_append(g->ledger, record, rlen, &index);
    if (rc == DOGE_OK)
        rc = store_row(g, &m, 1, "reply", how, mid, hash, label, when, on_time,
                       (int)json_array_size(bullets), mcc, flags, bjson, note, has_later == 1);
    if (rc == DOGE_OK) {
        doge_stmt_bind_int64(g->set_index, 1, index);
        doge_stmt_bind_int64(g->set_index, 2, g->next_id - 1);
        rc = doge_stmt_step(g->set_index) < 0 ? DOGE_EDB : DOGE_OK;
        doge_stmt_reset(g->set_index);
    }
    if (rc == DOGE_OK) {
        g->stats->replies++;
        g->stats->late += !on_time;
        g->stats->flagged += flags[0] != '\0';
        if (g->opts->receipts) {
            if (g->nreceipts == g->receipts_cap) {
                size_t nc = g->receipts_cap ? g->receipts_cap * 2 : 256;
                pending_receipt *nr = realloc(g->receipts, nc * sizeof *nr);
                if (!nr)
                    rc = doge__error_oom();
                else {
                    g->receipts = nr;
                    g->receipts_cap = nc;
                }
            }
            if (rc == DOGE_OK) {
                pending_receipt *p = &g->receipts[g->nreceipts++];
                memset(p, 0, sizeof *p);
                p->reply_id = g->next_id - 1;
                p->ledger_index = index;
                const doge_mail_address *from = doge_mail_from(mail);
                snprintf(p->email, sizeof p->email, "%s", from ? from->addr : m.email);
                snprintf(p->name, sizeof p->name, "%s", from ? from->name : "");
                snprintf(p->week, sizeof p->week, "%s", m.week);
                p->record = record;
                p->record_len = rlen;
                record = NULL;
            }
        }
    }
    free(record);
    free(bjson);
    json_decref(bullets);
    doge_mail_free(mail);
    return rc;
}

/* ---- batches and receipts ----------------------------------------------- */

static int write_receipts(ingest *g)
{
    int rc = DOGE_OK;
    for (size_t i = 0; i < g->nreceipts && rc == DOGE_OK; i++) {
        pending_receipt *p = &g->receipts[i];
        char *proof = NULL;
        size_t plen;
        if ((rc = doge_ledger_tlog_proof(g->ledger, p->ledger_index, NULL, 0, &proof, &plen)))
            break;
        rc = doge__pulse_write_receipt(g->ws, p->email, p->name, p->week, p->ledger_index,
                                       p->record, p->record_len, proof, plen);
        free(proof);
        if (rc == DOGE_OK)
            g->stats->receipts++;
    }
    if (rc == DOGE_OK && g->nreceipts)
        rc = doge__pulse_sync_outbox(g->ws);
    for (size_t i = 0; i < g->nreceipts; i++)
        free(g->receipts[i].record);
    g->nreceipts = 0;
    return rc;
}

/* Ledger first (durable, signed), then the store: a reply is recorded only
 * once its ledger entry is acknowledged. */
static int end_batch(ingest *g)
{
    int rc = doge_ledger_commit(g->ledger);
    if (rc) {
        doge_store_rollback(g->st);
        return rc;
    }
    if ((rc = doge_store_commit(g->st)))
        return rc;
    return write_receipts(g);
}

static int batched_message(void *ctx, const char *raw, size_t len, const char *label)
{
    ingest *g = ctx;
    int rc;
    if (g->in_batch == 0 && (rc = doge_store_begin(g->st)))
        return rc;
    if ((rc = one_message(ctx, raw, len, label))) {
        doge_store_rollback(g->st);
        return rc;
    }
    if (++g->in_batch >= BATCH) {
        g->in_batch = 0;
        return end_batch(g);
    }
    return DOGE_OK;
}

static int prepare_all(ingest *g)
{
#define MATCH_COLS                                                                                 \
    "SELECT q.token, q.week, q.employee_id, q.email, q.department, COALESCE(m.email, ''),"       \
    " c.deadline FROM pulse_request q JOIN pulse_campaign c ON c.week = q.week"                   \
    " LEFT JOIN roster m ON m.employee_id = q.manager_id"
    struct {
        doge_stmt **s;
        const char *sql;
    } all[] = {
        {&g->by_token, MATCH_COLS " WHERE q.token = ?"},
        {&g->by_request, MATCH_COLS " WHERE q.week = ? AND q.employee_id = ?"},
        {&g->by_alias, "SELECT employee_id FROM roster_alias WHERE email = ?"},
        {&g->seen_hash, "SELECT 1 FROM pulse_reply WHERE content_hash = ?"},
        {&g->seen_mid, "SELECT 1 FROM pulse_reply WHERE message_id = ?"},
        {&g->insert,
         "INSERT INTO pulse_reply (id, week, employee_id, kind, matched_by, message_id,"
         " content_hash, source, sent_at, ingested_at, on_time, bullet_count, manager_cc, flags,"
         " bullets, note, superseded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
        {&g->supersede, "UPDATE pulse_reply SET superseded = 1 WHERE week = ? AND employee_id = ?"
                        " AND kind = 'reply' AND superseded = 0 AND sent_at <= ?"},
        {&g->later, "SELECT 1 FROM pulse_reply WHERE week = ? AND employee_id = ?"
                    " AND kind = 'reply' AND sent_at > ?"},
        {&g->bounce_req, "UPDATE pulse_request SET state = 'bounced', detail = ? WHERE token = ?"},
        {&g->set_index, "UPDATE pulse_reply SET ledger_index = ? WHERE id = ?"},
    };
#undef MATCH_COLS
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        int rc = doge_store_prepare(g->st, all[i].s, all[i].sql);
        if (rc)
            return rc;
    }
    return DOGE_OK;
}

static void free_all(ingest *g)
{
    doge_stmt *all[] = {g->by_token,  g->by_request, g->by_alias,   g->seen_hash,
                        g->seen_mid,  g->insert,     g->supersede,  g->later,
                        g->bounce_req, g->set_index};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        doge_stmt_free(all[i]);
}

int doge_pulse_ingest(doge_workspace *ws, const char *const *sources, size_t n,
                      const doge_pulse_ingest_opts *opts, doge_pulse_ingest_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    ingest g;
    memset(&g, 0, sizeof g);
    g.ws = ws;
    g.st = doge_workspace_store(ws);
    g.opts = opts;
    g.stats = stats;
    int rc = doge_ledger_open_workspace(&g.ledger, ws, 1);
    if (rc)
        return rc;
    doge_ledger_set_batch_max(g.ledger, (int64_t)BATCH * 4);
    if ((rc = doge_extract_new(&g.x)) || (rc = prepare_all(&g)) || (rc = load_sender_tables(&g)))
        goto done;
    /* The request text, so that quoted copies of it are recognised. */
    char *tpl = NULL;
    if ((rc = doge__pulse_template(ws, &tpl)))
        goto done;
    rc = doge_extract_set_request(g.x, "what did you accomplish last week?", tpl, strlen(tpl));
    free(tpl);
    if (rc)
        goto done;
    if ((rc = doge_store_query_int64(g.st, "SELECT COALESCE(MAX(id), 0) + 1 FROM pulse_reply",
                                     NULL, &g.next_id)))
        goto done;
    doge_progress_new(&g.prog, "ingest", 0, opts->quiet ? DOGE_PROGRESS_QUIET : 0);
    for (size_t i = 0; i < n && rc == DOGE_OK; i++) {
        int64_t count;
        rc = doge_mailsource_walk(sources[i], opts->user, opts->password, batched_message, &g,
                                  &count);
    }
    if (rc == DOGE_OK && g.in_batch > 0)
        rc = end_batch(&g);
    doge_progress_finish(g.prog);
    doge_progress_free(g.prog);
    stats->ledger_size = doge_ledger_size(g.ledger);
done:
    for (size_t i = 0; i < g.nreceipts; i++)
        free(g.receipts[i].record);
    free(g.receipts);
    free_all(&g);
    free(g.campaigns);
    doge_map_free(g.departed);
    doge_buf_dispose(&g.departed_ids);
    doge_extract_free(g.x);
    doge_ledger_free(g.ledger);
    return rc;
}
