/*
 * cmd_serve.c — `doge serve`: puts the workspace on the web (the ledger's
 * tiles, the witness endpoint, the employees' reply form, the JSON API and
 * the dashboard; src/server/) until SIGINT or SIGTERM.
 */
#include "cli.h"
#include "doge.h"
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: doge serve [--listen HOST:PORT] [--threads N] [--port-file FILE]\n\n"
    "Serves the workspace over HTTP until SIGINT or SIGTERM (then the requests in\n"
    "flight finish):\n\n"
    "  GET  /ledger/checkpoint, /ledger/tile/...   the ledger (C2SP tlog-tiles)\n"
    "  POST /witness/add-checkpoint                 cosign as a witness (c2sp.org/tlog-witness)\n"
    "  GET  /pulse/reply?t=TOKEN, POST              the employees' weekly reply form\n"
    "  GET  /api/...                                JSON: campaign and ledger status\n"
    "  GET  /                                       the dashboard\n\n"
    "  --listen HOST:PORT   address to listen on (default 127.0.0.1:8080; port 0 picks a\n"
    "                       free port); the URL is printed on standard output\n"
    "  --threads N          worker threads (default 4)\n"
    "  --port-file FILE     also write the bound port to FILE\n\n"
    "Limits and access are set in doge.conf [serve]: body_max, header_max, timeout,\n"
    "connections, connections_per_ip, rate and burst (requests per second per client),\n"
    "read_token = open|required, public_url (for the link in request mails).\n"
    "Write calls need a bearer token (doge token new --role ROLE).\n";

static int run(doge_cli *cli, int argc, char **argv)
{
    doge_server_opts o;
    memset(&o, 0, sizeof o);
    o.listen = "127.0.0.1:8080";
    o.threads = 4;
    o.out = stdout;
    o.quiet = cli->quiet;
    for (int i = 1; i < argc; i++) {
        int has = i + 1 < argc;
        if (strcmp(argv[i], "--listen") == 0 && has) {
            o.listen = argv[++i];
        } else if (strcmp(argv[i], "--port-file") == 0 && has) {
            o.port_file = argv[++i];
        } else if (strcmp(argv[i], "--threads") == 0 && has) {
            int64_t n;
            int rc = doge_cli_parse_index(&doge_cmd_serve, "--threads", argv[++i], &n);
            if (rc)
                return rc;
            if (n < 1 || n > 256)
                return doge_cli_usage_error(&doge_cmd_serve, "--threads must be 1 to 256");
            o.threads = (int)n;
        } else {
            return doge_cli_usage_error(&doge_cmd_serve, "unexpected '%s'", argv[i]);
        }
    }
    o.dir = doge_cli_workspace_dir(cli);
    if (doge_server_run(&o) != DOGE_OK)
        return doge_cli_fail();
    return DOGE_EXIT_OK;
}

const doge_cmd doge_cmd_serve = {"serve", "the HTTP API, reply form, dashboard and witness endpoint",
                                 help, run};
