/*
 * test_ingest_requests.c — the in-memory request map of ingest
 * (ingest_requests.c) gives, for every token of a campaign, exactly what the
 * store's queries give (the request's employee, address and department, the
 * manager's roster address or "" when there is none), nothing for a token
 * of another week or an unknown one, and stops when cancelled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "internal.h"
#include "pulse/pulse_internal.h"
#include "util_assert.h"

static void test_map_equals_store(void **state)
{
    (void)state;
    char dir[] = "/tmp/doge-ingest-requests-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char roster[600], wsdir[600], cmd[700];
    snprintf(roster, sizeof roster, "%s/roster.csv", dir);
    snprintf(wsdir, sizeof wsdir, "%s/ws", dir);
    doge_synth_workforce_opts wo;
    memset(&wo, 0, sizeof wo);
    wo.employees = 400;
    wo.departments = 5;
    wo.seed = 11;
    wo.no_progress = 1;
    assert_ok(doge_synth_workforce_file(&wo, roster, NULL));
    doge_workspace *ws = NULL;
    assert_ok(doge_workspace_init(wsdir));
    assert_ok(doge_workspace_open(&ws, wsdir));
    doge_store *st = doge_workspace_store(ws);
    doge_roster_import_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.no_progress = 1;
    doge_roster_import_result rr;
    memset(&rr, 0, sizeof rr);
    assert_ok(doge_roster_import(st, roster, &ro, &rr));
    doge_roster_import_result_dispose(&rr);
    doge_pulse_open_result orr;
    assert_ok(doge_pulse_open(ws, "2025-W08", 1740459540, "pulse.example", &orr));
    assert_ok(doge_pulse_open(ws, "2025-W09", 1741064340, "pulse.example", &orr));

    doge__request_map *m = NULL;
    assert_ok(doge__request_map_load(&m, st, "2025-W09", NULL));
    assert_int_equal(doge__request_map_count(m), (size_t)orr.requests);

    /* every request of both weeks, with its manager's address by query */
    doge_stmt *s;
    assert_ok(doge_store_prepare(st, &s,
                                 "SELECT q.week, q.token, q.employee_id, q.email, q.department,"
                                 " (SELECT email FROM roster WHERE employee_id = q.manager_id)"
                                 " FROM pulse_request q ORDER BY q.week, q.token"));
    size_t found = 0, other = 0, with_manager = 0;
    while (doge_stmt_step(s) == 1) {
        const char *week = doge_stmt_text(s, 0), *token = doge_stmt_text(s, 1);
        doge__request r;
        int hit = doge__request_map_find(m, token, strlen(token), &r);
        if (strcmp(week, "2025-W09") != 0) {
            assert_int_equal(hit, 0); /* another week's token: the store answers it */
            other++;
            continue;
        }
        assert_int_equal(hit, 1);
        found++;
        assert_string_equal(r.token, token);
        assert_string_equal(r.employee, doge_stmt_text(s, 2));
        assert_string_equal(r.email, doge_stmt_text(s, 3));
        assert_string_equal(r.department, doge_stmt_text(s, 4));
        assert_string_equal(r.manager_email, doge_stmt_text(s, 5)); /* "" for NULL */
        with_manager += r.manager_email[0] != '\0';
    }
    doge_stmt_free(s);
    assert_int_equal(found, (size_t)orr.requests);
    assert_int_equal(other, (size_t)orr.requests);
    assert_true(with_manager > 0 && with_manager < found); /* the tops have none */
    doge__request r;
    assert_int_equal(doge__request_map_find(m, "nosuchtoken", 11, &r), 0);
    doge__request_map_free(m);

    /* cancelled before it starts: an error, no map */
    int cancel = 1;
    m = NULL;
    assert_int_equal(doge__request_map_load(&m, st, "2025-W09", &cancel), DOGE_ERROR);
    assert_null(m);
    doge__request_map_free(NULL);

    doge_workspace_free(ws);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_equals_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
