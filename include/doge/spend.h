/*
 * doge/spend.h — auditing federal award data and verifying claimed savings.
 *
 * Input is USAspending.gov's bulk transaction CSVs (contracts: one row per
 * action with contract_transaction_unique_key, contract_award_unique_key,
 * award_id_piid, federal_action_obligation, ...; assistance: the same with
 * assistance_* keys and award_id_fain), read by the fast reader of
 * doge/spend_csv.h. Money is int64 cents, dates are day numbers
 * (doge/date.h).
 *
 * The audit (doge_spend_audit_*) runs seven rules; each finding names its
 * rule, the award (or, for rules 6 and 7, the agency), the amounts and a
 * one-line explanation of the evidence:
 *   1 over_potential  the award's total obligation (total_dollars_obligated)
 *                     is above the potential total value on its latest
 *                     action (contracts; IDVs and zero potentials skipped);
 *   2 after_end       actions obligating new money (federal_action_obligation
 *                     > 0) dated after the period of performance ended as
 *                     recorded on the same action (de-obligations and
 *                     close-outs after the end are normal and not flagged);
 *   3 duplicate       obligations (positive actions) of the same recipient,
 *                     amount, action date and description (case and spacing
 *                     ignored) in two or more different awards (in one
 *                     agency or several); matching de-obligations are not
 *                     duplicate payments;
 *   4 split           two or more awards (their base actions, modification
 *                     0) by the same office to the same recipient within 30
 *                     days, each just under a threshold (at least 80% of the
 *                     $10,000 micro-purchase or $250,000 simplified
 *                     acquisition threshold, and below it), summing over it
 *                     (contracts);
 *   5 excluded        actions for a recipient on the exclusion list (the
 *                     SAM.gov public exclusions extract) dated while the
 *                     exclusion was active; matched by UEI when both sides
 *                     have one, else by normalised name (upper case, letters
 *                     and digits, corporate suffixes such as INC, LLC, CORP
 *                     dropped);
 *   6 benford         per agency, the first digits of positive obligations
 *                     of $10 or more against Benford's law: the mean
 *                     absolute deviation (MAD) and Nigrini's band (close
 *                     conformity <= 0.006, acceptable <= 0.012, marginal
 *                     <= 0.015, nonconformity above); a finding for
 *                     nonconformity with at least 1,000 amounts;
 *   7 noncompeted     per agency, the share of positive contract obligations
 *                     that were not competed (extent_competed_code B, C, G
 *                     or NDO) out of those with a competition code; a
 *                     finding above 50%.
 * Rules 1, 4 and 7 need contract columns and are skipped for assistance.
 * Totals per agency and per rule come with the findings.
 *
 * The audit keeps one accumulator per scanning thread (an award table in a
 * doge_map with its records in an arena, agency counters, a vector of
 * duplicate candidates) and merges them at the end; nothing is allocated per
 * row except when a new award, agency or string is first seen.
 *
 * Receipts (doge_spend_receipts_*) are savings claims in the doge.gov layout:
 * JSON as api.doge.gov serves it ({"result": {"contracts": [...], "grants":
 * [...], "leases": [...]}}, or a bare array) or CSV with the same field
 * names. Each claim is checked against the award record (see
 * doge_spend_verification for the rules).
 *
 * Ownership: an audit or receipts object is made by its _new/_load function
 * and released by its _free; every string and array it hands out (findings,
 * agencies, verifications) belongs to it and lives until that free. Paths
 * and option strings stay the caller's.
 */
#ifndef DOGE_SPEND_H
#define DOGE_SPEND_H

#include "doge/buf.h"
#include "doge/common.h"
#include "doge/spend_csv.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The two kinds of award file. */
typedef enum doge_spend_kind {
    DOGE_SPEND_CONTRACTS = 1,
    DOGE_SPEND_ASSISTANCE = 2
} doge_spend_kind;

/* The kind of an award file from its header row (DOGE_EINVAL naming the
 * file when it has neither key column). */
