/*
 * cmd_witness.c — `doge witness`: a department node cosigning other logs'
 * checkpoints (c2sp.org/tlog-witness logic through doge_witness_*): follow a
 * log (add-log), cosign a checkpoint with its consistency proof, and show
 * the last cosigned size per log.
 */
#include "cli.h"
#include "doge.h"
#include "doge/keystore.h"
#include "doge/witness.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "Usage: doge witness SUBCOMMAND [ARGS]\n\n"
    "A department witness: it cosigns checkpoints of logs it follows, after checking\n"
    "each is consistent with the last one it cosigned (no forks, no rollbacks).\n\n"
    "  add-log KEY [--origin ORIGIN]       follow a log: KEY is a key name, a .pub file or a\n"
    "                                      verifier key text; origin defaults to its name\n"
    "  cosign [--key NAME] [--log-key KEY [--origin ORIGIN]] CHECKPOINT [--proof FILE]\n"
    "                                      cosign a checkpoint; CHECKPOINT is a signed\n"
    "                                      checkpoint or a whole add-checkpoint request\n"
    "                                      (doge ledger prove --from M); --proof FILE holds\n"
    "                                      such a request for the consistency proof. Prints\n"
    "                                      the cosignature line for 'doge ledger cosign-add'.\n"
    "  status                              the last cosigned checkpoint per log\n"
    "  push [--timeout S] [URL...]         as a log: send the current checkpoint to each\n"
    "                                      witness (URL: its submission prefix, e.g.\n"
    "                                      http://host/witness; default: doge.conf [witness]\n"
    "                                      urls, space-separated) with a consistency proof\n"
    "                                      from what it last cosigned, and attach the\n"
    "                                      cosignatures it returns (its .pub in keys/)\n\n"
    "The witness key is a cosignature key (doge id new NAME --witness); --key picks one\n"
    "when keys/ holds several. Exit 1 with the tlog-witness status (400, 403, 404, 409,\n"
    "422) and the reason when the witness refuses.\n";

static int cmd_add_log(doge_cli *cli, int argc, char **argv)
{
    const char *key = NULL, *origin = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--origin") == 0 && i + 1 < argc)
            origin = argv[++i];
        else if (argv[i][0] == '-' || key)
            return doge_cli_usage_error(&doge_cmd_witness, "add-log: unexpected '%s'", argv[i]);
        else
            key = argv[i];
    }
    if (!key)
        return doge_cli_usage_error(&doge_cmd_witness, "add-log needs the log's KEY");
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_verifier *v = NULL;
    char *vtext = NULL;
    doge_stmt *s = NULL;
    rc = DOGE_EXIT_INPUT;
    if (doge_keystore_load_verifier(ws, key, &v) != DOGE_OK ||
        doge_verifier_format(v, &vtext) != DOGE_OK) {
        rc = doge_cli_fail();
    } else if (doge_verifier_type(v) != DOGE_KEY_ED25519) {
        fprintf(stderr, "doge: '%s' is not a log (Ed25519) key\n", key);
    } else if (doge_store_prepare(doge_workspace_store(ws), &s,
                                  "INSERT INTO witness_trust (origin, vkey) VALUES (?, ?)"
                                  " ON CONFLICT (origin, vkey) DO NOTHING") != DOGE_OK) {
        rc = doge_cli_fail();
    } else {
        if (!origin)
            origin = doge_verifier_name(v);
        doge_stmt_bind_text(s, 1, origin, -1);
        doge_stmt_bind_text(s, 2, vtext, -1);
        if (doge_stmt_step(s) < 0) {
            rc = doge_cli_fail();
        } else {
            rc = DOGE_EXIT_OK;
            if (cli->json) {
                json_t *o = json_object();
                json_object_set_new(o, "origin", json_string(origin));
                json_object_set_new(o, "key", json_string(vtext));
                doge_cli_print_json(o);
            } else if (!cli->quiet) {
                printf("following log '%s' (key %s)\n", origin, vtext);
            }
        }
    }
    doge_stmt_free(s);
    free(vtext);
    doge_verifier_free(v);
    doge_workspace_free(ws);
    return rc;
}

