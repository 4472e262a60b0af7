/*
 * cmd_id.c — `doge id`: the workspace's Ed25519 identities (doge/keystore.h)
 * and signed notes (doge/note.h) from the command line: new, import, list,
 * show, sign and verify. Keys live in keys/ of the workspace found with -C,
 * DOGE_HOME or the current folder; verify also works outside a workspace
 * when its key is given as a file or a verifier key text.
 */
#include "cli.h"
#include "doge.h"
#include "doge/keystore.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest key file `doge id import` reads (key texts are far smaller). */
#define IMPORT_MAX 65536

typedef struct id_args {
    const char *pos[2]; /* positional arguments */
    int npos;
    int witness; /* --witness */
} id_args;

typedef struct id_sub {
    const char *name;
    const char *usage; /* the arguments after "doge id NAME" */
    int npos;          /* exact number of positional arguments */
    int takes_witness;
    int (*run)(doge_cli *cli, const id_args *a);
} id_sub;

/* ---- output -------------------------------------------------------------- */

static json_t *info_json(const doge_key_info *k)
{
    char hash[9];
    snprintf(hash, sizeof hash, "%08x", (unsigned)k->key_hash);
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(k->name));
    json_object_set_new(o, "type", json_string(doge_keystore_type_name(k->type)));
    json_object_set_new(o, "key_hash", json_string(hash));
    json_object_set_new(o, "vkey", json_string(k->vkey));
    json_object_set_new(o, "has_private_key", json_boolean(k->has_private));
    json_object_set_new(o, "file", json_string(k->file));
    return o;
}

/* Prints a saved key: its vkey on stdout (or JSON), a note on stderr. */
static int print_saved(doge_cli *cli, doge_workspace *ws, const char *name, const char *verb)
{
    doge_key_info k;
    if (doge_keystore_get(ws, name, &k) != DOGE_OK)
        return doge_cli_fail();
    if (cli->json) {
        json_t *o = info_json(&k);
        json_object_set_new(o, verb, json_true());
        doge_keystore_info_clear(&k);
        return doge_cli_print_json(o);
    }
    printf("%s\n", k.vkey);
    if (!cli->quiet) {
        if (k.has_private)
            fprintf(stderr,
                    "%s key '%s' (%s, key ID %08x): %s/keys/%s.key (private, mode 0600, keep it "
                    "secret) and %s.pub\n",
                    verb, k.name, doge_keystore_type_name(k.type), (unsigned)k.key_hash,
                    doge_workspace_dir(ws), k.file, k.file);
        else
            fprintf(stderr, "%s verifier key '%s' (%s, key ID %08x): %s/keys/%s.pub\n", verb,
                    k.name, doge_keystore_type_name(k.type), (unsigned)k.key_hash,
                    doge_workspace_dir(ws), k.file);
    }
    doge_keystore_info_clear(&k);
    return DOGE_EXIT_OK;
}

/* ---- subcommands --------------------------------------------------------- */

