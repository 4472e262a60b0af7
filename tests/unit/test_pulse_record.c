/*
 * test_pulse_record.c — the hand-written JSON of ingest (ingest_record.c)
 * against jansson, which wrote it before and is kept here as the oracle:
 * quoting of every control character, quotes, backslashes and multi-byte
 * UTF-8; strings that are not valid UTF-8 (which jansson refuses, so they
 * drop out of arrays and records); random strings; the ledger record with
 * sorted keys, and its bullets_sha256 form past the entry cap. Also checks
 * that doge_mail_hash_raw() equals the hash doge_mail_parse() computes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "doge/ledger.h"
#include "doge/mail.h"
#include "pulse/pulse_internal.h"
#include "util_assert.h"

/* A deterministic generator for the random cases. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

/* Bytes that matter to a JSON string writer, valid sequences and broken ones. */
static const char *const pieces[] = {
    "a", "Z", " ", "/", "\"", "\\", "\b", "\f", "\n", "\r", "\t", "\x01", "\x1f", "\x7f",
    "\xc3\xa9",         /* é */
    "\xe2\x80\xa2",     /* • */
    "\xe2\x80\xa8",     /* U+2028 */
    "\xf0\x9f\x98\x80", /* U+1F600 */
    "\xef\xbf\xbf",     /* U+FFFF */
    "\xf4\x8f\xbf\xbf", /* U+10FFFF */
    "\xc0\xaf",         /* overlong */
    "\xed\xa0\x80",     /* surrogate */
    "\xf4\x90\x80\x80", /* past U+10FFFF */
    "\xe2\x80",         /* cut short */
    "\x80",             /* lone continuation */
    "\xff",
};

static size_t random_string(char *out, size_t cap, int valid_only)
{
    size_t n = 0, parts = rnd() % 12;
    size_t npieces = sizeof pieces / sizeof pieces[0] - (valid_only ? 6 : 0);
    for (size_t i = 0; i < parts; i++) {
        const char *p = pieces[rnd() % npieces];
        size_t l = strlen(p);
        if (n + l >= cap)
            break;
        memcpy(out + n, p, l);
        n += l;
    }
    if (!valid_only && rnd() % 8 == 0 && n + 1 < cap)
        out[n++] = '\0'; /* a NUL inside: json_stringn() takes it */
    out[n] = '\0';
    return n;
}

/* jansson's rendering of one string, or NULL when it refuses the bytes. */
static char *jansson_string(const char *s, size_t len)
{
    json_t *j = json_stringn(s, len);
    if (!j)
        return NULL;
    char *out = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return out;
}

/* doge__json_quote(s) into b equals jansson's rendering, or both refuse. */
static void quote_as_jansson(doge_buf *b, const char *s, size_t len)
{
    char *want = jansson_string(s, len);
    doge_buf_reset(b);
    int rc = doge__json_quote(b, s, len);
    if (!want) {
        assert_int_equal(rc, DOGE_EINVAL);
        assert_int_equal(b->len, 0);
        return;
    }
    assert_ok(rc);
    assert_string_equal(doge_buf_cstr(b), want);
    free(want);
}

static void test_quote(void **state)
{
    (void)state;
    doge_buf b;
    doge_buf_init(&b, 0);
    for (int i = 0; i < 20000; i++) {
        char s[128];
        size_t len = random_string(s, sizeof s, 0);
        quote_as_jansson(&b, s, len);
    }
    /* Every single byte, and the control characters' \u00XX spelling. */
    for (int c = 0; c < 256; c++) {
        char s[1] = {(char)c};
        quote_as_jansson(&b, s, 1);
    }
    /* Every byte at every offset of a 24-byte run (plain bytes are read 8
     * at a time: one near or across a word's edge must still be seen). */
    for (int c = 0; c < 256; c++)
        for (size_t off = 0; off < 24; off++) {
            char s[24];
            memset(s, 'a', sizeof s);
            s[off] = (char)c;
            quote_as_jansson(&b, s, sizeof s);
        }
    doge_buf_reset(&b);
    assert_ok(doge__json_quote(&b, "\x1b[1m", 4));
    assert_string_equal(doge_buf_cstr(&b), "\"\\u001B[1m\"");
    doge_buf_dispose(&b);
}

static void test_array(void **state)
{
    (void)state;
    doge_buf b;
    doge_buf_init(&b, 0);
    for (int i = 0; i < 3000; i++) {
        json_t *a = json_array();
        doge_buf_reset(&b);
        size_t count = 0, n = rnd() % 7;
        for (size_t k = 0; k < n; k++) {
            char s[64];
            size_t len = random_string(s, sizeof s, rnd() % 2);
            json_array_append_new(a, json_stringn(s, len)); /* NULL: left out */
            assert_ok(doge__json_array_add(&b, s, len, &count));
        }
        assert_ok(doge__json_array_close(&b));
        char *want = json_dumps(a, JSON_COMPACT);
        assert_string_equal(doge_buf_cstr(&b), want);
        assert_int_equal(count, json_array_size(a));
        free(want);
        json_decref(a);
    }
    doge_buf_dispose(&b);
}

