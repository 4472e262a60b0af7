/*
 * pipeline.h — what the review pipeline's files share inside libdoge:
 * the per-reply scoring rules (vague, priority, the five-second note) and
 * small helpers. Never installed.
 */
#ifndef DOGE_REVIEW_PIPELINE_H
#define DOGE_REVIEW_PIPELINE_H

#include "doge/review.h"

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

#endif
