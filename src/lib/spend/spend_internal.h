/*
 * spend_internal.h — what the spend module's files share and do not
 * export: the typed-row scan driver over the fast CSV reader, the exclusion
 * list, the audit's per-thread accumulators and merged state, the receipts
 * state, and small formatting helpers for the reports. Never installed.
 * Ownership is as for the public objects: the audit and receipts structures
 * own every arena, map and string hung off them.
 */
#ifndef DOGE_SPEND_INTERNAL_H
#define DOGE_SPEND_INTERNAL_H

#include "doge/arena.h"
#include "doge/buf.h"
#include "doge/map.h"
#include "doge/progress.h"
#include "doge/spend.h"

#include <pthread.h>
#include <stdint.h>

/* ---- fields ------------------------------------------------------------- */

/* Money (empty: 0) and date (empty: DOGE_SPEND_NO_DATE) of a field view. */
int doge__spend_money(const doge_spend_field *f, int64_t *out);
int doge__spend_date(const doge_spend_field *f, int32_t *out);

/* "$1,234.56" into out (DOGE_MONEY_STRLEN bytes); returns out. */
const char *doge__spend_usd(int64_t cents, char *out);
/* "2024-03-01", or "none" for DOGE_SPEND_NO_DATE; out has 16 bytes. */
const char *doge__spend_day(int32_t days, char *out);

/* 1 when the field equals s exactly. */
int doge__spend_is(const doge_spend_field *f, const char *s);
/* 1 when the modification number marks a base award ("", "0", "00", ...). */
int doge__spend_is_base_mod(const doge_spend_field *f);
/* strcmp-like order of modification numbers: numeric runs by value. */
int doge__spend_mod_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* ---- the typed-row scan ------------------------------------------------- */

/* Called per parsed row on the scanning thread; non-zero stops the scan.
 * filter (optional) sees the raw 26 fields first: 0 skips the row unparsed. */
typedef int (*doge__spend_txn_fn)(void *ctx, unsigned thread, const doge_spend_txn *t);
typedef int (*doge__spend_filter_fn)(void *ctx, doge_spend_kind kind,
                                     const doge_spend_field *fields);

typedef struct doge__spend_scan {
    unsigned threads;
    int strict;
    doge_spend_diag_fn on_diag;
    void *diag_ctx;
    doge__spend_txn_fn on_txn;
    doge__spend_filter_fn filter;
    void *ctx;
    unsigned progress; /* DOGE_PROGRESS_* */
    int no_progress;
    const char *label; /* progress label */
    uint32_t skip;     /* bit i: logical field i is not needed (not read, empty) */
} doge__spend_scan;

typedef struct doge__spend_scan_stats {
    uint64_t bytes, rows, bad_rows;
    doge_spend_kind kind;
} doge__spend_scan_stats;

/* Scans one award file: its kind from the header, the kind's columns, one
 * typed row per on_txn call. A row whose money or date does not parse is a
 * diagnostic ("file:line: byte N: column 'x': why") and is skipped (strict:
 * the scan stops with DOGE_EINVAL naming it). */
int doge__spend_scan_file(const char *path, const doge__spend_scan *o,
                          doge__spend_scan_stats *st);

/* ---- exclusions --------------------------------------------------------- */

typedef struct doge__spend_excl {
    const char *name;      /* as written (entity name, or first/last) */
    const char *uei;       /* "" when the record has none */
    const char *program, *agency, *type;
    int32_t active, end;   /* day numbers; end INT32_MAX when indefinite */
    int32_t next;          /* next record with the same UEI/name, -1 */
} doge__spend_excl;

typedef struct doge__spend_exclusions {
    doge__spend_excl *rec;
    size_t n;
    doge_map *by_uei;      /* UEI -> first index + 1 */
    doge_map *by_name;     /* normalised name -> first index + 1 (chain via next_name) */
    int32_t *next_name;
    uint64_t prefixes[1024];   /* bitmap of hashed 4-byte name prefixes */
    doge_arena *arena;
} doge__spend_exclusions;

int doge__spend_exclusions_load(doge__spend_exclusions **out, const char *path);
void doge__spend_exclusions_free(doge__spend_exclusions *x);
/* The record that excludes this recipient on day (UEI match first, else
 * normalised name when either side lacks a UEI), or NULL. norm is scratch
 * of at least 256 bytes. */
const doge__spend_excl *doge__spend_exclusions_match(const doge__spend_exclusions *x,
                                                     const doge_spend_field *uei,
                                                     const doge_spend_field *name, int32_t day,
                                                     char *norm);

/* ---- the audit ---------------------------------------------------------- */

/* One award as a thread saw it (merged into one record at the end). */
typedef struct sp_award {
    const char *key;           /* set at merge (the map's copy, NUL-terminated) */
    struct sp_award *merged;   /* the record this one was merged into */
    char office[16];           /* awarding office code (FPDS: 6 characters) */
    const char *recipient;     /* interned "UEI\0NAME" */
    uint32_t agency;           /* global agency index */
    uint8_t kind, idv, has_latest, has_base;
    uint8_t excl_maybe;        /* its recipient has a record on the list (any date) */
    uint8_t uei_len, latest_mod_len;
    uint16_t name_len;         /* lengths within recipient and latest_mod */
    char latest_mod[24];
    int32_t latest_date, latest_pop_end;
    int64_t total_obligated, potential;
    int32_t base_date;
    int64_t base_amount;
    uint32_t late_count;
    int64_t late_sum;
    int32_t late_first, late_end;
    uint32_t excl_count;
    int64_t excl_sum;
    int32_t excl_first;
    int32_t excl_rec;          /* exclusion record index, -1 */
    uint32_t rows;
    uint32_t dup_count;        /* duplicated actions (set at finish) */
    int32_t dup_date;
    int64_t dup_sum;
    struct sp_award *dup_other;
    uint32_t split_n;          /* awards in its split cluster (finish) */
    int32_t split_first, split_last;
    int64_t split_sum, split_limit;
} sp_award;

