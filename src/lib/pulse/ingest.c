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
 *
 * The work is split in two. What depends on the message alone and on what
 * the store held before the ingest (the raw hash check against replies
 * already stored, the MIME parse, bullet extraction, attachment and policy
 * flags, the bullets' JSON, matching to a request, which only reads the
 * roster and the requests, and the ledger record) is done by worker
 * threads, one per CPU, each with its own extractor and its own connection
 * to the store; what writes the store and the ledger (de-duplication,
 * superseding, the append, the row) is done by the calling thread, strictly
 * in message order, so the rows and the ledger are the same whatever the
 * number of workers (and the same as with none: opts->threads = -1).
 * Messages travel through a ring of slots; the walk of the sources fills
 * it (on a reader thread of its own), the workers prepare the slots and
 * the calling thread takes them back in order. The ledger's appends and
 * commits run on their own thread (ingest_ledger.c), SQLite's checkpoints
 * on another, and a big ingest reads the newest campaign's requests into
 * memory on a third (ingest_requests.c). Batches (one store transaction,
 * one ledger sync) start at 2,000 messages and double up to 256,000: a
 * commit costs fsyncs whatever its size (7-14 ms each on the bench
 * machine), and each store commit rewrites every index page it touched;
 * fixed 2,000-message batches waited for the disk longer than the
 * 2.3M-employee week may take.
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
#include <openssl/evp.h>
#include <limits.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

/* Messages in the first batch and the most in one (each batch doubles). */
#define BATCH_FIRST 2000
#define BATCH_MAX 256000
/* Slots in the ring per worker, and at most: room for the workers to run
 * ahead while the calling thread commits a batch (up to about a second at
 * 2.3M employees). A waiting slot holds its raw message and what was
 * prepared of it, a few KB: 16,384 slots added ~80 MB to the ingest's
 * peak. Measured at 2.3M with two workers at nice +5 (single runs, ±1.5 s
 * between runs): 2,048 a worker 55.9 s (1.16 GB peak), 8,192 55.8 s
 * (1.31 GB), 16,384 55.9 s (1.47 GB). */
#define SLOTS_PER_WORKER 8192
#define SLOTS_MAX 65536
#define MAX_WORKERS 16
/* Replies whose content hashes are loaded for the raw-hash check (8 bytes
 * each): the newest rows, which is what re-reading a mailbox meets. */
#define KNOWN_MAX ((int64_t)16 << 20)
/* Past this many stored replies the seen-filter is not built (it must hold
 * them all) and every message is looked up in the keys (ingest_keys.c). */
#define SEEN_FILTER_MAX_ROWS ((int64_t)32 << 20)

typedef struct {
    char token[64];
    char week[16];
    char employee[128];
    char email[320];
    char department[256];
    char manager_email[320];
    int64_t deadline;
} match_t;

/* A campaign, for matching by sender. */
typedef struct {
    char week[16];
    int64_t opened_at;
    int64_t deadline;
} campaign_t;

typedef struct {
    int64_t reply_id;
    int64_t ledger_index;
    char email[320];
    char name[256];
    char week[16];
    char *record; /* the ledger entry */
    size_t record_len;
} pending_receipt;

/* What a worker makes of one message: everything that depends on the
 * message alone. */
typedef struct {
    int rc;               /* a failure that stops the ingest (error in errmsg) */
    int parse_failed;     /* not a message we can read: skipped (errmsg says why) */
    int maybe_known;      /* the raw hash's prefix is among the stored replies' */
    char errmsg[512];
    uint8_t raw_hash[DOGE_MAIL_HASH_SIZE];
    doge_mail *mail;
    unsigned mflags;
    int is_auto;          /* an automatic answer (header, text or subject) */
    unsigned bflags;      /* DOGE_EXTRACT_FLAG_* of the bullets */
    doge_buf bullets;     /* JSON array of the redacted bullets */
    size_t nbullets;
    char flags[200];      /* attachment and policy flags, comma-separated */
    char note[300];
    /* matching and the record */
    char hash[65];        /* the content hash, hex */
    /* the reply's keys (ingest_keys.c), made here for the storing thread:
     * KEY_* bits in kset say which are set */
    uint64_t khash, kmid, kemp;
    unsigned kset;
    int64_t when;         /* sent (Date, else Received, else now) */
    int matched;          /* m holds the request (or the bounce's request) */
    const char *how;      /* "token", "in-reply-to", ... "none" (static) */
    match_t m;
    int on_time, mcc;
    char bounce_note[400];
    doge_buf record;      /* the ledger record of an accepted reply */
    /* What the storing thread reads of the mail, which the worker frees
     * once it is prepared (a slot then holds no parsed mail while it waits:
     * a mail's arena is 16 KB): NUL-terminated texts in facts at these
     * offsets, NO_FACT for none. */
    doge_buf facts;
    size_t mid_at, from_addr_at, from_name_at, auto_at;
} prepared;

#define NO_FACT ((size_t)-1)

typedef struct {
    doge_buf raw;
    doge_buf label;
    int done;             /* prepared, under the ring's lock */
    prepared p;
} slot;

/* SQLite's WAL checkpoints on a thread of their own (own connection): the
 * store's automatic checkpoint ran inside the commit of each batch and
 * waited for its fsyncs there (0.6-1.2 s a batch at 500,000 employees on
 * the bench machine), stopping the ingest; a passive checkpoint from here
 * copies the same pages while the ingest goes on. */
typedef struct {
    doge_store *st;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int64_t asked, done;
    int stop, running, tried;
} checkpointer;

/* A worker's own state: its extractor, its connection to the store with
 * the statements matching needs, and the managers' addresses it has read
 * (manager id -> offset in manager_emails, each NUL-terminated; "" for
 * none): a match is then one indexed lookup. */
typedef struct {
    struct ingest *g;
    doge_extract *x;
    doge_store *st;
    doge_stmt *by_token, *by_request, *by_alias, *manager_email;
    doge_map *managers;
    doge_buf manager_emails;
    EVP_MD_CTX *md; /* for the records' Message-ID hashes */
    pthread_t thread;
} worker;

typedef struct ingest {
    doge_workspace *ws;
    doge_store *st;
    doge_ledger *ledger;
    doge__ledger_writer *lw; /* appends and commits on its own thread */
    checkpointer ck;
    /* The newest campaign's requests in memory, loaded on a thread of its
     * own once the ingest proves big (REQUESTS_AFTER messages); workers use
     * it once requests_ready is set, the store before. */
    doge__request_map *requests;
    pthread_t loader;
    int loader_started, requests_ready, loader_cancel;
    const doge_pulse_ingest_opts *opts;
    doge_pulse_ingest_stats *stats;
    doge_progress *prog;
    int64_t next_id;
    int64_t in_batch, batch_size;
    pending_receipt *receipts;
    size_t nreceipts, receipts_cap;
    doge_stmt *by_id, *insert, *supersede, *later, *bounce_req;
    /* every stored reply's content-hash, Message-ID and (week, employee)
     * keys (ingest_keys.c): the exact answer behind the filter below */
    doge__reply_keys *keys;
    campaign_t *campaigns; /* newest first; read-only once the workers run */
    size_t ncampaigns;
    EVP_MD *sha256;
    /* Addresses of employees who left (roster.email of inactive rows, which
     * roster_alias no longer holds): address -> offset in departed_ids of
     * their ids, each NUL-terminated, the list ended by an empty string. */
    doge_map *departed;
    doge_buf departed_ids;
    /* The first 8 bytes of the content hashes already stored, sorted: a
     * message whose raw hash is not among them is new without a look at
     * the store; one that is gets a full check before its parse is
     * skipped. Read-only while the workers run. */
    uint64_t *known;
    size_t nknown;
    /* A Bloom filter over every stored content hash and Message-ID, and
     * every (week, employee) with a stored reply (8-byte keys, 7 probes in
     * one 512-bit block, about 15 bits a key): a message it does not know
     * is new without a look at the keys (keys), and a first reply needs
     * no look for replies to supersede; what it may know is looked up in
     * the keys and confirmed by reading the candidate rows. NULL bits: not
     * built. */
    uint64_t *seen_bits;
    int seen_block_bits;
    /* the ring */
    pthread_mutex_t mu;
    pthread_cond_t work, done, space;
    slot *slots;
    size_t nslots;
    int64_t submitted, taken, processed;
    int64_t filled, free_until; /* the reader's own: slots filled, free below */
    int stop;
    /* the walk of the sources, on a thread of its own when there are
     * workers (the calling thread then only stores) */
    doge__pulse_walk_fn walk;
    void *walk_ctx;
    int walk_done, walk_rc, walk_abort;
    char walk_err[512];
    worker workers[MAX_WORKERS];
    size_t nworkers;
    worker self;           /* the calling thread's extractor (no workers, or a re-parse) */
} ingest;

