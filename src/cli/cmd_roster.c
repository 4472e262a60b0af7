/*
 * cmd_roster.c — `doge roster`: import a workforce roster from CSV (all
 * errors listed, nothing imported on any error; joined/left/moved counted on
 * re-import), show one employee or list employees, list the changes an
 * import recorded, and print roster statistics, as text or --json. The
 * rules live in libdoge (doge/roster.h); this file parses arguments and
 * prints.
 */
#include "cli.h"
#include "doge.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest management chain `show` walks up. */
#define CHAIN_MAX 256

typedef struct roster_args {
    const char *pos; /* the one positional argument, or NULL */
    int all;         /* --all */
    const char *department, *manager;
    int64_t import_id; /* --import N */
} roster_args;

typedef struct roster_sub {
    const char *name;
    const char *usage;
    int npos_min, npos_max;
    unsigned opts; /* OPT_* accepted */
    int (*run)(doge_cli *cli, const roster_args *a);
} roster_sub;

enum { OPT_ALL = 1, OPT_DEPT = 2, OPT_MANAGER = 4, OPT_IMPORT = 8 };

static void stamp(int64_t t, char *buf, size_t cap)
{
    if (doge_date_timestamp_format(t, buf, cap) != DOGE_OK)
        snprintf(buf, cap, "%lld", (long long)t);
}

/* ---- import --------------------------------------------------------------- */

static int run_import(doge_cli *cli, const roster_args *a)
{
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_roster_import_opts o;
    memset(&o, 0, sizeof o);
    o.progress = cli->quiet ? DOGE_PROGRESS_QUIET : 0;
    o.source = doge_cli_input_label(a->pos);
    doge_roster_import_result res;
    int lrc = doge_roster_import(doge_workspace_store(ws), a->pos, &o, &res);
    double secs = res.read_seconds + res.store_seconds;
    double rate = secs > 0 ? (double)res.rows / secs : 0.0;
    if (lrc != DOGE_OK && res.errors == 0) {
        rc = doge_cli_fail();
    } else if (lrc != DOGE_OK) {
        for (size_t i = 0; i < res.listed; i++)
            fprintf(stderr, "%s\n", res.error_list[i]);
        if (res.errors > res.listed)
            fprintf(stderr, "doge: %s: %zu errors (the first %zu by line are listed); nothing was "
                            "imported\n",
                    o.source, res.errors, res.listed);
        else
            fprintf(stderr, "doge: %s: %zu error%s; nothing was imported\n", o.source, res.errors,
                    res.errors == 1 ? "" : "s");
        if (cli->json) {
            json_t *j = json_object(), *list = json_array();
            for (size_t i = 0; i < res.listed; i++)
                json_array_append_new(list, json_string(res.error_list[i]));
            json_object_set_new(j, "file", json_string(o.source));
            json_object_set_new(j, "imported", json_false());
            json_object_set_new(j, "rows", json_integer(res.rows));
            json_object_set_new(j, "error_count", json_integer((json_int_t)res.errors));
            json_object_set_new(j, "errors", list);
            doge_cli_print_json(j);
        }
        rc = DOGE_EXIT_INPUT;
    } else if (cli->json) {
        json_t *j = json_object();
        json_object_set_new(j, "file", json_string(o.source));
        json_object_set_new(j, "imported", json_true());
        json_object_set_new(j, "import_id", json_integer(res.import_id));
        json_object_set_new(j, "rows", json_integer(res.rows));
        json_object_set_new(j, "joined", json_integer(res.joined));
        json_object_set_new(j, "left", json_integer(res.left));
        json_object_set_new(j, "moved", json_integer(res.moved));
        json_object_set_new(j, "updated", json_integer(res.updated));
        json_object_set_new(j, "unchanged", json_integer(res.unchanged));
        json_object_set_new(j, "active", json_integer(res.active));
        json_object_set_new(j, "read_seconds", json_real(res.read_seconds));
        json_object_set_new(j, "store_seconds", json_real(res.store_seconds));
        json_object_set_new(j, "rows_per_second", json_real(rate));
        rc = doge_cli_print_json(j);
    } else {
        printf("imported %s (import %lld): %lld rows in %.1f s (read %.1f s, store %.1f s), "
               "%.0f rows/s\n",
               o.source, (long long)res.import_id, (long long)res.rows, secs, res.read_seconds,
               res.store_seconds, rate);
        printf("joined %lld, left %lld, moved %lld, updated %lld, unchanged %lld; %lld active\n",
               (long long)res.joined, (long long)res.left, (long long)res.moved,
               (long long)res.updated, (long long)res.unchanged, (long long)res.active);
    }
    doge_roster_import_result_dispose(&res);
    doge_workspace_free(ws);
    return rc;
}

