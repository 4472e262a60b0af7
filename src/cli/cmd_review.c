/*
 * cmd_review.c — `doge review`: the dispatcher over the review subcommand
 * tables (see doge_review_sub in cli.h) and the classifier's own
 * subcommands: `train` (fits the model on the training part of the
 * labelled set, the built-in one or --data FILE, and writes
 * review/model.bin in the workspace), `eval` (re-creates the held-out part
 * the model recorded and prints per-category precision, recall, F1, the
 * macro-F1, accuracy and the confusion matrix; --min-macro-f1 makes a low
 * score exit 1) and `explain` (category, confidence, the weighted features
 * and the specificity evidence of each text). The work is libdoge's
 * (doge/review_model.h); this file parses arguments and prints.
 */
#include "cli.h"
#include "doge.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Every table of review subcommands; another file adds its own here. */
static const doge_review_sub *const tables[] = {
    doge_review_model_subs,
    doge_review_human_subs,
    NULL,
};

/* ---- arguments ------------------------------------------------------------ */

typedef struct ropt {
    const char *name; /* "--seed" */
    const char **val; /* receives the value; NULL for a flag */
    int *flag;        /* set to 1 for a flag */
} ropt;

/* Parses argv[1..] of a subcommand: options of opts ("--x V" or "--x=V"),
 * the rest positional into pos (at most maxpos; "-" is positional, "--"
 * ends the options). Returns DOGE_EXIT_OK or a usage error. */
static int parse_args(const doge_review_sub *sub, int argc, char **argv, const ropt *opts,
                      const char **pos, int maxpos, int *npos)
{
    int done = 0;
    *npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!done && strcmp(a, "--") == 0) {
            done = 1;
            continue;
        }
        if (!done && a[0] == '-' && a[1] != '\0') {
            const ropt *o = NULL;
            const char *eq = strchr(a, '=');
            size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
            for (const ropt *p = opts; p && p->name; p++)
                if (strlen(p->name) == nlen && strncmp(p->name, a, nlen) == 0)
                    o = p;
            if (!o)
                return doge_cli_usage_error(&doge_cmd_review,
                                            "%s: unknown option '%s' (usage: doge review %s)",
                                            sub->name, a, sub->usage);
            if (!o->val) {
                if (eq)
                    return doge_cli_usage_error(&doge_cmd_review, "%s: %s takes no value",
                                                sub->name, o->name);
                *o->flag = 1;
                continue;
            }
            if (eq) {
                *o->val = eq + 1;
            } else {
                if (i + 1 >= argc)
                    return doge_cli_usage_error(&doge_cmd_review, "%s: option %s needs a value",
                                                sub->name, o->name);
                *o->val = argv[++i];
            }
            continue;
        }
        if (*npos >= maxpos)
            return doge_cli_usage_error(&doge_cmd_review,
                                        "%s: unexpected argument '%s' (usage: doge review %s)",
                                        sub->name, a, sub->usage);
        pos[(*npos)++] = a;
    }
    return DOGE_EXIT_OK;
}

static int parse_double(const char *sub, const char *opt, const char *s, double lo, double hi,
                        int lo_open, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < lo || (lo_open && v == lo) || v > hi)
        return doge_cli_usage_error(&doge_cmd_review, "%s: %s wants a number %s %g and %g, not '%s'",
                                    sub, opt, lo_open ? "above" : "from", lo, hi, s);
    *out = v;
    return DOGE_EXIT_OK;
}

static int parse_u64(const char *sub, const char *opt, const char *s, uint64_t lo, uint64_t hi,
                     uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return doge_cli_usage_error(&doge_cmd_review, "%s: %s wants a whole number, not '%s'",
                                    sub, opt, s);
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return doge_cli_usage_error(&doge_cmd_review,
                                    "%s: %s wants a whole number from %llu to %llu, not '%s'", sub,
                                    opt, (unsigned long long)lo, (unsigned long long)hi, s);
    *out = (uint64_t)v;
    return DOGE_EXIT_OK;
}

/* ---- shared steps ------------------------------------------------------------ */

