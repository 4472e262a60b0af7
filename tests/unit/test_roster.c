/*
 * test_roster.c — the roster: a valid import and what the queries return
 * (lookup by id, e-mail and alias in any case, extra columns, aliases,
 * managers, stats); every validation error with its exact message; a file
 * with errors importing nothing while all errors are counted and the first
 * 50 by line listed; and re-imports recording who joined, left and moved
 * (with old and new values), updating the rest, passing an address from one
 * employee to another, and bringing back someone who left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "util_assert.h"

#define HEADER "employee_id,name,email,department,manager_id,aliases,title\n"

static doge_store *new_store(void)
{
    doge_store *st;
    assert_ok(doge_store_open(&st, ":memory:"));
    assert_ok(doge_store_migrate(st, NULL, NULL));
    return st;
}

static int import_text(doge_store *st, const char *text, int64_t now,
                       doge_roster_import_result *res)
{
    doge_csvread *r;
    assert_ok(doge_csvread_open_mem(&r, text, strlen(text), "roster.csv", 0));
    doge_roster_import_opts o;
    memset(&o, 0, sizeof o);
    o.now = now;
    o.no_progress = 1;
    int rc = doge_roster_import_reader(st, r, &o, res);
    doge_csvread_free(r);
    return rc;
}

static int64_t count(doge_store *st, const char *sql)
{
    int64_t n = -1;
    assert_ok(doge_store_query_int64(st, sql, NULL, &n));
    return n;
}

static const char v1[] =
    HEADER
    "E1,Ann Lee,Ann.Lee@dod.gov,Department of Defense,,ALee@dod.gov; a.lee@old.gov ;,Secretary\n"
    "E2,José García-López,jose.garcia-lopez@dod.gov,Department of Defense,E1,,Deputy\n"
    "E3,Zoë O'Brien,zoe.obrien@dod.gov,Department of Defense,E1,,Deputy\n"
    "E4,Wei Chen,wei.chen@dod.gov,Department of Defense,E2,wchen@dod.gov,\"Analyst, IT\"\n"
    "E5,Priya Patel,priya.patel@va.gov,Department of Veterans Affairs,,,Secretary\n"
    "E6,Omar Haddad,omar.haddad@va.gov,Department of Veterans Affairs,E5,,Nurse\n";

static void test_import_and_queries(void **state)
{
    (void)state;
    doge_store *st = new_store();
    doge_roster_import_result res;
    doge_roster_stats s0;
    assert_ok(doge_roster_stats_get(st, &s0)); /* before any import: all zero */
    assert_int_equal(s0.active + s0.imports + s0.last_import_id + s0.max_depth, 0);
    assert_int_equal(s0.departments, 0);
    assert_null(s0.last_source);
    doge_roster_stats_dispose(&s0);
    assert_ok(import_text(st, v1, 1000, &res));
    assert_int_equal(res.rows, 6);
    assert_int_equal(res.joined, 6);
    assert_int_equal(res.left + res.moved + res.updated + res.unchanged, 0);
    assert_int_equal(res.active, 6);
    assert_int_equal(res.import_id, 1);
    assert_int_equal(res.errors, 0);
    doge_roster_import_result_dispose(&res);
    /* The baseline records the import, not one change row per employee. */
    assert_int_equal(count(st, "SELECT COUNT(*) FROM roster_change"), 0);
    assert_int_equal(count(st, "SELECT n_joined FROM roster_import WHERE id = 1"), 6);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM roster_alias"), 9);

    doge_roster_person p;
    assert_ok(doge_roster_find(st, "E1", &p));
    assert_string_equal(p.name, "Ann Lee");
    assert_string_equal(p.email, "Ann.Lee@dod.gov"); /* as written */
    assert_string_equal(p.aliases, "alee@dod.gov;a.lee@old.gov"); /* trimmed, lowercased */
    assert_null(p.manager_id);
    assert_string_equal(p.extra, "{\"title\":\"Secretary\"}");
    assert_int_equal(p.active, 1);
    assert_int_equal(p.updated_at, 1000);
    assert_int_equal(p.direct_reports, 2);
    doge_roster_person_dispose(&p);
    assert_ok(doge_roster_find(st, "ANN.LEE@DOD.GOV", &p)); /* any case */
    assert_string_equal(p.employee_id, "E1");
    doge_roster_person_dispose(&p);
    assert_ok(doge_roster_find(st, "A.Lee@Old.gov", &p)); /* an alias */
    assert_string_equal(p.employee_id, "E1");
    doge_roster_person_dispose(&p);
    assert_ok(doge_roster_find(st, "E4", &p));
    assert_string_equal(p.extra, "{\"title\":\"Analyst, IT\"}");
    assert_string_equal(p.manager_id, "E2");
    assert_int_equal(p.direct_reports, 0);
    doge_roster_person_dispose(&p);
    assert_ok(doge_roster_find(st, "E2", &p));
    assert_string_equal(p.name, "José García-López");
    doge_roster_person_dispose(&p);
    assert_error(doge_roster_find(st, "E99", &p), DOGE_ENOTFOUND, "no employee with id 'E99'");
    assert_error(doge_roster_find(st, "nobody@dod.gov", &p), DOGE_ENOTFOUND,
                 "no employee with address 'nobody@dod.gov'");

    char id[16];
    assert_ok(doge_roster_lookup_address(st, "WChen@dod.gov", id, sizeof id));
    assert_string_equal(id, "E4");
    assert_error(doge_roster_lookup_address(st, "wchen@dod.gov", id, 2), DOGE_ELIMIT, "E4");
    assert_error(doge_roster_lookup_address(st, "x@y.gov", id, sizeof id), DOGE_ENOTFOUND,
                 "x@y.gov");

    doge_roster_stats s;
    assert_ok(doge_roster_stats_get(st, &s));
    assert_int_equal(s.active, 6);
    assert_int_equal(s.inactive, 0);
    assert_int_equal(s.addresses, 9);
    assert_int_equal(s.with_aliases, 2);
    assert_int_equal(s.tops, 2);
    assert_int_equal(s.managers, 3); /* E1 (2 reports), E2 (1), E5 (1) */
    assert_int_equal(s.max_span, 2);
    assert_true(s.mean_span > 1.33 && s.mean_span < 1.34);
    assert_int_equal(s.max_depth, 3); /* E1 > E2 > E4 */
    assert_int_equal(s.departments, 2);
    assert_string_equal(s.by_department[0].name, "Department of Defense");
    assert_int_equal(s.by_department[0].employees, 4);
    assert_int_equal(s.by_department[1].employees, 2);
    assert_int_equal(s.imports, 1);
    assert_int_equal(s.last_joined, 6);
    assert_string_equal(s.last_source, "roster.csv");
    doge_roster_stats_dispose(&s);
    doge_roster_stats_dispose(&s); /* twice is harmless */
    doge_store_free(st);
}

