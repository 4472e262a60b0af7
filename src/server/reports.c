/*
 * reports.c — the JSON reports other commands leave in the workspace's
 * reports/ folder for `doge serve` (the latest `doge spend audit` and
 * `doge spend receipts verify` results), parsed once and kept while the
 * file is unchanged: each use stats the file and parses it again only when
 * its stamp (inode, size, mtime) moved, so a new run shows at once and a
 * large report is not parsed per request. The parsed value is shared
 * read-only between requests (jansson's reference counts are atomic);
 * handlers take a reference and never modify it.
 */
#include "server.h"

#include "doge/common.h"
#include "internal.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SLOTS 4

typedef struct slot {
    char name[64];
    doge_srv_filestamp stamp;
    json_t *value;
} slot;

struct doge_srv_reports {
    pthread_mutex_t mu;
    slot slots[SLOTS];
};

int doge__srv_reports_new(doge_srv_reports **out)
{
    doge_srv_reports *r = calloc(1, sizeof *r);
    if (!r)
        return doge__error_oom();
    pthread_mutex_init(&r->mu, NULL);
    *out = r;
    return DOGE_OK;
}

void doge__srv_reports_free(doge_srv_reports *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < SLOTS; i++)
        json_decref(r->slots[i].value);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

int doge__srv_report_get(doge_srv *srv, const char *name, json_t **out, int64_t *mtime)
{
    doge_srv_reports *r = srv->reports;
    char path[PATH_MAX];
    *out = NULL;
    if (snprintf(path, sizeof path, "%s/reports/%s", srv->dir, name) >= (int)sizeof path ||
        strlen(name) >= sizeof r->slots[0].name)
        return doge__error_set(DOGE_EINVAL, "report name too long");
    struct stat sb;
    if (stat(path, &sb) != 0)
        return doge__error_set(errno == ENOENT ? DOGE_ENOTFOUND : DOGE_EIO, "reports/%s: %s",
                               name, strerror(errno));
    doge_srv_filestamp st;
    doge__srv_filestamp_of(&sb, &st);
    if (mtime)
        *mtime = st.mtime_s;
    pthread_mutex_lock(&r->mu);
    slot *s = NULL;
    for (size_t i = 0; i < SLOTS && !s; i++)
        if (strcmp(r->slots[i].name, name) == 0 || !r->slots[i].name[0])
            s = &r->slots[i];
    int rc = DOGE_OK;
    if (!s) {
        rc = doge__error_set(DOGE_ELIMIT, "too many report kinds");
    } else if (s->value && memcmp(&s->stamp, &st, sizeof st) == 0) {
        *out = json_incref(s->value);
    } else {
        json_error_t err;
        json_t *v = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
        if (!json_is_object(v)) {
            json_decref(v);
            rc = doge__error_set(DOGE_EINVAL, "reports/%s: not a JSON object (%s, line %d)",
                                 name, err.text, err.line);
        } else {
            json_decref(s->value);
            snprintf(s->name, sizeof s->name, "%s", name);
            s->value = v;
            s->stamp = st;
            *out = json_incref(v);
        }
    }
    pthread_mutex_unlock(&r->mu);
    return rc;
}