/* The labelled set: --data FILE, else the built-in one. *owned is what to
 * free(). */
static int load_examples(const char *data, const doge_review_example **ex, size_t *n,
                         doge_review_example **owned, const char **label)
{
    *owned = NULL;
    if (data) {
        if (doge_review_examples_read(data, owned, n) != DOGE_OK)
            return doge_cli_fail();
        *ex = *owned;
        *label = data;
        return DOGE_EXIT_OK;
    }
    if (doge_review_builtin_examples(ex, n) != DOGE_OK)
        return doge_cli_fail();
    *label = "built-in data/review/bullets.tsv";
    return DOGE_EXIT_OK;
}

/* Loads the workspace's model; says how to make one when there is none. */
static int load_model(doge_cli *cli, doge_review_model **m, char *path, size_t cap)
{
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    if (doge_workspace_path(ws, DOGE_REVIEW_MODEL_FILE, path, cap) != DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    doge_workspace_free(ws);
    int lrc = doge_review_model_load(m, path);
    if (lrc == DOGE_ENOTFOUND)
        return doge_cli_failf("no review model in this workspace yet (%s); train one with "
                              "'doge review train'",
                              path);
    if (lrc != DOGE_OK)
        return doge_cli_fail();
    return DOGE_EXIT_OK;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- train ------------------------------------------------------------------- */

static int run_train(doge_cli *cli, int argc, char **argv)
{
    const doge_review_sub *sub = &doge_review_model_subs[0];
    const char *data = NULL, *seed_s = NULL, *share_s = NULL, *epochs_s = NULL, *bits_s = NULL;
    const ropt opts[] = {{"--data", &data, NULL},          {"--seed", &seed_s, NULL},
                         {"--test-share", &share_s, NULL}, {"--epochs", &epochs_s, NULL},
                         {"--hash-bits", &bits_s, NULL},   {NULL, NULL, NULL}};
    int npos;
    int rc = parse_args(sub, argc, argv, opts, NULL, 0, &npos);
    if (rc)
        return rc;
    doge_review_train_opts o;
    memset(&o, 0, sizeof o);
    o.seed = 1;
    o.test_share = 0.2;
    uint64_t v;
    if (seed_s && (rc = parse_u64("train", "--seed", seed_s, 1, UINT64_MAX, &o.seed)))
        return rc;
    if (share_s && (rc = parse_double("train", "--test-share", share_s, 0.0, 0.9, 0, &o.test_share)))
        return rc;
    if (epochs_s) {
        if ((rc = parse_u64("train", "--epochs", epochs_s, 1, 1000, &v)))
            return rc;
        o.epochs = (int)v;
    }
    if (bits_s) {
        if ((rc = parse_u64("train", "--hash-bits", bits_s, 12, 24, &v)))
            return rc;
        o.hash_bits = (unsigned)v;
    }
    doge_workspace *ws;
    if ((rc = doge_cli_open_workspace(cli, &ws)))
        return rc;
    char path[4096];
    if (doge_workspace_path(ws, DOGE_REVIEW_MODEL_FILE, path, sizeof path) != DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    doge_workspace_free(ws);
    const doge_review_example *ex;
    doge_review_example *owned;
    size_t n;
    const char *label;
    if ((rc = load_examples(data, &ex, &n, &owned, &label)))
        return rc;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    doge_review_model *m;
    if (doge_review_model_train(&m, ex, n, &o) != DOGE_OK) {
        free(owned);
        return doge_cli_fail();
    }
    double secs = seconds_since(&t0);
    if (doge_review_model_save(m, path) != DOGE_OK) {
        doge_review_model_free(m);
        free(owned);
        return doge_cli_fail();
    }
    doge_review_model_info info;
    doge_review_model_get_info(m, &info);
    FILE *f = fopen(path, "rb");
    long bytes = -1;
    if (f && fseek(f, 0, SEEK_END) == 0)
        bytes = ftell(f);
    if (f)
        fclose(f);
    if (cli->json) {
        json_t *j = json_object();
        json_object_set_new(j, "model", json_string(path));
        json_object_set_new(j, "data", json_string(label));
        json_object_set_new(j, "data_hash", json_sprintf("%016llx", (unsigned long long)info.data_hash));
        json_object_set_new(j, "examples", json_integer((json_int_t)info.data_count));
        json_object_set_new(j, "trained_on", json_integer((json_int_t)info.train_count));
        json_object_set_new(j, "held_out", json_integer((json_int_t)(info.data_count - info.train_count)));
        json_object_set_new(j, "seed", json_integer((json_int_t)info.opts.seed));
        json_object_set_new(j, "test_share", json_real(info.opts.test_share));
        json_object_set_new(j, "epochs", json_integer(info.opts.epochs));
        json_object_set_new(j, "hash_bits", json_integer(info.opts.hash_bits));
        json_object_set_new(j, "l2", json_real(info.opts.l2));
        json_object_set_new(j, "learn_rate", json_real(info.opts.learn_rate));
        json_object_set_new(j, "weights", json_integer((json_int_t)info.weights));
        json_object_set_new(j, "rows", json_integer((json_int_t)info.rows));
        json_object_set_new(j, "bytes", json_integer(bytes));
        json_object_set_new(j, "seconds", json_real(secs));
        rc = doge_cli_print_json(j);
    } else {
        printf("trained on %zu of %zu labelled bullets from %s (%zu held out; seed %llu, test "
               "share %.2f), %d epochs in %.2f s\n",
               info.train_count, info.data_count, label, info.data_count - info.train_count,
               (unsigned long long)info.opts.seed, info.opts.test_share, info.opts.epochs, secs);
        printf("wrote %s: %zu non-zero weights in %zu of %u feature buckets, %ld bytes\n", path,
               info.weights, info.rows, 1u << info.opts.hash_bits, bytes);
        if (info.data_count > info.train_count)
            printf("next: 'doge review eval' scores it on the held-out bullets\n");
    }
    doge_review_model_free(m);
    free(owned);
    return rc;
}

/* ---- eval -------------------------------------------------------------------- */

static const char *const short_names[DOGE_REVIEW_NCATEGORIES] = {
    "miss", "serv", "over", "coor", "admn", "itop", "trng", "leav", "unsp"};

static void print_eval(const doge_review_eval *e)
{
    printf("%-22s %9s %7s %7s %8s\n", "category", "precision", "recall", "f1", "support");
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++)
        printf("%-22s %9.3f %7.3f %7.3f %8zu\n", doge_review_category_name(c), e->precision[c],
               e->recall[c], e->f1[c], e->support[c]);
    printf("macro-F1 %.3f  accuracy %.3f  (%zu bullets)\n\n", e->macro_f1, e->accuracy, e->n);
    printf("confusion matrix (rows: true category, columns: predicted)\n");
    printf("%-22s", "");
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++)
        printf(" %5s", short_names[c]);
    printf("\n");
    for (int t = 0; t < DOGE_REVIEW_NCATEGORIES; t++) {
        printf("%-22s", doge_review_category_name(t));
        for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++)
            printf(" %5zu", e->confusion[t][c]);
        printf("\n");
    }
    printf("(");
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++)
        printf("%s%s = %s", c ? ", " : "", short_names[c], doge_review_category_name(c));
    printf(")\n");
}