struct collect {
    char text[2048];
};

static int collect_person(void *ctx, const doge_roster_person *p)
{
    struct collect *c = ctx;
    size_t n = strlen(c->text);
    snprintf(c->text + n, sizeof c->text - n, "%s%s", p->employee_id, p->active ? " " : "- ");
    return 0;
}

static int stop_early(void *ctx, const doge_roster_person *p)
{
    (void)p;
    return ++*(int *)ctx == 2 ? 7 : 0;
}

static void test_each(void **state)
{
    (void)state;
    doge_store *st = new_store();
    doge_roster_import_result res;
    assert_ok(import_text(st, v1, 1000, &res));
    doge_roster_import_result_dispose(&res);
    struct collect c = {""};
    assert_ok(doge_roster_each(st, NULL, collect_person, &c));
    assert_string_equal(c.text, "E1 E2 E3 E4 E5 E6 ");
    doge_roster_filter f = {0, "Department of Veterans Affairs", NULL};
    c.text[0] = '\0';
    assert_ok(doge_roster_each(st, &f, collect_person, &c));
    assert_string_equal(c.text, "E5 E6 ");
    doge_roster_filter g = {0, NULL, "E1"};
    c.text[0] = '\0';
    assert_ok(doge_roster_each(st, &g, collect_person, &c));
    assert_string_equal(c.text, "E2 E3 ");
    int calls = 0;
    assert_int_equal(doge_roster_each(st, NULL, stop_early, &calls), 7);
    assert_int_equal(calls, 2);
    doge_store_free(st);
}

