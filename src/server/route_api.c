/*
 * route_api.c — the JSON API of `doge serve` for campaigns and the ledger
 * (reads open, or token-protected with [serve] read_token = required):
 *   GET  /api/pulse/weeks                       the campaigns, newest first
 *   GET  /api/pulse/status?week=W[&department=D][&manager=ID]
 *        compliance per department and the total, the same numbers and
 *        shape as `doge pulse status --json` (doge_pulse_status)
 *   GET  /api/pulse/managers?week=W&department=D[&manager=ID]
 *        drill-down: the managers at the top of a department (or those
 *        reporting to ID), each with the figures of their whole subtree
 *   GET  /api/ledger/status                     size, root, the checkpoint and
 *        its signatures (log and witness cosignatures, checked against keys/)
 *   POST /api/ledger/cosign                     attach cosignature lines (a
 *        department's witness; token role department or admin)
 * Other pillars add their own route files (/api/review/..., /api/spend/...)
 * and register them in router.c.
 */
#include "server.h"

#include "doge/checkpoint.h"
#include "doge/keystore.h"
#include "doge/ledger.h"
#include "doge/note.h"
#include "doge/pulse.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *arg(const doge_srv_req *req, const char *key)
{
    return doge__srv_kv_get(req->args, req->nargs, key);
}

/* Fails the request with the library's error: 404 for what does not exist,
 * 400 for bad input, else 500. */
static int lib_error(doge_srv_resp *resp, int rc)
{
    int status = rc == DOGE_ENOTFOUND ? 404 : rc == DOGE_EINVAL || rc == DOGE_ERANGE ? 400 : 500;
    return doge__srv_error(resp, status, "%s", doge_error_last());
}

static json_t *counts_json(const doge_pulse_counts *c, const char *key)
{
    json_t *r = json_object();
    json_object_set_new(r, key, json_string(c->group));
    json_object_set_new(r, "expected", json_integer(c->expected));
    json_object_set_new(r, "replied", json_integer(c->replied));
    json_object_set_new(r, "on_time", json_integer(c->on_time));
    json_object_set_new(r, "late", json_integer(c->late));
    json_object_set_new(r, "auto_reply_only", json_integer(c->auto_reply_only));
    json_object_set_new(r, "bounced", json_integer(c->bounced));
    json_object_set_new(r, "not_replied", json_integer(c->not_replied));
    return r;
}

static int get_weeks(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    doge_workspace *ws;
    doge_stmt *s = NULL;
    int rc = doge__srv_ws_acquire(srv, &ws);
    if (rc == DOGE_OK)
        rc = doge_store_prepare(doge_workspace_store(ws), &s,
                                "SELECT c.week, c.deadline, c.opened_at,"
                                " (SELECT COUNT(*) FROM pulse_request r WHERE r.week = c.week)"
                                " FROM pulse_campaign c ORDER BY c.week DESC");
    json_t *arr = json_array();
    while (rc == DOGE_OK && (rc = doge_stmt_step(s)) == 1) {
        rc = DOGE_OK;
        json_t *o = json_object();
        json_object_set_new(o, "week", json_string(doge_stmt_text(s, 0)));
        json_object_set_new(o, "deadline", json_integer(doge_stmt_int64(s, 1)));
        json_object_set_new(o, "opened_at", json_integer(doge_stmt_int64(s, 2)));
        json_object_set_new(o, "requests", json_integer(doge_stmt_int64(s, 3)));
        json_array_append_new(arr, o);
    }
    doge_stmt_free(s);
    doge__srv_ws_release(srv, ws);
    if (rc < 0) {
        json_decref(arr);
        return lib_error(resp, rc);
    }
    json_t *o = json_object();
    json_object_set_new(o, "weeks", arr);
    return doge__srv_json(resp, 200, o);
}