DOGE_EXTERN int doge_spend_file_kind(const char *path, doge_spend_kind *kind);

/* A date field that was empty. */
#define DOGE_SPEND_NO_DATE INT32_MIN

/* One transaction (one row of a transaction file), typed. String fields are
 * views valid as long as the row they come from. */
typedef struct doge_spend_txn {
    doge_spend_kind kind;
    doge_spend_field txn_key, award_key;
    doge_spend_field piid;           /* award_id_piid, or award_id_fain */
    doge_spend_field mod;            /* modification_number ("0": base) */
    doge_spend_field parent_agency;  /* parent_award_agency_id */
    doge_spend_field parent_piid;    /* parent_award_id_piid */
    doge_spend_field agency_code, agency_name, sub_agency_code, office_code;
    doge_spend_field recipient_uei, recipient_name, description;
    doge_spend_field competed;       /* extent_competed_code */
    doge_spend_field action_type;    /* action_type_code */
    doge_spend_field idv_flag;       /* award_or_idv_flag: "IDV" or "AWARD" */
    doge_spend_field multiple;       /* multiple_or_single_award_idv_code (IDV) */
    doge_spend_field parent_multiple;/* parent_award_single_or_multiple_code */
    doge_spend_field solicitation;   /* solicitation_identifier */
    int64_t obligation;              /* federal_action_obligation */
    int64_t total_obligated;         /* total_dollars_obligated / total_obligated_amount */
    int64_t current_value;           /* current_total_value_of_award (as of this action) */
    int64_t potential_value;         /* potential_total_value_of_award (as of this action) */
    int32_t action_date, pop_start, pop_end; /* DOGE_SPEND_NO_DATE when empty */
    uint64_t line, offset;           /* where the row starts in its file */
} doge_spend_txn;

/* The column names a kind's transaction rows are read from, in the order
 * doge_spend_txn_parse() expects the fields, with NULL for fields that kind
 * does not have; required[i] is 1 for columns the header must hold. The
 * arrays are static and hold DOGE_SPEND_TXN_FIELDS entries. */
#define DOGE_SPEND_TXN_FIELDS 26
DOGE_EXTERN const char *const *doge_spend_txn_columns(doge_spend_kind kind);
DOGE_EXTERN const unsigned char *doge_spend_txn_required(doge_spend_kind kind);

/* Fills *t from fields (one per doge_spend_txn_columns() entry; empty views
 * for NULL entries). Money and dates are parsed; on a malformed value
 * returns DOGE_EINVAL and writes "column 'x': why" into err. */
DOGE_EXTERN int doge_spend_txn_parse(doge_spend_kind kind, const doge_spend_field *fields,
                                     doge_spend_txn *t, char *err, size_t errcap);

/* ---- audit ----------------------------------------------------------- */

enum doge_spend_rule {
    DOGE_SPEND_RULE_OVER_POTENTIAL = 1,
    DOGE_SPEND_RULE_AFTER_END = 2,
    DOGE_SPEND_RULE_DUPLICATE = 3,
    DOGE_SPEND_RULE_SPLIT = 4,
    DOGE_SPEND_RULE_EXCLUDED = 5,
    DOGE_SPEND_RULE_BENFORD = 6,
    DOGE_SPEND_RULE_NONCOMPETED = 7
};
#define DOGE_SPEND_RULES 7

/* "over_potential", "after_end", ..., "noncompeted"; NULL out of range. */
DOGE_EXTERN const char *doge_spend_rule_name(int rule);
/* A short human title: "obligated above potential value", ... */
DOGE_EXTERN const char *doge_spend_rule_title(int rule);

/* Thresholds, in cents and days (the values the defaults use). */
#define DOGE_SPEND_MICRO_PURCHASE 1000000LL /* $10,000 */
#define DOGE_SPEND_SIMPLIFIED 25000000LL    /* $250,000 */
#define DOGE_SPEND_SPLIT_WINDOW 30
#define DOGE_SPEND_SPLIT_BAND 0.80
#define DOGE_SPEND_BENFORD_MIN 1000
#define DOGE_SPEND_NONCOMPETED_MAX 0.50