/* Each bad file fails with DOGE_EINVAL, one listed error with this exact
 * message, and nothing imported. */
static void check_one_error(const char *text, const char *want)
{
    doge_store *st = new_store();
    doge_roster_import_result res;
    doge_error_clear();
    int rc = import_text(st, text, 1000, &res);
    if (rc != DOGE_EINVAL || res.errors != 1 || res.listed != 1 ||
        strcmp(res.error_list[0], want) != 0)
        fail_msg("got %s, %zu errors, first \"%s\" (last error \"%s\"), want \"%s\"",
                 doge_error_name(rc), res.errors, res.listed ? res.error_list[0] : "",
                 doge_error_last(), want);
    assert_message_has(want);
    assert_message_has("nothing was imported");
    assert_int_equal(res.import_id, 0);
    doge_roster_import_result_dispose(&res);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM roster"), 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM roster_alias"), 0);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM roster_import"), 0);
    doge_store_free(st);
}

#define OK_ROW "E1,Ann,ann@x.gov,D,,,t\n"

static void test_each_error_kind(void **state)
{
    (void)state;
    check_one_error(HEADER OK_ROW "E2,Bob,bob@@x,D,E1,,t\n",
                    "roster.csv:3: field 'email': 'bob@@x' is not an e-mail address");
    check_one_error(HEADER OK_ROW "E2,Bob,bob@x.gov,D,E1,,\n,,\n",
                    "roster.csv:4: has 3 fields, the header has 7");
    check_one_error(HEADER OK_ROW "E2,,bob@x.gov,D,E1,,t\n", "roster.csv:3: field 'name': is empty");
    check_one_error(HEADER OK_ROW "E2,Bob, ,D,E1,,t\n", "roster.csv:3: field 'email': is empty");
    check_one_error(HEADER OK_ROW "E2,Bob,bob@x.gov,\t,E1,,t\n",
                    "roster.csv:3: field 'department': is empty");
    check_one_error(HEADER OK_ROW "E 2,Bob,bob@x.gov,D,E1,,t\n",
                    "roster.csv:3: field 'employee_id': 'E 2' is not an id (1-64 visible ASCII "
                    "characters, no '@')");
    check_one_error(HEADER OK_ROW "E1,Bob,bob@x.gov,D,,,t\n",
                    "roster.csv:3: field 'employee_id': 'E1' is a duplicate of line 2");
    check_one_error(HEADER OK_ROW "E2,Bob,ANN@X.GOV,D,E1,,t\n",
                    "roster.csv:3: field 'email': 'ANN@X.GOV' is already used on line 2");
    check_one_error(HEADER OK_ROW "E2,Bob,bob@x.gov,D,E1,b@x.gov;Ann@x.gov,t\n",
                    "roster.csv:3: field 'aliases': 'Ann@x.gov' is already used on line 2");
    check_one_error(HEADER OK_ROW "E2,Bob,bob@x.gov,D,E1,b@x.gov;not an address,t\n",
                    "roster.csv:3: field 'aliases': 'not an address' is not an e-mail address");
    check_one_error(HEADER OK_ROW "E2,Bob,bob@x.gov,D,E9,,t\n",
                    "roster.csv:3: field 'manager_id': 'E9' is not the employee_id of anyone in "
                    "this file");
    check_one_error(HEADER "E1,Ann,ann@x.gov,D,E1,,t\n",
                    "roster.csv:2: field 'manager_id': the manager chain forms a cycle: E1 (line "
                    "2) -> E1");
    check_one_error(HEADER OK_ROW "E2,Bob,bob@x.gov,D,E4,,t\nE3,Cy,cy@x.gov,D,E2,,t\n"
                              "E4,Di,di@x.gov,D,E3,,t\nE5,Ed,ed@x.gov,D,E4,,t\n",
                    "roster.csv:3: field 'manager_id': the manager chain forms a cycle: E2 (line "
                    "3) -> E4 (line 5) -> E3 (line 4) -> E2");
    check_one_error(HEADER OK_ROW "E2,Bo\xff,bob@x.gov,D,E1,,t\n",
                    "roster.csv:3: field 'name': is not valid UTF-8");
    check_one_error(HEADER OK_ROW "E2,\"Bo\nb\",bob@x.gov,D,E1,,t\n",
                    "roster.csv:3: field 'name': 'Bo?b' contains a control character");
    check_one_error(HEADER OK_ROW "E2,Bob,bob@x.gov,D,E1,,\xc3\x28\n",
                    "roster.csv:3: field 'title': is not valid UTF-8");
    check_one_error(HEADER, "roster.csv: has a header but no employees (importing it would mark "
                            "everyone as having left)");
    check_one_error(HEADER OK_ROW "E2,\"Bob,bob@x.gov,D,E1,,t\n",
                    "roster.csv:3: byte 82: a quoted field is never closed (the input ends inside "
                    "quotes) (reading stopped here)");
}

