/*
 * util.c — helpers the subcommand files share: opening the workspace named by
 * -C / DOGE_HOME / the current folder, and printing JSON.
 */
#include "cli.h"
#include "doge.h"
#include "doge/workspace.h"

#include <jansson.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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

int doge_cli_read_input(const char *path, size_t max, char **out, size_t *len)
{
    if (strcmp(path, "-") != 0)
        return doge__file_read(path, max, out, len);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        return doge__error_oom();
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                free(buf);
                return doge__error_set(DOGE_ELIMIT, "standard input: larger than %zu bytes", max);
            }
            size_t nc = cap * 2 > max ? max : cap * 2;
            char *nb = realloc(buf, nc + 1);
            if (!nb) {
                free(buf);
                return doge__error_oom();
            }
            buf = nb;
            cap = nc;
        }
        size_t r = fread(buf + n, 1, cap - n, stdin);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(stdin)) {
        free(buf);
        return doge__error_set(DOGE_EIO, "standard input: read error");
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return DOGE_OK;
}

int doge_cli_parse_index(const doge_cmd *cmd, const char *what, const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v < 0 || s[0] == '-' || s[0] == '+')
        return doge_cli_usage_error(cmd, "%s '%s' is not a non-negative whole number", what, s);
    *out = v;
    return DOGE_EXIT_OK;
}

int doge__cli_error(const char *msg) { return doge__error_set(DOGE_EINVAL, "%s", msg); }