/* ---- show ----------------------------------------------------------------- */

static json_t *person_json(const doge_roster_person *p)
{
    json_t *o = json_object(), *al = json_array();
    json_object_set_new(o, "employee_id", json_string(p->employee_id));
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "email", json_string(p->email));
    for (const char *s = p->aliases; s && *s;) {
        const char *e = strchr(s, ';');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        json_array_append_new(al, json_stringn(s, n));
        s = e ? e + 1 : s + n;
    }
    json_object_set_new(o, "aliases", al);
    json_object_set_new(o, "department", json_string(p->department));
    json_object_set_new(o, "manager_id", p->manager_id ? json_string(p->manager_id) : json_null());
    json_object_set_new(o, "active", json_boolean(p->active));
    char ts[40];
    stamp(p->updated_at, ts, sizeof ts);
    json_object_set_new(o, "updated_at", json_string(ts));
    json_t *extra = p->extra ? json_loads(p->extra, 0, NULL) : NULL;
    json_object_set_new(o, "extra", extra ? extra : json_object());
    return o;
}

struct list_ctx {
    doge_cli *cli;
    int64_t n;
};

static int list_one(void *ctx, const doge_roster_person *p)
{
    struct list_ctx *c = ctx;
    if (c->cli->json) {
        json_t *o = person_json(p);
        char *text = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
        json_decref(o);
        if (!text)
            return doge__cli_error("out of memory");
        printf("%s\n  %s", c->n ? "," : "", text);
        free(text);
    } else {
        printf("%s\t%s\t%s\t%s\t%s%s\n", p->employee_id, p->name, p->email, p->department,
               p->manager_id ? p->manager_id : "-", p->active ? "" : "\tleft");
    }
    c->n++;
    return 0;
}

struct hist_ctx {
    json_t *arr; /* --json */
};

static int hist_one(void *ctx, const doge_roster_change *c)
{
    struct hist_ctx *h = ctx;
    char ts[40];
    stamp(c->changed_at, ts, sizeof ts);
    if (h->arr) {
        json_t *o = json_object();
        json_object_set_new(o, "import_id", json_integer(c->import_id));
        json_object_set_new(o, "changed_at", json_string(ts));
        json_object_set_new(o, "employee_id", json_string(c->employee_id));
        json_object_set_new(o, "kind", json_string(c->kind));
        json_object_set_new(o, "old_department",
                            c->old_department ? json_string(c->old_department) : json_null());
        json_object_set_new(o, "new_department",
                            c->new_department ? json_string(c->new_department) : json_null());
        json_object_set_new(o, "old_manager_id",
                            c->old_manager_id ? json_string(c->old_manager_id) : json_null());
        json_object_set_new(o, "new_manager_id",
                            c->new_manager_id ? json_string(c->new_manager_id) : json_null());
        json_array_append_new(h->arr, o);
        return 0;
    }
    const char *om = c->old_manager_id ? c->old_manager_id : "none";
    const char *nm = c->new_manager_id ? c->new_manager_id : "none";
    if (strcmp(c->kind, "joined") == 0)
        printf("%s  import %lld  joined  %s  %s (manager %s)\n", ts, (long long)c->import_id,
               c->employee_id, c->new_department ? c->new_department : "", nm);
    else if (strcmp(c->kind, "left") == 0)
        printf("%s  import %lld  left    %s  %s (manager %s)\n", ts, (long long)c->import_id,
               c->employee_id, c->old_department ? c->old_department : "", om);
    else
        printf("%s  import %lld  moved   %s  %s (manager %s) -> %s (manager %s)\n", ts,
               (long long)c->import_id, c->employee_id, c->old_department ? c->old_department : "",
               om, c->new_department ? c->new_department : "", nm);
    return 0;
}