static void test_header_errors(void **state)
{
    (void)state;
    doge_store *st = new_store();
    doge_roster_import_result res;
    assert_error(import_text(st, "employee_id,name,email,manager_id\nE1,A,a@x.gov,\n", 1, &res),
                 DOGE_EINVAL, "roster.csv:1: missing required column 'department'");
    assert_int_equal(res.errors, 0);
    doge_roster_import_result_dispose(&res);
    assert_error(import_text(st, "", 1, &res), DOGE_EINVAL, "roster.csv: empty file: no header row");
    doge_roster_import_result_dispose(&res);
    doge_store_free(st);
}

static void test_long_cycle_message(void **state)
{
    (void)state;
    doge_buf b;
    doge_buf_init(&b, 0);
    assert_ok(doge_buf_append_str(&b, HEADER));
    for (int i = 1; i <= 20; i++)
        assert_ok(doge_buf_printf(&b, "C%d,N%d,n%d@x.gov,D,C%d,,t\n", i, i, i, i % 20 + 1));
    check_one_error(b.data, "roster.csv:2: field 'manager_id': the manager chain forms a cycle: "
                            "C1 (line 2) -> C2 (line 3) -> C3 (line 4) -> C4 (line 5) -> C5 (line "
                            "6) -> C6 (line 7) -> C7 (line 8) -> C8 (line 9) -> ... (20 "
                            "employees)");
    doge_buf_dispose(&b);
}

/* 120 rows with a bad address and 5 with an unknown manager: all are
 * counted, the first 50 by line listed in order, nothing imported. */
static void test_all_errors_counted(void **state)
{
    (void)state;
    doge_buf b;
    doge_buf_init(&b, 0);
    assert_ok(doge_buf_append_str(&b, HEADER "M1,Boss,boss@x.gov,D,,,t\n"));
    for (int i = 0; i < 5; i++)
        assert_ok(doge_buf_printf(&b, "U%d,U,u%d@x.gov,D,NOPE%d,,t\n", i, i, i));
    for (int i = 0; i < 120; i++)
        assert_ok(doge_buf_printf(&b, "B%d,B,b%d@@x.gov,D,M1,,t\n", i, i));
    doge_store *st = new_store();
    doge_roster_import_result res;
    doge_error_clear();
    assert_int_equal(import_text(st, b.data, 1, &res), DOGE_EINVAL);
    assert_int_equal(res.rows, 126);
    assert_int_equal(res.errors, 125);
    assert_int_equal(res.listed, DOGE_ROSTER_LISTED);
    assert_string_equal(res.error_list[0], "roster.csv:3: field 'manager_id': 'NOPE0' is not the "
                                           "employee_id of anyone in this file");
    assert_string_equal(res.error_list[5],
                        "roster.csv:8: field 'email': 'b0@@x.gov' is not an e-mail address");
    assert_string_equal(res.error_list[49],
                        "roster.csv:52: field 'email': 'b44@@x.gov' is not an e-mail address");
    assert_message_has("roster.csv:3: field 'manager_id': 'NOPE0'");
    assert_message_has("(and 124 more errors); nothing was imported");
    doge_roster_import_result_dispose(&res);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM roster"), 0);
    doge_store_free(st);
    doge_buf_dispose(&b);
}

struct changes {
    char text[4096];
};

