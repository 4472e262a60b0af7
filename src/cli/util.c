/*
 * util.c — helpers the subcommand files share: opening the workspace named by
 * -C / DOGE_HOME / the current folder, and printing JSON.
 */
#include "cli.h"
#include "doge.h"
#include "doge/workspace.h"

#include <jansson.h>
#include <stdio.h>

int doge_cli_open_workspace(const doge_cli *cli, doge_workspace **out)
{
    if (doge_workspace_open(out, doge_cli_workspace_dir(cli)) != DOGE_OK)
        return doge_cli_fail();
    return DOGE_EXIT_OK;
}

int doge_cli_print_json(json_t *v)
{
    json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(v);
    return DOGE_EXIT_OK;
}
