/*
 * cmd_ledger.c — `doge ledger`: the workspace's transparency log. init,
 * append (files or lines), checkpoint, get, prove (tlog-proof, or a
 * consistency proof as a tlog-witness request), verify (every tile, bundle,
 * hash and signature), verify-proof (offline, against a tlog-policy) and
 * cosign-add (attach witness cosignatures).
 */
#include "cli.h"
#include "doge.h"
#include "doge/keystore.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: doge ledger SUBCOMMAND [ARGS]\n\n"
    "The workspace's tamper-evident log (C2SP tlog-tiles in ledger/).\n\n"
    "  init --key NAME [--origin ORIGIN]   create the log, signed by key NAME\n"
    "                                      (doge id new NAME); origin defaults to NAME\n"
    "  append [--lines] [FILE...|-]        append each file (or each line with --lines)\n"
    "                                      as one entry; prints the indexes once durable\n"
    "  checkpoint                          print the current signed checkpoint\n"
    "  get N                               print entry N\n"
    "  prove N [--size M]                  print a c2sp.org/tlog-proof@v1 for entry N\n"
    "                                      (against the checkpoint of size M)\n"
    "  prove --from M [--to N]             print a consistency proof from size M as a\n"
    "                                      tlog-witness add-checkpoint request\n"
    "  verify                              re-read every tile and entry, recompute every\n"
    "                                      hash and the root, check all signatures\n"
    "  verify-proof PROOF ENTRY --policy FILE\n"
    "                                      check a tlog-proof offline against a tlog-policy\n"
    "  cosign-add FILE                     attach witness cosignature lines to the\n"
    "                                      checkpoint (witness keys from keys/)\n\n"
    "Entries are at most 65,535 bytes. Exit 1 when verification fails.\n";

#define MAX_IN (64u << 20)

static int open_ws(doge_cli *cli, doge_workspace **ws) { return doge_cli_open_workspace(cli, ws); }

/* Opens the workspace and its ledger; on failure prints why and returns the
 * exit code with nothing left open. */
static int open_ledger(doge_cli *cli, int writable, doge_workspace **ws, doge_ledger **l)
{
    int rc = open_ws(cli, ws);
    if (rc)
        return rc;
    if (doge_ledger_open_workspace(l, *ws, writable) != DOGE_OK) {
        doge_workspace_free(*ws);
        return doge_cli_fail();
    }
    return DOGE_EXIT_OK;
}

static int cmd_init(doge_cli *cli, int argc, char **argv)
{
    const char *key = NULL, *origin = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
            key = argv[++i];
        else if (strcmp(argv[i], "--origin") == 0 && i + 1 < argc)
            origin = argv[++i];
        else
            return doge_cli_usage_error(&doge_cmd_ledger, "init: unexpected '%s'", argv[i]);
    }
    if (!key)
        return doge_cli_usage_error(&doge_cmd_ledger, "init needs --key NAME");
    doge_workspace *ws;
    int rc = open_ws(cli, &ws);
    if (rc)
        return rc;
    if (doge_ledger_init_workspace(ws, key, origin) != DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    doge_ledger *l;
    if (doge_ledger_open_workspace(&l, ws, 0) != DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "origin", json_string(doge_ledger_origin(l)));
        json_object_set_new(o, "key", json_string(key));
        json_object_set_new(o, "size", json_integer(0));
        doge_cli_print_json(o);
    } else if (!cli->quiet) {
        printf("Created ledger '%s' signed by key '%s'\n", doge_ledger_origin(l), key);
    }
    doge_ledger_free(l);
    doge_workspace_free(ws);
    return DOGE_EXIT_OK;
}

static int append_one(doge_ledger *l, const char *data, size_t len, const char *src, size_t line,
                      json_t *idx, int64_t *count)
{
    int64_t index;
    if (doge_ledger_append(l, data, len, &index) != DOGE_OK) {
        if (line)
            fprintf(stderr, "doge: %s:%zu: %s\n", src, line, doge_error_last());
        else
            fprintf(stderr, "doge: %s: %s\n", src, doge_error_last());
        return DOGE_EXIT_INPUT;
    }
    (*count)++;
    json_array_append_new(idx, json_integer(index));
    return DOGE_EXIT_OK;
}