static int collect_change(void *ctx, const doge_roster_change *c)
{
    struct changes *x = ctx;
    size_t n = strlen(x->text);
    snprintf(x->text + n, sizeof x->text - n, "%lld %s %s %s>%s %s>%s\n", (long long)c->import_id,
             c->kind, c->employee_id, c->old_department ? c->old_department : "-",
             c->new_department ? c->new_department : "-",
             c->old_manager_id ? c->old_manager_id : "-",
             c->new_manager_id ? c->new_manager_id : "-");
    return 0;
}

static void test_reimport_diff(void **state)
{
    (void)state;
    doge_store *st = new_store();
    doge_roster_import_result res;
    assert_ok(import_text(st, v1, 1000, &res));
    doge_roster_import_result_dispose(&res);
    /* v2: E6 left; E7 joined; E3 moved department; E4 moved manager; E2
     * renamed (updated); E1's alias alee@ passes to E5 (both updated). */
    static const char v2[] =
        HEADER
        "E1,Ann Lee,Ann.Lee@dod.gov,Department of Defense,,a.lee@old.gov,Secretary\n"
        "E2,José García,jose.garcia-lopez@dod.gov,Department of Defense,E1,,Deputy\n"
        "E3,Zoë O'Brien,zoe.obrien@dod.gov,Department of Veterans Affairs,E5,,Deputy\n"
        "E4,Wei Chen,wei.chen@dod.gov,Department of Defense,E1,wchen@dod.gov,\"Analyst, IT\"\n"
        "E5,Priya Patel,priya.patel@va.gov,Department of Veterans Affairs,,alee@dod.gov,Secretary\n"
        "E7,Kofi Mensah,kofi.mensah@va.gov,Department of Veterans Affairs,E5,,Nurse\n";
    assert_ok(import_text(st, v2, 2000, &res));
    assert_int_equal(res.import_id, 2);
    assert_int_equal(res.joined, 1);
    assert_int_equal(res.left, 1);
    assert_int_equal(res.moved, 2);
    assert_int_equal(res.updated, 3);
    assert_int_equal(res.unchanged, 0);
    assert_int_equal(res.active, 6);
    doge_roster_import_result_dispose(&res);
    doge_roster_stats s2;
    assert_ok(doge_roster_stats_get(st, &s2));
    assert_int_equal(s2.active, 6);
    assert_int_equal(s2.inactive, 1);
    assert_int_equal(s2.addresses, 9);
    assert_int_equal(s2.with_aliases, 3);
    assert_int_equal(s2.managers, 2);
    assert_int_equal(s2.max_span, 2);
    assert_int_equal(s2.tops, 2);
    assert_int_equal(s2.max_depth, 2);
    assert_int_equal(s2.departments, 2);
    assert_string_equal(s2.by_department[0].name, "Department of Defense");
    assert_int_equal(s2.by_department[0].employees, 3);
    assert_string_equal(s2.by_department[1].name, "Department of Veterans Affairs");
    assert_int_equal(s2.by_department[1].employees, 3);
    assert_int_equal(s2.last_left, 1);
    assert_int_equal(s2.last_moved, 2);
    assert_int_equal(s2.last_updated, 3);
    doge_roster_stats_dispose(&s2);
    struct changes ch = {""};
    assert_ok(doge_roster_changes(st, NULL, 2, collect_change, &ch));
    assert_string_equal(ch.text,
                        "2 moved E3 Department of Defense>Department of Veterans Affairs E1>E5\n"
                        "2 moved E4 Department of Defense>Department of Defense E2>E1\n"
                        "2 left E6 Department of Veterans Affairs>- E5>-\n"
                        "2 joined E7 ->Department of Veterans Affairs ->E5\n");
    doge_roster_person p;
    assert_ok(doge_roster_find(st, "E6", &p)); /* kept, inactive */
    assert_int_equal(p.active, 0);
    assert_int_equal(p.updated_at, 2000);
    doge_roster_person_dispose(&p);
    char id[16];
    assert_error(doge_roster_lookup_address(st, "omar.haddad@va.gov", id, sizeof id),
                 DOGE_ENOTFOUND, "omar.haddad@va.gov");
    assert_ok(doge_roster_lookup_address(st, "alee@dod.gov", id, sizeof id));
    assert_string_equal(id, "E5");
    assert_ok(doge_roster_find(st, "E2", &p));
    assert_string_equal(p.name, "José García");
    assert_int_equal(p.updated_at, 2000);
    doge_roster_person_dispose(&p);
    assert_ok(doge_roster_find(st, "E4", &p));
    assert_int_equal(p.updated_at, 2000);
    doge_roster_person_dispose(&p);
    /* The same file again changes nothing and records no change. */
    assert_ok(import_text(st, v2, 3000, &res));
    assert_int_equal(res.unchanged, 6);
    assert_int_equal(res.joined + res.left + res.moved + res.updated, 0);
    doge_roster_import_result_dispose(&res);
    assert_ok(doge_roster_find(st, "E2", &p));
    assert_int_equal(p.updated_at, 2000); /* not rewritten */
    doge_roster_person_dispose(&p);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM roster_change WHERE import_id = 3"), 0);
    /* E6 comes back: joined again, and an address of theirs resolves. */
    doge_buf b;
    doge_buf_init(&b, 0);
    assert_ok(doge_buf_printf(&b, "%sE6,Omar Haddad,omar.haddad@va.gov,Department of Veterans "
                                  "Affairs,E5,,Nurse\n",
                              v2));
    assert_ok(import_text(st, b.data, 4000, &res));
    assert_int_equal(res.joined, 1);
    assert_int_equal(res.unchanged, 6);
    doge_roster_import_result_dispose(&res);
    doge_buf_dispose(&b);
    assert_ok(doge_roster_lookup_address(st, "Omar.Haddad@va.gov", id, sizeof id));
    assert_string_equal(id, "E6");
    ch.text[0] = '\0';
    assert_ok(doge_roster_changes(st, "E6", 0, collect_change, &ch));
    assert_string_equal(ch.text, "2 left E6 Department of Veterans Affairs>- E5>-\n"
                                 "4 joined E6 ->Department of Veterans Affairs ->E5\n");
    /* A refused re-import leaves the roster as it was. */
    assert_int_equal(import_text(st, HEADER "E1,Ann,ann@@x,D,,,t\n", 5000, &res), DOGE_EINVAL);
    doge_roster_import_result_dispose(&res);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM roster WHERE active = 1"), 7);
    assert_int_equal(count(st, "SELECT COUNT(*) FROM roster_import"), 4);
    doge_roster_stats s;
    assert_ok(doge_roster_stats_get(st, &s));
    assert_int_equal(s.active, 7);
    assert_int_equal(s.inactive, 0);
    assert_int_equal(s.last_import_id, 4);
    assert_int_equal(s.last_joined, 1);
    doge_roster_stats_dispose(&s);
    doge_store_free(st);
}