static json_t *eval_json(const doge_review_eval *e)
{
    json_t *j = json_object(), *per = json_object(), *conf = json_object();
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++) {
        json_t *o = json_object(), *row = json_object();
        json_object_set_new(o, "precision", json_real(e->precision[c]));
        json_object_set_new(o, "recall", json_real(e->recall[c]));
        json_object_set_new(o, "f1", json_real(e->f1[c]));
        json_object_set_new(o, "support", json_integer((json_int_t)e->support[c]));
        json_object_set_new(per, doge_review_category_name(c), o);
        for (int p = 0; p < DOGE_REVIEW_NCATEGORIES; p++)
            json_object_set_new(row, doge_review_category_name(p),
                                json_integer((json_int_t)e->confusion[c][p]));
        json_object_set_new(conf, doge_review_category_name(c), row);
    }
    json_object_set_new(j, "n", json_integer((json_int_t)e->n));
    json_object_set_new(j, "macro_f1", json_real(e->macro_f1));
    json_object_set_new(j, "accuracy", json_real(e->accuracy));
    json_object_set_new(j, "per_category", per);
    json_object_set_new(j, "confusion", conf);
    return j;
}

static int run_eval(doge_cli *cli, int argc, char **argv)
{
    const doge_review_sub *sub = &doge_review_model_subs[1];
    const char *data = NULL, *min_s = NULL;
    const ropt opts[] = {
        {"--data", &data, NULL}, {"--min-macro-f1", &min_s, NULL}, {NULL, NULL, NULL}};
    int npos;
    int rc = parse_args(sub, argc, argv, opts, NULL, 0, &npos);
    if (rc)
        return rc;
    double min_f1 = -1.0;
    if (min_s && (rc = parse_double("eval", "--min-macro-f1", min_s, 0.0, 1.0, 0, &min_f1)))
        return rc;
    doge_review_model *m;
    char path[4096];
    if ((rc = load_model(cli, &m, path, sizeof path)))
        return rc;
    const doge_review_example *ex;
    doge_review_example *owned;
    size_t n;
    const char *label;
    if ((rc = load_examples(data, &ex, &n, &owned, &label))) {
        doge_review_model_free(m);
        return rc;
    }
    size_t *idx = NULL, nidx = 0;
    doge_review_model_info info;
    doge_review_model_get_info(m, &info);
    if (doge_review_model_heldout(m, ex, n, &idx, &nidx) != DOGE_OK) {
        rc = doge_cli_failf("%s: %s; retrain with 'doge review train%s%s'", label,
                            doge_error_last(), data ? " --data " : "", data ? data : "");
        goto done;
    }
    if (nidx == 0) {
        rc = doge_cli_failf("the model in %s was trained on every bullet (test share 0): there "
                            "is no held-out part to evaluate; retrain with 'doge review train "
                            "--test-share 0.2'",
                            path);
        goto done;
    }
    doge_review_eval e;
    if (doge_review_evaluate(m, ex, idx, nidx, &e) != DOGE_OK) {
        rc = doge_cli_fail();
        goto done;
    }
    if (cli->json) {
        json_t *j = eval_json(&e);
        json_object_set_new(j, "model", json_string(path));
        json_object_set_new(j, "data", json_string(label));
        json_object_set_new(j, "seed", json_integer((json_int_t)info.opts.seed));
        json_object_set_new(j, "test_share", json_real(info.opts.test_share));
        json_object_set_new(j, "examples", json_integer((json_int_t)n));
        if (min_f1 >= 0)
            json_object_set_new(j, "min_macro_f1", json_real(min_f1));
        json_object_set_new(j, "passed", json_boolean(min_f1 < 0 || e.macro_f1 >= min_f1));
        doge_cli_print_json(j);
    } else {
        printf("held-out split: %zu of %zu bullets from %s (seed %llu, test share %.2f)\n\n", nidx,
               n, label, (unsigned long long)info.opts.seed, info.opts.test_share);
        print_eval(&e);
    }
    if (min_f1 >= 0 && e.macro_f1 < min_f1)
        rc = doge_cli_failf("macro-F1 %.3f is below the minimum %.3f", e.macro_f1, min_f1);
    else if (min_f1 >= 0 && !cli->json)
        printf("macro-F1 %.3f meets the minimum %.3f\n", e.macro_f1, min_f1);
done:
    free(idx);
    free(owned);
    doge_review_model_free(m);
    return rc;
}