typedef struct doge_spend_audit_opts {
    unsigned threads;         /* scanning threads (0: 1) */
    int strict;               /* stop at the first malformed row */
    const char *exclusions;   /* SAM.gov exclusions extract CSV, or NULL */
    /* Malformed rows: called (under a lock) with "file:line: byte N: why";
     * NULL: counted only. */
    doge_spend_diag_fn on_diag;
    void *diag_ctx;
    unsigned progress;        /* DOGE_PROGRESS_* flags for a bar over bytes */
    int no_progress;          /* 1: no progress bar */
} doge_spend_audit_opts;

typedef struct doge_spend_audit doge_spend_audit;

/* One finding. */
typedef struct doge_spend_finding {
    int rule;                  /* DOGE_SPEND_RULE_* */
    const char *key;           /* award key (rules 1-5) or agency code (6, 7) */
    const char *agency_code, *agency_name;
    const char *recipient;     /* "NAME (UEI)", or "" for agency rules */
    int64_t amount;            /* cents at stake (see evidence) */
    int64_t limit;             /* the bound passed (potential, threshold...), or 0 */
    double score;              /* MAD (6) or non-competed share (7), else 0 */
    const char *evidence;      /* one line */
} doge_spend_finding;

/* Per-agency totals. */
typedef struct doge_spend_agency {
    const char *code, *name;
    uint64_t rows;
    int64_t obligated;          /* sum of positive obligations */
    int64_t deobligated;        /* sum of negative obligations (negative) */
    uint64_t findings[DOGE_SPEND_RULES + 1];       /* per rule (index 1..7) */
    int64_t finding_amount[DOGE_SPEND_RULES + 1];  /* cents per rule */
    uint64_t digits[10];        /* first-digit counts (index 1..9) */
    uint64_t benford_n;
    double mad;                 /* -1 when fewer than DOGE_SPEND_BENFORD_MIN */
    const char *band;           /* Nigrini band, or "too few amounts" */
    int64_t competed, noncompeted; /* positive contract obligations */
    double noncompeted_share;   /* -1 without contract obligations */
} doge_spend_agency;

/* Run totals. */
typedef struct doge_spend_audit_totals {
    uint64_t files, bytes, rows, bad_rows, awards;
    uint64_t findings[DOGE_SPEND_RULES + 1];
    int64_t finding_amount[DOGE_SPEND_RULES + 1];
    uint64_t exclusion_records;
    double seconds;             /* scanning time (all files, all threads) */
    double finish_seconds;      /* merging the threads and running the rules */
} doge_spend_audit_totals;

/* Creates an audit and loads the exclusion list (DOGE_EINVAL naming the
 * file and line for a malformed or incomplete extract). */
DOGE_EXTERN int doge_spend_audit_new(doge_spend_audit **out, const doge_spend_audit_opts *o);
DOGE_EXTERN void doge_spend_audit_free(doge_spend_audit *a);

/* Scans one award file (its kind read from its header). A missing required
 * column is DOGE_EINVAL naming it and the file; malformed rows are
 * diagnostics (DOGE_EINVAL at the first with strict). */
DOGE_EXTERN int doge_spend_audit_file(doge_spend_audit *a, const char *path);

/* Adds one typed transaction as scanning thread `thread` would (for tests
 * and other readers; thread < the audit's thread count). */
DOGE_EXTERN int doge_spend_audit_add(doge_spend_audit *a, unsigned thread,
                                     const doge_spend_txn *t);

/* Merges the threads' accumulators and runs the rules; call once, after the
 * last file. Findings are sorted by rule, agency and key. */
DOGE_EXTERN int doge_spend_audit_finish(doge_spend_audit *a);

DOGE_EXTERN size_t doge_spend_audit_findings(const doge_spend_audit *a,
                                             const doge_spend_finding **out);