static int show_one(doge_cli *cli, doge_store *st, const char *key)
{
    doge_roster_person p;
    if (doge_roster_find(st, key, &p) != DOGE_OK)
        return doge_cli_fail();
    /* The chain of managers up to the top. */
    const char *chain_ids[CHAIN_MAX];
    doge_roster_person chain[CHAIN_MAX];
    size_t nchain = 0;
    const char *up = p.manager_id;
    while (up && nchain < CHAIN_MAX) {
        if (doge_roster_find(st, up, &chain[nchain]) != DOGE_OK)
            break;
        chain_ids[nchain] = chain[nchain].employee_id;
        up = chain[nchain].manager_id;
        nchain++;
    }
    int rc = DOGE_EXIT_OK;
    struct hist_ctx h = {NULL};
    if (cli->json) {
        json_t *o = person_json(&p), *ch = json_array();
        json_object_set_new(o, "direct_reports", json_integer(p.direct_reports));
        json_object_set_new(o, "manager_name", nchain ? json_string(chain[0].name) : json_null());
        for (size_t i = 0; i < nchain; i++)
            json_array_append_new(ch, json_string(chain_ids[i]));
        json_object_set_new(o, "chain", ch);
        h.arr = json_array();
        if (doge_roster_changes(st, p.employee_id, 0, hist_one, &h) != DOGE_OK) {
            json_decref(h.arr);
            json_decref(o);
            rc = doge_cli_fail();
        } else {
            json_object_set_new(o, "changes", h.arr);
            rc = doge_cli_print_json(o);
        }
    } else {
        char ts[40];
        stamp(p.updated_at, ts, sizeof ts);
        printf("employee_id  %s\n", p.employee_id);
        printf("name         %s\n", p.name);
        printf("email        %s\n", p.email);
        if (*p.aliases)
            printf("aliases      %s\n", p.aliases);
        printf("department   %s\n", p.department);
        if (nchain)
            printf("manager      %s (%s)\n", chain[0].employee_id, chain[0].name);
        else
            printf("manager      none (top of the chain)\n");
        if (nchain > 1) {
            printf("chain        ");
            for (size_t i = 0; i < nchain; i++)
                printf("%s%s", i ? " > " : "", chain_ids[i]);
            printf("\n");
        }
        printf("reports      %lld direct\n", (long long)p.direct_reports);
        printf("active       %s\n", p.active ? "yes" : "no (left)");
        printf("updated      %s\n", ts);
        json_t *extra = p.extra ? json_loads(p.extra, 0, NULL) : NULL;
        const char *k;
        json_t *v;
        json_object_foreach(extra, k, v)
        {
            printf("%-12s %s\n", k, json_string_value(v) ? json_string_value(v) : "");
        }
        json_decref(extra);
        printf("history\n");
        if (doge_roster_changes(st, p.employee_id, 0, hist_one, &h) != DOGE_OK)
            rc = doge_cli_fail();
    }
    for (size_t i = 0; i < nchain; i++)
        doge_roster_person_dispose(&chain[i]);
    doge_roster_person_dispose(&p);
    return rc;
}

static int run_show(doge_cli *cli, const roster_args *a)
{
    if (a->pos && (a->all || a->department || a->manager))
        return doge_cli_usage_error(&doge_cmd_roster, "show: --all, --department and --manager list "
                                          "employees; they do not go with an id or address");
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_store *st = doge_workspace_store(ws);
    if (a->pos) {
        rc = show_one(cli, st, a->pos);
    } else {
        doge_roster_filter f = {a->all, a->department, a->manager};
        struct list_ctx c = {cli, 0};
        if (cli->json)
            printf("[");
        int lrc = doge_roster_each(st, &f, list_one, &c);
        if (cli->json)
            printf("%s]\n", c.n ? "\n" : "");
        rc = lrc == DOGE_OK ? DOGE_EXIT_OK : doge_cli_fail();
    }
    doge_workspace_free(ws);
    return rc;
}

/* ---- changes -------------------------------------------------------------- */