static int get_status(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    const char *week = arg(req, "week");
    doge_pulse_filter f = {arg(req, "department"), arg(req, "manager")};
    if (!week)
        return doge__srv_error(resp, 400, "needs week=YYYY-Www");
    doge_workspace *ws;
    int rc = doge__srv_ws_acquire(srv, &ws);
    if (rc)
        return lib_error(resp, rc);
    doge_pulse_counts *rows = NULL;
    size_t n = 0;
    rc = doge_pulse_status(ws, week, &f, &rows, &n);
    doge__srv_ws_release(srv, ws);
    if (rc)
        return lib_error(resp, rc);
    /* The shape of `doge pulse status --json`. */
    json_t *o = json_object(), *arr = json_array();
    json_object_set_new(o, "week", json_string(week));
    if (f.department)
        json_object_set_new(o, "department", json_string(f.department));
    if (f.manager_id)
        json_object_set_new(o, "manager", json_string(f.manager_id));
    for (size_t i = 0; i < n; i++) {
        if (i + 1 == n)
            json_object_set_new(o, "total", counts_json(&rows[i], "total"));
        else
            json_array_append_new(arr, counts_json(&rows[i], "department"));
    }
    json_object_set_new(o, "departments", arr);
    free(rows);
    return doge__srv_json(resp, 200, o);
}

/* The managers one level down: reporting to manager (or, without one, the
 * department's top: managers in it whose own manager is not). */
#define MAX_MANAGERS 200

static int get_managers(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    const char *week = arg(req, "week"), *dept = arg(req, "department"),
               *mgr = arg(req, "manager");
    if (!week || (!dept && !mgr))
        return doge__srv_error(resp, 400, "needs week=W and department=D (or manager=ID)");
    doge_workspace *ws;
    int rc = doge__srv_ws_acquire(srv, &ws);
    if (rc)
        return lib_error(resp, rc);
    doge_stmt *s = NULL;
    rc = doge_store_prepare(
        doge_workspace_store(ws), &s,
        "SELECT e.employee_id, e.name, e.department,"
        " (SELECT COUNT(*) FROM roster d WHERE d.manager_id = e.employee_id AND d.active = 1)"
        " FROM roster e WHERE e.active = 1"
        " AND EXISTS (SELECT 1 FROM roster r WHERE r.manager_id = e.employee_id AND r.active = 1)"
        " AND (?2 IS NULL OR e.department = ?2)"
        " AND (CASE WHEN ?1 IS NOT NULL THEN e.manager_id = ?1"
        "  ELSE (e.manager_id IS NULL OR NOT EXISTS (SELECT 1 FROM roster m WHERE"
        "   m.employee_id = e.manager_id AND m.department = e.department)) END)"
        " ORDER BY e.employee_id");
    typedef struct {
        char id[128], name[256], dept[256];
        int64_t reports;
    } mrow;
    mrow *m = calloc(MAX_MANAGERS, sizeof *m);
    size_t nm = 0;
    if (!m && rc == DOGE_OK)
        rc = DOGE_ENOMEM;
    if (rc == DOGE_OK) {
        doge_stmt_bind_text(s, 1, mgr, -1);
        doge_stmt_bind_text(s, 2, mgr ? NULL : dept, -1);
        while ((rc = doge_stmt_step(s)) == 1 && nm < MAX_MANAGERS) {
            snprintf(m[nm].id, sizeof m[nm].id, "%s", doge_stmt_text(s, 0));
            snprintf(m[nm].name, sizeof m[nm].name, "%s", doge_stmt_text(s, 1));
            snprintf(m[nm].dept, sizeof m[nm].dept, "%s", doge_stmt_text(s, 2));
            m[nm].reports = doge_stmt_int64(s, 3);
            nm++;
        }
    }
    doge_stmt_free(s);
    json_t *arr = json_array();
    for (size_t i = 0; rc >= 0 && i < nm; i++) {
        doge_pulse_filter f = {NULL, m[i].id};
        doge_pulse_counts *rows;
        size_t n;
        if ((rc = doge_pulse_status(ws, week, &f, &rows, &n)))
            break;
        json_t *o = counts_json(&rows[n - 1], "manager");
        json_object_set_new(o, "manager", json_string(m[i].id));
        json_object_set_new(o, "name", json_string(m[i].name));
        json_object_set_new(o, "department", json_string(m[i].dept));
        json_object_set_new(o, "direct_reports", json_integer(m[i].reports));
        json_array_append_new(arr, o);
        free(rows);
    }
    free(m);
    doge__srv_ws_release(srv, ws);
    if (rc < 0) {
        json_decref(arr);
        return lib_error(resp, rc);
    }
    json_t *o = json_object();
    json_object_set_new(o, "week", json_string(week));
    if (dept)
        json_object_set_new(o, "department", json_string(dept));
    if (mgr)
        json_object_set_new(o, "manager", json_string(mgr));
    json_object_set_new(o, "managers", arr);
    json_object_set_new(o, "truncated", json_boolean(nm == MAX_MANAGERS));
    return doge__srv_json(resp, 200, o);
}

