/*
 * doge/review.h — the review of a week's replies and the human queue. The
 * review classifies every bullet of every accepted reply (doge/review_model.h),
 * finds copy-paste clusters across the week (doge/review_cluster.h), and
 * stores per reply a five-second note, a priority for the human queue and
 * the evidence; nothing here acts on an employee: a reviewer decides
 * (ok, follow-up, escalate) with a reason, a respondent may appeal, and
 * each decision and appeal is appended to the ledger as a canonical JSON
 * record ("review.decision" / "review.appeal") that names the reply's own
 * ledger entry.
 *
 * The workspace's model is review/model.bin (doge review train). When it is
 * missing, doge_review_workspace_model() trains one from the built-in
 * labelled set (its training split, seed 1) and saves it, and says so.
 *
 * Ownership: the workspace stays the caller's. doge_review_workspace_model()
 * returns a model the caller frees with doge_review_model_free(). JSON made
 * by the report and evidence functions belongs to the caller (json_decref);
 * the HTML from doge_review_report_html() is malloc'd, the caller frees it.
 * Items given to a queue callback are valid during the call only.
 */
#ifndef DOGE_REVIEW_H
#define DOGE_REVIEW_H

#include "doge/common.h"
#include "doge/review_model.h"
#include "doge/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Loads review/model.bin, or trains and saves one (then *trained = 1). */
DOGE_EXTERN int doge_review_workspace_model(doge_workspace *ws, doge_review_model **out,
                                            int *trained);

typedef struct doge_review_run_opts {
    unsigned threads;   /* classification and clustering threads: 0 = online CPUs */
    double threshold;   /* copy-paste Jaccard: 0 = 0.8 */
    int quiet;          /* no progress on stderr */
} doge_review_run_opts;

typedef struct doge_review_run_stats {
    int64_t replies;        /* accepted replies reviewed */
    int64_t bullets;
    int64_t vague;          /* replies with no bullet or mostly vague ones */
    int64_t clusters;       /* copy-paste clusters (size >= 2) */
    int64_t clustered;      /* replies in a cluster */
    int64_t queued;         /* replies a human should look at */
    int model_trained;      /* the model was trained for this run */
    double specificity;     /* mean over bullets */
    int64_t by_category[DOGE_REVIEW_NCATEGORIES];
} doge_review_run_stats;

/* Reviews the week's accepted replies (replacing an earlier review of that
 * week; decisions stay). DOGE_ENOTFOUND for an unknown week. */
DOGE_EXTERN int doge_review_week(doge_workspace *ws, const char *week,
                                 const doge_review_run_opts *opts, doge_review_run_stats *stats);

/* A reply waiting for a human. */
typedef struct doge_review_item {
    int64_t reply_id;
    const char *week;
    const char *employee_id;
    const char *department;
    int bullet_count;
    double specificity;     /* mean over the reply's bullets */
    int vague;
    int64_t duplicate_of;   /* representative reply of its cluster, or 0 */
    int64_t cluster_size;   /* 0 when not in a cluster */
    const char *flags;      /* policy flags from ingest, comma-separated */
    const char *note;       /* the five-second note */
    int priority;           /* higher first */
    const char *state;      /* "open", or "appealed" after an appeal */
} doge_review_item;

typedef int (*doge_review_item_fn)(void *ctx, const doge_review_item *item);

/* Calls fn for each reply of the week (optionally one department) that
 * needs a human and has no decision newer than its latest appeal, highest
 * priority first; at most limit (0: all). fn returning non-zero stops. */
DOGE_EXTERN int doge_review_queue(doge_workspace *ws, const char *week, const char *department,
                                  size_t limit, doge_review_item_fn fn, void *ctx);

/* The review of one reply with the evidence per bullet (JSON object). */
struct json_t;
DOGE_EXTERN int doge_review_reply_evidence(doge_workspace *ws, int64_t reply_id,
                                           struct json_t **out);

/* Records a reviewer's decision: outcome "ok", "follow-up" or "escalate",
 * a non-empty reason, the reviewer's id. Appends the ledger record and
 * commits it; *ledger_index (may be NULL) receives its index. */
DOGE_EXTERN int doge_review_decide(doge_workspace *ws, int64_t reply_id, const char *outcome,
                                   const char *reason, const char *by, int64_t *ledger_index);

/* Records the respondent's appeal (by must be the reply's employee, or
 * NULL for that employee). The reply returns to the queue. */
DOGE_EXTERN int doge_review_appeal(doge_workspace *ws, int64_t reply_id, const char *reason,
                                   const char *by, int64_t *ledger_index);

/* The week's report as JSON: response by department, category mix,
 * specificity histogram, largest clusters, week-over-week trend, queue. */
DOGE_EXTERN int doge_review_report(doge_workspace *ws, const char *week, size_t top_clusters,
                                   struct json_t **out);

/* One self-contained HTML file (inline CSS and SVG, no network) from the
 * report JSON. */
DOGE_EXTERN int doge_review_report_html(const struct json_t *report, char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