static int run_changes(doge_cli *cli, const roster_args *a)
{
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_store *st = doge_workspace_store(ws);
    int64_t id = a->import_id;
    if (id == 0 && !a->pos &&
        doge_store_query_int64(st, "SELECT COALESCE(MAX(id), 0) FROM roster_import", NULL, &id) !=
            DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    struct hist_ctx h = {cli->json ? json_array() : NULL};
    if (id == 0 && !a->pos) {
        doge_workspace_free(ws);
        if (h.arr)
            return doge_cli_print_json(h.arr);
        printf("no roster imported yet\n");
        return DOGE_EXIT_OK;
    }
    if (doge_roster_changes(st, a->pos, a->pos ? 0 : id, hist_one, &h) != DOGE_OK) {
        json_decref(h.arr);
        rc = doge_cli_fail();
    } else if (h.arr) {
        rc = doge_cli_print_json(h.arr);
    }
    doge_workspace_free(ws);
    return rc;
}

/* ---- stats ---------------------------------------------------------------- */

static int run_stats(doge_cli *cli, const roster_args *a)
{
    (void)a;
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_roster_stats s;
    if (doge_roster_stats_get(doge_workspace_store(ws), &s) != DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    char ts[40] = "";
    if (s.last_import_id)
        stamp(s.last_imported_at, ts, sizeof ts);
    if (cli->json) {
        json_t *o = json_object(), *deps = json_array();
        json_object_set_new(o, "active", json_integer(s.active));
        json_object_set_new(o, "inactive", json_integer(s.inactive));
        json_object_set_new(o, "addresses", json_integer(s.addresses));
        json_object_set_new(o, "with_aliases", json_integer(s.with_aliases));
        json_object_set_new(o, "managers", json_integer(s.managers));
        json_object_set_new(o, "tops", json_integer(s.tops));
        json_object_set_new(o, "max_span", json_integer(s.max_span));
        json_object_set_new(o, "mean_span", json_real(s.mean_span));
        json_object_set_new(o, "max_depth", json_integer(s.max_depth));
        json_object_set_new(o, "department_count", json_integer((json_int_t)s.departments));
        for (size_t i = 0; i < s.departments; i++) {
            json_t *d = json_object();
            json_object_set_new(d, "department", json_string(s.by_department[i].name));
            json_object_set_new(d, "employees", json_integer(s.by_department[i].employees));
            json_array_append_new(deps, d);
        }
        json_object_set_new(o, "departments", deps);
        json_object_set_new(o, "imports", json_integer(s.imports));
        if (s.last_import_id) {
            json_t *li = json_object();
            json_object_set_new(li, "import_id", json_integer(s.last_import_id));
            json_object_set_new(li, "imported_at", json_string(ts));
            json_object_set_new(li, "source", json_string(s.last_source));
            json_object_set_new(li, "rows", json_integer(s.last_rows));
            json_object_set_new(li, "joined", json_integer(s.last_joined));
            json_object_set_new(li, "left", json_integer(s.last_left));
            json_object_set_new(li, "moved", json_integer(s.last_moved));
            json_object_set_new(li, "updated", json_integer(s.last_updated));
            json_object_set_new(o, "last_import", li);
        } else {
            json_object_set_new(o, "last_import", json_null());
        }
        rc = doge_cli_print_json(o);
    } else {
        printf("employees    %lld active, %lld left\n", (long long)s.active, (long long)s.inactive);
        printf("departments  %zu\n", s.departments);
        printf("managers     %lld (span of control %.1f on average, %lld at most)\n",
               (long long)s.managers, s.mean_span, (long long)s.max_span);
        printf("tops         %lld (employees without a manager)\n", (long long)s.tops);
        printf("depth        %lld (longest management chain)\n", (long long)s.max_depth);
        printf("addresses    %lld (%lld employees with aliases)\n", (long long)s.addresses,
               (long long)s.with_aliases);
        if (s.last_import_id)
            printf("last import  %lld at %s from %s: %lld rows, joined %lld, left %lld, moved "
                   "%lld, updated %lld\n",
                   (long long)s.last_import_id, ts, s.last_source, (long long)s.last_rows,
                   (long long)s.last_joined, (long long)s.last_left, (long long)s.last_moved,
                   (long long)s.last_updated);
        else
            printf("last import  none (doge roster import FILE.csv)\n");
        size_t shown = s.departments < 10 ? s.departments : 10;
        if (shown)
            printf("largest departments\n");
        for (size_t i = 0; i < shown; i++)
            printf("  %9lld  %5.1f%%  %s\n", (long long)s.by_department[i].employees,
                   s.active ? 100.0 * (double)s.by_department[i].employees / (double)s.active : 0.0,
                   s.by_department[i].name);
        if (s.departments > shown)
            printf("  ... and %zu more (--json lists all)\n", s.departments - shown);
    }
    doge_roster_stats_dispose(&s);
    doge_workspace_free(ws);
    return rc;
}

/* ---- dispatch ------------------------------------------------------------- */

static const roster_sub subs[] = {
    {"import", "FILE.csv", 1, 1, 0, run_import},
    {"show", "[ID|EMAIL] [--all] [--department NAME] [--manager ID]", 0, 1,
     OPT_ALL | OPT_DEPT | OPT_MANAGER, run_show},
    {"changes", "[ID] [--import N]", 0, 1, OPT_IMPORT, run_changes},
    {"stats", "", 0, 0, 0, run_stats},
};

static int run(doge_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return doge_cli_usage_error(&doge_cmd_roster,
                                    "needs a subcommand: import, show, changes or stats");
    const roster_sub *sub = NULL;
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(subs[i].name, argv[1]) == 0)
            sub = &subs[i];
    if (!sub)
        return doge_cli_usage_error(&doge_cmd_roster, "unknown subcommand '%s'", argv[1]);
    roster_args a;
    memset(&a, 0, sizeof a);
    int npos = 0, options_done = 0;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = NULL;
        if (!options_done && strcmp(arg, "--") == 0) {
            options_done = 1;
            continue;
        }
        if (!options_done && arg[0] == '-' && arg[1] != '\0') {
            unsigned opt = strcmp(arg, "--all") == 0          ? OPT_ALL
                           : strcmp(arg, "--department") == 0 ? OPT_DEPT
                           : strcmp(arg, "--manager") == 0    ? OPT_MANAGER
                           : strcmp(arg, "--import") == 0     ? OPT_IMPORT
                                                              : 0;
            if (!(opt & sub->opts))
                return doge_cli_usage_error(&doge_cmd_roster,
                                            "%s: unknown option '%s' (usage: doge roster %s %s)",
                                            sub->name, arg, sub->name, sub->usage);
            if (opt != OPT_ALL) {
                if (i + 1 >= argc)
                    return doge_cli_usage_error(&doge_cmd_roster, "%s: option %s needs a value",
                                                sub->name, arg);
                val = argv[++i];
            }
            if (opt == OPT_ALL)
                a.all = 1;
            else if (opt == OPT_DEPT)
                a.department = val;
            else if (opt == OPT_MANAGER)
                a.manager = val;
            else if (doge_cli_parse_index(&doge_cmd_roster, "--import", val, &a.import_id))
                return DOGE_EXIT_USAGE;
            continue;
        }
        if (npos >= sub->npos_max)
            return doge_cli_usage_error(&doge_cmd_roster,
                                        "%s: unexpected argument '%s' (usage: doge roster %s%s%s)",
                                        sub->name, arg, sub->name, *sub->usage ? " " : "",
                                        sub->usage);
        a.pos = arg;
        npos++;
    }
    if (npos < sub->npos_min)
        return doge_cli_usage_error(&doge_cmd_roster, "%s: missing %s (usage: doge roster %s %s)",
                                    sub->name, sub->usage, sub->name, sub->usage);
    return sub->run(cli, &a);
}