/* Agencies sorted by code. */
DOGE_EXTERN size_t doge_spend_audit_agencies(const doge_spend_audit *a,
                                             const doge_spend_agency **out);
DOGE_EXTERN void doge_spend_audit_totals_get(const doge_spend_audit *a,
                                             doge_spend_audit_totals *t);

/* Normalises a recipient name for matching into out (NUL-terminated, at
 * most cap-1 bytes): "Acme Widgets, Inc." -> "ACME WIDGETS". Returns the
 * length. */
DOGE_EXTERN size_t doge_spend_name_normalize(const char *name, size_t len, char *out,
                                             size_t cap);

/* ---- Benford --------------------------------------------------------- */

/* Benford's expected share of first digit d (1..9): log10(1 + 1/d). */
DOGE_EXTERN double doge_spend_benford_expected(int d);
/* The first significant digit of |cents| in whole dollars (1..9), or 0 for
 * amounts under $10, which the first-digit test leaves out. */
DOGE_EXTERN int doge_spend_first_digit(int64_t cents);
/* MAD of counts[1..9] against Benford (-1 when n is 0). */
DOGE_EXTERN double doge_spend_benford_mad(const uint64_t counts[10]);
/* Nigrini's first-digit conformity band for a MAD. Static string. */
DOGE_EXTERN const char *doge_spend_benford_band(double mad);

/* ---- receipts --------------------------------------------------------- */

typedef enum doge_spend_claim_type {
    DOGE_SPEND_CLAIM_CONTRACT = 1,
    DOGE_SPEND_CLAIM_GRANT = 2,
    DOGE_SPEND_CLAIM_LEASE = 3
} doge_spend_claim_type;

/* One claimed saving. */
typedef struct doge_spend_claim {
    size_t index;             /* 0-based, in file order */
    doge_spend_claim_type type;
    const char *id;           /* the claim's "id" field, else "<type>-<n>" */
    const char *agency, *description, *recipient;
    const char *award_id;     /* piid / fain / award_id / lease_number as given */
    const char *link;         /* fpds_link / link / url as given */
    int64_t value, savings;   /* cents; a lease's value is its annual rent */
    int32_t date;             /* deleted_date / date, DOGE_SPEND_NO_DATE */
} doge_spend_claim;

/* What an award id or link names. */
typedef struct doge_spend_award_ref {
    char piid[64];            /* PIID or FAIN ("" when none) */
    char agency[16];          /* awarding (sub-tier) agency id, or "" */
    char parent_piid[64];     /* the parent (IDV) PIID, or "" */
    char parent_agency[16];   /* the parent's agency id, or "" */
    int assistance;           /* 1 for a FAIN (ASST_ link) */
} doge_spend_award_ref;

/* Parses an FPDS link (viewLinkController.jsp?agencyID=..&PIID=..&idvAgencyID=
 * ..&idvPIID=.., or an ezsearch q=PIID:"..") or a USAspending award link
 * (/award/CONT_AWD_<piid>_<agency>_<parent piid>_<parent agency>,
 * CONT_IDV_<piid>_<agency>, ASST_NON_<fain>_<agency>, ASST_AGG_..): 0 and
 * *ref, or DOGE_EINVAL saying why not. */
DOGE_EXTERN int doge_spend_link_parse(const char *link, doge_spend_award_ref *ref);

/* 1 when an award id is a placeholder or malformed: empty, all zeros,
 * "N/A", "NONE", "TBD", ..., without any digit (a bare vendor name), equal
 * to the recipient's name, holding spaces or characters no PIID or FAIN
 * has, or longer than 50. recipient may be NULL. */
DOGE_EXTERN int doge_spend_award_id_placeholder(const char *id, const char *recipient);

/* Verification statuses. */
typedef enum doge_spend_status {
    DOGE_SPEND_VERIFIED = 1,     /* verified == claimed */
    DOGE_SPEND_OVERSTATED = 2,   /* 0 < verified < claimed */
    DOGE_SPEND_UNSUPPORTED = 3,  /* award found, nothing verified */
    DOGE_SPEND_NOT_FOUND = 4,    /* no award with that id */
    DOGE_SPEND_UNVERIFIABLE = 5  /* placeholder, malformed or ambiguous id */
} doge_spend_status;
DOGE_EXTERN const char *doge_spend_status_name(int status);