/* ---- explain ----------------------------------------------------------------- */

static void print_explain(const json_t *j)
{
    const char *cat = json_string_value(json_object_get(j, "category"));
    printf("%s\n", json_string_value(json_object_get(j, "text")));
    printf("  category     %s (confidence %.2f)\n", cat,
           json_real_value(json_object_get(j, "confidence")));
    /* The next two categories by probability. */
    const json_t *probs = json_object_get(j, "probs");
    const char *k1 = NULL, *k2 = NULL;
    double p1 = -1, p2 = -1;
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)probs, key, val)
    {
        double p = json_real_value(val);
        if (strcmp(key, cat) == 0)
            continue;
        if (p > p1) {
            k2 = k1, p2 = p1;
            k1 = key, p1 = p;
        } else if (p > p2) {
            k2 = key, p2 = p;
        }
    }
    if (k1)
        printf("  then         %s %.2f%s%s", k1, p1, k2 ? ", " : "", k2 ? k2 : "");
    if (k1 && k2)
        printf(" %.2f", p2);
    if (k1)
        printf("\n");
    const json_t *feats = json_object_get(j, "features");
    size_t i;
    json_t *f;
    json_array_foreach(feats, i, f)
    {
        printf("  %-12s %+.3f  %s\n", i == 0 ? "features" : "",
               json_real_value(json_object_get(f, "weight")),
               json_string_value(json_object_get(f, "feature")));
    }
    printf("  specificity  %.2f = logistic(%.1f", json_real_value(json_object_get(j, "specificity")),
           json_real_value(json_object_get(j, "specificity_intercept")));
    const json_t *ev = json_object_get(j, "specificity_evidence");
    json_array_foreach(ev, i, f)
    {
        double w = json_real_value(json_object_get(f, "weight"));
        const char *matched = json_string_value(json_object_get(f, "matched"));
        printf(" %s %.1f %s", w < 0 ? "-" : "+", fabs(w),
               json_string_value(json_object_get(f, "feature")));
        if (matched && *matched)
            printf(" \"%s\"", matched);
    }
    printf(")\n");
}