static int cmd_append(doge_cli *cli, int argc, char **argv)
{
    int lines = 0, nfiles = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--lines") == 0)
            lines = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return doge_cli_usage_error(&doge_cmd_ledger, "append: unknown option '%s'", argv[i]);
        else
            nfiles++;
    }
    doge_workspace *ws;
    doge_ledger *l;
    int rc = open_ledger(cli, 1, &ws, &l);
    if (rc)
        return rc;
    json_t *idx = json_array();
    int64_t count = 0;
    rc = DOGE_EXIT_OK;
    for (int i = 2; i < argc && rc == DOGE_EXIT_OK; i++) {
        if (strcmp(argv[i], "--lines") == 0)
            continue;
        char *data;
        size_t len;
        if ((rc = doge_cli_read_input(argv[i], MAX_IN, &data, &len)))
            break;
        if (!lines) {
            rc = append_one(l, data, len, argv[i], 0, idx, &count);
        } else {
            size_t pos = 0, lineno = 0;
            while (pos < len && rc == DOGE_EXIT_OK) {
                char *nl = memchr(data + pos, '\n', len - pos);
                size_t ll = nl ? (size_t)(nl - (data + pos)) : len - pos;
                lineno++;
                size_t content = ll && data[pos + ll - 1] == '\r' ? ll - 1 : ll;
                rc = append_one(l, data + pos, content, argv[i], lineno, idx, &count);
                pos += ll + 1;
            }
        }
        free(data);
    }
    if (nfiles == 0)
        rc = doge_cli_usage_error(&doge_cmd_ledger, "append needs FILE... or - for standard input");
    if (rc == DOGE_EXIT_OK && doge_ledger_commit(l) != DOGE_OK)
        rc = doge_cli_fail();
    if (rc == DOGE_EXIT_OK) {
        if (cli->json) {
            json_t *o = json_object();
            json_object_set_new(o, "indexes", json_incref(idx));
            json_object_set_new(o, "size", json_integer(doge_ledger_size(l)));
            doge_cli_print_json(o);
        } else {
            size_t i;
            json_t *v;
            json_array_foreach(idx, i, v) printf("%lld\n", (long long)json_integer_value(v));
            if (!cli->quiet)
                fprintf(stderr, "appended %lld entr%s; ledger size %lld\n", (long long)count,
                        count == 1 ? "y" : "ies", (long long)doge_ledger_size(l));
        }
    }
    json_decref(idx);
    doge_ledger_free(l);
    doge_workspace_free(ws);
    return rc;
}

static int cmd_checkpoint(doge_cli *cli, int argc, char **argv)
{
    if (argc > 2)
        return doge_cli_usage_error(&doge_cmd_ledger, "checkpoint: unexpected '%s'", argv[2]);
    doge_workspace *ws;
    doge_ledger *l;
    int rc = open_ledger(cli, 0, &ws, &l);
    if (rc)
        return rc;
    char *cp;
    size_t len;
    rc = doge_ledger_checkpoint(l, &cp, &len) == DOGE_OK ? DOGE_EXIT_OK : doge_cli_fail();
    if (rc == DOGE_EXIT_OK) {
        if (cli->json) {
            json_t *o = json_object();
            char hex[65];
            for (int i = 0; i < 32; i++)
                snprintf(hex + 2 * i, 3, "%02x", doge_ledger_root(l)[i]);
            json_object_set_new(o, "origin", json_string(doge_ledger_origin(l)));
            json_object_set_new(o, "size", json_integer(doge_ledger_size(l)));
            json_object_set_new(o, "root_hex", json_string(hex));
            json_object_set_new(o, "checkpoint", json_stringn(cp, len));
            doge_cli_print_json(o);
        } else {
            fwrite(cp, 1, len, stdout);
        }
        free(cp);
    }
    doge_ledger_free(l);
    doge_workspace_free(ws);
    return rc;
}

