/*
 * cmd_token.c — `doge token`: bearer tokens for doge serve's API. new
 * prints a token once (only its SHA-256 is kept), list shows them without
 * secrets, revoke ends one.
 */
#include "cli.h"
#include "doge.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "Usage: doge token SUBCOMMAND [ARGS]\n\n"
    "Bearer tokens for the API of 'doge serve' (Authorization: Bearer TOKEN).\n\n"
    "  new --role admin|reviewer|department [--name NAME]\n"
    "                       make a token and print it once: only its SHA-256 is stored\n"
    "  list                 every token: id, role, name, hash prefix, created, revoked\n"
    "  revoke ID            revoke token ID\n\n"
    "Every write call of the API needs a token whose role the call allows; reads need\n"
    "one when doge.conf sets [serve] read_token = required.\n";

static int cmd_new(doge_cli *cli, int argc, char **argv)
{
    const char *role_s = NULL, *name = "";
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
            role_s = argv[++i];
        else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
            name = argv[++i];
        else
            return doge_cli_usage_error(&doge_cmd_token, "new: unexpected '%s'", argv[i]);
    }
    int role;
    if (!role_s)
        return doge_cli_usage_error(&doge_cmd_token, "new needs --role admin|reviewer|department");
    if (doge_token_role_parse(role_s, &role) != DOGE_OK)
        return doge_cli_usage_error(&doge_cmd_token, "%s", doge_error_last());
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    char tok[DOGE_TOKEN_LEN + 1];
    int64_t id;
    if (doge_token_new(doge_workspace_store(ws), role, name, tok, &id) != DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(id));
        json_object_set_new(o, "role", json_string(role_s));
        json_object_set_new(o, "name", json_string(name));
        json_object_set_new(o, "token", json_string(tok));
        doge_cli_print_json(o);
    } else {
        printf("%s\n", tok);
        if (!cli->quiet)
            fprintf(stderr, "token %lld (%s%s%s): shown once, only its SHA-256 is stored\n",
                    (long long)id, role_s, *name ? ", " : "", name);
    }
    memset(tok, 0, sizeof tok);
    doge_workspace_free(ws);
    return DOGE_EXIT_OK;
}

static void fmt_time(int64_t t, char *out, size_t cap)
{
    if (!t) {
        snprintf(out, cap, "-");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int cmd_list(doge_cli *cli, int argc, char **argv)
{
    if (argc > 2)
        return doge_cli_usage_error(&doge_cmd_token, "list: unexpected '%s'", argv[2]);
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_token_info *t;
    size_t n;
    if (doge_token_list(doge_workspace_store(ws), &t, &n) != DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    json_t *arr = cli->json ? json_array() : NULL;
    if (!cli->json && n == 0)
        printf("no tokens (doge token new --role ROLE)\n");
    for (size_t i = 0; i < n; i++) {
        char created[32], revoked[32];
        fmt_time(t[i].created_at, created, sizeof created);
        fmt_time(t[i].revoked_at, revoked, sizeof revoked);
        if (arr) {
            json_t *o = json_object();
            json_object_set_new(o, "id", json_integer(t[i].id));
            json_object_set_new(o, "role", json_string(doge_token_role_name(t[i].role)));
            json_object_set_new(o, "name", json_string(t[i].name));
            json_object_set_new(o, "sha256_prefix", json_string(t[i].sha256_prefix));
            json_object_set_new(o, "created_at", json_string(created));
            json_object_set_new(o, "revoked_at",
                                t[i].revoked_at ? json_string(revoked) : json_null());
            json_array_append_new(arr, o);
        } else {
            printf("%4lld  %-10s %-24s %s  created %s%s%s\n", (long long)t[i].id,
                   doge_token_role_name(t[i].role), *t[i].name ? t[i].name : "-",
                   t[i].sha256_prefix, created, t[i].revoked_at ? "  revoked " : "",
                   t[i].revoked_at ? revoked : "");
        }
    }
    free(t);
    if (arr)
        doge_cli_print_json(arr);
    doge_workspace_free(ws);
    return DOGE_EXIT_OK;
}

static int cmd_revoke(doge_cli *cli, int argc, char **argv)
{
    if (argc != 3)
        return doge_cli_usage_error(&doge_cmd_token, "revoke needs one token ID");
    int64_t id;
    int rc = doge_cli_parse_index(&doge_cmd_token, "ID", argv[2], &id);
    if (rc)
        return rc;
    doge_workspace *ws;
    if ((rc = doge_cli_open_workspace(cli, &ws)))
        return rc;
    rc = doge_token_revoke(doge_workspace_store(ws), id, (int64_t)time(NULL)) == DOGE_OK
             ? DOGE_EXIT_OK
             : doge_cli_fail();
    if (rc == DOGE_EXIT_OK && !cli->quiet && !cli->json)
        printf("revoked token %lld\n", (long long)id);
    if (rc == DOGE_EXIT_OK && cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "revoked", json_integer(id));
        doge_cli_print_json(o);
    }
    doge_workspace_free(ws);
    return rc;
}

static int run(doge_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return doge_cli_usage_error(&doge_cmd_token, "needs a subcommand");
    if (strcmp(argv[1], "new") == 0)
        return cmd_new(cli, argc, argv);
    if (strcmp(argv[1], "list") == 0)
        return cmd_list(cli, argc, argv);
    if (strcmp(argv[1], "revoke") == 0)
        return cmd_revoke(cli, argc, argv);
    return doge_cli_usage_error(&doge_cmd_token, "unknown subcommand '%s'", argv[1]);
}

const doge_cmd doge_cmd_token = {"token", "bearer tokens for the API of doge serve", help, run};
