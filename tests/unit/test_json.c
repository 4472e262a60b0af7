/*
 * test_json.c — the jansson helpers: the canonical dump (sorted keys,
 * 2-space indent, trailing newline) of objects and scalars, loading files
 * with located parse errors and duplicate-key rejection, and the required
 * field getters, whose messages must name the file, the field and the bad
 * value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doge.h"
#include "util_assert.h"

static char *dump(const json_t *j)
{
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    assert_non_null(f);
    assert_ok(doge_json_dump(f, j));
    fclose(f);
    return data;
}

static void test_dump(void **state)
{
    (void)state;
    json_t *j = json_pack("{s:i, s:s, s:[i, {s:b, s:n}], s:{}, s:f}", "zeta", 1, "alpha",
                          "a\"b", "mid", 2, "y", 1, "x", "empty", "real", 0.5);
    assert_non_null(j);
    char *text = dump(j);
    assert_string_equal(text, "{\n"
                              "  \"alpha\": \"a\\\"b\",\n"
                              "  \"empty\": {},\n"
                              "  \"mid\": [\n"
                              "    2,\n"
                              "    {\n"
                              "      \"x\": null,\n"
                              "      \"y\": true\n"
                              "    }\n"
                              "  ],\n"
                              "  \"real\": 0.5,\n"
                              "  \"zeta\": 1\n"
                              "}\n");
    free(text);
    json_decref(j);
    j = json_integer(42);
    text = dump(j);
    assert_string_equal(text, "42\n");
    free(text);
    json_decref(j);
    j = json_string("x");
    FILE *ro = fopen("/dev/null", "r");
    assert_non_null(ro);
    assert_error(doge_json_dump(ro, j), DOGE_EIO, "json: write failed");
    fclose(ro);
    json_decref(j);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_load(void **state)
{
    (void)state;
    char path[] = "/tmp/doge-json-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char want[160];
    json_t *j = (json_t *)1;

    write_file(path, "{\"savings\": 12,\n \"id\": \"R-1\"}\n");
    assert_ok(doge_json_load(path, 0, &j));
    assert_int_equal(json_integer_value(json_object_get(j, "savings")), 12);
    json_decref(j);

    write_file(path, "{\"a\": 1,\n \"b\": }\n");
    snprintf(want, sizeof want, "%s:2:7: ", path);
    assert_error(doge_json_load(path, 0, &j), DOGE_EINVAL, want);
    assert_null(j);

    write_file(path, "{\"a\": 1, \"a\": 2}");
    snprintf(want, sizeof want, "%s:1:", path);
    assert_error(doge_json_load(path, 0, &j), DOGE_EINVAL, want);
    assert_message_has("duplicate object key");

    write_file(path, "[1] [2]");
    assert_error(doge_json_load(path, 0, &j), DOGE_EINVAL, "end of file expected");

    write_file(path, "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]");
    assert_error(doge_json_load(path, 8, &j), DOGE_ELIMIT, "larger than 8 bytes");
    assert_error(doge_json_load(path, 30, &j), DOGE_ELIMIT, "larger than 30 bytes");
    assert_ok(doge_json_load(path, 31, &j)); /* exactly the cap */
    assert_int_equal(json_array_size(j), 10);
    json_decref(j);

    unlink(path);
    assert_error(doge_json_load(path, 0, &j), DOGE_ENOTFOUND, path);
}

static void test_fields(void **state)
{
    (void)state;
    json_error_t err;
    json_t *j = json_loads("{\"id\": \"R-1\", \"value\": 1250000, \"neg\": -5, \"real\": 12.5,"
                           " \"text\": \"12\", \"big\": 9223372036854775807, \"null\": null,"
                           " \"list\": [1, 2], \"obj\": {\"k\": \"v\"}}",
                           0, &err);
    assert_non_null(j);
    const char *s;
    int64_t n;
    assert_ok(doge_json_get_string(j, "receipts.json", "id", &s));
    assert_string_equal(s, "R-1");
    assert_ok(doge_json_get_int(j, "receipts.json", "value", &n));
    assert_int_equal(n, 1250000);
    assert_ok(doge_json_get_int(j, "receipts.json", "neg", &n));
    assert_int_equal(n, -5);
    assert_ok(doge_json_get_int(j, "receipts.json", "big", &n));
    assert_true(n == INT64_MAX);

    assert_error(doge_json_get_string(j, "receipts.json", "agency", &s), DOGE_ENOTFOUND,
                 "receipts.json: missing required field 'agency'");
    assert_error(doge_json_get_int(j, "receipts.json", "savings", &n), DOGE_ENOTFOUND,
                 "receipts.json: missing required field 'savings'");
    assert_error(doge_json_get_string(j, "receipts.json", "value", &s), DOGE_EINVAL,
                 "receipts.json: field 'value': expected a string, got 1250000");
    assert_error(doge_json_get_string(j, "receipts.json", "null", &s), DOGE_EINVAL,
                 "field 'null': expected a string, got null");
    assert_error(doge_json_get_string(j, "receipts.json", "obj", &s), DOGE_EINVAL,
                 "field 'obj': expected a string, got {\"k\":\"v\"}");
    assert_error(doge_json_get_int(j, "receipts.json", "real", &n), DOGE_EINVAL,
                 "receipts.json: field 'real': expected an integer, got 12.5");
    assert_error(doge_json_get_int(j, "receipts.json", "text", &n), DOGE_EINVAL,
                 "field 'text': expected an integer, got \"12\"");
    assert_error(doge_json_get_int(j, NULL, "list", &n), DOGE_EINVAL,
                 "<json>: field 'list': expected an integer, got [1,2]");
    assert_error(doge_json_get_int(j, "receipts.json", NULL, &n), DOGE_EINVAL,
                 "receipts.json: NULL field name");

    json_t *list = json_object_get(j, "list");
    assert_error(doge_json_get_string(list, "receipts.json", "id", &s), DOGE_EINVAL,
                 "receipts.json: expected an object holding field 'id', got [1,2]");
    assert_error(doge_json_get_int(NULL, "receipts.json", "id", &n), DOGE_EINVAL,
                 "expected an object holding field 'id', got nothing");

    /* A long bad value is shortened in the message. */
    json_t *longv = json_string_nocheck("");
    char big[500];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    json_string_set(longv, big);
    json_object_set_new(j, "long", longv);
    assert_error(doge_json_get_int(j, "r.json", "long", &n), DOGE_EINVAL,
                 "field 'long': expected an integer, got \"xxxx");
    assert_message_has("xxx...");
    assert_true(strlen(doge_error_last()) < 200);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
