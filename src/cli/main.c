/*
 * main.c — the doge program's entry point: parses the global options (-C DIR,
 * --json, --quiet, --help, --version) wherever they appear before a "--",
 * dispatches to the subcommand named first, and maps errors to exit codes
 * (0 ok, 1 input error, 2 usage).
 */
#include "cli.h"
#include "doge.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const doge_cmd *const doge_commands[] = {


    &doge_cmd_init,
    &doge_cmd_status,
    &doge_cmd_ledger,
    &doge_cmd_witness,
    &doge_cmd_pulse,
    &doge_cmd_id,
    &doge_cmd_roster,
    &doge_cmd_synth,
    &doge_cmd_serve,
    &doge_cmd_token,
    &doge_cmd_review,
    &doge_cmd_help,
    NULL,
};

const doge_cmd *doge_cli_find(const char *name)
{
    for (size_t i = 0; doge_commands[i]; i++)
        if (strcmp(doge_commands[i]->name, name) == 0)
            return doge_commands[i];
    return NULL;
}

int doge_cli_usage_error(const doge_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "doge%s%s: ", cmd ? " " : "", cmd ? cmd->name : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'doge %s%s--help'.\n", cmd ? cmd->name : "", cmd ? " " : "");
    return DOGE_EXIT_USAGE;
}

int doge_cli_fail(void)
{
    fprintf(stderr, "doge: %s\n", doge_error_last());
    return DOGE_EXIT_INPUT;
}

int doge_cli_failf(const char *fmt, ...)
{
    va_list ap;
    fputs("doge: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return DOGE_EXIT_INPUT;
}

void doge_cli_print_help(const doge_cmd *cmd, FILE *f)
{
    fputs(cmd->help, f);
    fputs("\nGlobal options: -C DIR (workspace), --json, --quiet.\n", f);
}

const char *doge_cli_workspace_dir(const doge_cli *cli)
{
    if (cli->dir)
        return cli->dir;
    const char *home = getenv("DOGE_HOME");
    if (home && *home)
        return home;
    return ".";
}

int doge_cli_wants_help(const doge_cmd *cmd, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            doge_cli_print_help(cmd, stdout);
            return 1;
        }
    }
    return 0;
}

static void print_main_help(FILE *f)
{
    fputs("doge — an open, auditable government-efficiency engine\n\n"
          "Usage: doge [-C DIR] [--json] [--quiet] COMMAND [ARGS...]\n\n"
          "Commands:\n", f);
    for (size_t i = 0; doge_commands[i]; i++)
        fprintf(f, "  %-10s %s\n", doge_commands[i]->name, doge_commands[i]->summary);
    fputs("\nGlobal options:\n"
          "  -C DIR      use the workspace in DIR (else $DOGE_HOME, else the current folder)\n"
          "  --json      machine-readable output\n"
          "  --quiet     no progress or chatter on stderr\n"
          "  --help      this help; 'doge help COMMAND' or 'doge COMMAND --help' for one command\n"
          "  --version   print the version\n", f);
}

int main(int argc, char **argv)
{
    doge_cli cli = {0};
    /* Strip global options from anywhere before "--"; keep the rest in order. */
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args) {
        fputs("doge: out of memory\n", stderr);
        return DOGE_EXIT_INPUT;
    }
    int n = 0, passthrough = 0, want_help = 0, want_version = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (passthrough) {
            args[n++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            passthrough = 1;
            args[n++] = argv[i];
        } else if (strcmp(a, "--json") == 0) {
            cli.json = 1;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            cli.quiet = 1;
        } else if (strcmp(a, "-C") == 0) {
            if (i + 1 >= argc) {
                free(args);
                return doge_cli_usage_error(NULL, "option -C needs a folder");
            }
            cli.dir = argv[++i];
        } else if (strncmp(a, "-C", 2) == 0 && n == 0) {
            cli.dir = a + 2;
        } else if (n == 0 && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
            want_help = 1;
        } else if (n == 0 && (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0)) {
            want_version = 1;
        } else if (n == 0 && a[0] == '-' && a[1] != '\0') {
            free(args);
            return doge_cli_usage_error(NULL, "unknown option '%s'", a);
        } else {
            args[n++] = argv[i];
        }
    }
    int rc;
    if (want_version) {
        if (cli.json)
            printf("{\"version\": \"%s\"}\n", doge_version());
        else
            printf("doge %s\n", doge_version());
        rc = DOGE_EXIT_OK;
    } else if (want_help || n == 0) {
        print_main_help(n == 0 && !want_help ? stderr : stdout);
        rc = want_help ? DOGE_EXIT_OK : DOGE_EXIT_USAGE;
    } else {
        const doge_cmd *cmd = doge_cli_find(args[0]);
        if (!cmd) {
            rc = doge_cli_usage_error(NULL, "unknown command '%s'", args[0]);
        } else if (doge_cli_wants_help(cmd, n, args)) {
            rc = DOGE_EXIT_OK;
        } else {
            rc = cmd->run(&cli, n, args);
        }
    }
    free(args);
    return rc;
}