/* The verifier keys of keys/. */
static int all_keys(doge_workspace *ws, doge_verifier ***out, size_t *n)
{
    doge_key_info *keys;
    size_t nk;
    *out = NULL;
    *n = 0;
    int rc = doge_keystore_list(ws, &keys, &nk);
    if (rc)
        return rc;
    doge_verifier **v = calloc(nk ? nk : 1, sizeof *v);
    for (size_t i = 0; v && i < nk; i++)
        if (doge_verifier_parse(&v[*n], keys[i].vkey) == DOGE_OK)
            (*n)++;
    doge_keystore_list_free(keys, nk);
    *out = v;
    return v ? DOGE_OK : DOGE_ENOMEM;
}

static json_t *signatures_json(const char *cp, size_t len, doge_verifier **keys, size_t nkeys)
{
    json_t *arr = json_array();
    doge_note *note;
    if (doge_note_parse(&note, cp, len) != DOGE_OK)
        return arr;
    size_t blen;
    const char *body = doge_note_text(note, &blen);
    for (size_t i = 0; i < doge_note_sig_count(note); i++) {
        const doge_note_sig *sg = doge_note_sig_at(note, i);
        json_t *o = json_object();
        char kh[9], line[1024];
        snprintf(kh, sizeof kh, "%08x", sg->key_hash);
        json_object_set_new(o, "name", json_string(sg->name));
        json_object_set_new(o, "key_id", json_string(kh));
        const char *kind = "unknown";
        int verified = 0;
        uint64_t ts = 0;
        int ll = snprintf(line, sizeof line, "\xe2\x80\x94 %s %s\n", sg->name, sg->base64);
        for (size_t k = 0; k < nkeys && !verified; k++) {
            if (doge_verifier_key_hash(keys[k]) != sg->key_hash ||
                strcmp(doge_verifier_name(keys[k]), sg->name) != 0)
                continue;
            if (doge_verifier_type(keys[k]) == DOGE_KEY_COSIGNATURE_V1) {
                kind = "witness";
                verified = ll > 0 && (size_t)ll < sizeof line &&
                           doge_cosignature_verify(keys[k], body, blen, line, (size_t)ll, &ts) ==
                               DOGE_OK;
            } else {
                kind = "log";
                doge_note *one;
                if (doge_note_parse(&one, cp, len) == DOGE_OK) {
                    const doge_verifier *kv = keys[k];
                    verified = doge_note_verify(one, &kv, 1) == DOGE_OK;
                    doge_note_free(one);
                }
            }
        }
        json_object_set_new(o, "kind", json_string(kind));
        json_object_set_new(o, "verified", json_boolean(verified));
        if (ts)
            json_object_set_new(o, "timestamp", json_integer((json_int_t)ts));
        json_array_append_new(arr, o);
    }
    doge_note_free(note);
    return arr;
}