static int cmd_get(doge_cli *cli, int argc, char **argv)
{
    int64_t n;
    if (argc != 3)
        return doge_cli_usage_error(&doge_cmd_ledger, "get needs one index N");
    int rc = doge_cli_parse_index(&doge_cmd_ledger, "index", argv[2], &n);
    if (rc)
        return rc;
    doge_workspace *ws;
    doge_ledger *l;
    if ((rc = open_ledger(cli, 0, &ws, &l)))
        return rc;
    uint8_t *data;
    size_t len;
    rc = doge_ledger_get(l, n, &data, &len) == DOGE_OK ? DOGE_EXIT_OK : doge_cli_fail();
    if (rc == DOGE_EXIT_OK) {
        if (cli->json) {
            json_t *o = json_object();
            json_object_set_new(o, "index", json_integer(n));
            json_object_set_new(o, "length", json_integer((json_int_t)len));
            json_t *text = json_stringn((const char *)data, len);
            json_object_set_new(o, "text", text ? text : json_null());
            doge_cli_print_json(o);
        } else {
            fwrite(data, 1, len, stdout);
        }
        free(data);
    }
    doge_ledger_free(l);
    doge_workspace_free(ws);
    return rc;
}

static int cmd_prove(doge_cli *cli, int argc, char **argv)
{
    int64_t index = -1, size = -1, from = -1, to = -1;
    int rc;
    for (int i = 2; i < argc; i++) {
        int64_t *dst = NULL;
        const char *what = argv[i];
        if (strcmp(argv[i], "--size") == 0)
            dst = &size;
        else if (strcmp(argv[i], "--from") == 0)
            dst = &from;
        else if (strcmp(argv[i], "--to") == 0)
            dst = &to;
        else if (argv[i][0] == '-')
            return doge_cli_usage_error(&doge_cmd_ledger, "prove: unknown option '%s'", argv[i]);
        if (dst) {
            if (i + 1 >= argc)
                return doge_cli_usage_error(&doge_cmd_ledger, "prove: %s needs a number", what);
            if ((rc = doge_cli_parse_index(&doge_cmd_ledger, what, argv[++i], dst)))
                return rc;
        } else if (index >= 0) {
            return doge_cli_usage_error(&doge_cmd_ledger, "prove: unexpected '%s'", argv[i]);
        } else if ((rc = doge_cli_parse_index(&doge_cmd_ledger, "index", argv[i], &index))) {
            return rc;
        }
    }
    if ((index >= 0) == (from >= 0))
        return doge_cli_usage_error(&doge_cmd_ledger, "prove needs an index N, or --from M");
    if (index >= 0 && to >= 0)
        return doge_cli_usage_error(&doge_cmd_ledger, "prove N takes --size, not --to");
    if (from >= 0 && size >= 0)
        return doge_cli_usage_error(&doge_cmd_ledger, "prove --from takes --to, not --size");
    doge_workspace *ws;
    doge_ledger *l;
    if ((rc = open_ledger(cli, 0, &ws, &l)))
        return rc;
    char *out = NULL, *cp = NULL;
    size_t len = 0, cplen = 0;
    rc = DOGE_OK;
    if (index >= 0) {
        if (size >= 0 && size != doge_ledger_size(l))
            rc = doge_ledger_archived_checkpoint(ws, size, &cp, &cplen);
        if (rc == DOGE_OK)
            rc = doge_ledger_tlog_proof(l, index, cp, cplen, &out, &len);
    } else {
        if (to >= 0 && to != doge_ledger_size(l))
            rc = doge_ledger_archived_checkpoint(ws, to, &cp, &cplen);
        if (rc == DOGE_OK)
            rc = doge_ledger_witness_request(l, from, cp, cplen, &out, &len);
    }
    if (rc != DOGE_OK) {
        rc = doge_cli_fail();
    } else {
        if (cli->json) {
            json_t *o = json_object();
            json_object_set_new(o, index >= 0 ? "tlog_proof" : "witness_request",
                                json_stringn(out, len));
            doge_cli_print_json(o);
        } else {
            fwrite(out, 1, len, stdout);
        }
        rc = DOGE_EXIT_OK;
    }
    free(out);
    free(cp);
    doge_ledger_free(l);
    doge_workspace_free(ws);
    return rc;
}

