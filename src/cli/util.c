/*
 * util.c — helpers the subcommand files share: opening the workspace named by
 * -C / DOGE_HOME / the current folder, printing JSON, and reading a whole
 * input file or standard input ("-") with a size cap.
 */
#include "cli.h"
#include "doge.h"
#include "doge/workspace.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include <sys/stat.h>

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

const char *doge_cli_input_label(const char *path)
{
    return strcmp(path, "-") == 0 ? "standard input" : path;
}

int doge_cli_read_input(const char *path, size_t max, char **out, size_t *len)
{
    const char *label = doge_cli_input_label(path);
    int is_stdin = strcmp(path, "-") == 0;
    *out = NULL;
    *len = 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return doge_cli_failf("%s: %s", label, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        if (!is_stdin)
            fclose(f);
        return doge_cli_failf("%s: is a folder, not a file", label);
    }
    size_t cap = max < 65536 ? max : 65536, n = 0;
    char *buf = malloc(cap + 1);
    int rc = DOGE_EXIT_OK;
    if (!buf) {
        rc = doge_cli_failf("out of memory reading %s", label);
        goto done;
    }
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                if (fgetc(f) == EOF)
                    break;
                rc = doge_cli_failf("%s: larger than %zu bytes", label, max);
                goto done;
            }
            size_t ncap = cap > max / 2 ? max : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                rc = doge_cli_failf("out of memory reading %s", label);
                goto done;
            }
            buf = nb;
            cap = ncap;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        rc = doge_cli_failf("%s: read error", label);
        goto done;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
done:
    free(buf);
    if (!is_stdin)
        fclose(f);
    return rc;
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