/* A candidate duplicate action. */
typedef struct sp_dup {
    uint64_t hash;             /* recipient, amount, date, description */
    sp_award *award;
    int64_t amount;
    int32_t date;
} sp_dup;

/* Per-agency counters. */
typedef struct sp_agency_acc {
    uint64_t rows;
    int64_t obligated, deobligated;
    uint64_t digits[10];
    int64_t competed, noncompeted;
} sp_agency_acc;

#define SP_MAX_AGENCIES 4096

typedef struct sp_thread {
    doge_arena *arena;
    doge_map *awards;          /* key -> sp_award* */
    doge_map *strings;         /* interned strings */
    doge_map *agency_idx;      /* agency code -> global index + 1 */
    sp_agency_acc *agencies;   /* SP_MAX_AGENCIES */
    sp_dup *dups;
    size_t ndups, capdups;
    char last_code[16];
    size_t last_code_len;
    uint32_t last_agency;
    int failed;                /* an error stopped this thread */
    char errmsg[512];
    int errcode;
    char norm[256];            /* scratch */
    char keybuf[1024];         /* the award key with its NUL (map keys end in one) */
    size_t last_klen;          /* keybuf holds the previous row's key (0: none) */
    struct sp_award *last_award;
} sp_thread;

/* One partition of the finishing work: the awards first seen by one
 * thread (merged with the later threads' records of them), and the findings
 * and split candidates it produced. */
struct sp_cand;
typedef struct sp_part {
    struct doge_spend_audit *a;
    unsigned id;
    uint64_t owned;            /* awards it owns */
    doge_arena *out;           /* strings of its findings */
    doge_spend_finding *f;
    size_t nf, capf;
    struct sp_cand *cand;
    size_t ncand, capcand;
    int rc;
    char err[300];
} sp_part;

struct doge_spend_audit {
    doge_spend_audit_opts opts;
    unsigned nthreads;
    sp_thread *threads;
    doge__spend_exclusions *excl;
    /* global agency table */
    pthread_mutex_t agency_lock;
    doge_map *agency_map;      /* code -> index + 1 */
    char *agency_code[SP_MAX_AGENCIES];
    char *agency_name[SP_MAX_AGENCIES];
    uint32_t nagencies;
    /* results */
    int finished;
    doge_arena *out;           /* strings of findings */
    doge_spend_finding *findings;
    size_t nfindings, capfindings;
    doge_spend_agency *agencies;
    size_t nagency_out;
    doge_spend_audit_totals totals;
    sp_part *parts;            /* one per thread, made by finish */
    unsigned nparts;
};

/* Per-row accumulation (audit.c) and the rules at the end (audit_rules.c). */
int doge__spend_audit_rules(doge_spend_audit *a);
int doge__spend_audit_add_finding(sp_part *p, int rule, const char *key, uint32_t agency,
                                  const char *recipient, int64_t amount, int64_t limit,
                                  double score, const char *evidence);
/* "NAME (UEI)" for an interned recipient, in the partition's arena. */
const char *doge__spend_recipient_label(sp_part *p, const char *recipient);
/* Releases the partitions (audit free). */
void doge__spend_audit_parts_free(doge_spend_audit *a);


/* 1 for a non-competed extent_competed_code, 0 competed, -1 none/unknown. */
int doge__spend_noncompeted(const doge_spend_field *code);

/* ---- receipts ------------------------------------------------------------ */

struct doge_spend_receipts {
    doge_arena *arena;
    doge_spend_claim *claims;
    size_t n, cap;
    size_t per_type[4];
    doge_spend_verification *results;
    size_t nresults;
    doge_spend_receipt_agency *agencies;
    size_t nagencies;
    uint64_t files, bytes, rows_kept;
    double seconds;
};

/* ---- HTML ----------------------------------------------------------------- */

/* The page's head (title, inline CSS) and foot. */
int doge__spend_html_head(doge_buf *b, const char *title);
int doge__spend_html_foot(doge_buf *b);
/* Escaped text. */
int doge__spend_html_text(doge_buf *b, const char *s);
/* A chart value formatter: dollars from a value in dollars ("$1.2M"). */
void doge__spend_svg_dollars(double v, char *out, size_t cap, void *ctx);
/* One table row of escaped cells; num[i] (num may be NULL) right-aligns
 * cell i as a number. */
int doge__spend_html_row(doge_buf *b, const char *const *cells, const int *num, int n);
/* 'before' (a heading, or "") and the bar chart 'c' in a <figure>. */
struct doge_svg_chart;
int doge__spend_html_figure(doge_buf *b, const char *before, const struct doge_svg_chart *c);
/* The end of a page built in 'b' so far with result 'rc': the foot, the
 * page written atomically to 'path'; 'b' is disposed whatever happens.
 * Returns the first failure. */
int doge__spend_html_finish(doge_buf *b, int rc, const char *path);

/* ---- ledger records -------------------------------------------------------- */

/* The ledger record of 'o' (taken: always released) with "kind" and, when
 * given, "run": compact JSON with sorted keys, in 'out' (reset first). */
struct json_t;
int doge__spend_record(struct json_t *o, const char *kind, const char *run, doge_buf *out);

#endif