static int cmd_cosign(doge_cli *cli, int argc, char **argv)
{
    const char *key = NULL, *log_key = NULL, *origin = NULL, *cp_path = NULL, *proof_path = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (strcmp(a, "--key") == 0 && has)
            key = argv[++i];
        else if (strcmp(a, "--log-key") == 0 && has)
            log_key = argv[++i];
        else if (strcmp(a, "--origin") == 0 && has)
            origin = argv[++i];
        else if (strcmp(a, "--proof") == 0 && has)
            proof_path = argv[++i];
        else if ((a[0] == '-' && a[1]) || cp_path)
            return doge_cli_usage_error(&doge_cmd_witness, "cosign: unexpected '%s'", a);
        else
            cp_path = a;
    }
    if (!cp_path)
        return doge_cli_usage_error(&doge_cmd_witness, "cosign needs a CHECKPOINT file (or -)");
    if (origin && !log_key)
        return doge_cli_usage_error(&doge_cmd_witness, "cosign: --origin goes with --log-key");
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_witness_logs *ls = NULL;
    doge_signer *signer = NULL;
    char *cp = NULL, *pr = NULL, *body = NULL;
    size_t cplen = 0, prlen = 0, blen = 0;
    doge_witness_result res = {0};
    rc = DOGE_EXIT_INPUT;
    if (doge_witness_signer_load(ws, key, &signer) != DOGE_OK)
        goto fail;
    if (log_key) {
        doge_verifier *v;
        if (doge_keystore_load_verifier(ws, log_key, &v) != DOGE_OK)
            goto fail;
        if (doge_verifier_type(v) != DOGE_KEY_ED25519) {
            fprintf(stderr, "doge: '%s' is not an Ed25519 log key\n", log_key);
            doge_verifier_free(v);
            goto out;
        }
        if (doge_witness_logs_new(&ls) != DOGE_OK ||
            doge_witness_logs_add(ls, origin ? origin : doge_verifier_name(v), v) != DOGE_OK) {
            if (!ls)
                doge_verifier_free(v);
            goto fail;
        }
    } else if (doge_witness_logs_load(&ls, ws) != DOGE_OK) {
        goto fail;
    }
    if (doge_cli_read_input(cp_path, 2u << 20, &cp, &cplen) != DOGE_EXIT_OK ||
        (proof_path && doge_cli_read_input(proof_path, 2u << 20, &pr, &prlen) != DOGE_EXIT_OK))
        goto out; /* the reader named the file */
    if (cplen >= 4 && memcmp(cp, "old ", 4) == 0) {
        if (pr) {
            fprintf(stderr, "doge: %s is already a whole request; drop --proof\n", cp_path);
            goto out;
        }
        body = cp;
        blen = cplen;
        cp = NULL;
    } else if (pr) {
        /* The proof part of a request: everything up to its empty line. */
        const char *end = NULL;
        for (size_t i = 0; i + 1 < prlen; i++)
            if (pr[i] == '\n' && pr[i + 1] == '\n') {
                end = pr + i + 2;
                break;
            }
        if (prlen < 4 || memcmp(pr, "old ", 4) != 0 || !end) {
            fprintf(stderr, "doge: %s: not a consistency proof (expected 'old N', hash lines and "
                            "an empty line, as 'doge ledger prove --from M' prints)\n",
                    proof_path);
            goto out;
        }
        size_t head = (size_t)(end - pr);
        if (!(body = malloc(head + cplen + 1)))
            goto fail;
        memcpy(body, pr, head);
        memcpy(body + head, cp, cplen);
        blen = head + cplen;
    } else {
        /* No proof: only a first cosignature (old 0) or the same size again. */
        doge_checkpoint *c = NULL;
        doge_note *note = NULL;
        int64_t last = 0;
        uint8_t root[32];
        size_t tl;
        const char *text = NULL;
        if (doge_note_parse(&note, cp, cplen) == DOGE_OK)
            text = doge_note_text(note, &tl);
        if (!text || doge_checkpoint_parse(&c, text, tl) != DOGE_OK) {
            fprintf(stderr, "doge: %s: %s\n", cp_path, doge_error_last());
            doge_note_free(note);
            goto out;
        }
        int have = doge_witness_latest(doge_workspace_store(ws), doge_checkpoint_origin(c), &last,
                                       root) == DOGE_OK;
        if (have && last != (int64_t)doge_checkpoint_size(c)) {
            fprintf(stderr,
                    "doge: this witness last cosigned '%s' at size %lld: give --proof with a "
                    "consistency proof from there ('doge ledger prove --from %lld')\n",
                    doge_checkpoint_origin(c), (long long)last, (long long)last);
            doge_checkpoint_free(c);
            doge_note_free(note);
            goto out;
        }
        doge_checkpoint_free(c);
        doge_note_free(note);
        char head[32];
        int hl = snprintf(head, sizeof head, "old %lld\n\n", (long long)last);
        if (!(body = malloc((size_t)hl + cplen + 1)))
            goto fail;
        memcpy(body, head, (size_t)hl);
        memcpy(body + hl, cp, cplen);
        blen = (size_t)hl + cplen;
    }
    size_t nlogs;
    const doge_witness_log *logs = doge_witness_logs_get(ls, &nlogs);
    if (doge_witness_add_checkpoint(doge_workspace_store(ws), signer, logs, nlogs, body, blen,
                                    (uint64_t)time(NULL), &res) != DOGE_OK)
        goto fail;
    if (res.status != 200) {
        fprintf(stderr, "doge: witness refused (%d): %s\n", res.status, doge_error_last());
        if (res.status == 409)
            fprintf(stderr, "doge: last cosigned size: %lld\n", (long long)res.latest_size);
        if (cli->json) {
            json_t *o = json_object();
            json_object_set_new(o, "status", json_integer(res.status));
            json_object_set_new(o, "error", json_string(doge_error_last()));
            if (res.status == 409)
                json_object_set_new(o, "latest_size", json_integer(res.latest_size));
            doge_cli_print_json(o);
        }
        goto out;
    }
    rc = DOGE_EXIT_OK;
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "status", json_integer(200));
        json_object_set_new(o, "cosignature", json_stringn(res.cosignature, res.cosignature_len));
        doge_cli_print_json(o);
    } else {
        fwrite(res.cosignature, 1, res.cosignature_len, stdout);
    }
    goto out;