/* The record as ingest built it with jansson before ingest_record.c. */
static char *jansson_record(const doge__pulse_record *r)
{
    json_t *bullets = json_loads(r->bullets_json, 0, NULL);
    assert_non_null(bullets);
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string("pulse.reply"));
    json_object_set_new(o, "week", json_string(r->week));
    json_object_set_new(o, "employee_id", json_string(r->employee_id));
    json_object_set_new(o, "department", json_string(r->department));
    json_object_set_new(o, "sent", json_string(r->sent));
    json_object_set_new(o, "on_time", json_boolean(r->on_time));
    json_object_set_new(o, "manager_cc", json_boolean(r->manager_cc));
    json_object_set_new(o, "flags", json_string(r->flags));
    json_object_set_new(o, "content_sha256", json_string(r->content_sha256));
    json_object_set_new(o, "message_id_sha256", json_string(r->message_id_sha256));
    json_object_set_new(o, "bullets", json_incref(bullets));
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    if (s && strlen(s) > DOGE_LEDGER_ENTRY_MAX) {
        uint8_t bh[32];
        char bhex[65];
        char *b = json_dumps(bullets, JSON_COMPACT);
        SHA256((const unsigned char *)b, strlen(b), bh);
        free(b);
        for (int i = 0; i < 32; i++)
            snprintf(bhex + 2 * i, 3, "%02x", bh[i]);
        json_object_del(o, "bullets");
        json_object_set_new(o, "bullets_sha256", json_string(bhex));
        free(s);
        s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    }
    json_decref(o);
    json_decref(bullets);
    return s;
}

static void test_record(void **state)
{
    (void)state;
    doge_buf rec, bul;
    doge_buf_init(&rec, 0);
    doge_buf_init(&bul, 0);
    for (int i = 0; i < 3000; i++) {
        char dept[64], emp[32], flags[32];
        random_string(dept, sizeof dept, rnd() % 4 != 0); /* now and then not UTF-8 */
        snprintf(emp, sizeof emp, "E%06u", rnd() % 1000000);
        snprintf(flags, sizeof flags, "%s", rnd() % 2 ? "attachment,link" : "");
        doge_buf_reset(&bul);
        size_t count = 0, n = rnd() % 6;
        /* now and then enough bullets to pass the entry cap */
        size_t big = rnd() % 20 == 0 ? 2000 : 0;
        for (size_t k = 0; k < n + big; k++) {
            char s[128];
            size_t len = random_string(s, 64, 1);
            if (big && len < 30) {
                memset(s + len, 'x', 40);
                len += 40;
                s[len] = '\0';
            }
            assert_ok(doge__json_array_add(&bul, s, len, &count));
        }
        assert_ok(doge__json_array_close(&bul));
        doge__pulse_record r = {
            .week = "2025-W08",
            .employee_id = emp,
            .department = dept,
            .sent = "2025-02-21T16:04:05Z",
            .on_time = (int)(rnd() % 2),
            .manager_cc = (int)(rnd() % 2),
            .flags = flags,
            .content_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            .message_id_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            .bullets_json = doge_buf_cstr(&bul),
        };
        char *want = jansson_record(&r);
        assert_ok(doge__pulse_record_write(&rec, &r));
        assert_string_equal(doge_buf_cstr(&rec), want);
        if (big)
            assert_non_null(strstr(want, "\"bullets_sha256\""));
        free(want);
    }
    doge_buf_dispose(&rec);
    doge_buf_dispose(&bul);
}

static void test_hex(void **state)
{
    (void)state;
    uint8_t h[4] = {0x00, 0x9f, 0xa0, 0xff};
    char out[9];
    doge__hex(h, 4, out);
    assert_string_equal(out, "009fa0ff");
}

static void test_raw_hash(void **state)
{
    (void)state;
    const char *msgs[] = {
        "From: a@b.example\nSubject: hi\n\nbody\n",
        "From: a@b.example\r\nSubject: hi\r\n\r\nbody\r\nline\r\n",
        "From someone@x Mon Feb 24 10:00:00 2025\nFrom: a@b.example\n\nbody\r\n",
        "From: a@b.example\r\nX: lone\rcarriage\r\n\r\ntrailing\r",
        "From: a@b.example\n\n\r\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
        doge_mail *m;
        uint8_t raw[DOGE_MAIL_HASH_SIZE];
        assert_ok(doge_mail_parse(msgs[i], strlen(msgs[i]), &m));
        assert_ok(doge_mail_hash_raw(msgs[i], strlen(msgs[i]), raw));
        assert_memory_equal(raw, doge_mail_hash(m), DOGE_MAIL_HASH_SIZE);
        doge_mail_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote),    cmocka_unit_test(test_array),
        cmocka_unit_test(test_record),   cmocka_unit_test(test_hex),
        cmocka_unit_test(test_raw_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
