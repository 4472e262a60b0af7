/*
 * score.c — the rules that turn a reply's classified bullets into what a
 * reviewer reads: whether it is vague, how urgently a human should look
 * (the queue priority) and a note that can be read in five seconds. The
 * rules are deliberately few and printed in docs/review.md; they only rank
 * the queue, they never decide anything.
 */
#include "pipeline.h"

#include <stdio.h>
#include <string.h>

int doge__review_is_vague(const doge__review_reply *r)
{
    if (r->bullet_count == 0)
        return 1;
    /* Most bullets vague, or nothing but "unspecified". */
    if (2 * r->vague_bullets > r->bullet_count)
        return 1;
    return r->cat_count[DOGE_REVIEW_UNSPECIFIED] == r->bullet_count;
}

static int has_flag(const char *flags, const char *f)
{
    size_t n = strlen(f);
    for (const char *p = flags; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, f, n) == 0)
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

int doge__review_priority(const doge__review_reply *r)
{
    int p = 0;
    if (r->bullet_count == 0)
        p += 50;
    else if (doge__review_is_vague(r))
        p += 30;
    else if (r->specificity < DOGE__REVIEW_LOW_SPEC)
        p += 15;
    if (r->cluster_size >= 2)
        p += r->cluster_groups > 1 ? 30 : 20;
    if (has_flag(r->flags, "classification") || has_flag(r->flags, "ssn"))
        p += 40;
    else if (r->flags && *r->flags)
        p += 10;
    return p;
}

void doge__review_note(const doge__review_reply *r, char *out, size_t cap)
{
    size_t n = 0;
#define PUT(...)                                                                                   \
    do {                                                                                           \
        if (n < cap) {                                                                             \
            int k = snprintf(out + n, cap - n, __VA_ARGS__);                                       \
            n += k > 0 ? (size_t)k : 0;                                                            \
        }                                                                                          \
    } while (0)
    out[0] = '\0';
    if (r->bullet_count == 0) {
        PUT("no bullets");
    } else {
        /* The two most frequent categories. */
        int first = -1, second = -1;
        for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++) {
            if (!r->cat_count[c])
                continue;
            if (first < 0 || r->cat_count[c] > r->cat_count[first]) {
                second = first;
                first = c;
            } else if (second < 0 || r->cat_count[c] > r->cat_count[second]) {
                second = c;
            }
        }
        PUT("%d bullet%s: %s %d", r->bullet_count, r->bullet_count == 1 ? "" : "s",
            doge_review_category_name(first), r->cat_count[first]);
        if (second >= 0)
            PUT(", %s %d", doge_review_category_name(second), r->cat_count[second]);
        PUT("; specificity %.2f", r->specificity);
        if (doge__review_is_vague(r))
            PUT("; vague");
    }
    if (r->cluster_size >= 2)
        PUT("; copy-paste: same text as %lld other repl%s in %zu department%s",
            (long long)(r->cluster_size - 1), r->cluster_size == 2 ? "y" : "ies",
            r->cluster_groups, r->cluster_groups == 1 ? "" : "s");
    if (r->flags && *r->flags)
        PUT("; flags: %s", r->flags);
#undef PUT
    if (n >= cap && cap > 4)
        memcpy(out + cap - 4, "...", 4);
}