fail:
    rc = doge_cli_fail();
out:
    doge_witness_result_dispose(&res);
    free(cp);
    free(pr);
    free(body);
    doge_signer_free(signer);
    doge_witness_logs_free(ls);
    doge_workspace_free(ws);
    return rc;
}

static int cmd_status(doge_cli *cli, int argc, char **argv)
{
    if (argc > 2)
        return doge_cli_usage_error(&doge_cmd_witness, "status: unexpected '%s'", argv[2]);
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_stmt *s;
    if (doge_store_prepare(doge_workspace_store(ws), &s,
                           "SELECT t.origin, COALESCE(w.size, -1), COALESCE(w.updated_at, 0)"
                           " FROM (SELECT DISTINCT origin FROM witness_trust"
                           "       UNION SELECT origin FROM witness_log) t"
                           " LEFT JOIN witness_log w ON w.origin = t.origin ORDER BY t.origin") !=
        DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    json_t *arr = json_array();
    while ((rc = doge_stmt_step(s)) == 1) {
        json_t *o = json_object();
        json_object_set_new(o, "origin", json_string(doge_stmt_text(s, 0)));
        int64_t size = doge_stmt_int64(s, 1);
        json_object_set_new(o, "cosigned_size", size < 0 ? json_null() : json_integer(size));
        json_object_set_new(o, "updated_at", json_integer(doge_stmt_int64(s, 2)));
        json_array_append_new(arr, o);
    }
    doge_stmt_free(s);
    if (rc < 0) {
        json_decref(arr);
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    if (cli->json) {
        doge_cli_print_json(arr);
    } else {
        size_t i;
        json_t *o;
        if (json_array_size(arr) == 0)
            printf("this witness follows no log yet (doge witness add-log KEY)\n");
        json_array_foreach(arr, i, o)
        {
            json_t *sz = json_object_get(o, "cosigned_size");
            if (json_is_null(sz))
                printf("%-40s never cosigned\n", json_string_value(json_object_get(o, "origin")));
            else
                printf("%-40s cosigned size %lld\n",
                       json_string_value(json_object_get(o, "origin")),
                       (long long)json_integer_value(sz));
        }
        json_decref(arr);
    }
    doge_workspace_free(ws);
    return DOGE_EXIT_OK;
}

static int cmd_push(doge_cli *cli, int argc, char **argv)
{
    long timeout = 30;
    int nurls = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
            int64_t t;
            int rc = doge_cli_parse_index(&doge_cmd_witness, "--timeout", argv[++i], &t);
            if (rc)
                return rc;
            timeout = t > 0 ? (long)t : 1;
        } else if (argv[i][0] == '-') {
            return doge_cli_usage_error(&doge_cmd_witness, "push: unexpected '%s'", argv[i]);
        } else {
            nurls++;
        }
    }
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    /* The URLs: the arguments, else doge.conf [witness] urls. */
    char conf[4096] = "";
    const char *urls[64];
    size_t n = 0;
    for (int i = 2; i < argc && n < 64; i++) {
        if (strcmp(argv[i], "--timeout") == 0)
            i++;
        else
            urls[n++] = argv[i];
    }
    if (nurls == 0) {
        snprintf(conf, sizeof conf, "%s", doge_workspace_config(ws, "witness", "urls", ""));
        for (char *save = NULL, *t = strtok_r(conf, " \t,", &save); t && n < 64;
             t = strtok_r(NULL, " \t,", &save))
            urls[n++] = t;
    }
    if (n == 0) {
        doge_workspace_free(ws);
        return doge_cli_usage_error(&doge_cmd_witness,
                                    "push needs witness URLs (or doge.conf [witness] urls)");
    }
    json_t *arr = cli->json ? json_array() : NULL;
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        doge_witness_push_result res;
        int prc = doge_witness_push(ws, urls[i], timeout, &res);
        const char *why = prc == DOGE_OK ? "" : *res.message ? res.message : doge_error_last();
        if (prc != DOGE_OK)
            failed++;
        if (arr) {
            json_t *o = json_object();
            json_object_set_new(o, "url", json_string(urls[i]));
            json_object_set_new(o, "ok", json_boolean(prc == DOGE_OK));
            json_object_set_new(o, "status", json_integer(res.status));
            json_object_set_new(o, "old_size", json_integer(res.old_size));
            json_object_set_new(o, "size", json_integer(res.size));
            json_object_set_new(o, "added", json_integer((json_int_t)res.added));
            json_object_set_new(o, "retries", json_integer(res.retries));
            if (prc != DOGE_OK)
                json_object_set_new(o, "error", json_string(why));
            json_array_append_new(arr, o);
        } else if (prc != DOGE_OK) {
            fprintf(stderr, "doge: %s\n", why);
        } else if (!cli->quiet) {
            printf("%s: cosigned size %lld (from %lld%s), %zu cosignature(s) attached\n",
                   urls[i], (long long)res.size, (long long)res.old_size,
                   res.retries ? ", after a 409" : "", res.added);
        }
    }
    if (arr)
        doge_cli_print_json(arr);
    doge_workspace_free(ws);
    return failed ? DOGE_EXIT_INPUT : DOGE_EXIT_OK;
}

static int run(doge_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return doge_cli_usage_error(&doge_cmd_witness, "needs a subcommand");
    if (strcmp(argv[1], "add-log") == 0)
        return cmd_add_log(cli, argc, argv);
    if (strcmp(argv[1], "cosign") == 0)
        return cmd_cosign(cli, argc, argv);
    if (strcmp(argv[1], "status") == 0)
        return cmd_status(cli, argc, argv);
    if (strcmp(argv[1], "push") == 0)
        return cmd_push(cli, argc, argv);
    return doge_cli_usage_error(&doge_cmd_witness, "unknown subcommand '%s'", argv[1]);
}

const doge_cmd doge_cmd_witness = {"witness", "cosign other logs' checkpoints (a department node)",
                                   help, run};
