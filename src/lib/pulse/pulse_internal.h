/*
 * pulse_internal.h — helpers shared by the pulse sources (campaign,
 * delivery, ingest, status). Never installed.
 */
#ifndef DOGE_PULSE_INTERNAL_H
#define DOGE_PULSE_INTERNAL_H

#include "doge/buf.h"
#include "doge/ledger.h"
#include "doge/store.h"
#include "doge/pulse.h"

#define DOGE__PULSE_TOKEN_LEN 26

/* A fresh reply token: 128 random bits as 26 lowercase base32 characters. */
int doge__pulse_token(char out[DOGE__PULSE_TOKEN_LEN + 1]);

/* The request template: templates/request.txt of the workspace, else the
 * default. *out is malloc'd. */
int doge__pulse_template(doge_workspace *ws, char **out);

/* Writes a receipt to the workspace outbox (Maildir): a short message to
 * the respondent with the ledger entry and its tlog-proof attached. */
int doge__pulse_write_receipt(doge_workspace *ws, const char *email, const char *name,
                              const char *week, int64_t index, const char *record,
                              size_t record_len, const char *proof, size_t proof_len);

/* Appends data as base64 in MIME body lines of 76 characters, each ended
 * with eol ("\r\n" for mail on the wire, "\n" in an mbox). */
int doge__pulse_b64_lines(doge_buf *b, const char *data, size_t len, const char *eol);

/* Makes every file written to the outbox durable (syncfs + folder fsync). */
int doge__pulse_sync_outbox(doge_workspace *ws);

/* One message for doge__pulse_smtp_send (smtp.c): the caller fills rcpt,
 * data and len; state and detail come back. */
enum {
    DOGE__SMTP_NOT_SENT = 0, /* the end of the data never went out: retry later */
    DOGE__SMTP_SENT = 1,     /* 250 */
    DOGE__SMTP_REFUSED = 2,  /* 5xx for the recipient or the message */
    DOGE__SMTP_UNKNOWN = 3   /* all went out, no clear answer: never re-send by itself */
};
typedef struct doge__smtp_item {
    const char *rcpt;
    const char *data;
    size_t len;
    int state;
    char detail[160];
} doge__smtp_item;

/* Sends items over smtp->connections connections at most smtp->rate per
 * second; mail_from is "<addr>". Fails only when no thread can start. */
int doge__pulse_smtp_send(const doge_pulse_smtp *smtp, const char *mail_from,
                          doge__smtp_item *items, size_t n);

/* Lower-case hex of n bytes into out (2n + 1 bytes, NUL-terminated). */
void doge__hex(const uint8_t *h, size_t n, char *out);

/* Appends len bytes of UTF-8 as a JSON string, byte for byte as jansson's
 * json_dumps() writes a json_stringn() value; DOGE_EINVAL, with nothing
 * appended, when the bytes are not valid UTF-8 (jansson refuses them). */
int doge__json_quote(doge_buf *b, const char *s, size_t len);

/* Builds a compact JSON array of strings in b (empty to begin with): adds
 * one string, leaving it out, as json_array_append_new(a, json_stringn())
 * does, when it is not valid UTF-8; *count counts the strings added.
 * doge__json_array_close() ends the array ("[]" when nothing was added). */
int doge__json_array_add(doge_buf *b, const char *s, size_t len, size_t *count);
int doge__json_array_close(doge_buf *b);

/* The fields of an accepted reply's ledger record. */
typedef struct doge__pulse_record {
    const char *week, *employee_id, *department;
    const char *sent;              /* RFC 3339 timestamp */
    int on_time, manager_cc;
    const char *flags;             /* "attachment,link", ... or "" */
    const char *content_sha256;    /* hex */
    const char *message_id_sha256; /* hex */
    const char *bullets_json;      /* the compact array of redacted bullets */
} doge__pulse_record;

/* Writes the canonical ledger record of a reply into b (reset first): the
 * compact, key-sorted JSON object jansson made of it, with bullets_sha256
 * in place of bullets when the record would pass DOGE_LEDGER_ENTRY_MAX. */
int doge__pulse_record_write(doge_buf *b, const doge__pulse_record *r);

/* The ledger side of ingest on its own thread (ingest_ledger.c): records
 * are queued (copied) with their index known at once, appended and
 * committed by the thread while the caller goes on. sync() returns once
 * everything queued is durable; between a sync() and the next append() the
 * caller may use the ledger itself. start() stops the ledger archiving its
 * checkpoints itself: archive() stores those signed so far into st (the
 * caller's store, in its transaction). stop() drops what was not synced (as
 * an uncommitted batch is dropped) and frees the writer (NULL is fine); it
 * returns the thread's error, if any. */
typedef struct doge__ledger_writer doge__ledger_writer;
int doge__ledger_writer_start(doge__ledger_writer **out, doge_ledger *l);
int doge__ledger_writer_append(doge__ledger_writer *w, const void *rec, size_t len,
                               int64_t *index);
