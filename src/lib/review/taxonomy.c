/*
 * taxonomy.c — the review taxonomy's stable names: the snake_case name of
 * each doge_review_category (stored in the labelled set, the database and
 * JSON output) and the reverse lookup. docs/review.md defines each category
 * with its boundary rules and examples.
 */
#include "internal.h"
#include "review/review_internal.h"

#include <string.h>

static const char *const names[DOGE_REVIEW_NCATEGORIES] = {
    "mission_delivery",      "service_to_public", "oversight_compliance",
    "coordination_meetings", "administrative",    "it_operations",
    "training_development",  "leave_absence",     "unspecified",
};

const char *doge_review_category_name(int category)
{
    if (category < 0 || category >= DOGE_REVIEW_NCATEGORIES)
        return NULL;
    return names[category];
}

int doge_review_category_parse(const char *name, int *category)
{
    if (!name)
        return doge__error_set(DOGE_EINVAL, "no category name");
    for (int i = 0; i < DOGE_REVIEW_NCATEGORIES; i++) {
        if (strcmp(names[i], name) == 0) {
            *category = i;
            return DOGE_OK;
        }
    }
    return doge__error_set(DOGE_EINVAL, "unknown category '%s' (one of mission_delivery, "
                                        "service_to_public, oversight_compliance, "
                                        "coordination_meetings, administrative, it_operations, "
                                        "training_development, leave_absence, unspecified)",
                           name);
}
