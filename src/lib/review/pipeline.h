/*
 * pipeline.h — what the review pipeline's files share inside libdoge:
 * the per-reply scoring rules (vague, priority, the five-second note) and
 * small helpers. Never installed.
 */
#ifndef DOGE_REVIEW_PIPELINE_H
#define DOGE_REVIEW_PIPELINE_H

#include "doge/buf.h"
#include "doge/review.h"
#include "doge/store.h"

#include <stddef.h>
#include <stdint.h>

/* A bullet below this specificity counts as vague. */
#define DOGE__REVIEW_VAGUE_SPEC 0.30
/* A reply whose mean specificity is below this is queued. */
#define DOGE__REVIEW_LOW_SPEC 0.40

/* What the scoring of one reply needs. */
typedef struct doge__review_reply {
    int64_t id;
    int bullet_count;
    int vague_bullets;
    double specificity;      /* mean over bullets (0 when none) */
    int cat_count[DOGE_REVIEW_NCATEGORIES];
    int64_t duplicate_of;    /* 0: none */
    int64_t cluster_size;
    size_t cluster_groups;   /* departments in its cluster */
    const char *flags;       /* comma-separated, "" when none */
} doge__review_reply;

/* 1 when the reply is vague or empty. */
int doge__review_is_vague(const doge__review_reply *r);

/* The queue priority (0: nothing for a human to see). */
int doge__review_priority(const doge__review_reply *r);

/* Writes the five-second note into out (cap bytes, NUL-terminated). */
void doge__review_note(const doge__review_reply *r, char *out, size_t cap);

/* The workspace path of the model file. */
int doge__review_model_path(doge_workspace *ws, char *out, size_t cap);

/* ---- one reply through the review (item.c), for week.c and reply.c ------- */

/* A reply being reviewed. The strings are the caller's (an arena, or the
 * statement row they came from); bullets is malloc'd by
 * doge__review_item_classify and freed by the caller. */
typedef struct doge__review_item {
    int64_t id;
    const char *employee;
    const char *dept;
    const char *flags;
    const char *text;   /* the bullets joined by '\n' */
    size_t len;
    doge__review_reply r;
    char *bullets;      /* [[category, confidence, specificity, features]...] */
    int64_t cluster_id; /* 0: in no cluster */
} doge__review_item;

/* The stored bullets (pulse_reply.bullets, a JSON array of strings) joined
 * by '\n' into out (reset first; a newline inside a bullet becomes a
 * space). DOGE_EINVAL naming reply_id when they are not a JSON array. */
int doge__review_bullets_join(const char *bullets_json, int64_t reply_id, doge_buf *out);

/* Classifies each line of it->text: fills it->r (counts, specificity) and
 * it->bullets. */
int doge__review_item_classify(const doge_review_model *m, doge__review_item *it);

/* The first 16 hex digits of the SHA-256 of the workspace's model file. */
int doge__review_model_id(doge_workspace *ws, char out[17]);

/* Prepares the INSERT OR REPLACE of a review_reply row. */
int doge__review_row_prepare(doge_store *st, doge_stmt **ins);

/* Writes the row of a classified item (scored with score.c's rules at
 * time now); pending_copy_check adds to the note that the reply has not
 * been compared with the week for copy-paste yet. *vague and *priority
 * (may be NULL) receive what was stored. */
int doge__review_row_write(doge_stmt *ins, const char *week, const doge__review_item *it,
                           const char *model, int64_t now, int pending_copy_check, int *vague,
                           int *priority);

#endif
