/*
 * doge/pulse.h — the weekly check-in campaign: open a week's campaign (one
 * request per active roster employee, each with an unguessable reply token
 * and its own Message-ID), render the request mail from the workspace's
 * template, and deliver it into the workspace outbox (a Maildir) or over
 * SMTP. Delivery is resumable and at-most-once: a request is marked sent only
 * after its message is durable (Maildir) or accepted (SMTP), and a request
 * whose fate is unknown after a crash is never sent twice.
 *
 * Ownership: the workspace is borrowed. Strings in results are malloc'd and
 * freed by the matching *_dispose function.
 */
#ifndef DOGE_PULSE_H
#define DOGE_PULSE_H

#include "common.h"
#include "workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The default request text; {{name}}, {{week}}, {{deadline}}, {{reply_to}},
 * {{manager}}, {{department}} and {{reply_url}} (the web form's link when
 * doge.conf sets [serve] public_url; without {{reply_url}} in the template
 * the link is added before the signature) are filled in. A workspace's
 * templates/request.txt, when present, replaces it. */
DOGE_EXTERN const char *doge_pulse_default_template(void);

typedef struct doge_pulse_open_result {
    int64_t requests;   /* requests created (one per active employee) */
    int64_t skipped;    /* inactive employees */
} doge_pulse_open_result;

/* Opens the campaign for ISO week (e.g. "2025-W08") with the reply deadline
 * (unix seconds) and the reply domain (tokens go to pulse+TOKEN@domain).
 * DOGE_EEXISTS when the week already has a campaign. */
DOGE_EXTERN int doge_pulse_open(doge_workspace *ws, const char *week, int64_t deadline,
                                const char *domain, doge_pulse_open_result *res);

/* Renders the request message (RFC 5322, UTF-8) for one employee's request,
 * found by token. *out is malloc'd. */
DOGE_EXTERN int doge_pulse_render_request(doge_workspace *ws, const char *token, char **out,
                                          size_t *len);

typedef struct doge_pulse_delivery {
    int64_t delivered;  /* messages newly handed over */
    int64_t already;    /* requests already sent before this run */
    int64_t recovered;  /* found delivered after a crash, marked sent, not re-sent */
    int64_t refused;    /* recipients the server refused (recorded, not retried) */
    int64_t unknown;    /* interrupted mid-send earlier: not re-sent (at most once) */
} doge_pulse_delivery;

/* SMTP settings for doge_pulse_deliver(); url NULL means the outbox Maildir. */
typedef struct doge_pulse_smtp {
    const char *url;        /* smtp://host:port or smtps://host:port */
    const char *user;       /* NULL: no AUTH */
    const char *password;
    int starttls;           /* 1: require STARTTLS on smtp:// */
    int connections;        /* parallel connections (>= 1) */
    double rate;            /* messages per second in all, 0 = unlimited */
    const char *mail_from;  /* envelope sender; NULL: pulse@domain */
} doge_pulse_smtp;

/* Delivers every request of week not yet sent. quiet: no progress bar. */
DOGE_EXTERN int doge_pulse_deliver(doge_workspace *ws, const char *week, const doge_pulse_smtp *smtp,
                                   int quiet, doge_pulse_delivery *res);

/* Sends the receipts ingest wrote to outbox/new over SMTP (smtp->url
 * required), at most once: a receipt is claimed (moved to outbox/cur as
 * NAME:2,) before it leaves; accepted ones become NAME:2,P, refused ones
 * NAME:2,F (res->refused), ones that never went out return to new/ and
 * fail the run (run again to retry), and ones in doubt stay claimed and are
 * counted in res->unknown. res->already counts receipts sent before. The
 * envelope sender is smtp->mail_from, else pulse-receipts@ the newest
 * campaign's domain. */
DOGE_EXTERN int doge_pulse_send_receipts(doge_workspace *ws, const doge_pulse_smtp *smtp,
                                         int quiet, doge_pulse_delivery *res);

/* ---- ingest ------------------------------------------------------------- */

typedef struct doge_pulse_ingest_opts {
    const char *user;     /* IMAP user (or in the URL) */
    const char *password; /* IMAP password */
    int receipts;         /* 1: write a receipt with its tlog-proof to outbox/ */
    int quiet;            /* no progress on stderr */
    int threads;          /* threads that parse and extract: 0 = one per online CPU, -1 =
                           * none (all on the calling thread); the result is the same */
} doge_pulse_ingest_opts;

typedef struct doge_pulse_ingest_stats {
    int64_t messages;     /* read from the sources */
    int64_t duplicates;   /* seen before (Message-ID or content hash): nothing changed */
    int64_t replies;      /* accepted replies (on time + late) */
    int64_t late;
    int64_t superseded;   /* earlier replies a later one replaced */
    int64_t auto_replies;
    int64_t bounces;
    int64_t unmatched;    /* no campaign or employee found: kept for a human */
    int64_t flagged;      /* replies with policy flags (links, attachments, markings, SSNs) */
    int64_t receipts;     /* receipts written */
    int64_t ledger_size;  /* the ledger's size afterwards */
} doge_pulse_ingest_stats;

/* Reads every message of the sources (Maildir folders, mbox files,
 * imap:// URLs), matches each to its campaign and employee (reply token in
 * To/Cc/Delivered-To/X-Original-To, then In-Reply-To/References, then the
 * sender's address or alias), recognises auto-replies and bounces, extracts
 * and checks the bullets, records everything, appends each accepted reply to
 * the ledger as a canonical JSON record, and writes receipts. Re-ingesting
 * the same mail changes nothing. */