/* Flags (bits). */
#define DOGE_SPEND_F_PLACEHOLDER (1u << 0)   /* placeholder or malformed id */
#define DOGE_SPEND_F_AMBIGUOUS (1u << 1)     /* PIID in several agencies */
#define DOGE_SPEND_F_NOT_FOUND (1u << 2)
#define DOGE_SPEND_F_ABOVE_REMAINING (1u << 3) /* claim > what was left */
#define DOGE_SPEND_F_ABOVE_VALUE (1u << 4)   /* claim > the award's value */
#define DOGE_SPEND_F_ENDED_BEFORE (1u << 5)  /* ended before the cancellation */
#define DOGE_SPEND_F_DUPLICATE (1u << 6)     /* the award was claimed before */
#define DOGE_SPEND_F_OFF_BY_1000 (1u << 7)   /* stated value 1000x off */
#define DOGE_SPEND_F_NOT_CANCELLED (1u << 8) /* no termination or close-out */
#define DOGE_SPEND_F_LEASE_TERM (1u << 9)    /* lease claim above rent left */
#define DOGE_SPEND_F_VEHICLE (1u << 10)      /* a vehicle's (IDV) ceiling */
#define DOGE_SPEND_F_SHARED_CEILING (1u << 11) /* multiple-award ceiling again */
#define DOGE_SPEND_FLAGS 12
/* The name of flag bit i (0..DOGE_SPEND_FLAGS-1): "placeholder_id", ... */
DOGE_EXTERN const char *doge_spend_flag_name(unsigned bit);
/* Writes "a;b;c" for flags into out (cap bytes); "" for none. */
DOGE_EXTERN void doge_spend_flags_format(unsigned flags, char *out, size_t cap);

/* One claim's verification. Rules (a careful auditor's):
 *  - the award is keyed on agency + PIID + parent agency + parent PIID; a
 *    PIID alone that names awards in several agencies is resolved by the
 *    claim's agency and recipient, else the claim is unverifiable;
 *  - value and potential are read from the latest modification before the
 *    cancellation (not the first action); for assistance the value is what
 *    was obligated before the cancellation;
 *  - only a termination (action type E, F, X, N) or close-out (K; for
 *    assistance D, or a revision whose description says TERMINAT) counts as
 *    a cancellation, dated by its action;
 *  - three tiers are kept apart: de-obligated (money actually returned: the
 *    negative obligations from the cancellation on), unexercised options
 *    (potential - value) and ceiling never ordered or obligated (value -
 *    obligations before the cancellation; for a vehicle, its ceiling minus
 *    its orders' values, never the sum of both, and a ceiling shared by a
 *    multiple-award vehicle's awards counted once); only the first counts
 *    as savings;
 *  - verified = min(claimed savings, de-obligated), clamped to [0, value];
 *    0 when the award was not cancelled, had ended before the cancellation
 *    date (the claim's date, else the cancelling action's), or was claimed
 *    before;
 *  - "what was left" is value minus what stayed obligated;
 *  - a lease's stated value is annual rent (annual = the lease's value x
 *    365 / its term in days): the claim's value is compared with that, and
 *    what was left is the rent over the remaining term (annual x days left /
 *    365), which is also the most that can be verified;
 *  - a claim whose stated value is 500 to 2,000 times the record's (or the
 *    other way round) is flagged as off by a factor of 1,000. */