int doge__ledger_writer_sync(doge__ledger_writer *w);
int doge__ledger_writer_archive(doge__ledger_writer *w, doge_store *st);
int doge__ledger_writer_stop(doge__ledger_writer *w);

/* doge_pulse_render_request() with its statement prepared once for many
 * requests (delivery): prepare() makes it (the caller frees it), with()
 * renders token's request through it. */
int doge__pulse_render_prepare(doge_workspace *ws, doge_stmt **s);
int doge__pulse_render_with(doge_workspace *ws, doge_stmt *s, const char *token, char **out,
                            size_t *len);

/* One campaign's requests in memory, by token (ingest_requests.c), for
 * matching without a query per message. load() reads week's requests and
 * their managers' roster addresses from st (checking *cancel, when not
 * NULL, as it goes: DOGE_ERROR once it is set); find() gives the
 * request of a (lowercase) token as the store has it, manager_email "" when
 * the employee has none; read-only once loaded, for any number of threads.
 * The strings belong to the map. */
typedef struct doge__request_map doge__request_map;
typedef struct doge__request {
    const char *token, *employee, *email, *department, *manager_email;
} doge__request;
int doge__request_map_load(doge__request_map **out, doge_store *st, const char *week,
                           const int *cancel);
int doge__request_map_find(const doge__request_map *m, const char *token, size_t len,
                           doge__request *r);
size_t doge__request_map_count(const doge__request_map *m);
void doge__request_map_free(doge__request_map *m);

/* The ingest pipeline over any walk of messages: walk(walk_ctx, fn, fn_ctx)
 * hands each raw message to fn (as doge_mailsource_walk does) and returns
 * its status. doge_pulse_ingest() walks its sources; the web form
 * (ingest_form.c) hands over the one message it made. */
#include "doge/mailsource.h"
typedef int (*doge__pulse_walk_fn)(void *walk_ctx, doge_mailsource_fn fn, void *fn_ctx);
int doge__pulse_ingest_walk(doge_workspace *ws, doge__pulse_walk_fn walk, void *walk_ctx,
                            const doge_pulse_ingest_opts *opts, doge_pulse_ingest_stats *stats);

/* ---- ingest_keys.c: the stored replies' de-duplication keys ------------
 * Runs of sorted (key, reply id) pairs in pulse_reply_keys, one per
 * ingest batch, written in the batch's transaction. The key functions are
 * stored: never change them. */
enum { DOGE__RKEY_HASH, DOGE__RKEY_MID, DOGE__RKEY_EMPLOYEE, DOGE__RKEY_KINDS };
typedef struct doge__reply_keys doge__reply_keys;

/* The first 8 bytes of a hex SHA-256 (0 when it is not hex). */
int doge__rkey_hash(const char *hex, uint64_t *out);
/* A Message-ID's key; the key of an employee's accepted replies of a week. */
uint64_t doge__rkey_mid(const char *mid);
uint64_t doge__rkey_employee(const char *week, const char *employee);

/* Reads every run; when the runs do not cover every row of pulse_reply (a
 * workspace from before migration 7), rebuilds them from the rows in a
 * transaction of its own. *out is the caller's (doge__reply_keys_free). */
int doge__reply_keys_open(doge_store *st, doge__reply_keys **out);
void doge__reply_keys_free(doge__reply_keys *k);
/* Replies covered: stored runs plus added since. */
int64_t doge__reply_keys_count(const doge__reply_keys *k);
/* Calls fn for every stored key of a kind, newest run first. */
void doge__reply_keys_each(const doge__reply_keys *k, int kind,
                           void (*fn)(void *ctx, uint64_t key, int64_t id), void *ctx);
/* The ids of replies with this key (stored or added): writes up to max of
 * them and returns how many there are. Keys are hashes: the caller checks
 * each candidate's row. */
size_t doge__reply_keys_find(const doge__reply_keys *k, int kind, uint64_t key, int64_t *ids,
                             size_t max);
/* Asks the CPU to bring in the pending-table slot of key (a lookup or add
 * of it soon); nothing else. */
void doge__reply_keys_prefetch(const doge__reply_keys *k, int kind, uint64_t key);
/* Adds a key of a newly stored reply; doge__reply_keys_added_reply() once
 * per stored row. */
int doge__reply_keys_add(doge__reply_keys *k, int kind, uint64_t key, int64_t id);
void doge__reply_keys_added_reply(doge__reply_keys *k);
/* Writes what was added since the last flush as one run: call it inside the
 * transaction that stores those rows. */
int doge__reply_keys_flush(doge__reply_keys *k, doge_store *st);
/* Past 16 runs, merges them all into one (a transaction of its own). */
int doge__reply_keys_compact(doge__reply_keys *k, doge_store *st);

#endif