const doge_cmd doge_cmd_roster = {
    "roster", "import, show and count the workforce roster",
    "Usage: doge roster import FILE.csv\n"
    "       doge roster show [ID|EMAIL] [--all] [--department NAME] [--manager ID]\n"
    "       doge roster changes [ID] [--import N]\n"
    "       doge roster stats\n\n"
    "import   reads a roster CSV (columns employee_id, name, email, department,\n"
    "         manager_id; optional aliases, ';'-separated; other columns are kept)\n"
    "         and makes it the active workforce. Every row is checked first: a\n"
    "         file with any error imports nothing, and every error is counted\n"
    "         and the first 50 by line are listed as FILE:LINE: field 'x': ...\n"
    "         (duplicate ids or addresses, malformed addresses, unknown managers,\n"
    "         cycles in the manager chain). On re-import, ids not seen before\n"
    "         joined, active ids missing from the file left (kept, inactive),\n"
    "         and ids whose department or manager changed moved; the counts and\n"
    "         the rows per second are printed. '-' reads standard input.\n"
    "show     with ID or EMAIL (an e-mail or alias): that employee, their chain\n"
    "         of managers, direct reports, extra columns and history. Without:\n"
    "         one line per active employee (id, name, e-mail, department,\n"
    "         manager, tab-separated); --all includes those who left.\n"
    "changes  what the last import (or --import N) recorded, or one\n"
    "         employee's history with ID.\n"
    "stats    employees, departments (largest first), managers, span of\n"
    "         control, chain depth, addresses and the last import.\n"
    "All take --json.\n",
    run,
};