static int explain_one(doge_cli *cli, const doge_review_model *m, const char *text, size_t len,
                       json_t *arr, int first)
{
    json_t *j;
    if (doge_review_explain(m, text, len, &j) != DOGE_OK)
        return doge_cli_fail();
    if (arr) {
        json_array_append_new(arr, j);
        return DOGE_EXIT_OK;
    }
    if (cli->json)
        return doge_cli_print_json(j);
    if (!first)
        printf("\n");
    print_explain(j);
    json_decref(j);
    return DOGE_EXIT_OK;
}

static int run_explain(doge_cli *cli, int argc, char **argv)
{
    const doge_review_sub *sub = &doge_review_model_subs[2];
    const char *pos[256];
    int npos;
    int rc = parse_args(sub, argc, argv, NULL, pos, 256, &npos);
    if (rc)
        return rc;
    if (npos == 0)
        return doge_cli_usage_error(&doge_cmd_review, "explain: missing TEXT (usage: doge review %s)",
                                    sub->usage);
    doge_review_model *m;
    char path[4096];
    if ((rc = load_model(cli, &m, path, sizeof path)))
        return rc;
    int stdin_used = 0;
    for (int i = 0; i < npos; i++)
        stdin_used |= strcmp(pos[i], "-") == 0;
    json_t *arr = cli->json && (npos > 1 || stdin_used) ? json_array() : NULL;
    int count = 0;
    for (int i = 0; i < npos && rc == DOGE_EXIT_OK; i++) {
        if (strcmp(pos[i], "-") != 0) {
            rc = explain_one(cli, m, pos[i], strlen(pos[i]), arr, count++ == 0);
            continue;
        }
        char *data;
        size_t len;
        if ((rc = doge_cli_read_input("-", (size_t)64 << 20, &data, &len)))
            break;
        for (char *s = data, *end = data + len; s < end && rc == DOGE_EXIT_OK;) {
            char *nl = memchr(s, '\n', (size_t)(end - s));
            char *le = nl ? nl : end;
            size_t l = (size_t)(le - s);
            if (l && s[l - 1] == '\r')
                l--;
            if (l)
                rc = explain_one(cli, m, s, l, arr, count++ == 0);
            s = nl ? nl + 1 : end;
        }
        free(data);
    }
    if (arr) {
        if (rc == DOGE_EXIT_OK)
            rc = doge_cli_print_json(arr);
        else
            json_decref(arr);
    }
    doge_review_model_free(m);
    return rc;
}

/* ---- dispatch ---------------------------------------------------------------- */