DOGE_EXTERN int doge_pulse_ingest(doge_workspace *ws, const char *const *sources, size_t n,
                                  const doge_pulse_ingest_opts *opts,
                                  doge_pulse_ingest_stats *stats);

/* ---- the web form (doge serve's /pulse/reply) ---------------------------- */

/* What the form shows for a reply token: whose request it is and when. */
typedef struct doge_pulse_form_info {
    char week[16];
    char employee_id[128];
    char name[256];
    char email[320];
    char department[256];
    char manager_name[256];
    char manager_email[320]; /* "" when the employee has no manager */
    int64_t deadline;        /* unix seconds */
    int replied;             /* an accepted reply is already stored */
} doge_pulse_form_info;

/* The request of token (26 base32 characters); DOGE_ENOTFOUND when no
 * request has it. */
DOGE_EXTERN int doge_pulse_form_lookup(doge_workspace *ws, const char *token,
                                       doge_pulse_form_info *info);

/* A reply recorded from the form, and what a receipt shows. */
typedef struct doge_pulse_form_result {
    char kind[16];          /* "reply" when accepted, else "auto-reply" */
    int64_t ledger_index;   /* -1 when not in the ledger */
    int on_time;
    int manager_cc;
    int64_t bullets;        /* bullets extracted */
    char flags[200];        /* policy flags, comma-separated, "" for none */
    char *bullets_json;     /* the stored (redacted) bullets as a JSON array */
    char *entry;            /* the ledger entry (canonical JSON), NULL when none */
    size_t entry_len;
    char *proof;            /* its c2sp.org/tlog-proof@v1 against the current checkpoint */
    size_t proof_len;
} doge_pulse_form_result;

/* Records what an employee typed in the form as their reply for token's
 * week, through the same pipeline as mail (doge_pulse_ingest: extraction,
 * policy checks and redaction, on time or late, superseding, the ledger
 * record, a receipt in outbox/): the text becomes a message from the
 * employee to pulse+TOKEN@domain (copying the manager when manager_cc).
 * DOGE_ENOTFOUND for an unknown token, DOGE_EINVAL for empty or non-UTF-8
 * text. *res is filled (free it with doge_pulse_form_result_dispose). */
DOGE_EXTERN int doge_pulse_ingest_form(doge_workspace *ws, const char *token, const char *text,
                                       size_t len, int manager_cc, doge_pulse_form_result *res);

/* The receipt of the latest accepted reply of token's employee and week:
 * its ledger entry and a tlog-proof against the current checkpoint (with
 * the witnesses' cosignatures it carries). DOGE_ENOTFOUND when none. */
DOGE_EXTERN int doge_pulse_form_receipt(doge_workspace *ws, const char *token,
                                        doge_pulse_form_result *res);

/* Frees what a form result holds; accepts a zeroed result. */
DOGE_EXTERN void doge_pulse_form_result_dispose(doge_pulse_form_result *res);

/* ---- synthetic replies ------------------------------------------------ */

typedef struct doge_pulse_synth_stats {
    int64_t employees;     /* requests of the week */
    int64_t messages;      /* messages written */
    int64_t by_outcome[5]; /* on time, late, auto-reply only, bounced, not replied */
} doge_pulse_synth_stats;

/* Writes the replies a workforce sends back for week's campaign to out (an
 * mbox file, or a Maildir folder when maildir is 1) and a ground-truth CSV
 * (employee_id, department, outcome, style, manager_cc, bullets,
 * personal_address, replies) to truth_path. Deterministic for a seed. */
DOGE_EXTERN int doge_pulse_synth_replies(doge_workspace *ws, const char *week, uint64_t seed,
                                         const char *out, int maildir, const char *truth_path,
                                         doge_pulse_synth_stats *stats);

/* ---- compliance --------------------------------------------------------- */

/* One row of `doge pulse status`: a department, a manager's subtree, or the
 * total. The categories after `expected` are exclusive: every expected
 * employee is in exactly one of on_time, late, auto_reply_only, bounced and
 * not_replied. */
typedef struct doge_pulse_counts {
    char group[256];         /* department name, manager id, or "total" */
    int64_t expected;        /* requests of the week */
    int64_t replied;         /* on_time + late */
    int64_t on_time;
    int64_t late;
    int64_t auto_reply_only; /* only automatic answers came back */
    int64_t bounced;         /* the request bounced (a DSN came back, or the SMTP
                                server refused the recipient), nothing else did */
    int64_t not_replied;
} doge_pulse_counts;

/* Filters for status and non-responders: NULL means no filter. A manager
 * filter covers the manager's whole subtree (everyone below, not the manager). */
typedef struct doge_pulse_filter {
    const char *department;
    const char *manager_id;
} doge_pulse_filter;

/* Counts per department (one row each, sorted) followed by the total row.
 * *rows is malloc'd (free()). */
DOGE_EXTERN int doge_pulse_status(doge_workspace *ws, const char *week, const doge_pulse_filter *f,
                                  doge_pulse_counts **rows, size_t *n);

/* Calls fn for each expected employee who has not replied (in id order):
 * employee id, name, e-mail, department, and why ("not replied",
 * "auto-reply only", "bounced"). A non-zero return stops and is returned. */
typedef int (*doge_pulse_person_fn)(void *ctx, const char *id, const char *name, const char *email,
                                    const char *department, const char *why);
DOGE_EXTERN int doge_pulse_nonresponders(doge_workspace *ws, const char *week,
                                         const doge_pulse_filter *f, doge_pulse_person_fn fn,
                                         void *ctx);

#ifdef __cplusplus
}
#endif
#endif
