/*
 * cmd_status.c — `doge status`: what the workspace holds (store and schema,
 * ledger size and origin, keys, outbox, reports), as text or --json.
 */
#include "cli.h"
#include "doge.h"
#include "doge/workspace.h"

#include <jansson.h>
#include <stdio.h>

static int run(doge_cli *cli, int argc, char **argv)
{
    if (argc > 1)
        return doge_cli_usage_error(&doge_cmd_status, "unexpected argument '%s'", argv[1]);
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_workspace_status st;
    if (doge_workspace_stat(ws, &st) != DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "workspace", json_string(st.dir));
        json_object_set_new(o, "version", json_string(doge_version()));
        json_t *store = json_object();
        json_object_set_new(store, "backend", json_string(st.backend));
        json_object_set_new(store, "schema_version", json_integer(st.schema_version));
        json_object_set_new(store, "schema_latest", json_integer(st.schema_latest));
        json_object_set_new(o, "store", store);
        json_t *ledger = json_object();
        json_object_set_new(ledger, "initialized", json_boolean(st.ledger_initialized));
        json_object_set_new(ledger, "origin",
                            st.ledger_initialized ? json_string(st.ledger_origin) : json_null());
        json_object_set_new(ledger, "size", json_integer(st.ledger_size));
        json_object_set_new(o, "ledger", ledger);
        json_object_set_new(o, "keys", json_integer(st.keys));
        json_object_set_new(o, "outbox_messages", json_integer(st.outbox_messages));
        json_object_set_new(o, "reports", json_integer(st.reports));
        doge_workspace_free(ws);
        return doge_cli_print_json(o);
    }
    printf("workspace  %s\n", st.dir);
    printf("store      %s, schema %d of %d\n", st.backend, st.schema_version, st.schema_latest);
    if (st.ledger_initialized)
        printf("ledger     %s, %lld entries\n", st.ledger_origin, (long long)st.ledger_size);
    else
        printf("ledger     not initialized (doge ledger init --key NAME)\n");
    printf("keys       %lld\n", (long long)st.keys);
    printf("outbox     %lld messages\n", (long long)st.outbox_messages);
    printf("reports    %lld files\n", (long long)st.reports);
    doge_workspace_free(ws);
    return DOGE_EXIT_OK;
}

const doge_cmd doge_cmd_status = {
    "status", "show what the workspace holds",
    "Usage: doge status\n\n"
    "Shows the workspace folder, the store backend and schema version, the\n"
    "ledger's origin and size, and how many keys, outbox messages and reports it\n"
    "holds. With --json, one JSON object.\n",
    run,
};
