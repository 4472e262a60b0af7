/*
 * item_json.c — a queue item as JSON, the one shape shared by
 * `doge --json review queue` and doge serve's GET /api/review/queue, so the
 * two always agree.
 */
#include "internal.h"
#include "doge/review.h"

#include <jansson.h>

json_t *doge_review_item_json(const doge_review_item *it)
{
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:f, s:b, s:s, s:s}", "reply",
                          (json_int_t)it->reply_id, "week", it->week, "employee_id",
                          it->employee_id, "department", it->department, "state", it->state,
                          "priority", it->priority, "bullets", it->bullet_count, "specificity",
                          it->specificity, "vague", it->vague, "flags", it->flags, "note",
                          it->note);
    if (j && it->cluster_size)
        json_object_set_new(j, "cluster_size", json_integer(it->cluster_size));
    if (j && it->duplicate_of)
        json_object_set_new(j, "duplicate_of", json_integer(it->duplicate_of));
    return j;
}