static int run_new(doge_cli *cli, const id_args *a)
{
    const char *name = a->pos[0];
    char file[DOGE_KEYSTORE_FILE_MAX + 1];
    if (doge_keystore_file_name(name, file, sizeof file) != DOGE_OK)
        return doge_cli_fail();
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_signer *s = NULL;
    if (doge_signer_generate(&s, name, a->witness ? DOGE_KEY_COSIGNATURE_V1 : DOGE_KEY_ED25519) ||
        doge_keystore_save(ws, s)) {
        rc = doge_cli_fail();
    } else {
        rc = print_saved(cli, ws, name, "created");
    }
    doge_signer_free(s);
    doge_workspace_free(ws);
    return rc;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int dup_name(char **out, const char *name)
{
    *out = strdup(name);
    return *out ? DOGE_EXIT_OK : doge_cli_failf("out of memory");
}

static int run_import(doge_cli *cli, const id_args *a)
{
    const char *path = a->pos[0], *label = doge_cli_input_label(path);
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    char *buf;
    size_t len;
    if ((rc = doge_cli_read_input(path, IMPORT_MAX, &buf, &len))) {
        doge_workspace_free(ws);
        return rc;
    }
    /* The key text, without surrounding whitespace. */
    char *text = buf;
    size_t tl = len;
    while (tl > 0 && is_space(text[0])) {
        text++;
        tl--;
    }
    while (tl > 0 && is_space(text[tl - 1]))
        tl--;
    text[tl] = '\0';
    char *name = NULL;
    if (tl == 0) {
        rc = doge_cli_failf("%s: empty: no key text to import", label);
    } else if (strlen(text) != tl) {
        rc = doge_cli_failf("%s: holds a NUL byte, not a key text", label);
    } else if (strchr(text, '\n')) {
        rc = doge_cli_failf("%s: holds more than one line; a key file holds one key text", label);
    } else if (strncmp(text, "PRIVATE+", 8) == 0) {
        doge_signer *s = NULL;
        if (doge_signer_parse(&s, text) != DOGE_OK)
            rc = doge_cli_failf("%s: %s", label, doge_error_last());
        else if (doge_keystore_save(ws, s) != DOGE_OK)
            rc = doge_cli_fail();
        else
            rc = dup_name(&name, doge_signer_name(s));
        doge_signer_free(s);
    } else {
        doge_verifier *v = NULL;
        if (doge_verifier_parse(&v, text) != DOGE_OK)
            rc = doge_cli_failf("%s: %s", label, doge_error_last());
        else if (doge_keystore_save_verifier(ws, v) != DOGE_OK)
            rc = doge_cli_fail();
        else
            rc = dup_name(&name, doge_verifier_name(v));
        doge_verifier_free(v);
    }
    explicit_bzero(buf, len);
    free(buf);
    if (rc == DOGE_EXIT_OK)
        rc = print_saved(cli, ws, name, "imported");
    free(name);
    doge_workspace_free(ws);
    return rc;
}

static int run_list(doge_cli *cli, const id_args *a)
{
    (void)a;
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_key_info *keys;
    size_t n;
    if (doge_keystore_list(ws, &keys, &n) != DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    if (cli->json) {
        json_t *o = json_object(), *arr = json_array();
        json_object_set_new(o, "workspace", json_string(doge_workspace_dir(ws)));
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, info_json(&keys[i]));
        json_object_set_new(o, "keys", arr);
        rc = doge_cli_print_json(o);
    } else if (n == 0) {
        printf("no keys in %s/keys (make one with 'doge id new NAME')\n", doge_workspace_dir(ws));
    } else {
        int w = 4;
        for (size_t i = 0; i < n; i++)
            if ((int)strlen(keys[i].name) > w)
                w = (int)strlen(keys[i].name);
        printf("%-*s  %-14s  %-8s  %-7s  %s\n", w, "NAME", "TYPE", "KEY ID", "PRIVATE",
               "VERIFIER KEY");
        for (size_t i = 0; i < n; i++)
            printf("%-*s  %-14s  %08x  %-7s  %s\n", w, keys[i].name,
                   doge_keystore_type_name(keys[i].type), (unsigned)keys[i].key_hash,
                   keys[i].has_private ? "yes" : "no", keys[i].vkey);
    }
    doge_keystore_list_free(keys, n);
    doge_workspace_free(ws);
    return rc;
}

static int run_show(doge_cli *cli, const id_args *a)
{
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_key_info k;
    if (doge_keystore_get(ws, a->pos[0], &k) != DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    if (cli->json)
        rc = doge_cli_print_json(info_json(&k));
    else
        printf("%s\n", k.vkey);
    doge_keystore_info_clear(&k);
    doge_workspace_free(ws);
    return rc;
}

static int run_sign(doge_cli *cli, const id_args *a)
{
    const char *name = a->pos[0], *path = a->pos[1], *label = doge_cli_input_label(path);
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_signer *s = NULL;
    char *text = NULL, *note = NULL;
    size_t len = 0, note_len = 0;
    if (doge_keystore_load_signer(ws, name, &s) != DOGE_OK) {
        rc = doge_cli_fail();
        goto done;
    }
    if (doge_signer_type(s) != DOGE_KEY_ED25519) {
        rc = doge_cli_failf("key '%s' is a witness key (cosignature/v1): it cosigns checkpoints "
                            "and cannot sign notes; use an ed25519 key",
                            name);
        goto done;
    }
    if ((rc = doge_cli_read_input(path, DOGE_NOTE_MAX_SIZE, &text, &len)))
        goto done;
    if (len == 0) {
        rc = doge_cli_failf("%s: empty: there is no text to sign", label);
        goto done;
    }
    if (text[len - 1] != '\n') {
        rc = doge_cli_failf("%s: the text does not end with a newline (a signed note's text "
                            "must end in one)",
                            label);
        goto done;
    }
    const doge_signer *signers[1] = {s};
    if (doge_note_sign(&note, &note_len, text, len, signers, 1) != DOGE_OK) {
        rc = doge_cli_failf("%s: %s", label, doge_error_last());
        goto done;
    }
    if (cli->json) {
        char hash[9];
        snprintf(hash, sizeof hash, "%08x", (unsigned)doge_signer_key_hash(s));
        json_t *o = json_object();
        json_object_set_new(o, "key", json_string(doge_signer_name(s)));
        json_object_set_new(o, "key_hash", json_string(hash));
        json_object_set_new(o, "note", json_stringn(note, note_len));
        rc = doge_cli_print_json(o);
    } else {
        fwrite(note, 1, note_len, stdout);
    }
done:
    free(note);
    free(text);
    doge_signer_free(s);
    doge_workspace_free(ws);
    return rc;
}

static int run_verify(doge_cli *cli, const id_args *a)
{
    const char *ref = a->pos[0], *path = a->pos[1], *label = doge_cli_input_label(path);
    /* The workspace is only needed when KEY names a key in it. */
    doge_workspace *ws = NULL;
    char ws_error[1024] = "";
    if (doge_workspace_open(&ws, doge_cli_workspace_dir(cli)) != DOGE_OK)
        snprintf(ws_error, sizeof ws_error, "%s", doge_error_last());
    doge_verifier *v = NULL;
    doge_note *n = NULL;
    char *msg = NULL;
    size_t len = 0;
    int rc = DOGE_EXIT_OK;
    int lrc = doge_keystore_load_verifier(ws, ref, &v);
    if (lrc == DOGE_ENOTFOUND && !ws) {
        rc = doge_cli_failf("no key '%s': it is not a file or a verifier key text, and there is "
                            "no workspace to look it up in (%s)",
                            ref, ws_error);
        goto done;
    }
    if (lrc) {
        rc = doge_cli_fail();
        goto done;
    }
    if ((rc = doge_cli_read_input(path, DOGE_NOTE_MAX_SIZE, &msg, &len)))
        goto done;
    const doge_verifier *known[1] = {v};
    if (doge_note_open(&n, msg, len, known, 1) != DOGE_OK) {
        rc = doge_cli_failf("%s: %s", label, doge_error_last());
        goto done;
    }
    size_t text_len;
    const char *text = doge_note_text(n, &text_len);
    if (cli->json) {
        char hash[9];
        json_t *o = json_object(), *sigs = json_array();
        json_object_set_new(o, "verified", json_true());
        json_object_set_new(o, "key", json_string(doge_verifier_name(v)));
        json_object_set_new(o, "text", json_stringn(text, text_len));
        for (size_t i = 0; i < doge_note_sig_count(n); i++) {
            const doge_note_sig *sg = doge_note_sig_at(n, i);
            json_t *so = json_object();
            snprintf(hash, sizeof hash, "%08x", (unsigned)sg->key_hash);
            json_object_set_new(so, "name", json_string(sg->name));
            json_object_set_new(so, "key_hash", json_string(hash));
            json_object_set_new(so, "verified", json_boolean(sg->verifier != NULL));
            if (sg->verifier && doge_verifier_type(sg->verifier) == DOGE_KEY_COSIGNATURE_V1)
                json_object_set_new(so, "timestamp", json_integer((json_int_t)sg->timestamp));
            json_array_append_new(sigs, so);
        }
        json_object_set_new(o, "signatures", sigs);
        rc = doge_cli_print_json(o);
    } else {
        fwrite(text, 1, text_len, stdout);
    }
done:
    doge_note_free(n);
    free(msg);
    doge_verifier_free(v);
    doge_workspace_free(ws);
    return rc;
}

/* ---- dispatch ------------------------------------------------------------ */

static const id_sub subs[] = {
    {"new", "NAME [--witness]", 1, 1, run_new},
    {"import", "FILE", 1, 0, run_import},
    {"list", "", 0, 0, run_list},
    {"show", "NAME", 1, 0, run_show},
    {"sign", "NAME FILE", 2, 0, run_sign},
    {"verify", "KEY FILE", 2, 0, run_verify},
};

static int run(doge_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return doge_cli_usage_error(&doge_cmd_id,
                                    "needs a subcommand: new, import, list, show, sign or verify");
    const id_sub *sub = NULL;
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(subs[i].name, argv[1]) == 0)
            sub = &subs[i];
    if (!sub)
        return doge_cli_usage_error(&doge_cmd_id, "unknown subcommand '%s'", argv[1]);
    char usage[64];
    snprintf(usage, sizeof usage, "doge id %s%s%s", sub->name, *sub->usage ? " " : "",
             sub->usage);
    id_args a = {{NULL, NULL}, 0, 0};
    int options_done = 0;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        if (!options_done && strcmp(arg, "--") == 0) {
            options_done = 1;
        } else if (!options_done && sub->takes_witness && strcmp(arg, "--witness") == 0) {
            a.witness = 1;
        } else if (!options_done && arg[0] == '-' && arg[1] != '\0') {
            return doge_cli_usage_error(&doge_cmd_id, "%s: unknown option '%s' (usage: %s)",
                                        sub->name, arg, usage);
        } else if (a.npos < sub->npos) {
            a.pos[a.npos++] = arg;
        } else {
            return doge_cli_usage_error(&doge_cmd_id, "%s: unexpected argument '%s' (usage: %s)",
                                        sub->name, arg, usage);
        }
    }
    if (a.npos < sub->npos) {
        /* The name of the first missing argument: word a.npos of the usage. */
        const char *w = sub->usage;
        for (int i = 0; i < a.npos; i++)
            w = strchr(w, ' ') + 1;
        return doge_cli_usage_error(&doge_cmd_id, "%s: missing %.*s (usage: %s)", sub->name,
                                    (int)strcspn(w, " "), w, usage);
    }
    return sub->run(cli, &a);
}

