/*
 * route_spend.c — the spend pillar over HTTP, from the latest results the
 * spend commands keep in the workspace (reports/spend-audit.json from
 * `doge spend audit`, reports/spend-receipts.json from `doge spend receipts
 * verify`; the same JSON as their --json output; every finding and
 * verification is also in the ledger):
 *   GET /api/spend/findings[?rule=R][&agency=CODE][&limit=N][&offset=N]
 *       the audit's totals, per-rule and per-agency figures, and its
 *       findings (filtered by rule name and agency code, paged: limit 1 to
 *       1000, default 100)
 *   GET /api/spend/receipts[?status=S][&agency=NAME][&limit=N][&offset=N]
 *       the receipts check's totals, agencies and verifications (filtered
 *       by status and agency name, paged the same way)
 * Both add "generated_at" (the report file's time), "matching" (items
 * after the filters) and the page. 404 while no such run exists in the
 * workspace. Reads are open unless [serve] read_token = required.
 */
#include "server.h"

#include "doge/date.h"
#include "doge/spend.h"

#include <jansson.h>
#include <string.h>

#define PAGE_DEFAULT 100
#define PAGE_MAX 1000

static const char *arg(const doge_srv_req *req, const char *key)
{
    return doge__srv_kv_get(req->args, req->nargs, key);
}

/* A decimal count in [lo, hi], or -1. */
static long long count_arg(const char *s, long long lo, long long hi)
{
    if (!s || !*s || strlen(s) > 9)
        return -1;
    long long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v >= lo && v <= hi ? v : -1;
}

/* 1 when name is one of the names fn gives for 1, 2, ... (until NULL). */
static int known(const char *name, const char *(*fn)(int))
{
    for (int i = 1; fn(i); i++)
        if (strcmp(fn(i), name) == 0)
            return 1;
    return 0;
}

typedef struct page_req {
    const char *report;       /* reports/ file name */
    const char *missing;      /* the 404 message */
    const char *items;        /* the array to filter */
    const char *filter_key[2];/* item fields filtered by ... */
    const char *filter_arg[2];/* ... these query arguments */
} page_req;

static int item_matches(const json_t *it, const page_req *p, const char *want[2])
{
    for (int k = 0; k < 2; k++) {
        if (!want[k])
            continue;
        const char *v = json_string_value(json_object_get(it, p->filter_key[k]));
        if (!v || strcmp(v, want[k]) != 0)
            return 0;
    }
    return 1;
}

static int serve_page(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp, const page_req *p)
{
    const char *lim = arg(req, "limit"), *off = arg(req, "offset");
    long long limit = lim ? count_arg(lim, 1, PAGE_MAX) : PAGE_DEFAULT;
    long long offset = off ? count_arg(off, 0, 1000000000) : 0;
    if (limit < 0)
        return doge__srv_error(resp, 400, "limit must be 1 to %d", PAGE_MAX);
    if (offset < 0)
        return doge__srv_error(resp, 400, "offset must be a count");
    const char *want[2] = {arg(req, p->filter_arg[0]), arg(req, p->filter_arg[1])};
    json_t *rep;
    int64_t mtime = 0;
    int rc = doge__srv_report_get(srv, p->report, &rep, &mtime);
    if (rc == DOGE_ENOTFOUND)
        return doge__srv_error(resp, 404, "%s", p->missing);
    if (rc)
        return doge__srv_error(resp, 500, "%s", doge_error_last());
    /* A new object that shares the report's (read-only) parts. */
    json_t *o = json_object(), *page = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(rep, key, v) {
        if (strcmp(key, p->items) != 0)
            json_object_set(o, key, v);
    }
    size_t i, matching = 0;
    json_array_foreach(json_object_get(rep, p->items), i, v) {
        if (!item_matches(v, p, want))
            continue;
        if ((long long)matching >= offset && (long long)matching < offset + limit)
            json_array_append(page, v);
        matching++;
    }
    char at[40];
    doge_date_timestamp_format(mtime, at, sizeof at);
    json_object_set_new(o, "generated_at", json_string(at));
    for (int k = 0; k < 2; k++)
        if (want[k])
            json_object_set_new(o, p->filter_arg[k], json_string(want[k]));
    json_object_set_new(o, "matching", json_integer((json_int_t)matching));
    json_object_set_new(o, "offset", json_integer(offset));
    json_object_set_new(o, "limit", json_integer(limit));
    json_object_set_new(o, p->items, page);
    rc = doge__srv_json(resp, 200, o);
    json_decref(rep);
    return rc;
}

static int get_findings(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    const char *rule = arg(req, "rule");
    if (rule && !known(rule, doge_spend_rule_name))
        return doge__srv_error(resp, 400, "unknown rule '%s' (over_potential, after_end, "
                                          "duplicate, split, excluded, benford, noncompeted)",
                               rule);
    static const page_req p = {
        "spend-audit.json",
        "no spend audit in this workspace yet (doge spend audit FILE...)",
        "findings",
        {"rule", "agency_code"},
        {"rule", "agency"},
    };
    return serve_page(srv, req, resp, &p);
}

static int get_receipts(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    const char *status = arg(req, "status");
    if (status && !known(status, doge_spend_status_name))
        return doge__srv_error(resp, 400, "unknown status '%s'", status);
    static const page_req p = {
        "spend-receipts.json",
        "no receipts check in this workspace yet (doge spend receipts verify RECEIPTS --awards "
        "FILE...)",
        "verifications",
        {"status", "agency"},
        {"status", "agency"},
    };
    return serve_page(srv, req, resp, &p);
}

static const doge_srv_route routes[] = {
    {"GET", "/api/spend/findings", DOGE_SRV_READ, get_findings},
    {"GET", "/api/spend/receipts", DOGE_SRV_READ, get_receipts},
};

int doge__srv_routes_spend(doge_srv_router *r)
{
    return doge__srv_router_add(r, routes, sizeof routes / sizeof routes[0]);
}
