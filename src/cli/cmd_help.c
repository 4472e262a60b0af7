/*
 * cmd_help.c — `doge help [COMMAND]`: the full help of one command, or the
 * list of commands.
 */
#include "cli.h"

#include <stdio.h>

static int run(doge_cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc < 2) {
        printf("Usage: doge help COMMAND\n\nCommands:\n");
        for (size_t i = 0; doge_commands[i]; i++)
            printf("  %-10s %s\n", doge_commands[i]->name, doge_commands[i]->summary);
        return DOGE_EXIT_OK;
    }
    if (argc > 2)
        return doge_cli_usage_error(&doge_cmd_help, "takes one command name");
    const doge_cmd *cmd = doge_cli_find(argv[1]);
    if (!cmd)
        return doge_cli_usage_error(&doge_cmd_help, "unknown command '%s'", argv[1]);
    doge_cli_print_help(cmd, stdout);
    return DOGE_EXIT_OK;
}

const doge_cmd doge_cmd_help = {
    "help", "show the help of a command",
    "Usage: doge help [COMMAND]\n\nShows the full help of COMMAND, or lists the commands.\n",
    run,
};