const doge_cmd doge_cmd_id = {
    "id", "make, import and list keys; sign and verify notes",
    "Usage: doge id new NAME [--witness]\n"
    "       doge id import FILE\n"
    "       doge id list\n"
    "       doge id show NAME\n"
    "       doge id sign NAME FILE\n"
    "       doge id verify KEY FILE\n"
    "\n"
    "Manages the workspace's Ed25519 keys, kept in its keys/ folder, and signs\n"
    "and verifies signed notes (C2SP signed-note, the format of Go's\n"
    "golang.org/x/mod/sumdb/note).\n"
    "\n"
    "  new NAME [--witness]  Generates a key named NAME and saves it as\n"
    "                        keys/NAME.key (the private key, mode 0600) and\n"
    "                        keys/NAME.pub (its verifier key); prints the verifier\n"
    "                        key. --witness makes a cosignature/v1 key, for a\n"
    "                        witness that cosigns checkpoints, instead of an\n"
    "                        ed25519 key that signs notes.\n"
    "  import FILE           Saves a key made elsewhere (e.g. by Go's\n"
    "                        note.GenerateKey): a private key text\n"
    "                        PRIVATE+KEY+NAME+ID+DATA, or a verifier key text\n"
    "                        NAME+ID+DATA, kept to verify with only. FILE '-'\n"
    "                        reads standard input. Prints the verifier key.\n"
    "  list                  Lists the keys: name, type (ed25519 or\n"
    "                        cosignature/v1), key ID, whether the private key is\n"
    "                        here, and the verifier key.\n"
    "  show NAME             Prints the verifier key of the key NAME.\n"
    "  sign NAME FILE        Prints the signed note of FILE's text signed with\n"
    "                        the ed25519 key NAME. FILE '-' reads standard input.\n"
    "                        The text must be UTF-8 without control characters\n"
    "                        other than newline, and must end with a newline.\n"
    "  verify KEY FILE       Checks that the signed note in FILE ('-': standard\n"
    "                        input) carries a valid signature by KEY and that\n"
    "                        no signature by KEY fails, then prints the note's\n"
    "                        text. KEY is a key name in keys/, a file holding a\n"
    "                        verifier key, or the verifier key text itself;\n"
    "                        the last two work outside a workspace too.\n"
    "\n"
    "Key names may not hold spaces or '+'. A '/' in a name (as in an origin such\n"
    "as doge.example/log) becomes '_' in its file names; names starting with '.'\n"
    "or holding '.', '..' or empty path parts are refused. A key is never\n"
    "overwritten: saving a name that is taken fails.\n"
    "\n"
    "Exit status: 0 success; 1 bad input, a missing key, or a note that does not\n"
    "verify (the message says why); 2 usage error.\n"
    "\n"
    "With --json: new, import and show print the key (name, type, key_hash,\n"
    "vkey, has_private_key, file); list prints {workspace, keys: [...]}; sign\n"
    "prints {key, key_hash, note}; verify prints {verified, key, text,\n"
    "signatures: [{name, key_hash, verified}]}.\n",
    run,
};