static int cmd_verify(doge_cli *cli, int argc, char **argv)
{
    if (argc > 2)
        return doge_cli_usage_error(&doge_cmd_ledger, "verify: unexpected '%s'", argv[2]);
    doge_workspace *ws;
    doge_ledger *l;
    int rc = open_ledger(cli, 0, &ws, &l);
    if (rc)
        return rc;
    doge_verifier **wk = NULL;
    size_t nw = 0;
    doge_ledger_report rep;
    if (doge_keystore_witness_verifiers(ws, &wk, &nw) != DOGE_OK ||
        doge_ledger_verify(l, (const doge_verifier *const *)wk, nw, &rep) != DOGE_OK) {
        rc = doge_cli_fail();
    } else if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "ok", json_true());
        json_object_set_new(o, "origin", json_string(doge_ledger_origin(l)));
        json_object_set_new(o, "size", json_integer(rep.size));
        json_object_set_new(o, "entry_bytes", json_integer(rep.entries_bytes));
        json_object_set_new(o, "bundles", json_integer(rep.bundles));
        json_object_set_new(o, "tiles", json_integer(rep.tiles));
        json_object_set_new(o, "hashes", json_integer(rep.hashes));
        json_object_set_new(o, "index_hashes", json_integer(rep.index_hashes));
        json_object_set_new(o, "signatures_verified", json_integer((json_int_t)rep.signatures));
        json_object_set_new(o, "signatures_unknown",
                            json_integer((json_int_t)rep.unknown_signatures));
        doge_cli_print_json(o);
    } else {
        printf("ledger %s: OK\n", doge_ledger_origin(l));
        printf("  %lld entries (%lld bytes) in %lld bundles, %lld tiles, %lld hashes recomputed\n",
               (long long)rep.size, (long long)rep.entries_bytes, (long long)rep.bundles,
               (long long)rep.tiles, (long long)rep.hashes);
        printf("  %zu signature(s) verified, %zu by keys not in keys/\n", rep.signatures,
               rep.unknown_signatures);
        if (rep.index_hashes)
            printf("  %lld stored hashes of the index .doge/hashes checked\n",
                   (long long)rep.index_hashes);
        else
            printf("  no hash index (.doge/hashes) to check: the next writable open builds it\n");
    }
    doge_keystore_verifiers_free(wk, nw);
    doge_ledger_free(l);
    doge_workspace_free(ws);
    return rc;
}