/* ---- what is stored already: filters ----------------------------------------- */

enum { KEY_HASH = 1, KEY_MID = 2, KEY_EMP = 4 };

static uint64_t prefix64(const uint8_t *h)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | h[i];
    return v;
}

static int is_known(const ingest *g, uint64_t v)
{
    size_t lo = 0, hi = g->nknown;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->known[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->nknown && g->known[lo] == v;
}

/* 7 probes from one 64-bit key, all in one 512-bit block (one cache
 * line: one miss per key instead of seven). */
#define SEEN_PROBES 7

static uint64_t *seen_block(const ingest *g, uint64_t key, uint64_t *probes)
{
    *probes = key * 0xC2B2AE3D27D4EB4Full;
    return g->seen_bits + ((key * 0x9E3779B97F4A7C15ull) >> (64 - g->seen_block_bits)) * 8;
}

static void seen_add(ingest *g, uint64_t key)
{
    if (!g->seen_bits)
        return;
    uint64_t p, *b = seen_block(g, key, &p);
    for (int i = 0; i < SEEN_PROBES; i++, p >>= 9)
        b[(p & 511) >> 6] |= (uint64_t)1 << (p & 63);
}

/* The storing thread asks for the blocks of the next messages' keys
 * before it needs them: the filter is far bigger than the CPU's caches,
 * and the misses were 5% of that thread. */
static void seen_prefetch(const ingest *g, uint64_t key)
{
    uint64_t p;
    if (g->seen_bits)
        __builtin_prefetch(seen_block(g, key, &p), 1);
}

static int seen_maybe(const ingest *g, uint64_t key)
{
    if (!g->seen_bits)
        return 1;
    uint64_t p, *b = seen_block(g, key, &p);
    for (int i = 0; i < SEEN_PROBES; i++, p >>= 9)
        if (!(b[(p & 511) >> 6] & (uint64_t)1 << (p & 63)))
            return 0;
    return 1;
}

static int add_flag(char *flags, size_t cap, const char *f)
{
    if (strstr(flags, f))
        return 0;
    size_t l = strlen(flags);
    snprintf(flags + l, cap - l, "%s%s", l ? "," : "", f);
    return 1;
}

static int add_bullets(prepared *p, const doge_extract_result *r)
{
    int rc = DOGE_OK;
    for (size_t i = 0; i < r->count && rc == DOGE_OK; i++)
        rc = doge__json_array_add(&p->bullets, r->bullets[i].redacted,
                                  r->bullets[i].redacted_len, &p->nbullets);
    return rc;
}

static void prepared_reset(prepared *p)
{
    doge_mail_free(p->mail);
    doge_buf b = p->bullets, r = p->record, f = p->facts;
    memset(p, 0, sizeof *p);
    doge_buf_reset(&b);
    doge_buf_reset(&r);
    doge_buf_reset(&f);
    p->bullets = b;
    p->record = r;
    p->facts = f;
    p->how = "none";
    p->mid_at = p->from_addr_at = p->from_name_at = p->auto_at = NO_FACT;
}

static const char *fact(const prepared *p, size_t at)
{
    return at == NO_FACT ? NULL : p->facts.data + at;
}

static int keep_fact(prepared *p, const char *text, size_t *at)
{
    if (!text)
        return DOGE_OK;
    *at = p->facts.len;
    return doge_buf_append(&p->facts, text, strlen(text) + 1);
}

/* Copies what the storing thread reads of p->mail into p->facts. */
static int keep_facts(prepared *p)
{
    const doge_mail_address *from = doge_mail_from(p->mail);
    int rc = keep_fact(p, doge_mail_message_id(p->mail), &p->mid_at);
    if (rc == DOGE_OK && from)
        rc = keep_fact(p, from->addr, &p->from_addr_at);
    if (rc == DOGE_OK && from)
        rc = keep_fact(p, from->name, &p->from_name_at);
    if (rc == DOGE_OK)
        rc = keep_fact(p, doge_mail_auto_reply(p->mail), &p->auto_at);
    return rc;
}

static int prepare_fail(prepared *p, int rc)
{
    p->rc = rc;
    snprintf(p->errmsg, sizeof p->errmsg, "%s", doge_error_last());
    return rc;
}

/* ---- matching (workers) ------------------------------------------------- */

/* snprintf(out, cap, "%s", s) without the format machinery (a tenth of a
 * worker's libc time went to snprintf). */
static void copy_str(char *out, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

static const campaign_t *campaign(const ingest *g, const char *week)
{
    for (size_t i = 0; i < g->ncampaigns; i++)
        if (strcmp(g->campaigns[i].week, week) == 0)
            return &g->campaigns[i];
    return NULL;
}

/* The address of manager id ("" when there is none), from the roster. */
static int manager_email(worker *w, const char *id, char *out, size_t cap)
{
    uint64_t off;
    if (!doge_map_get_u64(w->managers, id, strlen(id), &off)) {
        off = w->manager_emails.len;
        doge_stmt_bind_text(w->manager_email, 1, id, -1);
        int rc = doge_stmt_step(w->manager_email);
        const char *e = rc == 1 ? doge_stmt_text(w->manager_email, 0) : "";
        if (rc >= 0)
            rc = doge_buf_append(&w->manager_emails, e, strlen(e) + 1);
        doge_stmt_reset(w->manager_email);
        if (rc < 0 || (rc = doge_map_put_u64(w->managers, id, strlen(id), off)))
            return rc;
    }
    copy_str(out, cap, w->manager_emails.data + off);
    return DOGE_OK;
}

/* Reads the request a statement found (token, week, employee_id, email,
 * department, manager_id) with its campaign's deadline and its manager's
 * address: 1 when there is one, 0 when not (or its campaign is gone). */
static int load_match(worker *w, doge_stmt *s, match_t *m)
{
    int rc = doge_stmt_step(s);
    if (rc == 1) {
        const campaign_t *c = campaign(w->g, doge_stmt_text(s, 1));
        if (!c)
            rc = 0;
        else {
            copy_str(m->token, sizeof m->token, doge_stmt_text(s, 0));
            copy_str(m->week, sizeof m->week, doge_stmt_text(s, 1));
            copy_str(m->employee, sizeof m->employee, doge_stmt_text(s, 2));
            copy_str(m->email, sizeof m->email, doge_stmt_text(s, 3));
            copy_str(m->department, sizeof m->department, doge_stmt_text(s, 4));
            m->deadline = c->deadline;
            int r2 = manager_email(w, doge_stmt_text(s, 5), m->manager_email,
                                   sizeof m->manager_email);
            if (r2 < 0)
                rc = r2;
        }
    }
    doge_stmt_reset(s);
    return rc;
}

static int match_token(worker *w, const char *token, size_t len, match_t *m)
{
    if (len == 0 || len >= 64)
        return 0;
    char t[64];
    for (size_t i = 0; i < len; i++)
        t[i] = (char)tolower((unsigned char)token[i]);
    t[len] = '\0';
    const ingest *g = w->g;
    doge__request r;
    if (__atomic_load_n(&g->requests_ready, __ATOMIC_ACQUIRE) &&
        doge__request_map_find(g->requests, t, len, &r)) {
        /* the newest campaign's request, as load_match() reads it */
        copy_str(m->token, sizeof m->token, r.token);
        copy_str(m->week, sizeof m->week, g->campaigns[0].week);
        copy_str(m->employee, sizeof m->employee, r.employee);
        copy_str(m->email, sizeof m->email, r.email);
        copy_str(m->department, sizeof m->department, r.department);
        copy_str(m->manager_email, sizeof m->manager_email, r.manager_email);
        m->deadline = g->campaigns[0].deadline;
        return 1;
    }
    doge_stmt_bind_text(w->by_token, 1, t, -1);
    return load_match(w, w->by_token, m);
}

/* pulse+TOKEN@domain in an address. */
static int match_address_token(worker *w, const char *addr, match_t *m)
{
    const char *plus = strchr(addr, '+'), *at = strchr(addr, '@');
    if (!plus || !at || plus > at || (size_t)(plus - addr) != 5 || strncmp(addr, "pulse", 5) != 0)
        return 0;
    return match_token(w, plus + 1, (size_t)(at - plus - 1), m);
}

/* <TOKEN.WEEK@domain> as doge writes Message-IDs (brackets optional). */
static int match_message_id(worker *w, const char *mid, match_t *m)
{
    if (!mid)
        return 0;
    if (*mid == '<')
        mid++;
    const char *dot = strchr(mid, '.');
    return dot ? match_token(w, mid, (size_t)(dot - mid), m) : 0;
}

/* By sender: the employees whose address (e-mail or alias; roster_alias
 * holds every address of an active employee, lowercased, and departed
 * employees are in g->departed) is addr; among their requests, the one of
 * the newest campaign opened before the mail was sent, else of the newest.
 * This was one SQL query whose IN (...) over pulse_request could not use the
 * (week, employee_id) key: it read the whole request table per message and
 * took 45% of ingest time at 20,000 employees (quadratic in the roster).
 * Now each step is a primary-key lookup. */
static int match_sender(worker *w, const char *addr, int64_t when, match_t *m)
{
    const ingest *g = w->g;
    char ids[2][128];
    size_t nids = 0;
    doge_stmt_bind_text(w->by_alias, 1, addr, -1);
    int rc = doge_stmt_step(w->by_alias);
    if (rc == 1)
        snprintf(ids[nids++], sizeof ids[0], "%s", doge_stmt_text(w->by_alias, 0));
    doge_stmt_reset(w->by_alias);
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
            doge_stmt_bind_text(w->by_request, 1, g->campaigns[c].week, -1);
            for (size_t i = 0; i < nids; i++) {
                doge_stmt_bind_text(w->by_request, 2, ids[i], -1);
                if ((rc = load_match(w, w->by_request, m)) != 0)
                    return rc;
            }
            for (const char *id = more; id && *id; id += strlen(id) + 1) {
                doge_stmt_bind_text(w->by_request, 2, id, -1);
                if ((rc = load_match(w, w->by_request, m)) != 0)
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
                                "SELECT week, opened_at, deadline FROM pulse_campaign"
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
        c->deadline = doge_stmt_int64(s, 2);
    }
    doge_stmt_free(s);
    if (rc < 0)
        return rc;
    if ((rc = doge_map_new(&g->departed, 0, 0)) ||
        (rc = doge_store_prepare(g->st, &s,
                                 "SELECT email, employee_id FROM roster WHERE active = 0"
                                 " ORDER BY email, employee_id")))
        return rc;
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

static int find_match(worker *w, const doge_mail *mail, int64_t when, match_t *m,
                      const char **how)
{
    static const doge_mail_field fields[] = {DOGE_MAIL_TO, DOGE_MAIL_CC, DOGE_MAIL_DELIVERED_TO,
                                             DOGE_MAIL_X_ORIGINAL_TO};
    int rc;
    for (size_t f = 0; f < 4; f++) {
        size_t n;
        const doge_mail_address *a = doge_mail_addresses(mail, fields[f], &n);
        for (size_t i = 0; i < n; i++)
            if ((rc = match_address_token(w, a[i].addr, m)) != 0) {
                *how = "token";
                return rc;
            }
    }
    if ((rc = match_message_id(w, doge_mail_in_reply_to(mail), m)) != 0) {
        *how = "in-reply-to";
        return rc;
    }
    size_t nrefs;
    const char *const *refs = doge_mail_references(mail, &nrefs);
    for (size_t i = nrefs; i-- > 0;)
        if ((rc = match_message_id(w, refs[i], m)) != 0) {
            *how = "references";
            return rc;
        }
    const doge_mail_address *from = doge_mail_from(mail);
    if (from && (rc = match_sender(w, from->addr, when, m)) != 0) {
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

/* A bounce's request: by the returned message's id, else by a failed
 * recipient's address. */
static int match_bounce(worker *w, prepared *p)
{
    int rc = match_message_id(w, doge_mail_dsn_original_id(p->mail), &p->m);
    size_t n;
    const doge_mail_dsn_recipient *r = doge_mail_dsn_recipients(p->mail, &n);
    for (size_t i = 0; i < n && rc == 0; i++)
        if (strcmp(r[i].action, "failed") == 0)
            rc = match_sender(w, r[i].recipient, p->when, &p->m);
    if (rc < 0)
        return rc;
    if (n)
        snprintf(p->bounce_note, sizeof p->bounce_note, "%s %s %s", r[0].recipient, r[0].status,
                 r[0].diagnostic);
    p->matched = rc == 1;
    return DOGE_OK;
}

/* ---- preparing a message (workers) ---------------------------------------- */

/* The bullets, flags and policy of a reply that is not an automatic answer
 * (p->is_auto is decided here). */
static int extract(worker *w, prepared *p)
{
    doge_mail *mail = p->mail;
    size_t blen;
    const char *body = doge_mail_body(mail, &blen);
    unsigned xflags = (p->mflags & DOGE_MAIL_FLOWED ? DOGE_EXTRACT_FLOWED : 0) |
                      (p->mflags & DOGE_MAIL_DELSP ? DOGE_EXTRACT_DELSP : 0);
    const doge_extract_result *res;
    int rc;
    if ((rc = doge_extract_run(w->x, body, blen, xflags, &res)))
        return rc;
    const char *subject = doge_mail_subject(mail);
    p->is_auto = (p->mflags & DOGE_MAIL_AUTO_REPLY) || (res->auto_reply && res->count == 0) ||
                 (res->count == 0 && (strncasecmp(subject, "Automatic reply", 15) == 0 ||
                                      strncasecmp(subject, "Out of Office", 13) == 0));
    if (p->is_auto)
        return DOGE_OK; /* stored without bullets or flags */
    /* Bullets: from the body, else from text attachments. */
    p->bflags = res->flags;
    if ((rc = add_bullets(p, res)))
        return rc;
    size_t natt;
    const doge_mail_attachment *att = doge_mail_attachments(mail, &natt);
    for (size_t i = 0; i < natt; i++) {
        if (att[i].flags & DOGE_MAIL_ATT_INLINE)
            continue;
        add_flag(p->flags, sizeof p->flags, "attachment");
        if (att[i].flags & DOGE_MAIL_ATT_TNEF)
            add_flag(p->flags, sizeof p->flags, "winmail.dat");
        if (att[i].flags & DOGE_MAIL_ATT_DOCX)
            add_flag(p->flags, sizeof p->flags, "docx");
        if ((att[i].flags & DOGE_MAIL_ATT_TEXT) && p->nbullets == 0 && att[i].text) {
            const doge_extract_result *ar;
            if (doge_extract_run(w->x, att[i].text, att[i].text_len, 0, &ar) == DOGE_OK) {
                if ((rc = add_bullets(p, ar)))
                    return rc;
                p->bflags |= ar->flags;
                snprintf(p->note, sizeof p->note, "bullets taken from the attachment '%s'",
                         att[i].filename);
            }
        }
    }
    if (p->bflags & DOGE_EXTRACT_FLAG_LINK)
        add_flag(p->flags, sizeof p->flags, "link");
    if (p->bflags & DOGE_EXTRACT_FLAG_CLASSIFICATION)
        add_flag(p->flags, sizeof p->flags, "classification");
    if (p->bflags & DOGE_EXTRACT_FLAG_SSN)
        add_flag(p->flags, sizeof p->flags, "ssn");
    return doge__json_array_close(&p->bullets);
}

/* The canonical ledger record of a matched reply, in p->record. */
static int build_record(worker *w, prepared *p)
{
    const char *mid = doge_mail_message_id(p->mail);
    char ts[40], midhash[65];
    uint8_t h[32];
    doge_date_timestamp_format(p->when, ts, sizeof ts);
    /* the algorithm fetched once (SHA256() fetches it on every call: 1.7%
     * of single-threaded ingest time), the worker's context reused */
    if (EVP_DigestInit_ex2(w->md, w->g->sha256 ? w->g->sha256 : EVP_sha256(), NULL) != 1 ||
        EVP_DigestUpdate(w->md, mid ? mid : "", mid ? strlen(mid) : 0) != 1 ||
        EVP_DigestFinal_ex(w->md, h, NULL) != 1)
        return doge__error_set(DOGE_ECRYPTO, "ingest: SHA-256 failed");
    doge__hex(h, 32, midhash);
    doge__pulse_record r = {
        .week = p->m.week,
        .employee_id = p->m.employee,
        .department = p->m.department,
        .sent = ts,
        .on_time = p->on_time,
        .manager_cc = p->mcc,
        .flags = p->flags,
        .content_sha256 = p->hash,
        .message_id_sha256 = midhash,
        .bullets_json = doge_buf_cstr(&p->bullets),
    };
    return doge__pulse_record_write(&p->record, &r);
}

/* Parses, extracts and matches one message, and writes its record.
 * check_known: look the raw hash up first, and stop there when it may be a
 * stored reply. */
static void prepare_mail(worker *w, const char *raw, size_t len, prepared *p, int check_known)
{
    ingest *g = w->g;
    prepared_reset(p);
    if (check_known && g->nknown) {
        if (doge_mail_hash_raw(raw, len, p->raw_hash)) {
            prepare_fail(p, doge_error_code());
            return;
        }
        if (is_known(g, prefix64(p->raw_hash))) {
            p->maybe_known = 1;
            return;
        }
    }
    if (doge_mail_parse(raw, len, &p->mail)) {
        p->parse_failed = 1;
        snprintf(p->errmsg, sizeof p->errmsg, "%s", doge_error_last());
        return;
    }
    doge_mail *mail = p->mail;
    p->mflags = doge_mail_flags(mail);
    doge__hex(doge_mail_hash(mail), 32, p->hash);
    if (doge__rkey_hash(p->hash, &p->khash))
        p->kset |= KEY_HASH;
    const char *mid = doge_mail_message_id(mail);
    if (mid && *mid) {
        p->kmid = doge__rkey_mid(mid);
        p->kset |= KEY_MID;
    }
    p->when = doge_mail_date(mail);
    if (p->when == DOGE_MAIL_DATE_UNKNOWN)
        p->when = doge_mail_received(mail);
    if (p->when == DOGE_MAIL_DATE_UNKNOWN)
        p->when = (int64_t)time(NULL);
    int rc;
    if (p->mflags & DOGE_MAIL_DSN) {
        if ((rc = match_bounce(w, p)))
            prepare_fail(p, rc);
        return;
    }
    if ((rc = extract(w, p))) {
        prepare_fail(p, rc);
        return;
    }
    if ((rc = find_match(w, mail, p->when, &p->m, &p->how)) < 0) {
        prepare_fail(p, rc);
        return;
    }
    p->matched = rc == 1;
    if (!p->matched || p->is_auto)
        return;
    p->on_time = p->when <= p->m.deadline;
    p->kemp = doge__rkey_employee(p->m.week, p->m.employee);
    p->kset |= KEY_EMP;
    p->mcc = addressed_to(mail, p->m.manager_email);
    if ((rc = build_record(w, p)))
        prepare_fail(p, rc);
}

/* prepare_mail(), then what is kept of the mail, which is freed. */
static void prepare(worker *w, const char *raw, size_t len, prepared *p, int check_known)
{
    prepare_mail(w, raw, len, p, check_known);
    if (!p->mail)
        return;
    int rc = keep_facts(p);
    if (rc)
        prepare_fail(p, rc);
    doge_mail_free(p->mail);
    p->mail = NULL;
}

/* ---- storing ------------------------------------------------------------ */

/* One pulse_reply row for prepared message p, with its keys. */
static int store_row(ingest *g, const prepared *p, const char *kind, const char *how,
                     const char *label, int on_time, int nbullets, int mcc, const char *flags,
                     const char *bullets, ptrdiff_t bullets_len, const char *note, int superseded,
                     int64_t ledger_index)
{
    /* every text is bound without a copy: all of it outlives the step */
    const match_t *m = &p->m;
    int matched = p->matched;
    const char *mid = fact(p, p->mid_at), *hash = p->hash;
    doge_stmt *s = g->insert;
    doge_stmt_reset(s);
    doge_stmt_bind_int64(s, 1, g->next_id);
    doge_stmt_bind_text_ref(s, 2, matched ? m->week : NULL, -1);
    doge_stmt_bind_text_ref(s, 3, matched ? m->employee : NULL, -1);
    doge_stmt_bind_text_ref(s, 4, kind, -1);
    doge_stmt_bind_text_ref(s, 5, how, -1);
    doge_stmt_bind_text_ref(s, 6, mid && *mid ? mid : NULL, -1);
    doge_stmt_bind_text_ref(s, 7, hash, -1);
    doge_stmt_bind_text_ref(s, 8, label, -1);
    doge_stmt_bind_int64(s, 9, p->when);
    doge_stmt_bind_int64(s, 10, (int64_t)time(NULL));
    doge_stmt_bind_int64(s, 11, on_time);
    doge_stmt_bind_int64(s, 12, nbullets);
    doge_stmt_bind_int64(s, 13, mcc);
    doge_stmt_bind_text_ref(s, 14, flags, -1);
    doge_stmt_bind_text_ref(s, 15, bullets, bullets_len);
    doge_stmt_bind_text_ref(s, 16, note, -1);
    doge_stmt_bind_int64(s, 17, superseded);
    if (ledger_index >= 0)
        doge_stmt_bind_int64(s, 18, ledger_index);
    else
        doge_stmt_bind_null(s, 18);
    int rc = doge_stmt_step(s);
    if (rc < 0)
        return rc;
    int64_t id = g->next_id++;
    if (p->kset & KEY_HASH) {
        seen_add(g, p->khash);
        if ((rc = doge__reply_keys_add(g->keys, DOGE__RKEY_HASH, p->khash, id)))
            return rc;
    }
    if (p->kset & KEY_MID) {
        seen_add(g, p->kmid);
        if ((rc = doge__reply_keys_add(g->keys, DOGE__RKEY_MID, p->kmid, id)))
            return rc;
    }
    doge__reply_keys_added_reply(g->keys);
    return DOGE_OK;
}

/* Whether a stored reply has this key and, in column col of its row
 * (0: content_hash, 1: message_id), exactly this text: 1, 0, or an error. */
static int stored_with(ingest *g, int kind, uint64_t key, int col, const char *text)
{
    int64_t ids[16];
    size_t n = doge__reply_keys_find(g->keys, kind, key, ids, 16);
    if (n > 16)
        return doge__error_set(DOGE_ELIMIT, "ingest: %zu stored replies share one key", n);
    for (size_t i = 0; i < n; i++) {
        doge_stmt_bind_int64(g->by_id, 1, ids[i]);
        int rc = doge_stmt_step(g->by_id);
        int same = rc == 1 && !strcmp(doge_stmt_text(g->by_id, col), text);
        doge_stmt_reset(g->by_id);
        if (rc < 0)
            return rc;
        if (same)
            return 1;
    }
    return 0;
}

static int seen_hash(ingest *g, const char *hash)
{
    uint64_t key;
    if (!doge__rkey_hash(hash, &key))
        return 0;
    return stored_with(g, DOGE__RKEY_HASH, key, 0, hash);
}

/* Whether a reply with p's content hash or Message-ID is stored. */
static int seen(ingest *g, const prepared *p)
{
    if ((p->kset & KEY_HASH) && !seen_maybe(g, p->khash) &&
        (!(p->kset & KEY_MID) || !seen_maybe(g, p->kmid)))
        return 0;
    int rc = p->kset & KEY_HASH ? stored_with(g, DOGE__RKEY_HASH, p->khash, 0, p->hash) : 0;
    if (rc != 0 || !(p->kset & KEY_MID))
        return rc;
    return stored_with(g, DOGE__RKEY_MID, p->kmid, 1, fact(p, p->mid_at));
}

static void prefetch_key(const ingest *g, int kind, uint64_t key)
{
    seen_prefetch(g, key);
    doge__reply_keys_prefetch(g->keys, kind, key);
}

/* Brings in the filter blocks and pending-table slots of p's keys. */
static void prefetch_keys(const ingest *g, const prepared *p)
{
    if (p->kset & KEY_HASH)
        prefetch_key(g, DOGE__RKEY_HASH, p->khash);
    if (p->kset & KEY_MID)
        prefetch_key(g, DOGE__RKEY_MID, p->kmid);
    if (p->kset & KEY_EMP)
        prefetch_key(g, DOGE__RKEY_EMPLOYEE, p->kemp);
}

static int handle_bounce(ingest *g, const prepared *p, const char *label)
{
    int rc;
    if (p->matched) {
        doge_stmt_bind_text(g->bounce_req, 1, p->bounce_note, -1);
        doge_stmt_bind_text(g->bounce_req, 2, p->m.token, -1);
        if ((rc = doge_stmt_step(g->bounce_req)) < 0)
            return rc;
        doge_stmt_reset(g->bounce_req);
    }
    g->stats->bounces++;
    return store_row(g, p, "bounce", p->matched ? "dsn" : "none", label, 0, 0, 0, "", "[]", -1,
                     p->bounce_note, 0, -1);
}

static int queue_receipt(ingest *g, const prepared *q, int64_t index)
{
    if (g->nreceipts == g->receipts_cap) {
        size_t nc = g->receipts_cap ? g->receipts_cap * 2 : 256;
        pending_receipt *nr = realloc(g->receipts, nc * sizeof *nr);
        if (!nr)
            return doge__error_oom();
        g->receipts = nr;
        g->receipts_cap = nc;
    }
    pending_receipt *p = &g->receipts[g->nreceipts];
    memset(p, 0, sizeof *p);
    p->record = malloc(q->record.len + 1);
    if (!p->record)
        return doge__error_oom();
    memcpy(p->record, q->record.data, q->record.len + 1);
    p->record_len = q->record.len;
    p->reply_id = g->next_id - 1;
    p->ledger_index = index;
    const char *addr = fact(q, q->from_addr_at), *name = fact(q, q->from_name_at);
    snprintf(p->email, sizeof p->email, "%s", addr ? addr : q->m.email);
    snprintf(p->name, sizeof p->name, "%s", name ? name : "");
    snprintf(p->week, sizeof p->week, "%s", q->m.week);
    g->nreceipts++;
    return DOGE_OK;
}

/* Everything that writes the store and the ledger, for one prepared
 * message, in message order. */
static int process(ingest *g, const char *raw, size_t len, const char *label, prepared *p)
{
    g->stats->messages++;
    doge_progress_update(g->prog, (uint64_t)g->stats->messages);
    int rc;
    if (p->maybe_known) {
        char rh[65];
        doge__hex(p->raw_hash, 32, rh);
        if ((rc = seen_hash(g, rh)) != 0) {
            if (rc < 0)
                return rc;
            g->stats->duplicates++;
            return DOGE_OK;
        }
        prepare(&g->self, raw, len, p, 0); /* a new message after all */
    }
    if (p->rc)
        return doge__error_set(p->rc, "%s", p->errmsg);
    if (p->parse_failed) {
        fprintf(stderr, "doge: %s: %s (skipped)\n", label, p->errmsg);
        return DOGE_OK;
    }
    if ((rc = seen(g, p)) != 0) {
        if (rc < 0)
            return rc;
        g->stats->duplicates++;
        return DOGE_OK;
    }
    int64_t when = p->when;
    if (p->mflags & DOGE_MAIL_DSN)
        return handle_bounce(g, p, label);
    const match_t *m = &p->m;
    if (!p->matched) {
        g->stats->unmatched++;
        return store_row(g, p, p->is_auto ? "auto-reply" : "unmatched", "none", label, 0, 0, 0,
                         "", "[]", -1, "no campaign or employee found", 0, -1);
    }
    if (p->is_auto) {
        g->stats->auto_replies++;
        return store_row(g, p, "auto-reply", p->how, label, 0, 0, 0, "", "[]", -1,
                         p->auto_at != NO_FACT ? fact(p, p->auto_at) : "out-of-office text", 0,
                         -1);
    }
    /* A later reply supersedes: this one is superseded when a later one is
     * already stored; earlier ones are superseded by this one. Neither can
     * happen to the employee's first reply of the week (the filter has every
     * (week, employee) with a stored reply). */
    uint64_t ekey = p->kemp; /* set for every matched reply */
    int has_later = 0;
    if (seen_maybe(g, ekey)) {
        doge_stmt_bind_text(g->later, 1, m->week, -1);
        doge_stmt_bind_text(g->later, 2, m->employee, -1);
        doge_stmt_bind_int64(g->later, 3, when);
        has_later = doge_stmt_step(g->later);
        doge_stmt_reset(g->later);
        if (has_later < 0)
            return has_later;
        doge_stmt_bind_text(g->supersede, 1, m->week, -1);
        doge_stmt_bind_text(g->supersede, 2, m->employee, -1);
        doge_stmt_bind_int64(g->supersede, 3, when);
        if ((rc = doge_stmt_step(g->supersede)) < 0)
            return rc;
        g->stats->superseded += doge_store_changes(g->st);
        doge_stmt_reset(g->supersede);
    }
    int64_t index = -1;
    if ((rc = doge__ledger_writer_append(g->lw, p->record.data, p->record.len, &index)) ||
        (rc = store_row(g, p, "reply", p->how, label, p->on_time, (int)p->nbullets, p->mcc,
                        p->flags, doge_buf_cstr(&p->bullets), (ptrdiff_t)p->bullets.len, p->note,
                        has_later == 1, index)))
        return rc;
    /* the (week, employee) key of an accepted reply (the row just stored) */
    if ((rc = doge__reply_keys_add(g->keys, DOGE__RKEY_EMPLOYEE, ekey, g->next_id - 1)))
        return rc;
    seen_add(g, ekey);
    g->stats->replies++;
    g->stats->late += !p->on_time;
    g->stats->flagged += p->flags[0] != '\0';
    return g->opts->receipts ? queue_receipt(g, p, index) : DOGE_OK;
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
 * once its ledger entry is acknowledged. The window between the two: a crash
 * after the ledger commit and before the store commit leaves the batch's
 * entries in the ledger but not in the store, so ingesting the same mail
 * again appends them a second time (the store, and so the compliance
 * figures, stay exact; the ledger then holds a duplicate record). */
static void *checkpointer_main(void *arg)
{
    checkpointer *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->stop && c->asked == c->done)
            pthread_cond_wait(&c->cv, &c->mu);
        if (c->asked == c->done)
            break;
        int64_t asked = c->asked;
        pthread_mutex_unlock(&c->mu);
        /* a failed checkpoint only leaves the WAL longer: the next one (or
         * SQLite's own, once the ingest is over) copies the pages */
        (void)doge_store_exec(c->st, "PRAGMA wal_checkpoint(PASSIVE)");
        pthread_mutex_lock(&c->mu);
        c->done = asked;
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* Starts the checkpointer when the store is SQLite, and gives the writing
 * connection a page cache of 128 MB for the ingest: room for the (week,
 * employee) index of a 2.3M-employee week (57 MB) while the table's filled
 * pages spill to the WAL during a batch instead of all at its commit. A
 * commit that wrote every page of the batch stalled the workers (the ring
 * is full in steady state); measured at 2.3M: 512 MB 61.3 s, 256 MB 61.9 s,
 * 128 MB 57.5 s, 64 MB 58.5 s (single runs; ±1.5 s between runs). Without
 * a checkpointer (not SQLite, or no connection) the store checkpoints in
 * its commits as always. */
static void start_checkpointer(ingest *g)
{
    checkpointer *c = &g->ck;
    if (strcmp(doge_store_backend(g->st), "sqlite") != 0 ||
        doge_workspace_store_connect(g->ws, &c->st) != DOGE_OK)
        return;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    if (pthread_create(&c->thread, NULL, checkpointer_main, c) != 0) {
        pthread_cond_destroy(&c->cv);
        pthread_mutex_destroy(&c->mu);
        doge_store_free(c->st);
        c->st = NULL;
        return;
    }
    c->running = 1;
    (void)doge_store_exec(g->st, "PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=-131072");
}

/* Messages into an ingest before the newest campaign's requests are read
 * into memory: a smaller ingest does with the store's lookups. */
#define REQUESTS_AFTER 2000

static void *loader_main(void *arg)
{
    ingest *g = arg;
    doge_store *st = NULL;
    doge__request_map *m = NULL;
    /* a failure leaves matching to the store, as before */
    if (doge_workspace_store_connect(g->ws, &st) == DOGE_OK &&
        doge__request_map_load(&m, st, g->campaigns[0].week, &g->loader_cancel) == DOGE_OK) {
        g->requests = m;
        __atomic_store_n(&g->requests_ready, 1, __ATOMIC_RELEASE);
    }
    doge_store_free(st);
    return NULL;
}

static void start_loader(ingest *g)
{
    if (g->loader_started || g->ncampaigns == 0 || g->stats->messages < REQUESTS_AFTER)
        return;
    g->loader_started = pthread_create(&g->loader, NULL, loader_main, g) == 0 ? 1 : -1;
}

static void stop_loader(ingest *g)
{
    if (g->loader_started == 1) {
        __atomic_store_n(&g->loader_cancel, 1, __ATOMIC_RELAXED);
        pthread_join(g->loader, NULL);
    }
    g->loader_started = 0;
    doge__request_map_free(g->requests);
    g->requests = NULL;
}

static void checkpoint_soon(ingest *g)
{
    checkpointer *c = &g->ck;
    if (!c->running)
        return;
    pthread_mutex_lock(&c->mu);
    c->asked++;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

/* Lets the last asked checkpoint finish, and gives the store its automatic
 * checkpoints back. */
static void stop_checkpointer(ingest *g)
{
    checkpointer *c = &g->ck;
    if (!c->running)
        return;
    pthread_mutex_lock(&c->mu);
    c->stop = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    doge_store_free(c->st);
    c->st = NULL;
    c->running = 0;
    (void)doge_store_exec(g->st, "PRAGMA wal_autocheckpoint=1000; PRAGMA cache_size=-65536");
}

static int end_batch(ingest *g)
{
    int rc = doge__ledger_writer_sync(g->lw);
    if (rc == DOGE_OK)
        rc = doge__ledger_writer_archive(g->lw, g->st);
    if (rc == DOGE_OK)
        rc = doge__reply_keys_flush(g->keys, g->st);
    if (rc) {
        doge_store_rollback(g->st);
        return rc;
    }
    if ((rc = doge_store_commit(g->st)))
        return rc;
    checkpoint_soon(g);
    return write_receipts(g);
}

static int batched_process(ingest *g, const char *raw, size_t len, const char *label,
                           prepared *p)
{
    int rc;
    if (g->in_batch == 0 && (rc = doge_store_begin(g->st)))
        return rc;
    if ((rc = process(g, raw, len, label, p))) {
        doge_store_rollback(g->st);
        return rc;
    }
    if (++g->in_batch >= g->batch_size) {
        g->in_batch = 0;
        if (g->batch_size < BATCH_MAX)
            g->batch_size *= 2;
        /* more than one batch: worth a checkpointer (a small ingest, such
         * as the web form's one message, does without) */
        if (!g->ck.tried) {
            g->ck.tried = 1;
            start_checkpointer(g);
        }
        start_loader(g);
        return end_batch(g);
    }
    return DOGE_OK;
}

/* ---- the ring ------------------------------------------------------------- */

/* A worker's lookups run in read transactions of READ_BATCH messages: one
 * per statement (SQLite's autocommit) took a lock and an unlock of the WAL
 * index with fcntl() each time. The requests and the roster do not change
 * during an ingest (a bounce's state is not read), so an older snapshot
 * reads the same; the transaction ends when the worker runs out of work so
 * that checkpoints can go past it. */
#define READ_BATCH 256
/* Slots handed over at a time (reader to workers, workers to the storing
 * thread): a hand-over per message woke a thread per message, and the
 * futex wake-ups and context switches cost about 6 s of a 35 s ingest's CPU
 * at 500,000 employees. */
#define HANDOFF 16
/* Slots ahead of the one being stored whose keys' memory is asked for */
#define PREFETCH_AHEAD 8

/* A worker runs at a lower priority (nice +5) than the storing thread.
 * At equal priority the scheduler shared the two cores evenly between the
 * storing thread and the two workers, so the storing thread fell behind,
 * the ring stayed full of prepared messages, and at each batch's commit
 * (up to a second of the storing thread alone) the workers had no slot to
 * fill and a core stood idle. Ahead of the workers, the storing thread
 * waits for them, the ring holds messages still to prepare, and the
 * workers go on through a commit. 2.3M employees: 59-61 s -> 56-58 s.
 * Linux sets the nice value of one thread; elsewhere nothing changes. */
static void yield_to_storing(void)
{
#ifdef __linux__
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 5);
#endif
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    ingest *g = w->g;
    int reading = 0, n = 0;
    yield_to_storing();
    pthread_mutex_lock(&g->mu);
    for (;;) {
        if (reading && !g->stop && g->taken == g->submitted) {
            pthread_mutex_unlock(&g->mu);
            (void)doge_store_exec(w->st, "COMMIT");
            reading = n = 0;
            pthread_mutex_lock(&g->mu);
            continue;
        }
        while (!g->stop && g->taken == g->submitted)
            pthread_cond_wait(&g->work, &g->mu);
        if (g->stop)
            break;
        /* a few slots at a time: one lock and one wake-up for them all */
        int64_t first = g->taken, count = g->submitted - g->taken;
        if (count > HANDOFF)
            count = HANDOFF;
        g->taken += count;
        pthread_mutex_unlock(&g->mu);
        for (int64_t k = first; k < first + count; k++) {
            slot *s = &g->slots[k % (int64_t)g->nslots];
            if (!reading)
                reading = doge_store_exec(w->st, "BEGIN") == DOGE_OK;
            prepare(w, s->raw.data, s->raw.len, &s->p, 1);
            if (reading && ++n >= READ_BATCH) {
                (void)doge_store_exec(w->st, "COMMIT");
                reading = n = 0;
            }
        }
        pthread_mutex_lock(&g->mu);
        for (int64_t k = first; k < first + count; k++)
            g->slots[k % (int64_t)g->nslots].done = 1;
        pthread_cond_signal(&g->done);
    }
    pthread_mutex_unlock(&g->mu);
    if (reading)
        (void)doge_store_exec(w->st, "COMMIT");
    return NULL;
}

/* doge_mailsource_walk()'s callback without workers: each message is
 * prepared and stored at once. */
static int submit_inline(void *ctx, const char *raw, size_t len, const char *label)
{
    ingest *g = ctx;
    prepared *p = &g->slots[0].p;
    prepare(&g->self, raw, len, p, 1);
    int rc = batched_process(g, raw, len, label, p);
    prepared_reset(p);
    return rc;
}

/* doge_mailsource_walk()'s callback on the reader thread: a copy of the
 * message goes into the ring (the source's bytes do not outlive the call),
 * waiting for a free slot when the ring is full. */
static int submit(void *ctx, const char *raw, size_t len, const char *label)
{
    ingest *g = ctx;
    /* the ring's free slots are counted from what was known the last time
     * the lock was taken; the filled ones are handed over HANDOFF at a time */
    if (g->filled >= g->free_until) {
        pthread_mutex_lock(&g->mu);
        g->submitted = g->filled;
        pthread_cond_broadcast(&g->work);
        while (!g->walk_abort && g->filled - g->processed == (int64_t)g->nslots)
            pthread_cond_wait(&g->space, &g->mu);
        g->free_until = g->processed + (int64_t)g->nslots;
        int abort = g->walk_abort;
        pthread_mutex_unlock(&g->mu);
        if (abort)
            return doge__error_set(DOGE_ERROR, "ingest: stopped");
    }
    slot *s = &g->slots[g->filled % (int64_t)g->nslots];
    doge_buf_reset(&s->raw);
    doge_buf_reset(&s->label);
    int rc;
    if ((rc = doge_buf_append(&s->raw, raw, len)) ||
        (rc = doge_buf_append(&s->label, label, strlen(label))))
        return rc;
    if (++g->filled % HANDOFF == 0) {
        pthread_mutex_lock(&g->mu);
        g->submitted = g->filled;
        pthread_cond_broadcast(&g->work);
        pthread_mutex_unlock(&g->mu);
    }
    return DOGE_OK;
}

static void *reader_main(void *arg)
{
    ingest *g = arg;
    int rc = g->walk(g->walk_ctx, submit, g);
    pthread_mutex_lock(&g->mu);
    g->submitted = g->filled;
    pthread_cond_broadcast(&g->work);
    g->walk_rc = rc;
    if (rc)
        snprintf(g->walk_err, sizeof g->walk_err, "%s", doge_error_last());
    g->walk_done = 1;
    pthread_cond_broadcast(&g->done);
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

/* The calling thread's part with workers: takes the prepared slots back in
 * message order and stores them, until the walk is over and every slot is
 * back. */
static int consume(ingest *g)
{
    for (;;) {
        int64_t first = g->processed, count = 0;
        pthread_mutex_lock(&g->mu);
        for (;;) {
            /* every slot ready from the oldest on: one lock for them all */
            while (first + count < g->submitted &&
                   g->slots[(first + count) % (int64_t)g->nslots].done)
                count++;
            if (count || (first == g->submitted && g->walk_done))
                break;
            pthread_cond_wait(&g->done, &g->mu);
        }
        pthread_mutex_unlock(&g->mu);
        if (!count)
            return DOGE_OK;
        int rc = DOGE_OK;
        int64_t k = first;
        for (int64_t j = first; j < first + count && j < first + PREFETCH_AHEAD; j++)
            prefetch_keys(g, &g->slots[j % (int64_t)g->nslots].p);
        for (; k < first + count && rc == DOGE_OK; k++) {
            if (k + PREFETCH_AHEAD < first + count)
                prefetch_keys(g, &g->slots[(k + PREFETCH_AHEAD) % (int64_t)g->nslots].p);
            slot *s = &g->slots[k % (int64_t)g->nslots];
            rc = batched_process(g, s->raw.data, s->raw.len, doge_buf_cstr(&s->label), &s->p);
        }
        /* the slots' mails are freed by the workers that take the slots
         * next (prepare() starts with prepared_reset()): memory goes back
         * to the malloc arena of the thread that took it */
        pthread_mutex_lock(&g->mu);
        for (int64_t j = first; j < k; j++)
            g->slots[j % (int64_t)g->nslots].done = 0;
        g->processed = k;
        pthread_cond_signal(&g->space);
        pthread_mutex_unlock(&g->mu);
        if (rc)
            return rc;
    }
}

/* Walks the sources: inline without workers, else on the reader thread
 * while this thread stores. */
static int run_walk(ingest *g, doge__pulse_walk_fn walk, void *walk_ctx)
{
    if (g->nworkers == 0)
        return walk(walk_ctx, submit_inline, g);
    g->walk = walk;
    g->walk_ctx = walk_ctx;
    pthread_t reader;
    if (pthread_create(&reader, NULL, reader_main, g) != 0)
        return doge__error_set(DOGE_ERROR, "ingest: cannot start the reader thread");
    int rc = consume(g);
    if (rc) {
        pthread_mutex_lock(&g->mu);
        g->walk_abort = 1;
        pthread_cond_broadcast(&g->space);
        pthread_mutex_unlock(&g->mu);
    }
    pthread_join(reader, NULL);
    if (rc == DOGE_OK && g->walk_rc)
        rc = doge__error_set(g->walk_rc, "%s", g->walk_err);
    return rc;
}

static void free_worker(worker *w)
{
    doge_stmt *all[] = {w->by_token, w->by_request, w->by_alias, w->manager_email};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        doge_stmt_free(all[i]);
    doge_store_free(w->st);
    doge_extract_free(w->x);
    doge_map_free(w->managers);
    doge_buf_dispose(&w->manager_emails);
    EVP_MD_CTX_free(w->md);
    memset(w, 0, sizeof *w);
}

/* A worker's extractor, and its own connection to the store for matching
 * (a store is used by one thread at a time). */
static int new_worker(ingest *g, worker *w, const char *tpl)
{
    memset(w, 0, sizeof *w);
    w->g = g;
    doge_buf_init(&w->manager_emails, 0);
#define MATCH_COLS                                                                                 \
    "SELECT token, week, employee_id, email, department, COALESCE(manager_id, '')"                \
    " FROM pulse_request"
    struct {
        doge_stmt **s;
        const char *sql;
    } all[] = {
        {&w->by_token, MATCH_COLS " WHERE token = ?"},
        {&w->by_request, MATCH_COLS " WHERE week = ? AND employee_id = ?"},
        {&w->manager_email, "SELECT email FROM roster WHERE employee_id = ?"},
        {&w->by_alias, "SELECT employee_id FROM roster_alias WHERE email = ?"},
    };
#undef MATCH_COLS
    int rc = doge_extract_new(&w->x);
    if (rc == DOGE_OK)
        rc = doge_extract_set_request(w->x, "what did you accomplish last week?", tpl,
                                      strlen(tpl));
    if (rc == DOGE_OK)
        rc = doge_map_new(&w->managers, 0, 0);
    if (rc == DOGE_OK && !(w->md = EVP_MD_CTX_new()))
        rc = doge__error_oom();
    if (rc == DOGE_OK)
        rc = doge_workspace_store_connect(g->ws, &w->st);
    /* A reader's cache: the requests' and the roster's pages are in the
     * OS cache anyway, and a memory map per connection is counted again
     * in the process's resident size for every connection. */
    if (rc == DOGE_OK && !strcmp(doge_store_backend(w->st), "sqlite"))
        rc = doge_store_exec(w->st, "PRAGMA mmap_size=0; PRAGMA cache_size=-8192");
    for (size_t i = 0; rc == DOGE_OK && i < sizeof all / sizeof all[0]; i++)
        rc = doge_store_prepare(w->st, all[i].s, all[i].sql);
    if (rc)
        free_worker(w);
    return rc;
}

/* Workers: opts->threads, or one per online CPU (0); -1: none. */
static int start_ring(ingest *g, const char *tpl)
{
    int want = g->opts->threads;
    if (want == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        want = n > 0 ? (int)n : 1;
    }
    if (want < 0)
        want = 0;
    if (want > MAX_WORKERS)
        want = MAX_WORKERS;
    g->nslots = want ? (size_t)want * SLOTS_PER_WORKER : 1;
    if (g->nslots > SLOTS_MAX)
        g->nslots = SLOTS_MAX;
    g->slots = calloc(g->nslots, sizeof *g->slots);
    if (!g->slots)
        return doge__error_oom();
    for (size_t i = 0; i < g->nslots; i++) {
        doge_buf_init(&g->slots[i].raw, DOGE_MAILSOURCE_MAX_MESSAGE + 1024);
        doge_buf_init(&g->slots[i].label, 0);
        doge_buf_init(&g->slots[i].p.bullets, 0);
        doge_buf_init(&g->slots[i].p.facts, 0);
        doge_buf_init(&g->slots[i].p.record, 0);
        g->slots[i].p.how = "none";
    }
    int rc = new_worker(g, &g->self, tpl);
    for (int i = 0; i < want && rc == DOGE_OK; i++) {
        worker *w = &g->workers[i];
        if ((rc = new_worker(g, w, tpl)))
            break;
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            free_worker(w);
            rc = doge__error_set(DOGE_ERROR, "ingest: cannot start a worker thread");
        } else
            g->nworkers++;
    }
    return rc;
}

static void stop_ring(ingest *g)
{
    pthread_mutex_lock(&g->mu);
    g->stop = 1;
    pthread_cond_broadcast(&g->work);
    pthread_mutex_unlock(&g->mu);
    for (size_t i = 0; i < g->nworkers; i++) {
        pthread_join(g->workers[i].thread, NULL);
        free_worker(&g->workers[i]);
    }
    g->nworkers = 0;
    free_worker(&g->self);
    for (size_t i = 0; g->slots && i < g->nslots; i++) {
        slot *s = &g->slots[i];
        doge_mail_free(s->p.mail);
        doge_buf_dispose(&s->p.bullets);
        doge_buf_dispose(&s->p.facts);
        doge_buf_dispose(&s->p.record);
        doge_buf_dispose(&s->raw);
        doge_buf_dispose(&s->label);
    }
    free(g->slots);
    g->slots = NULL;
}

/* ---- setting up ------------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void add_known(void *ctx, uint64_t key, int64_t id)
{
    (void)id;
    ingest *g = ctx;
    if (g->nknown < (size_t)KNOWN_MAX)
        g->known[g->nknown++] = key;
    seen_add(g, key);
}

static void add_seen(void *ctx, uint64_t key, int64_t id)
{
    (void)id;
    seen_add(ctx, key);
}

/* What is stored already (the keys' runs): the newest content hashes for
 * the workers' raw-hash check, and every content hash, Message-ID and
 * (week, employee) of a reply in the seen-filter (sized for them and as
 * many new messages again, at least 2M). */
static int load_seen(ingest *g)
{
    int rc = doge__reply_keys_open(g->st, &g->keys);
    if (rc)
        return rc;
    int64_t count = doge__reply_keys_count(g->keys);
    if (count <= SEEN_FILTER_MAX_ROWS) {
        /* three keys a reply: content hash, Message-ID, (week, employee) */
        uint64_t want = (uint64_t)(count + (count > (2 << 20) ? count : (2 << 20))) * 3 * 15;
        int block_bits = 14; /* 2^14 blocks of 512 bits: 1 MiB */
        while (((uint64_t)512 << block_bits) < want)
            block_bits++;
        g->seen_bits = calloc((size_t)8 << block_bits, sizeof *g->seen_bits);
        if (!g->seen_bits)
            return doge__error_oom();
        g->seen_block_bits = block_bits;
    }
    if (count == 0)
        return DOGE_OK;
    size_t nknown = count > KNOWN_MAX ? (size_t)KNOWN_MAX : (size_t)count;
    g->known = malloc(nknown * sizeof *g->known);
    if (!g->known)
        return doge__error_oom();
    doge__reply_keys_each(g->keys, DOGE__RKEY_HASH, add_known, g);
    doge__reply_keys_each(g->keys, DOGE__RKEY_MID, add_seen, g);
    doge__reply_keys_each(g->keys, DOGE__RKEY_EMPLOYEE, add_seen, g);
    qsort(g->known, g->nknown, sizeof *g->known, cmp_u64);
    return DOGE_OK;
}

static int prepare_all(ingest *g)
{
    struct {
        doge_stmt **s;
        const char *sql;
    } all[] = {
        {&g->by_id, "SELECT content_hash, COALESCE(message_id, '') FROM pulse_reply WHERE id = ?"},
        {&g->insert,
         "INSERT INTO pulse_reply (id, week, employee_id, kind, matched_by, message_id,"
         " content_hash, source, sent_at, ingested_at, on_time, bullet_count, manager_cc, flags,"
         " bullets, note, superseded, ledger_index)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
        {&g->supersede, "UPDATE pulse_reply SET superseded = 1 WHERE week = ? AND employee_id = ?"
                        " AND kind = 'reply' AND superseded = 0 AND sent_at <= ?"},
        {&g->later, "SELECT 1 FROM pulse_reply WHERE week = ? AND employee_id = ?"
                    " AND kind = 'reply' AND sent_at > ?"},
        {&g->bounce_req, "UPDATE pulse_request SET state = 'bounced', detail = ? WHERE token = ?"},
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        int rc = doge_store_prepare(g->st, all[i].s, all[i].sql);
        if (rc)
            return rc;
    }
    return DOGE_OK;
}

static void free_all(ingest *g)
{
    doge_stmt *all[] = {g->by_id, g->insert,
                        g->supersede, g->later,    g->bounce_req};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        doge_stmt_free(all[i]);
}

int doge__pulse_ingest_walk(doge_workspace *ws, doge__pulse_walk_fn walk, void *walk_ctx,
                            const doge_pulse_ingest_opts *opts, doge_pulse_ingest_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    ingest g;
    memset(&g, 0, sizeof g);
    g.ws = ws;
    g.st = doge_workspace_store(ws);
    g.opts = opts;
    g.stats = stats;
    pthread_mutex_init(&g.mu, NULL);
    pthread_cond_init(&g.work, NULL);
    pthread_cond_init(&g.done, NULL);
    pthread_cond_init(&g.space, NULL);
    doge_buf_init(&g.departed_ids, 0);
    g.batch_size = BATCH_FIRST;
    g.sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    char *tpl = NULL;
    int rc = doge_ledger_open_workspace(&g.ledger, ws, 1);
    if (rc)
        goto done;
    doge_ledger_set_batch_max(g.ledger, (int64_t)BATCH_MAX * 2);
    if ((rc = doge__ledger_writer_start(&g.lw, g.ledger)))
        goto done;
    if (!g.sha256) {
        rc = doge__error_set(DOGE_ECRYPTO, "ingest: no SHA-256 in OpenSSL");
        goto done;
    }
    if ((rc = prepare_all(&g)) || (rc = load_sender_tables(&g)) || (rc = load_seen(&g)))
        goto done;
    if ((rc = doge_store_query_int64(g.st, "SELECT COALESCE(MAX(id), 0) + 1 FROM pulse_reply",
                                     NULL, &g.next_id)))
        goto done;
    /* The request text, so that quoted copies of it are recognised. */
    if ((rc = doge__pulse_template(ws, &tpl)) || (rc = start_ring(&g, tpl)))
        goto done;
    doge_progress_new(&g.prog, "ingest", 0, opts->quiet ? DOGE_PROGRESS_QUIET : 0);
    rc = run_walk(&g, walk, walk_ctx);
    if (rc == DOGE_OK && g.in_batch > 0)
        rc = end_batch(&g);
    if (rc == DOGE_OK)
        rc = doge__reply_keys_compact(g.keys, g.st);
    doge_progress_finish(g.prog);
    doge_progress_free(g.prog);
done:
    stop_ring(&g);
    stop_loader(&g);
    stop_checkpointer(&g);
    {
        int lrc = doge__ledger_writer_stop(g.lw);
        if (rc == DOGE_OK)
            rc = lrc;
    }
    if (g.ledger)
        stats->ledger_size = doge_ledger_size(g.ledger);
    free(tpl);
    for (size_t i = 0; i < g.nreceipts; i++)
        free(g.receipts[i].record);
    free(g.receipts);
    free_all(&g);
    free(g.campaigns);
    free(g.known);
    doge__reply_keys_free(g.keys);
    free(g.seen_bits);
    doge_map_free(g.departed);
    EVP_MD_free(g.sha256);
    doge_buf_dispose(&g.departed_ids);
    doge_ledger_free(g.ledger);
    pthread_cond_destroy(&g.space);
    pthread_cond_destroy(&g.done);
    pthread_cond_destroy(&g.work);
    pthread_mutex_destroy(&g.mu);
    return rc;
}

typedef struct {
    const char *const *sources;
    size_t n;
    const doge_pulse_ingest_opts *opts;
} sources_walk;

static int walk_sources(void *ctx, doge_mailsource_fn fn, void *fn_ctx)
{
    const sources_walk *w = ctx;
    int rc = DOGE_OK;
    for (size_t i = 0; i < w->n && rc == DOGE_OK; i++) {
        int64_t count;
        rc = doge_mailsource_walk(w->sources[i], w->opts->user, w->opts->password, fn, fn_ctx,
                                  &count);
    }
    return rc;
}

int doge_pulse_ingest(doge_workspace *ws, const char *const *sources, size_t n,
                      const doge_pulse_ingest_opts *opts, doge_pulse_ingest_stats *stats)
{
    sources_walk w = {sources, n, opts};
    return doge__pulse_ingest_walk(ws, walk_sources, &w, opts, stats);
}
