/*
 * cmd_init.c — `doge init [DIR]`: creates a workspace (doge.conf, doge.db,
 * ledger/, keys/, outbox/, reports/) in DIR, else in -C DIR / DOGE_HOME / the
 * current folder.
 */
#include "cli.h"
#include "doge.h"
#include "doge/workspace.h"

#include <jansson.h>
#include <stdio.h>

static int run(doge_cli *cli, int argc, char **argv)
{
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return doge_cli_usage_error(&doge_cmd_init, "unknown option '%s'", argv[i]);
        if (dir)
            return doge_cli_usage_error(&doge_cmd_init, "takes one folder, got '%s' too", argv[i]);
        dir = argv[i];
    }
    if (!dir)
        dir = doge_cli_workspace_dir(cli);
    if (doge_workspace_init(dir) != DOGE_OK)
        return doge_cli_fail();
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "workspace", json_string(dir));
        json_object_set_new(o, "created", json_true());
        return doge_cli_print_json(o);
    }
    if (!cli->quiet)
        printf("Initialized doge workspace in %s\n", dir);
    return DOGE_EXIT_OK;
}

const doge_cmd doge_cmd_init = {
    "init", "create a workspace folder",
    "Usage: doge init [DIR]\n\n"
    "Creates a doge workspace in DIR (default: -C DIR, $DOGE_HOME, or the current\n"
    "folder): doge.conf (settings), doge.db (SQLite store, WAL), ledger/ (the\n"
    "transparency log's tiles), keys/, outbox/ (a Maildir) and reports/.\n"
    "Fails when DIR already is a workspace.\n",
    run,
};
