/*
 * route_witness.c — POST /witness/add-checkpoint, the c2sp.org/tlog-witness
 * submission endpoint of a department node, on doge_witness_add_checkpoint()
 * (the same decision `doge witness cosign` makes): 200 with the
 * cosignature line(s), 400 malformed request, 403 no valid log signature,
 * 404 unknown log origin (or this node holds no witness key), 409 with the
 * last cosigned size as text/x.tlog.size when the old size does not match
 * or a same-size checkpoint has another root, 422 when the consistency
 * proof does not verify. The protocol has no authentication beyond the
 * log's signature, so the route is public (and rate limited).
 */
#include "server.h"

#include "doge/witness.h"

#include <stdio.h>
#include <time.h>

static int add_checkpoint(doge_srv *srv, doge_srv_req *req, doge_srv_resp *resp)
{
    doge_workspace *ws;
    if (doge__srv_ws_acquire(srv, &ws) != DOGE_OK)
        return doge__srv_error(resp, 500, "%s", doge_error_last());
    doge_signer *signer = NULL;
    doge_witness_logs *logs = NULL;
    doge_witness_result res = {0};
    int rc = doge_witness_signer_load(ws, NULL, &signer);
    if (rc == DOGE_ENOTFOUND) {
        doge__srv_error(resp, 404, "this node is not a witness (it holds no witness key)");
        goto out;
    }
    if (rc || doge_witness_logs_load(&logs, ws) != DOGE_OK) {
        doge__srv_error(resp, 500, "%s", doge_error_last());
        goto out;
    }
    size_t n;
    const doge_witness_log *l = doge_witness_logs_get(logs, &n);
    if (doge_witness_add_checkpoint(doge_workspace_store(ws), signer, l, n, req->body,
                                    req->body_len, (uint64_t)time(NULL), &res) != DOGE_OK) {
        doge__srv_error(resp, 500, "%s", doge_error_last());
        goto out;
    }
    if (res.status == 200) {
        doge__srv_text(resp, 200, "text/plain; charset=utf-8", res.cosignature,
                       res.cosignature_len);
    } else if (res.status == 409) {
        char size[32];
        int len = snprintf(size, sizeof size, "%lld\n", (long long)res.latest_size);
        doge__srv_text(resp, 409, "text/x.tlog.size", size, (size_t)len);
    } else {
        doge__srv_error(resp, res.status, "%s", doge_error_last());
    }
out:
    doge_witness_result_dispose(&res);
    doge_witness_logs_free(logs);
    doge_signer_free(signer);
    doge__srv_ws_release(srv, ws);
    return 0;
}

static const doge_srv_route routes[] = {
    {"POST", "/witness/add-checkpoint", DOGE_SRV_PUBLIC, add_checkpoint},
};

int doge__srv_routes_witness(doge_srv_router *r)
{
    return doge__srv_router_add(r, routes, sizeof routes / sizeof routes[0]);
}