static void test_valid_address(void **state)
{
    (void)state;
    static const char *const good[] = {"a@b.c", "first.last@agency.gov", "o'brien@x.gov",
                                       "a+tag@sub.dom-ain.gov", "x_y-z@a1.b2", "A.B@C.GOV"};
    static const char *const bad[] = {"",          "a",           "@b.c",     "a@",
                                      "a@b",       "a@@b.c",      "a@b@c.d",  ".a@b.c",
                                      "a.@b.c",    "a..b@c.d",    "a b@c.d",  "a@-b.c",
                                      "a@b-.c",    "a@b..c",      "a@b.c.",   "a@b_c.d",
                                      "zo\xc3\xab@x.gov", "a\"b@c.d", "a;b@c.d", "a,b@c.d"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!doge_roster_valid_address(good[i], -1))
            fail_msg("'%s' should be valid", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (doge_roster_valid_address(bad[i], -1))
            fail_msg("'%s' should be invalid", bad[i]);
    char local[80];
    memset(local, 'a', 65);
    memcpy(local + 65, "@b.cd", 6);
    assert_false(doge_roster_valid_address(local, -1)); /* 65-byte local part */
    assert_true(doge_roster_valid_address(local + 1, -1)); /* 64 is fine */
    assert_true(doge_roster_valid_address("a@b.cdXXX", 6)); /* length-bounded */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_and_queries), cmocka_unit_test(test_each),
        cmocka_unit_test(test_each_error_kind),    cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_long_cycle_message), cmocka_unit_test(test_all_errors_counted),
        cmocka_unit_test(test_reimport_diff),      cmocka_unit_test(test_valid_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