static int cmd_verify_proof(doge_cli *cli, int argc, char **argv)
{
    const char *proof_path = NULL, *entry_path = NULL, *policy_path = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc)
            policy_path = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1])
            return doge_cli_usage_error(&doge_cmd_ledger, "verify-proof: unexpected '%s'",
                                        argv[i]);
        else if (!proof_path)
            proof_path = argv[i];
        else if (!entry_path)
            entry_path = argv[i];
        else
            return doge_cli_usage_error(&doge_cmd_ledger, "verify-proof: unexpected '%s'",
                                        argv[i]);
    }
    if (!proof_path || !entry_path || !policy_path)
        return doge_cli_usage_error(&doge_cmd_ledger,
                                    "verify-proof needs PROOF ENTRY --policy FILE");
    char *ptext = NULL, *etext = NULL, *poltext = NULL;
    size_t plen, elen, pollen;
    doge_proof *proof = NULL;
    doge_policy *policy = NULL;
    int64_t size = 0;
    size_t cosigners = 0;
    int rc = DOGE_EXIT_INPUT;
    if (doge_cli_read_input(proof_path, 1u << 20, &ptext, &plen) ||
        doge_cli_read_input(entry_path, 1u << 20, &etext, &elen) ||
        doge_cli_read_input(policy_path, 1u << 20, &poltext, &pollen)) {
        rc = DOGE_EXIT_INPUT; /* the reader named the file */
    } else if (doge_proof_parse(&proof, ptext, plen) != DOGE_OK) {
        fprintf(stderr, "doge: %s: %s\n", proof_path, doge_error_last());
    } else if (doge_policy_parse(&policy, poltext, pollen, policy_path) != DOGE_OK) {
        rc = doge_cli_fail();
    } else if (doge_proof_verify(proof, etext, elen, policy, &size, &cosigners) != DOGE_OK) {
        fprintf(stderr, "doge: %s: %s\n", proof_path, doge_error_last());
    } else {
        rc = DOGE_EXIT_OK;
        if (cli->json) {
            json_t *o = json_object();
            json_object_set_new(o, "ok", json_true());
            json_object_set_new(o, "index", json_integer(doge_proof_index(proof)));
            json_object_set_new(o, "tree_size", json_integer(size));
            json_object_set_new(o, "cosigners", json_integer((json_int_t)cosigners));
            doge_cli_print_json(o);
        } else {
            printf("OK: entry %lld is in the log (tree size %lld), %zu witness cosignature(s) "
                   "meet the policy\n",
                   (long long)doge_proof_index(proof), (long long)size, cosigners);
        }
    }
    free(ptext);
    free(etext);
    free(poltext);
    doge_proof_free(proof);
    doge_policy_free(policy);
    return rc;
}

static int cmd_cosign_add(doge_cli *cli, int argc, char **argv)
{
    if (argc != 3)
        return doge_cli_usage_error(&doge_cmd_ledger, "cosign-add needs one FILE (or -)");
    doge_workspace *ws;
    doge_ledger *l;
    int rc = open_ledger(cli, 1, &ws, &l);
    if (rc)
        return rc;
    char *text = NULL;
    size_t len, added = 0, nw = 0;
    doge_verifier **wk = NULL;
    if (doge_cli_read_input(argv[2], 1u << 20, &text, &len) != DOGE_EXIT_OK) {
        rc = DOGE_EXIT_INPUT; /* the reader named the file */
    } else if (doge_keystore_witness_verifiers(ws, &wk, &nw) != DOGE_OK ||
        doge_ledger_cosign_add(l, text, len, (const doge_verifier *const *)wk, nw, &added) !=
            DOGE_OK) {
        rc = doge_cli_fail();
    } else if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "added", json_integer((json_int_t)added));
        json_object_set_new(o, "size", json_integer(doge_ledger_size(l)));
        doge_cli_print_json(o);
    } else if (!cli->quiet) {
        printf("attached %zu cosignature(s) to the checkpoint of size %lld\n", added,
               (long long)doge_ledger_size(l));
    }
    doge_keystore_verifiers_free(wk, nw);
    free(text);
    doge_ledger_free(l);
    doge_workspace_free(ws);
    return rc;
}

static int run(doge_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return doge_cli_usage_error(&doge_cmd_ledger, "needs a subcommand");
    const char *sub = argv[1];
    if (strcmp(sub, "init") == 0)
        return cmd_init(cli, argc, argv);
    if (strcmp(sub, "append") == 0)
        return cmd_append(cli, argc, argv);
    if (strcmp(sub, "checkpoint") == 0)
        return cmd_checkpoint(cli, argc, argv);
    if (strcmp(sub, "get") == 0)
        return cmd_get(cli, argc, argv);
    if (strcmp(sub, "prove") == 0)
        return cmd_prove(cli, argc, argv);
    if (strcmp(sub, "verify") == 0)
        return cmd_verify(cli, argc, argv);
    if (strcmp(sub, "verify-proof") == 0)
        return cmd_verify_proof(cli, argc, argv);
    if (strcmp(sub, "cosign-add") == 0)
        return cmd_cosign_add(cli, argc, argv);
    return doge_cli_usage_error(&doge_cmd_ledger, "unknown subcommand '%s'", sub);
}

const doge_cmd doge_cmd_ledger = {"ledger", "the tamper-evident log (C2SP tlog-tiles)", help, run};