const doge_review_sub doge_review_model_subs[] = {
    {"train", "train [--data FILE] [--seed S] [--test-share F] [--epochs N] [--hash-bits B]",
     run_train},
    {"eval", "eval [--data FILE] [--min-macro-f1 X]", run_eval},
    {"explain", "explain TEXT... (or - for lines of standard input)", run_explain},
    {NULL, NULL, NULL},
};

static int run(doge_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return doge_cli_usage_error(&doge_cmd_review,
                                    "needs a subcommand: train, eval, explain, run, queue, show, "
                                    "decide, appeal or clusters");
    for (size_t t = 0; tables[t]; t++)
        for (const doge_review_sub *s = tables[t]; s->name; s++)
            if (strcmp(s->name, argv[1]) == 0)
                return s->run(cli, argc - 1, argv + 1);
    return doge_cli_usage_error(&doge_cmd_review, "unknown subcommand '%s'", argv[1]);
}

const doge_cmd doge_cmd_review = {
    "review", "explainable review of every bullet, copy-paste clusters, the human queue",
    "Usage: doge review train [--data FILE] [--seed S] [--test-share F] [--epochs N]\n"
    "                         [--hash-bits B]\n"
    "       doge review eval [--data FILE] [--min-macro-f1 X] [--json]\n"
    "       doge review explain TEXT... [--json]   ('-' reads one bullet a line from stdin)\n"
    "       doge review run --week W [--threads N] [--threshold J]\n"
    "       doge review queue --week W [--department D] [--limit N]\n"
    "       doge review show REPLY\n"
    "       doge review decide REPLY --outcome ok|follow-up|escalate --reason TEXT --by ID\n"
    "       doge review appeal REPLY --reason TEXT [--by EMPLOYEE_ID]\n"
    "       doge review clusters --week W [--threshold J] [--threads N] [--limit K] [--csv]\n\n"
    "Every bullet gets a category of the taxonomy in docs/review.md (mission_delivery,\n"
    "service_to_public, oversight_compliance, coordination_meetings, administrative,\n"
    "it_operations, training_development, leave_absence, unspecified), a specificity\n"
    "score in [0,1] and the evidence for both.\n\n"
    "train    fits the classifier (logistic regression over hashed words and word pairs)\n"
    "         on the labelled set: the built-in copy of data/review/bullets.tsv, or\n"
    "         --data FILE (lines 'category<TAB>text'). A stratified share of it\n"
    "         (--test-share, default 0.2) is held out by --seed (default 1) and not\n"
    "         trained on. Writes review/model.bin in the workspace. Deterministic.\n"
    "eval     scores the workspace's model on the held-out bullets it recorded:\n"
    "         precision, recall, F1 and support per category, macro-F1, accuracy and\n"
    "         the confusion matrix. With --min-macro-f1 X it exits 1 when macro-F1 < X.\n"
    "         --data FILE must be the set the model was trained from.\n"
    "explain  classifies each TEXT and prints its category and confidence, the\n"
    "         features that weighed most for it, and the specificity evidence. With\n"
    "         --json: one object for one TEXT, else an array.\n"
    "run      reviews a week again (doge pulse ingest does it after every ingest):\n"
    "         every bullet of every current reply classified and scored, copy-paste\n"
    "         clusters across the week (MinHash over word 3-grams, Jaccard >= J,\n"
    "         default 0.8), a five-second note and a queue priority per reply.\n"
    "queue    the replies a human should look at, highest priority first (appeals\n"
    "         first): no or vague bullets, low specificity, copy-paste, policy flags.\n"
    "show     one reply's evidence: every bullet's category, weighted words and\n"
    "         specificity features, its cluster and its decisions.\n"
    "decide   records a reviewer's decision with a reason, appended to the ledger;\n"
    "         the reply leaves the queue. Nothing in doge acts on an employee.\n"
    "appeal   records the respondent's appeal (ledger too); the reply returns to\n"
    "         the queue, first.\n"
    "clusters computes the week's copy-paste clusters afresh (any --threshold):\n"
    "         size, departments, lowest Jaccard, the representative reply; --csv\n"
    "         prints one row per member.\n",
    run,
};