typedef struct doge_spend_verification {
    const doge_spend_claim *claim;
    doge_spend_status status;
    unsigned flags;
    const char *award_key;      /* the matched award, or NULL */
    const char *record_agency;  /* its agency name, or NULL */
    doge_spend_award_ref ref;   /* what the claim's id or link named */
    int64_t value, potential;   /* record, from the latest modification before the cancellation */
    int64_t annual;             /* a lease's annual rent, else 0 */
    int64_t obligated;          /* obligated before the cancellation */
    int64_t deobligated;        /* tier 1 */
    int64_t unexercised;        /* tier 2 */
    int64_t never_ordered;      /* tier 3 */
    int64_t left;               /* what was left when cancelled */
    int64_t verified;
    int32_t cancel_date, end_date;
    const char *evidence;       /* one line */
} doge_spend_verification;

typedef struct doge_spend_receipts doge_spend_receipts;

/* Loads claims from a JSON or CSV file (by its first non-space byte: '{' or
 * '[' is JSON). DOGE_EINVAL naming the file and the record at fault. */
DOGE_EXTERN int doge_spend_receipts_load(doge_spend_receipts **out, const char *path);
DOGE_EXTERN void doge_spend_receipts_free(doge_spend_receipts *r);
DOGE_EXTERN size_t doge_spend_receipts_claims(const doge_spend_receipts *r,
                                              const doge_spend_claim **out);

/* Adds one claim (for tests; strings are copied). */
DOGE_EXTERN int doge_spend_receipts_add(doge_spend_receipts *r, const doge_spend_claim *c);
/* An empty claim set (for tests). */
DOGE_EXTERN int doge_spend_receipts_new(doge_spend_receipts **out);

/* Verifies every claim against the award files: scans them (threads as in
 * the options; only rows naming a claimed PIID/FAIN or vehicle are kept),
 * then applies the rules above. */
DOGE_EXTERN int doge_spend_receipts_verify(doge_spend_receipts *r, const char *const *files,
                                           size_t nfiles, const doge_spend_audit_opts *o);

/* Verifies against transactions given directly (for tests): n typed rows. */
DOGE_EXTERN int doge_spend_receipts_verify_txns(doge_spend_receipts *r,
                                                const doge_spend_txn *txns, size_t n);

DOGE_EXTERN size_t doge_spend_receipts_results(const doge_spend_receipts *r,
                                               const doge_spend_verification **out);

/* Per-agency totals (the claim's agency), sorted by name. */
typedef struct doge_spend_receipt_agency {
    const char *agency;
    uint64_t claims, verified_claims;
    int64_t claimed, verified;
    int64_t deobligated, unexercised, never_ordered;
} doge_spend_receipt_agency;
DOGE_EXTERN size_t doge_spend_receipts_agencies(const doge_spend_receipts *r,
                                                const doge_spend_receipt_agency **out);

/* ---- reports ----------------------------------------------------------- */

/* Findings as CSV (rule,key,agency_code,agency_name,recipient,amount,limit,
 * score,evidence). */
DOGE_EXTERN int doge_spend_audit_write_csv(const doge_spend_audit *a, FILE *f);
/* The whole result as JSON (totals, agencies, findings). */
DOGE_EXTERN int doge_spend_audit_write_json(const doge_spend_audit *a, FILE *f);
/* A self-contained HTML report with SVG charts (findings by rule, by
 * agency, first digits against Benford per agency flagged or largest). */
DOGE_EXTERN int doge_spend_audit_write_html(const doge_spend_audit *a, const char *path);

DOGE_EXTERN int doge_spend_receipts_write_csv(const doge_spend_receipts *r, FILE *f);
DOGE_EXTERN int doge_spend_receipts_write_json(const doge_spend_receipts *r, FILE *f);
DOGE_EXTERN int doge_spend_receipts_write_html(const doge_spend_receipts *r, const char *path);

/* The canonical ledger record (compact JSON, keys sorted) of a finding or a
 * verification; run names the run (e.g. its start time). */
DOGE_EXTERN int doge_spend_finding_record(const doge_spend_finding *f, const char *run,
                                          doge_buf *out);
DOGE_EXTERN int doge_spend_verification_record(const doge_spend_verification *v,
                                               const char *run, doge_buf *out);

#ifdef __cplusplus
}
#endif
#endif