static int get_ledger_status(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    doge_workspace *ws;
    int rc = doge__srv_ws_acquire(srv, &ws);
    if (rc)
        return lib_error(resp, rc);
    doge_ledger *l = NULL;
    json_t *o = json_object();
    if (doge_ledger_open_workspace(&l, ws, 0) != DOGE_OK) {
        json_object_set_new(o, "initialized", json_false());
        json_object_set_new(o, "size", json_integer(0));
        doge__srv_ws_release(srv, ws);
        return doge__srv_json(resp, 200, o);
    }
    char *cp = NULL, hex[65];
    size_t len = 0, nkeys = 0;
    doge_verifier **keys = NULL;
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", doge_ledger_root(l)[i]);
    rc = doge_ledger_checkpoint(l, &cp, &len);
    if (rc == DOGE_OK)
        rc = all_keys(ws, &keys, &nkeys);
    if (rc == DOGE_OK) {
        json_t *sigs = signatures_json(cp, len, keys, nkeys);
        size_t i, witnesses = 0;
        json_t *v;
        json_array_foreach(sigs, i, v) witnesses +=
            strcmp(json_string_value(json_object_get(v, "kind")), "witness") == 0 &&
            json_is_true(json_object_get(v, "verified"));
        json_object_set_new(o, "initialized", json_true());
        json_object_set_new(o, "origin", json_string(doge_ledger_origin(l)));
        json_object_set_new(o, "size", json_integer(doge_ledger_size(l)));
        json_object_set_new(o, "root_hex", json_string(hex));
        json_object_set_new(o, "checkpoint", json_stringn(cp, len));
        json_object_set_new(o, "signatures", sigs);
        json_object_set_new(o, "witness_cosignatures", json_integer((json_int_t)witnesses));
    }
    for (size_t i = 0; i < nkeys; i++)
        doge_verifier_free(keys[i]);
    free(keys);
    free(cp);
    doge_ledger_free(l);
    doge__srv_ws_release(srv, ws);
    if (rc) {
        json_decref(o);
        return lib_error(resp, rc);
    }
    return doge__srv_json(resp, 200, o);
}

static int post_cosign(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    if (req->body_len == 0)
        return doge__srv_error(resp, 400, "the body must hold cosignature lines");
    doge_workspace *ws;
    int rc = doge__srv_ws_acquire(srv, &ws);
    if (rc)
        return lib_error(resp, rc);
    doge_verifier **keys = NULL, **wk = NULL;
    size_t nkeys = 0, nw = 0, added = 0;
    doge_ledger *l = NULL;
    pthread_mutex_lock(&srv->write_mu);
    if ((rc = all_keys(ws, &keys, &nkeys)) == DOGE_OK && !(wk = calloc(nkeys + 1, sizeof *wk)))
        rc = DOGE_ENOMEM;
    for (size_t i = 0; rc == DOGE_OK && i < nkeys; i++)
        if (doge_verifier_type(keys[i]) == DOGE_KEY_COSIGNATURE_V1)
            wk[nw++] = keys[i];
    if (rc == DOGE_OK && (rc = doge_ledger_open_workspace(&l, ws, 1)) == DOGE_OK)
        rc = doge_ledger_cosign_add(l, req->body, req->body_len,
                                    (const doge_verifier *const *)wk, nw, &added);
    int64_t size = l ? doge_ledger_size(l) : 0;
    doge_ledger_free(l);
    pthread_mutex_unlock(&srv->write_mu);
    for (size_t i = 0; i < nkeys; i++)
        doge_verifier_free(keys[i]);
    free(keys);
    free(wk);
    doge__srv_ws_release(srv, ws);
    if (rc == DOGE_EVERIFY)
        return doge__srv_error(resp, 422, "%s", doge_error_last());
    if (rc)
        return lib_error(resp, rc);
    json_t *o = json_object();
    json_object_set_new(o, "added", json_integer((json_int_t)added));
    json_object_set_new(o, "size", json_integer(size));
    return doge__srv_json(resp, 200, o);
}

static const doge_srv_route routes[] = {
    {"GET", "/api/pulse/weeks", DOGE_SRV_READ, get_weeks},
    {"GET", "/api/pulse/status", DOGE_SRV_READ, get_status},
    {"GET", "/api/pulse/managers", DOGE_SRV_READ, get_managers},
    {"GET", "/api/ledger/status", DOGE_SRV_READ, get_ledger_status},
    {"POST", "/api/ledger/cosign", DOGE_SRV_ROLE_DEPARTMENT | DOGE_SRV_ROLE_ADMIN, post_cosign},
};

int doge__srv_routes_api(doge_srv_router *r)
{
    return doge__srv_router_add(r, routes, sizeof routes / sizeof routes[0]);
}
